"""Injected network faults: a held call that times out, a reset connection, redelivery."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from bot.dev.emulator import BotAPIEmulator, SimUser


async def send(http: httpx.AsyncClient, text: str, chat_id: int, **options: Any) -> httpx.Response:
    return await http.post("sendMessage", data={"chat_id": str(chat_id), "text": text}, **options)


async def test_a_held_call_that_times_out_is_never_carried_out(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    emu.fail_next("sendMessage", status=None, delay=0.5)
    with pytest.raises(httpx.ReadTimeout):
        await send(http, "hukassa", aino.id, timeout=0.1)
    await emu.settle()
    assert aino.bot_messages() == []
    assert [(c.status, c.description) for c in emu.calls_to("sendMessage")] == [
        (0, "held (injected)")
    ]
    response = await send(http, "perillä", aino.id)
    assert response.status_code == 200
    assert [m.text for m in aino.bot_messages()] == ["perillä"]
    assert emu.violations == []


async def test_a_held_call_is_answered_once_the_delay_is_over(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    emu.fail_next("sendMessage", status=None, delay=0.2)
    began = time.monotonic()
    response = await send(http, "hitaasti", aino.id)
    assert time.monotonic() - began >= 0.2
    assert response.status_code == 200
    assert [m.text for m in aino.bot_messages()] == ["hitaasti"]
    emu.fail_next("sendMessage", status=503, delay=0.1)
    response = await send(http, "ei mene", aino.id)
    assert (response.status_code, response.json()["description"]) == (503, "Service Unavailable")
    assert [c.status for c in emu.calls_to("sendMessage")] == [200, 503]


async def test_a_reset_connection_gets_no_answer_and_does_nothing(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    emu.fail_next("sendMessage", drop=True)
    with pytest.raises(httpx.TransportError):
        await send(http, "katkesi", aino.id)
    assert aino.bot_messages() == []
    assert (await send(http, "uudestaan", aino.id)).status_code == 200
    assert [m.text for m in aino.bot_messages()] == ["uudestaan"]
    assert [c.status for c in emu.calls_to("sendMessage")] == [0, 200]
    assert emu.violations == []
    await emu.settle()


async def test_unused_faults_can_be_cleared(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    emu.fail_next("sendMessage", status=500, count=5)
    emu.clear_faults()
    assert (await send(http, "selvä", aino.id)).status_code == 200


async def test_updates_not_confirmed_are_handed_out_again_and_counted(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    await aino.send_text("yksi", settle=False)
    await aino.send_text("kaksi", settle=False)

    async def fetch(**params: Any) -> list[dict[str, Any]]:
        form = {k: json.dumps(v) for k, v in params.items()}
        body = (await http.post("getUpdates", data=form)).json()
        return list(body["result"])

    first = await fetch(timeout=0)
    assert [u["message"]["text"] for u in first] == ["yksi", "kaksi"]
    assert emu.redelivered == 0
    # A bot killed before it confirmed them gets the same updates again when it restarts.
    again = await fetch(timeout=0)
    assert [u["update_id"] for u in again] == [u["update_id"] for u in first]
    assert emu.redelivered == 2
    assert await fetch(offset=first[-1]["update_id"] + 1, timeout=0) == []
    assert emu.redelivered == 2
