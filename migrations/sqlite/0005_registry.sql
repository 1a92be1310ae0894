-- The registry of providers kept through the API: coordinates, the licence's date and a version
-- (the ETag of If-Match) on providers; every change recorded in provider_events; invitations of
-- providers' staff; the external keys by which imported files name programs and groups. The same
-- tables exist on PostgreSQL (migrations/postgres/0005_registry.sql).

ALTER TABLE providers ADD COLUMN latitude REAL CHECK (latitude BETWEEN -90 AND 90);
-- SQLite adds no table constraint to an existing table: the pairing of the coordinates is checked
-- on the second column instead.
ALTER TABLE providers ADD COLUMN longitude REAL
    CHECK (longitude BETWEEN -180 AND 180 AND (latitude IS NULL) = (longitude IS NULL));
ALTER TABLE providers ADD COLUMN licence_issued_on TEXT;
-- Bumped on every change: the ETag that If-Match compares.
ALTER TABLE providers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Every change of a provider's entry: who, when, what (changes: a JSON object of
-- {"field": {"from": …, "to": …}}) and why. Ordered by rowid.
CREATE TABLE provider_events (
    id          BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers (id),
    at          TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'import')),
    actor_id    BLOB NOT NULL,
    actor_role  TEXT NOT NULL,
    changes     TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX provider_events_provider ON provider_events (provider_id);

-- An invitation of a provider's staff member: only the SHA-256 of its single-use token is kept.
CREATE TABLE invitations (
    id          BLOB PRIMARY KEY,
    provider_id BLOB NOT NULL REFERENCES providers (id),
    email       TEXT NOT NULL,
    full_name   TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  BLOB NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    user_id     BLOB REFERENCES users (id),
    CHECK ((accepted_at IS NULL) = (user_id IS NULL))
);
CREATE INDEX invitations_provider ON invitations (provider_id, created_at);

-- The keys an imported file names programs and groups by, unique within their provider and
-- program. Programs and groups created through the API have none: files name them by id.
ALTER TABLE programs ADD COLUMN external_key TEXT CHECK (length(external_key) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX programs_external_key ON programs (provider_id, external_key);
ALTER TABLE program_groups ADD COLUMN external_key TEXT CHECK (length(external_key) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX program_groups_external_key ON program_groups (program_id, external_key);
