"""Reports checked figure by figure against a plain computation over the released blocks."""

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.instrument import Status
from bot.core.report_model import (
    Breakdown,
    InstrumentText,
    Period,
    ReportRequest,
    ReportRequestError,
    SessionInfo,
    period_days,
)
from bot.core.reports import (
    NO_ANSWERS,
    REFERENCES,
    Figures,
    Held,
    HeldSets,
    HoldReason,
    NotShown,
    Report,
    SmallBlock,
    build_report,
)
from bot.core.sessions import SessionKind
from bot.core.statistics import Difference, Summary, t_quantile
from tests.report_data import FI, SV, TODAY, block, points_for

BASE = date(2024, 1, 1)
DAY2 = date(2024, 3, 6)
EN = InstrumentText("en", Status.PROVISIONAL, "draft 1")
TEXTS = (FI, SV, EN)


@dataclass(frozen=True)
class Released:
    """A released block, as the plain computation sees it."""

    id: int
    session: SessionInfo
    day: date
    text: InstrumentText
    scores: tuple[float, ...]


def build(
    request: ReportRequest,
    sessions: list[SessionInfo],
    blocks: list[Released],
    k: int,
    held: list[HeldSets] | None = None,
) -> Report:
    made = [block(b.id, b.session.id, b.day, b.scores, b.text) for b in blocks]
    return build_report(request, sessions, made, held or [], as_of=TODAY, min_group_size=k)


# The plain computation.


def in_scope(request: ReportRequest, session: SessionInfo) -> bool:
    if request.session_id is not None:
        return session.id == request.session_id
    return request.activity_id is None or session.activity_id == request.activity_id


def in_range(request: ReportRequest, day: date) -> bool:
    return (request.first_day or date.min) <= day <= (request.last_day or date.max)


def row_of(breakdown: Breakdown, session: SessionInfo, released: Released | None) -> str:
    if breakdown is Breakdown.ACTIVITY:
        return "none" if session.activity_id is None else str(session.activity_id)
    if breakdown is Breakdown.SESSION:
        return str(session.id)
    if breakdown is Breakdown.KIND:
        return session.kind.value
    assert released is not None
    if breakdown is Breakdown.MONTH:
        return released.day.strftime("%Y-%m")  # of the release, not of the answers
    return released.text.language


def check_figures(figures: Figures, scores: list[float], k: int) -> None:
    if not scores:
        assert isinstance(figures, NotShown | type(NO_ANSWERS))
        return
    assert len(scores) >= k  # never a figure over 1 to k-1 sets
    assert isinstance(figures, Summary)
    assert figures.n == len(scores)
    assert figures.mean == pytest.approx(statistics.fmean(scores), abs=1e-9)
    assert figures.share_under_50 == sum(s < 50 for s in scores) / len(scores)
    histogram = Counter(scores)
    assert figures.distribution == tuple(histogram[i * 2.5] for i in range(41))
    if len(scores) == 1:
        assert figures.sd is None
        return
    sd = statistics.stdev(scores)
    half = t_quantile(len(scores) - 1) * sd / math.sqrt(len(scores))
    assert figures.sd == pytest.approx(sd, abs=1e-9)
    assert figures.ci95 is not None
    assert figures.ci95.low == pytest.approx(max(0.0, statistics.fmean(scores) - half), abs=1e-9)


