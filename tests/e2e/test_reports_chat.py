"""Coordinators read anonymous totals in the chat; nobody else can."""

import io

import pypdf
import pytest

from bot.core.checkin import Draft
from bot.core.sessions import Session
from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox
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
        await services.answer_sets.submit(
            services.pseudonyms.person(user),
            services.pseudonyms.in_session(user, session.id),
            draft,
            (value,) * 10,
            (value * 10 - 10) * 2.5,
            services.instruments["fi"],
            services.today(),
        )


async def upkeep(sandbox: Sandbox) -> None:
    """What the bot's upkeep job does every minute: close, purge, release what is due."""
    assert sandbox.runtime is not None
    await sandbox.runtime.upkeep()


async def report_by(
    coordinator: SimUser, scope: str, breakdown: str, period: str = "All answers so far"
) -> str:
    """Ask for a report with the buttons; the summary sent back."""
    await coordinator.send_text("/report")
    await coordinator.tap_button(scope)
    await coordinator.tap_button(breakdown)
    assert coordinator.last_bot_message().button_texts == [
        "All answers so far",
        "This month",
        "Last month",
        "This half-year",
        "This year",
        "The last full term",
    ]
    await coordinator.tap_button(period)
    summaries = [m.text or "" for m in coordinator.bot_messages()]
    return next(text for text in reversed(summaries) if text.startswith("Report"))


async def test_a_month_minus_its_check_ins_gives_nobody_through_the_buttons(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    repo = sandbox.services.sessions
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
    by_session = await report_by(coordinator, "Everything", "By check-in")
    assert "Big group [1 check-ins]: 7 answers, mean 67.9" in by_session
    assert "Other group [1 check-ins]: 6 answers, mean 50.0" in by_session
    assert "Small group [1 check-ins]: too few answers to show" in by_session
    assert "All: 13 answers, mean 59.6" in by_session
    assert "Never shown, too few answers: 2 answers in 1 check-ins." in by_session
    charts = [m for m in coordinator.bot_messages() if m.photo is not None]
    assert charts
    assert charts[0].photo is not None
    assert charts[0].photo.startswith(b"\x89PNG")
    caption = charts[0].text  # a photo's caption
    assert caption is not None
    assert caption.startswith("Check-ins in date order: mean of each\nAll activities · ")
    assert "n = 13" in caption
    assert any((m.text or "").startswith("Statement by statement: ") for m in charts)
    # The month and the activity hold exactly the shown check-ins: subtracting leaves no one.
    by_month = await report_by(coordinator, "Everything", "By month")
    assert "- November 2026 [2 check-ins]: 13 answers, mean 59.6" in by_month
    this_month = await report_by(coordinator, "Everything", "By month", "This month")
    assert "Period: Nov 1, 2026 to Nov 30, 2026." in this_month
    assert "- November 2026 [2 check-ins]: 13 answers, mean 59.6" in this_month
    last_month = await report_by(coordinator, "Everything", "By month", "Last month")
    assert "Period: Oct 1, 2026 to Oct 31, 2026." in last_month
    assert "There are no answers to report yet." in last_month
    by_kind = await report_by(coordinator, "Everything", "By kind of check-in")
    assert "- One check-in [3 check-ins]: 13 answers, mean 59.6" in by_kind


async def test_the_statements_one_by_one_and_the_report_on_one_pdf_page(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    repo = sandbox.services.sessions
    session = await repo.create_session("Peer group", "F" * 22, "FFFFFF", clock())
    await answered(sandbox, session, [4, 4, 3, 5, 2, 4], 50_000)
    await repo.close_session(session.id, clock())
    clock.advance(hours=1)
    await upkeep(sandbox)
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/report")
    await coordinator.tap_button("I understand")
    await report_by(coordinator, "Everything", "By check-in")
    summary = next(m for m in coordinator.bot_messages() if (m.text or "").startswith("Report"))
    assert summary.button_texts == ["The same report on one PDF page"]
    statements = next(
        m.text or ""
        for m in coordinator.bot_messages()
        if (m.text or "").startswith("Statements one by one: ")
    )
    first = sandbox.services.instruments["fi"].statements[0]
    assert statements.startswith(
        "Statements one by one: Finnish, THL's official text (THL 2019), 6 answers.\n"
        "The share of answers in each option: 1 = täysin eri mieltä, "
    )
    # Every answer to every statement was the same: 2 once, 3 once, 4 three times, 5 once.
    spread = "1: 0\u00a0% · 2: 17\u00a0% · 3: 17\u00a0% · 4: 50\u00a0% · 5: 17\u00a0%"
    assert f"\n\n1. {first}\n{spread}\n" in statements
    assert statements.count(spread) == 10
    await coordinator.tap_button("The same report on one PDF page", summary)
    [page] = [m for m in coordinator.bot_messages() if m.kind == "document"]
    assert page.filename == "checkin-report-2026-11-23.pdf"
    assert (page.text or "").startswith("The same report on one A4 page, as PDF: the figures")
    assert page.document is not None
    reader = pypdf.PdfReader(io.BytesIO(page.document))
    assert len(reader.pages) == 1
    assert str(reader.root_object["/Lang"]) == "en"
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Inclusion indicator: report by check-in" in text
    assert "All: 6 answers, mean 66.7" in text
    assert "n = 6" in text
    # Days that run backwards come from no button this bot sent: no file, the tap is answered.
    await coordinator.tap(summary.message_id, "Q:f:-:session:20261231:20260101")
    assert len([m for m in coordinator.bot_messages() if m.kind == "document"]) == 1


async def test_todays_sets_of_an_open_session_are_held_back_and_the_report_says_so(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    repo = sandbox.services.sessions
    session = await repo.create_session("Standing link", "C" * 22, "CCCCCC", clock())
    await answered(sandbox, session, [3] * 6, 30_000)
    await upkeep(sandbox)
    coordinator = sandbox.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/report")
    await coordinator.tap_button("I understand")
    today = await report_by(coordinator, "Everything", "By check-in")
    assert "no answers to report yet" not in today
    assert "There are answers, but no figures to show yet:" in today
    assert "Not shown yet, the check-in is open: 6 answers in 1 check-ins." in today
    clock.advance(days=1)
    await upkeep(sandbox)
    tomorrow = await report_by(coordinator, "Everything", "By month")
    assert "6 answers, mean 50.0" in tomorrow


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
    repo = sandbox.services.sessions
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
    assert [d.filename for d in documents] == [
        "checkin-totals-2026-11-23.xlsx",
        "checkin-totals-2026-11-23.csv",
        "checkin-statements-2026-11-23.csv",
    ]
    captions = [d.text or "" for d in documents]  # each file says what it is
    assert captions[0].startswith("For Excel: the report in your language with a chart")
    assert captions[1].startswith("The totals of every check-in as CSV")
    assert captions[2].startswith("For each statement, how many chose each answer option")
    statements = documents[-1].document
    assert statements is not None
    lines = statements.decode("utf-8-sig").splitlines()
    assert lines[0].endswith("n,statement,option_1,option_2,option_3,option_4,option_5")
    assert lines[-1].endswith(",5,10,0,0,0,5,0")  # the total: all five chose option 4
    assert not any("a1" in line for line in lines)  # no row of anybody's answers
