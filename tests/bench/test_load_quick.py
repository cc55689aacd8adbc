"""The load benchmark's driver, in its quick mode, against the real bot as a separate process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = (
    "answered statements per second",
    "bot CPU ms per answered statement",
    "tap-to-reply p50 ms, closed loop",
    "tap-to-reply p95 ms, closed loop",
    "tap-to-reply p99 ms, closed loop",
    "tap-to-reply p50 ms, open loop 30/s",
    "tap-to-reply p95 ms, open loop 30/s",
    "tap-to-reply p99 ms, open loop 30/s",
    "Bot API calls per answered statement",
    "Bot API calls per complete set",
    "peak memory MB of the bot process",
    "peak memory MB, 20 check-ins in progress",
)


def test_quick_run_prints_every_figure_and_stores_every_set(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load.py"),
            "--quick",
            "--bots",
            "ours",
            "--json",
            str(figures_file),
            "--keep",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    printed = done.stdout
    assert re.search(r"^machine: \d+ cores, .+, Python 3\.\d+", printed, re.MULTILINE)
    for figure in FIGURES:
        # Each figure has its own line with a number for our bot.
        assert re.search(rf"^{re.escape(figure)}.*\d\.\d", printed, re.MULTILINE), figure

    ours = json.loads(figures_file.read_text())["bots"][0]
    assert ours["name"] == "ours"
    assert ours["failures"] == []
    # Five people sent a set in the measured session, one in the warm-up, and every set they
    # sent is in the database; the check-ins left in progress are there too.
    assert sorted(ours["sets_expected"].values()) == [0, 0, 1, 5]
    assert ours["sets_stored"] == ours["sets_expected"]
    assert ours["points_match"] is True
    assert ours["drafts_stored"] == ours["drafts_expected"]
    assert ours["held"] == 20
    assert ours["statements_per_second"] > 0
    assert ours["calls_per_statement"] >= 1
    assert "answer sets stored/expected per phase (warmup, closed, open, held)" in printed
