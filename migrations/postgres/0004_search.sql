-- Full-text catalog search on the domain's stems, and where programs are.
--
-- The words of a program (its title, description and provider's name) are stemmed by the domain
-- crate (navigator_domain::search), the same stemmer as the queries', and kept in program_search
-- by the store on every write. PostgreSQL indexes those stems as they are: no dictionary of its
-- own (its `russian` snowball would stem differently from SQLite's index), lexemes taken
-- literally, the title weighted A, the description B, the provider's name C, for ts_rank. The same
-- rows on SQLite feed an FTS5 index (migrations/sqlite/0004_search.sql), so both find the same
-- programs.

-- The normalised words the catalog matched with LIKE: replaced by program_search.
ALTER TABLE programs DROP COLUMN search_text;

-- Degrees; a program without a place (distance learning, not yet known) has neither.
ALTER TABLE programs
    ADD COLUMN latitude  DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    ADD COLUMN longitude DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    ADD CONSTRAINT programs_point CHECK ((latitude IS NULL) = (longitude IS NULL));

CREATE TABLE program_search (
    program_id  UUID PRIMARY KEY REFERENCES programs (id),
    -- Stems separated by single spaces, each of letters and digits only.
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    provider    TEXT NOT NULL,
    -- Each stem becomes the tsvector literal `stem:1A` (B, C): no parser or dictionary between
    -- the domain's stems and the index. One position per stem is enough for ts_rank's weights.
    document    tsvector GENERATED ALWAYS AS (
        CAST(
            regexp_replace(title, '(\S+)', '\1:1A', 'g') || ' ' ||
            regexp_replace(description, '(\S+)', '\1:1B', 'g') || ' ' ||
            regexp_replace(provider, '(\S+)', '\1:1C', 'g')
        AS tsvector)
    ) STORED
);
-- Prefix queries (`stem:*`) use the GIN index too.
CREATE INDEX program_search_document ON program_search USING GIN (document);
