"""The key for keyed hashes is made once, kept apart from the data, and never replaced for a
database that holds data made with it."""

import contextlib
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.storage.database import connect
from bot.usecases.sessions import create_session
from bot.wiring import open_services
from tests.command_line import checkin_bot, environment, one_line


def settings(tmp_path: Path, **more: object) -> Settings:
    values: dict[str, object] = {
        "database": tmp_path / "data" / "checkin.sqlite3",
        "secret_file": tmp_path / "keys" / "checkin.secret",
    }
    return Settings.model_validate(values | more)


async def with_a_session(given: Settings) -> bytes:
    """Open the database as the bot does and create a session; the key it used."""
    services = await open_services(given)
    try:
        await create_session(services.sessions, "Avoin työhuone", services.clock())
        return services.pseudonyms.person(1)
    finally:
        await services.close()


async def test_a_new_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    given = settings(tmp_path)
    first = await with_a_session(given)
    assert await with_a_session(given) == first  # the same key the next time
    key_file = tmp_path / "keys" / "checkin.secret"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert not list((tmp_path / "data").glob("*.secret"))


async def test_a_missing_key_file_is_never_made_anew_for_a_database_with_data(
    tmp_path: Path,
) -> None:
    given = settings(tmp_path)
    await with_a_session(given)
    key_file = tmp_path / "keys" / "checkin.secret"
    key_file.unlink()
    with pytest.raises(ConfigError) as caught:
        await open_services(given)
    assert str(caught.value) == (
        f"the key file {key_file} is missing and the database {given.database} holds data made "
        "with it: put the file back from your copy (or point CHECKIN_SECRET_FILE or "
        "CHECKIN_SECRET to it); a new key would break unfinished check-ins"
    )
    assert not key_file.exists()


async def test_a_database_without_data_gets_a_new_key(tmp_path: Path) -> None:
    given = settings(tmp_path)
    await (await open_services(given)).close()  # a key check is stored, nothing else
    key_file = tmp_path / "keys" / "checkin.secret"
    old = key_file.read_bytes()
    key_file.unlink()
    await with_a_session(given)
    assert key_file.read_bytes() != old
    await with_a_session(given)  # the new key's check was stored


async def test_a_key_that_does_not_match_stops_with_one_line(tmp_path: Path) -> None:
    await with_a_session(settings(tmp_path, secret="the-first-key-0123456789"))
    with pytest.raises(ConfigError) as caught:
        await open_services(settings(tmp_path, secret="another-key-0123456789"))
    assert str(caught.value) == (
        f"CHECKIN_SECRET does not match the database {tmp_path / 'data' / 'checkin.sqlite3'}: "
        "use the key it was made with (CHECKIN_SECRET, CHECKIN_SECRET_FILE or its key file)"
    )
    with pytest.raises(ConfigError, match="does not match"):
        await open_services(settings(tmp_path, secret="another-key-0123456789"), read_only=True)


async def test_a_database_from_before_key_checks_takes_its_key_file(tmp_path: Path) -> None:
    given = settings(tmp_path)
    await with_a_session(given)
    with contextlib.closing(sqlite3.connect(given.database)) as conn:
        conn.execute("DROP TABLE meta")  # as an older version left it
    beside = given.database.with_name("checkin.sqlite3.secret")
    (tmp_path / "keys" / "checkin.secret").rename(beside)
    older = Settings(database=given.database)  # no CHECKIN_SECRET_FILE: the file beside it
    key = await with_a_session(older)
    assert await with_a_session(older) == key
    with pytest.raises(ConfigError, match="does not match"):
        await open_services(settings(tmp_path, secret="another-key-0123456789"))


async def test_a_short_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        await open_services(settings(tmp_path, secret="short"))
    assert str(caught.value) == "CHECKIN_SECRET is too short: a key needs at least 16 bytes"


async def test_the_command_says_what_is_missing_in_one_line(tmp_path: Path) -> None:
    database = tmp_path / "data" / "checkin.sqlite3"
    env = environment(CHECKIN_DATABASE=str(database), XDG_CONFIG_HOME=str(tmp_path / "config"))
    assert (
        checkin_bot("session", "new", "--label", "Avoin työhuone", env=env, cwd=tmp_path).code == 0
    )
    key_file = tmp_path / "config" / "checkin-bot" / "checkin.sqlite3.secret"
    assert key_file.exists()
    key_file.unlink()
    for command in (("session", "new", "--label", "Toinen"), ("health",), ("report",)):
        line = one_line(checkin_bot(*command, env=env, cwd=tmp_path))
        assert line.startswith(f"checkin-bot: the key file {key_file} is missing"), line
    assert not key_file.exists()


async def test_migrating_keeps_the_key_check(tmp_path: Path) -> None:
    given = settings(tmp_path)
    await with_a_session(given)
    conn = await connect(given.database)  # as `checkin-bot restore` migrates a copy
    await conn.close()
    with pytest.raises(ConfigError, match="does not match"):
        await open_services(settings(tmp_path, secret="another-key-0123456789"))


async def test_a_key_file_that_cannot_be_read_or_made_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "keys" / "checkin.secret"
    folder.mkdir(parents=True)
    with pytest.raises(ConfigError) as caught:
        await open_services(settings(tmp_path))
    assert str(caught.value) == f"cannot read the key file {folder}: Is a directory"
    with pytest.raises(ConfigError) as caught:
        await open_services(settings(tmp_path, secret_file=Path("/sys/checkin.secret")))
    assert str(caught.value).startswith("cannot create the key file /sys/checkin.secret: ")
    assert str(caught.value).endswith(
        ". Set CHECKIN_SECRET_FILE to a writable place outside the data folder."
    )
