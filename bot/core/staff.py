"""Staff as the bot knows them: facilitators and coordinators, activities, invitations."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A facilitator or coordinator as the bot knows them."""

    telegram_id: int
    name: str
    rules_accepted: bool
    removed: bool


@dataclass(frozen=True, slots=True)
class Activity:
    """A workroom or group that sessions belong to."""

    id: int
    name: str


class Invitation(StrEnum):
    """What an invitation link is worth now."""

    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
