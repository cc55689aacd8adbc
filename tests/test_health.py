"""`checkin-bot health` tells whether the running bot still hears from Telegram, and only reads."""

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.dev.emulator import BotAPIEmulator
from bot.tg.heartbeat import Heartbeat
from tests.command_line import COMMAND, checkin_bot_async, environment


@pytest.fixture
async def emulator() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emu:
        yield emu


async def wait_for(path: Path) -> None:
    for _ in range(300):
        if path.exists():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{path} did not appear")


async def test_health_reports_how_long_ago_the_bot_heard_from_telegram(
    emulator: BotAPIEmulator, tmp_path: Path
) -> None:
    database = tmp_path / "checkin.sqlite3"
    alive = tmp_path / "checkin.sqlite3.alive"
    env = environment(
        CHECKIN_BOT_TOKEN=emulator.token,
        CHECKIN_API_BASE_URL=emulator.base_url,
        CHECKIN_DATABASE=str(database),
        CHECKIN_SECRET="health-test-secret-0123456789",
    )
    made = await checkin_bot_async("session", "new", "--label", "Kotka", env=env, cwd=tmp_path)
    assert made.code == 0, made
    before = await checkin_bot_async("health", env=env, cwd=tmp_path)
    assert (before.code, before.out) == (0, "ok\n")  # the bot has never run here
    assert not alive.exists()  # the check made nothing

    bot = await asyncio.create_subprocess_exec(
        COMMAND, "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        await wait_for(alive)
        running = await checkin_bot_async("health", env=env, cwd=tmp_path)
    finally:
        bot.terminate()
        await asyncio.wait_for(bot.wait(), 30)
    assert running.code == 0, running
    assert running.out.splitlines()[0] == "ok"
    assert "the bot last heard from Telegram " in running.out

    ten_minutes_ago = time.time() - 600
    os.utime(alive, (ten_minutes_ago, ten_minutes_ago))  # the bot stopped, or lost Telegram
    silent = await checkin_bot_async("health", env=env, cwd=tmp_path)
    assert silent.code == 1, silent
    assert "the bot has heard nothing from Telegram for 10 minutes" in silent.out
    assert alive.stat().st_mtime == pytest.approx(ten_minutes_ago)  # only read


def test_a_heartbeat_that_cannot_be_written_never_stops_the_bot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    heartbeat = Heartbeat(tmp_path / "missing-folder" / "checkin.sqlite3.alive")
    heartbeat.beat()
    assert "cannot note the time of the last update" in caplog.text
