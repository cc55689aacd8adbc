"""Handle many people's updates at once, but one person's updates strictly in order.

python-telegram-bot handles updates one at a time by default, so 200 people answering at once
wait for each other's replies. Handling them concurrently is safe when each person's own
updates (a double tap, a typed answer right after a tap) still run one after another: their
check-in is read and written by one handler at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across people, sequential for each person (or chat)."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    @staticmethod
    def _key(update: object) -> int | None:
        if not isinstance(update, Update):
            return None
        if update.effective_user is not None:
            return update.effective_user.id
        return None if update.effective_chat is None else update.effective_chat.id

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the same person's earlier update, then run this one."""
        key = self._key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                # Nobody else waits on this person's lock: forget it, so memory stays flat.
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
