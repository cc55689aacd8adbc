"""Unfinished check-ins: kept in memory as committed, saved together (group commit)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import aiosqlite

from bot.core.checkin import Draft, Stage
from bot.storage.store import Store

log = logging.getLogger(__name__)

PROMPT_WRITE_DELAY = 0.2
"""Seconds a newly shown prompt waits before it is written, together with the others then."""
MAX_SAVES_TOGETHER = 200
"""Drafts saved by one statement at most (SQLite allows 32,766 parameters, 12 a draft)."""


@dataclass(frozen=True, slots=True)
class _Save:
    """A draft waiting to be committed, and the handler waiting for it."""

    person_key: bytes
    draft_key: bytes
    draft: Draft
    done: asyncio.Future[None]

    def row(self) -> tuple[object, ...]:
        return _draft_row(self.person_key, self.draft_key, self.draft)

    def committed(self) -> None:
        if not self.done.done():  # the handler may have been cancelled meanwhile
            self.done.set_result(None)

    def failed(self, err: Exception) -> None:
        if not self.done.done():
            self.done.set_exception(err)


def _encode_answers(answers: tuple[int | None, ...]) -> str:
    return "".join(str(a or 0) for a in answers)


def _decode_answers(text: str) -> tuple[int | None, ...]:
    return tuple(int(c) or None for c in text)


class Drafts:
    """Unfinished check-ins.

    They are read on every message, so they are also kept in memory, always as committed:
    each write updates that copy only after SQLite has taken it, and reading goes to the
    database only for someone not in memory (after a restart). The bot is the only writer of
    unfinished check-ins while it runs; a statement elsewhere that deletes some tells this
    store which with `forget`.

    Which message carries the live keyboard (the prompt) is written a moment later, for many
    people at once. Saving a step writes "no prompt" with it, so until the prompt is written
    the database says the person has not seen the step, and after a crash in between, their
    next message shows the step again instead of answering it.
    """

    def __init__(self, store: Store, prompt_write_delay: float = PROMPT_WRITE_DELAY) -> None:
        self.store = store
        self._drafts: dict[bytes, Draft] = {}
        self._prompts: dict[bytes, int | None] = {}
        self._prompt_delay = prompt_write_delay
        self._prompt_writer: asyncio.Task[None] | None = None
        self._saves: list[_Save] = []
        self._saver: asyncio.Task[None] | None = None

    async def flush(self) -> None:
        """Finish the saves under way and write the prompts still waiting (before closing)."""
        if self._saver is not None:
            await self._saver
        if self._prompt_writer is not None:
            self._prompt_writer.cancel()
            self._prompt_writer = None
        await self.write_prompts()

    async def draft_for(self, person_key: bytes) -> Draft | None:
        """The person's unfinished check-in, if any."""
        if (cached := self._drafts.get(person_key)) is not None:
            return cached
        row = await self.store.one(
            "SELECT session_id, lang, nonce, answers, position, stage, reviewing, "
            "first_message_id, prompt_message_id, updated_at FROM draft WHERE person_key = ?",
            (person_key,),
        )
        if row is None:
            return None
        draft = self._drafts[person_key] = Draft(
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
        return draft

    def _committed(self, person_key: bytes, draft: Draft | None) -> None:
        """Keep the memory copy as the database now has it; a prompt waiting to be written
        for the person is out of date then."""
        self._prompts.pop(person_key, None)
        if draft is None:
            self._drafts.pop(person_key, None)
        else:
            self._drafts[person_key] = draft

    def forget(self, person_keys: Iterable[bytes]) -> None:
        """These people's drafts were deleted by a committed statement elsewhere."""
        for key in person_keys:
            self._committed(key, None)

    async def save_draft(self, person_key: bytes, draft_key: bytes, draft: Draft) -> None:
        """Insert or replace the person's unfinished check-in; committed when this returns.

        Steps saved while an earlier commit is under way are committed together, by one
        statement (group commit): one write to the disk for many people instead of one each.
        """
        self._prompts.pop(person_key, None)  # out of date once this step is saved
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._saves.append(_Save(person_key, draft_key, draft.on_the_hour(), done))
        if self._saver is None:
            self._saver = asyncio.create_task(self._save_waiting())
        await done

    async def _save_waiting(self) -> None:
        try:
            while self._saves:
                async with self.store.exclusive() as conn:
                    batch = self._saves[:MAX_SAVES_TOGETHER]
                    del self._saves[:MAX_SAVES_TOGETHER]
                    await self._save_batch(conn, batch)
        finally:
            self._saver = None

    async def _save_batch(self, conn: aiosqlite.Connection, batch: list[_Save]) -> None:
        """Commit the saves, each with its own outcome; the memory copy follows each commit."""
        try:
            await conn.execute(
                DRAFT_UPSERT.format(rows=", ".join([_DRAFT_ROW] * len(batch))),
                [value for save in batch for value in save.row()],
            )
        except sqlite3.Error as err:
            if len(batch) == 1:
                batch[0].failed(err)
                return
            # One at a time, so that one bad save does not fail the others.
            for save in batch:
                await self._save_batch(conn, [save])
            return
        for save in batch:
            self._drafts[save.person_key] = save.draft
            save.committed()

    async def start_check_in(self, person_key: bytes, draft_key: bytes, draft: Draft) -> None:
        """Store a new check-in and count it as started in its session, together."""
        draft = draft.on_the_hour()
        async with self.store.transaction() as conn:
            await conn.execute(
                "UPDATE session SET started = started + 1 WHERE id = ?", (draft.session_id,)
            )
            await conn.execute(*_draft_upsert(person_key, draft_key, draft))
        self._committed(person_key, draft)

    def set_prompt(self, person_key: bytes, message_id: int | None) -> None:
        """Remember which message carries the check-in's live buttons now.

        It counts at once; the database gets it within PROMPT_WRITE_DELAY, with others.
        """
        if (draft := self._drafts.get(person_key)) is not None:
            self._drafts[person_key] = replace(draft, prompt_message_id=message_id)
        self._prompts[person_key] = message_id
        if self._prompt_writer is None:
            self._prompt_writer = asyncio.create_task(self._write_prompts_soon())

    async def _write_prompts_soon(self) -> None:
        await asyncio.sleep(self._prompt_delay)
        self._prompt_writer = None
        await self.write_prompts()

    async def write_prompts(self) -> None:
        """Write the prompts shown since the last time, by one statement."""
        if not self._prompts:
            return
        try:
            async with self.store.exclusive() as conn:
                # Taken only now, with no other write under way: a step saved while this
                # waited has already made its person's prompt out of date.
                prompts = list(self._prompts.items())
                self._prompts.clear()
                if not prompts:
                    return
                # One statement, so one commit, however many prompts.
                await conn.execute(
                    "UPDATE draft SET prompt_message_id = v.column2 FROM (VALUES "
                    + ", ".join(["(?, ?)"] * len(prompts))
                    + ") AS v WHERE draft.person_key = v.column1",
                    [value for prompt in prompts for value in prompt],
                )
        except sqlite3.Error as err:
            # The database keeps "no prompt" for them, the safe side: see the class.
            log.warning("could not write which messages are live prompts: %s", err)

    async def delete_draft(self, person_key: bytes) -> bool:
        """Delete the person's unfinished answers; True if there were any."""
        deleted = await self.store.write("DELETE FROM draft WHERE person_key = ?", (person_key,))
        self._committed(person_key, None)
        return deleted > 0

    async def expire_drafts(self, cutoff: datetime) -> list[int]:
        """Delete unfinished check-ins stored with the hour `cutoff` or earlier (see
        `bot.core.checkin.expiry_cutoff`); return their sessions (once per deleted check-in)."""
        async with (
            self.store.transaction() as conn,
            conn.execute(
                "DELETE FROM draft WHERE updated_at <= ? RETURNING session_id, person_key",
                (cutoff.isoformat(),),
            ) as cursor,
        ):
            rows = [(row[0], row[1]) async for row in cursor]
        self.forget(key for _, key in rows)
        return [session_id for session_id, _ in rows]


DRAFT_UPSERT = (
    "INSERT INTO draft (draft_key, person_key, session_id, lang, nonce, stage, "
    "position, answers, reviewing, first_message_id, prompt_message_id, updated_at) "
    "VALUES {rows} "
    "ON CONFLICT (person_key) DO UPDATE SET draft_key = excluded.draft_key, "
    "session_id = excluded.session_id, lang = excluded.lang, nonce = excluded.nonce, "
    "stage = excluded.stage, position = excluded.position, "
    "answers = excluded.answers, reviewing = excluded.reviewing, "
    "first_message_id = excluded.first_message_id, "
    "prompt_message_id = excluded.prompt_message_id, updated_at = excluded.updated_at"
)
"""Insert or replace drafts: ``{rows}`` is one ``(?, ...)`` per draft."""

_DRAFT_ROW = "(" + ", ".join("?" * 12) + ")"


def _draft_upsert(
    person_key: bytes, draft_key: bytes, draft: Draft
) -> tuple[str, tuple[object, ...]]:
    """The statement and parameters that insert or replace a draft."""
    return DRAFT_UPSERT.format(rows=_DRAFT_ROW), _draft_row(person_key, draft_key, draft)


def _draft_row(person_key: bytes, draft_key: bytes, draft: Draft) -> tuple[object, ...]:
    return (
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
    )
