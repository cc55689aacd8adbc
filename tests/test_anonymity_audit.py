"""The differencing auditor, run on the product over random stored worlds, and on broken
variants of it."""

import random
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.core.report_model import ReleasedBlock, SessionInfo
from bot.core.reports import HeldSets, HoldReason, build_report
from bot.core.row_export import ExportRow
from bot.core.sessions import SessionKind
from tests.anonymity_audit import (
    block_coverage,
    blocks_of_sets,
    determined_small_groups,
    every_request,
    reports_product,
    set_signatures,
    small_classes,
)
from tests.report_data import SV, TODAY, block
from tests.worlds import random_world, store_world

K = 5
JAN_31, FEB_1 = date(2026, 1, 31), date(2026, 2, 1)


def workroom(i: int, label: str, kind: SessionKind = SessionKind.SINGLE) -> SessionInfo:
    return SessionInfo(i, label, 1, "Avoin työhuone", kind, True, JAN_31)


SESSIONS = [workroom(1, "Alone"), workroom(2, "Big"), workroom(3, "Bigger", SessionKind.START)]


def audit(
    blocks: list[ReleasedBlock], members: dict[int, list[int]], k: int, *, product_k: int = K
) -> tuple[list[frozenset[int]], list[frozenset[int]]]:
    """Small classes and determined small groups of every report over these blocks;
    `members[block id]` are the stored sets in each block; `product_k` is the minimum the
    product is built with (a broken product: below the true k)."""
    requests = every_request(SESSIONS, blocks)
    product = reports_product(SESSIONS, [], requests, as_of=TODAY, min_group_size=product_k)
    sets_in = {s: frozenset({b}) for b, sets in members.items() for s in sets}
    signatures = set_signatures(sets_in, block_coverage(product, blocks))
    return small_classes(signatures, k), determined_small_groups(signatures, k)


def scores(n: int, first: float = 50.0) -> list[float]:
    return [first + 2.5 * i for i in range(n)]


def test_the_auditor_flags_a_figure_built_from_a_block_smaller_than_k() -> None:
    # One person's set released as a block of its own: "by month" minus "by session" is them.
    blocks = [
        block(1, 1, JAN_31, [40.0]),
        block(2, 2, JAN_31, scores(5)),
        block(3, 3, JAN_31, scores(6)),
    ]
    members = {1: [100], 2: [200, 201, 202, 203, 204], 3: [300, 301, 302, 303, 304, 305]}
    small, determined = audit(blocks, members, K, product_k=1)
    assert small == [frozenset({100})]
    assert determined == [frozenset({100})]


def test_the_auditor_flags_blocks_placed_by_the_day_sent_instead_of_released() -> None:
    # A check-in running past midnight at a month's end, cut by the day each set was sent:
    # the one set sent after midnight is February's figure, alone.
    blocks = [
        block(1, 2, JAN_31, scores(4)),
        block(2, 2, FEB_1, [90.0]),
        block(3, 3, FEB_1, scores(6)),
    ]
    members = {1: [200, 201, 202, 203], 2: [204], 3: [300, 301, 302, 303, 304, 305]}
    small, determined = audit(blocks, members, K, product_k=1)
    assert frozenset({204}) in small
    assert frozenset({204}) in determined


def test_the_same_worlds_released_in_whole_blocks_leak_nothing() -> None:
    # Released as the product releases them: the lone set and the late one are never shown,
    # the session past midnight is one block on the day of its release.
    blocks = [
        block(2, 2, FEB_1, scores(5)),
        block(3, 3, FEB_1, scores(6)),
        block(4, 3, FEB_1, scores(5), SV),
    ]
    members = {
        2: [200, 201, 202, 203, 204],
        3: [300, 301, 302, 303, 304, 305],
        4: [306, 307, 308, 309, 310],
    }
    small, determined = audit(blocks, members, K)
    assert small == determined == []


def test_held_back_sets_change_no_figure() -> None:
    requests = every_request(SESSIONS, [])
    held = [HeldSets(1, HoldReason.TOO_FEW, 1), HeldSets(2, HoldReason.OPEN, 3)]
    product = reports_product(SESSIONS, held, requests, as_of=TODAY, min_group_size=K)
    assert block_coverage(product, []) == {}


