"""The session decides the language: everyone who joins starts in it, whatever their Telegram
app's language or an earlier choice, and can still switch at any time."""

from pathlib import Path

from bot.core.instrument import load_instruments
from bot.dev.sandbox import Sandbox
from bot.ui import texts
from bot.usecases.instruments import add_official
from tests.e2e.helpers import answer_statements
from tests.e2e.test_checkin import VALUES, stored_sets
from tests.e2e.test_languages import sami_file

FI_CONSENT_START = "Kysely: Avoin työhuone"


async def test_an_english_app_joins_a_finnish_session_in_finnish_and_the_set_is_official(
    sandbox: Sandbox,
) -> None:
    session = await sandbox.new_session("Avoin työhuone", "fi")
    fi = sandbox.services.instruments["fi"]
    person = sandbox.emulator.user(1201, "Aino", language_code="en")
    await person.open_link(sandbox.link(session))
    consent = person.last_bot_message()
    assert (consent.text or "").startswith("Kysely: Avoin työhuone"), consent.text
    assert consent.button_texts[:2] == ["Aloitan", "En halua vastata"]
    await person.tap_button("Aloitan")
    shown = [m.text for m in person.bot_messages()]
    assert f"{fi.main_question}\n\n{fi.guiding_sentence}" in shown
    assert person.last_bot_message().text == f"Väite 1, yhteensä 10\n{fi.statements[0]}"
    await answer_statements(person, fi, VALUES)
    await person.tap_button("Lähetä vastaukset")
    rows = await stored_sets(sandbox)
    assert [r[1:13] for r in rows] == [("fi", "official", *VALUES)]


async def test_a_finnish_app_typing_the_code_of_a_swedish_session_gets_swedish(
    sandbox: Sandbox,
) -> None:
    session = await sandbox.new_session("Torsdagsgruppen", "sv")
    sv = sandbox.services.instruments["sv"]
    person = sandbox.emulator.user(1202, "Aino", language_code="fi")
    await person.send_text("/start")
    await person.send_text(session.short_code)
    consent = person.last_bot_message()
    assert (consent.text or "").startswith("Enkät: Torsdagsgruppen"), consent.text
    await person.tap_button("Jag börjar")
    assert person.last_bot_message().text == f"Påstående 1 av 10\n{sv.statements[0]}"
    await answer_statements(person, sv, VALUES)
    await person.tap_button("Skicka svaren")
    rows = await stored_sets(sandbox)
    assert [r[1:3] for r in rows] == [("sv", sv.status.value)]


async def test_switching_still_works_on_the_consent_and_after_joining(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("Avoin työhuone", "fi")
    fi, en = sandbox.services.instruments["fi"], sandbox.services.instruments["en"]
    person = sandbox.emulator.user(1203, "Sam", language_code="fi")
    await person.open_link(sandbox.link(session))
    await person.tap_button("English")  # on the consent: the consent comes again in English
    assert (person.last_bot_message().text or "").startswith("Check-in: Avoin työhuone")
    await person.tap_button("Suomi")  # and back
    assert (person.last_bot_message().text or "").startswith(FI_CONSENT_START)
    await person.tap_button("Aloitan")
    await answer_statements(person, fi, VALUES[:3])
    await person.send_text("/language")
    await person.tap_button("English")  # during the check-in: it goes on in English
    assert person.last_bot_message().text == f"Statement 4 of 10\n{en.statements[3]}"
    await answer_statements(person, en, VALUES[3:])
    await person.tap_button("Send answers")
    rows = await stored_sets(sandbox)
    assert [r[1:13] for r in rows] == [("en", "provisional", *VALUES)]


async def test_the_sessions_language_wins_over_an_earlier_choice_at_each_new_join(
    sandbox: Sandbox,
) -> None:
    person = sandbox.emulator.user(1204, "Erik", language_code="fi")
    await person.send_text("/language")
    await person.tap_button("Svenska")  # chosen before any session
    session = await sandbox.new_session("Avoin työhuone", "fi")
    await person.open_link(sandbox.link(session))
    assert (person.last_bot_message().text or "").startswith(FI_CONSENT_START)
    await person.tap_button("Svenska")  # switched on the consent: the check-in is in Swedish
    await person.tap_button("Jag börjar")
    sv = sandbox.services.instruments["sv"]
    assert person.last_bot_message().text == f"Påstående 1 av 10\n{sv.statements[0]}"


async def test_a_session_in_a_language_without_messages_of_its_own_says_so_at_once(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    add_official(
        sandbox.settings.database, sami_file(tmp_path), load_instruments(), sandbox.clock()
    )
    await sandbox.restart_bot()
    session = await sandbox.new_session("Vertaisryhmä", "se")
    person = sandbox.emulator.user(1205, "Máret", language_code="en")
    await person.open_link(sandbox.link(session))
    note = "Näytän väitteet kielellä Davvisámegiella. Kirjoitan muut viestini suomeksi."
    assert person.last_bot_message().text == note
    await person.tap_button("Aloitan")
    assert person.last_bot_message().text == "Väite 1, yhteensä 10\nse test statement 1"


async def test_the_details_of_the_consent_are_in_its_language_and_start_there(
    sandbox: Sandbox,
) -> None:
    session = await sandbox.new_session("Avoin työhuone", "fi")
    person = sandbox.emulator.user(1206, "Sam", language_code="en")
    await person.open_link(sandbox.link(session))
    await person.tap_button("Mitä tallennan?")
    details = person.last_bot_message()
    fi = sandbox.services.translations["fi"]
    assert details.text == texts.privacy_text(
        fi, sandbox.services.ttl_hours, sandbox.settings.min_group_size
    )
    await person.tap_button("Aloitan", details.message_id)
    statements = sandbox.services.instruments["fi"].statements
    assert person.last_bot_message().text == f"Väite 1, yhteensä 10\n{statements[0]}"
