"""What the fault tests share: people who start a check-in and answer on the reply keyboard, logs
captured as the bot runs them, and the database read as it is on disk."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.support import Translations

from bot.cli import configure_logging
from bot.core.instrument import STATEMENT_COUNT
from bot.core.sessions import Session
from bot.dev.emulator import ChatMessage, SimUser
from bot.dev.sandbox import Sandbox
from bot.storage.blocks import EVERY_SET, POINTS
from bot.ui import texts

STAFF_COMMANDS = (
    "/invite",
    "/new",
    "/sessions",
    "/count",
    "/close",
    "/cancel",
    "/facilitators",
    "/report",
    "/export",
    "/link",
)
"""Every staff command: refused to anyone who is not staff."""


def fi(sandbox: Sandbox) -> Translations:
    """The Finnish texts."""
    return sandbox.services.translations["fi"]


def options(sandbox: Sandbox) -> tuple[str, ...]:
    """The five answer options in Finnish, 1 to 5."""
    return sandbox.services.instruments["fi"].options


async def start_check_in(
    sandbox: Sandbox, user_id: int, name: str, session: Session | None = None
) -> tuple[SimUser, Session]:
    """Someone opens the link of a (new) session and starts: the first statement is shown."""
    if session is None:
        session = await sandbox.new_session("Avoin työhuone")
    person = sandbox.emulator.user(user_id, name, language_code="fi")
    await person.open_link(sandbox.link(session))
    await person.tap_button("Aloitan")
    return person, session


async def press_option(
    sandbox: Sandbox, person: SimUser, value: int, *, settle: bool = True
) -> ChatMessage:
    """Press option ``value`` (1-5) on the reply keyboard: its label is sent as a message."""
    return await person.press(options(sandbox)[value - 1], settle=settle)


async def reach_review(sandbox: Sandbox, person: SimUser, values: tuple[int, ...]) -> ChatMessage:
    """Answer the ten statements with ``values``; the review's prompt (inline buttons) is shown."""
    for value in values:
        await press_option(sandbox, person, value)
    prompt = person.last_bot_message()
    assert prompt.text == review_prompt(sandbox), prompt
    assert person.reply_keyboard is None  # the summary took the answer keyboard away
    return prompt


def review_prompt(sandbox: Sandbox) -> str:
    """The text of the message under the summary whose inline buttons send or change answers."""
    return texts.review_prompt(fi(sandbox))


async def draft_answers(sandbox: Sandbox, person: SimUser) -> tuple[int | None, ...] | None:
    """The person's unfinished answers as stored, or None without a check-in."""
    draft = await sandbox.services.drafts.draft_for(sandbox.services.pseudonyms.person(person.id))
    return None if draft is None else draft.answers


def statements_shown(person: SimUser, number: int) -> int:
    """How many messages the bot sent for statement ``number`` (1-10)."""
    head = f"Väite {number}, yhteensä {STATEMENT_COUNT}\n"
    return sum((m.text or "").startswith(head) for m in person.bot_messages())


@dataclass(frozen=True, slots=True)
class Stored:
    """What the database file holds: complete sets, markers, drafts and started check-ins."""

    sets: list[tuple[int, ...]]
    scores: list[float]
    participations: int
    drafts: int
    started: int


def stored(database: Path) -> Stored:
    """Read the database file with a connection of its own, as an operator would."""
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as db:
        rows = db.execute(f"SELECT {POINTS}, score FROM ({EVERY_SET})").fetchall()
        participations = db.execute("SELECT count(*) FROM participation").fetchone()[0]
        drafts = db.execute("SELECT count(*) FROM draft").fetchone()[0]
        started = db.execute("SELECT coalesce(sum(started), 0) FROM session").fetchone()[0]
    return Stored(
        sets=[tuple(row[:STATEMENT_COUNT]) for row in rows],
        scores=[row[STATEMENT_COUNT] for row in rows],
        participations=participations,
        drafts=drafts,
        started=started,
    )


class CapturedLogs(logging.Handler):
    """Every log record, formatted as the bot's log file would show it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        """All lines, with any traceback."""
        return "\n".join(self.lines)

    def errors(self) -> list[str]:
        """Lines logged at ERROR or above."""
        return [
            line
            for record, line in zip(self.records, self.lines, strict=True)
            if record.levelno >= logging.ERROR
        ]


@contextlib.contextmanager
def captured_logs(level: int = logging.INFO) -> Iterator[CapturedLogs]:
    """Logging set up as `checkin-bot run` sets it up (INFO for every logger, unless another
    level is given), captured."""
    root = logging.getLogger()
    before = root.level
    configure_logging()  # quietens the noisy loggers; pytest's handlers keep basicConfig away
    root.setLevel(level)
    handler = CapturedLogs()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(before)
