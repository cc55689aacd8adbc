"""The privacy rules of reports, all in one place: chat reports, files, charts and the command
line show only what `release` returns, and a withheld figure there is an explicit `Withheld`;
the anonymous row-level export holds only what `exportable_rows` returns.

1. Which sets count at all (`releasable`). A closed session's sets all count: nobody can add to
   them any more. An open session (a workroom's standing link) counts only sets answered on
   earlier days in the configured time zone, never today's, and only in blocks of at least k:
   walking its days in order, a day's sets are shown once they and the not yet shown days
   before them add up to k. Without blocks, a coordinator comparing Monday's report with
   Tuesday's could read the score of the one person who came on Monday. Blocks depend only on
   the past, so once shown they never move.

2. Primary suppression. Every figure of a group of fewer than k complete sets is withheld: the
   count itself too, because a small count next to the published total tells how many answered
   in, say, the one Arabic-speaking group. A group with no sets says "no answers"; there is
   nothing to protect. Counts of sessions and of unfinished check-ins are shown: they describe
   sessions, not anybody's answers.

3. Complementary suppression. A table publishes its total and its rows; for one activity also
   its start and end groups, so that the single sessions follow by subtraction: two divisions
   of the same sets. Whatever can be added up or subtracted from shown figures is published.
   a. Every shown figure that one division's groups split exactly (the total always; with two
      divisions also, say, the start group split into the sessions inside it) is an equation.
      Its withheld groups must be none, or at least two that together hold at least k sets and
      more sets than there are of them (else each would be known to hold exactly one). While
      that fails, the smallest shown group inside it is withheld too, or else the figure.
      With one division this is the whole rule, and it is enough: each withheld group then
      appears only in the total's equation, beside at least one other unknown.
   b. With two divisions, a reader also knows every withheld group holds at least one set.
      Unless one set could move between atoms without changing a shown figure or emptying a
      withheld group, and change the group's size, that size counts as known: withhold more.
   c. And no withheld group may lie in the exact linear span of the shown ones (a sum or
      difference of them): withhold more until none does.
   If nothing is left to withhold, the whole table is withheld. What remains known is the
   withheld groups' combined count, score sum, squares and histogram: figures of k or more
   sets, like any shown group; never a withheld group's own.

4. The row-level export (`exportable_rows`) shows each set's ten points, so it goes further
   than any report, and a session is its unit: its rows go out whole or not at all.
   a. Only sets counted by rule 1 and in the request's date range, as in a report.
   b. Only sessions that a report of the same scope by session shows, in the pooled table and
      in each instrument text's own (rules 2 and 3): a session withheld there, for itself or
      to protect another, is left out here too, so the export adds no equation to that report.
   c. Only sessions whose sets, counted per ISO week and instrument text, are at least k in
      each: every row shares all it says but its answers (activity, session, kind, week,
      text) with at least k-1 others. Days are coarsened to ISO weeks.
   d. Every figure a report of the same scope shows without a date range (the total, each
      activity, kind, month and language, pooled or per text, over everything or one
      activity) must hold no sets outside the export, or at least k: else the figure minus
      the export would give a small group. While one does not, the smallest exported session
      in it is left out too.
   Rows are sorted by their values, never in stored order. A report with a date range can
   still differ from the export by a few sets: the same limit as two reports with
   overlapping scopes, below.

Not covered, by design of per-report rules: differences between two reports with overlapping
scopes (two date ranges a day apart, or everything minus all other activities). A group whose
scores are all equal is disclosed by its mean, as any group of k or more is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from fractions import Fraction
from typing import TypeAlias

from bot.report_model import InstrumentText, ReportRequest, ScoreGroup, SessionInfo, SessionKind
from bot.row_export import ExportRow, StoredSet, iso_week
from bot.statistics import (
    SCORE_VALUES,
    Difference,
    Summary,
    Tally,
    combine,
    difference,
    score_index,
    summarize,
)

TOO_FEW_ANSWERS = "too few answers to show"


@dataclass(frozen=True, slots=True)
class Withheld:
    """A figure not shown: it rests on too few sets, or would let one that does be worked out."""

    def __str__(self) -> str:
        return TOO_FEW_ANSWERS


@dataclass(frozen=True, slots=True)
class NoAnswers:
    """A group without complete sets: nothing to show and nothing to protect."""


WITHHELD = Withheld()
NO_ANSWERS = NoAnswers()
Figures: TypeAlias = Summary | Withheld | NoAnswers
Atom: TypeAlias = tuple[str, SessionKind]  # (row key, session kind): the finest group counted


def today_in(zone: tzinfo, now: datetime) -> date:
    """The date that decides which sets are 'today's' (an aware `now` only: days are local)."""
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    return now.astimezone(zone).date()


