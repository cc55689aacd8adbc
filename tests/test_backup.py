"""Backups and restores, as the operator runs them: `checkin-bot backup` and `restore`."""

import asyncio
import contextlib
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.checkin import Draft
from bot.core.instrument import DEFAULT_DIR, load_instrument
from bot.dev.emulator import BotAPIEmulator, SimUser
from bot.health import problems
from bot.storage.backup import backup, integrity, restore
from bot.storage.blocks import EVERY_SET
from bot.storage.database import DatabaseError, migrations
from tests.command_line import COMMAND, checkin_bot, checkin_bot_async, environment, one_line
from tests.files import mode
from tests.stores import Stores, open_stores

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FI = load_instrument(DEFAULT_DIR / "fi.toml")
SECRET = "backup-test-secret-0123456789"


async def filled(path: Path, sets: int, code: str = "ABC234") -> Stores:
    """`sets` complete answer sets in a new session with the short code `code`."""
    db = await open_stores(path)
    session = await db.sessions.create_session("S", code[0] * 22, code, T0)
    for i in range(sets):
        key = i.to_bytes(32, "big")
        draft = Draft.begin(session.id, "fi", T0)
        await db.answer_sets.submit(key, key, draft, (4,) * 10, 75.0, FI, date(2026, 11, 23))
    return db


def count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM ({EVERY_SET})").fetchone()[0])


