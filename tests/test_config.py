import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from telegram.ext import Application

from bot import cli
from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("CHECKIN_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env is read


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.min_group_size == 5
    assert settings.coordinators == frozenset()
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.draft_ttl_hours == 24


@pytest.mark.parametrize(("value", "expected"), [(None, 0.01), ("0", 0.0), ("0.2", 0.2)])
def test_long_polling_pauses_between_polls_as_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str | None, expected: float
) -> None:
    monkeypatch.setenv("CHECKIN_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("CHECKIN_DATABASE", str(tmp_path / "db.sqlite3"))
    if value is not None:
        monkeypatch.setenv("CHECKIN_POLL_INTERVAL", value)
    polled: dict[str, object] = {}

    def run_polling(self: Application, **kwargs: object) -> None:  # type: ignore[type-arg]
        polled.update(kwargs)

    monkeypatch.setattr(Application, "run_polling", run_polling)
    cli.run(load_settings())
    assert polled["poll_interval"] == expected


def test_coordinators_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKIN_COORDINATORS", "12, 34,56")
    assert load_settings().coordinators == frozenset({12, 34, 56})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CHECKIN_POLL_INTERVAL", "-1"),
        ("CHECKIN_COORDINATORS", "12,abc"),
        ("CHECKIN_MIN_GROUP_SIZE", "0"),
        ("CHECKIN_MIN_GROUP_SIZE", "many"),
        ("CHECKIN_TIMEZONE", "Mars/Olympus"),
    ],
)
def test_bad_values_give_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert name in message
    assert "\n" not in message


def test_a_missing_token_says_how_to_get_one() -> None:
    with pytest.raises(ConfigError, match="BotFather"):
        load_settings().require_token()


def test_the_secret_is_made_once_and_kept_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHECKIN_DATABASE", str(tmp_path / "data" / "bot.sqlite3"))
    first = load_settings().secret_key()
    again = load_settings().secret_key()
    assert first == again
    assert len(first) >= 32
    path = tmp_path / "data" / "bot.sqlite3.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_given_secret_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKIN_SECRET", "from-the-environment-0123456789")
    assert load_settings().secret_key() == b"from-the-environment-0123456789"


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def test_the_command_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKIN_")}
    env["CHECKIN_DATABASE"] = str(tmp_path / "db.sqlite3")
    result = _cli("run", env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "CHECKIN_BOT_TOKEN" in lines[0]
    env["CHECKIN_MIN_GROUP_SIZE"] = "-3"
    result = _cli("run", env=env)
    assert result.returncode == 2
    assert "CHECKIN_MIN_GROUP_SIZE" in result.stderr
    assert "Traceback" not in result.stderr


def test_session_new_prints_the_link_and_code(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKIN_")}
    env |= {
        "CHECKIN_DATABASE": str(tmp_path / "db.sqlite3"),
        "CHECKIN_BOT_USERNAME": "@osallisuus_bot",
    }
    result = _cli("session", "new", "--label", "Avoin työhuone, Kotka", env=env)
    assert result.returncode == 0, result.stderr
    assert "Session: Avoin työhuone, Kotka" in result.stdout
    assert "https://t.me/osallisuus_bot?start=" in result.stdout
    assert "Code to type: " in result.stdout
    result = _cli("session", "new", "--label", "   ", env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
