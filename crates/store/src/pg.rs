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

// The reviews' SQL, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "reviews_sql.rs"]
mod reviews_sql;

// The operations' gauges, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "gauges_sql.rs"]
mod gauges_sql;

// The bulk load of generated data, compiled for this backend the same way.
#[allow(clippy::duplicate_mod)]
#[path = "bulk_sql.rs"]
mod bulk_sql;

pub use sql::SqlStore as PgStore;

impl PgStore {
    pub async fn connect(url: &str) -> crate::Result<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(PgStore::new(pool))
    }
}

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");
