"""The compact Bot API spec: built faithfully, and decoding and validating calls by type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.dev.emulator.models import UploadedFile
from bot.dev.emulator.spec import (
    COMPACT_SPEC_PATH,
    LICENSE,
    SOURCE,
    ApiSpec,
    build_compact,
    default_spec,
    dump_compact,
    main,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
FULL_SPEC = REPO_ROOT.parent / "shared" / "telegram-bot-api" / "api.json"


@pytest.fixture(scope="module")
def spec() -> ApiSpec:
    return default_spec()


def _method(spec: ApiSpec, name: str) -> Any:
    method = spec.method(name)
    assert method is not None
    return method


@pytest.mark.skipif(not FULL_SPEC.exists(), reason="the full spec in ../shared is absent")
def test_compact_spec_is_what_the_builder_makes() -> None:
    full = json.loads(FULL_SPEC.read_text(encoding="utf-8"))
    built = build_compact(full)
    shipped = json.loads(COMPACT_SPEC_PATH.read_text(encoding="utf-8"))
    assert shipped == built, "rebuild: python -m bot.dev.emulator.spec FULL_API_JSON OUT"
    assert COMPACT_SPEC_PATH.read_text(encoding="utf-8") == dump_compact(built)


@pytest.mark.skipif(not FULL_SPEC.exists(), reason="the full spec in ../shared is absent")
def test_builder_entry_point_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "bot_api.json"
    assert main([str(FULL_SPEC), str(out)]) == 0
    assert out.read_text(encoding="utf-8") == COMPACT_SPEC_PATH.read_text(encoding="utf-8")
    assert main([]) == 2


def test_compact_spec_names_its_source_and_has_no_descriptions() -> None:
    text = COMPACT_SPEC_PATH.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["source"] == SOURCE
    assert "PaulSonOfLars/telegram-bot-api-spec" in SOURCE
    assert data["license"] == LICENSE == "MIT"
    assert all(set(m) == {"returns", "fields", "required"} for m in data["methods"].values())
    allowed = {"fields", "required", "subtypes", "const"}
    assert all(set(t) <= allowed for t in data["types"].values())
    assert len(text) < 200_000


def test_method_lookup_is_case_insensitive(spec: ApiSpec) -> None:
    assert _method(spec, "sendmessage").name == "sendMessage"
    assert spec.method("sendTelepathy") is None
    assert _method(spec, "sendMessage").required == ["chat_id", "text"]


def test_form_values_are_decoded_by_declared_type(spec: ApiSpec) -> None:
    send = _method(spec, "sendMessage")
    params = spec.decode_params(
        send,
        {
            "chat_id": "42",
            "text": "123",
            "disable_notification": "true",
            "reply_markup": '{"inline_keyboard": [[{"text": "A", "callback_data": "1"}]]}',
        },
    )
    assert params["chat_id"] == 42
    assert params["text"] == "123"  # a String stays a string even if it looks like a number
    assert params["disable_notification"] is True
    assert params["reply_markup"] == {"inline_keyboard": [[{"text": "A", "callback_data": "1"}]]}
    assert spec.check_call(send, params) == []
    assert spec.decode_params(send, {"chat_id": "@channel"})["chat_id"] == "@channel"
    assert spec.decode_params(send, {"text": '{"a": 1}'})["text"] == '{"a": 1}'


def test_input_file_accepts_an_upload_or_a_string_and_attach_references(spec: ApiSpec) -> None:
    send = _method(spec, "sendPhoto")
    upload = UploadedFile("part1", "a.png", "image/png", b"\x89PNG")
    direct = spec.decode_params(send, {"chat_id": "1", "photo": upload})
    assert direct["photo"] is upload
    attached = spec.decode_params(
        send, {"chat_id": "1", "photo": "attach://part1", "part1": upload}
    )
    assert attached == {"chat_id": 1, "photo": upload}
    by_id = spec.decode_params(send, {"chat_id": "1", "photo": "AgACfileid"})
    assert spec.check_call(send, by_id) == []
    assert spec.check_call(send, direct) == []


def test_unknown_and_missing_parameters_are_reported(spec: ApiSpec) -> None:
    send = _method(spec, "sendMessage")
    reasons = spec.check_call(send, {"chat_id": 1, "txt": "hi"})
    assert "unknown parameter 'txt' for sendMessage" in reasons
    assert "required parameter 'text' of sendMessage is missing" in reasons


def test_nested_objects_are_checked_field_by_field(spec: ApiSpec) -> None:
    send = _method(spec, "sendMessage")
    bad_button = {"inline_keyboard": [[{"text": "A", "callback_data": 5, "colour": "red"}]]}
    reasons = spec.check_call(send, {"chat_id": 1, "text": "x", "reply_markup": bad_button})
    assert any("inline_keyboard[0][0].callback_data: expected String" in r for r in reasons)
    assert any("colour: unknown field of InlineKeyboardButton" in r for r in reasons)
    assert spec.check_call(send, {"chat_id": 1.5, "text": "x"}) == [
        "chat_id: expected Integer or String, got float 1.5"
    ]


def test_unions_pick_the_subtype_by_its_constant(spec: ApiSpec) -> None:
    commands = _method(spec, "setMyCommands")
    good = {"commands": [], "scope": {"type": "chat", "chat_id": 5}}
    assert spec.check_call(commands, good) == []
    missing = spec.check_call(commands, {"commands": [], "scope": {"type": "chat"}})
    assert missing == ["scope.chat_id: required field of BotCommandScopeChat is missing"]
    wrong = spec.check_call(commands, {"commands": [], "scope": {"type": "everyone"}})
    assert len(wrong) == 1
    assert "not a valid BotCommandScope" in wrong[0]
    assert "all_private_chats" in wrong[0]


def test_emitted_shapes_are_valid_telegram_objects(spec: ApiSpec) -> None:
    user = {"id": 1, "is_bot": False, "first_name": "Aino", "language_code": "fi"}
    update: dict[str, Any] = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "from": user,
            "date": 1,
            "chat": {"id": 1, "type": "private", "first_name": "Aino"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    assert spec.check_value(update, ("Update",), "") == []
    update["message"]["mood"] = "happy"
    assert spec.check_value(update, ("Update",), "") == ["message.mood: unknown field of Message"]
