"""Reading complete sets one by one for the anonymous row-level export.

Only what a row may show is selected: never a set's random id, which would let rows of two
exports be matched, and the day only so that the pure rules (`bot.suppression.exportable_rows`)
can decide what to drop and coarsen it to a week. Sessions' names come from
`Repository.report_sessions`, once per session rather than once per set.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date

from bot.instrument import Status
from bot.report_model import InstrumentText
from bot.row_export import StoredSet
from bot.storage.store import Store

_COLUMNS = (
    "b.session_id, b.released_on, b.lang, b.instrument_status, b.instrument_version, "
    "a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, score"
)


class ExportRepository:
    """Per-set rows of given sessions, for the export and nothing else."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def stored_sets(self, session_ids: Collection[int] | None = None) -> list[StoredSet]:
        """Every set of the shown release blocks of the given sessions (all sessions if None),
        on its block's release day, in no set order."""
        sql = (
            f"SELECT {_COLUMNS} FROM answer_set a JOIN release_block b ON b.id = a.block_id "
            "WHERE NOT b.withheld"
        )
        params: tuple[str, ...] = ()
        if session_ids is not None:
            # One JSON parameter, not one per session: no limit on how many.
            sql += " AND b.session_id IN (SELECT value FROM json_each(?))"
            params = (json.dumps(sorted(set(session_ids))),)
        async with self.store.conn.execute(sql, params) as cursor:
            rows = await cursor.fetchall()  # in one call: row by row, each crosses a thread
        texts: dict[tuple[str, str, str], InstrumentText] = {}
        days: dict[str, date] = {}
        sets = []
        for row in rows:
            key = (row[2], row[3], row[4])
            if (text := texts.get(key)) is None:
                text = texts[key] = InstrumentText(row[2], Status(row[3]), row[4])
            if (day := days.get(row[1])) is None:
                day = days[row[1]] = date.fromisoformat(row[1])
            sets.append(StoredSet(row[0], day, text, tuple(row[5:15]), row[15]))
        return sets
