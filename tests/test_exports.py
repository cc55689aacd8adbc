"""The anonymous row-level export: what is read from the database and what may leave it."""

import csv
import io
import secrets
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.checkin import Draft
from bot.instrument import DEFAULT_DIR, load_instrument
from bot.report_files import ROW_COLUMNS, rows_csv
from bot.report_model import InstrumentText, ReportRequest, SessionInfo, SessionKind
from bot.row_export import ExportRow, StoredSet, iso_week
from bot.scoring import score
from bot.storage.blocks import BlockRepository
from bot.storage.database import connect
from bot.storage.exports import ExportRepository
from bot.storage.repository import Repository, Session
from bot.storage.store import Store
from bot.suppression import exportable_rows
from tests.report_data import FI, HELSINKI, SV

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)  # a Wednesday, in Helsinki too
TODAY = date(2024, 6, 5)
YESTERDAY = TODAY - timedelta(days=1)
MONDAY = date(2024, 5, 27)
K = 5
GRACE = timedelta(minutes=15)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    db = Store(await connect(tmp_path / "db.sqlite3"))
    yield db
    await db.close()


async def insert_sets(
    store: Store, session: Session, day: date, points: list[tuple[int, ...]], text: str = "fi"
) -> None:
    """Complete sets stored as `Repository.submit` stores them, on a chosen day: waiting for
    release."""
    status, version = ("official", "THL 2019") if text == "fi" else ("provisional", "draft 1")
    async with store.transaction() as conn:
        await conn.executemany(
            "INSERT INTO pending_set (id, session_id, lang, instrument_status, "
            "instrument_version, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, score, answered_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    secrets.token_bytes(16),
                    session.id,
                    text,
                    status,
                    version,
                    *p,
                    score(p),
                    day.isoformat(),
                )
                for p in points
            ],
        )


async def release(store: Store, now: datetime = NOW, k: int = K) -> None:
    """The bot's upkeep at `now`: the blocks due are released."""
    await BlockRepository(store).release(now, zone=HELSINKI, grace=GRACE, min_size=k)


def answers(*firsts: int) -> list[tuple[int, ...]]:
    """Sets that differ in their first answer (the rest are 3), to tell rows apart."""
    return [(first, *(3,) * 9) for first in firsts]


async def export(
    store: Store, request: ReportRequest | None = None, k: int = K
) -> list[ExportRow]:
    """The whole path of /export's row file: sessions, stored sets, the rules."""
    sessions = await Repository(store).report_sessions(HELSINKI)
    sets = await ExportRepository(store).stored_sets([s.id for s in sessions])
    return released(sessions, sets, request, k)


def released(
    sessions: list[SessionInfo],
    sets: list[StoredSet],
    request: ReportRequest | None = None,
    k: int = K,
) -> list[ExportRow]:
    by_id = {s.id: s for s in sessions}
    return exportable_rows(
        sets, by_id, request or ReportRequest(), now=NOW, zone=HELSINKI, min_group_size=k
    )


async def new_session(store: Store, label: str, activity: str | None = None) -> Session:
    code = secrets.token_hex(11)
    return await Repository(store).create_session(
        label, code, code[:6].upper(), NOW - timedelta(days=30), owner_id=1, activity=activity
    )


async def test_stored_sets_carry_points_and_day_but_no_random_id(store: Store) -> None:
    session = await new_session(store, "Työpaja")
    other = await new_session(store, "Other")
    await insert_sets(store, session, MONDAY, answers(1, 5))
    await insert_sets(store, other, MONDAY, answers(2), text="sv")
    await release(store, k=1)  # open sessions: Monday's sets are released as blocks of Monday
    exports = ExportRepository(store)
    mine = await exports.stored_sets([session.id])
    assert sorted(mine, key=lambda s: s.points) == [
        StoredSet(session.id, MONDAY, FI, (1, *(3,) * 9), 45.0),
        StoredSet(session.id, MONDAY, FI, (5, *(3,) * 9), 55.0),
    ]
    assert {s.text for s in await exports.stored_sets()} == {FI, SV}
    assert await exports.stored_sets([]) == []
    assert "id" not in StoredSet._fields


async def test_a_set_sent_through_the_repository_reads_back(store: Store) -> None:
    repo = Repository(store)
    session = await new_session(store, "S")
    points = (1, 2, 3, 4, 5, 5, 4, 3, 2, 1)
    fi = load_instrument(DEFAULT_DIR / "fi.toml")
    draft = Draft.begin(session.id, "fi", NOW)
    await repo.submit(b"p" * 32, b"k" * 32, draft, points, score(points), fi, MONDAY)
    assert await ExportRepository(store).stored_sets([session.id]) == []  # waiting
    await release(store, k=1)
    [stored] = await ExportRepository(store).stored_sets([session.id])
    assert stored == StoredSet(session.id, MONDAY, FI, points, 50.0)


