"""`checkin-bot demo`: a scripted group check-in against the local emulator, as a transcript.

The real bot runs with a throwaway database; simulated people join by link and by typed code,
in Finnish, Swedish and English, and the conversation is printed as they would see it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.emulator import SimUser
from bot.instrument import Instrument
from bot.sandbox import Sandbox


async def _answer(person: SimUser, instrument: Instrument, values: list[int]) -> None:
    for value in values:
        await person.tap_button(instrument.options[value - 1], person.last_bot_message())


async def _script(box: Sandbox) -> str:
    session = await box.new_session("Avoin työhuone, Kotka")
    instruments = box.services.instruments
    header = [
        "A group session was created: " + session.label,
        f"Join link: {box.link(session)}",
        f"Code to type: {session.short_code}",
        "",
    ]

    aino = box.emulator.user(101, "Aino", language_code="fi")
    await aino.open_link(box.link(session))
    await aino.tap_button("Aloitan")
    await _answer(aino, instruments["fi"], [4, 4, 5, 3, 4, 5, 4, 3, 4, 4])
    await aino.tap_button("Lähetä vastaukset")
    await aino.tap_button("Poista viestit")

    erik = box.emulator.user(102, "Erik", language_code="sv")
    await erik.send_text("/start")
    await erik.send_text(session.short_code)
    await erik.tap_button("Jag börjar")
    await _answer(erik, instruments["sv"], [3, 2])
    await erik.tap_button("Tillbaka")
    await _answer(erik, instruments["sv"], [3, 3, 2, 4, 3, 3, 2, 3, 3])
    await erik.tap_button("Skicka svaren")
    await erik.tap_button("Behåll meddelandena")

    sam = box.emulator.user(103, "Sam", language_code="en")
    await sam.open_link(box.link(session))
    await sam.tap_button("Start")
    await _answer(sam, instruments["en"], [5, 4, 4])
    await sam.send_text("2")
    await sam.send_sticker()
    await sam.tap_button("Pause")
    await sam.send_text("/continue")
    await _answer(sam, instruments["en"], [4, 4, 3, 4, 5, 4])
    await sam.tap_button("Send answers")
    await sam.tap_button("Keep them")

    lea = box.emulator.user(104, "Lea", language_code="fi")
    await lea.open_link(box.link(session))
    await lea.tap_button("En halua vastata")

    counts = await box.services.repo.counts(session.id)
    footer = [
        "",
        f"Stored: {counts.complete} complete answer sets, {counts.in_progress} in progress.",
        "No Telegram id, name or time of day is stored with them.",
    ]
    return "\n".join([*header, box.emulator.transcript(), *footer])


async def run_demo() -> str:
    """Run the scripted session and return its transcript."""
    with tempfile.TemporaryDirectory(prefix="checkin-demo-") as folder:
        async with Sandbox(Path(folder)) as box:
            return await _script(box)
