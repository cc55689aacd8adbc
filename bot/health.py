"""`checkin-bot health`: is the bot able to work? For monitoring and container health checks."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.bot_api import BotApiError, bot_username
from bot.config import ConfigError, Settings
from bot.services import open_services
from bot.storage.database import DatabaseError, write_probe


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
