from pathlib import Path

import pytest

from bot.core.instrument import (
    DEFAULT_DIR,
    InstrumentError,
    Status,
    load_instrument,
    load_instruments,
    shipped_languages,
)
from bot.ui.i18n import LANGUAGES

NEW = ("ru", "uk", "et", "ar", "fa", "so")
PROVISIONAL = ("sv", "en", *NEW)

ESIS_MD = Path(__file__).resolve().parents[2] / "shared" / "domain" / "ESIS.md"

OFFICIAL_STATEMENTS = (
    "Tunnen, että päivittäiset tekemiseni ovat merkityksellisiä",
    "Saan myönteistä palautetta tekemisistäni",
    "Kuulun itselleni tärkeään ryhmään tai yhteisöön",
    "Olen tarpeellinen muille ihmisille",
    "Pystyn vaikuttamaan oman elämäni kulkuun",
    "Tunnen, että elämälläni on tarkoitus",
    "Pystyn tavoittelemaan minulle tärkeitä asioita",
    "Saan itse apua silloin, kun sitä todella tarvitsen",
    "Koen, että minuun luotetaan",
    "Pystyn vaikuttamaan joihinkin elinympäristöni asioihin",
)
OFFICIAL_OPTIONS = (
    "täysin eri mieltä",
    "jokseenkin eri mieltä",
    "ei samaa eikä eri mieltä",
    "jokseenkin samaa mieltä",
    "täysin samaa mieltä",
)


def test_finnish_is_thls_official_text_to_the_character() -> None:
    fi = load_instrument(DEFAULT_DIR / "fi.toml")
    assert fi.status is Status.OFFICIAL
    assert fi.main_question == "Mitä mieltä olet seuraavista väittämistä?"
    assert fi.guiding_sentence == (
        "Merkitse jokaisen väittämän kohdalla se vaihtoehto, joka kuvaa parhaiten omaa "
        "kokemustasi."
    )
    assert fi.statements == OFFICIAL_STATEMENTS
    assert fi.options == OFFICIAL_OPTIONS
    assert fi.copyright == "© Terveyden ja hyvinvoinnin laitos, 2019, all rights reserved"


@pytest.mark.skipif(
    not ESIS_MD.exists(), reason="the shared instrument page is not beside the repo"
)
def test_finnish_matches_the_shared_instrument_page() -> None:
    page = ESIS_MD.read_text(encoding="utf-8")
    fi = load_instrument(DEFAULT_DIR / "fi.toml")
    for text in (fi.main_question, fi.guiding_sentence, *fi.statements, *fi.options):
        assert f"`{text}`" in page


def test_every_interface_language_and_the_six_new_ones_ship_an_instrument() -> None:
    assert set(shipped_languages()) == {"fi", *PROVISIONAL}
    assert set(LANGUAGES) <= set(load_instruments())


@pytest.mark.parametrize("lang", PROVISIONAL)
def test_other_languages_are_marked_provisional(lang: str) -> None:
    path = DEFAULT_DIR / f"{lang}.toml"
    instrument = load_instrument(path)
    assert instrument.status is Status.PROVISIONAL
    assert instrument.version == "provisional-1"
    assert "not THL's official" in instrument.source or "inte THL" in instrument.source
    assert instrument.copyright == "© Terveyden ja hyvinvoinnin laitos, 2019, all rights reserved"
    header = path.read_text(encoding="utf-8").split("\nlanguage =")[0]
    assert header.startswith(("# PROVISIONAL", "# PROVISORISK"))


@pytest.mark.parametrize("lang", NEW)
def test_new_translations_say_they_are_not_validated_by_thl(lang: str) -> None:
    path = DEFAULT_DIR / f"{lang}.toml"
    assert "not validated by THL" in load_instrument(path).source
    assert "not validated\n# by THL" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", shipped_languages())
def test_every_text_is_whole_and_distinct(lang: str) -> None:
    """Ten different statements and five different options, with the shape of THL's form:
    statements without a closing full stop, the main question a question."""
    instrument = load_instrument(DEFAULT_DIR / f"{lang}.toml")
    assert len(set(instrument.statements)) == 10
    assert len(set(instrument.options)) == 5
    assert not any(text.endswith(".") for text in instrument.statements)
    assert instrument.main_question.endswith(("?", "؟"))
    for text in (instrument.main_question, *instrument.statements, *instrument.options):
        assert text == text.strip()
        assert "  " not in text


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _fi_text() -> str:
    return (DEFAULT_DIR / "fi.toml").read_text(encoding="utf-8")


def test_nine_statements_are_refused(tmp_path: Path) -> None:
    broken = _fi_text().replace('  "Koen, että minuun luotetaan",\n', "")
    with pytest.raises(InstrumentError, match="statements"):
        load_instrument(_write(tmp_path, "fi.toml", broken))


def test_an_unknown_field_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="help: Extra inputs are not permitted"):
        load_instrument(_write(tmp_path, "fi.toml", _fi_text() + 'help = "x"\n'))


def test_a_status_other_than_official_or_provisional_is_refused(tmp_path: Path) -> None:
    broken = _fi_text().replace('status = "official"', 'status = "draft"')
    with pytest.raises(InstrumentError, match="status"):
        load_instrument(_write(tmp_path, "fi.toml", broken))


def test_the_file_name_must_match_the_language(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="language"):
        load_instrument(_write(tmp_path, "sv.toml", _fi_text()))


def test_a_missing_language_file_stops_loading(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError):
        load_instruments(("fi",), tmp_path)
