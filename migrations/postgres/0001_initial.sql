-- The navigator's schema on PostgreSQL. Money is BIGINT kopecks; months are 'YYYY-MM' text.
-- The same tables exist on SQLite (migrations/sqlite/0001_initial.sql) with that engine's types.

CREATE TABLE municipalities (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    region_code TEXT NOT NULL
);

-- Certificate numbers run per region: 55-2026-000001, …
CREATE TABLE region_counters (
    region_code TEXT PRIMARY KEY,
    last_number BIGINT NOT NULL
);

CREATE TABLE providers (
    id              UUID PRIMARY KEY,
    municipality_id UUID NOT NULL REFERENCES municipalities (id),
    name            TEXT NOT NULL,
    legal_form      TEXT NOT NULL,
    inn             TEXT NOT NULL UNIQUE,
    address         TEXT NOT NULL,
    phone           TEXT NOT NULL,
    email           TEXT NOT NULL,
    licence         TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    email           TEXT NOT NULL,
    email_key       TEXT NOT NULL UNIQUE, -- lower-cased email: sign-in is case-insensitive
    password_hash   TEXT NOT NULL,
    full_name       TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('family', 'provider_staff', 'municipal_operator', 'regional_operator')),
    provider_id     UUID REFERENCES providers (id),
    municipality_id UUID REFERENCES municipalities (id),
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK (role <> 'provider_staff' OR provider_id IS NOT NULL),
    CHECK (role <> 'municipal_operator' OR municipality_id IS NOT NULL)
);

-- Only the SHA-256 of a refresh token is stored. Tokens of one sign-in share a family; a token
-- presented after it was used revokes the family.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id),
    family_id  UUID NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE periods (
    id                    UUID PRIMARY KEY,
    municipality_id       UUID NOT NULL REFERENCES municipalities (id),
    start_date            DATE NOT NULL,
    end_date              DATE NOT NULL,
    nominal               BIGINT NOT NULL CHECK (nominal >= 0),
    quota                 BIGINT NOT NULL CHECK (quota >= 0),
    budget                BIGINT NOT NULL CHECK (budget >= 0),
    enrollment_opens      DATE NOT NULL,
    enrollment_closes     DATE NOT NULL,
    test_mode             BOOLEAN NOT NULL,
    certificates_financed BIGINT NOT NULL DEFAULT 0,
    budget_committed      BIGINT NOT NULL DEFAULT 0,
    -- Bumped on every change of the parameters: the ETag that If-Match compares.
    version               BIGINT NOT NULL DEFAULT 1,
    created_at            TIMESTAMPTZ NOT NULL,
    CHECK (start_date <= end_date),
    CHECK (enrollment_opens <= enrollment_closes),
    -- The caps are enforced by the database too, not only by the code.
    CHECK (certificates_financed BETWEEN 0 AND quota),
    CHECK (budget_committed BETWEEN 0 AND budget)
);
CREATE INDEX periods_municipality ON periods (municipality_id, start_date);

-- Every change of a period's parameters: who, when, what and why.
CREATE TABLE period_events (
    id         UUID PRIMARY KEY,
    period_id  UUID NOT NULL REFERENCES periods (id),
    at         TIMESTAMPTZ NOT NULL,
    actor_id   UUID NOT NULL,
    actor_role TEXT NOT NULL,
    changes    TEXT NOT NULL,
    reason     TEXT NOT NULL
);
CREATE INDEX period_events_period ON period_events (period_id, at);

CREATE TABLE programs (
    id                           UUID PRIMARY KEY,
    provider_id                  UUID NOT NULL REFERENCES providers (id),
    municipality_id              UUID NOT NULL REFERENCES municipalities (id),
    title                        TEXT NOT NULL,
    description                  TEXT NOT NULL,
    search_text                  TEXT NOT NULL, -- normalised words of title, description, provider
    direction                    TEXT NOT NULL,
    age_from                     BIGINT NOT NULL,
    age_to                       BIGINT NOT NULL,
    level                        TEXT NOT NULL,
    form                         TEXT NOT NULL,
    funding                      TEXT NOT NULL CHECK (funding IN ('certificate', 'budget')),
    price_per_month              BIGINT NOT NULL CHECK (price_per_month >= 0),
    hours_per_week               BIGINT NOT NULL,
    duration_months              BIGINT NOT NULL,
    medical_certificate_required BOOLEAN NOT NULL,
    adapted_for_disabilities     BOOLEAN NOT NULL,
    address                      TEXT NOT NULL,
    status                       TEXT NOT NULL,
    -- The operator's remarks when a program is returned to its provider.
    remarks                      TEXT,
    -- Bumped on every change: the ETag that If-Match compares.
    version                      BIGINT NOT NULL DEFAULT 1,
    created_at                   TIMESTAMPTZ NOT NULL,
    CHECK (age_from <= age_to)
);

