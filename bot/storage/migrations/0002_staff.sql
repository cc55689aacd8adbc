-- Facilitators invited by coordinators. Staff ids are stored in plain form: they are the
-- people who run activities, and nothing here links them to any participant or answer.
CREATE TABLE staff (
    telegram_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    invited_by INTEGER NOT NULL,
    rules_accepted_at TEXT,
    created_at TEXT NOT NULL,
    removed_at TEXT
) STRICT;

-- One-time invitation links; only a hash of the token is kept.
CREATE TABLE invitation (
    token_hash BLOB PRIMARY KEY,
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
) STRICT, WITHOUT ROWID;

-- Workrooms and groups a facilitator names once and reuses.
CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at TEXT NOT NULL,
    UNIQUE (owner_id, name)
) STRICT;

ALTER TABLE session ADD COLUMN owner_id INTEGER;
ALTER TABLE session ADD COLUMN activity_id INTEGER REFERENCES activity (id);
ALTER TABLE session ADD COLUMN kind TEXT NOT NULL DEFAULT 'single'
    CHECK (kind IN ('single', 'start', 'end'));
ALTER TABLE session ADD COLUMN start_session_id INTEGER REFERENCES session (id);
ALTER TABLE session ADD COLUMN closes_at TEXT;
ALTER TABLE session ADD COLUMN count_chat_id INTEGER;
ALTER TABLE session ADD COLUMN count_message_id INTEGER;
ALTER TABLE session ADD COLUMN count_text TEXT;
ALTER TABLE session ADD COLUMN count_lang TEXT;

CREATE INDEX session_owner ON session (owner_id);

-- A facilitator's unfinished multi-step command (naming themselves, creating a session).
CREATE TABLE staff_flow (
    telegram_id INTEGER PRIMARY KEY,
    nonce TEXT NOT NULL,
    step TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
