"""Staff's sessions: the questions of /new, each kind with an activity, the end linked to its
start, who lists and who closes which session, decided without Telegram."""

from datetime import timedelta

import pytest

from bot.core import staff_flow
from bot.core.sessions import Session, SessionCounts, SessionKind, UnknownLanguage
from bot.core.staff_flow import Flow, Step, WrongStep
from bot.usecases import sessions
from bot.usecases.services import Services
from bot.usecases.sessions import Closing, Question
from bot.usecases.staff import StaffRole
from tests.usecases.conftest import COORDINATOR, T0

MARJA, PEKKA = 20, 30
HOURS = timedelta(hours=12)  # CHECKIN_SESSION_HOURS by default


def facilitator(user_id: int) -> StaffRole:
    return StaffRole(user_id, f"member {user_id}", coordinator=False, rules_accepted=True)


BOSS = StaffRole(COORDINATOR, "Kaisa", coordinator=True, rules_accepted=True)


async def answered(services: Services, user_id: int, flow: Flow) -> Question:
    question = await sessions.answer_question(services, user_id, flow, T0)
    assert isinstance(question, Question)
    assert await services.staff.flow(user_id) == question.flow  # kept for the next answer
    return question


async def made(services: Services, user_id: int, flow: Flow, lang: str = "fi") -> Session:
    """The last question, the language, answered: the session is made in it."""
    question = await answered(services, user_id, flow)
    assert question.flow.step is Step.LANGUAGE
    assert question.languages == services.offered
    flow = sessions.pick_language(services, question.flow, lang, T0)
    session = await sessions.answer_question(services, user_id, flow, T0)
    assert isinstance(session, Session)
    assert await services.staff.flow(user_id) is None  # the questions have ended
    assert session.lang == lang
    return session


async def new_activity_session(
    services: Services,
    user_id: int,
    activity: str,
    label: str,
    kind: SessionKind,
    lang: str = "fi",
) -> Session:
    """/new answered with a new activity's name, a label and a kind (not an end)."""
    first = await sessions.begin_new_session(services, user_id, T0)
    assert first.flow.step is Step.ACTIVITY
    flow = await sessions.pick_activity(services, user_id, first.flow, None, T0)
    flow = (await answered(services, user_id, flow)).flow
    assert flow.step is Step.ACTIVITY_NAME
    flow = (await answered(services, user_id, staff_flow.name_activity(flow, activity, T0))).flow
    assert flow.step is Step.LABEL
    flow = (await answered(services, user_id, staff_flow.set_label(flow, label, T0))).flow
    assert flow.step is Step.KIND
    return await made(services, user_id, staff_flow.pick_kind(flow, kind, T0), lang)


async def label_and_kind(services: Services, user_id: int, flow: Flow, kind: SessionKind) -> Flow:
    flow = (await answered(services, user_id, flow)).flow
    flow = (await answered(services, user_id, staff_flow.set_label(flow, "Ryhmä", T0))).flow
    return staff_flow.pick_kind(flow, kind, T0)


@pytest.mark.parametrize("kind", [SessionKind.SINGLE, SessionKind.START])
async def test_a_session_of_each_kind_is_made_with_a_new_activity(
    services: Services, kind: SessionKind
) -> None:
    session = await new_activity_session(services, MARJA, "Avoin työhuone", "Maanantai", kind)
    assert (session.label, session.kind, session.owner_id) == ("Maanantai", kind, MARJA)
    assert session.closes_at == T0 + HOURS
    assert session.start_session_id is None
    [activity] = await services.staff.activities(MARJA)
    assert (activity.id, activity.name) == (session.activity_id, "Avoin työhuone")
    assert await services.sessions.session_by_id(session.id) == session


async def test_the_facilitator_chooses_the_sessions_language_finnish_first(
    services: Services,
) -> None:
    swedish = await new_activity_session(
        services, MARJA, "Avoin työhuone", "Tisdag", SessionKind.SINGLE, "sv"
    )
    assert services.offered[:3] == ("fi", "sv", "en")  # Finnish first: the default
    assert await services.sessions.session_by_id(swedish.id) == swedish
    assert (
        await services.sessions.session_by_join_code(swedish.join_code) or swedish
    ).lang == "sv"
    first = await sessions.begin_new_session(services, MARJA, T0)
    flow = await sessions.pick_activity(services, MARJA, first.flow, swedish.activity_id, T0)
    question = await answered(
        services, MARJA, await label_and_kind(services, MARJA, flow, SessionKind.SINGLE)
    )
    with pytest.raises(WrongStep):  # a language without statements
        sessions.pick_language(services, question.flow, "de", T0)
    with pytest.raises(WrongStep):  # not the question being asked
        sessions.pick_language(services, first.flow, "sv", T0)


