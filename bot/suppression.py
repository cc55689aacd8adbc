"""The privacy rules of reports, all in one place: chat reports, files, charts and the command
line show only what `release` returns, and a withheld figure there is an explicit `Withheld`.

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

3. Complementary suppression. A table publishes its total and its rows (and, for one activity,
   the start and end groups: a second division of the same total). Anything that can be added
   up from published figures counts as published. So, within each division whose total is
   shown, the withheld groups must be at least two, together hold at least k sets, and hold
   more sets than there are withheld groups (otherwise each would be known to hold exactly
   one). While that fails, the smallest shown group of that division is withheld too. Then
   the withheld groups' combined count, score sum, squares and histogram are known, as for any
   shown group of k or more, but no withheld group's own figures are: with one division, each
   withheld group appears in the only equation (the total) together with another unknown. With
   two divisions, rows and start/end groups can overlap in ways that make a withheld group the
   sum or difference of shown ones, so every withheld group is also tested against the exact
   linear span of everything shown, and more groups are withheld until none is in it.

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

from bot.report_model import InstrumentText, ScoreGroup, SessionInfo, SessionKind
from bot.statistics import Difference, Summary, Tally, combine, difference, summarize

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


def _withhold(
    sizes: Mapping[Atom, int], partitions: Sequence[Partition], k: int
) -> tuple[bool, list[set[str]]]:
    """Whether the total is withheld, and which groups of each division (rules 2 and 3)."""
    part_sizes = [
        {key: sum(sizes[a] for a in atoms) for key, atoms in p.items()} for p in partitions
    ]
    everything = [set(s) for s in part_sizes]
    if sum(sizes.values()) < k:
        return True, everything
    total = sum(sizes.values())
    withheld = [{key for key, n in s.items() if n < k} for s in part_sizes]
    while True:
        # A group holding every set is the total itself: withholding it would hide nothing.
        shown = sorted(
            (n, key, j)
            for j, s in enumerate(part_sizes)
            for key, n in s.items()
            if key not in withheld[j] and n < total
        )
        if (i := _too_few_withheld(part_sizes, withheld, k)) is not None:
            choice = next(((key, j) for _, key, j in shown if j == i), None)
        elif len(partitions) > 1 and (atoms := _derivable(partitions, withheld)) is not None:
            # Prefer the smallest group whose withholding stops this derivation.
            choice = next(
                (
                    (key, j)
                    for _, key, j in shown
                    if not _span(partitions, _plus(withheld, j, key)).spans(atoms)
                ),
                (shown[0][1], shown[0][2]) if shown else None,
            )
        else:
            return False, withheld
        if choice is None:
            return True, everything
        withheld[choice[1]].add(choice[0])


def _too_few_withheld(
    part_sizes: Sequence[Mapping[str, int]], withheld: Sequence[set[str]], k: int
) -> int | None:
    """A division whose withheld groups could be told apart from the total by subtraction."""
    for i, (sizes, hidden) in enumerate(zip(part_sizes, withheld, strict=True)):
        n = sum(sizes[key] for key in hidden)
        if hidden and (len(hidden) < 2 or n < k or n <= len(hidden)):
            return i
    return None


def _derivable(partitions: Sequence[Partition], withheld: Sequence[set[str]]) -> set[Atom] | None:
    """The atoms of a withheld group that is a linear combination of shown ones, if any."""
    span = _span(partitions, withheld)
    for p, hidden in zip(partitions, withheld, strict=True):
        for key in sorted(hidden):
            if span.spans(p[key]):
                return p[key]
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
