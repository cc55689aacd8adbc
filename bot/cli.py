"""The `checkin-bot` command: run the bot, create a session, or watch a demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import ConfigError, Settings, load_settings
from bot.instrument import InstrumentError
from bot.join_codes import join_link
from bot.services import open_services, utc_now
from bot.sessions import BadLabel, create_session
from bot.storage.database import DatabaseError

log = logging.getLogger("bot")


def configure_logging() -> None:
    """Plain logs without personal data; the HTTP client's INFO lines carry the bot token."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level="INFO")
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def _preflight(settings: Settings) -> None:
    """Open everything once before polling, so a bad file stops start-up with one line."""
    services = await open_services(settings)
    await services.close()


def run(settings: Settings) -> None:
    """Long polling until stopped with Ctrl+C or SIGTERM."""
    settings.require_token()
    asyncio.run(_preflight(settings))
    app, _runtime = build_application(settings)
    log.info("starting; press Ctrl+C to stop")
    app.run_polling(allowed_updates=ALLOWED_UPDATES)


async def _bot_username(settings: Settings) -> str | None:
    if settings.bot_username:
        return settings.bot_username
    if settings.bot_token is None:
        return None
    async with Bot(settings.require_token(), base_url=settings.api_base_url) as bot:
        return bot.username


async def new_session(settings: Settings, label: str) -> str:
    """Create a session and describe how people join it."""
    services = await open_services(settings)
    try:
        session = await create_session(services.repo, label, utc_now())
    finally:
        await services.close()
    lines = [f"Session: {session.label}", f"Code to type: {session.short_code}"]
    username = await _bot_username(settings)
    if username:
        lines.insert(1, f"Join link: {join_link(username, session.join_code)}")
    else:
        lines.append(
            "Set CHECKIN_BOT_USERNAME (or CHECKIN_BOT_TOKEN) to get the join link. "
            f"Its start code is {session.join_code}"
        )
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="checkin-bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (long polling)")
    session = commands.add_parser("session", help="group sessions")
    session_commands = session.add_subparsers(dest="session_command", required=True)
    new = session_commands.add_parser("new", help="create a session and print its link and code")
    new.add_argument("--label", required=True, help='e.g. "Avoin työhuone, Kotka, 24.11."')
    commands.add_parser("demo", help="watch a scripted group check-in, no token needed")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `checkin-bot` command."""
    args = _parser().parse_args(argv)
    configure_logging()
    try:
        if args.command == "demo":
            from bot.demo import run_demo  # noqa: PLC0415 - the demo needs the emulator only

            print(asyncio.run(run_demo()))
            return 0
        settings = load_settings()
        if args.command == "run":
            run(settings)
        else:
            print(asyncio.run(new_session(settings, args.label)))
    except (ConfigError, InstrumentError, DatabaseError, BadLabel) as err:
        print(f"checkin-bot: {err}", file=sys.stderr)
        return 2
    except InvalidToken:
        print(
            "checkin-bot: Telegram refused the bot token. Check CHECKIN_BOT_TOKEN.",
            file=sys.stderr,
        )
        return 2
    except NetworkError as err:
        print(f"checkin-bot: cannot reach the Bot API ({err.message}).", file=sys.stderr)
        return 1
    except TelegramError as err:
        print(f"checkin-bot: the Bot API said: {err.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
