"""Coordinators and facilitators: invitations, sessions, links, counts and closing."""

import re

import pytest

from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox
from bot.ui.i18n import endonym
from tests.e2e.conftest import ManualClock
from tests.e2e.helpers import answer_statements, told_after_tap

COORDINATOR = 500


@pytest.fixture
def coordinators() -> frozenset[int]:
    return frozenset({COORDINATOR})


def link_in(text: str | None) -> str:
    match = re.search(r"https://t\.me/\S+", text or "")
    assert match, text
    return match[0]


def text_with(person: SimUser, start: str) -> str:
    found = [m.text for m in person.bot_messages() if (m.text or "").startswith(start)]
    assert found, f"no message starting {start!r}"
    return found[-1] or ""


async def invite(sandbox: Sandbox, user_id: int, name: str) -> SimUser:
    """A coordinator invites someone, who names themselves and confirms the rules."""
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/invite")
    link = link_in(coordinator.last_bot_message().text)
    person = sandbox.emulator.user(user_id, name, language_code="en")
    await person.open_link(link)
    assert "What name" in (person.last_bot_message().text or "")
    await person.send_text(f"  {name}   Ohjaaja ")
    assert "rules" in (person.last_bot_message().text or "")
    await person.tap_button("I understand")
    return person


async def new_session(
    person: SimUser,
    label: str,
    kind: str,
    activity: str | None = None,
    start: str | None = None,
    language: str = "Suomi",
) -> tuple[str, str]:
    await person.send_text("/new")
    if activity is None:
        await person.tap_button("New activity")
        await person.send_text("Avoin työhuone, Kotka")
    else:
        await person.tap_button(activity)
    await person.send_text(label)
    await person.tap_button(kind)
    if start is not None:
        await person.tap_button(start)
    await person.tap_button(language)
    created = text_with(person, "Check-in created")
    code = re.search(r"Code: (\w+)", created)
    assert code
    return link_in(created), code[1]


async def test_a_group_check_in_from_invitation_to_counts(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 600, "Marja")
    link, code = await new_session(leader, "Tuesday 24.11.", "Start of the activity")

    photos = [m for m in leader.bot_messages() if m.photo is not None]
    assert len(photos) == 1
    assert photos[0].photo is not None
    assert photos[0].photo.startswith(b"\x89PNG")
    forward = text_with(leader, "Tervetuloa vastaamaan")  # the session is in Finnish
    assert link in forward
    assert code in forward
    count = text_with(leader, "Check-in: Tuesday 24.11.")
    assert "Complete answers: 0" in count

    fi = sandbox.services.instruments["fi"]
    people = [
        sandbox.emulator.user(700 + i, f"Osallistuja{i}", language_code="fi") for i in range(3)
    ]
    await people[0].open_link(link)
    await people[1].send_text("/start")
    await people[1].send_text(code)
    await people[2].send_text(code.lower())
    for person in people:
        await person.tap_button("Aloitan")
    await answer_statements(people[0], fi, [4] * 10)
    await people[0].tap_button("Lähetä vastaukset")
    await answer_statements(people[1], fi, [2] * 10)
    await people[1].tap_button("Lähetä vastaukset")
    await answer_statements(people[2], fi, [3] * 4)

    count_message = next(
        m for m in leader.bot_messages() if (m.text or "").startswith("Check-in: Tuesday")
    )
    assert count_message.edited
    assert count_message.text == (
        "Check-in: Tuesday 24.11.\nComplete answers: 2\nAnswering now: 1"
    )
    # One message per session: edited, not sent again.
    assert len([m for m in leader.messages if (m.text or "").startswith("Check-in: Tues")]) == 1
    everything = "\n".join(m.text or "" for m in leader.messages)
    for person in people:
        assert person.first_name not in everything
        assert str(person.id) not in everything

    await leader.send_text("/sessions")
    listing = leader.last_bot_message().text or ""
    assert "Tuesday 24.11. (start of the activity, open): 2 complete, 1 answering now" in listing


