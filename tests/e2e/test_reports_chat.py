"""Coordinators read anonymous totals in the chat; nobody else can."""

import pytest

from bot.checkin import Draft
from bot.sandbox import Sandbox
from bot.storage.repository import Session
from tests.e2e.conftest import ManualClock

COORDINATOR = 900


@pytest.fixture
def coordinators() -> frozenset[int]:
    return frozenset({COORDINATOR})


async def answered(sandbox: Sandbox, session: Session, scores: list[int], first_id: int) -> None:
    """Complete sets stored as the check-in stores them (all ten answers equal to `value`)."""
    services = sandbox.services
    for offset, value in enumerate(scores):
        user = first_id + offset
        draft = Draft.begin(session.id, "fi", sandbox.clock())
        await services.repo.submit(
            services.pseudonyms.person(user),
            services.pseudonyms.in_session(user, session.id),
            draft,
            (value,) * 10,
            (value * 10 - 10) * 2.5,
            services.instruments["fi"],
            services.today(),
        )


async def upkeep(sandbox: Sandbox) -> None:
    """The bot's upkeep, as it runs every minute: releases the blocks that are due."""
    assert sandbox.runtime is not None
    await sandbox.runtime.upkeep()


async def test_a_coordinator_reads_totals_with_small_groups_hidden(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    repo = sandbox.services.repo
    big = await repo.create_session("Big group", "A" * 22, "AAAAAA", clock())
    other = await repo.create_session("Other group", "E" * 22, "EEEEEE", clock())
    small = await repo.create_session("Small group", "B" * 22, "BBBBBB", clock())
    await answered(sandbox, big, [4, 4, 3, 5, 2, 4, 4], 10_000)
    await answered(sandbox, other, [3] * 6, 15_000)
    await answered(sandbox, small, [1, 5], 20_000)
    for session in (big, other, small):
        await repo.close_session(session.id, clock())
    clock.advance(hours=1)
    await upkeep(sandbox)

    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/report")
    await coordinator.tap_button("I understand")
    await coordinator.send_text("/report")
    await coordinator.tap_button("Everything")
    await coordinator.tap_button("By check-in")
    summary = next(
        m.text for m in coordinator.bot_messages() if (m.text or "").startswith("Report")
    )
    assert summary is not None
    assert "Big group [1 check-ins]: 7 answers, mean 67.9" in summary
    # The small group's block is withheld for good: its two sets are in no figure, so the
    # total minus the shown groups is nobody.
    assert "Other group [1 check-ins]: 6 answers, mean 50.0" in summary
    assert "All: 13 answers, mean 59.6" in summary
    assert "Small group [1 check-ins]: 2" not in summary
    charts = [m for m in coordinator.bot_messages() if m.photo is not None]
    assert charts
    assert charts[0].photo is not None
    assert charts[0].photo.startswith(b"\x89PNG")


async def test_todays_sets_of_an_open_session_are_not_shown(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    repo = sandbox.services.repo
    session = await repo.create_session("Standing link", "C" * 22, "CCCCCC", clock())
    await answered(sandbox, session, [3] * 6, 30_000)
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/report")
    await coordinator.tap_button("I understand")
    await coordinator.send_text("/report")
    await coordinator.tap_button("Everything")
    await coordinator.tap_button("By check-in")
    assert "no answers to report yet" in (coordinator.bot_messages()[-1].text or "")
    clock.advance(days=1)
    await upkeep(sandbox)
    await coordinator.send_text("/report")
    await coordinator.tap_button("Everything")
    await coordinator.tap_button("By month")
    texts = [m.text or "" for m in coordinator.bot_messages()]
    assert any("6 answers, mean 50.0" in text for text in texts)


async def test_facilitators_and_participants_get_no_reports(sandbox: Sandbox) -> None:
    someone = sandbox.emulator.user(901, "Ulla", language_code="en")
    await someone.send_text("/report")
    assert someone.last_bot_message().text == "Sorry, this command is for group leaders."
    await someone.send_text("/export")
    assert someone.last_bot_message().text == "Sorry, this command is for group leaders."
    await sandbox.services.staff.ensure_member(902, "Fasilitaattori", sandbox.clock())
    await sandbox.services.staff.accept_rules(902, sandbox.clock())
    leader = sandbox.emulator.user(902, "Fasilitaattori", language_code="en")
    await leader.send_text("/report")
    assert leader.last_bot_message().text == "Sorry, reports are for coordinators."
    await leader.tap(leader.last_bot_message().message_id, "Q:b:-:session")
    assert not [m for m in leader.bot_messages() if (m.text or "").startswith("Report")]


async def test_export_sends_the_totals_as_files(sandbox: Sandbox, clock: ManualClock) -> None:
    repo = sandbox.services.repo
    session = await repo.create_session("Exported", "D" * 22, "DDDDDD", clock())
    await answered(sandbox, session, [4] * 5, 40_000)
    await repo.close_session(session.id, clock())
    clock.advance(minutes=30)
    await upkeep(sandbox)
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/export")
    await coordinator.tap_button("I understand")
    await coordinator.send_text("/export")
    documents = [m for m in coordinator.bot_messages() if m.kind == "document"]
    assert len(documents) == 3
