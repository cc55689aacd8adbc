import asyncio
from pathlib import Path

from bot.dev.demo import run_demo
from tests.command_line import COMMAND, environment


async def test_the_demo_shows_a_whole_group_check_in() -> None:
    pieces: list[str] = []
    await run_demo(pieces.append)
    transcript = "".join(pieces)
    assert "Kaija (coordinator) \u203a /invite" in transcript  # the person-speaks marker
    assert "Marja (facilitator) taps [ Toiminnan alku ]" in transcript
    assert "Aino taps [ Aloitan ]" in transcript
    assert "Mitä mieltä olet seuraavista väittämistä?" in transcript
    assert "Erik \u203a " in transcript
    assert "Sam taps [ Send answers ]" in transcript
    assert "Layla taps [ العربية ]" in transcript  # the session is in Finnish: she switches
    assert "Layla taps [ أبدأ ]" in transcript  # the consent is in Arabic: Layla's language
    assert "ما رأيك في العبارات التالية؟" in transcript  # the Arabic main question
    assert "العبارة \u20681\u2069 من \u206810\u2069" in transcript  # the Arabic interface
    assert "Layla \u203a ٣" in transcript  # an answer typed in Arabic-Indic digits
    assert "Layla taps [ إرسال الإجابات ]" in transcript
    assert "شكرًا! حفظت إجاباتك." in transcript
    assert "Tiistai 24.11. (toiminnan alku, avoin): valmiita vastauksia 4" in transcript
    assert transcript.endswith("Marja sees how many answered, never who or what.\n")


async def test_the_command_prints_the_transcript_as_it_happens_and_nothing_else(
    tmp_path: Path,
) -> None:
    process = await asyncio.create_subprocess_exec(
        COMMAND,
        "demo",
        env=environment(),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = await asyncio.wait_for(process.stdout.readline(), 60)
    assert process.returncode is None  # the first line came while the check-in went on
    rest = await asyncio.wait_for(process.stdout.read(), 60)
    errors = await process.stderr.read()
    assert await process.wait() == 0
    assert first.strip()
    assert "Aino taps [ Aloitan ]" in rest.decode()
    assert errors.decode() == ""  # no library log lines
