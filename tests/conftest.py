"""Shared test set-up."""

import os
import tempfile

# python-telegram-bot warns about integer time periods unless this opts in to timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "true")
# A generated key goes to the user's configuration folder by default: never the real one.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="checkin-bot-tests-")
