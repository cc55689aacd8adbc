"""The real bot running against the local Bot API emulator: for the demo and the tests.

Everything is real (the Application and its polling loop, SQLite, the catalogs) except
Telegram, which the emulator plays over HTTP on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from types import TracebackType

from pydantic import SecretStr

from bot.config import Settings
from bot.core.codes import join_link
from bot.core.sessions import DEFAULT_LANGUAGE, Session
from bot.dev.emulator import BotAPIEmulator
from bot.tg.app import Runtime, build_application, running
from bot.tg.bot_app import BotApp
from bot.tg.limits import FloodLimits
from bot.usecases.services import Clock, Services, utc_now
from bot.usecases.sessions import create_session


def _busy_probe(app: BotApp, runtime: Runtime) -> Callable[[], str | None]:
    """What the bot still has in hand, which the emulator cannot see from the HTTP side."""

    def busy() -> str | None:
        queued = app.update_queue.qsize()
        handling = app.update_processor.current_concurrent_updates
        counts = runtime.board.pending
        if queued or handling or counts:
            return f"the bot has {queued} queued, {handling} in hand, {counts} counts to show"
        return None

    return busy


class Sandbox:
    """An emulator plus the bot polling it, with a private data folder.

    Simulated people tap the moment a reply is there, with no time to read: at Telegram's one
    message a second per chat a single check-in would take a quarter of a minute. So by
    default the emulator has no flood control and the bot sends without pacing;
    ``flood_control=True`` gives both Telegram's limits (the pacing's own tests).
    """

    def __init__(
        self,
        data_dir: Path,
        clock: Clock = utc_now,
        *,
        flood_control: bool = False,
        **settings: object,
    ) -> None:
        self.data_dir = data_dir
        self.clock = clock
        self.flood_control = flood_control
        self.emulator = BotAPIEmulator(flood_limits=FloodLimits() if flood_control else None)
        self._overrides = settings
        self._bot: AsyncExitStack | None = None
        self.runtime: Runtime | None = None

    @property
    def settings(self) -> Settings:
        """The bot's settings, pointing at the emulator."""
        values: dict[str, object] = {
            "bot_token": SecretStr(self.emulator.token),
            "bot_username": self.emulator.bot_username,
            "api_base_url": self.emulator.base_url,
            "database": self.data_dir / "checkin.sqlite3",
            "secret": SecretStr("sandbox-secret-0123456789abcdef"),
            "count_update_seconds": 0.05,
        }
        if not self.flood_control:
            values["max_messages_per_second"] = 0  # no waiting where nothing refuses
        values |= self._overrides
        return Settings.model_validate(values)

    @property
    def services(self) -> Services:
        """The running bot's services."""
        assert self.runtime is not None, "the bot is not running"
        return self.runtime.services()

    async def __aenter__(self) -> Sandbox:
        await self.emulator.start()
        await self.start_bot()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop_bot()
        await self.emulator.stop()

    async def start_bot(self) -> None:
        """Start the bot's polling loop (again, after a stop: a restart)."""
        stack = AsyncExitStack()
        app, self.runtime = build_application(self.settings, self.clock)
        await stack.enter_async_context(running(app, self.runtime))
        probe = _busy_probe(app, self.runtime)
        self.emulator.busy_probes.append(probe)
        stack.callback(self.emulator.busy_probes.remove, probe)
        self._bot = stack

    async def stop_bot(self) -> None:
        """Stop the bot as a shutdown would; unfinished check-ins stay in the database."""
        if self._bot is not None:
            await self._bot.aclose()
            self._bot = None
            self.runtime = None

    async def restart_bot(self) -> None:
        """Stop and start the bot process's work, keeping the database."""
        await self.stop_bot()
        await self.start_bot()

    async def new_session(self, label: str, lang: str = DEFAULT_LANGUAGE) -> Session:
        """Create a group session as `checkin-bot session new` does."""
        return await create_session(self.services.sessions, label, self.clock(), lang=lang)

    def link(self, session: Session) -> str:
        """The session's join link."""
        return join_link(self.emulator.bot_username, session.join_code)
