"""Reports checked figure by figure against a plain computation over the individual sets."""

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.instrument import Status
from bot.report_model import (
    Breakdown,
    InstrumentText,
    ReportRequest,
    ReportRequestError,
    ScoredSet,
    SessionInfo,
    SessionKind,
    group_sets,
)
from bot.reports import REFERENCES, Report, build_report
from bot.statistics import Difference, Summary, t_quantile
from bot.suppression import NO_ANSWERS, WITHHELD, Figures, NoAnswers, Withheld
from tests.report_data import FI, HELSINKI, NOW, SV

TODAY = date(2024, 6, 1)
BASE = date(2024, 1, 1)
EN = InstrumentText("en", Status.PROVISIONAL, "draft 1")
TEXTS = (FI, SV, EN)


@dataclass(frozen=True)
class Answer:
    """One complete set, as the plain computation sees it."""

    session: SessionInfo
    day: date
    text: InstrumentText
    score: float


def build(
    request: ReportRequest, sessions: list[SessionInfo], answers: list[Answer], k: int
) -> Report:
    groups = group_sets(ScoredSet(a.session.id, a.day, a.text, a.score) for a in answers)
    return build_report(request, sessions, groups, now=NOW, zone=HELSINKI, min_group_size=k)


# The plain computation.


def countable(answers: list[Answer], k: int) -> list[Answer]:
    """Closed sessions: every set. Open ones: earlier days, in blocks of at least k sets."""
    kept = [a for a in answers if a.session.closed]
    for session in {a.session for a in answers if not a.session.closed}:
        days = sorted({a.day for a in answers if a.session == session and a.day < TODAY})
        block: list[Answer] = []
        for day in days:
            block += [a for a in answers if a.session == session and a.day == day]
            if len(block) >= k:
                kept += block
                block = []
    return kept


def in_scope(request: ReportRequest, session: SessionInfo) -> bool:
    if request.session_id is not None:
        return session.id == request.session_id
    return request.activity_id is None or session.activity_id == request.activity_id


def in_range(request: ReportRequest, day: date) -> bool:
    first = request.first_day or date.min
    last = request.last_day or date.max
    return first <= day <= last


def row_of(breakdown: Breakdown, session: SessionInfo, answer: Answer | None) -> str:
    if breakdown is Breakdown.ACTIVITY:
        return "none" if session.activity_id is None else str(session.activity_id)
    if breakdown is Breakdown.SESSION:
        return str(session.id)
    if breakdown is Breakdown.KIND:
        return session.kind.value
    if breakdown is Breakdown.MONTH:
        return (session.created_on if answer is None else answer.day).strftime("%Y-%m")
    assert answer is not None
    return answer.text.language


def check_figures(figures: Figures, scores: list[float], k: int) -> None:
    if not scores:
        assert figures == NO_ANSWERS
        return
    if len(scores) < k:
        assert figures == WITHHELD
        return
    if isinstance(figures, Withheld):  # withheld beside a small group: allowed for n >= k
        assert k > 1
        return
    assert isinstance(figures, Summary)
    assert figures.n == len(scores)
    assert figures.mean == pytest.approx(statistics.fmean(scores), abs=1e-9)
    assert figures.share_under_50 == sum(s < 50 for s in scores) / len(scores)
    histogram = Counter(scores)
    assert figures.distribution == tuple(histogram[i * 2.5] for i in range(41))
    if len(scores) == 1:
        assert figures.sd is None
        assert figures.ci95 is None
        return
    sd = statistics.stdev(scores)
    half = t_quantile(len(scores) - 1) * sd / math.sqrt(len(scores))
    assert figures.sd == pytest.approx(sd, abs=1e-9)
    assert figures.ci95 is not None
    assert figures.ci95.low == pytest.approx(max(0.0, statistics.fmean(scores) - half), abs=1e-9)
    assert figures.ci95.high == pytest.approx(
        min(100.0, statistics.fmean(scores) + half), abs=1e-9
    )


