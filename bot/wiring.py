"""Putting the bot together at start-up: instruments, catalogs, the database and its key."""

from __future__ import annotations

import sqlite3

from bot.config import Settings
from bot.core.instrument import load_instruments
from bot.core.pseudonym import Pseudonyms
from bot.secret_key import settle_key
from bot.storage.answer_sets import AnswerSets
from bot.storage.attempts import CodeFailures
from bot.storage.blocks import BlockRepository
from bot.storage.database import DatabaseError, connect, open_existing
from bot.storage.drafts import Drafts
from bot.storage.instrument_files import load_added
from bot.storage.people import People
from bot.storage.sessions import SessionRepository
from bot.storage.staff import StaffRepository
from bot.storage.store import Store
from bot.ui.i18n import load_all
from bot.usecases.joining import CodeLookup, short_code_life
from bot.usecases.services import Clock, Services, utc_now


async def open_services(
    settings: Settings, clock: Clock = utc_now, *, read_only: bool = False
) -> Services:
    """Load instruments and catalogs and open the database with its key; any problem stops
    start-up. `read_only`: an existing database, for commands that only read (they create
    nothing: no database, no key)."""
    instruments = load_instruments() | load_added(settings.database)
    translations = load_all()
    conn = await (open_existing if read_only else connect)(settings.database)
    try:
        pseudonyms = Pseudonyms(await settle_key(settings, conn, create=not read_only))
    except sqlite3.Error as err:
        await conn.close()
        raise DatabaseError(f"cannot use the database {settings.database}: {err}") from err
    except BaseException:
        await conn.close()
        raise
    store = Store(conn)
    sessions = SessionRepository(store)
    drafts = Drafts(store)
    return Services(
        settings,
        sessions,
        drafts,
        AnswerSets(store, drafts),
        People(store, drafts),
        StaffRepository(store),
        BlockRepository(store),
        pseudonyms,
        instruments,
        translations,
        CodeLookup(sessions, CodeFailures(store), short_code_life(settings.session_hours)),
        clock,
    )
