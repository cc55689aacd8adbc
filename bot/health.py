"""`checkin-bot health`: is the bot able to work? For monitoring and container health checks."""

from __future__ import annotations

from bot.bot_api import BotApiError, bot_username
from bot.config import Settings
from bot.services import open_services


async def problems(settings: Settings, *, telegram: bool) -> list[str]:
    """What stops the bot from working now; an empty list means healthy."""
    found: list[str] = []
    try:
        services = await open_services(settings)
    except Exception as err:
        return [f"start-up: {err}"]
    try:
        async with services.repo.store.transaction() as conn:
            await conn.execute("UPDATE session SET id = id WHERE 0")  # takes the write lock
    except Exception as err:
        found.append(f"the database {settings.database} is not writable: {err}")
    finally:
        await services.close()
    if telegram:
        try:
            await bot_username(settings)
        except BotApiError as err:
            found.append(str(err))
    return found
