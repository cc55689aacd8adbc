"""Load benchmark: the bot as a separate process, many people answering at once, over HTTP.

The bot runs as it does in production (``python -m bot run``) against the local Bot API
emulator; simulated participants join a session and answer, each tap (or press of a reply
keyboard button) waiting only for the bot's reply in that person's own chat, as a phone
would.  The same driver then runs two baselines written the way the frameworks' tutorials
write bots, so the figures can be read as ratios on this machine rather than as absolute
numbers.

    python bench/load.py                  # the default run: ours and both baselines
    python bench/load.py --quick --bots ours
    python bench/load.py --help

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import platform
import random
import re
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Final, Literal

ROOT: Final = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing bench/

from bot.dev.emulator import BotAPIEmulator, ChatMessage, Reply, ReplyTimeoutError, SimUser  # noqa: E402
from bot.storage.blocks import EVERY_SET  # noqa: E402
from bot.tg.limits import FloodLimits, counts_as_message  # noqa: E402

USERNAME: Final = "checkin_load_bot"
SEND_BUTTON: Final = "Lähetä vastaukset"
OPTIONS: Final[list[str]] = tomllib.loads(
    (ROOT / "bot" / "instruments" / "fi.toml").read_text("utf-8")
)["options"]
STATEMENTS: Final = 10
# Steps of one participant: join (open the link), consent, ten answers, send.
JOIN, CONSENT, FIRST_ANSWER, SEND = 0, 1, 2, 2 + STATEMENTS
BOT_NAMES: Final = ("ours", "ptb-tutorial", "aiogram")
BASELINE_SCRIPTS: Final = {"ptb-tutorial": "ptb_tutorial_bot.py", "aiogram": "aiogram_bot.py"}
AIOGRAM_VENV_PYTHON: Final = ROOT / "bench" / "baselines" / ".venv" / "bin" / "python"
CLOCK_TICKS: Final = os.sysconf("SC_CLK_TCK")

TapKind = Literal["consent", "answer", "send"]


# ----------------------------------------------------------------------------- settings


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How big a run is; ``--quick`` shrinks everything to a few seconds."""

    participants: int
    warmup: int
    open_rate: float
    open_seconds: float
    held: int
    hold_concurrency: int
    hold_seconds: float  # 0: no time limit
    reply_timeout: float


def run_options(args: argparse.Namespace) -> RunOptions:
    """The run's sizes from the command line, quick mode filling in what was not given."""
    quick = args.quick

    def pick(value: float | None, default: float, small: float) -> float:
        return value if value is not None else small if quick else default

    return RunOptions(
        participants=int(pick(args.participants, 200, 5)),
        warmup=int(pick(args.warmup, 5, 1)),
        open_rate=pick(args.open_rate, 30.0, 30.0),
        open_seconds=pick(args.open_seconds, 15.0, 1.5),
        held=int(pick(args.checkins, 10_000, 20)),
        hold_concurrency=int(pick(args.hold_concurrency, 200, 5)),
        hold_seconds=pick(args.hold_seconds, 30.0, 0.0),
        reply_timeout=pick(args.reply_timeout, 60.0, 20.0),
    )


# ----------------------------------------------------------------------------- the bots


@dataclass(frozen=True, slots=True)
class Stored:
    """What a bot's database holds per session code: complete sets, their point sum, drafts."""

    sets: dict[str, int]
    points: dict[str, int]
    drafts: dict[str, int] | None  # None: the bot keeps unfinished answers in memory only


@dataclass(slots=True)
class BotUnderTest:
    """One bot the driver can start, give sessions to, and read back."""

    name: str
    version: str
    argv: list[str]
    env: Callable[[BotAPIEmulator, Path], dict[str, str]]
    sessions: Callable[[BotAPIEmulator, Path, Sequence[str]], Awaitable[dict[str, str]]]
    read: Callable[[Path], Stored]
    skipped: str | None = None


