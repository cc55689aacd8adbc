"""Building a coordinator's report from the database: the one path chat, files and the command
line share, so every output is released through the same rules."""

from __future__ import annotations

from bot.report_model import ReportRequest, SessionInfo
from bot.reports import Report, build_report
from bot.row_export import ExportRow
from bot.services import Services
from bot.storage.exports import ExportRepository
from bot.suppression import exportable_rows


def _scope(request: ReportRequest, sessions: list[SessionInfo]) -> list[int]:
    return [s.id for s in sessions if request.covers_session(s)]


async def make_report(services: Services, request: ReportRequest) -> Report:
    """Read the counted sets in scope and build the released report."""
    settings = services.settings
    sessions = await services.repo.report_sessions(settings.zone)
    groups = await services.repo.report_groups(_scope(request, sessions))
    return build_report(
        request,
        sessions,
        groups,
        now=services.clock(),
        zone=settings.zone,
        min_group_size=settings.min_group_size,
    )


async def make_row_export(services: Services, request: ReportRequest) -> list[ExportRow]:
    """The anonymous row-level export for the request's scope, through the same rules."""
    settings = services.settings
    sessions = await services.repo.report_sessions(settings.zone)
    sets = await ExportRepository(services.repo.store).stored_sets(_scope(request, sessions))
    return exportable_rows(
        sets,
        {s.id: s for s in sessions},
        request,
        now=services.clock(),
        zone=settings.zone,
        min_group_size=settings.min_group_size,
    )
