import math
import statistics
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.statistics import (
    EMPTY,
    Interval,
    NotAScore,
    Tally,
    combine,
    difference,
    summarize,
    t_quantile,
)

steps = st.integers(min_value=0, max_value=40)
score_lists = st.lists(steps.map(lambda i: i * 2.5), min_size=1, max_size=60)

# Two-sided 95 % critical values of Student's t, as printed in statistics textbooks.
T_TABLE = {
    1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469, 7: 2.3646, 8: 2.3060,
    9: 2.2622, 10: 2.2281, 11: 2.2010, 12: 2.1788, 13: 2.1604, 14: 2.1448, 15: 2.1314,
    16: 2.1199, 17: 2.1098, 18: 2.1009, 19: 2.0930, 20: 2.0860, 21: 2.0796, 22: 2.0739,
    23: 2.0687, 24: 2.0639, 25: 2.0595, 26: 2.0555, 27: 2.0518, 28: 2.0484, 29: 2.0452,
    30: 2.0423, 40: 2.0211, 60: 2.0003, 120: 1.9799, 10**7: 1.9600,
}  # fmt: skip


def t_probability_below(t: float, df: float) -> float:
    """P(0 < T < t) by Simpson's rule on the density: independent of the module's method."""
    const = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    n = 4000
    h = t / n
    total = 0.0
    for i in range(n + 1):
        weight = 1 if i in (0, n) else (4 if i % 2 else 2)
        x = i * h
        total += weight * const * (1 + x * x / df) ** (-(df + 1) / 2)
    return total * h / 3


def expected_interval(scores: list[float]) -> Interval | None:
    if len(scores) < 2:
        return None
    mean = statistics.fmean(scores)
    half = t_quantile(len(scores) - 1) * statistics.stdev(scores) / math.sqrt(len(scores))
    return Interval(max(0.0, mean - half), min(100.0, mean + half))


@pytest.mark.parametrize(("df", "expected"), sorted(T_TABLE.items()))
def test_t_quantile_matches_the_printed_table(df: int, expected: float) -> None:
    assert t_quantile(df) == pytest.approx(expected, abs=6e-5)


@given(st.floats(min_value=1.0, max_value=300.0))
def test_t_quantile_leaves_two_and_a_half_percent_above_it(df: float) -> None:
    assert t_probability_below(t_quantile(df), df) == pytest.approx(0.475, abs=2e-7)


