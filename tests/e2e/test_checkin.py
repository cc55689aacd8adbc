"""A participant's check-in, as they would go through it on their phone."""

import pytest

from bot.dev.sandbox import Sandbox
from bot.ui import texts
from bot.ui.i18n import FSI, LANGUAGES, LRI, PDI, RIGHT_TO_LEFT
from tests.e2e.helpers import answer_statements, start_check_in, typed_digit

VALUES = [5, 4, 3, 2, 1, 1, 2, 3, 4, 5]


async def stored_sets(sandbox: Sandbox) -> list[tuple[object, ...]]:
    conn = sandbox.services.drafts.store.conn  # reading what is really stored
    async with conn.execute(
        "SELECT session_id, lang, instrument_status, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, "
        "score, answered_on FROM pending_set"  # sent today: waiting for release
    ) as cursor:
        return [tuple(row) async for row in cursor]


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_full_check_in_by_link(sandbox: Sandbox, lang: str) -> None:
    """In every language with messages of its own; the last answer typed in its own digits."""
    label = "Avoin työhuone, Kotka"
    session = await sandbox.new_session(label, lang)
    instrument = sandbox.services.instruments[lang]
    person = sandbox.emulator.user(1001, "Aino", language_code=lang)

    await person.open_link(sandbox.link(session))
    consent = person.last_bot_message()
    assert consent.text is not None
    # Right to left, the Latin label and the command keep their place inside isolates.
    rtl = lang in RIGHT_TO_LEFT
    assert (f"{FSI}{label}{PDI}" if rtl else label) in consent.text
    stop = [f"{LRI}/{name}{PDI}" if rtl else f"/{name}" for name in texts.command_names("stop")]
    assert any(name in consent.text for name in stop)
    assert consent.button_texts[3:6] == ["Suomi", "Svenska", "English"]

    await person.tap_button(consent.button_texts[0], consent.message_id)
    shown = [m.text for m in person.bot_messages()]
    assert f"{instrument.main_question}\n\n{instrument.guiding_sentence}" in shown
    first = person.last_bot_message()
    t = sandbox.services.translations[lang]
    assert first.text == f"{texts.progress(t, 0)}\n{instrument.statements[0]}"
    assert first.keys[:5] == tuple((option,) for option in instrument.options)  # one per row
    assert first.keys_persistent
    assert first.placeholder == t.gettext("Choose an answer below.")
    assert person.live_keyboards() == {}  # the answers are on the keyboard, not the message

    await answer_statements(person, instrument, VALUES[:-1])
    # The last answer typed as a digit, as a phone's keyboard in that language writes it.
    typed = typed_digit(lang, VALUES[-1])
    await person.send_text(typed)
    # The chat shows each statement followed by the choice, sent as the person's own message.
    chat = [m for m in person.visible_messages() if m.message_id > first.message_id - 1]
    for item, value in enumerate(VALUES):
        at = next(
            i
            for i, m in enumerate(chat)
            if (m.text or "").startswith(f"{texts.progress(t, item)}\n")
        )
        answer = typed if item == len(VALUES) - 1 else instrument.options[value - 1]
        assert (chat[at + 1].sender, chat[at + 1].text) == ("user", answer)
    # The keyboard is gone with the review; only the review's message has buttons.
    assert person.reply_keyboard is None
    summary, review = person.bot_messages()[-2:]
    assert summary.text is not None
    for statement in instrument.statements:
        assert statement in summary.text
    assert list(person.live_keyboards()) == [review.message_id]
    await person.tap_button(review.button_texts[0], review.message_id)

    rows = await stored_sets(sandbox)
    assert len(rows) == 1
    session_id, stored_lang, status, *points, score, day = rows[0]
    assert (session_id, stored_lang, status) == (session.id, lang, instrument.status.value)
    assert status == ("official" if lang == "fi" else "provisional")  # THL's text is Finnish
    assert points == VALUES
    assert score == 50.0
    assert day == "2026-11-23"
    counts = await sandbox.services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (1, 0)