async def test_the_command_line_takes_only_a_language_with_statements(
    services: Services,
) -> None:
    assert sessions.session_language(services, "sv") == "sv"
    with pytest.raises(UnknownLanguage) as refused:
        sessions.session_language(services, "de")
    assert "'de'" in str(refused.value)
    assert "fi, sv, en" in str(refused.value)
    session = await sessions.create_session(services.sessions, "Ryhmä", T0)
    assert session.lang == "fi"  # the installation's language unless another is chosen


async def test_the_next_session_of_an_activity_picks_it_from_the_members_own(
    services: Services,
) -> None:
    earlier = await new_activity_session(
        services, MARJA, "Avoin työhuone", "1", SessionKind.SINGLE
    )
    first = await sessions.begin_new_session(services, MARJA, T0)
    assert [a.name for a in first.activities] == ["Avoin työhuone"]
    flow = await sessions.pick_activity(services, MARJA, first.flow, earlier.activity_id, T0)
    session = await made(
        services, MARJA, await label_and_kind(services, MARJA, flow, SessionKind.SINGLE)
    )
    assert session.activity_id == earlier.activity_id
    assert len(await services.staff.activities(MARJA)) == 1


async def test_another_members_activity_cannot_be_picked(services: Services) -> None:
    theirs = await new_activity_session(services, PEKKA, "Vertaisryhmä", "1", SessionKind.SINGLE)
    first = await sessions.begin_new_session(services, MARJA, T0)
    assert first.activities == []
    with pytest.raises(WrongStep):
        await sessions.pick_activity(services, MARJA, first.flow, theirs.activity_id, T0)


async def test_an_end_session_is_linked_to_a_start_of_its_activity(services: Services) -> None:
    start = await new_activity_session(
        services, MARJA, "Avoin työhuone", "Alku", SessionKind.START
    )
    await new_activity_session(services, MARJA, "Avoin työhuone", "Kerta", SessionKind.SINGLE)
    other = await new_activity_session(services, MARJA, "Vertaisryhmä", "Alku", SessionKind.START)
    first = await sessions.begin_new_session(services, MARJA, T0)
    flow = await sessions.pick_activity(services, MARJA, first.flow, start.activity_id, T0)
    question = await answered(
        services, MARJA, await label_and_kind(services, MARJA, flow, SessionKind.END)
    )
    assert question.flow.step is Step.START
    assert question.starts == [start]  # only start sessions, only of this activity
    with pytest.raises(WrongStep):
        await sessions.pick_start(services, question.flow, other.id, T0)
    with pytest.raises(WrongStep):
        await sessions.pick_start(services, question.flow, start.id + 100, T0)
    flow = await sessions.pick_start(services, question.flow, start.id, T0)
    end = await made(services, MARJA, flow)
    assert (end.kind, end.start_session_id, end.activity_id) == (
        "end",
        start.id,
        start.activity_id,
    )


async def test_an_end_session_may_be_linked_to_no_start(services: Services) -> None:
    first = await sessions.begin_new_session(services, MARJA, T0)
    flow = await sessions.pick_activity(services, MARJA, first.flow, None, T0)
    flow = (await answered(services, MARJA, flow)).flow
    flow = staff_flow.name_activity(flow, "Avoin työhuone", T0)
    question = await answered(
        services, MARJA, await label_and_kind(services, MARJA, flow, SessionKind.END)
    )
    assert question.starts == []
    end = await made(services, MARJA, await sessions.pick_start(services, question.flow, None, T0))
    assert (end.kind, end.start_session_id) == ("end", None)


async def test_sessions_close_by_themselves_only_when_the_settings_say_so(
    services: Services,
) -> None:
    services.settings = services.settings.model_copy(update={"session_hours": 0})
    session = await new_activity_session(
        services, MARJA, "Avoin työhuone", "Auki", SessionKind.SINGLE
    )
    assert session.closes_at is None


