//! The figures of the operators' dashboard, and where they come from: the municipality's public
//! statistics (`GET /municipalities/{id}/statistics/...`, computed by the server over its own
//! UTC days and default ranges) and its financing periods. The pages only know [`Dashboard`].

use chrono::NaiveDate;
use navigator_api_types::FinancingPeriod;
use navigator_api_types::{ApplicationDay, CoverageMonth, MostWanted, SpendingMonth};
use uuid::Uuid;

use crate::api::{self, ApiError};
use crate::clock::server_today;

/// What the dashboard shows for one municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// The period open today, else the latest one.
    pub period: Option<FinancingPeriod>,
    /// The last 30 days (UTC days, as the server counts), oldest first, quiet days included.
    pub applications_per_day: Vec<ApplicationDay>,
    /// Approved invoices by the month of the lessons, oldest first.
    pub spending_by_month: Vec<SpendingMonth>,
    /// Coverage of the last months, oldest first, each with its directions.
    pub coverage: Vec<CoverageMonth>,
    pub most_wanted: MostWanted,
}

pub async fn dashboard(municipality_id: Uuid) -> Result<Dashboard, ApiError> {
    // Five independent reads: asked at once, the page waits for the slowest only.
    let (periods, days, spending, coverage, most_wanted) = futures::future::join5(
        api::periods(municipality_id),
        api::applications_per_day(municipality_id),
        api::spending(municipality_id),
        api::coverage(municipality_id),
        api::most_wanted(municipality_id),
    )
    .await;
    Ok(Dashboard {
        period: current_period(periods?, server_today()),
        applications_per_day: days?.days,
        spending_by_month: spending?.months,
        coverage: coverage?.months,
        most_wanted: most_wanted?,
    })
}

/// The period that contains `today`, else the one that started last.
fn current_period(periods: Vec<FinancingPeriod>, today: NaiveDate) -> Option<FinancingPeriod> {
    let open = periods
        .iter()
        .position(|p| p.start <= today && today <= p.end);
    match open {
        Some(index) => periods.into_iter().nth(index),
        None => periods.into_iter().max_by_key(|p| p.start),
    }
}

#[cfg(test)]
mod tests {
    use navigator_api_types::Money;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn period(start: &str, end: &str) -> FinancingPeriod {
        FinancingPeriod {
            id: Uuid::nil(),
            municipality_id: Uuid::nil(),
            start: day(start),
            end: day(end),
            nominal: Money::ZERO,
            quota: 0,
            budget: Money::ZERO,
            enrollment_opens: day(start),
            enrollment_closes: day(end),
            test_mode: false,
            certificates_financed: 0,
            budget_committed: Money::ZERO,
            budget_free: Money::ZERO,
            reserved: Money::ZERO,
            written_off: Money::ZERO,
            version: 1,
        }
    }

    #[test]
    fn the_period_of_today_comes_first_then_the_latest() {
        let past = period("2025-09-01", "2026-08-31");
        let current = period("2026-09-01", "2027-08-31");
        let chosen = current_period(vec![past.clone(), current.clone()], day("2026-11-30"));
        assert_eq!(chosen, Some(current.clone()));
        let chosen = current_period(vec![current.clone(), past], day("2028-01-10"));
        assert_eq!(chosen, Some(current));
        assert_eq!(current_period(vec![], day("2026-11-30")), None);
    }
}
