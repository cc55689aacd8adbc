"""Turning rendered replies into Telegram keyboards."""

from __future__ import annotations

from functools import lru_cache

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.texts import Keys, Reply

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def markup(reply: Reply) -> Markup | None:
    """The reply's inline buttons, its reply keyboard, or the removal of one."""
    if reply.keys:
        return _reply_keyboard(reply.keys)
    if reply.remove_keys:
        return ReplyKeyboardRemove()
    return inline(reply)


@lru_cache(maxsize=256)
def _reply_keyboard(keys: Keys) -> ReplyKeyboardMarkup:
    """A reply keyboard; the same few are sent again and again, and they never change."""
    return ReplyKeyboardMarkup(keys, resize_keyboard=True)


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
