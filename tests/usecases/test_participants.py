"""Who is writing, their language, expiry, /stop and /delete, decided without Telegram
against a real database."""

from datetime import timedelta

from bot.usecases import answering, participants
from bot.usecases.answering import Sent
from bot.usecases.services import Services
from tests.usecases.checkins import OTHER, PERSON, answered_all, new_session, started, who
from tests.usecases.conftest import COORDINATOR
from tests.worlds import Clock


async def test_the_language_is_the_choice_else_telegrams_else_finnish(services: Services) -> None:
    assert (await who(services, telegram="sv")).lang == "sv"
    assert (await who(services, telegram="de")).lang == "fi"
    assert (await who(services, telegram=None)).lang == "fi"
    await participants.choose_language(services, await who(services), "en")
    assert (await who(services, telegram="sv")).lang == "en"
    assert (await who(services, OTHER, telegram="sv")).lang == "sv"  # nobody else's choice
    assert await services.language_of(PERSON, "sv") == "en"


async def test_a_check_in_goes_on_in_the_language_chosen_meanwhile(services: Services) -> None:
    person = await started(services, await new_session(services))
    assert person.draft is not None
    assert person.draft.lang == "fi"
    await participants.choose_language(services, person, "sv")
    again = await who(services, telegram="en")
    assert again.lang == "sv"
    assert again.draft is not None
    assert again.draft.lang == "sv"
    assert await services.drafts.draft_for(again.key) == again.draft


async def test_a_check_in_that_waited_too_long_is_deleted_when_the_person_writes(
    services: Services, clock: Clock
) -> None:
    session = await new_session(services)
    await started(services, session)
    clock.now += services.draft_ttl - timedelta(minutes=1)
    still = await who(services)
    assert (still.draft is not None, still.expired, still.touched) == (True, False, None)
    clock.now += timedelta(hours=1) + timedelta(minutes=1)  # stored to the hour only
    late = await who(services)
    assert (late.draft, late.expired, late.touched) == (None, True, session.id)
    assert (await services.sessions.counts(session.id)).in_progress == 0
    assert not (await who(services)).expired  # said once


async def test_a_staff_trial_that_expires_changes_no_count(
    services: Services, clock: Clock
) -> None:
    await started(services, await new_session(services), COORDINATOR)
    clock.now += services.draft_ttl + timedelta(hours=2)
    late = await who(services, COORDINATOR)
    assert (late.draft, late.expired, late.touched) == (None, True, None)


async def test_stop_deletes_the_answers_and_says_which_count_changed(services: Services) -> None:
    session = await new_session(services)
    person = await started(services, session)
    ended = await participants.stop(person)
    assert ended is not None
    assert ended.touched == session.id
    assert (await who(services)).draft is None
    assert (await services.sessions.counts(session.id)).in_progress == 0
    assert await participants.stop(await who(services)) is None


async def test_forget_me_deletes_draft_language_and_markers_but_not_the_set(
    services: Services,
) -> None:
    sent, going = await new_session(services, "Sent"), await new_session(services, "Going")
    person = await started(services, sent)
    draft = await answered_all(services, person)
    assert (await answering.send(services, person, draft)).outcome is Sent.STORED
    await participants.choose_language(services, await who(services), "en")
    await started(services, going)
    forgotten = await participants.forget(services, await who(services))
    assert forgotten.removed
    assert forgotten.ended is not None
    assert forgotten.ended.touched == going.id
    assert (await who(services, telegram="sv")).lang == "sv"  # the choice is gone
    assert (await who(services)).draft is None
    marker = services.pseudonyms.in_session(PERSON, sent.id)
    assert not await services.answer_sets.has_participated(sent.id, marker)
    assert (await services.sessions.counts(sent.id)).complete == 1  # anonymous: it stays
    nothing = await participants.forget(services, await who(services))
    assert (nothing.removed, nothing.ended) == (False, None)


async def test_forget_me_ends_a_staff_trial_too(services: Services) -> None:
    await started(services, await new_session(services), COORDINATOR)
    forgotten = await participants.forget(services, await who(services, COORDINATOR))
    assert forgotten.ended is not None
    assert forgotten.ended.touched is None  # a trial never counted
    assert not forgotten.removed  # nothing of it was ever stored
    assert (await who(services, COORDINATOR)).draft is None
