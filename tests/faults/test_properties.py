"""Random updates from a few people, in any order, against the real bot (hypothesis).

Random text in any script, typed answers, codes and commands in any order, stickers, photos and
voice, taps on real inline buttons, presses on the reply keyboard (each sent as the person's own
text), forged and random button data, and messages handed to the bot a second time (as Telegram
does after a crash: a keyboard press among them). Whatever comes, afterwards:

- no handler failed (nothing logged at ERROR), every tap was answered, and the emulator saw
  nothing the real Telegram would refuse;
- every stored set has ten answers and the score that goes with them, between 0 and 100;
- a person has at most one set in a session (one participation marker per set);
- no Telegram id, name or username is in the database files or in the logs.

CI runs a few dozen examples; for a longer run: PROPERTY_EXAMPLES=1000 pytest
tests/faults/test_properties.py (or python bench/crash.py --properties 1000).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from bot.core.instrument import STATEMENT_COUNT, load_instruments
from bot.core.scoring import score
from bot.core.sessions import Session
from bot.dev.emulator import ChatMessage, SimUser
from bot.dev.sandbox import Sandbox
from bot.storage.blocks import EVERY_SET
from bot.ui import texts
from bot.ui.i18n import LANGUAGES, load_all
from tests.faults.support import STAFF_COMMANDS, captured_logs

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "30"))
MAX_ACTIONS = 16

# Ids, names and usernames that could not turn up anywhere by chance.
PEOPLE = (
    (7_319_284_551, "Ilmatar Pöyhönen", "ilmatar_p_salainen"),
    (7_319_284_552, "Sigrid Lindqvist-Öhman", "sigrid_l_salainen"),
    (7_319_284_553, "Zoë N'Diaye", None),
)
_T = load_all()
_INSTRUMENTS = load_instruments(LANGUAGES)
OPTION_WORDS = [word for lang in LANGUAGES for word in _INSTRUMENTS[lang].options]
LABELS = sorted(
    {
        _T[lang].gettext(label)
        for lang in LANGUAGES
        for label in (
            "Start",
            "No, thank you",
            "Send answers",
            "Back",
            "Pause",
            "Continue",
            "Delete the messages",
            "Keep them",
        )
    }
    | {"Suomi", "Svenska", "English"}
    | set(OPTION_WORDS)  # the answers are keyboard buttons too
)
COMMANDS = [
    "/start",
    "/stop",
    "/continue",
    "/language",
    "/delete",
    "/help",
    "/privacy",
    "/about",
    "/nonsense",
    "/START",
    "/start@checkin_test_bot",
    "/continue@some_other_bot",
    *STAFF_COMMANDS,
]
URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# A statement's head in any language ("Väite 3, yhteensä 10"), with the number caught.
_STATEMENT = re.compile(
    "|".join(
        re.escape(texts.progress(_T[lang], 0)).replace("1", r"(\d+)", 1) for lang in LANGUAGES
    )
    + "\n"
)
REVIEW_PROMPTS = tuple(texts.review_prompt(_T[lang]) for lang in LANGUAGES)


# ----------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Say:
    """Type a text (a command, an answer, a code, anything)."""

    who: int
    text: str


@dataclass(frozen=True)
class Join:
    """Open a session's link, type its code, or /start with some code."""

    who: int
    code: str  # "open", "other", "closed", "short", "typed", "bare", or a literal code


@dataclass(frozen=True)
class Media:
    """Send a sticker, a photo or a voice message."""

    who: int
    kind: str


@dataclass(frozen=True)
class Tap:
    """Tap or press one of the buttons the person can see: inline ones, then the reply
    keyboard's (the n-th, counting round)."""

    who: int
    pick: int


@dataclass(frozen=True)
class Press:
    """Press the reply keyboard button with this label, or else tap the inline button with it,
    if the person can see one."""

    who: int
    label: str


@dataclass(frozen=True)
class Begin:
    """Open a session's link and tap the consent's first button: the check-in starts."""

    who: int
    other: bool


@dataclass(frozen=True)
class Finish:
    """Answer the statements shown from now on with these values on the reply keyboard, waiting
    for each; then maybe tap the first button of the review (send)."""

    who: int
    values: tuple[int, ...]
    send: bool


@dataclass(frozen=True)
class CheckIn:
    """A whole check-in in one go: begin, then finish (and maybe send)."""

    who: int
    other: bool
    values: tuple[int, ...]
    send: bool


@dataclass(frozen=True)
class Forge:
    """Send made-up button data from one of the bot's messages (or a missing one)."""

    who: int
    data: str  # "§nonce", "§code" and "§sid" are filled in with real ones
    on: int


