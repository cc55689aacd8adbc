"""One report, five renderings: the chat summary, the chart, the workbook's summary sheet (with
its native chart), the text table and the one-page PDF show the same figures, and the
statements one by one agree between the chat, the PDF, the workbook and their chart."""

import io
import re
import zipfile
from datetime import date, datetime

import pypdf
from babel.support import Translations
from openpyxl import load_workbook

from bot.core.instrument import load_instruments
from bot.core.report_model import Breakdown
from bot.core.reports import Report
from bot.core.statistics import Summary
from bot.ui import report_texts
from bot.ui.i18n import load_all
from bot.ui.report_charts import charts
from bot.ui.report_files import aggregate_xlsx
from bot.ui.report_pdf import report_pdf
from bot.ui.report_texts import number, share, statements, summary, table
from bot.ui.statement_charts import SHOWN_SHARE, statement_charts
from tests.report_data import autumn_report
from tests.test_report_pdf import alt_texts, flat

INSTRUMENTS = load_instruments()

FI: Translations = load_all()["fi"]


def summary_rows(built: Report) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(aggregate_xlsx(built, FI, "fi")))
    assert book.sheetnames[0] == "Summary"
    return list(book["Summary"].iter_rows(values_only=True))


def read_pdf(built: Report) -> tuple[str, str]:
    """The PDF's words as one run, and its chart's alternative text."""
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(built, INSTRUMENTS, FI, "fi")))
    [alt] = alt_texts(reader)
    return flat(reader.pages[0].extract_text()), alt


def test_every_number_agrees_across_chat_chart_workbook_table_and_pdf() -> None:
    built = autumn_report(Breakdown.ACTIVITY)
    official = built.tables[0]
    chat = summary(FI, built, "fi")
    text_table = table(FI, built, "fi")
    page, alt = read_pdf(built)
    means_axis = charts(built, FI, "fi")[0].figure.axes[0]
    drawn = [
        text.get_text() for text in means_axis.texts if re.fullmatch(r"\d+,\d", text.get_text())
    ]
    sheet = summary_rows(built)
    header = sheet.index(
        (
            "Ryhmä",
            "Kyselyjä",
            "Vastauksia",
            "Keskiarvo",
            "95 %:n luottamusväli, alku",
            "95 %:n luottamusväli, loppu",
            "Alle 50:n osuus",
            "Miksi ei näytetä",
        )
    )
    lines = {line[0]: line for line in sheet[header + 1 : header + 1 + len(official.rows) + 1]}
    for row in (*official.rows, official.total):
        figures = row.figures
        assert isinstance(figures, Summary)
        mean = number(figures.mean, "fi")
        assert f"vastauksia {figures.n}, keskiarvo {mean}" in chat
        assert mean in drawn
        name = "Kaikki" if row is official.total else row.cell.label
        line = lines[name]
        assert line[2] == figures.n
        assert f"{line[3]:.1f}".replace(".", ",") == mean
        assert any(mean in text_line for text_line in text_table.splitlines() if name in text_line)
        said = report_texts.figures(FI, figures, "fi")
        assert said in chat
        if row is official.total:
            assert flat(f"Kaikki: {said}") in page
        else:
            assert f"{name} [kyselyjä {row.cell.sessions}]: {said}" in alt


def test_the_statements_agree_across_chat_pdf_workbook_and_chart() -> None:
    built = autumn_report(Breakdown.ACTIVITY)
    book = load_workbook(io.BytesIO(aggregate_xlsx(built, FI, "fi")))
    head, *lines = list(book["Statements"].iter_rows(values_only=True))
    column = {name: i for i, name in enumerate(head)}
    counts = [
        [int(str(line[column[f"option_{j}"]])) for j in range(1, 6)]
        for line in lines
        if line[column["table"]] == 1 and line[column["breakdown"]] == "total"
    ]
    total = built.tables[0].total.figures
    assert isinstance(total, Summary)
    n = total.n
    shares = [[share(c / n, "fi") for c in row] for row in counts]
    chat = statements(FI, built, INSTRUMENTS, "fi")[0]
    page, _alt = read_pdf(built)
    for i, (statement, row) in enumerate(
        zip(INSTRUMENTS["fi"].statements, shares, strict=True), start=1
    ):
        spread = " · ".join(f"{j}: {value}" for j, value in enumerate(row, start=1))
        assert f"{i}. {statement}\n{spread}" in chat
        assert flat(f"{i}. {statement} {' '.join(row)}") in page
    drawn = statement_charts(built, INSTRUMENTS, FI, "fi")[0].figure.axes[0]
    written = [
        share(row[option] / n, "fi")
        for option in range(5)
        for row in counts
        if row[option] / n >= SHOWN_SHARE
    ]
    assert [text.get_text() for text in drawn.texts] == written


def test_the_workbook_summary_is_in_the_readers_language_with_a_native_chart() -> None:
    built = autumn_report(Breakdown.SESSION, activity_id=1)
    workbook = aggregate_xlsx(built, FI, "fi")
    rows = list(load_workbook(io.BytesIO(workbook))["Summary"].iter_rows(values_only=True))
    assert rows[0][0] == "Yhteenveto kyselyittäin"
    header = next(i for i, row in enumerate(rows) if row[0] == "Ryhmä")
    assert rows[header][:4] == ("Ryhmä", "Toiminta", "Päivä", "Kyselyn tyyppi")
    first = rows[header + 1]
    assert (first[0], first[1], first[3]) == (
        "Avoin työhuone 10.9.",
        "Avoin työhuone, Kotka",
        "Yksittäinen kysely",
    )
    day = first[2]  # Excel's dates have a time of day
    assert isinstance(day, datetime)
    assert day.date() == date(2026, 9, 10)
    with zipfile.ZipFile(io.BytesIO(workbook)) as parts:  # the chart Excel itself draws
        [chart] = [name for name in parts.namelist() if name.startswith("xl/charts/")]
        drawn = parts.read(chart).decode()
    assert "<barChart>" in drawn
    assert f"'Summary'!$G${header + 2}:$G${header + 9}" in drawn  # the means, from the cells
    assert "Osallisuusindikaattori © THL" in [row[0] for row in rows]
