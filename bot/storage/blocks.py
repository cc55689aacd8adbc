"""Release blocks in the database: sets wait in `pending_set`, then move, in random order and
for good, into `answer_set` under a row of `release_block` that holds the block's figures.

Which sets go together and when is decided by the pure rules in `bot.core.release`. A waiting set
sits in the file where it was written, in the order people sent; once released, the sets of a
block are written in random order and the waiting copies are deleted (secure_delete zeroes
them) and the WAL is emptied, so the order they were sent in is nowhere in the data folder.
"""

from __future__ import annotations

import json
import random
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import aiosqlite

from bot.core.instrument import Status
from bot.core.release import Cut, HeldBack, ReleasedRow, Waiting, block_figures, cuts
from bot.core.report_model import OPTIONS, InstrumentText, ReleasedBlock
from bot.core.statistics import Tally
from bot.storage.store import Store

POINTS = "a1, a2, a3, a4, a5, a6, a7, a8, a9, a10"
TEXT = "lang, instrument_status, instrument_version"
EVERY_SET = (
    f"SELECT session_id, {POINTS}, score FROM pending_set UNION ALL "
    f"SELECT b.session_id, {POINTS}, a.score "
    "FROM answer_set a JOIN release_block b ON b.id = a.block_id"
)
"""Every stored complete set, waiting or released: session id, ten points, score (for checks
that read the file as an operator would)."""


def complete_sets(session: str) -> str:
    """SQL for how many complete sets a session has, released or waiting, withheld included:
    the count a facilitator sees, never a figure. `session` is the SQL of the session id."""
    return (
        f"((SELECT coalesce(sum(n), 0) FROM release_block WHERE session_id = {session}) + "
        f"(SELECT count(*) FROM pending_set WHERE session_id = {session}))"
    )


def _sessions(column: str, session_ids: Collection[int] | None) -> tuple[str, tuple[str, ...]]:
    """A WHERE condition for these sessions (None: every session) and its parameter."""
    if session_ids is None:
        return "1", ()
    return f"{column} IN (SELECT value FROM json_each(?))", (json.dumps(sorted(session_ids)),)


