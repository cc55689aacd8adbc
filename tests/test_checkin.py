from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import checkin
from bot.core.checkin import Draft, Rejected, Stage
from bot.core.instrument import DEFAULT_DIR, load_instrument
from tests.report_data import HELSINKI

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FI_OPTIONS = (
    "täysin eri mieltä",
    "jokseenkin eri mieltä",
    "ei samaa eikä eri mieltä",
    "jokseenkin samaa mieltä",
    "täysin samaa mieltä",
)


def fresh() -> Draft:
    return Draft.begin(session_id=1, lang="fi", now=T0)


def answer_all(draft: Draft, values: list[int]) -> Draft:
    for item, value in enumerate(values):
        result = checkin.answer(draft, item, value, T0)
        assert isinstance(result, Draft)
        draft = result
    return draft


def test_ten_answers_in_order_lead_to_the_review() -> None:
    draft = answer_all(fresh(), [1, 2, 3, 4, 5, 5, 4, 3, 2, 1])
    assert draft.stage is Stage.REVIEW
    assert checkin.ready_to_send(draft) == (1, 2, 3, 4, 5, 5, 4, 3, 2, 1)


def test_nothing_can_be_sent_before_the_review() -> None:
    draft = answer_all(fresh(), [3] * 9)
    assert draft.stage is Stage.ASKING
    assert checkin.ready_to_send(draft) is Rejected.NOT_IN_REVIEW


def test_a_double_tap_on_an_earlier_statement_changes_nothing() -> None:
    draft = answer_all(fresh(), [4, 4])
    assert checkin.answer(draft, 1, 1, T0) is Rejected.NOT_CURRENT
    assert checkin.answer(draft, 5, 1, T0) is Rejected.NOT_CURRENT


def test_an_out_of_range_value_is_refused() -> None:
    assert checkin.answer(fresh(), 0, 6, T0) is Rejected.BAD_VALUE
    assert checkin.answer(fresh(), 0, 0, T0) is Rejected.BAD_VALUE


def test_back_keeps_the_answers_and_asks_the_previous_statement() -> None:
    draft = answer_all(fresh(), [2, 3, 4])
    back = checkin.back(draft, T0)
    assert isinstance(back, Draft)
    assert back.position == 2
    assert back.answers[:3] == (2, 3, 4)
    assert checkin.back(fresh(), T0) is Rejected.AT_FIRST


def test_back_from_the_review_goes_to_the_last_statement() -> None:
    draft = checkin.back(answer_all(fresh(), [3] * 10), T0)
    assert isinstance(draft, Draft)
    assert (draft.stage, draft.position) == (Stage.ASKING, 9)


def test_changing_an_answer_from_the_review_returns_to_the_review() -> None:
    review = answer_all(fresh(), [3] * 10)
    editing = checkin.change(review, 4, T0)
    assert isinstance(editing, Draft)
    assert (editing.stage, editing.position, editing.reviewing) == (Stage.ASKING, 4, True)
    done = checkin.answer(editing, 4, 5, T0 + timedelta(minutes=1))
    assert isinstance(done, Draft)
    assert done.stage is Stage.REVIEW
    assert checkin.ready_to_send(done) == (3, 3, 3, 3, 5, 3, 3, 3, 3, 3)
    assert done.updated_at == T0 + timedelta(minutes=1)


def test_change_is_only_possible_from_the_review() -> None:
    assert checkin.change(fresh(), 0, T0) is Rejected.NOT_IN_REVIEW
    assert checkin.change(answer_all(fresh(), [3] * 10), 10, T0) is Rejected.BAD_VALUE


def test_typed_answers_accept_numbers_and_option_words() -> None:
    assert checkin.parse_typed_answer(" 4 ", FI_OPTIONS) == 4
    assert checkin.parse_typed_answer("Täysin  samaa mieltä.", FI_OPTIONS) == 5
    assert checkin.parse_typed_answer("ei samaa eikä eri mieltä", FI_OPTIONS) == 3
    for text in ("0", "6", "42", "samaa", "", "kyllä"):
        assert checkin.parse_typed_answer(text, FI_OPTIONS) is None


