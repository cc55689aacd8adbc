"""Just enough image handling for photos: recognise formats, read sizes, make a tiny PNG.

Telegram answers an upload that is not an image with IMAGE_PROCESS_FAILED and reports each
photo's width and height, so the emulator needs to look inside the uploaded bytes.
"""

from __future__ import annotations

import struct
import zlib
from typing import Final

PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
MAX_PHOTO_BYTES: Final = 10 * 1024 * 1024
MAX_PHOTO_SIDES: Final = 10_000
MAX_PHOTO_RATIO: Final = 20


def image_format(data: bytes) -> str | None:
    """The image format the bytes start with, or None."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:2] == b"BM":
        return "bmp"
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG, or None if it cannot be read."""
    kind = image_format(data)
    try:
        if kind == "png" and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        if kind == "gif":
            width, height = struct.unpack("<HH", data[6:10])
            return int(width), int(height)
        if kind == "jpeg":
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(width), int(height)
        i += 2 + int(length)
    return None


def photo_problem(data: bytes) -> str | None:
    """Why Telegram would refuse these bytes as a photo, or None if it would take them."""
    if image_format(data) is None:
        return "IMAGE_PROCESS_FAILED: the uploaded photo is not an image"
    if len(data) > MAX_PHOTO_BYTES:
        return f"PHOTO_INVALID: the photo is {len(data)} bytes (at most 10 MB)"
    size = image_size(data)
    if size is not None:
        width, height = size
        if width <= 0 or height <= 0 or width + height > MAX_PHOTO_SIDES:
            return f"PHOTO_INVALID_DIMENSIONS: {width}x{height}"
        if max(width, height) > MAX_PHOTO_RATIO * min(width, height):
            return f"PHOTO_INVALID_DIMENSIONS: {width}x{height} is too narrow"
    return None


def tiny_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    """A valid, solid-colour PNG for simulated people's photos."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
