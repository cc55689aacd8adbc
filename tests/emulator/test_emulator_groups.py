"""Group chats: the bot joins when someone adds it, and hears what Telegram lets through."""

from __future__ import annotations

import datetime as dtm
from typing import TYPE_CHECKING

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.dev.emulator import BotAPIEmulator, SimGroup
from bot.dev.emulator.media import tiny_png
from tests.emulator.test_emulator_http import call

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from tests.emulator.conftest import EchoApp

GROUP_ID = -1001234567890


async def _greet(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    member = update.my_chat_member
    assert member is not None
    if member.new_chat_member.status == "member":
        await context.bot.send_message(member.chat.id, "Hei ryhmä! Kirjoita /tulokset.")


async def _results(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Päivitä", callback_data="refresh")]])
    await message.reply_text(f"Vastauksia: 7 ({message.chat.type})", reply_markup=keyboard)
    await message.reply_photo(tiny_png(4, 4), caption="kaavio")


async def _heard(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(f"kuulin: {message.text}")


async def _refresh(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Päivitetty")


@pytest.fixture
async def group_app(emu: BotAPIEmulator) -> AsyncIterator[EchoApp]:
    """A real PTB bot that greets a group it is added to and answers /tulokset there."""
    app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(ChatMemberHandler(_greet, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CommandHandler("tulokset", _results, filters=filters.ChatType.GROUPS))
    app.add_handler(MessageHandler(filters.TEXT, _heard))
    app.add_handler(CallbackQueryHandler(_refresh))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0.0,
            timeout=dtm.timedelta(seconds=5),
            allowed_updates=["message", "callback_query", "my_chat_member"],
        )
        yield app
        await app.updater.stop()
        await app.stop()


@pytest.fixture
def kotka(emu: BotAPIEmulator) -> SimGroup:
    return emu.group(GROUP_ID, "Avoin työhuone Kotka")


async def test_added_bot_greets_and_answers_a_command_addressed_to_it(
    emu: BotAPIEmulator, group_app: EchoApp, kotka: SimGroup
) -> None:
    leader = emu.user(2001, "Ohjaaja", language_code="fi")
    emu.add_bot_to_group(kotka, by=leader)
    await emu.settle()
    assert kotka.bot_is_member
    assert kotka.last_bot_message().text == "Hei ryhmä! Kirjoita /tulokset."

    await kotka.send_text(leader, "/tulokset@checkin_test_bot")
    texts = [(m.sender, m.kind, m.text) for m in kotka.messages]
    assert texts == [
        ("bot", "text", "Hei ryhmä! Kirjoita /tulokset."),
        ("user", "text", "/tulokset@checkin_test_bot"),
        ("bot", "text", "Vastauksia: 7 (supergroup)"),
        ("bot", "photo", "kaavio"),
    ]
    assert kotka.bot_messages()[1].button_texts == ["Päivitä"]
    # Nothing of this lands in the leader's private chat with the bot.
    assert leader.messages == []

    await kotka.tap(leader, kotka.bot_messages()[1].message_id, "refresh")
    assert [a.text for a in kotka.callback_answers] == ["Päivitetty"]
    emu.assert_no_violations()
    transcript = emu.transcript(kotka)
    assert "Ohjaaja in Avoin työhuone Kotka › /tulokset@checkin_test_bot" in transcript  # noqa: RUF001
    assert "bot → Avoin työhuone Kotka (group): Vastauksia: 7 (supergroup)" in transcript
    assert "Ohjaaja in Avoin työhuone Kotka taps [ Päivitä ]" in transcript


async def test_privacy_mode_lets_only_commands_for_this_bot_through(
    emu: BotAPIEmulator, group_app: EchoApp, kotka: SimGroup
) -> None:
    aino = emu.user(1001, "Aino")
    emu.add_bot_to_group(kotka, by=aino)
    await emu.settle()
    await kotka.send_text(aino, "moi kaikki")
    await kotka.send_text(aino, "/tulokset@some_other_bot")
    assert emu.pending_updates() == 0
    assert len(kotka.bot_messages()) == 1  # only the greeting
    await kotka.send_text(aino, "/tulokset")  # a bare command reaches the only bot present
    assert kotka.last_bot_message().kind == "photo"
    transcript = emu.transcript(kotka)
    assert "(the bot does not get this: privacy mode: the bot gets only commands)" in transcript
    assert "(the bot does not get this: privacy mode: the command is for @some_other_bot)" in (
        transcript
    )
    emu.assert_no_violations()


async def test_without_privacy_mode_the_bot_hears_everything() -> None:
    async with BotAPIEmulator(quiet_period=0.03, group_privacy=False) as emu:
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
        app.add_handler(MessageHandler(filters.TEXT, _heard))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(timeout=dtm.timedelta(seconds=5))
            group = emu.group(-42, "Vertaisryhmä")
            aino = emu.user(1001, "Aino")
            emu.add_bot_to_group(group, by=aino)
            await group.send_text(aino, "moi kaikki")
            assert group.last_bot_message().text == "kuulin: moi kaikki"
            await app.updater.stop()
            await app.stop()
        async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as http:
            _, me = await call(http, "getMe")
        assert me["can_read_all_group_messages"] is True


async def test_group_kinds_follow_telegram_ids(emu: BotAPIEmulator) -> None:
    assert emu.group(-1001, "Iso").chat.chat["type"] == "group"
    assert emu.group(-1009999999999, "Superryhmä").chat.chat["type"] == "supergroup"
    assert emu.group(-7, "Pieni", supergroup=True).chat.chat["type"] == "supergroup"
    assert emu.group(-7, "Toinen nimi").title == "Pieni"  # the same group on second use
    with pytest.raises(ValueError, match="negative"):
        emu.group(5, "Ei ryhmä")


async def test_updates_have_telegrams_shapes(
    emu: BotAPIEmulator, http: httpx.AsyncClient, kotka: SimGroup
) -> None:
    aino = emu.user(1001, "Aino", username="aino_k")
    emu.add_bot_to_group(kotka, by=aino)
    await kotka.send_text(aino, "/tulokset@checkin_test_bot viikko", settle=False)
    _, updates = await call(http, "getUpdates")
    for update in updates:
        assert emu.spec.check_value(update, ("Update",), "") == []
    member, command = updates[0]["my_chat_member"], updates[1]["message"]
    assert member["chat"] == {
        "id": GROUP_ID,
        "type": "supergroup",
        "title": "Avoin työhuone Kotka",
    }
    assert member["from"]["username"] == "aino_k"
    assert member["old_chat_member"]["status"] == "left"
    assert member["new_chat_member"] == {"status": "member", "user": emu.bot_user}
    assert command["from"]["id"] == 1001
    assert command["chat"]["type"] == "supergroup"
    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 26}]
    assert emu.violations == []


async def test_sending_to_a_group_the_bot_was_never_in_is_chat_not_found(
    emu: BotAPIEmulator, http: httpx.AsyncClient, kotka: SimGroup
) -> None:
    aino = emu.user(1001, "Aino")
    await kotka.send_text(aino, "/tulokset", settle=False)  # the bot is not there to hear it
    assert emu.pending_updates() == 0
    status, body = await call(http, "sendMessage", chat_id=GROUP_ID, text="hei")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    status, body = await call(http, "sendMessage", chat_id=-555, text="hei")
    assert status == 400
    assert [v.reason for v in emu.violations] == ["chat not found", "chat not found"]


async def test_a_removed_bot_gets_forbidden_which_is_no_violation(
    emu: BotAPIEmulator, http: httpx.AsyncClient, kotka: SimGroup
) -> None:
    aino = emu.user(1001, "Aino")
    emu.add_bot_to_group(kotka, by=aino)
    status, sent = await call(http, "sendMessage", chat_id=GROUP_ID, text="hei")
    assert status == 200
    assert sent["chat"]["id"] == GROUP_ID
    emu.remove_bot_from_group(kotka, by=aino)
    assert not kotka.bot_is_member
    status, body = await call(http, "sendMessage", chat_id=GROUP_ID, text="hei taas")
    assert (status, body["description"]) == (403, "Forbidden: bot was kicked from the group chat")
    status, _ = await call(http, "deleteMessage", chat_id=GROUP_ID, message_id=1)
    assert status == 403
    _, updates = await call(http, "getUpdates")
    assert updates[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    assert emu.violations == []


async def test_group_wait_for_message(
    emu: BotAPIEmulator, group_app: EchoApp, kotka: SimGroup
) -> None:
    aino = emu.user(1001, "Aino")
    with pytest.raises(ValueError, match="nothing has reached the bot"):
        await kotka.wait_for_message()
    emu.add_bot_to_group(kotka, by=aino)
    await emu.settle()
    await kotka.send_text(aino, "/tulokset", settle=False)
    reply = await kotka.wait_for_message(buttons=True)
    assert reply.message is not None
    assert reply.message.text == "Vastauksia: 7 (supergroup)"
    assert reply.latency > 0
    await emu.settle()
