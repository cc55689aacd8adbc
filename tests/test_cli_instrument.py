"""`checkin-bot instrument add|list`: THL's official files dropped in beside the database."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.checkin import Draft
from bot.core.instrument import DEFAULT_DIR, Status, checksum
from bot.core.report_model import Breakdown, InstrumentText, ReportRequest
from bot.core.statistics import Summary
from bot.storage.database import connect
from bot.usecases.reports import make_report
from bot.usecases.services import Services
from bot.wiring import open_services
from tests.command_line import checkin_bot, environment, one_line
from tests.files import mode


@pytest.fixture
async def database(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "checkin.sqlite3"
    await (await connect(path)).close()  # as `checkin-bot run` leaves it
    return path


@pytest.fixture
def env(database: Path) -> dict[str, str]:
    return environment(CHECKIN_DATABASE=str(database))


def official(
    tmp_path: Path, version: str = "THL 2024", lang: str = "ru", change: str = ""
) -> Path:
    """THL's file for a language, as the operator saves it (any name will do)."""
    text = (DEFAULT_DIR / f"{lang}.toml").read_text(encoding="utf-8")
    text = text.replace('status = "provisional"', 'status = "official"')
    text = text.replace('version = "provisional-1"', f'version = "{version}"')
    text = text.replace("Provisional translation made for this bot", "THL, sent on request")
    path = tmp_path / f"ESIS_{lang}_{version.replace(' ', '_')}{'_changed' if change else ''}.toml"
    path.write_text(text + change, encoding="utf-8")
    return path


def instrument(tmp_path: Path, env: dict[str, str], *args: str) -> str:
    result = checkin_bot("instrument", *args, env=env, cwd=tmp_path)
    assert result.code == 0, result
    return result.out


async def in_use(database: Path, lang: str) -> tuple[Status, str]:
    services = await open_services(Settings(database=database, secret="k" * 32))
    await services.close()
    text = services.instruments[lang]
    return text.status, text.version


async def test_an_official_file_replaces_the_provisional_text_for_new_check_ins(
    tmp_path: Path, database: Path, env: dict[str, str]
) -> None:
    assert await in_use(database, "ru") == (Status.PROVISIONAL, "provisional-1")
    source = official(tmp_path)
    added = instrument(tmp_path, env, "add", str(source))
    assert "Added THL's official ru text, version 'THL 2024'" in added
    assert f"sha256 {checksum(source.read_bytes())}" in added
    assert "replaces the provisional translation (version 'provisional-1')" in added
    assert "stay reported apart" in added
    assert "Restart the bot" in added

    kept = database.parent / "instruments"
    assert mode(kept) == 0o700
    assert (kept / "ru.toml").read_bytes() == source.read_bytes()
    assert mode(kept / "ru.toml") == 0o600
    assert mode(kept / "added.tsv") == 0o600
    _header, line = (kept / "added.tsv").read_text(encoding="utf-8").splitlines()
    assert line.split("\t")[1:] == ["ru", "THL 2024", checksum(source.read_bytes())]

    assert await in_use(database, "ru") == (Status.OFFICIAL, "THL 2024")
    assert await in_use(database, "uk") == (Status.PROVISIONAL, "provisional-1")
    rows = instrument(tmp_path, env, "list").splitlines()
    assert rows[0] == "language\tstatus\tversion\tfile"
    assert any(row.startswith("ru\tofficial\tTHL 2024\tadded ") for row in rows)
    assert "fi\tofficial\tTHL 2019\tshipped" in rows
    assert "uk\tprovisional\tprovisional-1\tshipped" in rows
    assert "nothing changed" in instrument(tmp_path, env, "add", str(source))


@pytest.mark.parametrize(
    ("breakage", "said"),
    [
        (
            lambda t: t.replace('  "Другие люди нуждаются во мне",\n', ""),
            "statements: Tuple should have at least 10 items",
        ),
        (
            lambda t: t.replace('  "скорее согласен",\n', ""),
            "options: Tuple should have at least 5 items",
        ),
        (
            lambda t: t.replace('status = "official"', 'status = "provisional"'),
            "only THL's official files",
        ),
        (lambda t: t.replace('language = "ru"\n', ""), "language: Field required"),
        (lambda t: t.replace('version = "THL 2025"\n', ""), "version: Field required"),
        (lambda t: t.replace("source = ", "sources = "), "source: Field required"),
        (
            lambda t: t.replace('version = "THL 2025"', 'version = ""'),
            "version: String should have at least 1 character",
        ),
        (lambda t: t.replace("]\n", "", 1), "not a valid TOML file"),
    ],
)
async def test_a_broken_file_is_refused_in_one_line_and_nothing_changes(
    tmp_path: Path, database: Path, env: dict[str, str], breakage: object, said: str
) -> None:
    first = official(tmp_path, "THL 2024")
    instrument(tmp_path, env, "add", str(first))
    kept = database.parent / "instruments"
    before = {path.name: path.read_bytes() for path in kept.iterdir()}
    broken = official(tmp_path, "THL 2025")
    assert callable(breakage)
    broken.write_text(breakage(broken.read_text(encoding="utf-8")), encoding="utf-8")

    line = one_line(checkin_bot("instrument", "add", str(broken), env=env, cwd=tmp_path))
    assert said in line
    assert line.startswith(f"checkin-bot: {broken.name}: ")
    assert {path.name: path.read_bytes() for path in kept.iterdir()} == before
    assert await in_use(database, "ru") == (Status.OFFICIAL, "THL 2024")


