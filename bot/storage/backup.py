"""Backups and restores that cannot lose data.

A backup is written by `VACUUM INTO`: a fresh, compact file with no free pages that could
still hold deleted data, taken from one consistent snapshot while the bot runs. A restore
builds and checks the new database beside the live one, refuses while any other program has
the live one open, keeps the replaced file, and only then swaps the files in one step.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from bot.storage.database import DatabaseError, connect, existing_uri, require_existing
from bot.storage.private_files import check_target, create_private, replacing

# How long a restore waits for another program to let go of the database before refusing.
IN_USE_TIMEOUT = 0.5


def integrity(path: Path) -> str:
    """SQLite's own check of a database file: 'ok', or what is wrong."""
    if not path.is_file():
        return f"{path} does not exist"
    try:
        with closing(sqlite3.connect(existing_uri(path), uri=True)) as conn:
            row = conn.execute("PRAGMA integrity_check").fetchone()
            conn.execute("SELECT count(*) FROM answer_set").fetchone()
    except sqlite3.DatabaseError as err:
        return str(err)
    return str(row[0]) if row else "no answer from integrity_check"


def _vacuum_into(source: Path, target: Path) -> str:
    """A compact copy of `source` in the empty file `target`, checked: 'ok' or what is wrong."""
    try:
        with closing(sqlite3.connect(existing_uri(source), uri=True)) as src:
            src.execute("PRAGMA busy_timeout = 5000")
            src.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.DatabaseError as err:
        return str(err)
    return integrity(target)


def _same_file(one: Path, other: Path) -> bool:
    return one.exists() and other.exists() and one.samefile(other)


def backup(database: Path, target: Path) -> None:
    """Copy the live database to `target` (mode 0600), then check the copy."""
    require_existing(database)
    check_target(target)
    if _same_file(database, target):
        raise DatabaseError(f"the backup {target} would replace the database itself")
    with replacing(target) as copy:
        result = _vacuum_into(database, copy)
        if result != "ok":
            raise DatabaseError(f"the backup of {database} failed its check: {result}")


@contextmanager
def _held(database: Path) -> Iterator[None]:
    """Hold the live database so that nothing else can use it, or refuse if anything does.

    In WAL mode every open connection keeps a shared lock on the file, so leaving WAL mode
    under an exclusive lock succeeds only when no other connection, in any process, is open.
    Leaving it also moves the WAL's content into the file and removes the -wal and -shm files,
    so the file is complete on its own when it is kept as the pre-restore copy.
    """
    if not database.exists():
        yield
        return
    with closing(sqlite3.connect(database, timeout=IN_USE_TIMEOUT, isolation_level=None)) as conn:
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("PRAGMA journal_mode = DELETE").fetchall()
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")  # the exclusive lock stays until the connection closes
        except sqlite3.OperationalError as err:
            if err.sqlite_errorcode in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise DatabaseError(
                    f"the database {database} is in use (is the bot running?): stop the bot, "
                    "then restore again; nothing was changed"
                ) from None
            raise DatabaseError(f"cannot use the database {database}: {err}") from None
        except sqlite3.DatabaseError:
            # A damaged file cannot be checkpointed: its WAL goes with the kept copy, under the
            # name SQLite looks for beside it.
            wal = Path(f"{database}-wal")
            if wal.exists():
                wal.replace(f"{_pre_restore(database)}-wal")
        Path(f"{database}-shm").unlink(missing_ok=True)
        yield


def _pre_restore(database: Path) -> Path:
    return database.with_name(f"{database.name}.pre-restore")


def _keep(database: Path) -> None:
    """Keep the live file as `<name>.pre-restore`, without a moment where it is missing."""
    link = database.with_name(f".{database.name}.{secrets.token_hex(4)}.link")
    os.link(database, link)
    link.replace(_pre_restore(database))


def _remove(database: Path) -> None:
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)


async def _migrate(path: Path) -> None:
    conn = await connect(path)
    await conn.close()


def restore(source: Path, database: Path) -> None:
    """Replace the database with a checked, migrated copy of a backup (the bot stopped)."""
    if not source.is_file():
        problem = "is a folder" if source.is_dir() else "does not exist"
        raise DatabaseError(f"the backup {source} {problem}: nothing was changed")
    if _same_file(source, database):
        raise DatabaseError(f"the backup {source} is the database itself")
    kept = _pre_restore(database)
    if kept.exists():  # it may hold the only copy of data from before an earlier restore
        raise DatabaseError(
            f"{kept} from an earlier restore is still there: move it elsewhere, then restore "
            "again; nothing was changed"
        )
    database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staged = database.with_name(f".{database.name}.{secrets.token_hex(4)}.restore")
    create_private(staged)
    try:
        result = _vacuum_into(source, staged)
        if result != "ok":
            raise DatabaseError(f"the backup {source} cannot be restored: {result}")
        try:
            asyncio.run(_migrate(staged))
        except DatabaseError as err:
            raise DatabaseError(f"the backup {source} cannot be restored: {err}") from None
        with _held(database):
            if database.exists():
                _keep(database)
            staged.replace(database)
    finally:
        _remove(staged)
