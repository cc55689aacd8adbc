"""Joining: what a code offers, the code limits, and starting on consent, with every refusal
checked again at the tap, decided without Telegram against a real database."""

from datetime import timedelta

from bot.core.sessions import Session
from bot.usecases import answering, consent, participants
from bot.usecases.answering import Sent
from bot.usecases.consent import Consent, GoingOn, NotOffered, Started, UnfinishedElsewhere
from bot.usecases.joining import Refusal
from bot.usecases.participants import Participant
from bot.usecases.services import Services
from tests.usecases.checkins import (
    CONSENT_MESSAGE,
    OTHER,
    PERSON,
    answered_all,
    new_session,
    started,
    who,
)
from tests.usecases.conftest import COORDINATOR
from tests.worlds import Clock


async def offered(services: Services, code: str, user_id: int = PERSON) -> consent.Offer:
    person = await who(services, user_id)
    return await consent.offer(services, person, await consent.look_up(services, person, code))


async def test_a_link_and_a_typed_code_offer_the_consent(services: Services) -> None:
    session = await new_session(services)
    for code in (session.join_code, session.short_code.lower()):
        assert await offered(services, code) == Consent(session, trial=False, lang="fi")


async def test_staff_are_told_theirs_is_a_trial_run(services: Services) -> None:
    session = await new_session(services)
    assert await offered(services, session.join_code, COORDINATOR) == Consent(
        session, trial=True, lang="fi"
    )


async def test_a_wrong_or_closed_code_offers_nothing(services: Services, clock: Clock) -> None:
    session = await new_session(services)
    assert await offered(services, "ZZZZZZ") is NotOffered.UNKNOWN_CODE
    await services.sessions.close_session(session.id, clock())
    assert await offered(services, session.join_code) is NotOffered.CLOSED
    # A typed code stops working when its session closes: it could be guessed.
    assert await offered(services, session.short_code) is NotOffered.UNKNOWN_CODE


async def test_five_wrong_codes_refuse_the_person_for_ten_minutes(
    services: Services, clock: Clock
) -> None:
    session = await new_session(services)
    for _ in range(5):
        assert await offered(services, "ZZZZZZ") is NotOffered.UNKNOWN_CODE
    assert await offered(services, session.join_code) is Refusal.PERSON  # even a right one
    assert await offered(services, session.join_code, OTHER) == Consent(
        session, trial=False, lang="fi"
    )
    clock.now += timedelta(minutes=10)
    assert await offered(services, session.join_code) == Consent(session, trial=False, lang="fi")


async def test_many_wrong_typed_codes_refuse_everyone_but_links_work(services: Services) -> None:
    session = await new_session(services)
    for user_id in range(100):  # 100 people, one wrong code each
        assert await offered(services, "ZZZZZZ", 5000 + user_id) is NotOffered.UNKNOWN_CODE
    assert await offered(services, session.short_code) is Refusal.EVERYONE
    assert await offered(services, session.join_code) == Consent(session, trial=False, lang="fi")


async def test_consent_starts_the_check_in_and_counts_it(services: Services) -> None:
    session = await new_session(services)
    person = await who(services)
    given = await consent.give_consent(services, person, session.join_code, CONSENT_MESSAGE)
    assert isinstance(given, Started)
    assert given.touched == session.id
    assert (given.draft.session_id, given.draft.first_message_id) == (session.id, CONSENT_MESSAGE)
    assert (await who(services)).draft == given.draft.on_the_hour()
    counts = await services.sessions.counts(session.id)
    assert counts.in_progress == 1


async def test_a_second_tap_on_start_does_nothing(services: Services) -> None:
    session = await new_session(services)
    await started(services, session)
    person = await who(services)
    assert person.draft is not None
    assert await consent.give_consent(services, person, session.join_code, 9) is None
    assert await offered(services, session.join_code) == GoingOn(person.draft)
    assert (await services.sessions.counts(session.id)).in_progress == 1


async def test_consent_after_the_session_closed_meanwhile_starts_nothing(
    services: Services, clock: Clock
) -> None:
    session = await new_session(services)
    person = await who(services)
    assert await offered(services, session.join_code) == Consent(session, trial=False, lang="fi")
    await services.sessions.close_session(session.id, clock())  # while the consent is shown
    given = await consent.give_consent(services, person, session.join_code, CONSENT_MESSAGE)
    assert given is NotOffered.CLOSED
    assert (await who(services)).draft is None
    assert (await services.sessions.counts(session.id)).in_progress == 0


async def test_a_second_set_in_the_same_session_is_not_offered(services: Services) -> None:
    session = await new_session(services)
    person = await started(services, session)
    draft = await answered_all(services, person)
    assert (await answering.send(services, person, draft)).outcome is Sent.STORED
    assert await offered(services, session.join_code) is NotOffered.ALREADY_ANSWERED
    again = await consent.give_consent(
        services, await who(services), session.join_code, CONSENT_MESSAGE
    )
    assert again is NotOffered.ALREADY_ANSWERED
    assert (await who(services)).draft is None


