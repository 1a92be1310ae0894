-- The running server processes, so that an idempotency key claimed by a process that died (SIGKILL,
-- power loss) is taken over as soon as the process stops showing signs of life, instead of after
-- the five-minute limit on claims.
-- The same tables as on PostgreSQL (migrations/postgres/0009_server_instances.sql), in SQLite types.

CREATE TABLE server_instances (
    id         BLOB PRIMARY KEY,
    started_at TEXT NOT NULL,
    -- Refreshed every few seconds while the process runs, and by every claim it makes.
    seen_at    TEXT NOT NULL
);

-- The process whose request holds a key in progress (NULL for claims made before this column).
ALTER TABLE idempotency_keys ADD COLUMN claimed_by BLOB;
