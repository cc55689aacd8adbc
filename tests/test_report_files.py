"""Files read back with csv and openpyxl hold exactly the released report's figures."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from bot.core.instrument import Status
from bot.core.report_model import Breakdown, InstrumentText, ReportRequest, SessionInfo
from bot.core.reports import (
    REFERENCES,
    Figures,
    HeldSets,
    HoldReason,
    NoAnswers,
    NotShown,
    Report,
    build_report,
)
from bot.core.row_export import ExportRow
from bot.core.sessions import SessionKind
from bot.core.statistics import Difference, Summary
from bot.ui.i18n import load_all
from bot.ui.report_files import (
    AGGREGATE_COLUMNS,
    DECIMALS,
    HELD_WORDS,
    REFERENCE_COLUMNS,
    ROW_COLUMNS,
    STATEMENT_COLUMNS,
    aggregate_csv,
    aggregate_rows,
    aggregate_xlsx,
    rows_csv,
    statement_rows,
    statements_csv,
)
from tests.report_data import DAY, FI, SV, TODAY, block

K = 5
TOO_FEW = HELD_WORDS[HoldReason.TOO_FEW]

EN = load_all()["en"]


def session(i: int, kind: SessionKind = SessionKind.SINGLE, unfinished: int = 0) -> SessionInfo:
    return SessionInfo(i, f"Työpaja {i}", 7, "Äänipaja", kind, True, DAY, unfinished)


def report(
    request: ReportRequest,
    pool: dict[int, list[tuple[InstrumentText, list[float]]]],
    held: tuple[HeldSets, ...] = (),
) -> Report:
    kinds = {1: SessionKind.START, 2: SessionKind.START, 3: SessionKind.END, 4: SessionKind.END}
    sessions = [session(i, kinds.get(i, SessionKind.SINGLE), unfinished=i) for i in pool]
    blocks = [
        block(10 * i + j, i, DAY, scores, text)
        for i, texts in pool.items()
        for j, (text, scores) in enumerate(texts)
    ]
    return build_report(request, sessions, blocks, held, as_of=TODAY, min_group_size=K)


def fi(*scores: float) -> list[tuple[InstrumentText, list[float]]]:
    return [(FI, list(scores))]


# Session 2 has only two sets: they are never released. Session 4 has a Swedish block too.
DATA = {
    1: fi(50, 60, 70, 80, 90, 100),
    2: [],
    3: fi(25, 50, 75, 77.5, 80, 82.5, 85),
    4: [*fi(40, 45, 55, 60, 65, 70, 75, 80), (SV, [30.0, 35.0, 40.0, 45.0, 50.0])],
}
HELD = (HeldSets(2, HoldReason.TOO_FEW, 2), HeldSets(4, HoldReason.OPEN, 1))


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for "ä"
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert tuple(lines[0]) == AGGREGATE_COLUMNS
    return [dict(zip(AGGREGATE_COLUMNS, line, strict=True)) for line in lines[1:]]


def expected(figures: Figures) -> dict[str, str]:
    """The numeric cells a figure must have in the CSV."""
    if isinstance(figures, NotShown):
        return dict.fromkeys(("n", "mean", "sd", "ci95_low", "ci95_high"), "") | {
            "share_under_50": "",
            "withheld": "; ".join(HELD_WORDS[r] for r in figures.reasons),
        }
    if isinstance(figures, NoAnswers):
        return {"n": "0", "mean": "", "withheld": ""}
    assert figures.ci95 is not None
    assert figures.sd is not None
    return {
        "n": str(figures.n),
        "mean": str(round(figures.mean, DECIMALS)),
        "sd": str(round(figures.sd, DECIMALS)),
        "ci95_low": str(round(figures.ci95.low, DECIMALS)),
        "ci95_high": str(round(figures.ci95.high, DECIMALS)),
        "share_under_50": str(round(figures.share_under_50, DECIMALS)),
        "withheld": "",
    }


def test_the_csv_holds_every_figure_and_held_back_cells_are_empty() -> None:
    built = report(ReportRequest(Breakdown.SESSION, activity_id=7), DATA, HELD)
    lines = read_csv(aggregate_csv(built))
    fi_table, sv_table = built.tables
    fi_lines = [line for line in lines if line["table"] == "1"]
    by_key = {(line["breakdown"], line["row_key"]): line for line in fi_lines}

    for row in fi_table.rows:
        line = by_key["session", row.cell.key]
        assert line["row_label"] == row.cell.label
        assert line["sessions"] == "1"
        assert line["unfinished"] == row.cell.key  # session i has i unfinished check-ins
        assert expected(row.figures).items() <= line.items()
    assert [isinstance(row.figures, NotShown) for row in fi_table.rows] == [
        False,
        True,
        False,
        False,
    ]
    assert by_key["session", "2"]["withheld"] == TOO_FEW
    assert expected(fi_table.total.figures).items() <= by_key["total", "total"].items()
    assert by_key["total", "total"]["n"] == "21"
    assert fi_table.start_end is not None
    assert expected(fi_table.start_end.start).items() <= by_key["start_end", "start"].items()
    assert expected(fi_table.start_end.end).items() <= by_key["start_end", "end"].items()

    for line in lines:
        if line["row_key"] != "difference":  # a difference has no n of its own
            assert (line["withheld"] != "") == (line["n"] == "")
        if line["withheld"]:
            assert line["mean"] == line["share_under_50"] == ""  # never 0
    assert {line["instrument_texts"] for line in fi_lines} == {"fi official THL 2019"}
    assert {(line["pooled"], line["provisional"]) for line in fi_lines} == {("no", "no")}
    sv_lines = [line for line in lines if line["table"] == "2"]
    assert {line["instrument_texts"] for line in sv_lines} == {"sv provisional draft 1"}
    assert {line["provisional"] for line in sv_lines} == {"yes"}
    assert len(sv_lines) == len(sv_table.rows) + 1 + 3
    sv_by_key = {line["row_key"]: line for line in sv_lines}
    assert sv_by_key["1"]["n"] == "0"  # no Swedish answers: nothing held back there either
    assert sv_by_key["4"]["n"] == "5"


def test_statement_distributions_cover_rows_with_figures_only() -> None:
    built = report(ReportRequest(Breakdown.SESSION, activity_id=7), DATA, HELD)
    lines = list(csv.reader(io.StringIO(statements_csv(built).decode("utf-8-sig"))))
    assert tuple(lines[0]) == STATEMENT_COLUMNS
    assert STATEMENT_COLUMNS[-5:] == ("option_1", "option_2", "option_3", "option_4", "option_5")
    rows = statement_rows(built)
    assert [list(map(str, row)) for row in rows] == [
        ["" if v is None else v for v in line] for line in lines[1:]
    ]
    keys = [(row[0], row[5]) for row in rows if row[8] == 1]
    assert keys == [(1, "1"), (1, "3"), (1, "4"), (1, "total"), (2, "4"), (2, "total")]
    for row in rows:
        counts = row[9:]
        assert sum(int(str(n)) for n in counts) == row[7]  # every set chose one option
    total = {row[8]: row[9:] for row in rows if row[0] == 1 and row[5] == "total"}
    fi_table = built.tables[0]
    assert fi_table.total.statements is not None
    assert tuple(total[i + 1] for i in range(10)) == fi_table.total.statements


def test_start_versus_end_has_a_difference_line() -> None:
    data = {1: fi(50, 60, 70, 80, 90), 3: fi(25, 50, 75, 80, 85, 90)}
    built = report(ReportRequest(Breakdown.KIND, activity_id=7), data)
    pair = built.tables[0].start_end
    assert pair is not None
    assert isinstance(pair.difference, Difference)
    assert pair.difference.ci95 is not None
    [line] = [line for line in read_csv(aggregate_csv(built)) if line["row_key"] == "difference"]
    assert float(line["mean"]) == round(pair.difference.difference, DECIMALS)
    assert float(line["ci95_low"]) == round(pair.difference.ci95.low, DECIMALS)
    assert float(line["ci95_high"]) == round(pair.difference.ci95.high, DECIMALS)
    assert line["n"] == line["withheld"] == ""


def test_a_pooled_table_lists_its_texts_and_says_it_is_pooled() -> None:
    built = report(ReportRequest(Breakdown.LANGUAGE, pool_provisional=True), DATA)
    lines = read_csv(aggregate_csv(built))
    assert {line["instrument_texts"] for line in lines} == {
        "fi official THL 2019; sv provisional draft 1"
    }
    assert {(line["pooled"], line["provisional"]) for line in lines} == {("yes", "yes")}
    by_language = {line["row_key"]: line for line in lines if line["breakdown"] == "language"}
    assert by_language["sv"]["n"] == "5"
    assert by_language["sv"]["sessions"] == ""  # sessions do not split by language


def test_numbers_are_not_localised() -> None:
    built = report(ReportRequest(Breakdown.ACTIVITY), {3: fi(25, 50, 75, 77.5, 80, 82.5, 85)})
    total = next(line for line in read_csv(aggregate_csv(built)) if line["row_key"] == "total")
    assert total["mean"] == "67.857143"
    assert total["share_under_50"] == "0.142857"


def test_the_workbook_matches_the_csv_and_says_what_it_covers() -> None:
    built = report(ReportRequest(Breakdown.SESSION, activity_id=7), DATA, HELD)
    book = load_workbook(io.BytesIO(aggregate_xlsx(built, EN, "en")))
    assert book.sheetnames == ["Summary", "Table", "Statements", "References", "About"]

    table = [list(row) for row in book["Table"].iter_rows(values_only=True)]
    assert tuple(table[0]) == AGGREGATE_COLUMNS
    written = [[None if v == "" else v for v in line] for line in aggregate_rows(built)]
    assert table[1:] == written
    withheld = [line for line in table[1:] if line[-1] == TOO_FEW]
    assert withheld
    assert all(value is None for line in withheld for value in line[9:15])
    shown = next(line for line in table[1:] if line[5] == "total" and line[0] == 1)
    total = built.tables[0].total.figures
    assert isinstance(total, Summary)
    assert shown[9:11] == [total.n, round(total.mean, DECIMALS)]
    statements = [list(row) for row in book["Statements"].iter_rows(values_only=True)]
    assert tuple(statements[0]) == STATEMENT_COLUMNS
    assert statements[1:] == [
        [None if v == "" else v for v in line] for line in statement_rows(built)
    ]

    references = list(book["References"].iter_rows(values_only=True))
    assert references[0] == REFERENCE_COLUMNS
    assert references[1:] == [
        (r.population, r.year, r.mean, r.share_under_50, r.source) for r in REFERENCES
    ]

    about = about_sheet(book)
    assert about["Minimum group size"] == str(K)
    assert about["Table 1 covers"] == "fi official THL 2019 (THL's official text)."
    assert "provisional translation" in str(about["Table 2 covers"])
    assert about["Scope"] == "one activity (id 7)"
    assert "whole released blocks of at least 5" in str(about["How figures are made"])
    assert about[f"Left out: {TOO_FEW}"] == "2 sets in 1 sessions"


def about_sheet(book: Workbook) -> dict[object, object]:
    return {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}


@pytest.mark.parametrize("pool", [False, True])
def test_an_empty_report_still_makes_valid_files(pool: bool) -> None:
    built = report(ReportRequest(pool_provisional=pool), {})
    assert built.is_empty
    assert [line["n"] for line in read_csv(aggregate_csv(built))] == ["0"]
    book = load_workbook(io.BytesIO(aggregate_xlsx(built, EN, "en")))
    assert about_sheet(book)["Table 1 covers"] == ("no answers yet")


def test_the_row_file_has_one_line_per_row_in_the_documented_columns() -> None:
    rows = [
        ExportRow(
            "Äänipaja",
            3,
            "Työpaja, Kotka",
            SessionKind.END,
            "2024-03",
            "sv",
            Status.PROVISIONAL,
            "draft 1",
            *(1, 2, 3, 4, 5, 5, 4, 3, 2, 1),
            50.0,
        )
    ]
    content = rows_csv(rows)
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert tuple(lines[0]) == ROW_COLUMNS
    assert lines[1] == [
        "Äänipaja",
        "3",
        "Työpaja, Kotka",
        "end",
        "2024-03",
        "sv",
        "provisional",
        "draft 1",
        *"1234554321",
        "50.0",
    ]
    assert rows_csv([]).decode("utf-8-sig").splitlines() == [",".join(ROW_COLUMNS)]
