"""Instrument texts, times and released blocks that the report tests share."""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.instrument import Status
from bot.core.report_model import (
    OPTIONS,
    STATEMENTS,
    Breakdown,
    InstrumentText,
    ReleasedBlock,
    ReportRequest,
    SessionInfo,
)
from bot.core.reports import HeldSets, HoldReason, Report, build_report
from bot.core.scoring import score
from bot.core.sessions import SessionKind
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


AUTUMN_DAYS = (date(2026, 9, 1), date(2026, 12, 31))
"""The autumn term the coordinator's example world covers."""


def autumn() -> tuple[list[SessionInfo], list[ReleasedBlock], list[HeldSets]]:
    """A coordinator's autumn: three activities, fifteen check-ins from September to December,
    the peer group measured at its start and end, one check-in too small to show, answers in
    Finnish and a few in a provisional Swedish translation."""
    activities = {1: "Avoin työhuone, Kotka", 2: "Vertaisryhmä", 3: "Kuntosaliryhmä"}
    plan = [  # session id, activity, kind, day, scores
        (
            1,
            2,
            SessionKind.START,
            date(2026, 9, 3),
            [30.0, 40.0, 45.0, 47.5, 52.5, 55.0, 60.0, 62.5, 65.0, 70.0, 72.5, 80.0],
        ),
        (2, 1, SessionKind.SINGLE, date(2026, 9, 10), [55.0, 60.0, 65.0, 70.0, 72.5, 75.0]),
        (3, 3, SessionKind.SINGLE, date(2026, 9, 17), [50.0, 62.5, 67.5, 70.0, 85.0]),
        (4, 1, SessionKind.SINGLE, date(2026, 9, 24), [45.0, 57.5, 60.0, 72.5, 80.0]),
        (5, 3, SessionKind.SINGLE, date(2026, 10, 1), [40.0, 55.0, 60.0, 65.0, 77.5, 90.0]),
        (6, 1, SessionKind.SINGLE, date(2026, 10, 8), [47.5, 50.0, 67.5, 70.0, 75.0]),
        (7, 3, SessionKind.SINGLE, date(2026, 10, 15), [35.0, 2.5]),
        (8, 1, SessionKind.SINGLE, date(2026, 10, 22), [60.0, 62.5, 65.0, 70.0, 70.0, 82.5]),
        (9, 3, SessionKind.SINGLE, date(2026, 10, 29), [52.5, 55.0, 70.0, 72.5, 80.0]),
        (10, 1, SessionKind.SINGLE, date(2026, 11, 5), [42.5, 55.0, 65.0, 67.5, 75.0, 77.5]),
        (11, 3, SessionKind.SINGLE, date(2026, 11, 12), [57.5, 65.0, 70.0, 75.0, 87.5]),
        (12, 1, SessionKind.SINGLE, date(2026, 11, 19), [50.0, 60.0, 65.0, 70.0, 72.5]),
        (13, 3, SessionKind.SINGLE, date(2026, 11, 26), [45.0, 60.0, 62.5, 72.5, 80.0, 85.0]),
        (14, 1, SessionKind.SINGLE, date(2026, 12, 3), [55.0, 57.5, 65.0, 75.0, 80.0]),
        (
            15,
            2,
            SessionKind.END,
            date(2026, 12, 10),
            [45.0, 55.0, 62.5, 67.5, 70.0, 75.0, 80.0, 85.0, 90.0],
        ),
    ]
    swedish = {5: [47.5, 60.0, 65.0, 70.0, 77.5], 10: [52.5, 62.5, 67.5, 72.5, 85.0]}
    sessions = [
        SessionInfo(
            i, f"{activities[a].split(',')[0]} {d.day}.{d.month}.", a, activities[a], kind, True, d
        )
        for i, a, kind, d, _scores in plan
    ]
    blocks: list[ReleasedBlock] = []
    held: list[HeldSets] = []
    for i, _a, _kind, d, scores in plan:
        if len(scores) < 5:
            held.append(HeldSets(i, HoldReason.TOO_FEW, len(scores)))
        else:
            blocks.append(block(len(blocks) + 1, i, d + timedelta(days=1), scores))
        if i in swedish:
            blocks.append(block(len(blocks) + 1, i, d + timedelta(days=1), swedish[i], SV))
    return sessions, blocks, held


AUTUMN_REPORT_DAY = date(2026, 12, 20)
"""The day the coordinator's autumn is reported on."""


def autumn_report(breakdown: Breakdown, activity_id: int | None = None) -> Report:
    """The coordinator's autumn, reported as asked, with groups of at least five."""
    sessions, blocks, held = autumn()
    request = ReportRequest(
        breakdown, activity_id=activity_id, first_day=AUTUMN_DAYS[0], last_day=AUTUMN_DAYS[1]
    )
    return build_report(request, sessions, blocks, held, as_of=AUTUMN_REPORT_DAY, min_group_size=5)
