"""Coordinator reports built from released blocks: rows per breakdown, a total, start versus end
for one activity, and published reference figures.

Every figure is the union of whole released blocks (`bot.core.report_model.ReleasedBlock`): sets of
one session in one instrument text, fixed when released, each of at least the minimum group
size. A block belongs to the day, month and any day range of its release, never to the days
its sets were sent. So no figure ever rests on 1 to k-1 sets, and any two figures, of one report
or of two, differ by whole blocks: there is nothing to subtract one person out of, and nothing
per report to hide. `build_report` refuses a block smaller than the minimum.

Answers given in different instrument texts are never pooled silently: by default each text
(THL's official Finnish, each provisional translation) gets a table of its own, official texts
first. Pooling is an explicit choice; a pooled table unions the texts' blocks and lists them.

Sets that are in no block yet (an open session, a session closed less than the grace period
ago) or never will be (fewer than the minimum) are counted per reason and session: a report
says how many are left out and why, and a row whose sets are all held back says why it has no
figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import chain
from typing import TypeAlias

from bot.core.report_model import (
    OPTIONS,
    Breakdown,
    InstrumentText,
    ReleasedBlock,
    ReportRequest,
    SessionInfo,
)
from bot.core.sessions import SessionKind
from bot.core.statistics import Difference, Summary, combine, difference, summarize

TOTAL_KEY = "total"
_KINDS = tuple(SessionKind)
_GUIDE = "THL: Osallisuuden edistäjän opas (2023)"
# Rows of these breakdowns are made of whole sessions, so they can say what is held back.
_BY_SESSION = (Breakdown.ACTIVITY, Breakdown.SESSION, Breakdown.KIND)

Statements: TypeAlias = tuple[tuple[int, ...], ...]
"""`statements[i][j]`: how many sets gave statement i+1 the option j+1."""


class SmallBlock(ValueError):
    """A block below the minimum group size reached a report: no figure may rest on it."""


class HoldReason(StrEnum):
    """Why complete sets are in no figure."""

    OPEN = "open"  # the session is open: its sets wait for a block of whole days
    CLOSING = "closing"  # closed less than the grace period ago: late sets may still come
    TOO_FEW = "too_few"  # fewer than the minimum were left: never shown


@dataclass(frozen=True, slots=True)
class HeldSets:
    """Complete sets of one session that are in no released block, and why."""

    session_id: int
    reason: HoldReason
    sets: int


@dataclass(frozen=True, slots=True)
class Held:
    """How many sets, in how many sessions, a report leaves out for one reason."""

    reason: HoldReason
    sessions: int
    sets: int


class ReferenceGroup(StrEnum):
    """Whom a published reference figure describes: renderers name the group in words."""

    ADULTS = "adults"
    UNEMPLOYED = "unemployed"
    SCHOOL = "school"
    CAPITAL_REGION = "capital_region"


@dataclass(frozen=True, slots=True)
class ReferenceFigure:
    """A published population figure, shown for context: small groups vary far more."""

    group: ReferenceGroup
    population: str
    year: int
    mean: float | None
    share_under_50: float | None  # 0-1
    source: str


REFERENCES = (
    ReferenceFigure(
        ReferenceGroup.ADULTS,
        "Adults over 20 (FinSote)",
        2019,
        75.2,
        0.10,
        f"Leemann et al. 2022, in {_GUIDE}",
    ),
    ReferenceFigure(
        ReferenceGroup.UNEMPLOYED,
        "Unemployed adults (FinSote)",
        2019,
        None,
        0.245,
        f"Leemann et al. 2022, in {_GUIDE}",
    ),
    ReferenceFigure(
        ReferenceGroup.SCHOOL,
        "School Health Promotion study, 8th grade and up",
        2019,
        75.0,
        None,
        f"Leemann & Virrankari 2022, in {_GUIDE}",
    ),
    ReferenceFigure(
        ReferenceGroup.SCHOOL,
        "School Health Promotion study, 8th grade and up",
        2021,
        71.8,
        None,
        f"Leemann & Virrankari 2022, in {_GUIDE}",
    ),
    ReferenceFigure(
        ReferenceGroup.CAPITAL_REGION,
        "Capital-region wellbeing survey",
        2021,
        74.9,
        None,
        f"Pääkaupunkiseudun hyvinvointikysely 2021, in {_GUIDE}",
    ),
)


@dataclass(frozen=True, slots=True)
class NoAnswers:
    """A group without complete sets: nothing to show and nothing held back."""


@dataclass(frozen=True, slots=True)
class NotShown:
    """A group whose sets are all held back: no figures, and the reasons why."""

    reasons: tuple[HoldReason, ...]


NO_ANSWERS = NoAnswers()
Figures: TypeAlias = Summary | NotShown | NoAnswers


@dataclass(frozen=True, slots=True)
class Cell:
    """A row of a table: what it is, and counts that describe sessions, not answers."""

    key: str
    label: str
    sessions: int | None  # None where sessions do not fall into rows (by language)
    unfinished: int | None  # check-ins started but not completed; None likewise
    session: SessionFacts | None = None  # by session: what the row's session is


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """What a session row is, fixed from its creation: its activity, day and kind (never
    whether it is open, which would make two reports differ without a new block)."""

    activity_name: str
    day: date
    kind: SessionKind


@dataclass(frozen=True, slots=True)
class Row:
    """A row's figures: the union of its released blocks, or why it has none."""

    cell: Cell
    figures: Figures
    statements: Statements | None = None  # per-statement answer counts, with figures only


