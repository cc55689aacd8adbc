"""Load benchmark: the bot as a separate process, many people answering at once, over HTTP.

The bot runs as it does in production (``python -m bot run``) against the local Bot API
emulator; simulated participants join a session and answer, each tap waiting only for the
bot's reply in that person's own chat, as a phone would.  The same driver then runs two
baselines written the way the frameworks' tutorials write bots, so the figures can be read as
ratios on this machine rather than as absolute numbers.

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
import os
import platform
import random
import re
import resource
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Final, Literal

ROOT: Final = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing bench/

from bot.emulator import BotAPIEmulator, ChatMessage, Reply, ReplyTimeoutError, SimUser  # noqa: E402

USERNAME: Final = "checkin_load_bot"
CONSENT_BUTTON: Final = "Aloitan"
SEND_BUTTON: Final = "Lähetä vastaukset"
OPTIONS: Final[list[str]] = tomllib.loads(
    (ROOT / "bot" / "instruments" / "fi.toml").read_text("utf-8")
)["options"]
STATEMENTS: Final = 10
# Steps of one participant: join (open the link), consent, ten answers, send.
JOIN, CONSENT, FIRST_ANSWER, SEND = 0, 1, 2, 2 + STATEMENTS
BOT_NAMES: Final = ("ours", "ptb-tutorial", "aiogram")
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
    database: str
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
        "CHECKIN_MAX_MESSAGES_PER_SECOND": "0",
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
            f"SELECT s.join_code, count(a.id), coalesce(sum({_POINTS}), 0) "  # noqa: S608
            "FROM session s LEFT JOIN answer_set a ON a.session_id = s.id GROUP BY s.id"
        ).fetchall()
        drafts = db.execute(
            "SELECT s.join_code, count(*) FROM draft d JOIN session s ON s.id = d.session_id "
            "GROUP BY s.id"
        ).fetchall()
    return Stored(
        {code: n for code, n, _ in rows},
        {code: points for code, _, points in rows},
        {code: n for code, n in drafts},
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
    import subprocess  # noqa: PLC0415 - only for this one question

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
    bots = []
    for name in names:
        if name == "ours":
            bots.append(
                BotUnderTest(
                    name,
                    f"checkin-bot {_package_version('checkin-bot')}, python-telegram-bot {ptb}",
                    [sys.executable, "-m", "bot", "run"],
                    _ours_env,
                    _ours_sessions,
                    _read_ours,
                    "checkin.sqlite3",
                )
            )
        elif name == "ptb-tutorial":
            script = ROOT / "bench" / "baselines" / "ptb_tutorial_bot.py"
            bots.append(
                BotUnderTest(
                    name,
                    f"python-telegram-bot {ptb}",
                    [sys.executable, str(script)],
                    _baseline_env,
                    _baseline_sessions,
                    _read_baseline,
                    "baseline.sqlite3",
                )
            )
        else:
            python = aiogram_python or _default_aiogram_python()
            version = _aiogram_version(python)
            script = ROOT / "bench" / "baselines" / "aiogram_bot.py"
            bots.append(
                BotUnderTest(
                    name,
                    f"aiogram {version}",
                    [str(python), str(script)],
                    _baseline_env,
                    _baseline_sessions,
                    _read_baseline,
                    "baseline.sqlite3",
                    skipped=None
                    if version
                    else f"aiogram is not installed for {python}; see bench/README.md",
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


async def wait_until_polling(emu: BotAPIEmulator, bot: BotProcess, timeout: float) -> None:  # noqa: ASYNC109
    """Wait for the bot's first long poll: its start-up is over then."""
    deadline = time.monotonic() + timeout
    while not emu.polling:
        if bot.process.returncode is not None:
            raise RuntimeError(f"the bot exited with {bot.process.returncode}:\n{bot.tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the bot did not start polling in {timeout} s:\n{bot.tail()}")
        await asyncio.sleep(0.02)


# ----------------------------------------------------------------------------- participants


