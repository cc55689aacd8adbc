"""Commands that only read (`health`, `report`) open an existing database read-only: a
mistyped CHECKIN_DATABASE gets one line and creates nothing, and nothing is changed."""

import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.storage.database import connect, migrations
from tests.command_line import checkin_bot, environment, one_line

READERS = [("health",), ("report",), ("report", "--format", "csv")]


def everything(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


@pytest.mark.parametrize("command", READERS)
@pytest.mark.parametrize("typo", ["dat/checkin.sqlite3", "data/chekin.sqlite3"])
def test_a_mistyped_database_is_named_and_nothing_is_created(
    tmp_path: Path, command: tuple[str, ...], typo: str
) -> None:
    (tmp_path / "data").mkdir()
    before = everything(tmp_path)
    env = environment(
        CHECKIN_DATABASE=str(tmp_path / typo), XDG_CONFIG_HOME=str(tmp_path / "config")
    )
    line = one_line(checkin_bot(*command, env=env, cwd=tmp_path))
    assert line == (
        f"checkin-bot: the database {tmp_path / typo} does not exist: check CHECKIN_DATABASE "
        "(nothing was created)"
    )
    assert everything(tmp_path) == before  # no database, no key, no folder


def test_a_folder_named_as_the_database_is_refused(tmp_path: Path) -> None:
    env = environment(CHECKIN_DATABASE=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    line = one_line(checkin_bot("report", env=env, cwd=tmp_path))
    assert (
        line
        == f"checkin-bot: CHECKIN_DATABASE names a folder ({tmp_path}): name the database file"
    )


@pytest.mark.parametrize("command", READERS)
async def test_readers_change_nothing_and_make_no_key(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    database = tmp_path / "data" / "checkin.sqlite3"
    await (await connect(database)).close()  # up to date, no key checked in, no data
    content = database.read_bytes()
    env = environment(CHECKIN_DATABASE=str(database), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = checkin_bot(*command, env=env, cwd=tmp_path)
    assert done.code == 0, done.err
    assert database.read_bytes() == content
    assert not (tmp_path / "config" / "checkin-bot").exists()  # no key file


@pytest.mark.parametrize("command", READERS)
def test_readers_never_migrate_an_older_database(tmp_path: Path, command: tuple[str, ...]) -> None:
    database = tmp_path / "checkin.sqlite3"
    first, sql = migrations()[0]
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.executescript(sql)
        conn.execute(f"PRAGMA user_version = {first}")
    env = environment(CHECKIN_DATABASE=str(database), CHECKIN_SECRET="k" * 32)
    line = one_line(checkin_bot(*command, env=env, cwd=tmp_path))
    assert line == (
        "checkin-bot: "
        f"the database {database} is from an older version of the bot: start the bot once "
        "(checkin-bot run) to update it"
    )
    with contextlib.closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == first
