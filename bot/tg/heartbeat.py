"""The running bot's sign of life: when it last heard from Telegram, kept as a file's time.

Long polling hears from Telegram at least every ten seconds (a getUpdates call that waited for
updates in vain still answers); in webhook mode the bot asks Telegram every minute whether its
updates are being delivered. Either way the time is kept as the modification time of an empty
file beside the database, touched at most every few seconds: no write to the database, no
disk flush. `checkin-bot health` only reads that time.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

# Touching the file more often than this says nothing new.
WRITE_EVERY: Final = 5.0
# Longer silence than this is a bot that is not working: long polling answers every 10 s, a
# webhook is checked every minute, and a short network outage is tried again meanwhile.
STALE_AFTER: Final = timedelta(minutes=3)


def heartbeat_path(database: Path) -> Path:
    """The file whose modification time is the last time the bot heard from Telegram."""
    return database.with_name(database.name + ".alive")


class Heartbeat:
    """Touches the file when the bot has heard from Telegram."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._last = float("-inf")
        self._failing = False

    def beat(self) -> None:
        """Telegram answered: note the time, unless it was noted a moment ago."""
        now = time.monotonic()
        if now - self._last < WRITE_EVERY:
            return
        self._last = now
        try:
            self.path.touch()
        except OSError as err:  # the bot works on; only the health check will miss it
            if not self._failing:
                log.warning("cannot note the time of the last update in %s: %s", self.path, err)
            self._failing = True
        else:
            self._failing = False


def last_heard(path: Path) -> datetime | None:
    """When the bot last heard from Telegram; None if it has never run with this database."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except FileNotFoundError:
        return None


def silence(database: Path, now: datetime) -> tuple[timedelta | None, bool]:
    """How long the bot has not heard from Telegram (None: it has never run here), and whether
    that is too long for a running bot."""
    heard = last_heard(heartbeat_path(database))
    if heard is None:
        return None, False
    quiet = max(now - heard, timedelta(0))
    return quiet, quiet > STALE_AFTER