async def test_a_facilitator_lists_their_own_sessions_and_a_coordinator_everyones(
    services: Services,
) -> None:
    marjas = await sessions.create_session(services.sessions, "M", T0, owner_id=MARJA)
    pekkas = await sessions.create_session(services.sessions, "P", T0, owner_id=PEKKA)
    own = await sessions.create_session(services.sessions, "K", T0, owner_id=COORDINATOR)
    await services.sessions.close_session(pekkas.id, T0)

    def ids(listed: list[tuple[Session, SessionCounts]]) -> list[int]:
        return [s.id for s, _ in listed]

    assert ids(await sessions.list_sessions(services, facilitator(MARJA))) == [marjas.id]
    assert ids(await sessions.list_sessions(services, BOSS)) == [own.id, pekkas.id, marjas.id]
    assert ids(await sessions.list_sessions(services, None)) == [own.id, pekkas.id, marjas.id]
    assert ids(await sessions.list_sessions(services, BOSS, open_only=True)) == [
        own.id,
        marjas.id,
    ]
    assert ids(await sessions.list_sessions(services, None, limit=1)) == [own.id]
    # /count and /link: one's own open sessions, a coordinator's too.
    assert await sessions.own_open_sessions(services, COORDINATOR, limit=5) == [own]
    assert await sessions.own_open_sessions(services, PEKKA, limit=5) == []


async def test_a_facilitator_closes_their_own_session_and_a_coordinator_any(
    services: Services,
) -> None:
    marjas = await sessions.create_session(services.sessions, "M", T0, owner_id=MARJA)
    pekkas = await sessions.create_session(services.sessions, "P", T0, owner_id=PEKKA)

    assert await sessions.closable(services, facilitator(PEKKA), marjas.id) is None
    refused = await sessions.close_session(services, marjas.id, T0, facilitator(PEKKA))
    assert refused.result is Closing.NOT_YOURS
    assert not (await services.sessions.session_by_id(marjas.id) or marjas).closed

    assert await sessions.closable(services, facilitator(MARJA), marjas.id) == marjas
    closed = await sessions.close_session(services, marjas.id, T0, facilitator(MARJA))
    assert (closed.result, closed.session) == (Closing.CLOSED, marjas)
    assert await sessions.closable(services, facilitator(MARJA), marjas.id) is None
    again = await sessions.close_session(services, marjas.id, T0, facilitator(MARJA))
    assert again.result is Closing.ALREADY_CLOSED

    assert await sessions.closable(services, BOSS, pekkas.id) == pekkas
    by_boss = await sessions.close_session(services, pekkas.id, T0, BOSS)
    assert by_boss.result is Closing.CLOSED
    after = await services.sessions.session_by_id(pekkas.id)
    assert after is not None
    assert after.closed_at == T0


async def test_the_command_line_closes_any_session_and_names_an_unknown_one(
    services: Services,
) -> None:
    pekkas = await sessions.create_session(services.sessions, "P", T0, owner_id=PEKKA)
    assert (await sessions.close_session(services, pekkas.id, T0)).result is Closing.CLOSED
    unknown = await sessions.close_session(services, pekkas.id + 1, T0)
    assert (unknown.result, unknown.session) == (Closing.UNKNOWN, None)
    assert await sessions.closable(services, BOSS, pekkas.id + 1) is None


async def test_a_count_message_is_kept_up_to_date_until_it_is_forgotten(
    services: Services,
) -> None:
    session = await sessions.create_session(services.sessions, "M", T0, owner_id=MARJA)
    assert await sessions.count_message(services, session.id) is None  # never posted
    await services.sessions.set_count_message(session.id, MARJA, 99, "sv", "0 / 0")
    shown = await sessions.count_message(services, session.id)
    assert shown is not None
    assert (shown.chat_id, shown.message_id, shown.lang, shown.shown) == (MARJA, 99, "sv", "0 / 0")
    assert shown.counts == SessionCounts(complete=0, in_progress=0)
    await services.sessions.set_count_text(session.id, "0 / 1")
    shown = await sessions.count_message(services, session.id)
    assert shown is not None
    assert shown.shown == "0 / 1"  # edited only when what it should say differs from this
    await services.sessions.forget_count_message(session.id)
    assert await sessions.count_message(services, session.id) is None
    assert await sessions.count_message(services, session.id + 1) is None
