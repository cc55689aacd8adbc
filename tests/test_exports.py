"""The row-level export: only from big released blocks, nothing finer than the block, in
random order, never narrowed by dates, and never through the chat."""

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.release import ReleasedRow
from bot.core.report_model import ReportRequest, ReportRequestError, SessionInfo
from bot.core.reports import SmallBlock
from bot.core.row_export import ExportRow, export_rows
from bot.core.sessions import SessionKind
from bot.usecases.reports import make_row_export
from tests.report_data import FI, SV, block
from tests.worlds import Bot, bot_at

RELEASED = date(2024, 3, 31)
SESSION = SessionInfo(3, "Työpaja, Kotka", 7, "Äänipaja", SessionKind.END, True, RELEASED)


def released_row(block_id: int, points: tuple[int, ...]) -> ReleasedRow:
    return ReleasedRow(block_id, 3, SV, points, (sum(points) - 10) * 2.5)


def test_a_row_tells_what_its_block_shares_and_its_answers_only() -> None:
    blocks = [block(1, 3, RELEASED, [50.0] * 20, SV)]
    rows = [released_row(1, (1, 2, 3, 4, 5, 5, 4, 3, 2, 1)), released_row(1, (3,) * 10)]
    exported = export_rows(rows, blocks, [SESSION], min_row_block=20)
    assert exported[0] == ExportRow(
        "Äänipaja",
        3,
        "Työpaja, Kotka",
        SessionKind.END,
        "2024-03",
        "sv",
        SV.status,
        "draft 1",
        1,
        2,
        3,
        4,
        5,
        5,
        4,
        3,
        2,
        1,
        50.0,
    )
    assert [row.points for row in exported] == [r.points for r in rows]  # in the order given


def test_a_row_of_a_block_smaller_than_the_row_minimum_is_refused() -> None:
    blocks = [block(1, 3, RELEASED, [50.0] * 19, FI)]
    with pytest.raises(SmallBlock, match="19 sets, fewer than 20"):
        export_rows([released_row(1, (3,) * 10)], blocks, [SESSION], min_row_block=20)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    async with bot_at(tmp_path / "db.sqlite3", start, k=5, row_block=8) as running:
        yield running


async def test_rows_come_only_from_big_released_blocks_in_random_order(bot: Bot) -> None:
    big = await bot.session("Big", "Äänipaja")
    small = await bot.session("Small")
    workroom = await bot.session("Workroom")  # open: its sets are not released yet
    values = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]
    await bot.answer(big, values)
    await bot.answer(small, [1, 2, 3, 4, 5, 1])  # a block of 6: shown, but below 8 for rows
    await bot.answer(workroom, values)
    await bot.close(big)
    await bot.close(small)
    await bot.at(bot.clock() + timedelta(minutes=16))

    orders = set()
    for _ in range(20):
        rows = await make_row_export(bot.services, ReportRequest())
        assert Counter(row.session_label for row in rows) == {"Big": 10}
        assert sorted(row.points[0] for row in rows) == sorted(values)
        assert {row.month for row in rows} == {"2026-03"}
        assert {row.activity for row in rows} == {"Äänipaja"}
        orders.add(tuple(row.points for row in rows))
    assert len(orders) > 10  # shuffled every time: neither sorted nor as stored

    assert await make_row_export(bot.services, ReportRequest(session_id=small.id)) == []
    with pytest.raises(ReportRequestError, match="never narrowed by dates"):
        await make_row_export(bot.services, ReportRequest(first_day=date(2026, 3, 2)))
