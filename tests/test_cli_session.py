"""`checkin-bot session new|list|close` and `--version` on the server, as an operator runs them."""

import re
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

import pytest

from bot.storage.database import connect
from tests.command_line import checkin_bot, checkin_bot_async, environment, one_line


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return environment(
        CHECKIN_DATABASE=str(tmp_path / "checkin.sqlite3"),
        CHECKIN_BOT_USERNAME="osallisuus_bot",
        CHECKIN_CLOSE_GRACE_MINUTES="20",
    )


def session(tmp_path: Path, env: dict[str, str], *args: str) -> str:
    result = checkin_bot("session", *args, env=env, cwd=tmp_path)
    assert result.code == 0, result
    return result.out


def test_the_version_is_the_package_version(tmp_path: Path) -> None:
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    result = checkin_bot("--version", env=environment(), cwd=tmp_path)
    assert result.code == 0, result
    assert result.out.strip() == f"checkin-bot {project['project']['version']}"


def test_sessions_are_created_listed_and_closed_by_id(tmp_path: Path, env: dict[str, str]) -> None:
    for command in (("list",), ("close", "1")):
        line = one_line(checkin_bot("session", *command, env=env, cwd=tmp_path))
        assert "checkin.sqlite3 does not exist" in line
    assert list(tmp_path.iterdir()) == []  # looking made nothing
    created = session(tmp_path, env, "new", "--label", "Avoin työhuone, Kotka")
    match = re.search(r"^Session id: (\d+) ", created, re.MULTILINE)
    assert match, created
    first = match[1]
    session(tmp_path, env, "new", "--label", "Vertaisryhmä")
    header, newest, older = session(tmp_path, env, "list").splitlines()
    assert header.split("\t") == ["id", "state", "kind", "complete", "answering", "label"]
    assert newest.split("\t")[1:] == ["open", "single", "0", "0", "Vertaisryhmä"]
    assert older.split("\t") == [first, "open", "single", "0", "0", "Avoin työhuone, Kotka"]

    closed = session(tmp_path, env, "close", first)
    assert f"Closed session {first} (Avoin työhuone, Kotka)" in closed
    assert "20 minutes to finish" in closed
    closed_row = session(tmp_path, env, "list").splitlines()[2].split("\t")
    assert closed_row[1] == "closed"
    assert closed_row[4] == "-"  # nobody is "answering now" in a closed session
    assert "was already closed" in session(tmp_path, env, "close", first)


async def test_an_empty_database_has_no_sessions_to_list_or_close(
    tmp_path: Path, env: dict[str, str]
) -> None:
    await (await connect(tmp_path / "checkin.sqlite3")).close()  # as `checkin-bot run` leaves it
    listed = await checkin_bot_async("session", "list", env=env, cwd=tmp_path)
    assert "There are no sessions yet" in listed.out
    closing = await checkin_bot_async("session", "close", "999", env=env, cwd=tmp_path)
    assert "no session with id 999" in one_line(closing)


def stored_languages(tmp_path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(tmp_path / "checkin.sqlite3")) as db:
        return list(db.execute("SELECT label, lang FROM session ORDER BY id"))


def test_a_session_is_made_in_the_language_asked_for_finnish_by_default(
    tmp_path: Path, env: dict[str, str]
) -> None:
    swedish = session(tmp_path, env, "new", "--label", "Torsdag", "--language", "sv")
    assert "Language: sv (everyone who joins starts in it)" in swedish
    finnish = session(tmp_path, env, "new", "--label", "Tiistai")
    assert "Language: fi" in finnish
    assert stored_languages(tmp_path) == [("Torsdag", "sv"), ("Tiistai", "fi")]


def test_a_language_without_statements_is_refused_with_the_ones_to_choose(
    tmp_path: Path, env: dict[str, str]
) -> None:
    refused = checkin_bot(
        "session", "new", "--label", "Gruppe", "--language", "de", env=env, cwd=tmp_path
    )
    assert refused.code == 2
    line = one_line(refused)
    assert "there are no statements in 'de'" in line
    assert "choose one of fi, sv, en, " in line
    assert stored_languages(tmp_path) == []  # nothing was made
