"""Check that every participant text in the catalogs is written in plain language.

Participant texts are the messages of `bot/ui/texts.py`, `times.py` and `poster.py`, in every
language that has a catalog in `locales/`: Finnish (selkokieli), Swedish (lättläst), English
(easy read) and the others. A text fails when it has:

- a sentence longer than its language's limit (`MAX_WORDS`, ten words in most languages);
- a word from the list of words to avoid (long official words, the bot speaking of itself in
  the third person, vague durations instead of a clock time, abbreviations);
- a passive or impersonal form (Finnish -taan/-tään/-daan/-dään/-ttiin..., Estonian
  -takse/-dakse, -tud/-dud, -ti/-di, Swedish s-passive, English "is/was ... -ed"), unless the
  word is on the short allow-list;
- a symbol that a screen reader reads aloud as noise (an arrow such as "→" or "->", a bullet,
  a bare "3/10");
- a Swedish text too hard to read (LIX) or an English one (Flesch reading ease).

Every catalog in locales/ is checked, whatever its language: sentence length, symbols and
abbreviations in all; the rules that need a language's own word lists (words to avoid, passive
forms, readability) where the language has them.

The readability formulas are a few lines each, written here rather than taken from a library:
both need only word, sentence and syllable counts, and the libraries that offer them bring
pronunciation dictionaries and hyphenation tables far larger than this file.

Run `python scripts/plain_language.py`: it prints each problem and exits with 1 if there are
any. `tests/test_plain_language.py` runs it in the test suite.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PARTICIPANT_MODULES = ("bot/ui/texts.py", "bot/ui/times.py", "bot/ui/poster.py")
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext": None, "_": None}

MAX_WORDS: dict[str, int] = {
    # Ten words, as in Finnish selkokieli and Swedish and English easy-read guidance.
    "fi": 10,
    "sv": 10,
    "en": 10,
    # Estonian, like Finnish, says with endings what other languages say with small words.
    "et": 10,
    # Russian and Ukrainian have no articles and say "to", "of" and "with" with endings.
    "ru": 10,
    "uk": 10,
    # Arabic writes "and", "to", "the" and pronouns onto the word they belong to.
    "ar": 10,
    # Persian writes most verbs as two words (a noun and kardan, "to do": pak kardan, "to
    # delete") and the object marker rā apart, so the same short sentence has a word or two more.
    "fa": 12,
    # Somali writes its focus words (waa, ayaa) and small verb words (ka, ku, u) apart, but
    # says no more in them than English does in its articles: the same ten words.
    "so": 10,
}
"""The most words a sentence may have, per language: decided for each language with a
catalog (a new catalog without a limit is reported as a problem)."""
MAX_LIX = 40
"""LIX above 40 is "medium" Swedish; easy-to-read texts stay well under it."""
MIN_FLESCH = 60
"""Flesch reading ease of 60 or more is "plain English"; below it, "fairly difficult"."""

AVOID: dict[str, tuple[str, ...]] = {
    # Word beginnings, so every inflected form is caught.
    "fi": (
        "keskeneräi",
        "nimetö",
        "kieliversio",
        "tallennetaan",
        "tallennettu",
        "väittäm",
        "anonyymi",
        "kuluttua",
        "botti",
        "kyseinen",
        "esim.",
        "jne.",
        "ko.",
        "mm.",
        "ym.",
    ),
    "sv": (
        "anonym",
        "ofullständig",
        "språkversion",
        "radera",
        "boten",
        "provisorisk",
        "t.ex",
        "osv",
        "bl.a",
    ),
    "en": (
        "anonymous",
        "unfinished",
        "provisional",
        "language version",
        "the bot",
        "this bot",
        "e.g",
        "i.e",
        "etc",
    ),
}

PASSIVE: dict[str, re.Pattern[str]] = {
    "fi": re.compile(r"\w{2,}(?:taan|tään|daan|dään|ttiin|ttu|tty|ttua|ttyä)\b", re.IGNORECASE),
    # Estonian impersonal: -takse/-dakse (and the -akse of tehakse, nähakse), the participle
    # -tud/-dud and the past -ti/-di; -sti ends adverbs (uuesti, valesti), never the past.
    "et": re.compile(r"\w+akse\b|\w{2,}(?:tud|dud)\b|\w{2,}(?<!s)(?:ti|di)\b", re.IGNORECASE),
    "sv": re.compile(r"\w{3,}(?:as|ades|ats)\b", re.IGNORECASE),
    "en": re.compile(r"\b(?:am|is|are|was|were|be|been|being)\s+\w+ed\b", re.IGNORECASE),
}
PASSIVE_ALLOWED: dict[str, frozenset[str]] = {
    # Words that only look passive: "nothing", "nobody", "at all", "I take ... (vastaan)",
    # "at least", "at most", "at the latest".
    "fi": frozenset(
        {"mitään", "ketään", "yhtään", "vastaan", "vähintään", "enintään", "viimeistään"}
    ),
    # "You agree" (nõustu-d), "of the code", "always", "separately".
    "et": frozenset({"nõustud", "koodi", "alati", "eraldi"}),
    # Deponent verbs, active in meaning.
    "sv": frozenset({"finnas", "hoppas", "lyckas", "minnas", "trivas", "andas", "kallas"}),
    "en": frozenset(),
}

ABBREVIATIONS_ALLOWED = frozenset({"THL", "QR"})
"""Names everyone in Finland knows by their letters, written out in /about."""

NOISE = re.compile(
    # Unicode's arrows, dingbat arrows, supplemental arrows, arrows among the miscellaneous
    # symbols; a bullet; arrows typed in ASCII; a bare fraction such as "3/10".
    r"[\u2190-\u21ff\u2794-\u27bf\u27f0-\u27ff\u2900-\u297f\u2b00-\u2bff•]"
    r"|->|=>|<-|\d+\s*/\s*\d+"
)
FIELD = re.compile(r"\{[^}]*\}")
COMMAND = re.compile(r"/[a-z]+\b")
WORD = re.compile(r"[^\W_]+(?:[-'\u2019:.][^\W_]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?:؟])\s+|\n+")
ACRONYM = re.compile(r"\b[A-ZÅÄÖ]{2,}\b")
VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True, slots=True)
class Problem:
    """One rule one text breaks."""

    lang: str
    msgid: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.lang}: {self.rule}: {self.detail}  [{self.msgid!r}]"


def participant_messages(root: Path = ROOT) -> set[str]:
    """The msgids (singular) the participant modules ask for."""
    found: set[str] = set()
    for module in PARTICIPANT_MODULES:
        for _lineno, message, _comments, _context in extract_from_file(
            "python", root / module, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def prose(text: str) -> str:
    """The text as a person reads it: a field stands for one word, commands for a word.

    Invisible characters and marks are dropped, so they never split a word: a Persian word's
    parts joined by a zero-width non-joiner are one word, Arabic vowel signs belong to their
    letters, and direction marks and isolates are not read at all.
    """
    seen = "".join(
        char
        for char in unicodedata.normalize("NFC", text)
        if unicodedata.category(char) not in {"Cf", "Mn"}
    )
    return COMMAND.sub("command", FIELD.sub("X", seen))


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(prose(text)) if WORD.search(part)]


def words(text: str) -> list[str]:
    return WORD.findall(text)


def long_sentences(lang: str, text: str) -> Iterator[str]:
    for sentence in sentences(text):
        if len(words(sentence)) > MAX_WORDS[lang]:
            yield f"{len(words(sentence))} words: {sentence.strip()}"


def avoided(lang: str, text: str) -> Iterator[str]:
    lowered = prose(text).casefold()
    for word in AVOID.get(lang, ()):
        if re.search(r"(?<!\w)" + re.escape(word) + (r"\w*" if "." not in word else ""), lowered):
            yield word


def passives(lang: str, text: str) -> Iterator[str]:
    if lang not in PASSIVE:
        return
    for match in PASSIVE[lang].finditer(prose(text)):
        if match.group(0).casefold() not in PASSIVE_ALLOWED[lang]:
            yield match.group(0)


def abbreviations(text: str) -> Iterator[str]:
    for match in ACRONYM.finditer(prose(text)):
        if match.group(0) not in ABBREVIATIONS_ALLOWED:
            yield match.group(0)


def lix(text: str) -> float:
    """Läsbarhetsindex: words per sentence plus the share of words longer than six letters."""
    found = words(prose(text))
    if not found:
        return 0.0
    long = sum(len(word) > 6 for word in found)
    return len(found) / max(len(sentences(text)), 1) + 100 * long / len(found)


def syllables(word: str) -> int:
    """English syllables, counted as vowel groups, less a silent final e (at least one)."""
    lowered = word.casefold()
    count = len(VOWELS.findall(lowered))
    if lowered.endswith("e") and not lowered.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def flesch(text: str) -> float:
    """Flesch reading ease: higher is easier; 60 to 70 is plain English."""
    found = words(prose(text))
    if not found:
        return 100.0
    per_sentence = len(found) / max(len(sentences(text)), 1)
    per_word = sum(syllables(word) for word in found) / len(found)
    return 206.835 - 1.015 * per_sentence - 84.6 * per_word


def check_text(lang: str, msgid: str, text: str) -> list[Problem]:
    """Every rule that one translation of one message breaks."""
    problems = [Problem(lang, msgid, "sentence too long", s) for s in long_sentences(lang, text)]
    problems += [Problem(lang, msgid, "word to avoid", w) for w in avoided(lang, text)]
    problems += [Problem(lang, msgid, "passive", w) for w in passives(lang, text)]
    problems += [Problem(lang, msgid, "abbreviation", w) for w in abbreviations(text)]
    return problems + noise(lang, msgid, text)


def noise(lang: str, msgid: str, text: str) -> list[Problem]:
    """The symbols in a text that a screen reader reads aloud as noise, in any language."""
    return [Problem(lang, msgid, "read aloud as noise", m.group(0)) for m in NOISE.finditer(text)]


def check_readability(lang: str, texts: dict[str, str]) -> list[Problem]:
    """The catalog's participant texts read together: LIX for Swedish, Flesch for English."""
    whole = "\n".join(texts.values())
    if lang == "sv" and (score := lix(whole)) > MAX_LIX:
        return [Problem(lang, "(all)", "LIX too high", f"{score:.0f} > {MAX_LIX}")]
    if lang == "en" and (score := flesch(whole)) < MIN_FLESCH:
        return [Problem(lang, "(all)", "Flesch reading ease too low", f"{score:.0f}")]
    return []