async def test_another_sessions_code_while_answering_names_the_unfinished_one(
    services: Services,
) -> None:
    first, second = await new_session(services, "Aamu"), await new_session(services, "Ilta")
    await started(services, first)
    person = await who(services)
    assert person.draft is not None
    elsewhere = UnfinishedElsewhere("Aamu", person.draft)
    assert await offered(services, second.join_code) == elsewhere
    given = await consent.give_consent(services, person, second.join_code, CONSENT_MESSAGE)
    assert isinstance(given, UnfinishedElsewhere)
    assert (await who(services)).draft == person.draft  # the first goes on


async def test_a_staff_members_trial_is_kept_in_memory_and_never_counted(
    services: Services,
) -> None:
    session: Session = await new_session(services)
    person = await started(services, session, COORDINATOR)
    assert person.trial
    assert (await services.sessions.counts(session.id)).in_progress == 0
    assert await services.drafts.draft_for(person.key) is None  # nothing in the database
    assert (await who(services, COORDINATOR)).draft is not None


# The session decides the language


async def stored_texts(services: Services) -> list[tuple[str, str]]:
    """The language and status of each waiting set: the instrument text it was answered in."""
    rows = await services.sessions.store.all("SELECT lang, instrument_status FROM pending_set")
    return [(row[0], row[1]) for row in rows]


async def test_an_english_app_starts_a_finnish_session_in_finnish_and_the_set_is_official(
    services: Services,
) -> None:
    session = await new_session(services, lang="fi")
    person = await who(services, telegram="en")
    assert person.lang == "en"  # outside a check-in, the app's language
    assert await offered_to(services, person, session) == Consent(session, trial=False, lang="fi")
    given = await consent.give_consent(services, person, session.join_code, CONSENT_MESSAGE, "fi")
    assert isinstance(given, Started)
    assert given.draft.lang == "fi"
    assert (await who(services, telegram="en")).lang == "fi"  # the check-in's language holds
    draft = await answered_all(services, person)
    assert (await answering.send(services, person, draft)).outcome is Sent.STORED
    assert await stored_texts(services) == [("fi", "official")]


async def test_a_finnish_app_starts_a_swedish_session_in_swedish(services: Services) -> None:
    session = await new_session(services, lang="sv")
    person = await who(services, telegram="fi")
    assert await offered_to(services, person, session) == Consent(session, trial=False, lang="sv")
    # A Start button from before sessions had a language starts in the session's too.
    given = await consent.give_consent(services, person, session.join_code, CONSENT_MESSAGE)
    assert isinstance(given, Started)
    assert given.draft.lang == "sv"


async def test_the_sessions_language_wins_over_an_earlier_choice_at_each_new_join(
    services: Services,
) -> None:
    first, second = await new_session(services, "Aamu", "fi"), await new_session(services, "Ilta")
    person = await who(services, telegram="fi")
    await participants.choose_language(services, person, "en")  # chosen earlier, with /language
    assert await offered_to(services, person, first) == Consent(first, trial=False, lang="fi")
    # Switched on the consent: the consent and the check-in are in the chosen language.
    assert await consent.consent_for(services, person, first, "sv") == Consent(
        first, trial=False, lang="sv"
    )
    given = await consent.give_consent(services, person, first.join_code, CONSENT_MESSAGE, "sv")
    assert isinstance(given, Started)
    assert given.draft.lang == "sv"
    # Switched during the check-in: it holds for this check-in.
    await participants.choose_language(services, person, "en")
    person = await who(services, telegram="fi")
    assert person.draft is not None
    assert (person.lang, person.draft.lang) == ("en", "en")
    draft = await answered_all(services, person)
    assert (await answering.send(services, person, draft)).outcome is Sent.STORED
    assert await stored_texts(services) == [("en", "provisional")]
    # The next session starts in its own language again.
    person = await who(services, telegram="fi")
    assert await offered_to(services, person, second) == Consent(second, trial=False, lang="fi")


async def test_a_session_whose_language_lost_its_statements_starts_in_finnish(
    services: Services,
) -> None:
    session = await new_session(services, lang="sv")
    del services.instruments["sv"]
    person = await who(services, telegram="sv")
    assert await offered_to(services, person, session) == Consent(session, trial=False, lang="fi")
    given = await consent.give_consent(services, person, session.join_code, CONSENT_MESSAGE, "sv")
    assert isinstance(given, Started)
    assert given.draft.lang == "fi"


async def offered_to(services: Services, person: Participant, session: Session) -> consent.Offer:
    return await consent.offer(
        services, person, await consent.look_up(services, person, session.join_code)
    )
