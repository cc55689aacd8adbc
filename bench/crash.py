"""Crash run: the bot is killed with SIGKILL at random moments while people answer, and restarted.

The bot runs as in production (``python -m bot run``) against the local Bot API emulator, which
keeps every update the bot has not confirmed and hands it out again after a restart, as
Telegram does. Simulated people join one session and answer at a person's pace: the consent and
the review are inline buttons, the answers a reply keyboard whose press sends the option as the
person's own message. When no reply comes they do what a person would: send /continue, and use
the newest buttons they see. After every kill, while the bot is down, the database must hold
every answer the bot had acknowledged (the next statement, or the summary of the answers, sent
after it). At the end everyone must have finished where they were, and the database must hold
exactly one set per person, with the points that person chose.

    python bench/crash.py                          # 40 people, 10 kills
    python bench/crash.py --quick --seed 7         # the run CI makes (tests/faults), again
    python bench/crash.py --properties 1000        # then the property tests, 1000 examples
    python bench/crash.py --help

It exits with 1 if any check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

from pydantic import SecretStr

ROOT: Final = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing bench/

from bench.load import (  # noqa: E402
    BotProcess,
    bots_under_test,
    callback_data,
    wait_until_polling,
    work_folder,
)
from bot.config import Settings  # noqa: E402
from bot.core.codes import join_link  # noqa: E402
from bot.core.instrument import STATEMENT_COUNT, load_instruments  # noqa: E402
from bot.core.pseudonym import Pseudonyms  # noqa: E402
from bot.core.scoring import score  # noqa: E402
from bot.dev.emulator import BotAPIEmulator, ChatMessage, Mark, ReplyTimeoutError, SimUser  # noqa: E402
from bot.storage.blocks import EVERY_SET, POINTS  # noqa: E402
from bot.ui import texts  # noqa: E402
from bot.ui.i18n import load_all  # noqa: E402
from bot.usecases.services import utc_now  # noqa: E402
from bot.usecases.sessions import create_session  # noqa: E402
from bot.wiring import open_services  # noqa: E402

USERNAME: Final = "checkin_crash_bot"
FIRST_ID: Final = 7_300_000_001
NAME_PREFIX: Final = "Kaatuja"
_T: Final = load_all()["fi"]
_FI: Final = load_instruments(("fi",))["fi"]
OPTIONS: Final = _FI.options
START_BUTTON: Final = "Aloitan"
SEND_BUTTON: Final = _T.gettext("Send answers")
THANKS: Final = texts.thanks(_T, None).text
NOTHING_TO_CONTINUE: Final = texts.nothing_to_continue(_T)
ALREADY_ANSWERED: Final = texts.already_answered(_T)
WENT_WRONG: Final = texts.something_went_wrong(_T)
REVIEW_HEAD: Final = _T.gettext("Check your answers:")  # the summary after the last answer
REVIEW_PROMPT: Final = texts.review_prompt(_T)
REVIEWED: Final = texts.reviewed(_T)
# Each statement's head, "Väite 3, yhteensä 10", with the number caught.
_STATEMENT: Final = re.compile(re.escape(texts.progress(_T, 0)).replace("1", r"(\d+)", 1) + "\n")
# A call Telegram refuses that a kill between two steps can still cause without losing or
# doubling anything: taking the buttons off a message a second time. Counted and reported, not
# a failure of this run.
TOLERATED: Final = {"message is not modified": "buttons taken off a message again"}


@dataclass(frozen=True, slots=True)
class CrashOptions:
    """How big a run is."""

    people: int = 40
    kills: int = 10
    seed: int = 1
    uptime: tuple[float, float] = (0.4, 2.0)  # how long the bot runs before each kill
    think: tuple[float, float] = (0.2, 1.0)  # how long a person takes before each tap
    stagger: float = 15.0  # people start within this many seconds
    patience: float = 2.5  # seconds without a reply before a person sends /continue
    time_limit: float = 300.0  # for the whole run after the last kill

    @classmethod
    def quick(cls, seed: int) -> CrashOptions:
        """The short run CI makes (tests/faults/test_crash.py): a dozen people, four kills."""
        return cls(
            people=12,
            kills=4,
            seed=seed,
            uptime=(0.3, 1.2),
            think=(0.1, 0.5),
            stagger=1.5,
            time_limit=30,
        )


class Answerer:
    """One person going through the check-in, recovering as a person would."""

    def __init__(self, user: SimUser, link: str, values: tuple[int, ...], rng: random.Random):
        self.user = user
        self.link = link
        self.values = values
        self.rng = rng
        self.sent = False  # tapped Send at least once
        self.presses = 0  # answers pressed on the reply keyboard
        self.done = False
        self.nudges = 0
        self.rejoins_after_start = 0
        self.failure: str | None = None
        self._seen = 0
        self._acted_at = time.monotonic()

    async def run(self, options: CrashOptions) -> None:
        """Join, consent, answer, send; /continue whenever no reply comes."""
        try:
            await asyncio.sleep(self.rng.uniform(0, options.stagger))
            await self._act(self.user.open_link(self.link, settle=False))
            for _ in range(400):
                if self.done:
                    return
                message = await self._next(options)
                if message is None:
                    await self._nudge()
                else:
                    await self._react(message)
            self.failure = f"{self.user.first_name} went round in circles"
        except Exception as err:  # reported as this person's failure, not the whole run's
            self.failure = f"{self.user.first_name}: {type(err).__name__}: {err}"

    async def _act(self, action: Awaitable[object]) -> None:
        await action
        self._acted_at = time.monotonic()

    async def _nudge(self) -> None:
        self.nudges += 1
        await self._act(self.user.send_text("/continue", settle=False))

    async def _next(self, options: CrashOptions) -> ChatMessage | None:
        """The newest message from the bot once a new one came, or None if none came in time."""
        since = Mark(self.user.chat.bot_calls, self._seen, self._acted_at)
        try:
            await self.user.wait_for_message(since=since, timeout=options.patience)
        except ReplyTimeoutError:
            return None
        await asyncio.sleep(self.rng.uniform(*options.think))
        newest = self.user.last_bot_message()
        self._seen = newest.message_id
        return newest

    async def _react(self, message: ChatMessage) -> None:
        text = message.text or ""
        if text == THANKS or (self.sent and text in (NOTHING_TO_CONTINUE, ALREADY_ANSWERED)):
            self.done = True
        elif text == NOTHING_TO_CONTINUE:
            # The tap on "Aloitan" (or the link) never got through: join again.
            if self.shown_statement() is not None:
                self.rejoins_after_start += 1
            await self._act(self.user.open_link(self.link, settle=False))
        elif text == WENT_WRONG:
            await self._nudge()
        elif message.keys:
            await self._press_for(message)
        elif message.buttons:
            await self._tap_for(message)
        # A message without buttons (the introduction, the summary of the answers): the next
        # one is on its way.

    async def _press_for(self, message: ChatMessage) -> None:
        """Answer the statement shown with the reply keyboard it came with."""
        statement = _STATEMENT.match(message.text or "")
        live = self.user.reply_keyboard or ()
        if statement is None or message.keys != live:
            await self._nudge()  # something unexpected, or the keyboard changed: ask again
            return
        wanted = OPTIONS[self.values[int(statement[1]) - 1] - 1]
        if not any(wanted in row for row in live):
            await self._nudge()
            return
        self.presses += 1
        await self._act(self.user.press(wanted, settle=False))

    async def _tap_for(self, message: ChatMessage) -> None:
        text = message.text or ""
        if text == REVIEW_PROMPT:
            wanted = SEND_BUTTON
            self.sent = True
        else:
            wanted = START_BUTTON
        data = callback_data(message, wanted)
        if data is None:
            await self._nudge()  # something unexpected: ask for the current step
        else:
            await self._act(self.user.tap(message.message_id, data, settle=False))

    # What the bot has acknowledged, as the chat shows it

    def shown_statement(self) -> int | None:
        """The highest statement number (1-10) the bot has shown, if any."""
        shown = [
            int(match[1])
            for m in self.user.bot_messages()
            if (match := _STATEMENT.match(m.text or "")) is not None
        ]
        return max(shown, default=None)

    def acknowledged(self) -> int:
        """How many of the first answers the bot has acknowledged in the chat.

        The bot's reply to an answer is the next statement: statement k shown means the first
        k - 1 are answered. The summary, the review's prompt or "sent" mean all ten are.
        """
        count = max((self.shown_statement() or 1) - 1, 0)
        for message in self.user.bot_messages():
            text = message.text or ""
            if text.startswith(REVIEW_HEAD) or text in (REVIEW_PROMPT, REVIEWED):
                count = STATEMENT_COUNT
        return count

    @property
    def thanked(self) -> bool:
        """Whether the bot has thanked the person for a sent set."""
        return any(m.text == THANKS for m in self.user.bot_messages())


@dataclass(slots=True)
class CrashReport:
    """What a run did and found."""

    options: CrashOptions
    kills_while_answering: int = 0
    acknowledged_checked: int = 0
    sets: int = 0
    participations: int = 0
    drafts: int = 0
    started: int = 0
    redelivered: int = 0
    nudges: int = 0
    presses: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    error_lines: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return not self.problems

    def lines(self) -> list[str]:
        """What was checked, for people to read."""
        o = self.options
        return [
            f"crash run: {o.people} people, {o.kills} SIGKILLs ({self.kills_while_answering} "
            f"while people were answering), seed {o.seed}, {self.seconds:.1f} s",
            f"after every kill, answers acknowledged in the chat found in the database: "
            f"{self.acknowledged_checked} checks",
            f"answer sets stored {self.sets}, participation markers {self.participations}, "
            f"check-ins started {self.started}, unfinished left {self.drafts} "
            f"(expected {o.people}, {o.people}, {o.people}, 0)",
            f"answers pressed on the keyboard {self.presses}; updates handed out again after a "
            f"restart: {self.redelivered}; /continue sent by people who got no reply: "
            f"{self.nudges}",
            "calls refused by Telegram after a restart: "
            + (", ".join(f"{what} {n}" for what, n in self.refused.items()) or "none")
            + f"; ERROR lines in the bot's logs: {self.error_lines}",
            "problems: " + ("none" if self.ok else f"{len(self.problems)}"),
            *(f"  - {p}" for p in self.problems),
        ]


def _decode(answers: str) -> tuple[int | None, ...]:
    return tuple(int(c) or None for c in answers)


def check_acknowledged(database: Path, secret: bytes, people: Sequence[Answerer]) -> list[str]:
    """While the bot is down: every answer acknowledged in a chat is in the database."""
    pseudonyms = Pseudonyms(secret)
    problems = []
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as db:
        drafts = {
            key: _decode(answers)
            for key, answers in db.execute("SELECT person_key, answers FROM draft")
        }
    for person in people:
        name = person.user.first_name
        draft = drafts.get(pseudonyms.person(person.user.id))
        if person.thanked:
            if draft is not None:
                problems.append(f"{name} was thanked but still has unfinished answers")
            continue
        if person.shown_statement() is None:
            continue  # the check-in has not started, as far as the chat shows
        if draft is None:
            if not person.sent:
                problems.append(f"{name}'s acknowledged check-in is missing")
            continue  # sent, and stored before the thanks could be shown
        acknowledged = person.acknowledged()
        if any(a is None for a in draft[:acknowledged]):
            problems.append(f"{name}: {acknowledged} answers acknowledged, stored {draft}")
        wrong = [i for i, a in enumerate(draft) if a is not None and a != person.values[i]]
        if wrong:
            problems.append(f"{name}: stored answers differ at statements {wrong}")
    return problems


def check_database(database: Path, people: Sequence[Answerer], report: CrashReport) -> None:
    """Exactly one set per person with that person's points; nothing unfinished or extra."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        rows = db.execute(f"SELECT {POINTS}, score FROM ({EVERY_SET})").fetchall()  # noqa: S608
        report.participations = db.execute("SELECT count(*) FROM participation").fetchone()[0]
        report.drafts = db.execute("SELECT count(*) FROM draft").fetchone()[0]
        report.started = db.execute("SELECT sum(started) FROM session").fetchone()[0]
    report.sets = len(rows)
    stored = Counter(tuple(row[:STATEMENT_COUNT]) for row in rows)
    chosen = Counter(p.values for p in people)
    expected = len(people)
    counts = (report.sets, report.participations, report.started, report.drafts)
    if counts != (expected, expected, expected, 0):
        report.problems.append(f"counts (sets, markers, started, unfinished) are {counts}")
    if stored != chosen:
        missing, extra = chosen - stored, stored - chosen
        report.problems.append(f"sets differ from the choices: missing {missing}, extra {extra}")
    for row in rows:
        if abs(row[STATEMENT_COUNT] - score(tuple(row[:STATEMENT_COUNT]))) > 1e-9:
            report.problems.append(f"a set's score {row[STATEMENT_COUNT]} does not match {row}")


