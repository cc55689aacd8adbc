"""The differencing auditor: which stored sets each released figure covers, and whether the
figures together determine any single set or any group smaller than the minimum.

Every figure a report shows (a row's count, mean, spread, score histogram and per-statement
option counts; a file's line) is a sum over the sets it covers, so a reader who has every
figure has linear equations over the stored sets. A group's answers are determined exactly
when the group's indicator vector lies in the span of the figures' coverage vectors.

Coverage is found by perturbation, never read from the product's internals: change one thing,
recompute everything, see which figures change. Sets covered by exactly the same figures form
classes; every coverage vector is a union of classes, so anything in their span is constant on
each class, and any determined group is a union of classes. So if every covered class holds
at least k sets, nothing smaller than k is determined. `determined_small_groups` also solves
the equations exactly (fractions) for classes below k, to show what a broken product leaks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from typing import TypeAlias

from bot.core.report_model import (
    OPTIONS,
    STATEMENTS,
    Breakdown,
    ReleasedBlock,
    ReportRequest,
    SessionInfo,
)
from bot.core.reports import HeldSets, Report, build_report
from bot.core.statistics import SCORE_VALUES, Tally
from bot.ui.report_files import aggregate_rows, statement_rows

Key: TypeAlias = Hashable
Figures: TypeAlias = dict[Key, Hashable]


def every_request(
    sessions: Sequence[SessionInfo], blocks: Sequence[ReleasedBlock]
) -> list[ReportRequest]:
    """Every report the product can make over these data: every scope (everything, each
    activity, each session), breakdown, pooling and period that could select blocks apart
    (each release day alone, each month, everything up to and from each release day)."""
    scopes: list[dict[str, int]] = [{}]
    activities = [s.activity_id for s in sessions]
    scopes += [{"activity_id": a} for a in sorted({a for a in activities if a is not None})]
    scopes += [{"session_id": s.id} for s in sessions]
    days = sorted({b.released_on for b in blocks})
    periods: list[tuple[date | None, date | None]] = [(None, None)]
    periods += [(day, day) for day in days]
    periods += [(None, day) for day in days] + [(day, None) for day in days]
    for month in sorted({(d.year, d.month) for d in days}):
        first = date(*month, 1)
        periods.append((first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)))
    return [
        ReportRequest(breakdown, pool_provisional=pool, first_day=a, last_day=b, **scope)
        for scope in scopes
        for breakdown in Breakdown
        for pool in (False, True)
        for a, b in dict.fromkeys(periods)
    ]


def figures_of(report: Report) -> Figures:
    """Every number a report shows, keyed so that the same figure has the same key in every
    run: its rows, totals and start versus end, and each line of its files."""
    found: Figures = {}
    request = report.request
    for table in report.tables:
        for row in (*table.rows, table.total):
            found[request, table.texts, row.cell.key] = (row.figures, row.statements)
        if table.start_end is not None:
            found[request, table.texts, "start_end"] = table.start_end
    for name, lines in (("csv", aggregate_rows(report)), ("statements", statement_rows(report))):
        for i, line in enumerate(lines):
            found[request, name, i] = line
    return found


Product: TypeAlias = Callable[[Sequence[ReleasedBlock]], Figures]


def reports_product(
    sessions: Sequence[SessionInfo],
    held: Sequence[HeldSets],
    requests: Sequence[ReportRequest],
    *,
    as_of: date,
    min_group_size: int,
) -> Product:
    """Every report of `requests` over given released blocks, as the product builds them."""

    def product(blocks: Sequence[ReleasedBlock]) -> Figures:
        found: Figures = {}
        for request in requests:
            report = build_report(
                request, sessions, blocks, held, as_of=as_of, min_group_size=min_group_size
            )
            found |= figures_of(report)
        return found

    return product


def flipped(block: ReleasedBlock) -> ReleasedBlock:
    """The block with every set's answers changed: all lowest, or all highest if they were."""
    lowest = block.tally.counts[0] == block.n
    index, option = (SCORE_VALUES - 1, OPTIONS - 1) if lowest else (0, 0)
    counts = [0] * SCORE_VALUES
    counts[index] = block.n
    statements = tuple(
        tuple(block.n if j == option else 0 for j in range(OPTIONS)) for _ in range(STATEMENTS)
    )
    return replace(block, tally=Tally(tuple(counts)), statements=statements)


