"""A report as chart images (PNG): one chart for the question the coordinator asked.

By activity (and by kind or language) the chart shows each group's mean with its 95 % interval
beside its share under 50; by month, how many took part and the mean, month by month; by
check-in, each check-in's mean in date order; start versus end of one activity, both means
with both counts. Every chart has a headline that says what it shows, the period, n and the
date, reference lines at 50 and at the published figures, and a source line. A group that is
held back is never drawn as an empty or zero bar: one line under the chart names what was left
out and why.

Charts are drawn on a plain `Figure` with the Agg renderer: no display, no pyplot state shared
between reports. They are 1000 px wide so that text stays readable on a phone, and they never
rely on colour alone (the share under 50 is hatched, start and end have their own markers).
A screen reader gets the same figures from the chat summary sent with them.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from babel.support import Translations
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType

from bot.core.report_model import Breakdown
from bot.core.reports import Figures, ReleasedTable, Report, Row
from bot.core.scoring import VERY_WEAK_BELOW
from bot.core.statistics import Summary
from bot.ui import report_texts as words

WIDTH_INCHES = 10.0
DPI = 100  # 10 in x 100 dpi = 1000 px: sharp on a phone, small to send
FONT_SIZE = 13
UNDER_COLOUR = "#b2182b"
MEAN_COLOUR = "#2166ac"
REFERENCE_COLOUR = "#4d4d4d"
LABEL_CHARACTERS = 28  # a longer group name is cut with an ellipsis
LINE_CHARACTERS = 105  # a footnote line wraps at this width
SOURCE = "Osallisuusindikaattori \u00a9 THL"
NBSP = "\u00a0"  # "10 %" stays on one line
_GLUE = "\x00"  # stands in for NBSP while wrapping: textwrap would break there
# Lines a test (or a reader of the code) can find on a chart.
LIMIT_GID = "limit-50"
ADULTS_GID = "reference-adults"
UNEMPLOYED_GID = "reference-unemployed"
STYLE: dict[RcKeyType, int | float] = {
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE - 2,
    "figure.titlesize": FONT_SIZE + 3,
}


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn chart and what it shows, so the chat can caption it."""

    figure: Figure
    headline: str

    def png(self, dpi: int = DPI) -> bytes:
        """The chart as a PNG image; 1000 px wide unless another resolution is asked for."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()


def charts(report: Report, t: Translations, locale: str) -> list[Chart]:
    """The charts for the report's question: one per instrument text with figures, then start
    versus end of the activity when it has figures."""
    drawn = [_question(report, table, t, locale) for table in _with_figures(report)]
    drawn += [
        _start_end(report, table, t, locale)
        for table in report.tables
        if table.start_end is not None
        and any(isinstance(side, Summary) for side in (table.start_end.start, table.start_end.end))
    ]
    return drawn


def question_chart(report: Report, t: Translations, locale: str) -> Chart | None:
    """The one chart that answers the report's question, for its first instrument text with
    figures: for one activity grouped by activity (a single row) start versus end when both
    are shown, otherwise the chart of the breakdown; None without figures."""
    tables = _with_figures(report)
    if not tables:
        return None
    table = tables[0]
    pair = table.start_end
    if report.request.breakdown is Breakdown.ACTIVITY and pair is not None and pair.compared:
        return _start_end(report, table, t, locale)
    return _question(report, table, t, locale)


def _with_figures(report: Report) -> list[ReleasedTable]:
    return [table for table in report.tables if isinstance(table.total.figures, Summary)]


def _question(report: Report, table: ReleasedTable, t: Translations, locale: str) -> Chart:
    breakdown = report.request.breakdown
    if breakdown is Breakdown.MONTH:
        return _months(report, table, t, locale)
    if breakdown is Breakdown.SESSION:
        return _sessions(report, table, t, locale)
    return _groups(report, table, t, locale)


def _shown(rows: Sequence[Row]) -> list[tuple[Row, Summary]]:
    return [(row, row.figures) for row in rows if isinstance(row.figures, Summary)]


def _what(t: Translations, breakdown: Breakdown) -> str:
    """What a chart shows, as the first line of its headline."""
    _ = t.gettext
    names = {
        Breakdown.ACTIVITY: _("Inclusion by activity: mean and share under 50"),
        Breakdown.KIND: _("Inclusion by kind of check-in: mean and share under 50"),
        Breakdown.LANGUAGE: _("Inclusion by language: mean and share under 50"),
        Breakdown.MONTH: _("Month by month: how many took part, and the mean"),
        Breakdown.SESSION: _("Check-ins in date order: mean of each"),
    }
    return names[breakdown]


def new_figure(height: float) -> Figure:
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    figure.set_layout_engine("constrained")
    return figure


def frame(
    figure: Figure,
    report: Report,
    table: ReleasedTable,
    what: str,
    n: int,
    notes: Sequence[str],
    t: Translations,
    locale: str,
) -> str:
    """The headline over the chart and the notes under it; returns the headline."""
    _ = t.gettext
    facts = words.facts(t, report, n, locale)
    texts = ", ".join(words.text_name(t, text, locale) for text in table.texts)
    if table.pooled:
        texts += " \u2014 " + _("Note: these figures pool different texts.")
    headline = f"{what}\n{facts}"
    figure.suptitle(f"{headline}\n{texts}", x=0.01, ha="left", multialignment="left")
    figure.supxlabel(
        "\n".join(
            line.replace(_GLUE, NBSP)
            for note in (*notes, SOURCE)
            for line in textwrap.wrap(note.replace(NBSP, _GLUE), LINE_CHARACTERS)
        ),
        x=0.01,
        ha="left",
        multialignment="left",
        fontsize=FONT_SIZE - 2,
    )
    return headline


def _key(t: Translations, report: Report, locale: str, *, shares: bool) -> str:
    """What the reference lines are, in one sentence under the chart."""
    _ = t.gettext
    adults, unemployed = words.chosen_references(report)
    parts = [_("50 = under it, a very weak experience of inclusion")]
    if adults.mean is not None:
        parts.append(
            _("{mean} = mean of {group}").format(
                mean=words.number(adults.mean, locale), group=words.reference_name(t, adults)
            )
        )
    if shares:
        parts += [
            _("{share} = share under 50 of {group}").format(
                share=words.reference_share(r.share_under_50, locale),
                group=words.reference_name(t, r),
            )
            for r in (adults, unemployed)
            if r.share_under_50 is not None
        ]
    return _("Lines: {lines}.").format(lines="; ".join(parts))


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "\u2026"


def _line(
    ax: Axes,
    value: float,
    name: str,
    gid: str,
    style: str,
    *,
    vertical: bool,
    align: str = "center",
) -> None:
    """A reference line across a panel, named at its end (the key under the chart says more)."""
    colour = UNDER_COLOUR if gid == LIMIT_GID else REFERENCE_COLOUR
    if vertical:
        ax.axvline(value, color=colour, linestyle=style, linewidth=2, gid=gid)
        ax.text(
            value,
            1.01,
            name,
            transform=ax.get_xaxis_transform(),
            ha=align,
            va="bottom",
            color=colour,
            fontsize=FONT_SIZE - 2,
        )
    else:
        ax.axhline(value, color=colour, linestyle=style, linewidth=2, gid=gid)
        ax.text(
            1.01,
            value,
            name,
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="center",
            color=colour,
            fontsize=FONT_SIZE - 2,
        )


def _references(ax: Axes, report: Report, locale: str, *, vertical: bool) -> None:
    """The line at 50 and the adults' mean across a panel of means."""
    adults, _unemployed = words.chosen_references(report)
    _line(ax, VERY_WEAK_BELOW, "50", LIMIT_GID, "--", vertical=vertical)
    if adults.mean is not None:
        _line(
            ax, adults.mean, words.number(adults.mean, locale), ADULTS_GID, ":", vertical=vertical
        )


