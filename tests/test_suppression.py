"""The privacy rules, attacked: every test here tries to read a withheld figure."""

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from itertools import combinations, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.report_model import ScoreGroup, SessionInfo, SessionKind
from bot.statistics import Summary, Tally, summarize
from bot.suppression import (
    NO_ANSWERS,
    TOO_FEW_ANSWERS,
    WITHHELD,
    Atom,
    Cell,
    Figures,
    NoAnswers,
    ReleasedTable,
    Row,
    StartEnd,
    Table,
    Withheld,
    _Span,
    releasable,
    release,
)
from tests.report_data import FI, HELSINKI

START, END, SINGLE = SessionKind.START, SessionKind.END, SessionKind.SINGLE
Layout = dict[Atom, list[float]]  # (row, session kind) -> the scores of its sets


def scores(n: int, seed: int = 0) -> list[float]:
    rng = random.Random(seed * 1000 + n)
    return [rng.randint(0, 40) * 2.5 for _ in range(n)]


def sized(sizes: dict[Atom, int]) -> Layout:
    return {atom: scores(n, i) for i, (atom, n) in enumerate(sizes.items())}


def table_for(layout: Layout, compare: bool, empty_rows: Iterable[str] = ()) -> Table:
    keys = sorted({row for row, _ in layout} | set(empty_rows))
    return Table(
        texts=(FI,),
        rows=tuple(Cell(key, key, 1, 0) for key in keys),
        total=Cell("total", "", len(keys), 0),
        tallies={atom: Tally.of(values) for atom, values in layout.items()},
        compare_start_end=compare,
    )


@dataclass(frozen=True)
class Group:
    name: str
    atoms: frozenset[Atom]
    figures: Figures | None  # None: not shown on its own (the single sessions of an activity)


def groups_of(layout: Layout, released: ReleasedTable) -> list[Group]:
    """Every group a reader can see or derive, with what the table shows for it."""
    atoms = frozenset(atom for atom, values in layout.items() if values)
    groups = [Group("total", atoms, released.total.figures)]
    for row in released.rows:
        key = row.cell.key
        groups.append(Group(key, frozenset(a for a in atoms if a[0] == key), row.figures))
    if released.start_end is not None:
        shown = {START: released.start_end.start, END: released.start_end.end, SINGLE: None}
        for kind, figures in shown.items():
            groups.append(Group(kind, frozenset(a for a in atoms if a[1] == kind), figures))
    return groups


def rank(vectors: Sequence[Sequence[Fraction]]) -> int:
    """Rank by plain dense Gaussian elimination (not the module's sparse method)."""
    rows = [list(v) for v in vectors]
    rank_ = 0
    for col in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(rank_, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
        for r in range(len(rows)):
            if r != rank_ and rows[r][col] != 0:
                factor = rows[r][col] / rows[rank_][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[rank_], strict=True)]
        rank_ += 1
    return rank_


def attack(layout: Layout, released: ReleasedTable, k: int) -> list[str]:
    """What a reader can work out about groups that must stay hidden; [] if nothing."""
    sizes = {atom: len(values) for atom, values in layout.items() if values}
    order = sorted(sizes)
    groups = groups_of(layout, released)
    shown = [g for g in groups if isinstance(g.figures, Summary)]
    hidden = [
        g
        for g in groups
        if g.atoms and (isinstance(g.figures, Withheld) or sum(sizes[a] for a in g.atoms) < k)
    ]
    leaks = [f"{g.name} is shown with n < {k}" for g in shown if len(g.atoms) and _n(g) < k]

    def vector(atoms: frozenset[Atom]) -> list[Fraction]:
        return [Fraction(int(atom in atoms)) for atom in order]

    published = [vector(g.atoms) for g in shown]
    base = rank(published)
    leaks += [
        f"{g.name} is a sum or difference of shown figures"
        for g in hidden
        if rank([*published, vector(g.atoms)]) == base
    ]
    leaks += [f"{name}: n can only be {n}" for name, n in _pinned_sizes(sizes, shown, hidden)]
    return leaks


def _n(group: Group) -> int:
    assert isinstance(group.figures, Summary)
    return group.figures.n


