import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.checkin import Draft
from bot.config import Settings
from bot.health import problems
from bot.instrument import DEFAULT_DIR, load_instrument
from bot.storage.backup import backup, integrity, restore
from bot.storage.blocks import EVERY_SET
from bot.storage.database import DatabaseError, connect
from bot.storage.repository import Repository
from bot.storage.store import Store

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FI = load_instrument(DEFAULT_DIR / "fi.toml")


async def filled(path: Path, sets: int) -> Repository:
    repo = Repository(Store(await connect(path)))
    session = await repo.create_session("S", "J" * 22, "ABC234", T0)
    for i in range(sets):
        key = i.to_bytes(32, "big")
        draft = Draft.begin(session.id, "fi", T0)
        await repo.submit(key, key, draft, (4,) * 10, 75.0, FI, date(2026, 11, 23))
    return repo


def count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM ({EVERY_SET})").fetchone()[0])


async def test_a_backup_taken_while_the_bot_writes_is_complete_and_private(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    repo = await filled(live, 7)  # the connection stays open, as in a running bot
    try:
        backup(live, tmp_path / "backups" / "copy.sqlite3")
    finally:
        await repo.close()
    copy = tmp_path / "backups" / "copy.sqlite3"
    assert integrity(copy) == "ok"
    assert count(copy) == 7
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


async def test_restore_brings_the_backup_back(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    await (await filled(live, 3)).close()
    backup(live, tmp_path / "copy.sqlite3")
    repo = await filled(tmp_path / "other.sqlite3", 5)
    await repo.close()
    restore(tmp_path / "copy.sqlite3", tmp_path / "other.sqlite3")
    assert count(tmp_path / "other.sqlite3") == 3
    reopened = await connect(tmp_path / "other.sqlite3")  # the bot starts on it again
    await reopened.close()


def test_a_damaged_backup_is_refused_and_nothing_is_replaced(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    target = tmp_path / "db.sqlite3"
    target.write_bytes(b"keep me")
    with pytest.raises(DatabaseError, match="cannot be restored"):
        restore(bad, target)
    assert target.read_bytes() == b"keep me"


async def test_health_reports_ok_and_problems(tmp_path: Path) -> None:
    settings = Settings(database=tmp_path / "db.sqlite3", secret="s" * 32)
    assert await problems(settings, telegram=False) == []
    broken = Settings(database=tmp_path / "broken.sqlite3", secret="s" * 32)
    (tmp_path / "broken.sqlite3").write_bytes(b"not a database" * 300)
    found = await problems(broken, telegram=False)
    assert len(found) == 1
    assert "database" in found[0]
