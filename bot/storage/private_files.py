"""Files readable by their owner only, written whole or not at all.

Backups, exports and reports hold survey data: they are created with mode 0600 under a
temporary name beside the target and moved into place once complete, so a reader never sees
half a file and a failure leaves nothing behind.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputError(Exception):
    """A file cannot be written where asked; the message is one line naming the path."""


def check_target(path: Path) -> None:
    """Refuse a target that is a folder or lies in a folder that does not exist."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder: give the name of a file in it")
    if not path.parent.is_dir():
        raise OutputError(
            f"the folder {path.parent} does not exist: create it first (nothing was written)"
        )


def create_private(path: Path) -> None:
    """Create an empty file readable by its owner only; it must not exist yet."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """An empty private file beside `path` to fill; it replaces `path` when the block succeeds
    and is removed when it fails."""
    check_target(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        create_private(temporary)
    except OSError as err:
        raise OutputError(f"cannot write in {path.parent}: {err.strerror}") from None
    try:
        yield temporary
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def write_private(path: Path, content: bytes) -> None:
    """Write `content` to `path` as a whole new file readable by its owner only."""
    with replacing(path) as temporary:
        temporary.write_bytes(content)