def test_a_draft_is_kept_to_the_hour() -> None:
    draft = Draft.begin(1, "fi", datetime(2026, 11, 23, 14, 59, 58, 5, tzinfo=HELSINKI))
    assert draft.on_the_hour().updated_at == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert draft.on_the_hour().answers == draft.answers


def test_a_draft_expires_a_whole_ttl_after_the_end_of_its_hour() -> None:
    ttl = timedelta(hours=24)
    draft = Draft.begin(1, "fi", T0 + timedelta(minutes=59)).on_the_hour()
    # Never sooner than the TTL after the last answer, at most an hour later.
    assert not draft.expired(T0 + timedelta(minutes=59) + ttl, ttl)
    assert not draft.expired(T0 + ttl + timedelta(minutes=59, seconds=59), ttl)
    assert draft.expired(T0 + ttl + timedelta(hours=1), ttl)


def test_nonces_differ_between_check_ins() -> None:
    assert len({fresh().nonce for _ in range(50)}) == 50


events = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(-1, 11), st.integers(-1, 7)),
        st.tuples(st.just("back"), st.just(0), st.just(0)),
        st.tuples(st.just("change"), st.integers(-1, 11), st.just(0)),
    ),
    max_size=60,
)


@given(events)
def test_no_sequence_of_events_breaks_the_draft(sequence: list[tuple[str, int, int]]) -> None:
    draft = fresh()
    for kind, item, value in sequence:
        if kind == "answer":
            result = checkin.answer(draft, item, value, T0)
        elif kind == "back":
            result = checkin.back(draft, T0)
        else:
            result = checkin.change(draft, item, T0)
        if isinstance(result, Draft):
            draft = result
        assert len(draft.answers) == 10
        assert all(a is None or 1 <= a <= 5 for a in draft.answers)
        assert 0 <= draft.position <= 9
        if draft.stage is Stage.REVIEW:
            assert draft.complete is not None
        # Statements before the current one are always answered, so nothing is skipped.
        assert all(a is not None for a in draft.answers[: draft.position])
        sent = checkin.ready_to_send(draft)
        assert isinstance(sent, Rejected) or (len(sent) == 10 and draft.stage is Stage.REVIEW)


AR_OPTIONS = load_instrument(DEFAULT_DIR / "ar.toml").options
FA_OPTIONS = load_instrument(DEFAULT_DIR / "fa.toml").options


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("٣", 3),  # Arabic-Indic
        ("۴", 4),  # Persian
        ("\u200f٥\u200f", 5),  # with right-to-left marks around it  # noqa: RUF001
        ("\u2068١\u2069", 1),  # inside an isolate  # noqa: RUF001
        ("\u200e2.", 2),
    ],
)
def test_typed_digits_count_in_any_script_and_without_direction_marks(
    typed: str, value: int
) -> None:
    assert checkin.parse_typed_answer(typed, AR_OPTIONS) == value


@pytest.mark.parametrize("typed", ["٠", "٦", "۱۲", "²", "½", "\u200f"])  # noqa: RUF001
def test_other_digits_are_not_answers(typed: str) -> None:
    assert checkin.parse_typed_answer(typed, AR_OPTIONS) is None


def test_arabic_and_persian_words_match_as_commonly_typed() -> None:
    # Without hamza and tanween, as most people type it.
    assert checkin.parse_typed_answer("لا اوافق اطلاقا", AR_OPTIONS) == 1
    assert checkin.parse_typed_answer("\u200fأوافق تمامًا\u200f", AR_OPTIONS) == 5  # noqa: RUF001
    # Persian typed on an Arabic keyboard: Arabic kaf and yeh, no tanween.
    assert checkin.parse_typed_answer("كاملا موافقم", FA_OPTIONS) == 5
    assert checkin.parse_typed_answer("تا حدي مخالفم", FA_OPTIONS) == 2
