"""Webhook mode: Telegram posts updates to the bot, which checks the secret token."""

import json
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.sandbox import Sandbox
from tests.e2e.conftest import ManualClock

SECRET = "webhook-secret-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_updates_posted_to_the_webhook_are_answered(
    tmp_path: Path, clock: ManualClock
) -> None:
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
        person = box.emulator.user(4242, "Verkko", language_code="en")
        person.started = True
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": 4242, "type": "private", "first_name": "Verkko"},
                "from": {
                    "id": 4242,
                    "is_bot": False,
                    "first_name": "Verkko",
                    "language_code": "en",
                },
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        url = f"http://127.0.0.1:{port}/telegram-updates"
        async with aiohttp.ClientSession() as http:
            forged = await http.post(
                url, data=json.dumps(update), headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            assert forged.status == 403
            await box.emulator.settle()
            assert box.emulator.calls_to("sendMessage") == []
            real = await http.post(
                url,
                data=json.dumps(update),
                headers={
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                    "Content-Type": "application/json",
                },
            )
            assert real.status == 200
        await box.emulator.settle()
        sent = box.emulator.calls_to("sendMessage")
        assert len(sent) == 1
        assert "/stop" in str(sent[0].params["text"])
        box.emulator.assert_no_violations()


def test_a_webhook_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import ConfigError, load_settings  # noqa: PLC0415

    monkeypatch.setenv("CHECKIN_WEBHOOK_URL", "https://checkin.example.org/hook")
    monkeypatch.delenv("CHECKIN_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ConfigError, match="CHECKIN_WEBHOOK_SECRET"):
        load_settings()
