"""Instrument texts and times that the report tests share."""

from zoneinfo import ZoneInfo

from bot.instrument import Status
from bot.report_model import InstrumentText

HELSINKI = ZoneInfo("Europe/Helsinki")
FI = InstrumentText("fi", Status.OFFICIAL, "THL 2019")
SV = InstrumentText("sv", Status.PROVISIONAL, "draft 1")
