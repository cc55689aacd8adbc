"""The `checkin-bot` command run as an operator runs it: a separate process, settings in the
environment (or a `.env` in its working folder), and only what it prints to look at."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

COMMAND = str(Path(sys.executable).with_name("checkin-bot"))


@dataclass(frozen=True, slots=True)
class Finished:
    """How a command ended and what it printed."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        """Standard error, line by line."""
        return self.err.splitlines()


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without any CHECKIN_ setting, plus the given ones."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHECKIN_")}
    clean.pop("CREDENTIALS_DIRECTORY", None)
    return clean | {"PTB_TIMEDELTA": "true"} | settings


def checkin_bot(*args: str, env: dict[str, str], cwd: Path, timeout: float = 60) -> Finished:
    """Run `checkin-bot ARGS` to its end."""
    done = subprocess.run(
        [COMMAND, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=timeout,
    )
    return Finished(done.returncode, done.stdout, done.stderr)


async def checkin_bot_async(*args: str, env: dict[str, str], cwd: Path) -> Finished:
    """The same, for a test whose event loop serves the Bot API emulator meanwhile."""
    process = await asyncio.create_subprocess_exec(
        COMMAND,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), 60)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return Finished(process.returncode, out.decode(), err.decode())


def one_line(result: Finished, code: int = 2) -> str:
    """The single line a command stops with: the exit code, no traceback, no other output."""
    assert result.code == code, result
    assert len(result.err_lines) == 1, result.err
    line = result.err_lines[0]
    assert line.startswith("checkin-bot: "), line
    return line
