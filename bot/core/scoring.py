"""Scoring of the instrument, as THL defines it: one total on 0-100, complete sets only."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.instrument import OPTION_COUNT, STATEMENT_COUNT

VERY_WEAK_BELOW = 50.0


class IncompleteAnswers(ValueError):
    """Only complete sets of ten answers, each 1-5, are ever scored."""


def score(points: Sequence[int]) -> float:
    """Return (sum - 10) * 2.5 for ten answers of 1-5 points."""
    if len(points) != STATEMENT_COUNT or any(
        not isinstance(p, int) or not 1 <= p <= OPTION_COUNT for p in points
    ):
        raise IncompleteAnswers(f"need {STATEMENT_COUNT} answers of 1-{OPTION_COUNT}")
    return (sum(points) - STATEMENT_COUNT) * 2.5


def is_very_weak(value: float) -> bool:
    """'Erittäin heikko osallisuuden kokemus' is a score strictly below 50."""
    return value < VERY_WEAK_BELOW