def check_report(
    report: Report, sessions: list[SessionInfo], answers: list[Answer], k: int
) -> None:
    request = report.request
    chosen = [
        a
        for a in countable(answers, k)
        if in_scope(request, a.session) and in_range(request, a.day)
    ]
    assert report.is_empty == (not chosen)
    texts = sorted({a.text for a in chosen}, key=lambda t: (t.status != Status.OFFICIAL, t))
    if request.pool_provisional or not texts:
        expected_texts = [tuple(texts)]
    else:
        expected_texts = [(t,) for t in texts]
    assert [table.texts for table in report.tables] == expected_texts

    contributing = {a.session for a in chosen}
    counted = {
        s
        for s in sessions
        if in_scope(request, s) and (s in contributing or in_range(request, s.created_on))
    }
    row_sessions: dict[str, set[SessionInfo]] = {}
    for a in chosen:
        row_sessions.setdefault(row_of(request.breakdown, a.session, a), set()).add(a.session)
    if request.breakdown is not Breakdown.LANGUAGE:
        for s in counted - contributing:
            row_sessions.setdefault(row_of(request.breakdown, s, None), set()).add(s)

    for table in report.tables:
        in_table = [a for a in chosen if a.text in table.texts]
        assert {row.cell.key for row in table.rows} == set(row_sessions)
        for row in table.rows:
            scores = [
                a.score
                for a in in_table
                if row_of(request.breakdown, a.session, a) == row.cell.key
            ]
            check_figures(row.figures, scores, k)
            if request.breakdown is Breakdown.LANGUAGE:
                assert (row.cell.sessions, row.cell.unfinished) == (None, None)
            else:
                assert row.cell.sessions == len(row_sessions[row.cell.key])
        check_figures(table.total.figures, [a.score for a in in_table], k)
        assert table.total.cell.sessions == len(counted)
        assert table.total.cell.unfinished == sum(s.unfinished for s in counted)
        if request.activity_id is None:
            assert table.start_end is None
            continue
        assert table.start_end is not None
        start = [a.score for a in in_table if a.session.kind is SessionKind.START]
        end = [a.score for a in in_table if a.session.kind is SessionKind.END]
        check_figures(table.start_end.start, start, k)
        check_figures(table.start_end.end, end, k)
        if isinstance(table.start_end.difference, Difference):
            expected = statistics.fmean(end) - statistics.fmean(start)
            assert table.start_end.difference.difference == pytest.approx(expected, abs=1e-9)
        else:
            both = isinstance(table.start_end.start, Summary) and isinstance(
                table.start_end.end, Summary
            )
            assert not both


@st.composite
def datasets(draw: st.DrawFn) -> tuple[list[SessionInfo], list[Answer]]:
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
    answers = []
    for session in sessions:
        for _ in range(draw(st.integers(0, 12))):
            day = min(TODAY, session.created_on + timedelta(days=draw(st.integers(0, 40))))
            text = draw(st.sampled_from(TEXTS))
            answers.append(Answer(session, day, text, draw(st.integers(0, 40)) * 2.5))
    return sessions, answers


@st.composite
def requests(draw: st.DrawFn) -> ReportRequest:
    scope = draw(st.sampled_from(["everything", "activity", "session"]))
    days = sorted(draw(st.lists(st.integers(0, 160), min_size=2, max_size=2)))
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
@given(datasets(), requests(), st.integers(1, 4))
def test_every_figure_matches_a_plain_computation(
    data: tuple[list[SessionInfo], list[Answer]], request: ReportRequest, k: int
) -> None:
    sessions, answers = data
    check_report(build(request, sessions, answers, k), sessions, answers, k)


def one_session(closed: bool = True, kind: SessionKind = SessionKind.SINGLE) -> SessionInfo:
    return SessionInfo(1, "Tuesday group", 7, "Workroom", kind, closed, date(2024, 3, 5), 2)


def answers_of(session: SessionInfo, scores: list[float], day: date | None = None) -> list[Answer]:
    return [Answer(session, day or session.created_on, FI, s) for s in scores]


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
    figures = total_of(build(ReportRequest(), [session], answers_of(session, scores), k))
    assert isinstance(figures, Summary)
    assert (figures.n, figures.mean, figures.share_under_50) == (n, mean, under_50)
    if len(set(scores)) == 1 and n > 1:
        assert figures.ci95 is not None
        assert figures.ci95.low == figures.ci95.high == mean


