"""After release, nothing in the database file or a backup tells the order sets were sent in.

Rows sit inside SQLite's pages in the order they were written, whatever their key, so the
order of each set's bytes in the file is the order people sent, which a facilitator saw on
the live count. Over many runs, the rank correlation between the two must be nil after
release; before release (the waiting area, written as sets came) it is plain to see, which
shows the measure can find it.
"""

import secrets
from pathlib import Path
from statistics import fmean

from bot.core.checkin import Draft
from bot.core.instrument import DEFAULT_DIR, load_instrument
from bot.storage.backup import backup
from bot.storage.blocks import BlockRepository
from tests.report_data import HELSINKI
from tests.stores import open_stores
from tests.test_blocks import GRACE, MONDAY, T0

RUNS = 30
SETS = 20
FI = load_instrument(DEFAULT_DIR / "fi.toml")


def spearman(sent_ids: list[bytes], content: bytes) -> float:
    """Rank correlation of the order sets were sent in with the order of their ids' bytes."""
    places = [content.find(set_id) for set_id in sent_ids]
    assert -1 not in places, "a set's id is not in the file"
    by_place = sorted(range(len(places)), key=places.__getitem__)
    n = len(by_place)
    squares = sum((sent - rank) ** 2 for rank, sent in enumerate(by_place))
    return 1 - 6 * squares / (n * (n * n - 1))


async def one_run(folder: Path) -> tuple[float, float, float]:
    """Sets sent one by one; the correlation while they wait, after release, and in a backup."""
    path = folder / "checkin.sqlite3"
    db = await open_stores(path)
    try:
        session = await db.sessions.create_session("S", "J" * 22, "ABC234", T0)
        sent: list[bytes] = []
        for n in range(SETS):
            key = secrets.token_bytes(32)
            points = (n % 5 + 1, *(3,) * 9)
            await db.answer_sets.submit(
                key, key, Draft.begin(session.id, "fi", T0), points, 45.0, FI, MONDAY
            )
            [new] = {row[0] for row in await db.store.all("SELECT id FROM pending_set")} - {*sent}
            sent.append(new)
        await db.store.checkpoint()
        waiting = spearman(sent, path.read_bytes())

        await db.sessions.close_session(session.id, T0)
        await BlockRepository(db.store).release(T0 + GRACE, zone=HELSINKI, grace=GRACE, min_size=5)
        content = path.read_bytes()
        released = spearman(sent, content)
        # The waiting copies are gone: each id is in the file once, and not in the WAL.
        assert all(content.count(set_id) == 1 for set_id in sent)
        assert Path(f"{path}-wal").stat().st_size == 0
        copy = folder / "backup.sqlite3"
        backup(path, copy)
        backed_up = spearman(sent, copy.read_bytes())
        assert all(copy.read_bytes().count(set_id) == 1 for set_id in sent)
    finally:
        await db.close()
    return waiting, released, backed_up


async def test_the_file_and_its_backup_keep_no_order_of_sending(tmp_path: Path) -> None:
    runs = []
    for run in range(RUNS):
        folder = tmp_path / str(run)
        folder.mkdir()
        runs.append(await one_run(folder))
    waiting, released, backed_up = zip(*runs, strict=True)
    # Written as they came, the order shows in every run (a measure that can fail).
    assert abs(fmean(waiting)) > 0.9
    # Released: a random permutation each time. For 20 sets a random order's correlation has
    # a standard deviation of about 0.23, so 30 runs average within 0.2 of 0 (and their
    # absolute values near 0.18) all but never by chance; written in order they are near 1.
    for correlations in (released, backed_up):
        assert abs(fmean(correlations)) < 0.2
        assert fmean(abs(c) for c in correlations) < 0.4
