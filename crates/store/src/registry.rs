//! The registry of providers (реестр поставщиков) and the registry files: operators register
//! providers and change their entries, the providers' staff keep their contacts current, every
//! change recorded with who, when, what and why; staff are invited by a single-use link; the
//! registries of providers, programs and groups go in and out as files (CSV or XLSX, read into
//! and written from the one model of a file, [`Table`], outside the store).
//!
//! An import is one transaction, all or nothing: the file is read, every row checked against the
//! rules and the database as it stands, and only a file without a single bad row is written,
//! in batches of multi-row inserts. A rejected file comes back as the report of every bad cell.
//!
//! How files name things (documented for operators in the API description):
//! - providers by their ИНН: a row with a known ИНН changes that provider;
//! - programs by the provider's ИНН and the program's key (`код программы`): the key the file
//!   gave it, or, for a program created through the API, its id as exported;
//! - groups by the program's ИНН and key and the group's key (`код группы`), the same way.
//!
//! Imported programs are drafts, except that the regional operator, who certifies programs, may
//! import them as published (`статус` = `published`), with the row's funding. A row that matches
//! an existing program changes it only while it is a draft: published programs change through
//! the workflow of drafts and moderation, and a file that would change one is refused. A row equal
//! to what is stored counts as unchanged, so an exported file imports back without changes.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::import::Table;

use crate::{Actor, Result};

/// How long an invitation's link works.
pub const INVITATION_LIFETIME: Duration = Duration::hours(72);

/// An invitation to store: only the SHA-256 of its token.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub email: String,
    pub full_name: String,
    pub token_hash: String,
}

/// Called with the number of rows written so far, for progress bars.
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

#[async_trait]
pub trait RegistryStore: Send + Sync {
    /// Registers a provider: the municipal operator in its municipality, the regional operator
    /// anywhere. The entry must pass the domain's rules (`Fields` with every broken one); a
    /// registered ИНН is `Conflict("inn_taken")`.
    async fn create_provider(
        &self,
        actor: &Actor,
        p: api::ProviderDraft,
        now: DateTime<Utc>,
    ) -> Result<api::Provider>;
    async fn list_providers(&self, municipality_id: Option<Uuid>) -> Result<Vec<api::Provider>>;
    async fn get_provider(&self, id: Uuid) -> Result<api::Provider>;
    /// Replaces a provider's entry (`expected_version` is the client's `If-Match`), recorded
    /// with the reason. The provider's staff change the contacts, address, coordinates and
    /// licence only; operators everything, a municipal operator within its municipality.
    #[allow(clippy::too_many_arguments)]
    async fn update_provider(
        &self,
        actor: &Actor,
        id: Uuid,
        p: api::ProviderDraft,
        reason: &str,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<api::Provider>;
    /// The recorded changes of a provider, oldest first; for its staff and operators.
    async fn provider_events(&self, actor: &Actor, id: Uuid) -> Result<Vec<api::ProviderEvent>>;

    /// Invites a staff member of the provider: by its staff or its operators. The invitation
    /// expires after [`INVITATION_LIFETIME`].
    async fn create_invitation(
        &self,
        actor: &Actor,
        provider_id: Uuid,
        invitation: NewInvitation,
        now: DateTime<Utc>,
    ) -> Result<api::Invitation>;
    /// The provider's invitations not accepted and not expired, newest first.
    async fn list_invitations(
        &self,
        actor: &Actor,
        provider_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Vec<api::Invitation>>;
    /// Creates the invited staff account, once: `Conflict("invitation_used")` for a token
    /// already accepted, `Conflict("invitation_expired")` past its term, `NotFound` for a token
    /// never issued; `Conflict("email_taken")` when the email has an account.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<api::User>;

    /// Imports a registry file in one transaction (see the module's documentation). Operators
    /// only; a municipal operator's rows stay within its municipality. A report with `errors`
    /// wrote nothing.
    async fn import_registry(
        &self,
        actor: &Actor,
        kind: api::RegistryKind,
        table: &Table,
        now: DateTime<Utc>,
        progress: Progress<'_>,
    ) -> Result<api::ImportReport>;
    /// The registry as a file that [`RegistryStore::import_registry`] reads back unchanged: the
    /// municipal operator's municipality, or everything for the regional operator.
    async fn export_registry(&self, actor: &Actor, kind: api::RegistryKind) -> Result<Table>;
}
