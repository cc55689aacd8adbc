"""The language picker, and statements in a language the bot's own messages are not in: a
language whose only text is an official file added by the operator."""

from pathlib import Path

from bot.core.instrument import DEFAULT_DIR, load_instruments
from bot.dev.sandbox import Sandbox
from bot.usecases.instruments import add_official
from tests.e2e.helpers import answer_statements
from tests.e2e.test_checkin import VALUES, stored_sets

NAMES = {
    "fi": "Suomi",
    "sv": "Svenska",
    "en": "English",
    "ar": "العربية",
    "et": "Eesti",
    "fa": "فارسی",
    "ru": "Русский",
    "so": "Soomaali",
    "uk": "Українська",
}


async def test_the_picker_names_each_language_in_itself_three_to_a_row(sandbox: Sandbox) -> None:
    person = sandbox.emulator.user(1001, "Aino", language_code="fi")
    await person.send_text("/language")
    picker = person.last_bot_message()
    rows = [[button.text for button in row] for row in picker.buttons]
    assert rows == [
        ["Suomi", "Svenska", "English"],
        ["Eesti", "Soomaali", "العربية"],
        ["فارسی", "Русский", "Українська"],
    ]
    assert sorted(name for row in rows for name in row) == sorted(NAMES.values())


def sami_file(tmp_path: Path) -> Path:
    """A stand-in for THL's Northern Sami file (test words, not THL's)."""
    text = (DEFAULT_DIR / "fi.toml").read_text(encoding="utf-8")
    fi = load_instruments(("fi",))["fi"]
    text = text.replace('language = "fi"', 'language = "se"')
    for number, statement in enumerate(fi.statements, start=1):
        text = text.replace(f'"{statement}"', f'"se test statement {number}"')
    for number, option in enumerate(fi.options, start=1):
        text = text.replace(f'"{option}"', f'"se test option {number}"')
    path = tmp_path / "ESIS_se.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_an_added_language_without_messages_shows_its_statements_and_says_so(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    add_official(
        sandbox.settings.database, sami_file(tmp_path), load_instruments(), sandbox.clock()
    )
    await sandbox.restart_bot()
    sami = sandbox.services.instruments["se"]
    session = await sandbox.new_session("Vertaisryhmä")
    person = sandbox.emulator.user(1001, "Máret", language_code="se")
    await person.open_link(sandbox.link(session))
    consent = person.last_bot_message()
    assert consent.button_texts[0] == "Aloitan"  # Telegram's Sami: Finnish messages first
    assert "Davvisámegiella" in consent.button_texts
    await person.tap_button("Davvisámegiella")
    assert person.last_bot_message().text == (
        "Näytän väitteet kielellä Davvisámegiella. Kirjoitan muut viestini suomeksi."
    )
    await person.tap_button("Aloitan")
    assert person.last_bot_message().text == "Väite 1, yhteensä 10\nse test statement 1"
    await answer_statements(person, sami, VALUES)
    await person.tap_button("Lähetä vastaukset")
    rows = await stored_sets(sandbox)
    assert [r[1:13] for r in rows] == [("se", "official", *VALUES)]
    await person.send_text("/about")
    assert "Nämä väitteet ovat THL:n virallinen teksti." in (person.last_bot_message().text or "")
