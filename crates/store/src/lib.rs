//! Storage of the navigator.
//!
//! [`Store`] is the set of use cases the API needs, each one atomic: it loads the facts, asks the
//! domain crate what the rules say, and writes the outcome in one transaction. Two implementations
//! share one SQL source (`sql.rs`, compiled once per backend): PostgreSQL for production and SQLite
//! as the embedded zero-setup default. [`connect`] picks one from the database URL.
//!
//! Ownership is enforced here, in the queries: every call that reads or changes a family's,
//! provider's or municipality's objects takes the [`Actor`] and sees only what is theirs, answering
//! [`StoreError::NotFound`] for the rest so that others' objects are not revealed.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::{Money, Month, Refusal, Snils};

mod audit;
pub mod bulk;
mod dialect;
mod families;
mod gauges;
mod idempotency;
mod notifications;
mod pg;
mod registry;
mod reviews;
mod sqlite;
mod statistics;
mod waitlist;

pub use audit::{AuditFilter, AuditStore};
pub use bulk::{BulkLoad, GeneratedRegion, RegionSpec};
pub use dialect::Backend;
pub use families::{FamilyStore, NewFamily};
pub use gauges::{Gauges, LedgerTotal, PoolGauges};
pub use idempotency::{
    Claim, IdempotencyStore, ABANDONED_AFTER, HEARTBEAT_EVERY, INSTANCE_SILENT_AFTER, KEY_LIFETIME,
};
pub use navigator_domain::geo::Point;
pub use navigator_domain::program::ProgramAction;
pub use notifications::{NotificationStore, OutgoingNotification};
pub use registry::{NewInvitation, RegistryStore, INVITATION_LIFETIME};
pub use reviews::ReviewStore;
pub use statistics::StatisticsStore;
pub use waitlist::{ExpiredOffers, WaitlistStore};

/// Settings of the store's use cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreSettings {
    /// How long a waitlist offer holds its seat.
    pub offer_lifetime: chrono::Duration,
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            offer_lifetime: navigator_domain::waitlist::DEFAULT_OFFER_LIFETIME,
        }
    }
}

/// Who is acting: the authenticated user with the role and attachments from their token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub role: api::Role,
    pub provider_id: Option<Uuid>,
    pub municipality_id: Option<Uuid>,
}

