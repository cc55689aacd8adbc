"""The real bot against the emulator, for fault tests; any Bot API violation fails the test."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.dev.sandbox import Sandbox


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with Sandbox(tmp_path) as box:
        box.emulator.quiet_period = 0.02
        yield box
        await box.emulator.settle()
        assert box.emulator.unanswered_callback_queries() == []
        box.emulator.assert_no_violations()
