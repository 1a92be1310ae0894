-- The waitlist of full groups with expiring offers, the notifications outbox, applications filed
-- for a family with its recorded consent, and invitations of families registered at the desk.
--
-- The store checks every rule first and answers with its refusal; the constraints here hold the
-- rules whatever the code does.

-- A child queued for a full group. While `offered`, the entry holds one of the group's seats:
-- `program_groups.seats_taken` counts the seats of accepted enrollments AND the seats held by
-- offers (and by applications filed from an offer, until the provider decides), so the existing
-- CHECK (seats_taken BETWEEN 0 AND capacity) keeps a held seat from being given twice.
CREATE TABLE waitlist_entries (
    id               UUID PRIMARY KEY,
    seq              BIGSERIAL NOT NULL, -- the order of queueing (SQLite: its rowid)
    group_id         UUID NOT NULL REFERENCES program_groups (id),
    child_id         UUID NOT NULL REFERENCES children (id),
    status           TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'taken', 'declined', 'expired', 'left', 'cancelled')),
    queued_at        TIMESTAMPTZ NOT NULL,
    offered_at       TIMESTAMPTZ,
    offer_expires_at TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    -- An offer comes with its instants; a waiting entry has none.
    CHECK ((offered_at IS NULL) = (offer_expires_at IS NULL)),
    CHECK (status <> 'offered' OR offer_expires_at IS NOT NULL),
    CHECK (status <> 'waiting' OR offered_at IS NULL),
    CHECK ((status IN ('waiting', 'offered')) = (ended_at IS NULL))
);
-- One live entry per child and group.
CREATE UNIQUE INDEX waitlist_entries_live ON waitlist_entries (child_id, group_id)
    WHERE status IN ('waiting', 'offered');
-- A group's queue in order.
CREATE INDEX waitlist_entries_queue ON waitlist_entries (group_id, status, seq);
-- The sweep of offers past their time.
CREATE INDEX waitlist_entries_offers ON waitlist_entries (offer_expires_at) WHERE status = 'offered';
CREATE INDEX waitlist_entries_child ON waitlist_entries (child_id, queued_at);

-- The offer an application was filed from: while the application is submitted, it holds the
-- offer's seat.
ALTER TABLE applications ADD COLUMN waitlist_entry_id UUID REFERENCES waitlist_entries (id);
CREATE UNIQUE INDEX applications_waitlist_entry ON applications (waitlist_entry_id)
    WHERE waitlist_entry_id IS NOT NULL;

-- An application filed by provider staff or an operator for a family, with the family's consent.
ALTER TABLE applications ADD COLUMN filed_by UUID REFERENCES users (id);
ALTER TABLE applications ADD COLUMN filed_by_role TEXT
    CHECK (filed_by_role IN ('provider_staff', 'municipal_operator', 'regional_operator'));
ALTER TABLE applications ADD COLUMN consent_method TEXT CHECK (consent_method IN ('in_person', 'written'));
ALTER TABLE applications ADD COLUMN consent_document TEXT
    CHECK (char_length(consent_document) BETWEEN 1 AND 500);
ALTER TABLE applications ADD COLUMN consent_given_at DATE;
ALTER TABLE applications ADD CONSTRAINT applications_consent CHECK (
    (filed_by IS NULL AND filed_by_role IS NULL AND consent_method IS NULL
        AND consent_document IS NULL AND consent_given_at IS NULL)
    OR (filed_by IS NOT NULL AND filed_by_role IS NOT NULL AND consent_method IS NOT NULL
        AND consent_document IS NOT NULL AND consent_given_at IS NOT NULL)
);

-- The outbox of notifications: written in the same transaction as the change it tells of, read
-- in the recipient's account, emailed by the server's dispatcher.
CREATE TABLE notifications (
    id           UUID PRIMARY KEY,
    recipient_id UUID NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL,
    object_kind  TEXT NOT NULL CHECK (object_kind IN ('application', 'waitlist_entry', 'certificate')),
    object_id    UUID NOT NULL,
    -- The kind's parameters as a JSON object of strings: what the text is rendered from.
    parameters   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    read_at      TIMESTAMPTZ,
    emailed_at   TIMESTAMPTZ
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, created_at, id);
CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE read_at IS NULL;
CREATE INDEX notifications_unsent ON notifications (created_at, id) WHERE emailed_at IS NULL;

-- Families registered at the desk by staff, with the parent's consent. The parent has no usable
-- password until they follow the invitation: a single-use token, only its SHA-256 kept.
CREATE TABLE family_registrations (
    user_id            UUID PRIMARY KEY REFERENCES users (id),
    registered_by      UUID NOT NULL REFERENCES users (id),
    registered_by_role TEXT NOT NULL
        CHECK (registered_by_role IN ('provider_staff', 'municipal_operator', 'regional_operator')),
    consent_method     TEXT NOT NULL CHECK (consent_method IN ('in_person', 'written')),
    consent_document   TEXT NOT NULL CHECK (char_length(consent_document) BETWEEN 1 AND 500),
    consent_given_at   DATE NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    token_hash         TEXT NOT NULL UNIQUE,
    expires_at         TIMESTAMPTZ NOT NULL,
    activated_at       TIMESTAMPTZ,
    CHECK (created_at < expires_at)
);