impl Actor {
    /// The system itself: seeding and batch commands.
    pub fn system() -> Actor {
        Actor {
            user_id: Uuid::nil(),
            role: api::Role::RegionalOperator,
            provider_id: None,
            municipality_id: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such object, or not the actor's.
    #[error("not found")]
    NotFound,
    /// The actor's role may not do this.
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// A rule of the domain says no.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// A uniqueness or state conflict outside the domain's rules (`email_taken`,
    /// `refresh_token_reused`, …): a stable code and a message.
    #[error("{1}")]
    Conflict(&'static str, String),
    /// The input refers to something that does not exist (`municipality_id` of no municipality…).
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        code: &'static str,
        message: String,
    },
    /// Fields that break the domain's rules, every one of them (a provider's entry).
    #[error("invalid fields: {}", .0.iter().map(|i| i.field).collect::<Vec<_>>().join(", "))]
    Fields(Vec<navigator_domain::provider::FieldIssue>),
    /// The object changed since the client read it (`If-Match` names an older version).
    #[error("the object changed since it was read: its version is now {current}")]
    Stale { current: i64 },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

// ---------------------------------------------------------------------------------------------
// Inputs

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub full_name: String,
    pub role: api::Role,
    pub provider_id: Option<Uuid>,
    pub municipality_id: Option<Uuid>,
}

/// A stored refresh token: only its SHA-256 is kept. Tokens of one sign-in form a family; a reused
/// token revokes its whole family.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub token_hash: String,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewMunicipality {
    pub name: String,
    pub region_code: String,
}

#[derive(Debug, Clone)]
pub struct NewPeriod {
    pub municipality_id: Uuid,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub nominal: Money,
    pub quota: i64,
    pub budget: Money,
    pub enrollment_opens: NaiveDate,
    pub enrollment_closes: NaiveDate,
    pub test_mode: bool,
}

#[derive(Debug, Clone)]
pub struct NewProgram {
    pub provider_id: Uuid,
    pub title: String,
    pub description: String,
    pub direction: api::Direction,
    pub age_from: u32,
    pub age_to: u32,
    pub level: api::Level,
    pub form: api::StudyForm,
    pub funding: api::Funding,
    pub price_per_month: Money,
    pub hours_per_week: u32,
    pub duration_months: u32,
    pub medical_certificate_required: bool,
    pub adapted_for_disabilities: bool,
    pub address: String,
    /// Where the program runs; `None` when it has no place.
    pub location: Option<Point>,
    pub status: api::ProgramStatus,
}

impl NewProgram {
    /// A program of `provider_id` from the fields the API and registry files take. A point needs
    /// both coordinates in range; callers refuse a draft with only one before they get here.
    pub fn from_draft(
        provider_id: Uuid,
        d: api::ProgramDraft,
        status: api::ProgramStatus,
    ) -> NewProgram {
        NewProgram {
            provider_id,
            title: d.title,
            description: d.description,
            direction: d.direction,
            age_from: d.age_from,
            age_to: d.age_to,
            level: d.level,
            form: d.form,
            funding: d.funding,
            price_per_month: d.price_per_month,
            hours_per_week: d.hours_per_week,
            duration_months: d.duration_months,
            medical_certificate_required: d.medical_certificate_required,
            adapted_for_disabilities: d.adapted_for_disabilities,
            address: d.address,
            location: d
                .latitude
                .zip(d.longitude)
                .and_then(|(latitude, longitude)| Point::new(latitude, longitude).ok()),
            status,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewGroup {
    pub program_id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub schedule: String,
    pub teacher: String,
    pub capacity: i64,
    pub open: bool,
}

#[derive(Debug, Clone)]
pub struct NewChild {
    pub first_name: String,
    pub last_name: String,
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    pub snils: Snils,
    pub municipality_id: Uuid,
}

/// Catalog filters; all optional and combined with AND.
#[derive(Debug, Clone, Default)]
pub struct ProgramFilter {
    /// Free text over title, description and provider name.
    pub q: Option<String>,
    pub municipality_id: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub direction: Option<api::Direction>,
    /// Programs whose age range includes this age.
    pub age: Option<u32>,
    pub level: Option<api::Level>,
    pub form: Option<api::StudyForm>,
    pub funding: Option<api::Funding>,
    pub price_max: Option<Money>,
    pub free_seats: bool,
    pub adapted_for_disabilities: Option<bool>,
    /// Include programs that are not published (staff views of their own programs).
    pub any_status: bool,
    /// Only programs in this status (with `any_status`).
    pub status: Option<api::ProgramStatus>,
    /// The family's place: results carry their distance from it. Required by
    /// `ProgramSort::Distance`.
    pub near: Option<Point>,
    pub sort: api::ProgramSort,
}

#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub status: Option<api::ApplicationStatus>,
    pub child_id: Option<Uuid>,
    pub group_id: Option<Uuid>,
}

#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub status: Option<api::InvoiceStatus>,
    pub application_id: Option<Uuid>,
    pub month: Option<Month>,
}

/// Keyset pagination: `limit` rows after `cursor` (opaque, from a previous page).
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: u32,
    pub cursor: Option<String>,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            limit: api::DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

/// What an operator (or, for closing, the family) does to a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateAction {
    Suspend,
    /// Back to financing if it was ever financed, otherwise to accounting.
    Resume,
    Close,
}

/// What one batch of the monthly billing run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillingBatch {
    /// The last enrollment examined: the next batch starts after it. `None` when nothing was left.
    pub last_application_id: Option<Uuid>,
    /// Enrollments examined in this batch.
    pub examined: u64,
    /// Invoices issued by this batch.
    pub issued: u64,
    /// Invoices approved (written off) by this batch.
    pub approved: u64,
    /// Enrollments whose month was already invoiced and decided before this run.
    pub already_done: u64,
    /// Written off from certificates by this batch.
    pub certificate_total: Money,
    /// Owed by families for the invoices this batch issued.
    pub family_total: Money,
    /// Enrollments the run could not invoice, with the refusal's code.
    pub refusals: Vec<(Uuid, &'static str)>,
}

/// What one batch of a period rollover did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RolloverBatch {
    /// The last certificate examined: the next batch starts after it.
    pub last_certificate_id: Option<Uuid>,
    pub examined: u64,
    /// Certificates credited with the new period's nominal.
    pub credited: u64,
    /// Certificates back to accounting: the new period's quota or budget had no room.
    pub without_room: u64,
    /// Enrollments whose contract ended with the old period.
    pub enrollments_completed: u64,
    /// Left on certificates at the old period's end, returned to its fund.
    pub expired_total: Money,
    /// Credited from the new period.
    pub credited_total: Money,
}

