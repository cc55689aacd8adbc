"""A4 pages as PDF with real text: the words can be selected, searched and read aloud by a
screen reader in the document's language. They are set in DejaVu Sans, which has Finnish,
Swedish, Cyrillic and Arabic letters and comes with matplotlib, so nothing is downloaded."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import distribution
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align
from fpdf.fonts import TTFFont

from bot.ui.i18n import RIGHT_TO_LEFT

FONT = "DejaVu"
# Directional isolates (U+2066-U+2069) keep inserted fields in order in Telegram's right-to-left
# messages; DejaVu has no glyphs for them and fpdf2 lays out each line itself.
_ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


def printable(text: str) -> str:
    """Text as the page sets it: without the invisible isolates the font cannot show."""
    return text.translate(_ISOLATES)


def font_file(name: str) -> Path:
    """A DejaVu font file from matplotlib's data, without importing matplotlib itself."""
    return Path(
        str(distribution("matplotlib").locate_file(f"matplotlib/mpl-data/fonts/ttf/{name}"))
    )


def line_start(lang: str) -> Align:
    """Where a line of text starts on the page: at the right margin in Arabic and Persian."""
    return Align.R if lang in RIGHT_TO_LEFT else Align.L


@contextmanager
def a4(lang: str, title: str, margin: float, *, height: float = 297) -> Iterator[FPDF]:
    """An empty A4 document (portrait) with the fonts, the language and the title set. Another
    height gives a scratch page of the same width, for measuring what would fit.

    Make the PDF's bytes inside the block: the font files are read until then, and closed at
    its end (fpdf2 leaves them open)."""
    pdf = FPDF(format=(210, height))
    pdf.set_margins(margin, margin)
    pdf.set_auto_page_break(auto=False)
    pdf.add_font(FONT, "", font_file("DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", font_file("DejaVuSans-Bold.ttf"))
    pdf.set_lang(lang)
    if lang in RIGHT_TO_LEFT:
        pdf.set_text_shaping(True)
    pdf.set_title(title)
    pdf.set_creator("checkin-bot")
    pdf.add_page()
    try:
        yield pdf
    finally:
        for font in pdf.fonts.values():
            if isinstance(font, TTFFont):
                font.close()
