"""The statements one by one: how answers spread over the options, and start versus end."""

from datetime import date

import numpy as np
import pytest
from babel.support import Translations
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle

from bot.core.instrument import load_instruments
from bot.core.report_model import Breakdown, ReportRequest
from bot.core.reports import Report, build_report, participation
from bot.ui.i18n import LANGUAGES, load_all
from bot.ui.report_texts import summary
from bot.ui.statement_charts import statement_charts
from tests.report_data import autumn

EN: Translations = load_all()["en"]
INSTRUMENTS = load_instruments(LANGUAGES)


def report(request: ReportRequest) -> Report:
    sessions, blocks, held = autumn()
    return build_report(
        request, sessions, blocks, held, as_of=date(2026, 12, 20), min_group_size=5
    )


def test_each_statement_spreads_its_answers_over_the_five_options() -> None:
    built = report(ReportRequest(Breakdown.ACTIVITY))
    official, swedish = statement_charts(built, INSTRUMENTS, EN, "en")
    [ax] = official.figure.axes
    labels = [label.get_text().replace("\n", " ") for label in ax.get_yticklabels()]
    assert labels[0] == "1. " + INSTRUMENTS["fi"].statements[0]
    assert labels[9] == "10. " + INSTRUMENTS["fi"].statements[9]
    legend = ax.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == list(INSTRUMENTS["fi"].options)
    counts = built.tables[0].total.statements
    assert counts is not None
    bars = [bar for bar in ax.patches if isinstance(bar, Rectangle)]
    widths = [bar.get_width() for bar in bars]  # option by option, statement by statement
    expected = [100 * counts[i][j] / 86 for j in range(5) for i in range(10)]
    assert widths == pytest.approx(expected)
    assert "n = 86" in official.headline
    assert "Swedish, provisional translation" in swedish.figure.get_suptitle()
    labels = [label.get_text() for label in swedish.figure.axes[0].get_yticklabels()]
    assert labels[0].replace("\n", " ") == "1. " + INSTRUMENTS["sv"].statements[0]


def test_start_and_end_per_statement_with_both_counts() -> None:
    built = report(ReportRequest(Breakdown.KIND, activity_id=2))
    spread, start_end = statement_charts(built, INSTRUMENTS, EN, "en")
    [ax] = start_end.figure.axes
    start, end = [c for c in ax.collections if isinstance(c, PathCollection)]
    pair = built.tables[0].start_end
    assert pair is not None
    assert pair.start_statements is not None
    first = pair.start_statements[0]
    assert np.asarray(start.get_offsets())[0][0] == pytest.approx(
        sum((j + 1) * c for j, c in enumerate(first)) / 12
    )
    legend = ax.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == [
        "Start of the activity: 12 answers",
        "End of the activity: 9 answers",
    ]
    assert len(np.asarray(end.get_offsets())) == 10
    assert "Start and end, statement by statement" in start_end.headline
    assert spread.headline != start_end.headline


def test_no_statement_chart_without_released_figures() -> None:
    assert statement_charts(report(ReportRequest(session_id=7)), INSTRUMENTS, EN, "en") == []


def test_participation_counts_every_language_together() -> None:
    built = report(ReportRequest(Breakdown.MONTH))
    rows, total = participation(built)
    assert [(cell.key, n) for cell, n in rows] == [
        ("2026-09", 28),
        ("2026-10", 27),
        ("2026-11", 27),
        ("2026-12", 14),
    ]
    assert total == 96
    text = summary(EN, built, "en")
    assert (
        "Answers in all languages together: 96\n- September 2026: 28\n- October 2026: 27" in text
    )
