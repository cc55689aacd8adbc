"""Shared test set-up."""

import os

# python-telegram-bot warns about integer time periods unless this opts in to timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "true")
