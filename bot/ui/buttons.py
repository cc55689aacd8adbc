"""Button data: small ASCII strings that carry their own context (Telegram allows 64 bytes).

Every button that changes a check-in carries the check-in's random tag and, where it matters,
the statement it belongs to, so stale, doubled or forged taps are recognised and do nothing.
The answers themselves come from a reply keyboard (see ``bot.ui.texts.statement``), not from here.

Each kind of button is a frozen dataclass declared once with its layout, for example
``@layout("c:{nonce}:{item}")``: a short tag and its typed fields, each field's type saying what
text it may be. One `encode` and one `parse` serve every kind, so the two can never drift apart:
``parse(encode(b)) == b``, and data this bot never made parses to None. The layouts are the
data of buttons already sent: change one and those buttons go stale.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar, get_args, get_type_hints

from bot.core.codes import LINK_CODE_LENGTH, LINK_CODE_PATTERN
from bot.core.report_model import Breakdown, Period
from bot.core.sessions import SessionKind

MAX_BYTES = 64
"""Telegram's limit on a button's callback data."""

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
K = TypeVar("K")


class BadButton(ValueError):
    """A button whose values do not fit its layout."""


@dataclass(frozen=True, slots=True)
class Part(Generic[T]):
    """How one field is written: its text (an ASCII regex), its longest, both conversions."""

    pattern: str
    longest: int
    load: Callable[[str], T]
    dump: Callable[[T], str] = str


def _token(length: int) -> Part[str]:
    """Random text from the URL-safe alphabet of `secrets.token_urlsafe`."""
    return Part(rf"[A-Za-z0-9_-]{{{length}}}", length, str)


def _digits(most: int) -> Part[int]:
    """A whole number of 1 to `most` digits, without leading zeros (one text per number)."""
    return Part(rf"0|[1-9][0-9]{{0,{most - 1}}}", most, int)


def _one_of(values: tuple[str, ...]) -> Part[str]:
    return Part("|".join(map(re.escape, values)), max(len(v.encode()) for v in values), str)


def _enum(kind: type[E]) -> Part[E]:
    values = _one_of(tuple(str(member.value) for member in kind))
    return Part(values.pattern, values.longest, kind, lambda member: str(member.value))


def _optional(part: Part[T], none: str = "-") -> Part[T | None]:
    """The part, or `none` for None."""
    return Part(
        rf"{part.pattern}|{re.escape(none)}",
        max(part.longest, len(none)),
        lambda text: None if text == none else part.load(text),
        lambda value: none if value is None else part.dump(value),
    )


def _after(separator: str, part: Part[T]) -> Part[T]:
    """The part with a separator in front, so that leaving it out leaves out both."""
    return Part(
        rf"{re.escape(separator)}(?:{part.pattern})",
        len(separator) + part.longest,
        lambda text: part.load(text.removeprefix(separator)),
        lambda value: separator + part.dump(value),
    )


# Buttons carry a link's 22-character code only, never a short typed one (see usecases.joining).
_LINK_CODE = Part(LINK_CODE_PATTERN, LINK_CODE_LENGTH, str)
_ID = _digits(15)

Nonce = Annotated[str, _token(8)]  # check-ins' and staff flows' `secrets.token_urlsafe(6)`
LinkCode = Annotated[str, _LINK_CODE]
Item = Annotated[int, _digits(1)]
MessageId = Annotated[int, _digits(10)]
Id = Annotated[int, _ID]
OptionalId = Annotated[int | None, _optional(_ID)]
# Any language code: languages added with `checkin-bot instrument add` are known only at run
# time, so the handler checks that the language is offered.
_LANG = Part("[a-z]{2,3}", 3, str)
Lang = Annotated[str, _LANG]
OptionalLang = Annotated[str | None, _optional(_after(":", _LANG), none="")]
OptionalLinkCode = Annotated[str | None, _optional(_after(":", _LINK_CODE), none="")]
Kind = Annotated[SessionKind, _enum(SessionKind)]
ReportBreakdown = Annotated[Breakdown, _enum(Breakdown)]
ReportPeriod = Annotated[Period, _enum(Period)]
# A day as YYYYMMDD; the pattern admits only real months and days of up to 31.
_DAY = Part(
    r"[0-9]{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])",
    8,
    lambda text: date(int(text[:4]), int(text[4:6]), int(text[6:])),
    lambda day: f"{day.year:04d}{day.month:02d}{day.day:02d}",
)
OptionalDay = Annotated[date | None, _optional(_DAY)]


@dataclass(frozen=True, slots=True)
class _Layout:
    """One kind's layout, compiled: how to write its data and how to read it back."""

    kind: Callable[..., Any]
    template: str
    parts: dict[str, Part[Any]]
    regex: re.Pattern[str]

    @property
    def tag(self) -> str:
        """The text before the first colon: a first cheap sorting of incoming data."""
        return self.template.split(":", 1)[0]


