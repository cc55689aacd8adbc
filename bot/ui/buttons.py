"""Button data: small ASCII strings that carry their own context (Telegram allows 64 bytes).

Every button that changes a check-in carries the check-in's random tag and, where it matters,
the statement it belongs to, so stale, doubled or forged taps are recognised and do nothing.
The answers themselves come from a reply keyboard (see ``bot.ui.texts.statement``), not from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.ui.i18n import LANGUAGES


@dataclass(frozen=True, slots=True)
class Join:
    """Consent given: start the check-in in this session."""

    join_code: str


@dataclass(frozen=True, slots=True)
class Decline:
    """Consent refused: nothing is stored."""


@dataclass(frozen=True, slots=True)
class Back:
    """From the review back to the last statement."""

    nonce: str


@dataclass(frozen=True, slots=True)
class Pause:
    """Stop for now and continue later."""

    nonce: str


@dataclass(frozen=True, slots=True)
class Resume:
    """Continue where the person left off."""

    nonce: str


@dataclass(frozen=True, slots=True)
class Send:
    """Send the reviewed set."""

    nonce: str


@dataclass(frozen=True, slots=True)
class Change:
    """Change one answer from the review."""

    nonce: str
    item: int


@dataclass(frozen=True, slots=True)
class Language:
    """Switch the interface language; with a join code, the consent is shown again in it."""

    lang: str
    join_code: str | None


@dataclass(frozen=True, slots=True)
class Tidy:
    """Delete this check-in's messages, from the first one up to the button's own message."""

    first_message_id: int


@dataclass(frozen=True, slots=True)
class KeepChat:
    """Leave the chat as it is."""


Callback = Join | Decline | Back | Pause | Resume | Send | Change | Language | Tidy | KeepChat

# Buttons carry a link's 22-character code only, never a short typed one (see usecases.joining).
_CODE = r"[A-Za-z0-9_-]{22}"
_NONCE = r"[A-Za-z0-9_-]{8}"
_LANGS = "|".join(LANGUAGES)
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Callback]], ...] = (
    (re.compile(rf"j:({_CODE})"), lambda m: Join(m[1])),
    (re.compile(r"x"), lambda _: Decline()),
    (re.compile(rf"b:({_NONCE})"), lambda m: Back(m[1])),
    (re.compile(rf"p:({_NONCE})"), lambda m: Pause(m[1])),
    (re.compile(rf"r:({_NONCE})"), lambda m: Resume(m[1])),
    (re.compile(rf"s:({_NONCE})"), lambda m: Send(m[1])),
    (re.compile(rf"c:({_NONCE}):(\d)"), lambda m: Change(m[1], int(m[2]))),
    (re.compile(rf"l:({_LANGS})(?::({_CODE}))?"), lambda m: Language(m[1], m[2])),
    (re.compile(r"t:(\d{1,10})"), lambda m: Tidy(int(m[1]))),
    (re.compile(r"k"), lambda _: KeepChat()),
)


def parse(data: str | None) -> Callback | None:
    """The button's meaning, or None for data this bot never made."""
    if not data:
        return None
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(data)
        if match:
            return build(match)
    return None


def encode(callback: Callback) -> str:
    """The button data for a callback; `parse(encode(c)) == c`."""
    match callback:
        case Join(code):
            return f"j:{code}"
        case Decline():
            return "x"
        case Back(nonce):
            return f"b:{nonce}"
        case Pause(nonce):
            return f"p:{nonce}"
        case Resume(nonce):
            return f"r:{nonce}"
        case Send(nonce):
            return f"s:{nonce}"
        case Change(nonce, item):
            return f"c:{nonce}:{item}"
        case Language(lang, code):
            return f"l:{lang}" if code is None else f"l:{lang}:{code}"
        case Tidy(first):
            return f"t:{first}"
        case KeepChat():
            return "k"
