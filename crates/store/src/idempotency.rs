//! Idempotency keys: the remembered outcome of a money-moving request, so that a client retrying
//! with the same `Idempotency-Key` gets the first answer instead of a second effect.
//!
//! The HTTP layer decides what identifies a request (its fingerprint) and which answers are worth
//! keeping; the store keeps one row per user and key and makes claiming it atomic, so that of any
//! number of concurrent requests with one key exactly one runs the operation.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::Result;

/// How long a key is remembered. An older key is treated as absent: claiming it starts afresh.
pub const KEY_LIFETIME: Duration = Duration::hours(24);

/// How long a claim may stay in progress before it counts as abandoned and may be claimed again.
/// The server completes or releases every claim even when the client goes away, so only a crash
/// of the process between the claim and its outcome leaves one behind; without this limit its
/// key would answer `in progress` for a whole [`KEY_LIFETIME`]. Every operation behind a key is
/// one short transaction, far shorter than this.
pub const ABANDONED_AFTER: Duration = Duration::minutes(5);

/// How often a running server says it is alive ([`IdempotencyStore::instance_heartbeat`]).
pub const HEARTBEAT_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// A claim made more than this long after the process's last heartbeat beats first (the
/// heartbeat task beats every [`HEARTBEAT_EVERY`]), so that the process making a claim said it
/// was alive at most this long before, well within [`INSTANCE_SILENT_AFTER`].
pub const CLAIM_BEATS_AFTER: Duration = Duration::seconds(10);

/// A server process silent for this long is taken for dead: the keys its requests held in progress
/// are free at once, without waiting for [`ABANDONED_AFTER`]. Several heartbeats long, so that a
/// busy process is never mistaken for a dead one; several processes may share one database.
pub const INSTANCE_SILENT_AFTER: Duration = Duration::seconds(30);

/// What [`IdempotencyStore::idempotency_claim`] found under a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is the caller's now: run the operation, then complete or release the key.
    Claimed,
    /// A request with this key and fingerprint is still running.
    InProgress,
    /// A request with this key and fingerprint has completed with this response.
    Completed { status: u16, body: Vec<u8> },
    /// The key was used for a different request (another fingerprint).
    Mismatch,
}

/// The keys of money-moving requests, scoped per user and kept for [`KEY_LIFETIME`].
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims the key for a request with this fingerprint, or tells what is there. Expired keys
    /// and abandoned claims are overwritten.
    async fn idempotency_claim(
        &self,
        user_id: Uuid,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
    ) -> Result<Claim>;

    /// Stores the response of a claimed key's request: later claims with the same fingerprint
    /// get [`Claim::Completed`].
    async fn idempotency_complete(
        &self,
        user_id: Uuid,
        key: &str,
        status: u16,
        body: &[u8],
    ) -> Result<()>;

    /// Gives a claimed key up without a response (the request failed on the server's side), so
    /// that the client's retry runs the operation.
    async fn idempotency_release(&self, user_id: Uuid, key: &str) -> Result<()>;

    /// This process is alive at `now`; claims it holds stay its own. Called every
    /// [`HEARTBEAT_EVERY`] by the server and by every claim.
    async fn instance_heartbeat(&self, now: DateTime<Utc>) -> Result<()>;

    /// This process stops after finishing its requests: it holds no claim any more.
    async fn instance_retire(&self) -> Result<()>;
}
