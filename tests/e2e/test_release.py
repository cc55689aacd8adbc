"""The running bot releases sent sets in blocks once a session's grace period is over."""

from bot.core.release import HeldBack
from bot.core.scoring import score
from bot.core.sessions import Session
from bot.core.statistics import Tally
from bot.dev.sandbox import Sandbox
from tests.e2e.conftest import ManualClock
from tests.e2e.helpers import answer_statements

VALUES = [[n % 5 + 1, *[3] * 9] for n in range(5)]


async def answered_by_five(sandbox: Sandbox, label: str, first_id: int) -> Session:
    """A new session, and five people who answer and send."""
    session = await sandbox.new_session(label)
    fi = sandbox.services.instruments["fi"]
    for n, values in enumerate(VALUES):
        person = sandbox.emulator.user(first_id + n, f"Osallistuja {n}", language_code="fi")
        await person.open_link(sandbox.link(session))
        await person.tap_button("Aloitan")
        await answer_statements(person, fi, values)
        await person.tap_button("Lähetä vastaukset")
    return session


async def test_upkeep_releases_a_closed_session_after_its_grace_period(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    session = await answered_by_five(sandbox, "Ryhmä", 5000)
    blocks = sandbox.services.blocks
    assert await blocks.held_back() == {session.id: HeldBack(waiting=5, withheld=0)}
    await sandbox.services.sessions.close_session(session.id, clock())
    assert sandbox.runtime is not None
    clock.advance(minutes=14)
    await sandbox.runtime.upkeep()
    assert await blocks.released_blocks() == []  # people may still be finishing

    clock.advance(minutes=2)
    await sandbox.runtime.upkeep()
    [block] = await blocks.released_blocks()
    assert (block.session_id, block.n, block.released_on) == (session.id, 5, clock().date())
    assert block.tally == Tally.of(score(tuple(values)) for values in VALUES)
    assert await blocks.held_back() == {}


async def test_a_restarted_bot_releases_what_came_due_while_it_was_down(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    session = await answered_by_five(sandbox, "Ryhmä", 6000)
    await sandbox.services.sessions.close_session(session.id, clock())
    await sandbox.stop_bot()
    clock.advance(hours=1)
    await sandbox.start_bot()
    [block] = await sandbox.services.blocks.released_blocks([session.id])
    assert block.n == 5
