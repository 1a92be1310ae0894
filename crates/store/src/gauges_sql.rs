//! The SQL of [`Gauges`], written once and compiled twice like `sql.rs`.

use async_trait::async_trait;
use navigator_domain::Money;
use sqlx::Row;

use super::sql::SqlStore;
use crate::gauges::{Gauges, LedgerTotal, PoolGauges};
use crate::Result;

#[async_trait]
impl Gauges for SqlStore {
    fn pool_gauges(&self) -> PoolGauges {
        PoolGauges {
            size: self.pool().size(),
            idle: u32::try_from(self.pool().num_idle()).unwrap_or(u32::MAX),
            max: self.pool().options().get_max_connections(),
        }
    }

    async fn ledger_totals(&self) -> Result<Vec<LedgerTotal>> {
        let rows = sqlx::query(
            "SELECT account_kind, COUNT(*) AS accounts, CAST(SUM(balance) AS BIGINT) AS balance \
             FROM account_balances GROUP BY account_kind ORDER BY account_kind",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LedgerTotal {
                    account_kind: row.try_get("account_kind")?,
                    accounts: row.try_get("accounts")?,
                    balance: Money::from_kopecks(row.try_get("balance")?),
                })
            })
            .collect()
    }
}
