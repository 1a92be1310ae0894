//! Public statistics of a municipality: coverage (охват), spending, demand. Aggregated counts
//! only: no answer here names or identifies a child or a family.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::{Direction, Money, Month};
pub use navigator_domain::statistics::Percent;

/// The number of children aged 5 to 18 living in a municipality in a year, as the statistics
/// office counts them: the denominator of coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Population {
    pub municipality_id: Uuid,
    pub year: i32,
    pub children_5_18: u64,
    pub updated_at: DateTime<Utc>,
}

/// The operator enters (or corrects) a year's population figure; the year is in the path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetPopulationRequest {
    /// At least 1: a municipality with no children has no coverage to compute.
    #[validate(range(min = 1, max = 100_000_000))]
    pub children_5_18: u64,
}

/// Children of one direction in a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectionCoverage {
    pub direction: Direction,
    /// Children with at least one enrollment of this direction in the month.
    pub enrolled_children: u64,
    /// Their share of the population; `null` without a population figure.
    pub coverage: Option<Percent>,
}

/// A month of coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageMonth {
    pub month: Month,
    /// The population figure of the month's year, when entered.
    pub children_5_18: Option<u64>,
    /// Children whose certificate was in force in the month (activated, not yet closed).
    pub certificate_holders: u64,
    /// Children with at least one enrollment in the month.
    pub enrolled_children: u64,
    pub certificate_coverage: Option<Percent>,
    pub enrollment_coverage: Option<Percent>,
    /// Every direction, in the catalog's order, with zeros where nobody is enrolled.
    pub by_direction: Vec<DirectionCoverage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub municipality_id: Uuid,
    pub months: Vec<CoverageMonth>,
}

/// Money paid for one direction's services in a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DirectionSpending {
    pub direction: Direction,
    pub certificate_amount: Money,
    pub family_amount: Money,
}

/// A month of spending: the approved invoices for services delivered in that month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpendingMonth {
    pub month: Month,
    pub invoices: u64,
    /// Written off certificates (the budget's money).
    pub certificate_amount: Money,
    /// The families' co-payments.
    pub family_amount: Money,
    /// Every direction, in the catalog's order.
    pub by_direction: Vec<DirectionSpending>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spending {
    pub municipality_id: Uuid,
    pub months: Vec<SpendingMonth>,
    pub certificate_amount: Money,
    pub family_amount: Money,
}

/// A program families ask for, and how that went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WantedProgram {
    pub program_id: Uuid,
    pub title: String,
    pub provider_name: String,
    pub direction: Direction,
    /// Applications submitted in the window, whatever became of them.
    pub applications: u64,
    /// Of those, the ones accepted (enrolled, possibly ended since).
    pub accepted: u64,
    /// Seats left now in its open groups.
    pub seats_left: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MostWanted {
    pub municipality_id: Uuid,
    /// The first day of the window (UTC); the window ends today.
    pub since: NaiveDate,
    pub programs: Vec<WantedProgram>,
}

/// Applications of one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationDay {
    pub date: NaiveDate,
    /// Submitted that day.
    pub submitted: u64,
    /// Accepted that day (whenever submitted).
    pub accepted: u64,
    /// Rejected that day.
    pub rejected: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationsPerDay {
    pub municipality_id: Uuid,
    /// Every day of the range, with zeros on quiet days.
    pub days: Vec<ApplicationDay>,
}
