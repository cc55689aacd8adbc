"""A minimal check-in bot written the way python-telegram-bot's tutorials write bots.

It is the first baseline of ``bench/load.py``: the same flow as checkin-bot (``/start <code>``,
a consent with "Aloitan", the ten statements one message each with five buttons, a review with
"Lähetä vastaukset", thanks) built from the tutorial's parts and nothing else: one
ConversationHandler, answers in ``context.user_data``, the library's default HTTP client and
update processing, and the finished set written to SQLite with the standard library.

Run it (the load driver does)::

    BOT_TOKEN=123456:ABC BOT_API_BASE_URL=http://127.0.0.1:8081/bot \\
    BOT_DATABASE=/tmp/ptb.sqlite3 python bench/baselines/ptb_tutorial_bot.py
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tomllib
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
)

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

CONSENT, ANSWERING, REVIEW = range(3)

logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
logging.getLogger("httpx").setLevel(logging.WARNING)

database = sqlite3.connect(os.environ.get("BOT_DATABASE", "ptb_tutorial.sqlite3"))
database.execute(
    "CREATE TABLE IF NOT EXISTS answer_set (code TEXT NOT NULL, "
    + ", ".join(f"a{n} INTEGER NOT NULL" for n in range(1, 11))
    + ")"
)


def statement_text(item: int) -> str:
    """The statement as checkin-bot shows it: its number, then its words."""
    return f"{item + 1}/10\n{STATEMENTS[item]}"


async def ask(message: Message, item: int) -> None:
    """Send one statement with its five options, one button per row."""
    keyboard = [[InlineKeyboardButton(o, callback_data=str(n))] for n, o in enumerate(OPTIONS, 1)]
    await message.reply_text(statement_text(item), reply_markup=InlineKeyboardMarkup(keyboard))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Show the consent for the session in the link."""
    assert update.message is not None
    assert context.user_data is not None
    context.user_data["code"] = context.args[0] if context.args else ""
    keyboard = [
        [InlineKeyboardButton("Aloitan", callback_data="join")],
        [InlineKeyboardButton("En halua vastata", callback_data="decline")],
    ]
    await update.message.reply_text(
        CONSENT_TEXT.format(code=context.user_data["code"]),
        reply_markup=InlineKeyboardMarkup(keyboard),
    )
    return CONSENT


async def consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Start answering, or stop if the person said no."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.message, Message)
    assert context.user_data is not None
    await query.answer()
    if query.data == "decline":
        await query.edit_message_text("Selvä. Mitään ei tallennettu.")
        return ConversationHandler.END
    await query.edit_message_reply_markup(None)
    context.user_data["answers"] = []
    await query.message.reply_text(INTRODUCTION)
    await ask(query.message, 0)
    return ANSWERING


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the answer, show it in place of the buttons, and ask the next statement."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.message, Message)
    assert context.user_data is not None
    await query.answer()
    answers: list[int] = context.user_data["answers"]
    item = len(answers)
    value = int(query.data or "0")
    answers.append(value)
    await query.edit_message_text(f"{statement_text(item)}\n\nVastasit: {OPTIONS[value - 1]}")
    if len(answers) < len(STATEMENTS):
        await ask(query.message, len(answers))
        return ANSWERING
    lines = [f"{n}. {OPTIONS[v - 1]}" for n, v in enumerate(answers, 1)]
    keyboard = [[InlineKeyboardButton("Lähetä vastaukset", callback_data="send")]]
    await query.message.reply_text(
        "Tarkista vastauksesi:\n\n" + "\n".join(lines),
        reply_markup=InlineKeyboardMarkup(keyboard),
    )
    return REVIEW


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Store the complete set and thank the person."""
    query = update.callback_query
    assert query is not None
    assert isinstance(query.message, Message)
    assert context.user_data is not None
    await query.answer()
    database.execute(
        "INSERT INTO answer_set VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (context.user_data["code"], *context.user_data["answers"]),
    )
    database.commit()
    await query.edit_message_text("Vastaukset lähetetty.")
    await query.message.reply_text(THANKS)
    context.user_data.clear()
    return ConversationHandler.END


async def stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/stop: forget the unfinished answers."""
    assert update.message is not None
    assert context.user_data is not None
    context.user_data.clear()
    await update.message.reply_text("Lopetettu. Mitään ei tallennettu.")
    return ConversationHandler.END


def main() -> None:
    """Build the Application as the tutorials do, and poll until stopped."""
    application = (
        Application.builder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ.get("BOT_API_BASE_URL", "https://api.telegram.org/bot"))
        .build()
    )
    conversation = ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={
            CONSENT: [CallbackQueryHandler(consent, pattern="^(join|decline)$")],
            ANSWERING: [CallbackQueryHandler(answer, pattern="^[1-5]$")],
            REVIEW: [CallbackQueryHandler(send, pattern="^send$")],
        },
        fallbacks=[CommandHandler("stop", stop)],
    )
    application.add_handler(conversation)
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
