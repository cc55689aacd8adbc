"""The state of one chat: its messages, in Telegram's shapes and as the people in it see them.

A chat's message ids are shared by everyone in it and count up from 1, as in Telegram, so the
bot's reply to the person's message 1 is message 2.  The chat also counts what the bot does in
it, so that one person can wait for the bot's reply in their own chat while hundreds of others
act at the same time (a load run), instead of waiting for the whole emulator to go quiet.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.dev.emulator.errors import ReplyTimeoutError
from bot.dev.emulator.models import (
    Button,
    CallbackAnswer,
    ChatMessage,
    Keyboard,
    Mark,
    Reply,
    Sender,
)

if TYPE_CHECKING:
    from bot.dev.emulator.formatting import FormattedText


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
    keys: tuple[tuple[str, ...], ...] = ()
    keys_persistent: bool = False
    placeholder: str | None = None
    media: dict[str, Any] = field(default_factory=dict)
    photo_bytes: bytes | None = None
    document_bytes: bytes | None = None
    filename: str | None = None
    edit_date: int | None = None
    deleted: bool = False
    # When the emulator took the message in (time.monotonic()), for reply latencies.
    arrived: float = field(default_factory=time.monotonic)

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
            keys=self.keys,
            keys_persistent=self.keys_persistent,
            placeholder=self.placeholder,
            photo=self.photo_bytes,
            document=self.document_bytes,
            filename=self.filename,
            deleted=self.deleted,
            edited=self.edit_date is not None,
        )


class Chat:
    """Messages, callback answers and the reply keyboard of one chat, private or group.

    It also counts the bot's calls that touched the chat (sends, edits, deletions, answers to
    taps made there), so a person can wait for their own reply: see ``wait_for_message``.
    """

    def __init__(self, chat: dict[str, Any]) -> None:
        self.chat = chat
        self.messages: dict[int, StoredMessage] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.reply_keyboard: tuple[tuple[str, ...], ...] | None = None
        self.bot_calls = 0
        self.last_bot_call = 0.0
        self._last_id = 0
        self._changed: asyncio.Event | None = None

    @property
    def id(self) -> int:
        """The chat id: the person's user id, or a group's negative id."""
        return int(self.chat["id"])

    @property
    def is_private(self) -> bool:
        """Whether this is a person's private chat with the bot."""
        return bool(self.chat["type"] == "private")

    @property
    def name(self) -> str:
        """How the transcript names the chat: the person's first name, or the group's title."""
        if self.is_private:
            return str(self.chat.get("first_name", ""))
        return f"{self.chat.get('title', '')} (group)"

    @property
    def last_message_id(self) -> int:
        """The newest message id given out in this chat (0 before the first message)."""
        return self._last_id

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

    # ----------------------------------------------------------------------- waiting for the bot

    def mark(self, at: float | None = None) -> Mark:
        """Where the chat stands now; ``at`` is when the person acted (default: now)."""
        return Mark(self.bot_calls, self._last_id, time.monotonic() if at is None else at)

    def touched_by_bot(self) -> None:
        """Count one successful bot call in this chat and wake whoever waits here."""
        self.bot_calls += 1
        self.last_bot_call = time.monotonic()
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    async def _next_change(self, timeout: float) -> None:  # noqa: ASYNC109 - the caller's budget
        if self._changed is None:
            self._changed = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), max(timeout, 0.0))

    def _new_bot_message(self, since: Mark, buttons: bool) -> StoredMessage | None:
        # Only the messages given out since the mark: a few, however long the chat is.
        for message_id in range(since.last_message_id + 1, self._last_id + 1):
            message = self.messages.get(message_id)
            if message is None or message.sender != "bot" or message.deleted:
                continue
            if not buttons or message.keys or keyboard_of(message.reply_markup):
                return message
        return None

    async def wait_for_message(
        self,
        since: Mark,
        *,
        buttons: bool = False,
        timeout: float = 5.0,  # noqa: ASYNC109 - it shapes the error message
    ) -> Reply:
        """The first bot message sent here after ``since`` (with a keyboard if asked).

        Returns as soon as it arrives: the precise "my reply is here" a phone would show.
        ``timeout`` counts from the action, as the person's patience does.
        """
        deadline = since.at + timeout
        while True:
            message = self._new_bot_message(since, buttons)
            if message is not None:
                return Reply(
                    message.snapshot(),
                    message.arrived - since.at,
                    self.bot_calls - since.bot_calls,
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                wanted = "message with buttons" if buttons else "message"
                raise ReplyTimeoutError(self._no_reply(since, timeout, wanted))
            await self._next_change(remaining)

    async def wait_for_quiet(
        self,
        since: Mark,
        *,
        quiet: float = 0.005,
        timeout: float = 5.0,  # noqa: ASYNC109 - it shapes the error message
    ) -> Reply:
        """Wait until the bot has acted here after ``since``, then did nothing for ``quiet`` s.

        For replies that are not a new message (an edit, a toast). The latency runs to the last
        call before the quiet time, so the quiet time itself is not counted.
        """
        deadline = since.at + timeout
        while True:
            now = time.monotonic()
            acted = self.bot_calls > since.bot_calls
            if acted and now - self.last_bot_call >= quiet:
                message = self._new_bot_message(since, buttons=False)
                return Reply(
                    message.snapshot() if message is not None else None,
                    self.last_bot_call - since.at,
                    self.bot_calls - since.bot_calls,
                )
            if now >= deadline:
                raise ReplyTimeoutError(self._no_reply(since, timeout, "reply"))
            wait = deadline - now
            if acted:
                wait = min(wait, quiet - (now - self.last_bot_call))
            await self._next_change(wait)

    def _no_reply(self, since: Mark, timeout: float, wanted: str) -> str:
        calls = self.bot_calls - since.bot_calls
        return (
            f"{self.name} got no {wanted} from the bot within {timeout} s "
            f"({calls} bot call(s) in the chat since the action)"
        )