def check_report(
    report: Report, sessions: list[SessionInfo], blocks: list[Released], k: int
) -> None:
    request = report.request
    chosen = [b for b in blocks if in_scope(request, b.session) and in_range(request, b.day)]
    assert report.is_empty == (not chosen)
    texts = sorted({b.text for b in chosen}, key=lambda t: (t.status != Status.OFFICIAL, t))
    if request.pool_provisional or not texts:
        expected_texts = [tuple(texts)]
    else:
        expected_texts = [(t,) for t in texts]
    assert [table.texts for table in report.tables] == expected_texts

    contributing = {b.session for b in chosen}
    counted = {
        s
        for s in sessions
        if in_scope(request, s) and (s in contributing or in_range(request, s.created_on))
    }
    row_sessions: dict[str, set[SessionInfo]] = {}
    for b in chosen:
        row_sessions.setdefault(row_of(request.breakdown, b.session, b), set()).add(b.session)
    if request.breakdown in (Breakdown.ACTIVITY, Breakdown.SESSION, Breakdown.KIND):
        for s in counted:
            row_sessions.setdefault(row_of(request.breakdown, s, None), set()).add(s)

    for table in report.tables:
        in_table = [b for b in chosen if b.text in table.texts]
        assert {row.cell.key for row in table.rows} == set(row_sessions)
        for row in table.rows:
            scores = [
                s
                for b in in_table
                if row_of(request.breakdown, b.session, b) == row.cell.key
                for s in b.scores
            ]
            check_figures(row.figures, scores, k)
            if request.breakdown is Breakdown.LANGUAGE:
                assert (row.cell.sessions, row.cell.unfinished) == (None, None)
            else:
                assert row.cell.sessions == len(row_sessions[row.cell.key])
        check_figures(table.total.figures, [s for b in in_table for s in b.scores], k)
        assert table.total.cell.sessions == len(counted)
        assert table.total.cell.unfinished == sum(s.unfinished for s in counted)
        if request.activity_id is None:
            assert table.start_end is None
            continue
        assert table.start_end is not None
        start = [s for b in in_table if b.session.kind is SessionKind.START for s in b.scores]
        end = [s for b in in_table if b.session.kind is SessionKind.END for s in b.scores]
        check_figures(table.start_end.start, start, k)
        check_figures(table.start_end.end, end, k)
        if start and end:
            assert isinstance(table.start_end.difference, Difference)
            expected = statistics.fmean(end) - statistics.fmean(start)
            assert table.start_end.difference.difference == pytest.approx(expected, abs=1e-9)
        else:
            assert not isinstance(table.start_end.difference, Difference)


@st.composite
def datasets(draw: st.DrawFn) -> tuple[list[SessionInfo], list[Released], int]:
    k = draw(st.integers(1, 4))
    sessions = []
    for i in range(draw(st.integers(0, 6))):
        activity = draw(st.sampled_from([None, 1, 2]))
        sessions.append(
            SessionInfo(
                id=i + 1,
                label=f"session {i + 1}",
                activity_id=activity,
                activity_name="" if activity is None else f"activity {activity}",
                kind=draw(st.sampled_from(list(SessionKind))),
                closed=draw(st.booleans()),
                created_on=BASE + timedelta(days=draw(st.integers(0, 140))),
                unfinished=draw(st.integers(0, 3)),
            )
        )
    blocks: list[Released] = []
    for session in sessions:
        for _ in range(draw(st.integers(0, 3))):
            day = session.created_on + timedelta(days=draw(st.integers(0, 40)))
            size = draw(st.integers(k, k + 4))
            scores = tuple(draw(st.integers(0, 40)) * 2.5 for _ in range(size))
            text = draw(st.sampled_from(TEXTS))
            blocks.append(Released(len(blocks) + 1, session, day, text, scores))
    return sessions, blocks, k


