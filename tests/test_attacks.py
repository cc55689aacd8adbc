"""The differencing attacks on reports, each tried through the real stack: the repository and
release in a real SQLite database, the bot's upkeep, `make_report`, the command line. The first
is also tried with the chat's /report buttons, in `tests/e2e/test_reports_chat.py`."""

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.report_model import Breakdown, ReportRequest
from bot.core.reports import Held, HoldReason, NotShown, Report
from bot.core.statistics import Summary
from bot.ui.report_files import ROW_COLUMNS
from tests.test_cli_report import run
from tests.worlds import Bot, bot_at

K = 5
GRACE = timedelta(minutes=15)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    start = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)  # a Monday, 10:00 in Helsinki
    async with bot_at(tmp_path / "db.sqlite3", start, k=K, row_block=20) as running:
        yield running


def rows(report: Report, table: int = 0) -> dict[str, object]:
    return {row.cell.label or row.cell.key: row.figures for row in report.tables[table].rows}


def total(report: Report, table: int = 0) -> Summary:
    figures = report.tables[table].total.figures
    assert isinstance(figures, Summary)
    return figures


async def test_attack_1_a_month_minus_its_sessions_is_nobody(bot: Bot) -> None:
    alone = await bot.session("Alone", "Workroom")
    big = await bot.session("Big", "Workroom")
    other = await bot.session("Other", "Workroom")
    await bot.answer(alone, [1])
    await bot.answer(big, [4, 4, 3, 5, 2, 4])
    await bot.answer(other, [3, 3, 3, 3, 3])
    for session in (alone, big, other):
        await bot.close(session)
    await bot.at(bot.clock() + GRACE + timedelta(minutes=1))

    by_session = await bot.report(ReportRequest(Breakdown.SESSION))
    by_month = await bot.report(ReportRequest(Breakdown.MONTH))
    by_activity = await bot.report(ReportRequest(Breakdown.ACTIVITY))
    assert rows(by_session)["Alone"] == NotShown((HoldReason.TOO_FEW,))
    shown = [f for f in rows(by_session).values() if isinstance(f, Summary)]
    assert sum(f.n for f in shown) == 11
    for other_grouping in (by_month, by_activity):
        (month,) = rows(other_grouping).values()
        assert isinstance(month, Summary)
        assert month.n == total(by_session).n == 11  # the month minus the sessions: no one
        assert month.mean == total(by_session).mean
    assert by_session.held == (Held(HoldReason.TOO_FEW, 1, 1),)


async def test_attack_1_a_session_past_midnight_is_one_block_in_one_month(bot: Bot) -> None:
    await bot.at(datetime(2026, 1, 31, 20, 0, tzinfo=UTC))  # 22:00 in Helsinki
    evening = await bot.session("Evening")
    await bot.answer(evening, [3, 3, 4, 4, 5])
    await bot.at(datetime(2026, 1, 31, 21, 50, tzinfo=UTC))
    await bot.close(evening)
    await bot.at(datetime(2026, 1, 31, 22, 2, tzinfo=UTC))  # past midnight, within the grace
    await bot.answer(evening, [1])
    await bot.at(datetime(2026, 1, 31, 22, 10, tzinfo=UTC))
    by_month = await bot.report(ReportRequest(Breakdown.MONTH))
    assert list(rows(by_month)) == ["2026-02"]
    assert total(by_month).n == 6  # the late set is inside the block, never apart


async def test_attack_2_pooled_minus_a_language_is_nobody(bot: Bot) -> None:
    session = await bot.session("Mixed")
    await bot.answer(session, [4, 4, 3, 5, 2])
    await bot.answer(session, [1], lang="sv")
    await bot.close(session)
    await bot.at(bot.clock() + GRACE)
    apart = await bot.report(ReportRequest(Breakdown.LANGUAGE))
    pooled = await bot.report(ReportRequest(Breakdown.LANGUAGE, pool_provisional=True))
    assert [t.language for t in apart.tables[0].texts] == ["fi"]
    assert len(apart.tables) == 1  # the one Swedish set makes no table
    assert total(pooled).n == total(apart).n == 5
    assert total(pooled).mean == total(apart).mean
    assert pooled.held == (Held(HoldReason.TOO_FEW, 1, 1),)


