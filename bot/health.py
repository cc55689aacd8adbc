"""`checkin-bot health`: is the bot able to work? For monitoring and container health checks."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.storage.database import DatabaseError, write_probe
from bot.tg.bot_api import BotApiError, bot_username
from bot.tg.heartbeat import silence
from bot.wiring import open_services


async def problems(settings: Settings, *, telegram: bool, read_only: bool = False) -> list[str]:
    """What stops the bot from working now; an empty list means healthy. `read_only` looks at
    an existing database without creating or changing anything."""
    found: list[str] = []
    try:
        services = await open_services(settings, read_only=read_only)
    except (ConfigError, DatabaseError, OSError):
        raise  # the operator's to fix (a setting, a file or a folder): one line, exit 2
    except Exception as err:
        return [f"start-up: {err}"]
    await services.close()
    try:
        await asyncio.to_thread(write_probe, settings.database)
    except sqlite3.Error as err:
        found.append(f"the database {settings.database} is not writable: {err}")
    if telegram:
        try:
            await bot_username(settings)
        except BotApiError as err:
            found.append(str(err))
    return found


def _duration(span: timedelta) -> str:
    seconds = round(span.total_seconds())
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} minutes"


def verdict(found: list[str], database: Path, now: datetime) -> tuple[str, int]:
    """What `checkin-bot health` prints, and its exit code: the problems found, and whether
    the bot that runs with this database still hears from Telegram (only read, never made)."""
    quiet, too_long = silence(database, now)
    if too_long:
        assert quiet is not None
        found = [
            *found,
            f"the bot has heard nothing from Telegram for {_duration(quiet)}: is "
            "`checkin-bot run` running, and can it reach the Bot API?",
        ]
    if found:
        return "\n".join(found), 1
    if quiet is None:
        return "ok", 0
    return f"ok\nthe bot last heard from Telegram {_duration(quiet)} ago", 0
