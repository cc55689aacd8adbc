"""Nobody can tell who answered what: not from the database, the logs or the chat."""

import logging
from pathlib import Path

import pytest

from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox
from bot.ui.i18n import LANGUAGES
from tests.e2e.helpers import answer_statements

USER_ID = 987654321012
NAME, USERNAME = "Zacharias-Ylönen", "zachy_the_participant"


def identity_patterns(user_id: int) -> list[bytes]:
    """Every way the id or name could sit in a file: as text or as a stored integer."""
    patterns = [str(user_id).encode(), NAME.encode(), USERNAME.encode()]
    patterns += [user_id.to_bytes(size, order) for size in (6, 8) for order in ("big", "little")]
    return patterns


async def full_check_in(sandbox: Sandbox) -> SimUser:
    session = await sandbox.new_session("Avoin työhuone")
    person = sandbox.emulator.user(USER_ID, NAME, language_code="fi", username=USERNAME)
    await person.open_link(sandbox.link(session))
    await person.tap_button("Aloitan")
    await person.send_text("/language")
    await person.tap_button("Svenska")
    await answer_statements(person, sandbox.services.instruments["sv"], [1, 2, 3, 4, 5] * 2)
    await person.tap_button("Skicka svaren")
    return person


async def test_the_database_holds_no_id_name_or_username(
    sandbox: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.INFO)
    await full_check_in(sandbox)
    # A second, unfinished check-in by the same person leaves a draft in the database too.
    other = await sandbox.new_session("Toinen", "sv")
    person = sandbox.emulator.user(USER_ID, NAME)
    await person.open_link(sandbox.link(other))
    await person.tap_button("Jag börjar")
    await person.press("helt av samma åsikt")
    await sandbox.stop_bot()  # flush and close the database as a shutdown does

    files = [p for p in tmp_path.iterdir() if p.name.startswith("checkin.sqlite3")]
    assert files, "the database was not where expected"
    for path in files:
        content = path.read_bytes()
        for pattern in identity_patterns(USER_ID):
            assert pattern not in content, f"{pattern!r} found in {path.name}"
    for record in caplog.records:
        line = record.getMessage()
        assert str(USER_ID) not in line
        assert NAME not in line
        assert USERNAME not in line
    await sandbox.start_bot()  # the fixture checks the emulator afterwards


async def test_the_scan_would_find_an_id_that_was_stored(tmp_path: Path) -> None:
    # The check above must be able to fail: an id written as SQLite stores integers is found.
    import sqlite3  # noqa: PLC0415

    path = tmp_path / "probe.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (v INTEGER)")
        conn.execute("INSERT INTO t VALUES (?)", (USER_ID,))
    content = path.read_bytes()
    assert any(pattern in content for pattern in identity_patterns(USER_ID))


async def test_tidying_deletes_the_check_ins_messages(sandbox: Sandbox) -> None:
    person = await full_check_in(sandbox)
    before = person.visible_messages()
    assert any("helt av samma åsikt" in (m.text or "") for m in before)
    await person.tap_button("Ta bort meddelandena")
    visible = person.visible_messages()
    consent = next(m for m in before if m.sender == "bot")
    kept = [m for m in before if m.message_id < consent.message_id]
    assert [m.message_id for m in visible[:-1]] == [m.message_id for m in kept]
    for message in visible:
        for option in sandbox.services.instruments["sv"].options:
            assert option not in (message.text or "")


async def test_delete_removes_what_can_still_be_linked(sandbox: Sandbox) -> None:
    person = await full_check_in(sandbox)
    session_id = (await sandbox.services.sessions.session_ids())[0]
    key = sandbox.services.pseudonyms.in_session(USER_ID, session_id)
    assert await sandbox.services.answer_sets.has_participated(session_id, key)
    await person.send_text("/delete")
    text = person.last_bot_message().text or ""
    assert "Därför kan jag inte ta bort just dina svar." in text
    assert not await sandbox.services.answer_sets.has_participated(session_id, key)
    assert (
        await sandbox.services.people.language_for(sandbox.services.pseudonyms.person(USER_ID))
        is None
    )
    assert (await sandbox.services.sessions.counts(session_id)).complete == 1


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/privacy", "{hours}"),
        ("/help", "/privacy"),
        ("/about", "© Terveyden ja hyvinvoinnin laitos, 2019, all rights reserved"),
    ],
)
async def test_information_commands_answer_in_the_persons_language(
    sandbox: Sandbox, command: str, expected: str
) -> None:
    for number, lang in enumerate(LANGUAGES):
        person = sandbox.emulator.user(3000 + number, "P", language_code=lang)
        await person.send_text(command)
        text = person.last_bot_message().text or ""
        assert expected.replace("{hours}", "24") in text
    fi_about = sandbox.emulator.user(3999, "Q", language_code="fi")
    await fi_about.send_text("/about")
    assert "virallinen" in (fi_about.last_bot_message().text or "")


async def test_the_command_menu_is_published_in_each_language(sandbox: Sandbox) -> None:
    scope = {"type": "all_private_chats"}
    finnish = ["start", "jatka", "lopeta", "kieli", "privacy", "poista", "about", "apua"]
    assert sandbox.emulator.commands(scope, "fi") == finnish
    assert sandbox.emulator.commands(scope) == finnish  # without a language: Finnish
    assert sandbox.emulator.commands(scope, "sv") == sandbox.emulator.commands(scope, "en")
    assert "delete" in sandbox.emulator.commands(scope, "en")
    for lang in LANGUAGES:  # every command, in every language with messages
        assert len(sandbox.emulator.commands(scope, lang)) == len(finnish)
