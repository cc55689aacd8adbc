"""The emulator driven by a real python-telegram-bot Application and its polling loop."""

from __future__ import annotations

import datetime as dtm
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters

from bot.dev.emulator import BotAPIEmulator, SettleTimeoutError, SimUser
from bot.dev.emulator.media import PNG_SIGNATURE

EchoApp = Application[Any, Any, Any, Any, Any, Any]

TRANSCRIPT = """\
Aino opens https://t.me/checkin_test_bot?start=3kPq-x_9
Aino › /start 3kPq-x_9
bot → Aino: Tervetuloa, Aino! Koodi: 3kPq-x_9
        [ Aloitan ]
        [ En halua ]
Aino taps [ Aloitan ]
bot shows Aino a notice: Aloitetaan!
bot edits message 2 for Aino: Kysymys 1/2
"""  # noqa: RUF001 - a person's message is marked with an angle quote


async def test_start_link_tap_and_transcript(emu: BotAPIEmulator, echo_app: EchoApp) -> None:
    aino = emu.user(1001, "Aino", language_code="fi")
    await aino.open_link("https://t.me/checkin_test_bot?start=3kPq-x_9")
    reply = aino.last_bot_message()
    assert reply.text == "Tervetuloa, Aino! Koodi: 3kPq-x_9"
    assert reply.button_texts == ["Aloitan", "En halua"]
    assert [b.callback_data for b in aino.live_buttons()] == ["begin", "decline"]

    await aino.tap_button("Aloitan")
    assert [(m.message_id, m.sender, m.text) for m in aino.messages] == [
        (1, "user", "/start 3kPq-x_9"),
        (2, "bot", "Kysymys 1/2"),
    ]
    assert aino.messages[1].edited
    assert aino.live_buttons() == []
    assert [(a.text, a.show_alert, a.data) for a in aino.callback_answers] == [
        ("Aloitetaan!", False, "begin")
    ]
    assert emu.transcript() == TRANSCRIPT
    assert emu.transcript(aino) == TRANSCRIPT
    assert emu.transcript(4242) == ""
    assert [e.kind for e in emu.events][:3] == ["open_link", "user_message", "bot_message"]
    emu.assert_no_violations()
    assert emu.unanswered_callback_queries() == []
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= {c.method for c in emu.calls}


async def test_bad_start_link_is_a_violation_and_starts_without_payload(
    emu: BotAPIEmulator, echo_app: EchoApp
) -> None:
    aino = emu.user(1001, "Aino")
    await aino.open_link("https://t.me/checkin_test_bot?start=ei+käy")
    assert aino.last_bot_message().text == "Tervetuloa, Aino! Koodi: -"
    assert len(emu.violations) == 1
    assert emu.violations[0].method == "deep link"
    with pytest.raises(AssertionError, match="1 Bot API violation"):
        emu.assert_no_violations()
    assert await aino.open_link("https://t.me/some_other_bot?start=abc") is None
    assert len(emu.violations) == 2
    assert len(aino.messages) == 2


async def test_echo_photo_sticker_and_voice(emu: BotAPIEmulator, echo_app: EchoApp) -> None:
    aino = emu.user(1001, "Aino")
    await aino.send_text("hei vaan")
    assert aino.last_bot_message().text == "echo: hei vaan"
    sent = await aino.send_photo(caption="katso")
    assert sent.photo is not None
    assert sent.photo.startswith(PNG_SIGNATURE)
    reply = aino.last_bot_message()
    assert reply.kind == "photo"
    assert reply.text == "kuva"  # the HTML caption as the person sees it
    assert reply.photo is not None
    assert reply.photo.startswith(PNG_SIGNATURE)
    await aino.send_sticker()
    assert aino.last_bot_message().text == "got a sticker"
    await aino.send_voice(duration=3)
    assert aino.last_bot_message().text == "got a voice"
    assert [m.message_id for m in aino.messages] == list(range(1, 9))
    assert "bot → Aino: [photo " in emu.transcript()
    emu.assert_no_violations()


