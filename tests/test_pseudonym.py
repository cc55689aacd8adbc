import pytest

from bot.core.pseudonym import Pseudonyms


def test_keys_are_stable_for_the_same_secret() -> None:
    assert Pseudonyms(b"k" * 32).person(42) == Pseudonyms(b"k" * 32).person(42)


def test_keys_depend_on_the_secret_the_person_and_the_session() -> None:
    a, b = Pseudonyms(b"a" * 32), Pseudonyms(b"b" * 32)
    assert a.person(42) != b.person(42)
    assert a.person(42) != a.person(43)
    assert a.in_session(42, 1) != a.in_session(42, 2)
    assert a.in_session(42, 1) != a.person(42)


def test_a_drafts_key_is_not_the_participation_marker() -> None:
    # A draft left behind in a file must not tell that the person has answered the session.
    keys = Pseudonyms(b"k" * 32)
    assert keys.draft(42, 1) != keys.in_session(42, 1)
    assert keys.draft(42, 1) != keys.draft(42, 2)
    assert keys.draft(42, 1) != keys.draft(43, 1)


def test_keys_do_not_contain_the_id() -> None:
    key = Pseudonyms(b"s" * 32).person(123456789)
    assert len(key) == 32
    assert b"123456789" not in key
    assert (123456789).to_bytes(8, "big") not in key


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        Pseudonyms(b"short")
