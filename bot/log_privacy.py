"""Logs never hold an update's content, a Telegram id, a name, an answer or the bot token.

The bot's own lines carry none of these at any level. Its libraries' do: python-telegram-bot
logs every update and every Bot API call's parameters at DEBUG, aiosqlite every statement's
values, the HTTP clients the URL with the token at INFO. Their loggers are held at a level
that leaves those lines out, whatever level the root logger is set to later, and the one
error line that quotes what Telegram sent has the quote taken out.
"""

from __future__ import annotations

import logging

LIBRARY_LEVELS = {
    "telegram": logging.INFO,
    "aiosqlite": logging.INFO,
    "apscheduler": logging.WARNING,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "aiohttp.access": logging.WARNING,
}
QUOTING_LOGGERS = ("telegram.request.BaseRequest",)
"""Loggers whose lines quote what Telegram sent (a reply that was not valid JSON)."""


class _WithoutValues(logging.Filter):
    """Keeps the line, leaves out the values it would quote."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.args = None
        return True


_WITHOUT_VALUES = _WithoutValues()


def keep_logs_private() -> None:
    """Set the libraries' loggers so that no line of theirs holds personal data: at their
    level above, or at the root logger's if that is higher (never lower than it is now)."""
    root = logging.getLogger().getEffectiveLevel()
    for name, level in LIBRARY_LEVELS.items():
        logging.getLogger(name).setLevel(max(level, root))
    for name in QUOTING_LOGGERS:
        logging.getLogger(name).addFilter(_WITHOUT_VALUES)
