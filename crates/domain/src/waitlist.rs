//! The waitlist (лист ожидания) of a full group: children queue in order of arrival; when a seat
//! frees, the first in line gets an offer that holds the seat for a set time; the family takes it
//! by applying, declines it, or lets it expire, and the seat passes to the next in line.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::application::{check_application, ApplicationFacts};
use crate::error::Refusal;

/// How long an offer holds its seat unless the settings say otherwise.
pub const DEFAULT_OFFER_LIFETIME: Duration = Duration::hours(48);

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitlistStatus {
    /// In the queue.
    Waiting,
    /// Offered a seat, held until the offer expires.
    Offered,
    /// The family took the offer: an application was filed on the held seat.
    Taken,
    /// The family declined the offer.
    Declined,
    /// The offer ran out before the family took it.
    Expired,
    /// The family left the queue.
    Left,
    /// The child can no longer take a seat (the certificate closed).
    Cancelled,
}

impl WaitlistStatus {
    pub const ALL: [WaitlistStatus; 7] = [
        WaitlistStatus::Waiting,
        WaitlistStatus::Offered,
        WaitlistStatus::Taken,
        WaitlistStatus::Declined,
        WaitlistStatus::Expired,
        WaitlistStatus::Left,
        WaitlistStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WaitlistStatus::Waiting => "waiting",
            WaitlistStatus::Offered => "offered",
            WaitlistStatus::Taken => "taken",
            WaitlistStatus::Declined => "declined",
            WaitlistStatus::Expired => "expired",
            WaitlistStatus::Left => "left",
            WaitlistStatus::Cancelled => "cancelled",
        }
    }

    /// Still in line or holding an offer: one such entry per child and group.
    pub fn is_live(self) -> bool {
        matches!(self, WaitlistStatus::Waiting | WaitlistStatus::Offered)
    }

    /// Holds one of the group's seats.
    pub fn holds_seat(self) -> bool {
        self == WaitlistStatus::Offered
    }

    pub fn can_become(self, to: WaitlistStatus) -> bool {
        use WaitlistStatus::*;
        matches!(
            (self, to),
            (Waiting, Offered | Left | Cancelled)
                | (Offered, Taken | Declined | Expired | Left | Cancelled)
        )
    }

    pub fn transition(self, to: WaitlistStatus) -> Result<WaitlistStatus, Refusal> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(Refusal::WaitlistTransition {
                from: self.as_str(),
                to: to.as_str(),
            })
        }
    }
}

impl fmt::Display for WaitlistStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WaitlistStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WaitlistStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// The checks on queueing: those of applying, except that the group must be full (a group with a
/// free seat takes an application instead) and the child not queued already.
pub fn check_joining(facts: &ApplicationFacts, already_queued: bool) -> Result<(), Refusal> {
    let seats_left = facts.seats_left;
    check_application(&ApplicationFacts {
        // Every other check as for applying; the seats are judged the other way round below.
        seats_left: 1,
        ..facts.clone()
    })?;
    if already_queued {
        return Err(Refusal::AlreadyQueued);
    }
    if seats_left > 0 {
        return Err(Refusal::SeatsAvailable);
    }
    Ok(())
}

/// The checks on taking an offer: it is still open (an offer past its time cannot be taken even
/// if the sweep has not run yet), and the child may apply as anyone may, on the seat the offer
/// holds.
pub fn check_taking(
    facts: &ApplicationFacts,
    status: WaitlistStatus,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    status.transition(WaitlistStatus::Taken)?;
    check_offer_open(expires_at, now)?;
    check_application(&ApplicationFacts {
        // The offer's own seat.
        seats_left: 1,
        ..facts.clone()
    })
}

/// An offer is open until the instant it expires, excluded.
pub fn check_offer_open(
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    match expires_at {
        Some(at) if now < at => Ok(()),
        Some(at) => Err(Refusal::OfferExpired { at }),
        None => Err(Refusal::WaitlistTransition {
            from: WaitlistStatus::Waiting.as_str(),
            to: WaitlistStatus::Taken.as_str(),
        }),
    }
}

/// Whether an offer is past its time at `now` (the sweep's test, the negation of
/// [`check_offer_open`]).
pub fn offer_expired(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= expires_at
}

/// When an offer made at `now` stops holding its seat.
pub fn offer_expires_at(now: DateTime<Utc>, lifetime: Duration) -> DateTime<Utc> {
    now + lifetime
}

/// Who gets the next offers: the first `free_seats` of the waiting entries, given in queue order
/// (the order they joined). A group with no free seat offers nothing.
pub fn next_offers<T: Copy>(free_seats: i64, waiting_in_order: &[T]) -> Vec<T> {
    let n = usize::try_from(free_seats.max(0)).unwrap_or(usize::MAX);
    waiting_in_order.iter().take(n).copied().collect()
}

