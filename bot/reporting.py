"""Building a coordinator's report from the database: the one path chat, files and the command
line share, so every output is released through the same rules."""

from __future__ import annotations

from bot.report_model import ReportRequest
from bot.reports import Report, build_report
from bot.services import Services


async def make_report(services: Services, request: ReportRequest) -> Report:
    """Read the counted sets in scope and build the released report."""
    settings = services.settings
    sessions = await services.repo.report_sessions(settings.zone)
    in_scope = [
        s.id
        for s in sessions
        if (request.session_id is None or s.id == request.session_id)
        and (request.activity_id is None or s.activity_id == request.activity_id)
    ]
    groups = await services.repo.report_groups(in_scope)
    return build_report(
        request,
        sessions,
        groups,
        now=services.clock(),
        zone=settings.zone,
        min_group_size=settings.min_group_size,
    )
