//! The operators' audit log: every money movement and every operator decision, newest first. It
//! is a read over the histories the use cases already write (certificates', programs', periods'
//! and providers' events, reviews' moderation, invoices' decisions, the ledger's postings), not a
//! table of its own, so nothing can be changed without it showing here.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use navigator_api_types as api;

use crate::{Actor, PageRequest, Result};

/// Filters of the audit log; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The regional operator's choice of municipality; a municipal operator sees only its own.
    pub municipality_id: Option<Uuid>,
    pub object_kind: Option<api::AuditObjectKind>,
    pub object_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub action: Option<api::AuditAction>,
    /// From this instant on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (exclusive).
    pub until: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// A page of the audit log, newest first, for operators: a municipal operator sees its
    /// municipality's events (`NotFound` when it names another municipality), the regional
    /// operator all; others are `Forbidden`.
    async fn audit_events(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> Result<api::Page<api::AuditEvent>>;
}
