"""File modes as an operator would check them."""

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def careless_umask() -> Iterator[None]:
    """A umask that lets every file be read and written by anyone unless created privately."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    """The file's permission bits, e.g. 0o600."""
    return stat.S_IMODE(path.stat().st_mode)
