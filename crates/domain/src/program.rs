//! A program's way through the registry: written by its provider, checked by an operator,
//! published in the catalog, archived when it ends.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Refusal;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgramStatus {
    /// Being written by the provider; returned here with remarks after moderation.
    Draft,
    /// Sent to the operator for checking.
    OnModeration,
    /// In the public catalog; open for applications.
    Published,
    /// Out of the catalog for good.
    Archived,
}

/// What someone does to a program's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProgramAction {
    /// The provider sends a draft for moderation.
    Submit,
    /// The operator publishes a program on moderation.
    Publish,
    /// The operator returns a program on moderation to its provider, with remarks.
    Return,
    /// The provider or an operator takes a program out of the catalog for good.
    Archive,
}

impl ProgramAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramAction::Submit => "submit",
            ProgramAction::Publish => "publish",
            ProgramAction::Return => "return",
            ProgramAction::Archive => "archive",
        }
    }
}

impl ProgramStatus {
    pub const ALL: &'static [ProgramStatus] = &[
        ProgramStatus::Draft,
        ProgramStatus::OnModeration,
        ProgramStatus::Published,
        ProgramStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProgramStatus::Draft => "draft",
            ProgramStatus::OnModeration => "on_moderation",
            ProgramStatus::Published => "published",
            ProgramStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<ProgramStatus> {
        ProgramStatus::ALL.iter().copied().find(|p| p.as_str() == s)
    }

    /// The status after `action`, or why not.
    pub fn after(self, action: ProgramAction) -> Result<ProgramStatus, Refusal> {
        use ProgramAction::*;
        use ProgramStatus::*;
        match (self, action) {
            (Draft, Submit) => Ok(OnModeration),
            (OnModeration, Publish) => Ok(Published),
            (OnModeration, Return) => Ok(Draft),
            (Draft | OnModeration | Published, Archive) => Ok(Archived),
            _ => Err(Refusal::ProgramTransition {
                from: self.as_str(),
                action: action.as_str(),
            }),
        }
    }

    /// Only a draft is edited: a published program's terms are what families applied for.
    pub fn is_editable(self) -> bool {
        self == ProgramStatus::Draft
    }
}

impl fmt::Display for ProgramStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an edit of a group would change that its holdings constrain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupEdit {
    pub old_start: chrono::NaiveDate,
    pub old_end: chrono::NaiveDate,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
    pub capacity: i64,
    /// Seats of accepted enrollments and seats held by waitlist offers.
    pub seats_taken: i64,
    /// Enrollments ever accepted in the group (active, completed or expelled): their contracts,
    /// reservations and invoices were computed from the group's dates.
    pub contracts: i64,
}

/// Why an edit of a group is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GroupEditRefusal {
    #[error("a group runs forward in time: its end comes on or after its start")]
    DatesOutOfOrder,
    #[error(
        "the capacity cannot go below the {taken} seats taken by enrollments and waitlist offers"
    )]
    CapacityBelowSeatsTaken { taken: i64 },
    #[error(
        "the group's dates are in the contracts of its accepted enrollments and cannot change; \
         open a new group for other dates"
    )]
    DatesLocked,
}

impl GroupEditRefusal {
    pub fn code(self) -> &'static str {
        match self {
            GroupEditRefusal::DatesOutOfOrder => "invalid_group",
            GroupEditRefusal::CapacityBelowSeatsTaken { .. } => "capacity_below_seats_taken",
            GroupEditRefusal::DatesLocked => "group_dates_locked",
        }
    }
}

/// The rules of editing a group: seats are never overbooked, so the capacity stays at or above
/// the seats taken (offers held for the waitlist count); the dates are part of every accepted
/// enrollment's contract (its months, reservation and invoices), so they change only while no
/// enrollment was ever accepted. Name, schedule, teacher and openness change freely.
pub fn check_group_edit(edit: &GroupEdit) -> Result<(), GroupEditRefusal> {
    if edit.start > edit.end {
        return Err(GroupEditRefusal::DatesOutOfOrder);
    }
    if edit.capacity < edit.seats_taken {
        return Err(GroupEditRefusal::CapacityBelowSeatsTaken {
            taken: edit.seats_taken,
        });
    }
    let dates_change = edit.start != edit.old_start || edit.end != edit.old_end;
    if dates_change && edit.contracts > 0 {
        return Err(GroupEditRefusal::DatesLocked);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProgramAction::*;
    use ProgramStatus::*;

    #[test]
    fn the_registry_workflow() {
        assert_eq!(Draft.after(Submit), Ok(OnModeration));
        assert_eq!(OnModeration.after(Publish), Ok(Published));
        assert_eq!(OnModeration.after(Return), Ok(Draft));
        assert_eq!(Published.after(Archive), Ok(Archived));
        for action in [Submit, Publish, Return, Archive] {
            assert!(Archived.after(action).is_err(), "archived is final");
        }
        assert!(
            Draft.after(Publish).is_err(),
            "nothing is published unchecked"
        );
        assert!(Published.after(Submit).is_err());
        assert!(Draft.is_editable() && !Published.is_editable());
        for s in ProgramStatus::ALL {
            assert_eq!(ProgramStatus::parse(s.as_str()), Some(*s));
        }
    }

    fn day(d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 9, d).unwrap_or_default()
    }

    fn edit() -> GroupEdit {
        GroupEdit {
            old_start: day(1),
            old_end: day(30),
            start: day(1),
            end: day(30),
            capacity: 10,
            seats_taken: 4,
            contracts: 3,
        }
    }

    #[test]
    fn a_group_keeps_its_taken_seats_and_its_contracts_dates() {
        assert_eq!(check_group_edit(&edit()), Ok(()));
        // Down to the seats taken, not below.
        let to_taken = GroupEdit {
            capacity: 4,
            ..edit()
        };
        assert_eq!(check_group_edit(&to_taken), Ok(()));
        let below = GroupEdit {
            capacity: 3,
            ..edit()
        };
        assert_eq!(
            check_group_edit(&below),
            Err(GroupEditRefusal::CapacityBelowSeatsTaken { taken: 4 })
        );
        // Dates are in the contracts once an enrollment was accepted.
        let later = GroupEdit {
            end: day(29),
            ..edit()
        };
        assert_eq!(check_group_edit(&later), Err(GroupEditRefusal::DatesLocked));
        let earlier = GroupEdit {
            start: day(2),
            ..edit()
        };
        assert_eq!(
            check_group_edit(&earlier),
            Err(GroupEditRefusal::DatesLocked)
        );
        let no_contracts = GroupEdit {
            contracts: 0,
            start: day(2),
            ..edit()
        };
        assert_eq!(check_group_edit(&no_contracts), Ok(()));
        let backwards = GroupEdit {
            contracts: 0,
            start: day(30),
            end: day(1),
            ..edit()
        };
        assert_eq!(
            check_group_edit(&backwards),
            Err(GroupEditRefusal::DatesOutOfOrder)
        );
    }
}
