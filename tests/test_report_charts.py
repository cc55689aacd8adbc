"""Charts draw only released figures, say "too few answers" in words, and fit a phone."""

import struct

import numpy as np
from babel.support import Translations
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.core.report_model import Breakdown, InstrumentText, ReportRequest, SessionInfo
from bot.core.reports import HeldSets, HoldReason, Report, build_report
from bot.core.sessions import SessionKind
from bot.ui.report_charts import (
    distribution_figure,
    distribution_png,
    start_end_figure,
    start_end_png,
)
from tests.report_data import DAY, FI, SV, TODAY, block

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Marked(Translations):
    """A catalog that marks every text it translates, to see that none is left untranslated."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"


def report(
    request: ReportRequest,
    sets: list[tuple[int, InstrumentText, float]],
    held: tuple[HeldSets, ...] = (),
) -> Report:
    """Each session's sets in each text make one released block."""
    kinds = {1: SessionKind.START, 2: SessionKind.END}
    sessions = [
        SessionInfo(i, f"S{i}", 7, "Äänipaja", kinds.get(i, SessionKind.SINGLE), True, DAY)
        for i in (1, 2, 3)
    ]
    parts = sorted({(i, text) for i, text, _ in sets})
    blocks = [
        block(n, i, DAY, [s for j, t, s in sets if (j, t) == (i, text)], text)
        for n, (i, text) in enumerate(parts)
    ]
    return build_report(request, sessions, blocks, held, as_of=TODAY, min_group_size=5)


START = [(1, FI, s) for s in (20.0, 45.0, 47.5, 60.0, 75.0, 80.0)]
END = [(2, FI, s) for s in (50.0, 62.5, 70.0, 72.5, 85.0, 90.0, 95.0)]
SV_END = [(2, SV, s) for s in (30.0, 40.0, 50.0, 60.0, 70.0)]
HELD = (HeldSets(1, HoldReason.TOO_FEW, 1), HeldSets(3, HoldReason.OPEN, 4))


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    return width, height


def texts(ax: Axes) -> list[str]:
    """Every text a person reads on a panel."""
    found = [ax.get_title("left"), ax.get_xlabel(), ax.get_ylabel()]
    found += [text.get_text() for text in ax.texts]
    found += [label.get_text() for label in ax.get_xticklabels()]
    legend = ax.get_legend()
    if legend is not None:
        found += [text.get_text() for text in legend.get_texts()]
    return [text for text in found if text]


def bars(ax: Axes) -> list[Rectangle]:
    return [patch for patch in ax.patches if isinstance(patch, Rectangle)]


def panels(figure: Figure | None) -> list[Axes]:
    assert figure is not None
    return list(figure.axes)


def test_the_distribution_is_a_phone_sized_png_with_a_panel_per_table() -> None:
    one = report(ReportRequest(), START + END)
    two = report(ReportRequest(), START + END + SV_END)
    width, height = size(distribution_png(one, Translations()))
    assert width == 1000
    assert 400 <= height <= 600
    assert size(distribution_png(two, Translations())) == (1000, 2 * height - 40)


def test_bars_count_sets_per_score_and_the_part_under_50_is_hatched() -> None:
    built = report(ReportRequest(), START + END)
    [ax] = panels(distribution_figure(built, Translations()))
    drawn = {bar.get_x() + bar.get_width() / 2: bar for bar in bars(ax) if bar.get_height()}
    scores = [s for _, _, s in START + END]
    assert {x: bar.get_height() for x, bar in drawn.items()} == {
        s: scores.count(s) for s in scores
    }
    assert all((bar.get_hatch() == "//") == (x < 50) for x, bar in drawn.items())
    vertical = [np.asarray(line.get_xdata(), dtype=float)[0] for line in ax.lines]
    assert vertical == [50, sum(scores) / len(scores)]  # the <50 line, then the mean


def test_a_report_with_everything_held_back_is_words_not_bars() -> None:
    built = report(ReportRequest(), [], HELD)
    [ax] = panels(distribution_figure(built, Translations()))
    assert not bars(ax)
    assert texts(ax)[0] == "not shown yet: the check-in is open; too few answers to show"


def test_every_word_on_a_chart_comes_from_the_catalog() -> None:
    activity = ReportRequest(Breakdown.SESSION, activity_id=7)
    built = report(activity, START + END + SV_END, HELD)
    drawn = panels(distribution_figure(built, Marked())) + panels(
        start_end_figure(built, Marked())
    )
    words = [line for ax in drawn for text in texts(ax) for line in text.split("\n")]
    assert words
    for line in words:
        if any(c.isalpha() for c in line):
            assert line.startswith("«"), line


def test_start_versus_end_shows_means_intervals_and_counts() -> None:
    built = report(ReportRequest(Breakdown.KIND, activity_id=7), START + END + SV_END, HELD)
    official, swedish = panels(start_end_figure(built, Translations(), locale="fi"))
    labels = [label.get_text() for label in official.get_xticklabels()]
    assert labels == ["Start of the activity\n6 answers", "End of the activity\n7 answers"]
    assert [t for t in texts(official) if t[0].isdigit()] == ["54,6", "75,0"]  # Finnish format
    assert "Change from start to end: +20,4 (" in official.get_title("left")
    assert official.containers  # error bars
    assert len(swedish.containers) == 1  # the end only
    # No Swedish start: the start's sets are held back (too few), in words, not a marker.
    assert texts(swedish).count("too few answers to show") == 1
    png = start_end_png(built, Translations())
    assert png is not None
    assert size(png)[0] == 1000


def test_no_start_versus_end_chart_outside_one_activity() -> None:
    built = report(ReportRequest(Breakdown.KIND), START + END)
    assert start_end_png(built, Translations()) is None
