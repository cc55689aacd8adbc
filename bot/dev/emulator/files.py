"""Files the emulator knows: uploads from the bot and media sent by simulated people.

Telegram gives every file a ``file_id`` that can be sent again and a path for downloading
through ``getFile``; keeping the bytes lets a test check what the bot actually uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.dev.emulator.media import image_size

# Telegram's size for a photo that was given by URL, which the emulator does not download.
UNKNOWN_SIZE = (320, 320)


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One stored file with its Telegram identifiers."""

    file_id: str
    file_unique_id: str
    kind: str
    path: str
    data: bytes = field(repr=False)
    url: str | None = None

    def ids(self) -> dict[str, Any]:
        """``file_id`` and ``file_unique_id``, the fields every file object starts with."""
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id}

    def photo_size(self) -> dict[str, Any]:
        """The PhotoSize object describing this image."""
        width, height = image_size(self.data) or UNKNOWN_SIZE
        size: dict[str, Any] = {**self.ids(), "width": width, "height": height}
        if self.data:
            size["file_size"] = len(self.data)
        return size

    def api_file(self) -> dict[str, Any]:
        """The File object ``getFile`` answers with."""
        return {**self.ids(), "file_size": len(self.data), "file_path": self.path}


class FileStore:
    """All files by ``file_id`` and by download path."""

    def __init__(self) -> None:
        self._by_id: dict[str, FileRecord] = {}
        self._by_path: dict[str, FileRecord] = {}

    def add(self, data: bytes, kind: str, extension: str, *, url: str | None = None) -> FileRecord:
        """Store bytes under fresh identifiers."""
        number = len(self._by_id) + 1
        record = FileRecord(
            file_id=f"EMU{kind[:2].upper()}{number:06d}",
            file_unique_id=f"U{number:06d}",
            kind=kind,
            path=f"{kind}s/file_{number}.{extension}",
            data=data,
            url=url,
        )
        self._by_id[record.file_id] = record
        self._by_path[record.path] = record
        return record

    def get(self, file_id: str) -> FileRecord | None:
        """The file with this ``file_id``, or None."""
        return self._by_id.get(file_id)

    def by_path(self, path: str) -> FileRecord | None:
        """The file with this download path, or None."""
        return self._by_path.get(path)