def translations(catalog: Catalog, msgids: Iterable[str]) -> dict[str, str]:
    """Each participant message's translation (plural forms one after another)."""
    found: dict[str, str] = {}
    for msgid in msgids:
        message = catalog.get(msgid)
        if message is None or not message.string:
            continue
        strings = [message.string] if isinstance(message.string, str) else message.string
        found[msgid] = "\n".join(str(text) for text in strings)
    return found


def check_catalog(lang: str, catalog: Catalog, msgids: Iterable[str]) -> list[Problem]:
    """Every rule for the language: the sentence limit, symbols and abbreviations in any
    language, and the word lists and readability where the language has them."""
    texts = translations(catalog, msgids)
    if lang not in MAX_WORDS:
        unlimited = Problem(lang, "(all)", "no sentence limit", "decide one in MAX_WORDS")
        return [unlimited, *(p for msgid, text in texts.items() for p in noise(lang, msgid, text))]
    problems = [p for msgid, text in texts.items() for p in check_text(lang, msgid, text)]
    return problems + check_readability(lang, texts)


def catalogs(root: Path = ROOT) -> list[str]:
    """The languages with a catalog in locales/."""
    return sorted(path.parent.parent.name for path in root.glob("locales/*/LC_MESSAGES/*.po"))


def check(root: Path = ROOT) -> list[Problem]:
    """Every problem in the committed catalogs."""
    msgids = participant_messages(root)
    problems = []
    for lang in catalogs(root):
        path = root / "locales" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            problems += check_catalog(lang, read_po(handle, locale=lang), sorted(msgids))
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
