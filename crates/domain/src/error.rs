//! Refusals: why the rules say no. Each has a stable machine-readable code that the API returns in
//! `problem+json` and the SPA translates; the codes never change once published.

/// A rule of the domain that an action breaks. The message is English for logs and third-party
/// developers; user interfaces translate by [`Refusal::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the child already has a certificate")]
    CertificateExists,
    #[error("this SNILS already belongs to a child with a certificate")]
    SnilsTaken,
    #[error("the certificate is {status} and cannot be used for this")]
    CertificateNotUsable { status: &'static str },
    #[error("the certificate expired on {valid_until}")]
    CertificateExpired { valid_until: chrono::NaiveDate },
    #[error("a certificate cannot go from {from} to {to}")]
    CertificateTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error("the municipality's quota of financing certificates for the period is used up")]
    QuotaExhausted,
    #[error("the municipality's budget for the period is used up")]
    BudgetExhausted,
    #[error("there is no financing period of the municipality open on this date")]
    NoOpenPeriod,
    #[error("enrollment is closed: the window runs from {opens} to {closes}")]
    EnrollmentClosed {
        opens: chrono::NaiveDate,
        closes: chrono::NaiveDate,
    },
    #[error(
        "the period is in test mode: the catalog is visible but applications are not accepted"
    )]
    TestMode,
    #[error("the program is not published")]
    ProgramNotPublished,
    #[error("the group is not open for applications")]
    GroupNotOpen,
    #[error("the group has no free seats")]
    NoSeats,
    #[error("the program is for ages {age_from} to {age_to}; the child is {age}")]
    AgeMismatch {
        age: u32,
        age_from: u32,
        age_to: u32,
    },
    #[error("the child already has an application to this group")]
    AlreadyEnrolled,
    #[error(
        "another municipality: the request names a municipality that it may not act in (the \
         child's certificate's for an application, the operator's own for a registration)"
    )]
    OtherMunicipality,
    #[error("an application cannot go from {from} to {to}")]
    ApplicationTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error("nothing is left to pay: the group has no months left in the period")]
    NothingToReserve,
    #[error("the month {month} is already invoiced")]
    MonthAlreadyInvoiced { month: String },
    #[error("the month {month} is outside the contract")]
    MonthOutsideContract { month: String },
    #[error("the month {month} has not started yet")]
    MonthNotStarted { month: String },
    #[error("the child has no certificate yet")]
    NoCertificate,
    #[error("the enrollment is not active")]
    EnrollmentNotActive,
    #[error("a program that is {from} cannot be {action}ed")]
    ProgramTransition {
        from: &'static str,
        action: &'static str,
    },
    #[error("only a draft can be edited; archive the program and write a new one")]
    ProgramNotEditable,
    #[error("the certificate is still financed by a period that ended; the operator's rollover to the new period comes first")]
    RolloverPending,
    #[error("no lesson was attended in {month}: the invoice needs the provider's reason")]
    NoAttendanceReasonRequired { month: String },
    #[error("the invoice is {status} and cannot be {action}")]
    InvoiceTransition {
        status: &'static str,
        action: &'static str,
    },
    #[error("the lesson date is outside the group's dates")]
    LessonOutsideGroup,
    #[error("attendance can be marked only for an active enrollment")]
    AttendanceNotAllowed,
    #[error("the certificate's balance is not enough")]
    InsufficientBalance,
    #[error("only a family whose child attends or attended the program can review it")]
    ReviewNotAllowed,
    #[error("the child has already reviewed this program")]
    ReviewExists,
    #[error("the provider has already answered this review")]
    ReviewAlreadyAnswered,
    #[error("the group has free seats: apply instead of queueing")]
    SeatsAvailable,
    #[error("the child is already in this group's waitlist")]
    AlreadyQueued,
    #[error("a waitlist entry cannot go from {from} to {to}")]
    WaitlistTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error("the offer expired at {at}; the seat passes to the next in line")]
    OfferExpired { at: chrono::DateTime<chrono::Utc> },
    #[error(
        "an application is filed for a family only with its consent, given on or before today"
    )]
    ConsentInvalid,
}