async def test_the_row_file_leaves_out_small_sessions_and_todays_sets(store: Store) -> None:
    repo = Repository(store)
    big = await new_session(store, "Iso ryhmä", activity="Äänipaja")
    bigger = await new_session(store, "Isompi ryhmä", activity="Äänipaja")
    small = await new_session(store, "Pieni ryhmä", activity="Äänipaja")
    workroom = await new_session(store, "Avoin työhuone")  # open: a standing link
    await insert_sets(store, big, MONDAY, answers(1, 2, 3, 4, 5, 5))
    await insert_sets(store, bigger, MONDAY, answers(5, 4, 3, 2, 1, 1, 1))
    await insert_sets(store, small, MONDAY, answers(4, 4))
    await insert_sets(store, workroom, YESTERDAY, answers(1, 1, 2, 2, 3, 3, 4, 4))
    await insert_sets(store, workroom, TODAY, answers(5, 5, 5, 5, 5, 5))
    for closed in (big, bigger, small):
        await repo.close_session(closed.id, NOW - timedelta(days=1))
    await release(store)

    rows = await export(store)

    # The small session's block is withheld for good, in no figure, so no other session needs
    # to be left out for it; today's sets of the open one wait. Closed sessions' sets belong
    # to the day of their release, yesterday.
    assert Counter(row.session_id for row in rows) == {big.id: 6, bigger.id: 7, workroom.id: 8}
    assert all(row.points[0] != 5 for row in rows if row.session_id == workroom.id)
    assert rows == sorted(rows)
    assert rows[-1].session_label == "Isompi ryhmä"
    assert rows[-1].activity == "Äänipaja"
    assert {row.week for row in rows} == {iso_week(YESTERDAY)}


async def test_the_row_file_holds_no_random_id_and_no_stored_order(store: Store) -> None:
    session = await new_session(store, "S")
    await insert_sets(store, session, MONDAY, answers(5, 4, 3, 2, 1, 2, 3))
    await Repository(store).close_session(session.id, NOW - timedelta(days=1))
    await release(store)
    ids = [row[0] for row in await store.all("SELECT id FROM answer_set")]

    content = rows_csv(await export(store))

    assert content.startswith(b"\xef\xbb\xbf")
    for random_id in ids:
        assert random_id not in content
        assert random_id.hex().encode() not in content.lower()
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(lines[0]) == ROW_COLUMNS
    assert [line[8] for line in lines[1:]] == ["1", "2", "2", "3", "3", "4", "5"]  # a1
    assert lines[1] == [
        "",
        str(session.id),
        "S",
        "single",
        "2024-W23",  # the week of the release, yesterday
        "fi",
        "official",
        "THL 2019",
        "1",
        *["3"] * 9,
        "45.0",
    ]


def info(
    session_id: int,
    *,
    closed: bool = True,
    activity: int | None = 1,
    kind: SessionKind = SessionKind.SINGLE,
) -> SessionInfo:
    name = "" if activity is None else f"Activity {activity}"
    return SessionInfo(
        session_id, f"Session {session_id}", activity, name, kind, closed, date(2024, 1, 1)
    )


def stored(session_id: int, day: date, n: int, text: InstrumentText = FI) -> list[StoredSet]:
    return [
        StoredSet(session_id, day, text, (1 + i % 5, *(3,) * 9), 45.0 + 2.5 * (i % 5))
        for i in range(n)
    ]


def exported(
    sessions: list[SessionInfo],
    sets: list[StoredSet],
    request: ReportRequest | None = None,
    k: int = K,
) -> Counter[int]:
    """How many rows of each session the export holds."""
    return Counter(row.session_id for row in released(sessions, sets, request, k))


def test_a_session_goes_out_whole_or_not_at_all() -> None:
    # A set alone in its week would be the one person who came that week.
    sessions = [info(1)]
    sets = stored(1, MONDAY, 6) + stored(1, MONDAY + timedelta(days=7), 2)
    assert exported(sessions, sets) == {}
    assert exported(sessions, sets, k=2) == {1: 8}


def test_a_session_with_a_small_translation_group_is_left_out() -> None:
    sessions = [info(1), info(2)]
    sets = stored(1, MONDAY, 8) + stored(1, MONDAY, 1, SV) + stored(2, MONDAY, 9)
    # Session 1's one Swedish set would be the one Swedish speaker's answers. Leaving out only
    # that row would let the Swedish table's total minus the export give them: the whole
    # session stays out, and its figures are only those the pooled report shows.
    assert exported(sessions, sets) == {2: 9}
    assert exported(sessions, sets, ReportRequest(activity_id=1), k=1) == {1: 9, 2: 9}


