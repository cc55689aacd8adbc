"""Output files (backups, exports, reports) are readable by their owner only and written whole."""

from pathlib import Path

import pytest

from bot.storage.database import connect
from bot.storage.private_files import OutputError, write_private
from tests.command_line import checkin_bot, environment, one_line
from tests.files import careless_umask, mode


def test_a_file_is_private_and_replaces_an_older_one_whole(tmp_path: Path) -> None:
    target = tmp_path / "totals.csv"
    target.write_bytes(b"old")
    with careless_umask():
        write_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["totals.csv"]


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_private(tmp_path / "totals.csv", "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_folder_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a folder"):
        write_private(tmp_path, b"x")
    with pytest.raises(OutputError, match="does not exist"):
        write_private(tmp_path / "missing" / "x.csv", b"x")


def test_a_folder_that_cannot_be_written_is_one_line() -> None:
    with pytest.raises(OutputError) as caught:
        write_private(Path("/sys/totals.csv"), b"x")  # not writable, even for root
    assert str(caught.value).startswith("cannot write in /sys: ")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "table", "rows"])
async def test_reports_written_by_the_command_are_private(tmp_path: Path, fmt: str) -> None:
    database = tmp_path / "data" / "checkin.sqlite3"
    await (await connect(database)).close()
    env = environment(CHECKIN_DATABASE=str(database), CHECKIN_SECRET="k" * 32)
    target = tmp_path / f"report.{fmt}"
    with careless_umask():
        done = checkin_bot(
            "report", "--format", fmt, "--output", str(target), env=env, cwd=tmp_path
        )
    assert done.code == 0, done.err
    assert done.out == f"wrote {target}\n"
    assert mode(target) == 0o600
    missing = tmp_path / "missing" / f"report.{fmt}"
    line = one_line(
        checkin_bot("report", "--format", fmt, "--output", str(missing), env=env, cwd=tmp_path)
    )
    assert line == (
        "checkin-bot: "
        f"the folder {missing.parent} does not exist: create it first (nothing was written)"
    )


async def test_no_chart_is_written_when_there_is_nothing_to_draw(tmp_path: Path) -> None:
    database = tmp_path / "data" / "checkin.sqlite3"
    await (await connect(database)).close()
    env = environment(CHECKIN_DATABASE=str(database), CHECKIN_SECRET="k" * 32)
    target = tmp_path / "report.png"
    done = checkin_bot("report", "--format", "png", "--output", str(target), env=env, cwd=tmp_path)
    assert done.code == 2
    assert one_line(done) == "checkin-bot: there are no figures to draw yet: see --format table"
    assert not target.exists()


async def test_the_data_folder_is_private(tmp_path: Path) -> None:
    database = tmp_path / "data" / "checkin.sqlite3"
    with careless_umask():
        env = environment(CHECKIN_DATABASE=str(database))
        done = checkin_bot("session", "new", "--label", "Avoin", env=env, cwd=tmp_path)
    assert done.code == 0, done.err
    assert mode(database.parent) == 0o700
    assert mode(database) == 0o600
