"""The rules of release blocks: which waiting sets are released together, and when."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.release import Cut, Waiting, block_figures, cuts
from bot.core.scoring import score
from bot.core.statistics import Tally
from tests.report_data import FI, HELSINKI, SV

K = 5
GRACE = timedelta(minutes=15)
MON, TUE, WED, THU = (date(2026, 11, 23) + timedelta(days=n) for n in range(4))
THURSDAY_NOON = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # 12:00 in Helsinki


def release(
    waiting: list[Waiting],
    closed_at: dict[int, datetime | None] | None = None,
    now: datetime = THURSDAY_NOON,
    k: int = K,
) -> list[Cut]:
    return cuts(waiting, closed_at or {}, now, zone=HELSINKI, grace=GRACE, min_size=k)


def test_a_closed_session_releases_everything_once_the_grace_period_is_over() -> None:
    closed = datetime(2026, 11, 25, 21, 50, tzinfo=UTC)  # 23:50 in Helsinki, on Wednesday
    waiting = [Waiting(1, FI, TUE, 3), Waiting(1, FI, WED, 4), Waiting(1, FI, THU, 1)]
    assert release(waiting, {1: closed}, now=closed + GRACE - timedelta(seconds=1)) == []
    # Grace ends at 00:05 on Thursday: that is the block's day, whatever day its sets came.
    assert release(waiting, {1: closed}, now=closed + GRACE) == [
        Cut(1, FI, (TUE, WED, THU), THU, 8, withheld=False)
    ]


def test_a_closed_session_releases_each_instrument_text_apart() -> None:
    closed = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    waiting = [Waiting(1, FI, TUE, 6), Waiting(1, SV, TUE, 1)]
    assert release(waiting, {1: closed}) == [
        Cut(1, FI, (TUE,), TUE, 6, withheld=False),
        Cut(1, SV, (TUE,), TUE, 1, withheld=True),  # out of waiting, in no figure ever
    ]


def test_a_closed_session_within_its_grace_period_releases_no_day() -> None:
    # Its earlier days would have made a block while it was open: now all go out together.
    closed = THURSDAY_NOON - timedelta(minutes=5)
    assert release([Waiting(1, FI, MON, 9), Waiting(1, FI, THU, 1)], {1: closed}) == []


def test_an_open_session_cuts_a_block_when_earlier_days_reach_the_minimum() -> None:
    waiting = [Waiting(1, FI, MON, 2), Waiting(1, FI, TUE, 3), Waiting(1, FI, WED, 4)]
    # Monday and Tuesday make 5; Wednesday's 4 wait for more.
    assert release(waiting) == [Cut(1, FI, (MON, TUE), TUE, 5, withheld=False)]


def test_an_open_session_never_counts_todays_sets() -> None:
    waiting = [Waiting(1, FI, WED, 4), Waiting(1, FI, THU, 20)]
    assert release(waiting) == []
    friday = THURSDAY_NOON + timedelta(days=1)
    assert release(waiting, now=friday) == [Cut(1, FI, (WED, THU), THU, 24, withheld=False)]


def test_the_day_is_the_local_day() -> None:
    # 23:30 UTC on Wednesday is already Thursday in Helsinki: Wednesday is over.
    late = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    assert release([Waiting(1, FI, WED, 5)], now=late) == [
        Cut(1, FI, (WED,), WED, 5, withheld=False)
    ]
    assert release([Waiting(1, FI, WED, 5)], now=late - timedelta(hours=2)) == []


def test_an_open_session_cuts_each_text_apart() -> None:
    waiting = [Waiting(1, FI, MON, 3), Waiting(1, SV, MON, 3), Waiting(1, FI, TUE, 2)]
    assert release(waiting) == [Cut(1, FI, (MON, TUE), TUE, 5, withheld=False)]


def test_sets_after_a_release_start_a_new_block() -> None:
    # Thursday's release took Monday's 5; a set sent late for Tuesday waits for its own block.
    closed = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert release([Waiting(1, FI, TUE, 1)], {1: closed}) == [
        Cut(1, FI, (TUE,), THU, 1, withheld=True)
    ]
    assert release([Waiting(2, FI, MON, 1), Waiting(2, FI, TUE, 4)]) == [
        Cut(2, FI, (MON, TUE), TUE, 5, withheld=False)
    ]


def test_the_figures_count_scores_and_options() -> None:
    sets = [(1, 2, 3, 4, 5, 5, 4, 3, 2, 1), (5,) * 10]
    tally, statements = block_figures((points, score(points)) for points in sets)
    assert tally == Tally.of([50.0, 100.0])
    assert statements[0] == (1, 0, 0, 0, 1)
    assert statements[2] == (0, 0, 1, 0, 1)
    assert len(statements) == 10


# Properties over random worlds: sessions, days, texts and counts.

DAYS = [MON + timedelta(days=n) for n in range(8)]


@st.composite
def worlds(draw: st.DrawFn) -> list[Waiting]:
    groups = draw(
        st.dictionaries(
            st.tuples(st.integers(1, 3), st.sampled_from([FI, SV]), st.sampled_from(DAYS)),
            st.integers(1, 7),
            max_size=20,
        )
    )
    return [Waiting(s, text, day, n) for (s, text, day), n in groups.items()]


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def taken(found: list[Cut]) -> Counter[tuple[int, object, date]]:
    return Counter((c.session_id, c.text, day) for c in found for day in c.days)


@settings(max_examples=300, deadline=None)
@given(worlds(), st.sampled_from(DAYS), st.integers(1, 6))
def test_open_sessions_release_only_whole_earlier_days_in_blocks_of_k(
    waiting: list[Waiting], today: date, k: int
) -> None:
    found = release(waiting, now=noon(today), k=k)
    counts = {(w.session_id, w.text, w.day): w.count for w in waiting}
    assert max(taken(found).values(), default=1) == 1  # a day goes to one block at most
    for cut in found:
        assert cut.size >= k
        assert not cut.withheld
        assert all(day < today for day in cut.days)
        assert cut.released_on == max(cut.days)
        assert cut.size == sum(counts[cut.session_id, cut.text, day] for day in cut.days)
    # What stays waiting from earlier days is, per session and text, fewer than k sets, all
    # sent after the last block.
    for session_id, text in {(w.session_id, w.text) for w in waiting}:
        left = [
            w
            for w in waiting
            if (w.session_id, w.text) == (session_id, text)
            and w.day < today
            and (session_id, text, w.day) not in taken(found)
        ]
        assert sum(w.count for w in left) < k
        last = max(
            (c.released_on for c in found if (c.session_id, c.text) == (session_id, text)),
            default=None,
        )
        assert last is None or all(w.day > last for w in left)


@settings(max_examples=200, deadline=None)
@given(worlds(), st.integers(1, 6))
def test_releasing_every_day_makes_the_same_blocks_as_releasing_once(
    waiting: list[Waiting], k: int
) -> None:
    # Blocks depend only on the days and counts, not on when the release runs.
    daily: list[Cut] = []
    for today in [*DAYS, DAYS[-1] + timedelta(days=1)]:
        sent = [w for w in waiting if w.day < today]
        left = [w for w in sent if (w.session_id, w.text, w.day) not in taken(daily)]
        daily += release(left, now=noon(today), k=k)
    once = release(waiting, now=noon(DAYS[-1] + timedelta(days=1)), k=k)
    assert sorted(daily, key=repr) == sorted(once, key=repr)


@settings(max_examples=200, deadline=None)
@given(worlds(), st.integers(1, 6), st.sampled_from(DAYS))
def test_a_closed_session_goes_out_whole_in_one_block_per_text(
    waiting: list[Waiting], k: int, closing_day: date
) -> None:
    closed: dict[int, datetime | None] = {
        1: noon(closing_day),
        2: noon(closing_day) + timedelta(days=30),
    }
    now = noon(closing_day) + GRACE
    found = release(waiting, closed, now=now, k=k)
    for session_id, text in {(w.session_id, w.text) for w in waiting if w.session_id == 1}:
        [cut] = [c for c in found if (c.session_id, c.text) == (session_id, text)]
        assert cut.size == sum(
            w.count for w in waiting if (w.session_id, w.text) == (session_id, text)
        )
        assert cut.released_on == closing_day
        assert cut.withheld == (cut.size < k)
    assert not [c for c in found if c.session_id == 2]  # closed, but not yet past its grace


@pytest.mark.parametrize("k", [1, 5])
def test_nothing_waiting_releases_nothing(k: int) -> None:
    assert release([], {1: THURSDAY_NOON - timedelta(days=1)}, k=k) == []
