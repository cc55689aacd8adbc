"""Release blocks in the database: sets wait apart, then move for good into fixed blocks."""

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.core.checkin import Draft
from bot.core.instrument import DEFAULT_DIR, load_instrument
from bot.core.release import HeldBack, ReleasedRow
from bot.core.scoring import score
from bot.core.sessions import Session
from bot.core.statistics import Tally
from bot.storage.blocks import BlockRepository
from bot.storage.database import migrations, statements
from tests.report_data import FI, HELSINKI
from tests.stores import Stores, open_stores

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday, 12:00 in Helsinki
MONDAY = date(2026, 11, 23)
GRACE = timedelta(minutes=15)
K = 5
INSTRUMENTS = {lang: load_instrument(DEFAULT_DIR / f"{lang}.toml") for lang in ("fi", "sv")}


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Stores]:
    db = await open_stores(tmp_path / "db.sqlite3")
    yield db
    await db.close()


async def send(
    db: Stores, session: Session, points: tuple[int, ...], day: date, lang: str = "fi"
) -> None:
    """One person's complete set, sent as the check-in sends it."""
    key = secrets.token_bytes(32)
    draft = Draft.begin(session.id, lang, T0)
    await db.answer_sets.submit(key, key, draft, points, score(points), INSTRUMENTS[lang], day)


async def release(db: Stores, now: datetime) -> list[int]:
    return await BlockRepository(db.store).release(now, zone=HELSINKI, grace=GRACE, min_size=K)


async def new_session(db: Stores, label: str = "S") -> Session:
    code = secrets.token_hex(11)
    return await db.sessions.create_session(label, code, code[:6].upper(), T0)


async def test_a_sent_set_waits_and_counts_for_the_facilitator_only(db: Stores) -> None:
    session = await new_session(db)
    await send(db, session, (3,) * 10, MONDAY)
    blocks = BlockRepository(db.store)
    assert (await db.sessions.counts(session.id)).complete == 1
    assert await blocks.released_blocks() == []
    assert await blocks.held_back() == {session.id: HeldBack(waiting=1, withheld=0)}
    assert await release(db, T0 + timedelta(hours=1)) == []  # open, and sent today


async def test_a_closed_session_is_released_as_one_block_with_its_figures(
    db: Stores,
) -> None:
    session = await new_session(db)
    sent = [(n % 5 + 1, *(3,) * 9) for n in range(6)]
    for points in sent:
        await send(db, session, points, MONDAY)
    await send(db, session, (5,) * 10, MONDAY, lang="sv")
    await db.sessions.close_session(session.id, T0)
    assert await release(db, T0 + GRACE - timedelta(seconds=1)) == []
    assert await release(db, T0 + GRACE) == [session.id]

    blocks = BlockRepository(db.store)
    [block] = await blocks.released_blocks()
    assert (block.session_id, block.text, block.released_on, block.n) == (
        session.id,
        FI,
        MONDAY,
        6,
    )
    assert block.tally == Tally.of(score(points) for points in sent)
    assert block.statements[0] == (2, 1, 1, 1, 1)
    assert block.statements[1] == (0, 0, 6, 0, 0)
    # The one Swedish set is a block of its own, withheld for good.
    assert await blocks.held_back() == {session.id: HeldBack(waiting=0, withheld=1)}
    assert await blocks.held_back([session.id + 1]) == {}
    assert (await db.sessions.counts(session.id)).complete == 7  # the facilitator's count stays
    assert await db.store.all("SELECT * FROM pending_set") == []
    # Fixed: a later release changes nothing.
    assert await release(db, T0 + timedelta(days=3)) == []
    assert await blocks.released_blocks() == [block]


async def test_a_set_after_the_release_starts_a_new_block(db: Stores) -> None:
    session = await new_session(db)
    for _ in range(5):
        await send(db, session, (4,) * 10, MONDAY)
    await db.sessions.close_session(session.id, T0)
    await release(db, T0 + GRACE)
    await send(db, session, (1,) * 10, MONDAY)  # however it came, it is not added
    assert await release(db, T0 + GRACE + timedelta(minutes=1)) == [session.id]
    blocks = BlockRepository(db.store)
    [block] = await blocks.released_blocks()
    assert block.tally == Tally.of([75.0] * 5)
    assert await blocks.held_back() == {session.id: HeldBack(waiting=0, withheld=1)}


async def test_an_open_session_releases_earlier_days_in_blocks(db: Stores) -> None:
    session = await new_session(db)
    for day, n in ((MONDAY, 3), (MONDAY + timedelta(days=1), 2), (MONDAY + timedelta(days=2), 4)):
        for _ in range(n):
            await send(db, session, (2,) * 10, day)
    thursday = T0 + timedelta(days=3)
    assert await release(db, thursday) == [session.id]
    blocks = BlockRepository(db.store)
    [block] = await blocks.released_blocks([session.id])
    assert (block.n, block.released_on) == (5, MONDAY + timedelta(days=1))
    assert await blocks.held_back() == {session.id: HeldBack(waiting=4, withheld=0)}


