"""Creating group sessions."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.core.codes import new_join_code, new_short_code
from bot.core.sessions import KINDS, BadLabel, Session, clean_label
from bot.storage.sessions import SessionRepository

ATTEMPTS = 5


async def create_session(
    repo: SessionRepository,
    label: str,
    now: datetime,
    *,
    owner_id: int | None = None,
    activity: int | str | None = None,
    kind: str = "single",
    start_session_id: int | None = None,
    closes_at: datetime | None = None,
) -> Session:
    """Store a new session with fresh codes (retrying the rare clash of a short code).

    `activity` is an existing activity's id, or the name of a new one that is created in the
    same transaction, so nothing half-made is left behind.
    """
    cleaned = clean_label(label)
    if kind not in KINDS:
        raise BadLabel(f"a session kind is one of {', '.join(KINDS)}")

    async def attempt() -> Session:
        return await repo.create_session(
            cleaned,
            new_join_code(),
            new_short_code(),
            now,
            owner_id=owner_id,
            activity=activity,
            kind=kind,
            start_session_id=start_session_id,
            closes_at=closes_at,
        )

    for _ in range(ATTEMPTS - 1):
        try:
            return await attempt()
        except sqlite3.IntegrityError:
            continue
    return await attempt()
