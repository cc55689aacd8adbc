"""Plain records the emulator hands to tests: calls, violations, messages, buttons, answers.

They are frozen snapshots so that a test can keep one and compare it later without the
emulator changing it underneath.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Sender = Literal["bot", "user"]


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart request, kept whole so a test can inspect the bytes."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    def __repr__(self) -> str:
        return f"UploadedFile({self.name!r}, {self.filename!r}, {len(self.data)} bytes)"


@dataclass(frozen=True, slots=True)
class Violation:
    """A call that the real Telegram would reject, or that a well-behaved bot never makes."""

    method: str
    reason: str

    def __str__(self) -> str:
        return f"{self.method}: {self.reason}"


@dataclass(slots=True)
class ApiCall:
    """One HTTP call the bot made, with its decoded parameters and how it was answered."""

    method: str
    params: dict[str, Any]
    status: int = 200
    description: str | None = None

    def contains(self, needle: str) -> bool:
        """Whether ``needle`` occurs in any string value of the call, however deeply nested."""
        return needle in _strings(self.params)


def _strings(value: object) -> str:
    if isinstance(value, UploadedFile):
        return value.filename or ""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


@dataclass(frozen=True, slots=True)
class Button:
    """One inline keyboard button as the person sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None

    @property
    def action(self) -> str | None:
        """The callback data, or the URL for a link button."""
        return self.callback_data if self.callback_data is not None else self.url


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A message in a private chat, as the person sees it at the moment of the snapshot."""

    message_id: int
    sender: Sender
    kind: str
    text: str | None
    buttons: Keyboard = ()
    keys: tuple[tuple[str, ...], ...] = ()  # the reply keyboard this message set, if any
    # The reply keyboard's is_persistent (shown even when the phone's own keyboard is open)
    # and input_field_placeholder (what the empty input field says while it is shown).
    keys_persistent: bool = False
    placeholder: str | None = None
    photo: bytes | None = field(default=None, repr=False)
    document: bytes | None = field(default=None, repr=False)
    filename: str | None = None
    deleted: bool = False
    edited: bool = False

    @property
    def button_texts(self) -> list[str]:
        """Texts of all buttons, row by row: the inline ones, or else the reply keyboard's."""
        if self.keys:
            return [label for row in self.keys for label in row]
        return [b.text for row in self.buttons for b in row]


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """What the bot said when answering one button tap (a toast, an alert, or nothing)."""

    query_id: str
    message_id: int | None
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True, slots=True)
class Mark:
    """Where a chat stood when a person acted, so that only what the bot did after counts."""

    bot_calls: int
    last_message_id: int
    at: float  # time.monotonic() when the update was handed to getUpdates


@dataclass(frozen=True, slots=True)
class Reply:
    """The bot's reply to one action, and how long the person waited for it."""

    message: ChatMessage | None  # the new bot message, or None if the reply was an edit or toast
    latency: float  # seconds from handing the update to getUpdates to the reply arriving
    calls: int  # bot calls that touched the chat from the action up to the reply
