"""The `checkin-bot` command: run the bot, create a session, or watch a demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from pythonjsonlogger.json import JsonFormatter
from telegram.error import TelegramError

from bot.config import ConfigError, LogFormat, Settings, load_settings
from bot.core.codes import join_link
from bot.core.instrument import InstrumentError, Status, load_instruments
from bot.core.report_model import Breakdown, ReportRequest, ReportRequestError
from bot.core.sessions import BadLabel, UnknownLanguage, UnknownSession
from bot.health import problems, verdict
from bot.log_privacy import keep_logs_private
from bot.secret_key import key_source
from bot.storage.backup import backup, restore
from bot.storage.database import DatabaseError, require_existing
from bot.storage.file_problems import file_problem
from bot.storage.instrument_files import current as added_texts
from bot.storage.instrument_files import load_added
from bot.storage.private_files import OutputError, write_private
from bot.tg.app import ALLOWED_UPDATES, build_application, serve_webhook
from bot.tg.bot_api import BotApiError, bot_username
from bot.ui import report_texts
from bot.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES
from bot.usecases import sessions
from bot.usecases.instruments import Change, Outcome, add_official
from bot.usecases.reports import make_report, make_row_export
from bot.usecases.services import Services, utc_now
from bot.wiring import open_services

if TYPE_CHECKING:  # matplotlib is loaded only when a chart is asked for
    from bot.ui.report_charts import Chart

log = logging.getLogger("bot")


def configure_logging(log_format: LogFormat = "text", level: str = "INFO") -> None:
    """Logs without personal data (see bot.log_privacy), as plain lines or one JSON object
    per line."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                ["asctime", "levelname", "name", "message"],
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                json_ensure_ascii=False,
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(handlers=[handler], level=level)
    keep_logs_private()


async def _preflight(settings: Settings) -> None:
    """Open and write-lock everything once, and ask Telegram who the bot is, before polling:
    a bad or locked file, a refused token or an unreachable Bot API stops start-up with one
    line instead of a traceback from inside the polling loop."""
    found = await problems(settings, telegram=False)
    if found:
        raise DatabaseError(found[0])
    await bot_username(settings)


def run(settings: Settings) -> None:
    """Long polling or a webhook, until stopped with Ctrl+C or SIGTERM."""
    settings.require_token()
    asyncio.run(_preflight(settings))
    app, runtime = build_application(settings)
    webhook = settings.webhook()
    if webhook is None:
        log.info("starting with long polling; press Ctrl+C to stop")
        app.run_polling(allowed_updates=ALLOWED_UPDATES, poll_interval=settings.poll_interval)
    else:
        log.info(
            "starting with a webhook on %s:%s", settings.webhook_listen, settings.webhook_port
        )
        asyncio.run(serve_webhook(app, runtime))


async def _bot_username(settings: Settings) -> str | None:
    """The username for join links; None when neither it nor a token is set, or the Bot API
    cannot be reached now. A refused token stops the command before it changes anything."""
    if settings.bot_username:
        return settings.bot_username
    if settings.bot_token is None:
        return None
    try:
        return await bot_username(settings)
    except BotApiError:
        return None


async def new_session(settings: Settings, label: str, lang: str) -> str:
    """Create a session in a language with statements and describe how people join it."""
    username = await _bot_username(settings)
    services = await open_services(settings)
    try:
        session = await sessions.create_session(
            services.sessions, label, utc_now(), lang=sessions.session_language(services, lang)
        )
    finally:
        await services.close()
    lines = [
        f"Session: {session.label}",
        f"Language: {session.lang} (everyone who joins starts in it)",
        f"Session id: {session.id} (checkin-bot session close {session.id} closes it)",
        f"Code to type: {session.short_code}",
    ]
    if username:
        lines.insert(2, f"Join link: {join_link(username, session.join_code)}")
    else:
        lines.append(
            "Set CHECKIN_BOT_USERNAME (or CHECKIN_BOT_TOKEN) to get the join link. "
            f"Its start code is {session.join_code}"
        )
    return "\n".join(lines)


