"""Release blocks: when complete answer sets leave the pending area, and in which groups.

A sent set waits apart from the others until it is released, together with other sets of the
same session and instrument text, as one block that never changes afterwards. Reports add up
whole blocks only, so two reports can only differ by whole blocks, and a block smaller than
the minimum group size is withheld for good: it is in no figure, ever.

- A closed session releases once its closing time plus the grace period has passed: all its
  sets still waiting, per text, form one block, released on the local day that moment falls on.
- An open session (a standing link) releases by whole days before today: walking them in order,
  the waiting sets add up until they reach the minimum, and then form a block, released on the
  last day it takes. Today's sets never count; what has not reached the minimum waits.

The rules see how many sets wait per session, text and day, never an answer or a score, so a
block's size and day say nothing about what was answered. Sets that arrive after their
session's block was released wait for a block of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.core.instrument import OPTION_COUNT, STATEMENT_COUNT
from bot.core.report_model import InstrumentText
from bot.core.statistics import SCORE_VALUES, Tally, score_index


@dataclass(frozen=True, slots=True)
class Waiting:
    """How many sets of one session, in one text, sent on one day, wait for release."""

    session_id: int
    text: InstrumentText
    day: date
    count: int


@dataclass(frozen=True, slots=True)
class Cut:
    """A block to release now: every waiting set of its session and text on its days."""

    session_id: int
    text: InstrumentText
    days: tuple[date, ...]
    released_on: date
    size: int
    withheld: bool
    """Smaller than the minimum group size: moved out of waiting, but never shown."""


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A session's sets that no figure includes: still waiting, or withheld for good."""

    waiting: int
    withheld: int


@dataclass(frozen=True, slots=True)
class ReleasedRow:
    """One released set, as the server-side row export may show it: nothing finer than its
    block (no day, no id)."""

    block_id: int
    session_id: int
    text: InstrumentText
    points: tuple[int, ...]
    score: float


def cuts(
    waiting: Iterable[Waiting],
    closed_at: Mapping[int, datetime | None],
    now: datetime,
    *,
    zone: tzinfo,
    grace: timedelta,
    min_size: int,
) -> list[Cut]:
    """The blocks to release at `now`, by the rules above.

    `closed_at` gives each session's closing time (None while open); a session missing from
    it counts as open.
    """
    streams: defaultdict[tuple[int, InstrumentText], dict[date, int]] = defaultdict(dict)
    for group in waiting:
        days = streams[group.session_id, group.text]
        days[group.day] = days.get(group.day, 0) + group.count
    today = now.astimezone(zone).date()
    found = []
    for (session_id, text), counts in sorted(streams.items()):
        closed = closed_at.get(session_id)
        if closed is not None:
            if now >= closed + grace:
                size = sum(counts.values())
                found.append(
                    Cut(
                        session_id,
                        text,
                        tuple(sorted(counts)),
                        (closed + grace).astimezone(zone).date(),
                        size,
                        withheld=size < min_size,
                    )
                )
            continue
        taken: list[date] = []
        size = 0
        for day in sorted(d for d in counts if d < today):
            taken.append(day)
            size += counts[day]
            if size >= min_size:
                found.append(Cut(session_id, text, tuple(taken), day, size, withheld=False))
                taken, size = [], 0
    return found


def block_figures(
    sets: Iterable[tuple[tuple[int, ...], float]],
) -> tuple[Tally, tuple[tuple[int, ...], ...]]:
    """A block's score histogram and, per statement, how many chose each option, from its
    sets' (points, score) pairs: all that reports ever read of them."""
    scores = [0] * SCORE_VALUES
    options = [[0] * OPTION_COUNT for _ in range(STATEMENT_COUNT)]
    for points, score in sets:
        scores[score_index(score)] += 1
        for statement, point in enumerate(points):
            options[statement][point - 1] += 1
    return Tally(tuple(scores)), tuple(tuple(counts) for counts in options)
