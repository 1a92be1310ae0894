//! The application (заявка) and the enrollment it becomes: its lifecycle and the checks on applying.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::certificate::{self, CertificateStatus};
use crate::error::Refusal;
use crate::person;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Filed by the family (or for it); seat not yet held.
    Submitted,
    /// Accepted by the provider: contract formed, seat taken, money reserved.
    Accepted,
    /// Refused by the provider, with a reason.
    Rejected,
    /// Taken back by the family before the provider decided.
    Withdrawn,
    /// The contract ran to its end.
    Completed,
    /// Ended early, on the family's request or the provider's decision.
    Expelled,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 6] = [
        ApplicationStatus::Submitted,
        ApplicationStatus::Accepted,
        ApplicationStatus::Rejected,
        ApplicationStatus::Withdrawn,
        ApplicationStatus::Completed,
        ApplicationStatus::Expelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::Accepted => "accepted",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Withdrawn => "withdrawn",
            ApplicationStatus::Completed => "completed",
            ApplicationStatus::Expelled => "expelled",
        }
    }

    pub fn can_become(self, to: ApplicationStatus) -> bool {
        use ApplicationStatus::*;
        matches!(
            (self, to),
            (Submitted, Accepted)
                | (Submitted, Rejected)
                | (Submitted, Withdrawn)
                | (Accepted, Completed)
                | (Accepted, Expelled)
        )
    }

    pub fn transition(self, to: ApplicationStatus) -> Result<ApplicationStatus, Refusal> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(Refusal::ApplicationTransition {
                from: self.as_str(),
                to: to.as_str(),
            })
        }
    }

    /// Holds a seat in the group (and so counts against its capacity).
    pub fn holds_seat(self) -> bool {
        matches!(self, ApplicationStatus::Accepted)
    }

    /// Holds a seat of its group, for an application filed from a waitlist offer (`from_offer`)
    /// or not: an accepted enrollment does; a submitted application filed from an offer holds the
    /// offer's seat until the provider decides, so that nobody else's acceptance takes it.
    pub fn holds_seat_for(self, from_offer: bool) -> bool {
        self.holds_seat() || (from_offer && self == ApplicationStatus::Submitted)
    }

    /// Still alive: a child cannot have two live applications to the same group.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Submitted | ApplicationStatus::Accepted
        )
    }

    pub fn is_final(self) -> bool {
        !self.is_live()
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApplicationStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApplicationStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// Why an accepted enrollment ended early.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    FamilyRequest,
    ProviderDecision,
    CertificateClosed,
    /// The financing period ended; the contract was for that period.
    PeriodEnded,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::FamilyRequest => "family_request",
            EndReason::ProviderDecision => "provider_decision",
            EndReason::CertificateClosed => "certificate_closed",
            EndReason::PeriodEnded => "period_ended",
        }
    }
}

/// The enrollment window and mode of a municipality's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrollmentWindow {
    pub opens: NaiveDate,
    pub closes: NaiveDate,
    pub test_mode: bool,
}

impl EnrollmentWindow {
    pub fn check(&self, today: NaiveDate) -> Result<(), Refusal> {
        if self.test_mode {
            return Err(Refusal::TestMode);
        }
        if today < self.opens || today > self.closes {
            return Err(Refusal::EnrollmentClosed {
                opens: self.opens,
                closes: self.closes,
            });
        }
        Ok(())
    }
}

/// Everything the rules need to know to accept a new application.
#[derive(Debug, Clone)]
pub struct ApplicationFacts {
    pub today: NaiveDate,
    pub window: EnrollmentWindow,
    pub program_published: bool,
    pub group_open: bool,
    pub group_end: NaiveDate,
    pub seats_left: i64,
    pub age_from: u32,
    pub age_to: u32,
    pub child_birth_date: NaiveDate,
    pub already_applied: bool,
    pub certificate_status: CertificateStatus,
    pub certificate_valid_until: NaiveDate,
    pub same_municipality: bool,
}

/// The checks on applying, in the order a family would want to hear about them.
pub fn check_application(f: &ApplicationFacts) -> Result<(), Refusal> {
    certificate::check_usable(f.certificate_status, f.certificate_valid_until, f.today)?;
    f.window.check(f.today)?;
    if !f.same_municipality {
        return Err(Refusal::OtherMunicipality);
    }
    if !f.program_published {
        return Err(Refusal::ProgramNotPublished);
    }
    if !f.group_open || f.group_end < f.today {
        return Err(Refusal::GroupNotOpen);
    }
    if f.seats_left <= 0 {
        return Err(Refusal::NoSeats);
    }
    let age = person::age_on(f.child_birth_date, f.today);
    if age < f.age_from || age > f.age_to {
        return Err(Refusal::AgeMismatch {
            age,
            age_from: f.age_from,
            age_to: f.age_to,
        });
    }
    if f.already_applied {
        return Err(Refusal::AlreadyEnrolled);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facts() -> ApplicationFacts {
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
            seats_left: 3,
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
    fn lifecycle_refuses_illegal_moves() {
        for from in ApplicationStatus::ALL {
            for to in ApplicationStatus::ALL {
                let ok = from.transition(to).is_ok();
                let expected = matches!(
                    (from, to),
                    (Submitted, Accepted | Rejected | Withdrawn) | (Accepted, Completed | Expelled)
                );
                assert_eq!(ok, expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn an_application_from_an_offer_holds_its_seat_until_decided() {
        for status in ApplicationStatus::ALL {
            assert_eq!(status.holds_seat_for(false), status == Accepted, "{status}");
            assert_eq!(
                status.holds_seat_for(true),
                matches!(status, Submitted | Accepted),
                "{status} from an offer"
            );
        }
    }

    #[test]
    fn a_fitting_application_passes() {
        assert_eq!(check_application(&facts()), Ok(()));
    }

    #[test]
    fn each_check_refuses_with_its_reason() {
        type Change = Box<dyn Fn(&mut ApplicationFacts)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|f| f.window.test_mode = true), "test_mode"),
            (Box::new(|f| f.today = d(2027, 6, 1)), "enrollment_closed"),
            (
                Box::new(|f| f.program_published = false),
                "program_not_published",
            ),
            (Box::new(|f| f.group_open = false), "group_not_open"),
            (Box::new(|f| f.seats_left = 0), "no_seats"),
            (Box::new(|f| f.age_from = 11), "age_mismatch"),
            (Box::new(|f| f.already_applied = true), "already_enrolled"),
            (
                Box::new(|f| f.certificate_status = CertificateStatus::Pending),
                "certificate_not_usable",
            ),
            (
                Box::new(|f| f.certificate_valid_until = d(2026, 1, 1)),
                "certificate_expired",
            ),
            (
                Box::new(|f| f.same_municipality = false),
                "other_municipality",
            ),
        ];
        for (change, code) in cases {
            let mut f = facts();
            change(&mut f);
            assert_eq!(check_application(&f).map_err(|r| r.code()), Err(code));
        }
    }
}
