"""Database trouble: a corrupt file or a lock at start-up, a lock or a full disk while answering.

Start-up problems stop `checkin-bot run` with one clear line. A write that fails changes
nothing (SQLite's transaction is all or nothing), the person gets a kind word, and the next
try works.
"""

import asyncio
import contextlib
import os
import secrets
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.dev.emulator import BotAPIEmulator
from bot.dev.sandbox import Sandbox
from bot.storage.database import connect
from bot.ui import texts
from tests.faults.support import (
    draft_answers,
    fi,
    press_option,
    reach_review,
    start_check_in,
    stored,
)

# SQLite's default ceiling on pages, to lift a limit set for a test.
NO_PAGE_LIMIT = 1073741823


def environment(emu: BotAPIEmulator, database: Path) -> dict[str, str]:
    """`checkin-bot run` pointed at the emulator and the test's database, nothing else."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHECKIN_")}
    return clean | {
        "CHECKIN_BOT_TOKEN": emu.token,
        "CHECKIN_API_BASE_URL": emu.base_url,
        "CHECKIN_BOT_USERNAME": emu.bot_username,
        "CHECKIN_DATABASE": str(database),
        "CHECKIN_SECRET": "database-fault-secret-0123456789",
        "PTB_TIMEDELTA": "true",
    }


async def run_bot(
    emu: BotAPIEmulator, database: Path, wait: float
) -> tuple[int | None, list[str]]:
    """`python -m bot run` for at most ``wait`` seconds: exit code (None: still running, then
    stopped) and the lines it wrote to stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=environment(emu, database),
        cwd=database.parent,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    code: int | None = None
    try:
        code = await asyncio.wait_for(process.wait(), wait)
    except TimeoutError:
        pass
    finally:
        if process.returncode is None:  # still running: stopped, also when the test gives up
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
    assert process.stderr is not None
    return code, (await process.stderr.read()).decode().splitlines()


def one_clear_line(lines: list[str], database: Path) -> str:
    """The single line a start-up failure prints; it names the file and has no traceback."""
    assert len(lines) == 1, "\n".join(lines)
    assert lines[0].startswith("checkin-bot: "), lines[0]
    assert str(database) in lines[0]
    return lines[0]


async def migrated(database: Path) -> None:
    conn = await connect(database)
    await conn.close()


