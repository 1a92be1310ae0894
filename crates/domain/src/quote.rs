//! The co-payment rule and the month-by-month reservation.
//!
//! For a cost C and an available balance B, the certificate pays min(B, C) and the family pays
//! max(0, C − B) (seed 003: the parent pays only when the balance is short, and only the
//! difference). The cost is the price of each month of the group left within the period; the
//! certificate's share is spread over those months in proportion to their prices, so that each
//! month's parts add up to its price and all months add up to the totals, to the kopeck.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Refusal;
use crate::money::Money;
use crate::period::{Month, Period};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthShare {
    pub month: Month,
    pub price: Money,
    pub certificate: Money,
    pub family: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub months: Vec<MonthShare>,
    pub cost: Money,
    pub certificate: Money,
    pub family: Money,
    pub balance_before: Money,
    pub balance_after: Money,
}

/// The months an enrollment accepted on `today` is paid for: from the current month (or the
/// group's start) to the group's end, cut to the period.
pub fn contract_months(
    group_start: NaiveDate,
    group_end: NaiveDate,
    period: &Period,
    today: NaiveDate,
) -> Vec<Month> {
    let from = Month::of(today.max(group_start).max(period.start));
    let to = Month::of(group_end.min(period.end));
    Month::range(from, to)
}

/// The split of the cost of `months` at `monthly_price` between a certificate with `available`
/// balance and the family.
pub fn quote(monthly_price: Money, months: &[Month], available: Money) -> Result<Quote, Refusal> {
    let prices: Vec<Money> = months.iter().map(|_| monthly_price).collect();
    quote_prices(months, &prices, available)
}

/// As [`quote`], with a price for each month.
pub fn quote_prices(
    months: &[Month],
    prices: &[Money],
    available: Money,
) -> Result<Quote, Refusal> {
    if months.is_empty() || months.len() != prices.len() {
        return Err(Refusal::NothingToReserve);
    }
    let cost = Money::sum(prices.iter().copied()).ok_or(Refusal::NothingToReserve)?;
    let available = available.max(Money::ZERO);
    let certificate = available.min(cost);
    let family = cost
        .checked_sub(certificate)
        .expect("certificate share never exceeds the cost");
    let shares = certificate.split_proportional(prices);
    let months = months
        .iter()
        .zip(prices)
        .zip(shares)
        .map(|((month, price), cert)| MonthShare {
            month: *month,
            price: *price,
            certificate: cert,
            family: price
                .checked_sub(cert)
                .expect("a month's certificate share never exceeds its price"),
        })
        .collect();
    Ok(Quote {
        months,
        cost,
        certificate,
        family,
        balance_before: available,
        balance_after: available
            .checked_sub(certificate)
            .expect("certificate share never exceeds the balance"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn balance_covers_everything() {
        let months = Month::range(Month::new(2026, 9).unwrap(), Month::new(2026, 12).unwrap());
        let q = quote(
            Money::from_roubles(1_000),
            &months,
            Money::from_roubles(10_000),
        )
        .unwrap();
        assert_eq!(q.cost, Money::from_roubles(4_000));
        assert_eq!(q.certificate, Money::from_roubles(4_000));
        assert_eq!(q.family, Money::ZERO);
        assert_eq!(q.balance_after, Money::from_roubles(6_000));
    }

    #[test]
    fn family_pays_only_the_difference() {
        let months = Month::range(Month::new(2026, 9).unwrap(), Month::new(2026, 11).unwrap());
        let q = quote(
            Money::from_roubles(1_000),
            &months,
            Money::from_kopecks(100_000),
        )
        .unwrap();
        assert_eq!(q.certificate, Money::from_roubles(1_000));
        assert_eq!(q.family, Money::from_roubles(2_000));
        let per_month: Vec<_> = q.months.iter().map(|m| m.certificate.kopecks()).collect();
        assert_eq!(per_month, vec![33_334, 33_333, 33_333]);
        assert_eq!(q.balance_after, Money::ZERO);
    }

    #[test]
    fn contract_is_cut_to_today_and_the_period() {
        let period = Period::new(d(2026, 9, 1), d(2027, 8, 31)).unwrap();
        let months = contract_months(d(2026, 9, 1), d(2027, 12, 31), &period, d(2026, 11, 24));
        assert_eq!(months.first().unwrap().to_string(), "2026-11");
        assert_eq!(months.last().unwrap().to_string(), "2027-08");
        assert!(
            contract_months(d(2026, 9, 1), d(2026, 10, 31), &period, d(2026, 11, 24)).is_empty()
        );
    }

    proptest! {
        #[test]
        fn parts_add_up_and_nothing_goes_negative(
            price in 0i64..5_000_000,
            n in 1usize..13,
            balance in -1_000i64..100_000_000,
        ) {
            let months = Month::range(Month::new(2026, 9).unwrap(), Month::new(2027, 8).unwrap());
            let q = quote(Money::from_kopecks(price), &months[..n], Money::from_kopecks(balance)).unwrap();
            prop_assert_eq!(q.certificate.checked_add(q.family), Some(q.cost));
            prop_assert_eq!(q.certificate, q.balance_before.min(q.cost));
            prop_assert!(!q.balance_after.is_negative());
            prop_assert_eq!(Money::sum(q.months.iter().map(|m| m.certificate)), Some(q.certificate));
            prop_assert_eq!(Money::sum(q.months.iter().map(|m| m.family)), Some(q.family));
            for m in &q.months {
                prop_assert!(!m.certificate.is_negative() && !m.family.is_negative());
                prop_assert_eq!(m.certificate.checked_add(m.family), Some(m.price));
            }
        }
    }
}