def _means(
    ax: Axes,
    positions: Sequence[float],
    summaries: Sequence[Summary],
    locale: str,
    *,
    vertical: bool,
    marker: str = "o",
) -> None:
    """Means as dots with their 95 % intervals as whiskers, each mean written beside its dot."""
    means = [s.mean for s in summaries]
    low = [s.mean - (s.ci95.low if s.ci95 else s.mean) for s in summaries]
    high = [(s.ci95.high if s.ci95 else s.mean) - s.mean for s in summaries]
    error = [low, high]
    ax.errorbar(
        means if vertical else positions,
        positions if vertical else means,
        xerr=error if vertical else None,
        yerr=None if vertical else error,
        fmt=marker,
        color=MEAN_COLOUR,
        markersize=9,
        capsize=6,
        linewidth=2,
    )
    for position, mean in zip(positions, means, strict=True):
        ax.annotate(
            words.number(mean, locale),
            (mean, position) if vertical else (position, mean),
            xytext=(0, 9) if vertical else (12, 0),
            textcoords="offset points",
            ha="center" if vertical else "left",
            va="bottom" if vertical else "center",
            fontsize=FONT_SIZE - 2,
        )


def _dot_rows(
    ax: Axes,
    names: Sequence[str],
    summaries: Sequence[Summary],
    report: Report,
    t: Translations,
    locale: str,
) -> list[int]:
    """One row per group, the first on top: its mean and interval against the reference
    lines. Returns the rows' positions, for a panel beside it."""
    positions = list(range(len(names)))[::-1]
    _means(ax, positions, summaries, locale, vertical=True)
    _references(ax, report, locale, vertical=True)
    ax.set_yticks(positions, names)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t.gettext("Mean, 95 % CI"))
    return positions


