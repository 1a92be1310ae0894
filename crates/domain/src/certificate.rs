//! The certificate: one per child, ever. It starts as a certificate of personal accounting (free,
//! budget-funded programs) and switches to financing (programs payable by certificate).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Refusal;
use crate::person;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// Requested online; usable once an operator has checked the documents in person.
    Pending,
    /// Certificate of personal accounting: enrolls in free programs.
    Accounting,
    /// Certificate of personalized financing: has a balance for certified programs.
    Financing,
    Suspended,
    Closed,
}

impl CertificateStatus {
    pub const ALL: [CertificateStatus; 5] = [
        CertificateStatus::Pending,
        CertificateStatus::Accounting,
        CertificateStatus::Financing,
        CertificateStatus::Suspended,
        CertificateStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Pending => "pending",
            CertificateStatus::Accounting => "accounting",
            CertificateStatus::Financing => "financing",
            CertificateStatus::Suspended => "suspended",
            CertificateStatus::Closed => "closed",
        }
    }

    /// Whether the certificate may move to `to`. Suspension resumes to accounting or financing;
    /// a closed certificate is final.
    pub fn can_become(self, to: CertificateStatus) -> bool {
        use CertificateStatus::*;
        matches!(
            (self, to),
            (Pending, Accounting)
                | (Pending, Closed)
                | (Accounting, Financing)
                // A new period without room for it (quota or budget used up).
                | (Financing, Accounting)
                | (Accounting, Suspended)
                | (Financing, Suspended)
                | (Suspended, Accounting)
                | (Suspended, Financing)
                | (Accounting, Closed)
                | (Financing, Closed)
                | (Suspended, Closed)
        )
    }

    pub fn transition(self, to: CertificateStatus) -> Result<CertificateStatus, Refusal> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(Refusal::CertificateTransition {
                from: self.as_str(),
                to: to.as_str(),
            })
        }
    }

    /// Whether the certificate can be used to apply at all.
    pub fn is_usable(self) -> bool {
        matches!(
            self,
            CertificateStatus::Accounting | CertificateStatus::Financing
        )
    }
}

impl fmt::Display for CertificateStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CertificateStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CertificateStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// A certificate is valid until the day before the child's 18th birthday.
pub fn valid_until(birth_date: NaiveDate) -> NaiveDate {
    person::birthday(birth_date, 18)
        .pred_opt()
        .expect("a birthday has a day before it")
}

/// The human-readable number: region code, year of issue and a sequence, e.g. `55-2026-000123`.
pub fn certificate_number(region_code: &str, year: i32, sequence: i64) -> String {
    format!("{region_code}-{year}-{sequence:06}")
}

/// Checks that a certificate can be used for an application on `today`.
pub fn check_usable(
    status: CertificateStatus,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    if !status.is_usable() {
        return Err(Refusal::CertificateNotUsable {
            status: status.as_str(),
        });
    }
    if today > valid_until {
        return Err(Refusal::CertificateExpired { valid_until });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use CertificateStatus::*;

    #[test]
    fn closed_is_final_and_pending_needs_activation() {
        for to in CertificateStatus::ALL {
            assert!(Closed.transition(to).is_err());
        }
        assert!(Pending.transition(Financing).is_err());
        assert_eq!(Pending.transition(Accounting), Ok(Accounting));
        assert_eq!(Accounting.transition(Financing), Ok(Financing));
        assert!(Financing.transition(Pending).is_err());
    }

    #[test]
    fn status_names_round_trip() {
        for s in CertificateStatus::ALL {
            assert_eq!(s.as_str().parse::<CertificateStatus>(), Ok(s));
        }
    }

    #[test]
    fn validity_ends_before_the_18th_birthday() {
        let born = NaiveDate::from_ymd_opt(2015, 3, 10).unwrap();
        assert_eq!(
            valid_until(born),
            NaiveDate::from_ymd_opt(2033, 3, 9).unwrap()
        );
        assert!(check_usable(Accounting, valid_until(born), valid_until(born)).is_ok());
        assert!(matches!(
            check_usable(
                Accounting,
                valid_until(born),
                NaiveDate::from_ymd_opt(2033, 3, 10).unwrap()
            ),
            Err(Refusal::CertificateExpired { .. })
        ));
        assert_eq!(certificate_number("55", 2026, 123), "55-2026-000123");
    }
}
