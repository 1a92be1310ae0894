//! The JSON of the navigator's REST API (`/api/v1`): requests, responses and errors, shared by the
//! server, the SPA and the tests. Field names are the domain's words in snake_case; money is a
//! decimal string (`"12500.00"`), months are `YYYY-MM`, dates `YYYY-MM-DD`, instants RFC 3339 UTC.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

pub use navigator_domain::application::{ApplicationStatus, EndReason};
pub use navigator_domain::certificate::CertificateStatus;
pub use navigator_domain::ledger::PostingKind;
pub use navigator_domain::notification::{NotificationKind, NotificationParams};
pub use navigator_domain::program::ProgramStatus;
pub use navigator_domain::waitlist::WaitlistStatus;
pub use navigator_domain::{Money, Month};

mod statistics;
pub use statistics::*;

mod audit;
pub use audit::*;

/// Defaults and bounds of list pagination.
pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

// ---------------------------------------------------------------------------------------------
// Common

/// A page of a list. `next_cursor` is opaque; pass it back as `?cursor=` for the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// An error, as RFC 9457 `application/problem+json`, with a stable machine-readable `code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem: `https://navigator.example/problems/{code}`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable snake_case code, e.g. `quota_exhausted`, `enrollment_closed`, `validation_failed`.
    pub code: String,
    /// Per-field details when `code` is `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers, `degraded` otherwise.
    pub status: String,
    /// `ok` or the error the database gave.
    pub database: String,
    /// `postgres` or `sqlite`.
    pub backend: String,
    pub version: String,
}

// ---------------------------------------------------------------------------------------------
// Accounts

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Family,
    ProviderStaff,
    MunicipalOperator,
    RegionalOperator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Family,
        Role::ProviderStaff,
        Role::MunicipalOperator,
        Role::RegionalOperator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Family => "family",
            Role::ProviderStaff => "provider_staff",
            Role::MunicipalOperator => "municipal_operator",
            Role::RegionalOperator => "regional_operator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    /// The provider a staff member works for.
    pub provider_id: Option<Uuid>,
    /// The municipality of a municipal operator, or of a family's residence.
    pub municipality_id: Option<Uuid>,
}

/// A family registers itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    #[validate(email(code = "email_invalid"), length(max = 254, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    #[cfg_attr(feature = "openapi", schema(example = "parent@example.ru"))]
    pub email: String,
    /// At least 10 characters.
    #[validate(length(min = 10, max = 128, code = "password_too_weak"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub password: String,
    #[validate(length(min = 2, max = 200, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 200))]
    #[cfg_attr(feature = "openapi", schema(example = "Иванова Мария Петровна"))]
    pub full_name: String,
    pub municipality_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[validate(length(min = 3, max = 254, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 254))]
    pub email: String,
    #[validate(length(min = 1, max = 128, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 256, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub refresh_token: String,
}

/// Tokens after sign-in or refresh. The access token is a JWT (HS256) for the `Authorization:
/// Bearer` header; the refresh token is opaque, single-use and rotates on every refresh.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tokens {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
    pub user: User,
}

/// An operator creates a staff account: provider staff (by the provider's municipal operator or
/// the regional operator) or operators (by the regional operator).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateStaffRequest {
    #[validate(email(code = "email_invalid"), length(max = 254, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[validate(length(min = 10, max = 128, code = "password_too_weak"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub password: String,
    #[validate(length(min = 2, max = 200, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 200))]
    pub full_name: String,
    pub role: Role,
    pub provider_id: Option<Uuid>,
    pub municipality_id: Option<Uuid>,
}

// ---------------------------------------------------------------------------------------------
// Municipalities and periods

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Municipality {
    pub id: Uuid,
    pub name: String,
    /// The region's code, as in certificate numbers (`55` for Omsk region).
    pub region_code: String,
}

/// A financing period of a municipality with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FinancingPeriod {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    /// What a financing certificate receives for the whole period.
    pub nominal: Money,
    /// How many certificates may be financing in the period.
    pub quota: i64,
    /// The money of the period for all certificates.
    pub budget: Money,
    pub enrollment_opens: NaiveDate,
    pub enrollment_closes: NaiveDate,
    /// Catalog visible, applications refused.
    pub test_mode: bool,
    /// Certificates financing in the period.
    pub certificates_financed: i64,
    /// Credited to certificates so far.
    pub budget_committed: Money,
    /// Not yet credited to any certificate: budget − committed.
    pub budget_free: Money,
    /// Set aside on the period's enrollments and not yet written off.
    pub reserved: Money,
    /// Paid to providers for the period's enrollments.
    pub written_off: Money,
    /// Changes with every change of the parameters: send it back as `If-Match` to update.
    pub version: i64,
}

