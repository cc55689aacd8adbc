-- Reports count sets by session, day, instrument text and score; this index answers that
-- without reading the table. It orders by those values only, never by who answered when.
DROP INDEX answer_set_session;
CREATE INDEX answer_set_report ON answer_set (
    session_id, answered_on, lang, instrument_status, instrument_version, score
);

-- How many check-ins were started (consent given) in a session: with the complete sets, this
-- gives the check-ins started but not completed, as a count with no one behind it.
ALTER TABLE session ADD COLUMN started INTEGER NOT NULL DEFAULT 0;