@contextlib.contextmanager
def held_lock(database: Path) -> Iterator[sqlite3.Connection]:
    """Another program writing: its transaction holds the database's write lock."""
    locker = sqlite3.connect(database, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        yield locker
    finally:
        if locker.in_transaction:
            locker.execute("ROLLBACK")
        locker.close()


# ----------------------------------------------------------------------------- start-up


def garbage(database: Path) -> None:
    database.write_bytes(b"this is not an SQLite database\n" * 300)


def torn_schema(database: Path) -> None:
    """A real database whose first page (the schema) was overwritten after its header."""
    asyncio.run(migrated(database))
    for leftover in (f"{database}-wal", f"{database}-shm"):
        Path(leftover).unlink(missing_ok=True)
    content = bytearray(database.read_bytes())
    content[100:4096] = secrets.token_bytes(3996)
    database.write_bytes(bytes(content))


@pytest.mark.parametrize("damage", [garbage, torn_schema])
def test_a_corrupt_file_stops_start_up_with_one_clear_line(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    database = tmp_path / "checkin.sqlite3"
    damage(database)
    before = database.read_bytes()

    async def start() -> tuple[int | None, list[str]]:
        async with BotAPIEmulator() as emu:
            result = await run_bot(emu, database, 30)
            assert not emu.polling
            return result

    code, lines = asyncio.run(start())
    assert code == 2
    line = one_clear_line(lines, database)
    assert "not a database" in line or "malformed" in line
    assert database.read_bytes() == before  # nothing written into it, nothing "repaired"


async def test_a_short_lock_at_start_up_is_waited_out(tmp_path: Path) -> None:
    database = tmp_path / "checkin.sqlite3"
    await migrated(database)
    async with BotAPIEmulator() as emu:
        with held_lock(database):
            starting = asyncio.create_task(run_bot(emu, database, 15))
            await asyncio.sleep(1.5)  # the bot is starting and waiting for the lock
        for _ in range(200):
            if emu.polling:
                break
            await asyncio.sleep(0.05)
        assert emu.polling, "the bot did not start once the lock was released"
        starting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await starting


async def test_a_long_lock_at_start_up_stops_with_one_clear_line(tmp_path: Path) -> None:
    database = tmp_path / "checkin.sqlite3"
    await migrated(database)
    async with BotAPIEmulator() as emu:
        with held_lock(database):
            code, lines = await run_bot(emu, database, 20)
    assert code == 2
    assert "locked" in one_clear_line(lines, database)


# ----------------------------------------------------------------------------- while answering


async def test_a_write_waits_for_a_short_lock(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 4001, "Aino")
    with held_lock(sandbox.settings.database):
        await press_option(sandbox, person, 3, settle=False)
        await asyncio.sleep(1.0)
    reply = await person.wait_for_message(buttons=True, timeout=10)
    assert reply.message is not None
    assert (reply.message.text or "").startswith(
        "Väite 2,"
    )  # the next statement, with its keyboard
    await sandbox.emulator.settle()
    assert person.last_bot_message().message_id == reply.message.message_id  # nothing more
    assert await draft_answers(sandbox, person) == (3, *(None,) * 9)
    assert texts.something_went_wrong(fi(sandbox)) not in [m.text for m in person.bot_messages()]


async def test_a_long_lock_gets_a_kind_word_and_the_next_try_works(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 4002, "Eero")
    await press_option(sandbox, person, 5)
    with held_lock(sandbox.settings.database):
        # Longer than the bot's busy timeout (5 s): the write gives up.
        await press_option(sandbox, person, 2, settle=False)
        reply = await person.wait_for_message(timeout=10)
    assert reply.message is not None
    assert reply.message.text == texts.something_went_wrong(fi(sandbox))
    await sandbox.emulator.settle()
    assert await draft_answers(sandbox, person) == (5, *(None,) * 9)  # unchanged
    assert (person.bot_messages()[-2].text or "").startswith("Väite 2,")  # and still asked
    await press_option(sandbox, person, 2)  # the same keyboard, pressed again
    assert await draft_answers(sandbox, person) == (5, 2, *(None,) * 8)
    assert (person.last_bot_message().text or "").startswith("Väite 3,")


def fill_root_page(database: Path, insert: str, row: Callable[[], tuple[object, ...]]) -> int:
    """Add the smallest rows a table takes until one more would need a new page.

    Returns the page count: with it as the limit, the next row the bot writes there (no
    smaller than these) needs a page the "disk" does not have, and fails with SQLITE_FULL.
    """
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as db:
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0
        while True:
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute("BEGIN IMMEDIATE")
            db.execute(insert, row())
            if db.execute("PRAGMA page_count").fetchone()[0] > pages:
                db.execute("ROLLBACK")
                return int(pages)
            db.execute("COMMIT")


async def disk_full(sandbox: Sandbox, pages: int) -> None:
    await sandbox.services.drafts.store.conn.execute(f"PRAGMA max_page_count = {pages}")


async def test_a_full_disk_when_sending_stores_nothing_half_way(sandbox: Sandbox) -> None:
    person, session = await start_check_in(sandbox, 4003, "Kaisa")
    await reach_review(sandbox, person, (1, 2, 3, 4, 5, 5, 4, 3, 2, 1))
    filler = await sandbox.new_session("Täyte")
    pages = fill_root_page(
        sandbox.settings.database,
        "INSERT INTO pending_set (id, session_id, lang, instrument_status, instrument_version, "
        "a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, score, answered_on) "
        "VALUES (?, ?, 'fi', 'official', '', 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, '2026-01-01')",
        lambda: (secrets.token_bytes(16), filler.id),
    )
    before = stored(sandbox.settings.database)
    await disk_full(sandbox, pages)
    await person.tap_button("Lähetä vastaukset")
    assert person.last_bot_message().text == texts.something_went_wrong(fi(sandbox))
    # The marker written first in the same transaction is gone too: no half-sent set.
    assert stored(sandbox.settings.database) == before
    assert await draft_answers(sandbox, person) == (1, 2, 3, 4, 5, 5, 4, 3, 2, 1)

    await disk_full(sandbox, NO_PAGE_LIMIT)  # space freed
    await person.tap_button("Lähetä vastaukset")
    assert person.last_bot_message().text == texts.thanks(fi(sandbox), None).text
    after = stored(sandbox.settings.database)
    assert len(after.sets) == len(before.sets) + 1
    assert (1, 2, 3, 4, 5, 5, 4, 3, 2, 1) in after.sets
    assert after.participations == before.participations + 1
    assert (await sandbox.services.sessions.counts(session.id)).complete == 1


async def test_a_full_disk_when_starting_counts_nothing(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("Avoin työhuone")
    filler = await sandbox.new_session("Täyte")
    person = sandbox.emulator.user(4004, "Ville", language_code="fi")
    await person.open_link(sandbox.link(session))
    pages = fill_root_page(
        sandbox.settings.database,
        "INSERT INTO draft (draft_key, person_key, session_id, lang, nonce, stage, position, "
        "answers, reviewing, updated_at) "
        "VALUES (?, ?, ?, 'fi', '', 'asking', 0, '0000000000', 0, '9999-12-31T00:00:00+00:00')",
        lambda: (secrets.token_bytes(32), secrets.token_bytes(32), filler.id),
    )
    before = stored(sandbox.settings.database)
    await disk_full(sandbox, pages)
    await person.tap_button("Aloitan")
    assert person.last_bot_message().text == texts.something_went_wrong(fi(sandbox))
    assert stored(sandbox.settings.database) == before  # not counted as started either
    assert await draft_answers(sandbox, person) is None

    await disk_full(sandbox, NO_PAGE_LIMIT)
    await person.tap_button("Aloitan")
    assert (person.last_bot_message().text or "").startswith("Väite 1,")
    after = stored(sandbox.settings.database)
    assert (after.started, after.drafts) == (before.started + 1, before.drafts + 1)
