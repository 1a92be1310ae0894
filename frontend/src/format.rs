//! Numbers, money, months, dates and instants as a reader expects them, and query strings for
//! URLs.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc};
use navigator_api_types::{Money, Month};

use crate::i18n::{lang, Lang};

/// No-break space: keeps «3 200,00 ₽» on one line, as Russian typography wants.
const NBSP: char = '\u{a0}';

/// Money in the reader's convention: `3 200,00 ₽` in Russian, `3,200.00 ₽` in English.
pub fn money(amount: Money) -> String {
    let (group, decimal) = match lang() {
        Lang::Ru => (NBSP, ','),
        Lang::En => (',', '.'),
    };
    money_with(amount, group, decimal)
}

fn money_with(amount: Money, group: char, decimal: char) -> String {
    let kopecks = amount.kopecks();
    let abs = kopecks.unsigned_abs();
    let roubles = (abs / 100).to_string();
    let mut out = String::with_capacity(roubles.len() + 8);
    if kopecks < 0 {
        out.push('−');
    }
    for (i, digit) in roubles.chars().enumerate() {
        if i > 0 && (roubles.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(digit);
    }
    out.push(decimal);
    out.push_str(&format!("{:02}", abs % 100));
    out.push(NBSP);
    out.push('₽');
    out
}

/// An amount that moved, with its direction: `+12 000,00 ₽`, `−8 400,00 ₽`.
pub fn signed_money(amount: Money) -> String {
    if amount.is_positive() {
        format!("+{}", money(amount))
    } else {
        money(amount)
    }
}

/// A month as a calendar names it: «ноябрь 2026», "November 2026".
pub fn month(m: Month) -> String {
    month_in(lang(), m)
}

fn month_in(lang: Lang, m: Month) -> String {
    const RU: [&str; 12] = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
    };
    let index = usize::try_from(m.month().saturating_sub(1)).unwrap_or(0);
    let name = names.get(index).copied().unwrap_or_default();
    format!("{name} {}", m.year())
}

/// An instant in the reader's time zone: `24.11.2026, 14:05`.
pub fn instant(at: DateTime<Utc>) -> String {
    instant_with_offset(at, local_offset_minutes(at))
}

/// Minutes the browser's clock is ahead of UTC at `at` (daylight saving included).
fn local_offset_minutes(at: DateTime<Utc>) -> i64 {
    // JavaScript's offset is the other way round: minutes UTC is ahead of local time.
    let millis = at.timestamp_millis() as f64;
    -(js_sys::Date::new(&millis.into()).get_timezone_offset() as i64)
}

fn instant_with_offset(at: DateTime<Utc>, offset_minutes: i64) -> String {
    let local = at.naive_utc() + TimeDelta::minutes(offset_minutes);
    format!(
        "{}, {:02}:{:02}",
        date(local.date()),
        local.hour(),
        local.minute()
    )
}

/// A date: `01.09.2026` in Russian, `2026-09-01` in English.
pub fn date(d: NaiveDate) -> String {
    match lang() {
        Lang::Ru => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        Lang::En => format!("{}-{:02}-{:02}", d.year(), d.month(), d.day()),
    }
}

/// Builds `?a=1&b=2` from pairs, leaving out empty values; `""` when nothing is left.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let encoded: Vec<String> = pairs
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{}={}", percent_encode(key), percent_encode(&value)))
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986, as
/// `encodeURIComponent` does. Spaces become `%20`, never `+`, which some decoders keep as is.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roubles_are_grouped_by_thousands() {
        let ru = |k| money_with(Money::from_kopecks(k), NBSP, ',');
        assert_eq!(ru(320_000), "3\u{a0}200,00\u{a0}₽");
        assert_eq!(ru(5), "0,05\u{a0}₽");
        assert_eq!(ru(100_000_000), "1\u{a0}000\u{a0}000,00\u{a0}₽");
        assert_eq!(ru(99_999), "999,99\u{a0}₽");
        assert_eq!(ru(-150_050), "−1\u{a0}500,50\u{a0}₽");
        assert_eq!(
            money_with(Money::from_kopecks(1_250_000), ',', '.'),
            "12,500.00\u{a0}₽"
        );
    }

    #[test]
    fn months_are_named() {
        let november = Month::new(2026, 11).expect("a month");
        assert_eq!(month_in(Lang::Ru, november), "ноябрь 2026");
        assert_eq!(month_in(Lang::En, november), "November 2026");
        let january = Month::new(2027, 1).expect("a month");
        assert_eq!(month_in(Lang::Ru, january), "январь 2027");
    }

    #[test]
    fn instants_are_shown_in_local_time() {
        crate::i18n::set_for_tests(Lang::Ru);
        let at = DateTime::parse_from_rfc3339("2026-11-24T20:05:00Z")
            .expect("an instant")
            .with_timezone(&Utc);
        // Omsk is UTC+6: the evening in UTC is the next morning there.
        assert_eq!(instant_with_offset(at, 360), "25.11.2026, 02:05");
        assert_eq!(instant_with_offset(at, 0), "24.11.2026, 20:05");
    }

    #[test]
    fn query_strings_skip_empty_values_and_encode_the_rest() {
        assert_eq!(query_string([("q", String::new())]), "");
        assert_eq!(
            query_string([
                ("q", "шахматы для детей".to_string()),
                ("age", "9".to_string()),
                ("direction", String::new()),
                ("cursor", "a+b/c=".to_string()),
            ]),
            "?q=%D1%88%D0%B0%D1%85%D0%BC%D0%B0%D1%82%D1%8B%20%D0%B4%D0%BB%D1%8F%20%D0%B4%D0%B5%D1%82%D0%B5%D0%B9&age=9&cursor=a%2Bb%2Fc%3D"
        );
    }
}
