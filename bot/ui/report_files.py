"""A report as files: the aggregate table and the per-statement answer distributions as CSV
and XLSX, and the row-level CSV of the server's command line.

Files are read by programs as much as by people, so column names are fixed English
identifiers, numbers are written with six decimals and a decimal point (never localised), and
an empty cell means "nothing to show". A figure held back is empty, never 0, and its row says
why in the `withheld` column. CSV files start with a UTF-8 byte order mark: without it, Excel
reads "ä" and "ö" in activity names as two characters each.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias  # Any: openpyxl has no types

from babel.support import Translations
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bot.core.report_model import OPTIONS, InstrumentText
from bot.core.reports import Figures, HoldReason, NoAnswers, NotShown, ReleasedTable, Report, Row
from bot.core.row_export import ExportRow
from bot.core.statistics import Difference, Summary
from bot.ui.summary_sheet import add_summary_sheet

Value: TypeAlias = str | int | float | None

AGGREGATE_COLUMNS = (
    "table",
    "instrument_texts",
    "pooled",
    "provisional",
    "breakdown",
    "row_key",
    "row_label",
    "sessions",
    "unfinished",
    "n",
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "share_under_50",
    "withheld",
)
STATEMENT_COLUMNS = (
    *AGGREGATE_COLUMNS[:7],
    "n",
    "statement",
    *(f"option_{j}" for j in range(1, OPTIONS + 1)),
)
ROW_COLUMNS = ExportRow._fields
HELD_WORDS = {
    HoldReason.OPEN: "not shown yet: the session is open",
    HoldReason.CLOSING: "not shown yet: the session closed just now",
    HoldReason.TOO_FEW: "too few answers to show",
}
REFERENCE_COLUMNS = ("population", "year", "mean", "share_under_50", "source")
TOTAL = "total"
START_END = "start_end"
# Far finer than any report shows, and the same in CSV and XLSX (openpyxl writes 16 digits).
DECIMALS = 6
_FIGURE_WIDTH = 6  # n, mean, sd, ci95_low, ci95_high, share_under_50


def texts_name(texts: Iterable[InstrumentText]) -> str:
    """The instrument texts a table covers, e.g. "fi official THL 2019"; pooled ones by "; "."""
    return "; ".join(f"{t.language} {t.status} {t.version}" for t in texts)


def aggregate_rows(report: Report) -> list[tuple[Value, ...]]:
    """The aggregate table, one tuple per line, in `AGGREGATE_COLUMNS` order.

    Per table: its rows, its total, then start, end and their difference when the report
    compares them. In the difference line `mean` is end minus start and the interval Welch's.
    """
    breakdown = report.request.breakdown.value
    lines: list[tuple[Value, ...]] = []
    for number, table in enumerate(report.tables, start=1):
        head: tuple[Value, ...] = (
            number,
            texts_name(table.texts),
            _yes_no(table.pooled),
            _yes_no(table.provisional),
        )
        lines += [(*head, breakdown, *_row(row)) for row in table.rows]
        lines.append((*head, TOTAL, *_row(table.total)))
        lines += [(*head, START_END, *line) for line in _start_end(table)]
    return lines


def statement_rows(report: Report) -> list[tuple[Value, ...]]:
    """How many sets chose each option of each statement, in `STATEMENT_COLUMNS` order.

    Ten lines per row and total that has figures: released blocks only, as every figure.
    """
    breakdown = report.request.breakdown.value
    lines: list[tuple[Value, ...]] = []
    for number, table in enumerate(report.tables, start=1):
        head = (number, texts_name(table.texts), _yes_no(table.pooled), _yes_no(table.provisional))
        for kind, row in [*((breakdown, row) for row in table.rows), (TOTAL, table.total)]:
            if row.statements is None or not isinstance(row.figures, Summary):
                continue
            where = (*head, kind, row.cell.key, row.cell.label, row.figures.n)
            lines += [(*where, i, *counts) for i, counts in enumerate(row.statements, start=1)]
    return lines


def statements_csv(report: Report) -> bytes:
    """The per-statement answer distributions as CSV (as the aggregate table)."""
    return _csv(STATEMENT_COLUMNS, statement_rows(report))


def aggregate_csv(report: Report) -> bytes:
    """The aggregate table as CSV (UTF-8 with BOM, comma-separated, a header row)."""
    return _csv(AGGREGATE_COLUMNS, aggregate_rows(report))


def rows_csv(rows: Iterable[ExportRow]) -> bytes:
    """The row-level CSV, rows in the order given (random: never as stored)."""
    return _csv(ROW_COLUMNS, rows)  # a row's fields are the columns; kinds are strings


def aggregate_xlsx(report: Report, t: Translations, locale: str) -> bytes:
    """The report in the reader's language with a chart, then the aggregate table, the
    statement distributions, the reference figures and what the file covers, as a workbook."""
    book = Workbook()
    table = book.create_sheet("Table")
    book.remove(book.worksheets[0])  # the default empty sheet
    add_summary_sheet(book, report, t, locale)
    _fill(table, AGGREGATE_COLUMNS, aggregate_rows(report))
    for name in ("mean", "sd", "ci95_low", "ci95_high"):
        _format_column(table, AGGREGATE_COLUMNS, name, "0.0")
    _format_column(table, AGGREGATE_COLUMNS, "share_under_50", "0%")
    _fill(book.create_sheet("Statements"), STATEMENT_COLUMNS, statement_rows(report))
    references = book.create_sheet("References")
    _fill(
        references,
        REFERENCE_COLUMNS,
        [(r.population, r.year, r.mean, r.share_under_50, r.source) for r in report.references],
    )
    _format_column(references, REFERENCE_COLUMNS, "share_under_50", "0.0%")
    about = book.create_sheet("About")
    _fill(about, ("item", "value"), _about(report))
    for row in about.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _row(row: Row) -> tuple[Value, ...]:
    cell = row.cell
    return (cell.key, cell.label, cell.sessions, cell.unfinished, *_figures(row.figures))


def _figures(figures: Figures | Difference) -> tuple[Value, ...]:
    """n, mean, sd, ci95_low, ci95_high, share_under_50, withheld."""
    if isinstance(figures, Summary):
        ci = figures.ci95
        return (
            figures.n,
            _decimal(figures.mean),
            _decimal(figures.sd),
            _decimal(None if ci is None else ci.low),
            _decimal(None if ci is None else ci.high),
            _decimal(figures.share_under_50),
            "",
        )
    if isinstance(figures, Difference):
        ci = figures.ci95
        low, high = (None, None) if ci is None else (ci.low, ci.high)
        return (None, _decimal(figures.difference), None, _decimal(low), _decimal(high), None, "")
    if isinstance(figures, NotShown):
        return (*(None,) * _FIGURE_WIDTH, "; ".join(HELD_WORDS[r] for r in figures.reasons))
    return (0, *(None,) * (_FIGURE_WIDTH - 1), "")


def _decimal(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def _start_end(table: ReleasedTable) -> list[tuple[Value, ...]]:
    pair = table.start_end
    if pair is None:
        return []
    difference = pair.difference
    return [
        ("start", "start", None, None, *_figures(pair.start)),
        ("end", "end", None, None, *_figures(pair.end)),
        (
            "difference",
            "end minus start",
            None,
            None,
            *(
                (*(None,) * _FIGURE_WIDTH, "")
                if isinstance(difference, NoAnswers)
                else _figures(difference)
            ),
        ),
    ]


def _csv(header: Sequence[str], lines: Iterable[Sequence[Value]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # None is written as an empty field
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue().encode("utf-8-sig")


def _fill(ws: Any, header: Sequence[str], lines: Iterable[Sequence[Value]]) -> None:
    """Write a header row (bold, frozen, filterable) and the lines to a worksheet."""
    ws.append(list(header))
    for line in lines:
        ws.append(list(line))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for column, name in zip(ws.iter_cols(min_row=1, max_row=1), header, strict=True):
        ws.column_dimensions[column[0].column_letter].width = max(12, len(name) + 2)


def _format_column(ws: Any, header: Sequence[str], name: str, number_format: str) -> None:
    """How Excel shows a column; the cells keep their full precision."""
    for cell in ws[get_column_letter(header.index(name) + 1)][1:]:
        cell.number_format = number_format


def _about(report: Report) -> list[tuple[str, str]]:
    request = report.request
    if request.session_id is not None:
        scope = f"one session (id {request.session_id})"
    elif request.activity_id is not None:
        scope = f"one activity (id {request.activity_id})"
    else:
        scope = "all sessions"
    dates = f"{request.first_day or 'first'} to {request.last_day or 'last'} day with answers"
    lines = [
        ("What this is", "Anonymous totals of Osallisuusindikaattori (ESIS) check-ins."),
        ("As of", report.as_of.isoformat()),
        ("Scope", scope),
        ("Dates", dates),
        ("Breakdown", request.breakdown.value),
        ("Minimum group size", str(report.min_group_size)),
        (
            "How figures are made",
            "Every figure is the union of whole released blocks of at least "
            f"{report.min_group_size} answer sets of one session in one instrument text. A "
            "closed session's sets are released once its time to finish is over; an open "
            "session's in whole days, once they reach the minimum. A block belongs to the day "
            "and month of its release. Smaller groups are never shown: a row without released "
            'blocks has empty cells and the column "withheld" says why.',
        ),
    ]
    lines += [
        (f"Left out: {HELD_WORDS[held.reason]}", f"{held.sets} sets in {held.sessions} sessions")
        for held in report.held
    ]
    for number, table in enumerate(report.tables, start=1):
        lines.append((f"Table {number} covers", _coverage(table)))
    lines.append(
        (
            "Reference figures",
            "Published population figures, for context only: small groups vary far more.",
        )
    )
    return lines


def _coverage(table: ReleasedTable) -> str:
    if not table.texts:
        return "no answers yet"
    names = [
        f"{texts_name([text])} ("
        + ("THL's official text" if text.official else "provisional translation")
        + ")"
        for text in table.texts
    ]
    pooled = " Pooled: the figures mix these texts." if table.pooled else ""
    return "; ".join(names) + "." + pooled