async def test_people_who_are_not_staff_are_refused(sandbox: Sandbox) -> None:
    someone = sandbox.emulator.user(800, "Ulla", language_code="en")
    for command in ("/new", "/invite", "/sessions", "/close", "/count", "/facilitators", "/link"):
        await someone.send_text(command)
        assert someone.last_bot_message().text == "Sorry, this command is for group leaders."
    assert await sandbox.services.staff.member(800) is None
    leader = await invite(sandbox, 601, "Pertti")
    await leader.send_text("/invite")
    assert leader.last_bot_message().text == "Sorry, this command is for group leaders."


async def test_rules_come_before_the_first_session(sandbox: Sandbox) -> None:
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/new")
    assert "rules" in (coordinator.last_bot_message().text or "")
    assert "at least 5 people" in (coordinator.last_bot_message().text or "")
    await coordinator.tap_button("I understand")
    await coordinator.send_text("/new")
    assert "Which activity" in (coordinator.last_bot_message().text or "")


async def test_an_invitation_works_once(sandbox: Sandbox, clock: ManualClock) -> None:
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/invite")
    link = link_in(coordinator.last_bot_message().text)
    first = sandbox.emulator.user(602, "Eka", language_code="en")
    await first.open_link(link)
    await first.send_text("x" * 65)
    assert first.last_bot_message().text == "Please write 1 to 64 characters."
    await first.send_text("Eka")
    second = sandbox.emulator.user(603, "Toka", language_code="en")
    await second.open_link(link)
    assert "already been used" in (second.last_bot_message().text or "")
    await coordinator.send_text("/invite")
    old = link_in(coordinator.last_bot_message().text)
    clock.advance(days=8)
    await second.open_link(old)
    assert "expired" in (second.last_bot_message().text or "")
    await second.open_link(f"https://t.me/{sandbox.emulator.bot_username}?start=inv_forged")
    assert "does not work" in (second.last_bot_message().text or "")
    assert await sandbox.services.staff.member(603) is None


async def test_facilitators_see_and_close_only_their_own_sessions(sandbox: Sandbox) -> None:
    marja = await invite(sandbox, 610, "Marja")
    olli = await invite(sandbox, 611, "Olli")
    await new_session(marja, "Marja's group", "One check-in")
    await olli.send_text("/sessions")
    assert "Marja's group" not in (olli.last_bot_message().text or "")
    marja_session = (await sandbox.services.staff.sessions(610))[0][0]
    await olli.tap(olli.last_bot_message().message_id, f"Z:{marja_session.id}")
    assert told_after_tap(olli) == "This button no longer works. Please use the newest message."
    still = await sandbox.services.sessions.session_by_id(marja_session.id)
    assert still is not None
    assert not still.closed
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/sessions")
    await coordinator.tap_button("I understand")  # the rules come first for coordinators too
    await coordinator.send_text("/sessions")
    assert "Marja's group" in (coordinator.last_bot_message().text or "")