// ---------------------------------------------------------------------------------------------
// Catalog

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// техническая
    Technical,
    /// естественнонаучная
    NaturalScience,
    /// физкультурно-спортивная
    Sports,
    /// художественная
    Arts,
    /// туристско-краеведческая
    Tourism,
    /// социально-гуманитарная
    SocialHumanitarian,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// стартовый
    Starting,
    /// базовый
    Basic,
    /// продвинутый
    Advanced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StudyForm {
    /// очная
    InPerson,
    /// очно-заочная
    Blended,
    /// заочная
    Extramural,
    /// дистанционная
    Distance,
}

/// How a program is paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    /// Certified: payable by a certificate of personalized financing (the badge «Оплата сертификатом»).
    Certificate,
    /// Budget-funded: free with a certificate of personal accounting.
    Budget,
}

macro_rules! string_enum {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
            pub fn parse(s: &str) -> Option<$ty> {
                match s { $($name => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}

string_enum!(Direction {
    Technical = "technical",
    NaturalScience = "natural_science",
    Sports = "sports",
    Arts = "arts",
    Tourism = "tourism",
    SocialHumanitarian = "social_humanitarian",
});
string_enum!(Level {
    Starting = "starting",
    Basic = "basic",
    Advanced = "advanced",
});
string_enum!(StudyForm {
    InPerson = "in_person",
    Blended = "blended",
    Extramural = "extramural",
    Distance = "distance",
});
string_enum!(Funding {
    Certificate = "certificate",
    Budget = "budget",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provider {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub name: String,
    /// ОПФ: МБУ ДО, МАУ ДО, АНО ДО, ООО, ИП…
    pub legal_form: String,
    /// ИНН.
    pub inn: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// The number of the licence registry's entry: `Л035-01298-55/00194371`.
    pub licence: String,
    /// The date the licence was issued, when known.
    pub licence_issued_on: Option<NaiveDate>,
    /// The address's coordinates in degrees (WGS 84), both or neither.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Changes with every edit: send it back as `If-Match` to update (also the `ETag` header).
    pub version: i64,
}

/// A program as a card in the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramSummary {
    pub id: Uuid,
    pub provider_id: Uuid,
    pub provider_name: String,
    pub municipality_id: Uuid,
    pub title: String,
    pub direction: Direction,
    pub age_from: u32,
    pub age_to: u32,
    pub level: Level,
    pub form: StudyForm,
    pub funding: Funding,
    /// Price of one month; `0.00` for budget-funded programs.
    pub price_per_month: Money,
    /// Adapted for children with disabilities (ОВЗ).
    pub adapted_for_disabilities: bool,
    /// Free seats over the program's open groups.
    pub seats_left: i64,
    pub address: String,
    /// Where the program runs, in degrees; `null` (with `longitude`) when it has no place.
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90, example = 54.9885))]
    pub latitude: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180, example = 73.3242))]
    pub longitude: Option<f64>,
    /// Kilometres from `near` by the great circle, to the metre; `null` without `near` or
    /// without the program's coordinates.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, example = 2.345))]
    pub distance_km: Option<f64>,
    /// The families' mean rating with one decimal (`"4.5"`); `null` before the first review.
    pub rating: Option<String>,
    pub reviews_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Program {
    pub id: Uuid,
    pub provider_id: Uuid,
    pub provider_name: String,
    pub municipality_id: Uuid,
    pub title: String,
    pub description: String,
    pub direction: Direction,
    pub age_from: u32,
    pub age_to: u32,
    pub level: Level,
    pub form: StudyForm,
    pub funding: Funding,
    pub price_per_month: Money,
    pub hours_per_week: u32,
    pub duration_months: u32,
    pub medical_certificate_required: bool,
    pub adapted_for_disabilities: bool,
    pub address: String,
    /// Where the program runs, in degrees; `null` (with `longitude`) when it has no place.
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90, example = 54.9885))]
    pub latitude: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180, example = 73.3242))]
    pub longitude: Option<f64>,
    pub status: ProgramStatus,
    /// The operator's remarks when the program was returned to its provider.
    pub remarks: Option<String>,
    /// Changes with every edit: send it back as `If-Match` to update (also the `ETag` header).
    pub version: i64,
    /// The families' mean rating with one decimal; `null` before the first review.
    pub rating: Option<String>,
    pub reviews_count: i64,
    pub groups: Vec<Group>,
}

