"""Who is staff: coordinators from the settings, facilitators by a one-time invitation, the
rules, and removal, decided without Telegram against a real database."""

from datetime import timedelta

import pytest

from bot.core import staff_flow
from bot.core.sessions import BadLabel
from bot.core.staff import Invitation
from bot.core.staff_flow import Step
from bot.usecases import sessions, staff
from bot.usecases.services import Services
from bot.usecases.staff import StaffRole
from tests.usecases.conftest import COORDINATOR
from tests.worlds import Clock

FACILITATOR, OTHER = 20, 30


async def coordinator(services: Services) -> StaffRole:
    role = await staff.role(services, COORDINATOR, "Kaisa", services.clock())
    assert role is not None
    return role


async def invited(services: Services, user_id: int, name: str) -> StaffRole:
    """A person who opened a coordinator's invitation and gave their name."""
    invitation = await staff.invite(services, await coordinator(services), services.clock())
    assert invitation is not None
    assert await staff.open_invitation(services, user_id, invitation.token, services.clock()) is (
        Invitation.VALID
    )
    flow = await services.staff.flow(user_id)
    assert flow is not None
    assert await staff.name_oneself(services, user_id, flow, name, services.clock()) is (
        Invitation.VALID
    )
    role = await staff.role(services, user_id, "telegram name", services.clock())
    assert role is not None
    return role


async def test_a_coordinator_comes_from_the_settings_and_anyone_else_is_not_staff(
    services: Services,
) -> None:
    role = await coordinator(services)
    assert role == StaffRole(COORDINATOR, "Kaisa", coordinator=True, rules_accepted=False)
    assert await staff.role(services, OTHER, "Pekka", services.clock()) is None
    assert await services.staff.member(OTHER) is None  # nobody else is added by asking


async def test_rules_are_accepted_once_and_then_the_bot_answers_in_groups(
    services: Services,
) -> None:
    role = await invited(services, FACILITATOR, "Marja")
    assert not role.rules_accepted
    assert not await staff.speaks_in_groups(services, FACILITATOR)
    await staff.accept_rules(services, FACILITATOR, services.clock())
    accepted = await staff.role(services, FACILITATOR, "telegram name", services.clock())
    assert accepted is not None
    assert accepted.rules_accepted
    assert await staff.speaks_in_groups(services, FACILITATOR)
    assert not await staff.speaks_in_groups(services, OTHER)


async def test_an_invitation_makes_a_facilitator_by_the_name_they_give_once_only(
    services: Services,
) -> None:
    role = await invited(services, FACILITATOR, "  Marja   Virtanen ")
    assert role == StaffRole(
        FACILITATOR, "Marja Virtanen", coordinator=False, rules_accepted=False
    )
    assert await services.staff.flow(FACILITATOR) is None  # the question has ended


async def test_an_invitation_is_used_up_by_its_first_name(services: Services) -> None:
    invitation = await staff.invite(services, await coordinator(services), services.clock())
    assert invitation is not None
    now = services.clock()
    for person in (FACILITATOR, OTHER):  # both open it before either gives a name
        assert await staff.open_invitation(services, person, invitation.token, now) is (
            Invitation.VALID
        )
    flows = [await services.staff.flow(person) for person in (FACILITATOR, OTHER)]
    assert flows[0] is not None
    assert flows[1] is not None
    assert await staff.name_oneself(services, FACILITATOR, flows[0], "Marja", now) is (
        Invitation.VALID
    )
    assert await staff.name_oneself(services, OTHER, flows[1], "Pekka", now) is Invitation.USED
    assert await staff.role(services, OTHER, "Pekka", now) is None
    assert await services.staff.flow(OTHER) is None
    assert await staff.open_invitation(services, 40, invitation.token, now) is Invitation.USED
    assert await services.staff.flow(40) is None  # nobody is asked for a name any more


async def test_an_invitation_expires_after_its_days_and_an_unknown_one_does_nothing(
    services: Services, clock: Clock
) -> None:
    invitation = await staff.invite(services, await coordinator(services), clock())
    assert invitation is not None
    assert invitation.days == staff.INVITATION_DAYS
    unknown = await staff.open_invitation(services, OTHER, "no-such-token", clock())
    assert unknown is Invitation.UNKNOWN
    clock.now += timedelta(days=staff.INVITATION_DAYS)
    expired = await staff.open_invitation(services, OTHER, invitation.token, clock())
    assert expired is Invitation.EXPIRED
    assert await services.staff.flow(OTHER) is None


async def test_an_invitation_given_no_name_before_it_expires_is_not_used(
    services: Services, clock: Clock
) -> None:
    invitation = await staff.invite(services, await coordinator(services), clock())
    assert invitation is not None
    await staff.open_invitation(services, OTHER, invitation.token, clock())
    flow = await services.staff.flow(OTHER)
    assert flow is not None
    clock.now += timedelta(days=staff.INVITATION_DAYS)
    assert await staff.name_oneself(services, OTHER, flow, "Pekka", clock()) is (
        Invitation.EXPIRED
    )
    assert await staff.role(services, OTHER, "Pekka", clock()) is None


