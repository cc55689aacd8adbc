"""The bot killed with SIGKILL and restarted: nothing acknowledged is lost, nothing doubles.

The bot runs as its own process against the emulator (see bench/crash.py, which makes the
longer run). The emulator keeps every update the bot has not confirmed and hands it out again
to the restarted bot, as Telegram does.
"""

import contextlib
import random
import secrets
import sqlite3
from pathlib import Path

from bench.crash import (
    OPTIONS,
    REVIEW_PROMPT,
    SEND_BUTTON,
    USERNAME,
    Answerer,
    CrashOptions,
    CrashReport,
    KillableBot,
    check_acknowledged,
    check_database,
    crash_run,
    until,
)
from bot.core.pseudonym import Pseudonyms
from bot.dev.emulator import BotAPIEmulator, SimUser
from bot.dev.emulator.formatting import FormattedText
from bot.storage.database import connect
from bot.ui import texts
from bot.ui.i18n import load_all
from tests.faults.support import stored


async def test_sigkill_at_random_moments_loses_and_doubles_nothing(tmp_path: Path) -> None:
    seed = random.randrange(1_000_000)
    report = await crash_run(CrashOptions.quick(seed), tmp_path)
    summary = "\n".join([*report.lines(), f"again: python bench/crash.py --quick --seed {seed}"])
    assert report.ok, summary
    assert report.kills_while_answering >= 3, summary
    assert report.acknowledged_checked > 0, summary
    assert report.presses >= 12 * 10, summary  # every answer was a press on the keyboard
    assert (report.sets, report.participations, report.drafts) == (12, 12, 0), summary


async def answer_until(person: SimUser, link: str, values: list[int]) -> None:
    """Join and answer the given statements on the keyboard, each time waiting for the bot's
    next message with buttons (the next statement, or the review's prompt after the last)."""
    await person.open_link(link, settle=False)
    await person.wait_for_message(buttons=True, timeout=10)
    await person.tap_button("Aloitan", settle=False)
    await person.wait_for_message(buttons=True, timeout=10)
    for number, value in enumerate(values, start=1):
        await person.press(OPTIONS[value - 1], settle=False)
        reply = await person.wait_for_message(buttons=True, timeout=10)
        assert reply.message is not None
        expected = f"Väite {number + 1}, yhteensä 10\n" if number < 10 else REVIEW_PROMPT
        assert (reply.message.text or "").startswith(expected), reply.message


async def kill_and_restart(bot: KillableBot, emu: BotAPIEmulator, redelivered: int) -> None:
    """Kill the bot, heal Telegram, start again; wait until the updates handed out again are
    handled."""
    await bot.kill()
    emu.clear_faults()
    await bot.start()
    assert await until(lambda: emu.redelivered >= redelivered and not emu.pending_updates(), 10)
    await emu.settle(quiet=0.5)


def draft_row(bot: KillableBot, person: SimUser) -> tuple[str, int | None] | None:
    """The person's stored answers and live prompt (the message whose keyboard answers)."""
    key = Pseudonyms(bot.secret.encode()).person(person.id)
    with contextlib.closing(sqlite3.connect(bot.database, timeout=10)) as db:
        row = db.execute(
            "SELECT answers, prompt_message_id FROM draft WHERE person_key = ?", (key,)
        ).fetchone()
    return None if row is None else (row[0], row[1])


async def test_taps_handed_out_again_after_a_kill_double_nothing(tmp_path: Path) -> None:
    aino_values, eero_values = [5, 4, 3, 2, 1, 1, 2, 3, 4, 5], [2, 2, 2, 2]
    # Kills are tested here, not Telegram's limits: the people tap without reading.
    async with BotAPIEmulator(bot_username=USERNAME, settle_timeout=20, flood_limits=None) as emu:
        bot = KillableBot(emu, tmp_path)
        link = await bot.new_session("Uudelleen")
        await bot.start()
        try:
            aino = emu.user(7_100_000_001, "Aino", language_code="fi")
            eero = emu.user(7_100_000_002, "Eero", language_code="fi")
            await answer_until(aino, link, aino_values)
            await answer_until(eero, link, eero_values[:3])
            # The bot's next poll is held, so it never confirms what it fetches now.
            assert await until(lambda: emu.polling, 5)
            emu.fail_next("getUpdates", status=None, delay=60)
            # Aino's tap on Send and Eero's press of an answer (a text message).
            await aino.tap_button(SEND_BUTTON, settle=False)
            await eero.press(OPTIONS[eero_values[3] - 1], settle=False)
            await aino.wait_for_message(buttons=True, timeout=10)  # thanks
            fifth = await eero.wait_for_message(buttons=True, timeout=10)  # statement 5
            assert fifth.message is not None
            # Killed once the bot is done with both: statement 5 is stored as Eero's live
            # prompt. (A kill before that is the next test's case.)
            shown = fifth.message.message_id
            assert await until(lambda: draft_row(bot, eero) == ("2222000000", shown), 5)
            await kill_and_restart(bot, emu, redelivered=2)
        finally:
            await bot.stop()
    after = stored(bot.database)
    assert after.sets == [tuple(aino_values)]
    assert (after.participations, after.started, after.drafts) == (1, 2, 1)
    assert draft_row(bot, eero) == ("2222000000", shown)
    assert (
        sum((m.text or "").startswith("Väite 5, yhteensä 10\n") for m in eero.bot_messages()) == 1
    )
    assert eero.last_bot_message().message_id == shown  # the press again got no reply
    # Answering Aino's tap again is refused by Telegram; the bot lets that be, says nothing.
    emu.assert_no_violations()
    went_wrong = texts.something_went_wrong(load_all()["fi"])
    assert [m for m in [*aino.bot_messages(), *eero.bot_messages()] if m.text == went_wrong] == []


