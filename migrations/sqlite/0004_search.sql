-- Full-text catalog search on the domain's stems, and where programs are. The same rows as on
-- PostgreSQL (migrations/postgres/0004_search.sql), indexed by FTS5.
--
-- The words of a program (its title, description and provider's name) are stemmed by the domain
-- crate (navigator_domain::search), the same stemmer as the queries', and kept in program_search
-- by the store on every write; triggers keep the FTS5 index of those rows in step. The stems are
-- lower-case words of letters and digits separated by spaces: unicode61 keeps each whole, and
-- with remove_diacritics 0 keeps й apart from и.

-- The normalised words the catalog matched with LIKE: replaced by program_search.
ALTER TABLE programs DROP COLUMN search_text;

-- Degrees; a program without a place (distance learning, not yet known) has neither.
ALTER TABLE programs ADD COLUMN latitude REAL CHECK (latitude BETWEEN -90 AND 90);
ALTER TABLE programs ADD COLUMN longitude REAL
    CHECK ((longitude IS NULL) = (latitude IS NULL)
           AND (longitude IS NULL OR longitude BETWEEN -180 AND 180));

CREATE TABLE program_search (
    -- The FTS5 rowid: an INTEGER PRIMARY KEY survives VACUUM, the programs' implicit rowid may not.
    docid       INTEGER PRIMARY KEY,
    program_id  BLOB NOT NULL UNIQUE REFERENCES programs (id),
    -- Stems separated by single spaces, each of letters and digits only.
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    provider    TEXT NOT NULL
);

CREATE VIRTUAL TABLE program_search_fts USING fts5 (
    title, description, provider,
    content = 'program_search', content_rowid = 'docid',
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER program_search_insert AFTER INSERT ON program_search BEGIN
    INSERT INTO program_search_fts (rowid, title, description, provider)
    VALUES (new.docid, new.title, new.description, new.provider);
END;
CREATE TRIGGER program_search_delete AFTER DELETE ON program_search BEGIN
    INSERT INTO program_search_fts (program_search_fts, rowid, title, description, provider)
    VALUES ('delete', old.docid, old.title, old.description, old.provider);
END;
CREATE TRIGGER program_search_update AFTER UPDATE ON program_search BEGIN
    INSERT INTO program_search_fts (program_search_fts, rowid, title, description, provider)
    VALUES ('delete', old.docid, old.title, old.description, old.provider);
    INSERT INTO program_search_fts (rowid, title, description, provider)
    VALUES (new.docid, new.title, new.description, new.provider);
END;
