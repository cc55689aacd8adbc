"""A report in words: the short plain-language summary for the chat and the text table for the
command line. Both render a `bot.core.reports.Report`: figures of released blocks, and what is held
back and why."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from bot.core.instrument import Instrument
from bot.core.report_model import Breakdown, InstrumentText, Period, ReportRequest
from bot.core.reports import (
    TOTAL_KEY,
    Cell,
    Figures,
    Held,
    HoldReason,
    NotShown,
    ReferenceFigure,
    ReferenceGroup,
    ReleasedTable,
    Report,
    Row,
    StartEnd,
    StatementFigures,
    participation,
    statement_figures,
)
from bot.core.sessions import SessionKind
from bot.core.statistics import Difference, Interval, Summary
from bot.ui.i18n import DEFAULT_LANGUAGE

CHAT_LIMIT = 3800  # Telegram allows 4096 characters; leave room for the closing line
EN_DASH = "\u2013"  # between the ends of an interval
MINUS = "\u2212"  # a real minus sign: a hyphen is easily misread or lost
NO_ACTIVITY = "none"  # the row key of sessions without an activity


def number(value: float, locale: str) -> str:
    """A mean, a difference or an interval's end, with one decimal in the locale's way and a
    real minus sign."""
    return format_decimal(value, format="0.0", locale=locale).replace("-", MINUS)


def signed(value: float, locale: str) -> str:
    """A change with its sign written out: +8.5, \u22128.3, 0.0."""
    return ("+" if value > 0 else "") + number(value, locale)


def share(value: float, locale: str) -> str:
    """A share 0-1 as a whole percentage ("12 %")."""
    return format_percent(value, format="0\u00a0%", locale=locale)


def reference_share(value: float, locale: str) -> str:
    """A published share as printed in its source, with its decimal ("24,5 %")."""
    return format_percent(value, format="0.#\u00a0%", locale=locale)


def day(value: date, locale: str) -> str:
    """A day in the locale's usual short way (1.9.2026, 1 Sept 2026)."""
    return format_date(value, format="medium", locale=locale)


def kind_name(t: Translations, kind: SessionKind) -> str:
    """A session kind in words."""
    _ = t.gettext
    names = {
        SessionKind.SINGLE: _("One check-in"),
        SessionKind.START: _("Start of the activity"),
        SessionKind.END: _("End of the activity"),
    }
    return names[kind]


def row_name(t: Translations, breakdown: Breakdown, cell: Cell, locale: str) -> str:
    """A row's name in words: "syyskuu 2026", "suomi", "Toiminnan alku", never a key."""
    if cell.key == TOTAL_KEY and not cell.label:
        return t.gettext("All")
    if breakdown is Breakdown.MONTH:
        year, month = (int(part) for part in cell.key.split("-"))
        return format_date(date(year, month, 1), "LLLL y", locale=locale)
    if breakdown is Breakdown.LANGUAGE:
        return str(Locale.parse(locale).languages.get(cell.key, cell.key))
    if breakdown is Breakdown.KIND:
        return kind_name(t, SessionKind(cell.key))
    if breakdown is Breakdown.ACTIVITY and cell.key == NO_ACTIVITY:
        return t.gettext("No activity")
    return cell.label


def language_name(code: str, locale: str) -> str:
    """A language in the reader's words: "suomi", "Swedish"."""
    return str(Locale.parse(locale).languages.get(code, code))


class FileKind(StrEnum):
    """The files /export sends."""

    WORKBOOK = "workbook"
    TOTALS = "totals"
    STATEMENTS = "statements"
    PAGE = "page"


def file_caption(t: Translations, kind: FileKind) -> str:
    """What a sent file is, in one or two sentences."""
    _ = t.gettext
    captions = {
        FileKind.WORKBOOK: _(
            "For Excel: the report in your language with a chart, then the totals, the "
            "statements one by one, the comparison figures and what the file covers."
        ),
        FileKind.TOTALS: _(
            "The totals of every check-in as CSV, with the column names in English, for other "
            "programs."
        ),
        FileKind.STATEMENTS: _(
            "For each statement, how many chose each answer option, as CSV for other programs."
        ),
        FileKind.PAGE: _(
            "The same report on one A4 page, as PDF: the figures, a chart, what they mean and "
            "the statements one by one. You can print it or send it on as it is."
        ),
    }
    return captions[kind]