/// How many programs one value of a filter leaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount<T> {
    pub value: T,
    pub count: i64,
}

/// The catalog's facet counts: each dimension counted under all the other filters of the query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramFacets {
    /// Programs matching every filter.
    pub total: i64,
    pub directions: Vec<FacetCount<Direction>>,
    pub levels: Vec<FacetCount<Level>>,
    pub forms: Vec<FacetCount<StudyForm>>,
    pub fundings: Vec<FacetCount<Funding>>,
    /// Programs adapted for children with disabilities (ОВЗ).
    pub adapted_for_disabilities: i64,
}

/// The order of catalog results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgramSort {
    /// By title (the default).
    #[default]
    Title,
    PriceAsc,
    PriceDesc,
    /// Best rated first; programs without reviews last.
    RatingDesc,
    /// Best match for `q` first (the default with `q`): a match in the title ranks above one in
    /// the description, and that above one in the provider's name. Without `q`, by title.
    Relevance,
    /// Nearest to `near` first, by the great circle; programs without coordinates last.
    Distance,
}

/// A program as its provider writes it (create, or update a draft with `If-Match`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramDraft {
    #[validate(length(min = 3, max = 200, code = "length"))]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 3, max_length = 200, example = "Шахматный клуб «Ладья»")
    )]
    pub title: String,
    #[validate(length(min = 10, max = 5000, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 5000))]
    pub description: String,
    pub direction: Direction,
    #[validate(range(min = 3, max = 18, code = "range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 3, maximum = 18))]
    pub age_from: u32,
    #[validate(range(min = 3, max = 18, code = "range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 3, maximum = 18))]
    pub age_to: u32,
    pub level: Level,
    pub form: StudyForm,
    /// What the provider asks for; the operator decides on publication.
    pub funding: Funding,
    pub price_per_month: Money,
    #[validate(range(min = 1, max = 40, code = "range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 40))]
    pub hours_per_week: u32,
    #[validate(range(min = 1, max = 120, code = "range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 120))]
    pub duration_months: u32,
    pub medical_certificate_required: bool,
    pub adapted_for_disabilities: bool,
    #[validate(length(min = 5, max = 300, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 5, max_length = 300))]
    pub address: String,
    /// Where the program runs, in degrees: both coordinates or neither.
    #[serde(default)]
    #[validate(range(min = -90.0, max = 90.0, code = "range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90, example = 54.9885))]
    pub latitude: Option<f64>,
    #[serde(default)]
    #[validate(range(min = -180.0, max = 180.0, code = "range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180, example = 73.3242))]
    pub longitude: Option<f64>,
}

/// A decision on a program's status, with its reason (remarks when returning).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramDecision {
    #[validate(length(min = 1, max = 2000, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub reason: String,
}

/// The operator publishes a program and decides how it is paid for: certified (payable by
/// certificate) or budget-funded (free).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRequest {
    pub funding: Funding,
    #[validate(length(min = 1, max = 2000, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub reason: String,
}

/// A decision on a program, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramEvent {
    pub at: DateTime<Utc>,
    pub from_status: Option<ProgramStatus>,
    pub to_status: ProgramStatus,
    /// `create`, `update`, `submit`, `publish`, `return`, `archive`.
    pub action: String,
    pub actor_role: Role,
    pub reason: String,
}

/// A group as its provider opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupDraft {
    #[validate(length(min = 1, max = 100, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    #[validate(length(min = 1, max = 300, code = "length"))]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 300, example = "Пн, Ср 16:00–17:30")
    )]
    pub schedule: String,
    #[validate(length(min = 1, max = 200, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub teacher: String,
    #[validate(range(min = 1, max = 1000, code = "range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub capacity: i64,
    pub open: bool,
}

/// A cohort of a program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    pub id: Uuid,
    pub program_id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The weekly schedule in words: «Пн, Ср 16:00–17:30».
    pub schedule: String,
    pub teacher: String,
    pub capacity: i64,
    pub seats_left: i64,
    /// Open for applications.
    pub open: bool,
    /// Bumped on every change: the `ETag` of `GET`/`PUT /groups/{id}`.
    pub version: i64,
}

