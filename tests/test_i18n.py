"""Right-to-left catalogs: inserted words and commands are isolated, so they keep their place
in an Arabic or Persian line, and the language of a Telegram account picks its catalog."""

import re

import pytest
from babel import Locale

from bot.core.checkin import Draft
from bot.core.instrument import load_instruments
from bot.ui import i18n, texts
from bot.ui.i18n import FSI, LRI, PDI, RIGHT_TO_LEFT
from tests.test_catalogs import COMMAND, committed, fields, messages
from tests.test_catalogs import texts as po_texts
from tests.test_texts import T0

CATALOGS = i18n.load_all()
RTL = [lang for lang in i18n.LANGUAGES if lang in RIGHT_TO_LEFT]
ISOLATED = re.compile(rf"{FSI}@?\{{[^{{}}]*\}}{PDI}|{LRI}/[a-z]+{PDI}")


def test_the_right_to_left_languages_are_cldrs() -> None:
    for lang in i18n.LANGUAGES:
        written = Locale.parse(lang).character_order
        assert (written == "right-to-left") == (lang in RIGHT_TO_LEFT), lang


@pytest.mark.parametrize("lang", RTL)
def test_every_field_and_command_of_a_right_to_left_message_is_isolated(lang: str) -> None:
    t = CATALOGS[lang]
    checked = 0
    for message in messages(committed(lang)):
        if isinstance(message.id, str):
            shown = [t.gettext(message.id)]
        else:
            shown = [t.ngettext(message.id[0], message.id[1], n) for n in (0, 1, 2, 3, 11, 100)]
        for text in shown:
            outside = ISOLATED.sub("", text)
            assert not fields(outside), (message.id, text)
            assert not COMMAND.findall(outside), (message.id, text)
            checked += text != outside
    assert checked > 50  # the catalog really has fields and commands to isolate


def test_left_to_right_catalogs_are_left_as_written() -> None:
    for lang in i18n.LANGUAGES:
        if lang not in RIGHT_TO_LEFT:
            for message in messages(committed(lang)):
                shown = po_texts(message.string)
                assert not any(mark in text for text in shown for mark in (FSI, LRI, PDI))


def test_a_mention_stays_whole_inside_its_isolate() -> None:
    assert i18n.isolate("@{bot}: {code} /stop") == (
        f"{FSI}@{{bot}}{PDI}: {FSI}{{code}}{PDI} {LRI}/stop{PDI}"
    )


@pytest.mark.parametrize("lang", RTL)
def test_a_latin_session_label_keeps_its_place_in_the_consent(lang: str) -> None:
    consent = texts.consent(
        CATALOGS[lang], "Avoin työhuone, Kotka 24.11.", "A" * 22, lang, ()
    ).text
    assert f"{FSI}Avoin työhuone, Kotka 24.11.{PDI}" in consent
    assert f"{LRI}/stop{PDI}" in consent
    assert f"{LRI}/privacy{PDI}" in texts.help_text(CATALOGS[lang])


@pytest.mark.parametrize(
    ("count", "hours"),
    [
        (0, "0\u2069 ساعة"),
        (1, "1\u2069 ساعة"),
        (2, "2\u2069 ساعتان"),
        (3, "3\u2069 ساعات"),
        (11, "11\u2069 ساعة"),
        (100, "100\u2069 ساعة"),
    ],
)
def test_arabic_counts_take_their_six_plural_forms(count: int, hours: str) -> None:
    privacy = texts.privacy_text(CATALOGS["ar"], count, 5)
    assert f"{FSI}{hours} دون إجابة" in privacy


@pytest.mark.parametrize("count", [0, 1, 2, 3, 11, 100])
def test_persian_counts_keep_the_noun_singular(count: int) -> None:
    privacy = texts.privacy_text(CATALOGS["fa"], count, 5)
    assert f"اگر {FSI}{count}{PDI} ساعت پاسخ ندهید" in privacy


def test_a_typed_control_with_direction_marks_is_understood() -> None:
    t = CATALOGS["ar"]
    assert texts.control(t, "\u200fرجوع\u200f") is texts.Control.BACK
    assert texts.control(t, f"{FSI}استراحة{PDI}") is texts.Control.PAUSE


def test_an_arabic_statement_isolates_its_number() -> None:
    ar = load_instruments(("ar",))["ar"]
    shown = texts.statement(CATALOGS["ar"], ar, Draft.begin(1, "ar", T0)).text
    assert shown == f"العبارة {FSI}1{PDI} من {FSI}10{PDI}\n{ar.statements[0]}"


@pytest.mark.parametrize(
    ("code", "lang"),
    [
        ("ar", "ar"),
        ("ar-EG", "ar"),
        ("fa", "fa"),
        ("fa-AF", "fa"),  # Dari
        ("fi-FI", "fi"),
        ("en", "en"),
        ("xx", "fi"),
        (None, "fi"),
    ],
)
def test_a_telegram_language_picks_its_catalog(code: str | None, lang: str) -> None:
    assert i18n.negotiate(code) == lang
