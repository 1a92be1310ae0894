//! The figures of the operators' dashboard, and where they come from.
//!
//! The API has no statistics of its own yet, so the figures are derived here from what it lists:
//! the period's money from `GET /municipalities/{id}/periods`, applications per day from
//! `GET /applications`, spending by month from the approved invoices of `GET /invoices`. Lists are
//! read page by page up to [`MAX_PAGES`]; beyond that the figures cover the newest items only
//! and say so. When `GET /statistics/...` lands, [`dashboard`] reads it instead and the pages do
//! not change: they only know [`Dashboard`].

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, TimeDelta};
use navigator_api_types::{
    Application, FinancingPeriod, Invoice, InvoiceStatus, Money, Month, Page,
};
use uuid::Uuid;

use crate::api::{self, ApiError};
use crate::clock::server_today;
use crate::session::Session;

/// How many days the chart of applications shows, today included.
pub const DAYS: i64 = 30;
/// Pages of 100 read from one list at most: 2,000 items.
const MAX_PAGES: usize = 20;
const LIST_PAGE: u32 = 100;

/// What the dashboard shows for one municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// The period open today, else the latest one.
    pub period: Option<FinancingPeriod>,
    /// Applications filed each day of the last [`DAYS`] days (UTC days, as the server counts),
    /// oldest first, days without any included.
    pub applications_per_day: Vec<(NaiveDate, u64)>,
    /// Written off from certificates to providers, by the month of the lessons, oldest first.
    pub spending_by_month: Vec<(Month, Money)>,
    /// A list was longer than the pages read: the figures cover its newest items only.
    pub partial: bool,
}

pub async fn dashboard(session: Session, municipality_id: Uuid) -> Result<Dashboard, ApiError> {
    let today = server_today();
    let periods = api::periods(municipality_id).await?;
    // Applications carry their provider, not its municipality.
    let providers: HashSet<Uuid> = api::providers(Some(municipality_id))
        .await?
        .into_iter()
        .map(|provider| provider.id)
        .collect();
    let (applications, applications_partial) =
        read_all(|cursor| api::applications(session, page_query(cursor, None))).await?;
    let (invoices, invoices_partial) = read_all(|cursor| {
        api::invoices(
            session,
            page_query(cursor, Some(InvoiceStatus::Approved.as_str())),
        )
    })
    .await?;
    let applications: Vec<Application> = applications
        .into_iter()
        .filter(|a| providers.contains(&a.provider_id))
        .collect();
    let invoices: Vec<Invoice> = invoices
        .into_iter()
        .filter(|i| i.municipality_id == municipality_id)
        .collect();
    Ok(Dashboard {
        period: current_period(periods, today),
        applications_per_day: per_day(&applications, today),
        spending_by_month: by_month(&invoices),
        partial: applications_partial || invoices_partial,
    })
}

fn page_query(cursor: Option<String>, status: Option<&str>) -> Vec<(&'static str, String)> {
    let mut query = vec![("limit", LIST_PAGE.to_string())];
    if let Some(status) = status {
        query.push(("status", status.to_owned()));
    }
    if let Some(cursor) = cursor {
        query.push(("cursor", cursor));
    }
    query
}

/// Every item of a list, up to [`MAX_PAGES`] pages; `true` when more were left unread.
async fn read_all<T, F, Fut>(mut page: F) -> Result<(Vec<T>, bool), ApiError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, ApiError>>,
{
    let mut items = Vec::new();
    let mut cursor = None;
    for _ in 0..MAX_PAGES {
        let next = page(cursor.take()).await?;
        items.extend(next.items);
        match next.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok((items, false)),
        }
    }
    Ok((items, true))
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

fn per_day(applications: &[Application], today: NaiveDate) -> Vec<(NaiveDate, u64)> {
    let first = today - TimeDelta::days(DAYS - 1);
    let mut days: BTreeMap<NaiveDate, u64> = (0..DAYS)
        .map(|offset| (first + TimeDelta::days(offset), 0))
        .collect();
    for application in applications {
        if let Some(count) = days.get_mut(&application.submitted_at.date_naive()) {
            *count += 1;
        }
    }
    days.into_iter().collect()
}

fn by_month(invoices: &[Invoice]) -> Vec<(Month, Money)> {
    let mut months: BTreeMap<Month, Money> = BTreeMap::new();
    for invoice in invoices {
        let sum = months.entry(invoice.month).or_insert(Money::ZERO);
        // Kopecks in an i64 do not overflow over the few thousand invoices read; should they,
        // the month keeps what it had rather than showing a wrapped sum.
        *sum = sum.checked_add(invoice.certificate_amount).unwrap_or(*sum);
    }
    months.into_iter().collect()
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn every_day_of_the_window_is_counted_even_without_applications() {
        let days = per_day(&[], day("2026-11-30"));
        assert_eq!(days.len(), 30);
        assert_eq!(days.first().map(|d| d.0), Some(day("2026-11-01")));
        assert_eq!(days.last().map(|d| d.0), Some(day("2026-11-30")));
        assert!(days.iter().all(|(_, n)| *n == 0));
    }
}
