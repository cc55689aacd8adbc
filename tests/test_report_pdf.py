"""The report on one A4 page: real text read back as a screen reader or a copy would read it,
the chart's figures in its alternative text, and nothing of a group too small to show."""

import io
import re
from dataclasses import replace
from datetime import date, timedelta

import pypdf
from babel.support import Translations

from bot.core.instrument import load_instruments
from bot.core.report_model import Breakdown, ReportRequest, SessionInfo
from bot.core.reports import HeldSets, HoldReason, Report, build_report, statement_figures
from bot.core.sessions import SessionKind
from bot.core.statistics import Summary
from bot.ui.i18n import load_all
from bot.ui.report_pdf import file_name, report_pdf
from bot.ui.report_texts import figures, number, share
from tests.report_data import FI, SV, autumn_report, block

CATALOGS = load_all()
INSTRUMENTS = load_instruments()
A4_POINTS = (595, 842)  # 210 x 297 mm


def flat(text: str) -> str:
    """Lines joined as the words run on, so a wrapped sentence still reads as one."""
    return re.sub(r"\s+", " ", text)


def alt_texts(reader: pypdf.PdfReader) -> list[str]:
    """The alternative texts of the page's images, as a screen reader finds them."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, pypdf.generic.IndirectObject):
            node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for item in node:
                walk(item)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.root_object["/StructTreeRoot"])
    return found


def read(report: Report, lang: str = "fi") -> tuple[pypdf.PdfReader, str]:
    """The PDF, and its text as one run of words."""
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(report, INSTRUMENTS, CATALOGS[lang], lang)))
    return reader, flat(" ".join(page.extract_text() for page in reader.pages))


def test_one_a4_page_with_the_headline_figures_meaning_statements_and_source() -> None:
    built = autumn_report(Breakdown.ACTIVITY)
    reader, text = read(built)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    assert "Osallisuusindikaattori: yhteenveto toiminnoittain" in text
    assert "Kaikki toiminnat · 1.9.2026\u201331.12.2026 · n = 96 · tehty 20.12.2026" in text
    official, swedish = built.tables
    for table in (official, swedish):
        total = figures(CATALOGS["fi"], table.total.figures, "fi")
        assert flat(f"Kaikki: {total}") in text
    assert "Kaikki: vastauksia 86, keskiarvo 65,0 (62,3\u201367,7), alle 50: 12 %" in text
    assert "Sulkeissa on 95 %:n luottamusväli: ryhmän keskiarvo on hyvin todennäköisesti" in text
    assert "Alle 50 tarkoittaa erittäin heikkoa osallisuuden kokemusta." in text
    assert "työttömät aikuiset Suomessa 2019: alle 50: 24,5 %" in text
    assert "Väite kerrallaan: suomi, THL:n virallinen teksti (THL 2019), 86 vastausta." in text
    for number_of, (statement, found) in enumerate(
        zip(INSTRUMENTS["fi"].statements, statement_figures(official), strict=True), start=1
    ):
        shares = " ".join(share(value, "fi") for value in found.shares)
        assert flat(f"{number_of}. {statement} {shares}") in text
    assert "Tekstin ruotsi, alustava käännös (draft 1) väitteet ovat taulukkotiedostossa" in text
    assert text.rstrip().endswith("Osallisuusindikaattori © THL")


def test_the_page_says_its_language_and_title_and_the_chart_its_figures() -> None:
    built = autumn_report(Breakdown.ACTIVITY)
    reader, text = read(built, "sv")
    assert str(reader.root_object["/Lang"]) == "sv"
    assert reader.metadata is not None
    assert reader.metadata.title == (
        "Delaktighetsindikatorn: sammanställning per verksamhet · Alla verksamheter · "
        "1 sep. 2026\u201331 dec. 2026 · n = 96 · gjord 20 dec. 2026"
    )
    assert "Vad siffrorna betyder" in text
    [chart] = reader.pages[0].images
    assert chart.name.endswith(".png") or chart.image is not None
    [alt] = alt_texts(reader)
    assert alt.startswith("Delaktighet per verksamhet: medelvärde och andel under 50\n")
    for row in built.tables[0].rows:
        assert isinstance(row.figures, Summary)
        assert f"{row.cell.label} [" in alt
        assert number(row.figures.mean, "sv") in alt


def test_start_and_end_of_an_activity_are_the_question_and_compared_statement_by_statement() -> (
    None
):
    built = autumn_report(Breakdown.ACTIVITY, activity_id=2)
    reader, text = read(built)
    assert "Toiminnan alku: vastauksia 12, keskiarvo 56,7" in text
    assert "Toiminnan loppu: vastauksia 9, keskiarvo 70,0" in text
    assert "Muutos alusta loppuun: +13,3" in text
    assert "Väli sisältää nollan: muutos voi olla sattumaa." in text
    assert "Ryhmissä ei ole samat ihmiset: alussa vastasi 12, lopussa 9." in text
    [alt] = alt_texts(reader)
    assert alt.startswith("Toiminnan alku ja loppu: kahden ryhmän keskiarvot")
    for number_of, found in enumerate(statement_figures(built.tables[0]), start=1):
        assert found.start is not None
        assert found.end is not None
        ends = f"{number(found.start, 'fi')} {number(found.end, 'fi')}"
        assert re.search(rf"{number_of}\. [^%]+(?: \d+ %){{5}} {ends}", text), number_of


def test_a_period_with_a_group_too_small_says_what_was_left_out_and_why() -> None:
    _reader, text = read(autumn_report(Breakdown.SESSION))
    assert "Mitä jätettiin pois ja miksi" in text
    assert "Jokainen luku kattaa kokonaisia ryhmiä, joissa on vähintään 5 vastausta." in text
    assert "Ei kuvassa: Kuntosaliryhmä 15.10. (liian vähän vastauksia näytettäväksi)." in text
    assert "Ei näytetä koskaan, liian vähän vastauksia: 2 vastausta, kyselyjä 1." in text


def test_no_figure_of_a_group_under_the_minimum_size_reaches_the_page() -> None:
    """The autumn's smallest check-in had two answers, 35.0 and 2.5: its mean, its n and its
    scores appear nowhere, in the words or in the chart's alternative text."""
    for breakdown in Breakdown:
        reader, text = read(autumn_report(breakdown))
        shown = text + " " + " ".join(flat(alt) for alt in alt_texts(reader))
        for value in ((35.0 + 2.5) / 2, 35.0, 2.5):
            assert not re.search(rf"(?<![\d,]){re.escape(number(value, 'fi'))}(?![\d])", shown)
        assert "Kuntosaliryhmä 15.10. (n = 2)" not in shown
        assert not re.search(r"Kuntosaliryhmä 15\.10\.[^.;]*vastauksia 2\b", shown)


