"""A strict local Telegram Bot API emulator over HTTP, with simulated people.

Start one with ``async with BotAPIEmulator() as emu:``, point the bot at ``emu.base_url``,
and let ``emu.user(1, "Aino")`` talk to it, in private or in a group (``emu.group(-5, "Ryhmä")``).
See ``server.py`` for the whole surface, and ``people.py`` for waiting for one person's reply
while many act at once.

Names are imported on first use, so that ``python -m bot.dev.emulator.spec`` does not load the
package's modules twice.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.dev.emulator.errors import ApiError, ReplyTimeoutError, SettleTimeoutError
    from bot.dev.emulator.groups import SimGroup
    from bot.dev.emulator.models import (
        ApiCall,
        Button,
        CallbackAnswer,
        ChatMessage,
        Mark,
        Reply,
        UploadedFile,
        Violation,
    )
    from bot.dev.emulator.people import SimUser
    from bot.dev.emulator.server import DEFAULT_TOKEN, DEFAULT_USERNAME, BotAPIEmulator
    from bot.dev.emulator.spec import ApiSpec
    from bot.dev.emulator.transcript import Event

_WHERE = {
    "ApiError": "errors",
    "ReplyTimeoutError": "errors",
    "SettleTimeoutError": "errors",
    "SimGroup": "groups",
    "Mark": "models",
    "Reply": "models",
    "ApiCall": "models",
    "Button": "models",
    "CallbackAnswer": "models",
    "ChatMessage": "models",
    "UploadedFile": "models",
    "Violation": "models",
    "SimUser": "people",
    "DEFAULT_TOKEN": "server",
    "DEFAULT_USERNAME": "server",
    "BotAPIEmulator": "server",
    "ApiSpec": "spec",
    "Event": "transcript",
}

__all__ = [
    "DEFAULT_TOKEN",
    "DEFAULT_USERNAME",
    "ApiCall",
    "ApiError",
    "ApiSpec",
    "BotAPIEmulator",
    "Button",
    "CallbackAnswer",
    "ChatMessage",
    "Event",
    "Mark",
    "Reply",
    "ReplyTimeoutError",
    "SettleTimeoutError",
    "SimGroup",
    "SimUser",
    "UploadedFile",
    "Violation",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"bot.dev.emulator.{module}"), name)