// ---------------------------------------------------------------------------------------------
// The registry of providers, staff invitations, registry files

pub mod registry;
pub use registry::*;

// ---------------------------------------------------------------------------------------------
// Children and certificates

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateChildRequest {
    #[validate(length(min = 1, max = 100, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "Анна"))]
    pub first_name: String,
    #[validate(length(min = 1, max = 100, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "Иванова"))]
    pub last_name: String,
    #[validate(length(max = 100, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    /// СНИЛС: 11 digits with a valid checksum, as `112-233-445 95` or `11223344595`.
    #[cfg_attr(feature = "openapi", schema(example = "112-233-445 95"))]
    pub snils: String,
    /// Where the child lives: the municipality that finances the certificate.
    pub municipality_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Child {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    /// Formatted `112-233-445 95`.
    pub snils: String,
    pub municipality_id: Uuid,
    pub certificate: Option<Certificate>,
}

/// The child's certificate with its money. `balance` is available for new enrollments;
/// `reserved` is set aside for accepted enrollments; `spent` was written off to providers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub id: Uuid,
    pub child_id: Uuid,
    pub child_name: String,
    /// Human-readable number with the region code: `55-2026-000123`.
    pub number: String,
    pub status: CertificateStatus,
    pub municipality_id: Uuid,
    /// The day before the child's 18th birthday.
    pub valid_until: NaiveDate,
    pub balance: Money,
    pub reserved: Money,
    pub spent: Money,
    /// The period the certificate is financed for, when financing.
    pub period: Option<DateRange>,
    /// The nominal of that period (before proration).
    pub nominal: Option<Money>,
    pub issued_at: DateTime<Utc>,
    pub activated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateRange {
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
}

/// A status change of a certificate: who, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateEvent {
    pub at: DateTime<Utc>,
    pub from_status: Option<CertificateStatus>,
    pub to_status: CertificateStatus,
    pub actor_role: Role,
    pub reason: String,
}

/// A movement of a certificate's money, as the family sees it: `amount` is signed from the
/// certificate's point of view (credit and release positive, reservation negative); write-offs
/// move reserved money and show the month paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub kind: PostingKind,
    pub amount: Money,
    pub application_id: Option<Uuid>,
    pub program_title: Option<String>,
    pub month: Option<Month>,
    pub invoice_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateHistory {
    pub certificate: Certificate,
    pub events: Vec<CertificateEvent>,
    pub entries: Vec<CertificateEntry>,
}

/// An operator's decision on a certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateDecision {
    /// Why, for the record: «документы проверены», «заявление родителя».
    #[validate(length(min = 1, max = 500, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

// ---------------------------------------------------------------------------------------------
// Quotes, applications, attendance, invoices

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRequest {
    pub child_id: Uuid,
    pub group_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthShare {
    pub month: Month,
    pub price: Money,
    /// Paid from the certificate.
    pub certificate: Money,
    /// Paid by the family (co-payment).
    pub family: Money,
}

/// The co-payment split shown before applying: the certificate pays min(balance, cost), the family
/// pays the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub child_id: Uuid,
    pub group_id: Uuid,
    pub funding: Funding,
    pub months: Vec<MonthShare>,
    pub cost: Money,
    pub certificate: Money,
    pub family: Money,
    /// Available on the certificate now, including a nominal it would be credited on switching to
    /// financing.
    pub balance_before: Money,
    pub balance_after: Money,
    /// The certificate is of personal accounting and would switch to financing on this application.
    pub switches_to_financing: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApplicationRequest {
    pub child_id: Uuid,
    pub group_id: Uuid,
    /// Provider staff (for their own groups) or an operator (for their municipality) file for a
    /// family with its consent; a family applying itself leaves this out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf: Option<OnBehalf>,
}

/// How the family gave its consent to be acted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Said in person at the desk, with the parent's identity document checked.
    InPerson,
    /// A signed written statement, kept by the organisation.
    Written,
}

impl ConsentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::InPerson => "in_person",
            ConsentMethod::Written => "written",
        }
    }

    pub fn parse(s: &str) -> Option<ConsentMethod> {
        [ConsentMethod::InPerson, ConsentMethod::Written]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// The family's consent, as recorded by whoever acts for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub method: ConsentMethod,
    /// What the consent rests on: the document checked or the statement's number.
    #[validate(length(min = 1, max = 500, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    #[cfg_attr(feature = "openapi", schema(example = "Заявление № 17 от 24.11.2026"))]
    pub document: String,
    /// The day the consent was given; not in the future.
    pub given_at: NaiveDate,
}

