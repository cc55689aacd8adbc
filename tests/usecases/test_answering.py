"""Answering and sending: steps, the grace period after a session closes, one set a person
in a session, and staff trial runs, decided without Telegram against a real database."""

from dataclasses import replace
from datetime import timedelta

from bot.core.checkin import Rejected, Stage
from bot.usecases import answering
from bot.usecases.answering import Sending, Sent
from bot.usecases.services import Services
from tests.usecases.checkins import answered_all, new_session, started, who
from tests.usecases.conftest import COORDINATOR
from tests.worlds import Clock


async def test_typed_words_answer_only_as_an_option(services: Services) -> None:
    person = await started(services, await new_session(services))
    draft = person.draft
    assert draft is not None
    assert answering.answer(services, draft, "maybe") is Rejected.BAD_VALUE
    options = services.instruments["fi"].options
    step = answering.answer(services, draft, f"  {options[4].upper()} ")
    assert not isinstance(step, Rejected)
    assert step.answers[0] == 5
    assert answering.back(services, draft) is Rejected.AT_FIRST


async def test_a_saved_step_has_no_live_prompt_until_one_is_shown(services: Services) -> None:
    person = await started(services, await new_session(services))
    person.shown(42)
    draft = person.draft
    assert draft is not None
    options = services.instruments["fi"].options
    step = answering.answer(services, replace(draft, prompt_message_id=42), options[0])
    assert not isinstance(step, Rejected)
    saved = await answering.save_step(services, person, step)
    assert saved.prompt_message_id is None
    assert (await who(services)).draft == saved.on_the_hour()


async def test_the_review_changes_one_answer(services: Services) -> None:
    person = await started(services, await new_session(services))
    draft = await answered_all(services, person)
    assert draft.stage is Stage.REVIEW
    back = answering.change(services, draft, 3)
    assert not isinstance(back, Rejected)
    assert (back.stage, back.position) == (Stage.ASKING, 3)


async def test_a_set_is_stored_once_and_counted(services: Services) -> None:
    session = await new_session(services)
    person = await started(services, session)
    draft = await answered_all(services, person)
    assert await answering.send(services, person, draft) == Sending(Sent.STORED, session.id)
    counts = await services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (1, 0)
    assert (await who(services)).draft is None


async def test_an_unfinished_set_is_not_sent(services: Services) -> None:
    person = await started(services, await new_session(services))
    assert person.draft is not None
    assert await answering.send(services, person, person.draft) == Sending(Sent.NOT_READY)


async def test_a_second_set_in_the_same_session_is_not_counted(services: Services) -> None:
    session = await new_session(services)
    person = await started(services, session)
    draft = await answered_all(services, person)
    await answering.send(services, person, draft)
    # The same check-in sent again (say from a second phone that kept the review).
    await services.drafts.save_draft(person.key, b"k" * 32, draft)
    again = await answering.send(services, await who(services), draft)
    assert again == Sending(Sent.ALREADY_ANSWERED)
    assert (await services.sessions.counts(session.id)).complete == 1
    assert (await who(services)).draft is None


async def test_people_already_answering_may_finish_within_the_grace_period(
    services: Services, clock: Clock
) -> None:
    session = await new_session(services)
    person = await started(services, session)
    draft = await answered_all(services, person)
    await services.sessions.close_session(session.id, clock())
    clock.now += services.close_grace
    assert await answering.send(services, person, draft) == Sending(Sent.STORED, session.id)
    assert (await services.sessions.counts(session.id)).complete == 1


async def test_after_the_grace_period_the_answers_are_deleted_uncounted(
    services: Services, clock: Clock
) -> None:
    session = await new_session(services)
    person = await started(services, session)
    draft = await answered_all(services, person)
    await services.sessions.close_session(session.id, clock())
    clock.now += services.close_grace + timedelta(seconds=1)
    assert await answering.send(services, person, draft) == Sending(Sent.CLOSED, session.id)
    counts = await services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (0, 0)
    assert (await who(services)).draft is None


async def test_staff_answers_never_count(services: Services) -> None:
    session = await new_session(services)
    person = await started(services, session, COORDINATOR)
    draft = await answered_all(services, person)
    assert await answering.send(services, person, draft) == Sending(Sent.TRIAL_OVER)
    counts = await services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (0, 0)
    assert await services.blocks.held_back() == {}
    assert (await who(services, COORDINATOR)).draft is None
