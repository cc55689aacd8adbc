"""Who is staff and what they may do: coordinators from the settings, facilitators by
invitation, the rules every member accepts, and removing facilitators.

The chat calls these and renders what they return; nothing here makes words or speaks to
Telegram. Staff never see who answered: only counts and group sessions.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import staff_flow
from bot.core.staff import Invitation, StaffMember
from bot.core.staff_flow import Flow, Step
from bot.usecases.services import Services

INVITATION_DAYS = 7
"""How long an invitation link works."""
FLOW_LIFETIME = timedelta(days=1)
"""A staff question left unanswered this long is forgotten."""


@dataclass(frozen=True, slots=True)
class StaffRole:
    """A coordinator or facilitator acting now."""

    user_id: int
    name: str
    coordinator: bool
    rules_accepted: bool


async def role(
    services: Services, user_id: int, first_name: str, now: datetime
) -> StaffRole | None:
    """The person's staff role, or None: they are not staff, or a removed facilitator.

    Coordinators come from the settings and need no invitation: the first time they use the
    bot they are added as members, with their Telegram first name.
    """
    coordinator = user_id in services.settings.coordinators
    if coordinator:
        await services.staff.ensure_member(user_id, first_name, now)
    member = await services.staff.member(user_id)
    if member is None or (member.removed and not coordinator):
        return None
    return StaffRole(user_id, member.name, coordinator, member.rules_accepted)


async def accept_rules(services: Services, user_id: int, now: datetime) -> None:
    """The member has read and confirmed the rules: staff commands open for them."""
    await services.staff.accept_rules(user_id, now)


async def speaks_in_groups(services: Services, user_id: int) -> bool:
    """Whether the bot answers this person in a group chat: a member, not removed, who has
    accepted the rules. To anyone else the bot says nothing in a group."""
    member = await services.staff.member(user_id)
    return member is not None and not member.removed and member.rules_accepted


# Invitations


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """A one-time invitation: its token goes into the link, only its hash is stored."""

    token: str
    days: int


async def invite(services: Services, by: StaffRole, now: datetime) -> NewInvitation | None:
    """A new invitation made by a coordinator; None for a facilitator (they cannot invite)."""
    if not by.coordinator:
        return None
    token = secrets.token_urlsafe(16)
    await services.staff.add_invitation(
        token, by.user_id, now, now + timedelta(days=INVITATION_DAYS)
    )
    return NewInvitation(token, INVITATION_DAYS)


@dataclass(frozen=True, slots=True)
class AlreadyStaff:
    """The person who opened an invitation is a coordinator or facilitator already."""


async def open_invitation(
    services: Services, user_id: int, token: str, now: datetime
) -> Invitation | AlreadyStaff:
    """Check an opened invitation; when it is valid, the person is asked for their name next
    (the invitation is used only when they give it)."""
    if await services.is_staff(user_id):
        return AlreadyStaff()
    status = await services.staff.invitation(token, now)
    if status is Invitation.VALID:
        await services.staff.save_flow(user_id, staff_flow.naming(token, now))
    return status


async def name_oneself(
    services: Services, user_id: int, flow: Flow, text: str, now: datetime
) -> Invitation:
    """The invited person's name: the invitation is used and they become a facilitator
    (VALID), or it says why not. Either way the question ends. A name that is empty or too
    long raises BadLabel and the question still waits."""
    name = staff_flow.clean_name(text)
    assert flow.token is not None
    status = await services.staff.accept_invitation(flow.token, user_id, name, now)
    await services.staff.end_flow(user_id)
    return status


# Typed answers to staff questions


async def question_waiting(
    services: Services, user_id: int, text: str, now: datetime
) -> Flow | None:
    """The staff question this typed text answers, or None when the text is not for the staff
    side: no typed answer is awaited, it is a press on the keyboard of a check-in the person
    is answering themselves (the question still waits), or the question is older than
    FLOW_LIFETIME (it is forgotten)."""
    flow = await services.staff.flow(user_id)
    if flow is None or flow.step not in staff_flow.TEXT_STEPS:
        return None
    if services.is_check_in_key(text) and await services.answering(user_id):
        return None
    if now - flow.updated_at > FLOW_LIFETIME:
        await services.staff.end_flow(user_id)
        return None
    return flow


def text_limit(step: Step) -> int:
    """The most characters a typed answer to this step may have."""
    return {Step.NAME: staff_flow.MAX_NAME, Step.ACTIVITY_NAME: staff_flow.MAX_ACTIVITY}.get(
        step, 100
    )


async def cancel(services: Services, user_id: int) -> bool:
    """Forget the person's unfinished staff question; False if there was none."""
    if await services.staff.flow(user_id) is None:
        return False
    await services.staff.end_flow(user_id)
    return True


# Facilitators


async def facilitators(services: Services, by: StaffRole) -> list[StaffMember] | None:
    """The active facilitators, by name, for a coordinator; None for a facilitator."""
    if not by.coordinator:
        return None
    return await services.staff.facilitators(services.settings.coordinators)


async def removable(services: Services, by: StaffRole, telegram_id: int) -> StaffMember | None:
    """The facilitator a coordinator may remove; None if `by` is not a coordinator or the
    person is not a member, or removed already."""
    member = await services.staff.member(telegram_id)
    if not by.coordinator or member is None or member.removed:
        return None
    return member


@dataclass(frozen=True, slots=True)
class Removal:
    """A facilitator removed: their open sessions closed, and their sessions whose count
    message should show the counts one last time and then stop."""

    member: StaffMember
    counted_sessions: list[int]


async def remove_facilitator(
    services: Services, by: StaffRole, telegram_id: int, now: datetime
) -> Removal | None:
    """Remove a facilitator (see `removable`); their sessions and answers stay."""
    member = await removable(services, by, telegram_id)
    if member is None:
        return None
    return Removal(member, await services.staff.remove(telegram_id, now))
