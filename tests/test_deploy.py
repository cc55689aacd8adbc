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


def test_systemd_keeps_the_key_in_a_private_folder_of_its_own() -> None:
    settings = unit_settings()
    environment = dict(
        pair.split("=", 1) for line in settings["Environment"] for pair in line.split()
    )
    database = Path(environment["CHECKIN_DATABASE"])
    key = Path(environment["CHECKIN_SECRET_FILE"])
    states = {Path("/var/lib") / name for name in settings["StateDirectory"][0].split()}
    assert {database.parent, key.parent} == states  # two folders, neither inside the other
    assert settings["StateDirectoryMode"] == ["0700"]


def test_the_container_keeps_the_key_on_a_volume_of_its_own() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    compose = (DEPLOY / "compose.yaml").read_text()
    assert "CHECKIN_DATABASE=/data/checkin.sqlite3" in dockerfile
    assert "CHECKIN_SECRET_FILE=/key/checkin.sqlite3.secret" in dockerfile
    assert 'VOLUME ["/data", "/key"]' in dockerfile
    assert "chmod 700 /data /key" in dockerfile
    assert "- checkin-data:/data\n" in compose
    assert "- checkin-key:/key " in compose
