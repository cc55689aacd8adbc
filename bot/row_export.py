"""What the anonymous row-level export holds: one row per complete set, without its random id.

`StoredSet` is a set as the database holds it; `ExportRow` is what may leave it, after
`bot.suppression.exportable_rows` has dropped what must not and coarsened the day to an ISO
week. An export can hold a million rows, read, sorted and written at once, so both are named
tuples: made, compared and written in C, at a third of the memory of a dataclass. An
`ExportRow`'s fields are the CSV's columns, in order.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from bot.instrument import Status
from bot.report_model import InstrumentText, SessionKind


class StoredSet(NamedTuple):
    """One complete set as stored: its session, day, instrument text, ten points and score."""

    session_id: int
    answered_on: date
    text: InstrumentText
    points: tuple[int, ...]
    score: float


class ExportRow(NamedTuple):
    """One exported set. Rows sort by their fields in order: by value, never as stored."""

    activity: str  # "" when the session belongs to no activity
    session_id: int
    session_label: str
    session_kind: SessionKind
    week: str  # ISO week of the day answered, YYYY-Www
    language: str
    instrument_status: Status
    instrument_version: str
    a1: int
    a2: int
    a3: int
    a4: int
    a5: int
    a6: int
    a7: int
    a8: int
    a9: int
    a10: int
    score: float

    @property
    def points(self) -> tuple[int, ...]:
        """The ten answers, 1-5 each."""
        return (
            self.a1,
            self.a2,
            self.a3,
            self.a4,
            self.a5,
            self.a6,
            self.a7,
            self.a8,
            self.a9,
            self.a10,
        )


@lru_cache(maxsize=4096)  # a million rows fall on a few hundred days
def iso_week(day: date) -> str:
    """The ISO week a day falls in (YYYY-Www): the finest time an exported row tells."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"
