"""The load benchmark's driver, in its quick mode, against the real bot as a separate process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


def _quick_run(*args: str) -> str:
    """What ``bench/load.py --quick`` with ``args`` prints; it must succeed within 50 s."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--quick", *args],
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# Bot API calls per answer and per set.  Ours asks with a reply keyboard: each answer costs
# the next statement's message, the tenth the summary and the review.  The tutorial baseline
# has inline buttons per statement: answerCallbackQuery, the edit, the next message.  A set
# adds the consent message, the consent tap's 4 calls and the send tap's 3.
CALLS = [
    pytest.param("ours", (9 * 1 + 2) / 10, 1 + 4 + 9 * 1 + 2 + 3, id="ours-reply-keyboard"),
    pytest.param("ptb-tutorial", 3.0, 1 + 4 + 10 * 3 + 3, id="ptb-tutorial-inline"),
]


@pytest.mark.parametrize(("bot", "per_statement", "per_set"), CALLS)
def test_quick_unpaced_run_prints_every_figure_and_stores_every_set(
    tmp_path: Path, bot: str, per_statement: float, per_set: int
) -> None:
    figures_file = tmp_path / "figures.json"
    printed = _quick_run(
        "--unpaced", "--bots", bot, "--json", str(figures_file), "--keep", str(tmp_path / "work")
    )
    assert re.search(r"^machine: \d+ cores, .+, Python 3\.\d+", printed, re.MULTILINE)
    for figure in FIGURES:
        # Each figure has its own line with a number for the bot.
        assert re.search(rf"^{re.escape(figure)}.*\d\.\d", printed, re.MULTILINE), figure

    figures = json.loads(figures_file.read_text())["bots"][0]
    assert figures["name"] == bot
    assert figures["failures"] == []
    # Five people sent a set in the measured session, one in the warm-up, and every set they
    # sent is in the database; for ours the check-ins left in progress are there too.
    assert sorted(figures["sets_expected"].values()) == [0, 0, 1, 5]
    assert figures["sets_stored"] == figures["sets_expected"]
    assert figures["points_match"] is True
    if bot == "ours":
        assert figures["drafts_stored"] == figures["drafts_expected"]
    assert figures["held"] == 20
    assert figures["statements_per_second"] > 0
    assert figures["calls_per_statement"] == pytest.approx(per_statement)
    assert figures["calls_per_set"] == pytest.approx(per_set)
    assert "answer sets stored/expected per phase (warmup, closed, open, held)" in printed


PACED_FIGURES = (
    "people finished",
    "tap-to-reply p95 / p99 s, every tap",
    "tap-to-reply p95 / p99 s, mid-check-in",
    "calls refused with 429",
    "messages sent per second / ceiling",
    "consents: first join to last consent s",
    "consents: most behind the ceiling's pace s",
    "bot CPU ms per answered statement",
)


def test_quick_paced_run_meets_telegrams_limits_and_everyone_finishes(tmp_path: Path) -> None:
    figures_file = tmp_path / "figures.json"
    printed = _quick_run("--json", str(figures_file))
    assert "paced: Telegram's flood limits in the emulator" in printed
    header = next(line for line in printed.splitlines() if line.startswith("figure"))
    assert header.split()[1:] == ["6", "people", "9", "people", "12", "joining", "in", "1", "s"]
    for figure in PACED_FIGURES:
        # Each figure has its own line with a value for each of the three scenarios.
        line = next(line for line in printed.splitlines() if line.startswith(figure))
        assert len(re.findall(r"\d", line[len(figure) :])) >= 3, line

    scenarios = json.loads(figures_file.read_text())["scenarios"]
    assert [s["people"] for s in scenarios] == [6, 9, 12]
    for scenario in scenarios:
        assert scenario["failures"] == []
        assert scenario["finished"] == scenario["sets_stored"] == scenario["people"]
        # Paced below the limits, Telegram refused nothing.
        assert scenario["refused"] == 0
        assert scenario["met"]["zero 429s"] is True
        assert scenario["sent"] >= 17 * scenario["people"]
        assert 0 < scenario["sent_per_second"] <= 30
        assert scenario["cpu_ms_per_statement"] > 0
    burst = scenarios[2]
    assert 0 <= burst["consent_behind_s"] <= burst["consent_spread_s"]