def check_logs(text: str, token: str, people: Sequence[Answerer]) -> list[str]:
    """The bot's logs (``text``) never show the token, nor a participant's id or name."""
    problems = []
    if token in text or token.partition(":")[2] in text:
        problems.append("the bot token appears in the bot's log")
    leaked = [p.user.first_name for p in people if str(p.user.id) in text]
    leaked += [p.user.first_name for p in people if p.user.first_name in text]
    if leaked or NAME_PREFIX in text:
        problems.append(f"participants' ids or names appear in the bot's log: {leaked[:5]}")
    return problems


async def until(condition: Callable[[], bool], seconds: float) -> bool:
    """Wait until the condition holds, at most ``seconds``; whether it does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.01)
    return condition()


class KillableBot:
    """The bot as its own process (``python -m bot run``): started, killed, started again."""

    def __init__(self, emu: BotAPIEmulator, workdir: Path) -> None:
        ours = bots_under_test(["ours"], None)[0]
        self.emu = emu
        self.workdir = workdir
        self.argv = ours.argv
        self.env = ours.env(emu, workdir)
        self.database = Path(self.env["CHECKIN_DATABASE"])
        self.secret = self.env["CHECKIN_SECRET"]
        self.logs: list[Path] = []  # one per run, the last one once stopped
        self._process: BotProcess | None = None

    async def new_session(self, label: str) -> str:
        """Create a session in the database, as `checkin-bot session new` does; its link."""
        settings = Settings(
            bot_token=SecretStr(self.emu.token),
            database=self.database,
            secret=SecretStr(self.secret),
        )
        services = await open_services(settings)
        try:
            session = await create_session(services.sessions, label, utc_now())
        finally:
            await services.close()
        return join_link(self.emu.bot_username, session.join_code)

    async def start(self) -> None:
        """Start the bot and wait for its first long poll."""
        await until(lambda: not self.emu.polling, 10)  # a killed bot's long poll is let go
        self._process = await BotProcess.start(self.argv, self.env, self.workdir)
        await wait_until_polling(self.emu, self._process, 60)

    async def kill(self) -> None:
        """SIGKILL: no shutdown, no last getUpdates, nothing flushed but what SQLite did."""
        assert self._process is not None, "the bot is not running"
        self._process.process.kill()
        await self._process.process.wait()
        self.logs.append(self._process.log.rename(self.workdir / f"bot.{len(self.logs)}.log"))
        self._process = None

    async def stop(self) -> None:
        """Stop as Ctrl+C would (if running)."""
        if self._process is not None:
            await self._process.stop()
            self.logs.append(self._process.log)
            self._process = None


async def crash_run(options: CrashOptions, workdir: Path) -> CrashReport:
    """Run people through a check-in while the bot is killed and restarted; check everything."""
    report = CrashReport(options)
    began = time.monotonic()
    rng = random.Random(options.seed)  # noqa: S311 - a reproducible run, no secrets
    # Kills and restarts are measured here, not Telegram's limits: people tap without reading.
    async with BotAPIEmulator(bot_username=USERNAME, settle_timeout=30, flood_limits=None) as emu:
        bot = KillableBot(emu, workdir)
        link = await bot.new_session("Kaatumistesti")
        people = [
            Answerer(
                emu.user(FIRST_ID + n, f"{NAME_PREFIX}{n}", language_code="fi"),
                link,
                tuple(rng.randint(1, len(OPTIONS)) for _ in range(STATEMENT_COUNT)),
                random.Random(rng.random()),  # noqa: S311
            )
            for n in range(options.people)
        ]
        tasks: list[asyncio.Task[None]] = []
        try:
            await bot.start()
            tasks = [asyncio.create_task(p.run(options)) for p in people]
            for kill in range(1, options.kills + 1):
                await asyncio.sleep(rng.uniform(*options.uptime))
                if not all(p.done for p in people):
                    report.kills_while_answering += 1
                await bot.kill()
                found = check_acknowledged(bot.database, bot.secret.encode(), people)
                report.acknowledged_checked += sum(p.shown_statement() is not None for p in people)
                report.problems += [f"after kill {kill}: {p}" for p in found]
                await bot.start()
            await asyncio.wait(tasks, timeout=options.time_limit)
            await until(lambda: not emu.pending_updates(), 30)
            await asyncio.sleep(0.3)  # the last replies in flight
        finally:
            for task in tasks:
                task.cancel()
            await bot.stop()
    report.problems += [p.failure for p in people if p.failure]
    report.problems += [
        f"{p.user.first_name} lost the check-in and had to join again"
        for p in people
        if p.rejoins_after_start
    ]
    report.problems += [
        f"{p.user.first_name} did not finish" for p in people if not p.done and not p.failure
    ]
    check_database(bot.database, people, report)
    logs = "\n".join(log.read_text(errors="replace") for log in bot.logs)
    report.problems += check_logs(logs, emu.token, people)
    report.redelivered = emu.redelivered
    report.nudges = sum(p.nudges for p in people)
    report.presses = sum(p.presses for p in people)
    for violation in emu.violations:
        known = [what for reason, what in TOLERATED.items() if reason in violation.reason]
        if known:
            report.refused[known[0]] += 1
        else:
            report.problems.append(f"Bot API violation: {violation}")
    report.error_lines = sum(" ERROR " in line for line in logs.splitlines())
    report.seconds = time.monotonic() - began
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the crash run and print what it checked; exit 1 if anything failed."""
    defaults = CrashOptions()
    parser = argparse.ArgumentParser(prog="bench/crash.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the short run CI makes")
    parser.add_argument("--people", type=int, help=f"people answering ({defaults.people})")
    parser.add_argument("--kills", type=int, help=f"SIGKILLs ({defaults.kills})")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="for the same run again")
    parser.add_argument("--keep", type=Path, help="keep the database and bot logs here")
    parser.add_argument(
        "--properties",
        type=int,
        metavar="N",
        help="then run the property tests (tests/faults/test_properties.py) with N examples",
    )
    args = parser.parse_args(argv)
    options = CrashOptions.quick(args.seed) if args.quick else replace(defaults, seed=args.seed)
    options = replace(
        options,
        people=args.people or options.people,
        kills=args.kills if args.kills is not None else options.kills,
    )
    with work_folder(args.keep, "crash-") as workdir:
        report = asyncio.run(crash_run(options, workdir))
    print("\n".join(report.lines()), flush=True)
    properties_ok = args.properties is None or run_properties(args.properties)
    return 0 if report.ok and properties_ok else 1


def run_properties(examples: int) -> bool:
    """The property tests with more examples than CI gives them; whether they passed."""
    print(f"property tests, {examples} examples ...", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/faults/test_properties.py"],
        cwd=ROOT,
        env=os.environ | {"PROPERTY_EXAMPLES": str(examples)},
        check=False,
    )
    return done.returncode == 0


if __name__ == "__main__":
    sys.exit(main())
