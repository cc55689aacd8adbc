"""Interface text from gettext catalogs (babel), one per language, loaded at start-up.

The catalogs are read from the `.po` files directly, so no compiled files are kept in the
repository and a missing catalog stops start-up instead of silently showing English.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.core import sessions

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en", "et", "so", "ar", "fa", "ru", "uk")
DEFAULT_LANGUAGE = sessions.DEFAULT_LANGUAGE
DOMAIN = "messages"

RIGHT_TO_LEFT = frozenset({"ar", "fa"})
"""The languages with a catalog that are written right to left (CLDR's character order; kept
here so that the running bot does not load CLDR's data for it)."""

FSI = "\u2068"  # first strong isolate: the direction of what is inside is its own
LRI = "\u2066"  # left-to-right isolate: for what is always Latin, such as /stop
PDI = "\u2069"  # pop directional isolate: ends either

# A `{field}` of str.format (with an @ before it, as in "@{bot}", so a mention stays whole) and
# a Telegram command such as /stop (the same pattern as the catalog checks use).
_FIELD = re.compile(r"@?\{[^{}]*\}")
_COMMAND = re.compile(r"(?<![\w/])/[a-z]+\b")


def locales_dir() -> Path:
    """The catalogs: inside the installed package, or at the top of a source checkout."""
    packaged = Path(str(files("bot"))) / "locales"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "locales"


def catalog_path(lang: str, directory: Path | None = None) -> Path:
    """Where the catalog of one language lives."""
    return (directory or locales_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def isolate(text: str) -> str:
    """A right-to-left message with each inserted `{field}` and each /command isolated.

    Telegram lays out a message by the Unicode bidirectional algorithm, so a Latin session
    label, a join code, a number or /stop inside Arabic or Persian text can pull its
    neighbours out of order ("Code: ABC-123." turns round). A field is wrapped in first strong
    isolate and pop directional isolate (FSI ... PDI): whatever is filled in later keeps its
    own direction, Arabic names included. A command is always Latin, so it gets a
    left-to-right isolate (LRI ... PDI). The isolates are invisible; Telegram still finds the
    commands and links inside them (neither counts them as part of a word or a link), and
    typed answers are compared without them (`bot.core.checkin.typed_form`).
    """
    fields = _FIELD.sub(lambda match: f"{FSI}{match[0]}{PDI}", text)
    return _COMMAND.sub(lambda match: f"{LRI}{match[0]}{PDI}", fields)


def _isolate_catalog(catalog: Catalog) -> None:
    """Every translation of a right-to-left catalog isolated (see `isolate`), once, when it
    is loaded: the texts in bot.ui need no care of their own and the .po files stay plain."""
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.string, str):
            message.string = isolate(message.string)
        elif message.string:
            message.string = tuple(isolate(form) for form in message.string)


def load_translations(lang: str, directory: Path | None = None) -> Translations:
    """Compile one catalog in memory; fuzzy entries are never used. Right-to-left catalogs
    get their fields and commands isolated on the way (see `isolate`)."""
    path = catalog_path(lang, directory)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    if lang in RIGHT_TO_LEFT:
        _isolate_catalog(catalog)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def load_all(directory: Path | None = None) -> dict[str, Translations]:
    """Every offered language's catalog."""
    return {lang: load_translations(lang, directory) for lang in LANGUAGES}


def negotiate(language_code: str | None) -> str:
    """The offered language that matches a Telegram language code, else Finnish."""
    if not language_code:
        return DEFAULT_LANGUAGE
    try:
        language = Locale.parse(language_code, sep="-").language
    except (UnknownLocaleError, ValueError):
        return DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def interface_language(lang: str) -> str:
    """The language of the bot's own messages for someone whose statements are in `lang`:
    the same when it has a catalog, else Finnish (the statements stay in `lang`)."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def picker_order(languages: Iterable[str]) -> tuple[str, ...]:
    """The languages with a catalog first, in their order, then the others alphabetically."""
    offered = set(languages)
    return (
        *(lang for lang in LANGUAGES if lang in offered),
        *sorted(offered - set(LANGUAGES)),
    )


ENDONYMS = {
    "fi": "Suomi",
    "sv": "Svenska",
    "en": "English",
    "ru": "Русский",
    "uk": "Українська",
    "et": "Eesti",
    "ar": "العربية",
    "fa": "فارسی",
    "so": "Soomaali",
}
"""CLDR's names of the shipped languages, kept here: loading CLDR's data for every language
would cost the running bot about 15 MB."""


def endonym(lang: str) -> str:
    """The language's name in itself and its own script (CLDR), as a button label."""
    if lang in ENDONYMS:
        return ENDONYMS[lang]
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (UnknownLocaleError, ValueError):
        name = lang
    return name[:1].upper() + name[1:]
