"""The bot's regular upkeep: what time alone changes, whoever is writing to the bot."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.checkin import expiry_cutoff
from bot.usecases.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Upkept:
    """What one round of upkeep changed."""

    touched: frozenset[int]
    """Sessions whose counts changed: closed now, or an unfinished check-in deleted."""
    expired: int
    """Unfinished check-ins deleted because they waited too long."""
    released: frozenset[int]
    """Sessions with a block released now."""


async def upkeep(services: Services) -> Upkept:
    """Close sessions whose time has come, and delete unfinished answers that may no longer
    be finished: after a closed session's grace period, or when they waited too long. They
    are never scored. Wrong codes that no limit counts any more go too. Release the blocks
    that are due, then empty the WAL, so that nothing deleted stays readable there."""
    now = services.clock()
    touched = await services.sessions.close_due_sessions(now)
    touched += await services.people.purge_closed(now - services.close_grace)
    expired = await services.drafts.expire_drafts(expiry_cutoff(now, services.draft_ttl))
    await services.codes.forget_old(now)
    if expired:
        log.info("deleted %d expired unfinished check-ins", len(expired))
    released = await services.release(now)
    if released:
        log.info("released blocks of %d sessions", len(released))
    await services.drafts.store.checkpoint()
    return Upkept(frozenset({*touched, *expired}), len(expired), frozenset(released))
