"""One report, four renderings: the chat summary, the chart, the workbook's summary sheet (with
its native chart) and the text table show the same figures."""

import io
import re
import zipfile
from datetime import date, datetime

from babel.support import Translations
from openpyxl import load_workbook

from bot.core.report_model import Breakdown, ReportRequest
from bot.core.reports import Report, build_report
from bot.core.statistics import Summary
from bot.ui.i18n import load_all
from bot.ui.report_charts import charts
from bot.ui.report_files import aggregate_xlsx
from bot.ui.report_texts import number, summary, table
from tests.report_data import AUTUMN_DAYS, autumn

FI: Translations = load_all()["fi"]


def report(breakdown: Breakdown, activity_id: int | None = None) -> Report:
    sessions, blocks, held = autumn()
    request = ReportRequest(
        breakdown, activity_id=activity_id, first_day=AUTUMN_DAYS[0], last_day=AUTUMN_DAYS[1]
    )
    return build_report(
        request, sessions, blocks, held, as_of=date(2026, 12, 20), min_group_size=5
    )


def summary_rows(built: Report) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(aggregate_xlsx(built, FI, "fi")))
    assert book.sheetnames[0] == "Summary"
    return list(book["Summary"].iter_rows(values_only=True))


def test_every_number_agrees_across_chat_chart_workbook_and_table() -> None:
    built = report(Breakdown.ACTIVITY)
    official = built.tables[0]
    chat = summary(FI, built, "fi")
    text_table = table(FI, built, "fi")
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


def test_the_workbook_summary_is_in_the_readers_language_with_a_native_chart() -> None:
    built = report(Breakdown.SESSION, activity_id=1)
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
