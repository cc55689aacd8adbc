"""A poster for the wall: an A4 PDF that takes people from the wall to the check-in.

It has the session's name, the QR code of the join link, the code to type in large letters,
the bot's name and three numbered steps, in plain language, as real text (see `bot.ui.a4`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from babel.support import Translations
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from bot.core.codes import join_link
from bot.core.sessions import Session
from bot.ui.a4 import FONT, a4, line_start, printable
from bot.ui.i18n import interface_language
from bot.ui.qr import qr_png

MARGIN = 20  # millimetres
QR_SIZE = 110  # millimetres: scannable from a couple of metres


@dataclass(frozen=True, slots=True)
class PosterFacts:
    """What the poster shows about one session."""

    label: str
    link: str
    short_code: str
    bot_username: str

    @classmethod
    def of(cls, session: Session, bot_username: str) -> PosterFacts:
        """The facts of a session, with the join link that the QR code holds."""
        return cls(
            session.label,
            join_link(bot_username, session.join_code),
            session.short_code,
            bot_username,
        )


def file_name(session: Session) -> str:
    """The poster's file name, the same from the chat and the command line."""
    return f"poster-{session.id}.pdf"


def steps(t: Translations, facts: PosterFacts) -> tuple[str, str, str]:
    """The three numbered steps, from opening Telegram to answering."""
    _ = t.gettext
    return (
        _("Open Telegram on your phone."),
        _("Scan the QR code with your phone. Or find {bot} in Telegram.").format(
            bot="@" + facts.bot_username
        )
        + " "
        + _("Write the code {code} there.").format(code=facts.short_code),
        _("Answer the statements. Nobody sees your own answers."),
    )


def session_poster(
    translations: Mapping[str, Translations], session: Session, bot_username: str
) -> bytes:
    """The session's poster, in the session's language: the language everyone who joins
    starts in (in Finnish when the bot has no messages of its own in it)."""
    lang = interface_language(session.lang)
    return poster_pdf(translations[lang], lang, PosterFacts.of(session, bot_username))


def poster_pdf(t: Translations, lang: str, facts: PosterFacts) -> bytes:
    """The poster as an A4 PDF in the given language."""
    with a4(lang, facts.label, MARGIN) as pdf:
        return _draw(pdf, t, lang, facts)


def _draw(pdf: FPDF, t: Translations, lang: str, facts: PosterFacts) -> bytes:
    """The poster laid out on the page, as the PDF's bytes."""
    _ = t.gettext
    width = pdf.epw

    pdf.set_font(FONT, "B", 30)
    pdf.multi_cell(width, 13, facts.label, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 18)
    pdf.multi_cell(
        width,
        9,
        printable(_("Answer a short check-in.")),
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    pdf.image(
        io.BytesIO(qr_png(facts.link)), x=(pdf.w - QR_SIZE) / 2, y=pdf.get_y() + 4, w=QR_SIZE
    )
    pdf.set_y(pdf.get_y() + QR_SIZE + 8)

    pdf.set_font(FONT, "", 16)
    pdf.cell(
        width, 8, printable(_("The code:")), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font(FONT, "B", 44)
    pdf.cell(width, 18, facts.short_code, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)

    # Each step's number stands where its lines start: at the left, or at the right in Arabic
    # and Persian.
    number_width = 12
    start = line_start(lang)
    number_x, text_x = (width - number_width, 0.0) if start is Align.R else (0.0, number_width)
    for number, step in enumerate(steps(t, facts), start=1):
        top = pdf.get_y()
        pdf.set_font(FONT, "B", 16)
        pdf.set_xy(pdf.l_margin + number_x, top)
        pdf.cell(number_width, 8, f"{number}.", align=start)
        pdf.set_font(FONT, "", 16)
        pdf.set_xy(pdf.l_margin + text_x, top)
        pdf.multi_cell(
            width - number_width,
            8,
            printable(step),
            align=start,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(3)
    return bytes(pdf.output())
