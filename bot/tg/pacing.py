"""Sending below Telegram's flood limits, the people in the middle of a check-in first.

Every message the bot sends waits its turn in one queue. Turns are given at a pace a little
below Telegram's limits (overall and per chat, see ``bot.tg.limits``), so Telegram
never has to refuse one; if it does anyway, its ``retry_after`` is obeyed by everyone and the
pace is lowered for a while.

The queue is ordered by urgency: the next statement for someone answering goes first, then
the review and the thanks, then replies to people who have just come (the consent), then
facilitators' count edits and staff messages. Urgency is a head start, not a strict order: a
request may let more urgent ones go first for at most its kind's ``PATIENCE``, so every kind
has a bounded wait. An edit of a message's text that is still queued is replaced by a newer
edit of the same message (a count that changed again), and both callers get the one result.

Handlers say how urgent their replies are with ``sending(Priority.X)``: everything sent inside
the block, by any method, waits as that kind. The default is ``Priority.JOIN``.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import math
import time
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from enum import IntEnum
from typing import Any, Final

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.tg.limits import FloodLimits, Limit, counts_as_message


class Priority(IntEnum):
    """What a message is, most urgent first."""

    STATEMENT = 0  # the next statement for someone in the middle of a check-in
    REVIEW = 1  # the review and the thanks
    JOIN = 2  # consent and other replies to people who have just come
    STAFF = 3  # facilitators' count edits and staff messages


# How long a request lets more urgent ones go first: its kind's bound on waiting in line.
PATIENCE: Final = {
    Priority.STATEMENT: 0.0,
    Priority.REVIEW: 0.5,
    Priority.JOIN: 2.0,
    Priority.STAFF: 5.0,
}
# The bot's pace as a share of Telegram's, and its bursts: room for timing it cannot see.
HEADROOM: Final = 0.95
BURST: Final = 3
# After a 429 the pace is this share of what it was, for this long.
SLOWDOWN: Final = 0.8
SLOWEST: Final = 0.25
RECOVERY: Final = 60.0
MAX_RETRIES: Final = 3
# Per-chat pacing state is dropped once this many chats are known and theirs has run out.
_PRUNE_AT: Final = 1000

_current: ContextVar[Priority] = ContextVar("sending_priority", default=Priority.JOIN)


def sending_priority() -> Priority:
    """The kind that what is sent now waits in line as."""
    return _current.get()


@contextlib.contextmanager
def sending(priority: Priority) -> Iterator[None]:
    """Everything sent inside the block waits in line as ``priority``."""
    token = _current.set(priority)
    try:
        yield
    finally:
        _current.reset(token)


def pace_below(limits: FloodLimits, per_second: float) -> FloodLimits | None:
    """The bot's own pace below Telegram's ``limits`` at ``per_second`` overall; None for no
    pacing (0: a self-hosted Bot API server or the emulator without flood control)."""
    if per_second <= 0:
        return None

    def below(limit: Limit, rate: float) -> Limit:
        return Limit(rate * HEADROOM, min(BURST, limit.burst))

    return FloodLimits(
        overall=below(limits.overall, per_second),
        chat=below(limits.chat, limits.chat.per_second),
        group=below(limits.group, limits.group.per_second),
    )


@dataclass(eq=False, slots=True)
class Request:
    """One message waiting to be sent."""

    priority: Priority
    chat_id: object
    enqueued: float
    # (chat, message) for an edit of a message's text, which a newer one may replace.
    edits: tuple[object, object] | None = None
    deadline: float = field(init=False)
    withdrawn: bool = False

    def __post_init__(self) -> None:
        self.deadline = self.enqueued + PATIENCE[self.priority]


@dataclass(slots=True)
class _Gate:
    """Generic cell rate: one message every ``interval``, ``burst`` of them at once."""

    limit: Limit
    due: float = -math.inf  # when the next message would go at an even pace

    def opens(self, slow: float) -> float:
        """The earliest time the next message may go."""
        interval = 1 / (self.limit.per_second * slow)
        return self.due - (self.limit.burst - 1) * interval

    def take(self, now: float, slow: float) -> None:
        self.due = max(self.due, now) + 1 / (self.limit.per_second * slow)


class Schedule:
    """The queue and the pace, without any waiting: ``take`` says what goes when."""

    def __init__(self, pace: FloodLimits | None) -> None:
        self._pace = pace
        self._overall = None if pace is None else _Gate(pace.overall)
        self._chats: dict[object, _Gate] = {}
        self._heap: list[tuple[float, int, Request]] = []
        self._order = itertools.count()
        self._edits: dict[tuple[object, object], Request] = {}
        self._paused_until = -math.inf
        self._slow = 1.0
        self._slow_until = -math.inf

    @property
    def waiting(self) -> int:
        """How many requests wait for their turn."""
        return sum(not request.withdrawn for _, _, request in self._heap)

    @property
    def pace(self) -> float:
        """The share of the usual pace sent at now (below 1 for a while after a 429)."""
        return self._slow

    def add(self, request: Request) -> Request | None:
        """Queue a request; returns a queued edit of the same message that it replaces."""
        replaced = None
        if request.edits is not None:
            replaced = self._edits.get(request.edits)
            if replaced is not None:
                replaced.withdrawn = True
                request.deadline = min(request.deadline, replaced.deadline)
            self._edits[request.edits] = request
        self._push(request)
        return replaced

    def again(self, request: Request) -> None:
        """Queue a refused request again, in its old place."""
        self._push(request)

    def withdraw(self, request: Request) -> None:
        """Forget a request whose sender stopped waiting."""
        request.withdrawn = True
        if request.edits is not None and self._edits.get(request.edits) is request:
            del self._edits[request.edits]

    def refused(self, retry_after: float, now: float) -> None:
        """Telegram said "retry after": nobody sends until then, and slower for a while."""
        self._paused_until = max(self._paused_until, now + retry_after)
        self._slow = max(SLOWEST, self._slow * SLOWDOWN)
        self._slow_until = now + retry_after + RECOVERY

    def take(self, now: float) -> Request | float | None:
        """The request whose turn it is now, else the seconds until one may go (None: the
        queue is empty)."""
        if now >= self._slow_until:
            self._slow = 1.0
        while self._heap and self._heap[0][2].withdrawn:
            heapq.heappop(self._heap)
        if not self._heap:
            return None
        if now < self._paused_until:
            return self._paused_until - now
        if self._overall is not None and (opens := self._overall.opens(self._slow)) > now:
            return opens - now
        aside: list[tuple[float, int, Request]] = []
        found = None
        soonest = math.inf
        while self._heap:
            entry = heapq.heappop(self._heap)
            request = entry[2]
            if request.withdrawn:
                continue
            opens = self._chat_gate(request.chat_id).opens(1.0) if self._pace else now
            if opens <= now:
                found = request
                break
            aside.append(entry)
            soonest = min(soonest, opens)
        for entry in aside:
            heapq.heappush(self._heap, entry)
        if found is None:
            return soonest - now if aside else None
        self._sent(found, now)
        return found

    def _push(self, request: Request) -> None:
        request.withdrawn = False
        heapq.heappush(self._heap, (request.deadline, next(self._order), request))

    def _chat_gate(self, chat_id: object) -> _Gate:
        gate = self._chats.get(chat_id)
        if gate is None:
            assert self._pace is not None
            gate = self._chats[chat_id] = _Gate(self._pace.for_chat(chat_id))
        return gate

    def _sent(self, request: Request, now: float) -> None:
        if request.edits is not None and self._edits.get(request.edits) is request:
            del self._edits[request.edits]
        if self._overall is None:
            return
        self._overall.take(now, self._slow)
        self._chat_gate(request.chat_id).take(now, 1.0)
        if len(self._chats) > _PRUNE_AT:
            self._chats = {k: gate for k, gate in self._chats.items() if gate.due > now}


Result = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass(eq=False, slots=True)
class _Ticket:
    """A request with its caller: told when it may go, or which newer edit carries it."""

    request: Request
    turn: asyncio.Future[_Ticket]
    outcome: asyncio.Future[Result] | None = None
    carried: list[_Ticket] = field(default_factory=list)

    def finish(self, outcome: Result | BaseException) -> None:
        """Hand the result (or the error) to the older edits this one replaced."""
        for older in self.carried:
            assert older.outcome is not None
            if older.outcome.done():
                continue
            if isinstance(outcome, BaseException):
                older.outcome.set_exception(outcome)
            else:
                older.outcome.set_result(outcome)


class Pacer(BaseRateLimiter[Priority]):
    """python-telegram-bot's rate limiter: every message through one prioritised queue.

    ``rate_limit_args`` (a ``Priority``) overrides the block's ``sending`` priority.
    """

    def __init__(
        self,
        per_second: float,
        limits: FloodLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.schedule = Schedule(pace_below(limits or FloodLimits(), per_second))
        self.refusals = 0
        self._clock = clock
        self._tickets: dict[Request, _Ticket] = {}
        self._wake: asyncio.Event | None = None
        self._dispatcher: asyncio.Task[None] | None = None

    async def initialize(self) -> None:
        """Start giving turns (python-telegram-bot may ask more than once)."""
        if self._dispatcher is None:
            self._wake = asyncio.Event()
            self._dispatcher = asyncio.create_task(self._dispatch(), name="pacer")

    async def shutdown(self) -> None:
        """Stop giving turns; whoever still waits is cancelled."""
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None
        for ticket in self._tickets.values():
            ticket.turn.cancel()
        self._tickets.clear()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Result:
        """Send when it is this message's turn; obey and learn from any "retry after"."""
        if not counts_as_message(endpoint):
            return await self._with_retries(callback, args, kwargs)
        priority = sending_priority() if rate_limit_args is None else rate_limit_args
        chat_id = data.get("chat_id")
        message_id = data.get("message_id")
        edits = (chat_id, message_id) if endpoint == "editMessageText" and message_id else None
        request = Request(priority, chat_id, self._clock(), edits)
        ticket = self._queue(request)
        attempt = 0
        while True:
            carrier = await self._turn(ticket)
            if carrier is not ticket:
                assert ticket.outcome is not None
                return await ticket.outcome
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as refusal:
                self._refused(refusal)
                attempt += 1
                if attempt > MAX_RETRIES:
                    ticket.finish(refusal)
                    raise
                ticket.turn = asyncio.get_running_loop().create_future()
                self._tickets[request] = ticket
                self.schedule.again(request)
                self._wake_up()
                continue
            except BaseException as error:
                ticket.finish(error)
                raise
            ticket.finish(result)
            return result

    def _queue(self, request: Request) -> _Ticket:
        ticket = _Ticket(request, asyncio.get_running_loop().create_future())
        replaced = self.schedule.add(request)
        if replaced is not None:
            older = self._tickets.pop(replaced)
            older.outcome = asyncio.get_running_loop().create_future()
            ticket.carried = [*older.carried, older]
            older.turn.set_result(ticket)
        self._tickets[request] = ticket
        self._wake_up()
        return ticket

    async def _turn(self, ticket: _Ticket) -> _Ticket:
        try:
            return await ticket.turn
        except asyncio.CancelledError:
            if self._tickets.pop(ticket.request, None) is ticket:
                self.schedule.withdraw(ticket.request)
            raise

    async def _with_retries(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> Result:
        attempt = 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as refusal:
                self._refused(refusal)
                attempt += 1
                if attempt > MAX_RETRIES:
                    raise
                await asyncio.sleep(_seconds(refusal.retry_after))

    def _refused(self, refusal: RetryAfter) -> None:
        self.refusals += 1
        self.schedule.refused(_seconds(refusal.retry_after), self._clock())
        self._wake_up()

    def _wake_up(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def _dispatch(self) -> None:
        assert self._wake is not None
        while True:
            step = self.schedule.take(self._clock())
            if isinstance(step, Request):
                ticket = self._tickets.pop(step)
                if not ticket.turn.done():
                    ticket.turn.set_result(ticket)
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), step)


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after