-- Every decision on a program: who, when, from which status to which, and why.
CREATE TABLE program_events (
    id          UUID PRIMARY KEY,
    seq         BIGSERIAL NOT NULL, -- the order of writing (SQLite: its rowid)
    program_id  UUID NOT NULL REFERENCES programs (id),
    at          TIMESTAMPTZ NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    action      TEXT NOT NULL,
    actor_id    UUID NOT NULL,
    actor_role  TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX program_events_program ON program_events (program_id, at);

CREATE INDEX programs_catalog ON programs (status, municipality_id, title, id);
CREATE INDEX programs_provider ON programs (provider_id);

CREATE TABLE program_groups (
    id          UUID PRIMARY KEY,
    program_id  UUID NOT NULL REFERENCES programs (id),
    name        TEXT NOT NULL,
    start_date  DATE NOT NULL,
    end_date    DATE NOT NULL,
    schedule    TEXT NOT NULL,
    teacher     TEXT NOT NULL,
    capacity    BIGINT NOT NULL CHECK (capacity > 0),
    seats_taken BIGINT NOT NULL DEFAULT 0,
    open        BOOLEAN NOT NULL,
    CHECK (start_date <= end_date),
    -- Never overbooked, whatever the code does.
    CHECK (seats_taken BETWEEN 0 AND capacity)
);
CREATE INDEX program_groups_program ON program_groups (program_id);

CREATE TABLE children (
    id              UUID PRIMARY KEY,
    family_id       UUID NOT NULL REFERENCES users (id),
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    middle_name     TEXT,
    birth_date      DATE NOT NULL,
    snils           TEXT NOT NULL UNIQUE,
    municipality_id UUID NOT NULL REFERENCES municipalities (id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX children_family ON children (family_id);

CREATE TABLE certificates (
    id              UUID PRIMARY KEY,
    child_id        UUID NOT NULL UNIQUE REFERENCES children (id),
    number          TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'accounting', 'financing', 'suspended', 'closed')),
    municipality_id UUID NOT NULL REFERENCES municipalities (id),
    valid_until     DATE NOT NULL,
    period_id       UUID REFERENCES periods (id), -- the period it is financed for
    issued_at       TIMESTAMPTZ NOT NULL,
    activated_at    TIMESTAMPTZ
);
CREATE INDEX certificates_municipality ON certificates (municipality_id, status);

CREATE TABLE certificate_events (
    id             UUID PRIMARY KEY,
    seq         BIGSERIAL NOT NULL, -- the order of writing (SQLite: its rowid)
    certificate_id UUID NOT NULL REFERENCES certificates (id),
    at             TIMESTAMPTZ NOT NULL,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    actor_id       UUID NOT NULL,
    actor_role     TEXT NOT NULL,
    reason         TEXT NOT NULL
);
CREATE INDEX certificate_events_certificate ON certificate_events (certificate_id, at);

CREATE TABLE applications (
    id                 UUID PRIMARY KEY,
    child_id           UUID NOT NULL REFERENCES children (id),
    certificate_id     UUID NOT NULL REFERENCES certificates (id),
    group_id           UUID NOT NULL REFERENCES program_groups (id),
    program_id         UUID NOT NULL REFERENCES programs (id),
    provider_id        UUID NOT NULL REFERENCES providers (id),
    municipality_id    UUID NOT NULL REFERENCES municipalities (id),
    period_id          UUID REFERENCES periods (id),
    status             TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected', 'withdrawn', 'completed', 'expelled')),
    reason             TEXT,
    end_reason         TEXT,
    submitted_at       TIMESTAMPTZ NOT NULL,
    decided_at         TIMESTAMPTZ,
    ended_at           TIMESTAMPTZ,
    cost               BIGINT NOT NULL DEFAULT 0,
    certificate_amount BIGINT NOT NULL DEFAULT 0,
    family_amount      BIGINT NOT NULL DEFAULT 0
);
-- One live application of a child to a group, enforced by the database.
CREATE UNIQUE INDEX applications_live ON applications (child_id, group_id)
    WHERE status IN ('submitted', 'accepted');
CREATE INDEX applications_child ON applications (child_id, submitted_at);
CREATE INDEX applications_provider ON applications (provider_id, status, submitted_at);
CREATE INDEX applications_municipality ON applications (municipality_id, status);
CREATE INDEX applications_group ON applications (group_id, status);

-- The contract of an accepted enrollment, month by month.
CREATE TABLE application_months (
    application_id     UUID NOT NULL REFERENCES applications (id),
    month              TEXT NOT NULL,
    price              BIGINT NOT NULL CHECK (price >= 0),
    certificate_amount BIGINT NOT NULL CHECK (certificate_amount >= 0),
    family_amount      BIGINT NOT NULL CHECK (family_amount >= 0),
    PRIMARY KEY (application_id, month),
    CHECK (certificate_amount + family_amount = price)
);

CREATE TABLE attendance (
    application_id UUID NOT NULL REFERENCES applications (id),
    lesson_date    DATE NOT NULL,
    present        BOOLEAN NOT NULL,
    marked_at      TIMESTAMPTZ NOT NULL,
    marked_by      UUID NOT NULL,
    PRIMARY KEY (application_id, lesson_date)
);

CREATE TABLE invoices (
    id                   UUID PRIMARY KEY,
    application_id       UUID NOT NULL REFERENCES applications (id),
    provider_id          UUID NOT NULL REFERENCES providers (id),
    municipality_id      UUID NOT NULL REFERENCES municipalities (id),
    month                TEXT NOT NULL,
    certificate_amount   BIGINT NOT NULL CHECK (certificate_amount >= 0),
    family_amount        BIGINT NOT NULL CHECK (family_amount >= 0),
    lessons_attended     BIGINT NOT NULL,
    lessons_marked       BIGINT NOT NULL,
    no_attendance_reason TEXT,
    status               TEXT NOT NULL CHECK (status IN ('issued', 'approved', 'rejected')),
    decision_reason      TEXT,
    issued_at            TIMESTAMPTZ NOT NULL,
    decided_at           TIMESTAMPTZ
);
-- A month is invoiced once (a rejected invoice may be issued again).
CREATE UNIQUE INDEX invoices_month ON invoices (application_id, month) WHERE status <> 'rejected';
CREATE INDEX invoices_provider ON invoices (provider_id, issued_at);
CREATE INDEX invoices_municipality ON invoices (municipality_id, status, issued_at);

-- The ledger: postings are immutable, each with two entries that add up to zero; balances are kept
-- in step with the entries in the same transaction, and may never go below zero but for the accounts
-- that stand for money outside the system (the municipal budget, the families' own money).
CREATE TABLE ledger_postings (
    id             UUID PRIMARY KEY,
    seq            BIGSERIAL NOT NULL, -- the order postings were written in (SQLite: its rowid)
    kind           TEXT NOT NULL CHECK (kind IN ('funding', 'credit', 'reservation', 'write_off', 'release', 'expiry', 'co_payment', 'defunding')),
    amount         BIGINT NOT NULL CHECK (amount > 0),
    at             TIMESTAMPTZ NOT NULL,
    actor_id       UUID NOT NULL,
    period_id      UUID,
    certificate_id UUID,
    application_id UUID,
    invoice_id     UUID,
    provider_id    UUID,
    month          TEXT
);
CREATE INDEX ledger_postings_certificate ON ledger_postings (certificate_id, at);
CREATE INDEX ledger_postings_application ON ledger_postings (application_id);

CREATE TABLE ledger_entries (
    id           UUID PRIMARY KEY,
    posting_id   UUID NOT NULL REFERENCES ledger_postings (id),
    account_kind TEXT NOT NULL,
    account_id   UUID NOT NULL,
    amount       BIGINT NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_kind, account_id);
CREATE INDEX ledger_entries_posting ON ledger_entries (posting_id);

CREATE TABLE account_balances (
    account_kind TEXT NOT NULL,
    account_id   UUID NOT NULL,
    balance      BIGINT NOT NULL,
    PRIMARY KEY (account_kind, account_id),
    CHECK (account_kind IN ('budget', 'family_due') OR balance >= 0)
);
