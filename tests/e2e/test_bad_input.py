"""Unexpected input gets a short friendly answer and never changes or breaks a check-in."""

import pytest
from babel.support import Translations

from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox
from bot.ui import texts
from tests.e2e.helpers import answer_statements, start_check_in, told_after_tap


def fi(sandbox: Sandbox) -> Translations:
    return sandbox.services.translations["fi"]


async def draft_answers(sandbox: Sandbox, person: SimUser) -> tuple[int | None, ...]:
    draft = await sandbox.services.drafts.draft_for(sandbox.services.pseudonyms.person(person.id))
    assert draft is not None
    return draft.answers


async def draft_nonce(sandbox: Sandbox, person: SimUser) -> str:
    draft = await sandbox.services.drafts.draft_for(sandbox.services.pseudonyms.person(person.id))
    assert draft is not None
    return draft.nonce


async def test_a_double_tap_records_one_answer(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 2001, "Aino")
    label = sandbox.services.instruments["fi"].options[3]
    await person.press(label, settle=False)
    await person.press(label)  # both sent before the bot replied
    assert await draft_answers(sandbox, person) == (4, *(None,) * 9)
    assert (person.last_bot_message().text or "").startswith("Väite 2,")
    assert sum((m.text or "").startswith("Väite 2,") for m in person.bot_messages()) == 1


async def test_a_double_tap_on_send_stores_one_set(sandbox: Sandbox) -> None:
    person, session = await start_check_in(sandbox, 2002, "Eero")
    await answer_statements(person, sandbox.services.instruments["fi"], [4] * 10)
    review = person.last_bot_message()
    data = review.buttons[0][0].callback_data
    assert data is not None
    await person.tap(review.message_id, data, settle=False)
    await person.tap(review.message_id, data)
    counts = await sandbox.services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (1, 0)


async def test_an_old_answer_button_changes_nothing(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 2003, "Kaisa")
    first = person.last_bot_message()
    await answer_statements(person, sandbox.services.instruments["fi"], [5, 5])
    nonce = await draft_nonce(sandbox, person)
    # Answer buttons under a message, as an older version of the bot sent them.
    await person.tap(first.message_id, f"a:{nonce}:2:1")
    assert told_after_tap(person) == texts.stale_button(fi(sandbox))
    assert await draft_answers(sandbox, person) == (5, 5, *(None,) * 8)
    assert (person.bot_messages()[-2].text or "").startswith("Väite 3,")


async def test_an_answer_typed_at_the_review_changes_nothing(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 2016, "Kalle")
    fi_instrument = sandbox.services.instruments["fi"]
    await answer_statements(person, fi_instrument, [2] * 10)
    assert person.reply_keyboard is None  # the review took the answer keyboard away
    await person.send_text(fi_instrument.options[4])  # as if an old keyboard were still shown
    assert person.last_bot_message().text == texts.use_review_buttons(fi(sandbox))
    assert await draft_answers(sandbox, person) == (2,) * 10


async def test_a_keyboard_from_a_stopped_check_in_is_dead(sandbox: Sandbox) -> None:
    person, session = await start_check_in(sandbox, 2004, "Ville")
    label = sandbox.services.instruments["fi"].options[0]
    await person.send_text("/stop")
    assert person.reply_keyboard is None
    await person.send_text(label)  # as if an old keyboard were still shown
    assert person.last_bot_message().text == texts.stale_button(fi(sandbox))
    assert (await sandbox.services.sessions.counts(session.id)).in_progress == 0


async def test_forged_button_data_is_refused_politely(sandbox: Sandbox) -> None:
    person, session = await start_check_in(sandbox, 2005, "Outi")
    shown = person.last_bot_message()
    nonce = await draft_nonce(sandbox, person)
    forged = (
        "a:AAAAAAAA:0:5",
        "drop table",
        "c:AAAAAAAA:99",
        "t:x",
        "d:x",  # the details of the consent, with a code that is no code
        f"a:{nonce}:0:5",  # answers never come as button data
        f"s:{nonce}",  # sending before the review, from a message without buttons
        f"b:{nonce}",
    )
    for data in forged:
        await person.tap(shown.message_id, data)
        assert told_after_tap(person) == texts.stale_button(fi(sandbox))
    assert await draft_answers(sandbox, person) == (None,) * 10
    await person.send_text("/continue")  # the statement again, below the notices
    await answer_statements(person, sandbox.services.instruments["fi"], [1] * 10)
    review = person.last_bot_message()
    for data in ("s:AAAAAAAA", f"c:{nonce}:x", "p:AAAAAAAA", "l:de"):
        await person.tap(review.message_id, data)  # on the live review: wrong tag or kind
        assert told_after_tap(person) == texts.stale_button(fi(sandbox))
    await person.tap(shown.message_id, f"s:{nonce}")  # the right tag on an old message
    assert told_after_tap(person) == texts.stale_button(fi(sandbox))
    assert await draft_answers(sandbox, person) == (1,) * 10
    assert (await sandbox.services.sessions.counts(session.id)).complete == 0


