//! A simple in-memory throttle of failed sign-ins, per email and per client address, against
//! password guessing. Per process: with several server processes each counts on its own, which
//! still bounds guessing to a small multiple of the limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Failures allowed per email within the window.
const EMAIL_LIMIT: u32 = 10;
/// Failures allowed per client address within the window; higher than per email because many
/// families may share one address behind a carrier's NAT.
const ADDRESS_LIMIT: u32 = 50;
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Beyond this many tracked keys, expired ones are dropped on the next failure.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Email(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    /// The first failure of the window; the window ends `WINDOW` after it.
    since: Instant,
}

#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<Key, Failures>>,
}

impl SignInThrottle {
    /// `Err(wait)` when the email or the address has failed too often lately.
    pub fn check(
        &self,
        email: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Result<(), Duration> {
        let failures = self.lock();
        let wait = keys(email, address)
            .filter_map(|(key, limit)| {
                let entry = failures.get(&key)?;
                let ends = entry.since + WINDOW;
                (entry.count >= limit && ends > now).then(|| ends - now)
            })
            .max();
        match wait {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, email: &str, address: Option<IpAddr>, now: Instant) {
        let mut failures = self.lock();
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, entry| entry.since + WINDOW > now);
        }
        for (key, _) in keys(email, address) {
            let entry = failures.entry(key).or_insert(Failures {
                count: 0,
                since: now,
            });
            if entry.since + WINDOW <= now {
                *entry = Failures {
                    count: 0,
                    since: now,
                };
            }
            entry.count = entry.count.saturating_add(1);
        }
    }

    /// A successful sign-in forgets the email's failures (not the address's: one right password
    /// must not reset the count of an address guessing many accounts).
    pub fn record_success(&self, email: &str) {
        self.lock().remove(&Key::Email(normalize(email)));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        // The map holds plain counters that no panic can leave half-updated.
        self.failures.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn normalize(email: &str) -> String {
    email.trim().to_lowercase()
}

fn keys(email: &str, address: Option<IpAddr>) -> impl Iterator<Item = (Key, u32)> {
    std::iter::once((Key::Email(normalize(email)), EMAIL_LIMIT))
        .chain(address.map(|a| (Key::Address(a), ADDRESS_LIMIT)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRESS: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    #[test]
    fn an_email_is_blocked_after_the_limit_until_the_window_ends() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..EMAIL_LIMIT {
            assert!(throttle.check("Parent@Example.ru", ADDRESS, start).is_ok());
            throttle.record_failure("parent@example.ru ", ADDRESS, start);
        }
        let wait = throttle
            .check(
                "parent@example.ru",
                ADDRESS,
                start + Duration::from_secs(60),
            )
            .expect_err("blocked");
        assert_eq!(wait, WINDOW - Duration::from_secs(60));
        assert!(throttle.check("other@example.ru", ADDRESS, start).is_ok());
        assert!(throttle
            .check("parent@example.ru", ADDRESS, start + WINDOW)
            .is_ok());
    }

    #[test]
    fn success_clears_the_email_but_not_the_address() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..ADDRESS_LIMIT {
            throttle.record_failure(&format!("guess{i}@example.ru"), ADDRESS, now);
        }
        throttle.record_success("guess0@example.ru");
        assert!(throttle.check("guess0@example.ru", None, now).is_ok());
        assert!(throttle.check("guess0@example.ru", ADDRESS, now).is_err());
    }
}
