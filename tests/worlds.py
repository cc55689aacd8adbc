"""Worlds of check-ins stored through the real repository in a real SQLite database, with a
clock the test moves, and released by the real release call as the bot's upkeep does."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.core.checkin import Draft
from bot.core.report_model import ReleasedBlock, ReportRequest, SessionInfo
from bot.core.reports import HeldSets, Report
from bot.core.row_export import ExportRow
from bot.core.scoring import score
from bot.core.sessions import Session, SessionKind
from bot.usecases.reports import held_sets, make_report, make_row_export
from bot.usecases.services import Services
from bot.wiring import open_services

HELSINKI = "Europe/Helsinki"
LANGUAGES = ("fi",) * 8 + ("sv", "en")
ACTIVITIES = ("Avoin työhuone", "Vertaisryhmä", None)


@dataclass
class Clock:
    """The time the bot believes it is."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class PlannedSession:
    """A check-in: where it belongs, when it opens and closes (None: a standing link)."""

    label: str
    activity: str | None
    kind: SessionKind
    start: int | None  # an end session's start session (its index)
    opened: datetime
    closes: datetime | None


@dataclass(frozen=True)
class PlannedSet:
    """One person's complete set: its session (index), when it was sent, in which language."""

    session: int
    sent: datetime
    lang: str
    points: tuple[int, ...]


@dataclass(frozen=True)
class World:
    """Sessions and sets, the minimum group size and row block, and when reports are read."""

    sessions: tuple[PlannedSession, ...]
    sets: tuple[PlannedSet, ...]
    end: datetime
    k: int
    row_block: int
    grace: timedelta = timedelta(minutes=15)


def random_points(rng: random.Random) -> tuple[int, ...]:
    return tuple(rng.randint(1, 5) for _ in range(10))


def random_world(rng: random.Random, k: int = 3) -> World:
    """Sessions with sizes around k over several days and months, languages, kinds (end
    sessions linked to a start), late sets in the grace period, sessions running past a
    month's last midnight, and standing links closed later or never."""
    first = datetime(2026, 1, 26, 7, 0, tzinfo=UTC)
    sessions: list[PlannedSession] = []
    sets: list[PlannedSet] = []
    starts: dict[str | None, int] = {}
    for i in range(rng.randint(6, 8)):
        activity = rng.choice(ACTIVITIES)
        kind = rng.choice(list(SessionKind))
        start = None
        if kind is SessionKind.END and starts:  # the end of an activity begun earlier
            activity = rng.choice(sorted(starts, key=str))
            start = starts[activity]
        elif kind is SessionKind.END:
            kind = SessionKind.SINGLE
        if kind is SessionKind.START:
            starts[activity] = i
        standing = rng.random() < 0.3
        if rng.random() < 0.25:  # evening of a month's last day, answered past midnight
            opened = datetime(2026, 1, 31, 21, 0, tzinfo=UTC)
        else:
            opened = first + timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 8))
        if start is not None:  # an end comes after its start
            opened = max(opened, sessions[start].opened + timedelta(hours=3))
        if standing:
            span = timedelta(days=rng.randint(3, 12))
            closes = opened + span if rng.random() < 0.6 else None
        else:
            span = timedelta(hours=2)
            closes = opened + span
        sessions.append(PlannedSession(f"Session {i + 1}", activity, kind, start, opened, closes))
        size = rng.randint(2 * k, 4 * k) if standing else rng.randint(k - 1, 2 * k + 2)
        languages = ("fi", "sv") if rng.random() < 0.3 else LANGUAGES  # a bilingual group
        for _ in range(size):
            sent = opened + span * rng.random()
            if closes is not None and rng.random() < 0.15:  # late, within the grace period
                sent = closes + timedelta(minutes=rng.uniform(0.5, 14))
            sets.append(PlannedSet(i, sent, rng.choice(languages), random_points(rng)))
    end = max([s.sent for s in sets] + [s.closes or s.opened for s in sessions])
    return World(tuple(sessions), tuple(sets), end + timedelta(days=2), k, k + 1)


@dataclass
class Stored:
    """What the product reads from a stored world: the only inputs of any report."""

    services: Services
    sessions: list[SessionInfo]
    blocks: list[ReleasedBlock]
    held: list[HeldSets]
    rows: list[ExportRow] = field(default_factory=list)

    async def report(self, request: ReportRequest) -> Report:
        """The report as the chat and the command line make it."""
        return await make_report(self.services, request)


