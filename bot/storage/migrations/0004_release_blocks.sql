-- Sent sets wait apart until they are released in a block (see bot/core/release.py). The sets
-- stored so far wait again, and are released by the same rules at the next upkeep.
ALTER TABLE answer_set RENAME TO pending_set;
DROP INDEX answer_set_report;
CREATE INDEX pending_set_session ON pending_set (session_id, answered_on);

-- Release blocks, fixed once released. Reports read only this table: each block keeps its
-- size, its score histogram (41 counts) and per statement the count of each option (10 x 5),
-- space-separated. A withheld block (smaller than the minimum) is in no figure, ever.
CREATE TABLE release_block (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session (id),
    lang TEXT NOT NULL,
    instrument_status TEXT NOT NULL CHECK (instrument_status IN ('official', 'provisional')),
    instrument_version TEXT NOT NULL,
    released_on TEXT NOT NULL
        CHECK (released_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    n INTEGER NOT NULL CHECK (n > 0),
    withheld INTEGER NOT NULL CHECK (withheld IN (0, 1)),
    tally TEXT NOT NULL,
    statements TEXT NOT NULL
) STRICT;

CREATE INDEX release_block_session ON release_block (session_id);

-- Released sets, written in random order when their block is released, with no day: their
-- place in the file says nothing about when they were sent.
CREATE TABLE answer_set (
    id BLOB PRIMARY KEY CHECK (length(id) = 16),
    block_id INTEGER NOT NULL REFERENCES release_block (id),
    a1 INTEGER NOT NULL CHECK (a1 BETWEEN 1 AND 5),
    a2 INTEGER NOT NULL CHECK (a2 BETWEEN 1 AND 5),
    a3 INTEGER NOT NULL CHECK (a3 BETWEEN 1 AND 5),
    a4 INTEGER NOT NULL CHECK (a4 BETWEEN 1 AND 5),
    a5 INTEGER NOT NULL CHECK (a5 BETWEEN 1 AND 5),
    a6 INTEGER NOT NULL CHECK (a6 BETWEEN 1 AND 5),
    a7 INTEGER NOT NULL CHECK (a7 BETWEEN 1 AND 5),
    a8 INTEGER NOT NULL CHECK (a8 BETWEEN 1 AND 5),
    a9 INTEGER NOT NULL CHECK (a9 BETWEEN 1 AND 5),
    a10 INTEGER NOT NULL CHECK (a10 BETWEEN 1 AND 5),
    score REAL NOT NULL CHECK (score BETWEEN 0 AND 100)
) STRICT, WITHOUT ROWID;

-- Unfinished check-ins were keyed like the participation marker: give them other keys (they
-- are found by the person's key, so they go on as they were), and keep their time to the hour.
UPDATE draft SET draft_key = randomblob(32),
    updated_at = strftime('%Y-%m-%dT%H:00:00+00:00', updated_at);
