"""Adding THL's official instrument file for a language: the checks and what changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from bot.core.instrument import Instrument, InstrumentError, Status, checksum, parse_instrument
from bot.storage import instrument_files


class Change(StrEnum):
    """What adding the file did."""

    ADDED = "added"  # the language's first official text: it replaces the provisional one
    NEW_VERSION = "new_version"  # a newer official text replaces an earlier official one
    UNCHANGED = "unchanged"  # this very file is already the language's text


@dataclass(frozen=True, slots=True)
class Replaced:
    """The text a language had before: its status and version."""

    status: Status
    version: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The added text and the one it replaces for new check-ins (None: the language had none)."""

    change: Change
    instrument: Instrument
    sha256: str
    replaced: Replaced | None


def add_official(
    database: Path, source: Path, shipped: dict[str, Instrument], now: datetime
) -> Outcome:
    """Check an official file and make it the text new check-ins in its language use.

    Only a whole, valid file with status official is taken; a version already added with
    other words is refused, so that one version always means one text. Nothing is changed
    when a check fails.
    """
    content = source.read_bytes()
    instrument = parse_instrument(content, source.name)
    if instrument.status is not Status.OFFICIAL:
        raise InstrumentError(
            f"{source.name}: status is {instrument.status.value!r}: only THL's official files "
            'are added (status = "official")'
        )
    sha256 = checksum(content)
    earlier = [a for a in instrument_files.record(database) if a.language == instrument.language]
    if earlier and earlier[-1].sha256 == sha256:
        return Outcome(Change.UNCHANGED, instrument, sha256, None)
    if any(a.version == instrument.version and a.sha256 != sha256 for a in earlier):
        raise InstrumentError(
            f"{source.name}: version {instrument.version!r} of {instrument.language} was added "
            "before with other content: a changed text needs a version of its own"
        )
    before = shipped.get(instrument.language)
    replaced = (
        Replaced(Status.OFFICIAL, earlier[-1].version)
        if earlier
        else Replaced(before.status, before.version)
        if before
        else None
    )
    instrument_files.keep(database, content, instrument, now)
    change = (
        Change.NEW_VERSION
        if replaced is not None and replaced.status is Status.OFFICIAL
        else Change.ADDED
    )
    return Outcome(change, instrument, sha256, replaced)
