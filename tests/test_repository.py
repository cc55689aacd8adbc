import asyncio
import sqlite3
import stat
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.core.checkin import Draft
from bot.core.instrument import DEFAULT_DIR, load_instrument
from bot.core.sessions import SessionKind
from bot.storage.answer_sets import AlreadyAnswered
from bot.storage.database import DatabaseError, connect, migrations, statements
from bot.storage.drafts import Drafts
from tests.stores import Stores, open_stores

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FI = load_instrument(DEFAULT_DIR / "fi.toml")
PERSON, DRAFT_KEY = b"p" * 32, b"d" * 32


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Stores]:
    db = await open_stores(tmp_path / "db.sqlite3")
    yield db
    await db.close()


async def test_the_database_is_durable_and_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "db.sqlite3"
    conn = await connect(path)
    try:
        pragmas = {}
        for name in (
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "secure_delete",
            "journal_size_limit",
            "user_version",
        ):
            async with conn.execute(f"PRAGMA {name}") as cursor:
                row = await cursor.fetchone()
                assert row is not None
                pragmas[name] = row[0]
    finally:
        await conn.close()
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "foreign_keys": 1,
        "secure_delete": 1,
        "journal_size_limit": 2**20,  # the WAL shrinks back after a checkpoint
        "user_version": migrations()[-1][0],
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_migrations_run_once(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    await (await connect(path)).close()
    conn = await connect(path)  # a second start must not re-create tables
    await conn.close()


async def test_a_corrupt_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="cannot use the database"):
        await connect(path)


async def test_sessions_are_found_by_either_code(db: Stores) -> None:
    session = await db.sessions.create_session("Avoin työhuone", "J" * 22, "ABC234", T0)
    assert await db.sessions.session_by_join_code("J" * 22) == session
    assert await db.sessions.session_by_short_code("ABC234", T0 - timedelta(hours=1)) == session
    assert await db.sessions.session_by_join_code("ABC234") is None
    assert await db.sessions.session_by_short_code("J" * 22, T0 - timedelta(hours=1)) is None


@pytest.mark.parametrize("kind", list(SessionKind))
async def test_a_sessions_kind_is_read_back_as_a_session_kind(
    db: Stores, kind: SessionKind
) -> None:
    sessions = db.sessions
    created = await sessions.create_session("Avoin työhuone", "J" * 22, "ABC234", T0, kind=kind)
    found = await sessions.session_by_id(created.id)
    assert found is not None
    assert found.kind is kind


async def test_a_short_code_works_only_while_its_session_is_open_and_young(
    db: Stores,
) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    assert await db.sessions.session_by_short_code("ABC234", T0) is None  # created too long ago
    await db.sessions.close_session(session.id, T0)
    assert await db.sessions.session_by_short_code("ABC234", T0 - timedelta(hours=1)) is None
    closed = await db.sessions.session_by_join_code("J" * 22)  # the link still says it has ended
    assert closed is not None
    assert closed.closed


async def test_a_draft_round_trips(db: Stores) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    draft = replace(Draft.begin(session.id, "sv", T0, 7), answers=(5, 4, None, *(None,) * 7))
    await db.drafts.save_draft(PERSON, DRAFT_KEY, draft)
    assert await db.drafts.draft_for(PERSON) == draft
    assert await Drafts(db.store).draft_for(PERSON) == draft  # read from the database
    db.drafts.set_prompt(PERSON, 11)
    assert await db.drafts.draft_for(PERSON) == replace(draft, prompt_message_id=11)
    assert (await db.sessions.counts(session.id)).in_progress == 1


async def test_a_draft_is_stored_to_the_hour_only(db: Stores) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    draft = Draft.begin(session.id, "fi", T0 + timedelta(minutes=41, seconds=7))
    await db.drafts.start_check_in(PERSON, DRAFT_KEY, draft)
    await db.drafts.save_draft(b"q" * 32, b"e" * 32, draft)
    assert await db.store.all("SELECT DISTINCT updated_at FROM draft") == [(T0.isoformat(),)]
    assert await db.drafts.draft_for(PERSON) == replace(draft, updated_at=T0)  # as a restart reads


async def stored_prompt(db: Stores) -> int | None:
    """The live prompt as the database has it (as a restarted bot would read it)."""
    draft = await Drafts(db.store).draft_for(PERSON)
    assert draft is not None
    return draft.prompt_message_id


async def test_prompts_are_written_soon_after_together(tmp_path: Path) -> None:
    db = await open_stores(tmp_path / "db.sqlite3", prompt_write_delay=0.05)
    try:
        session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
        for n, person in enumerate((PERSON, b"q" * 32)):
            await db.drafts.save_draft(person, bytes([n]) * 32, Draft.begin(session.id, "fi", T0))
            db.drafts.set_prompt(person, 11 + n)
        assert await stored_prompt(db) is None  # not yet
        await asyncio.sleep(0.3)
        assert await stored_prompt(db) == 11
        other = await Drafts(db.store).draft_for(b"q" * 32)
        assert other is not None
        assert other.prompt_message_id == 12
    finally:
        await db.close()