def releasable(
    groups: Iterable[ScoreGroup],
    sessions: Mapping[int, SessionInfo],
    now: datetime,
    zone: tzinfo,
    min_group_size: int,
) -> list[ScoreGroup]:
    """The groups of sets that may count in any figure (rule 1 of this module)."""
    groups = list(groups)
    today = today_in(zone, now)
    if unknown := {g.session_id for g in groups} - sessions.keys():
        raise ValueError(f"answer sets for unknown sessions {sorted(unknown)}")
    open_days: defaultdict[int, Counter[date]] = defaultdict(Counter)
    for group in groups:
        if not sessions[group.session_id].closed and group.answered_on < today:
            open_days[group.session_id][group.answered_on] += group.tally.n
    shown_until: dict[int, date] = {}
    for session_id, days in open_days.items():
        pending = 0
        for day in sorted(days):
            pending += days[day]
            if pending >= min_group_size:
                shown_until[session_id], pending = day, 0
    return [
        g
        for g in groups
        if sessions[g.session_id].closed
        or g.answered_on <= shown_until.get(g.session_id, date.min)
    ]


@dataclass(frozen=True, slots=True)
class Cell:
    """A row of a table: what it is, and counts that describe sessions, not answers."""

    key: str
    label: str
    sessions: int | None  # None where sessions do not fall into rows (by language)
    unfinished: int | None  # check-ins started but not completed; None likewise


@dataclass(frozen=True, slots=True)
class Table:
    """One table before release: tallies per (row key, session kind) and the rows to show."""

    texts: tuple[InstrumentText, ...]
    rows: tuple[Cell, ...]
    total: Cell
    tallies: Mapping[Atom, Tally]
    compare_start_end: bool


@dataclass(frozen=True, slots=True)
class Row:
    """A released row."""

    cell: Cell
    figures: Figures


@dataclass(frozen=True, slots=True)
class StartEnd:
    """Start versus end rounds of one activity, at group level only."""

    start: Figures
    end: Figures
    difference: Difference | Withheld | NoAnswers


@dataclass(frozen=True, slots=True)
class ReleasedTable:
    """A table as it may be shown: every figure released or explicitly withheld."""

    texts: tuple[InstrumentText, ...]  # the instrument texts every figure here covers
    rows: tuple[Row, ...]
    total: Row
    start_end: StartEnd | None

    @property
    def pooled(self) -> bool:
        """Figures mix answers given in different instrument texts: renderers must say so."""
        return len(self.texts) > 1

    @property
    def provisional(self) -> bool:
        """Some answers were given in a provisional translation, not THL's validated text."""
        return any(not text.official for text in self.texts)


def release(tables: Sequence[Table], min_group_size: int) -> tuple[ReleasedTable, ...]:
    """Apply rules 2 and 3 to every table of a report; the only way figures reach an output.

    Tables cover disjoint sets (one per instrument text, or one pooled), so each is released
    on its own.
    """
    if min_group_size < 1:
        raise ValueError("the minimum group size is at least 1")
    return tuple(_release_table(table, min_group_size) for table in tables)


def _release_table(table: Table, k: int) -> ReleasedTable:
    sizes = {atom: tally.n for atom, tally in table.tallies.items() if tally.n > 0}
    by_row: defaultdict[str, set[Atom]] = defaultdict(set)
    by_kind: defaultdict[str, set[Atom]] = defaultdict(set)
    for atom in sizes:
        by_row[atom[0]].add(atom)
        by_kind[atom[1]].add(atom)
    if unknown := by_row.keys() - {cell.key for cell in table.rows}:
        raise ValueError(f"answer sets in rows the table does not show: {sorted(unknown)}")
    partitions = [by_row, by_kind] if table.compare_start_end else [by_row]
    total_withheld, withheld = _withhold(sizes, partitions, k)

    def figures(atoms: Iterable[Atom], hidden: bool) -> Figures:
        atoms = list(atoms)
        if not atoms:
            return NO_ANSWERS
        if hidden:
            return WITHHELD
        return summarize(combine(table.tallies[atom] for atom in atoms))

    rows = tuple(
        Row(cell, figures(by_row.get(cell.key, ()), cell.key in withheld[0]))
        for cell in table.rows
    )
    start_end = None
    if table.compare_start_end:
        start, end = (
            figures(by_kind.get(kind, ()), kind in withheld[1])
            for kind in (SessionKind.START, SessionKind.END)
        )
        start_end = StartEnd(start, end, _difference(start, end))
    return ReleasedTable(
        table.texts, rows, Row(table.total, figures(sizes, total_withheld)), start_end
    )


