"""`python -m bot` is the same as the `checkin-bot` command."""

import sys

from bot.cli import main

sys.exit(main())
