"""What a coordinator report is made from: sessions, released blocks, and the request.

The repository hands over released blocks (`ReleasedBlock`): the complete sets of one session
in one instrument text, counted once when released, as a histogram of the 41 possible scores
and per statement the count of each option. A million stored sets reach the pure code as a few
thousand blocks, and every figure can still be computed exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.instrument import Status
from bot.core.sessions import SessionKind
from bot.core.statistics import Tally


@dataclass(frozen=True, slots=True, order=True)
class InstrumentText:
    """The exact instrument text a set was answered in: reports never pool texts silently."""

    language: str
    status: Status
    version: str

    @property
    def official(self) -> bool:
        """THL's validated text, as opposed to our provisional translation."""
        return self.status is Status.OFFICIAL


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A session as reports see it: what it belongs to, never who was there."""

    id: int
    label: str
    activity_id: int | None
    activity_name: str  # "" when the session belongs to no activity
    kind: SessionKind
    closed: bool
    created_on: date
    unfinished: int = 0  # check-ins started but not completed


STATEMENTS = 10
OPTIONS = 5


@dataclass(frozen=True, slots=True)
class ReleasedBlock:
    """A release block: complete sets of one session in one instrument text, fixed for good.

    Every figure a report shows is a union of whole released blocks of at least the minimum
    group size, so two reports can only ever differ by whole blocks. A block belongs to the day
    (and so the month and any day range) of its release, never to the days its sets were sent.
    `statements[i][j]` counts the sets that gave statement i+1 the option j+1.
    """

    id: int
    session_id: int
    text: InstrumentText
    released_on: date
    tally: Tally
    statements: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        n = self.tally.n
        if len(self.statements) != STATEMENTS or any(
            len(counts) != OPTIONS or sum(counts) != n for counts in self.statements
        ):
            raise ValueError("a block counts five options for each of ten statements")

    @property
    def n(self) -> int:
        """Number of complete sets in the block."""
        return self.tally.n


class Breakdown(StrEnum):
    """How the rows of a report divide its scope."""

    ACTIVITY = "activity"
    SESSION = "session"
    MONTH = "month"  # of a block's release (YYYY-MM)
    KIND = "kind"
    LANGUAGE = "language"


class Period(StrEnum):
    """A period a coordinator picks with a button; the days are counted from today."""

    ALL = "all"
    THIS_MONTH = "tm"
    LAST_MONTH = "lm"
    THIS_HALF_YEAR = "th"
    THIS_YEAR = "ty"
    LAST_TERM = "lt"


# Terms of the year as (first month, first day, last month, last day): spring and autumn, with
# the summer break between them, as activities and schools in Finland keep them.
TERMS = ((1, 1, 5, 31), (8, 1, 12, 31))


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def period_days(period: Period, today: date) -> tuple[date | None, date | None]:
    """The first and last day of a period, both included; (None, None) for all answers."""
    if period is Period.THIS_MONTH:
        return today.replace(day=1), _month_end(today)
    if period is Period.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if period is Period.THIS_HALF_YEAR:
        if today.month <= 6:  # June ends the first half
            return date(today.year, 1, 1), date(today.year, 6, 30)
        return date(today.year, 7, 1), date(today.year, 12, 31)
    if period is Period.THIS_YEAR:
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if period is Period.LAST_TERM:
        ended = [
            (date(year, m1, d1), date(year, m2, d2))
            for year in (today.year - 1, today.year)
            for m1, d1, m2, d2 in TERMS
            if date(year, m2, d2) < today
        ]
        return ended[-1]
    return None, None


class ReportRequestError(ValueError):
    """A report request that cannot be answered; the message says what to change."""


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What a coordinator asked for: a scope, a breakdown and whether to pool translations.

    The scope is everything, one activity or one session, optionally narrowed to the blocks
    released (and sessions created) from `first_day` to `last_day`, both included.
    """

    breakdown: Breakdown = Breakdown.ACTIVITY
    activity_id: int | None = None
    session_id: int | None = None
    first_day: date | None = None
    last_day: date | None = None
    pool_provisional: bool = False

    def __post_init__(self) -> None:
        if self.activity_id is not None and self.session_id is not None:
            raise ReportRequestError("choose one activity or one session, not both")
        if self.first_day and self.last_day and self.first_day > self.last_day:
            raise ReportRequestError(
                f"the date range runs backwards: {self.first_day} is after {self.last_day}"
            )

    def covers_session(self, session: SessionInfo) -> bool:
        """Whether a session is in the requested scope (no scope: every session)."""
        if self.session_id is not None:
            return session.id == self.session_id
        return self.activity_id is None or session.activity_id == self.activity_id

    def covers_day(self, day: date) -> bool:
        """Whether a day falls in the requested range (no range: every day)."""
        return (self.first_day is None or day >= self.first_day) and (
            self.last_day is None or day <= self.last_day
        )