def block_coverage(product: Product, blocks: Sequence[ReleasedBlock]) -> dict[Key, frozenset[int]]:
    """Which blocks each figure covers: flip one block, recompute everything, see what moves."""
    base = product(blocks)
    covers: defaultdict[Key, set[int]] = defaultdict(set)
    for i, block in enumerate(blocks):
        changed = product([*blocks[:i], flipped(block), *blocks[i + 1 :]])
        assert changed.keys() == base.keys(), "flipping answers changed which figures exist"
        for key, value in changed.items():
            if value != base[key]:
                covers[key].add(block.id)
    return {key: frozenset(ids) for key, ids in covers.items()}


def set_signatures(
    sets_in: Mapping[int, frozenset[int]],
    covers: Mapping[Key, frozenset[int]],
    direct: Mapping[int, frozenset[Key]] | None = None,
) -> dict[int, frozenset[Key]]:
    """Per stored set, every figure that covers it: those covering its block(s), and those
    found to move with the set itself (`direct`, e.g. the row export)."""
    by_block: defaultdict[int, set[Key]] = defaultdict(set)
    for key, ids in covers.items():
        for block_id in ids:
            by_block[block_id].add(key)
    return {
        set_id: frozenset().union(
            *(by_block[b] for b in blocks), (direct or {}).get(set_id, frozenset())
        )
        for set_id, blocks in sets_in.items()
    }


def classes(signatures: Mapping[int, frozenset[Key]]) -> list[frozenset[int]]:
    """Sets covered by exactly the same figures (sets in no figure left out)."""
    found: defaultdict[frozenset[Key], set[int]] = defaultdict(set)
    for set_id, signature in signatures.items():
        if signature:
            found[signature].add(set_id)
    return [frozenset(members) for members in found.values()]


def small_classes(signatures: Mapping[int, frozenset[Key]], k: int) -> list[frozenset[int]]:
    """Covered classes of fewer than k sets: the only groups below k that could be determined.
    Empty means the proof holds: no set and no group smaller than k is determined."""
    return sorted((c for c in classes(signatures) if len(c) < k), key=sorted)


def determined_small_groups(
    signatures: Mapping[int, frozenset[Key]], k: int
) -> list[frozenset[int]]:
    """Classes of fewer than k sets whose sum the figures determine exactly: their indicator
    lies in the span of the figures' coverage vectors (Gaussian elimination over fractions)."""
    members = classes(signatures)
    index = {set_id: i for i, c in enumerate(members) for set_id in c}
    figures: defaultdict[Key, set[int]] = defaultdict(set)
    for set_id, signature in signatures.items():
        for key in signature:
            figures[key].add(index[set_id])
    span = _Span()
    for columns in {frozenset(c) for c in figures.values()}:
        span.add(dict.fromkeys(columns, Fraction(1)))
    return [c for i, c in enumerate(members) if len(c) < k and span.holds({i: Fraction(1)})]


class _Span:
    """Vectors over class indexes in reduced echelon form, exactly."""

    def __init__(self) -> None:
        self._rows: dict[int, dict[int, Fraction]] = {}

    @staticmethod
    def _eliminate(vector: dict[int, Fraction], pivot: int, row: dict[int, Fraction]) -> None:
        """Subtract the multiple of `row` that clears `vector` at `pivot`, in place."""
        factor = vector.get(pivot)
        if factor:
            for column, x in row.items():
                value = vector.get(column, Fraction(0)) - factor * x
                if value:
                    vector[column] = value
                else:
                    vector.pop(column, None)

    def _reduce(self, vector: dict[int, Fraction]) -> dict[int, Fraction]:
        vector = dict(vector)
        for pivot, row in self._rows.items():
            self._eliminate(vector, pivot, row)
        return vector

    def add(self, vector: dict[int, Fraction]) -> None:
        reduced = self._reduce(vector)
        if not reduced:
            return
        pivot = min(reduced)
        scale = reduced[pivot]
        row = {column: x / scale for column, x in reduced.items()}
        for other in self._rows.values():
            self._eliminate(other, pivot, row)
        self._rows[pivot] = row

    def holds(self, vector: dict[int, Fraction]) -> bool:
        return not self._reduce(vector)


def blocks_of_sets(
    base: Sequence[ReleasedBlock], perturbed: Iterable[tuple[int, Sequence[ReleasedBlock]]]
) -> dict[int, frozenset[int]]:
    """Which released blocks each stored set is in, from runs that changed one set each:
    the blocks whose figures moved. A run must release the same blocks, only their answers
    differing: release never depends on what was answered."""
    shape = [(b.id, b.session_id, b.text, b.released_on, b.n) for b in base]
    found = {}
    for set_id, blocks in perturbed:
        assert [(b.id, b.session_id, b.text, b.released_on, b.n) for b in blocks] == shape
        found[set_id] = frozenset(b.id for b, o in zip(blocks, base, strict=True) if b != o)
    return found
