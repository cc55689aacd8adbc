"""Trial runs: staff answer a check-in as participants do, and nothing is stored.

A facilitator's or coordinator's own answers could top up a small group with known values
that they then subtract again, so staff never count. Their check-in is held in memory only:
never written, never counted, never shown as someone answering, and gone when it ends or the
bot restarts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from bot.core.checkin import Draft


class DraftStore(Protocol):
    """Where a person's unfinished check-in is kept: the database, or a trial's memory."""

    async def draft_for(self, person_key: bytes) -> Draft | None:
        """The person's unfinished check-in, if any."""

    async def start_check_in(self, person_key: bytes, draft_key: bytes, draft: Draft) -> None:
        """Keep a new check-in."""

    async def save_draft(self, person_key: bytes, draft_key: bytes, draft: Draft) -> None:
        """Keep a step of the check-in."""

    def set_prompt(self, person_key: bytes, message_id: int | None) -> None:
        """Remember which message carries the live buttons."""

    async def delete_draft(self, person_key: bytes) -> bool:
        """Forget the check-in; True if there was one."""


class TrialRuns:
    """Staff members' trial check-ins, in memory only (a DraftStore)."""

    def __init__(self) -> None:
        self._drafts: dict[bytes, Draft] = {}

    def holds(self, person_key: bytes) -> bool:
        """Whether the person is going through a trial now."""
        return person_key in self._drafts

    async def draft_for(self, person_key: bytes) -> Draft | None:
        """The trial's current step."""
        return self._drafts.get(person_key)

    async def start_check_in(self, person_key: bytes, draft_key: bytes, draft: Draft) -> None:
        """Begin a trial."""
        await self.save_draft(person_key, draft_key, draft)

    async def save_draft(self, person_key: bytes, draft_key: bytes, draft: Draft) -> None:  # noqa: ARG002 - a DraftStore's signature
        """Keep the step in memory; there is no marker to key."""
        self._drafts[person_key] = draft

    def set_prompt(self, person_key: bytes, message_id: int | None) -> None:
        """Remember the live prompt."""
        if (draft := self._drafts.get(person_key)) is not None:
            self._drafts[person_key] = replace(draft, prompt_message_id=message_id)

    async def delete_draft(self, person_key: bytes) -> bool:
        """End the trial."""
        return self._drafts.pop(person_key, None) is not None
