"""The type of the bot's Application, as the handlers and the webhook see it."""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram.ext import Application, ContextTypes, ExtBot, JobQueue

from bot.tg.pacing import Priority

BotApp: TypeAlias = Application[
    ExtBot[Priority],
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]