async def test_stickers_photos_voice_and_free_text_get_a_friendly_word(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 2006, "Pirjo")
    await person.send_sticker()
    assert person.last_bot_message().text == texts.only_text(fi(sandbox))
    await person.send_photo()
    await person.send_voice()
    await person.send_text("en tiedä mitä vastaisin")
    again = person.last_bot_message()  # what to do, and the statement with its options again
    assert (again.text or "").startswith(texts.use_buttons(fi(sandbox)) + "\n\nVäite 1,")
    assert again.keys[:5] == tuple((o,) for o in sandbox.services.instruments["fi"].options)
    await person.send_text("/nonsense")
    assert "/apua" in (person.last_bot_message().text or "")  # the Finnish name of /help
    assert await draft_answers(sandbox, person) == (None,) * 10
    await person.press("jokseenkin samaa mieltä")  # the check-in goes on as before
    assert await draft_answers(sandbox, person) == (4, *(None,) * 9)


async def test_free_text_without_a_check_in_explains_how_to_join(sandbox: Sandbox) -> None:
    person = sandbox.emulator.user(2007, "Tuomas", language_code="sv")
    await person.send_text("hej hej, vad är det här?")
    assert "kod" in (person.last_bot_message().text or "")
    await person.send_sticker()
    assert person.last_bot_message().text


async def test_an_unknown_code_gets_an_explanation(sandbox: Sandbox) -> None:
    person = sandbox.emulator.user(2008, "Sam", language_code="en")
    await person.open_link(f"https://t.me/{sandbox.emulator.bot_username}?start=NoSuchCode123")
    assert "did not find" in (person.last_bot_message().text or "")
    await person.send_text("ZZZZZZ")
    assert "did not find" in (person.last_bot_message().text or "")


async def test_a_closed_session_cannot_be_joined(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("Old")
    await sandbox.services.sessions.close_session(session.id, sandbox.clock())
    person = sandbox.emulator.user(2009, "Sam", language_code="en")
    await person.open_link(sandbox.link(session))
    assert "ended" in (person.last_bot_message().text or "")
    assert person.live_buttons() == []


async def test_closing_while_consent_is_open_refuses_the_start(sandbox: Sandbox) -> None:
    session = await sandbox.new_session("Closing", "en")
    person = sandbox.emulator.user(2010, "Sam", language_code="en")
    await person.open_link(sandbox.link(session))
    await sandbox.services.sessions.close_session(session.id, sandbox.clock())
    await person.tap_button("Start")
    assert "ended" in (person.last_bot_message().text or "")
    assert (await sandbox.services.sessions.counts(session.id)).in_progress == 0


async def test_a_second_attempt_in_the_same_session_gets_a_kind_note(sandbox: Sandbox) -> None:
    person, session = await start_check_in(sandbox, 2011, "Helmi")
    await answer_statements(person, sandbox.services.instruments["fi"], [3] * 10)
    await person.tap_button("Lähetä vastaukset")
    await person.open_link(sandbox.link(session))
    assert "olet jo vastannut" in (person.last_bot_message().text or "").casefold()
    await person.send_text(session.short_code)
    assert "olet jo vastannut" in (person.last_bot_message().text or "").casefold()
    counts = await sandbox.services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (1, 0)


async def test_another_link_while_answering_points_back_to_the_open_check_in(
    sandbox: Sandbox,
) -> None:
    person, first = await start_check_in(sandbox, 2012, "Risto")
    await answer_statements(person, sandbox.services.instruments["fi"], [2, 2])
    other = await sandbox.new_session("Toinen ryhmä")
    await person.open_link(sandbox.link(other))
    assert "Avoin työhuone" in (person.last_bot_message().text or "")
    await person.press("Jatka")
    assert (person.last_bot_message().text or "").startswith("Väite 3,")
    assert (await sandbox.services.sessions.counts(other.id)).in_progress == 0
    assert (await sandbox.services.sessions.counts(first.id)).in_progress == 1


async def test_an_expired_check_in_is_deleted_and_never_scored(sandbox: Sandbox, clock) -> None:  # type: ignore[no-untyped-def]
    person, session = await start_check_in(sandbox, 2013, "Tiina")
    await answer_statements(person, sandbox.services.instruments["fi"], [5] * 9)
    clock.advance(hours=25)
    await person.send_text("5")
    assert "liian kauan" in (person.last_bot_message().text or "")
    counts = await sandbox.services.sessions.counts(session.id)
    assert (counts.complete, counts.in_progress) == (0, 0)


async def test_the_clean_up_job_deletes_expired_check_ins(sandbox: Sandbox, clock) -> None:  # type: ignore[no-untyped-def]
    _, session = await start_check_in(sandbox, 2014, "Onni")
    clock.advance(hours=23)
    assert sandbox.runtime is not None
    assert await sandbox.runtime.upkeep() == 0
    clock.advance(hours=2)
    assert await sandbox.runtime.upkeep() == 1
    assert (await sandbox.services.sessions.counts(session.id)).in_progress == 0


async def test_an_unexpected_failure_gets_a_kind_word_and_nothing_breaks(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    person, _ = await start_check_in(sandbox, 2015, "Aapo")
    drafts = sandbox.services.drafts
    real = drafts.draft_for

    async def broken(person_key: bytes) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(drafts, "draft_for", broken)
    await person.press("täysin samaa mieltä")
    assert person.last_bot_message().text == texts.something_went_wrong(fi(sandbox))
    monkeypatch.setattr(drafts, "draft_for", real)
    assert await draft_answers(sandbox, person) == (None,) * 10
    await person.press("täysin samaa mieltä")
    assert await draft_answers(sandbox, person) == (5, *(None,) * 9)
