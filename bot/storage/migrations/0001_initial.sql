-- Group sessions that people join by link or typed code.
CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    join_code TEXT NOT NULL UNIQUE,
    short_code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    created_at TEXT NOT NULL,
    closed_at TEXT
) STRICT;

-- One unfinished check-in per person, keyed by keyed hashes, never by a Telegram id.
CREATE TABLE draft (
    draft_key BLOB PRIMARY KEY,
    person_key BLOB NOT NULL UNIQUE,
    session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    nonce TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('asking', 'review')),
    position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 9),
    answers TEXT NOT NULL CHECK (length(answers) = 10 AND answers NOT GLOB '*[^0-5]*'),
    reviewing INTEGER NOT NULL CHECK (reviewing IN (0, 1)),
    first_message_id INTEGER,
    prompt_message_id INTEGER,
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Who has already sent a set in a session, as a keyed hash only, so nobody answers twice.
-- Keyed by the hash: its order says nothing about who joined when.
CREATE TABLE participation (
    session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    participant_key BLOB NOT NULL,
    PRIMARY KEY (session_id, participant_key)
) STRICT, WITHOUT ROWID;

-- Complete answer sets. A random id as the key, so row order cannot be matched to who joined
-- when; the day only, no time.
CREATE TABLE answer_set (
    id BLOB PRIMARY KEY CHECK (length(id) = 16),
    session_id INTEGER NOT NULL REFERENCES session (id),
    lang TEXT NOT NULL,
    instrument_status TEXT NOT NULL CHECK (instrument_status IN ('official', 'provisional')),
    instrument_version TEXT NOT NULL,
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
    score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
    answered_on TEXT NOT NULL CHECK (answered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT, WITHOUT ROWID;

CREATE INDEX answer_set_session ON answer_set (session_id);

-- A language a person chose with /language, under a keyed hash.
CREATE TABLE preference (
    person_key BLOB PRIMARY KEY,
    lang TEXT NOT NULL
) STRICT, WITHOUT ROWID;
