"""The Bot API failing: flood control, server errors, timeouts and reset connections.

The bot waits as Telegram asks, tries again a bounded number of times, and the person still
gets every reply once: no answer lost or doubled, and no call repeated in a tight loop.
"""

import random
import time
from functools import partial
from pathlib import Path

import pytest

import bot.tg.app
from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox
from bot.tg.http import AiohttpRequest
from bot.ui import texts
from tests.faults.support import (
    draft_answers,
    fi,
    press_option,
    reach_review,
    review_prompt,
    start_check_in,
    statements_shown,
    stored,
)


def statuses(sandbox: Sandbox, method: str, since: int) -> list[int]:
    return [c.status for c in sandbox.emulator.calls[since:] if c.method == method]


async def answer_first(sandbox: Sandbox, person: SimUser, value: int = 4) -> None:
    """Press an option on statement 1 and wait until the bot has done everything it will.

    The keyboard sends the label as the person's message; the bot's one reply is the next
    statement (sendMessage), so that is the call the faults below hit.
    """
    await press_option(sandbox, person, value)


async def test_flood_control_is_obeyed_and_the_reply_still_comes(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 3001, "Aino")
    since = len(sandbox.emulator.calls)
    sandbox.emulator.fail_next("sendMessage", status=429, retry_after=1)
    began = time.monotonic()
    await answer_first(sandbox, person)
    assert time.monotonic() - began >= 1.0  # waited as long as Telegram asked
    assert statuses(sandbox, "sendMessage", since) == [429, 200]
    assert statements_shown(person, 2) == 1
    assert await draft_answers(sandbox, person) == (4, *(None,) * 9)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_server_error_is_tried_again_after_a_pause(sandbox: Sandbox, status: int) -> None:
    person, _ = await start_check_in(sandbox, 3002, "Eero")
    since = len(sandbox.emulator.calls)
    sandbox.emulator.fail_next("sendMessage", status=status)
    began = time.monotonic()
    await answer_first(sandbox, person)
    assert time.monotonic() - began >= 0.25  # a pause, not a tight loop
    assert statuses(sandbox, "sendMessage", since) == [status, 200]
    assert statements_shown(person, 2) == 1
    assert await draft_answers(sandbox, person) == (4, *(None,) * 9)


# The reply to "send answers" on the review takes every kind of call the bot makes: the tap is
# answered (answerCallbackQuery), the review's prompt loses its buttons and says the answers were
# sent (editMessageText), and the thanks come (sendMessage).
@pytest.mark.parametrize("method", ["answerCallbackQuery", "editMessageText", "sendMessage"])
async def test_every_kind_of_reply_survives_a_bad_gateway(sandbox: Sandbox, method: str) -> None:
    person, session = await start_check_in(sandbox, 3003, "Kaisa")
    prompt = await reach_review(sandbox, person, (5,) * 10)
    taps_answered = len(person.callback_answers)
    since = len(sandbox.emulator.calls)
    sandbox.emulator.fail_next(method, status=502)
    await person.tap_button("Lähetä vastaukset", prompt.message_id)
    assert statuses(sandbox, method, since) == [502, 200]
    sent = [m for m in person.bot_messages() if m.message_id == prompt.message_id]
    assert len(sent) == 1
    assert sent[0].edited
    assert sent[0].text == texts.reviewed(fi(sandbox))
    assert sent[0].buttons == ()
    # Only the thanks (with its offer to tidy the chat) has live buttons now.
    assert list(person.live_keyboards()) == [person.last_bot_message().message_id]
    # The tap was acknowledged, once, without a notice.
    assert len(person.callback_answers) == taps_answered + 1
    assert person.callback_answers[-1].text is None
    thanks = texts.thanks(fi(sandbox), None).text
    assert [m.text for m in person.bot_messages()].count(thanks) == 1
    assert person.last_bot_message().text == thanks
    assert stored(sandbox.settings.database).sets == [(5,) * 10]
    assert (await sandbox.services.sessions.counts(session.id)).complete == 1


async def test_a_reset_connection_is_tried_again(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 3004, "Ville")
    since = len(sandbox.emulator.calls)
    sandbox.emulator.fail_next("sendMessage", drop=True)
    await answer_first(sandbox, person)
    assert statuses(sandbox, "sendMessage", since) == [0, 200]
    assert statements_shown(person, 2) == 1


async def test_a_timed_out_call_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real timeouts are seconds long; the same code with shorter ones keeps the test quick.
    monkeypatch.setattr(
        bot.tg.app, "AiohttpRequest", partial(AiohttpRequest, read_timeout=0.3, write_timeout=0.2)
    )
    async with Sandbox(tmp_path) as box:
        person, _ = await start_check_in(box, 3005, "Outi")
        since = len(box.emulator.calls)
        # Held far longer than the bot waits: it gives up, and the call is never carried out.
        box.emulator.fail_next("sendMessage", status=None, delay=30)
        await answer_first(box, person)
        assert statuses(box, "sendMessage", since) == [0, 200]
        assert statements_shown(person, 2) == 1
        box.emulator.assert_no_violations()