def _clean_environment() -> dict[str, str]:
    """The driver's environment without settings meant for some other bot."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CHECKIN_", "BOT_")) and k != "PTB_TIMEDELTA"
    }


def _ours_env(emu: BotAPIEmulator, workdir: Path) -> dict[str, str]:
    return _clean_environment() | {
        "CHECKIN_BOT_TOKEN": emu.token,
        "CHECKIN_API_BASE_URL": emu.base_url,
        "CHECKIN_BOT_USERNAME": emu.bot_username,
        "CHECKIN_DATABASE": str(workdir / "checkin.sqlite3"),
        "CHECKIN_SECRET": "load-benchmark-secret-0123456789abcdef",
        # Paced at the ceiling exactly when the emulator enforces Telegram's limits.
        "CHECKIN_MAX_MESSAGES_PER_SECOND": (
            "0" if emu.flood is None else f"{emu.flood.limits.overall.per_second:g}"
        ),
        "PTB_TIMEDELTA": "true",
    }


def _baseline_env(emu: BotAPIEmulator, workdir: Path) -> dict[str, str]:
    return _clean_environment() | {
        "BOT_TOKEN": emu.token,
        "BOT_API_BASE_URL": emu.base_url,
        "BOT_DATABASE": str(workdir / "baseline.sqlite3"),
    }


async def _ours_sessions(
    emu: BotAPIEmulator, workdir: Path, phases: Sequence[str]
) -> dict[str, str]:
    """One session per phase, made with ``checkin-bot session new`` as a group leader would."""
    links = {}
    for phase in phases:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "session",
            "new",
            "--label",
            f"Kuormitustesti: {phase}",
            env=_ours_env(emu, workdir),
            cwd=workdir,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output = (await process.communicate())[0].decode()
        match = re.search(r"https://t\.me/\S+\?start=\S+", output)
        if process.returncode != 0 or match is None:
            raise RuntimeError(f"checkin-bot session new failed:\n{output}")
        links[phase] = match.group(0)
    return links


async def _baseline_sessions(
    emu: BotAPIEmulator, _workdir: Path, phases: Sequence[str]
) -> dict[str, str]:
    """Baselines take any code; the code names the phase so the sets can be counted."""
    return {phase: f"https://t.me/{emu.bot_username}?start={phase}" for phase in phases}


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


_POINTS: Final = " + ".join(f"a{n}" for n in range(1, STATEMENTS + 1))


def _read_ours(workdir: Path) -> Stored:
    with contextlib.closing(_connect_read_only(workdir / "checkin.sqlite3")) as db:
        rows = db.execute(
            f"SELECT s.join_code, count(a.session_id), coalesce(sum({_POINTS}), 0) "  # noqa: S608
            f"FROM session s LEFT JOIN ({EVERY_SET}) a ON a.session_id = s.id GROUP BY s.id"
        ).fetchall()
        drafts = db.execute(
            "SELECT s.join_code, count(*) FROM draft d JOIN session s ON s.id = d.session_id "
            "GROUP BY s.id"
        ).fetchall()
    return Stored(
        {code: n for code, n, _ in rows},
        {code: points for code, _, points in rows},
        dict(drafts),
    )


def _read_baseline(workdir: Path) -> Stored:
    with contextlib.closing(_connect_read_only(workdir / "baseline.sqlite3")) as db:
        rows = db.execute(
            f"SELECT code, count(*), sum({_POINTS}) FROM answer_set GROUP BY code"  # noqa: S608
        ).fetchall()
    return Stored({c: n for c, n, _ in rows}, {c: p for c, _, p in rows}, None)


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _aiogram_version(python: Path) -> str | None:
    """aiogram's version in the interpreter that would run the baseline, or None."""
    try:
        done = subprocess.run(  # noqa: S603 - a fixed command line
            [str(python), "-c", "import aiogram; print(aiogram.__version__)"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def bots_under_test(names: Sequence[str], aiogram_python: Path | None) -> list[BotUnderTest]:
    """The bots asked for, with a reason for any that cannot run here."""
    ptb = _package_version("python-telegram-bot")
    baselines = ROOT / "bench" / "baselines"
    bots: list[BotUnderTest] = []
    for name in names:
        if name == "ours":
            version = f"checkin-bot {_package_version('checkin-bot')}, python-telegram-bot {ptb}"
            argv = [sys.executable, "-m", "bot", "run"]
            bots.append(BotUnderTest(name, version, argv, _ours_env, _ours_sessions, _read_ours))
            continue
        if name == "ptb-tutorial":
            python, version = Path(sys.executable), f"python-telegram-bot {ptb}"
            skipped = None
        else:
            python = aiogram_python or _default_aiogram_python()
            found = _aiogram_version(python)
            version = f"aiogram {found or '(not installed)'}"
            skipped = (
                None if found else f"aiogram is not installed for {python}; see bench/README.md"
            )
        script = baselines / BASELINE_SCRIPTS[name]
        bots.append(
            BotUnderTest(
                name,
                version,
                [str(python), str(script)],
                _baseline_env,
                _baseline_sessions,
                _read_baseline,
                skipped,
            )
        )
    return bots


def _default_aiogram_python() -> Path:
    """bench/baselines/.venv if it exists (aiogram pins an older pydantic), else this Python."""
    return AIOGRAM_VENV_PYTHON if AIOGRAM_VENV_PYTHON.exists() else Path(sys.executable)


# ----------------------------------------------------------------------------- the bot process


class BotProcess:
    """The bot under test as a child process, with its CPU time and memory from /proc."""

    def __init__(self, process: asyncio.subprocess.Process, log: Path) -> None:
        self.process = process
        self.log = log

    @classmethod
    async def start(cls, argv: list[str], env: dict[str, str], workdir: Path) -> BotProcess:
        """Start the bot with its output going to ``workdir/bot.log``."""
        log = workdir / "bot.log"
        with log.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                *argv, env=env, cwd=workdir, stdout=out, stderr=asyncio.subprocess.STDOUT
            )
        return cls(process, log)

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the process (all its threads) so far."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def memory_mb(self) -> tuple[float, float]:
        """Peak (VmHWM) and current (VmRSS) resident memory in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        values = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.MULTILINE))
        return int(values["VmHWM"]) / 1024, int(values["VmRSS"]) / 1024

    def tail(self, lines: int = 30) -> str:
        """The end of the bot's log, to say why it failed."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    async def stop(self) -> None:
        """Stop as Ctrl+C would; kill it if it does not stop in time."""
        if self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self.process.wait(), 20)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


async def wait_until_polling(emu: BotAPIEmulator, bot: BotProcess, patience: float) -> None:
    """Wait for the bot's first long poll: its start-up is over then."""
    deadline = time.monotonic() + patience
    while not emu.polling:
        if bot.process.returncode is not None:
            raise RuntimeError(f"the bot exited with {bot.process.returncode}:\n{bot.tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the bot did not start polling in {patience} s:\n{bot.tail()}")
        await asyncio.sleep(0.02)


# ----------------------------------------------------------------------------- participants


@dataclass(frozen=True, slots=True)
class Tap:
    """One tap or keyboard press and how long its reply took.

    The reply is the bot's next message with buttons (inline or a reply keyboard) in the
    person's chat: after an answer the next statement, as a phone shows it; after the tenth
    the review (past the summary before it); after the consent the first statement (past the
    introduction); after "send" the thanks.
    """

    kind: TapKind
    latency: float


