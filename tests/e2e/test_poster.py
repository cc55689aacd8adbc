"""/poster in the chat: a facilitator gets the poster of their newest open check-in as a PDF,
the same poster the command line makes."""

import io

import pypdf
import pytest

from bot.dev.sandbox import Sandbox
from tests.e2e.test_staff import COORDINATOR, invite, new_session


@pytest.fixture
def coordinators() -> frozenset[int]:
    return frozenset({COORDINATOR})


async def test_a_facilitator_gets_the_poster_of_the_newest_open_check_in(
    sandbox: Sandbox,
) -> None:
    leader = await invite(sandbox, 720, "Outi")
    await leader.send_text("/poster")
    assert leader.last_bot_message().kind == "text"  # nothing open yet: no poster
    _, code = await new_session(leader, "Torstain ryhmä", "One check-in")
    await leader.send_text("/poster")
    sent = leader.last_bot_message()
    assert sent.kind == "document"
    assert sent.filename is not None
    assert sent.filename.endswith(".pdf")
    assert sent.document is not None
    reader = pypdf.PdfReader(io.BytesIO(sent.document))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Torstain ryhmä" in text
    assert f"Koodi: {code}" in text
    assert f"@{sandbox.emulator.bot_username}" in text
    assert "3. Vastaa väitteisiin." in text


async def test_people_who_are_not_staff_get_no_poster(sandbox: Sandbox) -> None:
    stranger = sandbox.emulator.user(721, "Vieras", language_code="fi")
    await stranger.send_text("/poster")
    assert all(m.kind != "document" for m in stranger.bot_messages())


async def test_the_poster_is_in_the_check_ins_language(sandbox: Sandbox) -> None:
    leader = await invite(sandbox, 722, "Linnea")  # her own chat is in English
    _, code = await new_session(leader, "Torsdag", "One check-in", language="Svenska")
    await leader.send_text("/poster")
    sent = leader.last_bot_message()
    assert sent.document is not None
    reader = pypdf.PdfReader(io.BytesIO(sent.document))
    text = " ".join(reader.pages[0].extract_text().split())
    assert str(reader.root_object["/Lang"]) == "sv"
    assert "1. Öppna Telegram i din telefon." in text
    assert code in text
