//! Public statistics of a municipality: coverage (охват) by month and direction, spending by month,
//! the most wanted programs and applications per day. Every answer is a count or a sum over many
//! children; nothing identifies one.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::Month;

use crate::{Actor, Result};

#[async_trait]
pub trait StatisticsStore: Send + Sync {
    /// An operator of the municipality (or the regional operator) enters the year's number of
    /// children aged 5–18, replacing an earlier figure for that year.
    async fn set_population(
        &self,
        actor: &Actor,
        municipality_id: Uuid,
        year: i32,
        figure: &api::SetPopulationRequest,
        now: DateTime<Utc>,
    ) -> Result<api::Population>;

    /// The population figures entered for a municipality, by year.
    async fn populations(&self, municipality_id: Uuid) -> Result<Vec<api::Population>>;

    /// Coverage in each of `months` (a range the domain allowed, oldest first).
    async fn coverage(&self, municipality_id: Uuid, months: &[Month]) -> Result<api::Coverage>;

    /// Approved invoices' money in each of `months`, by the month the service was delivered.
    async fn spending(&self, municipality_id: Uuid, months: &[Month]) -> Result<api::Spending>;

    /// The published programs with the most applications submitted since `since`, at most `limit`.
    async fn most_wanted(
        &self,
        municipality_id: Uuid,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<api::MostWanted>;

    /// Applications submitted, accepted and rejected on each day from `from` to `to` (UTC days).
    async fn applications_per_day(
        &self,
        municipality_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<api::ApplicationsPerDay>;
}
