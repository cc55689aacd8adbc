"""The first sheet of the report workbook: the report in the coordinator's language, ready for
Excel, with a native chart of the means.

The other sheets keep fixed English identifiers for programs (see `bot.ui.report_files`); this
one is for people: headers in words, rows named in words, session rows with their activity,
day and kind, numbers rounded as the chat shows them (so the two agree to the last digit), and
a bar chart Excel draws itself from the cells, so it can be restyled or copied into a report.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any  # openpyxl has no types

from babel.support import Translations
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from bot.core.report_model import Breakdown
from bot.core.reports import ReleasedTable, Report, Row
from bot.core.statistics import Summary
from bot.ui import report_texts as words

SHEET = "Summary"
_TENTH = Decimal("0.1")
_HUNDREDTH = Decimal("0.01")


def shown(value: float, step: Decimal = _TENTH) -> float:
    """A figure rounded as the chat writes it (half to even, as Babel does)."""
    return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_EVEN))


def headers(t: Translations, breakdown: Breakdown) -> list[str]:
    """The table's headers in the coordinator's language."""
    _ = t.gettext
    names = [_("Group")]
    if breakdown is Breakdown.SESSION:
        names += [_("Activity"), _("Date"), _("Kind of check-in")]
    names += [
        _("Check-ins"),
        _("Answers"),
        _("Mean"),
        _("95 % CI from"),
        _("95 % CI to"),
        _("Share under 50"),
        _("Not shown because"),
    ]
    return names


def _line(t: Translations, breakdown: Breakdown, row: Row, locale: str) -> list[Any]:
    cell = row.cell
    line: list[Any] = [words.row_name(t, breakdown, cell, locale)]
    if breakdown is Breakdown.SESSION:
        session = cell.session
        line += (
            [session.activity_name, session.day, words.kind_name(t, session.kind)]
            if session is not None
            else [None, None, None]
        )
    line.append(cell.sessions)
    figures = row.figures
    if isinstance(figures, Summary):
        ci = figures.ci95
        line += [
            figures.n,
            shown(figures.mean),
            None if ci is None else shown(ci.low),
            None if ci is None else shown(ci.high),
            shown(figures.share_under_50, _HUNDREDTH),
            None,
        ]
    else:
        line += [None, None, None, None, None, words.figures(t, figures, locale)]
    return line


def add_summary_sheet(book: Any, report: Report, t: Translations, locale: str) -> None:
    """Put the summary sheet first in the workbook."""
    _ = t.gettext
    ws = book.create_sheet(SHEET, 0)
    breakdown = report.request.breakdown
    ws.append([_("Report {breakdown}").format(breakdown=words.breakdown_name(t, breakdown))])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            _("Period: {period}. Made on {day}.").format(
                period=words.period(t, report.request, locale), day=words.day(report.as_of, locale)
            )
        ]
    )
    ws.append([report.scope_label or _("All activities")])
    head = headers(t, breakdown)
    charted = False
    for table in report.tables:
        ws.append([])
        ws.append([", ".join(words.text_name(t, text, locale) for text in table.texts)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append(head)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        first = ws.max_row + 1
        for row in (*table.rows, table.total):
            ws.append(_line(t, breakdown, row, locale))
        _formats(ws, breakdown, len(head), first, ws.max_row)
        if not charted and isinstance(table.total.figures, Summary):
            _chart(ws, report, table, head, first, t)
            charted = True
    ws.append([])
    ws.append([_("For comparison (THL):")])
    ws.append([words.reference_line(t, r, locale) for r in words.chosen_references(report)])
    for line in [*words.meaning(t), *(words.held_line(t, h) for h in report.held)]:
        ws.append([line])
    ws.append(["Osallisuusindikaattori \u00a9 THL"])
    ws.column_dimensions["A"].width = 34
    for letter in "BCDEFGHIJK":
        ws.column_dimensions[letter].width = 14


def _formats(ws: Any, breakdown: Breakdown, width: int, first: int, last: int) -> None:
    share = width - 2  # the share under 50; mean and interval come before it
    for row in ws.iter_rows(min_row=first, max_row=last):
        for cell in row[share - 3 : share]:
            cell.number_format = "0.0"
        row[share].number_format = "0%"
        if breakdown is Breakdown.SESSION:
            row[2].number_format = "yyyy-mm-dd"


def _chart(
    ws: Any, report: Report, table: ReleasedTable, head: list[str], first: int, t: Translations
) -> None:
    """A bar chart of the means of the table's rows and all, drawn by Excel from the cells."""
    mean = head.index(t.gettext("Mean")) + 1
    last = first + len(table.rows)
    chart = BarChart()
    chart.type = "bar"
    chart.title = words.breakdown_name(t, report.request.breakdown)
    chart.y_axis.title = t.gettext("Mean, 95 % CI")
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.legend = None
    chart.add_data(
        Reference(ws, min_col=mean, min_row=first - 1, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.height = 3 + 0.8 * (last - first + 1)
    chart.width = 18
    ws.add_chart(chart, f"A{ws.max_row + 2}")
    for _ in range(int(chart.height * 2) + 2):  # leave the chart room before what follows
        ws.append([])
