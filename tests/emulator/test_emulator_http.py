"""Raw HTTP calls: the violations and Telegram behaviours a PTB bot would not produce itself."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest

from bot.dev.emulator import BotAPIEmulator, SimUser
from bot.dev.emulator.media import PNG_SIGNATURE, tiny_png
from bot.dev.emulator.server import CONFLICT, NOT_MODIFIED, QUERY_TOO_OLD

KEYBOARD = {"inline_keyboard": [[{"text": "Kyllä", "callback_data": "yes"}]]}


async def call(http: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, Any]:
    """POST a form body the way python-telegram-bot does: nested values JSON-encoded."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    response = await http.post(method, data=form)
    body = response.json()
    return response.status_code, body["result"] if body["ok"] else body


def reasons(emu: BotAPIEmulator) -> list[str]:
    return [v.reason for v in emu.violations]


async def test_a_valid_send_is_answered_with_a_full_message(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    status, message = await call(
        http, "sendMessage", chat_id=aino.id, text="Hei <b>Aino</b>", parse_mode="HTML"
    )
    assert status == 200
    assert message["text"] == "Hei Aino"
    assert message["chat"] == {"id": 1001, "type": "private", "first_name": "Aino"}
    assert message["from"]["username"] == "checkin_test_bot"
    assert message["entities"] == [{"type": "bold", "offset": 4, "length": 4}]
    assert emu.spec.check_value(message, ("Message",), "") == []
    assert emu.violations == []
    assert emu.calls[-1].method == "sendMessage"
    assert emu.calls[-1].params["chat_id"] == 1001
    assert emu.calls_containing("<b>Aino</b>") == [emu.calls[-1]]


async def test_wrong_token_is_unauthorized(emu: BotAPIEmulator) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emu.base_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert reasons(emu) == ["request with a wrong bot token"]


async def test_unknown_method_is_not_found(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    status, body = await call(http, "sendTelepathy", chat_id=1)
    assert (status, body["description"]) == (404, "Not Found")
    assert reasons(emu) == ["there is no Bot API method sendTelepathy"]


async def test_valid_but_not_emulated_method_is_a_violation(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    status, body = await call(http, "sendDice", chat_id=aino.id)
    assert status == 400
    assert body["description"] == "Bad Request: sendDice is not emulated"
    assert [str(v) for v in emu.violations] == ["sendDice: sendDice is not emulated"]


async def test_unknown_field_and_missing_required_field(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    status, body = await call(http, "sendMessage", chat_id=aino.id, text="x", colour="red")
    assert status == 400
    assert body["description"] == "Bad Request: unknown parameter 'colour' for sendMessage"
    status, body = await call(http, "sendMessage", chat_id=aino.id)
    assert status == 400
    assert "'text' of sendMessage is missing" in body["description"]
    assert len(emu.violations) == 2
    assert aino.messages == []


async def test_callback_data_is_limited_to_64_bytes(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    def markup(data: str) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": "Nappi", "callback_data": data}]]}

    status, _ = await call(
        http, "sendMessage", chat_id=aino.id, text="ok", reply_markup=markup("x" * 64)
    )
    assert status == 200
    status, body = await call(
        http, "sendMessage", chat_id=aino.id, text="bad", reply_markup=markup("x" * 65)
    )
    assert status == 400
    assert "BUTTON_DATA_INVALID" in body["description"]
    assert "65 bytes" in reasons(emu)[0]


async def test_text_is_limited_to_4096_characters(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    assert (await call(http, "sendMessage", chat_id=aino.id, text="ä" * 4096))[0] == 200
    status, body = await call(http, "sendMessage", chat_id=aino.id, text="ä" * 4097)
    assert status == 400
    assert body["description"].startswith("Bad Request: message is too long (4097")
    status, body = await call(
        http, "sendMessage", chat_id=aino.id, text="<b> </b>", parse_mode="HTML"
    )
    assert body["description"] == "Bad Request: message text is empty"
    assert len(emu.violations) == 2


async def test_caption_limit_and_unparseable_markup(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    status, body = await call(
        http, "sendMessage", chat_id=aino.id, text="1 < 2", parse_mode="HTML"
    )
    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse entities:")
    response = await http.post(
        "sendPhoto",
        data={"chat_id": str(aino.id), "caption": "c" * 1025},
        files={"photo": ("p.png", tiny_png(), "image/png")},
    )
    assert response.status_code == 400
    assert "caption is too long" in response.json()["description"]
    assert len(emu.violations) == 2


async def test_deep_links_in_texts_must_be_valid(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    good = "Jaa: https://t.me/checkin_test_bot?start=Ab_9-x."
    assert (await call(http, "sendMessage", chat_id=aino.id, text=good))[0] == 200
    status, body = await call(
        http, "sendMessage", chat_id=aino.id, text="https://t.me/checkin_test_bot?start=ä/ö"
    )
    assert status == 400
    assert "start payload" in body["description"]
    html = '<a href="https://t.me/other_bot?start=abc">linkki</a>'
    status, _ = await call(http, "sendMessage", chat_id=aino.id, text=html, parse_mode="HTML")
    assert status == 400
    button = {
        "inline_keyboard": [[{"text": "Jaa", "url": "https://t.me/checkin_test_bot?start="}]]
    }
    status, _ = await call(http, "sendMessage", chat_id=aino.id, text="x", reply_markup=button)
    assert status == 400
    assert [r.split(" has ")[0].split(" names ")[0] for r in reasons(emu)] == [
        "deep link https://t.me/checkin_test_bot?start=ä/ö",
        "deep link https://t.me/other_bot?start=abc",
        "deep link https://t.me/checkin_test_bot?start=",
    ]


async def test_inline_buttons_need_text_and_exactly_one_action(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    for button in (
        {"text": "Ei toimintoa"},
        {"text": "Kaksi", "callback_data": "a", "url": "https://example.com"},
        {"text": "", "callback_data": "a"},
    ):
        markup = {"inline_keyboard": [[button]]}
        status, _ = await call(http, "sendMessage", chat_id=aino.id, text="x", reply_markup=markup)
        assert status == 400
    assert len(emu.violations) == 3
    assert "no action" in emu.violations[0].reason
    assert "2 actions" in emu.violations[1].reason
    assert "has no text" in emu.violations[2].reason


async def test_a_reply_keyboard_keeps_its_persistence_and_placeholder(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    keys = [[{"text": "Kyllä"}], [{"text": "Ei"}]]
    markup = {"keyboard": keys, "is_persistent": True, "input_field_placeholder": "Valitse alta"}
    status, _ = await call(
        http, "sendMessage", chat_id=aino.id, text="Kysymys", reply_markup=markup
    )
    assert status == 200
    shown = aino.last_bot_message()
    assert (shown.keys, shown.keys_persistent, shown.placeholder) == (
        (("Kyllä",), ("Ei",)),
        True,
        "Valitse alta",
    )
    status, _ = await call(
        http, "sendMessage", chat_id=aino.id, text="x", reply_markup={"keyboard": keys}
    )
    assert status == 200
    assert (aino.last_bot_message().keys_persistent, aino.last_bot_message().placeholder) == (
        False,
        None,
    )
    for placeholder in ("", "x" * 65):
        markup = {"keyboard": keys, "input_field_placeholder": placeholder}
        status, _ = await call(http, "sendMessage", chat_id=aino.id, text="x", reply_markup=markup)
        assert status == 400
    assert [v.reason for v in emu.violations] == [
        "input_field_placeholder must be 1-64 characters (got 0)",
        "input_field_placeholder must be 1-64 characters (got 65)",
    ]


async def test_chat_not_found_blocked_and_never_started(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    status, body = await call(http, "sendMessage", chat_id=555, text="x")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    stranger = emu.user(2002, "Bertta")
    status, body = await call(http, "sendMessage", chat_id=stranger.id, text="x")
    assert status == 403
    assert body["description"] == "Forbidden: bot can't initiate conversation with a user"
    aino.block()
    status, body = await call(http, "sendMessage", chat_id=aino.id, text="x")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    assert reasons(emu) == ["chat not found", "Bertta has never written to the bot"]


async def test_edits_follow_telegram(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    emu.flood = None  # call after call in one chat, faster than Telegram allows
    await aino.send_text("hei", settle=False)
    _, sent = await call(
        http, "sendMessage", chat_id=aino.id, text="Kysymys", reply_markup=KEYBOARD
    )
    mid = sent["message_id"]
    assert mid == 2  # ids are shared with the person's message 1

    status, body = await call(
        http,
        "editMessageText",
        chat_id=aino.id,
        message_id=mid,
        text="Kysymys",
        reply_markup=KEYBOARD,
    )
    assert (status, body["description"]) == (400, f"Bad Request: {NOT_MODIFIED}")
    status, edited = await call(
        http, "editMessageText", chat_id=aino.id, message_id=mid, text="Uusi"
    )
    assert status == 200
    assert "reply_markup" not in edited  # editing without markup removes the keyboard
    assert edited["edit_date"] >= edited["date"]
    status, body = await call(http, "editMessageText", chat_id=aino.id, message_id=99, text="x")
    assert body["description"] == "Bad Request: message to edit not found"
    status, body = await call(http, "editMessageText", chat_id=aino.id, message_id=1, text="x")
    assert body["description"] == "Bad Request: message can't be edited"
    status, body = await call(http, "editMessageReplyMarkup", chat_id=aino.id, message_id=mid)
    assert body["description"] == f"Bad Request: {NOT_MODIFIED}"
    status, _ = await call(
        http, "editMessageReplyMarkup", chat_id=aino.id, message_id=mid, reply_markup=KEYBOARD
    )
    assert status == 200
    assert aino.last_bot_message().text == "Uusi"
    assert aino.live_buttons()[0].callback_data == "yes"
    assert len(emu.violations) == 4


async def test_deletions(emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser) -> None:
    for text in ("a", "b", "c"):
        await call(http, "sendMessage", chat_id=aino.id, text=text)
    assert (await call(http, "deleteMessages", chat_id=aino.id, message_ids=[1, 2, 77]))[1] is True
    status, body = await call(http, "deleteMessage", chat_id=aino.id, message_id=1)
    assert body["description"] == "Bad Request: message to delete not found"
    assert (await call(http, "deleteMessage", chat_id=aino.id, message_id=3))[1] is True
    assert [m.deleted for m in aino.messages] == [True, True, True]
    assert aino.visible_messages() == []
    status, _ = await call(http, "deleteMessages", chat_id=aino.id, message_ids=list(range(101)))
    assert status == 400
    assert "bot deletes 2 messages for Aino" in emu.transcript()
    assert "bot deletes message 3 for Aino" in emu.transcript()


async def test_callback_queries_are_answered_once(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    await call(http, "sendMessage", chat_id=aino.id, text="Valitse", reply_markup=KEYBOARD)
    query_id = await aino.tap(1, "yes", settle=False)
    assert emu.unanswered_callback_queries() == [query_id]
    _, updates = await call(http, "getUpdates")
    query = updates[0]["callback_query"]
    assert query["data"] == "yes"
    assert query["message"]["message_id"] == 1
    assert query["from"]["id"] == aino.id
    assert emu.spec.check_value(updates[0], ("Update",), "") == []
    assert (await call(http, "answerCallbackQuery", callback_query_id=query_id, text="OK"))[1]
    status, body = await call(http, "answerCallbackQuery", callback_query_id=query_id)
    assert (status, body["description"]) == (400, f"Bad Request: {QUERY_TOO_OLD}")
    status, _ = await call(http, "answerCallbackQuery", callback_query_id="nonsense")
    assert status == 400
    assert emu.unanswered_callback_queries() == []
    assert [a.text for a in aino.callback_answers] == ["OK"]
    assert len(emu.violations) == 2


async def test_unconfirmed_updates_are_delivered_again(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    aino = emu.user(1001, "Aino")
    await aino.send_text("/start abc", settle=False)
    await aino.send_text("toinen", settle=False)
    _, first = await call(http, "getUpdates", timeout=0)
    assert [u["update_id"] for u in first] == [1, 2]
    assert first[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    _, again = await call(http, "getUpdates", timeout=0, limit=1)  # a restarted bot
    assert [u["update_id"] for u in again] == [1]
    _, rest = await call(http, "getUpdates", offset=2, timeout=0)
    assert [u["update_id"] for u in rest] == [2]
    _, none = await call(http, "getUpdates", offset=3, timeout=0)
    assert none == []
    assert emu.pending_updates() == 0


async def test_long_polling_waits_for_an_update(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    aino = emu.user(1001, "Aino")
    started = time.monotonic()
    poll = asyncio.create_task(call(http, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await aino.send_text("hei", settle=False)
    _, updates = await poll
    assert [u["message"]["text"] for u in updates] == ["hei"]
    assert time.monotonic() - started < 1.0
    _, empty = await call(http, "getUpdates", offset=2, timeout=0)
    assert empty == []
    status, body = await call(http, "getUpdates", timeout=0.5)  # timeout is an Integer
    assert status == 400
    assert "expected Integer, got float 0.5" in body["description"]


async def test_stopping_releases_a_waiting_poll() -> None:
    emu = BotAPIEmulator()
    await emu.start()
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as http:
        poll = asyncio.create_task(call(http, "getUpdates", timeout=30))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await emu.stop()
        assert await asyncio.wait_for(poll, 2) == (200, [])
        assert time.monotonic() - started < 1.0


async def test_a_second_poller_is_a_conflict(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    first = asyncio.create_task(call(http, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{emu.token}/") as other:
        _, empty = await call(other, "getUpdates", timeout=0)
    status, body = await first
    assert (status, body["description"]) == (409, CONFLICT)
    assert empty == []
    assert "second bot instance" in reasons(emu)[0]


async def test_commands_are_checked_and_stored_per_scope_and_language(
    emu: BotAPIEmulator, http: httpx.AsyncClient
) -> None:
    commands = [{"command": "start", "description": "Aloita"}]
    assert (await call(http, "setMyCommands", commands=commands, language_code="fi"))[1] is True
    private = {"type": "all_private_chats"}
    await call(
        http, "setMyCommands", commands=[{"command": "help", "description": "Apua"}], scope=private
    )
    assert (await call(http, "getMyCommands", language_code="fi"))[1] == commands
    assert (await call(http, "getMyCommands"))[1] == []
    assert emu.commands(private) == ["help"]
    assert emu.commands(language_code="fi") == ["start"]
    await call(http, "deleteMyCommands", language_code="fi")
    assert emu.commands(language_code="fi") == []
    status, body = await call(
        http, "setMyCommands", commands=[{"command": "Start", "description": "x"}]
    )
    assert status == 400
    assert "BOT_COMMAND_INVALID" in body["description"]
    status, _ = await call(http, "setMyCommands", commands=commands, language_code="finnish")
    assert status == 400
    assert len(emu.violations) == 2


async def test_descriptions(emu: BotAPIEmulator, http: httpx.AsyncClient) -> None:
    assert (await call(http, "setMyDescription", description="Kuvaus", language_code="fi"))[1]
    assert emu.description("fi") == "Kuvaus"
    assert (await call(http, "getMyDescription", language_code="fi"))[1] == {
        "description": "Kuvaus"
    }
    status, _ = await call(http, "setMyShortDescription", short_description="x" * 121)
    assert status == 400
    assert (await call(http, "setMyShortDescription", short_description="Lyhyt"))[0] == 200
    assert emu.description(short=True) == "Lyhyt"


async def test_injected_faults_are_not_violations(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    emu.fail_next("sendMessage", retry_after=3)
    emu.fail_next("sendmessage", status=502)
    status, body = await call(http, "sendMessage", chat_id=aino.id, text="x")
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    status, body = await call(http, "sendMessage", chat_id=aino.id, text="x")
    assert (status, body["description"]) == (502, "Bad Gateway")
    assert (await call(http, "sendMessage", chat_id=aino.id, text="x"))[0] == 200
    assert emu.violations == []
    assert [c.status for c in emu.calls_to("sendMessage")] == [429, 502, 200]


async def test_uploads_are_kept_and_must_be_images(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    png = tiny_png(30, 20)
    response = await http.post(
        "sendPhoto",
        data={"chat_id": str(aino.id), "caption": "Kuva"},
        files={"photo": ("p.png", png, "image/png")},
    )
    message = response.json()["result"]
    assert message["photo"][0]["width"] == 30
    assert message["caption"] == "Kuva"
    shown = aino.last_bot_message()
    assert shown.photo is not None
    assert shown.photo.startswith(PNG_SIGNATURE)
    file_id = message["photo"][0]["file_id"]
    _, again = await call(http, "sendPhoto", chat_id=aino.id, photo=file_id)
    assert again["photo"][0]["file_id"] == file_id
    _, file = await call(http, "getFile", file_id=file_id)
    download = await http.get(f"{emu.base_file_url}{emu.token}/{file['file_path']}")
    assert download.content == png
    response = await http.post(
        "sendPhoto",
        data={"chat_id": str(aino.id)},
        files={"photo": ("x.png", b"nope", "image/png")},
    )
    assert response.status_code == 400
    assert "IMAGE_PROCESS_FAILED" in response.json()["description"]
    status, _ = await call(http, "sendPhoto", chat_id=aino.id, photo="no-such-file-id")
    assert status == 400
    assert len(emu.violations) == 2


async def test_json_bodies_and_get_requests(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    response = await http.post(
        "sendMessage", json={"chat_id": aino.id, "text": "json", "reply_markup": KEYBOARD}
    )
    assert response.json()["result"]["reply_markup"] == KEYBOARD
    response = await http.get("getMe")
    me = response.json()["result"]
    assert me["username"] == "checkin_test_bot"
    assert me["id"] == 123456
    assert emu.spec.check_value(me, ("User",), "") == []
    response = await http.get(
        "sendChatAction", params={"chat_id": str(aino.id), "action": "dancing"}
    )
    assert response.status_code == 400
    assert emu.violations[0].reason.startswith("wrong parameter action")


@pytest.mark.parametrize("method", ["getMe", "deleteWebhook", "getWebhookInfo", "close", "logOut"])
async def test_housekeeping_methods(
    emu: BotAPIEmulator, http: httpx.AsyncClient, method: str
) -> None:
    status, result = await call(http, method)
    assert status == 200
    assert result
    assert emu.violations == []


async def test_caption_edits_and_replies(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    emu.flood = None  # call after call in one chat, faster than Telegram allows
    response = await http.post(
        "sendPhoto",
        data={"chat_id": str(aino.id), "caption": "*Eka*", "parse_mode": "MarkdownV2"},
        files={"photo": ("p.png", tiny_png(), "image/png")},
    )
    photo = response.json()["result"]
    assert photo["caption_entities"] == [{"type": "bold", "offset": 0, "length": 3}]
    mid = photo["message_id"]
    _, text = await call(http, "sendMessage", chat_id=aino.id, text="teksti")
    status, body = await call(http, "editMessageText", chat_id=aino.id, message_id=mid, text="x")
    assert body["description"] == "Bad Request: there is no text in the message to edit"
    status, body = await call(
        http, "editMessageCaption", chat_id=aino.id, message_id=text["message_id"], caption="x"
    )
    assert body["description"] == "Bad Request: there is no caption in the message to edit"
    status, body = await call(
        http,
        "editMessageCaption",
        chat_id=aino.id,
        message_id=mid,
        caption="*Eka*",
        parse_mode="MarkdownV2",
    )
    assert body["description"] == f"Bad Request: {NOT_MODIFIED}"
    status, edited = await call(http, "editMessageCaption", chat_id=aino.id, message_id=mid)
    assert status == 200
    assert "caption" not in edited
    assert aino.messages[0].text is None
    status, body = await call(
        http, "sendMessage", chat_id=aino.id, text="vastaus", reply_parameters={"message_id": 42}
    )
    assert body["description"] == "Bad Request: message to be replied not found"
    status, _ = await call(
        http,
        "sendMessage",
        chat_id=aino.id,
        text="vastaus",
        reply_parameters={"message_id": 42, "allow_sending_without_reply": True},
    )
    assert status == 200
    status, body = await call(
        http, "sendMessage", chat_id=aino.id, text="Valmis.", parse_mode="MarkdownV2"
    )
    assert "Character '.' is reserved" in body["description"]
    assert len(emu.violations) == 5


async def test_allowed_updates_filter_what_is_queued(
    emu: BotAPIEmulator, http: httpx.AsyncClient, aino: SimUser
) -> None:
    _, empty = await call(http, "getUpdates", timeout=0, allowed_updates=["message"])
    assert empty == []
    await aino.tap(1, "x", settle=False)
    await aino.send_text("hei", settle=False)
    _, updates = await call(http, "getUpdates", timeout=0)
    assert [next(k for k in u if k != "update_id") for u in updates] == ["message"]
    assert "callback_query update dropped: not in allowed_updates" in emu.transcript()
    assert emu.unanswered_callback_queries() == []
