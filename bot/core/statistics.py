"""Group statistics of ESIS scores, computed exactly from how many sets had each score.

A score is (sum - 10) * 2.5, so it takes one of 41 values. Counting the sets per value (a
histogram, `Tally`) keeps everything a report shows (count, mean, spread, share under 50,
distribution) exact and additive: SQL can count a million stored sets per session and day, and
the pure code adds a few thousand small histograms instead of reading every set.

The 95 % confidence interval of a mean uses Student's t. Its quantile is computed here, not
taken from scipy: below 30 degrees of freedom exactly, by bisection on the t distribution's
tail written as a regularized incomplete beta function (evaluated with the continued fraction
of Numerical Recipes, 2nd ed., section 6.4); from 30 up with the Cornish-Fisher expansion of
Abramowitz and Stegun 26.7.5, whose error there is below 1e-7, far under the 0.1 points a
report shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from operator import mul

from bot.core.scoring import VERY_WEAK_BELOW

SCORE_STEP = 2.5
SCORE_VALUES = 41
UNDER_50_VALUES = int(VERY_WEAK_BELOW / SCORE_STEP)  # scores 0 ... 47.5 are "erittäin heikko"
CONFIDENCE = 0.95
_Z_975 = 1.959963984540054  # standard normal quantile at 0.975
_EXACT_BELOW_DF = 30.0
_STEPS = tuple(range(SCORE_VALUES))
_SQUARES = tuple(i * i for i in _STEPS)


class NotAScore(ValueError):
    """Only the 41 scores 0, 2.5, ..., 100 can come out of the instrument."""


def score_index(score: float) -> int:
    """The position of a score among the 41 possible ones (0 for 0, 40 for 100)."""
    index = round(score / SCORE_STEP) if math.isfinite(score) else -1
    if not 0 <= index < SCORE_VALUES or index * SCORE_STEP != score:
        raise NotAScore(f"{score!r} is not a score of the instrument")
    return index


@dataclass(frozen=True, slots=True)
class Tally:
    """How many complete sets had each score: the exact, additive summary of a group."""

    counts: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.counts) != SCORE_VALUES or min(self.counts) < 0:
            raise ValueError(f"a tally has {SCORE_VALUES} counts, none negative")

    @classmethod
    def of(cls, scores: Iterable[float]) -> Tally:
        """The tally of individual scores."""
        return cls.from_counts((score, 1) for score in scores)

    @classmethod
    def from_counts(cls, pairs: Iterable[tuple[float, int]]) -> Tally:
        """The tally of (score, how many sets had it) pairs, as SQL's GROUP BY score gives."""
        counts = [0] * SCORE_VALUES
        for score, count in pairs:
            counts[score_index(score)] += count
        return cls(tuple(counts))

    def __add__(self, other: Tally) -> Tally:
        return Tally(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))

    @property
    def n(self) -> int:
        """Number of complete sets."""
        return sum(self.counts)

    @property
    def under_50(self) -> int:
        """Number of sets scoring strictly below 50."""
        return sum(self.counts[:UNDER_50_VALUES])

    @property
    def step_sum(self) -> int:
        """Sum of scores in steps of 2.5, an integer so that sums stay exact."""
        return sum(map(mul, _STEPS, self.counts))

    @property
    def step_square_sum(self) -> int:
        """Sum of squared scores in steps of 2.5."""
        return sum(map(mul, _SQUARES, self.counts))


EMPTY = Tally((0,) * SCORE_VALUES)


def combine(tallies: Iterable[Tally]) -> Tally:
    """The tally of the union of disjoint groups: counts add exactly."""
    counts = [t.counts for t in tallies]
    if len(counts) < 2:
        return Tally(counts[0]) if counts else EMPTY
    return Tally(tuple(map(sum, zip(*counts, strict=True))))


@dataclass(frozen=True, slots=True)
class Interval:
    """A 95 % confidence interval, clipped to the range the quantity can take."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Summary:
    """What a report shows for a group of at least one complete set."""

    n: int
    mean: float
    sd: float | None  # None for one set: there is no spread to estimate
    ci95: Interval | None  # None for one set
    share_under_50: float  # 0-1
    distribution: tuple[int, ...]  # sets per score 0, 2.5, ..., 100


def summarize(tally: Tally) -> Summary:
    """Mean with a t interval, share under 50 and distribution of a non-empty group."""
    n = tally.n
    if n == 0:
        raise ValueError("an empty group has no mean")
    step_sum = tally.step_sum
    mean = step_sum * SCORE_STEP / n
    sd: float | None = None
    ci: Interval | None = None
    if n > 1:
        # n * sum(x^2) - sum(x)^2 is an exact integer, so the spread of equal scores is 0.
        spread = n * tally.step_square_sum - step_sum**2
        sd = SCORE_STEP * math.sqrt(spread / (n * (n - 1)))
        half = t_quantile(n - 1) * sd / math.sqrt(n)
        ci = Interval(max(0.0, mean - half), min(100.0, mean + half))
    return Summary(n, mean, sd, ci, tally.under_50 / n, tally.counts)


@dataclass(frozen=True, slots=True)
class Difference:
    """End minus start at group level: positive means a stronger experience at the end."""

    difference: float
    ci95: Interval | None  # Welch's interval; None if either group has a single set
    df: float | None  # Welch-Satterthwaite degrees of freedom; None if not defined


def difference(start: Summary, end: Summary) -> Difference:
    """Difference of two independent group means with Welch's 95 % interval.

    The groups are treated as independent samples: no person is linked across sessions, so a
    paired analysis is neither possible nor wanted.
    """
    diff = end.mean - start.mean
    if start.sd is None or end.sd is None:
        return Difference(diff, None, None)
    v_start, v_end = start.sd**2 / start.n, end.sd**2 / end.n
    if v_start + v_end == 0:
        return Difference(diff, Interval(diff, diff), None)
    df = (v_start + v_end) ** 2 / (v_start**2 / (start.n - 1) + v_end**2 / (end.n - 1))
    half = t_quantile(df) * math.sqrt(v_start + v_end)
    return Difference(diff, Interval(max(-100.0, diff - half), min(100.0, diff + half)), df)


@cache
def t_quantile(df: float) -> float:
    """The t value with 2.5 % of Student's t distribution above it (two-sided 95 %)."""
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    if df >= _EXACT_BELOW_DF:
        return _cornish_fisher(df)
    alpha = 1 - CONFIDENCE
    low, high = 0.0, 16.0
    while _two_sided_tail(high, df) > alpha:
        low, high = high, high * 2
    while high - low > 1e-12 * high:
        mid = (low + high) / 2
        if _two_sided_tail(mid, df) > alpha:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _cornish_fisher(df: float) -> float:
    """Abramowitz and Stegun 26.7.5: the t quantile as a series in 1/df around the normal one."""
    z = _Z_975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def _two_sided_tail(t: float, df: float) -> float:
    """P(|T| > t) for Student's t: the regularized incomplete beta I_x(df/2, 1/2)."""
    return _regularized_beta(df / (df + t * t), df / 2, 0.5)


def _regularized_beta(x: float, a: float, b: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(x, a, b) / a
    return 1.0 - front * _beta_fraction(1.0 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction for the incomplete beta, by the modified Lentz method."""
    tiny = 1e-300
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        for term in (even, odd):
            d = 1.0 + term * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + term / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            return h
    raise ArithmeticError("the incomplete beta fraction did not converge")
