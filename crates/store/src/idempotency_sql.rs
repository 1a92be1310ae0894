//! The SQL of [`IdempotencyStore`], written once and compiled twice like `sql.rs`: `pg.rs` and
//! `sqlite.rs` include this file next to it, each with its own `Db`.
//!
//! A claim is one upsert, so the database decides which of concurrent requests gets a key: on
//! PostgreSQL the second insert of a key waits for the first to commit and then sees its row; on
//! SQLite writes are serialised anyway. Instants are compared in SQL on both engines: SQLite keeps
//! them as RFC 3339 text in UTC, which sorts in time order.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::sql::SqlStore;
use super::Db;
use crate::idempotency::{
    Claim, IdempotencyStore, ABANDONED_AFTER, CLAIM_BEATS_AFTER, INSTANCE_SILENT_AFTER,
    KEY_LIFETIME,
};
use crate::{Result, StoreError};

type DbRow = <Db as sqlx::Database>::Row;

/// Inserts the key, or takes over an abandoned claim of it; returns a row only when the key is
/// the caller's now. A live key is left as it is for [`claim_of`] to read. A claim is abandoned
/// when it is older than [`ABANDONED_AFTER`] or when the process that made it has fallen silent
/// (killed between the claim and its outcome).
const CLAIM: &str = "INSERT INTO idempotency_keys \
     (user_id, key, fingerprint, state, created_at, claimed_by) \
     VALUES ($1, $2, $3, 'in_progress', $4, $6) \
     ON CONFLICT (user_id, key) DO UPDATE \
     SET fingerprint = excluded.fingerprint, created_at = excluded.created_at, \
         claimed_by = excluded.claimed_by \
     WHERE idempotency_keys.state = 'in_progress' \
       AND (idempotency_keys.created_at <= $5 \
            OR NOT EXISTS (SELECT 1 FROM server_instances s \
                           WHERE s.id = idempotency_keys.claimed_by AND s.seen_at > $7)) \
     RETURNING state";

/// A key can be released between a claim that found it taken and the read of what took it; the
/// claim is then tried again, up to this many times in all.
const CLAIM_ATTEMPTS: usize = 3;

#[async_trait]
impl IdempotencyStore for SqlStore {
    async fn idempotency_claim(
        &self,
        user_id: Uuid,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim> {
        let pool = self.pool();
        // Alive lately, whatever the heartbeat task is doing: a claim is never made by a process
        // the others would take for dead. Beating on every claim made the server's one row the
        // busiest of the money path (an upsert per request), so a claim beats only when the last
        // beat is older than `CLAIM_BEATS_AFTER`.
        if self.beat_older_than(now, CLAIM_BEATS_AFTER) {
            self.instance_heartbeat(now).await?;
        }
        // Expired keys are as good as absent. Dropping all of the user's expired keys, not only
        // this one, keeps the table to about a day of keys per user.
        sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND created_at <= $2")
            .bind(user_id)
            .bind(now - KEY_LIFETIME)
            .execute(pool)
            .await?;
        for _ in 0..CLAIM_ATTEMPTS {
            let claimed = sqlx::query(CLAIM)
                .bind(user_id)
                .bind(key)
                .bind(fingerprint)
                .bind(now)
                .bind(now - ABANDONED_AFTER)
                .bind(self.instance().0)
                .bind(now - INSTANCE_SILENT_AFTER)
                .fetch_optional(pool)
                .await?;
            if claimed.is_some() {
                return Ok(Claim::Claimed);
            }
            let holder = sqlx::query(
                "SELECT fingerprint, state, response_status, response_body \
                 FROM idempotency_keys WHERE user_id = $1 AND key = $2",
            )
            .bind(user_id)
            .bind(key)
            .fetch_optional(pool)
            .await?;
            if let Some(row) = holder {
                return claim_of(&row, fingerprint);
            }
        }
        // Taken and released again at every attempt: other requests are busy with the key.
        Ok(Claim::InProgress)
    }

    async fn idempotency_complete(
        &self,
        user_id: Uuid,
        key: &str,
        status: u16,
        body: &[u8],
    ) -> Result<()> {
        sqlx::query(
            "UPDATE idempotency_keys \
             SET state = 'completed', response_status = $3, response_body = $4 \
             WHERE user_id = $1 AND key = $2 AND state = 'in_progress'",
        )
        .bind(user_id)
        .bind(key)
        .bind(i64::from(status))
        .bind(body)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn idempotency_release(&self, user_id: Uuid, key: &str) -> Result<()> {
        sqlx::query(
            "DELETE FROM idempotency_keys \
             WHERE user_id = $1 AND key = $2 AND state = 'in_progress'",
        )
        .bind(user_id)
        .bind(key)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    async fn instance_heartbeat(&self, now: DateTime<Utc>) -> Result<()> {
        let (instance, started_at) = self.instance();
        sqlx::query(
            "INSERT INTO server_instances (id, started_at, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
        )
        .bind(instance)
        .bind(started_at)
        .bind(now)
        .execute(self.pool())
        .await?;
        self.beat_at(now);
        Ok(())
    }

    async fn instance_retire(&self) -> Result<()> {
        sqlx::query("DELETE FROM server_instances WHERE id = $1")
            .bind(self.instance().0)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// What a key held by another request means for a request with `fingerprint`.
fn claim_of(row: &DbRow, fingerprint: &str) -> Result<Claim> {
    let held_for: String = row.try_get("fingerprint")?;
    if held_for != fingerprint {
        return Ok(Claim::Mismatch);
    }
    let state: String = row.try_get("state")?;
    match state.as_str() {
        "in_progress" => Ok(Claim::InProgress),
        // The table's CHECK guarantees a completed key its response.
        "completed" => {
            let status: i64 = row.try_get("response_status")?;
            let status =
                u16::try_from(status).map_err(|_| corrupt(format!("response status {status}")))?;
            let body: Vec<u8> = row.try_get("response_body")?;
            Ok(Claim::Completed { status, body })
        }
        other => Err(corrupt(format!("idempotency key state {other:?}"))),
    }
}

fn corrupt(what: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("unexpected {what} in the database").into(),
    ))
}
