"""Turning rendered replies into Telegram keyboards."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.ui.texts import Keys, Reply

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

NO_KEYS = ReplyKeyboardRemove()
"""Sent with replies after which no statement is asked, so no answer keyboard stays behind."""


def markup(reply: Reply) -> Markup | None:
    """The reply's inline buttons, its reply keyboard, or the removal of one."""
    if reply.keys:
        return _reply_keyboard(reply.keys, reply.placeholder)
    if reply.remove_keys:
        return NO_KEYS
    return inline(reply)


class FixedKeyboard(ReplyKeyboardMarkup):
    """A reply keyboard that is turned into its Bot API form once.

    It is persistent: Telegram keeps it in view even when the phone's own keyboard is open, so
    nobody (a screen reader user least of all) loses the answers by closing it.

    python-telegram-bot converts a markup into a dict on every call, which costs more than the
    rest of sending a statement. The same few keyboards are sent for every statement, and like
    every Telegram object they never change, so the dict is made once and handed out again.
    """

    __slots__ = ("_as_dict",)
    _as_dict: dict[str, Any]

    def __init__(self, keys: Keys, placeholder: str | None) -> None:
        super().__init__(
            keys, resize_keyboard=True, is_persistent=True, input_field_placeholder=placeholder
        )
        # Telegram objects are frozen once built; this attribute is ours and private.
        object.__setattr__(self, "_as_dict", super().to_dict())

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The Bot API form (shared: a caller must not change it)."""
        return self._as_dict if recursive else super().to_dict(recursive=False)


@lru_cache(maxsize=256)
def _reply_keyboard(keys: Keys, placeholder: str | None) -> ReplyKeyboardMarkup:
    """A reply keyboard; the same few are sent again and again, and they never change."""
    return FixedKeyboard(keys, placeholder)


def inline(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's inline buttons (the only kind an edited message can have)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in reply.buttons
        ]
    )
