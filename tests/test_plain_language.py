"""The plain-language check over the participant catalogs: the committed texts pass, and each
rule fails on a text that breaks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from bot.ui import i18n
from scripts import plain_language as plain


def test_the_committed_participant_texts_are_plain() -> None:
    assert [str(problem) for problem in plain.check()] == []


def test_the_check_covers_the_participant_texts_only() -> None:
    msgids = plain.participant_messages()
    assert "Statement {number} of {count}" in msgids
    assert "tomorrow at {time}" in msgids
    assert "Choose the activity:" not in msgids  # a facilitator's text


def rules(lang: str, text: str) -> list[str]:
    return [problem.rule for problem in plain.check_text(lang, "msgid", text)]


def test_a_sentence_of_eleven_words_fails_and_ten_pass() -> None:
    assert (
        rules("fi", "Yksi kaksi kolme neljä viisi kuusi seitsemän kahdeksan yhdeksän kymmenen.")
        == []
    )
    eleven = "Yksi kaksi kolme neljä viisi kuusi seitsemän kahdeksan yhdeksän kymmenen yksitoista."
    assert rules("fi", eleven) == ["sentence too long"]


def test_every_catalog_is_checked_and_has_a_sentence_limit() -> None:
    assert set(plain.catalogs()) == set(i18n.LANGUAGES)
    assert set(plain.catalogs()) <= set(plain.MAX_WORDS)


@pytest.mark.parametrize("lang", sorted(plain.MAX_WORDS))
def test_each_languages_sentence_limit_holds(lang: str) -> None:
    limit = plain.MAX_WORDS[lang]
    assert rules(lang, " ".join(["X"] * limit) + ".") == []
    assert rules(lang, " ".join(["X"] * (limit + 1)) + ".") == ["sentence too long"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # Estonian: "I show you ten statements about your life and you answer calmly." (11)
        ("et", "Näitan sulle kümme väidet sinu elu kohta ja sina vastad rahulikult."),
        # Somali: "I show you ten statements about your life, you answer them." (11)
        ("so", "Waxaan ku tusayaa toban odhaah oo ku saabsan noloshaada, waad ka jawaabtaa."),
        # Persian: the same with "with the buttons", sixteen words.
        (
            "fa",
            "من ده جمله درباره زندگی شما نشان می‌دهم و شما با دکمه‌ها به آنها پاسخ می‌دهید.",  # noqa: RUF001
        ),
    ],
)
def test_a_sentence_over_the_limit_fails_in_the_new_languages(lang: str, text: str) -> None:
    assert rules(lang, text) == ["sentence too long"]


def test_words_are_counted_as_a_reader_sees_them() -> None:
    # A zero-width non-joiner joins the parts of one Persian word (mi-davam, "I run").
    assert plain.words(plain.prose("می\u200cدوم")) == ["میدوم"]
    # Arabic vowel signs belong to their letters: one word (kataba, "he wrote").
    assert len(plain.words(plain.prose("كَتَبَ"))) == 1
    # Direction isolates around an inserted name split nothing and are not read.
    assert plain.words(plain.prose("Hei \u2068{name}\u2069!")) == ["Hei", "X"]
    # An Arabic question mark ends a sentence.
    assert len(plain.sentences("هل أنت بخير؟ نعم")) == 2


def test_a_catalog_without_a_sentence_limit_is_reported_and_still_checked_for_noise() -> None:
    catalog = Catalog(locale="se")
    catalog.add("Back", "Ruovttoluotta →")
    problems = plain.check_catalog("se", catalog, ["Back"])
    assert [problem.rule for problem in problems] == ["no sentence limit", "read aloud as noise"]


def test_a_new_catalog_is_checked_without_being_listed(tmp_path: Path) -> None:
    catalog = tmp_path / "locales" / "et" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(
        'msgid ""\nmsgstr "Language: et\\n"\n\n'
        'msgid "Sorry, I did not understand."\nmsgstr "Vastust ei saadud kätte."\n',
        encoding="utf-8",
    )
    (tmp_path / "bot" / "ui").mkdir(parents=True)
    for module in plain.PARTICIPANT_MODULES:
        (tmp_path / module).write_text(
            "def f(t):\n    return t.gettext('Sorry, I did not understand.')\n",
            encoding="utf-8",
        )
    assert [(p.lang, p.rule, p.detail) for p in plain.check(tmp_path)] == [
        ("et", "passive", "saadud")
    ]


def test_a_field_counts_as_one_word_and_a_time_inside_a_sentence_does_not_end_it() -> None:
    assert rules("fi", "Jatka viimeistään {when}. Kello 14.30 poistan ne.") == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fi", "Keskeneräiset vastaukset poistan huomenna."),
        ("fi", "Vastaus on nimetön."),
        ("fi", "Botti kiittää."),
        ("fi", "Tietoa väittämistä."),
        ("fi", "Poistan ne 24 tunnin kuluttua."),
        ("sv", "Boten tackar dig."),
        ("en", "Your answers are anonymous."),
        ("en", "Thank you, e.g. for answering."),
    ],
)
def test_a_word_to_avoid_fails(lang: str, text: str) -> None:
    assert "word to avoid" in rules(lang, text)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fi", "Vastaukset poistetaan."),
        ("fi", "Vastaukset tallennettiin."),
        ("fi", "Kyselyyn vastataan nimettä."),
        ("sv", "Svaren sparas."),
        ("sv", "Svaren raderades i går."),
        ("et", "Vastused kustutatakse homme."),
        ("et", "Seda tehakse kord aastas."),
        ("et", "Sinu vastused on salvestatud."),
        ("et", "Vastused saadeti ära."),
        ("et", "Vastused müüdi maha."),
        ("en", "Your answers are deleted."),
        ("en", "The answers were saved."),
    ],
)
def test_a_passive_fails(lang: str, text: str) -> None:
    assert "passive" in rules(lang, text)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fi", "En poistanut mitään."),
        ("fi", "Jatka viimeistään huomenna."),
        ("sv", "Dina svar finns kvar."),
        ("et", "Kustutasin sinu vastused. Proovi uuesti."),
        ("et", "Vali, kui palju sa nõustud."),
        ("et", "Vaata koodi. Ma olen alati siin."),
        ("en", "I deleted your answers."),
    ],
)
def test_the_allow_list_and_active_sentences_pass(lang: str, text: str) -> None:
    assert rules(lang, text) == []


def test_an_unknown_abbreviation_fails_and_known_names_pass() -> None:
    assert rules("fi", "Väitteet ovat THL:ltä. Avaa QR-koodi.") == []
    assert rules("fi", "Väitteet ovat ESIS-mittarista.") == ["abbreviation"]


@pytest.mark.parametrize(
    "text",
    [
        "Vastauksesi → kyllä",
        "Jatka ⟶ alas",
        "Lähetä ⇨",
        "Muuta -> 3",
        "Väite 3/10",
        "Väite 3 / 10",
    ],
)
def test_symbols_read_aloud_as_noise_fail(text: str) -> None:
    assert "read aloud as noise" in rules("fi", text)


def test_every_catalog_is_checked_for_noise_whatever_its_language() -> None:
    assert {"fi", "sv", "en"} <= set(plain.catalogs())
    catalog = Catalog(locale="ru")
    catalog.add("Statement {number} of {count}", "Утверждение {number} ➜ {count}")
    catalog.add("Start", "Начать → сейчас")
    catalog.add("Choose the activity:", "Выберите → занятие:")  # a facilitator's text
    msgids = ("Statement {number} of {count}", "Start")
    problems = plain.check_catalog("ru", catalog, msgids)
    assert [(p.lang, p.msgid, p.rule, p.detail) for p in problems] == [
        ("ru", "Statement {number} of {count}", "read aloud as noise", "➜"),
        ("ru", "Start", "read aloud as noise", "→"),
    ]


def test_hard_swedish_fails_the_lix_limit() -> None:
    hard = {
        "x": "Kommunikationsmöjligheterna beträffande informationsinsamlingen "
        "förutsätter användarmedverkan."
    }
    assert [p.rule for p in plain.check_readability("sv", hard)] == ["LIX too high"]
    easy = {"x": "Jag har en kort enkät till dig. Du kan sluta när du vill."}
    assert plain.check_readability("sv", easy) == []


def test_hard_english_fails_the_reading_ease_limit() -> None:
    hard = {
        "x": "Participation necessitates comprehensive authorization. "
        "Organizational responsibilities accumulate."
    }
    assert [p.rule for p in plain.check_readability("en", hard)] == ["Flesch reading ease too low"]
    easy = {"x": "I have a short check-in for you. You can stop at any time."}
    assert plain.check_readability("en", easy) == []


def test_lix_and_flesch_follow_their_formulas() -> None:
    # 4 words, 1 sentence, 2 of them longer than six letters: 4 + 50.
    assert plain.lix("Handledaren skickar en kod.") == pytest.approx(54.0)
    # 4 words, 1 sentence, 4 syllables: 206.835 - 1.015 * 4 - 84.6 * 1.
    assert plain.flesch("I sent the code.") == pytest.approx(206.835 - 4.06 - 84.6)
