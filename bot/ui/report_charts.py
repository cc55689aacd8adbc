"""A report as chart images (PNG) for the chat: the score distribution, and start
versus end of an activity.

Charts are drawn on a plain `Figure` with the Agg renderer: no display, no pyplot state shared
between reports. They are about 1000 px wide so that text stays readable on a phone, and they
never rely on colour alone (the part under 50 is hatched, start and end have their own marker
shapes). A screen reader gets the same figures from the chat summary sent with them. A group
held back is drawn as words, never as an empty or zero bar.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from babel.support import Translations
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from bot.core.reports import Figures, ReleasedTable, Report
from bot.core.scoring import VERY_WEAK_BELOW
from bot.core.statistics import SCORE_STEP, SCORE_VALUES, Summary
from bot.ui.report_texts import change, number, text_name
from bot.ui.report_texts import figures as figures_in_words

WIDTH_INCHES = 10.0
DPI = 100  # 10 in x 100 dpi = 1000 px: sharp on a phone, small to send
PANEL_INCHES = 4.6
FONT_SIZE = 14
UNDER_COLOUR = "#b2182b"
OVER_COLOUR = "#2166ac"
_STYLE: dict[RcKeyType, int] = {
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE - 2,
}


def distribution_png(report: Report, t: Translations, *, locale: str = "en") -> bytes:
    """How many sets had each score, one panel per table, with the <50 line and mean.

    Each panel shows its table's total: rows of a table are parts of it, and a chart per row
    would be unreadable on a phone.
    """
    return _png(distribution_figure(report, t, locale=locale))


def start_end_png(report: Report, t: Translations, *, locale: str = "en") -> bytes | None:
    """Start and end means with their 95 % intervals and counts, one panel per table that
    compares them; None when the report compares no start and end (not one activity)."""
    figure = start_end_figure(report, t, locale=locale)
    return None if figure is None else _png(figure)


def distribution_figure(report: Report, t: Translations, *, locale: str = "en") -> Figure:
    """The figure behind `distribution_png`, for tests that look at what is drawn."""
    _ = t.gettext
    with rc_context(_STYLE):
        figure = _figure(len(report.tables))
        axes = figure.subplots(len(report.tables), 1, squeeze=False)[:, 0]
        for ax, table in zip(axes, report.tables, strict=True):
            value = table.total.figures
            if not isinstance(value, Summary):
                _title(ax, t, table)
                _words(ax, figures_in_words(t, value, locale))
                continue
            _title(ax, t, table, figures_in_words(t, value, locale))
            _bars(ax, value, t, locale)
            ax.set_xlabel(_("Score, 0 to 100"))
            ax.set_ylabel(_("Answers"))
            ax.legend(loc="upper left", frameon=False)
    return figure


def start_end_figure(report: Report, t: Translations, *, locale: str = "en") -> Figure | None:
    """The figure behind `start_end_png`."""
    tables = [table for table in report.tables if table.start_end is not None]
    if not tables:
        return None
    with rc_context(_STYLE):
        figure = _figure(len(tables))
        axes = figure.subplots(len(tables), 1, squeeze=False)[:, 0]
        for ax, table in zip(axes, tables, strict=True):
            _start_end_panel(ax, table, t, locale)
    return figure


def _figure(panels: int) -> Figure:
    figure = Figure(figsize=(WIDTH_INCHES, PANEL_INCHES * panels + 0.4), dpi=DPI)
    figure.set_layout_engine("constrained")
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _title(ax: Axes, t: Translations, table: ReleasedTable, *more: str) -> None:
    """Which instrument texts the panel covers (saying so when pooled), and its figures."""
    lines = [", ".join(text_name(t, text, "en") for text in table.texts)] if table.texts else []
    if table.pooled:
        lines.append(t.gettext("Note: these figures pool different texts."))
    ax.set_title("\n".join([*lines, *more]), loc="left")


def _words(ax: Axes, text: str) -> None:
    """A panel that says why there is nothing to draw."""
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=FONT_SIZE + 2)
    ax.set_axis_off()


def _bars(ax: Axes, summary: Summary, t: Translations, locale: str) -> None:
    _ = t.gettext
    scores = [i * SCORE_STEP for i in range(SCORE_VALUES)]
    under = [score < VERY_WEAK_BELOW for score in scores]
    for is_under, label, colour, hatch in (
        (True, _("Under 50: very weak sense of inclusion"), UNDER_COLOUR, "//"),
        (False, _("50 or more"), OVER_COLOUR, ""),
    ):
        ax.bar(
            [s for s, u in zip(scores, under, strict=True) if u is is_under],
            [c for c, u in zip(summary.distribution, under, strict=True) if u is is_under],
            width=SCORE_STEP * 0.85,
            color=colour,
            hatch=hatch,
            edgecolor="white" if hatch else colour,
            label=label,
        )
    ax.axvline(VERY_WEAK_BELOW, color="black", linestyle="--", linewidth=1.5)
    ax.axvline(summary.mean, color="black", linewidth=2.5)
    top = max(summary.distribution)
    ax.annotate(
        _("mean {mean}").format(mean=number(summary.mean, locale)),
        (summary.mean, top * 1.1),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
    )
    ax.set_xlim(-SCORE_STEP, 100 + SCORE_STEP)
    ax.set_ylim(0, top * 1.4)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _start_end_panel(ax: Axes, table: ReleasedTable, t: Translations, locale: str) -> None:
    _ = t.gettext
    pair = table.start_end
    assert pair is not None
    _title(ax, t, table, change(t, pair.difference, locale))
    names = (_("Start of the activity"), _("End of the activity"))
    labels = []
    for x, (name, value, marker) in enumerate(
        zip(names, (pair.start, pair.end), "os", strict=True)
    ):
        labels.append(name + "\n" + _count(t, value))
        if isinstance(value, Summary):
            _mean_with_interval(ax, x, value, marker, locale)
        else:
            ax.text(x, 75, figures_in_words(t, value, locale), ha="center", va="center")
    ax.set_xticks([0, 1], labels)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(0, 100)
    ax.set_ylabel(_("Mean, 95 % CI"))
    ax.axhline(VERY_WEAK_BELOW, color="grey", linestyle="--", linewidth=1)


def _count(t: Translations, value: Figures) -> str:
    if isinstance(value, Summary):
        return t.gettext("{n} answers").format(n=value.n)
    return ""


def _mean_with_interval(ax: Axes, x: int, value: Summary, marker: str, locale: str) -> None:
    ci = value.ci95
    error: Sequence[Sequence[float]] | None = None
    if ci is not None:
        error = [[value.mean - ci.low], [ci.high - value.mean]]
    ax.errorbar(
        [x],
        [value.mean],
        yerr=error,
        fmt=marker,
        color="black",
        markersize=12,
        capsize=10,
        linewidth=2,
    )
    ax.annotate(
        number(value.mean, locale),
        (x, value.mean),
        xytext=(16, 0),
        textcoords="offset points",
        va="center",
    )