def leftovers(folder: Path) -> list[str]:
    """Temporary files a backup or restore left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


async def test_a_backup_taken_while_the_bot_writes_is_complete_and_private(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    (tmp_path / "backups").mkdir()
    db = await filled(live, 7)  # the connection stays open, as in a running bot
    try:
        backup(live, tmp_path / "backups" / "copy.sqlite3")
    finally:
        await db.close()
    copy = tmp_path / "backups" / "copy.sqlite3"
    assert integrity(copy) == "ok"
    assert count(copy) == 7
    assert mode(copy) == 0o600
    assert leftovers(tmp_path / "backups") == []


async def test_a_backup_is_a_fresh_file_without_free_pages(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    await (await filled(live, 300)).close()
    with contextlib.closing(sqlite3.connect(live)) as conn:
        conn.execute("DELETE FROM pending_set WHERE id IN (SELECT id FROM pending_set LIMIT 250)")
        conn.commit()
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] > 0
    backup(live, tmp_path / "copy.sqlite3")
    with contextlib.closing(sqlite3.connect(tmp_path / "copy.sqlite3")) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert count(tmp_path / "copy.sqlite3") == 50
    assert (tmp_path / "copy.sqlite3").stat().st_size < live.stat().st_size


async def test_backup_mistakes_get_one_line_and_write_nothing(tmp_path: Path) -> None:
    live = tmp_path / "data" / "checkin.sqlite3"
    await (await filled(live, 2)).close()
    env = environment(CHECKIN_DATABASE=str(live), CHECKIN_SECRET=SECRET)
    (tmp_path / "backups").mkdir()
    line = one_line(checkin_bot("backup", str(tmp_path / "backups"), env=env, cwd=tmp_path))
    assert (
        line == f"checkin-bot: {tmp_path / 'backups'} is a folder: give the name of a file in it"
    )
    missing = tmp_path / "nowhere" / "copy.sqlite3"
    line = one_line(checkin_bot("backup", str(missing), env=env, cwd=tmp_path))
    assert line == (
        "checkin-bot: "
        f"the folder {missing.parent} does not exist: create it first (nothing was written)"
    )
    assert not missing.parent.exists()
    line = one_line(checkin_bot("backup", str(live), env=env, cwd=tmp_path))
    assert line == f"checkin-bot: the backup {live} would replace the database itself"
    assert count(live) == 2
    assert list((tmp_path / "backups").iterdir()) == []


async def test_restore_mistakes_get_one_line_and_change_nothing(tmp_path: Path) -> None:
    live = tmp_path / "data" / "checkin.sqlite3"
    await (await filled(live, 2)).close()
    env = environment(CHECKIN_DATABASE=str(live), CHECKIN_SECRET=SECRET)
    for source, problem in (
        (tmp_path / "missing.sqlite3", "does not exist"),
        (tmp_path, "is a folder"),
    ):
        line = one_line(checkin_bot("restore", str(source), env=env, cwd=tmp_path))
        assert line == f"checkin-bot: the backup {source} {problem}: nothing was changed"
    line = one_line(checkin_bot("restore", str(live), env=env, cwd=tmp_path))
    assert line == f"checkin-bot: the backup {live} is the database itself"
    (tmp_path / "garbage.sqlite3").write_bytes(b"not a database at all" * 300)
    line = one_line(
        checkin_bot("restore", str(tmp_path / "garbage.sqlite3"), env=env, cwd=tmp_path)
    )
    assert line == (
        f"checkin-bot: the backup {tmp_path / 'garbage.sqlite3'} cannot be restored: "
        "file is not a database"
    )
    assert sorted(p.name for p in live.parent.iterdir()) == ["checkin.sqlite3"]
    assert count(live) == 2


def test_a_damaged_database_is_not_backed_up(tmp_path: Path) -> None:
    live = tmp_path / "checkin.sqlite3"
    live.write_bytes(b"this is not an SQLite database\n" * 300)
    env = environment(CHECKIN_DATABASE=str(live), CHECKIN_SECRET=SECRET)
    target = tmp_path / "copy.sqlite3"
    line = one_line(checkin_bot("backup", str(target), env=env, cwd=tmp_path))
    assert line == f"checkin-bot: the backup of {live} failed its check: file is not a database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkin.sqlite3"]
    missing = tmp_path / "chekin.sqlite3"
    env = environment(CHECKIN_DATABASE=str(missing), CHECKIN_SECRET=SECRET)
    line = one_line(checkin_bot("backup", str(target), env=env, cwd=tmp_path))
    assert line == (
        f"checkin-bot: the database {missing} does not exist: check CHECKIN_DATABASE "
        "(nothing was created)"
    )


def test_a_backup_never_holds_the_key(tmp_path: Path) -> None:
    database = tmp_path / "data" / "checkin.sqlite3"
    env = environment(CHECKIN_DATABASE=str(database), XDG_CONFIG_HOME=str(tmp_path / "config"))
    assert (
        checkin_bot("session", "new", "--label", "Avoin työhuone", env=env, cwd=tmp_path).code == 0
    )
    key_file = tmp_path / "config" / "checkin-bot" / "checkin.sqlite3.secret"
    key = key_file.read_bytes()
    done = checkin_bot("backup", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path)
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1] == (
        f"the key is not in the backup: keep a copy of {key_file} in a safe place apart "
        "from the backups"
    )
    assert key not in (tmp_path / "copy.sqlite3").read_bytes()
    assert not list(database.parent.glob("*.secret"))


async def test_restore_brings_the_backup_back_and_keeps_the_replaced_file(tmp_path: Path) -> None:
    live = tmp_path / "data" / "checkin.sqlite3"
    await (await filled(live, 3)).close()
    backup(live, tmp_path / "copy.sqlite3")
    await (await filled(live, 5, "XYZ789")).close()  # another session: 8 sets now
    env = environment(CHECKIN_DATABASE=str(live), CHECKIN_SECRET=SECRET)
    done = checkin_bot("restore", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path)
    assert done.code == 0, done.err
    assert count(live) == 3
    assert count(live.with_name("checkin.sqlite3.pre-restore")) == 8
    assert mode(live) == 0o600
    assert sorted(p.name for p in live.parent.iterdir()) == [
        "checkin.sqlite3",
        "checkin.sqlite3.pre-restore",
    ]
    assert checkin_bot("health", env=env, cwd=tmp_path).out == "ok\n"
    again = one_line(checkin_bot("restore", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path))
    assert again == (
        f"checkin-bot: {live}.pre-restore from an earlier restore is still there: move it "
        "elsewhere, then restore again; nothing was changed"
    )
    assert count(live.with_name("checkin.sqlite3.pre-restore")) == 8  # the data before both


async def test_restore_refuses_while_another_program_has_the_database_open(
    tmp_path: Path,
) -> None:
    live = tmp_path / "data" / "checkin.sqlite3"
    await (await filled(live, 3)).close()
    backup(live, tmp_path / "copy.sqlite3")
    await (await filled(live, 4, "XYZ789")).close()
    env = environment(CHECKIN_DATABASE=str(live), CHECKIN_SECRET=SECRET)
    writer = sqlite3.connect(live, isolation_level=None)
    try:
        writer.execute("UPDATE session SET label = label")  # writes, then stays connected
        line = one_line(
            checkin_bot("restore", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path)
        )
        assert line == (
            "checkin-bot: "
            f"the database {live} is in use (is the bot running?): stop the bot, then restore "
            "again; nothing was changed"
        )
        writer.execute("UPDATE session SET label = 'still writing'")
        assert count(live) == 7
    finally:
        writer.close()
    assert integrity(live) == "ok"
    assert not live.with_name("checkin.sqlite3.pre-restore").exists()
    assert leftovers(live.parent) == []


def test_what_a_killed_bot_left_in_the_wal_is_kept(tmp_path: Path) -> None:
    live = tmp_path / "data" / "checkin.sqlite3"
    asyncio.run(asyncio.run(filled(live, 2)).close())
    backup(live, tmp_path / "copy.sqlite3")
    killed = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "conn.execute(\"UPDATE session SET label = 'only in the WAL'\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", killed, str(live)], check=True, timeout=60)
    assert Path(f"{live}-wal").stat().st_size > 0
    restore(tmp_path / "copy.sqlite3", live)
    kept = live.with_name("checkin.sqlite3.pre-restore")
    with contextlib.closing(sqlite3.connect(kept)) as conn:
        assert conn.execute("SELECT label FROM session").fetchall() == [("only in the WAL",)]
    assert sorted(p.name for p in live.parent.iterdir()) == [
        "checkin.sqlite3",
        "checkin.sqlite3.pre-restore",
    ]


def test_an_older_backup_is_migrated_when_restored(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    first, sql = migrations()[0]
    with contextlib.closing(sqlite3.connect(old)) as conn:
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {first}")
    live = tmp_path / "data" / "checkin.sqlite3"
    restore(old, live)
    with contextlib.closing(sqlite3.connect(live)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations()[-1][0]
    assert not live.with_name("checkin.sqlite3.pre-restore").exists()  # nothing was replaced
    assert mode(live.parent) == 0o700


@pytest.mark.parametrize(
    "content", [b"SQLite format 3\x00" + b"\xff" * 5000, b"not a database at all" * 300]
)
def test_a_damaged_backup_is_refused_and_nothing_is_replaced(
    tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    target = tmp_path / "data" / "db.sqlite3"
    target.parent.mkdir()
    target.write_bytes(b"keep me")
    with pytest.raises(DatabaseError, match="cannot be restored"):
        restore(bad, target)
    assert target.read_bytes() == b"keep me"
    assert leftovers(target.parent) == []


def test_a_damaged_database_is_replaced_and_kept(tmp_path: Path) -> None:
    good = tmp_path / "good.sqlite3"
    asyncio.run(asyncio.run(filled(good, 2)).close())
    live = tmp_path / "data" / "checkin.sqlite3"
    live.parent.mkdir()
    live.write_bytes(b"this is not an SQLite database\n" * 300)
    Path(f"{live}-wal").write_bytes(b"frames")
    restore(good, live)
    assert count(live) == 2
    assert live.with_name("checkin.sqlite3.pre-restore").read_bytes().startswith(b"this is not")
    assert live.with_name("checkin.sqlite3.pre-restore-wal").read_bytes() == b"frames"


async def test_health_reports_ok_and_problems(tmp_path: Path) -> None:
    settings = Settings(database=tmp_path / "db.sqlite3", secret="s" * 32)
    assert await problems(settings, telegram=False) == []
    broken = Settings(database=tmp_path / "broken.sqlite3", secret="s" * 32)
    (tmp_path / "broken.sqlite3").write_bytes(b"not a database" * 300)
    with pytest.raises(DatabaseError, match="broken"):
        await problems(broken, telegram=False)
    with contextlib.closing(sqlite3.connect(settings.database, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        found = await problems(settings, telegram=False, read_only=True)
    assert len(found) == 1
    assert found[0].startswith(f"the database {settings.database} is not writable: ")


# ----------------------------------------------------------------------------- the bot running


async def shown(person: SimUser, head: str) -> None:
    """Wait until the bot's newest message to the person starts with `head`."""
    for _ in range(300):
        if (person.last_bot_message().text or "").startswith(head):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the bot did not send {head!r}: {person.last_bot_message()}")