async def test_closing_stops_joins_and_discards_unfinished_after_the_grace_period(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    leader = await invite(sandbox, 620, "Liisa")
    link, _ = await new_session(leader, "Closing test", "One check-in")
    fi = sandbox.services.instruments["fi"]
    done = sandbox.emulator.user(720, "Valmis", language_code="fi")
    late = sandbox.emulator.user(721, "Myöhässä", language_code="fi")
    slow = sandbox.emulator.user(722, "Hidas", language_code="fi")
    for person in (done, slow):
        await person.open_link(link)
        await person.tap_button("Aloitan")
    await answer_statements(done, fi, [3] * 9)
    await answer_statements(slow, fi, [3] * 5)

    await leader.send_text("/close")
    await leader.tap_button("Closing test")
    assert "15 minutes" in (leader.last_bot_message().text or "")
    await leader.tap_button("Yes, close")
    count = text_with(leader, "Check-in: Closing test")
    assert "This check-in is closed." in count

    await late.open_link(link)
    assert "päättynyt" in (late.last_bot_message().text or "")
    clock.advance(minutes=5)
    await answer_statements(done, fi, [3])  # within the grace period: still counted
    await done.tap_button("Lähetä vastaukset")
    clock.advance(minutes=11)
    assert sandbox.runtime is not None
    await sandbox.runtime.upkeep()
    await sandbox.emulator.settle()
    counts = await sandbox.services.sessions.counts(
        (await sandbox.services.staff.sessions(620))[0][0].id
    )
    assert (counts.complete, counts.in_progress) == (1, 0)
    assert text_with(leader, "Check-in: Closing test") == (
        "Check-in: Closing test\nComplete answers: 1\n\nThis check-in is closed."
    )
    await slow.press(fi.options[2])  # the keyboard left from the discarded check-in
    assert slow.last_bot_message().text == "Tämä nappi ei toimi enää. Käytä uusinta viestiä."
    assert slow.reply_keyboard is None


async def test_an_end_session_is_linked_to_its_start(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 630, "Aada")
    await new_session(leader, "Autumn start", "Start of the activity")
    await new_session(
        leader,
        "Autumn end",
        "End of the activity",
        activity="Avoin työhuone, Kotka",
        start="Autumn start",
    )
    sessions = {s.label: s for s, _ in await sandbox.services.staff.sessions(630)}
    assert sessions["Autumn end"].kind == "end"
    assert sessions["Autumn end"].start_session_id == sessions["Autumn start"].id
    assert sessions["Autumn end"].activity_id == sessions["Autumn start"].activity_id


async def test_cancelling_a_new_session_leaves_nothing_behind(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 640, "Kalle")
    await leader.send_text("/new")
    await leader.tap_button("New activity")
    await leader.send_text("A new workroom")
    await leader.send_text("/cancel")
    assert leader.last_bot_message().text == "Cancelled. Nothing was changed."
    assert await sandbox.services.staff.activities(640) == []
    assert await sandbox.services.staff.sessions(640) == []
    await leader.send_text("An ordinary message")  # no longer taken as a label
    assert "group leader" in (leader.last_bot_message().text or "")


async def test_a_removed_facilitator_can_no_longer_act(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 650, "Raimo")
    await new_session(leader, "Raimo's group", "One check-in")
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/facilitators")
    assert "Raimo" in (coordinator.last_bot_message().text or "")
    await coordinator.tap_button("Remove: Raimo")
    await coordinator.tap_button("Yes, remove")
    await leader.send_text("/new")
    assert leader.last_bot_message().text == "Sorry, this command is for group leaders."
    assert len(await sandbox.services.staff.sessions(650)) == 1  # the sessions stay


async def test_a_removed_facilitators_sessions_close_and_their_count_stops(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    leader = await invite(sandbox, 655, "Reino")
    link, code = await new_session(leader, "Reino's group", "One check-in")
    fi = sandbox.services.instruments["fi"]
    finishing = sandbox.emulator.user(755, "Ehtii", language_code="fi")
    await finishing.open_link(link)
    await finishing.tap_button("Aloitan")
    await answer_statements(finishing, fi, [4] * 9)
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/facilitators")
    await coordinator.tap_button("Remove: Reino")
    assert "Their open check-ins close now." in (coordinator.last_bot_message().text or "")
    await coordinator.tap_button("Yes, remove")
    final = "Check-in: Reino's group\nComplete answers: 0\n\nThis check-in is closed."
    assert text_with(leader, "Check-in: Reino's group") == final

    late = sandbox.emulator.user(756, "Myöhässä", language_code="fi")
    await late.open_link(link)
    assert "päättynyt" in (late.last_bot_message().text or "")
    await late.send_text(code)
    assert "En löytänyt" in (late.last_bot_message().text or "")
    clock.advance(minutes=5)  # within the grace period the set still counts
    await answer_statements(finishing, fi, [4])
    await finishing.tap_button("Lähetä vastaukset")
    session = (await sandbox.services.staff.sessions(None))[0][0]
    assert (await sandbox.services.sessions.counts(session.id)).complete == 1
    await sandbox.emulator.settle()
    assert text_with(leader, "Check-in: Reino's group") == final  # no longer edited


async def test_staff_get_a_command_menu_for_their_role(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 660, "Sanna")
    menu = sandbox.emulator.commands({"type": "chat", "chat_id": 660})
    assert "new" in menu
    assert "invite" not in menu
    coordinator_menu = sandbox.emulator.commands({"type": "chat", "chat_id": COORDINATOR})
    assert "invite" in coordinator_menu
    assert "new" not in sandbox.emulator.commands({"type": "all_private_chats"})
    await leader.send_text("/help")
    assert "/new" in (leader.last_bot_message().text or "")


async def test_typed_codes_are_rate_limited(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 670, "Tero")
    _, code = await new_session(leader, "Rate", "One check-in")
    guesser = sandbox.emulator.user(770, "Arvaaja", language_code="en")
    for attempt in ("AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE"):
        await guesser.send_text(attempt)
        assert "did not find" in (guesser.last_bot_message().text or "")
    await guesser.send_text(code)  # even the right code waits now
    assert "too many wrong codes" in (guesser.last_bot_message().text or "")


async def test_two_facilitators_creating_at_once_do_not_mix(sandbox: Sandbox) -> None:
    aino = await invite(sandbox, 680, "Aino")
    bea = await invite(sandbox, 681, "Bea")
    await aino.send_text("/new")
    await bea.send_text("/new")
    await aino.tap_button("New activity")
    await bea.tap_button("New activity")
    await bea.send_text("Bea's peer group")
    await aino.send_text("Aino's workroom")
    await aino.send_text("Aino's Monday")
    await bea.send_text("Bea's Tuesday")
    await bea.tap_button("One check-in")
    await aino.tap_button("One check-in")
    await bea.tap_button("Svenska")
    await aino.tap_button("Suomi")
    mine = {(s.label, s.lang) for s, _ in await sandbox.services.staff.sessions(680)}
    theirs = {(s.label, s.lang) for s, _ in await sandbox.services.staff.sessions(681)}
    assert (mine, theirs) == ({("Aino's Monday", "fi")}, {("Bea's Tuesday", "sv")})
    assert [a.name for a in await sandbox.services.staff.activities(681)] == ["Bea's peer group"]


async def test_stale_and_forged_staff_buttons_change_nothing(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 690, "Ville")
    await leader.send_text("/new")
    question = leader.last_bot_message()
    new_activity = question.buttons[0][0].callback_data
    assert new_activity is not None
    stale = "This button no longer works. Please use the newest message."
    await leader.tap_button("Cancel")
    await leader.tap(question.message_id, new_activity)  # after the flow ended
    assert told_after_tap(leader) == stale
    await leader.send_text("/new")
    asked = leader.last_bot_message()
    nonce = (asked.buttons[0][0].callback_data or "").split(":")[1]
    for data in (f"n:{nonce}:a:99999", f"n:{nonce}:k:single", "F:500"):
        # Not theirs, the wrong step, not a coordinator's.
        await leader.tap(asked.message_id, data)
        assert told_after_tap(leader) == stale
    flow = await sandbox.services.staff.flow(690)
    assert flow is not None
    assert flow.step.value == "activity"
    assert await sandbox.services.staff.sessions(690) == []


async def test_in_a_group_the_bot_only_posts_the_link_when_a_facilitator_asks(
    sandbox: Sandbox,
) -> None:
    leader = await invite(sandbox, 695, "Helena")
    link, code = await new_session(leader, "Group chat test", "One check-in")
    member = sandbox.emulator.user(795, "Jäsen", language_code="fi")
    group = sandbox.emulator.group(-4001, "Työhuoneen ryhmä")
    sandbox.emulator.add_bot_to_group(group, by=leader)
    await sandbox.emulator.settle()
    bot = sandbox.emulator.bot_username
    await group.send_text(member, f"/link@{bot}")
    await group.send_text(member, f"/start@{bot}")
    await group.send_text(member, "/new")
    assert group.bot_messages() == []
    await group.send_text(leader, f"/link@{bot}")
    posted = group.bot_messages()
    assert len(posted) == 1
    # In the session's language (Finnish), not in the facilitator's (English).
    assert (posted[0].text or "").startswith("Tervetuloa vastaamaan lyhyeen kyselyyn:")
    assert link in (posted[0].text or "")
    assert code in (posted[0].text or "")
    fi = sandbox.services.instruments["fi"]
    for call in sandbox.emulator.calls:
        if str(call.params.get("chat_id")) == str(group.id):
            for statement in fi.statements:
                assert statement not in str(call.params)


async def test_a_leader_answering_a_check_in_mid_question_answers_the_statement(
    sandbox: Sandbox,
) -> None:
    leader = await invite(sandbox, 690, "Pirjo")
    link, _ = await new_session(leader, "Pirjo's group", "One check-in", language="English")
    await leader.open_link(link)
    await leader.tap_button("Start")
    options = sandbox.services.instruments["en"].options
    await answer_statements(leader, sandbox.services.instruments["en"], [4])
    await leader.send_text("/new")
    await leader.tap_button("New activity")  # the bot now waits for a typed name
    await leader.press(options[1])  # the check-in's keyboard is still on screen
    assert (leader.last_bot_message().text or "").startswith("Statement 3 of 10")
    await leader.send_text("Evening club")
    assert await sandbox.services.staff.activities(690) != []
    draft = await sandbox.services.trials.draft_for(sandbox.services.pseudonyms.person(690))
    assert draft is not None
    assert draft.answers[:2] == (4, 2)


async def test_staff_answering_a_check_in_is_a_trial_that_adds_nothing(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 695, "Topi")
    link, code = await new_session(leader, "Small group", "One check-in", language="English")
    session = (await sandbox.services.staff.sessions(695))[0][0]
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/help")
    assert "only a trial" in (coordinator.last_bot_message().text or "")
    en = sandbox.services.instruments["en"]
    for staffer, opened in ((leader, link), (coordinator, code)):
        if opened == link:
            await staffer.open_link(link)
        else:
            await staffer.send_text(code)
        assert (staffer.last_bot_message().text or "").startswith("Trial: you are a group leader")
        await staffer.tap_button("Start")
        await answer_statements(staffer, en, [5] * 5)
        assert "Answering now: 0" in text_with(leader, "Check-in: Small group")
        await answer_statements(staffer, en, [5] * 5)
        await staffer.tap_button("Send")
        assert (staffer.last_bot_message().text or "").startswith("The trial is over.")
        await staffer.open_link(link)  # no marker either: a trial can be run again
        assert (staffer.last_bot_message().text or "").startswith("Trial")

    counts = await sandbox.services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (0, 0)
    assert await sandbox.services.blocks.held_back() == {}
    assert await sandbox.services.blocks.released_blocks() == []
    (info,) = await sandbox.services.sessions.report_sessions(sandbox.settings.zone)
    assert info.unfinished == 0
    await leader.send_text("/sessions")
    assert "0 complete" in (leader.last_bot_message().text or "")


async def test_new_asks_the_language_last_with_finnish_first_and_everyone_starts_in_it(
    sandbox: Sandbox,
) -> None:
    leader = await invite(sandbox, 730, "Linnea")
    await leader.send_text("/new")
    await leader.tap_button("New activity")
    await leader.send_text("Avoin työhuone, Vaasa")
    await leader.send_text("Torsdag")
    await leader.tap_button("One check-in")
    question = leader.last_bot_message()
    assert (question.text or "").startswith("Which language is this check-in in?")
    rows = [[button.text for button in row] for row in question.buttons]
    assert rows[0] == ["Suomi", "Svenska", "English"]  # Finnish first: the usual one tap
    assert all(len(row) <= 3 for row in rows)
    assert rows[-1] == ["Cancel"]
    offered = [endonym(lang) for lang in sandbox.services.offered]
    assert [name for row in rows[:-1] for name in row] == offered
    await leader.tap_button("Svenska")
    created = text_with(leader, "Check-in created")
    assert "Language: Svenska" in created
    forward = text_with(leader, "Välkommen att svara på en kort enkät: Torsdag")
    assert link_in(created) in forward  # for the group, in the session's language
    finnish_app = sandbox.emulator.user(731, "Aino", language_code="fi")
    await finnish_app.open_link(link_in(created))
    assert finnish_app.last_bot_message().button_texts[0] == "Jag börjar"

    link, _ = await new_session(
        leader, "Perjantai", "One check-in", activity="Avoin työhuone, Vaasa"
    )
    english_app = sandbox.emulator.user(732, "Sam", language_code="en")
    await english_app.open_link(link)
    assert english_app.last_bot_message().button_texts[0] == "Aloitan"
    languages = {s.label: s.lang for s, _ in await sandbox.services.staff.sessions(730)}
    assert languages == {"Torsdag": "sv", "Perjantai": "fi"}