def flip(points: tuple[int, ...]) -> tuple[int, ...]:
    """Other answers with another score: all lowest, or all highest if the score is low."""
    return (1,) * 10 if sum(points) > 30 else (5,) * 10


def row_groups(rows: list[ExportRow]) -> dict[tuple[object, ...], tuple[tuple[object, ...], ...]]:
    """The row export as a reader has it: per combination of the columns a block shares, the
    rows' answers as a multiset (the order is random)."""
    groups: defaultdict[tuple[object, ...], list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        groups[tuple(row[:8])].append(tuple(row[8:]))
    return {key: tuple(sorted(found)) for key, found in groups.items()}


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """Where the worlds' databases go: in memory-backed /dev/shm where there is one, since a
    world is stored again once per set and every commit waits for the disk."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm) as name:
        yield Path(name)


@pytest.mark.parametrize("seed", range(3))
async def test_no_report_determines_a_set_or_a_group_below_the_minimum(
    seed: int, folder: Path
) -> None:
    world = random_world(random.Random(seed))
    k = world.k
    base = await store_world(world, folder / "base.sqlite3")
    try:
        requests = every_request(base.sessions, base.blocks)
        as_of = base.services.today()
        # The chat and the command line (make_report) build exactly these reports from the
        # blocks read from the database: flipping a block is flipping what they read.
        for request in requests[:: max(1, len(requests) // 150)]:
            built = build_report(
                request, base.sessions, base.blocks, base.held, as_of=as_of, min_group_size=k
            )
            assert await base.report(request) == built
        product = reports_product(
            base.sessions, base.held, requests, as_of=as_of, min_group_size=k
        )
        covers = block_coverage(product, base.blocks)
    finally:
        await base.services.close()

    answers = [s.points for s in world.sets]
    runs = []
    direct: dict[int, frozenset[object]] = {}
    base_rows = row_groups(base.rows)
    for i in range(len(world.sets)):
        changed = [*answers[:i], flip(answers[i]), *answers[i + 1 :]]
        run = await store_world(world, folder / f"run-{i}.sqlite3", changed)
        await run.services.close()
        runs.append((i, run.blocks))
        rows = row_groups(run.rows)
        assert rows.keys() == base_rows.keys()
        direct[i] = frozenset(("rows", key) for key in rows if rows[key] != base_rows[key])
    sets_in = blocks_of_sets(base.blocks, runs)

    # Perturbation found every block's sets, and the rest are the ones held back.
    members = Counter(b for blocks in sets_in.values() for b in blocks)
    assert members == {b.id: b.n for b in base.blocks}
    assert sum(not blocks for blocks in sets_in.values()) == sum(h.sets for h in base.held)
    assert all(len(blocks) <= 1 for blocks in sets_in.values())

    signatures = set_signatures(sets_in, covers, direct)
    assert small_classes(signatures, k) == []
    assert determined_small_groups(signatures, k) == []
    # Every shown figure covers someone: the audit looked at real figures.
    assert any(signatures.values()) == bool(base.blocks)


def test_the_audited_worlds_hold_what_the_attacks_use() -> None:
    worlds = [random_world(random.Random(seed)) for seed in range(3)]
    sessions = [s for w in worlds for s in w.sessions]
    sets = [(w.sessions[one.session], one) for w in worlds for one in w.sets]
    assert any(s.closes is not None and one.sent > s.closes for s, one in sets)  # late sets
    assert any(s.closes is None or s.closes - s.opened > timedelta(days=1) for s in sessions)
    assert len({(one.sent.year, one.sent.month) for _, one in sets}) >= 2
    assert {one.lang for _, one in sets} >= {"fi", "sv"}
    assert {s.kind for s in sessions} == set(SessionKind)
    sizes = [
        sum(one.session == i for one in w.sets) for w in worlds for i in range(len(w.sessions))
    ]
    assert min(sizes) < worlds[0].k <= max(sizes)  # sessions below and above the minimum
