"""Log lines as plain text or as JSON, one object per line, for a log collector."""

import json
import logging
import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings
from bot.log_privacy import keep_logs_private

LOG_ONE_LINE = (
    "import logging, sys\n"
    "from bot.cli import configure_logging\n"
    "configure_logging(sys.argv[1])\n"
    "logging.getLogger('bot.tg.app').warning('could not update a message: %s', 'ö')\n"
    "logging.getLogger('httpx').info('GET https://api.telegram.org/bot123:SECRET/getMe')\n"
)


def log_output(log_format: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", LOG_ONE_LINE, log_format],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stderr.splitlines()


def test_json_logs_are_one_object_per_line() -> None:
    (line,) = log_output("json")  # the HTTP client's line with the token is not there
    record = json.loads(line)
    assert set(record) == {"time", "level", "logger", "message"}
    assert record["level"] == "WARNING"
    assert record["logger"] == "bot.tg.app"
    assert record["message"] == "could not update a message: ö"


def test_text_logs_are_plain_lines() -> None:
    (line,) = log_output("text")
    assert line.endswith(" WARNING bot.tg.app: could not update a message: ö")


def test_an_unknown_log_format_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHECKIN_LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="CHECKIN_LOG_FORMAT"):
        load_settings()


def test_what_telegram_sent_is_never_quoted_in_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    keep_logs_private()
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("telegram.request.BaseRequest").error(
            'Can not load invalid JSON data: "%s"', '{"ok": true, "result": {"text": "Aino'
        )
        logging.getLogger("telegram.ext.Application").debug("Processing update %s", "Aino")
    assert caplog.messages == ['Can not load invalid JSON data: "%s"']
