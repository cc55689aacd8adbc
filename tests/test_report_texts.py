"""A report in words: figures of released blocks, and what is held back and why."""

from datetime import date

from babel.support import Translations

from bot.core.instrument import load_instruments
from bot.core.report_model import Breakdown, ReportRequest, SessionInfo
from bot.core.reports import HeldSets, HoldReason, Report, build_report
from bot.core.sessions import SessionKind
from bot.ui.i18n import load_all
from bot.ui.report_texts import statements, summary, table
from tests.report_data import DAY, SV, TODAY, autumn_report, block, block_of

INSTRUMENTS = load_instruments()

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


START_END = [
    SessionInfo(4, "First day", 7, "Peer group", SessionKind.START, True, DAY),
    SessionInfo(5, "Last day", 7, "Peer group", SessionKind.END, True, date(2026, 9, 30)),
]


def start_end(start: list[float], end: list[float], breakdown: Breakdown) -> Report:
    blocks = [block(1, 4, date(2026, 9, 2), start), block(2, 5, date(2026, 10, 1), end)]
    request = ReportRequest(breakdown, activity_id=7)
    return build_report(request, START_END, blocks, [], as_of=TODAY, min_group_size=5)


def test_rows_are_named_in_words_not_keys() -> None:
    report = start_end([50.0] * 5, [60.0] * 5, Breakdown.MONTH)
    finnish = summary(FI, report, "fi")
    assert "- syyskuu 2026 [kyselyjä 1]: vastauksia 5, keskiarvo 50,0" in finnish
    assert "- lokakuu 2026 [kyselyjä 1]: vastauksia 5, keskiarvo 60,0" in finnish
    assert "2026-09" not in finnish
    assert "suomi, THL:n virallinen teksti (THL 2019)" in finnish
    by_kind = summary(FI, start_end([50.0] * 5, [60.0] * 5, Breakdown.KIND), "fi")
    assert "- Toiminnan alku [kyselyjä 1]: vastauksia 5" in by_kind
    assert "start" not in by_kind


def test_a_change_whose_interval_includes_zero_may_be_chance_and_counts_both_groups() -> None:
    text = summary(
        EN,
        start_end(
            [40.0, 50.0, 60.0, 70.0, 80.0], [45.0, 55.0, 65.0, 75.0, 85.0, 95.0], Breakdown.KIND
        ),
        "en",
    )
    assert "Change from start to end: +10.0 (\u2212" in text  # a real minus sign
    assert "The interval includes zero: the change may be chance." in text
    assert "The groups are not the same people: 5 answered at the start, 6 at the end." in text
    clear = summary(
        EN, start_end([20.0] * 3 + [22.5] * 2, [80.0] * 3 + [82.5] * 2, Breakdown.KIND), "en"
    )
    assert "Change from start to end: +60.0 (" in clear
    assert "The interval does not include zero: the change is hardly chance alone." in clear


def test_the_summary_says_what_the_interval_and_under_50_mean_and_compares_with_unemployed() -> (
    None
):
    text = summary(FI, start_end([50.0] * 5, [60.0] * 5, Breakdown.ACTIVITY), "fi")
    assert "Sulkeissa on 95\u00a0%:n luottamusväli" in text
    assert "Alle 50 tarkoittaa erittäin heikkoa osallisuuden kokemusta." in text
    assert "- aikuiset Suomessa 2019: keskiarvo 75,2, alle 50: 10 %" in text.replace("\u00a0", " ")
    assert "- työttömät aikuiset Suomessa 2019: alle 50: 24,5 %" in text.replace("\u00a0", " ")
    assert "Aika: kaikki vastaukset tähän asti." in text


def test_the_statements_one_by_one_spread_over_the_options_and_compare_start_and_end() -> None:
    """Start: five answered 3 to every statement; end: six answered 4."""
    blocks = [
        block_of(1, 4, date(2026, 9, 2), [(3,) * 10] * 5),
        block_of(2, 5, date(2026, 10, 1), [(4,) * 10] * 6),
    ]
    request = ReportRequest(Breakdown.KIND, activity_id=7)
    built = build_report(request, START_END, blocks, [], as_of=TODAY, min_group_size=5)
    [text] = statements(FI, built, INSTRUMENTS, "fi")
    lines = text.replace("\u00a0", " ").splitlines()
    assert lines[:4] == [
        "Väite kerrallaan: suomi, THL:n virallinen teksti (THL 2019), 11 vastausta.",
        "Alussa ja lopussa: ryhmän vastausten keskiarvo asteikolla 1–5.",  # noqa: RUF001
        "Ryhmissä ei ole samat ihmiset: alussa vastasi 5, lopussa 6. "
        "Kenenkään vastauksia ei yhdistetä toisiinsa.",
        "Kuinka suuri osa vastauksista oli kussakin vaihtoehdossa: 1 = täysin eri mieltä, "
        "2 = jokseenkin eri mieltä, 3 = ei samaa eikä eri mieltä, 4 = jokseenkin samaa mieltä, "
        "5 = täysin samaa mieltä.",
    ]
    for i, statement in enumerate(INSTRUMENTS["fi"].statements, start=1):
        at = lines.index(f"{i}. {statement}")
        assert lines[at + 1 : at + 3] == [
            "1: 0 % · 2: 0 % · 3: 45 % · 4: 55 % · 5: 0 %",
            "alussa 3,0, lopussa 4,0",
        ]
    assert len(text) < 4096  # one chat message


def test_the_statements_need_released_figures_and_are_named_in_the_answers_language() -> None:
    assert statements(EN, report(False, HELD), INSTRUMENTS, "en") == []
    held_end = build_report(
        ReportRequest(Breakdown.KIND, activity_id=7),
        START_END,
        [block(1, 4, date(2026, 9, 2), [50.0] * 5)],
        [HeldSets(5, HoldReason.TOO_FEW, 3)],
        as_of=TODAY,
        min_group_size=5,
    )
    [text] = statements(EN, held_end, INSTRUMENTS, "en")
    assert "start" not in text  # the end is too small: nothing to compare with
    assert "3 answered" not in text
    swedish = build_report(
        ReportRequest(Breakdown.SESSION, pool_provisional=True),
        SESSIONS,
        [block(1, 1, DAY, [50.0] * 5), block(2, 1, DAY, [50.0] * 5, SV)],
        [],
        as_of=TODAY,
        min_group_size=5,
    )
    [pooled] = statements(EN, swedish, INSTRUMENTS, "sv")
    assert f"\n1. {INSTRUMENTS['sv'].statements[0]}\n" in pooled  # the reader's language
    [own] = statements(EN, autumn_report(Breakdown.ACTIVITY), INSTRUMENTS, "en")[1:]
    assert f"\n1. {INSTRUMENTS['sv'].statements[0]}\n" in own  # the answers' language
