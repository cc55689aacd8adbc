"""Limits on typed join codes, so the short codes cannot be guessed by trying many."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


class AttemptLimiter:
    """Counts one person's wrong codes in a sliding window; kept in memory only."""

    def __init__(self, max_failures: int = 5, window: timedelta = timedelta(minutes=10)) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[bytes, deque[datetime]] = {}

    def _recent(self, key: bytes, now: datetime) -> deque[datetime]:
        failures = self._failures.get(key, deque())
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def blocked(self, key: bytes, now: datetime) -> bool:
        """Whether this person has used up their tries for now."""
        return len(self._recent(key, now)) >= self.max_failures

    def failed(self, key: bytes, now: datetime) -> None:
        """Record one wrong code."""
        self._failures.setdefault(key, self._recent(key, now)).append(now)