@dataclass(frozen=True, slots=True)
class Tap:
    """One tap and how long its reply took."""

    kind: TapKind
    latency: float
    calls: int  # bot calls in the chat caused by the tap (up to the person's next action)


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

    @property
    def done(self) -> bool:
        """Whether the set was sent and thanked for (or the person gave up)."""
        return self.step > SEND or self.failure is not None

    async def act(self) -> None:
        """Take the next step now; its reply comes later (see ``wait``)."""
        if self.step == JOIN:
            await self.user.open_link(self.link, settle=False)
        else:
            await self.user.tap(self.keyboard_id(), self._button_data(), settle=False)
        assert self.user.last_action is not None
        self.marks.append(self.user.last_action.bot_calls)

    async def wait(self, timeout: float) -> Reply | None:  # noqa: ASYNC109
        """Wait for the reply to the last step; None (and ``failure`` set) if it did not come."""
        step = self.step
        try:
            reply = await self.user.wait_for_message(buttons=step < SEND, timeout=timeout)
        except ReplyTimeoutError as error:
            self.failure = str(error)
            return None
        self.keyboard = reply.message
        self.step += 1
        if step >= CONSENT:
            kind: TapKind = "consent" if step == CONSENT else "send" if step == SEND else "answer"
            self.taps.append(Tap(kind, reply.latency, 0))
        return reply

    async def take_step(self, timeout: float) -> Reply | None:  # noqa: ASYNC109
        """Act and wait for the reply: one closed-loop step."""
        await self.act()
        return await self.wait(timeout)

    def keyboard_id(self) -> int:
        """The message whose buttons the person taps next."""
        if self.keyboard is None:
            raise AssertionError(f"{self.user.first_name} has no buttons to tap")
        return self.keyboard.message_id

    def _button_data(self) -> str:
        assert self.keyboard is not None
        if self.step == CONSENT:
            wanted = self.keyboard.buttons[0][0].text  # the consent's first button starts
        elif self.step == SEND:
            wanted = SEND_BUTTON
        else:
            wanted = OPTIONS[self.values[self.step - FIRST_ANSWER] - 1]
        for row in self.keyboard.buttons:
            for button in row:
                if button.text == wanted and button.callback_data is not None:
                    return button.callback_data
        shown = [b.text for row in self.keyboard.buttons for b in row]
        raise AssertionError(f"no button {wanted!r} for step {self.step}; shown: {shown}")

    def answer_calls(self) -> list[int]:
        """Bot calls caused by each answer tap: the chat's count up to the next action."""
        upto = self.marks[FIRST_ANSWER + 1 : SEND + 1]
        return [b - a for a, b in zip(self.marks[FIRST_ANSWER:SEND], upto, strict=False)]


class Crowd:
    """Simulated people with unique ids and seeded answers, in the emulator."""

    def __init__(self, emu: BotAPIEmulator, seed: int = 7) -> None:
        self.emu = emu
        self.random = random.Random(seed)
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


async def _run_to_end(person: Participant, timeout: float, last_step: int = SEND) -> None:  # noqa: ASYNC109
    while person.step <= last_step and person.failure is None:
        await person.take_step(timeout)


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
    emu: BotAPIEmulator, bot: BotProcess, people: list[Participant], timeout: float  # noqa: ASYNC109
) -> PhaseResult:
    """Everyone at once; each taps again as soon as the reply is there."""
    with Measure(emu, bot) as result:
        await asyncio.gather(*(_run_to_end(p, timeout) for p in people))
    _collect(result, people)
    return result


async def open_loop(
    emu: BotAPIEmulator,
    bot: BotProcess,
    people: list[Participant],
    rate: float,
    seconds: float,
    timeout: float,  # noqa: ASYNC109
) -> PhaseResult:
    """Taps at a fixed rate across people whatever the replies do; everyone joins first."""
    await _in_batches(people, 50, lambda p: _run_to_end(p, timeout, last_step=JOIN))
    waiting: set[asyncio.Task[Reply | None]] = set()
    busy: set[Participant] = set()
    turn = itertools.cycle(people)
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
            task = asyncio.create_task(person.wait(timeout))
            waiting.add(task)
            task.add_done_callback(waiting.discard)
            task.add_done_callback(lambda _t, p=person: busy.discard(p))
        await asyncio.gather(*waiting)
    _collect(result, people)
    return result