def _counted(name: str, summary: Summary) -> str:
    return f"{_label(name)} (n = {summary.n})"


def _notes(
    report: Report, table: ReleasedTable, t: Translations, locale: str, *, shares: bool = False
) -> list[str]:
    return [
        _key(t, report, locale, shares=shares),
        *words.left_out_lines(t, report, table, locale),
    ]


def _groups(report: Report, table: ReleasedTable, t: Translations, locale: str) -> Chart:
    """Means with intervals and shares under 50, one line per group and one for all."""
    breakdown = report.request.breakdown
    total = table.total.figures
    assert isinstance(total, Summary)
    shown = [*_shown(table.rows), (table.total, total)]
    names = [_counted(words.row_name(t, breakdown, row.cell, locale), s) for row, s in shown]
    summaries = [s for _row, s in shown]
    with rc_context(STYLE):
        figure = new_figure(3.2 + 0.55 * len(names))
        means, shares = figure.subplots(1, 2, sharey=True, width_ratios=(3, 2))
        positions = _dot_rows(means, names, summaries, report, t, locale)
        _share_bars(shares, positions, summaries, report, t, locale)
        notes = _notes(report, table, t, locale, shares=True)
        headline = frame(figure, report, table, _what(t, breakdown), total.n, notes, t, locale)
    return Chart(figure, headline)


def _share_bars(
    ax: Axes,
    positions: Sequence[float],
    summaries: Sequence[Summary],
    report: Report,
    t: Translations,
    locale: str,
) -> None:
    values = [s.share_under_50 * 100 for s in summaries]
    ax.barh(positions, values, height=0.6, color=UNDER_COLOUR, hatch="//", edgecolor="white")
    for y, s in zip(positions, summaries, strict=True):
        ax.annotate(
            words.share(s.share_under_50, locale),
            (s.share_under_50 * 100, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=FONT_SIZE - 2,
        )
    adults, unemployed = words.chosen_references(report)
    for reference, gid, style, align in (
        (adults, ADULTS_GID, ":", "right"),
        (unemployed, UNEMPLOYED_GID, "-.", "left"),
    ):
        if reference.share_under_50 is not None:
            share = reference.share_under_50
            name = words.reference_share(share, locale)
            _line(ax, share * 100, name, gid, style, vertical=True, align=align)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: words.share(value / 100, locale))
    )
    ax.set_xlabel(t.gettext("Share under 50"))


