//! Financing periods and calendar months.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Refusal;
use crate::money::Money;

/// A calendar month, the unit of reservation, attendance and invoicing. On the wire `2026-09`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("month must look like 2026-09")]
pub struct MonthParseError;

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=2200).contains(&year))
            .then_some(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a Month is always a valid date")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .expect("the day before a first of month exists")
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of(date) == self
    }

    /// Months from `from` to `to`, both included; empty when `to` is before `from`.
    pub fn range(from: Month, to: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = from;
        while m <= to {
            out.push(m);
            m = m.next();
        }
        out
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = MonthParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, m) = s.split_once('-').ok_or(MonthParseError)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(MonthParseError);
        }
        let year = y.parse().map_err(|_| MonthParseError)?;
        let month = m.parse().map_err(|_| MonthParseError)?;
        Month::new(year, month).ok_or(MonthParseError)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A financing period of a municipality: usually the academic year. Both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Option<Period> {
        (start <= end).then_some(Period { start, end })
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// Every month the period touches.
    pub fn months(&self) -> Vec<Month> {
        Month::range(Month::of(self.start), Month::of(self.end))
    }

    /// Whole months of the period from the month of `date` on (the current month counts when the
    /// date is inside the period; nothing is left after the period's end).
    pub fn months_left(&self, date: NaiveDate) -> u32 {
        let from = Month::of(date.max(self.start));
        if date > self.end {
            return 0;
        }
        Month::range(from, Month::of(self.end)).len() as u32
    }

    /// The nominal a certificate receives when it starts financing on `date`: the whole nominal at
    /// or before the period's start, prorated by whole months left afterwards, rounded down to the
    /// kopeck.
    pub fn prorated_nominal(&self, nominal: Money, date: NaiveDate) -> Money {
        let total = self.months().len() as i64;
        let left = i64::from(self.months_left(date));
        if left >= total {
            return nominal;
        }
        nominal.mul_div_floor(left, total).unwrap_or(Money::ZERO)
    }
}

/// How much of a period's caps is taken: financing certificates against the quota, credited
/// money against the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodCaps {
    pub quota: i64,
    pub certificates_financed: i64,
    pub budget: Money,
    pub budget_committed: Money,
}

impl PeriodCaps {
    /// Whether one more certificate credited with `credit` fits the quota and the budget.
    pub fn check_room(&self, credit: Money) -> Result<(), Refusal> {
        if self.certificates_financed >= self.quota {
            return Err(Refusal::QuotaExhausted);
        }
        let committed = self
            .budget_committed
            .checked_add(credit)
            .ok_or(Refusal::BudgetExhausted)?;
        if committed > self.budget {
            return Err(Refusal::BudgetExhausted);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn academic_year() -> Period {
        Period::new(d(2026, 9, 1), d(2027, 8, 31)).unwrap()
    }

    #[test]
    fn months_of_an_academic_year() {
        let months = academic_year().months();
        assert_eq!(months.len(), 12);
        assert_eq!(months[0].to_string(), "2026-09");
        assert_eq!(months[11].to_string(), "2027-08");
    }

    #[test]
    fn proration_by_whole_months_left() {
        let p = academic_year();
        let nominal = Money::from_roubles(12_000);
        assert_eq!(p.prorated_nominal(nominal, d(2026, 8, 1)), nominal);
        assert_eq!(p.prorated_nominal(nominal, d(2026, 9, 15)), nominal);
        // From November: November to August, ten months of twelve.
        assert_eq!(
            p.prorated_nominal(nominal, d(2026, 11, 24)),
            Money::from_roubles(10_000)
        );
        assert_eq!(
            p.prorated_nominal(nominal, d(2027, 8, 31)),
            Money::from_roubles(1_000)
        );
        assert_eq!(p.prorated_nominal(nominal, d(2027, 9, 1)), Money::ZERO);
    }

    #[test]
    fn month_parsing() {
        assert_eq!(
            "2026-09".parse::<Month>().unwrap(),
            Month::new(2026, 9).unwrap()
        );
        for bad in ["2026-9", "2026-13", "26-09", "2026/09", "", "2026-00"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        assert_eq!(Month::new(2026, 12).unwrap().next().to_string(), "2027-01");
        assert_eq!(Month::new(2027, 2).unwrap().last_day(), d(2027, 2, 28));
    }

    #[test]
    fn caps_refuse_past_the_quota_or_the_budget() {
        let caps = PeriodCaps {
            quota: 2,
            certificates_financed: 1,
            budget: Money::from_roubles(20_000),
            budget_committed: Money::from_roubles(12_000),
        };
        assert_eq!(caps.check_room(Money::from_roubles(8_000)), Ok(()));
        assert_eq!(
            caps.check_room(Money::from_kopecks(800_001)),
            Err(Refusal::BudgetExhausted)
        );
        let full = PeriodCaps {
            certificates_financed: 2,
            ..caps
        };
        assert_eq!(full.check_room(Money::ZERO), Err(Refusal::QuotaExhausted));
    }

    proptest! {
        #[test]
        fn prorated_nominal_never_exceeds_the_nominal(
            kopecks in 0i64..10_000_000,
            offset in 0i64..500,
        ) {
            let p = academic_year();
            let date = d(2026, 7, 1) + chrono::Duration::days(offset);
            let n = p.prorated_nominal(Money::from_kopecks(kopecks), date);
            prop_assert!(n <= Money::from_kopecks(kopecks));
            prop_assert!(!n.is_negative());
        }
    }
}