async def saved_draft(db: Stores) -> Draft:
    """A new session, and PERSON's fresh check-in in it, saved."""
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    draft = Draft.begin(session.id, "fi", T0)
    await db.drafts.save_draft(PERSON, DRAFT_KEY, draft)
    return draft


async def test_a_step_saved_after_a_prompt_wins_over_it(db: Stores) -> None:
    draft = await saved_draft(db)
    db.drafts.set_prompt(PERSON, 11)
    # The next answer is saved before the prompt was written: "no prompt" must stay.
    await db.drafts.save_draft(PERSON, DRAFT_KEY, replace(draft, position=1))
    await db.drafts.write_prompts()
    assert await stored_prompt(db) is None
    assert await db.drafts.draft_for(PERSON) == replace(draft, position=1)


async def test_closing_writes_the_prompts_still_waiting(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = await open_stores(path, prompt_write_delay=3600)
    await saved_draft(db)
    db.drafts.set_prompt(PERSON, 11)
    await db.close()
    reopened = await open_stores(path)
    try:
        assert await stored_prompt(reopened) == 11
    finally:
        await reopened.close()


async def test_submitting_stores_the_set_and_removes_the_draft_together(db: Stores) -> None:
    draft = await saved_draft(db)
    session = await db.sessions.session_by_id(draft.session_id)
    assert session is not None
    await db.answer_sets.submit(PERSON, DRAFT_KEY, draft, (3,) * 10, 50.0, FI, date(2026, 11, 23))
    assert await db.drafts.draft_for(PERSON) is None
    counts = await db.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (1, 0)
    assert await db.answer_sets.has_participated(session.id, DRAFT_KEY)


async def test_a_second_set_in_the_same_session_is_refused(db: Stores) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    draft = Draft.begin(session.id, "fi", T0)
    await db.answer_sets.submit(PERSON, DRAFT_KEY, draft, (3,) * 10, 50.0, FI, date(2026, 11, 23))
    await db.drafts.save_draft(PERSON, DRAFT_KEY, draft)
    with pytest.raises(AlreadyAnswered):
        await db.answer_sets.submit(
            PERSON, DRAFT_KEY, draft, (5,) * 10, 100.0, FI, date(2026, 11, 23)
        )
    assert (await db.sessions.counts(session.id)).complete == 1


async def test_invalid_answers_never_reach_the_table(db: Stores) -> None:
    draft = await saved_draft(db)
    with pytest.raises(aiosqlite.IntegrityError):
        await db.answer_sets.submit(
            PERSON, DRAFT_KEY, draft, (6,) * 10, 125.0, FI, date(2026, 11, 23)
        )
    # The failed transaction left everything as it was.
    assert await db.drafts.draft_for(PERSON) == draft
    assert not await db.answer_sets.has_participated(draft.session_id, DRAFT_KEY)


async def test_expired_drafts_are_deleted(db: Stores) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    await db.drafts.save_draft(PERSON, DRAFT_KEY, Draft.begin(session.id, "fi", T0))
    await db.drafts.save_draft(
        b"q" * 32, b"e" * 32, Draft.begin(session.id, "fi", T0 + timedelta(hours=2))
    )
    assert await db.drafts.expire_drafts(T0 - timedelta(hours=1)) == []
    assert await db.drafts.expire_drafts(T0) == [session.id]
    assert await db.drafts.draft_for(PERSON) is None
    assert await db.drafts.draft_for(b"q" * 32) is not None


async def test_closing_keeps_unfinished_answers_for_the_grace_period_only(
    db: Stores,
) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    await db.drafts.save_draft(PERSON, DRAFT_KEY, Draft.begin(session.id, "fi", T0))
    assert await db.sessions.close_session(session.id, T0)
    assert not await db.sessions.close_session(session.id, T0)  # already closed
    closed = await db.sessions.session_by_id(session.id)
    assert closed is not None
    assert closed.closed
    assert await db.people.purge_closed(T0) == []  # still within the grace period
    assert await db.drafts.draft_for(PERSON) is not None
    assert await db.people.purge_closed(T0 + timedelta(seconds=1)) == [session.id]
    assert await db.drafts.draft_for(PERSON) is None


async def test_purging_a_closed_session_removes_its_participation_markers(
    db: Stores,
) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    draft = Draft.begin(session.id, "fi", T0)
    await db.answer_sets.submit(PERSON, DRAFT_KEY, draft, (3,) * 10, 50.0, FI, date(2026, 11, 23))
    await db.sessions.close_session(session.id, T0)
    await db.people.purge_closed(T0 + timedelta(minutes=1))
    assert not await db.answer_sets.has_participated(session.id, DRAFT_KEY)
    assert (await db.sessions.counts(session.id)).complete == 1


async def test_sessions_close_themselves_when_their_time_comes(db: Stores) -> None:
    due = await db.sessions.create_session(
        "A", "J" * 22, "ABC234", T0, closes_at=T0 + timedelta(hours=1)
    )
    later = await db.sessions.create_session(
        "B", "K" * 22, "DEF567", T0, closes_at=T0 + timedelta(hours=3)
    )
    assert await db.sessions.close_due_sessions(T0 + timedelta(hours=2)) == [due.id]
    closed = await db.sessions.session_by_id(due.id)
    assert closed is not None
    assert closed.closed_at == T0 + timedelta(hours=1)
    still = await db.sessions.session_by_id(later.id)
    assert still is not None
    assert not still.closed


async def test_forgetting_a_person_removes_draft_language_and_markers(db: Stores) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    other = await db.sessions.create_session("T", "K" * 22, "DEF567", T0)
    await db.answer_sets.submit(
        PERSON, DRAFT_KEY, Draft.begin(other.id, "fi", T0), (3,) * 10, 50.0, FI, date(2026, 11, 23)
    )
    await db.drafts.save_draft(PERSON, b"e" * 32, Draft.begin(session.id, "fi", T0))
    await db.people.set_language(PERSON, "en")
    removed = await db.people.forget_person(PERSON, [DRAFT_KEY, b"e" * 32])
    assert removed == 3
    assert await db.drafts.draft_for(PERSON) is None
    assert await db.people.language_for(PERSON) is None
    assert not await db.answer_sets.has_participated(other.id, DRAFT_KEY)
    # The sent set itself stays: it is anonymous.
    assert (await db.sessions.counts(other.id)).complete == 1


async def test_steps_saved_at_once_are_committed_together(db: Stores) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    statements: list[str] = []
    await db.store.conn.set_trace_callback(statements.append)
    people = [bytes([n]) * 32 for n in range(50)]
    drafts = [replace(Draft.begin(session.id, "fi", T0), position=n % 10) for n in range(50)]
    await asyncio.gather(
        *(
            db.drafts.save_draft(person, person[::-1], draft)
            for person, draft in zip(people, drafts, strict=True)
        )
    )
    inserts = [s for s in statements if s.startswith("INSERT INTO draft")]
    assert 1 <= len(inserts) <= 2  # the first alone, then everyone who came meanwhile
    fresh = Drafts(db.store)
    for person, draft in zip(people, drafts, strict=True):
        assert await fresh.draft_for(person) == draft


async def test_one_bad_step_does_not_fail_those_saved_with_it(db: Stores) -> None:
    session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
    good = Draft.begin(session.id, "fi", T0)
    bad = Draft.begin(session.id + 1, "fi", T0)  # no such session
    results = await asyncio.gather(
        db.drafts.save_draft(PERSON, DRAFT_KEY, good),
        db.drafts.save_draft(b"q" * 32, b"e" * 32, good),
        db.drafts.save_draft(b"r" * 32, b"f" * 32, bad),
        db.drafts.save_draft(b"s" * 32, b"g" * 32, good),
        return_exceptions=True,
    )
    assert results[0] is None
    assert results[1] is None
    assert isinstance(results[2], aiosqlite.IntegrityError)
    assert results[3] is None
    fresh = Drafts(db.store)
    assert [await fresh.draft_for(key) for key in (PERSON, b"q" * 32, b"r" * 32, b"s" * 32)] == [
        good,
        good,
        None,
        good,
    ]
    assert await db.drafts.draft_for(b"r" * 32) is None


async def test_prompts_made_out_of_date_while_waiting_write_nothing(
    db: Stores, caplog: pytest.LogCaptureFixture
) -> None:
    await saved_draft(db)
    draft = await db.drafts.draft_for(PERSON)
    assert draft is not None
    db.drafts.set_prompt(PERSON, 11)
    async with db.store.exclusive():  # another write is under way
        writing = asyncio.create_task(db.drafts.write_prompts())
        await asyncio.sleep(0)
        # The next step is saved meanwhile: the only waiting prompt is out of date.
        saving = asyncio.create_task(db.drafts.save_draft(PERSON, DRAFT_KEY, draft))
        await asyncio.sleep(0)
    await asyncio.gather(writing, saving)
    assert caplog.records == []
    assert await stored_prompt(db) is None


async def test_sessions_from_before_sessions_had_a_language_become_finnish(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path) as old:  # a database as version 5 left it
        for number, sql in migrations():
            if number <= 5:
                for statement in statements(sql):
                    await old.execute(statement)
        await old.execute("PRAGMA user_version = 5")
        await old.execute(
            "INSERT INTO session (id, join_code, short_code, label, created_at) "
            "VALUES (1, ?, 'ABC234', 'Vanha', '2026-11-01T08:00:00+00:00')",
            ("J" * 22,),
        )
        await old.commit()

    db = await open_stores(path)
    try:
        old_session = await db.sessions.session_by_join_code("J" * 22)
        assert old_session is not None
        assert (old_session.label, old_session.lang) == ("Vanha", "fi")
        new = await db.sessions.create_session("Uusi", "K" * 22, "DEF567", T0, lang="sv")
        assert await db.sessions.session_by_id(new.id) == new
        assert new.lang == "sv"
        with pytest.raises(sqlite3.IntegrityError):  # only a language code fits
            await db.sessions.create_session("Väärä", "L" * 22, "GHJ567", T0, lang="SV; --")
    finally:
        await db.close()
