"""A deleted unfinished check-in is readable nowhere in the data folder: not in the database,
its WAL or shared memory, nor in a backup."""

from pathlib import Path

from bot.core.sessions import Session
from bot.dev.emulator import SimUser
from bot.dev.sandbox import Sandbox
from bot.storage.backup import backup
from tests.e2e.conftest import ManualClock
from tests.e2e.helpers import answer_statements


async def begun(sandbox: Sandbox, session: Session, user_id: int, answers: int) -> SimUser:
    """Someone starts a check-in and answers the first few statements."""
    person = sandbox.emulator.user(user_id, f"Osallistuja {user_id}", language_code="fi")
    await person.open_link(sandbox.link(session))
    await person.tap_button("Aloitan")
    await answer_statements(person, sandbox.services.instruments["fi"], [2] * answers)
    return person


async def traces(sandbox: Sandbox, person: SimUser, session: Session) -> list[bytes]:
    """What would give the person's draft away: its keys and its random nonce."""
    keys = sandbox.services.pseudonyms
    draft = await sandbox.services.drafts.draft_for(keys.person(person.id))
    assert draft is not None
    return [keys.person(person.id), keys.draft(person.id, session.id), draft.nonce.encode()]


def found_in(folder: Path, patterns: list[bytes]) -> list[str]:
    """Every file in the folder, at any depth, that holds one of the patterns."""
    return [
        f"{path.name}: {pattern!r}"
        for path in folder.rglob("*")
        if path.is_file()
        for pattern in patterns
        if pattern in path.read_bytes()
    ]


async def test_stopped_sent_purged_and_expired_drafts_leave_nothing(
    sandbox: Sandbox, clock: ManualClock
) -> None:
    closing = await sandbox.new_session("Suljetaan")
    standing = await sandbox.new_session("Avoin työhuone")
    stopped = await begun(sandbox, standing, 7001, 3)
    purged = await begun(sandbox, closing, 7002, 2)
    expired = await begun(sandbox, standing, 7003, 4)
    sent = await begun(sandbox, standing, 7004, 9)
    patterns = [
        *await traces(sandbox, stopped, standing),
        *await traces(sandbox, purged, closing),
        *await traces(sandbox, expired, standing),
        *await traces(sandbox, sent, standing),
    ]
    await sandbox.services.drafts.write_prompts()
    # The scan finds drafts that are still there (so it can fail).
    assert len(found_in(sandbox.data_dir, patterns)) >= len(patterns)

    await stopped.send_text("/stop")
    await answer_statements(sent, sandbox.services.instruments["fi"], [4])
    await sent.tap_button("Lähetä vastaukset")
    await sandbox.services.sessions.close_session(closing.id, clock())
    assert sandbox.runtime is not None
    clock.advance(minutes=16)
    await sandbox.runtime.upkeep()  # the closed session's grace period is over
    clock.advance(hours=25)
    assert await sandbox.runtime.upkeep() == 1  # the last one waited too long
    (sandbox.data_dir / "backups").mkdir()
    backup(sandbox.settings.database, sandbox.data_dir / "backups" / "copy.sqlite3")

    assert found_in(sandbox.data_dir, patterns) == []
