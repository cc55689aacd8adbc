"""Answering a button tap exactly once, whatever the handler does.

Telegram shows a spinner on the button until the bot answers the tap, and refuses a second
answer; handlers answer early and this makes sure a tap is answered even when the handler
returns early or fails. The answer never carries text: a notice (a stale button, say) comes as
a message, because a toast shows for three seconds and screen readers often skip it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from telegram import CallbackQuery
from telegram.error import BadRequest

log = logging.getLogger(__name__)

Ack = Callable[[str | None], Awaitable[None]]
"""Answer the tap now, and send the notice, if any, as a message; later calls do nothing."""


@asynccontextmanager
async def answered_once(query: CallbackQuery) -> AsyncIterator[Ack]:
    """Give the handler an `ack`; answer the tap on leaving if it did not."""
    answered = False

    async def ack(notice: str | None) -> None:
        nonlocal answered
        if answered:
            return
        answered = True
        try:
            await query.answer()
        except BadRequest as err:
            # A tap handed out again after a restart was answered before: nothing to do.
            log.info("a tap could not be answered again: %s", err.message)
        if notice is not None:
            # The chat of the tapped message; without one (too old to see), the person's own.
            chat_id = query.message.chat.id if query.message else query.from_user.id
            await query.get_bot().send_message(chat_id, notice)

    try:
        yield ack
    finally:
        await ack(None)