class Participant:
    """One person going through a check-in: join, consent, ten answers, send."""

    def __init__(self, user: SimUser, link: str, values: list[int]) -> None:
        self.user = user
        self.link = link
        self.values = values
        self.step = JOIN
        self.keyboard: ChatMessage | None = None
        self.marks: list[int] = []
        self.taps: list[Tap] = []
        self.failure: str | None = None
        self.opened_at: float | None = None  # when the link was opened (time.monotonic)
        self.consent_at: float | None = None  # when the consent message came

    @property
    def done(self) -> bool:
        """Whether the set was sent and thanked for (or the person gave up)."""
        return self.step > SEND or self.failure is not None

    async def act(self) -> None:
        """Take the next step now; its reply comes later (see ``wait``).

        A step uses whatever the bot offered: a reply keyboard button is pressed (its label
        sent as the person's own message), an inline button tapped.
        """
        if self.step == JOIN:
            self.opened_at = time.monotonic()
            await self.user.open_link(self.link, settle=False)
        else:
            action = self._next_action()
            if action is None:
                return
            if isinstance(action, str):
                await self.user.press(action, settle=False)
            else:
                await self.user.tap(*action, settle=False)
        assert self.user.last_action is not None
        self.marks.append(self.user.last_action.bot_calls)

    async def wait(self, patience: float) -> Reply | None:
        """Wait for the reply to the last step; None (and ``failure`` set) if it did not come."""
        step = self.step
        if self.failure is not None:
            return None
        try:
            reply = await self.user.wait_for_message(buttons=step < SEND, timeout=patience)
        except ReplyTimeoutError as error:
            self.failure = str(error)
            return None
        self.keyboard = reply.message
        self.step += 1
        if step == JOIN:
            self.consent_at = time.monotonic()
        if step >= CONSENT:
            kind: TapKind = "consent" if step == CONSENT else "send" if step == SEND else "answer"
            self.taps.append(Tap(kind, reply.latency))
        return reply

    async def take_step(self, patience: float) -> Reply | None:
        """Act and wait for the reply: one closed-loop step."""
        await self.act()
        return await self.wait(patience)

    def _next_action(self) -> str | tuple[int, str] | None:
        """The next step's button: a reply keyboard label to press, or the message and data of
        an inline button to tap; None (and ``failure`` set) if the bot did not offer it.
        """
        shown = self.keyboard
        if shown is None:
            self.failure = f"{self.user.first_name} got no buttons to tap at step {self.step}"
            return None
        if self.step == CONSENT:
            wanted = shown.button_texts[0]  # the consent's first button starts
        elif self.step == SEND:
            wanted = SEND_BUTTON
        else:
            wanted = OPTIONS[self.values[self.step - FIRST_ANSWER] - 1]
        if any(wanted in row for row in shown.keys):
            # The chat shows the newest reply keyboard a bot message set: check it is still
            # this one (a later message may have replaced it) rather than let ``press`` assert.
            if not any(wanted in row for row in self.user.reply_keyboard or ()):
                self.failure = (
                    f"{self.user.first_name}'s keyboard with {wanted!r} was gone at step "
                    f"{self.step}; the chat shows {self.user.reply_keyboard}"
                )
                return None
            return wanted
        data = callback_data(shown, wanted)
        if data is not None:
            return shown.message_id, data
        self.failure = (
            f"no button {wanted!r} at step {self.step}; the bot showed {shown.button_texts}"
        )
        return None

    def answer_calls(self) -> list[int]:
        """Bot calls caused by each answer: the chat's count from it up to the next action.

        With a reply keyboard that is the next statement's message (1), and after the tenth
        answer the summary and the review (2); with inline buttons per statement it is the
        answer to the tap, the edit of the answered statement and the next message (3).
        """
        upto = self.marks[FIRST_ANSWER + 1 : SEND + 1]
        return [b - a for a, b in zip(self.marks[FIRST_ANSWER:SEND], upto, strict=False)]


def callback_data(message: ChatMessage, label: str) -> str | None:
    """The callback data of the message's inline button labelled ``label``, if there is one."""
    for row in message.buttons:
        for button in row:
            if button.text == label and button.callback_data is not None:
                return button.callback_data
    return None


class Crowd:
    """Simulated people with unique ids and seeded answers, in the emulator."""

    def __init__(self, emu: BotAPIEmulator, seed: int = 7) -> None:
        self.emu = emu
        self.random = random.Random(seed)  # noqa: S311 - answers, not secrets
        self._ids = itertools.count(10_000_001)

    def make(self, count: int, link: str) -> list[Participant]:
        """``count`` new people who will join by ``link``, each with ten random answers."""
        people = []
        for _ in range(count):
            user_id = next(self._ids)
            user = self.emu.user(user_id, f"P{user_id}", language_code="fi")
            values = [self.random.randint(1, len(OPTIONS)) for _ in range(STATEMENTS)]
            people.append(Participant(user, link, values))
        return people


# ----------------------------------------------------------------------------- phases


@dataclass(slots=True)
class PhaseResult:
    """What one phase measured."""

    seconds: float = 0.0
    cpu: float = 0.0
    driver_cpu: float = 0.0
    taps: list[Tap] = field(default_factory=list)
    api_calls: int = 0
    get_updates: int = 0
    answer_calls: list[int] = field(default_factory=list)
    completed: int = 0
    failures: list[str] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)
    missed: int = 0


def _driver_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Measure:
    """Wall time, the bot's CPU, the driver's CPU and the Bot API calls across a phase."""

    def __init__(self, emu: BotAPIEmulator, bot: BotProcess) -> None:
        self.emu, self.bot = emu, bot

    def __enter__(self) -> PhaseResult:
        self.result = PhaseResult()
        self._start = (time.monotonic(), self.bot.cpu_seconds(), _driver_cpu())
        self._calls = len(self.emu.calls)
        return self.result

    def __exit__(self, *exc_info: object) -> None:
        wall, cpu, driver = self._start
        self.result.seconds = time.monotonic() - wall
        self.result.cpu = self.bot.cpu_seconds() - cpu
        self.result.driver_cpu = _driver_cpu() - driver
        calls = self.emu.calls[self._calls :]
        self.result.get_updates = sum(1 for c in calls if c.method == "getUpdates")
        self.result.api_calls = len(calls) - self.result.get_updates


def _collect(result: PhaseResult, people: Iterable[Participant]) -> None:
    for person in people:
        result.taps.extend(person.taps)
        if person.failure:
            result.failures.append(person.failure)
        elif person.step > SEND:
            result.completed += 1
            result.answer_calls.extend(person.answer_calls())


async def _run_to_end(person: Participant, patience: float, last_step: int = SEND) -> None:
    while person.step <= last_step and person.failure is None:
        await person.take_step(patience)


async def _in_batches(
    people: Sequence[Participant], concurrency: int, run: Callable[[Participant], Awaitable[None]]
) -> None:
    """Run everyone, at most ``concurrency`` at a time."""
    queue = iter(people)

    async def worker() -> None:
        for person in queue:
            await run(person)

    await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))


async def closed_loop(
    emu: BotAPIEmulator,
    bot: BotProcess,
    people: list[Participant],
    patience: float,
) -> PhaseResult:
    """Everyone at once; each taps again as soon as the reply is there."""
    with Measure(emu, bot) as result:
        await asyncio.gather(*(_run_to_end(p, patience) for p in people))
    _collect(result, people)
    return result


