"""The layers' import rules (pyproject.toml, `[tool.importlinter]`) hold, and catch a break."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale

from bot.ui.i18n import ENDONYMS

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the `bot` package found under `root`."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename=sys.argv[1] + '/pyproject.toml', no_cache=True))"
    )
    return subprocess.run(
        [sys.executable, "-c", script, str(root)],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
    )


def test_the_tree_keeps_every_rule() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("core/scoring.py", "import telegram", "The core is pure"),
        ("core/checkin.py", "import aiosqlite", "The core is pure"),
        ("ui/texts.py", "import telegram", "never speak to Telegram"),
        ("storage/store.py", "from bot.usecases import services", "Layers"),
        ("tg/app.py", "from bot.dev.emulator import errors", "Only the sandbox"),
        ("core/scoring.py", "from bot.core import reports", "No import cycles"),
    ],
)
def test_a_forbidden_import_breaks_the_rules(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    shutil.copytree(ROOT / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "bot" / module
    target.write_text(target.read_text() + f"\n{line}\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout
    assert f"{broken}" in result.stdout.split("Broken contracts")[-1]


def test_the_running_bot_loads_no_chart_pdf_or_spreadsheet_library() -> None:
    """They cost tens of megabytes a process: loaded only when a report or poster is made."""
    script = (
        "import sys, bot.tg.app, bot.cli; "
        "print(' '.join(m for m in ('matplotlib', 'fpdf', 'PIL', 'openpyxl', 'numpy') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.split() == []


def test_the_shipped_language_names_are_cldrs() -> None:
    for lang, name in ENDONYMS.items():
        cldr = Locale.parse(lang).get_display_name(lang) or ""
        assert name == cldr[:1].upper() + cldr[1:]
