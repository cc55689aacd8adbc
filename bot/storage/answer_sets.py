"""Complete answer sets, and the markers that keep a person to one set a session."""

from __future__ import annotations

import secrets
from datetime import date

from bot.core.checkin import Draft
from bot.core.instrument import Instrument
from bot.storage.blocks import POINTS, TEXT
from bot.storage.drafts import Drafts
from bot.storage.store import Store


class AlreadyAnswered(Exception):
    """The person has already sent a set in this session."""


class AnswerSets:
    """Sending a set: stored to wait for its release block, with nothing that names the
    sender; the unfinished check-in it came from goes in the same transaction."""

    def __init__(self, store: Store, drafts: Drafts) -> None:
        self.store = store
        self._drafts = drafts

    async def has_participated(self, session_id: int, participant_key: bytes) -> bool:
        """Whether this person has already sent a set in the session."""
        row = await self.store.one(
            "SELECT 1 FROM participation WHERE session_id = ? AND participant_key = ?",
            (session_id, participant_key),
        )
        return row is not None

    async def submit(
        self,
        person_key: bytes,
        participant_key: bytes,
        draft: Draft,
        points: tuple[int, ...],
        score: float,
        instrument: Instrument,
        today: date,
    ) -> None:
        """Store the complete set, to wait for its release block, and remove the unfinished
        state, in one transaction."""
        async with self.store.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO participation (session_id, participant_key) VALUES (?, ?)",
                (draft.session_id, participant_key),
            )
            already = cursor.rowcount == 0
            if not already:
                await conn.execute(
                    f"INSERT INTO pending_set (id, session_id, {TEXT}, {POINTS}, score, "
                    "answered_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        secrets.token_bytes(16),
                        draft.session_id,
                        instrument.language,
                        instrument.status.value,
                        instrument.version,
                        *points,
                        score,
                        today.isoformat(),
                    ),
                )
            await conn.execute("DELETE FROM draft WHERE person_key = ?", (person_key,))
        self._drafts.forget([person_key])
        if already:
            raise AlreadyAnswered
