"""Backups with SQLite's online backup API: safe while the bot runs, and checked afterwards."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.storage.database import DatabaseError


def _private_file(path: Path) -> None:
    """Create the target readable by its owner only, before SQLite writes into it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))


def integrity(path: Path) -> str:
    """SQLite's own check of a database file: 'ok', or what is wrong."""
    if not path.is_file():
        return f"{path} does not exist"
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("PRAGMA integrity_check").fetchone()
            conn.execute("SELECT count(*) FROM answer_set").fetchone()
    except sqlite3.DatabaseError as err:
        return str(err)
    return str(row[0]) if row else "no answer from integrity_check"


def _copy(source: Path, target: Path) -> None:
    _private_file(target)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file


def backup(database: Path, target: Path) -> None:
    """Copy the live database to `target` page by page, then check the copy."""
    if integrity(database) != "ok":
        raise DatabaseError(f"the database {database} is not healthy: {integrity(database)}")
    _copy(database, target)
    result = integrity(target)
    if result != "ok":
        raise DatabaseError(f"the backup {target} failed its check: {result}")


def restore(source: Path, database: Path) -> None:
    """Replace the database with a checked backup (stop the bot first)."""
    result = integrity(source)
    if result != "ok":
        raise DatabaseError(f"the backup {source} cannot be restored: {result}")
    for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    _copy(source, database)
