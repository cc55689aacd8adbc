"""Answering a button tap exactly once, whatever the handler does.

Telegram shows a spinner on the button until the bot answers the tap, and refuses a second
answer; handlers answer early (with a short notice, or none) and this makes sure a tap is
answered even when the handler returns early or fails.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from telegram import CallbackQuery
from telegram.error import BadRequest

log = logging.getLogger(__name__)

Ack = Callable[[str | None], Awaitable[None]]
"""Answer the tap now, with an optional short notice; later calls do nothing."""


@asynccontextmanager
async def answered_once(query: CallbackQuery) -> AsyncIterator[Ack]:
    """Give the handler an `ack`; answer the tap on leaving if it did not."""
    answered = False

    async def ack(toast: str | None) -> None:
        nonlocal answered
        if not answered:
            answered = True
            try:
                await query.answer(toast)
            except BadRequest as err:
                # A tap handed out again after a restart was answered before: nothing to do.
                log.info("a tap could not be answered again: %s", err.message)

    try:
        yield ack
    finally:
        await ack(None)
