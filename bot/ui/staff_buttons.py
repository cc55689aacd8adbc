"""Button data for staff: creating, closing and listing sessions, managing facilitators.

Staff buttons start with their own letters, so they never reach the participant's handler.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.report_model import Breakdown
from bot.core.sessions import KINDS

PATTERN = r"^(n|o|z|Z|f|F|q):"
REPORT_PATTERN = r"^Q:"


@dataclass(frozen=True, slots=True)
class RulesAccepted:
    """The facilitator confirmed the rules."""


@dataclass(frozen=True, slots=True)
class PickActivity:
    """An existing activity (or None: a new one) for the session being created."""

    nonce: str
    activity_id: int | None


@dataclass(frozen=True, slots=True)
class PickKind:
    """Single check-in, start of an activity or end of one."""

    nonce: str
    kind: str


@dataclass(frozen=True, slots=True)
class PickStart:
    """The start session an end session belongs to (None: no start session)."""

    nonce: str
    session_id: int | None


@dataclass(frozen=True, slots=True)
class CancelFlow:
    """Stop creating the session; nothing is stored."""

    nonce: str


@dataclass(frozen=True, slots=True)
class AskClose:
    """Which session to close; a confirmation follows."""

    session_id: int


@dataclass(frozen=True, slots=True)
class ConfirmClose:
    """Close it now."""

    session_id: int


@dataclass(frozen=True, slots=True)
class AskRemove:
    """Which facilitator to remove; a confirmation follows."""

    telegram_id: int


@dataclass(frozen=True, slots=True)
class ConfirmRemove:
    """Remove them now."""

    telegram_id: int


@dataclass(frozen=True, slots=True)
class Never:
    """Cancel a close or a removal."""


@dataclass(frozen=True, slots=True)
class ReportScope:
    """A report on everything (None) or one activity; the breakdown is asked next."""

    activity_id: int | None


@dataclass(frozen=True, slots=True)
class ReportBy:
    """The report to make: its scope and breakdown."""

    activity_id: int | None
    breakdown: str


StaffCallback = (
    RulesAccepted
    | PickActivity
    | PickKind
    | PickStart
    | CancelFlow
    | AskClose
    | ConfirmClose
    | AskRemove
    | ConfirmRemove
    | Never
    | ReportScope
    | ReportBy
)

_NONCE = r"([A-Za-z0-9_-]{8})"
_ID = r"(\d{1,15}|-)"
_KINDS = "|".join(KINDS)
_BREAKDOWNS = "|".join(b.value for b in Breakdown)


def _optional(text: str) -> int | None:
    return None if text == "-" else int(text)


def _id(value: int | None) -> str:
    return "-" if value is None else str(value)


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], StaffCallback]], ...] = (
    (re.compile(r"o:ok"), lambda _: RulesAccepted()),
    (re.compile(rf"n:{_NONCE}:a:{_ID}"), lambda m: PickActivity(m[1], _optional(m[2]))),
    (re.compile(rf"n:{_NONCE}:k:({_KINDS})"), lambda m: PickKind(m[1], m[2])),
    (re.compile(rf"n:{_NONCE}:s:{_ID}"), lambda m: PickStart(m[1], _optional(m[2]))),
    (re.compile(rf"n:{_NONCE}:x"), lambda m: CancelFlow(m[1])),
    (re.compile(r"z:(\d{1,15})"), lambda m: AskClose(int(m[1]))),
    (re.compile(r"Z:(\d{1,15})"), lambda m: ConfirmClose(int(m[1]))),
    (re.compile(r"f:(\d{1,15})"), lambda m: AskRemove(int(m[1]))),
    (re.compile(r"F:(\d{1,15})"), lambda m: ConfirmRemove(int(m[1]))),
    (re.compile(r"q:no"), lambda _: Never()),
    (re.compile(rf"Q:a:{_ID}"), lambda m: ReportScope(_optional(m[1]))),
    (re.compile(rf"Q:b:{_ID}:({_BREAKDOWNS})"), lambda m: ReportBy(_optional(m[1]), m[2])),
)


def parse(data: str | None) -> StaffCallback | None:
    """The button's meaning, or None for data this bot never made."""
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(data or "")
        if match:
            return build(match)
    return None


def encode(callback: StaffCallback) -> str:
    """The button data for a callback; `parse(encode(c)) == c`."""
    match callback:
        case RulesAccepted():
            return "o:ok"
        case PickActivity(nonce, activity_id):
            return f"n:{nonce}:a:{_id(activity_id)}"
        case PickKind(nonce, kind):
            return f"n:{nonce}:k:{kind}"
        case PickStart(nonce, session_id):
            return f"n:{nonce}:s:{_id(session_id)}"
        case CancelFlow(nonce):
            return f"n:{nonce}:x"
        case AskClose(session_id):
            return f"z:{session_id}"
        case ConfirmClose(session_id):
            return f"Z:{session_id}"
        case AskRemove(telegram_id):
            return f"f:{telegram_id}"
        case ConfirmRemove(telegram_id):
            return f"F:{telegram_id}"
        case Never():
            return "q:no"
        case ReportScope(activity_id):
            return f"Q:a:{_id(activity_id)}"
        case ReportBy(activity_id, breakdown):
            return f"Q:b:{_id(activity_id)}:{breakdown}"