def _pinned_sizes(
    sizes: dict[Atom, int], shown: list[Group], hidden: list[Group]
) -> list[tuple[str, int]]:
    """Hidden groups whose size is the same in every split of the sets that fits what is shown.

    The reader is taken to know which session kinds occur in which row (from the sessions),
    but not whether each had answers: atoms hold zero or more sets, a group shown as withheld
    at least one. Brute force over every split; layouts too large for that are checked with
    the one-division rule only (withheld rows holding as many sets as there are of them).
    """
    order = sorted(sizes)
    total = sum(sizes.values())
    if not shown or not hidden:
        return []
    slots = total + len(order) - 1
    if math.comb(slots, len(order) - 1) > 5000:
        rows = {a[0] for a in order}
        hidden_rows = [g for g in hidden if g.name in rows]
        unknown = total - sum(_n(g) for g in shown if g.name in rows)
        return [(g.name, 1) for g in hidden_rows if len(hidden_rows) == unknown]
    equations = [([order.index(a) for a in g.atoms], _n(g)) for g in shown]
    nonempty = [
        [order.index(a) for a in g.atoms] for g in hidden if isinstance(g.figures, Withheld)
    ]
    possible: dict[str, set[int]] = {g.name: set() for g in hidden}
    for bars in combinations(range(slots), len(order) - 1):
        edges = (-1, *bars, slots)
        counts = [b - a - 1 for a, b in pairwise(edges)]
        if all(sum(counts[i] for i in atoms) == n for atoms, n in equations) and all(
            sum(counts[i] for i in atoms) > 0 for atoms in nonempty
        ):
            for g in hidden:
                possible[g.name].add(sum(counts[order.index(a)] for a in g.atoms))
    return [(name, next(iter(values))) for name, values in possible.items() if len(values) == 1]


def naive_release(layout: Layout, k: int) -> ReleasedTable:
    """Primary suppression only: what the attack must catch."""
    table = table_for(layout, compare=False)

    def figures(values: list[float]) -> Figures:
        return summarize(Tally.of(values)) if len(values) >= k else WITHHELD

    rows = tuple(
        Row(cell, figures([s for (r, _), v in layout.items() if r == cell.key for s in v]))
        for cell in table.rows
    )
    everything = [s for v in layout.values() for s in v]
    return ReleasedTable(table.texts, rows, Row(table.total, figures(everything)), None)