async def test_attack_3_a_date_range_selects_whole_blocks(bot: Bot) -> None:
    await bot.at(datetime(2026, 1, 13, 18, 0, tzinfo=UTC))
    session = await bot.session("Tuesday")
    await bot.answer(session, [3, 4, 4, 5, 2])
    await bot.at(datetime(2026, 1, 13, 21, 55, tzinfo=UTC))
    await bot.close(session)
    await bot.at(datetime(2026, 1, 13, 22, 5, tzinfo=UTC))  # Wednesday in Helsinki: late
    await bot.answer(session, [1])
    await bot.at(datetime(2026, 1, 13, 22, 20, tzinfo=UTC))
    tuesday, wednesday = date(2026, 1, 13), date(2026, 1, 14)
    up_to_tuesday = await bot.report(ReportRequest(last_day=tuesday))
    everything = await bot.report(ReportRequest())
    only_wednesday = await bot.report(ReportRequest(first_day=wednesday, last_day=wednesday))
    assert up_to_tuesday.is_empty  # the block was released on Wednesday, as a whole
    assert total(everything).n == total(only_wednesday).n == 6


@pytest.mark.parametrize("dates", [["--from", "2026-01-14"], ["--to", "2026-01-14"]])
def test_attack_3_rows_are_never_narrowed_by_dates(tmp_path: Path, dates: list[str]) -> None:
    result = run(tmp_path / "db.sqlite3", "--format", "rows", *dates)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.count("\n") == 1
    assert "never narrowed by dates" in err
    assert "week" not in ROW_COLUMNS
    assert "day" not in ROW_COLUMNS
    assert "month" in ROW_COLUMNS


async def test_attack_4_a_late_set_never_changes_a_figure_once_shown(bot: Bot) -> None:
    session = await bot.session("Group")
    await bot.answer(session, [3, 4, 4, 5, 2])
    await bot.close(session)
    await bot.at(bot.clock() + timedelta(minutes=1))
    right_after_close = await bot.report(ReportRequest(Breakdown.SESSION))
    await bot.answer(session, [1])  # within the grace period
    await bot.at(bot.clock() + timedelta(minutes=5))
    after_the_late_one = await bot.report(ReportRequest(Breakdown.SESSION))
    for report in (right_after_close, after_the_late_one):
        assert report.is_empty
        assert rows(report)["Group"] == NotShown((HoldReason.CLOSING,))
    await bot.at(bot.clock() + GRACE)
    released = await bot.report(ReportRequest(Breakdown.SESSION))
    assert total(released).n == 6  # shown once, with the late set inside


async def test_attack_4_a_standing_links_lonely_answer_stays_hidden_at_close(bot: Bot) -> None:
    link = await bot.session("Standing link")
    await bot.answer(link, [3, 4, 4, 5, 2])  # Monday
    await bot.at(datetime(2026, 1, 13, 8, 0, tzinfo=UTC))  # Tuesday
    await bot.answer(link, [1])
    await bot.at(datetime(2026, 1, 14, 8, 0, tzinfo=UTC))  # Wednesday
    before = await bot.report(ReportRequest(Breakdown.SESSION))
    assert total(before).n == 5
    assert before.held == (Held(HoldReason.OPEN, 1, 1),)
    await bot.close(link)
    await bot.at(bot.clock() + GRACE + timedelta(minutes=1))
    after = await bot.report(ReportRequest(Breakdown.SESSION))
    assert after.tables == before.tables  # closing released nothing: one set is too few
    assert after.held == (Held(HoldReason.TOO_FEW, 1, 1),)
