"""QR codes of join links, as PNG images that show well on a screen and print well."""

from __future__ import annotations

import io

import segno

MODULE_PIXELS = 12  # a join link's QR code is about 600 pixels wide at this scale


def qr_png(url: str) -> bytes:
    """The link as a QR code PNG, with error correction that survives a smudged print."""
    buffer = io.BytesIO()
    segno.make(url, error="q", micro=False).save(buffer, kind="png", scale=MODULE_PIXELS, border=4)
    return buffer.getvalue()
