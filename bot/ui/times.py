"""Moments said the way people say them: "tomorrow at 14.30", not "in 24 hours".

A person reads a time best as a day and a clock time in their own language and time zone,
so every deadline or wait the bot mentions goes through `when`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from babel.dates import format_date, format_time
from babel.support import Translations

# A weekday, the day and the month, in each language's usual order (CLDR's "format" forms, so
# Finnish says "tiistaina 1. joulukuuta"). Russian and Ukrainian put the day first, so that
# the phrase needs no preposition before the weekday ("2 декабря, среда, в 12:00").
DATE_PATTERNS = {
    "fi": "EEEE d. MMMM",
    "sv": "EEEE 'den' d MMMM",
    "en": "EEEE d MMMM",
    "et": "EEEE, d. MMMM",
    "so": "EEEE, d MMMM",
    "ru": "d MMMM, EEEE",
    "uk": "d MMMM, EEEE",
}


def when(t: Translations, lang: str, at: datetime, now: datetime, zone: tzinfo) -> str:
    """`at` as today, tomorrow or a weekday and date, with the clock time, in `zone`.

    Seconds are cut, so the time said is never later than `at`.
    """
    local = at.astimezone(zone).replace(second=0, microsecond=0)
    days = (local.date() - now.astimezone(zone).date()).days
    clock = format_time(local, "short", locale=lang)
    if days == 0:
        return t.gettext("today at {time}").format(time=clock)
    if days == 1:
        return t.gettext("tomorrow at {time}").format(time=clock)
    day = format_date(local, DATE_PATTERNS.get(lang, DATE_PATTERNS["en"]), locale=lang)
    return t.gettext("on {date} at {time}").format(date=day, time=clock)


def later(now: datetime, wait: timedelta) -> datetime:
    """The moment a wait that starts now ends, rounded up to a whole minute.

    Rounding up keeps a "try again at" time from falling before the wait is over.
    """
    end = now + wait
    rest = timedelta(seconds=end.second, microseconds=end.microsecond)
    return end if not rest else end - rest + timedelta(minutes=1)
