//! Numbers, money and dates as a reader expects them, and query strings for URLs.

use chrono::{Datelike, NaiveDate};
use navigator_api_types::Money;

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
