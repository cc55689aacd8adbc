"""The state of one private chat: its messages, in Telegram's shapes and as the person sees them.

A private chat's message ids are shared by both sides and count up from 1, as in Telegram, so
the bot's reply to the person's message 1 is message 2.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.emulator.models import Button, CallbackAnswer, ChatMessage, Keyboard, Sender

if TYPE_CHECKING:
    from bot.emulator.formatting import FormattedText


def now() -> int:
    """Unix time, the unit of Telegram's ``date`` fields."""
    return int(time.time())


def keyboard_of(markup: dict[str, Any] | None) -> Keyboard:
    """The buttons of an inline keyboard markup, row by row."""
    if not markup:
        return ()
    return tuple(
        tuple(
            Button(
                text=str(button.get("text", "")),
                callback_data=button.get("callback_data"),
                url=button.get("url"),
            )
            for button in row
        )
        for row in markup.get("inline_keyboard", [])
    )


@dataclass(slots=True)
class StoredMessage:
    """A message as the emulator keeps it; ``to_api`` renders Telegram's Message object."""

    message_id: int
    sender: Sender
    kind: str
    chat: dict[str, Any]
    from_user: dict[str, Any]
    date: int = field(default_factory=now)
    text: FormattedText | None = None
    caption: FormattedText | None = None
    reply_markup: dict[str, Any] | None = None
    media: dict[str, Any] = field(default_factory=dict)
    photo_bytes: bytes | None = None
    edit_date: int | None = None
    deleted: bool = False

    def to_api(self) -> dict[str, Any]:
        """The Message object for API answers and updates."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.from_user,
            "date": self.date,
            "chat": self.chat,
        }
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.text is not None:
            message["text"] = self.text.text
            if self.text.entities:
                message["entities"] = list(self.text.entities)
        message.update(self.media)
        if self.caption is not None and self.caption.text:
            message["caption"] = self.caption.text
            if self.caption.entities:
                message["caption_entities"] = list(self.caption.entities)
        if self.reply_markup is not None:
            message["reply_markup"] = self.reply_markup
        return message

    def snapshot(self) -> ChatMessage:
        """The message as the person sees it right now."""
        shown = self.text if self.text is not None else self.caption
        return ChatMessage(
            message_id=self.message_id,
            sender=self.sender,
            kind=self.kind,
            text=shown.text if shown is not None else None,
            buttons=keyboard_of(self.reply_markup),
            photo=self.photo_bytes,
            deleted=self.deleted,
            edited=self.edit_date is not None,
        )


class PrivateChat:
    """Messages, callback answers and the reply keyboard of one person's chat with the bot."""

    def __init__(self, chat: dict[str, Any]) -> None:
        self.chat = chat
        self.messages: dict[int, StoredMessage] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.reply_keyboard: tuple[tuple[str, ...], ...] | None = None
        self._last_id = 0

    def add(self, sender: Sender, kind: str, from_user: dict[str, Any]) -> StoredMessage:
        """A new message with the chat's next message id."""
        self._last_id += 1
        message = StoredMessage(self._last_id, sender, kind, self.chat, from_user)
        self.messages[message.message_id] = message
        return message

    def live(self, message_id: int) -> StoredMessage | None:
        """The message with this id unless it does not exist or was deleted."""
        message = self.messages.get(message_id)
        return None if message is None or message.deleted else message
