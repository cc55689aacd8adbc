"""Upkeep: what time alone changes, on a real database."""

from datetime import timedelta

from bot.usecases import answering
from bot.usecases.answering import Sent
from bot.usecases.services import Services
from bot.usecases.sessions import close_session
from bot.usecases.upkeep import upkeep
from tests.usecases.checkins import answered_all, new_session, started, who
from tests.worlds import Clock


async def test_an_unfinished_check_in_goes_when_it_waited_too_long(
    services: Services, clock: Clock
) -> None:
    session = await new_session(services)
    await started(services, session)

    clock.now += services.draft_ttl  # kept for the hour of its last answer, and `ttl` more
    kept = await upkeep(services)
    assert kept.expired == 0
    assert kept.touched == set()
    assert (await who(services)).draft is not None

    clock.now += timedelta(hours=1)
    done = await upkeep(services)
    assert done.expired == 1
    assert done.touched == {session.id}
    assert (await who(services)).draft is None


async def test_a_closed_sessions_unfinished_answers_go_after_the_grace_period(
    services: Services, clock: Clock
) -> None:
    session = await new_session(services)
    await started(services, session)
    await close_session(services, session.id, clock.now)

    clock.now += services.close_grace - timedelta(seconds=1)
    assert (await upkeep(services)).touched == set()
    assert (await who(services)).draft is not None

    clock.now += timedelta(seconds=2)
    done = await upkeep(services)
    assert done.touched == {session.id}
    assert done.expired == 0
    assert (await who(services)).draft is None


async def test_a_closed_sessions_sets_are_released_together_after_the_grace_period(
    services: Services, clock: Clock
) -> None:
    session = await new_session(services)
    for user_id in range(2000, 2000 + services.settings.min_group_size):
        person = await started(services, session, user_id)
        sending = await answering.send(services, person, await answered_all(services, person))
        assert sending.outcome is Sent.STORED
    await close_session(services, session.id, clock.now)

    assert (await upkeep(services)).released == set()  # people may still be answering
    clock.now += services.close_grace + timedelta(seconds=1)
    assert (await upkeep(services)).released == {session.id}
    assert (await upkeep(services)).released == set()  # released once
