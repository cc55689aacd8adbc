"""The gettext catalogs in locales/: complete, current, and safe to `.format()`.

Each check is a small function that takes a catalog and returns its problems as readable lines,
so a failing test says exactly which message is wrong. Every check is also run on a deliberately
broken catalog, to show that it can fail.
"""

from __future__ import annotations

import configparser
import io
import re
import string
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.ui import i18n
from bot.ui import texts as texts_module

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "messages.pot"

# The same keywords as scripts/catalogs.sh passes to `pybabel extract` (Babel's defaults,
# which already include these two, plus -k gettext -k _).
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext": None, "_": None}

# The one message whose English text is not its own msgid.
LANGUAGE_SET = "The language is now English."
LANGUAGE_SET_IN = {
    "fi": "Kieli on nyt suomi.",
    "sv": "Språket är nu svenska.",
    "en": "The language is now English.",
    "et": "Keel on nüüd eesti keel.",
    "so": "Luqaddu hadda waa af-Soomaali.",
    "ar": "اللغة الآن هي العربية.",
    "fa": "زبان اکنون فارسی است.",
}

# A message id with its context, as the catalog keys it (the singular for plural messages).
Key = tuple[str, str | None]

COMMAND = re.compile(r"(?<![\w/])/[a-z]+\b")


# --- reading --------------------------------------------------------------------------------


def method_map(cfg: Path = ROOT / "babel.cfg") -> list[tuple[str, str]]:
    """(pattern, method) pairs from babel.cfg, as `pybabel extract -F` reads them."""
    parser = configparser.RawConfigParser()
    parser.read(cfg, encoding="utf-8")
    pairs = []
    for section in parser.sections():
        method, _, pattern = section.partition(":")
        pairs.append((pattern.strip(), method.strip()))
    return pairs


def used_in_code(root: Path = ROOT) -> set[Key]:
    """Every message the code asks for, found the way `pybabel extract` finds them."""
    used: set[Key] = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        root, method_map(root / "babel.cfg"), keywords=KEYWORDS
    ):
        singular = message if isinstance(message, str) else message[0]
        used.add((singular, context))
    return used


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=i18n.DOMAIN)


def committed(lang: str) -> Catalog:
    return read_catalog(i18n.catalog_path(lang, LOCALES), lang)


def parse_po(text: str, lang: str = "fi") -> Catalog:
    return read_po(io.BytesIO(text.encode("utf-8")), locale=lang, domain=i18n.DOMAIN)


def messages(catalog: Catalog) -> list[Message]:
    """The real messages (not the header)."""
    return [message for message in catalog if message.id]


def key(message: Message) -> Key:
    singular = message.id if isinstance(message.id, str) else message.id[0]
    return (singular, message.context)


