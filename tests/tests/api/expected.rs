//! What the rules say the money should be, computed here with plain integer kopecks from what the
//! API publishes (the period's nominal and dates, the group's dates and price), independently of
//! the domain crate the server computes with.

use chrono::{Datelike, NaiveDate};

use navigator_api_types::{FinancingPeriod, Group, Money};

/// Calendar months from `from`'s month to `to`'s month, both included; 0 when `to` comes first.
pub fn months_inclusive(from: NaiveDate, to: NaiveDate) -> i64 {
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month());
    (index(to) - index(from) + 1).max(0)
}

/// The nominal a certificate gets when it starts financing on `today`: all of it up to the
/// period's first month, then prorated by whole months left (this one included), rounded down.
pub fn credit_on(period: &FinancingPeriod, today: NaiveDate) -> i64 {
    let total = months_inclusive(period.start, period.end);
    let left = months_inclusive(today.max(period.start), period.end);
    let nominal = period.nominal.kopecks();
    if left >= total {
        nominal
    } else {
        nominal * left / total
    }
}

/// The co-payment split of a contract accepted on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Months paid for: from this month (or the group's start) to the group's end, within the
    /// period.
    pub months: i64,
    pub cost: i64,
    /// min(available, cost)
    pub certificate: i64,
    /// max(0, cost − available)
    pub family: i64,
}

pub fn split(
    period: &FinancingPeriod,
    group: &Group,
    price_per_month: Money,
    available: i64,
    today: NaiveDate,
) -> Split {
    let from = today.max(group.start_date).max(period.start);
    let to = group.end_date.min(period.end);
    let months = months_inclusive(from, to);
    let cost = price_per_month.kopecks() * months;
    let certificate = available.min(cost);
    Split {
        months,
        cost,
        certificate,
        family: cost - certificate,
    }
}

pub fn money(kopecks: i64) -> Money {
    Money::from_kopecks(kopecks)
}
