"""Group sessions as staff and the command line make them: creating (through the questions
of /new in the chat), listing and closing, and who may close which."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core import staff_flow
from bot.core.codes import new_join_code, new_short_code
from bot.core.sessions import (
    DEFAULT_LANGUAGE,
    Session,
    SessionCounts,
    SessionKind,
    UnknownLanguage,
    clean_label,
)
from bot.core.staff import Activity
from bot.core.staff_flow import Flow, Step, WrongStep
from bot.storage.sessions import SessionRepository
from bot.usecases.services import Services
from bot.usecases.staff import StaffRole

ATTEMPTS = 5


async def create_session(
    repo: SessionRepository,
    label: str,
    now: datetime,
    *,
    owner_id: int | None = None,
    activity: int | str | None = None,
    kind: SessionKind = SessionKind.SINGLE,
    start_session_id: int | None = None,
    closes_at: datetime | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> Session:
    """Store a new session with fresh codes (retrying the rare clash of a short code).

    `activity` is an existing activity's id, or the name of a new one that is created in the
    same transaction, so nothing half-made is left behind. Everyone who joins starts in
    `lang` (see `session_language`).
    """
    cleaned = clean_label(label)

    async def attempt() -> Session:
        return await repo.create_session(
            cleaned,
            new_join_code(),
            new_short_code(),
            now,
            owner_id=owner_id,
            activity=activity,
            kind=kind,
            start_session_id=start_session_id,
            closes_at=closes_at,
            lang=lang,
        )

    for _ in range(ATTEMPTS - 1):
        try:
            return await attempt()
        except sqlite3.IntegrityError:
            continue
    return await attempt()


def session_language(services: Services, lang: str) -> str:
    """`lang` if it has statements, so that a session can be in it; UnknownLanguage, naming
    the languages that have them, if not."""
    if lang not in services.instruments:
        offered = ", ".join(services.offered)
        raise UnknownLanguage(f"there are no statements in {lang!r}: choose one of {offered}")
    return lang


# Staff's sessions


async def list_sessions(
    services: Services, by: StaffRole | None, *, open_only: bool = False, limit: int = 20
) -> list[tuple[Session, SessionCounts]]:
    """Sessions with their counts, newest first: a facilitator's own; everyone's for a
    coordinator, or on the command line (`by` None)."""
    owner = None if by is None or by.coordinator else by.user_id
    return await services.staff.sessions(owner, open_only=open_only, limit=limit)


async def own_open_sessions(services: Services, user_id: int, limit: int) -> list[Session]:
    """The member's own open sessions, newest first (coordinators' too: never others')."""
    listed = await services.staff.sessions(user_id, open_only=True, limit=limit)
    return [session for session, _ in listed]


class Closing(StrEnum):
    """What asking to close a session did."""

    CLOSED = "closed"
    ALREADY_CLOSED = "already_closed"
    UNKNOWN = "unknown"
    NOT_YOURS = "not_yours"
    """A facilitator may close only their own sessions."""


@dataclass(frozen=True, slots=True)
class Closed:
    """The outcome of closing, with the session as it was asked for (None if unknown)."""

    result: Closing
    session: Session | None


async def closable(services: Services, by: StaffRole, session_id: int) -> Session | None:
    """The open session `by` may close: their own, or anyone's for a coordinator."""
    session = await services.sessions.session_by_id(session_id)
    if session is None or session.closed:
        return None
    if not by.coordinator and session.owner_id != by.user_id:
        return None
    return session


async def close_session(
    services: Services, session_id: int, now: datetime, by: StaffRole | None = None
) -> Closed:
    """Close a session to new joins; people already answering have the grace period.

    In the chat `by` is the member asking (see `closable`); on the server's command line it
    is None and any session may be closed.
    """
    session = await services.sessions.session_by_id(session_id)
    if session is None:
        return Closed(Closing.UNKNOWN, None)
    if by is not None and not by.coordinator and session.owner_id != by.user_id:
        return Closed(Closing.NOT_YOURS, session)
    if not await services.sessions.close_session(session_id, now):
        return Closed(Closing.ALREADY_CLOSED, session)
    return Closed(Closing.CLOSED, session)


