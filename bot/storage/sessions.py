"""Group sessions: creating, finding and closing them, their counts and the count message,
and sessions as reports see them. Never anything about who answered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from bot.core.report_model import SessionInfo
from bot.core.sessions import DEFAULT_LANGUAGE, Session, SessionCounts, SessionKind
from bot.storage.blocks import complete_sets
from bot.storage.store import Store

SESSION_COLUMNS = (
    "id, join_code, short_code, label, closed_at, kind, owner_id, activity_id, "
    "start_session_id, closes_at, count_chat_id, count_message_id, lang"
)


def session_from_row(row: Sequence[Any]) -> Session:
    """A Session from a row selected with SESSION_COLUMNS."""
    return Session(
        id=row[0],
        join_code=row[1],
        short_code=row[2],
        label=row[3],
        closed_at=_time(row[4]),
        kind=SessionKind(row[5]),
        owner_id=row[6],
        activity_id=row[7],
        start_session_id=row[8],
        closes_at=_time(row[9]),
        count_chat_id=row[10],
        count_message_id=row[11],
        lang=row[12],
    )


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class SessionRepository:
    """Sessions and what is counted in them."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def create_session(
        self,
        label: str,
        join_code: str,
        short_code: str,
        now: datetime,
        *,
        owner_id: int | None = None,
        activity: int | str | None = None,
        kind: SessionKind = SessionKind.SINGLE,
        start_session_id: int | None = None,
        closes_at: datetime | None = None,
        lang: str = DEFAULT_LANGUAGE,
    ) -> Session:
        """Store a new open session, and its new activity if `activity` is a name."""
        async with self.store.transaction() as conn:
            activity_id = activity if not isinstance(activity, str) else None
            if isinstance(activity, str):
                await conn.execute(
                    "INSERT OR IGNORE INTO activity (owner_id, name, created_at) VALUES (?, ?, ?)",
                    (owner_id, activity, now.isoformat()),
                )
                async with conn.execute(
                    "SELECT id FROM activity WHERE owner_id IS ? AND name = ?",
                    (owner_id, activity),
                ) as cursor:
                    row = await cursor.fetchone()
                assert row is not None
                activity_id = row[0]
            cursor = await conn.execute(
                "INSERT INTO session (join_code, short_code, label, created_at, owner_id, "
                "activity_id, kind, start_session_id, closes_at, lang) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    join_code,
                    short_code,
                    label,
                    now.isoformat(),
                    owner_id,
                    activity_id,
                    kind,
                    start_session_id,
                    closes_at.isoformat() if closes_at else None,
                    lang,
                ),
            )
            session_id = cursor.lastrowid
        assert session_id is not None
        return Session(
            session_id,
            join_code,
            short_code,
            label,
            kind=kind,
            owner_id=owner_id,
            activity_id=activity_id,
            start_session_id=start_session_id,
            closes_at=closes_at,
            lang=lang,
        )

    async def session_by_join_code(self, join_code: str) -> Session | None:
        """The session whose link carries this code, open or closed."""
        row = await self.store.one(
            f"SELECT {SESSION_COLUMNS} FROM session WHERE join_code = ?", (join_code,)
        )
        return None if row is None else session_from_row(row)

    async def session_by_short_code(
        self, short_code: str, created_after: datetime
    ) -> Session | None:
        """The open session with this typed code (as stored: see core.codes), if it was
        created after the given time.

        A short code can be guessed, so it works only while it is needed: a closed or older
        session is not found by it (its link still is).
        """
        row = await self.store.one(
            f"SELECT {SESSION_COLUMNS} FROM session WHERE short_code = ? "
            "AND closed_at IS NULL AND created_at > ?",
            (short_code, created_after.isoformat()),
        )
        return None if row is None else session_from_row(row)

    async def session_by_id(self, session_id: int) -> Session | None:
        """The session with this id."""
        row = await self.store.one(
            f"SELECT {SESSION_COLUMNS} FROM session WHERE id = ?", (session_id,)
        )
        return None if row is None else session_from_row(row)

    async def close_session(self, session_id: int, now: datetime) -> bool:
        """Close a session to new joins; True if it was open. Unfinished answers get a grace
        period (see People.purge_closed) so that people already answering can finish."""
        async with self.store.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE session SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                (now.isoformat(), session_id),
            )
            return cursor.rowcount > 0

    async def close_due_sessions(self, now: datetime) -> list[int]:
        """Close the sessions whose automatic closing time has come."""
        async with (
            self.store.transaction() as conn,
            conn.execute(
                "UPDATE session SET closed_at = closes_at WHERE closed_at IS NULL "
                "AND closes_at IS NOT NULL AND closes_at <= ? RETURNING id",
                (now.isoformat(),),
            ) as cursor,
        ):
            return [row[0] async for row in cursor]

    async def set_count_message(
        self, session_id: int, chat_id: int, message_id: int, lang: str, text: str
    ) -> None:
        """Remember the message that shows a session's count to its facilitator."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE session SET count_chat_id = ?, count_message_id = ?, count_lang = ?, "
                "count_text = ? WHERE id = ?",
                (chat_id, message_id, lang, text, session_id),
            )

    async def count_shown(self, session_id: int) -> tuple[str, str] | None:
        """The language and text of the count message as it is now."""
        row = await self.store.one(
            "SELECT count_lang, count_text FROM session WHERE id = ? AND count_message_id IS NOT "
            "NULL",
            (session_id,),
        )
        return None if row is None else (row[0], row[1])

    async def set_count_text(self, session_id: int, text: str) -> None:
        """Remember what the count message shows, so it is only edited when it changes."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE session SET count_text = ? WHERE id = ?", (text, session_id)
            )

    async def forget_count_message(self, session_id: int) -> None:
        """The session's count message is never edited again."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE session SET count_chat_id = NULL, count_message_id = NULL, "
                "count_lang = NULL, count_text = NULL WHERE id = ?",
                (session_id,),
            )

    async def counts(self, session_id: int) -> SessionCounts:
        """Complete sets and check-ins in progress in a session."""
        row = await self.store.one(
            f"SELECT {complete_sets('?1')}, (SELECT count(*) FROM draft WHERE session_id = ?1)",
            (session_id,),
        )
        assert row is not None
        return SessionCounts(complete=row[0], in_progress=row[1])

    # As reports see them

    async def report_sessions(self, zone: tzinfo) -> list[SessionInfo]:
        """Every session as reports see it: what it belongs to and how many did not finish."""
        rows = await self.store.all(
            "SELECT s.id, s.label, s.activity_id, coalesce(a.name, ''), s.kind, "
            "s.closed_at IS NOT NULL, s.created_at, "
            f"max(s.started - {complete_sets('s.id')}, 0) "
            "FROM session s LEFT JOIN activity a ON a.id = s.activity_id"
        )
        return [
            SessionInfo(
                id=row[0],
                label=row[1],
                activity_id=row[2],
                activity_name=row[3],
                kind=SessionKind(row[4]),
                closed=bool(row[5]),
                created_on=datetime.fromisoformat(row[6]).astimezone(zone).date(),
                unfinished=row[7],
            )
            for row in rows
        ]

    async def session_ids(self) -> list[int]:
        """Every session id, so that a person's per-session markers can be found by hashing."""
        return [row[0] for row in await self.store.all("SELECT id FROM session")]
