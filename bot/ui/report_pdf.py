"""A report on one A4 page (PDF), to print or to send on as it is.

The page has a headline (what, which activity and period, n, the day it was made), the main
figures, the chart for the question asked, what the figures mean, the statements one by one,
what is left out and why, the comparison figures with their population and year, and the
source. Everything but the chart is real text in the reader's language (see `bot.ui.a4`); the
chart carries its figures as alternative text, so a screen reader reads them too.

It renders the same `Report` as the chat, the charts and the workbook: figures of released
blocks only, in the same words. The page always stays one page: the chart takes the room the
words leave, and the words get smaller only when the chart would otherwise be too small.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from babel.support import Translations
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from bot.core.instrument import Instrument
from bot.core.reports import ReleasedTable, Report, statement_figures
from bot.core.statistics import Summary
from bot.ui import report_charts
from bot.ui import report_texts as words
from bot.ui.a4 import FONT, a4, line_start, printable

MARGIN = 12  # millimetres
PAGE_HEIGHT = 297
SCRATCH_HEIGHT = 2000  # a page long enough to measure any report's words on
GAP = 2.0  # millimetres between sections
LARGEST_CHART = 150  # millimetres high
SMALLEST_CHART = 55  # below this the words get smaller instead
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)  # of every font size, largest first
CHART_DPI = 200  # sharp when printed at the width of the page
POINT = 0.3528  # millimetres
LINE = 1.3  # line height, relative to the font size
GREY = (90, 90, 90)


@dataclass(frozen=True, slots=True)
class Sizes:
    """Font sizes (points) at one scale."""

    title: float
    heading: float
    body: float
    small: float

    @classmethod
    def at(cls, scale: float) -> Sizes:
        return cls(15 * scale, 10.5 * scale, 8.5 * scale, 7.5 * scale)


@dataclass(frozen=True, slots=True)
class StatementTable:
    """The statements one by one: a line of words above a table of shares (and means)."""

    intro: tuple[str, ...]
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Drawing:
    """The chart for the question: its image, its shape and what it shows in words."""

    png: bytes
    aspect: float  # width / height
    alt_text: str


@dataclass(frozen=True, slots=True)
class Page:
    """What the page says, in the reader's language, before it is laid out."""

    lang: str
    title: str
    facts: str
    figures: tuple[tuple[str, bool], ...]  # (line, bold)
    chart: Drawing | None
    meaning_head: str
    meaning: tuple[str, ...]
    statements: StatementTable | None
    left_out_head: str
    left_out: tuple[str, ...]
    source: str


def file_name(report: Report) -> str:
    """The PDF's file name, the same from the chat and the command line."""
    return f"checkin-report-{report.as_of.isoformat()}.pdf"


def report_pdf(
    report: Report, instruments: Mapping[str, Instrument], t: Translations, locale: str
) -> bytes:
    """The report on one A4 page, in the reader's language."""
    page = _page(report, instruments, t, locale)
    title = printable(f"{page.title} \u00b7 {page.facts}")
    for scale in SCALES:
        sizes = Sizes.at(scale)
        with a4(page.lang, title, MARGIN, height=SCRATCH_HEIGHT) as scratch:
            used = _draw(scratch, page, sizes, None)
        room = min(LARGEST_CHART, PAGE_HEIGHT - MARGIN - GAP - used)
        if page.chart is None or room >= SMALLEST_CHART:
            break
    with a4(page.lang, title, MARGIN) as pdf:
        _draw(pdf, page, sizes, max(room, 0.0))
        return bytes(pdf.output())


def _main_table(report: Report) -> ReleasedTable | None:
    """The table the chart and the statements show: the first with figures (official texts
    come first)."""
    return next((t for t in report.tables if isinstance(t.total.figures, Summary)), None)


def _page(
    report: Report, instruments: Mapping[str, Instrument], t: Translations, locale: str
) -> Page:
    _ = t.gettext
    breakdown = words.breakdown_name(t, report.request.breakdown)
    main = _main_table(report)
    drawn = report_charts.question_chart(report, t, locale)
    return Page(
        lang=locale,
        title=_("Inclusion indicator: report {breakdown}").format(breakdown=breakdown),
        facts=words.facts(t, report, words.answers_in_figures(report), locale),
        figures=tuple(_figures(report, t, locale)),
        chart=_drawing(drawn, main, report, t, locale) if drawn and main else None,
        meaning_head=_("What the figures mean"),
        meaning=tuple(_meaning(report, t, locale)),
        statements=None if main is None else _statements(report, main, instruments, t, locale),
        left_out_head=_("What is left out, and why"),
        left_out=(
            words.rule(t, report),
            *(
                words.left_out_lines(t, report, main, locale)
                if main is not None
                else [words.held_line(t, held) for held in report.held]
            ),
        ),
        source=report_charts.SOURCE,
    )


def _figures(report: Report, t: Translations, locale: str) -> list[tuple[str, bool]]:
    """Each instrument text's figures for all, and start versus end when compared."""
    _ = t.gettext
    if report.is_empty:
        return [(words.nothing_to_show(t, report), False)]
    lines = []
    for table in report.tables:
        texts = ", ".join(words.text_name(t, text, locale) for text in table.texts)
        lines.append((texts, True))
        if table.pooled:
            lines.append((_("Note: these figures pool different texts."), False))
        total = words.figures(t, table.total.figures, locale)
        lines.append((_("All: {figures}").format(figures=total), False))
        if table.start_end is not None:
            lines += [(line, False) for line in words.start_end_lines(t, table.start_end, locale)]
    return lines


