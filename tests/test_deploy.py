"""The deployment files: a bad configuration (exit code 2) is not restarted for ever."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.command_line import COMMAND

DEPLOY = Path(__file__).parents[1] / "deploy"
INSTALLED = "/opt/checkin-bot/.venv/bin/checkin-bot"


def unit_settings() -> dict[str, list[str]]:
    """The systemd unit's settings, by name (some appear more than once)."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / "checkin-bot.service").read_text().splitlines():
        name, equals, value = line.partition("=")
        if equals and not line.startswith("#"):
            found.setdefault(name, []).append(value)
    return found


def test_systemd_does_not_restart_a_bad_configuration() -> None:
    settings = unit_settings()
    assert settings["Restart"] == ["on-failure"]
    assert settings["RestartPreventExitStatus"] == ["2"]
    assert settings["ExecStart"] == [f"{INSTALLED} run"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """`systemd-analyze verify` warns about any setting it cannot parse."""
    unit = tmp_path / "checkin-bot.service"
    unit.write_text((DEPLOY / "checkin-bot.service").read_text().replace(INSTALLED, COMMAND))
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(unit)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""