async def test_a_name_that_is_empty_or_too_long_is_asked_again(services: Services) -> None:
    invitation = await staff.invite(services, await coordinator(services), services.clock())
    assert invitation is not None
    await staff.open_invitation(services, OTHER, invitation.token, services.clock())
    flow = await services.staff.flow(OTHER)
    assert flow is not None
    for name in ("   ", "x" * (staff_flow.MAX_NAME + 1)):
        with pytest.raises(BadLabel):
            await staff.name_oneself(services, OTHER, flow, name, services.clock())
    assert await services.staff.flow(OTHER) == flow  # still waiting for the name
    assert staff.text_limit(Step.NAME) == staff_flow.MAX_NAME
    assert staff.text_limit(Step.ACTIVITY_NAME) == staff_flow.MAX_ACTIVITY
    assert staff.text_limit(Step.LABEL) == 100


async def test_only_coordinators_invite_and_staff_cannot_open_invitations(
    services: Services,
) -> None:
    facilitator = await invited(services, FACILITATOR, "Marja")
    assert await staff.invite(services, facilitator, services.clock()) is None
    invitation = await staff.invite(services, await coordinator(services), services.clock())
    assert invitation is not None
    for member in (FACILITATOR, COORDINATOR):
        opened = await staff.open_invitation(services, member, invitation.token, services.clock())
        assert opened == staff.AlreadyStaff()
    assert await staff.open_invitation(services, OTHER, invitation.token, services.clock()) is (
        Invitation.VALID  # not used by the members' tries
    )


async def test_a_removed_facilitator_loses_access_and_their_open_sessions_close(
    services: Services,
) -> None:
    boss = await coordinator(services)
    facilitator = await invited(services, FACILITATOR, "Marja")
    await staff.accept_rules(services, FACILITATOR, services.clock())
    session = await sessions.create_session(
        services.sessions, "Ryhmä", services.clock(), owner_id=FACILITATOR
    )
    await services.sessions.set_count_message(session.id, FACILITATOR, 99, "fi", "0")
    assert await staff.remove_facilitator(
        services, facilitator, COORDINATOR, services.clock()
    ) is (
        None  # a facilitator removes nobody
    )
    assert await staff.facilitators(services, facilitator) is None
    assert [m.name for m in await staff.facilitators(services, boss) or []] == ["Marja"]

    removal = await staff.remove_facilitator(services, boss, FACILITATOR, services.clock())

    assert removal is not None
    assert removal.member.name == "Marja"
    assert removal.counted_sessions == [session.id]
    assert await staff.role(services, FACILITATOR, "Marja", services.clock()) is None
    assert not await staff.speaks_in_groups(services, FACILITATOR)
    assert not await services.is_staff(FACILITATOR)
    assert await staff.facilitators(services, boss) == []
    closed = await services.sessions.session_by_id(session.id)
    assert closed is not None
    assert closed.closed
    assert await staff.removable(services, boss, FACILITATOR) is None  # once only
    assert await staff.remove_facilitator(services, boss, FACILITATOR, services.clock()) is None


async def test_a_removed_facilitator_invited_again_is_staff_again(services: Services) -> None:
    boss = await coordinator(services)
    await invited(services, FACILITATOR, "Marja")
    await staff.remove_facilitator(services, boss, FACILITATOR, services.clock())
    assert await staff.role(services, FACILITATOR, "Marja", services.clock()) is None
    assert await invited(services, FACILITATOR, "Marja V") is not None


async def test_a_typed_answer_goes_to_the_question_waiting_for_a_day_only(
    services: Services, clock: Clock
) -> None:
    assert await staff.question_waiting(services, OTHER, "Marja", clock()) is None
    invitation = await staff.invite(services, await coordinator(services), clock())
    assert invitation is not None
    await staff.open_invitation(services, OTHER, invitation.token, clock())
    waiting = await staff.question_waiting(services, OTHER, "Marja", clock())
    assert waiting is not None
    assert waiting.step is Step.NAME
    clock.now += staff.FLOW_LIFETIME + timedelta(seconds=1)
    assert await staff.question_waiting(services, OTHER, "Marja", clock()) is None
    assert await services.staff.flow(OTHER) is None  # forgotten


async def test_a_button_question_takes_no_typed_answer_and_cancel_ends_it(
    services: Services,
) -> None:
    await coordinator(services)
    await sessions.begin_new_session(services, COORDINATOR, services.clock())
    assert await staff.question_waiting(services, COORDINATOR, "Ryhmä", services.clock()) is None
    assert await staff.cancel(services, COORDINATOR)
    assert await services.staff.flow(COORDINATOR) is None
    assert not await staff.cancel(services, COORDINATOR)