async def test_released_rows_come_from_big_enough_blocks_in_random_order(
    db: Stores,
) -> None:
    big, small = await new_session(db, "Big"), await new_session(db, "Small")
    for first in (1, 2, 3, 4, 5, 1, 2):
        await send(db, big, (first, *(3,) * 9), MONDAY)
    for first in range(1, 6):
        await send(db, small, (first, *(4,) * 9), MONDAY, lang="sv")
    for session in (big, small):
        await db.sessions.close_session(session.id, T0)
    await release(db, T0 + GRACE)
    blocks = BlockRepository(db.store)
    [big_block, small_block] = await blocks.released_blocks()

    rows = await blocks.released_rows(6)
    assert sorted(rows, key=lambda r: r.points) == [
        ReleasedRow(big_block.id, big.id, FI, (first, *(3,) * 9), score((first, *(3,) * 9)))
        for first in (1, 1, 2, 2, 3, 4, 5)
    ]
    assert {r.block_id for r in await blocks.released_rows(5)} == {big_block.id, small_block.id}
    assert {r.text.language for r in await blocks.released_rows(5, [small.id])} == {"sv"}
    assert await blocks.released_rows(5, []) == []
    # Random order: over a few reads, the rows do not always come in the same order.
    orders = {tuple(r.points for r in await blocks.released_rows(6)) for _ in range(6)}
    assert len(orders) > 1


async def test_reports_read_the_shown_blocks_only(db: Stores) -> None:
    session, small = await new_session(db), await new_session(db)
    for _ in range(5):
        await send(db, session, (3,) * 10, MONDAY)
    await send(db, small, (3,) * 10, MONDAY)
    for closed in (session, small):
        await db.sessions.close_session(closed.id, T0)
    await release(db, T0 + GRACE)
    blocks = BlockRepository(db.store)
    [block] = await blocks.released_blocks()
    assert (block.session_id, block.released_on, block.n) == (session.id, MONDAY, 5)
    assert await blocks.released_blocks([small.id]) == []


# Migrations


def test_statements_are_split_where_sqlite_ends_them() -> None:
    script = (
        "CREATE TABLE t (v TEXT);\n"
        "INSERT INTO t VALUES ('a;\nb');\n"
        "-- a comment; with a semicolon\n"
        "CREATE TRIGGER t_one AFTER INSERT ON t BEGIN\n"
        "    UPDATE t SET v = v || ';';\n"
        "END;\n"
        "SELECT 1"
    )
    assert list(statements(script)) == [
        "CREATE TABLE t (v TEXT);",
        "INSERT INTO t VALUES ('a;\nb');",
        "-- a comment; with a semicolon\nCREATE TRIGGER t_one AFTER INSERT ON t BEGIN\n"
        "    UPDATE t SET v = v || ';';\nEND;",
        "SELECT 1",
    ]


async def test_sets_stored_before_blocks_wait_and_are_released_by_the_rules(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path) as old:  # a database as version 3 left it
        for number, sql in migrations():
            if number <= 3:
                for statement in statements(sql):
                    await old.execute(statement)
        await old.execute("PRAGMA user_version = 3")
        await old.execute(
            "INSERT INTO session (id, join_code, short_code, label, created_at, closed_at) "
            "VALUES (1, 'j', 'S', 'Old', '2026-11-01T08:00:00+00:00', "
            "'2026-11-01T10:00:00+00:00')"
        )
        for n in range(6):
            await old.execute(
                "INSERT INTO answer_set VALUES (?, 1, 'fi', 'official', 'THL 2019', "
                "3, 3, 3, 3, 3, 3, 3, 3, 3, ?, ?, '2026-11-01')",
                (secrets.token_bytes(16), n % 5 + 1, score((3,) * 9 + (n % 5 + 1,))),
            )
        await old.execute(
            "INSERT INTO draft VALUES (?, ?, 1, 'fi', 'n', 'asking', 1, '3000000000', 0, "
            "NULL, NULL, '2026-11-01T09:41:07.123456+00:00')",
            (b"m" * 32, b"p" * 32),
        )
        await old.commit()

    db = await open_stores(path)
    try:
        assert len(await db.store.all("SELECT * FROM pending_set")) == 6
        # The unfinished check-in goes on, keyed apart from the marker, to the hour only.
        draft = await db.drafts.draft_for(b"p" * 32)
        assert draft is not None
        assert draft.updated_at == datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
        assert await db.store.all("SELECT 1 FROM draft WHERE draft_key = ?", (b"m" * 32,)) == []
        assert await release(db, T0) == [1]
        [block] = await BlockRepository(db.store).released_blocks()
        assert (block.n, block.released_on) == (6, date(2026, 11, 1))
        assert block.statements[9] == (2, 1, 1, 1, 1)
    finally:
        await db.close()