async def test_switching_language_half_way_keeps_the_answers(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("Vertaisryhmä")
    fi, en = sandbox.services.instruments["fi"], sandbox.services.instruments["en"]
    person = sandbox.emulator.user(1002, "Erik", language_code="fi")
    await person.open_link(sandbox.link(session))
    await person.tap_button("Aloitan")
    await answer_statements(person, fi, VALUES[:4])

    await person.send_text("/language")
    await person.tap_button("English")
    assert any(m.text == "The language is now English." for m in person.bot_messages())
    current = person.last_bot_message()
    assert current.text == f"Statement 5 of 10\n{en.statements[4]}"
    # The keyboard is now the English one.
    assert person.reply_keyboard is not None
    assert person.reply_keyboard[:5] == tuple((option,) for option in en.options)

    await answer_statements(person, en, VALUES[4:])
    summary = person.bot_messages()[-2]
    assert summary.text is not None
    assert f"1. {en.statements[0]}\nYour answer: {en.options[VALUES[0] - 1]}" in summary.text
    await person.tap_button("Send answers")
    rows = await stored_sets(sandbox)
    assert [r[1:13] for r in rows] == [("en", "provisional", *VALUES)]


async def test_going_back_shows_the_earlier_answer_and_lets_it_change(sandbox: Sandbox) -> None:
    fi = sandbox.services.instruments["fi"]
    person, _ = await start_check_in(sandbox, 1003, "Sami")
    assert "Takaisin" not in person.last_bot_message().button_texts  # nothing before the first
    await answer_statements(person, fi, [2, 2, 2])
    await person.press("Takaisin")
    again = person.last_bot_message()
    assert again.text is not None
    assert again.text.startswith(f"Väite 3, yhteensä 10\n{fi.statements[2]}")
    assert fi.options[1] in again.text  # the answer given before is shown
    await answer_statements(person, fi, [5, 4, 4, 4, 4, 4, 4, 4])
    await person.tap_button("Lähetä vastaukset")
    rows = await stored_sets(sandbox)
    assert rows[0][3:13] == (2, 2, 5, 4, 4, 4, 4, 4, 4, 4)


async def test_the_review_lets_an_answer_change_before_sending(sandbox: Sandbox) -> None:
    fi = sandbox.services.instruments["fi"]
    person, session = await start_check_in(sandbox, 1004, "Leena", "S")
    await answer_statements(person, fi, [3] * 10)
    assert (await sandbox.services.sessions.counts(session.id)).complete == 0  # not sent yet
    change = texts.change_label(sandbox.services.translations["fi"], fi, 6)
    assert change.startswith("Muuta 7: ")  # each change button names its statement
    await person.tap_button(change, person.last_bot_message())
    assert person.last_bot_message().text == (
        f"Väite 7, yhteensä 10\n{fi.statements[6]}\n\nVastauksesi nyt: {fi.options[2]}"
    )
    assert "Takaisin" not in person.last_bot_message().button_texts  # back to the review only
    await person.press(fi.options[4])
    summary = person.bot_messages()[-2]
    assert summary.text is not None
    assert f"7. {fi.statements[6]}\nVastauksesi: {fi.options[4]}" in summary.text
    await person.tap_button("Lähetä vastaukset")
    rows = await stored_sets(sandbox)
    assert rows[0][3:13] == (3, 3, 3, 3, 3, 3, 5, 3, 3, 3)
    assert rows[0][13] == 55.0


async def test_typed_numbers_and_words_answer_too(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("S")
    person = sandbox.emulator.user(1005, "Pekka", language_code="fi")
    await person.send_text("/start")
    welcome = person.last_bot_message()
    assert "koodi" in (welcome.text or "").casefold()
    await person.send_text(session.short_code.lower())  # the typed code works in any case
    await person.tap_button("Aloitan")
    for value in [1, 2, 3, 4, 5, 1, 2, 3, 4]:
        await person.send_text(str(value))
    await person.send_text("Täysin samaa mieltä")
    # Besides the welcome's language buttons, only the review has buttons.
    assert len(set(person.live_keyboards()) - {welcome.message_id}) == 1
    await person.tap_button("Lähetä vastaukset")
    rows = await stored_sets(sandbox)
    assert rows[0][3:13] == (1, 2, 3, 4, 5, 1, 2, 3, 4, 5)


async def test_pause_restart_and_continue_loses_nothing(sandbox: Sandbox) -> None:
    fi = sandbox.services.instruments["fi"]
    person, _ = await start_check_in(sandbox, 1006, "Maija", "S")
    await answer_statements(person, fi, [4, 4, 4, 4])
    await person.press("Tauko")
    assert person.last_bot_message().button_texts == ["Jatka"]
    # The clock says 12.00 in Helsinki: the answers wait a day, said as a day and a time.
    assert "Jatka viimeistään huomenna kello 12.00." in (person.last_bot_message().text or "")

    await sandbox.restart_bot()

    await person.press("Jatka")  # the button from before the restart still works
    assert person.last_bot_message().text == f"Väite 5, yhteensä 10\n{fi.statements[4]}"
    await answer_statements(person, fi, [2] * 3)
    await sandbox.restart_bot()
    await person.send_text("/continue")
    assert person.last_bot_message().text == f"Väite 8, yhteensä 10\n{fi.statements[7]}"
    await answer_statements(person, fi, [2] * 3)
    await person.tap_button("Lähetä vastaukset")
    rows = await stored_sets(sandbox)
    assert rows[0][3:13] == (4, 4, 4, 4, 2, 2, 2, 2, 2, 2)


async def test_stop_deletes_the_unfinished_answers(sandbox: Sandbox) -> None:
    fi = sandbox.services.instruments["fi"]
    person, session = await start_check_in(sandbox, 1007, "Juha", "S")
    await answer_statements(person, fi, [1, 1, 1, 1, 1])
    assert (await sandbox.services.sessions.counts(session.id)).in_progress == 1
    await person.send_text("/stop")
    assert "poistin" in (person.last_bot_message().text or "").casefold()
    assert person.live_buttons() == []
    assert person.reply_keyboard is None
    counts = await sandbox.services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (0, 0)
    await person.send_text("/stop")
    assert person.last_bot_message().text == (
        "Sinulla ei ole kyselyä kesken. Sinun ei tarvitse lopettaa mitään."
    )


async def test_declining_stores_nothing(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("S")
    person = sandbox.emulator.user(1008, "Anna", language_code="fi")
    await person.open_link(sandbox.link(session))
    await person.tap_button("En halua vastata")
    assert person.live_buttons() == []
    counts = await sandbox.services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (0, 0)


async def test_back_and_pause_from_the_review(sandbox: Sandbox) -> None:
    fi = sandbox.services.instruments["fi"]
    person, _ = await start_check_in(sandbox, 1009, "Veera")
    await person.send_text("Takaisin")  # typed: the first statement has no Back button
    again = person.last_bot_message()  # what to do, then the first statement again
    assert (again.text or "").startswith(texts.use_buttons(sandbox.services.translations["fi"]))
    assert (again.text or "").endswith(fi.statements[0])
    assert again.keys[:5] == tuple((option,) for option in fi.options)
    await person.send_text("/continue")
    await answer_statements(person, fi, [1] * 10)
    review = person.last_bot_message()
    await person.tap_button("Takaisin", review)
    assert review.message_id not in person.live_keyboards()
    tenth = person.last_bot_message()
    assert (
        tenth.text
        == f"Väite 10, yhteensä 10\n{fi.statements[9]}\n\nVastauksesi nyt: {fi.options[0]}"
    )
    assert person.reply_keyboard == tenth.keys
    await person.press(fi.options[1])
    assert not person.reply_keyboard
    await person.tap_button("Tauko", person.last_bot_message())
    paused = person.last_bot_message()
    assert paused.button_texts == ["Jatka"]
    assert paused.keys == ()  # continuing from the review needs no keyboard
    await person.tap_button("Jatka", paused)
    assert list(person.live_keyboards()) == [person.last_bot_message().message_id]
    await person.tap_button("Lähetä vastaukset")
    rows = await stored_sets(sandbox)
    assert rows[0][3:13] == (1,) * 9 + (2,)
