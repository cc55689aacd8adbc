"""Telegram's flood control in the emulator: 429 with retry_after past the limits."""

from __future__ import annotations

import httpx

from bot.dev.emulator import BotAPIEmulator, SimUser
from bot.dev.emulator.flood import FloodControl
from bot.tg.limits import FloodLimits, Limit
from tests.emulator.test_emulator_http import call


async def test_a_chat_takes_a_short_burst_then_gets_retry_after(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    statuses = [
        (await call(http, "sendMessage", chat_id=aino.id, text=f"{n}"))[0] for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    status, body = await call(http, "sendMessage", chat_id=aino.id, text="taas")
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    assert body["description"] == "Too Many Requests: retry after 1"
    # Refusals are no violations (a correct bot meets them) and leave the chat as it was.
    assert emu.violations == []
    assert [m.text for m in aino.bot_messages()] == [f"{n}" for n in range(5)]
    assert emu.flood is not None
    assert emu.flood.refused == 2
    # Edits count; answers to taps, settings and deletions do not.
    _, sent = await call(http, "getMe")
    assert sent["username"] == emu.bot_username
    status, _ = await call(http, "editMessageText", chat_id=aino.id, message_id=2, text="x")
    assert status == 429
    status, _ = await call(http, "deleteMessage", chat_id=aino.id, message_id=2)
    assert status == 200


def test_the_bot_as_a_whole_gets_thirty_a_second_and_a_group_twenty_a_minute() -> None:
    flood = FloodControl()
    sent = [flood.check("sendMessage", {"chat_id": n}, 0.0) for n in range(1, 32)]
    assert sent == [None] * 30 + [1]
    # A thirtieth of a second later one more may go, to any chat.
    assert flood.check("sendMessage", {"chat_id": 99}, 1 / 30) is None
    group = [flood.check("sendMessage", {"chat_id": -5}, 10.0) for _ in range(6)]
    assert group == [None] * 5 + [3]  # a token every three seconds
    assert flood.check("answerCallbackQuery", {"chat_id": -5}, 10.0) is None
    assert flood.check("sendChatAction", {"chat_id": -5}, 10.0) is None
    assert flood.refused == 2


def test_limits_can_be_set_or_switched_off() -> None:
    strict = FloodControl(FloodLimits(overall=Limit(1, 1)))
    assert strict.check("sendMessage", {"chat_id": 1}, 0.0) is None
    assert strict.check("sendMessage", {"chat_id": 2}, 0.0) == 1
    assert BotAPIEmulator(flood_limits=None).flood is None