async def open_loop(
    emu: BotAPIEmulator,
    bot: BotProcess,
    people: list[Participant],
    rate: float,
    seconds: float,
    patience: float,
) -> PhaseResult:
    """Taps at a fixed rate across people whatever the replies do; everyone joins first."""
    await _in_batches(people, 50, lambda p: _run_to_end(p, patience, last_step=JOIN))
    waiting: set[asyncio.Task[None]] = set()
    busy: set[Participant] = set()
    turn = itertools.cycle(people)

    async def reply_to(person: Participant) -> None:
        try:
            await person.wait(patience)
        finally:
            busy.discard(person)

    with Measure(emu, bot) as result:
        start = time.monotonic()
        for slot in range(round(rate * seconds)):
            target = start + slot / rate
            await asyncio.sleep(max(0.0, target - time.monotonic()))
            person = next(
                (p for p in itertools.islice(turn, len(people)) if p not in busy and not p.done),
                None,
            )
            if person is None:
                result.missed += 1
                continue
            await person.act()
            result.lag.append(time.monotonic() - target)
            busy.add(person)
            task = asyncio.create_task(reply_to(person))
            waiting.add(task)
            task.add_done_callback(waiting.discard)
        await asyncio.gather(*waiting)
    _collect(result, people)
    return result


@dataclass(slots=True)
class Holding:
    """Check-ins left in progress, and the bot's memory as their number grew."""

    phase: PhaseResult
    held: int = 0
    samples: list[tuple[int, float]] = field(default_factory=list)  # (held, VmRSS MB)


async def hold_checkins(
    emu: BotAPIEmulator,
    bot: BotProcess,
    people: list[Participant],
    options: RunOptions,
) -> Holding:
    """Everyone joins and answers one statement, then stops: check-ins left in progress.

    With a time limit, nobody new joins once it has passed; the memory samples then let the
    report estimate the figure for everyone.
    """
    deadline = time.monotonic() + options.hold_seconds if options.hold_seconds else None
    holding = Holding(PhaseResult())

    async def hold(person: Participant) -> None:
        if deadline is not None and time.monotonic() > deadline:
            return
        await _run_to_end(person, options.reply_timeout, last_step=FIRST_ANSWER)
        holding.held += person.step > FIRST_ANSWER

    async def sample() -> None:
        while True:
            await asyncio.sleep(0.5)
            holding.samples.append((holding.held, bot.memory_mb()[1]))

    sampler = asyncio.create_task(sample())
    try:
        with Measure(emu, bot) as holding.phase:
            await _in_batches(people, options.hold_concurrency, hold)
    finally:
        sampler.cancel()
    _collect(holding.phase, people)
    return holding


def estimate_memory(holding: Holding, target: int, peak: float) -> float:
    """The peak memory with ``target`` check-ins held, from the growth per check-in seen.

    Measured when everyone got in; otherwise the peak plus the slope of resident memory over
    held check-ins (from the second half of the samples, past the start-up) times the rest.
    """
    if holding.held >= target:
        return peak
    late = [(n, mb) for n, mb in holding.samples if n >= holding.held / 2]
    if len({n for n, _ in late}) < 2:
        return peak
    slope = statistics.linear_regression([n for n, _ in late], [mb for _, mb in late]).slope
    return peak + max(slope, 0.0) * (target - holding.held)


# ----------------------------------------------------------------------------- one bot


PHASES: Final = ("warmup", "closed", "open", "held")


@dataclass(slots=True)
class BotFigures:
    """Everything measured for one bot."""

    name: str
    version: str
    skipped: str | None = None
    error: str | None = None
    statements_per_second: float | None = None
    cpu_ms_per_statement: float | None = None
    driver_cpu_ms_per_statement: float | None = None
    closed_latency_ms: tuple[float, float, float] | None = None
    open_latency_ms: tuple[float, float, float] | None = None
    open_taps: int = 0
    open_lag_p99_ms: float | None = None
    open_missed: int = 0
    calls_per_set: float | None = None
    calls_per_statement: float | None = None
    get_updates_per_set: float | None = None
    peak_mb: float | None = None
    held_peak_mb: float | None = None
    held_target_mb: float | None = None
    held_estimated: bool = False
    held: int = 0
    held_seconds: float | None = None
    sets_expected: dict[str, int] = field(default_factory=dict)
    sets_stored: dict[str, int] = field(default_factory=dict)
    points_expected: int = 0
    points_match: bool | None = None
    drafts_expected: dict[str, int] = field(default_factory=dict)
    drafts_stored: dict[str, int] | None = None
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds."""
    if len(values) < 2:
        only = values[0] * 1000 if values else float("nan")
        return only, only, only
    cuts = statistics.quantiles([v * 1000 for v in values], n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


async def measure_bot(bot: BotUnderTest, options: RunOptions, workdir: Path) -> BotFigures:
    """Start one bot against a fresh emulator and run every phase on it."""
    figures = BotFigures(bot.name, bot.version)
    began = time.monotonic()
    # Unpaced: no flood control, so the bot's own CPU per answer is what is measured.
    async with BotAPIEmulator(bot_username=USERNAME, settle_timeout=30, flood_limits=None) as emu:
        try:
            links = await bot.sessions(emu, workdir, PHASES)
            codes = {phase: link.rpartition("=")[2] for phase, link in links.items()}
            process = await BotProcess.start(bot.argv, bot.env(emu, workdir), workdir)
            try:
                await _phases(emu, process, links, codes, options, figures)
            finally:
                await process.stop()
            _check_store(bot.read(workdir), codes, figures)
        # One bot failing (or a bot that does not start) must not hide the others' figures.
        except Exception as error:
            figures.error = f"{type(error).__name__}: {error}"
    figures.seconds = time.monotonic() - began
    return figures


async def _phases(
    emu: BotAPIEmulator,
    process: BotProcess,
    links: dict[str, str],
    codes: dict[str, str],
    options: RunOptions,
    figures: BotFigures,
) -> None:
    patience = options.reply_timeout
    crowd = Crowd(emu)
    await wait_until_polling(emu, process, 60)

    warm = crowd.make(options.warmup, links["warmup"])
    await asyncio.gather(*(_run_to_end(p, patience) for p in warm))
    figures.sets_expected[codes["warmup"]] = sum(p.step > SEND for p in warm)
    figures.failures += [p.failure for p in warm if p.failure]

    people = crowd.make(options.participants, links["closed"])
    closed = await closed_loop(emu, process, people, patience)
    statements = sum(1 for t in closed.taps if t.kind == "answer")
    if not statements:
        first = closed.failures[0] if closed.failures else "no failure reported"
        raise RuntimeError(f"nobody answered a statement in the closed loop; first: {first}")
    figures.statements_per_second = statements / closed.seconds
    figures.cpu_ms_per_statement = closed.cpu * 1000 / statements
    figures.driver_cpu_ms_per_statement = closed.driver_cpu * 1000 / statements
    figures.closed_latency_ms = percentiles([t.latency for t in closed.taps])
    figures.calls_per_set = closed.api_calls / max(closed.completed, 1)
    figures.get_updates_per_set = closed.get_updates / max(closed.completed, 1)
    figures.calls_per_statement = statistics.fmean(closed.answer_calls or [0])
    figures.sets_expected[codes["closed"]] = closed.completed
    figures.points_expected = sum(sum(p.values) for p in people if p.step > SEND)
    figures.failures += closed.failures

    walkers = crowd.make(options.participants, links["open"])
    opened = await open_loop(
        emu, process, walkers, options.open_rate, options.open_seconds, patience
    )
    figures.open_latency_ms = percentiles([t.latency for t in opened.taps])
    figures.open_taps = len(opened.taps)
    figures.open_lag_p99_ms = percentiles(opened.lag)[2]
    figures.open_missed = opened.missed
    figures.sets_expected[codes["open"]] = opened.completed
    figures.drafts_expected[codes["open"]] = sum(CONSENT < p.step <= SEND for p in walkers)
    figures.failures += opened.failures
    figures.peak_mb = process.memory_mb()[0]

    holders = crowd.make(options.held, links["held"])
    holding = await hold_checkins(emu, process, holders, options)
    figures.held = holding.held
    figures.held_seconds = holding.phase.seconds
    figures.held_peak_mb = process.memory_mb()[0]
    figures.held_estimated = holding.held < options.held
    figures.held_target_mb = estimate_memory(holding, options.held, figures.held_peak_mb)
    figures.sets_expected[codes["held"]] = 0
    figures.drafts_expected[codes["held"]] = figures.held
    figures.failures += holding.phase.failures
    violations = [str(v) for v in emu.violations]
    if violations:
        figures.failures.append(f"{len(violations)} Bot API violation(s), first: {violations[0]}")


def _check_store(stored: Stored, codes: dict[str, str], figures: BotFigures) -> None:
    figures.sets_stored = {code: stored.sets.get(code, 0) for code in codes.values()}
    figures.drafts_stored = (
        None
        if stored.drafts is None
        else {code: stored.drafts.get(code, 0) for code in figures.drafts_expected}
    )
    figures.points_match = stored.points.get(codes["closed"], 0) == figures.points_expected


# ----------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class Row:
    """One figure of the table: how to read it from a bot's figures and what the issue asks."""

    label: str
    value: Callable[[BotFigures], float | None]
    target: str = ""
    meets: Callable[[float], bool] | None = None
    digits: int = 1


