"""THL's official instrument files, added by the operator, kept beside the database.

`checkin-bot instrument add` copies a checked file into the data folder's `instruments/`
(folder 0700, files 0600, like the database) as `<language>.toml`, and records each addition
in `instruments/added.tsv`: when, the language, the version and the file's SHA-256. At start-up
the newest record of each language names the file in use, and a file that no longer has its
recorded checksum stops start-up instead of being shown to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.core.instrument import Instrument, InstrumentError, checksum, parse_instrument
from bot.storage.private_files import write_private

FOLDER = "instruments"
RECORD = "added.tsv"
HEADER = "added_at\tlanguage\tversion\tsha256"


@dataclass(frozen=True, slots=True)
class Added:
    """One line of the record: an official file added for a language."""

    added_at: str
    language: str
    version: str
    sha256: str


def folder(database: Path) -> Path:
    """Where added instrument files live: beside the database."""
    return database.parent / FOLDER


def record(database: Path) -> list[Added]:
    """Every addition, oldest first; none when nothing was ever added."""
    path = folder(database) / RECORD
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [Added(*line.split("\t")) for line in lines if line]


def current(database: Path) -> dict[str, Added]:
    """The newest addition of each language: the text new check-ins use."""
    return {added.language: added for added in record(database)}


def load_added(database: Path) -> dict[str, Instrument]:
    """The added official texts, each checked against its recorded checksum."""
    found = {}
    for language, added in current(database).items():
        path = folder(database) / f"{language}.toml"
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            raise InstrumentError(
                f"{path} is missing, but THL's {language} text version {added.version!r} was "
                "added: add the file again with checkin-bot instrument add FILE"
            ) from None
        if checksum(content) != added.sha256:
            raise InstrumentError(
                f"{path} has changed since it was added (its checksum differs): add THL's "
                "file again with checkin-bot instrument add FILE"
            )
        found[language] = parse_instrument(content, path.name)
    return found


def keep(database: Path, content: bytes, instrument: Instrument, now: datetime) -> Added:
    """Store a checked official file as its language's text and record it.

    The file is written first and the record after, each whole or not at all: if the record
    is not written, start-up finds the checksum changed and says to add the file again.
    """
    place = folder(database)
    place.mkdir(mode=0o700, exist_ok=True)
    added = Added(
        now.isoformat(timespec="seconds"),
        instrument.language,
        instrument.version,
        checksum(content),
    )
    write_private(place / f"{instrument.language}.toml", content)
    lines = [HEADER] + [
        "\t".join((a.added_at, a.language, a.version, a.sha256))
        for a in (*record(database), added)
    ]
    write_private(place / RECORD, ("\n".join(lines) + "\n").encode("utf-8"))
    return added
