from bot.demo import run_demo


async def test_the_demo_shows_a_whole_group_check_in() -> None:
    transcript = await run_demo()
    assert "Aino taps [ Aloitan ]" in transcript
    assert "Mitä mieltä olet seuraavista väittämistä?" in transcript
    assert "Erik \u203a " in transcript  # the person-speaks marker
    assert "Sam taps [ Send answers ]" in transcript
    assert "Stored: 3 complete answer sets, 0 in progress." in transcript