LAYOUTS: dict[str, tuple[dict[Atom, int], bool, int]] = {
    "two cells, one small": ({("a", SINGLE): 3, ("b", SINGLE): 40}, False, 5),
    "three cells, one small": (
        {("a", SINGLE): 2, ("b", SINGLE): 10, ("c", SINGLE): 30},
        False,
        5,
    ),
    "many cells, several small": (
        {(f"s{i:02d}", SINGLE): n for i, n in enumerate([1, 2, 3, 4, 9, 15, 20, 1, 2, 30, 7, 4])},
        False,
        5,
    ),
    "small cells holding one set each": (
        {("a", SINGLE): 1, ("b", SINGLE): 1, ("c", SINGLE): 1, ("d", SINGLE): 30},
        False,
        3,
    ),
    "total equals one cell": ({("a", SINGLE): 12}, False, 5),
    "everything small": ({("a", SINGLE): 2, ("b", SINGLE): 2}, False, 5),
    "withheld cells one set each, total shown": (
        {("a", SINGLE): 1, ("b", SINGLE): 1, ("c", SINGLE): 1},
        False,
        3,
    ),
    "nested by month: a month that is the only start month": (
        {("2024-01", START): 3, ("2024-02", END): 10, ("2024-03", START): 20},
        True,
        5,
    ),
    "by month, every month mixes kinds": (
        {
            ("2024-01", START): 2,
            ("2024-01", END): 1,
            ("2024-02", START): 6,
            ("2024-02", END): 7,
            ("2024-03", SINGLE): 4,
        },
        True,
        5,
    ),
    "start vs end with a small single session": (
        {("s1", START): 12, ("s2", START): 9, ("s3", END): 15, ("s4", SINGLE): 2},
        True,
        5,
    ),
    "start vs end, end small": ({("s1", START): 12, ("s2", END): 3}, True, 5),
    "two divisions, every group one set": (
        {("r0", END): 1, ("r0", START): 1, ("r1", SINGLE): 1, ("r2", SINGLE): 1},
        True,
        2,
    ),
    "start vs end by kind": (
        {("start", START): 8, ("end", END): 3, ("single", SINGLE): 9},
        True,
        5,
    ),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_no_withheld_figure_can_be_worked_out(name: str) -> None:
    sizes, compare, k = LAYOUTS[name]
    layout = sized(sizes)
    (released,) = release([table_for(layout, compare, empty_rows=["empty"])], k)
    assert attack(layout, released, k) == []
    for group in groups_of(layout, released):
        n = sum(len(layout[a]) for a in group.atoms)
        if 0 < n < k and group.figures is not None:
            assert isinstance(group.figures, Withheld)


def test_the_attack_catches_primary_suppression_alone() -> None:
    for sizes in (
        {("a", SINGLE): 3, ("b", SINGLE): 40},
        {("a", SINGLE): 2, ("b", SINGLE): 10, ("c", SINGLE): 30},
    ):
        layout = sized(sizes)
        leaks = attack(layout, naive_release(layout, 5), 5)
        assert leaks, sizes
        assert any("sum or difference" in leak for leak in leaks)


def test_the_attack_catches_cells_known_to_hold_one_set_each() -> None:
    layout = sized({("a", SINGLE): 1, ("b", SINGLE): 1, ("c", SINGLE): 30})
    leaky = naive_release(layout, 2)  # a and b withheld together: 2 sets, 2 cells
    assert "a: n can only be 1" in attack(layout, leaky, 2)


def test_a_leaking_month_is_caught_in_the_nested_layout() -> None:
    sizes, _, k = LAYOUTS["nested by month: a month that is the only start month"]
    layout = sized(sizes)
    table = table_for(layout, compare=True)
    # The months alone, suppressed correctly as one division; start and end shown beside them.
    months = release([table_for(layout, compare=False)], k)[0]
    start = summarize(Tally.of(layout["2024-01", START] + layout["2024-03", START]))
    end = summarize(Tally.of(layout["2024-02", END]))
    leaky = ReleasedTable(table.texts, months.rows, months.total, StartEnd(start, end, WITHHELD))
    assert any("2024-01" in leak for leak in attack(layout, leaky, k))
    (safe,) = release([table], k)
    assert attack(layout, safe, k) == []


def test_the_exact_check_finds_a_month_made_of_sums_and_differences() -> None:
    # January = start + end - February - March, with every one of those shown.
    span = _Span()
    for atoms in (
        {("jan", START), ("feb", START)},
        {("jan", END), ("mar", END)},
        {("feb", START)},
        {("mar", END)},
    ):
        span.add(atoms)
    assert span.spans({("jan", START), ("jan", END)})
    assert span.spans({("jan", START)})  # start minus February
    assert not span.spans({("apr", SINGLE)})
    assert not span.spans({("jan", START), ("apr", SINGLE)})
    assert not _Span().spans({("jan", START)})


@st.composite
def layouts(draw: st.DrawFn) -> tuple[Layout, bool, int]:
    compare = draw(st.booleans())
    layout: Layout = {}
    for row in range(draw(st.integers(1, 5))):
        for kind in sorted(draw(st.sets(st.sampled_from(list(SessionKind)), min_size=1))):
            n = draw(st.integers(1, 7))
            values = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
            layout[f"r{row}", kind] = [v * 2.5 for v in values]
    return layout, compare, draw(st.integers(2, 6))


@settings(max_examples=300, deadline=None)
@given(layouts())
def test_generated_layouts_leak_nothing(case: tuple[Layout, bool, int]) -> None:
    layout, compare, k = case
    (released,) = release([table_for(layout, compare)], k)
    assert attack(layout, released, k) == []
    for group in groups_of(layout, released):
        n = sum(len(layout[a]) for a in group.atoms)
        if isinstance(group.figures, Summary):
            assert group.figures.n == n >= k
            assert group.figures == summarize(Tally.of(s for a in group.atoms for s in layout[a]))
        elif n == 0:
            assert group.figures in (NO_ANSWERS, None)


def test_a_withheld_figure_is_an_explicit_value() -> None:
    layout = sized({("a", SINGLE): 4, ("b", SINGLE): 4, ("c", SINGLE): 20})
    (released,) = release([table_for(layout, compare=False, empty_rows=["d"])], 5)
    by_key = {row.cell.key: row.figures for row in released.rows}
    assert by_key["a"] is WITHHELD
    assert by_key["b"] is WITHHELD
    assert isinstance(by_key["c"], Summary)
    assert isinstance(by_key["d"], NoAnswers)
    assert str(WITHHELD) == TOO_FEW_ANSWERS == "too few answers to show"
    assert isinstance(released.total.figures, Summary)
    assert released.total.figures.n == 28


@pytest.mark.parametrize(("n", "shown"), [(4, False), (5, True), (6, True)])
def test_exactly_the_minimum_is_shown_and_one_less_is_not(n: int, shown: bool) -> None:
    (released,) = release([table_for({("a", SINGLE): scores(n)}, compare=False)], 5)
    assert isinstance(released.total.figures, Summary) is shown
    assert isinstance(released.rows[0].figures, Summary) is shown


def test_a_minimum_of_one_withholds_nothing() -> None:
    layout = sized({("a", SINGLE): 1, ("b", SINGLE): 2})
    (released,) = release([table_for(layout, compare=True)], 1)
    assert all(isinstance(row.figures, Summary) for row in released.rows)


def test_session_counts_are_shown_even_when_answers_are_not() -> None:
    layout = sized({("a", SINGLE): 2})
    (released,) = release([table_for(layout, compare=False)], 5)
    assert released.rows[0].cell.sessions == 1
    assert released.total.cell.sessions == 1
    assert released.rows[0].figures is WITHHELD


def test_start_versus_end_is_withheld_with_either_side() -> None:
    layout = sized({("s1", START): 12, ("s2", END): 3, ("s3", SINGLE): 9})
    (released,) = release([table_for(layout, compare=True)], 5)
    assert released.start_end is not None
    assert released.start_end.end is WITHHELD
    assert released.start_end.difference is WITHHELD


def test_minimum_group_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        release([], 0)


def test_answers_in_rows_the_table_does_not_list_are_refused() -> None:
    table = table_for({("a", SINGLE): scores(6)}, compare=False)
    broken = Table(table.texts, (), table.total, table.tallies, compare_start_end=False)
    with pytest.raises(ValueError, match="rows"):
        release([broken], 5)


# Rule 1: which sets count at all.


def session(session_id: int, closed: bool) -> SessionInfo:
    return SessionInfo(session_id, "s", 1, "A", SINGLE, closed, date(2024, 1, 1))


def group(session_id: int, day: date, n: int) -> ScoreGroup:
    return ScoreGroup(session_id, day, FI, Tally.of(scores(n)))


NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)
TODAY = date(2024, 3, 10)