@dataclass(frozen=True)
class Again:
    """Telegram hands the bot one of the person's earlier messages again."""

    who: int
    pick: int


@dataclass(frozen=True)
class Settle:
    """Let the bot catch up."""


Action = Say | Join | Media | Tap | Press | Begin | Finish | CheckIn | Forge | Again | Settle

who = st.integers(0, len(PEOPLE) - 1)
typed = st.one_of(
    st.text(min_size=1, max_size=30).filter(str.strip),
    st.sampled_from(["1", "2", "3", "4", "5", "0", "6", "-1", "3.", "  4  ", "\uff15", "⁵"]),
    st.sampled_from(OPTION_WORDS).map(str.upper),
    st.sampled_from(OPTION_WORDS).map(lambda word: f" {word}! "),
    st.sampled_from(COMMANDS),
    st.builds(lambda c, t: f"{c} {t}", st.sampled_from(COMMANDS), st.text(max_size=12)),
)
codes = st.one_of(
    st.sampled_from(["open", "other", "closed", "short", "typed", "bare"]),
    st.text(URL_SAFE, min_size=1, max_size=64),
    st.just("inv_").map(lambda p: p + "A" * 22),
)
nonce_data = st.sampled_from(
    [
        # Answers were buttons once: such data is now unknown, a stale button's.
        "a:§nonce:0:1",
        "a:§nonce:9:5",
        "a:§nonce:3:0",
        "a:§nonce:1:9",
        "b:§nonce",
        "b:§nonce:0",
        "b:§nonce:10",
        "b:§nonce:99",
        "c:§nonce:0",
        "c:§nonce:9",
        "s:§nonce",
        "p:§nonce",
        "r:§nonce",
        "j:§code",
        "l:sv:§code",
        "l:xx",
        "t:0",
        "t:9999999999",
        "k",
        "x",
        "o:ok",
        "z:§sid",
        "Z:§sid",
        "F:7319284551",
        "Q:a:-",
        "Q:b:-:session",
        "n:§nonce:x",
    ]
)
answers = st.lists(st.integers(1, 5), min_size=10, max_size=10).map(tuple)
random_data = st.text(min_size=1, max_size=64).filter(lambda d: len(d.encode()) <= 64)
actions: st.SearchStrategy[Action] = st.one_of(
    st.builds(Say, who, typed),
    st.builds(Join, who, codes),
    st.builds(Media, who, st.sampled_from(["sticker", "photo", "voice"])),
    st.builds(Tap, who, st.integers(0, 30)),
    st.builds(Press, who, st.sampled_from(LABELS)),
    st.builds(Begin, who, st.booleans()),
    st.builds(Finish, who, answers, st.booleans()),
    st.builds(CheckIn, who, st.booleans(), answers, st.booleans()),
    st.builds(Forge, who, st.one_of(nonce_data, random_data), st.integers(0, 30)),
    st.builds(Again, who, st.integers(0, 30)),
    st.just(Settle()),
)
# Mostly a person waits for the bot's reply; sometimes the next update comes first.
steps = st.tuples(actions, st.sampled_from([True, True, True, False]))
languages = st.tuples(*(st.sampled_from(["fi", "sv", "en", "de", None]) for _ in PEOPLE))


# ----------------------------------------------------------------------------- playing


@dataclass
class Stage:
    """The sandbox, its people and sessions during one example."""

    box: Sandbox
    people: list[SimUser]
    open: Session
    other: Session
    closed: Session


def live_buttons(person: SimUser) -> list[tuple[int, str]]:
    return [
        (message_id, button.callback_data)
        for message_id, rows in person.live_keyboards().items()
        for row in rows
        for button in row
        if button.callback_data is not None
    ]


def keyboard_labels(person: SimUser) -> list[str]:
    """The labels on the person's reply keyboard, row by row (none without one)."""
    return [label for row in person.reply_keyboard or () for label in row]


def a_nonce(person: SimUser) -> str:
    for _, data in reversed(live_buttons(person)):
        parts = data.split(":")
        if parts[0] in "bcpsr" and len(parts) > 1 and len(parts[1]) == 8:
            return parts[1]
    return "AAAAAAAA"


async def begin(stage: Stage, person: SimUser, other: bool) -> None:
    await person.open_link(stage.box.link(stage.other if other else stage.open))
    keyboards = person.live_keyboards()
    if keyboards:
        first = keyboards[max(keyboards)][0][0]
        if first.callback_data is not None and first.callback_data.startswith("j:"):
            await person.tap(max(keyboards), first.callback_data, settle=False)


