//! Public statistics of a municipality (охват, spending, demand): the arithmetic and the limits.
//!
//! Coverage is the share of the municipality's children aged 5–18 who hold a certificate, and who
//! attend at least one program, in a month. The population is the figure the operator enters for
//! the year (from the statistics office); without it counts are still published, shares are not.

use std::fmt;

use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Month;

/// The longest range of months one request may ask for: three academic years. It bounds the cost
/// of a public, unauthenticated query.
pub const MAX_MONTHS: usize = 36;

/// The longest range of days for the applications-per-day series: a year and a day.
pub const MAX_DAYS: i64 = 366;

/// A share in hundredths of a percent (`1234` is 12.34 %), exact: no float reaches an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(u64);

impl Percent {
    /// `part` of `whole`, rounded half up to a hundredth of a percent; `None` when the whole is 0
    /// (no population entered) since a share of nothing means nothing.
    pub fn share(part: u64, whole: u64) -> Option<Percent> {
        if whole == 0 {
            return None;
        }
        // part * 10_000 / whole, rounded half up, in u128 so that no count can overflow.
        let scaled = u128::from(part) * 10_000;
        let whole = u128::from(whole);
        let rounded = (scaled * 2 + whole) / (whole * 2);
        Some(Percent(u64::try_from(rounded).unwrap_or(u64::MAX)))
    }

    /// The share in hundredths of a percent.
    pub fn hundredths(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Not a share written `12.34`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a percent with two decimals: {0:?}")]
pub struct ParsePercentError(String);

impl FromStr for Percent {
    type Err = ParsePercentError;

    fn from_str(text: &str) -> Result<Percent, ParsePercentError> {
        let error = || ParsePercentError(text.to_owned());
        let (whole, hundredths) = text.split_once('.').ok_or_else(error)?;
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || hundredths.len() != 2 || !digits(hundredths) {
            return Err(error());
        }
        let whole: u64 = whole.parse().map_err(|_| error())?;
        let hundredths: u64 = hundredths.parse().map_err(|_| error())?;
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(hundredths))
            .map(Percent)
            .ok_or_else(error)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Why a statistics range is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    /// The end comes before the start.
    Reversed,
    /// More months (or days) than one request may ask for.
    TooLong,
}

/// How many months a series shows when the client names only its end (or nothing): a year.
pub const DEFAULT_MONTHS: u32 = 12;

/// The first month of the default series ending with `to`: [`DEFAULT_MONTHS`] months in all.
pub fn default_first_month(to: Month) -> Month {
    let index = to.year() * 12 + to.month() as i32 - 1 - (DEFAULT_MONTHS as i32 - 1);
    Month::new(index.div_euclid(12), index.rem_euclid(12) as u32 + 1).unwrap_or(to)
}

/// The months from `from` to `to`, both included, when the range is allowed.
pub fn month_range(from: Month, to: Month) -> Result<Vec<Month>, RangeError> {
    if to < from {
        return Err(RangeError::Reversed);
    }
    let months = Month::range(from, to);
    if months.len() > MAX_MONTHS {
        return Err(RangeError::TooLong);
    }
    Ok(months)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_half_up_to_a_hundredth_of_a_percent() {
        assert_eq!(
            Percent::share(1, 3).map(|p| p.to_string()),
            Some("33.33".into())
        );
        assert_eq!(
            Percent::share(2, 3).map(|p| p.to_string()),
            Some("66.67".into())
        );
        assert_eq!(
            Percent::share(1, 8).map(|p| p.to_string()),
            Some("12.50".into())
        );
        // 1 of 20,000 is 0.005 %: half a hundredth rounds up.
        assert_eq!(Percent::share(1, 20_000).map(|p| p.hundredths()), Some(1));
        assert_eq!(Percent::share(1, 20_001).map(|p| p.hundredths()), Some(0));
        assert_eq!(
            Percent::share(7, 7).map(|p| p.to_string()),
            Some("100.00".into())
        );
        assert_eq!(Percent::share(5, 0), None);
    }

    #[test]
    fn more_than_the_whole_is_shown_as_it_is() {
        // A population figure entered too low must show, not hide, the inconsistency.
        assert_eq!(
            Percent::share(3, 2).map(|p| p.to_string()),
            Some("150.00".into())
        );
        assert!(Percent::share(u64::MAX, 1).is_some());
    }

    #[test]
    fn percents_read_back_what_they_write() {
        for (part, whole) in [(1, 3), (0, 5), (9, 7), (123_456, 1_000_000)] {
            let share = Percent::share(part, whole).expect("a share");
            assert_eq!(share.to_string().parse::<Percent>(), Ok(share));
        }
        for bad in ["", "12", "12.3", "12.345", "-1.00", "1.-1", ".50", "1e2.00"] {
            assert!(bad.parse::<Percent>().is_err(), "{bad:?} was read");
        }
    }

    #[test]
    fn the_default_series_is_a_year() {
        let month = |y, m| Month::new(y, m).expect("a valid month");
        assert_eq!(default_first_month(month(2026, 12)), month(2026, 1));
        assert_eq!(default_first_month(month(2026, 11)), month(2025, 12));
        assert_eq!(default_first_month(month(2026, 1)), month(2025, 2));
        let series = month_range(default_first_month(month(2026, 3)), month(2026, 3));
        assert_eq!(series.map(|m| m.len()), Ok(DEFAULT_MONTHS as usize));
    }

    #[test]
    fn ranges_are_bounded() {
        let month = |y, m| Month::new(y, m).expect("a valid month");
        assert_eq!(
            month_range(month(2026, 9), month(2026, 9)).map(|m| m.len()),
            Ok(1)
        );
        assert_eq!(
            month_range(month(2024, 1), month(2026, 12)).map(|m| m.len()),
            Ok(36)
        );
        assert_eq!(
            month_range(month(2024, 1), month(2027, 1)),
            Err(RangeError::TooLong)
        );
        assert_eq!(
            month_range(month(2026, 9), month(2026, 8)),
            Err(RangeError::Reversed)
        );
    }
}
