"""Instrument texts, times and released blocks that the report tests share."""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.core.instrument import Status
from bot.core.report_model import OPTIONS, STATEMENTS, InstrumentText, ReleasedBlock
from bot.core.scoring import score
from bot.core.statistics import Tally

HELSINKI = ZoneInfo("Europe/Helsinki")
FI = InstrumentText("fi", Status.OFFICIAL, "THL 2019")
SV = InstrumentText("sv", Status.PROVISIONAL, "draft 1")
NOW = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
"""When the reports are made."""
TODAY = date(2024, 6, 1)
"""The day they are made on, in Helsinki."""
DAY = date(2024, 3, 4)
"""A day the sets were released on."""


def points_for(value: float) -> tuple[int, ...]:
    """Ten answers (1-5) that score `value`: the extra points go to the first statements."""
    extra = round(value / 2.5)
    return tuple(1 + min(4, max(0, extra - 4 * i)) for i in range(STATEMENTS))


def block_of(
    block_id: int,
    session_id: int,
    released_on: date,
    answers: Iterable[Sequence[int]],
    text: InstrumentText = FI,
) -> ReleasedBlock:
    """The released block of these answer sets (ten answers 1-5 each), counted as stored."""
    answers = [tuple(a) for a in answers]
    statements = tuple(
        tuple(sum(a[i] == j + 1 for a in answers) for j in range(OPTIONS))
        for i in range(STATEMENTS)
    )
    tally = Tally.of(score(a) for a in answers)
    return ReleasedBlock(block_id, session_id, text, released_on, tally, statements)


def block(
    block_id: int,
    session_id: int,
    released_on: date,
    scores: Iterable[float],
    text: InstrumentText = FI,
) -> ReleasedBlock:
    """A released block of sets with these scores."""
    return block_of(block_id, session_id, released_on, map(points_for, scores), text)
