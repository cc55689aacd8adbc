"""THL's Osallisuusindikaattori as data: one validated TOML file per language.

The texts are fixed by THL and must be shown exactly as they are in the files. Finnish is THL's
official text; every other shipped file is a provisional translation, not validated by THL,
until an operator adds THL's official file for that language.
"""

from __future__ import annotations

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
    version: Text
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


def load_instrument(path: Path) -> Instrument:
    """Read and validate one instrument file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        instrument = Instrument.model_validate(data)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as err:
        raise InstrumentError(f"{path.name}: {err}") from err
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
