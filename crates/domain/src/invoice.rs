//! Invoices: when one month of an accepted enrollment's contract may be billed. The provider
//! invoices a month once it has started, with the attendance it marked; a month in which the child
//! attended no lesson is billed only with the provider's reason for it, which the municipal
//! operator weighs before approving. One invoice at a time and by the monthly billing run follow
//! the same rules.

use chrono::NaiveDate;

use crate::{Month, Refusal};

/// The lessons of one month of an enrollment, as the provider marked them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthAttendance {
    /// Lessons marked, present or absent.
    pub marked: i64,
    /// Lessons the child attended.
    pub attended: i64,
}

/// A month can be invoiced from its first day on, never ahead.
pub fn check_month_started(month: Month, today: NaiveDate) -> Result<(), Refusal> {
    if month.first_day() > today {
        return Err(Refusal::MonthNotStarted {
            month: month.to_string(),
        });
    }
    Ok(())
}

/// The reason to record on a month's invoice: none when the child attended a lesson, the
/// provider's reason (trimmed) when it attended none, and a refusal when it attended none and the
/// provider gave no reason (a blank one counts as none).
pub fn no_attendance_reason(
    month: Month,
    attendance: MonthAttendance,
    reason: Option<&str>,
) -> Result<Option<&str>, Refusal> {
    if attendance.attended > 0 {
        return Ok(None);
    }
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => Ok(Some(reason)),
        None => Err(Refusal::NoAttendanceReasonRequired {
            month: month.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month() -> Month {
        Month::of(NaiveDate::from_ymd_opt(2026, 10, 1).expect("a date"))
    }

    #[test]
    fn a_month_is_invoiced_from_its_first_day() {
        let first = month().first_day();
        assert!(check_month_started(month(), first).is_ok());
        assert!(check_month_started(month(), month().last_day()).is_ok());
        let eve = first.pred_opt().expect("a date");
        assert_eq!(
            check_month_started(month(), eve).unwrap_err().code(),
            "month_not_started"
        );
    }

    #[test]
    fn a_month_without_lessons_needs_a_reason() {
        let none = MonthAttendance {
            marked: 4,
            attended: 0,
        };
        let some = MonthAttendance {
            marked: 4,
            attended: 1,
        };
        assert_eq!(no_attendance_reason(month(), some, Some("болел")), Ok(None));
        assert_eq!(no_attendance_reason(month(), some, None), Ok(None));
        assert_eq!(
            no_attendance_reason(month(), none, Some("  карантин ")),
            Ok(Some("карантин"))
        );
        for blank in [None, Some(""), Some("   ")] {
            assert_eq!(
                no_attendance_reason(month(), none, blank)
                    .unwrap_err()
                    .code(),
                "no_attendance_reason_required"
            );
        }
        // Nothing marked at all is no lesson attended either.
        assert!(no_attendance_reason(month(), MonthAttendance::default(), None).is_err());
    }
}
