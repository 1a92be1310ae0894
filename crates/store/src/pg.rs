//! The PostgreSQL store: the shared SQL compiled for `sqlx::Postgres`.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;

use crate::dialect::Backend;

type Db = sqlx::Postgres;
const BACKEND: Backend = Backend::Postgres;

// The same SQL source as the other backend, compiled for this one: that is the point.
#[allow(clippy::duplicate_mod)]
#[path = "sql.rs"]
mod sql;

// The idempotency keys' SQL, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "idempotency_sql.rs"]
mod idempotency_sql;

// The catalog's full-text index and distance order, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "search_sql.rs"]
mod search_sql;

// The reviews' SQL, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "reviews_sql.rs"]
mod reviews_sql;

// The monthly billing run's batches, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "billing_sql.rs"]
mod billing_sql;

// The operators' audit log, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "audit_sql.rs"]
mod audit_sql;

// The public statistics' SQL, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "statistics_sql.rs"]
mod statistics_sql;

// The registry of providers and the registry files, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "registry_sql.rs"]
mod registry_sql;
// The operations' gauges, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "gauges_sql.rs"]
mod gauges_sql;

// The bulk load of generated data, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "bulk_sql.rs"]
mod bulk_sql;

// The waitlist's SQL, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "waitlist_sql.rs"]
mod waitlist_sql;

// The notifications' SQL, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "notifications_sql.rs"]
mod notifications_sql;

// The families' SQL (registration at the desk, filing with consent), compiled the same way.
#[allow(clippy::duplicate_mod)]
#[path = "families_sql.rs"]
mod families_sql;

pub use sql::SqlStore as PgStore;

impl PgStore {
    pub async fn connect(url: &str, settings: crate::StoreSettings) -> crate::Result<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(PgStore::new(pool, settings))
    }
}

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");