def _difference(start: Figures, end: Figures) -> Difference | Withheld | NoAnswers:
    if isinstance(start, Summary) and isinstance(end, Summary):
        return difference(start, end)
    if isinstance(start, NoAnswers) or isinstance(end, NoAnswers):
        return NO_ANSWERS
    return WITHHELD


Partition: TypeAlias = Mapping[str, set[Atom]]
Choice: TypeAlias = tuple[int, str]  # (division, group key)
_EVERYTHING: Choice = (-1, "")


def _withhold(
    sizes: Mapping[Atom, int], partitions: Sequence[Partition], k: int
) -> tuple[bool, list[set[str]]]:
    """Whether the total is withheld, and which groups of each division (rules 2 and 3)."""
    everything = [set(p) for p in partitions]
    if sum(sizes.values()) < k:
        return True, everything
    counts = [{key: sum(sizes[a] for a in atoms) for key, atoms in p.items()} for p in partitions]
    withheld = [{key for key, n in c.items() if n < k} for c in counts]
    while (choice := _next_to_withhold(sizes, partitions, counts, withheld, k)) is not None:
        if choice == _EVERYTHING:
            return True, everything
        withheld[choice[0]].add(choice[1])
    return False, withheld


def _next_to_withhold(
    sizes: Mapping[Atom, int],
    partitions: Sequence[Partition],
    counts: Sequence[Mapping[str, int]],
    withheld: Sequence[set[str]],
    k: int,
) -> Choice | None:
    """The next group to withhold so that no withheld one can be worked out; None if none."""
    total = sum(sizes.values())
    # Smallest first; a group holding every set is the total itself and hides nothing.
    shown = sorted(
        (n, key, d)
        for d, c in enumerate(counts)
        for key, n in c.items()
        if key not in withheld[d] and n < total
    )
    fallback = (shown[0][2], shown[0][1]) if shown else _EVERYTHING
    figures = [(*_EVERYTHING, set(sizes))] + [(d, key, partitions[d][key]) for _, key, d in shown]
    # Each shown figure (the total first) split exactly into groups of another division is an
    # equation: its withheld groups must be two or more, with k sets and more than one each.
    for f_division, f_key, atoms in figures:
        for d, p in enumerate(partitions):
            if d == f_division:
                continue
            inside = [key for key, group in p.items() if group <= atoms]
            hidden = [key for key in inside if key in withheld[d]]
            if not hidden or {a for key in inside for a in p[key]} != atoms:
                continue
            n = sum(counts[d][key] for key in hidden)
            if len(hidden) < 2 or n < k or n <= len(hidden):
                more = ((j, key) for _, key, j in shown if j == d and key in inside)
                return next(more, (f_division, f_key))
    if len(partitions) == 1:
        return None
    # With two divisions, knowing that every withheld group holds a set can pin one down.
    if (pinned := _pinned(sizes, partitions, counts, withheld)) is not None:
        return next(((j, key) for _, key, j in shown if j == pinned), fallback)
    # And a withheld group can be a sum or difference of shown figures.
    span = _span(partitions, withheld)
    for d, p in enumerate(partitions):
        for key in sorted(withheld[d]):
            if span.spans(p[key]):
                stoppers = (
                    (j, other)
                    for _, other, j in shown
                    if not _span(partitions, _plus(withheld, j, other)).spans(p[key])
                )
                return next(stoppers, fallback)
    return None