async def test_tap_button_by_substring_and_missing_button(
    emu: BotAPIEmulator, echo_app: EchoApp
) -> None:
    aino = emu.user(1001, "Aino")
    await aino.send_text("/start")
    with pytest.raises(AssertionError, match=r"no button matching 'Kyllä'.*\[ Aloitan \]"):
        await aino.tap_button("Kyllä")
    await aino.tap_button("halua", message=aino.last_bot_message())
    assert [(a.text, a.show_alert) for a in aino.callback_answers] == [("Tuntematon nappi", True)]
    assert "bot shows Aino an alert: Tuntematon nappi" in emu.transcript()


async def test_forged_and_stale_taps_reach_the_bot(emu: BotAPIEmulator, echo_app: EchoApp) -> None:
    aino = emu.user(1001, "Aino")
    await aino.send_text("/start")
    await aino.tap(2, "forged")
    await aino.tap(77, "stale")  # a message that never existed: an InaccessibleMessage
    assert [a.data for a in aino.callback_answers] == ["forged", "stale"]
    assert "Aino taps a button that is not there: data 'forged'" in emu.transcript()
    emu.assert_no_violations()


async def test_settle_says_what_is_pending_without_a_bot(emu: BotAPIEmulator) -> None:
    aino = emu.user(1001, "Aino")
    emu.settle_timeout = 0.2
    with pytest.raises(SettleTimeoutError, match="1 update\\(s\\) not fetched by getUpdates"):
        await aino.send_text("onko ketään?")


async def test_settle_waits_for_callback_answers(emu: BotAPIEmulator) -> None:
    aino = emu.user(1001, "Aino")
    query_id = await aino.tap(1, "x", settle=False)
    emu.inject_update({"message": {"message_id": 9, "date": 0, "chat": aino.chat.chat}})
    assert emu.pending_updates() == 2
    with pytest.raises(SettleTimeoutError, match=f"callback query {query_id} .* not answered"):
        await emu.settle(timeout=0.1)


async def test_a_restarted_bot_does_not_see_confirmed_updates(emu: BotAPIEmulator) -> None:
    aino = emu.user(1001, "Aino")
    seen: list[str] = []

    async def record(update: Any, _context: Any) -> None:
        seen.append(update.effective_message.text)
        await update.effective_message.reply_text("ok")

    for text in ("eka", "toka"):
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
        app.add_handler(MessageHandler(filters.TEXT, record))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(timeout=dtm.timedelta(seconds=5))
            await aino.send_text(text)
            await app.updater.stop()
            await app.stop()
    assert seen == ["eka", "toka"]
    assert emu.pending_updates() == 0
    emu.assert_no_violations()


async def test_ptb_bot_client_parses_every_answer(emu: BotAPIEmulator, aino: SimUser) -> None:
    async with Bot(emu.token, base_url=emu.base_url) as bot:
        assert bot.username == "checkin_test_bot"
        scope = BotCommandScopeAllPrivateChats()
        commands = [BotCommand("start", "Aloita"), BotCommand("help", "Apua")]
        assert await bot.set_my_commands(commands, scope=scope, language_code="fi")
        got = await bot.get_my_commands(scope=scope, language_code="fi")
        assert [c.command for c in got] == ["start", "help"]
        assert await bot.set_my_description("Kuvaus")
        assert await bot.set_my_short_description("Lyhyt")
        assert await bot.send_chat_action(aino.id, "typing")
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
        sent = await bot.send_message(aino.id, "Hei", reply_markup=keyboard)
        assert sent.reply_markup == keyboard
        edited = await bot.edit_message_text("Moi", chat_id=aino.id, message_id=sent.message_id)
        assert not isinstance(edited, bool)
        assert edited.text == "Moi"
        assert await bot.delete_messages(aino.id, [sent.message_id, 999])
        assert await bot.delete_my_commands(scope=scope, language_code="fi")
        assert await bot.get_webhook_info()
        too_long = InlineKeyboardMarkup([[InlineKeyboardButton("B", callback_data="ö" * 33)]])
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(aino.id, "x", reply_markup=too_long)
        aino.block()
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(aino.id, "x")
    assert len(emu.violations) == 1
    assert "bot sets its commands (all_private_chats, fi): /start, /help" in emu.transcript()