@given(st.floats(min_value=1.0, max_value=1e4), st.floats(min_value=1.0, max_value=1e4))
def test_t_quantile_falls_towards_the_normal_one_as_df_grows(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert 1.959963 < t_quantile(high) <= t_quantile(low) + 1e-12


def test_t_quantile_needs_positive_degrees_of_freedom() -> None:
    with pytest.raises(ValueError, match="positive"):
        t_quantile(0)


@given(score_lists)
def test_summary_matches_a_direct_computation(scores: list[float]) -> None:
    summary = summarize(Tally.of(scores))
    assert summary.n == len(scores)
    assert summary.mean == pytest.approx(statistics.fmean(scores), abs=1e-9)
    assert summary.share_under_50 == sum(s < 50 for s in scores) / len(scores)
    histogram = Counter(scores)
    assert summary.distribution == tuple(histogram[i * 2.5] for i in range(41))
    if len(scores) == 1:
        assert summary.sd is None
        assert summary.ci95 is None
    else:
        assert summary.sd == pytest.approx(statistics.stdev(scores), abs=1e-9)
        expected = expected_interval(scores)
        assert expected is not None
        assert summary.ci95 is not None
        assert summary.ci95.low == pytest.approx(expected.low, abs=1e-9)
        assert summary.ci95.high == pytest.approx(expected.high, abs=1e-9)
        assert summary.ci95.low <= summary.mean <= summary.ci95.high


def test_one_set_has_a_mean_but_no_interval() -> None:
    summary = summarize(Tally.of([62.5]))
    assert (summary.n, summary.mean, summary.sd, summary.ci95) == (1, 62.5, None, None)


@given(steps.map(lambda i: i * 2.5), st.integers(min_value=2, max_value=500))
def test_equal_scores_have_no_spread(score: float, n: int) -> None:
    summary = summarize(Tally.of([score] * n))
    assert summary.mean == score
    assert summary.sd == 0.0
    assert summary.ci95 == Interval(score, score)


def test_fifty_is_not_under_fifty_but_forty_seven_and_a_half_is() -> None:
    assert summarize(Tally.of([50.0, 50.0, 50.0])).share_under_50 == 0.0
    assert summarize(Tally.of([47.5, 50.0, 50.0, 52.5])).share_under_50 == 0.25
    assert Tally.of([47.5, 50.0]).under_50 == 1


def test_the_interval_stays_on_the_scale() -> None:
    summary = summarize(Tally.of([100.0, 100.0, 97.5]))
    assert summary.ci95 is not None
    assert summary.ci95.high == 100.0
    assert summary.ci95.low < summary.mean


def test_an_empty_group_has_no_summary() -> None:
    with pytest.raises(ValueError, match="empty"):
        summarize(EMPTY)


@given(st.lists(st.lists(steps.map(lambda i: i * 2.5), max_size=30), max_size=8))
def test_tallies_of_groups_combine_exactly_to_the_tally_of_all(groups: list[list[float]]) -> None:
    everyone = [score for group in groups for score in group]
    combined = combine(Tally.of(group) for group in groups)
    assert combined == Tally.of(everyone)
    assert combined.n == len(everyone)
    assert combined.step_sum == sum(round(s / 2.5) for s in everyone)
    assert combined.step_square_sum == sum(round(s / 2.5) ** 2 for s in everyone)
    assert sum((Tally.of(group) for group in groups), EMPTY) == combined


@given(st.lists(st.tuples(steps.map(lambda i: i * 2.5), st.integers(0, 50)), max_size=20))
def test_counted_rows_give_the_same_tally_as_single_sets(pairs: list[tuple[float, int]]) -> None:
    singles = [score for score, count in pairs for _ in range(count)]
    assert Tally.from_counts(pairs) == Tally.of(singles)


@pytest.mark.parametrize("score", [51.0, -2.5, 102.5, 1.0, math.nan, math.inf])
def test_only_scores_of_the_instrument_are_counted(score: float) -> None:
    with pytest.raises(NotAScore):
        Tally.of([score])


def test_a_tally_has_forty_one_counts() -> None:
    with pytest.raises(ValueError, match="41"):
        Tally((1, 2, 3))


@given(score_lists, score_lists)
def test_difference_matches_welch(start: list[float], end: list[float]) -> None:
    result = difference(summarize(Tally.of(start)), summarize(Tally.of(end)))
    diff = statistics.fmean(end) - statistics.fmean(start)
    assert result.difference == pytest.approx(diff, abs=1e-9)
    if len(start) < 2 or len(end) < 2:
        assert result.ci95 is None
        return
    v1 = statistics.variance(start) / len(start)
    v2 = statistics.variance(end) / len(end)
    assert result.ci95 is not None
    if v1 + v2 == 0:
        assert result.ci95 == Interval(result.difference, result.difference)
        return
    df = (v1 + v2) ** 2 / (v1**2 / (len(start) - 1) + v2**2 / (len(end) - 1))
    half = t_quantile(df) * math.sqrt(v1 + v2)
    assert result.df == pytest.approx(df, rel=1e-9)
    # At 30 degrees of freedom the t quantile changes from the exact value to the series, which
    # is within 1e-7 of it: two sums of the same df may fall on either side.
    tolerance = 1e-7 * math.sqrt(v1 + v2) + 1e-9
    assert result.ci95.low == pytest.approx(max(-100.0, diff - half), abs=tolerance)
    assert result.ci95.high == pytest.approx(min(100.0, diff + half), abs=tolerance)


def test_difference_is_end_minus_start() -> None:
    start = summarize(Tally.of([50.0, 60.0, 70.0]))
    end = summarize(Tally.of([70.0, 80.0, 90.0]))
    result = difference(start, end)
    assert result.difference == 20.0
    assert result.ci95 is not None
    assert result.ci95.low < 20.0 < result.ci95.high
    assert difference(end, start).difference == -20.0
