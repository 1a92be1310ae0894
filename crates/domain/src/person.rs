//! Facts about a child that the rules depend on.

use chrono::{Datelike, NaiveDate};

/// Age in whole years on `on`.
pub fn age_on(birth_date: NaiveDate, on: NaiveDate) -> u32 {
    if on < birth_date {
        return 0;
    }
    let mut age = on.year() - birth_date.year();
    if (on.month(), on.day()) < (birth_date.month(), birth_date.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

/// The day a person turns `years` old; a 29 February birthday falls on 1 March in other years.
pub fn birthday(birth_date: NaiveDate, years: u32) -> NaiveDate {
    let year = birth_date.year() + years as i32;
    NaiveDate::from_ymd_opt(year, birth_date.month(), birth_date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .expect("1 March exists in every year")
}

/// Children of these ages are the audience of additional education.
pub const MIN_AGE: u32 = 5;
pub const MAX_AGE: u32 = 17;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ages() {
        assert_eq!(age_on(d(2015, 11, 25), d(2026, 11, 24)), 10);
        assert_eq!(age_on(d(2015, 11, 24), d(2026, 11, 24)), 11);
        assert_eq!(age_on(d(2030, 1, 1), d(2026, 11, 24)), 0);
        assert_eq!(birthday(d(2012, 2, 29), 18), d(2030, 3, 1));
        assert_eq!(birthday(d(2012, 5, 9), 18), d(2030, 5, 9));
    }
}