def newest_prompt(person: SimUser) -> ChatMessage | None:
    """The newest bot message whose buttons still work: its reply keyboard is the person's
    keyboard now, or its inline buttons are still on it."""
    live = person.reply_keyboard
    for message in reversed(person.bot_messages()):
        if message.buttons or (message.keys and message.keys == live):
            return message
    return None


async def finish(stage: Stage, person: SimUser, values: tuple[int, ...], send: bool) -> None:
    for _ in range(STATEMENT_COUNT + 2):
        await stage.box.emulator.settle()
        message = newest_prompt(person)
        if message is None:
            return
        shown = _STATEMENT.match(message.text or "")
        if shown is not None and len(message.keys) >= 5:
            # The labels in the keyboard's own language: the option chosen for this statement.
            await person.press(
                message.keys[values[int(next(n for n in shown.groups() if n)) - 1] - 1][0],
                settle=False,
            )
        elif send and message.text in REVIEW_PROMPTS and message.buttons:
            data = message.buttons[0][0].callback_data  # send
            if data is None:
                return
            await person.tap(message.message_id, data, settle=False)
        else:
            return


async def play(stage: Stage, action: Action) -> None:
    box = stage.box
    if isinstance(action, Settle):
        await box.emulator.settle()
        return
    person = stage.people[action.who]
    if isinstance(action, Say):
        await person.send_text(action.text, settle=False)
    elif isinstance(action, Join):
        if action.code in ("open", "other", "closed"):
            session = getattr(stage, action.code)
            await person.open_link(box.link(session), settle=False)
        elif action.code == "short":
            await person.send_text(stage.open.short_code, settle=False)
        elif action.code == "typed":
            spaced = " ".join(stage.other.short_code.lower())
            await person.send_text(spaced, settle=False)
        elif action.code == "bare":
            await person.send_text("/start", settle=False)
        else:
            await person.send_text(f"/start {action.code}", settle=False)
    elif isinstance(action, Media):
        if action.kind == "sticker":
            await person.send_sticker(settle=False)
        elif action.kind == "photo":
            await person.send_photo(caption="kuva", settle=False)
        else:
            await person.send_voice(settle=False)
    elif isinstance(action, Tap):
        buttons: list[tuple[int, str] | str] = [*live_buttons(person), *keyboard_labels(person)]
        if buttons:
            button = buttons[action.pick % len(buttons)]
            if isinstance(button, str):
                await person.press(button, settle=False)
            else:
                await person.tap(*button, settle=False)
    elif isinstance(action, Press):
        if action.label in keyboard_labels(person):
            await person.press(action.label, settle=False)
        else:
            with contextlib.suppress(AssertionError):  # no such button in sight
                await person.tap_button(action.label, settle=False)
    elif isinstance(action, Begin):
        await begin(stage, person, action.other)
    elif isinstance(action, Finish):
        await finish(stage, person, action.values, action.send)
    elif isinstance(action, CheckIn):
        await begin(stage, person, action.other)
        await finish(stage, person, action.values, action.send)
    elif isinstance(action, Forge):
        if not person.started:
            return  # only someone who has a chat with the bot can tap in it
        data = (
            action.data.replace("§nonce", a_nonce(person))
            .replace("§code", stage.open.join_code)
            .replace("§sid", str(stage.open.id))
        )
        shown = [m.message_id for m in person.bot_messages()] + [9999]  # and a missing one
        await person.tap(shown[action.on % len(shown)], data, settle=False)
    else:
        written = [m for m in person.chat.messages.values() if m.sender == "user"]
        if written:
            again = written[action.pick % len(written)]
            box.emulator.inject_update({"message": again.to_api()})


# ----------------------------------------------------------------------------- checking


def identity_patterns() -> dict[str, list[bytes]]:
    """Every way a person's id, name or username could sit in a file."""
    found: dict[str, list[bytes]] = {}
    for user_id, name, username in PEOPLE:
        patterns = [str(user_id).encode(), name.encode()]
        patterns += [
            user_id.to_bytes(size, order) for size in (6, 8) for order in ("big", "little")
        ]
        if username:
            patterns.append(username.encode())
        found[name] = patterns
    return found