def settings_for(world: World, database: Path) -> Settings:
    return Settings.model_validate(
        {
            "database": database,
            "secret": SecretStr("world-secret-0123456789abcdef"),
            "min_group_size": world.k,
            "min_row_block": world.row_block,
            "close_grace_minutes": world.grace.total_seconds() / 60,
            "timezone": HELSINKI,
        }
    )


async def store_world(
    world: World, database: Path, answers: Sequence[tuple[int, ...]] | None = None
) -> Stored:
    """Replay the world into a new database: create, answer, close, and release whenever the
    bot's upkeep would (after every event and after each midnight). `answers` replaces the
    sets' answers, in order. The caller closes `stored.services`."""
    clock = Clock(world.sessions[0].opened)
    services = await open_services(settings_for(world, database), clock)
    points = list(answers or [s.points for s in world.sets])
    events: list[tuple[datetime, int, int]] = []  # (when, what, which)
    events += [(s.opened, 0, i) for i, s in enumerate(world.sessions)]
    events += [(s.sent, 1, i) for i, s in enumerate(world.sets)]
    events += [(s.closes, 2, i) for i, s in enumerate(world.sessions) if s.closes is not None]
    day = world.sessions[0].opened.replace(hour=22, minute=5)  # 00:05 in Helsinki
    while day < world.end:
        events.append((day, 3, 0))
        day += timedelta(days=1)
    events += [(s.closes + world.grace, 3, 0) for s in world.sessions if s.closes is not None]
    events.append((world.end, 3, 0))
    ids: dict[int, int] = {}
    for when, what, which in sorted(events):
        clock.now = when
        if what == 0:
            planned = world.sessions[which]
            session = await services.sessions.create_session(
                planned.label,
                f"join{which:018d}",
                f"C{which:05d}",
                when,
                owner_id=1,
                activity=planned.activity,
                kind=planned.kind,
                start_session_id=None if planned.start is None else ids[planned.start],
            )
            ids[which] = session.id
        elif what == 1:
            one = world.sets[which]
            key = f"person-{which}".encode().ljust(32, b"-")
            draft = Draft.begin(ids[one.session], one.lang, when)
            await services.answer_sets.submit(
                key,
                key,
                draft,
                points[which],
                score(points[which]),
                services.instruments[one.lang],
                services.today(),
            )
        elif what == 2:
            await services.sessions.close_session(ids[which], when)
        await services.release(when)
    sessions = await services.sessions.report_sessions(services.settings.zone)
    blocks = await services.blocks.released_blocks()
    held = held_sets(await services.blocks.held_back(), {s.id: s for s in sessions})
    rows = await make_row_export(services, ReportRequest())
    return Stored(services, sessions, blocks, held, rows)


@dataclass
class Bot:
    """The bot's storage, release and reports, with a clock the test moves."""

    services: Services
    clock: Clock
    sent: int = 0

    async def session(self, label: str, activity: str | None = None) -> Session:
        return await self.services.sessions.create_session(
            label,
            f"join-{label}".ljust(22, "x"),
            label[:6].upper(),
            self.clock(),
            owner_id=1,
            activity=activity,
        )

    async def answer(self, session: Session, values: list[int], lang: str = "fi") -> None:
        """People send complete sets, each answering every statement with one value."""
        for value in values:
            self.sent += 1
            key = f"person-{self.sent}".encode().ljust(32, b"-")
            points = (value,) * 10
            await self.services.answer_sets.submit(
                key,
                key,
                Draft.begin(session.id, lang, self.clock()),
                points,
                score(points),
                self.services.instruments[lang],
                self.services.today(),
            )

    async def close(self, session: Session) -> None:
        await self.services.sessions.close_session(session.id, self.clock())

    async def at(self, when: datetime) -> None:
        """Move the clock and run what the bot's upkeep runs then: release what is due."""
        self.clock.now = when
        await self.services.release(when)

    async def report(self, request: ReportRequest) -> Report:
        return await make_report(self.services, request)


@asynccontextmanager
async def bot_at(database: Path, start: datetime, *, k: int, row_block: int) -> AsyncIterator[Bot]:
    """The bot's storage, release and reports over a new database, its clock at `start`."""
    clock = Clock(start)
    world = World((), (), start, k, row_block)
    services = await open_services(settings_for(world, database), clock)
    try:
        yield Bot(services, clock)
    finally:
        await services.close()