def _latency(which: str, index: int) -> Callable[[BotFigures], float | None]:
    def read(f: BotFigures) -> float | None:
        cuts = f.closed_latency_ms if which == "closed" else f.open_latency_ms
        return None if cuts is None else cuts[index]

    return read


# Besides what the answers cost, a set takes the consent message, the consent tap
# (answerCallbackQuery, edit, the introduction, statement 1) and the send tap
# (answerCallbackQuery, edit, thanks): "a few" is 8.  With its reply keyboard ours then needs
# 1 call for each of the first nine answers (the next statement) and 2 for the tenth (the
# summary and the review): 19 in all.  A bot with inline buttons per statement needs 3 an
# answer (answerCallbackQuery, the edit of the answered statement, the next message): 38.
FEW_PER_SET: Final = 8


def rows(options: RunOptions) -> list[Row]:
    """The table's figures, in the order the issue lists them."""
    rate = f"{options.open_rate:g}/s"
    return [
        Row(
            f"answered statements per second ({options.participants} people)",
            lambda f: f.statements_per_second,
            ">= 400",
            lambda v: v >= 400,
        ),
        Row(
            "bot CPU ms per answered statement",
            lambda f: f.cpu_ms_per_statement,
            "<= 2",
            lambda v: v <= 2,
            2,
        ),
        Row("tap-to-reply p50 ms, closed loop", _latency("closed", 0)),
        Row("tap-to-reply p95 ms, closed loop", _latency("closed", 1)),
        Row("tap-to-reply p99 ms, closed loop", _latency("closed", 2)),
        Row(f"tap-to-reply p50 ms, open loop {rate}", _latency("open", 0)),
        Row(f"tap-to-reply p95 ms, open loop {rate}", _latency("open", 1)),
        Row(
            f"tap-to-reply p99 ms, open loop {rate}",
            _latency("open", 2),
            "< 100",
            lambda v: v < 100,
        ),
        Row(
            "Bot API calls per answered statement",
            lambda f: f.calls_per_statement,
            "<= 2",
            lambda v: v <= 2,
            2,
        ),
        Row(
            "Bot API calls per complete set",
            lambda f: f.calls_per_set,
            f"<= {2 * STATEMENTS + FEW_PER_SET}",
            lambda v: v <= 2 * STATEMENTS + FEW_PER_SET,
        ),
        Row("getUpdates calls per complete set", lambda f: f.get_updates_per_set, digits=2),
        Row("peak memory MB of the bot process", lambda f: f.peak_mb),
        Row(
            f"peak memory MB, {options.held} check-ins in progress",
            lambda f: f.held_target_mb,
            "< 150",
            lambda v: v < 150,
        ),
        Row(
            "driver+emulator CPU ms per statement",
            lambda f: f.driver_cpu_ms_per_statement,
            digits=2,
        ),
    ]


def machine() -> str:
    """Cores, CPU model and Python: the figures mean little without them."""
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        model = found.group(1).strip() if found else model
    return (
        f"{os.cpu_count()} cores, {model}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def _cell(value: float | None, digits: int) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _ratio(ours: float | None, other: float | None) -> str:
    if ours is None or other is None or not other or math.isnan(ours / other):
        return "-"
    return f"{ours / other:.2f}x"


def table(options: RunOptions, results: list[BotFigures]) -> str:
    """The figures as a plain text table with targets and ratios versus the baselines."""
    ran = [r for r in results if r.skipped is None]
    ours = next((r for r in ran if r.name == "ours"), None)
    others = [r for r in ran if r is not ours]
    header = ["figure", "target", *(r.name for r in ran)]
    if ours is not None:
        header += [f"ours/{r.name}" for r in others] + ["ours meets"]
    lines = [header]
    for row in rows(options):
        values = [row.value(r) for r in ran]
        line = [row.label, row.target, *(_cell(v, row.digits) for v in values)]
        if ours is not None:
            mine = row.value(ours)
            line += [_ratio(mine, row.value(r)) for r in others]
            verdict = "" if row.meets is None or mine is None else row.meets(mine)
            line.append({True: "yes", False: "NO", "": ""}[verdict])
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(line)
        ).rstrip()
        for line in lines
    )


