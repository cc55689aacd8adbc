"""Answering a check-in: a step forward or back, a change in the review, and sending the set.

Only a complete set that arrives while its session is open, or within the grace period after
it closed (`Services.close_grace`), is stored, and only one a person in a session. Staff
answers never count: their trial run ends without storing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from bot.core import checkin
from bot.core.checkin import Draft, Rejected
from bot.core.scoring import score
from bot.storage.answer_sets import AlreadyAnswered
from bot.usecases.participants import Participant, save
from bot.usecases.services import Services


def answer(services: Services, draft: Draft, typed: str) -> Draft | Rejected:
    """The current statement answered with a keyboard tap or typed words."""
    value = checkin.parse_typed_answer(typed, services.instruments[draft.lang].options)
    if value is None:
        return Rejected.BAD_VALUE
    return checkin.answer(draft, draft.position, value, services.clock())


def back(services: Services, draft: Draft) -> Draft | Rejected:
    """One statement back."""
    return checkin.back(draft, services.clock())


def change(services: Services, draft: Draft, item: int) -> Draft | Rejected:
    """From the review, back to one statement to change its answer."""
    return checkin.change(draft, item, services.clock())


async def save_step(services: Services, person: Participant, draft: Draft) -> Draft:
    """Commit a step of the check-in, with no message as its live prompt until the next
    prompt is sent (so a failed send followed by /continue edits nothing twice)."""
    draft = replace(draft, prompt_message_id=None)
    await save(services, person, draft)
    return draft


class Sent(Enum):
    """What became of a set the person sent."""

    NOT_READY = "not ready"
    """Not every statement has its answer, or the review is not on: a stale button."""
    TRIAL_OVER = "trial over"
    """A staff member's trial run ended; nothing was stored."""
    CLOSED = "closed"
    """The session closed and its grace period is over: the answers were deleted uncounted."""
    ALREADY_ANSWERED = "already answered"
    """The person had sent a set in this session already; the answers were deleted."""
    STORED = "stored"


@dataclass(frozen=True, slots=True)
class Sending:
    """What became of the set, and the session whose count changed."""

    outcome: Sent
    touched: int | None = None


async def send(services: Services, person: Participant, draft: Draft) -> Sending:
    """Store the complete set, if it still may be."""
    points = checkin.ready_to_send(draft)
    if isinstance(points, Rejected):
        return Sending(Sent.NOT_READY)
    if person.trial:
        await person.drafts.delete_draft(person.key)
        return Sending(Sent.TRIAL_OVER)
    session = await services.sessions.session_by_id(draft.session_id)
    if session is None or (
        session.closed_at is not None
        and services.clock() > session.closed_at + services.close_grace
    ):
        await services.drafts.delete_draft(person.key)
        return Sending(Sent.CLOSED, draft.session_id)
    participant = services.pseudonyms.in_session(person.user_id, draft.session_id)
    try:
        await services.answer_sets.submit(
            person.key,
            participant,
            draft,
            points,
            score(points),
            services.instruments[draft.lang],
            services.today(),
        )
    except AlreadyAnswered:
        return Sending(Sent.ALREADY_ANSWERED)
    return Sending(Sent.STORED, draft.session_id)
