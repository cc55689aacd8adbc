"""A token Telegram refuses, a token of the wrong shape, or a Bot API that cannot be reached:
one line from the command that the operator ran, which never shows the token."""

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.dev.emulator import BotAPIEmulator
from bot.storage.database import connect
from tests.command_line import checkin_bot_async, environment, one_line

REFUSED = "987654:AAH-this-is-not-the-token-the-emulator-knows"


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emu:
        yield emu


@pytest.fixture(autouse=True)
async def database(tmp_path: Path) -> None:
    """An existing database: `health` only looks at one, it never creates it."""
    await (await connect(tmp_path / "checkin.sqlite3")).close()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings(tmp_path: Path, token: str, base_url: str) -> dict[str, str]:
    return environment(
        CHECKIN_BOT_TOKEN=token,
        CHECKIN_API_BASE_URL=base_url,
        CHECKIN_DATABASE=str(tmp_path / "checkin.sqlite3"),
        CHECKIN_SECRET="bot-api-test-secret-0123456789",
    )


@pytest.mark.parametrize(
    "command", [("run",), ("health", "--telegram"), ("session", "new", "--label", "Kotka")]
)
async def test_a_refused_token_is_one_line_without_the_token(
    emulator: BotAPIEmulator, tmp_path: Path, command: tuple[str, ...]
) -> None:
    env = settings(tmp_path, REFUSED, emulator.base_url)
    result = await checkin_bot_async(*command, env=env, cwd=tmp_path)
    line = one_line(result, code=2)
    assert "Telegram refused the bot token" in line
    assert "CHECKIN_BOT_TOKEN" in line
    assert REFUSED.partition(":")[2] not in result.out + result.err
    assert "Unclosed" not in result.err
    listed = await checkin_bot_async("session", "list", env=env, cwd=tmp_path)
    assert "Kotka" not in listed.out  # stopped before it changed anything


@pytest.mark.parametrize(
    "token", ["123:abc", f'"{REFUSED}"', f"bot{REFUSED}", REFUSED.replace("-", " ")]
)
async def test_a_token_of_the_wrong_shape_is_named_before_any_call(
    emulator: BotAPIEmulator, tmp_path: Path, token: str
) -> None:
    result = await checkin_bot_async(
        "run", env=settings(tmp_path, token, emulator.base_url), cwd=tmp_path
    )
    line = one_line(result, code=2)
    assert "CHECKIN_BOT_TOKEN does not look like a bot token" in line
    assert token not in line
    assert emulator.calls == []


@pytest.mark.parametrize("command", [("run",), ("health", "--telegram")])
async def test_an_unreachable_bot_api_is_one_line(
    emulator: BotAPIEmulator, tmp_path: Path, command: tuple[str, ...]
) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
    result = await checkin_bot_async(
        *command, env=settings(tmp_path, emulator.token, base_url), cwd=tmp_path
    )
    problem = result.out if command[0] == "health" else result.err
    assert result.code == 1, result
    (line,) = problem.splitlines()
    assert f"cannot reach the Bot API at {base_url}" in line
    assert "Traceback" not in result.err
    assert "Unclosed" not in result.err
    assert emulator.token.partition(":")[2] not in result.out + result.err


async def test_the_right_token_passes_the_health_check(
    emulator: BotAPIEmulator, tmp_path: Path
) -> None:
    env = settings(tmp_path, emulator.token, emulator.base_url)
    result = await checkin_bot_async("health", "--telegram", env=env, cwd=tmp_path)
    assert result.code == 0, result
    assert result.out.strip() == "ok"