def check_database(stage: Stage, deleted: bool) -> int:
    """Check the invariants on the files; how far the people got (answers given, sets sent)."""
    database = stage.box.settings.database
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as db:
        sets = db.execute(EVERY_SET).fetchall()
        markers = dict(
            db.execute("SELECT session_id, count(*) FROM participation GROUP BY session_id")
        )
        drafts = [str(answers) for (answers,) in db.execute("SELECT answers FROM draft")]
    per_session: dict[int, int] = {}
    for session_id, *points, stored_score in sets:
        assert len(points) == STATEMENT_COUNT
        assert all(isinstance(p, int) and 1 <= p <= 5 for p in points), points
        assert 0 <= stored_score <= 100
        assert stored_score == pytest.approx(score(tuple(points)))
        per_session[session_id] = per_session.get(session_id, 0) + 1
    assert per_session.get(stage.closed.id, 0) == 0
    for session_id, count in per_session.items():
        assert count <= len(PEOPLE)
        # One marker per set: nobody sent two. /delete removes a person's markers, not sets.
        if deleted:
            assert markers.get(session_id, 0) <= count
        else:
            assert markers.get(session_id, 0) == count, (session_id, count, markers)
    assert sum(markers.values()) <= sum(per_session.values())

    content = {
        path.name: path.read_bytes()
        for path in database.parent.iterdir()
        if path.name.startswith(database.name)
    }
    for name, patterns in identity_patterns().items():
        for file_name, data in content.items():
            assert not [p for p in patterns if p in data], f"{name} found in {file_name}"
    event(f"complete sets: {len(sets)}")
    return len(sets) * (STATEMENT_COUNT + 1) + sum(10 - a.count("0") for a in drafts)


async def run_example(
    data_dir: Path, codes: tuple[str | None, ...], steps: list[tuple[Action, bool]]
) -> int:
    """Play the steps and check everything; how far the people got."""
    with captured_logs() as logs:
        async with Sandbox(data_dir) as box:
            box.emulator.quiet_period = 0.02
            box.emulator.settle_timeout = 3.0  # a stuck bot fails the example quickly
            stage = Stage(
                box,
                [
                    box.emulator.user(user_id, name, language_code=code, username=username)
                    for (user_id, name, username), code in zip(PEOPLE, codes, strict=True)
                ],
                await box.new_session("Avoin työhuone"),
                await box.new_session("Vertaisryhmä"),
                await box.new_session("Eilinen"),
            )
            await box.services.sessions.close_session(stage.closed.id, box.clock())
            for action, then_wait in steps:
                await play(stage, action)
                if then_wait:
                    await box.emulator.settle()
            await box.emulator.settle()
            assert [str(v) for v in box.emulator.violations] == []
            assert box.emulator.unanswered_callback_queries() == []
            deleted = any(
                (m.text or "").lower().startswith("/delete")
                for person in stage.people
                for m in person.messages
                if m.sender == "user"
            )
            progress = check_database(stage, deleted)
    assert logs.errors() == []
    for name, patterns in identity_patterns().items():
        shown = [p.decode(errors="ignore") for p in patterns[:2]] + [name]
        assert not [p for p in shown if p and p in logs.text], f"{name} found in the logs"
    return progress


@pytest.mark.timeout(60 + 4 * EXAMPLES)  # an example takes a second or two at most
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(codes=languages, steps=st.lists(steps, min_size=1, max_size=MAX_ACTIONS))
def test_random_updates_in_any_order_break_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    codes: tuple[str | None, ...],
    steps: list[tuple[Action, bool]],
) -> None:
    progress = asyncio.run(run_example(tmp_path_factory.mktemp("example"), codes, steps))
    target(float(progress), label="answers given and sets sent")  # explore deeper check-ins


async def test_delete_forgets_participation_so_a_new_set_can_follow(tmp_path: Path) -> None:
    """/delete removes the participation marker too, as /privacy promises: privacy over duplicate
    control. That is the one way a person can send a second set in a session; the property
    test above leaves /delete out of that invariant for this reason."""
    async with Sandbox(tmp_path) as box:
        session = await box.new_session("Avoin työhuone")
        person = box.emulator.user(PEOPLE[0][0], PEOPLE[0][1], language_code="fi")
        stage = Stage(box, [person], session, session, session)
        for _ in range(2):
            await play(stage, CheckIn(0, other=False, values=(3,) * 10, send=True))
            await box.emulator.settle()
            await person.send_text("/delete")
        assert (await box.services.sessions.counts(session.id)).complete == 2


async def test_a_forged_tap_on_a_message_without_buttons_edits_nothing(tmp_path: Path) -> None:
    async with Sandbox(tmp_path) as box:
        session = await box.new_session("Avoin työhuone")
        person = box.emulator.user(PEOPLE[0][0], PEOPLE[0][1], language_code="fi")
        await person.send_sticker()
        await person.tap(person.last_bot_message().message_id, f"j:{session.join_code}")
        box.emulator.assert_no_violations()
