-- The language everyone who joins a session starts in, chosen by its facilitator. Sessions
-- made before sessions had a language are in the installation's language, Finnish.
ALTER TABLE session ADD COLUMN lang TEXT NOT NULL DEFAULT 'fi'
    CHECK (length(lang) BETWEEN 2 AND 3 AND lang NOT GLOB '*[^a-z]*');
