"""Which messages wait as which kind: the people answering first, staff last (see tg.pacing)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.dev.sandbox import Sandbox
from bot.tg.limits import counts_as_message
from bot.tg.pacing import Pacer, Priority, sending_priority
from tests.e2e.helpers import answer_statements
from tests.e2e.test_staff import COORDINATOR, invite, new_session

Sent = tuple[object, Priority]


@pytest.fixture
def coordinators() -> frozenset[int]:
    return frozenset({COORDINATOR})


@pytest.fixture
def kinds(monkeypatch: pytest.MonkeyPatch) -> list[Sent]:
    """Each message the bot sends, with its chat and the kind it waits in line as."""
    seen: list[Sent] = []
    original = Pacer.process_request

    async def recording(
        self: Pacer,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> Any:
        if counts_as_message(endpoint):
            seen.append((data.get("chat_id"), rate_limit_args or sending_priority()))
        return await original(self, callback, args, kwargs, endpoint, data, rate_limit_args)

    monkeypatch.setattr(Pacer, "process_request", recording)
    return seen


async def test_statements_first_then_review_and_thanks_then_joining_then_staff(
    sandbox: Sandbox, kinds: list[Sent]
) -> None:
    leader = await invite(sandbox, 600, "Marja")
    link, _ = await new_session(leader, "Tuesday", "Start of the activity")
    person = sandbox.emulator.user(700, "Aino", language_code="fi")
    await person.open_link(link)
    await person.tap_button("Aloitan")
    await answer_statements(person, sandbox.services.instruments["fi"], [3] * 10)
    await person.tap_button("Lähetä vastaukset")
    await sandbox.emulator.settle()

    def of(chat: int) -> list[Priority]:
        return [kind for chat_id, kind in kinds if chat_id == chat]

    # The consent; on "Aloitan" its buttons taken off, the introduction and statement 1;
    # statements 2-10; the summary and the review; on sending, the review's buttons taken
    # off and the thanks.
    assert of(person.id) == (
        [Priority.JOIN] * 4 + [Priority.STATEMENT] * 9 + [Priority.REVIEW] * 4
    )
    # Everything the leader got (the session, its link, the count and its edits) waited last.
    staff = of(leader.id)
    assert len(staff) > 3
    assert set(staff) == {Priority.STAFF}
    assert set(of(COORDINATOR)) == {Priority.STAFF}
