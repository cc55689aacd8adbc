"""How fast the pure report code is over one million answer sets in released blocks.

Run from the repository root: `python bench/report_bench.py`. It makes realistic release blocks
(200 activities, 5,000 sessions over two years, Finnish and two provisional translations:
closed sessions one block per text, standing links a block every few days, smaller remainders
held back), then times one report per breakdown, and measures peak memory with tracemalloc.
Reading the blocks from the database is measured separately (`bench/report_sql_bench.py`).
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.instrument import Status
from bot.core.report_model import (
    STATEMENTS,
    Breakdown,
    InstrumentText,
    ReleasedBlock,
    ReportRequest,
    SessionInfo,
)
from bot.core.reports import HeldSets, HoldReason, NotShown, Report, build_report
from bot.core.sessions import SessionKind
from bot.core.statistics import SCORE_VALUES, Tally

SETS = 1_000_000
ACTIVITIES = 200
SESSIONS = 5_000
FIRST_DAY = date(2023, 1, 1)
DAYS = 730
NOW = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Helsinki")
MIN_GROUP_SIZE = 5
TEXTS = (
    InstrumentText("fi", Status.OFFICIAL, "THL 2019"),
    InstrumentText("sv", Status.PROVISIONAL, "draft 1"),
    InstrumentText("en", Status.PROVISIONAL, "draft 1"),
)
TEXT_WEIGHTS = (80, 12, 8)


POINT_SHARES = (0.05, 0.10, 0.20, 0.35, 0.30)  # answers 1-5: scores around 70


def statement_counts(n: int) -> tuple[tuple[int, ...], ...]:
    """Per statement, how many of n sets chose each option, in the usual shares."""
    counts = [round(n * share) for share in POINT_SHARES[:-1]]  # 70 %: never more than n
    return ((*counts, n - sum(counts)),) * STATEMENTS


def make_data(
    rng: random.Random,
) -> tuple[list[SessionInfo], list[ReleasedBlock], list[HeldSets]]:
    """Sessions, their released blocks and what is held back, as the database hands them."""
    # Scores around 75 (as in the population), a tail below 50.
    step_weights = list(accumulate(2.0 ** -(((i - 30) / 6) ** 2) + 0.02 for i in range(41)))
    kinds = rng.choices(list(SessionKind), weights=(60, 20, 20), k=SESSIONS)
    activities = [rng.randint(1, ACTIVITIES) for _ in range(SESSIONS)]
    sessions = [
        SessionInfo(
            id=i + 1,
            label=f"Session {i + 1}",
            activity_id=activities[i],
            activity_name=f"Activity {activities[i]}",
            kind=kinds[i],
            closed=rng.random() < 0.95,
            created_on=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
            unfinished=rng.randint(0, 3),
        )
        for i in range(SESSIONS)
    ]
    shares = [rng.expovariate(1.0) for _ in sessions]
    scale = SETS / sum(shares)
    sizes = [round(share * scale) for share in shares]
    sizes[0] += SETS - sum(sizes)
    blocks: list[ReleasedBlock] = []
    held = []
    for session, size in zip(sessions, sizes, strict=True):
        per_text = Counter(rng.choices(TEXTS, weights=TEXT_WEIGHTS, k=size))
        for text, n in per_text.items():
            # A closed session: one block; a standing link: a block every few days.
            parts = [n] if session.closed else [MIN_GROUP_SIZE * 3] * (n // (MIN_GROUP_SIZE * 3))
            left = n - sum(parts)
            for number, part in enumerate(p for p in parts if p >= MIN_GROUP_SIZE):
                histogram = Counter(
                    rng.choices(range(SCORE_VALUES), cum_weights=step_weights, k=part)
                )
                blocks.append(
                    ReleasedBlock(
                        len(blocks) + 1,
                        session.id,
                        text,
                        session.created_on + timedelta(days=number * 3 + 1),
                        Tally(tuple(histogram[i] for i in range(SCORE_VALUES))),
                        statement_counts(part),
                    )
                )
            small = sum(p for p in parts if p < MIN_GROUP_SIZE)
            if small:
                held.append(HeldSets(session.id, HoldReason.TOO_FEW, small))
            if left and not session.closed:
                held.append(HeldSets(session.id, HoldReason.OPEN, left))
    return sessions, blocks, held


def report(
    request: ReportRequest,
    sessions: list[SessionInfo],
    blocks: list[ReleasedBlock],
    held: list[HeldSets],
) -> Report:
    return build_report(
        request, sessions, blocks, held, as_of=NOW.date(), min_group_size=MIN_GROUP_SIZE
    )


def busiest_activity(sessions: list[SessionInfo]) -> int:
    """The activity with the most sessions."""
    return Counter(s.activity_id for s in sessions).most_common(1)[0][0]


def report_requests(busiest: int) -> list[ReportRequest]:
    """The reports timed: one per breakdown, then pooled, a date range and one activity."""
    return [ReportRequest(b) for b in Breakdown] + [
        ReportRequest(Breakdown.ACTIVITY, pool_provisional=True),
        ReportRequest(Breakdown.MONTH, first_day=date(2024, 1, 1), last_day=date(2024, 6, 30)),
        ReportRequest(Breakdown.SESSION, activity_id=busiest),
        ReportRequest(Breakdown.MONTH, activity_id=busiest),
    ]


def main() -> None:
    start = time.perf_counter()
    sessions, blocks, held = make_data(random.Random(2024))  # noqa: S311 (reproducible data)
    made = time.perf_counter() - start
    total_sets = sum(b.n for b in blocks)
    print(f"{total_sets:,} sets in {len(blocks):,} released blocks, {len(sessions):,} sessions")
    print(f"(generated in {made:.2f} s)\n")
    print(f"{'report':<42} {'seconds':>8} {'rows':>6} {'held back':>9}")
    for request in report_requests(busiest_activity(sessions)):
        start = time.perf_counter()
        built = report(request, sessions, blocks, held)
        seconds = time.perf_counter() - start
        rows = [row for table in built.tables for row in table.rows]
        not_shown = sum(isinstance(row.figures, NotShown) for row in rows)
        print(f"{_name(request):<42} {seconds:>8.3f} {len(rows):>6} {not_shown:>9}")

    largest = ReportRequest(Breakdown.SESSION)
    tracemalloc.start()
    report(largest, sessions, blocks, held)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\npeak memory building '{_name(largest)}' (tracemalloc): {peak / 2**20:.1f} MiB")


def _name(request: ReportRequest) -> str:
    scope = f"activity {request.activity_id}" if request.activity_id is not None else "everything"
    extra = " pooled" if request.pool_provisional else ""
    if request.first_day:
        extra += f" {request.first_day}..{request.last_day}"
    return f"{scope} by {request.breakdown.value}{extra}"


if __name__ == "__main__":
    main()
