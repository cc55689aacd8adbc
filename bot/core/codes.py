"""Codes that let people join a session: an unguessable one for links, a short one to type."""

from __future__ import annotations

import secrets

SHORT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: easy to read aloud
SHORT_LENGTH = 6


def new_join_code() -> str:
    """128 random bits, 22 characters from the deep-link alphabet A-Za-z0-9_-."""
    return secrets.token_urlsafe(16)


def new_short_code() -> str:
    """Six characters that are easy to read from a screen and type on a phone."""
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


def join_link(bot_username: str, join_code: str) -> str:
    """The t.me link that opens the bot and sends `/start <code>`."""
    return f"https://t.me/{bot_username}?start={join_code}"
