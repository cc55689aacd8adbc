"""What went wrong with a file or folder, in plain words, for the one line a command stops with."""

from __future__ import annotations

import errno
from pathlib import Path

_REASONS = {
    errno.ENOENT: "{path} does not exist",
    errno.ENOTDIR: "a part of {path} is a file where a folder is needed",
    errno.EEXIST: "{path} is a file where a folder is needed",
    errno.EISDIR: "{path} is a folder where a file is needed",
    errno.EACCES: "no permission to use {path}",
    errno.EPERM: "no permission to use {path}",
    errno.EROFS: "{path} is on a read-only file system",
    errno.ENOSPC: "the disk is full ({path})",
}


def file_problem(err: OSError, database: Path | None = None) -> str:
    """One line naming the path and what is wrong with it; when the path is the database, its
    key file or a folder on the way to them, it names the setting too."""
    path = Path(err.filename)
    reason = _REASONS.get(err.errno or 0, "{path}: " + (err.strerror or type(err).__name__))
    line = reason.format(path=path)
    if database is not None and _on_the_way(path, database):
        line += f". Check CHECKIN_DATABASE ({database})"
    return line + "."


def _on_the_way(path: Path, database: Path) -> bool:
    """Whether the path is the database's folder or one above it, or a file beside it."""
    here, folder = path.absolute(), database.absolute().parent
    return here == folder or here in folder.parents or here.parent == folder
