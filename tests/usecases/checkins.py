"""Steps a participant takes, through the use cases, for the use-case tests."""

from bot.core.checkin import Draft, Rejected
from bot.core.sessions import Session
from bot.usecases import answering, consent, participants
from bot.usecases.consent import Started
from bot.usecases.participants import Participant
from bot.usecases.services import Services
from bot.usecases.sessions import create_session

PERSON, OTHER = 1001, 1002
CONSENT_MESSAGE = 7


async def new_session(
    services: Services, label: str = "Avoin työhuone", lang: str = "fi"
) -> Session:
    return await create_session(services.sessions, label, services.clock(), lang=lang)


async def who(
    services: Services, user_id: int = PERSON, telegram: str | None = "fi"
) -> Participant:
    return await participants.identify(services, user_id, telegram)


async def started(services: Services, session: Session, user_id: int = PERSON) -> Participant:
    """The person opened the session's link and tapped Start on the consent."""
    person = await who(services, user_id)
    given = await consent.give_consent(services, person, session.join_code, CONSENT_MESSAGE)
    assert isinstance(given, Started)
    return person


async def answered_all(services: Services, person: Participant, value: int = 4) -> Draft:
    """Every statement answered with the same option; the review is on."""
    draft = person.draft
    assert draft is not None
    options = services.instruments[draft.lang].options
    for _ in range(10):
        step = answering.answer(services, draft, options[value - 1])
        assert not isinstance(step, Rejected)
        draft = await answering.save_step(services, person, step)
    return draft