/// One invariant of the ledger that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerViolation {
    pub check: &'static str,
    pub detail: String,
}

// ---------------------------------------------------------------------------------------------
// The use cases

#[async_trait]
pub trait Store:
    IdempotencyStore
    + AuditStore
    + ReviewStore
    + RegistryStore
    + StatisticsStore
    + BulkLoad
    + WaitlistStore
    + NotificationStore
    + FamilyStore
    + Gauges
    + Send
    + Sync
    + 'static
{
    fn backend(&self) -> Backend;
    /// Applies the migrations of the backend.
    async fn migrate(&self) -> Result<()>;
    /// Whether the database answers.
    async fn ping(&self) -> Result<()>;
    /// Whether the database has no municipality yet (a fresh database to seed).
    async fn is_empty(&self) -> Result<bool>;

    // Accounts -----------------------------------------------------------------------------
    /// Creates a user; `Conflict("email_taken")` when the email (case-insensitive) is taken.
    async fn create_user(&self, user: NewUser) -> Result<api::User>;
    /// The user and the password hash for signing in.
    async fn find_user_by_email(&self, email: &str) -> Result<Option<(api::User, String)>>;
    async fn get_user(&self, id: Uuid) -> Result<api::User>;
    async fn insert_refresh_token(&self, token: NewRefreshToken) -> Result<()>;
    /// Exchanges a refresh token for a new one of the same family, atomically. A token already
    /// exchanged is a sign of theft: its whole family is revoked and `Conflict("refresh_token_reused")`
    /// returned. Unknown, revoked or expired tokens give `NotFound`.
    async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        new_expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<api::User>;
    /// Revokes the token's whole family (sign-out). Unknown tokens are ignored.
    async fn revoke_refresh_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<()>;

    // Registries ---------------------------------------------------------------------------
    async fn create_municipality(&self, m: NewMunicipality) -> Result<api::Municipality>;
    async fn list_municipalities(&self) -> Result<Vec<api::Municipality>>;
    /// Creates a period and posts its budget as funding. Periods of a municipality never overlap.
    async fn create_period(&self, actor: &Actor, p: NewPeriod) -> Result<api::FinancingPeriod>;
    async fn list_periods(&self, municipality_id: Uuid) -> Result<Vec<api::FinancingPeriod>>;
    /// Changes a period's parameters (`expected_version` is the client's `If-Match`), recorded
    /// with the reason; a budget change posts funding or defunding of the difference.
    #[allow(clippy::too_many_arguments)]
    async fn update_period(
        &self,
        actor: &Actor,
        id: Uuid,
        p: NewPeriod,
        reason: &str,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<api::FinancingPeriod>;
    /// The recorded changes of a period, oldest first; for operators.
    async fn period_events(&self, actor: &Actor, id: Uuid) -> Result<Vec<api::PeriodEvent>>;
    async fn create_program(&self, actor: &Actor, p: NewProgram) -> Result<api::Program>;
    async fn create_group(&self, actor: &Actor, g: NewGroup) -> Result<api::Group>;
    /// A group with its `version`, for its provider's staff and the operators who keep its
    /// program; `NotFound` for everyone else.
    async fn get_group(&self, actor: &Actor, id: Uuid) -> Result<api::Group>;
    /// Edits a group's terms (`g.program_id` is ignored: a group stays with its program);
    /// `expected_version` is the client's `If-Match`. The capacity stays at or above the seats
    /// taken, the dates stay while enrollments were accepted (`navigator_domain::program::
    /// check_group_edit`); seats freed by a larger capacity or a reopening are offered to the
    /// waitlist in the same transaction.
    async fn update_group(
        &self,
        actor: &Actor,
        id: Uuid,
        g: NewGroup,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<api::Group>;
    /// Edits a draft program; `expected_version` is the client's `If-Match`.
    async fn update_program(
        &self,
        actor: &Actor,
        id: Uuid,
        draft: NewProgram,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<api::Program>;
    /// Moves a program through the registry's workflow (submit, publish with the funding decision,
    /// return with remarks, archive), recorded with who, when and why.
    async fn change_program_status(
        &self,
        actor: &Actor,
        id: Uuid,
        action: ProgramAction,
        funding: Option<api::Funding>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Program>;
    /// The recorded decisions on a program, oldest first; for its provider and operators.
    async fn program_events(&self, actor: &Actor, id: Uuid) -> Result<Vec<api::ProgramEvent>>;
    /// The catalog: published programs (all of the actor's own with `any_status`), by title.
    async fn search_programs(
        &self,
        filter: &ProgramFilter,
        page: &PageRequest,
    ) -> Result<api::Page<api::ProgramSummary>>;
    /// The registry's programs across providers, for operators: the municipal operator's
    /// municipality, the whole region for the regional operator (others are `Forbidden`).
    /// Filtered by `status` (`on_moderation`: the moderation queue) and `municipality_id`; in the
    /// order the programs entered their status, the longest waiting first.
    async fn list_registry_programs(
        &self,
        actor: &Actor,
        status: Option<api::ProgramStatus>,
        municipality_id: Option<Uuid>,
        page: &PageRequest,
    ) -> Result<api::Page<api::ProgramSummary>>;
    /// How many programs each choice of each filter leaves, under the other filters.
    async fn program_facets(&self, filter: &ProgramFilter) -> Result<api::ProgramFacets>;
    /// A program with its groups; unpublished ones only to their provider and operators.
    async fn get_program(&self, actor: Option<&Actor>, id: Uuid) -> Result<api::Program>;

    // Children and certificates ------------------------------------------------------------
    async fn create_child(&self, actor: &Actor, child: NewChild) -> Result<api::Child>;
    async fn list_children(&self, actor: &Actor) -> Result<Vec<api::Child>>;
    async fn get_child(&self, actor: &Actor, id: Uuid) -> Result<api::Child>;
    /// Issues the child's certificate: `pending` when the family asks online, `accounting` at once
    /// when staff issue it at the desk for a family present in person. One per child and SNILS.
    async fn issue_certificate(
        &self,
        actor: &Actor,
        child_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Certificate>;
    /// Certificates the actor may see: the family's own, a municipality's for its operator, all
    /// for the regional operator.
    async fn list_certificates(
        &self,
        actor: &Actor,
        status: Option<api::CertificateStatus>,
        page: &PageRequest,
    ) -> Result<api::Page<api::Certificate>>;
    async fn get_certificate(&self, actor: &Actor, id: Uuid) -> Result<api::Certificate>;
    async fn certificate_history(&self, actor: &Actor, id: Uuid)
        -> Result<api::CertificateHistory>;
    /// The operator confirms the documents: `pending` → `accounting`.
    async fn activate_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Certificate>;

    /// Suspends, resumes or closes a certificate with a reason, recorded in its history. Closing
    /// ends the child's enrollments (reservations return at once) and returns what is left on
    /// the certificate to the period's fund.
    async fn change_certificate_status(
        &self,
        actor: &Actor,
        id: Uuid,
        action: CertificateAction,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Certificate>;
    /// Closes the certificates of children who turned 18; returns how many.
    async fn close_expired_certificates(&self, now: DateTime<Utc>) -> Result<u64>;

    // Applications and money ---------------------------------------------------------------
    /// The co-payment split for a child and a group on `today`, changing nothing.
    async fn quote(
        &self,
        actor: &Actor,
        child_id: Uuid,
        group_id: Uuid,
        today: NaiveDate,
    ) -> Result<api::Quote>;
    /// Files an application after every check; for a certified program, a certificate of
    /// accounting switches to financing here (credited the prorated nominal), unless the
    /// period's quota or budget is used up.
    async fn apply(
        &self,
        actor: &Actor,
        child_id: Uuid,
        group_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Application>;
    async fn list_applications(
        &self,
        actor: &Actor,
        filter: &ApplicationFilter,
        page: &PageRequest,
    ) -> Result<api::Page<api::Application>>;
    async fn get_application(&self, actor: &Actor, id: Uuid) -> Result<api::Application>;
    /// The provider accepts: a seat is taken and the certificate's share of the months left is
    /// reserved, month by month.
    async fn accept_application(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Application>;
    async fn reject_application(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Application>;
    /// The family takes back a submitted application.
    async fn withdraw_application(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Application>;
    /// Ends an accepted enrollment early: the seat frees and what is reserved and not written off
    /// returns to the certificate at once.
    async fn end_enrollment(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: api::EndReason,
        comment: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<api::Application>;
    async fn mark_attendance(
        &self,
        actor: &Actor,
        application_id: Uuid,
        mark: &api::AttendanceMark,
        now: DateTime<Utc>,
    ) -> Result<api::Attendance>;
    async fn list_attendance(
        &self,
        actor: &Actor,
        application_id: Uuid,
    ) -> Result<Vec<api::Attendance>>;
    /// The provider invoices one month of one enrollment (once; within the contract; a month
    /// with no attendance needs a reason).
    async fn create_invoice(
        &self,
        actor: &Actor,
        req: &api::CreateInvoiceRequest,
        now: DateTime<Utc>,
    ) -> Result<api::Invoice>;
    async fn list_invoices(
        &self,
        actor: &Actor,
        filter: &InvoiceFilter,
        page: &PageRequest,
    ) -> Result<api::Page<api::Invoice>>;
    /// The municipal operator approves: the certificate's share of the month is written off from
    /// the reservation to the provider.
    async fn approve_invoice(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Invoice>;
    async fn reject_invoice(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Invoice>;

    /// A provider's money; visible to its staff, its municipality's operator and the regional
    /// operator.
    async fn provider_account(
        &self,
        actor: &Actor,
        provider_id: Uuid,
    ) -> Result<api::ProviderAccount>;
    /// One batch of the monthly billing run of a municipality: for up to `batch_size` accepted
    /// enrollments with `month` in their contract (after `after`, in id order), issues the month's
    /// invoice where none exists and, with `approve`, approves the month's issued invoices, writing
    /// the certificates' shares off. Each batch is one transaction, so a crash loses at most the
    /// batch in flight; enrollments already invoiced are skipped, so a second run changes nothing.
    #[allow(clippy::too_many_arguments)]
    async fn billing_run_batch(
        &self,
        actor: &Actor,
        municipality_id: Uuid,
        month: Month,
        approve: bool,
        after: Option<Uuid>,
        batch_size: u32,
        now: DateTime<Utc>,
    ) -> Result<BillingBatch>;

    /// One batch of the rollover of a municipality to the period open on `now`: for up to
    /// `batch_size` certificates still financed by an ended period (after `after`, in id order),
    /// completes their enrollments of that period (reservations return), returns what is left
    /// to the old period's fund (no carry-over) and credits the new period's nominal, prorated by
    /// the months left, or switches the certificate back to accounting when the new period's
    /// quota or budget has no room. Certificates already rolled over are skipped, so running it
    /// twice changes nothing the second time.
    async fn rollover_batch(
        &self,
        actor: &Actor,
        municipality_id: Uuid,
        after: Option<Uuid>,
        batch_size: u32,
        now: DateTime<Utc>,
    ) -> Result<RolloverBatch>;

    // Ledger -------------------------------------------------------------------------------
    /// Checks every invariant of the ledger; empty when all hold.
    async fn verify_ledger(&self) -> Result<Vec<LedgerViolation>>;
}

/// Opens the store named by a database URL: `postgres://…` or `sqlite:…` (a file, created if
/// missing, in WAL mode), with the default settings.
pub async fn connect(database_url: &str) -> Result<std::sync::Arc<dyn Store>> {
    connect_with(database_url, StoreSettings::default()).await
}

/// Like [`connect`], with the settings given.
pub async fn connect_with(
    database_url: &str,
    settings: StoreSettings,
) -> Result<std::sync::Arc<dyn Store>> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        Ok(std::sync::Arc::new(
            pg::PgStore::connect(database_url, settings).await?,
        ))
    } else if database_url.starts_with("sqlite:") {
        Ok(std::sync::Arc::new(
            sqlite::SqliteStore::connect(database_url, settings).await?,
        ))
    } else {
        Err(StoreError::Invalid {
            field: "DATABASE_URL",
            code: "unsupported_database",
            message: "DATABASE_URL must start with postgres:// or sqlite:".into(),
        })
    }
}