def period_name(t: Translations, period: Period) -> str:
    """A period a coordinator can pick, in words."""
    _ = t.gettext
    names = {
        Period.ALL: _("All answers so far"),
        Period.THIS_MONTH: _("This month"),
        Period.LAST_MONTH: _("Last month"),
        Period.THIS_HALF_YEAR: _("This half-year"),
        Period.THIS_YEAR: _("This year"),
        Period.LAST_TERM: _("The last full term"),
    }
    return names[period]


def period(t: Translations, request: ReportRequest, locale: str) -> str:
    """The days a report covers, in words."""
    _ = t.gettext
    first, last = request.first_day, request.last_day
    if first and last:
        return _("{first} to {last}").format(first=day(first, locale), last=day(last, locale))
    if first:
        return _("from {first}").format(first=day(first, locale))
    if last:
        return _("until {last}").format(last=day(last, locale))
    return _("all answers so far")


def answers_in_figures(report: Report) -> int:
    """How many complete sets the report's figures hold, in every instrument text together."""
    return participation(report)[1]


def facts(t: Translations, report: Report, n: int, locale: str) -> str:
    """What a report covers, in one line: its scope, its period, n and the day it was made."""
    _ = t.gettext
    return _("{scope} \u00b7 {period} \u00b7 n = {n} \u00b7 made on {day}").format(
        scope=report.scope_label or _("All activities"),
        period=period(t, report.request, locale),
        n=n,
        day=day(report.as_of, locale),
    )


def reference_name(t: Translations, reference: ReferenceFigure) -> str:
    """Whom a reference figure describes, with its year."""
    _ = t.gettext
    names = {
        ReferenceGroup.ADULTS: _("adults in Finland"),
        ReferenceGroup.UNEMPLOYED: _("unemployed adults in Finland"),
        ReferenceGroup.SCHOOL: _("pupils from 8th grade up"),
        ReferenceGroup.CAPITAL_REGION: _("adults in the capital region"),
    }
    return f"{names[reference.group]} {reference.year}"


def chosen_references(report: Report) -> tuple[ReferenceFigure, ReferenceFigure]:
    """The figures a coordinator's groups are compared with: all adults, and unemployed adults,
    who are the usual participants of the activities."""
    found = {r.group: r for r in report.references}
    return found[ReferenceGroup.ADULTS], found[ReferenceGroup.UNEMPLOYED]


def reference_line(t: Translations, reference: ReferenceFigure, locale: str) -> str:
    """One reference figure in words: whom it describes, the year, its figures."""
    _ = t.gettext
    parts = []
    if reference.mean is not None:
        parts.append(_("mean {mean}").format(mean=number(reference.mean, locale)))
    if reference.share_under_50 is not None:
        parts.append(
            _("under 50: {share}").format(share=reference_share(reference.share_under_50, locale))
        )
    return f"{reference_name(t, reference)}: {', '.join(parts)}"


def meaning(t: Translations) -> list[str]:
    """What the figures mean, in plain words: the interval and "under 50"."""
    _ = t.gettext
    return [
        _(
            "The numbers in brackets are the {level} confidence interval: the mean of the group "
            "is very likely between them. The fewer the answers, the wider it is."
        ).format(level="95\u00a0%"),
        _(
            "Under 50 means a very weak experience of inclusion. The share says how many of "
            "the answers were under 50."
        ),
    ]


def interval(ci: Interval | None, locale: str) -> str:
    """An interval's two ends ("64,8\u201369,7"), or nothing for one set."""
    if ci is None:
        return ""
    return f"{number(ci.low, locale)}{EN_DASH}{number(ci.high, locale)}"


def _interval(ci: Interval | None, locale: str) -> str:
    return f" ({interval(ci, locale)})" if ci is not None else ""


def text_name(t: Translations, text: InstrumentText, locale: str) -> str:
    """An instrument text in words, saying plainly whether it is THL's official one. A text
    that is not THL's is always called a provisional translation, nothing else."""
    _ = t.gettext
    language = language_name(text.language, locale)
    if text.official:
        return _("{language}, THL's official text ({version})").format(
            language=language, version=text.version
        )
    return _("{language}, provisional translation ({version})").format(
        language=language, version=text.version
    )


