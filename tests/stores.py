"""The storage classes over one real SQLite file, wired together as the bot wires them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.storage.answer_sets import AnswerSets
from bot.storage.database import connect
from bot.storage.drafts import PROMPT_WRITE_DELAY, Drafts
from bot.storage.people import People
from bot.storage.sessions import SessionRepository
from bot.storage.store import Store


@dataclass(frozen=True)
class Stores:
    """One database: sessions, drafts, answer sets and people."""

    store: Store
    sessions: SessionRepository
    drafts: Drafts
    answer_sets: AnswerSets
    people: People

    async def close(self) -> None:
        """Finish the saves under way, then close the database, as the bot does."""
        await self.drafts.flush()
        await self.store.close()


async def open_stores(path: Path, prompt_write_delay: float = PROMPT_WRITE_DELAY) -> Stores:
    """Open (or create) the database at `path`."""
    store = Store(await connect(path))
    drafts = Drafts(store, prompt_write_delay)
    return Stores(
        store, SessionRepository(store), drafts, AnswerSets(store, drafts), People(store, drafts)
    )
