"""The pacing of outgoing messages: its order, its bounded waits, its pace and its 429s.

The queue is driven with a clock the test moves, so what goes when is exact.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

import pytest
from telegram.error import RetryAfter

from bot.dev.emulator.flood import FloodControl
from bot.tg.limits import FloodLimits
from bot.tg.pacing import (
    HEADROOM,
    PATIENCE,
    RECOVERY,
    Pacer,
    Priority,
    Request,
    Schedule,
    pace_below,
    sending,
)

TELEGRAM = FloodLimits()
PACE = pace_below(TELEGRAM, 30)


@dataclass
class Run:
    """A schedule driven to the end; each request with the time it was sent."""

    schedule: Schedule = field(default_factory=lambda: Schedule(PACE))
    now: float = 0.0
    sent: list[tuple[float, Request]] = field(default_factory=list)

    def until(self, end: float, arrivals: list[Request] | None = None) -> None:
        """Send whatever may go up to ``end``, adding ``arrivals`` as their time comes."""
        pending = sorted(arrivals or [], key=lambda r: r.enqueued)
        while True:
            while pending and pending[0].enqueued <= self.now:
                self.schedule.add(pending.pop(0))
            step = self.schedule.take(self.now)
            if isinstance(step, Request):
                self.sent.append((self.now, step))
                continue
            later = [self.now + step] if step is not None else []
            later += [pending[0].enqueued] if pending else []
            if not later or min(later) > end:
                return
            self.now = min(later)

    def order(self) -> list[Request]:
        return [request for _, request in self.sent]


def test_the_most_urgent_kind_goes_first_and_each_kind_in_arrival_order() -> None:
    kinds = [Priority.STAFF, Priority.JOIN, Priority.REVIEW, Priority.STATEMENT] * 4
    requests = [Request(kind, 100 + n, 0.0) for n, kind in enumerate(kinds)]
    run = Run()
    run.until(60, requests)
    arrival = {id(r): n for n, r in enumerate(requests)}
    assert run.order() == sorted(requests, key=lambda r: (r.priority, arrival[id(r)]))


def test_a_waiting_request_is_never_overtaken_once_its_patience_is_over() -> None:
    # Statements come in faster than the pace (40 a second, from 400 people, for 20 s); a
    # message of every other kind comes in at 1 s.
    statements = [Request(Priority.STATEMENT, 1000 + n % 400, n / 40) for n in range(800)]
    others = [Request(kind, 10 + kind, 1.0) for kind in Priority if kind != Priority.STATEMENT]
    run = Run()
    run.until(120, statements + others)
    assert len(run.sent) == len(statements) + len(others)
    order = run.order()
    for other in others:
        overtook = [
            s
            for s in order[: order.index(other)]
            if s.enqueued > other.enqueued + PATIENCE[other.priority]
        ]
        assert overtook == [], other.priority
    sent_at = {id(request): at for at, request in run.sent}
    waits = {other.priority: sent_at[id(other)] - other.enqueued for other in others}
    # The statements that came before each deadline go first, at the pace: the wait is the
    # kind's patience plus the time to send those, and no more.
    for kind, wait in waits.items():
        ahead = sum(s.enqueued <= 1.0 + PATIENCE[kind] for s in statements)
        assert wait <= PATIENCE[kind] + ahead / (30 * HEADROOM) + 0.1, kind
    assert waits[Priority.REVIEW] < waits[Priority.JOIN] < waits[Priority.STAFF]


def refusals(run: Run) -> int:
    """How many of the run's messages Telegram's flood control would have refused."""
    flood = FloodControl(TELEGRAM)
    for at, request in run.sent:
        flood.check("sendMessage", {"chat_id": request.chat_id}, at)
    return flood.refused


def test_the_pace_stays_below_telegrams_overall_and_per_chat() -> None:
    # 300 people with three messages each, all at once.
    requests = [Request(Priority.STATEMENT, 1000 + n % 300, 0.0) for n in range(900)]
    run = Run()
    run.until(120, requests)
    times = [at for at, _ in run.sent]
    assert len(times) == 900
    assert refusals(run) == 0
    # After a short burst, just under Telegram's 30 a second.
    assert times[-1] == pytest.approx((900 - 3) / (30 * HEADROOM), abs=0.05)
    # One chat: a burst of three, then just under one a second.
    one = Run()
    one.until(60, [Request(Priority.STATEMENT, 7, 0.0) for _ in range(8)])
    assert refusals(one) == 0
    gaps = [b - a for (a, _), (b, _) in zip(one.sent, one.sent[1:], strict=False)]
    assert gaps[:2] == [0, 0]
    assert all(gap == pytest.approx(1 / HEADROOM) for gap in gaps[2:])


def test_a_group_gets_under_twenty_a_minute() -> None:
    run = Run()
    run.until(600, [Request(Priority.STAFF, -500, 0.0) for _ in range(30)])
    assert refusals(run) == 0
    times = [at for at, _ in run.sent]
    assert times[-1] - times[2] == pytest.approx(27 * 60 / (20 * HEADROOM))


def test_a_newer_edit_of_the_same_message_takes_the_queued_ones_place() -> None:
    schedule = Schedule(PACE)
    ahead = [Request(Priority.STATEMENT, 1000 + n, 0.0) for n in range(3)]
    for request in ahead:
        schedule.add(request)
    first = Request(Priority.STAFF, 55, 0.0, edits=(55, 9))
    assert schedule.add(first) is None
    second = Request(Priority.STAFF, 55, 3.0, edits=(55, 9))
    assert schedule.add(second) is first
    other = Request(Priority.STAFF, 55, 3.0, edits=(55, 10))  # another message
    assert schedule.add(other) is None
    assert schedule.waiting == 5
    run = Run(schedule)
    run.until(60)
    assert run.order() == [*ahead, second, other]
    assert second.deadline == first.deadline  # it waited in the first one's place


def test_a_refusal_pauses_everything_then_slows_the_pace_for_a_while() -> None:
    schedule = Schedule(PACE)
    schedule.refused(3, now=10.0)
    schedule.add(Request(Priority.STATEMENT, 1, 10.0))
    assert schedule.take(10.0) == pytest.approx(3.0)
    assert schedule.pace == pytest.approx(0.8)
    run = Run(schedule, now=13.0)
    run.until(200, [Request(Priority.STATEMENT, 2 + n, 13.0) for n in range(100)])
    times = [at for at, _ in run.sent]
    slow = [at for at in times if at < 13.0 + RECOVERY]
    assert times[0] == 13.0
    assert max(sum(t <= at < t + 1 for at in slow) for t in slow) <= 30 * HEADROOM * 0.8 + 3
    assert schedule.take(13.0 + RECOVERY) is None
    assert schedule.pace == 1.0


def test_without_a_pace_everything_goes_at_once_in_order() -> None:
    schedule = Schedule(pace_below(TELEGRAM, 0))
    requests = [Request(kind, 1, 0.0) for kind in reversed(Priority)]
    for request in requests:
        schedule.add(request)
    assert [schedule.take(0.0) for _ in requests] == requests[::-1]
    assert schedule.take(0.0) is None


# ----------------------------------------------------------------------------- the rate limiter


class Telegram:
    """Stands in for the HTTP call: refuses the first ``refuse`` calls, records the rest."""

    def __init__(self, refuse: int = 0) -> None:
        self.refuse = refuse
        self.sent: list[str] = []

    def call(self, text: str) -> object:
        async def send() -> dict[str, object]:
            if self.refuse:
                self.refuse -= 1
                raise RetryAfter(1)
            self.sent.append(text)
            return {"text": text}

        return send


async def _through(pacer: Pacer, telegram: Telegram, text: str, **data: object) -> object:
    endpoint = str(data.pop("endpoint", "sendMessage"))
    return await pacer.process_request(
        telegram.call(text),  # type: ignore[arg-type]
        (),
        {},
        endpoint,
        {"chat_id": 1, **data},
        None,
    )


async def test_a_refused_message_is_sent_again_after_the_wait() -> None:
    pacer = Pacer(30)
    await pacer.initialize()
    telegram = Telegram(refuse=1)
    try:
        assert await _through(pacer, telegram, "hei") == {"text": "hei"}
    finally:
        await pacer.shutdown()
    assert pacer.refusals == 1
    assert telegram.sent == ["hei"]
    assert pacer.schedule.pace < 1


async def test_queued_edits_of_one_message_are_sent_once_and_both_callers_get_it() -> None:
    pacer = Pacer(30)
    await pacer.initialize()
    telegram = Telegram()
    try:
        # Three statements use the chat's burst; the edits of message 9 wait behind them.
        with sending(Priority.STATEMENT):
            burst = [asyncio.create_task(_through(pacer, telegram, f"s{n}")) for n in range(3)]
        with sending(Priority.STAFF):
            edits = [
                asyncio.create_task(
                    _through(pacer, telegram, text, endpoint="editMessageText", message_id=9)
                )
                for text in ("2 answered", "3 answered")
            ]
        results = await asyncio.gather(*burst, *edits)
    finally:
        await pacer.shutdown()
    assert telegram.sent == ["s0", "s1", "s2", "3 answered"]
    assert results[3:] == [{"text": "3 answered"}] * 2


async def test_calls_that_are_not_messages_do_not_wait_in_line() -> None:
    pacer = Pacer(30)
    await pacer.initialize()
    telegram = Telegram()
    try:
        sends = [asyncio.create_task(_through(pacer, telegram, f"s{n}")) for n in range(5)]
        await asyncio.sleep(0)
        await _through(pacer, telegram, "tap", endpoint="answerCallbackQuery")
        # The tap's answer went while the chat's messages past its burst still wait.
        assert Counter(telegram.sent)["tap"] == 1
        assert len(telegram.sent) <= 4
        await asyncio.gather(*sends)
    finally:
        await pacer.shutdown()
