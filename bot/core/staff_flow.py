"""Multi-step staff commands as a small pure state machine: naming oneself after an
invitation, and the few questions of /new. Nothing is created until the last answer."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum

from bot.core.sessions import SessionKind, clean_label

MAX_NAME = 64
MAX_ACTIVITY = 100


class Step(StrEnum):
    """What the bot is waiting for."""

    NAME = "name"
    ACTIVITY = "activity"
    ACTIVITY_NAME = "activity_name"
    LABEL = "label"
    KIND = "kind"
    START = "start"
    LANGUAGE = "language"
    READY = "ready"


TEXT_STEPS = frozenset({Step.NAME, Step.ACTIVITY_NAME, Step.LABEL})
"""Steps answered by typing; the others by buttons."""


class WrongStep(Exception):
    """A stale button or text for a step the flow is no longer at."""


@dataclass(frozen=True, slots=True)
class Flow:
    """One unfinished staff command and what has been answered so far."""

    nonce: str
    step: Step
    updated_at: datetime
    token: str | None = None
    activity_id: int | None = None
    activity_name: str | None = None
    label: str | None = None
    kind: SessionKind | None = None
    start_session_id: int | None = None
    lang: str | None = None

    def dump(self) -> tuple[str, str, str, str]:
        """Columns for storage."""
        data = asdict(self)
        for key in ("nonce", "step", "updated_at"):
            del data[key]
        return self.nonce, self.step.value, json.dumps(data), self.updated_at.isoformat()

    @classmethod
    def load(cls, nonce: str, step: str, data: str, updated_at: str) -> Flow:
        """The flow from its stored columns."""
        answers = json.loads(data)
        kind = answers.pop("kind", None)
        return cls(
            nonce=nonce,
            step=Step(step),
            updated_at=datetime.fromisoformat(updated_at),
            kind=None if kind is None else SessionKind(kind),
            **answers,
        )


def naming(token: str, now: datetime) -> Flow:
    """An invited person is asked for the name other staff will see."""
    return Flow(secrets.token_urlsafe(6), Step.NAME, now, token=token)


def new_session(now: datetime) -> Flow:
    """/new: the first question is the activity."""
    return Flow(secrets.token_urlsafe(6), Step.ACTIVITY, now)


def _at(flow: Flow, step: Step) -> None:
    if flow.step is not step:
        raise WrongStep(step.value)


def clean_name(text: str) -> str:
    """A staff member's display name: one line, 1-64 characters."""
    return clean_label(text, MAX_NAME)


def pick_activity(flow: Flow, activity_id: int | None, now: datetime) -> Flow:
    """An existing activity leads to the label; None asks for a new activity's name."""
    _at(flow, Step.ACTIVITY)
    if activity_id is None:
        return replace(flow, step=Step.ACTIVITY_NAME, updated_at=now)
    return replace(flow, step=Step.LABEL, activity_id=activity_id, updated_at=now)


def name_activity(flow: Flow, text: str, now: datetime) -> Flow:
    """The new activity's name; it is created together with the session."""
    _at(flow, Step.ACTIVITY_NAME)
    name = clean_label(text, MAX_ACTIVITY)
    return replace(flow, step=Step.LABEL, activity_name=name, updated_at=now)


def set_label(flow: Flow, text: str, now: datetime) -> Flow:
    """This session's own label."""
    _at(flow, Step.LABEL)
    return replace(flow, step=Step.KIND, label=clean_label(text), updated_at=now)


def pick_kind(flow: Flow, kind: SessionKind, now: datetime) -> Flow:
    """An end session next asks which start session it belongs to; the others, the language."""
    _at(flow, Step.KIND)
    step = Step.START if kind is SessionKind.END else Step.LANGUAGE
    return replace(flow, step=step, kind=kind, updated_at=now)


def pick_start(flow: Flow, session_id: int | None, now: datetime) -> Flow:
    """Link the end session to its start session, or to none; the language is asked last."""
    _at(flow, Step.START)
    return replace(flow, step=Step.LANGUAGE, start_session_id=session_id, updated_at=now)


def pick_language(flow: Flow, lang: str, now: datetime) -> Flow:
    """The language everyone who joins starts in: the last answer."""
    _at(flow, Step.LANGUAGE)
    return replace(flow, step=Step.READY, lang=lang, updated_at=now)