async def hold_checkins(
    emu: BotAPIEmulator,
    bot: BotProcess,
    people: list[Participant],
    concurrency: int,
    timeout: float,  # noqa: ASYNC109
) -> PhaseResult:
    """Everyone joins and answers one statement, then stops: check-ins left in progress."""
    with Measure(emu, bot) as result:
        await _in_batches(
            people, concurrency, lambda p: _run_to_end(p, timeout, last_step=FIRST_ANSWER)
        )
    _collect(result, people)
    return result


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
    held_rss_mb: float | None = None
    held: int = 0
    held_seconds: float | None = None
    sets_expected: dict[str, int] = field(default_factory=dict)
    sets_stored: dict[str, int] = field(default_factory=dict)
    points_match: bool | None = None
    drafts_expected: dict[str, int] = field(default_factory=dict)
    drafts_stored: dict[str, int] | None = None
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds."""
    if len(values) < 2:  # noqa: PLR2004 - quantiles needs two points
        only = values[0] * 1000 if values else float("nan")
        return only, only, only
    cuts = statistics.quantiles([v * 1000 for v in values], n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


async def measure_bot(bot: BotUnderTest, options: RunOptions, workdir: Path) -> BotFigures:
    """Start one bot against a fresh emulator and run every phase on it."""
    figures = BotFigures(bot.name, bot.version)
    began = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    async with BotAPIEmulator(bot_username=USERNAME, settle_timeout=30) as emu:
        links = await bot.sessions(emu, workdir, PHASES)
        codes = {phase: link.rpartition("=")[2] for phase, link in links.items()}
        process = await BotProcess.start(bot.argv, bot.env(emu, workdir), workdir)
        try:
            await _phases(emu, process, links, codes, options, figures)
        except Exception as error:
            figures.error = f"{type(error).__name__}: {error}"
        finally:
            await process.stop()
    if figures.error is None:
        _check_store(bot.read(workdir), codes, figures)
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
    timeout = options.reply_timeout
    crowd = Crowd(emu)
    await wait_until_polling(emu, process, 60)

    warm = crowd.make(options.warmup, links["warmup"])
    await asyncio.gather(*(_run_to_end(p, timeout) for p in warm))
    figures.sets_expected[codes["warmup"]] = sum(p.step > SEND for p in warm)

    people = crowd.make(options.participants, links["closed"])
    closed = await closed_loop(emu, process, people, timeout)
    statements = sum(1 for t in closed.taps if t.kind == "answer")
    figures.statements_per_second = statements / closed.seconds
    figures.cpu_ms_per_statement = closed.cpu * 1000 / statements
    figures.driver_cpu_ms_per_statement = closed.driver_cpu * 1000 / statements
    figures.closed_latency_ms = percentiles([t.latency for t in closed.taps])
    figures.calls_per_set = closed.api_calls / max(closed.completed, 1)
    figures.get_updates_per_set = closed.get_updates / max(closed.completed, 1)
    figures.calls_per_statement = statistics.fmean(closed.answer_calls or [0])
    figures.sets_expected[codes["closed"]] = closed.completed
    figures.failures += closed.failures

    walkers = crowd.make(options.participants, links["open"])
    opened = await open_loop(
        emu, process, walkers, options.open_rate, options.open_seconds, timeout
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
    held = await hold_checkins(emu, process, holders, options.hold_concurrency, timeout)
    figures.held = sum(p.step > FIRST_ANSWER for p in holders)
    figures.held_seconds = held.seconds
    figures.held_peak_mb, figures.held_rss_mb = process.memory_mb()
    figures.sets_expected[codes["held"]] = 0
    figures.drafts_expected[codes["held"]] = figures.held
    figures.failures += held.failures
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
    figures.points_match = stored.points.get(codes["closed"], 0) == _expected_points(figures)


_expected: dict[str, int] = {}


def _expected_points(figures: BotFigures) -> int:
    return _expected.get(figures.name, -1)


# ----------------------------------------------------------------------------- report