def test_no_report_figure_minus_the_export_gives_a_small_group() -> None:
    march, april = date(2024, 3, 4), date(2024, 4, 8)
    sessions = [info(i) for i in (1, 2, 3, 4)]
    sets = stored(1, march, 6) + stored(2, march, 2) + stored(3, april, 5) + stored(4, april, 9)
    # By session, 2 is withheld and 3 (the smallest) to protect it. March's total minus
    # session 1 would then be session 2 alone: 1 is left out too.
    assert exported(sessions, sets) == {4: 9}


def test_an_open_session_waits_for_a_block_of_k_earlier_sets() -> None:
    sessions = [info(1, closed=False), info(2)]
    sets = (
        stored(1, MONDAY, 3)
        + stored(1, MONDAY + timedelta(days=1), 3)
        + stored(1, YESTERDAY, 2)
        + stored(1, TODAY, 9)
        + stored(2, MONDAY, 5)
    )
    # Monday and Tuesday make a block of 6; yesterday's 2 wait for more; today's never count.
    assert exported(sessions, sets) == {1: 6, 2: 5}


def test_scope_and_date_range_come_from_the_request() -> None:
    sessions = [info(1), info(2, activity=2), info(3)]
    sets = stored(1, MONDAY, 6) + stored(2, MONDAY, 7) + stored(3, date(2024, 1, 8), 8)
    assert exported(sessions, sets, ReportRequest(activity_id=2)) == {2: 7}
    assert exported(sessions, sets, ReportRequest(session_id=3)) == {3: 8}
    in_may = ReportRequest(first_day=date(2024, 5, 1), last_day=date(2024, 5, 31))
    assert exported(sessions, sets, in_may, k=1) == {1: 6, 2: 7}


def test_start_and_end_of_an_activity_are_protected_as_in_its_report() -> None:
    sessions = [
        info(1, kind=SessionKind.START),
        info(2, kind=SessionKind.START),
        info(3, kind=SessionKind.END),
    ]
    sets = stored(1, MONDAY, 6) + stored(2, MONDAY, 2) + stored(3, MONDAY, 9)
    # The report shows start and end: start minus session 1 would be session 2.
    assert exported(sessions, sets, ReportRequest(activity_id=1)) == {3: 9}


def test_weeks_are_iso_weeks() -> None:
    assert iso_week(date(2024, 12, 30)) == "2025-W01"
    assert iso_week(date(2021, 1, 3)) == "2020-W53"
    assert iso_week(MONDAY) == "2024-W22"


@st.composite
def datasets(draw: st.DrawFn) -> tuple[list[SessionInfo], list[StoredSet]]:
    sessions = [
        info(
            i + 1,
            closed=draw(st.booleans()),
            activity=draw(st.sampled_from([None, 1, 2])),
            kind=draw(st.sampled_from(list(SessionKind))),
        )
        for i in range(draw(st.integers(1, 6)))
    ]
    sets = [
        StoredSet(
            draw(st.sampled_from(sessions)).id,
            TODAY - timedelta(days=draw(st.integers(0, 40))),
            draw(st.sampled_from([FI, SV])),
            points := tuple(draw(st.lists(st.integers(1, 5), min_size=10, max_size=10))),
            score(points),
        )
        for _ in range(draw(st.integers(0, 60)))
    ]
    return sessions, sets


@settings(max_examples=300, deadline=None)
@given(datasets(), st.integers(1, 6), st.sampled_from([None, 1, 2]))
def test_every_exported_row_hides_among_k_and_sessions_stay_whole(
    data: tuple[list[SessionInfo], list[StoredSet]], k: int, activity: int | None
) -> None:
    sessions, sets = data
    by_id = {s.id: s for s in sessions}
    rows = released(sessions, sets, ReportRequest(activity_id=activity), k)

    assert rows == sorted(rows)
    classes = Counter((r.session_id, r.week, r.language, r.instrument_status) for r in rows)
    assert all(n >= k for n in classes.values())
    for session_id, n in Counter(r.session_id for r in rows).items():
        session = by_id[session_id]
        assert activity is None or session.activity_id == activity
        countable = [
            s
            for s in sets
            if s.session_id == session_id and (session.closed or s.answered_on < TODAY)
        ]
        if session.closed:
            assert n == len(countable)  # every set of a closed session, or none
        assert n <= len(countable)
    originals = Counter((s.session_id, s.points, s.score) for s in sets)
    assert not Counter((r.session_id, r.points, r.score) for r in rows) - originals