async def list_sessions(settings: Settings, limit: int) -> str:
    """`checkin-bot session list`: the newest sessions with their counts, never who answered."""
    services = await open_services(settings, read_only=True)
    try:
        listed = await sessions.list_sessions(services, None, limit=limit)
    finally:
        await services.close()
    if not listed:
        return "There are no sessions yet. Create one: checkin-bot session new --label NAME"
    lines = ["id\tstate\tkind\tcomplete\tanswering\tlabel"]
    lines += [
        f"{session.id}\t{'closed' if session.closed else 'open'}\t{session.kind}\t"
        f"{counts.complete}\t{'-' if session.closed else counts.in_progress}\t{session.label}"
        for session, counts in listed
    ]
    return "\n".join(lines)


async def close_session(settings: Settings, session_id: int) -> str:
    """`checkin-bot session close ID`, as /close does in the chat."""
    require_existing(settings.database)  # a mistyped path must not become an empty database
    services = await open_services(settings)
    try:
        closed = await sessions.close_session(services, session_id, utc_now())
    finally:
        await services.close()
    session = closed.session
    if session is None:
        raise UnknownSession(f"no session with id {session_id} (see: checkin-bot session list)")
    if closed.result is sessions.Closing.ALREADY_CLOSED:
        return f"Session {session_id} ({session.label}) was already closed."
    return (
        f"Closed session {session_id} ({session.label}): nobody can join any more; people "
        f"already answering have {settings.close_grace_minutes:g} minutes to finish."
    )


async def session_command(settings: Settings, args: argparse.Namespace) -> str:
    """`checkin-bot session new|list|close`."""
    if args.session_command == "list":
        return await list_sessions(settings, args.limit)
    if args.session_command == "close":
        return await close_session(settings, args.id)
    return await new_session(settings, args.label, args.language)


async def poster_command(settings: Settings, args: argparse.Namespace) -> str:
    """`checkin-bot poster SESSION`: the session's A4 poster as a PDF file."""
    from bot.ui import poster  # noqa: PLC0415 - the PDF library only for this command

    username = await _bot_username(settings)
    if username is None:
        raise ConfigError(
            "set CHECKIN_BOT_USERNAME (or CHECKIN_BOT_TOKEN): the poster's QR code holds the "
            "join link, which needs the bot's username"
        )
    require_existing(settings.database)
    services = await open_services(settings, read_only=True)
    try:
        session = await services.sessions.session_by_id(args.session)
    finally:
        await services.close()
    if session is None:
        raise UnknownSession(f"no session with id {args.session} (see: checkin-bot session list)")
    content = poster.session_poster(services.translations, session, username)
    output = args.output or Path(poster.file_name(session))
    write_private(output, content)
    return f"wrote {output}"


async def _activity_id(services: Services, wanted: str) -> int:
    activities = await services.staff.all_activities()
    for activity in activities:
        if wanted in (str(activity.id), activity.name):
            return activity.id
    known = ", ".join(f"{a.id}: {a.name}" for a in activities) or "none yet"
    raise ReportRequestError(f"no activity {wanted!r} (activities: {known})")


async def report_command(settings: Settings, args: argparse.Namespace) -> str | None:
    """`checkin-bot report`: the same released report as the chat, as text or a file."""
    if args.format in ("xlsx", "png", "pdf") and args.output is None:
        raise ReportRequestError(f"--format {args.format} needs --output FILE")
    if args.format == "rows" and (args.first_day or args.last_day):
        raise ReportRequestError(
            "--format rows covers whole release blocks and is never narrowed by dates: "
            "leave out --from and --to"
        )
    services = await open_services(settings, read_only=True)
    try:
        if (
            args.session is not None
            and await services.sessions.session_by_id(args.session) is None
        ):
            raise ReportRequestError(f"no session with id {args.session}")
        activity = None if args.activity is None else await _activity_id(services, args.activity)
        request = ReportRequest(
            Breakdown(args.by),
            activity_id=activity,
            session_id=args.session,
            first_day=args.first_day,
            last_day=args.last_day,
            pool_provisional=args.pool_provisional,
        )
        report = await make_report(services, request)
        rows = await make_row_export(services, request) if args.format == "rows" else []
    finally:
        await services.close()
    t = services.translations[args.lang]
    if args.format == "table":
        text = report_texts.table(t, report, args.lang)
        if args.output is None:
            return text
        write_private(args.output, (text + "\n").encode())
        return f"wrote {args.output}"
    # Files and charts need openpyxl, matplotlib and fpdf2, which `checkin-bot run` never loads.
    from bot.ui import report_charts, report_files, report_pdf  # noqa: PLC0415

    content = {
        "csv": lambda: report_files.aggregate_csv(report),
        "statements": lambda: report_files.statements_csv(report),
        "xlsx": lambda: report_files.aggregate_xlsx(report, t, args.lang),
        "png": lambda: _chart(report_charts.charts(report, t, args.lang)),
        "pdf": lambda: report_pdf.report_pdf(report, services.instruments, t, args.lang),
        "rows": lambda: report_files.rows_csv(rows),
    }[args.format]()
    if args.output is None:
        sys.stdout.buffer.write(content)
        return None
    write_private(args.output, content)
    return f"wrote {args.output}"


