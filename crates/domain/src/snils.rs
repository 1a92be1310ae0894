//! СНИЛС, the insurance number that identifies a child: eleven digits, the last two a checksum.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A SNILS whose checksum holds. Stored and compared as its eleven digits; shown as
/// `123-456-789 64`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Snils(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SnilsError {
    #[error("SNILS must have 11 digits")]
    Format,
    #[error("SNILS checksum does not match")]
    Checksum,
}

/// Numbers up to 001-001-998 were issued before the checksum existed and carry none.
const FIRST_CHECKED: u64 = 1_001_998;

fn checksum(first_nine: &[u8]) -> u32 {
    let sum: u32 = first_nine
        .iter()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * (9 - i as u32))
        .sum();
    match sum {
        s if s < 100 => s,
        100 | 101 => 0,
        s => {
            let r = s % 101;
            if r == 100 {
                0
            } else {
                r
            }
        }
    }
}

impl Snils {
    /// Parses `12345678964`, `123-456-789 64` or `123-456-789-64`.
    pub fn parse(input: &str) -> Result<Snils, SnilsError> {
        let digits: Vec<u8> = input
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_digit(10).map(|d| d as u8).ok_or(SnilsError::Format))
            .collect::<Result<_, _>>()?;
        if digits.len() != 11 {
            return Err(SnilsError::Format);
        }
        let number: u64 = digits[..9]
            .iter()
            .fold(0, |acc, d| acc * 10 + u64::from(*d));
        let control = u32::from(digits[9]) * 10 + u32::from(digits[10]);
        if number > FIRST_CHECKED && checksum(&digits[..9]) != control {
            return Err(SnilsError::Checksum);
        }
        Ok(Snils(digits.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    /// The eleven digits, as stored.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// Builds a valid SNILS from the first nine digits (used for demo data and tests).
    pub fn from_number(number: u32) -> Snils {
        let nine = format!("{:09}", number % 1_000_000_000);
        let digits: Vec<u8> = nine.bytes().map(|b| b - b'0').collect();
        Snils(format!("{nine}{:02}", checksum(&digits)))
    }

    /// The last four digits only, for places where the whole number must not be shown.
    pub fn masked(&self) -> String {
        format!("***-***-*{} {}", &self.0[8..9], &self.0[9..])
    }
}

impl fmt::Display for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{}-{}-{} {}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }
}

impl FromStr for Snils {
    type Err = SnilsError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Snils::parse(s)
    }
}

impl Serialize for Snils {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Snils {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Snils::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_known_valid_numbers() {
        // 112-233-445 95 is the textbook example of the checksum.
        assert_eq!(
            Snils::parse("112-233-445 95").unwrap().digits(),
            "11223344595"
        );
        assert!(Snils::parse("11223344595").is_ok());
        assert_eq!(
            Snils::parse("11223344595").unwrap().to_string(),
            "112-233-445 95"
        );
    }

    #[test]
    fn refuses_bad_checksums_and_formats() {
        assert_eq!(Snils::parse("112-233-445 96"), Err(SnilsError::Checksum));
        assert_eq!(Snils::parse("1122334459"), Err(SnilsError::Format));
        assert_eq!(Snils::parse("112233445950"), Err(SnilsError::Format));
        assert_eq!(Snils::parse("11a23344595"), Err(SnilsError::Format));
        assert_eq!(Snils::parse(""), Err(SnilsError::Format));
    }

    #[test]
    fn sums_of_100_and_101_give_00() {
        // 9*? digits chosen so that the weighted sum is exactly 100 or 101.
        for nine in 0u32..2_000_000 {
            let digits: Vec<u8> = format!("{:09}", nine + 100_000_000)
                .bytes()
                .map(|b| b - b'0')
                .collect();
            let s: u32 = digits
                .iter()
                .enumerate()
                .map(|(i, d)| u32::from(*d) * (9 - i as u32))
                .sum();
            if s == 100 || s == 101 {
                assert_eq!(checksum(&digits), 0);
                return;
            }
        }
        panic!("no number with a sum of 100 found");
    }

    proptest! {
        #[test]
        fn generated_numbers_are_valid(n in 1_001_999u32..999_999_999) {
            let s = Snils::from_number(n);
            prop_assert_eq!(Snils::parse(s.digits()), Ok(s.clone()));
            prop_assert_eq!(Snils::parse(&s.to_string()), Ok(s));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = Snils::parse(&s);
        }
    }
}
