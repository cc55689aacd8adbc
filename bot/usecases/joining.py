"""Looking up a join code within limits, so the short typed codes cannot be guessed.

A link carries a 22-character code of 128 random bits: nobody guesses one. The code to type
has seven characters from an alphabet of 27 (see bot.core.codes), so there are
27**7 = 10,460,353,203 (about 10**10) of them. With N short codes working at once, one guess
hits one of them with probability N / 27**7, and it takes about 27**7 / N guesses to hit one:
a hundred million with a hundred sessions open. Three limits keep the guessing far below that:

- A short code works only while its session is open, and for at most CHECKIN_SESSION_HOURS
  (never more than a day), so N stays the number of sessions going on now.
- One person (whatever path they use: a typed code, a link, a button) gets 5 wrong codes in
  10 minutes, kept in the database under a keyed hash of them, so a restart does not reset it.
- Everyone together gets 100 wrong short codes an hour. When they are used up, typed codes
  wait for everyone (links keep working), so many accounts do not help either: at most
  876,000 guesses a year, which with 100 codes working at once hit one in about 120 years on
  average (a chance of 0.8 % a year, 0.08 % with 10 open sessions), while nobody could type
  a code the whole time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.codes import is_short_code, normalise_short_code
from bot.core.sessions import Session
from bot.storage.attempts import CodeFailures
from bot.storage.sessions import SessionRepository

MAX_SHORT_CODE_LIFE = timedelta(hours=24)


class Refusal(StrEnum):
    """Why a code was not looked up."""

    PERSON = "person"
    """This person sent too many wrong codes lately."""
    EVERYONE = "everyone"
    """Too many wrong short codes were sent lately by everyone together."""


@dataclass(frozen=True, slots=True)
class CodeLimits:
    """How many wrong codes are allowed, and in what time."""

    person_failures: int = 5
    person_window: timedelta = timedelta(minutes=10)
    everyone_failures: int = 100
    everyone_window: timedelta = timedelta(hours=1)

    def wait(self, refusal: Refusal) -> timedelta:
        """How long a refused person should wait before trying a typed code again."""
        return self.person_window if refusal is Refusal.PERSON else self.everyone_window

    @property
    def longest_window(self) -> timedelta:
        """Wrong codes older than this count for nothing and are deleted."""
        return max(self.person_window, self.everyone_window)


def short_code_life(session_hours: float) -> timedelta:
    """How long after its session was created a short code works (while the session is open)."""
    if not session_hours:
        return MAX_SHORT_CODE_LIFE
    return min(timedelta(hours=session_hours), MAX_SHORT_CODE_LIFE)


@dataclass(frozen=True, slots=True)
class CodeLookup:
    """Every path that turns a code into a session goes through here."""

    repo: SessionRepository
    failures: CodeFailures
    short_life: timedelta
    limits: CodeLimits = CodeLimits()

    async def session(
        self, guesser_key: bytes, code: str, now: datetime
    ) -> Session | Refusal | None:
        """The session the code names, None for a wrong code (counted), or why it was refused."""
        limits = self.limits
        if await self.failures.by_person(guesser_key, now - limits.person_window) >= (
            limits.person_failures
        ):
            return Refusal.PERSON
        short = is_short_code(code)
        if short:
            recent = await self.failures.short_by_everyone(now - limits.everyone_window)
            if recent >= limits.everyone_failures:
                return Refusal.EVERYONE
            found = await self.repo.session_by_short_code(
                normalise_short_code(code), now - self.short_life
            )
        else:
            found = await self.repo.session_by_join_code(code)
        if found is None:
            await self.failures.record(guesser_key, short, now)
        return found

    async def forget_old(self, now: datetime) -> int:
        """Delete wrong codes that no limit counts any more."""
        return await self.failures.forget_before(now - self.limits.longest_window)