def test_nothing_is_added_without_a_database_or_a_file(tmp_path: Path) -> None:
    env = environment(CHECKIN_DATABASE=str(tmp_path / "typo" / "checkin.sqlite3"))
    line = one_line(
        checkin_bot("instrument", "add", str(official(tmp_path)), env=env, cwd=tmp_path)
    )
    assert "does not exist: check CHECKIN_DATABASE" in line
    assert not (tmp_path / "typo").exists()


def test_a_missing_file_is_named(tmp_path: Path, env: dict[str, str]) -> None:
    line = one_line(checkin_bot("instrument", "add", "nowhere.toml", env=env, cwd=tmp_path))
    assert "nowhere.toml does not exist" in line


async def test_a_second_version_replaces_the_first_and_one_version_is_one_text(
    tmp_path: Path, database: Path, env: dict[str, str]
) -> None:
    instrument(tmp_path, env, "add", str(official(tmp_path, "THL 2024")))
    newer = instrument(tmp_path, env, "add", str(official(tmp_path, "THL 2025")))
    assert "Added THL's official ru text, version 'THL 2025'" in newer
    assert "replaces the text (version 'THL 2024')" in newer
    assert await in_use(database, "ru") == (Status.OFFICIAL, "THL 2025")
    record = (database.parent / "instruments" / "added.tsv").read_text(encoding="utf-8")
    assert [line.split("\t")[2] for line in record.splitlines()[1:]] == ["THL 2024", "THL 2025"]

    reworded = official(tmp_path, "THL 2025", change="# a changed comment\n")
    line = one_line(checkin_bot("instrument", "add", str(reworded), env=env, cwd=tmp_path))
    assert "version 'THL 2025' of ru was added before with other content" in line
    assert await in_use(database, "ru") == (Status.OFFICIAL, "THL 2025")


async def test_an_added_file_changed_afterwards_stops_start_up(
    tmp_path: Path, database: Path, env: dict[str, str]
) -> None:
    instrument(tmp_path, env, "add", str(official(tmp_path)))
    kept = database.parent / "instruments" / "ru.toml"
    kept.write_text(kept.read_text(encoding="utf-8").replace("цель", "смысл"), encoding="utf-8")
    line = one_line(checkin_bot("session", "list", env=env, cwd=tmp_path))
    assert f"{kept} has changed since it was added" in line
    kept.unlink()
    line = one_line(checkin_bot("session", "list", env=env, cwd=tmp_path))
    assert f"{kept} is missing" in line


async def test_sets_answered_before_and_after_the_drop_in_are_reported_apart(
    tmp_path: Path, database: Path, env: dict[str, str]
) -> None:
    settings = Settings(database=database, secret="k" * 32, min_group_size=2)
    start = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    services = await open_services(settings)
    session = await services.sessions.create_session("Ryhmä", "A" * 22, "AAAAAA", start)

    async def answer(services: Services, people: str) -> None:
        for person in people:
            key = person.encode().ljust(32, b"-")
            await services.answer_sets.submit(
                key,
                key,
                Draft.begin(session.id, "ru", start),
                (4,) * 10,
                75.0,
                services.instruments["ru"],
                date(2026, 10, 5),
            )

    await answer(services, "ab")
    await services.close()
    instrument(tmp_path, env, "add", str(official(tmp_path)))
    services = await open_services(settings)
    await answer(services, "cde")
    await services.sessions.close_session(session.id, start)
    await services.release(start + timedelta(hours=1))
    report = await make_report(services, ReportRequest(Breakdown.LANGUAGE))
    await services.close()
    sizes = {
        table.texts: table.total.figures.n
        for table in report.tables
        if isinstance(table.total.figures, Summary)
    }
    assert sizes == {
        (InstrumentText("ru", Status.PROVISIONAL, "provisional-1"),): 2,
        (InstrumentText("ru", Status.OFFICIAL, "THL 2024"),): 3,
    }
