"""Keyed hashes that stand in for a Telegram user id wherever the bot must recognise a person.

Telegram user ids have at most 52 significant bits, so a plain hash could be reversed by trying
them all; an HMAC with a secret kept outside the database cannot.
"""

from __future__ import annotations

import hashlib
import hmac

MIN_SECRET_BYTES = 16


class Pseudonyms:
    """Derives the keys under which a person's unfinished state and markers are stored."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret

    def _mac(self, message: str) -> bytes:
        return hmac.new(self._secret, message.encode(), hashlib.sha256).digest()

    def key_check(self) -> bytes:
        """A keyed hash of a fixed label: tells whether a key is the one data was stored under."""
        return self._mac("key-check")

    def person(self, user_id: int) -> bytes:
        """A key for the person alone: their language choice and their one unfinished check-in."""
        return self._mac(f"person:{user_id}")

    def guesser(self, user_id: int) -> bytes:
        """A key for counting the person's wrong join codes, unlinkable to their other keys."""
        return self._mac(f"codes:{user_id}")

    def in_session(self, user_id: int, session_id: int) -> bytes:
        """The marker that the person has sent a set in one session; sessions cannot be linked
        by it."""
        return self._mac(f"session:{session_id}:{user_id}")

    def draft(self, user_id: int, session_id: int) -> bytes:
        """The key of the person's unfinished check-in in one session: not the marker, so a
        draft left behind in a file does not tell who has answered."""
        return self._mac(f"draft:{session_id}:{user_id}")
