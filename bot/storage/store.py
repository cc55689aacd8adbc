"""The one SQLite connection, with write transactions that never interleave."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

import aiosqlite


class Store:
    """Serialises writes: JobQueue jobs and handlers share the connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        """Close the connection (an open one keeps the process from exiting)."""
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                # SQLite may have rolled back by itself (a full disk): do not hide the error.
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, with no other write under way: for statements that commit alone."""
        async with self._lock:
            yield self.conn

    async def write(self, sql: str, params: Iterable[object] = ()) -> int:
        """One statement as a transaction of its own; returns the number of rows changed.

        SQLite makes a lone statement atomic, so this needs one trip to the database thread
        instead of three (BEGIN, the statement, COMMIT).
        """
        async with self._lock:
            cursor = await self.conn.execute(sql, tuple(params))
            return cursor.rowcount

    async def checkpoint(self) -> None:
        """Copy the WAL into the database file and empty it.

        The WAL keeps earlier versions of changed pages, so deleted drafts and sets that were
        waiting for release would stay readable there; in the database file itself
        secure_delete has overwritten them.
        """
        async with self._lock:
            await self.conn.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")

    async def one(self, sql: str, params: Iterable[object] = ()) -> aiosqlite.Row | None:
        """The first row of a query, if any."""
        rows = await self.all(sql, params)
        return rows[0] if rows else None

    async def all(self, sql: str, params: Iterable[object] = ()) -> list[aiosqlite.Row]:
        """Every row of a query, fetched in one trip to the database thread."""
        return list(await self.conn.execute_fetchall(sql, tuple(params)))
