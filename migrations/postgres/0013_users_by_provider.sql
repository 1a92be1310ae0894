-- The staff of a provider, found by the provider: every application filed or decided notifies
-- them (`notifications_sql.rs`), and without an index each lookup read the whole users table,
-- which holds every family of the region (0.9 ms per lookup at scale 0.05, the first cost of
-- the money path in `bench/money.sh`).
CREATE INDEX users_provider ON users (provider_id, id) WHERE provider_id IS NOT NULL;
