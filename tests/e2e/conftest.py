"""The real bot against the local Bot API emulator; any Bot API violation fails the test."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.dev.sandbox import Sandbox


@dataclass
class ManualClock:
    """A clock the test moves forward, for expiry."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def coordinators() -> frozenset[int]:
    """Coordinators' Telegram ids; a test module overrides this fixture to have some."""
    return frozenset()


@pytest.fixture
async def sandbox(
    tmp_path: Path, clock: ManualClock, coordinators: frozenset[int]
) -> AsyncIterator[Sandbox]:
    async with Sandbox(tmp_path, clock, coordinators=coordinators) as box:
        yield box
        await box.emulator.settle()
        assert box.emulator.unanswered_callback_queries() == []
        box.emulator.assert_no_violations()