def test_one_set_fewer_than_the_minimum_is_withheld_entirely() -> None:
    session = one_session()
    report = build(ReportRequest(), [session], answers_of(session, [50.0] * 4), 5)
    assert total_of(report) is WITHHELD
    assert report.tables[0].rows[0].figures is WITHHELD
    assert report.tables[0].total.cell.sessions == 1  # sessions may still be counted
    assert not report.is_empty


def test_todays_sets_in_an_open_session_are_not_counted_but_a_closed_ones_are() -> None:
    today = TODAY
    yesterday = TODAY - timedelta(days=1)
    for closed, expected in ((False, 5), (True, 8)):
        session = one_session(closed=closed)
        answers = answers_of(session, [60.0] * 5, yesterday) + answers_of(
            session, [90.0] * 3, today
        )
        figures = total_of(build(ReportRequest(), [session], answers, 5))
        assert isinstance(figures, Summary)
        assert figures.n == expected


def test_a_date_range_the_wrong_way_round_is_refused() -> None:
    with pytest.raises(ReportRequestError, match="backwards"):
        ReportRequest(first_day=date(2024, 5, 1), last_day=date(2024, 4, 1))
    with pytest.raises(ReportRequestError, match="not both"):
        ReportRequest(activity_id=1, session_id=1)


def test_an_empty_scope_says_so() -> None:
    session = one_session()
    report = build(ReportRequest(activity_id=99), [session], answers_of(session, [50.0] * 9), 5)
    assert report.is_empty
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
    assert isinstance(row.figures, NoAnswers)


def test_provisional_translations_get_tables_of_their_own_unless_pooled() -> None:
    session = one_session()
    answers = answers_of(session, [50.0] * 6) + [
        Answer(session, session.created_on, SV, 80.0) for _ in range(6)
    ]
    apart = build(ReportRequest(Breakdown.LANGUAGE), [session], answers, 5)
    assert [table.texts for table in apart.tables] == [(FI,), (SV,)]
    assert [(t.pooled, t.provisional) for t in apart.tables] == [(False, False), (False, True)]
    pooled = build(ReportRequest(Breakdown.LANGUAGE, pool_provisional=True), [session], answers, 5)
    (table,) = pooled.tables
    assert table.texts == (FI, SV)
    assert table.pooled
    assert table.provisional
    assert isinstance(table.total.figures, Summary)
    assert table.total.figures.mean == 65.0
    assert [row.cell.key for row in table.rows] == ["fi", "sv"]


def test_start_versus_end_for_an_activity() -> None:
    start = SessionInfo(1, "first", 7, "Workroom", SessionKind.START, True, date(2024, 1, 8))
    end = SessionInfo(2, "last", 7, "Workroom", SessionKind.END, True, date(2024, 4, 8))
    answers = answers_of(start, [40.0, 50.0, 60.0, 45.0, 55.0]) + answers_of(
        end, [60.0, 70.0, 80.0, 65.0, 75.0, 70.0]
    )
    report = build(ReportRequest(Breakdown.MONTH, activity_id=7), [start, end], answers, 5)
    (table,) = report.tables
    assert table.start_end is not None
    assert isinstance(table.start_end.start, Summary)
    assert isinstance(table.start_end.end, Summary)
    assert (table.start_end.start.n, table.start_end.end.n) == (5, 6)
    assert (table.start_end.start.share_under_50, table.start_end.end.share_under_50) == (0.4, 0)
    assert isinstance(table.start_end.difference, Difference)
    assert table.start_end.difference.difference == 20.0
    assert [row.cell.key for row in table.rows] == ["2024-01", "2024-04"]


def test_rows_come_in_a_readable_order() -> None:
    sessions = [
        SessionInfo(3, "c", 2, "Book club", SessionKind.END, True, date(2024, 2, 1)),
        SessionInfo(1, "a", 1, "Walking group", SessionKind.START, True, date(2024, 1, 1)),
        SessionInfo(2, "b", None, "", SessionKind.SINGLE, True, date(2024, 3, 1)),
    ]
    keys = {
        breakdown: [
            row.cell.key for row in build(ReportRequest(breakdown), sessions, [], 5).tables[0].rows
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
