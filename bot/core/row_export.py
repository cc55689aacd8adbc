"""What the row-level export holds: one row per released set, with nothing finer than its block.

Rows come only from released blocks of at least CHECKIN_MIN_ROW_BLOCK sets (in a group of five,
two known answers single a person out), only on the server's command line, never narrowed by
dates, in random order. A row tells the session, the instrument text and the month of its
block's release: what every set of the block shares. An export can hold a million rows, so
`ExportRow` is a named tuple: made and written in C, at a third of the memory of a dataclass.
Its fields are the CSV's columns, in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from bot.core.instrument import Status
from bot.core.release import ReleasedRow
from bot.core.report_model import ReleasedBlock, SessionInfo
from bot.core.reports import SmallBlock
from bot.core.sessions import SessionKind


class ExportRow(NamedTuple):
    """One exported set: what it shares with every set of its block, and its answers."""

    activity: str  # "" when the session belongs to no activity
    session_id: int
    session_label: str
    session_kind: SessionKind
    month: str  # YYYY-MM of the release of the set's block: nothing finer than the block
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


def export_rows(
    rows: Iterable[ReleasedRow],
    blocks: Iterable[ReleasedBlock],
    sessions: Iterable[SessionInfo],
    *,
    min_row_block: int,
) -> list[ExportRow]:
    """The exported rows, in the order given (random): each set with its session, text and
    the month its block was released. Refuses a set of a block smaller than `min_row_block`."""
    by_id = {s.id: s for s in sessions}
    released = {b.id: b for b in blocks}
    shared: dict[int, tuple[object, ...]] = {}  # per block: the columns its sets share
    for block in released.values():
        session, text, day = by_id[block.session_id], block.text, block.released_on
        shared[block.id] = (
            (
                session.activity_name,
                session.id,
                session.label,
                session.kind,
                f"{day.year:04d}-{day.month:02d}",
                text.language,
                text.status,
                text.version,
            )
            if block.n >= min_row_block
            else ()
        )
    exported = []
    make = ExportRow._make
    for row in rows:
        if not (where := shared[row.block_id]):
            block = released[row.block_id]
            raise SmallBlock(
                f"block {block.id} holds {block.n} sets, fewer than {min_row_block} for rows"
            )
        exported.append(make((*where, *row.points, row.score)))
    return exported
