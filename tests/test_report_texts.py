"""A report in words: figures of released blocks, and what is held back and why."""

from babel.support import Translations

from bot.core.report_model import Breakdown, ReportRequest, SessionInfo
from bot.core.reports import HeldSets, HoldReason, Report, build_report
from bot.core.sessions import SessionKind
from bot.ui.i18n import load_all
from bot.ui.report_texts import summary, table
from tests.report_data import DAY, TODAY, block

EN: Translations = load_all()["en"]
FI: Translations = load_all()["fi"]
SESSIONS = [
    SessionInfo(1, "Big group", 7, "Workroom", SessionKind.SINGLE, True, DAY),
    SessionInfo(2, "Small group", 7, "Workroom", SessionKind.SINGLE, True, DAY),
    SessionInfo(3, "Standing link", 7, "Workroom", SessionKind.SINGLE, False, DAY),
]
HELD = [HeldSets(2, HoldReason.TOO_FEW, 2), HeldSets(3, HoldReason.OPEN, 4)]


def report(blocks: bool, held: list[HeldSets]) -> Report:
    released = [block(1, 1, DAY, [50.0, 60.0, 70.0, 80.0, 90.0])] if blocks else []
    request = ReportRequest(Breakdown.SESSION)
    return build_report(request, SESSIONS, released, held, as_of=TODAY, min_group_size=5)


def test_the_summary_says_what_each_row_holds_back_and_counts_it() -> None:
    text = summary(EN, report(True, HELD), "en")
    assert "- Big group [1 check-ins]: 5 answers, mean 70.0" in text
    assert "- Small group [1 check-ins]: too few answers to show" in text
    assert "- Standing link [1 check-ins]: not shown yet: the check-in is open" in text
    assert "Every figure covers whole groups of at least 5 answers" in text
    assert "Not shown yet, the check-in is open: 4 answers in 1 check-ins." in text
    assert "Never shown, too few answers: 2 answers in 1 check-ins." in text
    finnish = summary(FI, report(True, HELD), "fi")
    assert "Ei näytetä koskaan, liian vähän vastauksia: 2 vastausta, kyselyjä 1." in finnish


def chat(report: Report) -> str:
    return summary(EN, report, "en")


def command_line(report: Report) -> str:
    return table(EN, report, "en")


def test_a_report_with_everything_held_back_says_so_not_that_there_are_no_answers() -> None:
    for render in (chat, command_line):
        held_back = render(report(False, HELD))
        assert "There are answers, but no figures to show yet:" in held_back
        assert "no answers to report yet" not in held_back
        assert "Not shown yet, the check-in is open: 4 answers in 1 check-ins." in held_back
        assert "There are no answers to report yet." in render(report(False, []))


def test_the_command_line_table_shows_why_a_row_is_empty() -> None:
    lines = table(EN, report(True, HELD), "en").splitlines()
    small = next(line for line in lines if line.startswith("Small group"))
    assert "too few answers to show" in small
    big = next(line for line in lines if line.startswith("Big group"))
    assert "70.0" in big
    assert "Never shown, too few answers: 2 answers in 1 check-ins." in lines
