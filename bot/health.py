"""`checkin-bot health`: is the bot able to work? For monitoring and container health checks."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

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
            async with Bot(settings.require_token(), base_url=settings.api_base_url) as bot:
                await bot.get_me()
        except TelegramError as err:
            found.append(f"Bot API: {err.message}")
    return found