_LAYOUTS: dict[type, _Layout] = {}
_BY_TAG: dict[str, list[_Layout]] = {}


def layout(template: str) -> Callable[[type[K]], type[K]]:
    """Declare a button kind's data: literal text with ``{field}`` for each field, in order.

    Every field's type is ``Annotated`` with its Part. A layout whose data could outgrow
    Telegram's 64 bytes is refused here, once, so no button can outgrow them when sent.
    """

    def declare(kind: type[K]) -> type[K]:
        hints = get_type_hints(kind, include_extras=True)
        parts = {f.name: _part_of(hints[f.name]) for f in fields(kind)}  # type: ignore[arg-type]
        regex, longest, named = "", 0, []
        for literal, name, _, _ in string.Formatter().parse(template):
            regex += re.escape(literal)
            longest += len(literal.encode())
            if name is not None:
                regex += f"(?P<{name}>{parts[name].pattern})"
                longest += parts[name].longest
                named.append(name)
        if named != list(parts):
            raise TypeError(f"{template!r} must name the fields of {kind.__name__} in order")
        if longest > MAX_BYTES:
            raise TypeError(f"{template!r} may need {longest} bytes, over Telegram's {MAX_BYTES}")
        compiled = _Layout(kind, template, parts, re.compile(regex, re.ASCII))
        _LAYOUTS[kind] = compiled
        _BY_TAG.setdefault(compiled.tag, []).append(compiled)
        return kind

    return declare


def _part_of(hint: object) -> Part[Any]:
    found = [extra for extra in get_args(hint)[1:] if isinstance(extra, Part)]
    if len(found) != 1:
        raise TypeError(f"a button field needs one Part: {hint!r}")
    return found[0]


# Participant buttons


@layout("j:{join_code}{lang}")
@dataclass(frozen=True, slots=True)
class Join:
    """Consent given: start the check-in in this session, in the language the consent was
    shown in (None on buttons sent before sessions had a language: the session's)."""

    join_code: LinkCode
    lang: OptionalLang = None


@layout("d:{join_code}{lang}")
@dataclass(frozen=True, slots=True)
class Details:
    """Before consent: what is saved, with Start and No again below it, in the consent's
    language (None on buttons sent before sessions had a language: the person's)."""

    join_code: LinkCode
    lang: OptionalLang = None


@layout("x")
@dataclass(frozen=True, slots=True)
class Decline:
    """Consent refused: nothing is stored."""


@layout("b:{nonce}")
@dataclass(frozen=True, slots=True)
class Back:
    """From the review back to the last statement."""

    nonce: Nonce


@layout("p:{nonce}")
@dataclass(frozen=True, slots=True)
class Pause:
    """Stop for now and continue later."""

    nonce: Nonce


@layout("r:{nonce}")
@dataclass(frozen=True, slots=True)
class Resume:
    """Continue where the person left off."""

    nonce: Nonce


@layout("s:{nonce}")
@dataclass(frozen=True, slots=True)
class Send:
    """Send the reviewed set."""

    nonce: Nonce


@layout("c:{nonce}:{item}")
@dataclass(frozen=True, slots=True)
class Change:
    """Change one answer from the review."""

    nonce: Nonce
    item: Item


@layout("l:{lang}{join_code}")
@dataclass(frozen=True, slots=True)
class Language:
    """Switch the interface language; with a join code, the consent is shown again in it."""

    lang: Lang
    join_code: OptionalLinkCode


@layout("t:{first_message_id}")
@dataclass(frozen=True, slots=True)
class Tidy:
    """Delete this check-in's messages, from the first one up to the button's own message."""

    first_message_id: MessageId


@layout("k")
@dataclass(frozen=True, slots=True)
class KeepChat:
    """Leave the chat as it is."""


# Staff buttons: their tags differ from the participant's, so they never reach that handler.


@layout("o:ok")
@dataclass(frozen=True, slots=True)
class RulesAccepted:
    """The facilitator confirmed the rules."""


@layout("n:{nonce}:a:{activity_id}")
@dataclass(frozen=True, slots=True)
class PickActivity:
    """An existing activity (or None: a new one) for the session being created."""

    nonce: Nonce
    activity_id: OptionalId


@layout("n:{nonce}:k:{kind}")
@dataclass(frozen=True, slots=True)
class PickKind:
    """Single check-in, start of an activity or end of one."""

    nonce: Nonce
    kind: Kind


@layout("n:{nonce}:s:{session_id}")
@dataclass(frozen=True, slots=True)
class PickStart:
    """The start session an end session belongs to (None: no start session)."""

    nonce: Nonce
    session_id: OptionalId


