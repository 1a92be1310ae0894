-- Idempotency keys of the money-moving POSTs: per user, the request's fingerprint (SHA-256 of the
-- method, the path and the body) and, once it has completed, the response to replay. Keys older
-- than 24 hours are treated as absent. The same table as on PostgreSQL
-- (migrations/postgres/0002_idempotency.sql), in SQLite types.

CREATE TABLE idempotency_keys (
    user_id         BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key             TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
    response_status INTEGER,
    response_body   BLOB,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, key),
    -- A completed key has the response to replay; one in progress has none yet.
    CHECK ((state = 'completed') = (response_status IS NOT NULL AND response_body IS NOT NULL))
);
