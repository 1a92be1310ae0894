//! Acting for a family with its consent: staff register a family that came in person without an
//! account (the parent is invited by letter to set a password) and file applications for it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use navigator_api_types as api;

use crate::{Actor, NewChild, Result};

/// A family registered at the desk.
#[derive(Debug, Clone)]
pub struct NewFamily {
    pub email: String,
    pub full_name: String,
    pub child: NewChild,
    pub consent: api::Consent,
    /// SHA-256 (hex) of the invitation's single-use token; the token itself goes only into the
    /// letter.
    pub token_hash: String,
    pub invitation_expires_at: DateTime<Utc>,
}

#[async_trait]
pub trait FamilyStore: Send + Sync {
    /// Provider staff or an operator (of the child's municipality) register a family with no
    /// usable password, its child, and the parent's consent. `email_taken` when the address
    /// has an account; `snils_taken` when the child is registered.
    async fn register_family(
        &self,
        actor: &Actor,
        family: NewFamily,
        now: DateTime<Utc>,
    ) -> Result<api::RegisteredFamily>;

    /// The parent follows the invitation: the token (by its hash) is used once, before it
    /// expires, and sets the password. Unknown, used or expired tokens are `NotFound`.
    async fn activate_family(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<api::User>;

    /// Provider staff (for their own groups) or an operator (for their municipality) file an
    /// application for a child of that municipality, with the family's consent recorded on it;
    /// every check of applying applies. Others' children and groups are `NotFound`.
    async fn apply_on_behalf(
        &self,
        actor: &Actor,
        child_id: Uuid,
        group_id: Uuid,
        consent: &api::Consent,
        now: DateTime<Utc>,
    ) -> Result<api::Application>;
}
