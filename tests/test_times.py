"""Moments in words: "huomenna kello 14.30", in the person's language and the bot's zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.ui.i18n import load_all
from bot.ui.times import later, when

HELSINKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday 12.00 in Helsinki


@pytest.mark.parametrize(
    ("lang", "at", "said"),
    [
        ("fi", NOW + timedelta(hours=2, minutes=30), "tänään kello 14.30"),
        ("fi", NOW + timedelta(hours=24, seconds=59), "huomenna kello 12.00"),
        ("fi", NOW + timedelta(days=2), "keskiviikkona 2. joulukuuta kello 12.00"),
        ("sv", NOW + timedelta(hours=24), "i morgon klockan 12:00"),
        ("sv", NOW + timedelta(days=2), "onsdag den 2 december klockan 12:00"),
        ("en", NOW + timedelta(hours=1), "today at 1:00\u202fPM"),
        ("en", NOW + timedelta(days=2), "on Wednesday 2 December at 12:00\u202fPM"),
        ("et", NOW + timedelta(hours=24), "homme kell 12:00"),
        ("et", NOW + timedelta(days=2), "kolmapäev, 2. detsember kell 12:00"),
        ("so", NOW + timedelta(hours=24), "berri saacadda 12:00\u202fGD"),
        ("so", NOW + timedelta(days=2), "Arbaco, 2 Diseembar saacadda 12:00\u202fGD"),
        ("ru", NOW + timedelta(hours=2, minutes=30), "сегодня в 14:30"),
        ("ru", NOW + timedelta(hours=24), "завтра в 12:00"),
        ("ru", NOW + timedelta(days=2), "2 декабря, среда, в 12:00"),
        ("uk", NOW + timedelta(hours=24), "завтра о 12:00"),  # noqa: RUF001 - the Ukrainian word "at"
        ("uk", NOW + timedelta(days=2), "2 грудня, середа, о 12:00"),  # noqa: RUF001
    ],
)
def test_a_moment_is_a_day_and_a_clock_time_in_the_persons_language(
    lang: str, at: datetime, said: str
) -> None:
    assert when(load_all()[lang], lang, at, NOW, HELSINKI) == said


def test_the_day_is_the_day_in_the_bots_time_zone() -> None:
    # 23.30 UTC on Monday is already Tuesday in Helsinki.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert when(load_all()["fi"], "fi", late, NOW, HELSINKI) == "huomenna kello 1.30"


def test_a_wait_ends_on_a_whole_minute_never_before_it_is_over() -> None:
    start = datetime(2026, 11, 30, 10, 0, 20, tzinfo=UTC)
    assert later(start, timedelta(minutes=10)) == datetime(2026, 11, 30, 10, 11, tzinfo=UTC)
    assert later(NOW, timedelta(minutes=10)) == NOW + timedelta(minutes=10)
