//! Money: roubles with kopecks as a whole number of kopecks. Never a float.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of roubles held as whole kopecks. Amounts on the wire are decimal strings with two
/// digits (`"12500.00"`); inside, all arithmetic is integer and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// The largest amount accepted anywhere: one billion roubles. Keeps every sum of amounts far from
/// `i64` overflow.
pub const MAX_AMOUNT: Money = Money(100_000_000_000);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("amount must look like 12500.00: digits, a point and at most two digits of kopecks")]
    Format,
    #[error("amount is too large")]
    TooLarge,
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_kopecks(kopecks: i64) -> Money {
        Money(kopecks)
    }

    pub const fn from_roubles(roubles: i64) -> Money {
        Money(roubles * 100)
    }

    pub const fn kopecks(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Sums amounts; `None` on overflow.
    pub fn sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    pub fn min(self, other: Money) -> Money {
        Money(self.0.min(other.0))
    }

    pub fn max(self, other: Money) -> Money {
        Money(self.0.max(other.0))
    }

    /// Splits `self` into parts proportional to `weights`, rounding to whole kopecks so that the parts
    /// add up exactly to `self` (largest remainder; ties go to the earlier part). All weights zero
    /// gives the whole to the first part. `self` must not be negative.
    pub fn split_proportional(self, weights: &[Money]) -> Vec<Money> {
        if weights.is_empty() {
            return Vec::new();
        }
        let total_weight: i128 = weights.iter().map(|w| i128::from(w.0.max(0))).sum();
        if total_weight == 0 {
            let mut parts = vec![Money::ZERO; weights.len()];
            parts[0] = self;
            return parts;
        }
        let amount = i128::from(self.0);
        let mut parts: Vec<i128> = Vec::with_capacity(weights.len());
        let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
        for (i, w) in weights.iter().enumerate() {
            let numerator = amount * i128::from(w.0.max(0));
            parts.push(numerator / total_weight);
            remainders.push((numerator % total_weight, i));
        }
        let assigned: i128 = parts.iter().sum();
        let mut left = amount - assigned;
        // Highest remainder first; among equals the earlier index first.
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in remainders {
            if left == 0 {
                break;
            }
            parts[i] += 1;
            left -= 1;
        }
        parts
            .into_iter()
            .map(|p| Money(i64::try_from(p).unwrap_or(i64::MAX)))
            .collect()
    }

    /// `self * numerator / denominator`, rounded down to a kopeck. `None` when the denominator is
    /// zero or the result does not fit.
    pub fn mul_div_floor(self, numerator: i64, denominator: i64) -> Option<Money> {
        if denominator == 0 {
            return None;
        }
        let v = i128::from(self.0) * i128::from(numerator) / i128::from(denominator);
        i64::try_from(v).ok().map(Money)
    }
}

impl std::ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyParseError;

    /// Accepts `12500`, `12500.5`, `12500.50`, and a leading `-`. Rejects exponents, spaces,
    /// thousands separators, more than two digits of kopecks and amounts beyond [`MAX_AMOUNT`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty()
            || int_part.len() > 12
            || !int_part.bytes().all(|b| b.is_ascii_digit())
            || frac_part.len() > 2
            || (body.contains('.') && frac_part.is_empty())
            || !frac_part.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(MoneyParseError::Format);
        }
        let roubles: i64 = int_part.parse().map_err(|_| MoneyParseError::Format)?;
        let kopecks: i64 = match frac_part.len() {
            0 => 0,
            1 => {
                frac_part
                    .parse::<i64>()
                    .map_err(|_| MoneyParseError::Format)?
                    * 10
            }
            _ => frac_part.parse().map_err(|_| MoneyParseError::Format)?,
        };
        let total = roubles
            .checked_mul(100)
            .and_then(|r| r.checked_add(kopecks))
            .ok_or(MoneyParseError::TooLarge)?;
        if total > MAX_AMOUNT.0 {
            return Err(MoneyParseError::TooLarge);
        }
        Ok(Money(if negative { -total } else { total }))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_with_two_digits() {
        assert_eq!(Money::from_kopecks(1_250_000).to_string(), "12500.00");
        assert_eq!(Money::from_kopecks(5).to_string(), "0.05");
        assert_eq!(Money::from_kopecks(-105).to_string(), "-1.05");
    }

    #[test]
    fn parses_the_wire_format() {
        assert_eq!(
            "12500.00".parse::<Money>(),
            Ok(Money::from_kopecks(1_250_000))
        );
        assert_eq!("0.5".parse::<Money>(), Ok(Money::from_kopecks(50)));
        assert_eq!("7".parse::<Money>(), Ok(Money::from_kopecks(700)));
        for bad in [
            "", ".", "1.", ".5", "1.234", "1e3", " 1", "1,00", "--1", "+1", "١٢",
        ] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?} must be refused");
        }
        assert_eq!(
            "9999999999999".parse::<Money>(),
            Err(MoneyParseError::Format)
        );
        assert_eq!(
            "1000000001".parse::<Money>(),
            Err(MoneyParseError::TooLarge)
        );
    }

    #[test]
    fn json_is_a_string() {
        let json = serde_json::to_string(&Money::from_kopecks(1234)).unwrap();
        assert_eq!(json, "\"12.34\"");
        assert!(
            serde_json::from_str::<Money>("12.34").is_err(),
            "a JSON number is refused"
        );
    }

    #[test]
    fn split_gives_remainders_to_the_largest_fractions() {
        let parts = Money::from_kopecks(100).split_proportional(&[
            Money::from_kopecks(1),
            Money::from_kopecks(1),
            Money::from_kopecks(1),
        ]);
        assert_eq!(parts, vec![Money(34), Money(33), Money(33)]);
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(k in -MAX_AMOUNT.0..=MAX_AMOUNT.0) {
            let m = Money::from_kopecks(k);
            prop_assert_eq!(m.to_string().parse::<Money>(), Ok(m));
        }

        #[test]
        fn proportional_split_adds_up_to_the_kopeck(
            total in 0i64..10_000_000_000,
            weights in proptest::collection::vec(0i64..10_000_000, 1..24),
        ) {
            let weights: Vec<Money> = weights.into_iter().map(Money::from_kopecks).collect();
            let parts = Money::from_kopecks(total).split_proportional(&weights);
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert_eq!(Money::sum(parts.iter().copied()), Some(Money::from_kopecks(total)));
            prop_assert!(parts.iter().all(|p| !p.is_negative()));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<Money>();
        }
    }
}