def _drawing(
    chart: report_charts.Chart, table: ReleasedTable, report: Report, t: Translations, locale: str
) -> Drawing:
    width, height = chart.figure.get_size_inches()
    breakdown = report.request.breakdown
    rows = [words.row_line(t, breakdown, row, locale) for row in table.rows]
    if table.start_end is not None:
        rows += words.start_end_lines(t, table.start_end, locale)
    alt = "\n".join([chart.headline, *rows])
    return Drawing(chart.png(CHART_DPI), float(width / height), alt)


def _meaning(report: Report, t: Translations, locale: str) -> list[str]:
    """The interval, under 50, whether a change may be chance, and the comparison figures."""
    _ = t.gettext
    lines = words.meaning(t)
    for table in report.tables:
        if table.start_end is not None:
            lines += words.change_meaning(t, table.start_end)
    comparison = "; ".join(
        f"{words.reference_line(t, r, locale)} ({r.source})"
        for r in words.chosen_references(report)
    )
    lines.append(_("For comparison (THL):") + " " + comparison + ".")
    return lines


def _statements(
    report: Report,
    table: ReleasedTable,
    instruments: Mapping[str, Instrument],
    t: Translations,
    locale: str,
) -> StatementTable | None:
    """The main table's statements; the other texts' are named as being in the workbook."""
    _ = t.gettext
    found = statement_figures(table)
    if not found:
        return None
    instrument = words.statement_words(table, instruments, locale)
    intro = [
        *words.statements_intro(t, table, locale, people=False),  # said under "meaning"
        _("The share of answers in each option: {options}.").format(
            options=words.option_key(instrument)
        ),
    ]
    others = [
        ", ".join(words.text_name(t, text, locale) for text in other.texts)
        for other in report.tables
        if other is not table and statement_figures(other)
    ]
    if others:
        intro.append(
            _("The statements in {texts} are in the spreadsheet (XLSX).").format(
                texts="; ".join(others)
            )
        )
    compared = found[0].start is not None
    head = (_("Statement"), *(str(j) for j in range(1, len(instrument.options) + 1)))
    if compared:
        head += (_("At start"), _("At end"))
    rows = []
    for number, (text, figures) in enumerate(zip(instrument.statements, found, strict=True), 1):
        row = (f"{number}. {text}", *(words.share(s, locale) for s in figures.shares))
        if figures.start is not None and figures.end is not None:
            row += (words.number(figures.start, locale), words.number(figures.end, locale))
        rows.append(row)
    return StatementTable(tuple(intro), head, tuple(rows))


def _draw(pdf: FPDF, page: Page, sizes: Sizes, chart_height: float | None) -> float:
    """Lay the page out (without a chart height: no chart, to measure the words); returns
    where the page's words end, in millimetres from the top."""
    write = _Writer(pdf, line_start(page.lang))
    write.text(page.title, sizes.title, bold=True)
    write.text(page.facts, sizes.body)
    pdf.ln(GAP)
    for line, bold in page.figures:
        write.text(line, sizes.body, bold=bold)
    if page.chart is not None and chart_height:
        pdf.ln(GAP)
        width = min(pdf.epw, chart_height * page.chart.aspect)
        pdf.image(
            io.BytesIO(page.chart.png),
            x=(pdf.w - width) / 2,
            y=pdf.get_y(),
            w=width,
            h=width / page.chart.aspect,
            alt_text=printable(page.chart.alt_text),
        )
        pdf.set_y(pdf.get_y() + width / page.chart.aspect)
    write.section(page.meaning_head, page.meaning, sizes)
    if page.statements is not None:
        write.section(page.statements.intro[0], page.statements.intro[1:], sizes)
        write.table(page.statements, sizes)
    write.section(page.left_out_head, page.left_out, sizes)
    pdf.ln(GAP)
    pdf.set_text_color(*GREY)
    write.text(page.source, sizes.small)
    return float(pdf.get_y())


class _Writer:
    """Lines of real text down the page, each wrapped to the page's width."""

    def __init__(self, pdf: FPDF, start: Align) -> None:
        self.pdf = pdf
        self.start = start

    def text(self, text: str, size: float, *, bold: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.multi_cell(
            pdf.epw,
            size * POINT * LINE,
            printable(text),
            align=self.start,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def section(self, head: str, lines: Sequence[str], sizes: Sizes) -> None:
        self.pdf.ln(GAP)
        self.text(head, sizes.heading, bold=True)
        for line in lines:
            self.text(line, sizes.small)

    def table(self, content: StatementTable, sizes: Sizes) -> None:
        pdf = self.pdf
        pdf.ln(1)
        pdf.set_font(FONT, "", sizes.small)
        figures = len(content.head) - 1
        pdf.set_font(FONT, "B", sizes.small)
        columns = [
            max(11 * sizes.small / 7.5, pdf.get_string_width(name) + 3)
            for name in content.head[1:]
        ]
        pdf.set_font(FONT, "", sizes.small)
        widths = (pdf.epw - sum(columns), *columns)
        with pdf.table(
            col_widths=widths,
            width=pdf.epw,
            line_height=sizes.small * POINT * 1.2,
            text_align=(self.start, *(Align.R,) * figures),
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD"),
            padding=(0.4, 1.0),
        ) as grid:
            for line in (content.head, *content.rows):
                row = grid.row()
                for cell in line:
                    row.cell(printable(cell))