def _pinned(
    sizes: Mapping[Atom, int],
    partitions: Sequence[Partition],
    counts: Sequence[Mapping[str, int]],
    withheld: Sequence[set[str]],
) -> int | None:
    """The division of a withheld group whose size might be known exactly, or None.

    A reader knows the shown figures exactly and that each withheld group holds at least one
    set. A group's size is certainly not known if one set can move from one atom to another
    without changing a shown figure or emptying a withheld group, and with that the group's
    size changes. If no such move exists, the group is treated as known.
    """
    owner = [{atom: key for key, atoms in p.items() for atom in atoms} for p in partitions]
    divisions = range(len(partitions))

    def signature(atom: Atom) -> tuple[str | None, ...]:
        return tuple(None if owner[d][atom] in withheld[d] else owner[d][atom] for d in divisions)

    def can_move(source: Atom, target: Atom) -> bool:
        return all(
            counts[d][owner[d][source]] > 1
            for d in divisions
            if owner[d][source] != owner[d][target] and owner[d][source] in withheld[d]
        )

    classes: defaultdict[tuple[str | None, ...], list[Atom]] = defaultdict(list)
    for atom in sizes:
        classes[signature(atom)].append(atom)
    for d in divisions:
        for key in withheld[d]:
            movable = any(
                can_move(a, b) or can_move(b, a)
                for a in partitions[d][key]
                for b in classes[signature(a)]
                if owner[d][b] != key
            )
            if not movable:
                return d
    return None


def _plus(withheld: Sequence[set[str]], j: int, key: str) -> list[set[str]]:
    return [hidden | {key} if i == j else hidden for i, hidden in enumerate(withheld)]


def _span(partitions: Sequence[Partition], withheld: Sequence[set[str]]) -> _Span:
    span = _Span()
    span.add({atom for atoms in partitions[0].values() for atom in atoms})  # the total
    for p, hidden in zip(partitions, withheld, strict=True):
        for key, atoms in p.items():
            if key not in hidden:
                span.add(atoms)
    return span


class _Span:
    """The exact linear span of shown groups, each a set of atoms (row echelon form)."""

    def __init__(self) -> None:
        self._rows: dict[Atom, dict[Atom, Fraction]] = {}

    def _reduce(self, atoms: Iterable[Atom]) -> dict[Atom, Fraction]:
        vector = dict.fromkeys(atoms, Fraction(1))
        while vector:
            pivot = min(vector)
            row = self._rows.get(pivot)
            if row is None:
                break
            factor = vector[pivot]
            for atom, x in row.items():
                value = vector.get(atom, Fraction(0)) - factor * x
                if value:
                    vector[atom] = value
                else:
                    vector.pop(atom, None)
        return vector

    def add(self, atoms: Iterable[Atom]) -> None:
        vector = self._reduce(atoms)
        if vector:
            pivot = min(vector)
            scale = vector[pivot]
            self._rows[pivot] = {atom: x / scale for atom, x in vector.items()}

    def spans(self, atoms: Iterable[Atom]) -> bool:
        return not self._reduce(atoms)


Figure: TypeAlias = tuple[InstrumentText | None, str, str]  # (table, scope, row) of a report


def exportable_rows(
    sets: Iterable[StoredSet],
    sessions: Mapping[int, SessionInfo],
    request: ReportRequest,
    *,
    now: datetime,
    zone: tzinfo,
    min_group_size: int,
) -> list[ExportRow]:
    """The rows of the anonymous export (rule 4), sorted by value.

    Give every stored set of the sessions in the request's scope, whatever its day, as for a
    report; the request's breakdown does not matter.
    """
    if min_group_size < 1:
        raise ValueError("the minimum group size is at least 1")
    sets = list(sets)
    groups = [
        g
        for g in releasable(_count(sets), sessions, now, zone, min_group_size)
        if request.covers_session(sessions[g.session_id]) and request.covers_day(g.answered_on)
    ]
    exported = _shown_by_session(groups, sessions, request, min_group_size)
    exported -= _in_small_weeks(groups, min_group_size)
    exported -= _left_out_for_figures(groups, sessions, exported, min_group_size)
    days = {(g.session_id, g.answered_on) for g in groups if g.session_id in exported}
    rows = []
    for s in sets:
        if (s.session_id, s.answered_on) not in days:
            continue
        session = sessions[s.session_id]
        text = s.text
        where = (session.activity_name, session.id, session.label, session.kind)
        when_how = (iso_week(s.answered_on), text.language, text.status, text.version)
        rows.append(ExportRow._make((*where, *when_how, *s.points, s.score)))
    rows.sort()
    return rows