@st.composite
def requests(draw: st.DrawFn) -> ReportRequest:
    scope = draw(st.sampled_from(["everything", "activity", "session"]))
    days = sorted(draw(st.lists(st.integers(0, 180), min_size=2, max_size=2)))
    ranged = draw(st.booleans())
    return ReportRequest(
        breakdown=draw(st.sampled_from(list(Breakdown))),
        activity_id=draw(st.sampled_from([1, 2])) if scope == "activity" else None,
        session_id=draw(st.integers(1, 7)) if scope == "session" else None,
        first_day=BASE + timedelta(days=days[0]) if ranged else None,
        last_day=BASE + timedelta(days=days[1]) if ranged else None,
        pool_provisional=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(datasets(), requests())
def test_every_figure_is_the_union_of_whole_blocks(
    data: tuple[list[SessionInfo], list[Released], int], request: ReportRequest
) -> None:
    sessions, blocks, k = data
    check_report(build(request, sessions, blocks, k), sessions, blocks, k)


def one_session(closed: bool = True, kind: SessionKind = SessionKind.SINGLE) -> SessionInfo:
    return SessionInfo(1, "Tuesday group", 7, "Workroom", kind, closed, date(2024, 3, 5), 2)


def released(session: SessionInfo, scores: list[float], day: date | None = None) -> Released:
    return Released(1, session, day or session.created_on, FI, tuple(scores))


def total_of(report: Report) -> Figures:
    (table,) = report.tables
    return table.total.figures


@pytest.mark.parametrize(
    ("scores", "k", "n", "mean", "under_50"),
    [
        ([62.5], 1, 1, 62.5, 0.0),  # one set
        ([70.0] * 6, 5, 6, 70.0, 0.0),  # all equal
        ([50.0] * 5, 5, 5, 50.0, 0.0),  # exactly the minimum; 50 is not under 50
        ([47.5, 50.0, 50.0, 52.5, 100.0], 5, 5, 60.0, 0.2),  # 47.5 is
    ],
)
def test_edge_cases(scores: list[float], k: int, n: int, mean: float, under_50: float) -> None:
    session = one_session()
    figures = total_of(build(ReportRequest(), [session], [released(session, scores)], k))
    assert isinstance(figures, Summary)
    assert (figures.n, figures.mean, figures.share_under_50) == (n, mean, under_50)
    if len(set(scores)) == 1 and n > 1:
        assert figures.ci95 is not None
        assert figures.ci95.low == figures.ci95.high == mean


def test_a_block_smaller_than_the_minimum_is_refused() -> None:
    session = one_session()
    with pytest.raises(SmallBlock, match="4 sets, fewer than the minimum 5"):
        build(ReportRequest(), [session], [released(session, [50.0] * 4)], 5)
    # Outside the requested range it would reach no figure, but it is refused all the same.
    before = ReportRequest(last_day=date(2024, 3, 1))
    with pytest.raises(SmallBlock):
        build(before, [session], [released(session, [50.0] * 4, date(2024, 5, 2))], 5)


def test_a_block_belongs_to_the_month_and_day_range_of_its_release() -> None:
    session = one_session()
    march = released(session, [50.0] * 5, date(2024, 3, 31))
    april = Released(2, session, date(2024, 4, 1), FI, (70.0,) * 5)
    report = build(ReportRequest(Breakdown.MONTH), [session], [march, april], 5)
    assert [(row.cell.key, row.cell.sessions) for row in report.tables[0].rows] == [
        ("2024-03", 1),
        ("2024-04", 1),
    ]
    in_april = ReportRequest(first_day=date(2024, 4, 1), last_day=date(2024, 4, 30))
    figures = total_of(build(in_april, [session], [march, april], 5))
    assert isinstance(figures, Summary)
    assert (figures.n, figures.mean) == (5, 70.0)


def test_a_row_with_everything_held_back_says_why() -> None:
    open_one = SessionInfo(1, "Workroom", 7, "Workroom", SessionKind.SINGLE, False, BASE)
    small = SessionInfo(2, "Small group", 7, "Workroom", SessionKind.SINGLE, True, BASE)
    closing = SessionInfo(3, "Just closed", 7, "Workroom", SessionKind.SINGLE, True, BASE)
    shown = SessionInfo(4, "Big group", 7, "Workroom", SessionKind.SINGLE, True, BASE)
    held = [
        HeldSets(1, HoldReason.OPEN, 3),
        HeldSets(2, HoldReason.TOO_FEW, 2),
        HeldSets(3, HoldReason.CLOSING, 6),
        HeldSets(4, HoldReason.TOO_FEW, 1),  # one Swedish answer beside a released block
    ]
    sessions = [open_one, small, closing, shown]
    report = build(
        ReportRequest(Breakdown.SESSION), sessions, [released(shown, [60.0] * 7)], 5, held
    )
    figures = {row.cell.label: row.figures for row in report.tables[0].rows}
    assert figures["Workroom"] == NotShown((HoldReason.OPEN,))
    assert figures["Small group"] == NotShown((HoldReason.TOO_FEW,))
    assert figures["Just closed"] == NotShown((HoldReason.CLOSING,))
    assert isinstance(figures["Big group"], Summary)
    assert report.held == (
        Held(HoldReason.OPEN, 1, 3),
        Held(HoldReason.CLOSING, 1, 6),
        Held(HoldReason.TOO_FEW, 2, 3),
    )
    by_activity = build(ReportRequest(), sessions, [], 5, held)
    assert by_activity.is_empty
    assert total_of(by_activity) == NotShown(tuple(HoldReason))
    assert build(ReportRequest(session_id=4), sessions, [], 5, held).held == (
        Held(HoldReason.TOO_FEW, 1, 1),
    )


def test_a_date_range_the_wrong_way_round_is_refused() -> None:
    with pytest.raises(ReportRequestError, match="backwards"):
        ReportRequest(first_day=date(2024, 5, 1), last_day=date(2024, 4, 1))
    with pytest.raises(ReportRequestError, match="not both"):
        ReportRequest(activity_id=1, session_id=1)


def test_an_empty_scope_says_so() -> None:
    session = one_session()
    report = build(ReportRequest(activity_id=99), [session], [released(session, [50.0] * 9)], 5)
    assert report.is_empty
    assert report.held == ()
    (table,) = report.tables
    assert table.texts == ()
    assert table.rows == ()
    assert table.total.figures == NO_ANSWERS
    assert table.total.cell.sessions == 0


def test_sessions_without_answers_are_counted_but_not_empty() -> None:
    session = one_session()
    report = build(ReportRequest(Breakdown.SESSION), [session], [], 5)
    assert report.is_empty
    (row,) = report.tables[0].rows
    assert (row.cell.label, row.cell.sessions, row.cell.unfinished) == ("Tuesday group", 1, 2)
    assert row.figures == NO_ANSWERS


def test_provisional_translations_get_tables_of_their_own_unless_pooled() -> None:
    session = one_session()
    blocks = [
        released(session, [50.0] * 6),
        Released(2, session, session.created_on, SV, (80.0,) * 6),
    ]
    apart = build(ReportRequest(Breakdown.LANGUAGE), [session], blocks, 5)
    assert [table.texts for table in apart.tables] == [(FI,), (SV,)]
    assert [(t.pooled, t.provisional) for t in apart.tables] == [(False, False), (False, True)]
    pooled = build(ReportRequest(Breakdown.LANGUAGE, pool_provisional=True), [session], blocks, 5)
    (table,) = pooled.tables
    assert table.texts == (FI, SV)
    assert table.pooled
    assert table.provisional
    assert isinstance(table.total.figures, Summary)
    assert table.total.figures.mean == 65.0
    assert [row.cell.key for row in table.rows] == ["fi", "sv"]


def test_statement_counts_add_up_over_blocks() -> None:
    session = one_session()
    blocks = [released(session, [0.0] * 5), Released(2, session, DAY2, FI, (100.0,) * 6)]
    (table,) = build(ReportRequest(), [session], blocks, 5).tables
    assert table.total.statements == ((5, 0, 0, 0, 6),) * 10
    assert points_for(100.0) == (5,) * 10


def test_start_versus_end_for_an_activity() -> None:
    start = SessionInfo(1, "first", 7, "Workroom", SessionKind.START, True, date(2024, 1, 8))
    end = SessionInfo(2, "last", 7, "Workroom", SessionKind.END, True, date(2024, 4, 8))
    blocks = [
        released(start, [40.0, 50.0, 60.0, 45.0, 55.0]),
        Released(2, end, end.created_on, FI, (60.0, 70.0, 80.0, 65.0, 75.0, 70.0)),
    ]
    report = build(ReportRequest(Breakdown.MONTH, activity_id=7), [start, end], blocks, 5)
    (table,) = report.tables
    assert table.start_end is not None
    assert isinstance(table.start_end.start, Summary)
    assert isinstance(table.start_end.end, Summary)
    assert (table.start_end.start.n, table.start_end.end.n) == (5, 6)
    assert (table.start_end.start.share_under_50, table.start_end.end.share_under_50) == (0.4, 0)
    assert isinstance(table.start_end.difference, Difference)
    assert table.start_end.difference.difference == 20.0
    assert [row.cell.key for row in table.rows] == ["2024-01", "2024-04"]
    held = [HeldSets(2, HoldReason.CLOSING, 6)]
    waiting = build(ReportRequest(activity_id=7), [start, end], blocks[:1], 5, held)
    assert waiting.tables[0].start_end is not None
    assert waiting.tables[0].start_end.end == NotShown((HoldReason.CLOSING,))
    assert waiting.tables[0].start_end.difference == NotShown((HoldReason.CLOSING,))


def test_rows_come_in_a_readable_order() -> None:
    sessions = [
        SessionInfo(3, "c", 2, "Book club", SessionKind.END, True, date(2024, 2, 1)),
        SessionInfo(1, "a", 1, "Walking group", SessionKind.START, True, date(2024, 1, 1)),
        SessionInfo(2, "b", None, "", SessionKind.SINGLE, True, date(2024, 3, 1)),
    ]
    blocks = [Released(s.id, s, s.created_on, FI, (50.0,)) for s in sessions]
    keys = {
        breakdown: [
            row.cell.key
            for row in build(ReportRequest(breakdown), sessions, blocks, 1).tables[0].rows
        ]
        for breakdown in (Breakdown.ACTIVITY, Breakdown.SESSION, Breakdown.KIND, Breakdown.MONTH)
    }
    assert keys[Breakdown.ACTIVITY] == ["none", "2", "1"]
    assert keys[Breakdown.SESSION] == ["1", "3", "2"]
    assert keys[Breakdown.KIND] == ["single", "start", "end"]
    assert keys[Breakdown.MONTH] == ["2024-01", "2024-02", "2024-03"]


def test_reference_figures_carry_their_sources() -> None:
    adults = next(r for r in REFERENCES if r.population.startswith("Adults"))
    assert (adults.year, adults.mean, adults.share_under_50) == (2019, 75.2, 0.10)
    assert "FinSote" in adults.population
    assert all("Osallisuuden edistäjän opas" in r.source for r in REFERENCES)
    assert {r.mean for r in REFERENCES} >= {75.2, 75.0, 71.8, 74.9}
    assert 0.245 in {r.share_under_50 for r in REFERENCES}


@pytest.mark.parametrize(
    ("period", "today", "days"),
    [
        (Period.ALL, date(2026, 11, 29), (None, None)),
        (Period.THIS_MONTH, date(2026, 11, 29), (date(2026, 11, 1), date(2026, 11, 30))),
        (Period.THIS_MONTH, date(2026, 12, 31), (date(2026, 12, 1), date(2026, 12, 31))),
        (Period.LAST_MONTH, date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31))),
        (Period.LAST_MONTH, date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 28))),
        (Period.THIS_HALF_YEAR, date(2026, 11, 29), (date(2026, 7, 1), date(2026, 12, 31))),
        (Period.THIS_HALF_YEAR, date(2026, 6, 30), (date(2026, 1, 1), date(2026, 6, 30))),
        (Period.THIS_YEAR, date(2026, 2, 1), (date(2026, 1, 1), date(2026, 12, 31))),
        # The last term that has ended: spring (January to May) or autumn (August to December).
        (Period.LAST_TERM, date(2026, 11, 29), (date(2026, 1, 1), date(2026, 5, 31))),
        (Period.LAST_TERM, date(2027, 1, 10), (date(2026, 8, 1), date(2026, 12, 31))),
        (Period.LAST_TERM, date(2026, 5, 31), (date(2025, 8, 1), date(2025, 12, 31))),
        (Period.LAST_TERM, date(2026, 6, 1), (date(2026, 1, 1), date(2026, 5, 31))),
    ],
)
def test_a_period_picked_with_a_button_is_whole_days_from_today(
    period: Period, today: date, days: tuple[date | None, date | None]
) -> None:
    assert period_days(period, today) == days
