"""Each question gets its own chart: what it shows, for whom, when, n, reference lines, source."""

import struct
from datetime import date

import numpy as np
import pytest
from babel.support import Translations
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from bot.core.report_model import Breakdown, ReportRequest
from bot.core.reports import Report, build_report
from bot.ui.i18n import load_all
from bot.ui.report_charts import (
    ADULTS_GID,
    LIMIT_GID,
    SOURCE,
    UNEMPLOYED_GID,
    Chart,
    charts,
)
from tests.report_data import AUTUMN_DAYS, autumn

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EN: Translations = load_all()["en"]
FI: Translations = load_all()["fi"]
MADE_ON = date(2026, 12, 20)


class Marked(Translations):
    """A catalog that marks every text it translates, to see that none is left untranslated."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"


def report(request: ReportRequest) -> Report:
    sessions, blocks, held = autumn()
    return build_report(request, sessions, blocks, held, as_of=MADE_ON, min_group_size=5)


def draw(request: ReportRequest, t: Translations = EN, locale: str = "en") -> list[Chart]:
    return charts(report(request), t, locale)


def size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    return width, height


def ticks(ax: Axes, axis: str) -> list[str]:
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [label.get_text() for label in labels]


def reference_lines(chart: Chart) -> dict[str, list[float]]:
    """Where each reference line is drawn, by what it marks."""
    found: dict[str, list[float]] = {}
    for ax in chart.figure.axes:
        for line in ax.lines:
            if isinstance(line, Line2D) and line.get_gid():
                xs = np.asarray(line.get_xdata(), dtype=float)
                ys = np.asarray(line.get_ydata(), dtype=float)
                value = xs[0] if xs[0] == xs[-1] else ys[0]
                found.setdefault(str(line.get_gid()), []).append(float(value))
    return found


def notes(chart: Chart) -> str:
    return chart.figure.get_supxlabel().replace("\n", " ")


def test_by_activity_means_with_intervals_beside_the_share_under_50() -> None:
    official, swedish = draw(
        ReportRequest(Breakdown.ACTIVITY, first_day=AUTUMN_DAYS[0], last_day=AUTUMN_DAYS[1])
    )
    means, shares = official.figure.axes
    assert ticks(means, "y") == [  # the first activity on top, all at the bottom
        "Avoin työhuone, Kotka (n = 38)",
        "Kuntosaliryhmä (n = 27)",
        "Vertaisryhmä (n = 21)",
        "All (n = 86)",
    ]
    assert means.containers  # error bars: the 95 % intervals
    widths = [float(p.get_width()) for p in shares.patches if isinstance(p, Rectangle)]
    assert widths == pytest.approx([100 * 3 / 38, 100 * 2 / 27, 100 * 5 / 21, 100 * 10 / 86])
    assert reference_lines(official) == {
        LIMIT_GID: [50.0],
        ADULTS_GID: [75.2, 10.0],
        UNEMPLOYED_GID: [24.5],
    }
    assert official.headline.splitlines() == [
        "Inclusion by activity: mean and share under 50",
        "All activities · Sep 1, 2026 to Dec 31, 2026 · n = 86 · made on Dec 20, 2026",
    ]
    assert "Finnish, THL's official text (THL 2019)" in official.figure.get_suptitle()
    assert "Swedish, provisional translation (draft 1)" in swedish.figure.get_suptitle()
    assert "n = 10" in swedish.headline
    assert notes(official).endswith(SOURCE)
    assert "Never shown, too few answers: 2 answers in 1 check-ins." in notes(official)
    assert "24.5\u00a0% = share under 50 of unemployed adults in Finland 2019" in notes(official)


def test_by_month_participation_and_the_mean_month_by_month() -> None:
    chart = draw(ReportRequest(Breakdown.MONTH), FI, "fi")[0]
    counts, means = chart.figure.axes
    months = ["syyskuu 2026", "lokakuu 2026", "marraskuu 2026", "joulukuu 2026"]
    assert ticks(means, "x") == months
    heights = [bar.get_height() for bar in counts.patches if isinstance(bar, Rectangle)]
    assert heights == [28, 22, 22, 14]
    assert reference_lines(chart) == {LIMIT_GID: [50.0], ADULTS_GID: [75.2]}
    assert "n = 86" in chart.headline
    assert chart.headline.splitlines() == [
        "Kuukausittain: moniko vastasi ja keskiarvo",
        "Kaikki toiminnat · kaikki vastaukset tähän asti · n = 86 · tehty 20.12.2026",
    ]


def test_by_session_a_dot_per_check_in_in_date_order() -> None:
    chart = draw(ReportRequest(Breakdown.SESSION, activity_id=1))[0]
    [ax] = chart.figure.axes
    labels = ticks(ax, "y")  # from the top
    days = [label.split(" (")[0].removeprefix("Avoin työhuone ") for label in labels]
    assert days == ["10.9.", "24.9.", "8.10.", "22.10.", "5.11.", "19.11.", "3.12."]
    assert chart.headline.splitlines()[1].startswith("Avoin työhuone, Kotka · ")
    assert "n = 38" in chart.headline


def test_start_versus_end_is_named_by_its_activity_with_both_counts() -> None:
    question, start_end = draw(ReportRequest(Breakdown.KIND, activity_id=2))
    [ax] = start_end.figure.axes
    assert ticks(ax, "x") == [
        "Start of the activity\n12 answers",
        "End of the activity\n9 answers",
    ]
    assert start_end.headline.splitlines()[1].startswith("Vertaisryhmä · ")
    assert "n = 21" in start_end.headline
    said = notes(start_end)
    assert "Change from start to end: +13.3 (\u22120.1\u201326.8)" in said
    assert "The interval includes zero: the change may be chance." in said
    assert "12 answered at the start, 9 at the end" in said
    assert question.headline != start_end.headline


def test_each_grouping_draws_a_different_chart_that_fits_a_phone() -> None:
    pngs = {
        breakdown: draw(ReportRequest(breakdown))[0].png()
        for breakdown in (Breakdown.ACTIVITY, Breakdown.MONTH, Breakdown.SESSION, Breakdown.KIND)
    }
    assert len(set(pngs.values())) == len(pngs)
    for png in pngs.values():
        width, height = size(png)
        assert width == 1000
        assert 300 <= height <= 1400


def test_nothing_to_draw_gives_no_chart_not_an_empty_panel() -> None:
    request = ReportRequest(Breakdown.SESSION, session_id=7)  # too few answers: held back
    assert draw(request) == []


def test_every_word_on_a_chart_comes_from_the_catalog() -> None:
    drawn = charts(report(ReportRequest(Breakdown.KIND, activity_id=2)), Marked(), "en")
    for chart in drawn:
        first, facts = chart.headline.splitlines()
        assert first.startswith("«")
        assert facts.startswith("«")
        for ax in chart.figure.axes:
            for label in (ax.get_xlabel(), ax.get_ylabel()):
                assert not label or label.startswith("«")
