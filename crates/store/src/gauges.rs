//! What the operations' metrics read from the database: the connection pool's occupancy and the
//! ledger's totals by account kind (`GET /metrics`).

use async_trait::async_trait;
use navigator_domain::Money;

use crate::Result;

/// The connection pool right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolGauges {
    /// Open connections, busy or idle.
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// The sum of the balances of one kind of ledger account (`certificate`, `reservation`,
/// `provider`…) and how many accounts of that kind exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerTotal {
    pub account_kind: String,
    pub accounts: i64,
    pub balance: Money,
}

#[async_trait]
pub trait Gauges: Send + Sync {
    fn pool_gauges(&self) -> PoolGauges;

    /// Every account kind's total, by kind. Reads the kept balances (one row per account), not
    /// the entries, so that a scrape stays cheap at ten million entries.
    async fn ledger_totals(&self) -> Result<Vec<LedgerTotal>>;
}