@contextlib.asynccontextmanager
async def bot_running(emu: BotAPIEmulator, database: Path) -> AsyncIterator[None]:
    """`checkin-bot run` against the emulator, polling, until the block ends."""
    env = environment(
        CHECKIN_DATABASE=str(database),
        CHECKIN_SECRET=SECRET,
        CHECKIN_BOT_TOKEN=emu.token,
        CHECKIN_API_BASE_URL=emu.base_url,
        CHECKIN_BOT_USERNAME=emu.bot_username,
    )
    process = await asyncio.create_subprocess_exec(
        COMMAND, "run", env=env, cwd=database.parent, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        for _ in range(400):
            if emu.polling:
                break
            await asyncio.sleep(0.05)
        assert emu.polling, "the bot did not start"
        yield
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


async def test_restore_refuses_while_the_bot_runs_and_works_once_it_stopped(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "checkin.sqlite3"
    async with BotAPIEmulator() as emu:
        env = environment(
            CHECKIN_DATABASE=str(database),
            CHECKIN_SECRET=SECRET,
            CHECKIN_BOT_USERNAME=emu.bot_username,
        )
        made = checkin_bot("session", "new", "--label", "Avoin työhuone", env=env, cwd=tmp_path)
        link = next(line for line in made.out.splitlines() if line.startswith("Join link: "))
        assert (
            checkin_bot("backup", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path).code == 0
        )
        async with bot_running(emu, database):
            person = emu.user(8701, "Aino", language_code="fi")
            await person.open_link(link.removeprefix("Join link: "), settle=False)
            await person.wait_for_message(buttons=True, timeout=15)
            await person.tap_button("Aloitan", settle=False)
            await shown(person, "Väite 1, yhteensä 10\n")
            refused = await checkin_bot_async(
                "restore", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path
            )
            assert "is in use (is the bot running?)" in one_line(refused)
            options = load_instrument(DEFAULT_DIR / "fi.toml").options
            await person.press(options[0], settle=False)  # the bot keeps working
            await shown(person, "Väite 2, yhteensä 10\n")
        assert integrity(database) == "ok"
        done = checkin_bot("restore", str(tmp_path / "copy.sqlite3"), env=env, cwd=tmp_path)
        assert done.code == 0, done.err
    kept = database.with_name("checkin.sqlite3.pre-restore")
    with contextlib.closing(sqlite3.connect(kept)) as conn:
        assert conn.execute("SELECT count(*) FROM draft").fetchone()[0] == 1
    with contextlib.closing(sqlite3.connect(database)) as conn:
        assert conn.execute("SELECT count(*) FROM draft").fetchone()[0] == 0
