"""Reading and writing the bot's state. Every write is committed before the bot replies."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.checkin import Draft, Stage
from bot.instrument import Instrument


@dataclass(frozen=True, slots=True)
class Session:
    """A group session as people join it."""

    id: int
    join_code: str
    short_code: str
    label: str
    closed: bool


@dataclass(frozen=True, slots=True)
class SessionCounts:
    """How many took part: never who."""

    complete: int
    in_progress: int


class AlreadyAnswered(Exception):
    """The person has already sent a set in this session."""


def _encode_answers(answers: tuple[int | None, ...]) -> str:
    return "".join(str(a or 0) for a in answers)


def _decode_answers(text: str) -> tuple[int | None, ...]:
    return tuple(int(c) or None for c in text)


class Repository:
    """The bot's single connection, with writes serialised so transactions never interleave."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        """Close the connection (an open one keeps the process from exiting)."""
        await self._conn.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def _one(self, sql: str, params: tuple[object, ...]) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    # Sessions

    async def create_session(
        self, label: str, join_code: str, short_code: str, now: datetime
    ) -> Session:
        """Store a new open session."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO session (join_code, short_code, label, created_at) "
                "VALUES (?, ?, ?, ?)",
                (join_code, short_code, label, now.isoformat()),
            )
            session_id = cursor.lastrowid
        assert session_id is not None
        return Session(session_id, join_code, short_code, label, closed=False)

    async def find_session(self, code: str) -> Session | None:
        """The session with this join code or short code, open or closed."""
        row = await self._one(
            "SELECT id, join_code, short_code, label, closed_at IS NOT NULL FROM session "
            "WHERE join_code = ? OR short_code = ?",
            (code, code.upper()),
        )
        return None if row is None else Session(row[0], row[1], row[2], row[3], bool(row[4]))

    async def session_by_id(self, session_id: int) -> Session | None:
        """The session with this id."""
        row = await self._one(
            "SELECT id, join_code, short_code, label, closed_at IS NOT NULL FROM session "
            "WHERE id = ?",
            (session_id,),
        )
        return None if row is None else Session(row[0], row[1], row[2], row[3], bool(row[4]))

    async def close_session(self, session_id: int, now: datetime) -> None:
        """Close a session: no new joins, and its unfinished answers are deleted."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE session SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                (now.isoformat(), session_id),
            )
            await conn.execute("DELETE FROM draft WHERE session_id = ?", (session_id,))

    async def counts(self, session_id: int) -> SessionCounts:
        """Complete sets and check-ins in progress in a session."""
        row = await self._one(
            "SELECT (SELECT count(*) FROM answer_set WHERE session_id = ?), "
            "(SELECT count(*) FROM draft WHERE session_id = ?)",
            (session_id, session_id),
        )
        assert row is not None
        return SessionCounts(complete=row[0], in_progress=row[1])

    # Drafts

    async def draft_for(self, person_key: bytes) -> Draft | None:
        """The person's unfinished check-in, if any."""
        row = await self._one(
            "SELECT session_id, lang, nonce, answers, position, stage, reviewing, "
            "first_message_id, prompt_message_id, updated_at FROM draft WHERE person_key = ?",
            (person_key,),
        )
        if row is None:
            return None
        return Draft(
            session_id=row[0],
            lang=row[1],
            nonce=row[2],
            answers=_decode_answers(row[3]),
            position=row[4],
            stage=Stage(row[5]),
            reviewing=bool(row[6]),
            first_message_id=row[7],
            prompt_message_id=row[8],
            updated_at=datetime.fromisoformat(row[9]),
        )

    async def save_draft(self, person_key: bytes, draft_key: bytes, draft: Draft) -> None:
        """Insert or replace the person's unfinished check-in."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO draft (draft_key, person_key, session_id, lang, nonce, stage, "
                "position, answers, reviewing, first_message_id, prompt_message_id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (person_key) DO UPDATE SET draft_key = excluded.draft_key, "
                "session_id = excluded.session_id, lang = excluded.lang, nonce = excluded.nonce, "
                "stage = excluded.stage, position = excluded.position, "
                "answers = excluded.answers, reviewing = excluded.reviewing, "
                "first_message_id = excluded.first_message_id, "
                "prompt_message_id = excluded.prompt_message_id, updated_at = excluded.updated_at",
                (
                    draft_key,
                    person_key,
                    draft.session_id,
                    draft.lang,
                    draft.nonce,
                    draft.stage.value,
                    draft.position,
                    _encode_answers(draft.answers),
                    int(draft.reviewing),
                    draft.first_message_id,
                    draft.prompt_message_id,
                    draft.updated_at.isoformat(),
                ),
            )

    async def set_prompt(self, person_key: bytes, message_id: int | None) -> None:
        """Remember which message carries the check-in's live buttons now."""
        async with self._transaction() as conn:
            await conn.execute(
                "UPDATE draft SET prompt_message_id = ? WHERE person_key = ?",
                (message_id, person_key),
            )

    async def delete_draft(self, person_key: bytes) -> bool:
        """Delete the person's unfinished answers; True if there were any."""
        async with self._transaction() as conn:
            cursor = await conn.execute("DELETE FROM draft WHERE person_key = ?", (person_key,))
            return cursor.rowcount > 0

    async def expire_drafts(self, updated_before: datetime) -> int:
        """Delete unfinished check-ins with no answer since the given time."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM draft WHERE updated_at < ?", (updated_before.isoformat(),)
            )
            return cursor.rowcount

    # Complete sets

    async def has_participated(self, session_id: int, participant_key: bytes) -> bool:
        """Whether this person has already sent a set in the session."""
        row = await self._one(
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
        """Store the complete set and remove the unfinished state, in one transaction."""
        async with self._transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO participation (session_id, participant_key) VALUES (?, ?)",
                (draft.session_id, participant_key),
            )
            if cursor.rowcount == 0:
                await conn.execute("DELETE FROM draft WHERE person_key = ?", (person_key,))
                raise AlreadyAnswered
            await conn.execute(
                "INSERT INTO answer_set (id, session_id, lang, instrument_status, "
                "instrument_version, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, score, answered_on) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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

    # Preferences and deletion

    async def language_for(self, person_key: bytes) -> str | None:
        """The language the person chose with /language, if they did."""
        row = await self._one("SELECT lang FROM preference WHERE person_key = ?", (person_key,))
        return None if row is None else str(row[0])

    async def set_language(self, person_key: bytes, lang: str) -> None:
        """Remember the person's language choice."""
        async with self._transaction() as conn:
            await conn.execute(
                "INSERT INTO preference (person_key, lang) VALUES (?, ?) "
                "ON CONFLICT (person_key) DO UPDATE SET lang = excluded.lang",
                (person_key, lang),
            )

    async def forget_person(self, person_key: bytes, participant_keys: list[bytes]) -> int:
        """Delete everything still linkable to the person; return how many rows went."""
        async with self._transaction() as conn:
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
            return removed

    async def session_ids(self) -> list[int]:
        """Every session id, so that a person's per-session markers can be found by hashing."""
        async with self._conn.execute("SELECT id FROM session") as cursor:
            return [row[0] async for row in cursor]
