-- The catalog's full-text index merged once (migrations/postgres/0011 moves GIN's pending entries
-- into the index and stops the pending list). FTS5 has no pending list: it writes each
-- transaction's rows as a new segment and merges segments as they accumulate (`automerge`), so
-- there is nothing to switch off; merging what is there now into one segment is the counterpart.
INSERT INTO program_search_fts (program_search_fts) VALUES ('optimize');