@dataclass(frozen=True, slots=True)
class StartEnd:
    """Start versus end rounds of one activity, at group level only."""

    start: Figures
    end: Figures
    difference: Difference | NotShown | NoAnswers
    start_statements: Statements | None = None  # per-statement counts, with figures only
    end_statements: Statements | None = None

    @property
    def compared(self) -> tuple[Summary, Summary] | None:
        """Both sides' figures, when both have released blocks: only then are they compared."""
        if isinstance(self.start, Summary) and isinstance(self.end, Summary):
            return self.start, self.end
        return None


@dataclass(frozen=True, slots=True)
class ReleasedTable:
    """The figures of one instrument text's blocks, or of several pooled."""

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


@dataclass(frozen=True, slots=True)
class Report:
    """A report: the only thing chat, files, charts and the command line render."""

    request: ReportRequest
    as_of: date  # the local day the report was made
    min_group_size: int
    tables: tuple[ReleasedTable, ...]
    held: tuple[Held, ...] = ()  # sets of the scope in no figure, per reason
    references: tuple[ReferenceFigure, ...] = REFERENCES
    scope_label: str = ""  # the activity's name or the session's label; "" for everything

    @property
    def is_empty(self) -> bool:
        """No released block in the scope: the report has no figures at all."""
        return not any(table.texts for table in self.tables)


def participation(report: Report) -> tuple[list[tuple[Cell, int]], int]:
    """How many complete sets each row holds in every instrument text together, and all: the
    sum of the rows' released figures across the report's tables (held-back sets are counted
    by the report's `held`)."""
    counts: dict[str, int] = {}
    cells: dict[str, Cell] = {}
    for table in report.tables:
        for row in table.rows:
            cells.setdefault(row.cell.key, row.cell)
            n = row.figures.n if isinstance(row.figures, Summary) else 0
            counts[row.cell.key] = counts.get(row.cell.key, 0) + n
    total = sum(t.total.figures.n for t in report.tables if isinstance(t.total.figures, Summary))
    return [(cell, counts[key]) for key, cell in cells.items()], total


def mean_answers(counts: Statements, n: int) -> tuple[float, ...]:
    """Each statement's mean answer, 1 to 5, from its option counts over `n` sets."""
    return tuple(sum((j + 1) * c for j, c in enumerate(row)) / n for row in counts)


@dataclass(frozen=True, slots=True)
class StatementFigures:
    """One statement's released figures: the share of the answers in each option (0-1), and
    its mean answer (1-5) at the start and at the end of the activity when both are shown."""

    shares: tuple[float, ...]
    start: float | None = None
    end: float | None = None


