import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ui import buttons as cb

NONCE = "Ab3_-x9Z"

ALL = [
    cb.Join("Q0b2Tt3vG0L7r8r2s1xZ-_"),
    cb.Decline(),
    cb.Back(NONCE),
    cb.Back("12345678"),
    cb.Pause(NONCE),
    cb.Resume(NONCE),
    cb.Send(NONCE),
    cb.Change(NONCE, 3),
    cb.Language("sv", None),
    cb.Language("en", "Q0b2Tt3vG0L7r8r2s1xZ-_"),
    cb.Tidy(1234567),
    cb.KeepChat(),
]


@pytest.mark.parametrize("callback", ALL)
def test_every_button_round_trips_and_fits_telegrams_64_bytes(callback: cb.Callback) -> None:
    data = cb.encode(callback)
    assert cb.parse(data) == callback
    assert 1 <= len(data.encode()) <= 64


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "a",
        f"a:{NONCE}:1:3",  # answers come from the keyboard, never from button data
        "b:short",
        f"b:{NONCE}:10",
        "l:de",
        "j:x",
        "t:-1",
        f"s:{NONCE}:extra",
        "x:y",
        "é",
    ],
)
def test_forged_data_is_not_understood(data: str | None) -> None:
    assert cb.parse(data) is None


@given(st.text(max_size=80))
def test_parse_never_fails_on_any_text(data: str) -> None:
    result = cb.parse(data)
    assert result is None or cb.encode(result) == data
