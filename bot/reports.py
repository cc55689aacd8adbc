"""Coordinator reports: rows per breakdown, a total, start versus end for one activity, and
published reference figures, with every figure released through `bot.suppression.release`.

Answers given in different instrument texts are never pooled silently: by default each text
(THL's official Finnish, each provisional translation) gets a table of its own, official texts
first. Pooling is an explicit choice, and a pooled table lists the texts it mixes.

Sessions are counted in the rows their released sets fall in; a session without released sets
in the scope is counted where its own attributes put it (its month: the month it was created).
Sessions and unfinished check-ins cannot be split by language, so those rows show no counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from bot.report_model import (
    Breakdown,
    ReportRequest,
    ScoreGroup,
    SessionInfo,
    SessionKind,
)
from bot.statistics import Tally
from bot.suppression import Atom, Cell, ReleasedTable, Table, releasable, release, today_in

TOTAL_KEY = "total"
_KINDS = tuple(SessionKind)
_GUIDE = "THL: Osallisuuden edistäjän opas (2023)"


@dataclass(frozen=True, slots=True)
class ReferenceFigure:
    """A published population figure, shown for context: small groups vary far more."""

    population: str
    year: int
    mean: float | None
    share_under_50: float | None  # 0-1
    source: str


REFERENCES = (
    ReferenceFigure(
        "Adults over 20 (FinSote)", 2019, 75.2, 0.10, f"Leemann et al. 2022, in {_GUIDE}"
    ),
    ReferenceFigure(
        "Unemployed adults (FinSote)", 2019, None, 0.245, f"Leemann et al. 2022, in {_GUIDE}"
    ),
    ReferenceFigure(
        "School Health Promotion study, 8th grade and up",
        2019,
        75.0,
        None,
        f"Leemann & Virrankari 2022, in {_GUIDE}",
    ),
    ReferenceFigure(
        "School Health Promotion study, 8th grade and up",
        2021,
        71.8,
        None,
        f"Leemann & Virrankari 2022, in {_GUIDE}",
    ),
    ReferenceFigure(
        "Capital-region wellbeing survey",
        2021,
        74.9,
        None,
        f"Pääkaupunkiseudun hyvinvointikysely 2021, in {_GUIDE}",
    ),
)


@dataclass(frozen=True, slots=True)
class Report:
    """A released report: the only thing chat, files, charts and the command line render."""

    request: ReportRequest
    as_of: date  # the local day: an open session's sets from this day on are not counted
    min_group_size: int
    is_empty: bool  # no answer set in the scope can be counted yet
    tables: tuple[ReleasedTable, ...]
    references: tuple[ReferenceFigure, ...] = REFERENCES


def build_report(
    request: ReportRequest,
    sessions: Iterable[SessionInfo],
    groups: Iterable[ScoreGroup],
    *,
    now: datetime,
    zone: tzinfo,
    min_group_size: int,
) -> Report:
    """Build and release the report a coordinator asked for."""
    by_id = {s.id: s for s in sessions}
    in_scope = {s.id: s for s in by_id.values() if request.covers_session(s)}
    chosen = [
        g
        for g in releasable(groups, by_id, now, zone, min_group_size)
        if g.session_id in in_scope and request.covers_day(g.answered_on)
    ]
    texts = sorted({g.text for g in chosen}, key=lambda t: (not t.official, t))
    table_of = {text: 0 if request.pool_provisional else i for i, text in enumerate(texts)}
    table_texts = (
        [tuple(texts)] if request.pool_provisional or not texts else [(t,) for t in texts]
    )

    rows: dict[str, tuple[str, tuple[str, int]]] = {}  # key -> (label, sort order)
    row_sessions: defaultdict[str, set[int]] = defaultdict(set)
    sums: list[dict[Atom, list[int]]] = [{} for _ in table_texts]
    for group in chosen:
        session = in_scope[group.session_id]
        key = _place(request.breakdown, session, group, rows)
        row_sessions[key].add(session.id)
        atoms = sums[table_of[group.text]]
        atom = (key, session.kind)
        counts = atoms.get(atom)
        atoms[atom] = (
            list(group.tally.counts)
            if counts is None
            else [a + b for a, b in zip(counts, group.tally.counts, strict=True)]
        )
    contributing = {g.session_id for g in chosen}
    counted = [
        s for s in in_scope.values() if s.id in contributing or request.covers_day(s.created_on)
    ]
    for session in counted:
        if session.id not in contributing and request.breakdown is not Breakdown.LANGUAGE:
            row_sessions[_place(request.breakdown, session, None, rows)].add(session.id)

    cells = tuple(
        _cell(request.breakdown, key, label, row_sessions[key], in_scope)
        for key, (label, _) in sorted(rows.items(), key=lambda item: item[1][1])
    )
    total = Cell(TOTAL_KEY, "", len(counted), sum(s.unfinished for s in counted))
    tables = [
        Table(
            these,
            cells,
            total,
            {atom: Tally(tuple(counts)) for atom, counts in atoms.items()},
            compare_start_end=request.activity_id is not None,
        )
        for these, atoms in zip(table_texts, sums, strict=True)
    ]
    return Report(
        request,
        today_in(zone, now),
        min_group_size,
        is_empty=not chosen,
        tables=release(tables, min_group_size),
    )


def _place(
    breakdown: Breakdown,
    session: SessionInfo,
    group: ScoreGroup | None,
    rows: dict[str, tuple[str, tuple[str, int]]],
) -> str:
    """The row a group of sets (or a session without sets) falls in; remembers the row."""
    if breakdown is Breakdown.MONTH:
        day = session.created_on if group is None else group.answered_on
        key = label = f"{day.year:04d}-{day.month:02d}"
        order = (key, 0)
    elif breakdown is Breakdown.LANGUAGE:
        assert group is not None, "sessions are not placed by language"
        key = label = group.text.language
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
    in_scope: dict[int, SessionInfo],
) -> Cell:
    if breakdown is Breakdown.LANGUAGE:
        return Cell(key, label, None, None)
    # A session spans months when its link stays open: its unfinished check-ins have no month.
    unfinished = (
        None if breakdown is Breakdown.MONTH else sum(in_scope[i].unfinished for i in sessions)
    )
    return Cell(key, label, len(sessions), unfinished)
