"""Who is writing to the bot, and what they may ask about themselves.

A person is known by keyed hashes only. Their check-in is kept in the database, or in memory
for a staff member's trial run; one that waited too long is deleted when they next write.
They choose a language, stop a check-in, or have everything linkable to them deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.checkin import Draft
from bot.usecases.services import Services
from bot.usecases.trials import DraftStore, TrialRuns


@dataclass(slots=True)
class Participant:
    """Who is writing, as the use cases know them: keys and language, no id kept."""

    user_id: int
    key: bytes
    lang: str
    draft: Draft | None
    expired: bool
    """Their check-in waited too long and was deleted just now."""
    drafts: DraftStore
    """Where the check-in is kept: the database, or a staff member's trial in memory."""
    touched: int | None = None
    """The session whose count changed when the expired check-in was deleted."""

    @property
    def trial(self) -> bool:
        """A staff member's trial run: nothing is stored or counted."""
        return isinstance(self.drafts, TrialRuns)

    def counted(self, session_id: int) -> int | None:
        """The session whose count a change of this check-in changes: none for a trial."""
        return None if self.trial else session_id

    def shown(self, message_id: int | None) -> None:
        """Remember which message carries the check-in's live buttons (None: no message)."""
        self.drafts.set_prompt(self.key, message_id)


@dataclass(frozen=True, slots=True)
class Ended:
    """A check-in that ended without being sent, and the session whose count changed."""

    draft: Draft
    touched: int | None


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What /delete did: whether anything was stored, and the check-in it ended."""

    removed: bool
    ended: Ended | None


async def identify(services: Services, user_id: int, telegram_code: str | None) -> Participant:
    """Who is writing, in which language, with which check-in."""
    key = services.pseudonyms.person(user_id)
    drafts: DraftStore = services.trials if services.trials.holds(key) else services.drafts
    draft = await drafts.draft_for(key)
    expired = draft is not None and draft.expired(services.clock(), services.draft_ttl)
    current = None if expired else draft
    chosen = current.lang if current else await services.people.language_for(key)
    lang = services.language(chosen, telegram_code)
    person = Participant(user_id, key, lang, current, expired, drafts)
    if expired and draft is not None:
        await drafts.delete_draft(key)
        person.touched = person.counted(draft.session_id)
    return person


async def save(services: Services, person: Participant, draft: Draft) -> None:
    """Keep a step of the person's check-in; committed when this returns."""
    draft_key = services.pseudonyms.draft(person.user_id, draft.session_id)
    await person.drafts.save_draft(person.key, draft_key, draft)
    person.draft = draft


async def choose_language(services: Services, person: Participant, lang: str) -> None:
    """Remember the choice; a check-in under way goes on in it."""
    await services.people.set_language(person.key, lang)
    person.lang = lang
    if person.draft is not None and person.draft.lang != lang:
        await save(services, person, replace(person.draft, lang=lang))


async def stop(person: Participant) -> Ended | None:
    """End the check-in and delete its answers; None if there is none."""
    if person.draft is None:
        return None
    await person.drafts.delete_draft(person.key)
    return Ended(person.draft, person.counted(person.draft.session_id))


async def forget(services: Services, person: Participant) -> Forgotten:
    """Delete whatever can still be linked to the person: their check-in (a trial too), their
    language, and the markers of the sessions they sent a set in."""
    keys = [
        services.pseudonyms.in_session(person.user_id, session_id)
        for session_id in await services.sessions.session_ids()
    ]
    removed = await services.people.forget_person(person.key, keys)
    await services.trials.delete_draft(person.key)
    draft = person.draft
    ended = None if draft is None else Ended(draft, person.counted(draft.session_id))
    return Forgotten(removed > 0, ended)
