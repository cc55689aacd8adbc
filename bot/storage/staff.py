"""Staff: facilitators, invitations, activities, sessions as staff list them, and the
unfinished steps of staff commands. Never anything about participants but counts."""

from __future__ import annotations

import hashlib
from datetime import datetime

from bot.core.sessions import Session, SessionCounts, SessionKind
from bot.core.staff import Activity, Invitation, StaffMember
from bot.core.staff_flow import Flow
from bot.storage.blocks import complete_sets
from bot.storage.sessions import SESSION_COLUMNS, session_from_row
from bot.storage.store import Store


def token_hash(token: str) -> bytes:
    """Invitation tokens are kept only as hashes: a copy of the database cannot be used."""
    return hashlib.sha256(token.encode()).digest()


class StaffRepository:
    """Everything staff commands read and write."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # Who has an unfinished staff step, so that the many participants' messages need no
        # lookup; read once, then kept in step by save_flow and end_flow (the only writers).
        self._flow_owners: set[int] | None = None

    # Staff members

    async def member(self, telegram_id: int) -> StaffMember | None:
        """The staff member with this Telegram id, removed or not."""
        row = await self.store.one(
            "SELECT telegram_id, name, rules_accepted_at IS NOT NULL, removed_at IS NOT NULL "
            "FROM staff WHERE telegram_id = ?",
            (telegram_id,),
        )
        return None if row is None else StaffMember(row[0], row[1], bool(row[2]), bool(row[3]))

    async def ensure_member(self, telegram_id: int, name: str, now: datetime) -> None:
        """Add a coordinator the first time they use the bot (they are never invited)."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO staff (telegram_id, name, invited_by, created_at) "
                "VALUES (?, ?, ?, ?)",
                (telegram_id, name[:64] or "-", telegram_id, now.isoformat()),
            )

    async def accept_rules(self, telegram_id: int, now: datetime) -> None:
        """The member has read and confirmed the rules."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE staff SET rules_accepted_at = ? WHERE telegram_id = ?",
                (now.isoformat(), telegram_id),
            )

    async def facilitators(self, coordinators: frozenset[int]) -> list[StaffMember]:
        """Active facilitators (not the coordinators), by name."""
        rows = await self.store.all(
            "SELECT telegram_id, name, rules_accepted_at IS NOT NULL FROM staff "
            "WHERE removed_at IS NULL ORDER BY name COLLATE NOCASE"
        )
        return [
            StaffMember(row[0], row[1], bool(row[2]), removed=False)
            for row in rows
            if row[0] not in coordinators
        ]

    async def remove(self, telegram_id: int, now: datetime) -> list[int]:
        """Remove a facilitator; their sessions and answers stay, and their open sessions close
        now (people already answering get the grace period). Returns their sessions that have
        a count message, which should stop showing them counts."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE staff SET removed_at = ? WHERE telegram_id = ? AND removed_at IS NULL",
                (now.isoformat(), telegram_id),
            )
            await conn.execute(
                "UPDATE session SET closed_at = ? WHERE owner_id = ? AND closed_at IS NULL",
                (now.isoformat(), telegram_id),
            )
            async with conn.execute(
                "SELECT id FROM session WHERE owner_id = ? AND count_message_id IS NOT NULL",
                (telegram_id,),
            ) as cursor:
                return [row[0] async for row in cursor]

    # Invitations

    async def add_invitation(
        self, token: str, created_by: int, now: datetime, expires_at: datetime
    ) -> None:
        """Store a new one-time invitation."""
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO invitation (token_hash, created_by, created_at, expires_at) "
                "VALUES (?, ?, ?, ?)",
                (token_hash(token), created_by, now.isoformat(), expires_at.isoformat()),
            )

    async def invitation(self, token: str, now: datetime) -> Invitation:
        """Whether the invitation can still be used."""
        row = await self.store.one(
            "SELECT used_at, expires_at FROM invitation WHERE token_hash = ?", (token_hash(token),)
        )
        if row is None:
            return Invitation.UNKNOWN
        if row[0] is not None:
            return Invitation.USED
        if datetime.fromisoformat(row[1]) <= now:
            return Invitation.EXPIRED
        return Invitation.VALID

    async def accept_invitation(
        self, token: str, telegram_id: int, name: str, now: datetime
    ) -> Invitation:
        """Use the invitation and make the person a facilitator, in one transaction."""
        async with self.store.transaction() as conn:
            async with conn.execute(
                "SELECT used_at, expires_at, created_by FROM invitation WHERE token_hash = ?",
                (token_hash(token),),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return Invitation.UNKNOWN
            if row[0] is not None:
                return Invitation.USED
            if datetime.fromisoformat(row[1]) <= now:
                return Invitation.EXPIRED
            await conn.execute(
                "UPDATE invitation SET used_at = ? WHERE token_hash = ?",
                (now.isoformat(), token_hash(token)),
            )
            await conn.execute(
                "INSERT INTO staff (telegram_id, name, invited_by, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET "
                "name = excluded.name, invited_by = excluded.invited_by, removed_at = NULL",
                (telegram_id, name, row[2], now.isoformat()),
            )
            return Invitation.VALID

    # Activities and sessions

    async def activities(self, owner_id: int) -> list[Activity]:
        """The member's activities, most recently used first."""
        rows = await self.store.all(
            "SELECT a.id, a.name FROM activity a LEFT JOIN session s ON s.activity_id = a.id "
            "WHERE a.owner_id = ? GROUP BY a.id "
            "ORDER BY max(coalesce(s.created_at, a.created_at)) DESC",
            (owner_id,),
        )
        return [Activity(row[0], row[1]) for row in rows]

    async def all_activities(self) -> list[Activity]:
        """Every activity, by name (for coordinators' reports)."""
        rows = await self.store.all("SELECT id, name FROM activity ORDER BY name COLLATE NOCASE")
        return [Activity(row[0], row[1]) for row in rows]

    async def activity(self, activity_id: int) -> Activity | None:
        """One activity."""
        row = await self.store.one("SELECT id, name FROM activity WHERE id = ?", (activity_id,))
        return None if row is None else Activity(row[0], row[1])

    async def sessions(
        self,
        owner_id: int | None,
        *,
        open_only: bool = False,
        kind: SessionKind | None = None,
        activity_id: int | None = None,
        limit: int = 20,
    ) -> list[tuple[Session, SessionCounts]]:
        """Sessions with their counts, newest first; owner None means everyone's."""
        where: list[str] = ["1 = 1"]
        params: list[object] = []
        if owner_id is not None:
            where.append("owner_id = ?")
            params.append(owner_id)
        if open_only:
            where.append("closed_at IS NULL")
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if activity_id is not None:
            where.append("activity_id = ?")
            params.append(activity_id)
        columns = ", ".join(f"s.{c.strip()}" for c in SESSION_COLUMNS.split(","))
        rows = await self.store.all(
            f"SELECT {columns}, "
            f"{complete_sets('s.id')}, "
            "(SELECT count(*) FROM draft d WHERE d.session_id = s.id) "
            f"FROM session s WHERE {' AND '.join(where)} ORDER BY s.id DESC LIMIT ?",
            (*params, limit),
        )
        return [(session_from_row(row), SessionCounts(row[-2], row[-1])) for row in rows]

    # Unfinished staff steps

    async def flow(self, telegram_id: int) -> Flow | None:
        """The member's unfinished multi-step command, if any."""
        if self._flow_owners is None:
            rows = await self.store.all("SELECT telegram_id FROM staff_flow")
            self._flow_owners = {row[0] for row in rows}
        if telegram_id not in self._flow_owners:
            return None
        row = await self.store.one(
            "SELECT nonce, step, data, updated_at FROM staff_flow WHERE telegram_id = ?",
            (telegram_id,),
        )
        return None if row is None else Flow.load(row[0], row[1], row[2], row[3])

    async def save_flow(self, telegram_id: int, flow: Flow) -> None:
        """Store the member's current step."""
        nonce, step, data, updated_at = flow.dump()
        async with self.store.transaction() as conn:
            await conn.execute(
                "INSERT INTO staff_flow (telegram_id, nonce, step, data, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_id) DO UPDATE SET "
                "nonce = excluded.nonce, step = excluded.step, data = excluded.data, "
                "updated_at = excluded.updated_at",
                (telegram_id, nonce, step, data, updated_at),
            )
        if self._flow_owners is not None:
            self._flow_owners.add(telegram_id)

    async def end_flow(self, telegram_id: int) -> None:
        """Forget the member's unfinished command."""
        async with self.store.transaction() as conn:
            await conn.execute("DELETE FROM staff_flow WHERE telegram_id = ?", (telegram_id,))
        if self._flow_owners is not None:
            self._flow_owners.discard(telegram_id)