def breakdown_name(t: Translations, breakdown: Breakdown) -> str:
    """A breakdown in words."""
    _ = t.gettext
    names = {
        Breakdown.ACTIVITY: _("by activity"),
        Breakdown.SESSION: _("by check-in"),
        Breakdown.MONTH: _("by month"),
        Breakdown.KIND: _("by kind of check-in"),
        Breakdown.LANGUAGE: _("by language"),
    }
    return names[breakdown]


def figures(t: Translations, value: Figures, locale: str) -> str:
    """One row's figures in words, or why they are not shown."""
    _ = t.gettext
    if isinstance(value, NotShown):
        return "; ".join(_reason(t, reason) for reason in value.reasons)
    if not isinstance(value, Summary):
        return _("no answers")
    mean = number(value.mean, locale)
    ci = _interval(value.ci95, locale)
    return _("{n} answers, mean {mean}{ci}, under 50: {share}").format(
        n=value.n, mean=mean, ci=ci, share=share(value.share_under_50, locale)
    )


def _reason(t: Translations, reason: HoldReason) -> str:
    """Why a group has no figures, in words."""
    _ = t.gettext
    names = {
        HoldReason.OPEN: _("not shown yet: the check-in is open"),
        HoldReason.CLOSING: _("not shown yet: the check-in closed just now"),
        HoldReason.TOO_FEW: _("too few answers to show"),
    }
    return names[reason]


def held_line(t: Translations, held: Held) -> str:
    """One kind of left-out answers, with how many."""
    _ = t.gettext
    lines = {
        HoldReason.OPEN: _(
            "Not shown yet, the check-in is open: {sets} answers in {sessions} check-ins."
        ),
        HoldReason.CLOSING: _(
            "Not shown yet, the check-in closed just now: {sets} answers in {sessions} check-ins."
        ),
        HoldReason.TOO_FEW: _(
            "Never shown, too few answers: {sets} answers in {sessions} check-ins."
        ),
    }
    return lines[held.reason].format(sets=held.sets, sessions=held.sessions)


def row_line(t: Translations, breakdown: Breakdown, row: Row, locale: str) -> str:
    """A row in one line: its name, its check-ins and its figures."""
    counts = ""
    if row.cell.sessions is not None:
        counts = " " + t.gettext("[{sessions} check-ins]").format(sessions=row.cell.sessions)
    name = row_name(t, breakdown, row.cell, locale)
    return f"- {name}{counts}: {figures(t, row.figures, locale)}"


def _start_end(t: Translations, table: ReleasedTable, locale: str) -> list[str]:
    pair = table.start_end
    if pair is None:
        return []
    return ["", *start_end_lines(t, pair, locale), *change_meaning(t, pair)]


def start_end_lines(t: Translations, pair: StartEnd, locale: str) -> list[str]:
    """The start's figures, the end's, and the change between them, a line each."""
    _ = t.gettext
    return [
        _("Start of the activity: {figures}").format(figures=figures(t, pair.start, locale)),
        _("End of the activity: {figures}").format(figures=figures(t, pair.end, locale)),
        change(t, pair.difference, locale),
    ]


def change(t: Translations, value: Difference | Figures, locale: str) -> str:
    """The change from start to end in words, or why it is not shown."""
    _ = t.gettext
    if not isinstance(value, Difference):
        return _("Change from start to end: {figures}").format(figures=figures(t, value, locale))
    return _("Change from start to end: {difference}{ci}").format(
        difference=signed(value.difference, locale), ci=_interval(value.ci95, locale)
    )


def may_be_chance(value: Difference) -> bool:
    """Whether the interval of a change includes zero (or there is none): then the change may
    be chance alone."""
    ci = value.ci95
    return ci is None or ci.low <= 0 <= ci.high


def change_meaning(t: Translations, pair: StartEnd) -> list[str]:
    """What a change from start to end means: whether it may be chance, and that different
    people answered at the start and at the end."""
    _ = t.gettext
    value, start, end = pair.difference, pair.start, pair.end
    if not (
        isinstance(value, Difference) and isinstance(start, Summary) and isinstance(end, Summary)
    ):
        return []
    chance = (
        _("The interval includes zero: the change may be chance.")
        if may_be_chance(value)
        else _("The interval does not include zero: the change is hardly chance alone.")
    )
    return [chance, different_people(t, start.n, end.n)]


