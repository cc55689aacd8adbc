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
        (SessionKind.SINGLE, Step.LANGUAGE),
        (SessionKind.START, Step.LANGUAGE),
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


def test_the_language_is_the_last_answer_also_after_the_start_session() -> None:
    end = staff_flow.pick_kind(at_kind(), SessionKind.END, T0)
    flow = staff_flow.pick_start(end, 4, T0)
    assert flow.step is Step.LANGUAGE
    ready = staff_flow.pick_language(flow, "sv", T0)
    assert (ready.step, ready.lang, ready.start_session_id) == (Step.READY, "sv", 4)
    assert Flow.load(*ready.dump()) == ready
    with pytest.raises(staff_flow.WrongStep):
        staff_flow.pick_language(at_kind(), "sv", T0)
