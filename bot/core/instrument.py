"""THL's Osallisuusindikaattori as data: one validated TOML file per language.

The texts are fixed by THL and must be shown exactly as they are in the files. Finnish is THL's
official text; every other shipped file is a provisional translation, not validated by THL,
until an operator adds THL's official file for that language.
"""

from __future__ import annotations

import hashlib
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

STATEMENT_COUNT = 10
OPTION_COUNT = 5
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "instruments"

Text = Annotated[str, StringConstraints(min_length=1, max_length=400)]


class Status(StrEnum):
    """Whether a language version is THL's validated text or our own translation."""

    OFFICIAL = "official"
    PROVISIONAL = "provisional"


class Instrument(BaseModel):
    """One language version of the instrument, exactly as it is shown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
    status: Status
    # One line: it names the text in every stored set and in the record of added files.
    version: Annotated[
        str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\t\r\n]+$")
    ]
    source: Text
    copyright: Text
    main_question: Text
    guiding_sentence: Text
    statements: Annotated[
        tuple[Text, ...], Field(min_length=STATEMENT_COUNT, max_length=STATEMENT_COUNT)
    ]
    options: Annotated[tuple[Text, ...], Field(min_length=OPTION_COUNT, max_length=OPTION_COUNT)]


class InstrumentError(Exception):
    """An instrument file is missing or does not have the required shape."""


def parse_instrument(content: bytes, name: str) -> Instrument:
    """Validate the bytes of an instrument file; a problem is one line naming the file and the
    first field that is wrong."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InstrumentError(f"{name}: not UTF-8 text (byte {err.start})") from err
    except tomllib.TOMLDecodeError as err:
        raise InstrumentError(f"{name}: not a valid TOML file: {err}") from err
    try:
        return Instrument.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        more = f" (and {err.error_count() - 1} more problems)" if err.error_count() > 1 else ""
        raise InstrumentError(f"{name}: {where}: {first['msg']}{more}") from err


def checksum(content: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex: what an added file is recorded and checked by."""
    return hashlib.sha256(content).hexdigest()


def load_instrument(path: Path) -> Instrument:
    """Read and validate one instrument file, named after its language."""
    try:
        content = path.read_bytes()
    except OSError as err:
        raise InstrumentError(f"{path.name}: {err.strerror}") from err
    instrument = parse_instrument(content, path.name)
    if instrument.language != path.stem:
        raise InstrumentError(f"{path.name}: language is {instrument.language!r}")
    return instrument


def shipped_languages(directory: Path = DEFAULT_DIR) -> tuple[str, ...]:
    """The languages that have an instrument file in the folder, in alphabetical order."""
    return tuple(sorted(path.stem for path in directory.glob("*.toml")))


def load_instruments(
    languages: tuple[str, ...] | None = None, directory: Path = DEFAULT_DIR
) -> dict[str, Instrument]:
    """Load the given languages (every file in the folder when None); a missing or broken
    file stops start-up."""
    wanted = shipped_languages(directory) if languages is None else languages
    return {lang: load_instrument(directory / f"{lang}.toml") for lang in wanted}
