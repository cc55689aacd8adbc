"""The conversation as a list of events, and its rendering as a readable transcript.

The transcript is what a person would have seen in their chats (plus what went wrong), so a
demo or a failing test can show the whole exchange at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bot.dev.emulator.models import Keyboard

EventKind = Literal[
    "user_message",
    "open_link",
    "tap",
    "bot_message",
    "edit",
    "edit_buttons",
    "delete",
    "answer",
    "commands",
    "violation",
    "failure",
]
INDENT = " " * 8
USER_SAYS = "\u203a"  # a single right-pointing angle quote: what a person writes


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened, with the person it concerns (``user`` is the first name).

    ``chat_id`` is set for what happens in a group, so a group's transcript can be picked out.
    """

    kind: EventKind
    user: str | None = None
    user_id: int | None = None
    message_id: int | None = None
    text: str | None = None
    buttons: Keyboard = ()
    keys: tuple[tuple[str, ...], ...] = ()  # a reply keyboard set with a bot message
    keys_removed: bool = False
    count: int = 0
    alert: bool = False
    detail: str = ""
    chat_id: int | None = None


def render(events: Iterable[Event]) -> str:
    """The events as text, one event per line group."""
    lines: list[str] = []
    for event in events:
        lines.extend(_render_one(event))
    return "\n".join(lines) + ("\n" if lines else "")


def _block(head: str, text: str | None) -> list[str]:
    body = (text or "").split("\n")
    return [head + body[0], *(INDENT + line for line in body[1:])]


def _buttons(buttons: Keyboard) -> list[str]:
    return [INDENT + " ".join(f"[ {b.text} ]" for b in row) for row in buttons if row]


def _keys(event: Event) -> list[str]:
    if event.keys_removed:
        return [INDENT + "(the keyboard is removed)"]
    return [INDENT + "⌨ " + " ".join(f"[ {label} ]" for label in row) for row in event.keys]


def _render_one(event: Event) -> list[str]:  # noqa: PLR0912 - one branch per event kind
    who = event.user or "?"
    match event.kind:
        case "user_message":
            lines = _block(f"{who} {USER_SAYS} ", event.text)
            if event.detail:
                lines.append(f"{INDENT}(the bot does not get this: {event.detail})")
            return lines
        case "open_link":
            return [f"{who} opens {event.detail}"]
        case "tap":
            if event.text is not None:
                return [f"{who} taps [ {event.text} ]"]
            return [f"{who} taps a button that is not there: data {event.detail!r}"]
        case "bot_message":
            return _block(f"bot → {who}: ", event.text) + _buttons(event.buttons) + _keys(event)
        case "edit":
            head = f"bot edits message {event.message_id} for {who}: "
            return _block(head, event.text) + _buttons(event.buttons)
        case "edit_buttons":
            lines = [f"bot edits the buttons of message {event.message_id} for {who}"]
            return lines + (_buttons(event.buttons) or [INDENT + "(no buttons)"])
        case "delete":
            if event.count == 1:
                return [f"bot deletes message {event.message_id} for {who}"]
            return [f"bot deletes {event.count} messages for {who}"]
        case "answer":
            if not event.text:
                return []
            shown = "an alert" if event.alert else "a notice"
            return _block(f"bot shows {who} {shown}: ", event.text)
        case "commands":
            return [f"bot sets its commands ({event.detail}): {event.text}"]
        case "violation":
            return [f"!! {event.detail}"]
        case "failure":
            return [f"~~ {event.detail}"]
