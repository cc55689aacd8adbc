from datetime import timedelta

import pytest

from bot.core.codes import (
    SHORT_ALPHABET,
    SHORT_LENGTH,
    is_short_code,
    new_join_code,
    new_short_code,
)
from bot.usecases.joining import CodeLimits, short_code_life


@pytest.mark.parametrize(
    ("session_hours", "life"),
    [(12, timedelta(hours=12)), (0.5, timedelta(minutes=30)), (0, timedelta(hours=24))],
)
def test_a_short_code_lives_as_long_as_a_session_and_never_more_than_a_day(
    session_hours: float, life: timedelta
) -> None:
    assert short_code_life(session_hours) == life
    assert short_code_life(24 * 365) == timedelta(hours=24)


def test_only_the_typed_codes_are_short() -> None:
    assert is_short_code(new_short_code())
    assert not is_short_code(new_join_code())


def test_everyone_together_guesses_too_slowly_to_find_a_code() -> None:
    limits = CodeLimits()
    codes = len(SHORT_ALPHABET) ** SHORT_LENGTH
    guesses_a_year = limits.everyone_failures * (timedelta(days=365) / limits.everyone_window)
    open_sessions = 100
    assert guesses_a_year * open_sessions / codes < 0.1  # under a 10 % chance a year
    assert limits.person_failures <= limits.everyone_failures / 20  # twenty accounts at least
