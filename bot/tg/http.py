"""A Bot API request backend on aiohttp, which tries a failed call again a few times.

python-telegram-bot's default backend (httpx) spends a few milliseconds of CPU on every call;
aiohttp, already used by the bot, does the same work in a fraction of that. The library
supports custom backends through `BaseRequest`.

Telegram's servers sometimes answer 5xx, time out or drop a connection. python-telegram-bot
raises those at once, so the handler would fail and the person's next statement would never
come: a reply dropped, with only a "something went wrong" in its place. So a call that failed
that way is tried again, a bounded number of times with growing pauses, never in a tight loop.
The trade-off: a call that timed out may have reached Telegram, so its retry can show a message
twice. It can never store an answer twice: answers are committed before any reply, and only the
newest statement's buttons count. 429 "retry after" is not handled here: python-telegram-bot's
AIORateLimiter (see `bot.tg.app`) waits as long as Telegram asks and tries again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import IO, Final, NoReturn, TypeAlias

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

# Pauses before the second, third and fourth try; each is shortened by a random part of up to
# a half, so that many people's calls failing together are not all retried at one moment.
RETRY_DELAYS: Final = (0.5, 1.0, 2.0)
# The polling loop retries getUpdates itself, with its own backoff.
NOT_RETRIED: Final = frozenset({"getUpdates"})
# Failures that say nothing about the call itself: the network or the server had a problem.
_TRANSIENT: Final = (TimeoutError, aiohttp.ClientConnectionError, aiohttp.ClientPayloadError)
# The token is part of every Bot API URL, and error texts may quote the URL.
_TOKEN_IN_URL: Final = re.compile(r"/bot[^/\s'\"]+")
# A request's files as `RequestData.multipart_data` gives them: name, content, MIME type.
Files: TypeAlias = Mapping[str, tuple[str, bytes | IO[bytes], str]]


def redact(text: str) -> str:
    """The text with any Bot API token in a URL replaced, safe to log."""
    return _TOKEN_IN_URL.sub("/bot<token>", text)


def _seconds(given: object, default: float | None) -> float | None:
    """A timeout argument in seconds; python-telegram-bot's "not given" marker (any object
    that is not a number or None) means the backend's default."""
    if given is None or isinstance(given, int | float):
        return given
    return default


def _raise_for(err: Exception) -> NoReturn:
    """python-telegram-bot's error for an aiohttp failure, with no token in it or its cause."""
    text = f"aiohttp.{type(err).__name__}: {err}"
    safe = redact(text)
    error = TimedOut() if isinstance(err, TimeoutError) else NetworkError(safe)
    # A traceback prints the cause too: leave it out when its text carries the token.
    raise error from (err if safe == text else None)


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a bounded connection pool."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        on_ok: Callable[[], object] | None = None,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._media_write_timeout = media_write_timeout
        self._retry_delays = tuple(retry_delays)
        # Called after every call that Telegram answered with 200 OK (the bot's heartbeat).
        self._on_ok = on_ok
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (python-telegram-bot adds it to long-polling timeouts)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (idempotent)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                json_serialize=json.dumps,
            )

    async def shutdown(self) -> None:
        """Close the session (idempotent)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request, again after a 5xx, a timeout or a lost connection (a few times)."""
        del pool_timeout  # aiohttp's connect timeout includes waiting for a pooled connection
        files = request_data.multipart_data if request_data else None
        read = _seconds(read_timeout, self._read_timeout)
        write = _seconds(
            write_timeout, self._media_write_timeout if files else self._write_timeout
        )
        connect = _seconds(connect_timeout, self._connect_timeout)
        limits = aiohttp.ClientTimeout(
            total=None,
            connect=connect,
            sock_read=None if read is None else read + (write or 0),
        )
        api_method = url.rpartition("/")[2]
        delays = iter(() if api_method in NOT_RETRIED else self._retry_delays)
        while True:
            try:
                status, payload = await self._send_once(url, method, request_data, files, limits)
            except _TRANSIENT as err:
                delay = next(delays, None)
                if delay is None:
                    _raise_for(err)
                problem = type(err).__name__
            except aiohttp.ClientError as err:
                _raise_for(err)
            else:
                if status == HTTPStatus.OK and self._on_ok is not None:
                    self._on_ok()
                if status < 500 or (delay := next(delays, None)) is None:
                    return status, payload
                problem = f"HTTP {status}"
            pause = delay * random.uniform(0.5, 1.0)  # noqa: S311 - spreading retries, no secret
            log.warning(
                "Bot API %s failed (%s); trying again in %.1f s", api_method, problem, pause
            )
            await asyncio.sleep(pause)

    async def _send_once(
        self,
        url: str,
        method: str,
        request_data: RequestData | None,
        files: Files | None,
        limits: aiohttp.ClientTimeout,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        # A fresh body every time: aiohttp cannot send a FormData twice.
        body: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] = {}
        if files and request_data is not None:
            form = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                form.add_field(name, value)
            for name, (filename, content, mime) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime)
            body = form
        elif request_data is not None and request_data.parameters:
            body = request_data.json_payload
            headers["Content-Type"] = "application/json"
        async with self._session.request(
            method, url, data=body, headers=headers, timeout=limits
        ) as response:
            return response.status, await response.read()
