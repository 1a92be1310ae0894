-- Groups edited with If-Match, invoices that name who decided them, and the indexes of the
-- operators' audit log (GET /audit-events: a read over the existing histories, newest first).
-- The same change on PostgreSQL: migrations/postgres/0010_groups_audit.sql.

-- Bumped on every change of a group: the ETag that If-Match compares.
ALTER TABLE program_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Who approved or rejected an invoice (NULL on invoices decided before this column existed).
ALTER TABLE invoices ADD COLUMN decided_by BLOB;
ALTER TABLE invoices ADD COLUMN decided_by_role TEXT;

-- The audit log pages each history newest first on (at, id); a municipality's money movements by
-- the periods of the municipality, an actor's by the actor.
CREATE INDEX ledger_postings_audit ON ledger_postings (at, id);
CREATE INDEX ledger_postings_period_audit ON ledger_postings (period_id, at, id);
CREATE INDEX ledger_postings_actor_audit ON ledger_postings (actor_id, at, id);
CREATE INDEX ledger_postings_invoice ON ledger_postings (invoice_id);
CREATE INDEX certificate_events_audit ON certificate_events (at, id);
CREATE INDEX certificate_events_actor_audit ON certificate_events (actor_id, at, id);
CREATE INDEX program_events_audit ON program_events (at, id);
CREATE INDEX period_events_audit ON period_events (at, id);
CREATE INDEX provider_events_audit ON provider_events (at, id);
CREATE INDEX review_moderation_events_audit ON review_moderation_events (at, id);
CREATE INDEX invoices_decided_audit ON invoices (decided_at, id) WHERE decided_at IS NOT NULL;
CREATE INDEX invoices_municipality_decided_audit ON invoices (municipality_id, decided_at, id)
    WHERE decided_at IS NOT NULL;
