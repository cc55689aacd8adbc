"""The gettext catalogs in locales/: complete, current, and safe to `.format()`.

Each check is a small function that takes a catalog and returns its problems as readable lines,
so a failing test says exactly which message is wrong. Every check is also run on a deliberately
broken catalog, to show that it can fail.
"""

from __future__ import annotations

import configparser
import gettext
import io
import itertools
import re
import string
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.support import Translations

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
    "ru": "Язык теперь русский.",
    "uk": "Мова тепер українська.",
}

# Every plural message is rendered with these numbers: together they reach every plural form
# of the catalogs' languages (Russian and Ukrainian 1 / 2-4 / 0, 11-14 and 100; Arabic's six).
PLURAL_SAMPLES = (0, 1, 2, 3, 11, 100)

# Plural forms that may be the same text in every message, because the language's words do
# not change between them after a number written in digits. Any other two forms that are the
# same in every message are a form copied instead of written.
SAME_FORMS = {
    "ar": frozenset({0, 1, 5}),  # a noun is singular after 0, 1 and 100 or more
    "fa": frozenset({0, 1}),  # Persian keeps a noun after any number in the singular
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


# --- plural forms: each language's own rule, as CLDR (babel) gives it -----------------------


def plural_rule(lang: str) -> tuple[int, Callable[[int], int]]:
    """How many plural forms CLDR's rule for `lang` has, and which form it picks for `n`."""
    rule = get_plural(lang)
    return rule.num_plurals, gettext.c2py(rule.plural_expr)


def as_shown(lang: str, text: str) -> str:
    """A catalog's text as the bot shows it: right-to-left ones with their isolates."""
    return i18n.isolate(text) if lang in i18n.RIGHT_TO_LEFT else text


def plural_header_mismatches(catalog: Catalog, lang: str) -> list[str]:
    """A Plural-Forms header that differs from CLDR's rule for the language (in the number of
    forms, or in the form it picks for any count up to 1000)."""
    count, pick = plural_rule(lang)
    header = gettext.c2py(catalog.plural_expr)
    if catalog.num_plurals == count and all(header(n) == pick(n) for n in range(1001)):
        return []
    return [f"Plural-Forms of {lang}: {catalog.plural_forms!r}, CLDR: {get_plural(lang)!s}"]


def plural_rendering_problems(
    catalog: Catalog, lang: str, translations: Translations
) -> list[str]:
    """A plural message that, shown for one of PLURAL_SAMPLES, is not the form CLDR's rule picks,
    is empty, or leaves out the number."""
    count, pick = plural_rule(lang)
    problems = []
    for message in messages(catalog):
        if not message.pluralizable:
            continue
        singular, plural = texts(message.id)
        forms = texts(message.string)
        if len(forms) != count:
            problems.append(f"{singular!r} has {len(forms)} plural forms, {lang} has {count}")
            continue
        for n in PLURAL_SAMPLES:
            numbers = dict.fromkeys(fields(singular), n)
            shown = translations.ngettext(singular, plural, n).format(**numbers)
            wanted = as_shown(lang, forms[pick(n)]).format(**numbers)
            if not wanted or shown != wanted or str(n) not in shown:
                problems.append(f"{singular!r} for {n}: {shown!r}, form {pick(n)} is {wanted!r}")
    return problems


def indistinct_plural_forms(catalog: Catalog, lang: str) -> list[str]:
    """Two plural forms that are the same text in every plural message: a form copied instead
    of written. (One message may repeat a form: Finnish says "tunnin aikana" for 1 and for 5.)"""
    alike = SAME_FORMS.get(lang, frozenset())
    plurals = [texts(message.string) for message in messages(catalog) if message.pluralizable]
    count = plural_rule(lang)[0]
    return [
        f"plural forms {a} and {b} of {lang} are the same in every message"
        for a, b in itertools.combinations(range(count), 2)
        if not {a, b} <= alike
        and plurals
        and all(len(forms) == count and forms[a] == forms[b] for forms in plurals)
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


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_plural_forms_follow_the_languages_own_rule(lang: str) -> None:
    """Every plural message, for 0, 1, 2, 3, 11 and 100: the number in the form CLDR picks."""
    catalog = committed(lang)
    assert any(message.pluralizable for message in messages(catalog))
    assert plural_header_mismatches(catalog, lang) == []
    assert plural_rendering_problems(catalog, lang, i18n.load_translations(lang)) == []
    assert indistinct_plural_forms(catalog, lang) == []


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


PLURAL_PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\n"
"Language: ru\n"
"Plural-Forms: {header}\n"

msgid "After {{hours}} hour without an answer, I delete them."
msgid_plural "After {{hours}} hours without an answer, I delete them."
{forms}
"""
RUSSIAN_RULE = get_plural("ru").plural_forms
HOURS = ("час", "часа", "часов")


def russian_plurals(tmp_path: Path, header: str, words: tuple[str, ...]) -> list[str]:
    """Every plural problem of a Russian catalog with this header and these forms of "hour"."""
    forms = "\n".join(
        f'msgstr[{index}] "Через {{hours}} {word} без ответа я их удаляю."'
        for index, word in enumerate(words)
    )
    path = i18n.catalog_path("ru", tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(PLURAL_PO.format(header=header, forms=forms), encoding="utf-8")
    catalog = read_catalog(path, "ru")
    return [
        *plural_header_mismatches(catalog, "ru"),
        *plural_rendering_problems(catalog, "ru", i18n.load_translations("ru", tmp_path)),
        *indistinct_plural_forms(catalog, "ru"),
    ]


def test_plural_checks_pass_the_right_forms(tmp_path: Path) -> None:
    assert russian_plurals(tmp_path, RUSSIAN_RULE, HOURS) == []


def test_plural_checks_report_a_wrong_plural_forms_header(tmp_path: Path) -> None:
    problems = russian_plurals(tmp_path, "nplurals=2; plural=(n != 1);", HOURS[:2])
    assert problems == [
        "Plural-Forms of ru: 'nplurals=2; plural=(n != 1);', CLDR: " + RUSSIAN_RULE,
        "'After {hours} hour without an answer, I delete them.' has 2 plural forms, ru has 3",
    ]


def test_plural_checks_report_a_header_that_picks_the_wrong_form(tmp_path: Path) -> None:
    wrong = RUSSIAN_RULE.replace("n % 100 != 11", "n % 100 != 12")  # 11 as one, 12 as many
    problems = russian_plurals(tmp_path, wrong, HOURS)
    assert problems[0].startswith("Plural-Forms of ru:")
    assert "'Через 11 час без ответа я их удаляю.'" in problems[1]


def test_plural_checks_report_a_missing_form(tmp_path: Path) -> None:
    problems = russian_plurals(tmp_path, RUSSIAN_RULE, HOURS[:2])
    assert problems
    assert all("form 2 is ''" in p for p in problems)
    assert {p.split(":")[0].rsplit(" ", 1)[1] for p in problems} == {"0", "11", "100"}


def test_plural_checks_report_a_copied_form(tmp_path: Path) -> None:
    problems = russian_plurals(tmp_path, RUSSIAN_RULE, ("час", "часа", "часа"))
    assert problems == ["plural forms 1 and 2 of ru are the same in every message"]


def test_load_translations_ignores_fuzzy_and_fails_without_a_catalog(
    broken: Catalog, tmp_path: Path
) -> None:
    t = i18n.load_translations("fi", tmp_path)
    assert t.gettext("Back") == "Takaisin"
    assert t.gettext("Pause") == "Pause"  # fuzzy: not used
    with pytest.raises(FileNotFoundError):
        i18n.load_all(tmp_path)  # only fi exists there
