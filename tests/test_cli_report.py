"""`checkin-bot report`: the same released figures on the server's command line."""

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest

from bot.core.checkin import Draft
from bot.core.instrument import DEFAULT_DIR, load_instrument
from bot.storage.blocks import BlockRepository
from tests.stores import open_stores

FI = load_instrument(DEFAULT_DIR / "fi.toml")
T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
async def database(tmp_path: Path) -> Path:
    path = tmp_path / "db.sqlite3"
    db = await open_stores(path)
    shown = await db.sessions.create_session(
        "Shown", "A" * 22, "AAAAAA", T0, owner_id=1, activity="Avoin työhuone"
    )
    other = await db.sessions.create_session(
        "Other", "B" * 22, "BBBBBB", T0, owner_id=1, activity=shown.activity_id
    )
    small = await db.sessions.create_session(
        "Small", "C" * 22, "CCCCCC", T0, owner_id=1, activity=shown.activity_id
    )
    for session, values in ((shown, [4] * 7), (other, [3] * 6), (small, [2, 5])):
        for i, value in enumerate(values):
            key = f"{session.id}-{i}".encode().ljust(32, b"-")
            draft = Draft.begin(session.id, "fi", T0)
            await db.answer_sets.submit(
                key, key, draft, (value,) * 10, (value * 10 - 10) * 2.5, FI, date(2026, 10, 5)
            )
        await db.sessions.close_session(session.id, T0)
    standing = await db.sessions.create_session("Standing", "D" * 22, "DDDDDD", T0, owner_id=1)
    key = b"standing".ljust(32, b"-")
    draft = Draft.begin(standing.id, "fi", T0)
    await db.answer_sets.submit(key, key, draft, (3,) * 10, 50.0, FI, date(2026, 10, 5))
    await BlockRepository(db.store).release(
        T0 + timedelta(minutes=16),
        zone=ZoneInfo("Europe/Helsinki"),
        grace=timedelta(minutes=15),
        min_size=5,
    )
    await db.close()
    return path


def run(
    database: Path, *args: str, lang: str | None = "en", **settings: str
) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKIN_")}
    env |= {"CHECKIN_DATABASE": str(database), "CHECKIN_SECRET": "cli-test-secret-0123456789"}
    env |= {f"CHECKIN_{name.upper()}": value for name, value in settings.items()}
    return subprocess.run(
        [sys.executable, "-m", "bot", "report", *(["--lang", lang] if lang else []), *args],
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_the_table_shows_released_blocks_and_says_what_is_held_back(database: Path) -> None:
    result = run(database, "--by", "session")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "Finnish, THL's official text (THL 2019)" in out
    shown = next(line for line in out.splitlines() if line.startswith("Shown"))
    assert "7" in shown
    assert "75.0" in shown
    small = next(line for line in out.splitlines() if line.startswith("Small"))
    assert "too few answers to show" in small
    other = next(line for line in out.splitlines() if line.startswith("Other"))
    assert "50.0" in other  # a block of its own: nothing to subtract the small one out of
    standing = next(line for line in out.splitlines() if line.startswith("Standing"))
    assert "not shown yet: the check-in is open" in standing
    assert "Never shown, too few answers: 2 answers in 1 check-ins." in out
    assert "Not shown yet, the check-in is open: 1 answers in 1 check-ins." in out


def test_the_table_is_finnish_by_default_and_written_to_a_file(
    database: Path, tmp_path: Path
) -> None:
    target = tmp_path / "table.txt"
    result = run(database, "--by", "kind", "--format", "table", "--output", str(target), lang=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == f"wrote {target}"
    text = target.read_text(encoding="utf-8")
    assert "suomi, THL:n virallinen teksti (THL 2019)" in text
    assert "Yksittäinen kysely" in text  # a row named in words, not "single"
    assert "luottamusväli" in text


def test_files_and_charts(database: Path, tmp_path: Path) -> None:
    result = run(database, "--by", "activity", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8-sig"))))
    total = next(line for line in lines if line["breakdown"] == "total")
    assert total["n"] == "13"
    for fmt, signature in (("xlsx", b"PK"), ("png", b"\x89PNG")):
        target = tmp_path / f"out.{fmt}"
        result = run(database, "--format", fmt, "--output", str(target))
        assert result.returncode == 0, result.stderr
        assert target.read_bytes().startswith(signature)
    result = run(database, "--format", "statements")
    assert result.returncode == 0, result.stderr
    lines = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8-sig"))))
    total_lines = [line for line in lines if line["row_key"] == "total"]
    assert [(line["option_3"], line["option_4"]) for line in total_lines] == [("6", "7")] * 10
    assert "none" not in {line["row_key"] for line in lines}  # the standing link is held back
    assert run(database, "--format", "rows").stdout.decode("utf-8-sig").count("\n") == 1
    result = run(database, "--format", "rows", min_row_block="7")
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8-sig"))))
    assert [row["session_label"] for row in rows] == ["Shown"] * 7  # a block of 6 is too few
    assert {row["month"] for row in rows} == {"2026-10"}


def test_the_report_on_one_pdf_page(database: Path, tmp_path: Path) -> None:
    target = tmp_path / "raportti.pdf"
    result = run(
        database, "--by", "session", "--format", "pdf", "--output", str(target), lang=None
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == f"wrote {target}"
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) == 1
    assert str(reader.root_object["/Lang"]) == "fi"  # the installation's language by default
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Osallisuusindikaattori: yhteenveto kyselyittäin" in text
    assert "n = 13" in text
    assert "Ei kuvassa: Small (liian vähän vastauksia näytettäväksi)" in text
    assert "Osallisuusindikaattori © THL" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--activity", "Nowhere"], "no activity 'Nowhere'"),
        (["--session", "999"], "no session with id 999"),
        (["--from", "2026-12-01", "--to", "2026-11-01"], "runs backwards"),
        (["--format", "xlsx"], "needs --output"),
        (["--format", "pdf"], "--format pdf needs --output FILE"),
        (["--format", "rows", "--to", "2026-10-05"], "never narrowed by dates"),
    ],
)
def test_bad_requests_get_one_clear_line(database: Path, args: list[str], message: str) -> None:
    result = run(database, *args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert message in err
    assert "Traceback" not in err


def test_an_empty_range_says_so(database: Path) -> None:
    result = run(database, "--from", "2020-01-01", "--to", "2020-01-31")
    assert result.returncode == 0
    assert "no answers to report yet" in result.stdout.decode()


def test_a_scope_with_everything_held_back_says_so(database: Path) -> None:
    result = run(database, "--session", "4")
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "no answers to report yet" not in out
    assert "There are answers, but no figures to show yet:" in out
    assert "Not shown yet, the check-in is open: 1 answers in 1 check-ins." in out
