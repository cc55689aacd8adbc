"""How long a coordinator waits for a report over one million stored answer sets, SQL included.

Run from the repository root: `python bench/report_sql_bench.py` (`--sets 100000` for a quick
look, `--keep DIR` to keep the database). It builds a database through
`bot.storage.database.connect` in a temporary folder, shaped like `bench/report_bench.py`'s
data (200 activities, 5,000 sessions over two years, Finnish official and Swedish and English
provisional texts), released by the bot's own release call as its upkeep would have done over
the two years: a closed session one block per text (withheld when smaller than the minimum),
a standing link a block every few whole days and the rest still waiting. Then it times the
whole path of each report as the bot runs it: `SessionRepository.report_sessions` +
`BlockRepository.released_blocks` + `held_back` + `build_report`, and rendering the CSV; and
the server's row-level export: `BlockRepository.released_rows` + `export_rows` + `rows_csv`.
Each figure is the median of three runs. Last, it prints SQLite's query plans for the reads.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import aiosqlite
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report_bench import (  # the same shape of data as the pure benchmark
    ACTIVITIES,
    DAYS,
    FIRST_DAY,
    MIN_GROUP_SIZE,
    NOW,
    SESSIONS,
    SETS,
    TEXT_WEIGHTS,
    TEXTS,
    ZONE,
    busiest_activity,
    report_requests,
)
from bench.report_bench import _name as report_name
from bot.core.release import ReleasedRow
from bot.core.report_model import ReleasedBlock, ReportRequest
from bot.core.reports import Report, build_report
from bot.core.row_export import ExportRow, export_rows
from bot.storage.blocks import BlockRepository
from bot.storage.database import connect
from bot.storage.sessions import SessionRepository
from bot.storage.store import Store
from bot.ui.report_files import aggregate_csv, rows_csv
from bot.usecases.reports import held_sets

TEXT_COLUMNS = [(t.language, t.status.value, t.version) for t in TEXTS]
TEXT_SHARES = [w / sum(TEXT_WEIGHTS) for w in TEXT_WEIGHTS]
POINT_SHARES = (0.05, 0.10, 0.20, 0.35, 0.30)  # answers 1-5: scores around 70, a tail below 50
MIN_ROW_BLOCK = 20
CHUNK = 100_000
RUNS = 3

T = TypeVar("T")


async def build(conn: aiosqlite.Connection, sets: int, rng: np.random.Generator) -> None:
    """Activities, sessions and answer sets, inserted in big transactions."""
    await conn.execute("PRAGMA synchronous = OFF")  # a throwaway database: load it fast
    await conn.execute("BEGIN")
    await conn.executemany(
        "INSERT INTO activity (id, owner_id, name, created_at) VALUES (?, ?, ?, ?)",
        [
            (a, a % 40 + 1, f"Toiminta {a}", datetime(2023, 1, 1, tzinfo=UTC).isoformat())
            for a in range(1, ACTIVITIES + 1)
        ],
    )
    kinds = rng.choice(["single", "start", "end"], p=[0.6, 0.2, 0.2], size=SESSIONS)
    activities = rng.integers(1, ACTIVITIES + 1, size=SESSIONS)
    closed = rng.random(SESSIONS) < 0.95
    created = rng.integers(0, DAYS, size=SESSIONS)
    sizes = rng.exponential(1.0, size=SESSIONS)
    sizes = np.floor(sizes / sizes.sum() * sets).astype(np.int64)
    sizes[0] += sets - sizes.sum()
    session_rows = []
    for i in range(SESSIONS):
        day = FIRST_DAY + timedelta(days=int(created[i]))
        opened = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        session_rows.append(
            (
                i + 1,
                f"J{i:021d}",
                f"S{i:05d}",
                f"Kerta {i + 1}",
                opened.isoformat(),
                (opened + timedelta(days=3)).isoformat() if closed[i] else None,
                int(activities[i]) % 40 + 1,
                int(activities[i]),
                str(kinds[i]),
                int(sizes[i]) + int(rng.integers(0, 4)),
            )
        )
    await conn.executemany(
        "INSERT INTO session (id, join_code, short_code, label, created_at, closed_at, owner_id, "
        "activity_id, kind, started) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        session_rows,
    )
    await conn.execute("COMMIT")

    # Closed sessions answer over 1-3 days; open ones (standing links) over up to 60.
    owner = np.repeat(np.arange(1, SESSIONS + 1), sizes)
    spread = np.where(closed, rng.integers(1, 4, size=SESSIONS), rng.integers(5, 61, SESSIONS))
    offset = (rng.random(sets) * spread[owner - 1]).astype(np.int64)
    day_index = np.minimum(created[owner - 1] + offset, DAYS - 1)
    days = [(FIRST_DAY + timedelta(days=d)).isoformat() for d in range(DAYS)]
    texts = rng.choice(len(TEXT_COLUMNS), p=TEXT_SHARES, size=sets)
    points = rng.choice(np.arange(1, 6), p=POINT_SHARES, size=(sets, 10))
    scores = (points.sum(axis=1) - 10) * 2.5
    blob = rng.bytes(16 * sets)
    ids = sorted(blob[i : i + 16] for i in range(0, 16 * sets, 16))
    order = rng.permutation(sets)  # ids are random: no order links a row to its session
    for start in range(0, sets, CHUNK):
        rows = []
        for j in range(start, min(start + CHUNK, sets)):
            k = int(order[j])
            lang, status, version = TEXT_COLUMNS[texts[k]]
            rows.append(
                (
                    ids[j],
                    int(owner[k]),
                    lang,
                    status,
                    version,
                    *points[k].tolist(),
                    float(scores[k]),
                    days[day_index[k]],
                )
            )
        await conn.execute("BEGIN")
        await conn.executemany(
            "INSERT INTO pending_set (id, session_id, lang, instrument_status, "
            "instrument_version, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, score, answered_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        await conn.execute("COMMIT")
    # As the bot's upkeep would have done over the two years: every block due is released.
    await BlockRepository(Store(conn)).release(
        NOW, zone=ZONE, grace=timedelta(minutes=15), min_size=MIN_GROUP_SIZE
    )
    await conn.execute("PRAGMA synchronous = FULL")


async def median(run: Callable[[], Awaitable[T]], runs: int = RUNS) -> tuple[float, T]:
    """The median wall time of some runs, and the last run's result."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = await run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


