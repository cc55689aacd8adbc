"""Building a coordinator's report from the database: the one path chat, files and the command
line share, so every output is made of the same released blocks."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.release import HeldBack
from bot.core.report_model import ReportRequest, ReportRequestError, SessionInfo
from bot.core.reports import HeldSets, HoldReason, Report, build_report
from bot.core.row_export import ExportRow, export_rows
from bot.usecases.services import Services


def _scope(request: ReportRequest, sessions: list[SessionInfo]) -> list[int]:
    return [s.id for s in sessions if request.covers_session(s)]


def held_sets(held: Mapping[int, HeldBack], sessions: Mapping[int, SessionInfo]) -> list[HeldSets]:
    """Sets in no figure, per session and reason: an open session's wait for a block of whole
    days, a closed one's for the end of the time to finish; withheld ones are too few."""
    found = []
    for session_id, back in held.items():
        waiting = HoldReason.CLOSING if sessions[session_id].closed else HoldReason.OPEN
        found += [
            HeldSets(session_id, reason, n)
            for reason, n in ((waiting, back.waiting), (HoldReason.TOO_FEW, back.withheld))
            if n
        ]
    return found


async def make_report(services: Services, request: ReportRequest) -> Report:
    """Read the released blocks and held-back counts in scope and build the report."""
    settings = services.settings
    sessions = await services.sessions.report_sessions(settings.zone)
    scope = _scope(request, sessions)
    blocks = services.blocks
    return build_report(
        request,
        sessions,
        await blocks.released_blocks(scope),
        held_sets(await blocks.held_back(scope), {s.id: s for s in sessions}),
        as_of=services.today(),
        min_group_size=settings.min_group_size,
    )


async def make_row_export(services: Services, request: ReportRequest) -> list[ExportRow]:
    """The row-level export of the request's scope: every set of the released blocks of at
    least CHECKIN_MIN_ROW_BLOCK sets, in random order. Never narrowed by dates."""
    if request.first_day is not None or request.last_day is not None:
        raise ReportRequestError(
            "rows cover whole blocks and are never narrowed by dates: leave out --from and --to"
        )
    settings = services.settings
    sessions = await services.sessions.report_sessions(settings.zone)
    scope = _scope(request, sessions)
    blocks = services.blocks
    return export_rows(
        await blocks.released_rows(settings.min_row_block, scope),
        await blocks.released_blocks(scope),
        sessions,
        min_row_block=settings.min_row_block,
    )