class _Texts:
    """Each instrument text built once, however many rows name it."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, str], InstrumentText] = {}

    def __call__(self, row: Sequence[Any]) -> InstrumentText:
        key = (row[0], row[1], row[2])
        if (text := self._known.get(key)) is None:
            text = self._known[key] = InstrumentText(key[0], Status(key[1]), key[2])
        return text


class BlockRepository:
    """Releasing blocks, and reading what was released: the only source of report figures."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._random = random.SystemRandom()

    async def release(
        self, now: datetime, *, zone: tzinfo, grace: timedelta, min_size: int
    ) -> list[int]:
        """Release every block due at `now` (see `bot.core.release`); return their sessions."""
        async with self.store.transaction() as conn:
            text = _Texts()
            waiting = [
                Waiting(row[0], text(row[1:4]), date.fromisoformat(row[4]), row[5])
                for row in await conn.execute_fetchall(
                    f"SELECT session_id, {TEXT}, answered_on, count(*) FROM pending_set "
                    "GROUP BY 1, 2, 3, 4, 5"
                )
            ]
            closed_at = {
                row[0]: None if row[1] is None else datetime.fromisoformat(row[1])
                for row in await conn.execute_fetchall(
                    "SELECT id, closed_at FROM session "
                    "WHERE id IN (SELECT DISTINCT session_id FROM pending_set)"
                )
            }
            due = cuts(waiting, closed_at, now, zone=zone, grace=grace, min_size=min_size)
            for cut in due:
                await self._release(conn, cut)
        if due:
            await self.store.checkpoint()
        return list(dict.fromkeys(cut.session_id for cut in due))

    async def _release(self, conn: aiosqlite.Connection, cut: Cut) -> None:
        """Move the cut's waiting sets into one new block, in random order."""
        where = (
            "session_id = ? AND lang = ? AND instrument_status = ? AND instrument_version = ? "
            "AND answered_on IN (SELECT value FROM json_each(?))"
        )
        params = (
            cut.session_id,
            cut.text.language,
            cut.text.status.value,
            cut.text.version,
            json.dumps([day.isoformat() for day in cut.days]),
        )
        sets = list(
            await conn.execute_fetchall(
                f"SELECT id, {POINTS}, score FROM pending_set WHERE {where}", params
            )
        )
        if len(sets) != cut.size:
            raise RuntimeError("the sets waiting changed while a block was being released")
        self._random.shuffle(sets)
        tally, statements = block_figures((tuple(row[1:11]), row[11]) for row in sets)
        cursor = await conn.execute(
            f"INSERT INTO release_block (session_id, {TEXT}, released_on, n, withheld, tally, "
            "statements) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                *params[:4],
                cut.released_on.isoformat(),
                cut.size,
                int(cut.withheld),
                " ".join(map(str, tally.counts)),
                " ".join(str(count) for counts in statements for count in counts),
            ),
        )
        await conn.executemany(
            f"INSERT INTO answer_set (id, block_id, {POINTS}, score) "
            f"VALUES ({', '.join('?' * 13)})",
            [(row[0], cursor.lastrowid, *row[1:]) for row in sets],
        )
        await conn.execute(f"DELETE FROM pending_set WHERE {where}", params)

    async def released_blocks(
        self, session_ids: Collection[int] | None = None
    ) -> list[ReleasedBlock]:
        """The shown blocks (not withheld) of these sessions (None: every session), in the
        order they were released."""
        where, params = _sessions("session_id", session_ids)
        rows = await self.store.all(
            f"SELECT id, session_id, {TEXT}, released_on, tally, statements FROM release_block "
            f"WHERE NOT withheld AND {where} ORDER BY id",
            params,
        )
        text = _Texts()
        days: dict[str, date] = {}
        blocks = []
        for row in rows:
            if (day := days.get(row[5])) is None:
                day = days[row[5]] = date.fromisoformat(row[5])
            options = map(int, row[7].split())
            blocks.append(
                ReleasedBlock(
                    id=row[0],
                    session_id=row[1],
                    text=text(row[2:5]),
                    released_on=day,
                    tally=Tally(tuple(map(int, row[6].split()))),
                    # Five options at a time, statement by statement.
                    statements=tuple(zip(*[options] * OPTIONS, strict=True)),
                )
            )
        return blocks

    async def held_back(self, session_ids: Collection[int] | None = None) -> dict[int, HeldBack]:
        """Per session with any, its sets in no figure: waiting for release, or withheld for
        good in a block smaller than the minimum."""
        where, params = _sessions("session_id", session_ids)
        rows = await self.store.all(
            "SELECT session_id, sum(waiting), sum(withheld) FROM ("
            "SELECT session_id, count(*) AS waiting, 0 AS withheld FROM pending_set "
            "GROUP BY session_id UNION ALL "
            "SELECT session_id, 0, sum(n) FROM release_block WHERE withheld GROUP BY session_id"
            f") WHERE {where} GROUP BY session_id",
            params,
        )
        return {row[0]: HeldBack(waiting=row[1], withheld=row[2]) for row in rows}

    async def released_rows(
        self, min_block_size: int, session_ids: Collection[int] | None = None
    ) -> list[ReleasedRow]:
        """Every set of the shown blocks of at least `min_block_size` sets (of these sessions;
        None: all), in random order: for the row export on the server only."""
        where, params = _sessions("b.session_id", session_ids)
        rows = await self.store.all(
            "SELECT a.block_id, b.session_id, b.lang, b.instrument_status, "
            f"b.instrument_version, {POINTS}, a.score "
            "FROM answer_set a JOIN release_block b ON b.id = a.block_id "
            f"WHERE NOT b.withheld AND b.n >= ? AND {where}",
            (min_block_size, *params),
        )
        text = _Texts()
        found = [
            ReleasedRow(row[0], row[1], text(row[2:5]), tuple(row[5:15]), row[15]) for row in rows
        ]
        self._random.shuffle(found)
        return found
