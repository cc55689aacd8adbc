"""Participant texts that a screen reader reads aloud: progress in words, no arrows, change
buttons that name their statement, and counts with the right plural."""

from datetime import UTC, datetime

from bot.core.checkin import Draft, Stage
from bot.core.instrument import STATEMENT_COUNT, load_instruments
from bot.ui import buttons as cb
from bot.ui import texts
from bot.ui.i18n import LANGUAGES, load_all

T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
FI = load_all()["fi"]
INSTRUMENTS = load_instruments(LANGUAGES)


def reviewing(lang: str = "fi") -> Draft:
    draft = Draft.begin(1, lang, T0)
    return Draft(
        **{
            **{slot: getattr(draft, slot) for slot in Draft.__slots__},
            "answers": (4,) * STATEMENT_COUNT,
            "stage": Stage.REVIEW,
        }
    )


def test_progress_is_said_in_words_not_as_a_fraction() -> None:
    shown = texts.statement(FI, INSTRUMENTS["fi"], Draft.begin(1, "fi", T0))
    assert shown.text.startswith("Väite 1, yhteensä 10\n")
    assert "1/10" not in shown.text


def test_the_review_names_each_answer_without_arrows() -> None:
    shown = texts.review_answers(FI, INSTRUMENTS["fi"], reviewing()).text
    assert "→" not in shown
    assert shown.count("Vastauksesi: jokseenkin samaa mieltä") == STATEMENT_COUNT


def test_each_change_button_names_its_statement_and_fits_a_small_screen() -> None:
    instrument = INSTRUMENTS["fi"]
    draft = reviewing()
    rows = texts.review(FI, instrument, draft).buttons
    changes = [row[0] for row in rows if cb.parse(row[0][1]).__class__ is cb.Change]
    assert len(changes) == STATEMENT_COUNT
    for item, (label, data) in enumerate(changes):
        assert cb.parse(data) == cb.Change(draft.nonce, item)
        assert label.startswith(f"Muuta {item + 1}: ")
        assert len(label) <= texts.CHANGE_LABEL_LENGTH
        said = label.removeprefix(f"Muuta {item + 1}: ").removesuffix("…")
        assert instrument.statements[item].startswith(said)


def test_a_long_statement_is_cut_at_a_word() -> None:
    assert texts.shorten("Kuulun itselleni tärkeään porukkaan", 24) == "Kuulun itselleni…"
    assert texts.shorten("Lyhyt väite", 24) == "Lyhyt väite"


def test_counts_use_the_plural_forms_of_each_language() -> None:
    catalogs = load_all()
    assert "After 1 hour without" in texts.privacy_text(catalogs["en"], 1, 5)
    assert "After 24 hours without" in texts.privacy_text(catalogs["en"], 24, 5)
    assert "minst 1 person." in texts.privacy_text(catalogs["sv"], 24, 1)
    assert "minst 5 personer." in texts.privacy_text(catalogs["sv"], 24, 5)
    assert "vähintään 5 ihmistä." in texts.privacy_text(FI, 24, 5)


def test_the_consent_fits_on_one_phone_screen() -> None:
    for lang, t in load_all().items():
        words = texts.consent(t, "Avoin työhuone", "A" * 22, lang, ()).text.split()
        assert len(words) <= 55, (lang, len(words))


def test_the_details_of_the_consent_come_with_start_and_no_again() -> None:
    code = "A" * 22
    consent = texts.consent(FI, "Ryhmä", code, "sv", ())
    labels = [[label for label, _ in row] for row in consent.buttons]
    assert labels == [["Aloitan"], ["En halua vastata"], ["Mitä tallennan?"]]
    assert cb.parse(consent.buttons[0][0][1]) == cb.Join(code, "sv")
    assert cb.parse(consent.buttons[2][0][1]) == cb.Details(code, "sv")
    details = texts.consent_details(FI, 24, 5, code, "sv")
    assert details.text == texts.privacy_text(FI, 24, 5)
    assert details.buttons == consent.buttons[:2]


def test_the_statement_keyboard_says_where_the_answers_are() -> None:
    draft = Draft.begin(1, "fi", T0)
    shown = texts.statement(FI, INSTRUMENTS["fi"], draft)
    assert shown.placeholder == "Valitse vastaus alta."
    again = texts.statement_again(FI, INSTRUMENTS["fi"], draft)
    assert again.text == texts.use_buttons(FI) + "\n\n" + shown.text
    assert (again.keys, again.placeholder) == (shown.keys, shown.placeholder)


def test_finnish_command_names_stand_beside_the_english_ones() -> None:
    assert texts.command_names("stop") == ("stop", "lopeta")
    assert texts.command_names("privacy") == ("privacy",)
    finnish = [name for name, _ in texts.participant_commands(FI, "fi")]
    assert finnish == ["start", "jatka", "lopeta", "kieli", "privacy", "poista", "about", "apua"]
    english = [name for name, _ in texts.participant_commands(load_all()["en"], "en")]
    assert english[1:3] == ["continue", "stop"]