def _months(report: Report, table: ReleasedTable, t: Translations, locale: str) -> Chart:
    """How many took part each month (bars) and the month's mean with its interval."""
    _ = t.gettext
    shown = _shown(table.rows)
    total = table.total.figures
    assert isinstance(total, Summary)
    names = [words.row_name(t, Breakdown.MONTH, row.cell, locale) for row, _s in shown]
    summaries = [s for _r, s in shown]
    positions = list(range(len(names)))
    with rc_context(STYLE):
        figure = new_figure(7.5)
        counts, means = figure.subplots(2, 1, sharex=True, height_ratios=(2, 3))
        counts.bar(positions, [s.n for s in summaries], color=MEAN_COLOUR, width=0.6)
        for x, s in zip(positions, summaries, strict=True):
            counts.annotate(
                str(s.n), (x, s.n), xytext=(0, 3), textcoords="offset points", ha="center"
            )
        counts.set_ylabel(_("Answers"))
        counts.yaxis.set_major_locator(MaxNLocator(integer=True))
        counts.set_ylim(0, max(s.n for s in summaries) * 1.25)
        means.plot(positions, [s.mean for s in summaries], color=MEAN_COLOUR, linewidth=1)
        _means(means, positions, summaries, locale, vertical=False)
        _references(means, report, locale, vertical=False)
        means.set_ylim(0, 100)
        means.set_ylabel(_("Mean, 95 % CI"))
        means.set_xticks(positions, names)
        means.set_xlim(-0.6, len(positions) - 0.4)
        what = _what(t, Breakdown.MONTH)
        notes = _notes(report, table, t, locale)
        headline = frame(figure, report, table, what, total.n, notes, t, locale)
    return Chart(figure, headline)


def _sessions(report: Report, table: ReleasedTable, t: Translations, locale: str) -> Chart:
    """Each check-in's mean with its interval, in date order (rows come in that order)."""
    total = table.total.figures
    assert isinstance(total, Summary)
    shown = _shown(table.rows)
    with rc_context(STYLE):
        figure = new_figure(3.0 + 0.5 * len(shown))
        ax = figure.subplots()
        names = [_counted(row.cell.label, s) for row, s in shown]
        _dot_rows(ax, names, [s for _row, s in shown], report, t, locale)
        what = _what(t, Breakdown.SESSION)
        notes = _notes(report, table, t, locale)
        headline = frame(figure, report, table, what, total.n, notes, t, locale)
    return Chart(figure, headline)


def _start_end(report: Report, table: ReleasedTable, t: Translations, locale: str) -> Chart:
    """Start and end of the activity: both means with intervals and both counts."""
    _ = t.gettext
    pair = table.start_end
    assert pair is not None
    sides = (
        (_("Start of the activity"), pair.start, "o"),
        (_("End of the activity"), pair.end, "s"),
    )
    with rc_context(STYLE):
        figure = new_figure(6.0)
        ax = figure.subplots()
        for x, (_name, value, marker) in enumerate(sides):
            if isinstance(value, Summary):
                _means(ax, [x], [value], locale, vertical=False, marker=marker)
        ax.set_xticks([0, 1], [f"{name}\n{_count(t, value)}" for name, value, _m in sides])
        ax.set_xlim(-0.6, 1.6)
        ax.set_ylim(0, 100)
        ax.set_ylabel(_("Mean, 95 % CI"))
        _references(ax, report, locale, vertical=False)
        notes = [words.change(t, pair.difference, locale), *words.change_meaning(t, pair)]
        notes.append(_key(t, report, locale, shares=False))
        notes += [
            f"{name}: {words.figures(t, value, locale)}"
            for name, value, _m in sides
            if not isinstance(value, Summary)
        ]
        n = sum(side.n for _name, side, _m in sides if isinstance(side, Summary))
        what = _("Start and end of the activity: the two groups' means")
        headline = frame(figure, report, table, what, n, notes, t, locale)
    return Chart(figure, headline)


def _count(t: Translations, value: Figures) -> str:
    if isinstance(value, Summary):
        return t.gettext("{n} answers").format(n=value.n)
    return ""
