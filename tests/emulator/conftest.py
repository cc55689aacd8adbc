"""Fixtures: a running emulator, a person who has started the bot, and a real PTB echo bot."""

from __future__ import annotations

import datetime as dtm
import os
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.dev.emulator import BotAPIEmulator, SimUser
from bot.dev.emulator.media import tiny_png

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

os.environ.setdefault("PTB_TIMEDELTA", "true")

EchoApp = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator(quiet_period=0.03, settle_timeout=5.0) as emulator:
        yield emulator


@pytest.fixture
async def http(emu: BotAPIEmulator) -> AsyncIterator[httpx.AsyncClient]:
    """A raw HTTP client whose base URL already carries the right token."""
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as client:
        yield client


@pytest.fixture
def aino(emu: BotAPIEmulator) -> SimUser:
    """A person who has written to the bot once, so the bot may write to her."""
    person = emu.user(1001, "Aino", language_code="fi")
    person.started = True
    return person


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    assert update.effective_user is not None
    payload = " ".join(context.args or []) or "-"
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Aloitan", callback_data="begin")],
            [InlineKeyboardButton("En halua", callback_data="decline")],
        ]
    )
    await update.effective_message.reply_text(
        f"Tervetuloa, {update.effective_user.first_name}! Koodi: {payload}",
        reply_markup=keyboard,
    )


async def _echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def _photo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_photo(
        tiny_png(8, 6), caption="<b>kuva</b>", parse_mode="HTML"
    )


async def _other(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    kind = "sticker" if message.sticker else "voice" if message.voice else "something"
    await message.reply_text(f"got a {kind}")


async def _tap(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    if query.data == "begin":
        await query.answer("Aloitetaan!")
        await query.edit_message_text("Kysymys 1/2", reply_markup=None)
    else:
        await query.answer("Tuntematon nappi", show_alert=True)


@pytest.fixture
async def echo_app(emu: BotAPIEmulator) -> AsyncIterator[EchoApp]:
    """A real python-telegram-bot Application, long-polling the emulator."""
    app = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    app.add_handler(MessageHandler(filters.PHOTO, _photo))
    app.add_handler(MessageHandler(filters.Sticker.ALL | filters.VOICE, _other))
    app.add_handler(CallbackQueryHandler(_tap))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=dtm.timedelta(seconds=5))
        yield app
        await app.updater.stop()
        await app.stop()