@layout("n:{nonce}:l:{lang}")
@dataclass(frozen=True, slots=True)
class PickLanguage:
    """The language everyone who joins the session being created starts in."""

    nonce: Nonce
    lang: Lang


@layout("n:{nonce}:x")
@dataclass(frozen=True, slots=True)
class CancelFlow:
    """Stop creating the session; nothing is stored."""

    nonce: Nonce


@layout("z:{session_id}")
@dataclass(frozen=True, slots=True)
class AskClose:
    """Which session to close; a confirmation follows."""

    session_id: Id


@layout("Z:{session_id}")
@dataclass(frozen=True, slots=True)
class ConfirmClose:
    """Close it now."""

    session_id: Id


@layout("f:{telegram_id}")
@dataclass(frozen=True, slots=True)
class AskRemove:
    """Which facilitator to remove; a confirmation follows."""

    telegram_id: Id


@layout("F:{telegram_id}")
@dataclass(frozen=True, slots=True)
class ConfirmRemove:
    """Remove them now."""

    telegram_id: Id


@layout("q:no")
@dataclass(frozen=True, slots=True)
class Never:
    """Cancel a close or a removal."""


# Report buttons


@layout("Q:a:{activity_id}")
@dataclass(frozen=True, slots=True)
class ReportScope:
    """A report on everything (None) or one activity; the breakdown is asked next."""

    activity_id: OptionalId


@layout("Q:b:{activity_id}:{breakdown}")
@dataclass(frozen=True, slots=True)
class ReportBy:
    """The report's scope and breakdown; the period is asked next."""

    activity_id: OptionalId
    breakdown: ReportBreakdown


@layout("Q:p:{activity_id}:{breakdown}:{period}")
@dataclass(frozen=True, slots=True)
class ReportFor:
    """The report to make: its scope, breakdown and period."""

    activity_id: OptionalId
    breakdown: ReportBreakdown
    period: ReportPeriod


Callback = (
    Join | Details | Decline | Back | Pause | Resume | Send | Change | Language | Tidy | KeepChat
)
StaffCallback = (
    RulesAccepted
    | PickActivity
    | PickKind
    | PickStart
    | PickLanguage
    | CancelFlow
    | AskClose
    | ConfirmClose
    | AskRemove
    | ConfirmRemove
    | Never
)


@layout("Q:f:{activity_id}:{breakdown}:{first_day}:{last_day}")
@dataclass(frozen=True, slots=True)
class ReportPage:
    """The report just shown, as a one-page PDF: the same scope, breakdown and days."""

    activity_id: OptionalId
    breakdown: ReportBreakdown
    first_day: OptionalDay
    last_day: OptionalDay


ReportCallback = ReportScope | ReportBy | ReportFor | ReportPage
ButtonData = Callback | StaffCallback | ReportCallback


def encode(button: ButtonData) -> str:
    """The button's data; `parse(encode(b)) == b`. Raises BadButton if a value does not fit."""
    compiled = _LAYOUTS[type(button)]
    data = compiled.template.format_map(
        {name: part.dump(getattr(button, name)) for name, part in compiled.parts.items()}
    )
    if not compiled.regex.fullmatch(data):
        raise BadButton(f"{button!r} does not fit {compiled.template!r}")
    return data


def parse(data: str | None) -> ButtonData | None:
    """The button's meaning, or None for data this bot never made."""
    if not data:
        return None
    for compiled in _BY_TAG.get(data.split(":", 1)[0], ()):
        match = compiled.regex.fullmatch(data)
        if match:
            try:
                values = {name: part.load(match[name]) for name, part in compiled.parts.items()}
            except ValueError:  # text of the right shape naming no value, such as 31 February
                return None
            button: ButtonData = compiled.kind(**values)
            return button
    return None


B = TypeVar("B")


class Family(Generic[B]):
    """The buttons one handler answers: their data's pattern, for routing, and their parser."""

    def __init__(self, *kinds: type[B]) -> None:
        self.kinds = kinds
        tags = sorted({_LAYOUTS[kind].tag for kind in kinds})
        self.pattern = rf"^(?:{'|'.join(map(re.escape, tags))})(?::|$)"
        """Matches the data of this family's buttons (and of no other family's)."""

    def parse(self, data: str | None) -> B | None:
        """The button's meaning, or None for data this bot never made for this family."""
        button = parse(data)
        return button if isinstance(button, self.kinds) else None


PARTICIPANT = Family[Callback](*get_args(Callback))
STAFF = Family[StaffCallback](*get_args(StaffCallback))
REPORTS = Family[ReportCallback](*get_args(ReportCallback))
