"""A report in words: the short plain-language summary for the chat and the text table for the
command line. Both render a `bot.core.reports.Report`: figures of released blocks, and what is held
back and why."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from bot.core.report_model import Breakdown, InstrumentText
from bot.core.reports import Figures, Held, HoldReason, NotShown, ReleasedTable, Report, Row
from bot.core.statistics import Difference, Interval, Summary

CHAT_LIMIT = 3800  # Telegram allows 4096 characters; leave room for the closing line
EN_DASH = "\u2013"  # between the ends of an interval


def number(value: float, locale: str) -> str:
    """A mean, a difference or an interval's end, with one decimal in the locale's way."""
    return format_decimal(value, format="0.0", locale=locale)


def _share(value: float, locale: str) -> str:
    return format_percent(value, format="0 %", locale=locale)


def _interval(ci: Interval | None, locale: str) -> str:
    if ci is None:
        return ""
    return f" ({number(ci.low, locale)}{EN_DASH}{number(ci.high, locale)})"


def text_name(t: Translations, text: InstrumentText) -> str:
    """An instrument text in words, saying plainly whether it is THL's official one."""
    _ = t.gettext
    if text.official:
        return _("{language}, THL's official text ({version})").format(
            language=text.language, version=text.version
        )
    return _("{language}, provisional translation ({version})").format(
        language=text.language, version=text.version
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
        n=value.n, mean=mean, ci=ci, share=_share(value.share_under_50, locale)
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


def _held(t: Translations, held: Held) -> str:
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


def _row(t: Translations, row: Row, locale: str) -> str:
    counts = ""
    if row.cell.sessions is not None:
        counts = " " + t.gettext("[{sessions} check-ins]").format(sessions=row.cell.sessions)
    return f"- {row.cell.label}{counts}: {figures(t, row.figures, locale)}"


def _start_end(t: Translations, table: ReleasedTable, locale: str) -> list[str]:
    _ = t.gettext
    pair = table.start_end
    if pair is None:
        return []
    return [
        "",
        _("Start of the activity: {figures}").format(figures=figures(t, pair.start, locale)),
        _("End of the activity: {figures}").format(figures=figures(t, pair.end, locale)),
        change(t, pair.difference, locale),
    ]


def change(t: Translations, value: Difference | Figures, locale: str) -> str:
    """The change from start to end in words, or why it is not shown."""
    _ = t.gettext
    if not isinstance(value, Difference):
        return _("Change from start to end: {figures}").format(figures=figures(t, value, locale))
    sign = "+" if value.difference > 0 else ""
    return _("Change from start to end: {difference}{ci}").format(
        difference=sign + number(value.difference, locale), ci=_interval(value.ci95, locale)
    )


def summary(t: Translations, report: Report, locale: str) -> str:
    """The chat summary: plain words, every figure as released, within Telegram's limit."""
    _ = t.gettext
    head = [
        _("Report {breakdown}").format(breakdown=breakdown_name(t, report.request.breakdown)),
        _rule(t, report),
    ]
    if report.is_empty:
        return "\n".join([*head, "", _nothing_to_show(t, report), *_left_out(t, report)])
    parts = ["\n".join([*head, *_left_out(t, report)])]
    for table in report.tables:
        texts = ", ".join(text_name(t, text) for text in table.texts)
        lines = ["", _("Instrument texts: {texts}").format(texts=texts)]
        if table.pooled:
            lines.append(_("Note: these figures pool different texts."))
        lines.append(_("All: {figures}").format(figures=figures(t, table.total.figures, locale)))
        lines += [_row(t, row, locale) for row in table.rows]
        lines += _start_end(t, table, locale)
        parts.append("\n".join(lines))
    reference = report.references[0]
    parts.append(
        "\n"
        + _("For comparison: adults in Finland {year}, mean {mean}, under 50: {share}.").format(
            year=reference.year,
            mean=number(reference.mean or 0, locale),
            share=_share(reference.share_under_50 or 0, locale),
        )
    )
    text = "\n".join(parts)
    if len(text) > CHAT_LIMIT:
        text = text[:CHAT_LIMIT].rsplit("\n", 1)[0] + "\n" + _("(More rows in /export.)")
    return text


def table(t: Translations, report: Report, locale: str) -> str:
    """A fixed-width text table for the command line, one block per instrument text."""
    _ = t.gettext
    if report.is_empty:
        return "\n".join([_nothing_to_show(t, report), *_left_out(t, report)])
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
            label = row.cell.label if row is not released.total else _("all")
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
                    _share(value.share_under_50, locale),
                )
            else:
                numbers = (figures(t, value, locale), "", "", "")
            lines.append((label, *counts, *numbers))
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        texts = ", ".join(text_name(t, text) for text in released.texts)
        rendered = [texts + (" " + _("(pooled)") if released.pooled else "")]
        rendered += [
            "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            for line in lines
        ]
        rendered += _start_end(t, released, locale)
        blocks.append("\n".join(rendered))
    return "\n\n".join([*blocks, "\n".join([_rule(t, report), *_left_out(t, report)])])


def _nothing_to_show(t: Translations, report: Report) -> str:
    """A report without figures: either nothing was sent, or everything is held back."""
    _ = t.gettext
    if not report.held:
        return _("There are no answers to report yet.")
    return _("There are answers, but no figures to show yet:")


def _left_out(t: Translations, report: Report) -> list[str]:
    """How many answers the report leaves out, and why."""
    return [_held(t, held) for held in report.held]


def _rule(t: Translations, report: Report) -> str:
    """What every report says about how its figures are made."""
    return t.gettext(
        "Every figure covers whole groups of at least {k} answers: a check-in's answers are "
        "shown after it closes, an open check-in's a few whole days at a time. Smaller groups "
        "are never shown."
    ).format(k=report.min_group_size)