def texts(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """A msgid or msgstr as a list of strings (plural messages have several)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(part) for part in value]


# --- checks: each returns a list of problems, empty when the catalog is fine ----------------


def missing(catalog: Catalog, used: Iterable[Key]) -> list[str]:
    """Messages the code uses that the catalog does not have."""
    return [
        f"missing: {msgid!r}"
        for msgid, context in sorted(used, key=repr)
        if catalog.get(msgid, context) is None
    ]


def untranslated(catalog: Catalog) -> list[str]:
    """Messages with an empty msgstr (or an empty plural form)."""
    problems = []
    for message in messages(catalog):
        strings = texts(message.string)
        if not strings or not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    return problems


def fuzzy(catalog: Catalog) -> list[str]:
    """Fuzzy messages (never shown to anyone), or a fuzzy header (the whole catalog skipped)."""
    problems = ["fuzzy header"] if catalog.fuzzy else []
    problems += [f"fuzzy: {message.id!r}" for message in messages(catalog) if message.fuzzy]
    return problems


def obsolete(catalog: Catalog) -> list[str]:
    """`#~` entries left over from text that the code no longer has."""
    return [f"obsolete: {msgid!r}" for msgid in catalog.obsolete]


def fields(text: str) -> set[str]:
    """The `{name}` fields that `str.format` would fill in; ValueError if the braces are bad."""
    return {
        name
        for _literal, name, _spec, _conversion in string.Formatter().parse(text)
        if name is not None
    }


def placeholder_mismatches(catalog: Catalog) -> list[str]:
    """A msgstr whose `{brace}` fields differ from its msgid's, or whose braces do not parse.

    Babel's own checker only knows %-style placeholders.
    """
    problems = []
    for message in messages(catalog):
        try:
            wanted = set().union(*(fields(text) for text in texts(message.id)))
        except ValueError as error:
            problems.append(f"bad braces in msgid {message.id!r}: {error}")
            continue
        for translation in texts(message.string):
            if not translation:
                continue
            try:
                found = fields(translation)
            except ValueError as error:
                problems.append(f"bad braces in msgstr of {message.id!r}: {error}")
                continue
            if found != wanted:
                problems.append(
                    f"placeholders of {message.id!r}: msgid has {sorted(wanted)}, "
                    f"msgstr has {sorted(found)}"
                )
    return problems


def command_mismatches(catalog: Catalog) -> list[str]:
    """A msgstr that renames or drops a Telegram command such as /stop.

    A command keeps its name, or takes the name the bot also answers to in the catalog's
    language (`texts.COMMAND_NAMES`: /lopeta for /stop in Finnish, and nowhere else).
    """
    own = texts_module.COMMAND_NAMES.get(str(catalog.locale), {})
    english = {f"/{name}": f"/{command}" for command, name in own.items()}
    problems = []
    for message in messages(catalog):
        wanted = set().union(*(COMMAND.findall(text) for text in texts(message.id)))
        for translation in texts(message.string):
            found = {english.get(name, name) for name in COMMAND.findall(translation)}
            if translation and found != wanted:
                problems.append(
                    f"commands of {message.id!r}: msgid has {sorted(wanted)}, "
                    f"msgstr has {sorted(found)}"
                )
    return problems


def blank_lines(text: str | tuple[str, ...] | list[str] | None) -> int:
    return texts(text)[0].count("\n\n") if texts(text) else 0


def paragraph_mismatches(catalog: Catalog) -> list[str]:
    """A msgstr with a different number of paragraph breaks (blank lines) than its msgid."""
    return [
        f"paragraphs of {message.id!r}: {blank_lines(message.id)} blank lines expected"
        for message in messages(catalog)
        for translation in texts(message.string)
        if translation and blank_lines(translation) != blank_lines(message.id)
    ]


def english_mismatches(catalog: Catalog) -> list[str]:
    """The English catalog says each msgid as it is (the language line is the same too)."""
    return [
        f"English text differs from msgid: {message.id!r}"
        for message in messages(catalog)
        if message.string != message.id
    ]


Check = Callable[[Catalog], list[str]]
ALL_CHECKS: tuple[Check, ...] = (
    untranslated,
    fuzzy,
    obsolete,
    placeholder_mismatches,
    command_mismatches,
    paragraph_mismatches,
)


# --- the committed catalogs -----------------------------------------------------------------


@pytest.fixture(scope="module")
def used() -> set[Key]:
    found = used_in_code()
    assert (LANGUAGE_SET, None) in found, "extraction found nothing: check babel.cfg / KEYWORDS"
    return found


def test_babel_cfg_extracts_bot_python() -> None:
    assert method_map() == [("bot/**.py", "python")]


def test_extraction_finds_direct_and_aliased_calls(used: set[Key]) -> None:
    # `t.gettext("...")` directly ...
    assert ("This button no longer works. Please use the newest message.", None) in used
    # ... and `_ = t.gettext; _("...")`.
    assert ("Check your answers:", None) in used


def test_every_language_has_a_catalog() -> None:
    on_disk = {path.parent.parent.name for path in LOCALES.glob("*/LC_MESSAGES/*.po")}
    assert on_disk == set(i18n.LANGUAGES)


def test_template_matches_code(used: set[Key]) -> None:
    template = read_catalog(TEMPLATE)
    assert {key(message) for message in messages(template)} == used
    assert obsolete(template) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalog_has_every_message_the_code_uses(lang: str, used: set[Key]) -> None:
    assert missing(committed(lang), used) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalog_has_no_message_the_code_does_not_use(lang: str, used: set[Key]) -> None:
    extra = {key(message) for message in messages(committed(lang))} - used
    assert extra == set()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda check: check.__name__)
def test_catalog_passes(lang: str, check: Check) -> None:
    assert check(committed(lang)) == []


def test_english_catalog_is_the_msgids() -> None:
    assert english_mismatches(committed("en")) == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_babel_checks_pass(lang: str) -> None:
    """Babel's own checks (%-placeholders, plural forms), as `pybabel compile` runs them."""
    problems = [
        (message.id, [str(e) for e in errors]) for message, errors in committed(lang).check()
    ]
    assert problems == []


def test_load_all_loads_every_language() -> None:
    translations = i18n.load_all()
    assert set(translations) == set(i18n.LANGUAGES)
    for lang, t in translations.items():
        assert t.gettext(LANGUAGE_SET) == LANGUAGE_SET_IN[lang]


@pytest.mark.parametrize(
    ("lang", "back", "answer_now"),
    [("fi", "Takaisin", "Vastauksesi nyt: X"), ("sv", "Tillbaka", "Ditt svar nu: X")],
)
def test_gettext_gives_the_translation(lang: str, back: str, answer_now: str) -> None:
    t = i18n.load_all()[lang]
    assert t.gettext("Back") == back
    assert t.gettext("Your answer now: {answer}").format(answer="X") == answer_now


# --- every check can fail -------------------------------------------------------------------

BROKEN_PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\n"
"Language: fi\n"

msgid "Back"
msgstr "Takaisin"

msgid "Continue"
msgstr ""

#, fuzzy
msgid "Pause"
msgstr "Tauko"

msgid "You answered: {answer}"
msgstr "Vastasit: {vastaus}"

msgid "Your answer now: {answer}"
msgstr "Vastauksesi nyt: {answer"

msgid "Unfinished answers are deleted after {hours} hours."
msgstr "Keskeneräiset vastaukset poistetaan."

msgid "You can stop at any time with /stop."
msgstr "Voit lopettaa milloin tahansa komennolla /seis."

msgid "Help: /help"
msgstr "Ohjeet: /apua"

msgid "Language: /language"
msgstr "Kieli: /lopeta"

msgid "First.\n\nSecond."
msgstr "Ensin. Sitten."

#~ msgid "Old text"
#~ msgstr "Vanha teksti"
"""


@pytest.fixture
def broken(tmp_path: Path) -> Catalog:
    """The broken catalog, written to disk and read back like the real ones."""
    path = i18n.catalog_path("fi", tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(BROKEN_PO, encoding="utf-8")
    return read_catalog(path, "fi")


def test_missing_reports_a_message_the_catalog_lacks(broken: Catalog) -> None:
    used = {("Back", None), ("Send answers", None)}
    assert missing(broken, used) == ["missing: 'Send answers'"]


def test_untranslated_reports_an_empty_msgstr(broken: Catalog) -> None:
    assert untranslated(broken) == ["untranslated: 'Continue'"]


def test_fuzzy_reports_a_fuzzy_message(broken: Catalog) -> None:
    assert fuzzy(broken) == ["fuzzy: 'Pause'"]


def test_fuzzy_reports_a_fuzzy_header() -> None:
    catalog = parse_po('#, fuzzy\nmsgid ""\nmsgstr "Language: fi\\n"\n')
    assert fuzzy(catalog) == ["fuzzy header"]


def test_obsolete_reports_a_leftover_entry(broken: Catalog) -> None:
    assert obsolete(broken) == ["obsolete: 'Old text'"]


def test_placeholder_mismatches_reports_renamed_dropped_and_broken_fields(
    broken: Catalog,
) -> None:
    problems = placeholder_mismatches(broken)
    assert len(problems) == 3, problems
    assert any("'You answered: {answer}'" in p and "['vastaus']" in p for p in problems)
    assert any(p.startswith("bad braces in msgstr of 'Your answer now") for p in problems)
    assert any("{hours}" in p and "msgstr has []" in p for p in problems)


def test_placeholder_mismatches_reports_an_added_field() -> None:
    catalog = parse_po('msgid ""\nmsgstr ""\n\nmsgid "Hello"\nmsgstr "Hei {name}"\n')
    assert placeholder_mismatches(catalog) == [
        "placeholders of 'Hello': msgid has [], msgstr has ['name']"
    ]


def test_command_mismatches_reports_a_translated_command(broken: Catalog) -> None:
    assert command_mismatches(broken) == [
        "commands of 'You can stop at any time with /stop.': msgid has ['/stop'], "
        "msgstr has ['/seis']",
        "commands of 'Language: /language': msgid has ['/language'], msgstr has ['/stop']",
    ]


def test_command_mismatches_takes_a_commands_own_name_in_its_language_only() -> None:
    po = 'msgid ""\nmsgstr ""\n\nmsgid "Help: /help"\nmsgstr "{}: /apua"\n'
    assert command_mismatches(parse_po(po.format("Ohjeet"), "fi")) == []
    assert command_mismatches(parse_po(po.format("Hjälp"), "sv")) == [
        "commands of 'Help: /help': msgid has ['/help'], msgstr has ['/apua']"
    ]


def test_paragraph_mismatches_reports_a_lost_blank_line(broken: Catalog) -> None:
    assert paragraph_mismatches(broken) == [
        "paragraphs of 'First.\\n\\nSecond.': 1 blank lines expected"
    ]


def test_english_mismatches_reports_changed_english(broken: Catalog) -> None:
    assert "English text differs from msgid: 'Back'" in english_mismatches(broken)


def test_load_translations_ignores_fuzzy_and_fails_without_a_catalog(
    broken: Catalog, tmp_path: Path
) -> None:
    t = i18n.load_translations("fi", tmp_path)
    assert t.gettext("Back") == "Takaisin"
    assert t.gettext("Pause") == "Pause"  # fuzzy: not used
    with pytest.raises(FileNotFoundError):
        i18n.load_all(tmp_path)  # only fi exists there
