"""`checkin-bot demo`: a scripted group check-in against the local emulator, as a transcript.

The real bot runs with a throwaway database: a coordinator invites a facilitator, who creates a
session; simulated people join it by link and by typed code, in Finnish, Swedish, English and
Arabic, and the conversation is printed as they would see it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.core.codes import SHORT_CODE_PATTERN
from bot.core.instrument import Instrument
from bot.dev.emulator import SimUser
from bot.dev.emulator.transcript import render
from bot.dev.sandbox import Sandbox

COORDINATOR = 200


async def _answer(person: SimUser, instrument: Instrument, values: list[int]) -> None:
    for value in values:
        await person.press(instrument.options[value - 1])


def _found(pattern: str, text: str | None) -> str:
    match = re.search(pattern, text or "")
    assert match, f"the demo expected {pattern!r} in {text!r}"
    return match[1]


async def _facilitator_creates_a_session(box: Sandbox) -> tuple[str, str]:
    """A coordinator invites Marja; she starts a session. Returns its link and code."""
    kaija = box.emulator.user(COORDINATOR, "Kaija (coordinator)", language_code="fi")
    await kaija.send_text("/invite")
    invitation = _found(r"(https://t\.me/\S+)", kaija.last_bot_message().text)
    marja = box.emulator.user(201, "Marja (facilitator)", language_code="fi")
    await marja.open_link(invitation)
    await marja.send_text("Marja")
    await marja.tap_button("Ymmärrän")
    await marja.send_text("/new")
    await marja.tap_button("Uusi toiminta")
    await marja.send_text("Avoin työhuone, Kotka")
    await marja.send_text("Tiistai 24.11.")
    await marja.tap_button("Toiminnan alku")
    await marja.tap_button("Suomi")  # the language everyone who joins starts in
    created = next(m.text for m in marja.bot_messages() if m.text and "https://t.me/" in m.text)
    return _found(r"(https://t\.me/\S+)", created), _found(rf": ({SHORT_CODE_PATTERN})\b", created)


async def _script(box: Sandbox) -> None:
    link, code = await _facilitator_creates_a_session(box)
    instruments = box.services.instruments

    aino = box.emulator.user(101, "Aino", language_code="fi")
    await aino.open_link(link)
    await aino.tap_button("Aloitan")
    await _answer(aino, instruments["fi"], [4, 4, 5, 3, 4, 5, 4, 3, 4, 4])
    await aino.tap_button("Lähetä vastaukset")
    await aino.tap_button("Poista viestit")

    erik = box.emulator.user(102, "Erik", language_code="sv")
    await erik.send_text("/start")
    await erik.send_text(code)
    await erik.tap_button("Svenska")  # the session is in Finnish: Erik switches on the consent
    await erik.tap_button("Jag börjar")
    await _answer(erik, instruments["sv"], [3, 2])
    await erik.press("Tillbaka")
    await _answer(erik, instruments["sv"], [3, 3, 2, 4, 3, 3, 2, 3, 3])
    await erik.tap_button("Skicka svaren")
    await erik.tap_button("Behåll meddelandena")

    sam = box.emulator.user(103, "Sam", language_code="en")
    await sam.open_link(link)
    await sam.tap_button("English")
    await sam.tap_button("Start")
    await _answer(sam, instruments["en"], [5, 4, 4])
    await sam.send_text("2")
    await sam.send_sticker()
    await sam.press("Pause")
    await sam.send_text("/continue")
    await _answer(sam, instruments["en"], [4, 4, 3, 4, 5, 4])
    await sam.tap_button("Send answers")
    await sam.tap_button("Keep them")

    # Layla reads Arabic: the session is in Finnish, so she taps her language on the consent;
    # the bot then writes to her in Arabic and shows the statements in their provisional
    # Arabic translation. She types some answers with Arabic-Indic digits.
    layla = box.emulator.user(105, "Layla", language_code="ar")
    await layla.open_link(link)
    await layla.tap_button("العربية")
    await layla.tap_button("أبدأ")
    await _answer(layla, instruments["ar"], [4, 5, 4, 4, 3])
    for digit in "٤٥٣٤٤":  # 4 5 3 4 4, as an Arabic keyboard writes them
        await layla.send_text(digit)
    await layla.tap_button("إرسال الإجابات")
    await layla.tap_button("الاحتفاظ بها")

    lea = box.emulator.user(104, "Lea", language_code="fi")
    await lea.open_link(link)
    await lea.tap_button("En halua vastata")

    await box.emulator.settle()
    marja = box.emulator.user(201, "Marja (facilitator)")
    await marja.send_text("/sessions")


FOOTER = (
    "\n"
    "What is stored: the complete answer sets, with no Telegram id, name or time of day.\n"
    "Marja sees how many answered, never who or what.\n"
)


async def run_demo(show: Callable[[str], object]) -> None:
    """Run the scripted session, passing its transcript to `show` piece by piece as it
    happens, so the first lines appear at once."""
    with tempfile.TemporaryDirectory(prefix="checkin-demo-") as folder:
        box = Sandbox(Path(folder), coordinators=frozenset({COORDINATOR}))
        box.emulator.listeners.append(lambda event: show(render([event])))
        async with box:
            await _script(box)
    show(FOOTER)
