"""Telegram handing the bot an update again that it had already handled (after a crash, before
the bot confirmed it): the same message or the same tap, with the same ids.

tests/faults/test_crash.py makes this happen for real with a killed bot; here the update is
simply handed out again, so each case is quick and exact.
"""

import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot import texts
from bot.sandbox import Sandbox
from tests.faults.support import draft_answers, fi, options, start_check_in, statements_shown


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


async def test_a_tap_handed_out_again_changes_no_answer(tmp_path: Path) -> None:
    async with recording(tmp_path) as (box, updates):
        person, _ = await start_check_in(box, 6001, "Aino")
        await person.tap_button(options(box)[3])
        await hand_out_again(box, updates[-1])
        assert await draft_answers(box, person) == (4, *(None,) * 9)
        assert statements_shown(person, 2) == 1
        assert statements_shown(person, 3) == 0


async def test_a_send_handed_out_again_stores_one_set(tmp_path: Path) -> None:
    async with recording(tmp_path) as (box, updates):
        person, session = await start_check_in(box, 6002, "Eero")
        for value in [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]:
            await person.tap_button(options(box)[value - 1])
        await person.tap_button("Lähetä vastaukset")
        await hand_out_again(box, updates[-1])
        counts = await box.services.repo.counts(session.id)
        assert (counts.complete, counts.in_progress) == (1, 0)


async def test_a_tap_handed_out_again_gets_no_error(tmp_path: Path) -> None:
    async with recording(tmp_path) as (box, updates):
        person, _ = await start_check_in(box, 6003, "Kaisa")
        await person.tap_button(options(box)[3])
        await hand_out_again(box, updates[-1])
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
