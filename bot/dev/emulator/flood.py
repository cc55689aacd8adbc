"""Telegram's flood control as the emulator enforces it: a token bucket per limit.

Each limit of ``bot.tg.limits`` is a bucket of ``burst`` tokens refilled at
``per_second``; a message takes one token from the bot's bucket and one from its chat's. A
message that finds either empty is refused with Telegram's 429 and the whole seconds until a
token is back as ``retry_after``; a refused call uses up nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bot.tg.limits import FloodLimits, Limit, counts_as_message


@dataclass(slots=True)
class _Bucket:
    limit: Limit
    tokens: float
    at: float

    def wait(self, now: float) -> float:
        """Seconds until one message may go: 0 if one may go now."""
        self.tokens = min(self.limit.burst, self.tokens + (now - self.at) * self.limit.per_second)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.limit.per_second


@dataclass(slots=True)
class FloodControl:
    """The buckets of one bot; ``refused`` counts the calls answered with 429."""

    limits: FloodLimits = field(default_factory=FloodLimits)
    refused: int = 0
    _buckets: dict[object, _Bucket] = field(default_factory=dict)

    def check(self, method: str, params: dict[str, Any], now: float) -> int | None:
        """None if the call may go (and it is counted), else Telegram's ``retry_after``."""
        if not counts_as_message(method):
            return None
        buckets = [self._bucket(None, self.limits.overall, now)]
        chat_id = params.get("chat_id")
        if chat_id is not None:
            buckets.append(self._bucket(chat_id, self.limits.for_chat(chat_id), now))
        wait = max(bucket.wait(now) for bucket in buckets)
        if wait > 0:
            self.refused += 1
            return max(1, math.ceil(wait))
        for bucket in buckets:
            bucket.tokens -= 1
        return None

    def _bucket(self, chat_id: object, limit: Limit, now: float) -> _Bucket:
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = self._buckets[chat_id] = _Bucket(limit, limit.burst, now)
        return bucket
