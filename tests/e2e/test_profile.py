"""What people see before pressing START: the bot's description and short description, in
every language, Finnish for anyone whose language the bot does not offer."""

from bot.dev.sandbox import Sandbox
from bot.ui import texts
from bot.ui.i18n import LANGUAGES


async def test_the_description_is_set_in_every_language_with_finnish_by_default(
    sandbox: Sandbox,
) -> None:
    emulator, translations = sandbox.emulator, sandbox.services.translations
    for lang in LANGUAGES:
        assert emulator.description(lang) == texts.description(translations[lang])
        assert emulator.description(lang, short=True) == texts.short_description(
            translations[lang]
        )
    assert emulator.description() == emulator.description("fi")
    assert emulator.description(short=True) == emulator.description("fi", short=True)


async def test_the_description_says_who_asks_what_and_what_to_do(sandbox: Sandbox) -> None:
    finnish = sandbox.emulator.description()
    assert finnish.startswith("Hei! Näytän sinulle 10 lyhyttä väitettä elämästäsi.")
    assert "Kukaan ei näe sinun omia vastauksiasi." in finnish
    assert finnish.endswith("Aloita painamalla alla olevaa nappia.")
    assert sandbox.emulator.description("sv", short=True).startswith("Jag frågar om du")