def counted(groups: list[ScoreGroup], sessions: list[SessionInfo], now: datetime = NOW) -> int:
    return sum(
        g.tally.n for g in releasable(groups, {s.id: s for s in sessions}, now, HELSINKI, 5)
    )


def test_a_closed_session_counts_fully_even_today() -> None:
    groups = [group(1, TODAY, 1), group(1, TODAY - timedelta(days=3), 2)]
    assert counted(groups, [session(1, closed=True)]) == 3


def test_an_open_session_never_counts_todays_sets() -> None:
    groups = [group(1, TODAY, 30), group(1, TODAY - timedelta(days=1), 6)]
    assert counted(groups, [session(1, closed=False)]) == 6


def test_an_open_session_counts_earlier_days_in_blocks_of_at_least_the_minimum() -> None:
    day = TODAY - timedelta(days=10)
    open_ = [session(1, closed=False)]
    assert counted([group(1, day, 3)], open_) == 0
    assert counted([group(1, day, 3), group(1, day + timedelta(days=1), 1)], open_) == 0
    days = [
        group(1, day, 3),
        group(1, day + timedelta(days=1), 1),
        group(1, day + timedelta(days=2), 1),
    ]
    assert counted(days, open_) == 5
    assert counted([*days, group(1, day + timedelta(days=3), 4)], open_) == 5


def test_the_day_is_the_local_one() -> None:
    late_evening_utc = datetime(2024, 3, 9, 22, 30, tzinfo=UTC)  # already 10 March in Helsinki
    groups = [group(1, date(2024, 3, 9), 6)]
    assert counted(groups, [session(1, closed=False)], late_evening_utc) == 6
    groups = [group(1, date(2024, 3, 10), 6)]
    assert counted(groups, [session(1, closed=False)], late_evening_utc) == 0


def test_now_must_carry_a_time_zone() -> None:
    with pytest.raises(ValueError, match="time zone"):
        counted([], [], datetime(2024, 3, 10, 12, 0))  # noqa: DTZ001


def test_sets_of_unknown_sessions_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        counted([group(9, TODAY, 1)], [session(1, closed=True)])


@given(st.lists(st.integers(0, 4), min_size=1, max_size=20), st.integers(1, 6))
def test_an_open_session_changes_only_by_whole_blocks(per_day: list[int], k: int) -> None:
    start = date(2024, 1, 1)
    groups = [group(1, start + timedelta(days=i), n) for i, n in enumerate(per_day) if n]
    sessions = {1: session(1, closed=False)}
    previous: set[date] = set()
    for offset in range(len(per_day) + 2):
        now = datetime(2024, 1, 1, 12, tzinfo=HELSINKI) + timedelta(days=offset)
        shown = releasable(groups, sessions, now, HELSINKI, k)
        days = {g.answered_on for g in shown}
        assert previous <= days
        assert all(day < now.date() for day in days)
        added = sum(g.tally.n for g in shown if g.answered_on not in previous)
        assert added == 0 or added >= k
        previous = days
