import string
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import codes

HARD_TO_SAY_OR_TYPE = "WQXZC0O1I"

# How people type a code they read from a screen or hear: any case, in groups, with a dash.
TYPED: list[Callable[[str], str]] = [
    str.lower,
    " ".join,
    lambda code: f"{code[:3]}-{code[3:]}",
    lambda code: f"  {code[:3].lower()} - {code[3:]}\n",
    lambda code: f"{code[:2]}--{code[2:5].lower()} {code[5:]}",
    # Copied from a right-to-left message, isolates and all, or typed with a mark before it.
    lambda code: f"\u2068{code}\u2069",
    lambda code: f"\u200f{code.lower()}",
]


def test_the_typed_code_uses_only_letters_and_digits_easy_to_say_and_type() -> None:
    assert not set(HARD_TO_SAY_OR_TYPE) & set(codes.SHORT_ALPHABET)
    assert set(codes.SHORT_ALPHABET) <= set(string.ascii_uppercase + string.digits)
    assert len(set(codes.SHORT_ALPHABET)) == len(codes.SHORT_ALPHABET) == 27


def test_new_codes_have_their_own_shapes() -> None:
    for _ in range(500):
        short, link = codes.new_short_code(), codes.new_join_code()
        assert len(short) == codes.SHORT_LENGTH
        assert set(short) <= set(codes.SHORT_ALPHABET)
        assert codes.is_short_code(short)
        assert not codes.is_link_code(short)
        assert codes.is_link_code(link)
        assert not codes.is_short_code(link)


@pytest.mark.parametrize("typed", TYPED)
def test_a_short_code_is_recognised_and_normalised_however_it_is_typed(
    typed: Callable[[str], str],
) -> None:
    code = codes.new_short_code()
    assert codes.is_short_code(typed(code))
    assert codes.normalise_short_code(typed(code)) == code


def test_codes_made_before_the_easier_alphabet_still_count() -> None:
    assert codes.is_short_code("wqx-2z3")
    assert codes.normalise_short_code("wqx-2z3") == "WQX2Z3"


@pytest.mark.parametrize(
    "text",
    [
        "kiitos",  # words people send are not codes, so they are not counted as wrong ones
        "valmis",
        "Hei hei",
        "ABD23O5",  # O is never in a code
        "ABD2345X",
        "ABD_234",
        "ÄBD2345",
        "ABI234",  # six characters: the earlier alphabet had no I either
        "",
    ],
)
def test_other_text_is_not_a_short_code(text: str) -> None:
    assert not codes.is_short_code(text)


@given(st.data())
def test_any_case_and_any_spaces_or_dashes_between_characters_find_the_same_code(
    data: st.DataObject,
) -> None:
    code = codes.new_short_code()
    cases = [data.draw(st.sampled_from([c, c.lower()])) for c in code]
    gaps = [data.draw(st.sampled_from(["", " ", "-", " - ", "\t"])) for _ in code]
    typed = "".join(c + gap for c, gap in zip(cases, gaps, strict=True))
    assert codes.is_short_code(typed)
    assert codes.normalise_short_code(typed) == code
