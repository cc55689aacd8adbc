"""A strict local Telegram Bot API over real HTTP, for tests, demos and load runs.

The bot under test talks to it exactly as to api.telegram.org (``ApplicationBuilder().
base_url(emulator.base_url)``); simulated people (``emulator.user(...)``) write to the bot and
tap its buttons, in private chats or in groups (``emulator.group(...)``).  Every call is
checked against the Bot API spec and Telegram's limits, and anything the real Telegram would
reject is answered with its 400 *and* recorded in ``emulator.violations``, so tests can assert
that a whole conversation was clean.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import struct
import time
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, Final, Self

from aiohttp import web

from bot.dev.emulator.chat import Chat, keyboard_of, now
from bot.dev.emulator.errors import ApiError, SettleTimeoutError, bad_request
from bot.dev.emulator.files import FileStore
from bot.dev.emulator.flood import FloodControl
from bot.dev.emulator.formatting import FormattedText, ParseError, format_text
from bot.dev.emulator.groups import SUPERGROUP_IDS_BELOW, SimGroup
from bot.dev.emulator.limits import (
    BUTTON_DECORATIONS,
    CHAT_ACTIONS,
    MAX_CALLBACK_ANSWER,
    MAX_DELETE_IDS,
    MAX_DESCRIPTION,
    MAX_SHORT_DESCRIPTION,
    PARSE_MODES,
    check_caption,
    check_commands,
    check_inline_keyboard,
    check_length,
    check_links_in,
    check_message_text,
    check_reply_keyboard,
    keyboard_urls,
)
from bot.dev.emulator.media import image_format, photo_problem
from bot.dev.emulator.models import ApiCall, CallbackAnswer, UploadedFile, Violation
from bot.dev.emulator.people import SimUser
from bot.dev.emulator.spec import ApiSpec, default_spec
from bot.dev.emulator.transcript import Event, render
from bot.tg.limits import FloodLimits

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.dev.emulator.chat import StoredMessage
    from bot.dev.emulator.telegram_side import Person

Params = dict[str, Any]

# A fake token for a local fake, shaped like one from @BotFather.
DEFAULT_TOKEN: Final = "123456:TEST-TOKEN-for-the-local-Bot-API-emulator"  # noqa: S105
DEFAULT_USERNAME: Final = "checkin_test_bot"
NOT_MODIFIED: Final = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_TOO_OLD: Final = "query is too old and response timeout expired or query ID is invalid"
CONFLICT: Final = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
_SERVER_ERRORS: Final = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_LANGUAGE_RE: Final = re.compile(r"[a-z]{2}")
_MAX_UPLOAD: Final = 60 * 1024 * 1024
# How long a terminated getUpdates waits to learn whether its client is already gone.
_CONFLICT_GRACE: Final = 0.05
# A dropped connection cancels its handler at once; this only bounds the wait if it does not.
_DROP_GRACE: Final = 5.0


@dataclass(slots=True)
class _PendingUpdate:
    update_id: int
    body: dict[str, Any]
    deliveries: int = 0


@dataclass(slots=True)
class _Query:
    query_id: str
    user: Person
    chat: Chat
    message_id: int
    data: str | None
    created: float
    answered: bool = False
    # Handed to the bot more than once (a redelivery): a second answer then fails as on
    # Telegram, but it is no fault of the bot's.
    redelivered: bool = False


@dataclass(slots=True)
class _Poller:
    request: web.Request
    event: asyncio.Event = field(default_factory=asyncio.Event)
    terminated: bool = False


@dataclass(frozen=True, slots=True)
class _Fault:
    status: int | None
    retry_after: int
    description: str | None
    delay: float = 0.0
    drop: bool = False


class BotAPIEmulator:
    """The emulated Telegram: an aiohttp server plus the chats, updates and checks behind it."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = DEFAULT_USERNAME,
        bot_id: int | None = None,
        bot_first_name: str = "Check-in Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        quiet_period: float = 0.06,
        settle_timeout: float = 10.0,
        callback_timeout: float | None = None,
        group_privacy: bool = True,
        spec: ApiSpec | None = None,
        flood_limits: FloodLimits | None = FloodLimits(),  # noqa: B008 - frozen, shared
    ) -> None:
        prefix = token.partition(":")[0]
        self.token = token
        self.bot_username = bot_username
        self.bot_id = bot_id if bot_id is not None else int(prefix) if prefix.isdigit() else 1
        self.bot_first_name = bot_first_name
        self.host = host
        self.quiet_period = quiet_period
        self.settle_timeout = settle_timeout
        self.callback_timeout = callback_timeout
        # BotFather's privacy mode: in groups the bot gets only commands meant for it.
        self.group_privacy = group_privacy
        self.spec = spec or default_spec()
        # Telegram's flood control (None: none, for measuring a bot's CPU without waits).
        self.flood = None if flood_limits is None else FloodControl(flood_limits)
        self.calls: list[ApiCall] = []
        self.webhook: dict[str, Any] | None = None
        # A bot running in the same process can say it is still handling updates, which the
        # HTTP side alone cannot see; settle() then waits for it too.
        self.busy_probes: list[Callable[[], str | None]] = []
        self.violations: list[Violation] = []
        self.events: list[Event] = []
        # Called with each event as it is recorded: the demo shows the conversation live.
        self.listeners: list[Callable[[Event], object]] = []
        # Updates handed out again because the bot had not confirmed them (a restarted bot).
        self.redelivered = 0
        self.files = FileStore()
        self.users: dict[int, SimUser] = {}
        self.groups: dict[int, SimGroup] = {}
        self._port = port
        self._runner: web.AppRunner | None = None
        self._stopping = False
        self._pending: deque[_PendingUpdate] = deque()
        self._next_update_id = 1
        self._pollers: list[_Poller] = []
        self._allowed_updates: frozenset[str] | None = None
        self._queries: dict[str, _Query] = {}
        self._next_query = 1
        self._faults: dict[str, deque[_Fault]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._descriptions: dict[tuple[str, str], str] = {}
        self._inflight = 0
        self._last_activity = time.monotonic()
        self._handlers: dict[str, Callable[[Params], object]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setMyDescription": self._set_description("description", MAX_DESCRIPTION),
            "setMyShortDescription": self._set_description(
                "short_description", MAX_SHORT_DESCRIPTION
            ),
            "getMyDescription": self._get_description("description"),
            "getMyShortDescription": self._get_description("short_description"),
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
        }

    # ----------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Serve HTTP on ``host`` (port 0 picks a free one; see ``port``)."""
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._port)
        await site.start()
        self._port = int(runner.addresses[0][1])
        self._runner = runner
        self._stopping = False

    async def stop(self) -> None:
        """Release waiting getUpdates calls at once and close the server."""
        self._stopping = True
        for poller in self._pollers:
            poller.event.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port served on (known after ``start``)."""
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url``: PTB appends the token and ``/method``."""
        return f"http://{self.host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url``."""
        return f"http://{self.host}:{self._port}/file/bot"

    @property
    def polling(self) -> bool:
        """Whether a getUpdates call is waiting now: the bot has started and listens."""
        return bool(self._pollers)

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot as the ``from`` of its messages."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # ----------------------------------------------------------------------- people

    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        language_code: str | None = None,
        username: str | None = None,
    ) -> SimUser:
        """The simulated person with this id (created on first use; private chat id = id)."""
        existing = self.users.get(user_id)
        if existing is not None:
            return existing
        person = SimUser(self, user_id, first_name, language_code=language_code, username=username)
        self.users[user_id] = person
        return person

    def group(self, chat_id: int, title: str, *, supergroup: bool | None = None) -> SimGroup:
        """The simulated group with this (negative) id, created on first use.

        A -100... id makes a supergroup unless ``supergroup`` says otherwise.  The bot is not in
        it until ``add_bot_to_group``.
        """
        existing = self.groups.get(chat_id)
        if existing is not None:
            return existing
        if supergroup is None:
            supergroup = chat_id < SUPERGROUP_IDS_BELOW
        group = SimGroup(self, chat_id, title, supergroup=supergroup)
        self.groups[chat_id] = group
        return group

    def add_bot_to_group(self, group: SimGroup, *, by: SimUser) -> int:
        """``by`` adds the bot to ``group``: a ``my_chat_member`` update, as Telegram sends.

        Returns the update id.  From now on the bot may write to the group and hears what
        privacy mode lets through.
        """
        self.record(
            Event(
                "user_message",
                f"{by.first_name} in {group.title}",
                by.id,
                text="(adds the bot to the group)",
                chat_id=group.id,
            )
        )
        return self.inject_update(group.membership_update(by, "member"))

    def remove_bot_from_group(self, group: SimGroup, *, by: SimUser) -> int:
        """``by`` removes the bot: a ``my_chat_member`` update; sending there is then 403."""
        self.record(
            Event(
                "user_message",
                f"{by.first_name} in {group.title}",
                by.id,
                text="(removes the bot from the group)",
                chat_id=group.id,
            )
        )
        return self.inject_update(group.membership_update(by, "kicked"))

    def inject_update(self, body: dict[str, Any]) -> int:
        """Queue an update (``{"message": {...}}`` and so on) for getUpdates; returns its id."""
        kind = next(iter(body))
        update_id = self._next_update_id
        self._next_update_id += 1
        if not self._delivers(kind):
            self.record(Event("failure", detail=f"{kind} update dropped: not in allowed_updates"))
            return update_id
        self._mark_redelivered(body)
        self._pending.append(_PendingUpdate(update_id, {"update_id": update_id, **body}))
        for poller in self._pollers:
            poller.event.set()
        self._touch()
        return update_id

    def _mark_redelivered(self, body: dict[str, Any]) -> None:
        """A callback query that reaches the bot again (the same query id) is a redelivery."""
        query = self._queries.get(str(body.get("callback_query", {}).get("id", "")))
        if query is not None and query.answered:
            query.redelivered = True

    def _delivers(self, kind: str) -> bool:
        return self._allowed_updates is None or kind in self._allowed_updates

    def tap(
        self, person: Person, message_id: int, data: str | None, *, chat: Chat | None = None
    ) -> str:
        """Queue a callback query for a tap on ``message_id`` in ``chat`` (default: private).

        Used by ``SimUser.tap`` and ``SimGroup.tap``.
        """
        query_id = str(4_000_000_000_000 + self._next_query)
        self._next_query += 1
        where = person.chat if chat is None else chat
        message = where.live(message_id)
        label = None
        if message is not None:
            api_message = message.to_api()
            label = next(
                (
                    b.text
                    for row in keyboard_of(message.reply_markup)
                    for b in row
                    if b.callback_data == data
                ),
                None,
            )
        else:
            api_message = {"chat": where.chat, "message_id": message_id, "date": 0}
        in_group = not where.is_private
        self.record(
            Event(
                "tap",
                f"{person.first_name} in {where.chat['title']}" if in_group else person.first_name,
                person.id,
                message_id,
                text=label,
                detail=data or "",
                chat_id=where.id if in_group else None,
            )
        )
        if self._delivers("callback_query"):
            # A query the bot never receives cannot be answered; do not wait for its answer.
            self._queries[query_id] = _Query(
                query_id, person, where, message_id, data, time.monotonic()
            )
        query: dict[str, Any] = {
            "id": query_id,
            "from": person.api_user(),
            "message": api_message,
            "chat_instance": str(-(7_000_000_000_000 + abs(where.id))),
        }
        if data is not None:
            query["data"] = data
        self.inject_update({"callback_query": query})
        return query_id

    # ----------------------------------------------------------------------- observing

    def record(self, event: Event) -> None:
        """Append an event to the transcript and pass it to the listeners."""
        self.events.append(event)
        for listener in self.listeners:
            listener(event)

    def add_violation(self, method: str, reason: str) -> None:
        """Record something the real Telegram would reject or a good bot never does."""
        self.violations.append(Violation(method, reason))
        self.record(Event("violation", detail=f"{method}: {reason}"))

    def assert_no_violations(self) -> None:
        """AssertionError listing every violation, if there is any."""
        if self.violations:
            listed = "\n".join(f"  - {v}" for v in self.violations)
            raise AssertionError(f"{len(self.violations)} Bot API violation(s):\n{listed}")

    def transcript(self, user: SimUser | SimGroup | int | None = None) -> str:
        """The readable transcript, of everyone or of one person or group (by id)."""
        if user is None:
            return render(self.events)
        wanted = user if isinstance(user, int) else user.id
        return render(e for e in self.events if e.user_id in (wanted, None) or e.chat_id == wanted)

    def calls_to(self, method: str) -> list[ApiCall]:
        """The calls of one method, in order."""
        return [c for c in self.calls if c.method == method]

    def calls_containing(self, needle: str) -> list[ApiCall]:
        """The calls with ``needle`` in any of their parameters."""
        return [c for c in self.calls if c.contains(needle)]

    def unanswered_callback_queries(self) -> list[str]:
        """Ids of callback queries the bot has not answered yet."""
        return [q.query_id for q in self._queries.values() if not q.answered]

    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet (fetched or not)."""
        return len(self._pending)

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[str]:
        """The command names set for a scope and language, e.g. ``["start", "help"]``."""
        stored = self._commands.get((_scope_key(scope), language_code), [])
        return [c["command"] for c in stored]

    def description(self, language_code: str = "", *, short: bool = False) -> str:
        """The bot's (short) description for a language, empty if unset."""
        kind = "short_description" if short else "description"
        return self._descriptions.get((kind, language_code), "")

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = 429,
        retry_after: int = 1,
        count: int = 1,
        description: str | None = None,
        delay: float = 0.0,
        drop: bool = False,
    ) -> None:
        """Answer the next ``count`` valid calls of ``method`` with an error (not a violation).

        429 is Telegram's flood control with ``retry_after``; 5xx are server errors.
        ``delay`` holds the call that long first: a bot that gives up sooner (a timeout) closes
        the connection, and the call is never carried out; with ``status=None`` a call that
        outlasts the delay is then answered normally.  ``drop`` resets the connection without
        an answer (after any delay), and the call is not carried out either.  Calls that got
        no answer are recorded with status 0.
        """
        spec = self.spec.method(method)
        name = spec.name if spec is not None else method
        queue = self._faults.setdefault(name, deque())
        fault = _Fault(status, retry_after, description, delay, drop)
        queue.extend(fault for _ in range(count))

    def clear_faults(self) -> None:
        """Forget the injected faults that have not been used yet."""
        self._faults.clear()

    async def settle(
        self,
        timeout: float | None = None,  # noqa: ASYNC109 - it shapes the error message
        quiet: float | None = None,
    ) -> None:
        """Wait until the bot has fetched every update, answered every tap, and gone quiet.

        Quiet means no Bot API call (other than a waiting getUpdates) came in or was in
        progress for ``quiet`` seconds.  Raises SettleTimeoutError saying what is pending.
        """
        limit = self.settle_timeout if timeout is None else timeout
        quiet_for = self.quiet_period if quiet is None else quiet
        deadline = time.monotonic() + limit
        while True:
            pending = self._pending_work()
            idle = time.monotonic() - self._last_activity
            if not pending and idle >= quiet_for:
                return
            if time.monotonic() >= deadline:
                raise SettleTimeoutError(
                    f"the bot did not settle within {limit} s: "
                    + ("; ".join(pending) or "API calls kept coming")
                )
            await asyncio.sleep(min(0.01, max(quiet_for - idle, 0.001)))

    def _pending_work(self) -> list[str]:
        work = []
        unseen = sum(1 for u in self._pending if u.deliveries == 0)
        if unseen:
            work.append(f"{unseen} update(s) not fetched by getUpdates (is the bot polling?)")
        if len(self._pending) > unseen:
            work.append(f"{len(self._pending) - unseen} fetched update(s) not yet confirmed")
        work.extend(
            f"callback query {q.query_id} (data {q.data!r}) from {q.user.first_name} not answered"
            for q in self._queries.values()
            if not q.answered
        )
        if self._inflight:
            work.append(f"{self._inflight} API call(s) in progress")
        work.extend(busy for probe in self.busy_probes if (busy := probe()))
        return work

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    # ----------------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        spec = self.spec.method(name)
        polling = spec is not None and spec.name == "getUpdates"
        if not polling:
            self._inflight += 1
            self._touch()
        try:
            return await self._answer(request, name)
        finally:
            if not polling:
                self._inflight -= 1
                self._touch()

    async def _answer(self, request: web.Request, name: str) -> web.Response:
        spec = self.spec.method(name)
        call = ApiCall(spec.name if spec is not None else name, {})
        self.calls.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized", reasons=("request with a wrong bot token",))
            raw = await _read_params(request)
            call.params = raw
            if spec is None:
                raise ApiError(404, "Not Found", reasons=(f"there is no Bot API method {name}",))
            params = self.spec.decode_params(spec, raw)
            call.params = params
            reasons = self.spec.check_call(spec, params)
            if reasons:
                raise bad_request(*reasons)
            fault = self._take_fault(spec.name)
            if fault is not None:
                await self._inject(fault, spec.name, call, request)
            self._flood_check(spec.name, params)
            if spec.name == "getUpdates":
                result: object = await self._get_updates(params, request)
            else:
                handler = self._handlers.get(spec.name)
                if handler is None:
                    raise bad_request(f"{spec.name} is not emulated")
                result = handler(params)
        except ApiError as error:
            call.status = error.error_code
            call.description = error.description
            for reason in error.reasons:
                self.add_violation(call.method, reason)
            return web.json_response(error.payload(), status=error.error_code)
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        record = self.files.by_path(request.match_info["path"])
        if request.match_info["token"] != self.token or record is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=record.data, content_type="application/octet-stream")

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    async def _inject(
        self, fault: _Fault, method: str, call: ApiCall, request: web.Request
    ) -> None:
        """Hold the call, drop its connection, or raise its injected error."""
        if fault.delay:
            self.record(Event("failure", detail=f"{method} held {fault.delay:g} s (injected)"))
            # If the bot gives up first, aiohttp cancels this handler: no answer, no effect.
            call.status, call.description = 0, "held (injected)"
            await asyncio.sleep(fault.delay)
            call.status, call.description = 200, None
        if fault.drop:
            self.record(Event("failure", detail=f"{method}: connection reset (injected)"))
            call.status, call.description = 0, "connection reset (injected)"
            _reset(request)
            await asyncio.sleep(_DROP_GRACE)  # cancelled as soon as aiohttp sees the reset
            raise ApiError(500, "Internal Server Error")
        if fault.status is None:
            return
        if fault.status == 429:
            error = ApiError(
                429,
                fault.description or f"Too Many Requests: retry after {fault.retry_after}",
                retry_after=fault.retry_after,
            )
        else:
            default = _SERVER_ERRORS.get(fault.status, "Injected error")
            error = ApiError(fault.status, fault.description or default)
        self.record(Event("failure", detail=f"{method} answered {error.error_code} (injected)"))
        raise error

    def _flood_check(self, method: str, params: Params) -> None:
        """Refuse a message over Telegram's flood limits with 429 and ``retry_after``."""
        if self.flood is None:
            return
        retry_after = self.flood.check(method, params, time.monotonic())
        if retry_after is not None:
            self.record(Event("failure", detail=f"{method} answered 429 (flood control)"))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )

    # ----------------------------------------------------------------------- updates

    async def _get_updates(self, p: Params, request: web.Request) -> list[dict[str, Any]]:
        limit = min(max(int(p.get("limit", 100)), 1), 100)
        timeout = max(int(p.get("timeout", 0)), 0)
        if "allowed_updates" in p:
            self._allowed_updates = frozenset(p["allowed_updates"]) or None
        for other in self._pollers:
            other.terminated = True
            other.event.set()
        if "offset" in p:
            self._confirm(int(p["offset"]))
        poller = _Poller(request)
        self._pollers.append(poller)
        deadline = time.monotonic() + timeout
        try:
            while True:
                if poller.terminated:
                    await self._conflict(request)
                if self._pending:
                    batch = list(islice(self._pending, limit))
                    for update in batch:
                        update.deliveries += 1
                        if update.deliveries > 1:
                            self.redelivered += 1
                            self._mark_redelivered(update.body)
                    self._touch()
                    return [u.body for u in batch]
                remaining = deadline - time.monotonic()
                if self._stopping or remaining <= 0:
                    return []
                poller.event.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(poller.event.wait(), remaining)
        finally:
            with contextlib.suppress(ValueError):
                self._pollers.remove(poller)

    async def _conflict(self, request: web.Request) -> None:
        # A client that went away (a killed bot, a cancelled poll) is no second instance: wait
        # a moment for its disconnect to cancel this handler before calling it a violation.
        await asyncio.sleep(_CONFLICT_GRACE)
        transport = request.transport
        alive = transport is not None and not transport.is_closing()
        reasons = ("two getUpdates requests at once: is a second bot instance running?",)
        raise ApiError(409, CONFLICT, reasons=reasons if alive else ())

    def _confirm(self, offset: int) -> None:
        before = len(self._pending)
        # Updates are queued in id order, so confirming is popping from the left: no rescans
        # of a long queue while thousands of people are waiting.
        if offset > 0:
            while self._pending and self._pending[0].update_id < offset:
                self._pending.popleft()
        elif offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()
        if len(self._pending) != before:
            self._touch()  # the bot has just taken work on: the quiet period starts again

    # ----------------------------------------------------------------------- simple methods

    def _true(self, _p: Params) -> bool:
        return True

    def _get_me(self, _p: Params) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.group_privacy,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, p: Params) -> bool:
        if p.get("drop_pending_updates"):
            self._pending.clear()
        self.webhook = None
        return True

    def _set_webhook(self, p: Params) -> bool:
        """Record the webhook; tests deliver updates to it themselves, as Telegram would."""
        url = str(p["url"])
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret}
        return True

    def _get_webhook_info(self, _p: Params) -> dict[str, Any]:
        url = "" if self.webhook is None else self.webhook["url"]
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    def _get_file(self, p: Params) -> dict[str, Any]:
        record = self.files.get(p["file_id"])
        if record is None:
            raise bad_request("invalid file_id")
        return record.api_file()

    def _send_chat_action(self, p: Params) -> bool:
        self._recipient(p)
        if p["action"] not in CHAT_ACTIONS:
            raise bad_request(f"wrong parameter action in request: {p['action']!r}")
        return True

    # ----------------------------------------------------------------------- chats

    def _chat(self, chat_id: object) -> Chat:
        """A person's private chat, or a group the bot is or was in; else "chat not found"."""
        key = chat_id
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            key = int(chat_id)
        if isinstance(key, int) and key > 0 and (person := self.users.get(key)) is not None:
            return person.chat
        group = self.groups.get(key) if isinstance(key, int) else None
        # A group the bot was never in is one it cannot know.
        if group is None or group.bot_status == "left":
            raise bad_request("chat not found")
        if group.bot_status == "kicked":
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return group.chat

    def _recipient(self, p: Params) -> Chat:
        chat = self._chat(p["chat_id"])
        if not chat.is_private:
            return chat
        person = self.users[chat.id]
        if person.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not person.started:
            raise ApiError(
                403,
                "Forbidden: bot can't initiate conversation with a user",
                reasons=(f"{person.first_name} has never written to the bot",),
            )
        return chat

    def _formatted(self, text: str, p: Params, entities_key: str) -> FormattedText:
        mode = p.get("parse_mode")
        if mode and mode.lower() not in PARSE_MODES:
            raise bad_request(f"unsupported parse_mode {mode!r}")
        try:
            return format_text(text, mode, p.get(entities_key))
        except ParseError as error:
            raise bad_request(f"can't parse entities: {error}") from error

    def _markup_reasons(self, markup: dict[str, Any] | None) -> list[str]:
        if markup is None:
            return []
        if "inline_keyboard" in markup:
            spec = self.spec.types["InlineKeyboardButton"]
            actions = frozenset(spec.fields) - BUTTON_DECORATIONS
            return check_inline_keyboard(markup, actions)
        if "keyboard" in markup:
            return check_reply_keyboard(markup)
        return []

    def _content_reasons(
        self, shown: FormattedText | None, markup: dict[str, Any] | None
    ) -> list[str]:
        texts = [*keyboard_urls(markup)]
        if shown is not None:
            texts.extend([shown.text, *shown.urls()])
        return self._markup_reasons(markup) + check_links_in(texts, self.bot_username)

    def _reply_reasons(self, chat: Chat, p: Params) -> list[str]:
        reply = p.get("reply_parameters")
        if not reply or reply.get("allow_sending_without_reply"):
            return []
        if reply.get("chat_id") not in (None, chat.id, str(chat.id)):
            return []
        if chat.live(reply["message_id"]) is None:
            return ["message to be replied not found"]
        return []

    def _new_bot_message(self, chat: Chat, kind: str, p: Params) -> StoredMessage:
        message = chat.add("bot", kind, self.bot_user)
        markup = p.get("reply_markup")
        if markup and "inline_keyboard" in markup:
            message.reply_markup = markup
        elif markup and "keyboard" in markup:
            message.keys = tuple(
                tuple(b if isinstance(b, str) else str(b.get("text", "")) for b in row)
                for row in markup["keyboard"]
            )
            message.keys_persistent = bool(markup.get("is_persistent", False))
            message.placeholder = markup.get("input_field_placeholder")
            chat.reply_keyboard = message.keys
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        return message

    def _send_message(self, p: Params) -> dict[str, Any]:
        chat = self._recipient(p)
        shown = self._formatted(p["text"], p, "entities")
        markup = p.get("reply_markup")
        reasons = check_message_text(shown.text) + self._content_reasons(shown, markup)
        reasons += self._reply_reasons(chat, p)
        if reasons:
            raise bad_request(*reasons)
        message = self._new_bot_message(chat, "text", p)
        message.text = shown
        self.record(
            Event(
                "bot_message",
                chat.name,
                chat.id,
                message.message_id,
                text=shown.text,
                buttons=keyboard_of(message.reply_markup),
                keys=message.keys,
                keys_removed=bool(markup and markup.get("remove_keyboard")),
            )
        )
        chat.touched_by_bot()
        return message.to_api()

    def _send_photo(self, p: Params) -> dict[str, Any]:
        chat = self._recipient(p)
        photo = p["photo"]
        reasons: list[str] = []
        data = b""
        known = None
        if isinstance(photo, UploadedFile):
            data = photo.data
            problem = photo_problem(data)
            if problem:
                reasons.append(problem)
        else:
            known = self.files.get(photo)
            if known is not None:
                data = known.data
            elif not re.match(r"https?://", photo):
                reasons.append("wrong file identifier/HTTP URL specified")
        caption = self._formatted(p.get("caption", ""), p, "caption_entities")
        reasons += check_caption(caption.text) + self._content_reasons(
            caption, p.get("reply_markup")
        )
        reasons += self._reply_reasons(chat, p)
        if reasons:
            raise bad_request(*reasons)
        if known is None:
            url = photo if isinstance(photo, str) else None
            known = self.files.add(data, "photo", image_format(data) or "jpg", url=url)
        message = self._new_bot_message(chat, "photo", p)
        message.media["photo"] = [known.photo_size()]
        message.photo_bytes = data or None
        message.caption = caption if caption.text else None
        label = f"[photo {_size(len(data))}]" + (f" {caption.text}" if caption.text else "")
        self.record(
            Event(
                "bot_message",
                chat.name,
                chat.id,
                message.message_id,
                text=label,
                buttons=keyboard_of(message.reply_markup),
            )
        )
        chat.touched_by_bot()
        return message.to_api()

    def _send_document(self, p: Params) -> dict[str, Any]:
        chat = self._recipient(p)
        document = p["document"]
        if not isinstance(document, UploadedFile):
            raise bad_request("only uploaded documents are emulated")
        if not document.data:
            raise bad_request("file must be non-empty")
        caption = self._formatted(p.get("caption", ""), p, "caption_entities")
        reasons = check_caption(caption.text) + self._content_reasons(
            caption, p.get("reply_markup")
        )
        reasons += self._reply_reasons(chat, p)
        if reasons:
            raise bad_request(*reasons)
        name = document.filename or "file"
        known = self.files.add(document.data, "document", name.rpartition(".")[2] or "bin")
        message = self._new_bot_message(chat, "document", p)
        message.media["document"] = {
            **known.ids(),
            "file_name": name,
            "mime_type": document.content_type or "application/octet-stream",
            "file_size": len(document.data),
        }
        message.document_bytes = document.data
        message.filename = name
        message.caption = caption if caption.text else None
        label = f"[file {name}, {_size(len(document.data))}]"
        label += f" {caption.text}" if caption.text else ""
        self.record(Event("bot_message", chat.name, chat.id, message.message_id, text=label))
        chat.touched_by_bot()
        return message.to_api()

    # ----------------------------------------------------------------------- edits

    def _editable(self, p: Params) -> tuple[Chat, StoredMessage]:
        if "inline_message_id" in p:
            raise bad_request("inline messages are not emulated")
        if "chat_id" not in p:
            raise bad_request("chat_id is empty")
        if "message_id" not in p:
            raise bad_request("message identifier is not specified")
        chat = self._chat(p["chat_id"])
        message = chat.live(p["message_id"])
        if message is None:
            raise bad_request("message to edit not found")
        if message.sender != "bot":
            raise bad_request("message can't be edited")
        return chat, message

    def _edit_message_text(self, p: Params) -> dict[str, Any]:
        chat, message = self._editable(p)
        if "text" not in p:
            raise bad_request("text is required (rich_message is not emulated)")
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        shown = self._formatted(p["text"], p, "entities")
        markup = p.get("reply_markup")
        reasons = check_message_text(shown.text) + self._content_reasons(shown, markup)
        if not reasons and shown == message.text and markup == message.reply_markup:
            reasons = [NOT_MODIFIED]
        if reasons:
            raise bad_request(*reasons)
        message.text, message.reply_markup, message.edit_date = shown, markup, now()
        self._record_edit(chat, message, shown.text)
        return message.to_api()

    def _edit_message_caption(self, p: Params) -> dict[str, Any]:
        chat, message = self._editable(p)
        if message.kind != "photo":
            raise bad_request("there is no caption in the message to edit")
        caption = self._formatted(p.get("caption", ""), p, "caption_entities")
        markup = p.get("reply_markup")
        reasons = check_caption(caption.text) + self._content_reasons(caption, markup)
        new_caption = caption if caption.text else None
        if not reasons and new_caption == message.caption and markup == message.reply_markup:
            reasons = [NOT_MODIFIED]
        if reasons:
            raise bad_request(*reasons)
        message.caption, message.reply_markup, message.edit_date = new_caption, markup, now()
        self._record_edit(chat, message, caption.text)
        return message.to_api()

    def _edit_message_reply_markup(self, p: Params) -> dict[str, Any]:
        chat, message = self._editable(p)
        markup = p.get("reply_markup")
        reasons = self._content_reasons(None, markup)
        if not reasons and markup == message.reply_markup:
            reasons = [NOT_MODIFIED]
        if reasons:
            raise bad_request(*reasons)
        message.reply_markup, message.edit_date = markup, now()
        self.record(
            Event(
                "edit_buttons",
                chat.name,
                chat.id,
                message.message_id,
                buttons=keyboard_of(markup),
            )
        )
        chat.touched_by_bot()
        return message.to_api()

    def _record_edit(self, chat: Chat, message: StoredMessage, text: str) -> None:
        self.record(
            Event(
                "edit",
                chat.name,
                chat.id,
                message.message_id,
                text=text,
                buttons=keyboard_of(message.reply_markup),
            )
        )
        chat.touched_by_bot()

    # ----------------------------------------------------------------------- deletions, taps

    def _delete_message(self, p: Params) -> bool:
        chat = self._chat(p["chat_id"])
        message = chat.live(p["message_id"])
        if message is None:
            raise bad_request("message to delete not found")
        message.deleted = True
        self.record(Event("delete", chat.name, chat.id, message.message_id, count=1))
        chat.touched_by_bot()
        return True

    def _delete_messages(self, p: Params) -> bool:
        chat = self._chat(p["chat_id"])
        ids = p["message_ids"]
        if not 1 <= len(ids) <= MAX_DELETE_IDS:
            raise bad_request(f"message_ids must list 1-{MAX_DELETE_IDS} messages, not {len(ids)}")
        deleted = [m for m in (chat.live(i) for i in ids) if m is not None]
        for message in deleted:
            message.deleted = True
        if deleted:
            first = deleted[0].message_id
            self.record(Event("delete", chat.name, chat.id, first, count=len(deleted)))
        chat.touched_by_bot()
        return True

    def _answer_callback_query(self, p: Params) -> bool:
        query = self._queries.get(p["callback_query_id"])
        expired = (
            query is not None
            and self.callback_timeout is not None
            and time.monotonic() - query.created > self.callback_timeout
        )
        if query is not None and query.answered and query.redelivered:
            raise ApiError(400, f"Bad Request: {QUERY_TOO_OLD}")
        if query is None or query.answered or expired:
            raise bad_request(QUERY_TOO_OLD)
        text = p.get("text")
        reasons = check_length(text or "", "callback answer text", MAX_CALLBACK_ANSWER)
        reasons += check_links_in([p.get("url", "")], self.bot_username)
        if reasons:
            raise bad_request(*reasons)
        query.answered = True
        answer = _callback_answer(query, p)
        query.chat.callback_answers.append(answer)
        self.record(
            Event(
                "answer",
                query.user.first_name,
                query.user.id,
                query.message_id,
                text=text,
                alert=answer.show_alert,
                chat_id=None if query.chat.is_private else query.chat.id,
            )
        )
        query.chat.touched_by_bot()
        return True

    # ----------------------------------------------------------------------- bot settings

    def _language(self, p: Params) -> str:
        code = str(p.get("language_code", ""))
        if code and not _LANGUAGE_RE.fullmatch(code):
            raise bad_request(f"language_code {code!r} must be a two-letter ISO 639-1 code")
        return code

    def _set_my_commands(self, p: Params) -> bool:
        language = self._language(p)
        reasons = check_commands(p["commands"])
        if reasons:
            raise bad_request(*reasons)
        commands = [
            {"command": c["command"], "description": c["description"]} for c in p["commands"]
        ]
        self._commands[(_scope_key(p.get("scope")), language)] = commands
        scope = (p.get("scope") or {"type": "default"})["type"]
        self.record(
            Event(
                "commands",
                text=", ".join(f"/{c['command']}" for c in commands) or "(none)",
                detail=scope + (f", {language}" if language else ""),
            )
        )
        return True

    def _delete_my_commands(self, p: Params) -> bool:
        self._commands.pop((_scope_key(p.get("scope")), self._language(p)), None)
        return True

    def _get_my_commands(self, p: Params) -> list[dict[str, Any]]:
        return self._commands.get((_scope_key(p.get("scope")), self._language(p)), [])

    def _set_description(self, kind: str, limit: int) -> Callable[[Params], object]:
        def handler(p: Params) -> bool:
            language = self._language(p)
            text = p.get(kind, "")
            reasons = check_length(text, kind.replace("_", " "), limit)
            reasons += check_links_in([text], self.bot_username)
            if reasons:
                raise bad_request(*reasons)
            self._descriptions[(kind, language)] = text
            return True

        return handler

    def _get_description(self, kind: str) -> Callable[[Params], object]:
        def handler(p: Params) -> dict[str, str]:
            return {kind: self._descriptions.get((kind, self._language(p)), "")}

        return handler


def _reset(request: web.Request) -> None:
    """Close the request's connection with a TCP reset, as a failing network would."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # Linger on, for zero seconds: closing sends RST instead of a polite FIN.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def _callback_answer(query: _Query, p: Params) -> CallbackAnswer:
    return CallbackAnswer(
        query_id=query.query_id,
        message_id=query.message_id,
        data=query.data,
        text=p.get("text"),
        show_alert=bool(p.get("show_alert", False)),
        url=p.get("url"),
    )


def _scope_key(scope: dict[str, Any] | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} kB"


async def _read_params(request: web.Request) -> dict[str, object]:
    """Parameters from the query string and a form, multipart or JSON body."""
    params: dict[str, object] = dict(request.query)
    if not request.body_exists:
        return params
    ctype = request.content_type
    if ctype == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise bad_request("can't parse JSON body") from error
        if not isinstance(body, dict):
            raise bad_request("the JSON body must be an object")
        params.update(body)
    elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = UploadedFile(
                    key, value.filename, value.content_type, value.file.read()
                )
            elif isinstance(value, bytes):
                params[key] = value.decode("utf-8")
            else:
                params[key] = value
    else:
        raise bad_request(f"unsupported content type {ctype!r}")
    return params
