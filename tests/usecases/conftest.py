"""Use cases run against a real database on a temporary file, with a clock the test moves."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.usecases.services import Services
from bot.wiring import open_services
from tests.worlds import Clock

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
COORDINATOR = 1


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
async def services(tmp_path: Path, clock: Clock) -> AsyncIterator[Services]:
    settings = Settings.model_validate(
        {
            "database": tmp_path / "db.sqlite3",
            "secret": SecretStr("use-case-secret-0123456789"),
            "coordinators": frozenset({COORDINATOR}),
        }
    )
    opened = await open_services(settings, clock)
    yield opened
    await opened.close()