def different_people(t: Translations, start: int, end: int) -> str:
    """That the start and end groups are not the same people, with both counts."""
    return t.gettext(
        "The groups are not the same people: {start} answered at the start, {end} at the end. "
        "Nobody's answers are linked between the two."
    ).format(start=start, end=end)


def summary(t: Translations, report: Report, locale: str) -> str:
    """The chat summary: plain words, every figure as released, within Telegram's limit."""
    _ = t.gettext
    head = [
        _("Report {breakdown}").format(breakdown=breakdown_name(t, report.request.breakdown)),
        _("Period: {period}. Made on {day}.").format(
            period=period(t, report.request, locale), day=day(report.as_of, locale)
        ),
        rule(t, report),
    ]
    if report.is_empty:
        return "\n".join([*head, "", nothing_to_show(t, report), *_left_out(t, report)])
    parts = ["\n".join([*head, *_left_out(t, report)])]
    breakdown = report.request.breakdown
    for table in report.tables:
        texts = ", ".join(text_name(t, text, locale) for text in table.texts)
        lines = ["", _("Instrument texts: {texts}").format(texts=texts)]
        if table.pooled:
            lines.append(_("Note: these figures pool different texts."))
        lines.append(_("All: {figures}").format(figures=figures(t, table.total.figures, locale)))
        lines += [row_line(t, breakdown, row, locale) for row in table.rows]
        lines += _start_end(t, table, locale)
        parts.append("\n".join(lines))
    parts += _participation(t, report, locale)
    comparison = [_("For comparison (THL):")]
    comparison += [f"- {reference_line(t, r, locale)}" for r in chosen_references(report)]
    parts.append("\n" + "\n".join([*meaning(t), *comparison]))
    text = "\n".join(parts)
    if len(text) > CHAT_LIMIT:
        text = text[:CHAT_LIMIT].rsplit("\n", 1)[0] + "\n" + _("(More rows in /export.)")
    return text


def _participation(t: Translations, report: Report, locale: str) -> list[str]:
    """Answers per row in every instrument text together, when the report has several."""
    if len(report.tables) < 2:  # one table already says it all
        return []
    _ = t.gettext
    rows, total = participation(report)
    breakdown = report.request.breakdown
    lines = ["", _("Answers in all languages together: {n}").format(n=total)]
    lines += [f"- {row_name(t, breakdown, cell, locale)}: {n}" for cell, n in rows]
    return ["\n".join(lines)]


def table(t: Translations, report: Report, locale: str) -> str:
    """A fixed-width text table for the command line, one block per instrument text."""
    _ = t.gettext
    if report.is_empty:
        return "\n".join([nothing_to_show(t, report), *_left_out(t, report)])
    head = (
        _("row"),
        _("check-ins"),
        _("unfinished"),
        _("answers"),
        _("mean"),
        _("95 % CI"),
        _("under 50"),
    )
    blocks = []
    for released in report.tables:
        lines: list[tuple[str, ...]] = [head]
        for row in (*released.rows, released.total):
            label = row_name(t, report.request.breakdown, row.cell, locale)
            counts = tuple(
                "" if value is None else str(value)
                for value in (row.cell.sessions, row.cell.unfinished)
            )
            value = row.figures
            if isinstance(value, Summary):
                numbers: tuple[str, ...] = (
                    str(value.n),
                    number(value.mean, locale),
                    _interval(value.ci95, locale).strip(" ()"),
                    share(value.share_under_50, locale),
                )
            else:
                numbers = (figures(t, value, locale), "", "", "")
            lines.append((label, *counts, *numbers))
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        texts = ", ".join(text_name(t, text, locale) for text in released.texts)
        rendered = [texts + (" " + _("(pooled)") if released.pooled else "")]
        rendered += [
            "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            for line in lines
        ]
        rendered += _start_end(t, released, locale)
        blocks.append("\n".join(rendered))
    ending = [rule(t, report), *_left_out(t, report), *meaning(t)]
    return "\n\n".join([*blocks, "\n".join(ending)])


