-- Wrong join codes, so that the short typed codes cannot be guessed by trying many, also
-- across restarts and across accounts. The person is a keyed hash of their own (not the one
-- under which their answers or language are kept); rows older than the longest limit window
-- are deleted by the bot's upkeep.
CREATE TABLE code_failure (
    guesser_key BLOB NOT NULL,
    short INTEGER NOT NULL CHECK (short IN (0, 1)),
    failed_at TEXT NOT NULL
) STRICT;

CREATE INDEX code_failure_guesser ON code_failure (guesser_key, failed_at);
CREATE INDEX code_failure_time ON code_failure (failed_at);
