"""Security: the token stays out of the logs, staff powers stay with staff, codes cannot be
guessed, and the files are readable by their owner only."""

import contextlib
import logging
import math
import re
import secrets
import sqlite3
import string
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from telegram.error import NetworkError

from bot.core.codes import new_join_code
from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox
from bot.storage.backup import backup
from bot.tg.http import AiohttpRequest
from tests.faults.support import STAFF_COMMANDS, captured_logs, press_option, start_check_in
from tests.files import careless_umask
from tests.files import mode as file_mode

COORDINATOR = 8500
URL_SAFE = set(string.ascii_letters + string.digits + "-_")


@pytest.fixture
async def staffed(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with Sandbox(tmp_path, coordinators=frozenset({COORDINATOR})) as box:
        box.emulator.quiet_period = 0.02
        yield box
        await box.emulator.settle()
        assert box.emulator.unanswered_callback_queries() == []
        box.emulator.assert_no_violations()


def link_in(person: SimUser) -> str:
    found = re.search(r"https://t\.me/\S+", person.last_bot_message().text or "")
    assert found is not None, person.last_bot_message()
    return found[0]


async def a_facilitator(box: Sandbox, user_id: int) -> SimUser:
    coordinator = box.emulator.user(COORDINATOR, "Kaija", language_code="en")
    await coordinator.send_text("/invite")
    person = box.emulator.user(user_id, "Pertti", language_code="en")
    await person.open_link(link_in(coordinator))
    await person.send_text("Pertti Ohjaaja")
    await person.tap_button("I understand")
    return person


# ----------------------------------------------------------------------------- the token


async def test_the_token_never_reaches_the_logs(
    staffed: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = staffed.emulator.token
    with captured_logs() as logs:
        leader = await a_facilitator(staffed, 8501)
        await leader.send_text("/sessions")
        person, _ = await start_check_in(staffed, 8502, "Aino")
        # Failures on the way: their messages and tracebacks are logged too.
        staffed.emulator.fail_next("sendMessage", drop=True)
        for value in [3] * 10:
            await press_option(staffed, person, value)
        staffed.emulator.fail_next("editMessageText", status=502)
        staffed.emulator.fail_next("sendMessage", status=429, retry_after=1)
        await person.tap_button("Lähetä vastaukset")
        monkeypatch.setattr(staffed.services.drafts, "draft_for", None)  # a handler crashes
        await person.send_text("/continue")
        monkeypatch.undo()
        await staffed.emulator.settle()
    assert logs.lines, "nothing was logged: the capture does not work"
    failed = sorted((c.method, c.status) for c in staffed.emulator.calls if c.status != 200)
    assert failed == [("editMessageText", 502), ("sendMessage", 0), ("sendMessage", 429)]
    assert any("handling an update failed" in line for line in logs.lines)
    assert token not in logs.text
    assert token.partition(":")[2] not in logs.text


async def test_no_log_line_at_any_level_holds_an_id_a_name_an_answer_or_a_code(
    staffed: Sandbox,
) -> None:
    session = await staffed.new_session("Kotkan työhuone")
    person = staffed.emulator.user(5550123401, "Ainomaija", language_code="fi")
    with captured_logs(logging.DEBUG) as logs:
        logging.getLogger("bot").debug("the capture takes DEBUG lines")
        leader = await a_facilitator(staffed, 5550123402)
        await leader.send_text("/sessions")
        await person.send_text("QWERTY")  # a wrong code, typed
        await person.send_text(session.short_code.lower())
        await person.tap_button("Aloitan")
        for value in (1, 2, 3, 4, 5, 5, 4, 3, 2, 1):
            await press_option(staffed, person, value)
        await person.tap_button("Lähetä vastaukset")
        await staffed.emulator.settle()
    bots = [
        line
        for record, line in zip(logs.records, logs.lines, strict=True)
        if not record.name.startswith("bot.dev.emulator")  # Telegram's stand-in, not the bot
    ]
    assert "DEBUG bot: the capture takes DEBUG lines" in bots
    text = "\n".join(bots)
    private = [
        str(person.id),
        str(leader.id),
        "Ainomaija",
        "Pertti",
        "QWERTY",
        session.short_code,
        session.join_code,
        *staffed.services.instruments["fi"].options,
    ]
    assert [word for word in private if word.casefold() in text.casefold()] == []


async def test_an_error_that_quotes_the_url_has_the_token_taken_out() -> None:
    request = AiohttpRequest(retry_delays=())
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.do_request("http://[::1/bot123456:SECRET-TOKEN/getMe", "POST")
    finally:
        await request.shutdown()
    chain: list[str] = []  # what a logged traceback prints of each exception
    error: BaseException | None = raised.value
    while error is not None:
        chain.append(f"{type(error).__name__}: {error}")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    assert "/bot<token>/getMe" in chain[0]
    assert not [line for line in chain if "SECRET-TOKEN" in line]


# ----------------------------------------------------------------------------- staff powers


def dump(database: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return list(db.iterdump())


async def test_staff_commands_and_buttons_are_refused_to_others(staffed: Sandbox) -> None:
    leader = await a_facilitator(staffed, 8503)
    await leader.send_text("/new")
    nonce = (leader.last_bot_message().buttons[0][0].callback_data or "").split(":")[1]
    session = await staffed.new_session("Pertin ryhmä")
    outsider, _ = await start_check_in(staffed, 8504, "Ulla", session)
    await staffed.services.drafts.write_prompts()  # statement 1's, which the bot writes soon
    before = dump(staffed.settings.database)

    for command in (*STAFF_COMMANDS, "/start inv_" + secrets.token_urlsafe(16)):
        await outsider.send_text(command)
    target = outsider.last_bot_message().message_id
    for forged in (
        "o:ok",
        f"n:{nonce}:a:-",
        f"n:{nonce}:k:single",
        f"n:{nonce}:x",
        f"z:{session.id}",
        f"Z:{session.id}",
        "f:8503",
        "F:8503",
        f"F:{COORDINATOR}",
        "q:no",
        "Q:a:-",
        "Q:b:-:session",
    ):
        await outsider.tap(target, forged)

    assert dump(staffed.settings.database) == before
    assert await staffed.services.staff.member(8504) is None
    # No invitation, no QR code, no report file: only words.
    assert not [m for m in outsider.bot_messages() if "?start=inv_" in (m.text or "")]
    assert {m.kind for m in outsider.bot_messages()} == {"text"}


# ----------------------------------------------------------------------------- codes


def bits_by_position(codes: list[str]) -> float:
    """How many bits the codes carry, from the symbols seen at each position."""
    return sum(math.log2(len({code[i] for code in codes})) for i in range(len(codes[0])))


def test_join_codes_carry_at_least_96_random_bits() -> None:
    codes = [new_join_code() for _ in range(3000)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) >= 16 and set(code) <= URL_SAFE for code in codes)
    assert bits_by_position(codes) >= 96


@contextlib.contextmanager
def random_bytes_asked() -> Iterator[list[int]]:
    """How many random bytes each code made with `secrets.token_urlsafe` was made of."""
    asked: list[int] = []
    real = secrets.token_urlsafe

    def spy(nbytes: int | None = None) -> str:
        asked.append(32 if nbytes is None else nbytes)
        return real(nbytes)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secrets, "token_urlsafe", spy)
        yield asked


async def test_invitation_tokens_carry_at_least_96_random_bits(staffed: Sandbox) -> None:
    coordinator = staffed.emulator.user(COORDINATOR, "Kaija", language_code="en")
    tokens = []
    with random_bytes_asked() as asked:
        for _ in range(20):
            await coordinator.send_text("/invite")
            tokens.append(link_in(coordinator).rpartition("?start=inv_")[2])
    assert len(asked) == 20
    assert min(asked) * 8 >= 96
    assert len(set(tokens)) == len(tokens)
    assert all(len(token) * 6 >= 96 and set(token) <= URL_SAFE for token in tokens)
    with random_bytes_asked() as asked:
        new_join_code()
    assert asked
    assert asked[0] * 8 >= 96


# ----------------------------------------------------------------------------- files


def mode(path: Path) -> str:
    return oct(file_mode(path))


async def test_the_database_and_secret_files_are_private(tmp_path: Path) -> None:
    with careless_umask():
        key_file = tmp_path / "keys" / "checkin.secret"
        async with Sandbox(tmp_path / "data", secret=None, secret_file=key_file) as box:
            person, _ = await start_check_in(box, 8601, "Aino")
            await press_option(box, person, 1)
            database = box.settings.database
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm"), key_file]
            assert all(path.exists() for path in files), files
            assert {path.name: mode(path) for path in files} == {
                path.name: "0o600" for path in files
            }
            assert mode(database.parent) == mode(key_file.parent) == "0o700"
            copy = tmp_path / "copy.sqlite3"
            backup(database, copy)
            assert mode(copy) == "0o600"
