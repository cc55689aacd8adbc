from bot.demo import run_demo


async def test_the_demo_shows_a_whole_group_check_in() -> None:
    transcript = await run_demo()
    assert "Kaija (coordinator) \u203a /invite" in transcript  # the person-speaks marker
    assert "Marja (facilitator) taps [ Toiminnan alku ]" in transcript
    assert "Aino taps [ Aloitan ]" in transcript
    assert "Mitä mieltä olet seuraavista väittämistä?" in transcript
    assert "Erik \u203a " in transcript
    assert "Sam taps [ Send answers ]" in transcript
    assert "Tiistai 24.11. (toiminnan alku, avoin): valmiita vastauksia 3" in transcript
