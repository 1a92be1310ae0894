//! The server's calendar. The server counts days and months in UTC, and the browser's clock may
//! be wrong or far from UTC: at 03:00 on the 1st in Omsk (UTC+6) it is still the last day of the
//! previous month for the server, which would refuse an invoice for a month that has not begun.
//! So "today" is the server's date: every answer of the API carries a `Date` header, and the app
//! keeps how far the browser's clock is from it.

use std::cell::Cell;

use chrono::{DateTime, NaiveDate, Utc};

thread_local! {
    /// Milliseconds the server's clock is ahead of the browser's; `None` before the first answer.
    static SKEW_MILLIS: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Remembers the server's clock from an answer's `Date` header (RFC 7231, e.g.
/// `Wed, 25 Nov 2026 18:05:00 GMT`). A header that does not parse is ignored.
pub fn note_server_date(header: &str) {
    if let Ok(server) = DateTime::parse_from_rfc2822(header) {
        let skew = skew_millis(server.with_timezone(&Utc), browser_now_millis());
        SKEW_MILLIS.with(|cell| cell.set(Some(skew)));
    }
}

/// The server's current instant: the browser's clock corrected by the last `Date` seen.
pub fn server_now() -> DateTime<Utc> {
    let skew = SKEW_MILLIS.with(Cell::get).unwrap_or(0);
    at_millis(browser_now_millis() + skew)
}

/// Today as the server counts it: the date in UTC.
pub fn server_today() -> NaiveDate {
    server_now().date_naive()
}

fn browser_now_millis() -> i64 {
    js_sys::Date::now() as i64
}

/// The `Date` header has whole seconds: a skew under a second is the header's rounding, not a
/// wrong clock, and is taken as none.
fn skew_millis(server: DateTime<Utc>, browser_millis: i64) -> i64 {
    let skew = server.timestamp_millis() - browser_millis;
    if skew.abs() < 1_000 {
        0
    } else {
        skew
    }
}

fn at_millis(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("an instant")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_header_rounding_is_no_skew() {
        let server = utc("2026-11-30T20:00:00Z");
        assert_eq!(skew_millis(server, server.timestamp_millis() + 700), 0);
        assert_eq!(skew_millis(server, server.timestamp_millis() - 999), 0);
    }

    #[test]
    fn a_wrong_browser_clock_is_corrected() {
        let server = utc("2026-11-30T20:00:00Z");
        // The browser is five minutes fast: it is already December there.
        let browser = utc("2026-12-01T00:05:00Z").timestamp_millis();
        let skew = skew_millis(server, browser);
        assert_eq!(at_millis(browser + skew), server);
    }

    #[test]
    fn the_server_day_is_the_utc_day_whatever_the_time_zone() {
        // 03:00 on December 1st in Omsk (UTC+6) is still November 30th for the server.
        let omsk_morning = utc("2026-11-30T21:00:00Z");
        assert_eq!(
            omsk_morning.date_naive(),
            NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date")
        );
        assert_eq!(
            DateTime::parse_from_rfc2822("Mon, 30 Nov 2026 21:00:00 GMT")
                .expect("a Date header")
                .with_timezone(&Utc),
            omsk_morning
        );
    }
}
