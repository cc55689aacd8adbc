"""A crowd answering at once against Telegram's flood limits: nobody is refused or lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox

PEOPLE = 30
# Each person's chat gets 17 messages at just under one a second: a reply can wait a while.
PATIENCE = 30.0


async def _check_in(person: SimUser, link: str, options: tuple[str, ...]) -> None:
    await person.open_link(link, settle=False)
    await person.wait_for_message(buttons=True, timeout=PATIENCE)
    await person.tap_button("Aloitan", settle=False)
    for n in range(10):
        await person.wait_for_message(buttons=True, timeout=PATIENCE)
        await person.press(options[n % len(options)], settle=False)
    await person.wait_for_message(buttons=True, timeout=PATIENCE)  # the review
    await person.tap_button("Lähetä vastaukset", settle=False)
    await person.wait_for_message(timeout=PATIENCE)  # the thanks


async def test_a_crowd_at_once_all_finish_and_telegram_refuses_nothing(tmp_path: Path) -> None:
    async with Sandbox(tmp_path, flood_control=True) as box:
        session = await box.new_session("Iso ryhmä")
        people = [
            box.emulator.user(8_000_000 + n, f"P{n}", language_code="fi") for n in range(PEOPLE)
        ]
        options = box.services.instruments["fi"].options
        await asyncio.gather(*(_check_in(p, box.link(session), options) for p in people))
        await box.emulator.settle()
        counts = await box.services.sessions.counts(session.id)
        assert box.emulator.flood is not None
        assert box.emulator.flood.refused == 0
        assert [c for c in box.emulator.calls if c.status == 429] == []
        box.emulator.assert_no_violations()
    assert (counts.complete, counts.in_progress) == (PEOPLE, 0)