async def test_a_press_handed_out_again_after_a_kill_before_the_next_statement(
    tmp_path: Path,
) -> None:
    # Kills are tested here, not Telegram's limits: the people tap without reading.
    async with BotAPIEmulator(bot_username=USERNAME, settle_timeout=20, flood_limits=None) as emu:
        bot = KillableBot(emu, tmp_path)
        link = await bot.new_session("Uudelleen")
        await bot.start()
        try:
            eero = emu.user(7_100_000_003, "Eero", language_code="fi")
            await answer_until(eero, link, [2, 2, 2])
            assert await until(lambda: emu.polling, 5)
            emu.fail_next("getUpdates", status=None, delay=60)  # never confirmed
            emu.fail_next("sendMessage", status=None, delay=60)  # statement 5: never sent
            await eero.press(OPTIONS[1], settle=False)
            # The answer is stored; the bot is killed while it sends statement 5.
            assert await until(lambda: draft_row(bot, eero) == ("2222000000", None), 10)
            await kill_and_restart(bot, emu, redelivered=1)
        finally:
            await bot.stop()
    # The press answered statement 4; statement 5 had not been shown, so the press handed out
    # again is not its answer: statement 5 is shown now, once.
    row = draft_row(bot, eero)
    assert row is not None
    assert row[0] == "2222000000"
    assert (
        sum((m.text or "").startswith("Väite 5, yhteensä 10\n") for m in eero.bot_messages()) == 1
    )
    assert not [
        m for m in eero.bot_messages() if (m.text or "").startswith("Väite 6, yhteensä 10\n")
    ]
    emu.assert_no_violations()


# ----------------------------------------------------------------------------- the checks


def bot_says(person: SimUser, text: str) -> None:
    message = person.chat.add("bot", "text", {"id": 1, "is_bot": True, "first_name": "Bot"})
    message.text = FormattedText(text)


async def test_the_checks_notice_a_lost_answer_and_a_doubled_set(tmp_path: Path) -> None:
    database = tmp_path / "checkin.sqlite3"
    conn = await connect(database)
    await conn.close()
    secret = secrets.token_hex(16).encode()
    emu = BotAPIEmulator()
    person = Answerer(emu.user(5, "Kaisa"), "link", (3,) * 10, random.Random(1))
    bot_says(person.user, "Väite 3, yhteensä 10\nKolmas väite")  # two answers acknowledged
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute(
            "INSERT INTO session (id, join_code, short_code, label, created_at) "
            "VALUES (1, 'j', 'S', 'x', '2026-01-01')"
        )
        db.execute(
            "INSERT INTO draft VALUES (?, ?, 1, 'fi', 'n', 'asking', 1, '3000000000', 0, "
            "NULL, NULL, '2026-01-01T00:00:00+00:00')",
            (b"d" * 32, Pseudonyms(secret).person(5)),
        )
        for n in range(2):
            db.execute(
                "INSERT INTO pending_set VALUES (?, 1, 'fi', 'official', 'v', "
                "3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 50.0, '2026-01-01')",
                (bytes([n]) * 16,),
            )
        db.commit()
    assert check_acknowledged(database, secret, [person]) == [
        "Kaisa: 2 answers acknowledged, stored (3, None, None, None, None, None, None, None, "
        "None, None)"
    ]
    report = CrashReport(CrashOptions(people=1))
    check_database(database, [person], report)
    assert any("counts" in p for p in report.problems)
    assert any("extra" in p for p in report.problems)