def _count(sets: Iterable[StoredSet]) -> list[ScoreGroup]:
    """The sets counted per session, day and text, as `report_groups` counts them.

    Texts are told apart by identity, not value: hashing a dataclass a million times takes
    seconds. Equal texts read as separate objects then make separate groups of the same
    session, day and text, which every rule adds up as it would one.
    """
    histograms: dict[tuple[int, date, int], tuple[InstrumentText, list[int]]] = {}
    indexes: dict[float, int] = {}
    for s in sets:
        key = (s.session_id, s.answered_on, id(s.text))
        if (found := histograms.get(key)) is None:
            found = histograms[key] = (s.text, [0] * SCORE_VALUES)
        if (index := indexes.get(s.score)) is None:
            index = indexes[s.score] = score_index(s.score)
        found[1][index] += 1
    return [
        ScoreGroup(session_id, day, text, Tally(tuple(counts)))
        for (session_id, day, _), (text, counts) in histograms.items()
    ]


def _shown_by_session(
    groups: Sequence[ScoreGroup],
    sessions: Mapping[int, SessionInfo],
    request: ReportRequest,
    k: int,
) -> set[int]:
    """Sessions a report by session shows, pooled and in each text's table (rule 4b)."""
    ids = sorted({g.session_id for g in groups})
    cells = tuple(Cell(str(i), sessions[i].label, None, None) for i in ids)
    texts = sorted({g.text for g in groups})
    choices = [tuple(texts)] + ([(text,) for text in texts] if len(texts) > 1 else [])
    tables = []
    for these in choices:
        tallies: dict[Atom, Tally] = {}
        for g in groups:
            if g.text in these:
                atom = (str(g.session_id), sessions[g.session_id].kind)
                tallies[atom] = tallies[atom] + g.tally if atom in tallies else g.tally
        total = Cell("total", "", None, None)
        tables.append(Table(these, cells, total, tallies, request.activity_id is not None))
    hidden = {
        row.cell.key
        for table in release(tables, k)
        for row in table.rows
        if isinstance(row.figures, Withheld)
    }
    return {i for i in ids if str(i) not in hidden}


def _in_small_weeks(groups: Iterable[ScoreGroup], k: int) -> set[int]:
    """Sessions with fewer than k sets in some ISO week and instrument text (rule 4c)."""
    sizes: Counter[tuple[int, str, InstrumentText]] = Counter()
    for g in groups:
        sizes[g.session_id, iso_week(g.answered_on), g.text] += g.tally.n
    return {session_id for (session_id, _, _), n in sizes.items() if n < k}


def _left_out_for_figures(
    groups: Iterable[ScoreGroup],
    sessions: Mapping[int, SessionInfo],
    exported: set[int],
    k: int,
) -> set[int]:
    """Exported sessions to leave out so that no report figure minus the export is a group
    of 1 to k-1 sets (rule 4d)."""
    size: Counter[int] = Counter()
    parts: defaultdict[Figure, Counter[int]] = defaultdict(Counter)  # sets per session
    for g in groups:
        session = sessions[g.session_id]
        size[session.id] += g.tally.n
        activity = "none" if session.activity_id is None else str(session.activity_id)
        rows = ("total", f"kind {session.kind}", f"month {g.answered_on:%Y-%m}")
        for table in (None, g.text):
            for scope in ("all", f"activity {activity}"):
                for row in (*rows, f"language {g.text.language}"):
                    parts[table, scope, row][session.id] += g.tally.n
    outside = {
        figure: sum(n for i, n in inside.items() if i not in exported)
        for figure, inside in parts.items()
    }
    left_out: set[int] = set()
    figures_of: defaultdict[int, list[Figure]] = defaultdict(list)
    for figure, inside in parts.items():
        for i in inside:
            figures_of[i].append(figure)
    pending = list(parts)
    while pending:
        figure = pending.pop()
        if not 0 < outside[figure] < k:
            continue
        still = [i for i in parts[figure] if i in exported and i not in left_out]
        if not still:
            continue
        smallest = min(still, key=lambda i: (size[i], i))
        left_out.add(smallest)
        for other in figures_of[smallest]:
            outside[other] += parts[other][smallest]
            pending.append(other)
    return left_out
