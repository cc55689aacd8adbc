"""The load driver's participant: it uses whichever buttons the bot offered at each step."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.dev.emulator import BotAPIEmulator, Button, ChatMessage

ROOT = Path(__file__).resolve().parents[2]


def _load_driver() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


load = _load_driver()
OPTIONS: list[str] = load.OPTIONS
FIRST, SECOND = OPTIONS[0], OPTIONS[1]
KEYS = ((OPTIONS[0],), (OPTIONS[1],), ("Takaisin", "Tauko"))


def _statement(*, keys: tuple[tuple[str, ...], ...] = (), inline: bool = False) -> ChatMessage:
    buttons = (tuple(Button(text, f"a:{n}") for n, text in enumerate(OPTIONS, 1)),)
    return ChatMessage(
        message_id=7,
        sender="bot",
        kind="text",
        text="1/10",
        buttons=buttons if inline else (),
        keys=keys,
    )


def _person(emu: BotAPIEmulator, answer: int, keyboard: ChatMessage | None) -> Any:
    """Someone at their first answer, who wants option ``answer`` and sees ``keyboard``."""
    person = load.Participant(emu.user(1, "Aino"), "https://t.me/x?start=abc", [answer] * 10)
    person.step = load.FIRST_ANSWER
    person.keyboard = keyboard
    return person


def test_a_reply_keyboard_button_is_pressed() -> None:
    emu = BotAPIEmulator()
    person = _person(emu, 2, _statement(keys=KEYS))
    person.user.chat.reply_keyboard = KEYS
    assert person._next_action() == SECOND
    assert person.failure is None


def test_an_inline_button_is_tapped_when_there_is_no_reply_keyboard() -> None:
    emu = BotAPIEmulator()
    person = _person(emu, 2, _statement(inline=True))
    assert person._next_action() == (7, "a:2")
    assert person.failure is None


def test_an_inline_button_is_tapped_when_the_reply_keyboard_lacks_the_label() -> None:
    emu = BotAPIEmulator()
    other = (("Jotain muuta",),)
    person = _person(emu, 1, _statement(keys=other, inline=True))
    person.user.chat.reply_keyboard = other
    assert person._next_action() == (7, "a:1")


@pytest.mark.parametrize(
    ("keyboard", "chat_keys", "said"),
    [
        (None, None, "got no buttons"),
        (_statement(keys=(("Takaisin",),)), (("Takaisin",),), "no button"),
        (_statement(keys=KEYS), None, "was gone"),
    ],
)
def test_a_missing_button_is_a_failure_not_an_error(
    keyboard: ChatMessage | None, chat_keys: tuple[tuple[str, ...], ...] | None, said: str
) -> None:
    emu = BotAPIEmulator()
    person = _person(emu, 1, keyboard)
    person.user.chat.reply_keyboard = chat_keys
    assert person._next_action() is None
    assert said in person.failure


async def test_a_press_sends_the_label_as_text_and_marks_the_calls() -> None:
    async with BotAPIEmulator() as emu:
        person = _person(emu, 1, _statement(keys=KEYS))
        person.user.chat.reply_keyboard = KEYS
        await person.act()
        sent = person.user.messages[-1]
        assert (sent.sender, sent.text) == ("user", FIRST)
        assert person.marks == [0]


def test_answer_calls_count_from_each_answer_to_the_next_action() -> None:
    emu = BotAPIEmulator()
    person = _person(emu, 1, None)
    # join 0, consent 1 (its reply: 4 calls), nine answers of 1 call, the tenth of 2, send.
    person.marks = [0, 1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]
    assert person.answer_calls() == [1] * 9 + [2]


def test_consents_are_measured_against_first_come_first_served_at_the_ceiling() -> None:
    # Three people open the link at once: at 30 a second their consents are due at 0, 1/30
    # and 2/30 s; the last, at 0.3 s, was about a quarter of a second behind.
    behind = load.behind_ceiling([0.0, 0.0, 0.0], [0.1, 0.3, 0.05], 30.0)
    assert behind == pytest.approx(0.3 - 2 / 30)
    # Someone who opens the link late is not owed an earlier consent.
    assert load.behind_ceiling([0.0, 5.0], [0.0, 5.0], 30.0) == 0


def test_the_sending_rate_leaves_out_the_start_and_the_tail() -> None:
    steady = [n / 20 for n in range(200)]  # 20 a second for ten seconds
    lull = [100.0 + n for n in range(5)]  # and a few stragglers much later
    assert load.middle_rate(steady) == pytest.approx(20)
    assert load.middle_rate(steady + lull) == pytest.approx(20, rel=0.1)
