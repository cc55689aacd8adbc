"""Building the python-telegram-bot Application: handlers, start-up and shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
import warnings
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from typing import Any, TypeAlias

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.config import Settings
from bot.log_privacy import keep_logs_private
from bot.tg.bot_app import BotApp
from bot.tg.concurrency import PerPersonUpdateProcessor
from bot.tg.handlers.counts import CountBoard
from bot.tg.handlers.participant import PROMPT_ENDPOINT_WARNING, ParticipantHandlers
from bot.tg.handlers.reports import ReportHandlers
from bot.tg.handlers.staff import INVITATION_PREFIX, StaffHandlers
from bot.tg.heartbeat import Heartbeat, heartbeat_path
from bot.tg.http import AiohttpRequest
from bot.tg.pacing import Pacer, Priority, sending
from bot.tg.webhook import WebhookServer
from bot.ui import buttons, texts
from bot.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, negotiate
from bot.usecases.services import Clock, Services, utc_now
from bot.usecases.upkeep import upkeep
from bot.wiring import open_services

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
UPKEEP_INTERVAL = timedelta(minutes=1)
# A webhook delivery error this recent, with updates waiting, means updates do not get through.
WEBHOOK_ERRORS_COUNT_FOR = timedelta(minutes=2)


class Runtime:
    """The services of a running bot: opened after the Application starts, closed at the end."""

    def __init__(self, settings: Settings, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self._services: Services | None = None
        self.board = CountBoard(self.services)
        self.heartbeat = Heartbeat(heartbeat_path(settings.database))

    def services(self) -> Services:
        """The open services; handlers only run while they are open."""
        if self._services is None:
            raise RuntimeError("the bot has not started")
        return self._services

    async def start(self, app: BotApp) -> None:
        """Open storage and texts, schedule upkeep, and publish the command menu."""
        self._services = await open_services(self.settings, self.clock)
        self.board.attach(app)
        await self.upkeep()
        if app.job_queue is not None:
            app.job_queue.run_repeating(
                self._upkeep_job, interval=UPKEEP_INTERVAL, first=UPKEEP_INTERVAL
            )
        await self._publish_commands(app)

    async def stop(self, app: BotApp) -> None:  # noqa: ARG002 - PTB's post_shutdown signature
        """Close the database."""
        if self._services is not None:
            await self._services.close()
            self._services = None

    async def upkeep(self) -> int:
        """One round of upkeep (`bot.usecases.upkeep`); the changed counts are shown. Returns
        how many unfinished check-ins were deleted because they waited too long."""
        done = await upkeep(self.services())
        for session_id in done.touched:
            self.board.touch(session_id)
        return done.expired

    async def _upkeep_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.upkeep()
        if self.settings.webhook_url is not None:
            await self.check_webhook(context.bot)

    async def check_webhook(self, bot: Bot) -> None:
        """Webhook mode: note that the bot hears from Telegram if Telegram has this bot's
        webhook and is not failing to deliver updates to it (Telegram tries again meanwhile,
        so a recent error with updates waiting means they do not get through)."""
        try:
            info = await bot.get_webhook_info()
        except TelegramError as err:
            log.warning("cannot ask Telegram about the webhook: %s", type(err).__name__)
            return
        recent_error = info.last_error_date is not None and (
            self.clock() - info.last_error_date < WEBHOOK_ERRORS_COUNT_FOR
        )
        if info.url == self.settings.webhook_url and not (
            recent_error and info.pending_update_count
        ):
            self.heartbeat.beat()

    async def _publish_commands(self, app: BotApp) -> None:
        """The command menu and what people see before START, in every language.

        Without a language of their own, people get Finnish, with the Finnish command names.
        """
        translations = self.services().translations
        scope = BotCommandScopeAllPrivateChats()
        for lang in (None, *LANGUAGES):
            t = translations[lang or DEFAULT_LANGUAGE]
            await app.bot.set_my_commands(
                [
                    BotCommand(name, text)
                    for name, text in texts.participant_commands(t, lang or DEFAULT_LANGUAGE)
                ],
                scope=scope,
                language_code=lang,
            )
            await app.bot.set_my_description(texts.description(t), language_code=lang)
            await app.bot.set_my_short_description(texts.short_description(t), language_code=lang)


def base_file_url(base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL."""
    return base_url[: -len("/bot")] + "/file/bot" if base_url.endswith("/bot") else base_url


