"""Telegram's rules beyond the schema: lengths, button data, command names, deep links.

The spec says a field is a String; the documentation around it says "1-64 bytes" or
"1-4096 characters".  These checks encode those sentences so that the emulator rejects what
Telegram rejects (and some things Telegram silently mangles, like a bad deep-link payload).
Each function returns human-readable reasons; an empty list means the value is fine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

MAX_TEXT: Final = 4096
MAX_CAPTION: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_COMMANDS: Final = 100
MAX_COMMAND_LENGTH: Final = 32
MAX_COMMAND_DESCRIPTION: Final = 256
MAX_CALLBACK_ANSWER: Final = 200
MAX_DESCRIPTION: Final = 512
MAX_SHORT_DESCRIPTION: Final = 120
MAX_DELETE_IDS: Final = 100
MAX_PAYLOAD: Final = 64
MAX_PLACEHOLDER: Final = 64
# Fields of InlineKeyboardButton that decorate a button instead of giving it an action.
BUTTON_DECORATIONS: Final = frozenset({"text", "icon_custom_emoji_id", "style"})
CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
PARSE_MODES: Final = frozenset({"html", "markdownv2", "markdown"})

_COMMAND_RE: Final = re.compile(r"[a-z0-9_]{1,32}")
_PAYLOAD_RE: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DEEP_LINK_RE: Final = re.compile(
    r"(?:https?://)?(?:www\.)?(?:t|telegram)\.me/([A-Za-z0-9_]+)/?"
    r"\?(?:[^\s<>\"'#]*?&)?start=([^\s<>\"'&#]*)",
    re.IGNORECASE,
)
# Clients do not take sentence punctuation right after a link into the link.
_TRAILING_PUNCTUATION: Final = ".,;:!?)]}\u00bb\u201d\u2019'\""


@dataclass(frozen=True, slots=True)
class DeepLink:
    """A ``t.me/<bot>?start=<payload>`` link found in something the bot sent."""

    url: str
    bot: str
    payload: str


def find_deep_links(text: str) -> list[DeepLink]:
    """All start links in ``text``, with sentence punctuation after them left out."""
    links = []
    for match in _DEEP_LINK_RE.finditer(text):
        payload = match.group(2).rstrip(_TRAILING_PUNCTUATION)
        url = match.group(0)[: len(match.group(0)) - (len(match.group(2)) - len(payload))]
        links.append(DeepLink(url, match.group(1), payload))
    return links


def parse_deep_link(url: str) -> DeepLink | None:
    """The start link that ``url`` is, or None if it is not one."""
    match = _DEEP_LINK_RE.fullmatch(url.strip())
    return None if match is None else DeepLink(url, match.group(1), match.group(2))


def check_deep_link(link: DeepLink, bot_username: str) -> list[str]:
    """A start payload must be 1-64 of ``A-Za-z0-9_-`` and the link must name this bot."""
    reasons = []
    if link.bot.lower() != bot_username.lower():
        reasons.append(f"deep link {link.url} names @{link.bot}, but this bot is @{bot_username}")
    if not _PAYLOAD_RE.fullmatch(link.payload):
        reasons.append(
            f"deep link {link.url} has start payload {link.payload!r}: it must be 1-64 "
            "characters from A-Z, a-z, 0-9, _ and -"
        )
    return reasons


def check_links_in(texts: Iterable[str], bot_username: str) -> list[str]:
    """Check every start link in the given texts and URLs."""
    return [
        reason
        for text in texts
        for link in find_deep_links(text)
        for reason in check_deep_link(link, bot_username)
    ]


def check_message_text(plain: str) -> list[str]:
    """Message text must be 1-4096 characters after entities parsing."""
    if not plain.strip():
        return ["message text is empty"]
    if len(plain) > MAX_TEXT:
        return [f"message is too long ({len(plain)} characters; at most {MAX_TEXT})"]
    return []


def check_caption(plain: str) -> list[str]:
    """A caption may be empty but at most 1024 characters after entities parsing."""
    if len(plain) > MAX_CAPTION:
        return [f"message caption is too long ({len(plain)} characters; at most {MAX_CAPTION})"]
    return []


def check_inline_keyboard(markup: dict[str, Any], action_fields: frozenset[str]) -> list[str]:
    """Every button needs a label and exactly one action; callback data is 1-64 bytes."""
    reasons: list[str] = []
    for r, row in enumerate(markup.get("inline_keyboard", [])):
        for c, button in enumerate(row):
            label = button.get("text", "")
            name = f"button {label!r} (row {r + 1}, column {c + 1})"
            if not isinstance(label, str) or not label.strip():
                reasons.append(f"inline keyboard button (row {r + 1}, column {c + 1}) has no text")
            actions = sorted(k for k in button if k in action_fields)
            if not actions:
                reasons.append(
                    f"text buttons are unallowed in the inline keyboard: {name} has no action"
                )
            elif len(actions) > 1:
                reasons.append(f"{name} has {len(actions)} actions ({', '.join(actions)})")
            data = button.get("callback_data")
            if isinstance(data, str):
                size = len(data.encode("utf-8"))
                if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                    reasons.append(
                        f"BUTTON_DATA_INVALID: callback_data of {name} is {size} bytes "
                        f"(must be 1-{MAX_CALLBACK_DATA_BYTES} bytes)"
                    )
            url = button.get("url")
            if isinstance(url, str) and not url.strip():
                reasons.append(f"BUTTON_URL_INVALID: {name} has an empty url")
    return reasons


def keyboard_urls(markup: dict[str, Any] | None) -> list[str]:
    """URLs of the link buttons of an inline keyboard."""
    if not markup:
        return []
    return [
        button["url"]
        for row in markup.get("inline_keyboard", [])
        for button in row
        if isinstance(button.get("url"), str)
    ]


def check_reply_keyboard(markup: dict[str, Any]) -> list[str]:
    """Reply keyboard buttons need a visible label; a placeholder has 1-64 characters."""
    reasons = []
    placeholder = markup.get("input_field_placeholder")
    if isinstance(placeholder, str) and not 1 <= len(placeholder) <= MAX_PLACEHOLDER:
        reasons.append(
            f"input_field_placeholder must be 1-{MAX_PLACEHOLDER} characters "
            f"(got {len(placeholder)})"
        )
    for r, row in enumerate(markup.get("keyboard", [])):
        for c, button in enumerate(row):
            label = button if isinstance(button, str) else button.get("text", "")
            if not label.strip():
                reasons.append(f"reply keyboard button (row {r + 1}, column {c + 1}) has no text")
    return reasons


def check_commands(commands: list[dict[str, Any]]) -> list[str]:
    """At most 100 commands; each 1-32 of ``a-z0-9_`` with a 1-256 character description."""
    reasons = []
    if len(commands) > MAX_COMMANDS:
        reasons.append(f"too many commands ({len(commands)}; at most {MAX_COMMANDS})")
    seen: set[str] = set()
    for item in commands:
        command, description = item.get("command", ""), item.get("description", "")
        if not _COMMAND_RE.fullmatch(command):
            reasons.append(
                f"BOT_COMMAND_INVALID: command {command!r} must be 1-{MAX_COMMAND_LENGTH} "
                "characters of lowercase a-z, 0-9 and _"
            )
        if not 1 <= len(description) <= MAX_COMMAND_DESCRIPTION or not description.strip():
            reasons.append(
                f"BOT_COMMAND_DESCRIPTION_INVALID: description of /{command} must be "
                f"1-{MAX_COMMAND_DESCRIPTION} characters (got {len(description)})"
            )
        if command in seen:
            reasons.append(f"command /{command} is listed twice")
        seen.add(command)
    return reasons


def check_length(value: str, what: str, limit: int) -> list[str]:
    """A plain upper bound on characters, for descriptions and callback answers."""
    if len(value) > limit:
        return [f"{what} is too long ({len(value)} characters; at most {limit})"]
    return []
