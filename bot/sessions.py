"""Creating group sessions."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.join_codes import new_join_code, new_short_code
from bot.storage.repository import Repository, Session

MAX_LABEL = 200
ATTEMPTS = 5


class BadLabel(ValueError):
    """A session label that is empty or too long."""


def clean_label(label: str) -> str:
    """A label on one line, trimmed, 1-200 characters."""
    cleaned = " ".join(label.split())
    if not cleaned or len(cleaned) > MAX_LABEL:
        raise BadLabel(f"a label has 1-{MAX_LABEL} characters")
    return cleaned


async def create_session(repo: Repository, label: str, now: datetime) -> Session:
    """Store a new session with fresh codes (retrying the rare clash of a short code)."""
    cleaned = clean_label(label)
    for _ in range(ATTEMPTS - 1):
        try:
            return await repo.create_session(cleaned, new_join_code(), new_short_code(), now)
        except sqlite3.IntegrityError:
            continue
    return await repo.create_session(cleaned, new_join_code(), new_short_code(), now)
