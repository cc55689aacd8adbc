"""The poster for the wall: an A4 PDF whose words are real text, read back here as a screen
reader or a copy-and-paste would read them; and `checkin-bot poster` on the server."""

import io
import re
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest

from bot.core.sessions import Session
from bot.ui.i18n import load_all
from bot.ui.poster import PosterFacts, file_name, poster_pdf, session_poster, steps
from tests.command_line import checkin_bot, environment, one_line

SESSION = Session(3, "J" * 22, "KOTKA7", "Avoin työhuone, Kotka")
A4_POINTS = (595, 842)  # 210 x 297 mm


def read_back(pdf: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader, " ".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Lines joined as the words run on, so a wrapped step still reads as one."""
    return re.sub(r"\s+", " ", text)


def test_the_poster_is_one_a4_page_with_the_name_code_bot_and_three_steps() -> None:
    facts = PosterFacts.of(SESSION, "osallisuus_bot")
    reader, text = read_back(poster_pdf(load_all()["fi"], "fi", facts))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    words = flat(text)
    assert "Avoin työhuone, Kotka" in words
    assert "Koodi: KOTKA7" in words
    assert "1. Avaa Telegram puhelimessasi." in words
    assert (
        "2. Skannaa QR-koodi puhelimen kameralla. Tai etsi Telegramista @osallisuus_bot. "
        "Kirjoita sille koodi KOTKA7."
    ) in words
    assert "3. Vastaa väitteisiin. Kukaan ei näe sinun omia vastauksiasi." in words


def test_the_poster_says_its_language_and_title_for_screen_readers() -> None:
    facts = PosterFacts.of(SESSION, "osallisuus_bot")
    reader, text = read_back(poster_pdf(load_all()["sv"], "sv", facts))
    assert reader.metadata is not None
    assert reader.metadata.title == "Avoin työhuone, Kotka"
    assert str(reader.root_object["/Lang"]) == "sv"
    assert "Öppna Telegram i din telefon." in flat(text)


def test_the_qr_code_holds_the_join_link() -> None:
    facts = PosterFacts.of(SESSION, "osallisuus_bot")
    assert facts.link == f"https://t.me/osallisuus_bot?start={'J' * 22}"
    reader, _ = read_back(poster_pdf(load_all()["fi"], "fi", facts))
    assert len(reader.pages[0].images) == 1  # the QR code, as an image beside the real text


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return environment(
        CHECKIN_DATABASE=str(tmp_path / "checkin.sqlite3"), CHECKIN_BOT_USERNAME="osallisuus_bot"
    )


def test_the_command_writes_the_poster_of_a_session(tmp_path: Path, env: dict[str, str]) -> None:
    created = checkin_bot("session", "new", "--label", "Vertaisryhmä", env=env, cwd=tmp_path)
    assert created.code == 0, created
    code = re.search(r"^Code to type: (\w+)$", created.out, re.MULTILINE)
    assert code, created.out
    made = checkin_bot("poster", "1", env=env, cwd=tmp_path)
    assert made.code == 0, made
    assert made.out.strip() == "wrote poster-1.pdf"
    _, text = read_back((tmp_path / "poster-1.pdf").read_bytes())
    assert "Vertaisryhmä" in text
    assert code[1] in text
    chosen = tmp_path / "seinälle.pdf"
    assert checkin_bot("poster", "1", "--output", str(chosen), env=env, cwd=tmp_path).code == 0
    assert "Vertaisryhmä" in read_back(chosen.read_bytes())[1]


def test_the_command_says_what_to_fix(tmp_path: Path, env: dict[str, str]) -> None:
    assert "checkin.sqlite3 does not exist" in one_line(
        checkin_bot("poster", "1", env=env, cwd=tmp_path)
    )
    assert checkin_bot("session", "new", "--label", "Ryhmä", env=env, cwd=tmp_path).code == 0
    assert "no session with id 9" in one_line(checkin_bot("poster", "9", env=env, cwd=tmp_path))
    nameless = {**env, "CHECKIN_BOT_USERNAME": ""}
    assert "CHECKIN_BOT_USERNAME" in one_line(
        checkin_bot("poster", "1", env=nameless, cwd=tmp_path)
    )
    assert not list(tmp_path.glob("*.pdf"))


def test_the_file_name_names_the_session() -> None:
    assert file_name(SESSION) == "poster-3.pdf"


def test_the_command_makes_the_poster_in_the_sessions_language(
    tmp_path: Path, env: dict[str, str]
) -> None:
    for label, lang in (("Torsdag", "sv"), ("Tiistai", "fi")):
        made = checkin_bot(
            "session", "new", "--label", label, "--language", lang, env=env, cwd=tmp_path
        )
        assert made.code == 0, made
    assert checkin_bot("poster", "1", env=env, cwd=tmp_path).code == 0
    assert checkin_bot("poster", "2", env=env, cwd=tmp_path).code == 0
    swedish, text = read_back((tmp_path / "poster-1.pdf").read_bytes())
    assert str(swedish.root_object["/Lang"]) == "sv"
    assert "1. Öppna Telegram i din telefon." in flat(text)
    assert "Avaa Telegram" not in text
    finnish, text = read_back((tmp_path / "poster-2.pdf").read_bytes())
    assert str(finnish.root_object["/Lang"]) == "fi"
    assert "1. Avaa Telegram puhelimessasi." in flat(text)


def test_a_session_in_a_language_without_messages_gets_a_finnish_poster() -> None:
    sami = replace(SESSION, lang="se")
    reader, text = read_back(session_poster(load_all(), sami, "osallisuus_bot"))
    assert str(reader.root_object["/Lang"]) == "fi"
    assert "Avaa Telegram puhelimessasi." in flat(text)


@pytest.mark.parametrize(("lang", "step"), [("ar", 3), ("fa", 1)])
def test_an_arabic_or_persian_poster_reads_right_to_left_with_joined_letters(
    lang: str, step: int
) -> None:
    """Shaped text reads back in the order it is written; unshaped, each word comes back
    letter by letter from the left, and the isolates of the messages are not on the page."""
    t = load_all()[lang]
    facts = PosterFacts.of(SESSION, "osallisuus_bot")
    reader, text = read_back(poster_pdf(t, lang, facts))
    assert str(reader.root_object["/Lang"]) == lang
    words = flat(text)
    sentence = steps(t, facts)[step - 1].rstrip(".")
    assert sentence.split(".")[0] in words
    assert not set(words) & {"\u2066", "\u2067", "\u2068", "\u2069"}
    assert "KOTKA7" in words
