"""The same minimal check-in bot written with aiogram 3, the other common framework.

The second baseline of ``bench/load.py``: the flow of checkin-bot (``/start <code>``, a consent
with "Aloitan", the ten statements one message each with five buttons, a review with "Lähetä
vastaukset", thanks) the way aiogram's documentation builds one: a Router, an FSM with the
default in-memory storage, the default aiohttp session and polling, and the finished set
written to SQLite with the standard library.

aiogram pins pydantic below 2.14, which checkin-bot's environment has, so it lives in its own
virtual environment (see bench/README.md)::

    BOT_TOKEN=123456:ABC BOT_API_BASE_URL=http://127.0.0.1:8081/bot \\
    BOT_DATABASE=/tmp/aiogram.sqlite3 \\
    bench/baselines/.venv/bin/python bench/baselines/aiogram_bot.py
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tomllib
from pathlib import Path

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

INSTRUMENT = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "bot" / "instruments" / "fi.toml").read_text("utf-8")
)
STATEMENTS: list[str] = INSTRUMENT["statements"]
OPTIONS: list[str] = INSTRUMENT["options"]
CONSENT_TEXT = (
    "Kysely: {code}\n\nSaat 10 väittämää omasta elämästäsi. Vastaaminen on vapaaehtoista, "
    "ja vain valmiit vastaukset tallennetaan. Voit lopettaa milloin tahansa komennolla /stop."
)
INTRODUCTION = f"{INSTRUMENT['main_question']}\n\n{INSTRUMENT['guiding_sentence']}"
THANKS = "Kiitos! Vastauksesi on tallennettu."

logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
# aiogram logs every handled update at INFO; a tutorial bot keeps that, but at 400 updates a
# second it measures the log writer, not the framework.
logging.getLogger("aiogram.event").setLevel(logging.WARNING)

database = sqlite3.connect(os.environ.get("BOT_DATABASE", "aiogram.sqlite3"))
database.execute(
    "CREATE TABLE IF NOT EXISTS answer_set (code TEXT NOT NULL, "
    + ", ".join(f"a{n} INTEGER NOT NULL" for n in range(1, 11))
    + ")"
)
router = Router()


class CheckIn(StatesGroup):
    """Where the person is in the check-in."""

    consent = State()
    answering = State()
    review = State()


def statement_text(item: int) -> str:
    """The statement as checkin-bot shows it: its number, then its words."""
    return f"{item + 1}/10\n{STATEMENTS[item]}"


async def ask(message: Message, item: int) -> None:
    """Send one statement with its five options, one button per row."""
    keyboard = [
        [InlineKeyboardButton(text=o, callback_data=str(n))] for n, o in enumerate(OPTIONS, 1)
    ]
    await message.answer(
        statement_text(item), reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard)
    )


@router.message(CommandStart())
async def start(message: Message, command: CommandObject, state: FSMContext) -> None:
    """Show the consent for the session in the link."""
    code = command.args or ""
    await state.set_state(CheckIn.consent)
    await state.set_data({"code": code})
    keyboard = [
        [InlineKeyboardButton(text="Aloitan", callback_data="join")],
        [InlineKeyboardButton(text="En halua vastata", callback_data="decline")],
    ]
    await message.answer(
        CONSENT_TEXT.format(code=code),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard),
    )


@router.callback_query(CheckIn.consent, F.data.in_({"join", "decline"}))
async def consent(query: CallbackQuery, state: FSMContext) -> None:
    """Start answering, or stop if the person said no."""
    assert isinstance(query.message, Message)
    await query.answer()
    if query.data == "decline":
        await state.clear()
        await query.message.edit_text("Selvä. Mitään ei tallennettu.")
        return
    await query.message.edit_reply_markup(reply_markup=None)
    await state.update_data(answers=[])
    await state.set_state(CheckIn.answering)
    await query.message.answer(INTRODUCTION)
    await ask(query.message, 0)


@router.callback_query(CheckIn.answering, F.data.in_({"1", "2", "3", "4", "5"}))
async def answer(query: CallbackQuery, state: FSMContext) -> None:
    """Keep the answer, show it in place of the buttons, and ask the next statement."""
    assert isinstance(query.message, Message)
    await query.answer()
    data = await state.get_data()
    answers: list[int] = [*data["answers"], int(query.data or "0")]
    await state.update_data(answers=answers)
    item = len(answers) - 1
    await query.message.edit_text(
        f"{statement_text(item)}\n\nVastasit: {OPTIONS[answers[-1] - 1]}"
    )
    if len(answers) < len(STATEMENTS):
        await ask(query.message, len(answers))
        return
    await state.set_state(CheckIn.review)
    lines = [f"{n}. {OPTIONS[v - 1]}" for n, v in enumerate(answers, 1)]
    keyboard = [[InlineKeyboardButton(text="Lähetä vastaukset", callback_data="send")]]
    await query.message.answer(
        "Tarkista vastauksesi:\n\n" + "\n".join(lines),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard),
    )


@router.callback_query(CheckIn.review, F.data == "send")
async def send(query: CallbackQuery, state: FSMContext) -> None:
    """Store the complete set and thank the person."""
    assert isinstance(query.message, Message)
    await query.answer()
    data = await state.get_data()
    database.execute(
        "INSERT INTO answer_set VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (data["code"], *data["answers"]),
    )
    database.commit()
    await state.clear()
    await query.message.edit_text("Vastaukset lähetetty.")
    await query.message.answer(THANKS)


@router.message(Command("stop"))
async def stop(message: Message, state: FSMContext) -> None:
    """/stop: forget the unfinished answers."""
    await state.clear()
    await message.answer("Lopetettu. Mitään ei tallennettu.")


def main() -> None:
    """Poll until stopped, as aiogram's quick start does."""
    base = os.environ.get("BOT_API_BASE_URL", "https://api.telegram.org/bot")
    # aiogram wants the server's root; python-telegram-bot's form ends in /bot.
    server = TelegramAPIServer.from_base(base.removesuffix("/bot"))
    bot = Bot(os.environ["BOT_TOKEN"], session=AiohttpSession(api=server))
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    dispatcher.run_polling(bot)


if __name__ == "__main__":
    main()
