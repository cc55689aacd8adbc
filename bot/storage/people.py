"""What links a person to the bot under keyed hashes: their language choice, and deleting it
all, on request or once a session has closed."""

from __future__ import annotations

from datetime import datetime

from bot.storage.drafts import Drafts
from bot.storage.store import Store


class People:
    """Preferences, /delete (everything still linkable to a person goes at once), and the
    purge after a closed session's grace period."""

    def __init__(self, store: Store, drafts: Drafts) -> None:
        self.store = store
        self._drafts = drafts

    async def language_for(self, person_key: bytes) -> str | None:
        """The language the person chose with /language, if they did."""
        row = await self.store.one(
            "SELECT lang FROM preference WHERE person_key = ?", (person_key,)
        )
        return None if row is None else str(row[0])

    async def set_language(self, person_key: bytes, lang: str) -> None:
        """Remember the person's language choice."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO preference (person_key, lang) VALUES (?, ?) "
                "ON CONFLICT (person_key) DO UPDATE SET lang = excluded.lang",
                (person_key, lang),
            )

    async def forget_person(self, person_key: bytes, participant_keys: list[bytes]) -> int:
        """Delete everything still linkable to the person; return how many rows went."""
        async with self.store.transaction() as conn:
            removed = 0
            for sql in (
                "DELETE FROM draft WHERE person_key = ?",
                "DELETE FROM preference WHERE person_key = ?",
            ):
                removed += (await conn.execute(sql, (person_key,))).rowcount
            for key in participant_keys:
                cursor = await conn.execute(
                    "DELETE FROM participation WHERE participant_key = ?", (key,)
                )
                removed += cursor.rowcount
        self._drafts.forget([person_key])
        return removed

    async def purge_closed(self, closed_before: datetime) -> list[int]:
        """After the grace period: delete unfinished answers and the participation markers of
        sessions closed before the given time, so nothing links anyone to them any more."""
        closed = "SELECT id FROM session WHERE closed_at IS NOT NULL AND closed_at < ?"
        async with self.store.transaction() as conn:
            async with conn.execute(
                f"DELETE FROM draft WHERE session_id IN ({closed}) "
                "RETURNING session_id, person_key",
                (closed_before.isoformat(),),
            ) as cursor:
                rows = [(row[0], row[1]) async for row in cursor]
            await conn.execute(
                f"DELETE FROM participation WHERE session_id IN ({closed})",
                (closed_before.isoformat(),),
            )
        self._drafts.forget(key for _, key in rows)
        return list(dict.fromkeys(session_id for session_id, _ in rows))