/// Filing for a family: the consent it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnBehalf {
    #[validate(nested)]
    pub consent: Consent,
}

/// Who filed an application for the family, and on what consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiledOnBehalf {
    pub filed_by: Uuid,
    pub filed_by_role: Role,
    pub consent: Consent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: Uuid,
    pub child_id: Uuid,
    pub child_name: String,
    pub certificate_id: Uuid,
    pub group_id: Uuid,
    pub group_name: String,
    pub program_id: Uuid,
    pub program_title: String,
    pub provider_id: Uuid,
    pub status: ApplicationStatus,
    /// The provider's reason for a rejection or an expulsion, or the family's for ending.
    pub reason: Option<String>,
    pub end_reason: Option<EndReason>,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The contract, once accepted: each month's price and split.
    pub months: Vec<MonthShare>,
    pub cost: Money,
    pub certificate_amount: Money,
    pub family_amount: Money,
    /// Reserved on the certificate and not yet written off.
    pub reserved: Money,
    pub written_off: Money,
    /// The waitlist offer the application was filed from: its seat is held for it until the
    /// provider decides.
    pub waitlist_entry_id: Option<Uuid>,
    /// Set when staff filed the application for the family.
    pub on_behalf: Option<FiledOnBehalf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectRequest {
    #[validate(length(min = 1, max = 500, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    #[cfg_attr(feature = "openapi", schema(example = "Группа укомплектована"))]
    pub reason: String,
}

/// Ends an accepted enrollment before or at its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndRequest {
    /// `family_request` (the family asks) or `provider_decision` (the provider expels).
    pub end_reason: EndReason,
    #[validate(length(max = 500, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceMark {
    pub date: NaiveDate,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendance {
    pub application_id: Uuid,
    pub date: NaiveDate,
    pub present: bool,
    pub marked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Issued by the provider, waiting for the municipal operator.
    Issued,
    /// Approved: the certificate's share was written off to the provider.
    Approved,
    Rejected,
}

string_enum!(InvoiceStatus {
    Issued = "issued",
    Approved = "approved",
    Rejected = "rejected",
});

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateInvoiceRequest {
    pub application_id: Uuid,
    pub month: Month,
    /// Needed when no lesson of the month was attended.
    #[validate(length(min = 1, max = 500, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub no_attendance_reason: Option<String>,
}

/// A month of one enrollment invoiced by the provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub id: Uuid,
    pub application_id: Uuid,
    pub provider_id: Uuid,
    pub municipality_id: Uuid,
    pub program_title: String,
    pub child_name: String,
    pub month: Month,
    /// Written off from the certificate on approval.
    pub certificate_amount: Money,
    /// Owed by the family for the month.
    pub family_amount: Money,
    pub lessons_attended: i64,
    pub lessons_marked: i64,
    pub no_attendance_reason: Option<String>,
    pub status: InvoiceStatus,
    pub decision_reason: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A provider's money: what its enrollments hold, what it was paid from certificates and what
/// families owe it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderAccount {
    pub provider_id: Uuid,
    /// Reserved on certificates for its accepted enrollments, not yet written off.
    pub reserved: Money,
    /// Written off to it from certificates: what the system owes it.
    pub owed: Money,
    /// Co-payments on its invoices: what families owe it directly.
    pub family_owed: Money,
    /// Invoices waiting for the operator, and their certificate amount.
    pub invoices_issued: i64,
    pub invoices_issued_amount: Money,
    pub invoices_approved: i64,
    pub active_enrollments: i64,
}

// ---------------------------------------------------------------------------------------------
// Operations: period parameters, the billing run, the ledger check

/// An operator opens a financing period of a municipality with its parameters. Periods of one
/// municipality never overlap; the budget is funded into the period at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatePeriodRequest {
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    /// What a certificate financing for the whole period receives.
    pub nominal: Money,
    /// How many certificates may finance in the period.
    pub quota: i64,
    pub budget: Money,
    pub enrollment_opens: NaiveDate,
    pub enrollment_closes: NaiveDate,
    /// Catalog visible, applications refused with `test_mode`.
    #[serde(default)]
    pub test_mode: bool,
}