def store_line(f: BotFigures) -> str:
    """Whether every set the participants sent was stored, and nothing else."""
    if f.error is not None:
        return f"{f.name}: FAILED: {f.error}"
    sets = ", ".join(
        f"{f.sets_stored.get(code, 0)}/{expected}" for code, expected in f.sets_expected.items()
    )
    parts = [f"{f.name}: answer sets stored/expected per phase ({', '.join(PHASES)}): {sets}"]
    parts.append(f"closed-loop points match: {'yes' if f.points_match else 'NO'}")
    if f.drafts_stored is not None:
        drafts = ", ".join(
            f"{f.drafts_stored.get(code, 0)}/{n}" for code, n in f.drafts_expected.items()
        )
        parts.append(f"check-ins in progress in the database (open, held): {drafts}")
    parts.append(
        f"open loop {f.open_taps} taps, schedule lag p99 {_cell(f.open_lag_p99_ms, 1)} ms, "
        f"{f.open_missed} slot(s) with nobody ready"
    )
    held = (
        f"{f.held} check-ins held in {_cell(f.held_seconds, 0)} s, "
        f"peak {_cell(f.held_peak_mb, 1)} MB"
    )
    if f.held_estimated:
        held += " (the figure for all is estimated from the growth per check-in)"
    parts.append(held)
    parts.append(
        f"failures: {len(f.failures)}" + (f" (first: {f.failures[0]})" if f.failures else "")
    )
    parts.append(f"{f.seconds:.0f} s in all")
    return "; ".join(parts)


def all_stored(f: BotFigures) -> bool:
    """Every set sent was stored, the points add up, and the drafts are all there."""
    return (
        f.error is None
        and not f.failures
        and f.sets_stored == f.sets_expected
        and bool(f.points_match)
        and (f.drafts_stored is None or f.drafts_stored == f.drafts_expected)
    )


