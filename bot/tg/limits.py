"""Telegram's flood limits: how many messages one bot may send, overall and in one chat.

Telegram lets a bot send about 30 messages a second across all chats, about one a second in
one chat (with short bursts) and about 20 a minute in one group; beyond that it answers
429 "Too Many Requests: retry after N".  Only what puts a message in a chat counts (sending,
copying, forwarding, editing); getUpdates, answerCallbackQuery, deleting and the settings
calls do not.  The emulator enforces these limits and the bot paces itself below them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

_NOT_A_MESSAGE: Final = frozenset({"sendChatAction"})
_MESSAGE_PREFIXES: Final = ("send", "edit", "copyMessage", "forwardMessage")


def counts_as_message(method: str) -> bool:
    """Whether Telegram's flood control counts a call of ``method`` (its camelCase name)."""
    return method.startswith(_MESSAGE_PREFIXES) and method not in _NOT_A_MESSAGE


def is_group(chat_id: object) -> bool:
    """Groups and channels have negative ids (or a public @username)."""
    return isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``burst`` messages at once, and ``per_second`` on average."""

    per_second: float
    burst: int


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """The limits one bot is held to; the defaults are Telegram's."""

    overall: Limit = Limit(30.0, 30)
    chat: Limit = Limit(1.0, 5)
    group: Limit = Limit(20 / 60, 5)

    def for_chat(self, chat_id: object) -> Limit:
        """The limit of one chat."""
        return self.group if is_group(chat_id) else self.chat