def test_a_long_report_still_fits_on_one_page_with_every_section() -> None:
    """Forty check-ins in three texts: the chart gets smaller, then the words; nothing is cut."""
    sessions, blocks, held = [], [], []
    first = date(2026, 9, 1)
    for i in range(1, 41):
        day = first + timedelta(days=2 * i)
        sessions.append(
            SessionInfo(i, f"Ryhmä {i}", 1, "Avoin työhuone", SessionKind.SINGLE, True, day)
        )
        blocks.append(block(i, i, day, [50.0 + i % 7 * 5] * 5))
        blocks.append(block(100 + i, i, day, [60.0] * 5, SV))
        blocks.append(block(200 + i, i, day, [70.0] * 5, replace(FI, language="en")))
        held.append(HeldSets(i, HoldReason.TOO_FEW, 2))
    request = ReportRequest(Breakdown.SESSION)
    built = build_report(
        request, sessions, blocks, held, as_of=date(2026, 12, 20), min_group_size=5
    )
    pdf = report_pdf(built, INSTRUMENTS, CATALOGS["fi"], "fi")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    lowest: list[float] = []
    reader.pages[0].extract_text(
        visitor_text=lambda text, _cm, tm, _f, _s: lowest.append(tm[5]) if text.strip() else None
    )
    assert min(lowest) > 0  # every line is on the page, none below its edge
    text = flat(reader.pages[0].extract_text())
    assert "n = 600" in text
    assert text.rstrip().endswith("Osallisuusindikaattori © THL")


def test_a_report_without_figures_says_so_on_its_page() -> None:
    sessions = [SessionInfo(1, "Avoin", None, "", SessionKind.SINGLE, False, date(2026, 9, 1))]
    held = [HeldSets(1, HoldReason.OPEN, 4)]
    built = build_report(
        ReportRequest(), sessions, [], held, as_of=date(2026, 9, 1), min_group_size=5
    )
    reader, text = read(built, "en")
    assert len(reader.pages) == 1
    assert not reader.pages[0].images
    assert "There are answers, but no figures to show yet:" in text
    assert "Not shown yet, the check-in is open: 4 answers in 1 check-ins." in text
    assert "n = 0" in text


def test_the_file_is_named_by_the_day_of_the_report() -> None:
    assert file_name(autumn_report(Breakdown.MONTH)) == "checkin-report-2026-12-20.pdf"


def test_every_word_on_the_page_comes_from_the_catalog() -> None:
    class Marked(Translations):
        def gettext(self, message: str) -> str:
            return f"«{message}»"

    built = autumn_report(Breakdown.ACTIVITY, activity_id=2)
    pdf = report_pdf(built, INSTRUMENTS, Marked(), "fi")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for heading in ("What the figures mean", "What is left out, and why", "At start", "At end"):
        assert f"«{heading}»" in text


def test_a_right_to_left_page_leaves_out_the_isolates_its_font_cannot_show() -> None:
    """Arabic messages isolate their inserted fields for Telegram; the page has no glyph for
    the isolates, so they are left out rather than drawn as boxes."""
    reader, text = read(autumn_report(Breakdown.ACTIVITY, activity_id=2), "ar")
    assert len(reader.pages) == 1
    assert str(reader.root_object["/Lang"]) == "ar"
    shown = text + "".join(alt_texts(reader))
    assert "n = 21" in shown
    assert not set(shown) & {"\u2066", "\u2067", "\u2068", "\u2069"}


def test_a_right_to_left_page_is_shaped_and_reads_in_order() -> None:
    """HarfBuzz joins the letters and orders the line: the words come back as written (without
    shaping, each comes back reversed, letter by letter)."""
    t = CATALOGS["ar"]
    _, text = read(autumn_report(Breakdown.ACTIVITY, activity_id=2), "ar")
    heading = t.gettext("What is left out, and why")
    assert heading in text, text