/// An operator changes a period's parameters, with the reason. The quota and the budget cannot go
/// below what is already committed; a budget change is funded (or withdrawn) at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdatePeriodRequest {
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    pub nominal: Money,
    pub quota: i64,
    pub budget: Money,
    pub enrollment_opens: NaiveDate,
    pub enrollment_closes: NaiveDate,
    pub test_mode: bool,
    /// Why: «решение администрации от 01.10.2026 № 123».
    #[validate(length(min = 1, max = 500, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// A recorded change of a period's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodEvent {
    pub at: DateTime<Utc>,
    pub actor_role: Role,
    /// What changed, e.g. `budget: 45000000.00 → 46000000.00; test_mode: true → false`.
    pub changes: String,
    pub reason: String,
}

/// Runs the monthly billing of a municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingRunRequest {
    pub month: Month,
    /// Also approve the month's issued invoices (write the certificates' shares off).
    #[serde(default)]
    pub approve: bool,
}

/// Enrollments the billing run could not invoice, by refusal code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefusalCount {
    pub code: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingRunSummary {
    pub municipality_id: Uuid,
    pub month: Month,
    pub examined: u64,
    pub issued: u64,
    pub approved: u64,
    /// Already invoiced and decided before this run.
    pub already_done: u64,
    /// Written off from certificates by this run.
    pub written_off: Money,
    /// Family co-payments on the invoices this run issued.
    pub family_total: Money,
    pub refusals: Vec<RefusalCount>,
}

/// What a period rollover did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RolloverSummary {
    pub municipality_id: Uuid,
    /// Certificates of an ended period examined.
    pub examined: u64,
    /// Credited with the new period's nominal.
    pub credited: u64,
    /// Back to accounting: the new period's quota or budget had no room.
    pub without_room: u64,
    /// Enrollments whose contract ended with the old period.
    pub enrollments_completed: u64,
    /// Left on certificates at the old period's end, returned to its fund (no carry-over).
    pub expired: Money,
    /// Credited from the new period.
    pub credited_total: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerViolation {
    /// Which invariant: `posting_balanced`, `no_negative_balance`, `money_conserved`…
    pub check: String,
    pub detail: String,
}

/// The result of checking every invariant of the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerVerification {
    /// Every invariant holds.
    pub ok: bool,
    pub violations: Vec<LedgerViolation>,
    pub checked_at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------------------------
// Reviews (оценка программ)

/// A family rates a program its child attends or attended: once per child and program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateReviewRequest {
    /// The child who attends or attended the program.
    pub child_id: Uuid,
    /// From 1 (poor) to 5 (excellent).
    #[validate(range(min = 1, max = 5, code = "range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5, example = 5))]
    pub rating: u8,
    /// The review itself; may be empty when the family only rates.
    #[serde(default)]
    #[validate(length(max = 2000, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Ребёнок ходит с удовольствием, педагог внимательный.")
    )]
    pub text: String,
}

/// A review of a program. The author is shown by first name and the initial of the surname only;
/// which child it is about is shown to the family that wrote it and to no one else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    pub id: Uuid,
    pub program_id: Uuid,
    /// The reviewed child: only in the answers to the family that wrote the review.
    pub child_id: Option<Uuid>,
    /// The parent's first name and the initial of the surname.
    #[cfg_attr(feature = "openapi", schema(example = "Мария И."))]
    pub author_name: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: u8,
    pub text: String,
    pub created_at: DateTime<Utc>,
    /// The provider's answer, given once.
    pub provider_answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Hidden by an operator: not listed publicly and not counted in the program's rating. Only
    /// operators and the review's family see hidden reviews.
    pub hidden: bool,
}

/// The provider's answer to a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewAnswerRequest {
    #[validate(length(min = 1, max = 2000, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Спасибо! Ждём вас на занятиях в новом учебном году.")
    )]
    pub text: String,
}

/// An operator hides a review (abusive, personal data…) or shows it again, saying why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewModeration {
    pub hidden: bool,
    /// Why, for the record.
    #[validate(length(min = 1, max = 500, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    #[cfg_attr(feature = "openapi", schema(example = "Оскорбительные выражения"))]
    pub reason: String,
}

/// One moderation decision on a review: who, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewModerationEvent {
    pub at: DateTime<Utc>,
    /// What the operator decided: hidden or shown.
    pub hidden: bool,
    pub reason: String,
    pub moderator_id: Uuid,
    pub moderator_role: Role,
}

