"""The statements one by one, as charts: how the answers to each of the ten statements spread
over the five options, and, for one activity, each statement's mean answer at the start and at
the end.

Every count comes from released blocks (`Row.statements`), as every other figure: a table, row
or side without released blocks has no bars. The statements and options are written as the
instrument shows them to participants, in the table's language, never shortened.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

from babel.support import Translations
from matplotlib import rc_context

from bot.core.instrument import Instrument
from bot.core.report_model import OPTIONS, STATEMENTS
from bot.core.reports import ReleasedTable, Report, Statements, mean_answers
from bot.core.statistics import Summary
from bot.ui import report_texts as words
from bot.ui.report_charts import FONT_SIZE, STYLE, Chart, frame, new_figure

OPTION_COLOURS = ("#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac")
OPTION_HATCHES = ("//", "/", "", "", "")  # disagreeing options are hatched: not colour alone
STATEMENT_CHARACTERS = 44  # a statement wraps at this width beside its bar
SHOWN_SHARE = 0.08  # a segment at least this wide gets its percentage written in it


def statement_charts(
    report: Report, instruments: Mapping[str, Instrument], t: Translations, locale: str
) -> list[Chart]:
    """How answers spread over the options, one chart per instrument text with figures; then
    start versus end per statement when the activity has both."""
    drawn = []
    for table in report.tables:
        counts = table.total.statements
        total = table.total.figures
        instrument = _instrument(table, instruments)
        if counts is None or not isinstance(total, Summary) or instrument is None:
            continue
        drawn.append(_spread(report, table, counts, total.n, instrument, t, locale))
        pair = table.start_end
        if pair is not None and pair.start_statements and pair.end_statements:
            drawn.append(
                _start_end(
                    report,
                    table,
                    pair.start_statements,
                    pair.end_statements,
                    instrument,
                    t,
                    locale,
                )
            )
    return drawn


def _instrument(table: ReleasedTable, instruments: Mapping[str, Instrument]) -> Instrument | None:
    """The instrument whose words label a table: its one language (pooled tables have none)."""
    languages = {text.language for text in table.texts}
    return instruments.get(languages.pop()) if len(languages) == 1 else None


def _names(instrument: Instrument) -> list[str]:
    return [
        "\n".join(textwrap.wrap(f"{i}. {statement}", STATEMENT_CHARACTERS))
        for i, statement in enumerate(instrument.statements, start=1)
    ]


def _spread(
    report: Report,
    table: ReleasedTable,
    counts: Statements,
    n: int,
    instrument: Instrument,
    t: Translations,
    locale: str,
) -> Chart:
    """A bar per statement, split by the share of answers in each option."""
    _ = t.gettext
    positions = list(range(STATEMENTS))[::-1]  # the first statement on top
    with rc_context(STYLE):
        figure = new_figure(10.5)
        ax = figure.subplots()
        left = [0.0] * STATEMENTS
        for option in range(OPTIONS):
            shares = [row[option] / n for row in counts]
            ax.barh(
                positions,
                [share * 100 for share in shares],
                left=left,
                height=0.7,
                color=OPTION_COLOURS[option],
                hatch=OPTION_HATCHES[option],
                edgecolor="white",
                label=instrument.options[option],
            )
            for y, start, share in zip(positions, left, shares, strict=True):
                if share >= SHOWN_SHARE:
                    ax.text(
                        start + share * 50,
                        y,
                        words.share(share, locale),
                        ha="center",
                        va="center",
                        fontsize=FONT_SIZE - 3,
                    )
            left = [start + share * 100 for start, share in zip(left, shares, strict=True)]
        ax.set_yticks(positions, _names(instrument), fontsize=FONT_SIZE - 2)
        ax.set_xlim(0, 100)
        ax.set_xlabel(_("Share of answers"))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, frameon=False)
        what = _("Statement by statement: how the answers spread over the options")
        headline = frame(figure, report, table, what, n, [], t, locale)
    return Chart(figure, headline)


def _start_end(
    report: Report,
    table: ReleasedTable,
    start: Statements,
    end: Statements,
    instrument: Instrument,
    t: Translations,
    locale: str,
) -> Chart:
    """Each statement's mean answer at the start (circle) and at the end (square)."""
    _ = t.gettext
    pair = table.start_end
    assert pair is not None
    assert isinstance(pair.start, Summary)
    assert isinstance(pair.end, Summary)
    positions = list(range(STATEMENTS))[::-1]
    before, after = mean_answers(start, pair.start.n), mean_answers(end, pair.end.n)
    with rc_context(STYLE):
        figure = new_figure(10.5)
        ax = figure.subplots()
        for y, a, b in zip(positions, before, after, strict=True):
            ax.plot([a, b], [y, y], color="#969696", linewidth=2, zorder=1)
        sides = (
            (before, "o", OPTION_COLOURS[1], _("Start of the activity: {n} answers"), pair.start),
            (after, "s", OPTION_COLOURS[4], _("End of the activity: {n} answers"), pair.end),
        )
        for means, marker, colour, label, side in sides:
            ax.scatter(
                means,
                positions,
                marker=marker,
                s=90,
                color=colour,
                zorder=2,
                label=label.format(n=side.n),
            )
        ax.set_yticks(positions, _names(instrument), fontsize=FONT_SIZE - 2)
        ax.set_xlim(0.8, 5.2)
        ax.set_xticks(range(1, OPTIONS + 1), _option_ticks(instrument), fontsize=FONT_SIZE - 2)
        ax.set_xlabel(_("Mean answer"))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False)
        what = _("Start and end, statement by statement: the two groups' mean answers")
        notes = words.change_meaning(t, pair)
        headline = frame(figure, report, table, what, pair.start.n + pair.end.n, notes, t, locale)
    return Chart(figure, headline)


def _option_ticks(instrument: Instrument) -> Sequence[str]:
    return ["\n".join(textwrap.wrap(f"{i} {o}", 12)) for i, o in enumerate(instrument.options, 1)]
