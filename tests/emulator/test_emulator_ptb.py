"""The emulator driven by a real python-telegram-bot Application and its polling loop."""

from __future__ import annotations

from bot.emulator import BotAPIEmulator
from tests.emulator.conftest import EchoApp


async def test_start_link_and_tap(emu: BotAPIEmulator, echo_app: EchoApp) -> None:
    aino = emu.user(1001, "Aino", language_code="fi")
    await aino.open_link("https://t.me/checkin_test_bot?start=3kPq-x_9")
    reply = aino.last_bot_message()
    assert reply.text == "Tervetuloa, Aino! Koodi: 3kPq-x_9"
    assert reply.button_texts == ["Aloitan", "En halua"]
    await aino.tap_button("Aloitan")
    print(emu.transcript())
    emu.assert_no_violations()