/// A program's rating over its reviews that are not hidden.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramRating {
    pub program_id: Uuid,
    /// The mean rating with one decimal, rounded half up; `null` before the first review.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "4.5", pattern = r"^[1-5]\.[0-9]$")
    )]
    pub average: Option<String>,
    /// How many reviews the average is over.
    pub count: i64,
}

// ---------------------------------------------------------------------------------------------
// Waitlist

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinWaitlistRequest {
    pub child_id: Uuid,
}

/// A child's place in a full group's waitlist. While `offered`, a seat is held for the child
/// until `offer_expires_at`: take it with `POST /waitlist/{id}/accept` (which files the
/// application) or give it up with `POST /waitlist/{id}/decline`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitlistEntry {
    pub id: Uuid,
    pub group_id: Uuid,
    pub group_name: String,
    pub program_id: Uuid,
    pub program_title: String,
    pub child_id: Uuid,
    pub child_name: String,
    pub status: WaitlistStatus,
    /// The place in line, from 1, while waiting or offered; offers head the line.
    pub position: Option<u32>,
    pub queued_at: DateTime<Utc>,
    pub offered_at: Option<DateTime<Utc>>,
    pub offer_expires_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The application filed from the offer, once taken.
    pub application_id: Option<Uuid>,
}

/// A group's waitlist for its provider and operators: the live entries in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupWaitlist {
    pub group_id: Uuid,
    pub capacity: i64,
    /// Seats neither taken by an enrollment nor held by an offer.
    pub seats_left: i64,
    /// Seats held by open offers and by applications filed from offers, until decided.
    pub seats_held: i64,
    pub entries: Vec<WaitlistEntry>,
}

// ---------------------------------------------------------------------------------------------
// Notifications

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationObject {
    Application,
    WaitlistEntry,
    Certificate,
}

impl NotificationObject {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationObject::Application => "application",
            NotificationObject::WaitlistEntry => "waitlist_entry",
            NotificationObject::Certificate => "certificate",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationObject> {
        [
            NotificationObject::Application,
            NotificationObject::WaitlistEntry,
            NotificationObject::Certificate,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// One notification of the signed-in user, with its text rendered in Russian.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub object_kind: NotificationObject,
    pub object_id: Uuid,
    pub parameters: NotificationParams,
    pub subject: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A page of notifications, newest first, with how many of all are unread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub next_cursor: Option<String>,
    pub unread: i64,
}

/// What `POST /notifications/read-all` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationsRead {
    /// Notifications marked read by this call.
    pub marked: i64,
    pub unread: i64,
}

// ---------------------------------------------------------------------------------------------
// Families registered at the desk

/// Provider staff or an operator register a family that came in person without an account: the
/// parent gets an invitation letter to set a password, the child is registered, and the desk can
/// issue the certificate at once (`POST /children/{id}/certificate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterFamilyRequest {
    #[validate(email(code = "email_invalid"), length(max = 254, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    #[cfg_attr(feature = "openapi", schema(example = "parent@example.ru"))]
    pub email: String,
    #[validate(length(min = 2, max = 200, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 200))]
    #[cfg_attr(feature = "openapi", schema(example = "Иванова Мария Петровна"))]
    pub full_name: String,
    #[validate(nested)]
    pub child: CreateChildRequest,
    /// The parent's consent to the registration and the processing of the child's data.
    #[validate(nested)]
    pub consent: Consent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisteredFamily {
    pub user: User,
    pub child: Child,
    /// Until when the invitation's link works.
    pub invitation_expires_at: DateTime<Utc>,
}

/// The parent follows the invitation: the token from the letter and a new password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivateFamilyRequest {
    #[validate(length(min = 1, max = 200, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
    /// At least 10 characters.
    #[validate(length(min = 10, max = 128, code = "password_too_weak"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub password: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_uses_the_rfc_field_names() {
        let p = Problem {
            type_: "https://navigator.example/problems/no_seats".into(),
            title: "No seats".into(),
            status: 409,
            detail: "the group has no free seats".into(),
            code: "no_seats".into(),
            errors: vec![],
        };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["type"], "https://navigator.example/problems/no_seats");
        assert_eq!(json["code"], "no_seats");
        assert!(json.get("errors").is_none());
    }

    #[test]
    fn enum_names_match_serde() {
        for d in Direction::ALL {
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
        for r in Role::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for s in InvoiceStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for a in AuditAction::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
        for k in AuditObjectKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
