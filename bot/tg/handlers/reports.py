"""Coordinators read anonymous totals in the chat: /report (summary, the statements one by one,
charts, and on request the same report as a one-page PDF) and /export.

Everything shown comes from `bot.usecases.reports.make_report`, so every figure is made of whole
released blocks; facilitators and participants are refused. Row-level data never leaves
through the chat: /export sends per-statement answer distributions instead.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import InputFile, Message, Update
from telegram.ext import ContextTypes

from bot.core.report_model import Breakdown, ReportRequest, ReportRequestError, period_days
from bot.tg.handlers.staff import Staffer, StaffHandlers
from bot.tg.handlers.taps import answered_once
from bot.tg.keyboards import inline, markup
from bot.ui import buttons as sc
from bot.ui import report_texts, staff_texts, texts
from bot.usecases.reports import make_report
from bot.usecases.services import Services


class ReportHandlers:
    """Handlers for coordinators' reports."""

    def __init__(self, services: Callable[[], Services], staff: StaffHandlers) -> None:
        self._services = services
        self._staff = staff

    @property
    def s(self) -> Services:
        """The running bot's services."""
        return self._services()

    async def _coordinator(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE
    ) -> Staffer | None:
        user = update.effective_user
        staffer = None if user is None else await self._staff.staffer(user, context)
        if staffer is not None and not staffer.coordinator:
            await context.bot.send_message(
                staffer.user_id, staff_texts.for_coordinators_only(staffer.t)
            )
            return None
        return staffer

    async def report(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/report: choose the scope and the breakdown with buttons."""
        staffer = await self._coordinator(update, context)
        if staffer is None or update.effective_message is None:
            return
        activities = await self.s.staff.all_activities()
        reply = staff_texts.ask_report_scope(staffer.t, activities)
        await update.effective_message.reply_text(reply.text, reply_markup=markup(reply))

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The report's buttons; each tap is answered exactly once."""
        query = update.callback_query
        if query is None:
            return
        async with answered_once(query) as ack:
            staffer = await self._coordinator(update, context)
            data = sc.REPORTS.parse(query.data)
            message = query.message
            if staffer is None or not isinstance(message, Message):
                return
            if isinstance(data, sc.ReportScope) and await self._activity_exists(data.activity_id):
                await ack(None)
                reply = staff_texts.ask_report_breakdown(staffer.t, data.activity_id)
                await message.edit_text(reply.text, reply_markup=inline(reply))
            elif isinstance(data, sc.ReportBy) and await self._activity_exists(data.activity_id):
                await ack(None)
                reply = staff_texts.ask_report_period(staffer.t, data.activity_id, data.breakdown)
                await message.edit_text(reply.text, reply_markup=inline(reply))
            elif isinstance(data, sc.ReportFor) and await self._activity_exists(data.activity_id):
                await ack(None)
                await message.edit_reply_markup(reply_markup=None)
                first, last = period_days(data.period, self.s.today())
                request = ReportRequest(
                    data.breakdown, activity_id=data.activity_id, first_day=first, last_day=last
                )
                await self._send_report(message, staffer, request)
            elif isinstance(data, sc.ReportPage) and (page := await self._page(data)):
                await ack(None)
                await self._send_page(message, staffer, page)
            else:
                await ack(texts.stale_button(staffer.t))

    async def _activity_exists(self, activity_id: int | None) -> bool:
        return activity_id is None or await self.s.staff.activity(activity_id) is not None

    async def _page(self, data: sc.ReportPage) -> ReportRequest | None:
        """The request a PDF button stands for; None if its activity is gone or its days run
        backwards (no button this bot sent does)."""
        if not await self._activity_exists(data.activity_id):
            return None
        try:
            return ReportRequest(
                data.breakdown,
                activity_id=data.activity_id,
                first_day=data.first_day,
                last_day=data.last_day,
            )
        except ReportRequestError:
            return None

    async def _send_report(
        self, message: Message, staffer: Staffer, request: ReportRequest
    ) -> None:
        # Charts need matplotlib: loaded on the first report, not at every start of the bot.
        from bot.ui import report_charts, statement_charts  # noqa: PLC0415

        report = await make_report(self.s, request)
        locale = staffer.lang
        reply = staff_texts.report_summary(staffer.t, report, locale)
        await message.reply_text(reply.text, reply_markup=inline(reply))
        if report.is_empty:
            return
        for text in report_texts.statements(staffer.t, report, self.s.instruments, locale):
            await message.reply_text(text)
        drawn = report_charts.charts(report, staffer.t, locale)
        drawn += statement_charts.statement_charts(report, self.s.instruments, staffer.t, locale)
        for chart in drawn:
            await message.reply_photo(chart.png(), caption=chart.headline)

    async def _send_page(self, message: Message, staffer: Staffer, request: ReportRequest) -> None:
        from bot.ui import report_pdf  # noqa: PLC0415 - the PDF library only when one is asked for

        report = await make_report(self.s, request)
        content = report_pdf.report_pdf(report, self.s.instruments, staffer.t, staffer.lang)
        await message.reply_document(
            InputFile(content, filename=report_pdf.file_name(report)),
            caption=report_texts.file_caption(staffer.t, report_texts.FileKind.PAGE),
        )

    async def export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/export: the aggregate table (CSV and XLSX) and the per-statement distributions."""
        staffer = await self._coordinator(update, context)
        message = update.effective_message
        if staffer is None or message is None:
            return
        from bot.ui import report_files  # noqa: PLC0415 - openpyxl only when files are asked for

        request = ReportRequest(Breakdown.SESSION)
        report = await make_report(self.s, request)
        day = report.as_of.isoformat()
        t, locale = staffer.t, staffer.lang
        files = (
            (
                report_files.aggregate_xlsx(report, t, locale),
                f"checkin-totals-{day}.xlsx",
                report_texts.FileKind.WORKBOOK,
            ),
            (
                report_files.aggregate_csv(report),
                f"checkin-totals-{day}.csv",
                report_texts.FileKind.TOTALS,
            ),
            (
                report_files.statements_csv(report),
                f"checkin-statements-{day}.csv",
                report_texts.FileKind.STATEMENTS,
            ),
        )
        for content, name, kind in files:
            await message.reply_document(
                InputFile(content, filename=name), caption=report_texts.file_caption(t, kind)
            )
