"""Creating group sessions."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.join_codes import new_join_code, new_short_code
from bot.storage.repository import Repository, Session

MAX_LABEL = 100
ATTEMPTS = 5
KINDS = ("single", "start", "end")
"""A single check-in, the start of an activity (aloitus) or its end (lopetus)."""


class BadLabel(ValueError):
    """A name or label that is empty or too long."""


class UnknownSession(LookupError):
    """No session has the id that was asked for."""


def clean_label(label: str, limit: int = MAX_LABEL) -> str:
    """A name on one line, trimmed, 1 to `limit` characters."""
    cleaned = " ".join(label.split())
    if not cleaned or len(cleaned) > limit:
        raise BadLabel(f"a label has 1-{limit} characters")
    return cleaned


async def create_session(
    repo: Repository,
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
