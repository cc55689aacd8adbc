"""Wrong join codes: how many, by whom (a keyed hash) and when, for the code limits."""

from __future__ import annotations

from datetime import datetime

from bot.storage.store import Store


class CodeFailures:
    """The only SQL about wrong codes."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def by_person(self, guesser_key: bytes, since: datetime) -> int:
        """Wrong codes, short or long, that this person sent after the given time."""
        row = await self.store.one(
            "SELECT count(*) FROM code_failure WHERE guesser_key = ? AND failed_at > ?",
            (guesser_key, since.isoformat()),
        )
        return int(row[0]) if row else 0

    async def short_by_everyone(self, since: datetime) -> int:
        """Wrong short codes that anyone sent after the given time."""
        row = await self.store.one(
            "SELECT count(*) FROM code_failure WHERE short = 1 AND failed_at > ?",
            (since.isoformat(),),
        )
        return int(row[0]) if row else 0

    async def record(self, guesser_key: bytes, short: bool, now: datetime) -> None:
        """One wrong code; committed when this returns, so a restart does not forget it."""
        await self.store.write(
            "INSERT INTO code_failure (guesser_key, short, failed_at) VALUES (?, ?, ?)",
            (guesser_key, int(short), now.isoformat()),
        )

    async def forget_before(self, before: datetime) -> int:
        """Delete the wrong codes no limit looks at any more; returns how many went."""
        return await self.store.write(
            "DELETE FROM code_failure WHERE failed_at <= ?", (before.isoformat(),)
        )
