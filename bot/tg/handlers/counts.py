"""The one message per session that shows its facilitator how many took part.

It is edited, never re-sent, when the numbers change, and at most every few seconds, so a
busy session does not flood the facilitator's chat or Telegram's limits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.core.sessions import Session
from bot.tg.pacing import Priority, sending
from bot.ui import staff_texts
from bot.usecases.services import Services
from bot.usecases.sessions import count_message

if TYPE_CHECKING:
    from bot.tg.bot_app import BotApp

log = logging.getLogger(__name__)


class CountBoard:
    """Debounced edits of the count messages."""

    def __init__(self, services: Callable[[], Services]) -> None:
        self._services = services
        self._app: BotApp | None = None
        self._pending: set[int] = set()
        self._refreshing = 0

    def attach(self, app: BotApp) -> None:
        """Use this application's job queue and bot."""
        self._app = app

    @property
    def pending(self) -> int:
        """How many sessions wait for their count to be refreshed, or are being refreshed."""
        return len(self._pending) + self._refreshing

    def touch(self, session_id: int) -> None:
        """The counts of a session may have changed: refresh its message soon."""
        if session_id in self._pending or self._app is None or self._app.job_queue is None:
            return
        self._pending.add(session_id)
        self._app.job_queue.run_once(
            self._job,
            when=self._services().settings.count_update_seconds,
            data=session_id,
            name=f"count:{session_id}",
        )

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.job is not None
        session_id = int(str(context.job.data))
        # A change from now on needs another refresh: if this one's edit is still waiting in
        # line when the next one comes, the newer edit takes its place (see bot.tg.pacing).
        self._pending.discard(session_id)
        self._refreshing += 1
        try:
            with sending(Priority.STAFF):
                await self.refresh(session_id)
        finally:
            self._refreshing -= 1

    async def refresh(self, session_id: int) -> None:
        """Edit the count message if what it should say has changed."""
        services = self._services()
        if self._app is None or (shown := await count_message(services, session_id)) is None:
            return
        t = services.translations.get(shown.lang, services.translations["fi"])
        text = staff_texts.count(t, shown.session, shown.counts)
        if text == shown.shown:
            return
        try:
            await self._app.bot.edit_message_text(text, shown.chat_id, shown.message_id)
        except (BadRequest, Forbidden) as err:
            log.warning("could not update a count message: %s", err.message)
        await services.sessions.set_count_text(session_id, text)

    async def stop(self, session_ids: list[int]) -> None:
        """Show these sessions' counts one last time, then never edit them again (their
        facilitator was removed)."""
        services = self._services()
        for session_id in session_ids:
            await self.refresh(session_id)
            await services.sessions.forget_count_message(session_id)

    async def post(self, session: Session, chat_id: int, lang: str) -> None:
        """Send a new count message for the session (the old one, if any, is deleted)."""
        services = self._services()
        assert self._app is not None
        if session.count_chat_id is not None and session.count_message_id is not None:
            try:
                await self._app.bot.delete_message(session.count_chat_id, session.count_message_id)
            except (BadRequest, Forbidden) as err:
                log.warning("could not delete an old count message: %s", err.message)
        text = staff_texts.count(
            services.translations[lang], session, await services.sessions.counts(session.id)
        )
        sent = await self._app.bot.send_message(chat_id, text)
        await services.sessions.set_count_message(session.id, chat_id, sent.message_id, lang, text)