/// The 1-based places of live entries in a queue given in order: an offered entry is at the head
/// of the line with the other offers, the waiting ones follow in the order they joined.
pub fn positions<T: Copy>(live_in_order: &[(T, WaitlistStatus)]) -> Vec<(T, u32)> {
    let offered = live_in_order
        .iter()
        .filter(|(_, s)| *s == WaitlistStatus::Offered);
    let waiting = live_in_order
        .iter()
        .filter(|(_, s)| *s == WaitlistStatus::Waiting);
    offered
        .chain(waiting)
        .zip(1u32..)
        .map(|((id, _), place)| (*id, place))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::EnrollmentWindow;
    use crate::certificate::CertificateStatus;
    use chrono::{NaiveDate, TimeZone};
    use WaitlistStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn full_group() -> ApplicationFacts {
        ApplicationFacts {
            today: d(2026, 11, 24),
            window: EnrollmentWindow {
                opens: d(2026, 8, 15),
                closes: d(2027, 5, 31),
                test_mode: false,
            },
            program_published: true,
            group_open: true,
            group_end: d(2027, 5, 31),
            seats_left: 0,
            age_from: 7,
            age_to: 12,
            child_birth_date: d(2016, 4, 1),
            already_applied: false,
            certificate_status: CertificateStatus::Accounting,
            certificate_valid_until: d(2034, 3, 31),
            same_municipality: true,
        }
    }

    #[test]
    fn the_lifecycle_refuses_illegal_moves() {
        for from in WaitlistStatus::ALL {
            for to in WaitlistStatus::ALL {
                let expected = matches!(
                    (from, to),
                    (Waiting, Offered | Left | Cancelled)
                        | (Offered, Taken | Declined | Expired | Left | Cancelled)
                );
                assert_eq!(from.transition(to).is_ok(), expected, "{from} -> {to}");
            }
        }
        assert!(Offered.holds_seat() && !Waiting.holds_seat() && !Taken.holds_seat());
        assert!(Waiting.is_live() && Offered.is_live() && !Expired.is_live());
    }

    #[test]
    fn a_child_queues_only_for_a_full_group() {
        assert_eq!(check_joining(&full_group(), false), Ok(()));
        let free = ApplicationFacts {
            seats_left: 2,
            ..full_group()
        };
        assert_eq!(check_joining(&free, false), Err(Refusal::SeatsAvailable));
        assert_eq!(
            check_joining(&full_group(), true),
            Err(Refusal::AlreadyQueued)
        );
    }

    #[test]
    fn queueing_checks_the_rest_as_applying_does() {
        let too_young = ApplicationFacts {
            age_from: 11,
            ..full_group()
        };
        assert_eq!(
            check_joining(&too_young, false).map_err(|r| r.code()),
            Err("age_mismatch")
        );
        let enrolled = ApplicationFacts {
            already_applied: true,
            ..full_group()
        };
        assert_eq!(
            check_joining(&enrolled, false),
            Err(Refusal::AlreadyEnrolled)
        );
        let pending = ApplicationFacts {
            certificate_status: CertificateStatus::Pending,
            ..full_group()
        };
        assert_eq!(
            check_joining(&pending, false).map_err(|r| r.code()),
            Err("certificate_not_usable")
        );
    }

    #[test]
    fn an_offer_is_taken_before_it_expires_and_not_at_or_after() {
        let made = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        let expires = offer_expires_at(made, DEFAULT_OFFER_LIFETIME);
        assert_eq!(
            expires,
            Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap()
        );
        let just_before = expires - Duration::seconds(1);
        assert_eq!(
            check_taking(&full_group(), Offered, Some(expires), just_before),
            Ok(())
        );
        assert_eq!(
            check_taking(&full_group(), Offered, Some(expires), expires),
            Err(Refusal::OfferExpired { at: expires })
        );
        assert!(offer_expired(expires, expires) && !offer_expired(expires, just_before));
        assert_eq!(
            check_taking(&full_group(), Waiting, None, made).map_err(|r| r.code()),
            Err("waitlist_transition_not_allowed")
        );
        assert_eq!(
            check_taking(&full_group(), Declined, Some(expires), made).map_err(|r| r.code()),
            Err("waitlist_transition_not_allowed")
        );
    }

    #[test]
    fn the_first_in_line_get_the_free_seats() {
        assert_eq!(next_offers(0, &[1, 2, 3]), Vec::<i32>::new());
        assert_eq!(next_offers(-1, &[1, 2, 3]), Vec::<i32>::new());
        assert_eq!(next_offers(1, &[1, 2, 3]), vec![1]);
        assert_eq!(next_offers(2, &[1, 2, 3]), vec![1, 2]);
        assert_eq!(next_offers(5, &[1, 2, 3]), vec![1, 2, 3]);
    }

    #[test]
    fn offers_head_the_line_and_the_waiting_follow_in_order() {
        let queue = [('a', Waiting), ('b', Offered), ('c', Waiting)];
        assert_eq!(positions(&queue), vec![('b', 1), ('a', 2), ('c', 3)]);
        assert!(positions::<char>(&[]).is_empty());
    }
}