def _chart(charts: Sequence[Chart]) -> bytes:
    """The chart that answers the report's question (of THL's official text, if any)."""
    if not charts:
        raise ReportRequestError("there are no figures to draw yet: see --format table")
    return charts[0].png()


def _added_line(outcome: Outcome) -> str:
    """What `instrument add` did, for the operator."""
    text, replaced = outcome.instrument, outcome.replaced
    named = f"THL's official {text.language} text, version {text.version!r}"
    if outcome.change is Change.UNCHANGED:
        return f"{named} is already in use: nothing changed."
    lines = [f"Added {named} (sha256 {outcome.sha256})."]
    if replaced is None:
        lines.append(f"It is the first text in {text.language}.")
    else:
        kind = "provisional translation" if replaced.status is Status.PROVISIONAL else "text"
        lines.append(
            f"It replaces the {kind} (version {replaced.version!r}) for new check-ins; answers "
            "given in that text stay reported apart."
        )
    lines.append("Restart the bot to use it (e.g. systemctl restart checkin-bot).")
    return "\n".join(lines)


def instrument_command(settings: Settings, args: argparse.Namespace) -> str:
    """`checkin-bot instrument add FILE|list`: THL's official files beside the database."""
    require_existing(settings.database)  # a mistyped path must not become a new data folder
    shipped = load_instruments()
    if args.instrument_command == "add":
        return _added_line(add_official(settings.database, args.file, shipped, utc_now()))
    in_use = shipped | load_added(settings.database)
    added = added_texts(settings.database)
    lines = ["language\tstatus\tversion\tfile"]
    lines += [
        f"{lang}\t{text.status}\t{text.version}\t"
        + (
            f"added {added[lang].added_at}, sha256 {added[lang].sha256}"
            if lang in added
            else "shipped"
        )
        for lang, text in sorted(in_use.items())
    ]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="checkin-bot", description=__doc__)
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {version('checkin-bot')}"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (long polling)")
    session = commands.add_parser("session", help="group sessions")
    session_commands = session.add_subparsers(dest="session_command", required=True)
    new = session_commands.add_parser("new", help="create a session and print its link and code")
    new.add_argument("--label", required=True, help='e.g. "Avoin työhuone, Kotka, 24.11."')
    new.add_argument(
        "--language",
        default=DEFAULT_LANGUAGE,
        help="the language everyone who joins starts in: one with statements, e.g. fi, sv, en "
        f"(see: checkin-bot instrument list; default {DEFAULT_LANGUAGE})",
    )
    listing = session_commands.add_parser("list", help="the newest sessions with their counts")
    listing.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    close = session_commands.add_parser("close", help="close a session: nobody can join any more")
    close.add_argument("id", type=int, help="the session id (see: checkin-bot session list)")
    instrument = commands.add_parser("instrument", help="THL's instrument texts")
    instrument_commands = instrument.add_subparsers(dest="instrument_command", required=True)
    add = instrument_commands.add_parser(
        "add", help="check THL's official file for a language and use it for new check-ins"
    )
    add.add_argument("file", type=Path, help="the file, shaped like bot/instruments/fi.toml")
    instrument_commands.add_parser("list", help="the text in use for each language")
    sheet = commands.add_parser("poster", help="an A4 poster (PDF) of a session, to print")
    sheet.add_argument("session", type=int, help="the session id (see: checkin-bot session list)")
    sheet.add_argument("--output", type=Path, help="file to write (default poster-ID.pdf)")
    commands.add_parser("demo", help="watch a scripted group check-in, no token needed")
    health = commands.add_parser("health", help="check that the bot can work (exit code 0)")
    health.add_argument("--telegram", action="store_true", help="also ask the Bot API")
    backup = commands.add_parser("backup", help="copy the database safely, also while running")
    backup.add_argument("target", type=Path)
    restore = commands.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("source", type=Path)
    report = commands.add_parser("report", help="anonymous totals from the database")
    report.add_argument("--by", choices=[b.value for b in Breakdown], default="activity")
    scope = report.add_mutually_exclusive_group()
    scope.add_argument("--activity", help="one activity, by name or id")
    scope.add_argument("--session", type=int, help="one session, by id")
    report.add_argument("--from", dest="first_day", type=date.fromisoformat, help="YYYY-MM-DD")
    report.add_argument("--to", dest="last_day", type=date.fromisoformat, help="YYYY-MM-DD")
    report.add_argument(
        "--pool-provisional",
        action="store_true",
        help="pool provisional translations with the official text (flagged in the output)",
    )
    report.add_argument(
        "--format",
        choices=["table", "csv", "statements", "xlsx", "png", "pdf", "rows"],
        default="table",
        help="statements: how many chose each option of each statement; pdf: the report on one "
        "A4 page; rows: one line per set of the release blocks of at least "
        "CHECKIN_MIN_ROW_BLOCK sets, never with dates",
    )
    report.add_argument("--output", type=Path, help="file to write (needed for xlsx, png and pdf)")
    report.add_argument(
        "--lang", choices=list(LANGUAGES), default="fi", help="language of texts (default: fi)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0912 - a branch per command and error
    """Entry point of the `checkin-bot` command."""
    args = _parser().parse_args(argv)
    settings: Settings | None = None
    try:
        if args.command == "demo":
            from bot.dev.demo import run_demo  # noqa: PLC0415 - the demo needs the emulator only

            configure_logging(level="WARNING")  # the transcript only, unless something fails
            asyncio.run(run_demo(lambda text: print(text, end="", flush=True)))
            return 0
        settings = load_settings()
        configure_logging(settings.log_format)
        if args.command == "run":
            run(settings)
        elif args.command == "health":
            require_existing(settings.database)
            found = asyncio.run(problems(settings, telegram=args.telegram, read_only=True))
            text, code = verdict(found, settings.database, utc_now())
            print(text)
            return code
        elif args.command == "backup":
            backup(settings.database, args.target)
            print(f"backed up {settings.database} to {args.target}")
            print(
                f"the key is not in the backup: keep a copy of {key_source(settings)} "
                "in a safe place apart from the backups"
            )
        elif args.command == "restore":
            restore(args.source, settings.database)
            print(f"restored {settings.database} from {args.source}")
        elif args.command == "instrument":
            print(instrument_command(settings, args))
        elif args.command == "poster":
            print(asyncio.run(poster_command(settings, args)))
        elif args.command == "report":
            output = asyncio.run(report_command(settings, args))
            if isinstance(output, str):
                print(output)
        else:
            print(asyncio.run(session_command(settings, args)))
    except (
        ConfigError,
        InstrumentError,
        DatabaseError,
        BadLabel,
        UnknownLanguage,
        UnknownSession,
        ReportRequestError,
        OutputError,
    ) as err:
        print(f"checkin-bot: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        if err.filename is None:  # not about a file or folder
            raise
        database = settings.database if settings else None
        print(f"checkin-bot: {file_problem(err, database)}", file=sys.stderr)
        return 2
    except BotApiError as err:
        print(f"checkin-bot: {err}", file=sys.stderr)
        return 1
    except TelegramError as err:  # its text may quote the token: only its kind is shown
        print(f"checkin-bot: the Bot API call failed ({type(err).__name__}).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
