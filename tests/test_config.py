import os
from pathlib import Path

import pytest
from telegram.ext import Application

from bot import cli
from bot.config import ConfigError, Settings, load_settings
from bot.dev.emulator import DEFAULT_TOKEN, BotAPIEmulator
from tests.command_line import checkin_bot, checkin_bot_async, environment, one_line


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("CHECKIN_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env is read


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.min_group_size == 5
    assert settings.min_row_block == 20
    assert settings.coordinators == frozenset()
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.draft_ttl_hours == 24


@pytest.mark.parametrize(("value", "expected"), [(None, 0.01), ("0", 0.0), ("0.2", 0.2)])
def test_long_polling_pauses_between_polls_as_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str | None, expected: float
) -> None:
    monkeypatch.setenv("CHECKIN_BOT_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("CHECKIN_DATABASE", str(tmp_path / "db.sqlite3"))
    if value is not None:
        monkeypatch.setenv("CHECKIN_POLL_INTERVAL", value)
    polled: dict[str, object] = {}

    def run_polling(self: Application, **kwargs: object) -> None:  # type: ignore[type-arg]
        polled.update(kwargs)

    async def bot_username(settings: Settings) -> str:  # Telegram's answer to getMe
        return "checkin_test_bot"

    monkeypatch.setattr(Application, "run_polling", run_polling)
    monkeypatch.setattr(cli, "bot_username", bot_username)
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
        ("CHECKIN_MIN_ROW_BLOCK", "0"),
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


def test_row_blocks_are_never_smaller_than_a_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKIN_MIN_GROUP_SIZE", "8")
    monkeypatch.setenv("CHECKIN_MIN_ROW_BLOCK", "7")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == (
        "CHECKIN_MIN_ROW_BLOCK (7) must be at least CHECKIN_MIN_GROUP_SIZE (8)."
    )
    monkeypatch.setenv("CHECKIN_MIN_ROW_BLOCK", "8")
    assert load_settings().min_row_block == 8


def test_a_missing_token_says_how_to_get_one() -> None:
    with pytest.raises(ConfigError, match="BotFather"):
        load_settings().require_token()


def test_the_key_file_lives_apart_from_the_data_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHECKIN_DATABASE", str(tmp_path / "data" / "bot.sqlite3"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert (
        load_settings().secret_path() == tmp_path / "config" / "checkin-bot" / "bot.sqlite3.secret"
    )
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert load_settings().secret_path() == (
        tmp_path / "home" / ".config" / "checkin-bot" / "bot.sqlite3.secret"
    )


def test_a_key_file_beside_the_database_is_used_until_it_is_moved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHECKIN_DATABASE", str(tmp_path / "bot.sqlite3"))
    monkeypatch.setenv("CHECKIN_SECRET_FILE", str(tmp_path / "keys" / "bot.key"))
    (tmp_path / "bot.sqlite3.secret").write_text("k" * 64)
    assert load_settings().secret_path() == tmp_path / "bot.sqlite3.secret"
    (tmp_path / "keys").mkdir()
    (tmp_path / "bot.sqlite3.secret").rename(tmp_path / "keys" / "bot.key")
    assert load_settings().secret_path() == tmp_path / "keys" / "bot.key"


def test_the_command_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = environment(CHECKIN_DATABASE=str(tmp_path / "db.sqlite3"))
    line = one_line(checkin_bot("run", env=env, cwd=tmp_path))
    assert "CHECKIN_BOT_TOKEN" in line
    env["CHECKIN_MIN_GROUP_SIZE"] = "-3"
    line = one_line(checkin_bot("run", env=env, cwd=tmp_path))
    assert "CHECKIN_MIN_GROUP_SIZE" in line


def test_session_new_prints_the_link_and_code(tmp_path: Path) -> None:
    env = environment(
        CHECKIN_DATABASE=str(tmp_path / "db.sqlite3"), CHECKIN_BOT_USERNAME="@osallisuus_bot"
    )
    result = checkin_bot(
        "session", "new", "--label", "Avoin työhuone, Kotka", env=env, cwd=tmp_path
    )
    assert result.code == 0, result.err
    assert "Session: Avoin työhuone, Kotka" in result.out
    assert "https://t.me/osallisuus_bot?start=" in result.out
    assert "Code to type: " in result.out
    one_line(checkin_bot("session", "new", "--label", "   ", env=env, cwd=tmp_path))


ROOT = Path(__file__).parents[1]


def test_the_example_settings_copied_as_they_are_work(tmp_path: Path) -> None:
    """Empty values in `.env` mean "not set": the defaults apply."""
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    result = checkin_bot(
        "session", "new", "--label", "Avoin työhuone", env=environment(), cwd=tmp_path
    )
    assert result.code == 0, result
    assert "Code to type: " in result.out
    assert (tmp_path / "data" / "checkin.sqlite3").is_file()
    assert checkin_bot("health", env=environment(), cwd=tmp_path).out.strip() == "ok"


async def test_the_deployment_settings_leave_the_token_to_the_systemd_credential(
    tmp_path: Path,
) -> None:
    """deploy/.env.example's empty token, as a file and as the environment systemd makes of
    it, does not hide the token that systemd hands over as a credential."""
    (tmp_path / ".env").write_text((ROOT / "deploy" / ".env.example").read_text())
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    async with BotAPIEmulator() as emulator:
        (credentials / "checkin_bot_token").write_text(emulator.token + "\n")
        env = environment(
            CREDENTIALS_DIRECTORY=str(credentials),
            CHECKIN_BOT_TOKEN="",
            CHECKIN_API_BASE_URL=emulator.base_url,
        )
        created = await checkin_bot_async(
            "session", "new", "--label", "Kotka", env=env, cwd=tmp_path
        )
        health = await checkin_bot_async("health", "--telegram", env=env, cwd=tmp_path)
        assert health.code == 0, health
    assert created.code == 0, created
    assert f"https://t.me/{emulator.bot_username}?start=" in created.out
