"""The check-in as a small pure state machine: no Telegram, no SQL.

A draft is one person's unfinished check-in in one session. Every step returns a new draft or
a rejection, so stale buttons, double taps and redelivered updates can never corrupt it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.core.instrument import OPTION_COUNT, STATEMENT_COUNT

HOUR = timedelta(hours=1)


class Stage(StrEnum):
    """Where a person is: answering statements, or looking at the review before sending."""

    ASKING = "asking"
    REVIEW = "review"


class Rejected(StrEnum):
    """Why an event did not change the draft; the handler turns this into a friendly word."""

    NOT_CURRENT = "not_current"
    BAD_VALUE = "bad_value"
    NOT_IN_REVIEW = "not_in_review"
    AT_FIRST = "at_first"
    INCOMPLETE = "incomplete"


def new_nonce() -> str:
    """A short random tag carried by every button, so buttons from older check-ins go stale."""
    return secrets.token_urlsafe(6)


@dataclass(frozen=True, slots=True)
class Draft:
    """One person's unfinished answers in one session."""

    session_id: int
    lang: str
    nonce: str
    answers: tuple[int | None, ...]
    position: int
    stage: Stage
    reviewing: bool
    first_message_id: int | None
    prompt_message_id: int | None
    updated_at: datetime

    @classmethod
    def begin(
        cls, session_id: int, lang: str, now: datetime, first_message_id: int | None = None
    ) -> Draft:
        """A fresh check-in at the first statement."""
        return cls(
            session_id=session_id,
            lang=lang,
            nonce=new_nonce(),
            answers=(None,) * STATEMENT_COUNT,
            position=0,
            stage=Stage.ASKING,
            reviewing=False,
            first_message_id=first_message_id,
            prompt_message_id=None,
            updated_at=now,
        )

    def on_the_hour(self) -> Draft:
        """The draft as it is stored: its time cut to the hour, since the minutes of a last
        answer could tell who was answering when."""
        hour = self.updated_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        return replace(self, updated_at=hour)

    def expired(self, now: datetime, ttl: timedelta) -> bool:
        """Whether the person may no longer go on (see `expiry_cutoff`)."""
        return self.updated_at <= expiry_cutoff(now, ttl)

    def keep_until(self, ttl: timedelta) -> datetime:
        """Until when the person may surely go on: `ttl` after the last answer.

        A stored draft keeps only the hour of its last answer, so this is never later than
        the real expiry (see `expiry_cutoff`).
        """
        return self.updated_at + ttl

    @property
    def answered(self) -> int:
        """How many statements have an answer."""
        return sum(a is not None for a in self.answers)

    @property
    def complete(self) -> tuple[int, ...] | None:
        """The ten answers when all are given, else None."""
        if any(a is None for a in self.answers):
            return None
        return tuple(a for a in self.answers if a is not None)


def expiry_cutoff(now: datetime, ttl: timedelta) -> datetime:
    """Drafts stored with this hour or an earlier one have expired.

    A draft keeps the hour of its last answer only, so it expires once `ttl` has passed since
    that hour ended: never sooner than `ttl` after the last answer, and within an hour more.
    """
    return now - ttl - HOUR


def answer(draft: Draft, item: int, value: int, now: datetime) -> Draft | Rejected:
    """Record the answer to the current statement and move on."""
    if draft.stage is not Stage.ASKING or item != draft.position:
        return Rejected.NOT_CURRENT
    if not 1 <= value <= OPTION_COUNT:
        return Rejected.BAD_VALUE
    answers = (*draft.answers[:item], value, *draft.answers[item + 1 :])
    # Statements are reached in order, so the last one (or an edit from the review) completes.
    done = draft.reviewing or item + 1 == STATEMENT_COUNT
    return replace(
        draft,
        answers=answers,
        position=item if done else item + 1,
        stage=Stage.REVIEW if done else Stage.ASKING,
        reviewing=False,
        updated_at=now,
    )


def back(draft: Draft, now: datetime) -> Draft | Rejected:
    """Go back one statement; from the review, back to the last statement."""
    if draft.stage is Stage.REVIEW:
        return replace(draft, stage=Stage.ASKING, position=STATEMENT_COUNT - 1, updated_at=now)
    if draft.position == 0:
        return Rejected.AT_FIRST
    return replace(draft, position=draft.position - 1, reviewing=False, updated_at=now)


def change(draft: Draft, item: int, now: datetime) -> Draft | Rejected:
    """From the review, reopen one statement; answering it returns to the review."""
    if draft.stage is not Stage.REVIEW:
        return Rejected.NOT_IN_REVIEW
    if not 0 <= item < STATEMENT_COUNT:
        return Rejected.BAD_VALUE
    return replace(draft, stage=Stage.ASKING, position=item, reviewing=True, updated_at=now)


def ready_to_send(draft: Draft) -> tuple[int, ...] | Rejected:
    """The ten answers, if the person is at the review with all of them given."""
    if draft.stage is not Stage.REVIEW:
        return Rejected.NOT_IN_REVIEW
    points = draft.complete
    return Rejected.INCOMPLETE if points is None else points


# Marks that set the direction of right-to-left text: phones add them around typed or pasted
# words, and they are invisible, so a typed answer is compared without them.
DIRECTION_MARKS = dict.fromkeys(
    (0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
# Arabic vowel signs (often left out when typing) and the letters that Arabic and Persian
# keyboards write differently (yeh, kaf; alef with hamza or madda): one form for comparing.
_ARABIC_FORMS = (
    dict.fromkeys(range(0x064B, 0x0653))
    | {0x064A: "\u06cc", 0x0649: "\u06cc", 0x0643: "\u06a9"}
    | dict.fromkeys((0x0623, 0x0625, 0x0622), "\u0627")
)


def typed_form(text: str) -> str:
    """Typed words in one form for comparing: without direction marks, Arabic vowel signs
    or closing punctuation, with single spaces, case-folded."""
    cleaned = text.translate(DIRECTION_MARKS).translate(_ARABIC_FORMS)
    return " ".join(cleaned.strip().strip(".!\u06d4").casefold().split())


def parse_typed_answer(text: str, options: tuple[str, ...]) -> int | None:
    """Accept '1'-'5' (in any script's decimal digits, e.g. Arabic-Indic or Persian) or an
    option's words typed in, for people who find buttons hard."""
    cleaned = typed_form(text)
    if cleaned.isdecimal() and 1 <= int(cleaned) <= len(options):
        return int(cleaned)
    for number, label in enumerate(options, start=1):
        if cleaned == typed_form(label):
            return number
    return None