def build_application(settings: Settings, clock: Clock = utc_now) -> tuple[BotApp, Runtime]:
    """The Application with every handler registered, and the runtime that serves them."""
    runtime = Runtime(settings, clock)
    keep_logs_private()
    warnings.filterwarnings("ignore", PROMPT_ENDPOINT_WARNING, PTBUserWarning)
    app: BotApp = (
        Application.builder()
        .token(settings.require_token())
        .base_url(settings.api_base_url)
        .base_file_url(base_file_url(settings.api_base_url))
        .rate_limiter(Pacer(settings.max_messages_per_second))
        .request(AiohttpRequest())
        .get_updates_request(
            AiohttpRequest(connection_pool_size=1, read_timeout=10.0, on_ok=runtime.heartbeat.beat)
        )
        .concurrent_updates(PerPersonUpdateProcessor())
        .post_init(runtime.start)
        .post_shutdown(runtime.stop)
        .build()
    )
    participant = ParticipantHandlers(runtime.services, runtime.board.touch)
    staff = StaffHandlers(runtime.services, runtime.board)
    reports = ReportHandlers(runtime.services, staff)
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    # Staff first: their commands, their buttons, and typed answers to their questions.
    staff_commands = {
        "invite": staff.invite,
        "new": staff.new,
        "sessions": staff.sessions,
        "count": staff.count,
        "close": staff.close,
        "cancel": staff.cancel,
        "facilitators": staff.facilitators,
        "poster": staff.poster,
        "report": reports.report,
        "export": reports.export,
    }
    for name, callback in staff_commands.items():
        app.add_handler(CommandHandler(name, _as_staff(callback), filters=private))
    app.add_handler(
        CommandHandler(
            "link",
            _as_staff(staff.link),
            filters=filters.UpdateType.MESSAGE & ~filters.ChatType.CHANNEL,
        )
    )
    app.add_handler(
        CommandHandler(
            "start",
            _as_staff(staff.open_invitation),
            filters=private & filters.Regex(rf"^/start {INVITATION_PREFIX}"),
        )
    )
    app.add_handler(CallbackQueryHandler(_as_staff(staff.button), pattern=buttons.STAFF.pattern))
    app.add_handler(
        CallbackQueryHandler(_as_staff(reports.button), pattern=buttons.REPORTS.pattern)
    )
    app.add_handler(
        CommandHandler(texts.command_names("help"), _as_staff(staff.help), filters=private),
        group=-1,
    )
    app.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, _as_staff(staff.text)),
        group=-1,
    )
    commands = {
        "start": participant.start,
        "continue": participant.resume_command,
        "stop": participant.stop,
        "language": participant.language,
        "help": participant.help,
        "privacy": participant.privacy,
        "delete": participant.delete,
        "about": participant.about,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(texts.command_names(name), callback, filters=private))
    app.add_handler(MessageHandler(private & filters.COMMAND, participant.unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, participant.text))
    app.add_handler(MessageHandler(private, participant.not_text))
    app.add_handler(CallbackQueryHandler(participant.button))
    app.add_error_handler(_make_error_handler(runtime))
    return app, runtime


Handler: TypeAlias = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def _as_staff(handler: Handler) -> Handler:
    """The handler with everything it sends waiting behind the participants' messages."""

    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        with sending(Priority.STAFF):
            await handler(update, context)

    return handle


def _poll_failed(app: BotApp, error: TelegramError) -> None:
    """As run_polling does: a failed poll goes to the error handler."""
    app.create_task(app.process_error(update=None, error=error))


def _make_error_handler(runtime: Runtime) -> Any:
    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log what failed without any personal data, and tell the person kindly."""
        error = context.error
        if update is None and isinstance(error, NetworkError):
            # Polling lost the Bot API; python-telegram-bot tries again with growing pauses.
            log.warning("cannot reach the Bot API (%s); trying again", type(error).__name__)
            return
        log.error("handling an update failed: %s", type(error).__name__, exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        if update.effective_chat.type != "private":
            return
        user = update.effective_user
        lang = negotiate(user.language_code if user else None)
        try:
            t = runtime.services().translations[lang]
            await context.bot.send_message(update.effective_chat.id, texts.something_went_wrong(t))
        except (TelegramError, RuntimeError) as err:
            log.error("could not tell the person about an error: %s", type(err).__name__)

    return on_error


@asynccontextmanager
async def running(app: BotApp, runtime: Runtime, poll_timeout: int = 1) -> AsyncIterator[BotApp]:
    """Run the bot's real polling loop, or its webhook server, inside the caller's event loop
    (tests, the demo, and webhook mode)."""
    async with app:
        await runtime.start(app)
        try:
            assert app.updater is not None
            webhook = runtime.settings.webhook()
            server = None
            if webhook is None:
                await app.updater.start_polling(
                    poll_interval=0,
                    timeout=timedelta(seconds=poll_timeout),
                    allowed_updates=ALLOWED_UPDATES,
                    error_callback=partial(_poll_failed, app),
                )
            else:
                server = WebhookServer(app, webhook, ALLOWED_UPDATES)
                await server.start()
            await app.start()
            try:
                yield app
            finally:
                await (app.updater.stop() if server is None else server.stop())
                await app.stop()
        finally:
            await runtime.stop(app)


async def serve_webhook(app: BotApp, runtime: Runtime) -> None:
    """Take updates by webhook until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running(app, runtime):
        await stop.wait()
