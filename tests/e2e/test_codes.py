"""Guessing join codes: every path that looks a code up is limited, per person and for
everyone together, across restarts; short codes work only while their session goes on."""

import contextlib
import secrets
import sqlite3

from bot.core.codes import new_short_code
from bot.core.sessions import Session
from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox
from bot.ui import texts
from bot.usecases.joining import CodeLimits
from tests.e2e.conftest import ManualClock
from tests.e2e.helpers import told_after_tap

LIMITS = CodeLimits()
NOT_FOUND = "did not find"
# The clock stands at 12.00 in Helsinki: one person waits ten minutes, everyone an hour.
TOO_MANY = "too many wrong codes. Please try again today at 12:10\u202fPM."
PAUSED = "I do not take codes for a while."


def last_text(person: SimUser) -> str:
    return person.last_bot_message().text or ""


def wrong_short_code(session: Session) -> str:
    while (code := new_short_code()) == session.short_code:
        pass
    return code


def failures_stored(sandbox: Sandbox) -> int:
    with contextlib.closing(sqlite3.connect(sandbox.settings.database)) as db:
        return int(db.execute("SELECT count(*) FROM code_failure").fetchone()[0])


async def use_up_own_tries(person: SimUser, session: Session) -> None:
    for _ in range(LIMITS.person_failures):
        await person.send_text(wrong_short_code(session))
        assert NOT_FOUND in last_text(person)


async def out_of_tries(sandbox: Sandbox, user_id: int) -> tuple[SimUser, Session]:
    """Someone who has typed as many wrong codes as one person may, and the session they
    were after."""
    session = await sandbox.new_session("Ryhmä", "en")
    person = sandbox.emulator.user(user_id, "Arvaaja", language_code="en")
    await use_up_own_tries(person, session)
    return person, session


async def test_a_forged_language_button_cannot_look_up_a_typed_code(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("Salainen ryhmä")
    person = sandbox.emulator.user(3101, "Arvaaja", language_code="en")
    await person.send_text("/start")
    welcome = person.last_bot_message()
    stale = texts.stale_button(sandbox.services.translations["en"])
    for data in (f"l:en:{session.short_code}", f"j:{session.short_code}"):
        await person.tap(welcome.message_id, data)
        assert told_after_tap(person) == stale
    assert "Salainen" not in "\n".join(m.text or "" for m in person.bot_messages())
    assert (await sandbox.services.sessions.counts(session.id)).in_progress == 0


async def test_forged_buttons_count_as_wrong_codes(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("Ryhmä")
    person = sandbox.emulator.user(3102, "Arvaaja", language_code="en")
    for turn in range(LIMITS.person_failures):
        await person.send_text("/start")  # a message with buttons, to forge a tap on
        data = "j:" if turn % 2 else "l:en:"
        await person.tap(person.last_bot_message().message_id, data + secrets.token_urlsafe(16))
    await person.open_link(sandbox.link(session))  # even the right link waits now
    assert TOO_MANY in last_text(person)
    await person.send_text("/start")
    await person.tap(person.last_bot_message().message_id, f"l:fi:{session.join_code}")
    assert "Ryhmä" not in "\n".join(m.text or "" for m in person.bot_messages())


async def test_a_restart_does_not_reset_a_persons_limit(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    person, session = await out_of_tries(sandbox, 3103)
    await sandbox.restart_bot()
    await person.send_text(session.short_code)
    assert TOO_MANY in last_text(person)
    clock.advance(seconds=LIMITS.person_window.total_seconds())
    await person.send_text(session.short_code)
    assert "Check-in: Ryhmä" in last_text(person)


async def test_twenty_accounts_share_one_budget_for_typed_codes(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    sandbox.emulator.quiet_period = 0.02  # a hundred messages: settle each one quickly
    session = await sandbox.new_session("Ryhmä", "en")
    accounts = LIMITS.everyone_failures // LIMITS.person_failures
    assert accounts == 20
    for number in range(accounts):
        guesser = sandbox.emulator.user(3200 + number, "Arvaaja", language_code="en")
        await use_up_own_tries(guesser, session)
    await sandbox.restart_bot()
    fresh = sandbox.emulator.user(3300, "Uusi", language_code="en")
    await fresh.send_text(session.short_code)  # even the right code waits, for everyone
    assert PAUSED in last_text(fresh)
    assert "try again today at 1:00\u202fPM." in last_text(fresh)
    await fresh.open_link(sandbox.link(session))  # links keep working
    assert "Check-in: Ryhmä" in last_text(fresh)
    clock.advance(seconds=LIMITS.everyone_window.total_seconds())
    later = sandbox.emulator.user(3301, "Myöhemmin", language_code="en")
    await later.send_text(session.short_code.lower())
    assert "Check-in: Ryhmä" in last_text(later)


async def test_a_typed_code_stops_working_when_its_session_ends_or_ages(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    closed = await sandbox.new_session("Suljettu")
    await sandbox.services.sessions.close_session(closed.id, clock())
    person = sandbox.emulator.user(3104, "Myöhäinen", language_code="en")
    await person.send_text(closed.short_code)
    assert NOT_FOUND in last_text(person)
    await person.open_link(sandbox.link(closed))
    assert "ended" in last_text(person)

    standing = await sandbox.new_session("Pysyvä", "en")  # closes only by hand
    clock.advance(hours=sandbox.settings.session_hours, seconds=1)
    await person.send_text(standing.short_code)
    assert NOT_FOUND in last_text(person)
    await person.open_link(sandbox.link(standing))
    assert "Check-in: Pysyvä" in last_text(person)


async def test_wrong_codes_are_kept_under_a_key_and_only_as_long_as_they_count(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    person, _ = await out_of_tries(sandbox, 3105)
    with contextlib.closing(sqlite3.connect(sandbox.settings.database)) as db:
        keys = {row[0] for row in db.execute("SELECT guesser_key FROM code_failure")}
    services = sandbox.services
    assert keys == {services.pseudonyms.guesser(person.id)}
    assert keys.isdisjoint({services.pseudonyms.person(person.id)})
    assert str(person.id).encode() not in next(iter(keys))
    await person.send_text("/privacy")  # which says so
    assert "I remember a wrong code for one hour." in last_text(person)
    assert sandbox.runtime is not None
    clock.advance(seconds=LIMITS.longest_window.total_seconds() - 1)
    await sandbox.runtime.upkeep()
    assert failures_stored(sandbox) == LIMITS.person_failures
    clock.advance(seconds=1)
    await sandbox.runtime.upkeep()
    assert failures_stored(sandbox) == 0


async def test_a_code_typed_in_small_letters_with_a_space_and_a_dash_is_found(
    sandbox: Sandbox,
) -> None:
    session = await sandbox.new_session("Ryhmä", "en")
    person = sandbox.emulator.user(3106, "Kirjoittaja", language_code="en")
    code = session.short_code.lower()
    await person.send_text(f"{code[:3]} - {code[3:]}")
    assert "Check-in: Ryhmä" in last_text(person)
    assert failures_stored(sandbox) == 0


async def test_a_word_that_cannot_be_a_code_is_not_counted_as_a_wrong_one(
    sandbox: Sandbox,
) -> None:
    await sandbox.new_session("Ryhmä")
    person = sandbox.emulator.user(3107, "Kiittäjä", language_code="en")
    for word in ("kiitos", "valmis"):
        await person.send_text(word)
        assert last_text(person) == texts.not_understood(sandbox.services.translations["en"])
    assert failures_stored(sandbox) == 0
