"""Many people at once, each waiting only for the bot's reply in their own chat."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bot.dev.emulator import BotAPIEmulator, ReplyTimeoutError
from tests.emulator.conftest import EchoApp
from tests.emulator.test_emulator_http import call


async def test_two_hundred_people_each_get_their_own_reply(
    emu: BotAPIEmulator, echo_app: EchoApp
) -> None:
    # The echo bot does not pace itself: 200 replies at once are over Telegram's ceiling.
    emu.flood = None
    people = [emu.user(5000 + n, f"P{n}", language_code="fi") for n in range(200)]

    async def join(n: int) -> float:
        person = people[n]
        await person.open_link(f"https://t.me/checkin_test_bot?start=code{n}", settle=False)
        reply = await person.wait_for_message(buttons=True, timeout=20)
        assert reply.message is not None
        assert reply.message.text == f"Tervetuloa, P{n}! Koodi: code{n}"
        assert reply.calls == 1
        return reply.latency

    latencies = await asyncio.gather(*(join(n) for n in range(200)))
    assert all(0 < latency < 20 for latency in latencies)
    assert all(len(p.replies) == 1 for p in people)
    emu.assert_no_violations()


async def test_a_reply_that_is_only_an_edit_and_a_toast(
    emu: BotAPIEmulator, echo_app: EchoApp
) -> None:
    aino = emu.user(1001, "Aino")
    await aino.send_text("/start")
    await aino.tap_button("Aloitan", settle=False)
    reply = await aino.wait_for_reply(quiet=0.02)
    assert reply.message is None  # no new message: the bot answered the tap and edited
    assert reply.calls == 2
    assert aino.messages[-1].text == "Kysymys 1/2"
    assert aino.callback_answers[-1].text == "Aloitetaan!"
    assert 0 < reply.latency < 5


async def test_waiting_for_buttons_skips_a_message_without_them(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    aino = emu.user(1001, "Aino")
    await aino.send_text("/start", settle=False)
    await call(http, "sendMessage", chat_id=aino.id, text="Johdanto")
    waiting = asyncio.create_task(aino.wait_for_message(buttons=True))
    await asyncio.sleep(0.02)
    assert not waiting.done()
    keyboard = {"inline_keyboard": [[{"text": "1", "callback_data": "a1"}]]}
    await call(http, "sendMessage", chat_id=aino.id, text="1/10", reply_markup=keyboard)
    reply = await waiting
    assert reply.message is not None
    assert reply.message.text == "1/10"
    assert reply.calls == 2
    plain = await aino.wait_for_message()
    assert plain.message is not None
    assert plain.message.text == "Johdanto"


async def test_another_persons_reply_does_not_count(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    aino, bea = emu.user(1001, "Aino"), emu.user(1002, "Bea")
    await aino.send_text("hei", settle=False)
    await bea.send_text("hei", settle=False)
    await call(http, "sendMessage", chat_id=bea.id, text="vain Bealle")
    assert (await bea.wait_for_reply(timeout=1)).calls == 1
    started = time.monotonic()
    with pytest.raises(ReplyTimeoutError, match=r"Aino got no reply from the bot within 0.1 s"):
        await aino.wait_for_reply(timeout=0.1)
    assert time.monotonic() - started < 1
    with pytest.raises(ReplyTimeoutError, match=r"no message with buttons .*\(0 bot call"):
        await aino.wait_for_message(buttons=True, timeout=0.05)


async def test_quiet_waits_for_the_last_call_of_a_burst(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    aino = emu.user(1001, "Aino")
    await aino.send_text("hei", settle=False)
    waiting = asyncio.create_task(aino.wait_for_reply(quiet=0.1))
    await call(http, "sendMessage", chat_id=aino.id, text="eka")
    await asyncio.sleep(0.03)
    await call(http, "sendMessage", chat_id=aino.id, text="toka")
    reply = await waiting
    assert reply.calls == 2
    assert reply.message is not None
    assert reply.message.text == "eka"  # the first new message; the reply took both
    assert reply.latency >= 0.03


async def test_an_explicit_mark_and_nothing_to_wait_for(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    aino = emu.user(1001, "Aino")
    with pytest.raises(ValueError, match="has not done anything"):
        await aino.wait_for_reply()
    aino.started = True
    await call(http, "sendMessage", chat_id=aino.id, text="vanha")
    mark = aino.mark()
    await call(http, "sendMessage", chat_id=aino.id, text="uusi")
    reply = await aino.wait_for_message(since=mark)
    assert reply.message is not None
    assert reply.message.text == "uusi"


async def test_confirming_a_long_queue_keeps_the_rest(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    people = [emu.user(9000 + n, f"P{n}") for n in range(250)]
    for person in people:
        await person.send_text("hei", settle=False)
    _, first = await call(http, "getUpdates", limit=100)
    assert len(first) == 100
    _, second = await call(http, "getUpdates", offset=first[-1]["update_id"] + 1, limit=100)
    assert second[0]["update_id"] == first[-1]["update_id"] + 1
    assert emu.pending_updates() == 150
    _, last = await call(http, "getUpdates", offset=-1)
    assert [u["message"]["chat"]["id"] for u in last] == [people[-1].id]
    assert emu.pending_updates() == 1