async def time_report(
    repo: SessionRepository, blocks: BlockRepository, request: ReportRequest
) -> list[float | int]:
    """Seconds per step of one report as `bot.usecases.reports.make_report` makes it, and sizes."""
    sessions_s, sessions = await median(lambda: repo.report_sessions(ZONE))
    by_id = {s.id: s for s in sessions}
    ids = [s.id for s in sessions if request.covers_session(s)]
    blocks_s, released = await median(lambda: blocks.released_blocks(ids))
    held_s, held = await median(lambda: blocks.held_back(ids))

    async def build_once() -> Report:
        return build_report(
            request,
            sessions,
            released,
            held_sets(held, by_id),
            as_of=NOW.date(),
            min_group_size=MIN_GROUP_SIZE,
        )

    build_s, built = await median(build_once)

    async def render() -> bytes:
        return aggregate_csv(built)

    csv_s, _ = await median(render)
    rows = sum(len(table.rows) for table in built.tables)
    total = sessions_s + blocks_s + held_s + build_s + csv_s
    return [sessions_s, blocks_s, held_s, build_s, csv_s, total, len(released), rows]


async def time_export(
    repo: SessionRepository, blocks: BlockRepository, request: ReportRequest
) -> list[float | int]:
    """Seconds per step of the server's row-level export, and how many rows came out (one run
    for a large scope: it takes seconds)."""
    sessions = await repo.report_sessions(ZONE)
    ids = [s.id for s in sessions if request.covers_session(s)]
    runs = RUNS if 10 * len(ids) < len(sessions) else 1

    async def read() -> tuple[list[ReleasedRow], list[ReleasedBlock]]:
        return await blocks.released_rows(MIN_ROW_BLOCK, ids), await blocks.released_blocks(ids)

    read_s, (found, released) = await median(read, runs)

    async def make() -> list[ExportRow]:
        return export_rows(found, released, sessions, min_row_block=MIN_ROW_BLOCK)

    rule_s, rows = await median(make, runs)

    async def render() -> bytes:
        return rows_csv(rows)

    csv_s, content = await median(render, runs)
    total = read_s + rule_s + csv_s
    return [read_s, rule_s, csv_s, total, len(rows), round(len(content) / 2**20)]