def statement_figures(table: ReleasedTable) -> tuple[StatementFigures, ...]:
    """The statements one by one, from the table's released blocks as every figure; nothing
    when its total has none. Start and end come only when both sides have released blocks."""
    counts, total = table.total.statements, table.total.figures
    if counts is None or not isinstance(total, Summary):
        return ()
    starts: tuple[float | None, ...] = (None,) * len(counts)
    ends = starts
    pair = table.start_end
    both = None if pair is None else pair.compared
    if pair is not None and both is not None and pair.start_statements and pair.end_statements:
        starts = mean_answers(pair.start_statements, both[0].n)
        ends = mean_answers(pair.end_statements, both[1].n)
    return tuple(
        StatementFigures(tuple(c / total.n for c in row), start, end)
        for row, start, end in zip(counts, starts, ends, strict=True)
    )


def _row(cell: Cell, blocks: Sequence[ReleasedBlock], otherwise: NotShown | NoAnswers) -> Row:
    """A row's figures: its blocks added up, or why it has none."""
    if not blocks:
        return Row(cell, otherwise)
    if len(blocks) == 1:  # most rows by session: nothing to add up
        return Row(cell, summarize(blocks[0].tally), blocks[0].statements)
    options = [sum(column) for column in zip(*(chain(*b.statements) for b in blocks), strict=True)]
    statements = tuple(
        tuple(options[start : start + OPTIONS]) for start in range(0, len(options), OPTIONS)
    )
    return Row(cell, summarize(combine(b.tally for b in blocks)), statements)


def build_report(
    request: ReportRequest,
    sessions: Iterable[SessionInfo],
    blocks: Iterable[ReleasedBlock],
    held: Iterable[HeldSets] = (),
    *,
    as_of: date,
    min_group_size: int,
) -> Report:
    """The report a coordinator asked for, from the released blocks and the held-back counts.

    Give every released block and held-back count of the sessions in scope: the request's
    scope and date range are applied here.
    """
    if min_group_size < 1:
        raise ValueError("the minimum group size is at least 1")
    by_id = {s.id: s for s in sessions}
    in_scope = {s.id: s for s in by_id.values() if request.covers_session(s)}
    blocks = list(blocks)
    for block in blocks:
        if block.n < min_group_size:
            raise SmallBlock(
                f"block {block.id} holds {block.n} sets, fewer than the minimum {min_group_size}"
            )
    chosen = [b for b in blocks if b.session_id in in_scope and request.covers_day(b.released_on)]
    contributing = {b.session_id for b in chosen}
    counted = {
        s.id: s
        for s in in_scope.values()
        if s.id in contributing or request.covers_day(s.created_on)
    }
    held_sets = [h for h in held if h.session_id in counted and h.sets > 0]
    reasons: defaultdict[int, set[HoldReason]] = defaultdict(set)
    for h in held_sets:
        reasons[h.session_id].add(h.reason)

    texts = sorted({b.text for b in chosen}, key=lambda t: (not t.official, t))
    table_texts = (
        [tuple(texts)] if request.pool_provisional or not texts else [(t,) for t in texts]
    )
    table_of = {text: i for i, these in enumerate(table_texts) for text in these}

    breakdown = request.breakdown
    rows: dict[str, tuple[str, tuple[str, int]]] = {}  # key -> (label, sort order)
    row_sessions: defaultdict[str, set[int]] = defaultdict(set)
    if breakdown in _BY_SESSION:
        for session in counted.values():
            row_sessions[_place(breakdown, session, None, rows)].add(session.id)
    by_row: list[defaultdict[str, list[ReleasedBlock]]] = [defaultdict(list) for _ in table_texts]
    totals: list[list[ReleasedBlock]] = [[] for _ in table_texts]
    kinds: list[defaultdict[SessionKind, list[ReleasedBlock]]] = [
        defaultdict(list) for _ in table_texts
    ]
    for block in chosen:
        session = counted[block.session_id]
        key = _place(breakdown, session, block, rows)
        row_sessions[key].add(session.id)
        table = table_of[block.text]
        by_row[table][key].append(block)
        totals[table].append(block)
        kinds[table][session.kind].append(block)

    def not_shown(session_ids: Iterable[int]) -> NotShown | NoAnswers:
        found = set().union(*(reasons[i] for i in session_ids))
        return NotShown(tuple(r for r in HoldReason if r in found)) if found else NO_ANSWERS

    def kind_ids(kind: SessionKind) -> list[int]:
        return [s.id for s in counted.values() if s.kind is kind]

    cells = [
        _cell(breakdown, key, label, row_sessions[key], counted)
        for key, (label, _) in sorted(rows.items(), key=lambda item: item[1][1])
    ]
    total_cell = Cell(TOTAL_KEY, "", len(counted), sum(s.unfinished for s in counted.values()))
    tables = []
    for texts_here, row_blocks, total, by_kind in zip(
        table_texts, by_row, totals, kinds, strict=True
    ):
        start_end = None
        if request.activity_id is not None:
            start, end = (
                _row(total_cell, by_kind[kind], not_shown(kind_ids(kind)))
                for kind in (SessionKind.START, SessionKind.END)
            )
            start_end = StartEnd(
                start.figures,
                end.figures,
                _difference(start.figures, end.figures),
                start.statements,
                end.statements,
            )
        tables.append(
            ReleasedTable(
                texts_here,
                tuple(
                    _row(
                        cell,
                        row_blocks[cell.key],
                        not_shown(row_sessions[cell.key])
                        if breakdown in _BY_SESSION
                        else NO_ANSWERS,
                    )
                    for cell in cells
                ),
                _row(total_cell, total, not_shown(counted)),
                start_end,
            )
        )
    return Report(
        request,
        as_of,
        min_group_size,
        tuple(tables),
        _held(held_sets),
        scope_label=_scope_label(request, in_scope.values()),
    )


