"""Instrument texts and times that the report tests share."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.instrument import Status
from bot.report_model import InstrumentText

HELSINKI = ZoneInfo("Europe/Helsinki")
FI = InstrumentText("fi", Status.OFFICIAL, "THL 2019")
SV = InstrumentText("sv", Status.PROVISIONAL, "draft 1")
NOW = datetime(2024, 6, 1, 9, 0, tzinfo=UTC)
"""When the reports are made."""
DAY = date(2024, 3, 4)
"""A day the sets were answered on."""