def left_out_lines(
    t: Translations, report: Report, table: ReleasedTable, locale: str
) -> list[str]:
    """One line naming the table's groups without figures and why, and one per kind of
    left-out answers."""
    _ = t.gettext
    breakdown = report.request.breakdown
    missing = [
        f"{row_name(t, breakdown, row.cell, locale)} ({figures(t, why, locale)})"
        for row in table.rows
        if isinstance(why := row.figures, NotShown)
    ]
    lines = []
    if missing:
        lines.append(_("Not drawn: {groups}.").format(groups="; ".join(missing)))
    return lines + _left_out(t, report)


def statement_words(
    table: ReleasedTable, instruments: Mapping[str, Instrument], locale: str
) -> Instrument:
    """The instrument whose words name a table's statements: the one its answers were given
    in, or for pooled texts the reader's language (Finnish if it has none)."""
    languages = {text.language for text in table.texts}
    wanted = languages.pop() if len(languages) == 1 else locale
    return instruments.get(wanted) or instruments[DEFAULT_LANGUAGE]


def option_key(instrument: Instrument) -> str:
    """The five options by number: "1 = täysin eri mieltä, ..., 5 = täysin samaa mieltä"."""
    return ", ".join(f"{j} = {option}" for j, option in enumerate(instrument.options, start=1))


def spread(statement: StatementFigures, locale: str) -> str:
    """How a statement's answers spread over the options: "1: 0 % · 2: 8 % · ... · 5: 25 %"."""
    return " \u00b7 ".join(
        f"{j}: {share(value, locale)}" for j, value in enumerate(statement.shares, start=1)
    )


def statements_intro(
    t: Translations, table: ReleasedTable, locale: str, *, people: bool = True
) -> list[str]:
    """What the per-statement figures of a table are: its text, n, what start and end mean
    there, and (unless said already) that they are different people."""
    _ = t.gettext
    total = table.total.figures
    n = total.n if isinstance(total, Summary) else 0
    texts = ", ".join(text_name(t, text, locale) for text in table.texts)
    lines = [_("Statements one by one: {texts}, {n} answers.").format(texts=texts, n=n)]
    both = None if table.start_end is None else table.start_end.compared
    if both is not None:
        lines.append(_("Start and end: the mean answer from 1 to 5 in each group."))
        if people:
            lines.append(different_people(t, both[0].n, both[1].n))
    return lines


def start_end_means(t: Translations, statement: StatementFigures, locale: str) -> str:
    """A statement's mean answer at the start and at the end, or "" without both."""
    if statement.start is None or statement.end is None:
        return ""
    return t.gettext("start {start}, end {end}").format(
        start=number(statement.start, locale), end=number(statement.end, locale)
    )


def statements(
    t: Translations, report: Report, instruments: Mapping[str, Instrument], locale: str
) -> list[str]:
    """The statements one by one for the chat, a message per instrument text with figures:
    the share of answers in each option, and start versus end where the report has both."""
    _ = t.gettext
    messages = []
    for released in report.tables:
        found = statement_figures(released)
        if not found:
            continue
        instrument = statement_words(released, instruments, locale)
        lines = statements_intro(t, released, locale)
        lines.append(
            _("The share of answers in each option: {options}.").format(
                options=option_key(instrument)
            )
        )
        for i, (text, figures_here) in enumerate(
            zip(instrument.statements, found, strict=True), start=1
        ):
            lines += ["", f"{i}. {text}", spread(figures_here, locale)]
            lines += [line for line in (start_end_means(t, figures_here, locale),) if line]
        messages.append("\n".join(lines))
    return messages


def nothing_to_show(t: Translations, report: Report) -> str:
    """A report without figures: either nothing was sent, or everything is held back."""
    _ = t.gettext
    if not report.held:
        return _("There are no answers to report yet.")
    return _("There are answers, but no figures to show yet:")


def _left_out(t: Translations, report: Report) -> list[str]:
    """How many answers the report leaves out, and why."""
    return [held_line(t, held) for held in report.held]


def rule(t: Translations, report: Report) -> str:
    """What every report says about how its figures are made."""
    return t.gettext(
        "Every figure covers whole groups of at least {k} answers: a check-in's answers are "
        "shown after it closes, an open check-in's a few whole days at a time. Smaller groups "
        "are never shown."
    ).format(k=report.min_group_size)
