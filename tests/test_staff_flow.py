from datetime import UTC, datetime

import pytest

from bot.core import staff_flow
from bot.core.sessions import SessionKind
from bot.core.staff_flow import Flow, Step

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def at_kind() -> Flow:
    flow = staff_flow.new_session(T0)
    flow = staff_flow.pick_activity(flow, 7, T0)
    return staff_flow.set_label(flow, "Autumn", T0)


@pytest.mark.parametrize(
    ("kind", "step"),
    [
        (SessionKind.SINGLE, Step.READY),
        (SessionKind.START, Step.READY),
        (SessionKind.END, Step.START),
    ],
)
def test_only_an_end_session_asks_for_its_start(kind: SessionKind, step: Step) -> None:
    assert staff_flow.pick_kind(at_kind(), kind, T0).step is step


@pytest.mark.parametrize("kind", [None, *SessionKind])
def test_a_stored_flow_comes_back_with_its_session_kind(kind: SessionKind | None) -> None:
    flow = at_kind() if kind is None else staff_flow.pick_kind(at_kind(), kind, T0)
    loaded = Flow.load(*flow.dump())
    assert loaded == flow
    assert loaded.kind is kind