def report(options: RunOptions, results: list[BotFigures]) -> str:
    """Everything the run prints."""
    lines = [
        "checkin-bot load benchmark",
        f"machine: {machine()}",
        "bots: " + "; ".join(f"{r.name} = {r.version}" for r in results),
        (
            f"run: {options.participants} participants answering at once (closed loop), "
            f"open loop {options.open_rate:g} taps/s for {options.open_seconds:g} s over "
            f"{options.participants} participants, {options.held} check-ins held, "
            f"{options.warmup} warm-up set(s)"
        ),
        *(f"{r.name}: skipped: {r.skipped}" for r in results if r.skipped),
        "",
        table(options, results),
        "",
        *(store_line(r) for r in results if r.skipped is None),
    ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- paced scenarios


@dataclass(frozen=True, slots=True)
class Target:
    """What the issue asks of one scenario's figures."""

    label: str
    meets: Callable[[ScenarioFigures], bool]


@dataclass(frozen=True, slots=True)
class Scenario:
    """People who read and think before each tap, against Telegram's flood limits.

    They open the link at random moments within ``arrive_within`` seconds, and wait ``think``
    seconds (uniformly at random) before each tap after the consent message came.
    """

    name: str
    people: int
    arrive_within: float
    think: tuple[float, float]
    targets: tuple[Target, ...] = ()


def _everyone_finished(f: ScenarioFigures) -> bool:
    return f.finished == f.people and f.error is None


def _no_refusals(f: ScenarioFigures) -> bool:
    return f.refused == 0


TARGETS: Final = {
    "steady": (
        Target("everyone finishes", _everyone_finished),
        Target("p95 tap-to-reply <= 1 s", lambda f: f.all_taps_s[0] <= 1),
        Target("zero 429s", _no_refusals),
    ),
    "over": (
        Target("everyone finishes", _everyone_finished),
        Target("p95 <= 3 s mid-check-in", lambda f: f.mid_check_in_s[0] <= 3),
        Target("zero 429s", _no_refusals),
        Target("sent >= 90 % of the ceiling", lambda f: f.sent_per_second >= 0.9 * f.ceiling),
    ),
    "burst": (
        Target("everyone finishes", _everyone_finished),
        Target("consents within 10 s of the ceiling's pace", lambda f: f.consent_behind_s <= 10),
        Target("zero 429s", _no_refusals),
    ),
}


def paced_scenarios(quick: bool) -> list[Scenario]:
    """The three scenarios; ``quick`` shrinks them to seconds (and their figures to shapes)."""
    if quick:
        think = (0.3, 0.9)
        return [
            Scenario("6 people", 6, 1.0, think, TARGETS["steady"]),
            Scenario("9 people", 9, 1.0, think, TARGETS["over"]),
            Scenario("12 joining in 1 s", 12, 1.0, think, TARGETS["burst"]),
        ]
    think = (2.0, 6.0)
    return [
        Scenario("100 people", 100, 30.0, think, TARGETS["steady"]),
        Scenario("150 people", 150, 30.0, think, TARGETS["over"]),
        Scenario("200 joining in 10 s", 200, 10.0, think, TARGETS["burst"]),
    ]


@dataclass(slots=True)
class ScenarioFigures:
    """Everything measured in one paced scenario."""

    name: str
    people: int
    ceiling: float
    finished: int = 0
    all_taps_s: tuple[float, float] = (math.nan, math.nan)  # p95, p99
    mid_check_in_s: tuple[float, float] = (math.nan, math.nan)
    refused: int = 0
    sent: int = 0
    sent_per_second: float = math.nan
    consent_spread_s: float = math.nan
    consent_at_ceiling_s: float = math.nan
    consent_behind_s: float = math.nan
    cpu_ms_per_statement: float = math.nan
    sets_stored: int = 0
    failures: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    met: dict[str, bool] = field(default_factory=dict)


def middle_rate(times: Sequence[float]) -> float:
    """Messages per second between the tenth and the ninetieth percentile of send times: the
    pace while the run is under way, without its start and its tail."""
    if len(times) < 10:
        return math.nan
    ordered = sorted(times)
    first, last = round(len(ordered) * 0.1), round(len(ordered) * 0.9) - 1
    span = ordered[last] - ordered[first]
    return (last - first) / span if span > 0 else math.nan


def behind_ceiling(opened: Sequence[float], sent: Sequence[float], ceiling: float) -> float:
    """How far the latest consent came after the time it would have at the ceiling's pace.

    At the ceiling, consents go first come first served, one every 1/ceiling seconds, but
    none before its person opened the link.
    """
    pairs = sorted(zip(opened, sent, strict=True))
    ideal = -math.inf
    behind = 0.0
    for at, came in pairs:
        ideal = max(at, ideal + 1 / ceiling)
        behind = max(behind, came - ideal)
    return behind


class MessageClock:
    """When each message the bot sent got through, sampled from the emulator's call list."""

    def __init__(self, emu: BotAPIEmulator) -> None:
        self.emu = emu
        self.times: list[float] = []
        self._seen = len(emu.calls)

    async def run(self, every: float = 0.05) -> None:
        """Sample until cancelled."""
        while True:
            self.sample()
            await asyncio.sleep(every)

    def sample(self) -> None:
        """Stamp the calls that arrived since the last sample."""
        calls = self.emu.calls[self._seen :]
        self._seen += len(calls)
        now = time.monotonic()
        self.times += [now for c in calls if c.status == 200 and counts_as_message(c.method)]


async def _paced_person(
    person: Participant, arrive: float, think: Callable[[], float], patience: float
) -> None:
    await asyncio.sleep(arrive)
    while person.step <= SEND and person.failure is None:
        if person.step > JOIN:
            await asyncio.sleep(think())
        await person.take_step(patience)


async def measure_scenario(
    bot: BotUnderTest, scenario: Scenario, patience: float, workdir: Path
) -> ScenarioFigures:
    """One scenario on a fresh bot against a fresh emulator with Telegram's flood limits."""
    began = time.monotonic()
    limits = FloodLimits()
    figures = ScenarioFigures(scenario.name, scenario.people, limits.overall.per_second)
    async with BotAPIEmulator(
        bot_username=USERNAME, settle_timeout=30, flood_limits=limits
    ) as emu:
        try:
            link = (await bot.sessions(emu, workdir, ["paced"]))["paced"]
            process = await BotProcess.start(bot.argv, bot.env(emu, workdir), workdir)
            try:
                await wait_until_polling(emu, process, 60)
                await _run_scenario(emu, process, scenario, link, patience, figures)
            finally:
                await process.stop()
            figures.sets_stored = sum(bot.read(workdir).sets.values())
        except Exception as error:
            figures.error = f"{type(error).__name__}: {error}"
    figures.seconds = time.monotonic() - began
    figures.met = {t.label: t.meets(figures) for t in scenario.targets}
    return figures


async def _run_scenario(
    emu: BotAPIEmulator,
    process: BotProcess,
    scenario: Scenario,
    link: str,
    patience: float,
    figures: ScenarioFigures,
) -> None:
    crowd = Crowd(emu)
    chance = random.Random(scenario.people)  # noqa: S311 - timings, not secrets
    people = crowd.make(scenario.people, link)
    arrivals = [chance.uniform(0, scenario.arrive_within) for _ in people]

    def think() -> float:
        return chance.uniform(*scenario.think)

    clock = MessageClock(emu)
    sampler = asyncio.create_task(clock.run())
    try:
        with Measure(emu, process) as result:
            pairs = zip(people, arrivals, strict=True)
            await asyncio.gather(*(_paced_person(p, a, think, patience) for p, a in pairs))
    finally:
        sampler.cancel()
    clock.sample()
    _collect(result, people)
    answers = [t.latency for t in result.taps if t.kind == "answer"]
    figures.finished = result.completed
    figures.failures = result.failures
    figures.all_taps_s = _p95_p99([t.latency for t in result.taps])
    figures.mid_check_in_s = _p95_p99(answers)
    figures.refused = sum(1 for c in emu.calls if c.status == 429)
    figures.sent = len(clock.times)
    figures.sent_per_second = middle_rate(clock.times)
    figures.cpu_ms_per_statement = result.cpu * 1000 / max(len(answers), 1)
    joined = [p for p in people if p.opened_at is not None and p.consent_at is not None]
    if joined:
        opened = [p.opened_at for p in joined if p.opened_at is not None]
        came = [p.consent_at for p in joined if p.consent_at is not None]
        figures.consent_spread_s = max(came) - min(opened)
        figures.consent_at_ceiling_s = max(scenario.arrive_within, len(joined) / figures.ceiling)
        figures.consent_behind_s = behind_ceiling(opened, came, figures.ceiling)
    violations = [str(v) for v in emu.violations]
    if violations:
        figures.failures.append(f"{len(violations)} Bot API violation(s), first: {violations[0]}")


def _p95_p99(values: Sequence[float]) -> tuple[float, float]:
    _, p95, p99 = percentiles(values)
    return p95 / 1000, p99 / 1000


PACED_ROWS: Final[tuple[tuple[str, Callable[[ScenarioFigures], str]], ...]] = (
    ("people finished", lambda f: f"{f.finished}/{f.people}"),
    ("tap-to-reply p95 / p99 s, every tap", lambda f: _pair(f.all_taps_s)),
    ("tap-to-reply p95 / p99 s, mid-check-in", lambda f: _pair(f.mid_check_in_s)),
    ("calls refused with 429", lambda f: f"{f.refused}"),
    (
        "messages sent per second / ceiling",
        lambda f: (
            f"{_cell(f.sent_per_second, 1)} / {f.ceiling:g} "
            f"({_cell(100 * f.sent_per_second / f.ceiling, 0)} %)"
        ),
    ),
    (
        "consents: first join to last consent s",
        lambda f: f"{_cell(f.consent_spread_s, 1)} (ceiling {_cell(f.consent_at_ceiling_s, 1)})",
    ),
    ("consents: most behind the ceiling's pace s", lambda f: _cell(f.consent_behind_s, 1)),
    ("bot CPU ms per answered statement", lambda f: _cell(f.cpu_ms_per_statement, 2)),
)


def _pair(values: tuple[float, float]) -> str:
    return f"{_cell(values[0], 2)} / {_cell(values[1], 2)}"


def paced_report(results: list[ScenarioFigures], think: tuple[float, float]) -> str:
    """The paced scenarios' figures side by side, then each one's targets and store check."""
    header = ["figure", *(f.name for f in results)]
    lines = [header] + [[label, *(value(f) for f in results)] for label, value in PACED_ROWS]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    table_lines = [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(line)
        ).rstrip()
        for line in lines
    ]
    out = [
        "checkin-bot load benchmark, paced: Telegram's flood limits in the emulator",
        f"machine: {machine()}",
        f"bot: checkin-bot {_package_version('checkin-bot')}, python-telegram-bot "
        f"{_package_version('python-telegram-bot')}",
        f"people read and think {think[0]:g}-{think[1]:g} s before each tap; limits: "
        "30 messages/s overall, 1/s per chat (bursts of 5)",
        "",
        *table_lines,
        "",
    ]
    for f in results:
        verdicts = ", ".join(f"{label}: {'yes' if ok else 'NO'}" for label, ok in f.met.items())
        stored = f"answer sets stored {f.sets_stored}/{f.finished}"
        problem = f"FAILED: {f.error}" if f.error else f"failures: {len(f.failures)}"
        if f.failures:
            problem += f" (first: {f.failures[0]})"
        out.append(f"{f.name}: {verdicts}; {stored}; {problem}; {f.seconds:.0f} s in all")
    return "\n".join(out)