# The count message


@dataclass(frozen=True, slots=True)
class CountMessage:
    """A session's count message: where it is, its language and what it shows now, with the
    counts it should show."""

    session: Session
    chat_id: int
    message_id: int
    lang: str
    shown: str
    counts: SessionCounts


async def count_message(services: Services, session_id: int) -> CountMessage | None:
    """The session's count message, or None when none is kept up to date: it was never
    posted, or its facilitator was removed."""
    session = await services.sessions.session_by_id(session_id)
    shown = await services.sessions.count_shown(session_id)
    if (
        session is None
        or shown is None
        or session.count_chat_id is None
        or session.count_message_id is None
    ):
        return None
    lang, text = shown
    counts = await services.sessions.counts(session_id)
    return CountMessage(
        session, session.count_chat_id, session.count_message_id, lang, text, counts
    )


# /new: the questions, then the session


@dataclass(frozen=True, slots=True)
class Question:
    """The next question of /new, with what its buttons offer: the member's activities for
    the first question, the start sessions of the activity for an end session's, and the
    languages with statements, Finnish first, for the session's language."""

    flow: Flow
    activities: list[Activity] = field(default_factory=list)
    starts: list[Session] = field(default_factory=list)
    languages: tuple[str, ...] = ()


async def begin_new_session(services: Services, user_id: int, now: datetime) -> Question:
    """/new: the first question, which activity the session belongs to."""
    flow = staff_flow.new_session(now)
    await services.staff.save_flow(user_id, flow)
    return Question(flow, activities=await services.staff.activities(user_id))


async def pick_activity(
    services: Services, user_id: int, flow: Flow, activity_id: int | None, now: datetime
) -> Flow:
    """One of the member's own activities, or None for a new one; WrongStep for another's."""
    if activity_id is not None and activity_id not in {
        a.id for a in await services.staff.activities(user_id)
    }:
        raise WrongStep("activity")
    return staff_flow.pick_activity(flow, activity_id, now)


async def pick_start(
    services: Services, flow: Flow, session_id: int | None, now: datetime
) -> Flow:
    """The start session an end session is compared with: a start session of the same
    activity, or None for no link; WrongStep for anything else."""
    if session_id is not None:
        start = await services.sessions.session_by_id(session_id)
        if (
            start is None
            or start.kind is not SessionKind.START
            or start.activity_id != flow.activity_id
        ):
            raise WrongStep("start")
    return staff_flow.pick_start(flow, session_id, now)


def pick_language(services: Services, flow: Flow, lang: str, now: datetime) -> Flow:
    """The language everyone who joins starts in: one with statements; WrongStep otherwise
    (a button from before a language was removed)."""
    if lang not in services.instruments:
        raise WrongStep("language")
    return staff_flow.pick_language(flow, lang, now)


async def answer_question(
    services: Services, user_id: int, flow: Flow, now: datetime
) -> Question | Session:
    """Keep the answered flow and return its next question, or, after the last answer,
    create the session (it closes by itself after CHECKIN_SESSION_HOURS, if set)."""
    if flow.step is not Step.READY:
        await services.staff.save_flow(user_id, flow)
        starts: list[Session] = []
        if flow.step is Step.START and flow.activity_id is not None:
            starts = [
                s
                for s, _ in await services.staff.sessions(
                    user_id, kind=SessionKind.START, activity_id=flow.activity_id
                )
            ]
        return Question(flow, starts=starts, languages=services.offered)
    await services.staff.end_flow(user_id)
    assert flow.label is not None
    assert flow.kind is not None
    assert flow.lang is not None
    hours = services.settings.session_hours
    return await create_session(
        services.sessions,
        flow.label,
        now,
        owner_id=user_id,
        activity=flow.activity_id if flow.activity_id is not None else flow.activity_name,
        kind=flow.kind,
        start_session_id=flow.start_session_id,
        closes_at=now + timedelta(hours=hours) if hours else None,
        lang=flow.lang,
    )
