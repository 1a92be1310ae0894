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
}