async def plans(conn: aiosqlite.Connection, ids: list[int]) -> None:
    """SQLite's plans for the report's and the export's reads."""
    queries = {
        "released_blocks (some sessions)": (
            "SELECT id, tally, statements FROM release_block WHERE NOT withheld "
            "AND session_id IN (SELECT value FROM json_each(?))",
            [str(ids)],
        ),
        "released_blocks (all)": (
            "SELECT id, tally, statements FROM release_block WHERE NOT withheld",
            [],
        ),
        "report_sessions": (
            "SELECT s.id, (SELECT coalesce(sum(n), 0) FROM release_block b "
            "WHERE b.session_id = s.id) + (SELECT count(*) FROM pending_set p "
            "WHERE p.session_id = s.id) FROM session s",
            [],
        ),
        "released_rows": (
            "SELECT a.score FROM answer_set a JOIN release_block b ON b.id = a.block_id "
            "WHERE NOT b.withheld AND b.n >= 20 "
            "AND b.session_id IN (SELECT value FROM json_each(?))",
            [str(ids)],
        ),
    }
    for name, (sql, params) in queries.items():
        async with conn.execute(f"EXPLAIN QUERY PLAN {sql}", params) as cursor:
            steps = [row[3] for row in await cursor.fetchall()]
        print(f"  {name}: " + "; ".join(steps))


async def main(sets: int, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = keep or Path(scratch)
        path = folder / "bench.sqlite3"
        path.unlink(missing_ok=True)
        conn = await connect(path)
        try:
            start = time.perf_counter()
            await build(conn, sets, np.random.default_rng(2024))
            built_s = time.perf_counter() - start
            size = path.stat().st_size / 2**20
            print(f"{sets:,} sets, {SESSIONS:,} sessions, {ACTIVITIES} activities")
            print(f"(database built in {built_s:.1f} s, {size:.0f} MiB)\n")
            store = Store(conn)
            repo, blocks = SessionRepository(store), BlockRepository(store)
            sessions = await repo.report_sessions(ZONE)
            busiest = busiest_activity(sessions)
            head = ("sessions", "blocks", "held", "build", "csv", "total", "n blocks", "rows")
            print(f"{'report (seconds, median of 3)':<40}" + "".join(f"{h:>10}" for h in head))
            for request in report_requests(busiest):
                figures = await time_report(repo, blocks, request)
                print(f"{report_name(request):<40}" + _cells(figures))

            print()
            columns = ("read", "rows", "csv", "total", "rows out", "MiB")
            print(f"{'row-level export (seconds)':<40}" + "".join(f"{h:>10}" for h in columns))
            for request in (ReportRequest(activity_id=busiest), ReportRequest()):
                figures = await time_export(repo, blocks, request)
                print(f"{report_name(request).replace(' by activity', ''):<40}" + _cells(figures))

            print("\nquery plans:")
            await plans(conn, [s.id for s in sessions if s.activity_id == busiest])
        finally:
            await conn.close()


def _cells(figures: list[float | int]) -> str:
    return "".join(
        f"{value:>10.3f}" if isinstance(value, float) else f"{value:>10,}" for value in figures
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=int, default=SETS, help="answer sets to store")
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    args = parser.parse_args()
    asyncio.run(main(args.sets, args.keep))
