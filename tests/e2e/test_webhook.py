"""Webhook mode: Telegram posts updates to the bot, which checks the secret token."""

import hmac
import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from telegram import Bot

from bot.dev.sandbox import Sandbox
from tests.e2e.conftest import ManualClock

SECRET = "webhook-secret-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def hooked(tmp_path: Path, clock: ManualClock) -> AsyncIterator[tuple[Sandbox, str]]:
    """The bot in webhook mode, and the URL the reverse proxy would post updates to."""
    port = free_port()
    async with Sandbox(
        tmp_path,
        clock,
        webhook_url="https://checkin.example.org/telegram-updates",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret=SECRET,
    ) as box:
        assert box.emulator.webhook == {
            "url": "https://checkin.example.org/telegram-updates",
            "secret_token": SECRET,
        }
        box.emulator.user(4242, "Verkko", language_code="en").started = True  # HELP's sender
        yield box, f"http://127.0.0.1:{port}/telegram-updates"
        await box.emulator.settle()
        box.emulator.assert_no_violations()


HELP = {
    "update_id": 1,
    "message": {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": 4242, "type": "private", "first_name": "Verkko"},
        "from": {"id": 4242, "is_bot": False, "first_name": "Verkko", "language_code": "en"},
        "text": "/help",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    },
}


async def post(url: str, secret: str, body: str = json.dumps(HELP)) -> int:
    """Post an update as Telegram would (a JSON body), with the given secret."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as got:
        return got.status


async def test_updates_posted_to_the_webhook_are_answered(hooked: tuple[Sandbox, str]) -> None:
    box, url = hooked
    assert await post(url, "nope") == 403
    assert await post(url, SECRET[:-1] + "X") == 403  # as long as the secret, one letter off
    assert await post(url, SECRET, "not json") == 400
    await box.emulator.settle()
    assert box.emulator.calls_to("sendMessage") == []
    assert await post(url, SECRET) == 200
    await box.emulator.settle()
    sent = box.emulator.calls_to("sendMessage")
    assert len(sent) == 1
    assert "/stop" in str(sent[0].params["text"])


async def test_the_webhook_secret_is_compared_in_constant_time(
    hooked: tuple[Sandbox, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = hooked
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert await post(url, "A" * len(SECRET)) == 403
    assert await post(url, SECRET) == 200
    assert compared == [(b"A" * len(SECRET), SECRET.encode()), (SECRET.encode(),) * 2]


def test_a_webhook_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import ConfigError, load_settings  # noqa: PLC0415

    monkeypatch.setenv("CHECKIN_WEBHOOK_URL", "https://checkin.example.org/hook")
    monkeypatch.delenv("CHECKIN_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ConfigError, match="CHECKIN_WEBHOOK_SECRET"):
        load_settings()


async def test_the_bot_notes_that_telegram_delivers_to_its_webhook(
    hooked: tuple[Sandbox, str], tmp_path: Path
) -> None:
    """Webhook mode: the minute's check asks Telegram, and `checkin-bot health` reads the
    time it noted."""
    box, _ = hooked
    alive = tmp_path / "checkin.sqlite3.alive"
    assert box.runtime is not None
    async with Bot(box.emulator.token, base_url=box.emulator.base_url) as bot:
        box.emulator.webhook = {"url": "https://elsewhere.example.org/hook", "secret_token": ""}
        await box.runtime.check_webhook(bot)
        assert not alive.exists()  # Telegram delivers to another URL: nothing heard
        box.emulator.webhook = {
            "url": "https://checkin.example.org/telegram-updates",
            "secret_token": SECRET,
        }
        await box.runtime.check_webhook(bot)
    assert alive.exists()
