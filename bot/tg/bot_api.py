"""Asking the Bot API who the bot is: the token and the connection are checked once, before
anything else talks to Telegram, so each way it can fail is one line for the operator."""

from __future__ import annotations

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.config import TELEGRAM_API_BASE_URL, ConfigError, Settings
from bot.tg.http import AiohttpRequest, redact


class BotApiError(Exception):
    """The Bot API cannot be reached or answered with an error; the message is one line."""


async def bot_username(settings: Settings) -> str:
    """The bot's username, as Telegram knows it.

    Raises ConfigError when the token is malformed or refused (fix the setting), BotApiError
    when the Bot API cannot be reached (try again later). No message carries the token.
    """
    token = settings.require_token()
    # One try: a caller that wants to wait for the network (systemd, Docker) starts again.
    request = AiohttpRequest(retry_delays=())
    bot = Bot(token, base_url=settings.api_base_url, request=request, get_updates_request=request)
    try:
        async with bot:
            return bot.username
    except InvalidToken:
        own_api = settings.api_base_url != TELEGRAM_API_BASE_URL
        also = " and CHECKIN_API_BASE_URL" if own_api else ""
        raise ConfigError(
            f"Telegram refused the bot token. Check CHECKIN_BOT_TOKEN{also}, or get a new "
            "token from @BotFather."
        ) from None
    except NetworkError as err:
        raise BotApiError(
            f"cannot reach the Bot API at {redact(settings.api_base_url)} "
            f"({redact(err.message)}). Check the network and CHECKIN_API_BASE_URL."
        ) from None
    except TelegramError as err:
        raise BotApiError(f"the Bot API said: {redact(err.message)}") from None