def _scope_label(request: ReportRequest, sessions: Iterable[SessionInfo]) -> str:
    """The name of what a report covers: its activity or its session."""
    for session in sessions:
        if request.session_id is not None:
            return session.label
        if request.activity_id is not None:
            return session.activity_name
    return ""


def _held(held: Sequence[HeldSets]) -> tuple[Held, ...]:
    sessions: defaultdict[HoldReason, set[int]] = defaultdict(set)
    sets: defaultdict[HoldReason, int] = defaultdict(int)
    for h in held:
        sessions[h.reason].add(h.session_id)
        sets[h.reason] += h.sets
    return tuple(Held(r, len(sessions[r]), sets[r]) for r in HoldReason if r in sets)


def _difference(start: Figures, end: Figures) -> Difference | NotShown | NoAnswers:
    if isinstance(start, Summary) and isinstance(end, Summary):
        return difference(start, end)
    for side in (start, end):
        if isinstance(side, NotShown):
            return side
    return NO_ANSWERS


def _place(
    breakdown: Breakdown,
    session: SessionInfo,
    block: ReleasedBlock | None,
    rows: dict[str, tuple[str, tuple[str, int]]],
) -> str:
    """The row a block (or a whole session, for rows made of sessions) falls in."""
    if breakdown is Breakdown.MONTH:
        assert block is not None, "months are those of releases"
        key = label = f"{block.released_on.year:04d}-{block.released_on.month:02d}"
        order = (key, 0)
    elif breakdown is Breakdown.LANGUAGE:
        assert block is not None, "sessions are not placed by language"
        key = label = block.text.language
        order = (key, 0)
    elif breakdown is Breakdown.ACTIVITY:
        key = "none" if session.activity_id is None else str(session.activity_id)
        label = session.activity_name
        order = (label, -1 if session.activity_id is None else session.activity_id)
    elif breakdown is Breakdown.SESSION:
        key, label = str(session.id), session.label
        order = (session.created_on.isoformat(), session.id)
    else:
        key = label = session.kind.value
        order = ("", _KINDS.index(session.kind))
    rows.setdefault(key, (label, order))
    return key


def _cell(
    breakdown: Breakdown,
    key: str,
    label: str,
    sessions: set[int],
    counted: dict[int, SessionInfo],
) -> Cell:
    if breakdown is Breakdown.LANGUAGE:
        return Cell(key, label, None, None)
    # A standing session's blocks fall in several months: its unfinished check-ins have none.
    unfinished = (
        None if breakdown is Breakdown.MONTH else sum(counted[i].unfinished for i in sessions)
    )
    facts = None
    if breakdown is Breakdown.SESSION:
        session = counted[int(key)]
        facts = SessionFacts(session.activity_name, session.created_on, session.kind)
    return Cell(key, label, len(sessions), unfinished, facts)
