"""Telegram handing the bot an update again that it had already handled (after a crash, before
the bot confirmed it): the same message or the same tap, with the same ids.

An answer is a press on the reply keyboard, which Telegram delivers as the person's own text
message; a double press is two such messages sent before the bot's reply came.

tests/faults/test_crash.py makes this happen for real with a killed bot; here the update is
simply handed out again, so each case is quick and exact.
"""

import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import bot.tg.app
from bot.dev.sandbox import Sandbox
from bot.tg.http import AiohttpRequest
from bot.ui import texts
from tests.faults.support import (
    draft_answers,
    fi,
    options,
    press_option,
    reach_review,
    review_prompt,
    start_check_in,
    statements_shown,
)


@asynccontextmanager
async def recording(tmp_path: Path) -> AsyncIterator[tuple[Sandbox, list[dict[str, Any]]]]:
    """A sandbox whose emulator keeps a copy of every update it queues."""
    async with Sandbox(tmp_path) as box:
        box.emulator.quiet_period = 0.02
        updates: list[dict[str, Any]] = []
        queue = box.emulator.inject_update

        def keep(body: dict[str, Any]) -> int:
            updates.append(copy.deepcopy(body))
            return queue(body)

        box.emulator.inject_update = keep  # type: ignore[method-assign]
        yield box, updates


async def hand_out_again(box: Sandbox, update: dict[str, Any]) -> None:
    box.emulator.inject_update(copy.deepcopy(update))
    await box.emulator.settle()


def chat_calls(box: Sandbox, since: int) -> list[str]:
    """The Bot API calls made since ``since``, but the polling."""
    return [c.method for c in box.emulator.calls[since:] if c.method != "getUpdates"]


async def test_a_press_handed_out_again_changes_no_answer(tmp_path: Path) -> None:
    async with recording(tmp_path) as (box, updates):
        person, _ = await start_check_in(box, 6001, "Aino")
        pressed = await press_option(box, person, 4)
        assert updates[-1]["message"]["message_id"] == pressed.message_id
        await hand_out_again(box, updates[-1])
        assert await draft_answers(box, person) == (4, *(None,) * 9)
        assert statements_shown(person, 2) == 1
        assert statements_shown(person, 3) == 0


async def test_a_send_handed_out_again_stores_one_set(tmp_path: Path) -> None:
    async with recording(tmp_path) as (box, updates):
        person, session = await start_check_in(box, 6002, "Eero")
        await reach_review(box, person, (1, 2, 3, 4, 5, 1, 2, 3, 4, 5))
        await person.tap_button("Lähetä vastaukset")
        assert "callback_query" in updates[-1]
        await hand_out_again(box, updates[-1])
        counts = await box.services.sessions.counts(session.id)
        assert (counts.complete, counts.in_progress) == (1, 0)


async def test_a_press_handed_out_again_gets_no_reply(tmp_path: Path) -> None:
    async with recording(tmp_path) as (box, updates):
        person, _ = await start_check_in(box, 6003, "Kaisa")
        await press_option(box, person, 4)
        since = len(box.emulator.calls)
        await hand_out_again(box, updates[-1])
        assert chat_calls(box, since) == []  # ignored silently: no error, no nudge, no statement
        shown = [m.text for m in person.bot_messages()]
        assert texts.something_went_wrong(fi(box)) not in shown
        box.emulator.assert_no_violations()


async def test_a_typed_answer_handed_out_again_answers_nothing_more(tmp_path: Path) -> None:
    async with recording(tmp_path) as (box, updates):
        person, _ = await start_check_in(box, 6004, "Ville")
        await person.send_text("3")
        assert await draft_answers(box, person) == (3, *(None,) * 9)
        await hand_out_again(box, updates[-1])
        assert await draft_answers(box, person) == (3, *(None,) * 9)
        assert statements_shown(person, 3) == 0


async def test_a_double_press_answers_one_statement(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 6005, "Outi")
    await press_option(sandbox, person, 2)
    since = len(sandbox.emulator.calls)
    # Both presses are sent before the bot's reply to the first comes.
    await press_option(sandbox, person, 4, settle=False)
    await person.send_text(options(sandbox)[4], settle=False)
    await sandbox.emulator.settle()
    assert await draft_answers(sandbox, person) == (2, 4, *(None,) * 8)
    assert chat_calls(sandbox, since) == ["sendMessage"]  # statement 3, once
    assert statements_shown(person, 3) == 1
    assert statements_shown(person, 4) == 0
    assert (person.last_bot_message().text or "").startswith("Väite 3, yhteensä 10\n")


async def test_a_double_press_on_the_last_statement_gets_no_nudge(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 6006, "Pirjo")
    for value in [3] * 9:
        await press_option(sandbox, person, value)
    since = len(sandbox.emulator.calls)
    await press_option(sandbox, person, 4, settle=False)
    await person.send_text(options(sandbox)[1], settle=False)
    await sandbox.emulator.settle()
    assert await draft_answers(sandbox, person) == (*(3,) * 9, 4)
    assert person.last_bot_message().text == review_prompt(sandbox)
    assert chat_calls(sandbox, since) == ["sendMessage", "sendMessage"]  # summary, review


async def test_a_press_handed_out_again_before_the_next_statement_was_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The answer is stored but statement 2 cannot be sent, as when the bot is killed between
    # the two; Telegram then hands the press out again (it was never confirmed).
    monkeypatch.setattr(
        bot.tg.app, "AiohttpRequest", partial(AiohttpRequest, retry_delays=(0.05, 0.1, 0.2))
    )
    async with recording(tmp_path) as (box, updates):
        person, _ = await start_check_in(box, 6007, "Ilona")
        box.emulator.fail_next("sendMessage", status=500, count=8)  # statement 2, kind word
        await press_option(box, person, 4)
        assert await draft_answers(box, person) == (4, *(None,) * 9)
        assert statements_shown(person, 2) == 0
        await hand_out_again(box, updates[-1])
        # Statement 2 was never shown: the press cannot be its answer. It is shown now.
        assert await draft_answers(box, person) == (4, *(None,) * 9)
        assert statements_shown(person, 2) == 1
        assert statements_shown(person, 3) == 0
        assert (person.last_bot_message().text or "").startswith("Väite 2, yhteensä 10\n")
