"""A data folder that cannot be written, a file where a folder is needed, an output folder that
is not there: every command stops with one line naming the path, exit code 2."""

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.command_line import checkin_bot, environment, one_line

COMMANDS = [
    ("run",),
    ("session", "new", "--label", "Avoin työhuone"),
    ("session", "list"),
    ("session", "close", "1"),
    ("report",),
    ("health",),
    ("backup", "{good}/copy.sqlite3"),
    ("restore", "{good}/backup.sqlite3"),
]


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder this process may not write in: made so, or, for root, whom permissions do not
    stop, the kernel's /sys."""
    if os.geteuid() == 0:
        try:
            with tempfile.TemporaryFile(dir="/sys"):
                pytest.skip("needs a folder that root cannot write")
        except OSError:
            yield Path("/sys")
            return
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield folder
    folder.chmod(stat.S_IRWXU)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A folder with a database and a backup of it, for the commands that need one."""
    folder = tmp_path / "good"
    env = environment(
        CHECKIN_DATABASE=str(folder / "checkin.sqlite3"),
        CHECKIN_SECRET="file-test-secret-0123456789",
    )
    for args in (("session", "new", "--label", "Kotka"), ("backup", f"{folder}/backup.sqlite3")):
        assert checkin_bot(*args, env=env, cwd=tmp_path).code == 0
    return folder


def bad_database(tmp_path: Path, unwritable: Path, where: str) -> tuple[Path, Path]:
    """The database setting, and the place in it that the command must name."""
    if where == "under a file":
        place = tmp_path / "a-file"
        place.write_text("not a folder\n")
        return place / "checkin.sqlite3", place
    if where == "in a folder it cannot write":
        return unwritable / "checkin.sqlite3", unwritable
    return unwritable / "data" / "checkin.sqlite3", unwritable


@pytest.mark.parametrize(
    "where", ["under a file", "in a folder it cannot write", "in a folder it cannot make"]
)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_database_that_cannot_be_used_is_one_line_naming_it(
    tmp_path: Path, unwritable: Path, good: Path, where: str, command: tuple[str, ...]
) -> None:
    database, place = bad_database(tmp_path, unwritable, where)
    env = environment(
        CHECKIN_DATABASE=str(database),
        CHECKIN_BOT_TOKEN="123456:AAH-a-token-that-is-never-sent-anywhere-0",
        CHECKIN_API_BASE_URL="http://127.0.0.1:9/bot",
    )
    args = [arg.format(good=good) for arg in command]
    line = one_line(checkin_bot(*args, env=env, cwd=tmp_path))
    assert str(place) in line


@pytest.mark.parametrize(
    ("output", "named"),
    [
        ("missing/report.csv", "missing"),
        (".", ""),
        ("a-file/report.csv", "a-file"),
    ],
)
def test_a_report_file_that_cannot_be_written_is_one_line_naming_it(
    tmp_path: Path, good: Path, output: str, named: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder\n")
    env = environment(
        CHECKIN_DATABASE=str(good / "checkin.sqlite3"),
        CHECKIN_SECRET="file-test-secret-0123456789",
    )
    target = tmp_path / output
    result = checkin_bot(
        "report", "--format", "csv", "--output", str(target), env=env, cwd=tmp_path
    )
    assert str(tmp_path / named).rstrip("/") in one_line(result)