def short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same tries with shorter pauses: the count matters in these tests, not the waiting."""
    monkeypatch.setattr(
        bot.tg.app, "AiohttpRequest", partial(AiohttpRequest, retry_delays=(0.05, 0.1, 0.2))
    )


async def test_a_long_outage_is_bounded_and_nothing_is_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short_pauses(monkeypatch)
    async with Sandbox(tmp_path) as box:
        person, _ = await start_check_in(box, 3006, "Pirjo")
        since = len(box.emulator.calls)
        box.emulator.fail_next("sendMessage", status=500, count=1000)
        await answer_first(box, person)
        # Four tries for the next statement, four for the "something went wrong": bounded.
        assert statuses(box, "sendMessage", since) == [500] * 8
        box.emulator.clear_faults()
        assert await draft_answers(box, person) == (4, *(None,) * 9)  # acknowledged, kept
        await person.send_text("/continue")
        assert (person.last_bot_message().text or "").startswith("Väite 2,")
        assert box.emulator.unanswered_callback_queries() == []
        box.emulator.assert_no_violations()


async def test_a_continue_that_could_not_be_sent_leaves_no_stale_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short_pauses(monkeypatch)
    async with Sandbox(tmp_path) as box:
        person, _ = await start_check_in(box, 3010, "Ilona")
        box.emulator.fail_next("sendMessage", status=500, count=8)  # statement, kind word
        await person.send_text("/continue")
        await person.send_text("/continue")
        assert (person.last_bot_message().text or "").startswith("Väite 1,")
        box.emulator.assert_no_violations()


async def test_polling_survives_errors_and_resets(sandbox: Sandbox) -> None:
    person, _ = await start_check_in(sandbox, 3007, "Tuomas")
    since = len(sandbox.emulator.calls)
    sandbox.emulator.fail_next("getUpdates", status=502)
    sandbox.emulator.fail_next("getUpdates", drop=True)
    await sandbox.emulator.settle(timeout=15)  # python-telegram-bot waits 1 s, then 1.5 s
    await answer_first(sandbox, person)
    assert statements_shown(person, 2) == 1
    polls = statuses(sandbox, "getUpdates", since)
    assert polls[:2] == [502, 0]
    assert len(polls) < 10  # it waited between tries


async def test_a_lost_bot_api_while_polling_logs_one_line_per_try(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    person, _ = await start_check_in(sandbox, 3008, "Outi")
    for _ in range(2):
        sandbox.emulator.fail_next("getUpdates", drop=True)
    with caplog.at_level("WARNING"):
        await answer_first(sandbox, person)  # waits out both lost polls
    assert statements_shown(person, 2) == 1
    lost = [r for r in caplog.records if "cannot reach the Bot API" in r.getMessage()]
    assert len(lost) == 2
    assert all(r.levelname == "WARNING" and r.exc_info is None for r in lost)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_whole_check_in_through_a_flaky_telegram(sandbox: Sandbox) -> None:
    rng = random.Random(7)
    # (status, reset the connection)
    faults: list[tuple[int | None, bool]] = [
        (500, False),
        (502, False),
        (503, False),
        (None, True),
    ]
    person, _ = await start_check_in(sandbox, 3008, "Helmi")
    values = [rng.randint(1, 5) for _ in range(10)]
    injected = 0
    since = len(sandbox.emulator.calls)
    for number, value in enumerate(values, start=1):
        # An answer's one reply is a message: the next statement, or the summary after the last.
        status, drop = rng.choice(faults)
        sandbox.emulator.fail_next("sendMessage", status=status, drop=drop)
        injected += 1
        await press_option(sandbox, person, value)
        assert statements_shown(person, number) == 1
        if number < len(values):
            assert statements_shown(person, number + 1) == 1
        assert await draft_answers(sandbox, person) == (*values[:number], *(None,) * (10 - number))
    assert [m.text for m in person.bot_messages()].count(review_prompt(sandbox)) == 1
    # Sending takes each kind of call once: the tap's answer, the edit of the review, the thanks.
    for method in ["answerCallbackQuery", "editMessageText", "sendMessage"]:
        status, drop = rng.choice(faults)
        sandbox.emulator.fail_next(method, status=status, drop=drop)
        injected += 1
    await person.tap_button("Lähetä vastaukset")
    assert person.last_bot_message().text == texts.thanks(fi(sandbox), None).text
    calls = sandbox.emulator.calls[since:]
    failed = [c for c in calls if c.status != 200]
    assert len(failed) == injected  # each fault cost one extra call, no more
    assert {c.method for c in failed} == {"answerCallbackQuery", "editMessageText", "sendMessage"}
    assert stored(sandbox.settings.database).sets == [tuple(values)]
