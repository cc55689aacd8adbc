import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.scoring import IncompleteAnswers, is_very_weak, score

answers = st.lists(st.integers(min_value=1, max_value=5), min_size=10, max_size=10)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([1] * 10, 0.0),
        ([5] * 10, 100.0),
        ([3] * 10, 50.0),
        ([3] * 9 + [2], 47.5),  # raw sum 29
        ([4] + [3] * 8 + [2], 50.0),  # raw sum 30, unevenly
        ([4] * 10, 75.0),
    ],
)
def test_checks_from_the_instrument_guide(points: list[int], expected: float) -> None:
    assert score(points) == expected


def test_fifty_is_not_very_weak_but_just_below_is() -> None:
    assert not is_very_weak(score([3] * 10))
    assert is_very_weak(score([3] * 9 + [2]))


@pytest.mark.parametrize(
    "points",
    [[], [3] * 9, [3] * 11, [0] + [3] * 9, [6] + [3] * 9, [3] * 9 + [None]],
)
def test_only_complete_sets_are_scored(points: list[int]) -> None:
    with pytest.raises(IncompleteAnswers):
        score(points)


@given(answers)
def test_score_is_on_the_0_to_100_scale_in_steps_of_two_and_a_half(points: list[int]) -> None:
    value = score(points)
    assert 0 <= value <= 100
    assert (value / 2.5).is_integer()
    assert value == (sum(points) - 10) * 2.5


@given(answers, st.integers(min_value=0, max_value=9))
def test_one_more_point_raises_the_score_by_two_and_a_half(points: list[int], i: int) -> None:
    if points[i] < 5:
        higher = [*points[:i], points[i] + 1, *points[i + 1 :]]
        assert score(higher) == score(points) + 2.5


@given(answers)
def test_very_weak_exactly_when_raw_sum_is_below_thirty(points: list[int]) -> None:
    assert is_very_weak(score(points)) == (sum(points) < 30)