impl Refusal {
    /// The stable snake_case code of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::CertificateExists => "certificate_exists",
            Refusal::SnilsTaken => "snils_taken",
            Refusal::CertificateNotUsable { .. } => "certificate_not_usable",
            Refusal::CertificateExpired { .. } => "certificate_expired",
            Refusal::CertificateTransition { .. } => "certificate_transition_not_allowed",
            Refusal::QuotaExhausted => "quota_exhausted",
            Refusal::BudgetExhausted => "budget_exhausted",
            Refusal::NoOpenPeriod => "no_open_period",
            Refusal::EnrollmentClosed { .. } => "enrollment_closed",
            Refusal::TestMode => "test_mode",
            Refusal::ProgramNotPublished => "program_not_published",
            Refusal::GroupNotOpen => "group_not_open",
            Refusal::NoSeats => "no_seats",
            Refusal::AgeMismatch { .. } => "age_mismatch",
            Refusal::AlreadyEnrolled => "already_enrolled",
            Refusal::OtherMunicipality => "other_municipality",
            Refusal::ApplicationTransition { .. } => "application_transition_not_allowed",
            Refusal::NothingToReserve => "nothing_to_reserve",
            Refusal::MonthAlreadyInvoiced { .. } => "month_already_invoiced",
            Refusal::MonthOutsideContract { .. } => "month_outside_contract",
            Refusal::MonthNotStarted { .. } => "month_not_started",
            Refusal::NoCertificate => "no_certificate",
            Refusal::EnrollmentNotActive => "enrollment_not_active",
            Refusal::RolloverPending => "rollover_pending",
            Refusal::ProgramTransition { .. } => "program_transition_not_allowed",
            Refusal::ProgramNotEditable => "program_not_editable",
            Refusal::NoAttendanceReasonRequired { .. } => "no_attendance_reason_required",
            Refusal::InvoiceTransition { .. } => "invoice_transition_not_allowed",
            Refusal::LessonOutsideGroup => "lesson_outside_group",
            Refusal::AttendanceNotAllowed => "attendance_not_allowed",
            Refusal::InsufficientBalance => "insufficient_balance",
            Refusal::ReviewNotAllowed => "review_not_allowed",
            Refusal::ReviewExists => "review_exists",
            Refusal::ReviewAlreadyAnswered => "review_already_answered",
            Refusal::SeatsAvailable => "seats_available",
            Refusal::AlreadyQueued => "already_queued",
            Refusal::WaitlistTransition { .. } => "waitlist_transition_not_allowed",
            Refusal::OfferExpired { .. } => "offer_expired",
            Refusal::ConsentInvalid => "consent_invalid",
        }
    }

    /// Whether the refusal is about the current state of things (HTTP 409) rather than a rule the
    /// request itself breaks (HTTP 422).
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            Refusal::CertificateExists
                | Refusal::SnilsTaken
                | Refusal::CertificateTransition { .. }
                | Refusal::ApplicationTransition { .. }
                | Refusal::InvoiceTransition { .. }
                | Refusal::ProgramTransition { .. }
                | Refusal::ProgramNotEditable
                | Refusal::MonthAlreadyInvoiced { .. }
                | Refusal::AlreadyEnrolled
                | Refusal::NoSeats
                | Refusal::ReviewExists
                | Refusal::ReviewAlreadyAnswered
                | Refusal::SeatsAvailable
                | Refusal::AlreadyQueued
                | Refusal::WaitlistTransition { .. }
                | Refusal::OfferExpired { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_distinct() {
        let all = [
            Refusal::CertificateExists,
            Refusal::SnilsTaken,
            Refusal::QuotaExhausted,
            Refusal::BudgetExhausted,
            Refusal::TestMode,
            Refusal::NoSeats,
            Refusal::AlreadyEnrolled,
            Refusal::InsufficientBalance,
            Refusal::NoOpenPeriod,
            Refusal::ReviewNotAllowed,
            Refusal::ReviewExists,
            Refusal::ReviewAlreadyAnswered,
            Refusal::SeatsAvailable,
            Refusal::AlreadyQueued,
            Refusal::ConsentInvalid,
        ];
        let mut codes: Vec<_> = all.iter().map(Refusal::code).collect();
        assert!(codes
            .iter()
            .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
