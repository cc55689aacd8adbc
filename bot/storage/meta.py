"""Facts about the database file itself, kept in a small table of its own.

The key check tells whether the key for keyed hashes is the one the stored keys were made
with; it is a keyed hash of a fixed label, so it reveals nothing of the key.
"""

from __future__ import annotations

import aiosqlite

CREATE = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) "
    "STRICT, WITHOUT ROWID"
)


async def _has_table(conn: aiosqlite.Connection) -> bool:
    rows = await conn.execute_fetchall(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'"
    )
    return bool(list(rows))


async def key_check(conn: aiosqlite.Connection) -> bytes | None:
    """The stored key check, or None when no key has been checked in yet."""
    if not await _has_table(conn):  # a read-only look at a file from an older version
        return None
    rows = list(await conn.execute_fetchall("SELECT value FROM meta WHERE name = 'key_check'"))
    return bytes(rows[0][0]) if rows else None


async def set_key_check(conn: aiosqlite.Connection, value: bytes) -> None:
    """Remember the key check of the key in use."""
    await conn.execute(
        "INSERT INTO meta (name, value) VALUES ('key_check', ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (value,),
    )


async def holds_keyed_data(conn: aiosqlite.Connection) -> bool:
    """Whether anything stored depends on the key: sessions (their drafts and markers hang off
    them) or language choices."""
    async with conn.execute(
        "SELECT EXISTS (SELECT 1 FROM session) OR EXISTS (SELECT 1 FROM preference)"
    ) as cursor:
        row = await cursor.fetchone()
    return bool(row and row[0])
