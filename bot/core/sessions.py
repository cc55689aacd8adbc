"""Group sessions: what they are, their kinds and names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

MAX_LABEL = 100
DEFAULT_LANGUAGE = "fi"
"""The installation's language: THL's validated text is the Finnish one. Sessions are in it
unless their facilitator chooses another, and so were all sessions made before sessions had
a language."""


class BadLabel(ValueError):
    """A name or label that is empty or too long."""


class UnknownSession(LookupError):
    """No session has the id that was asked for."""


class UnknownLanguage(ValueError):
    """A session language that has no statements."""


def clean_label(label: str, limit: int = MAX_LABEL) -> str:
    """A name on one line, trimmed, 1 to `limit` characters."""
    cleaned = " ".join(label.split())
    if not cleaned or len(cleaned) > limit:
        raise BadLabel(f"a label has 1-{limit} characters")
    return cleaned


class SessionKind(StrEnum):
    """A one-off session, or the start of an activity (aloitus) or its end (lopetus), compared
    at group level."""

    SINGLE = "single"
    START = "start"
    END = "end"


@dataclass(frozen=True, slots=True)
class Session:
    """A group session: how people join it, who runs it, and whether it is open."""

    id: int
    join_code: str
    short_code: str
    label: str
    closed_at: datetime | None = None
    kind: SessionKind = SessionKind.SINGLE
    owner_id: int | None = None
    activity_id: int | None = None
    start_session_id: int | None = None
    closes_at: datetime | None = None
    count_chat_id: int | None = None
    count_message_id: int | None = None
    lang: str = DEFAULT_LANGUAGE
    """Everyone who joins starts in this language, whatever their Telegram app's language."""

    @property
    def closed(self) -> bool:
        """No new joins once closed."""
        return self.closed_at is not None


@dataclass(frozen=True, slots=True)
class SessionCounts:
    """How many took part: never who."""

    complete: int
    in_progress: int