async def run_paced(
    scenarios: list[Scenario], patience: float, workdir: Path, *, at_once: bool
) -> list[ScenarioFigures]:
    """Each scenario on its own bot and emulator: one after another, or all at once (quick)."""
    bot = bots_under_test(["ours"], None)[0]

    async def one(n: int, scenario: Scenario) -> ScenarioFigures:
        print(f"scenario {scenario.name} ...", file=sys.stderr, flush=True)
        folder = workdir / f"paced-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        return await measure_scenario(bot, scenario, patience, folder)

    if at_once:
        return list(await asyncio.gather(*(one(n, s) for n, s in enumerate(scenarios))))
    return [await one(n, s) for n, s in enumerate(scenarios)]


def paced_ok(f: ScenarioFigures) -> bool:
    """Everyone's set stored, nothing failed (targets are reported, not required)."""
    return f.error is None and not f.failures and f.sets_stored == f.finished == f.people


# ----------------------------------------------------------------------------- command line


def parser() -> argparse.ArgumentParser:
    """The command line; sizes left out come from the default or quick run."""
    p = argparse.ArgumentParser(
        prog="bench/load.py",
        description="Load benchmark of checkin-bot against the local Bot API emulator: people "
        "who read and think, against Telegram's flood limits; or, with --unpaced, as many "
        "taps as the bot can take, with two tutorial-style baselines.",
    )
    p.add_argument("--quick", action="store_true", help="a tiny run for CI (seconds)")
    p.add_argument(
        "--unpaced",
        action="store_true",
        help="no flood limits and no pacing: the bot's own CPU and speed, against baselines",
    )
    p.add_argument(
        "--bots",
        default=",".join(BOT_NAMES),
        help=f"with --unpaced: comma-separated, from {', '.join(BOT_NAMES)} (default: all)",
    )
    p.add_argument("-n", "--participants", type=int, help="people answering at once (200)")
    p.add_argument("--warmup", type=int, help="sets answered before measuring (5)")
    p.add_argument("--open-rate", type=float, help="taps per second in the open loop (30)")
    p.add_argument("--open-seconds", type=float, help="length of the open loop (15)")
    p.add_argument("--checkins", type=int, help="check-ins left in progress for memory (10000)")
    p.add_argument("--hold-concurrency", type=int, help="people joining at once then (200)")
    p.add_argument(
        "--hold-seconds",
        type=float,
        help="stop letting people in after this long and estimate the rest (30; 0: no limit)",
    )
    p.add_argument("--reply-timeout", type=float, help="seconds a person waits for a reply (60)")
    p.add_argument(
        "--aiogram-python",
        type=Path,
        help=f"Python with aiogram installed (default: {AIOGRAM_VENV_PYTHON.relative_to(ROOT)} "
        "if it exists, else this one)",
    )
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    p.add_argument("--keep", type=Path, help="keep databases and bot logs in this folder")
    return p


@contextlib.contextmanager
def work_folder(keep: Path | None, prefix: str) -> Iterator[Path]:
    """The folder for databases and bot logs: ``keep`` (made if missing), kept afterwards, or
    a temporary one removed afterwards."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
    else:
        with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
            yield Path(scratch)


async def run(options: RunOptions, bots: list[BotUnderTest], workdir: Path) -> list[BotFigures]:
    """Measure each bot in turn (never two at once: they would share the CPU)."""
    results = []
    for bot in bots:
        if bot.skipped is not None:
            results.append(BotFigures(bot.name, bot.version, skipped=bot.skipped))
            continue
        print(f"measuring {bot.name} ...", file=sys.stderr, flush=True)
        (workdir / bot.name).mkdir(parents=True, exist_ok=True)
        results.append(await measure_bot(bot, options, workdir / bot.name))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 if a set went missing or a bot failed."""
    args = parser().parse_args(argv)
    if not args.unpaced:
        return main_paced(args)
    names = [n.strip() for n in args.bots.split(",") if n.strip()]
    unknown = sorted(set(names) - set(BOT_NAMES))
    if unknown:
        parser().error(f"unknown bot(s): {', '.join(unknown)}")
    options = run_options(args)
    bots = bots_under_test(names, args.aiogram_python)
    with work_folder(args.keep, "bench-") as workdir:
        results = asyncio.run(run(options, bots, workdir))
    print(report(options, results), flush=True)
    if args.json is not None:
        document = {
            "machine": machine(),
            "options": asdict(options),
            "bots": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    ran = [r for r in results if r.skipped is None]
    return 0 if ran and all(all_stored(r) for r in ran) else 1


def main_paced(args: argparse.Namespace) -> int:
    """The paced scenarios; exit 1 if someone did not finish or a set went missing."""
    scenarios = paced_scenarios(args.quick)
    patience = args.reply_timeout or 60.0
    with work_folder(args.keep, "bench-paced-") as workdir:
        results = asyncio.run(run_paced(scenarios, patience, workdir, at_once=args.quick))
    print(paced_report(results, scenarios[0].think), flush=True)
    if args.json is not None:
        document = {"machine": machine(), "scenarios": [asdict(r) for r in results]}
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return 0 if all(paced_ok(r) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
