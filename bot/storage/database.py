"""Opening the SQLite database: durable settings and numbered migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from importlib.resources import files
from pathlib import Path
from typing import Literal
from urllib.parse import quote

import aiosqlite

from bot.storage import meta

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    # FULL: an answer acknowledged to a person survives a power cut, not just a crash.
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    # Deleted drafts and markers are overwritten, not left readable in free pages.
    "PRAGMA secure_delete = ON",
    # After a checkpoint the WAL shrinks back to this size, so old versions of deleted rows do
    # not linger at its end (upkeep also empties it: see Store.checkpoint).
    f"PRAGMA journal_size_limit = {2**20}",
)


class DatabaseError(Exception):
    """The database cannot be opened or migrated; the message says what to do."""


def migrations() -> list[tuple[int, str]]:
    """The numbered SQL migrations shipped with the bot, in order."""
    folder = files("bot.storage") / "migrations"
    found = [
        (int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(found)


def statements(script: str) -> Iterator[str]:
    """The SQL statements of a script, one by one: a semicolon inside a string, a comment or a
    trigger's body does not end a statement."""
    start = 0
    for end, char in enumerate(script, start=1):
        if char == ";" and sqlite3.complete_statement(script[start:end]):
            yield script[start:end].strip()
            start = end
    if script[start:].strip():
        yield script[start:].strip()  # a last statement without a semicolon, or a comment


def _create_private(path: Path) -> None:
    """Create the file readable by its owner only, before SQLite creates it with the umask."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


async def connect(path: Path) -> aiosqlite.Connection:
    """Open (creating if needed) the database file and migrate it."""
    _create_private(path)
    try:
        conn = await aiosqlite.connect(path, isolation_level=None)
    except Exception as err:
        raise DatabaseError(f"cannot open the database {path}: {err}") from err
    try:
        for pragma in PRAGMAS:
            await conn.execute(pragma)
        await migrate(conn)
        await conn.execute(meta.CREATE)
    except Exception as err:
        await conn.close()
        raise DatabaseError(f"cannot use the database {path}: {err}") from err
    return conn


def existing_uri(path: Path, mode: Literal["ro", "rw"] = "ro") -> str:
    """An SQLite URI that opens an existing file (for reading only, or also for writing) and
    never creates it."""
    return f"file:{quote(str(path.absolute()))}?mode={mode}"


def write_probe(path: Path) -> None:
    """Take the write lock of an existing database and let it go, changing nothing."""
    with closing(
        sqlite3.connect(existing_uri(path, "rw"), uri=True, isolation_level=None)
    ) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE session SET id = id WHERE 0")
        conn.execute("ROLLBACK")


def require_existing(path: Path) -> None:
    """Refuse a database file that is not there, before anything could create it."""
    if path.is_dir():
        raise DatabaseError(f"CHECKIN_DATABASE names a folder ({path}): name the database file")
    if not path.is_file():
        raise DatabaseError(
            f"the database {path} does not exist: check CHECKIN_DATABASE (nothing was created)"
        )


async def open_existing(path: Path) -> aiosqlite.Connection:
    """Open an existing, up-to-date database for reading only: for commands that only read."""
    require_existing(path)
    try:
        conn = await aiosqlite.connect(existing_uri(path), uri=True, isolation_level=None)
    except Exception as err:
        raise DatabaseError(f"cannot open the database {path}: {err}") from err
    try:
        await conn.execute("PRAGMA busy_timeout = 5000")
        async with conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
    except Exception as err:
        await conn.close()
        raise DatabaseError(f"cannot use the database {path}: {err}") from err
    if (int(row[0]) if row else 0) < migrations()[-1][0]:
        await conn.close()
        raise DatabaseError(
            f"the database {path} is from an older version of the bot: start the bot once "
            "(checkin-bot run) to update it"
        )
    return conn


async def migrate(conn: aiosqlite.Connection) -> None:
    """Apply every migration newer than the file's user_version, each in one transaction."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    current = int(row[0]) if row else 0
    for number, sql in migrations():
        if number <= current:
            continue
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {number}")
        except Exception:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
