"""Joining a session: what a code offers, and starting the check-in on consent.

Everything is checked again when the person taps Start, since the session may have closed,
or they may have answered it elsewhere, while the consent was on their screen. A staff
member's check-in is a trial run (see `bot.usecases.trials`).

Everyone who joins starts in the session's language, whatever their Telegram app's language
and whatever they chose earlier: the facilitator knows the group. They can switch on the
consent or at any time during the check-in, and the switch holds for that check-in; the next
session they join starts in its own language again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.core.checkin import Draft
from bot.core.sessions import DEFAULT_LANGUAGE, Session
from bot.usecases.joining import Refusal
from bot.usecases.participants import Participant
from bot.usecases.services import Services


class NotOffered(Enum):
    """Why a code offers no consent."""

    UNKNOWN_CODE = "unknown code"
    CLOSED = "closed"
    ALREADY_ANSWERED = "already answered"


@dataclass(frozen=True, slots=True)
class GoingOn:
    """The person is already answering this session: their check-in goes on where it was."""

    draft: Draft


@dataclass(frozen=True, slots=True)
class UnfinishedElsewhere:
    """The person is answering another session's check-in (its label, "" if it is gone)."""

    label: str
    draft: Draft


@dataclass(frozen=True, slots=True)
class Consent:
    """The consent to show for a session, in the language the check-in starts in; staff are
    told theirs is a trial run."""

    session: Session
    trial: bool
    lang: str


Offer = Refusal | NotOffered | GoingOn | UnfinishedElsewhere | Consent
"""What a code gives this person."""


@dataclass(frozen=True, slots=True)
class Started:
    """The check-in began: its first step, and the session whose count changed."""

    draft: Draft
    touched: int | None


async def look_up(services: Services, person: Participant, code: str) -> Session | Refusal | None:
    """The session a code names, within the code limits (see bot.usecases.joining)."""
    guesser = services.pseudonyms.guesser(person.user_id)
    return await services.codes.session(guesser, code, services.clock())


def starting_language(services: Services, session: Session, chosen: str | None = None) -> str:
    """The language a check-in in the session starts in: `chosen`, the one the person
    switched to on the consent, else the session's (Finnish if its statements are gone)."""
    if chosen is not None and chosen in services.instruments:
        return chosen
    return session.lang if session.lang in services.instruments else DEFAULT_LANGUAGE


async def consent_for(
    services: Services, person: Participant, session: Session, chosen: str | None = None
) -> Consent:
    """The consent for the session, as this person is to see it (see `starting_language`)."""
    return Consent(
        session,
        trial=await services.is_staff(person.user_id),
        lang=starting_language(services, session, chosen),
    )


async def _answered(services: Services, person: Participant, session: Session) -> bool:
    """Whether the person has already sent a set in the session."""
    key = services.pseudonyms.in_session(person.user_id, session.id)
    return await services.answer_sets.has_participated(session.id, key)


async def offer(services: Services, person: Participant, found: Session | Refusal | None) -> Offer:
    """What a looked-up code gives this person."""
    if isinstance(found, Refusal):
        return found
    draft = person.draft
    if draft is not None:
        if found is not None and found.id == draft.session_id:
            return GoingOn(draft)
        current = await services.sessions.session_by_id(draft.session_id)
        return UnfinishedElsewhere(current.label if current else "", draft)
    if found is None:
        return NotOffered.UNKNOWN_CODE
    if found.closed:
        return NotOffered.CLOSED
    if await _answered(services, person, found):
        return NotOffered.ALREADY_ANSWERED
    return await consent_for(services, person, found)


async def give_consent(
    services: Services,
    person: Participant,
    code: str,
    message_id: int,
    lang: str | None = None,
) -> Started | Offer | None:
    """Start the check-in of the session whose consent was accepted (the consent's message
    is `message_id`, shown in `lang`), or say again what the code offers now. None: a second
    tap on Start, the check-in is already going."""
    found = await look_up(services, person, code)
    draft = person.draft
    if draft is not None and isinstance(found, Session) and draft.session_id == found.id:
        return None
    if (
        draft is not None
        or not isinstance(found, Session)
        or found.closed
        or await _answered(services, person, found)
    ):
        return await offer(services, person, found)
    person.lang = starting_language(services, found, lang)
    draft = Draft.begin(found.id, person.lang, services.clock(), message_id)
    if await services.is_staff(person.user_id):
        person.drafts = services.trials
    draft_key = services.pseudonyms.draft(person.user_id, found.id)
    await person.drafts.start_check_in(person.key, draft_key, draft)
    person.draft = draft
    return Started(draft, person.counted(found.id))
