"""The check-in as a screen reader user meets it, from the code on the poster to a sent set.

Every message must read as plain text (words, not emoji or symbols alone), nothing may be said
only in a toast (screen readers often skip them), and the answer keyboard must stay in reach.
"""

import io
import re
import unicodedata

import pypdf
import pytest

from bot.core.sessions import Session
from bot.dev.emulator import ChatMessage, SimUser
from bot.dev.sandbox import Sandbox
from bot.ui import poster, texts
from tests.e2e.conftest import ManualClock
from tests.e2e.helpers import told_after_tap
from tests.e2e.test_staff import COORDINATOR, invite

WORD = re.compile(r"[^\W\d_]{2,}")
"""Two letters in a row: something a screen reader reads as a word."""


@pytest.fixture
def coordinators() -> frozenset[int]:
    return frozenset({COORDINATOR})


def code_on_poster(sandbox: Sandbox, session: Session) -> str:
    """The code to type, read back from the poster's text as a screen reader would read it."""
    facts = poster.PosterFacts.of(session, sandbox.emulator.bot_username)
    pdf = poster.poster_pdf(sandbox.services.translations["fi"], "fi", facts)
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    found = re.search(r"Koodi: (\S+)", text)
    assert found, text
    return found[1]


def without_symbols(text: str) -> str:
    """The text without emoji and other symbols, which a screen reader names or skips."""
    return "".join(c for c in text if unicodedata.category(c) not in {"So", "Sk", "Cs"})


def assert_readable(person: SimUser) -> None:
    """Every bot message says its meaning in words, and no tap's answer says anything else."""
    shown = [m.text or "" for m in person.messages if m.sender == "bot"]
    for text in shown:
        assert WORD.search(text), text
        for line in text.splitlines():
            # A line that is only an emoji or a symbol would carry meaning without words.
            assert not line.strip() or WORD.search(without_symbols(line)), line
    said = "\n".join(shown)
    for answer in person.callback_answers:
        assert answer.text is None or answer.text in said, answer


def assert_answer_keyboard(shown: ChatMessage, sandbox: Sandbox) -> None:
    """The five options, one per row, on a keyboard that stays, with a hint in the input field."""
    fi = sandbox.services.instruments["fi"]
    assert shown.keys[:5] == tuple((option,) for option in fi.options), shown
    assert shown.keys_persistent, shown
    assert shown.placeholder == "Valitse vastaus alta.", shown


async def test_from_the_poster_to_a_sent_set_by_reading_and_typing(sandbox: Sandbox) -> None:
    t = sandbox.services.translations["fi"]
    fi = sandbox.services.instruments["fi"]
    session = await sandbox.new_session("Avoin työhuone")
    person = sandbox.emulator.user(4001, "Eila", language_code="fi")

    await person.send_text(code_on_poster(sandbox, session).lower())  # typed, in small letters
    consent = person.last_bot_message()
    assert consent.text is not None
    assert "Avoin työhuone" in consent.text
    assert len(consent.text.split()) <= 55  # one phone screen
    assert consent.button_texts[:3] == ["Aloitan", "En halua vastata", "Mitä tallennan?"]

    await person.tap_button("Mitä tallennan?")
    details = person.last_bot_message()
    assert details.text == texts.privacy_text(
        t, sandbox.services.ttl_hours, sandbox.services.settings.min_group_size
    )
    assert details.button_texts == ["Aloitan", "En halua vastata"]
    assert consent.message_id in person.live_keyboards()  # the consent keeps its buttons

    await person.tap_button("Aloitan", details)
    assert details.message_id not in person.live_keyboards()
    first = person.last_bot_message()
    assert first.text == f"{texts.progress(t, 0)}\n{fi.statements[0]}"
    assert_answer_keyboard(first, sandbox)

    await person.send_text("Mitä minun pitää tehdä?")  # not an answer
    again = person.last_bot_message()
    assert again.text == "Valitse vastaus alla olevista napeista. " + (
        "Voit myös kirjoittaa numeron 1, 2, 3, 4 tai 5.\n\n" + (first.text or "")
    )
    assert_answer_keyboard(again, sandbox)

    for item, value in enumerate([4, 3, 5, 2, 4, 4, 3, 5, 1, 2]):
        shown = person.last_bot_message()
        assert f"Väite {item + 1}, yhteensä 10\n" in (shown.text or ""), shown
        assert_answer_keyboard(shown, sandbox)
        await person.press(fi.options[value - 1])

    summary, review = person.bot_messages()[-2:]
    assert all(statement in (summary.text or "") for statement in fi.statements)
    assert person.reply_keyboard is None  # the review's buttons are under the message
    change = review.buttons[3][0]  # "Muuta 3: …" names its statement
    assert change.text.startswith("Muuta 3: ")
    await person.tap_button("Lähetä vastaukset", review)
    assert (await sandbox.services.sessions.counts(session.id)).complete == 1
    assert "Kiitos!" in (person.last_bot_message().text or "")

    assert change.callback_data is not None
    await person.tap(review.message_id, change.callback_data)  # a button that is gone now
    assert told_after_tap(person) == texts.stale_button(t)
    assert_readable(person)


async def test_a_button_of_an_expired_check_in_gets_a_message(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    fi = sandbox.services.instruments["fi"]
    session = await sandbox.new_session("Ryhmä")
    person = sandbox.emulator.user(4002, "Into", language_code="fi")
    await person.send_text(code_on_poster(sandbox, session))
    await person.tap_button("Aloitan")
    for option in fi.options[:1] * 10:
        await person.press(option)
    review = person.last_bot_message()
    await person.tap_button("Tauko", review)
    resume = person.last_bot_message()
    clock.advance(hours=sandbox.services.ttl_hours + 1)
    await person.tap_button("Jatka", resume)
    assert told_after_tap(person) == texts.expired(sandbox.services.translations["fi"])
    assert_readable(person)


async def test_finnish_command_names_work_beside_the_english_ones(sandbox: Sandbox) -> None:
    t = sandbox.services.translations["fi"]
    session = await sandbox.new_session("Ryhmä")
    person = sandbox.emulator.user(4003, "Aune", language_code="fi")

    await person.send_text("/apua")
    help_text = person.last_bot_message().text or ""
    assert help_text == texts.help_text(t)
    for name in ("/jatka", "/lopeta", "/kieli", "/poista"):
        assert name in help_text

    await person.send_text(session.short_code)
    await person.tap_button("Aloitan")
    await person.press(sandbox.services.instruments["fi"].options[3])
    await person.send_text("/kieli")
    assert person.last_bot_message().text == texts.choose_language(t, ()).text
    await person.send_text("/jatka")
    assert (person.last_bot_message().text or "").startswith("Väite 2, yhteensä 10")
    await person.send_text("/lopeta")
    assert person.last_bot_message().text == texts.stopped(t)
    assert (await sandbox.services.sessions.counts(session.id)).in_progress == 0
    await person.send_text("/poista")
    assert person.last_bot_message().text in {texts.deleted(t, True), texts.deleted(t, False)}
    assert_readable(person)


async def test_staff_get_staff_help_with_the_finnish_name_too(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 4010, "Olli")
    await leader.send_text("/help")
    english = leader.last_bot_message().text
    await leader.send_text("/apua")
    assert leader.last_bot_message().text == english
    assert "/new" in (english or "")
