//! The operators' audit log: every money movement and every operator decision, newest first, read
//! from the histories the navigator keeps (certificates', programs', periods' and providers'
//! events, reviews' moderation, invoices' decisions, the ledger's postings). Ids only: no name,
//! birth date or SNILS in any item.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Money, Role};

/// What an audit event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditObjectKind {
    Certificate,
    Program,
    Period,
    Provider,
    Review,
    Invoice,
    /// An enrollment (an accepted application): its reservation and releases.
    Application,
}

impl AuditObjectKind {
    pub const ALL: [AuditObjectKind; 7] = [
        AuditObjectKind::Certificate,
        AuditObjectKind::Program,
        AuditObjectKind::Period,
        AuditObjectKind::Provider,
        AuditObjectKind::Review,
        AuditObjectKind::Invoice,
        AuditObjectKind::Application,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditObjectKind::Certificate => "certificate",
            AuditObjectKind::Program => "program",
            AuditObjectKind::Period => "period",
            AuditObjectKind::Provider => "provider",
            AuditObjectKind::Review => "review",
            AuditObjectKind::Invoice => "invoice",
            AuditObjectKind::Application => "application",
        }
    }

    pub fn parse(s: &str) -> Option<AuditObjectKind> {
        AuditObjectKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What happened, as a stable code. Money movements are named by their posting's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A certificate was issued (online or at the desk).
    CertificateIssued,
    /// An operator confirmed the documents: the certificate can be used.
    CertificateActivated,
    /// The certificate switched to financing and received its nominal.
    CertificateFinanced,
    /// A new period's nominal was credited at the rollover.
    CertificateRenewed,
    /// The rollover found no room in the new period: back to accounting.
    CertificateUnfinanced,
    CertificateSuspended,
    CertificateResumed,
    CertificateClosed,
    ProgramCreated,
    ProgramUpdated,
    ProgramImported,
    ProgramSubmitted,
    ProgramPublished,
    ProgramReturned,
    ProgramArchived,
    PeriodOpened,
    PeriodChanged,
    ProviderCreated,
    ProviderUpdated,
    ProviderImported,
    ReviewHidden,
    ReviewShown,
    InvoiceApproved,
    InvoiceRejected,
    /// The municipality funds a period's budget.
    Funding,
    /// The municipality lowers a period's budget.
    Defunding,
    /// A certificate receives a period's nominal.
    Credit,
    /// Money set aside for an accepted enrollment.
    Reservation,
    /// A month of service paid to the provider.
    WriteOff,
    /// Reserved money going back to the certificate.
    Release,
    /// A certificate's money going back to its period's fund.
    Expiry,
    /// A month's co-payment the family owes the provider.
    CoPayment,
}

impl AuditAction {
    pub const ALL: [AuditAction; 32] = [
        AuditAction::CertificateIssued,
        AuditAction::CertificateActivated,
        AuditAction::CertificateFinanced,
        AuditAction::CertificateRenewed,
        AuditAction::CertificateUnfinanced,
        AuditAction::CertificateSuspended,
        AuditAction::CertificateResumed,
        AuditAction::CertificateClosed,
        AuditAction::ProgramCreated,
        AuditAction::ProgramUpdated,
        AuditAction::ProgramImported,
        AuditAction::ProgramSubmitted,
        AuditAction::ProgramPublished,
        AuditAction::ProgramReturned,
        AuditAction::ProgramArchived,
        AuditAction::PeriodOpened,
        AuditAction::PeriodChanged,
        AuditAction::ProviderCreated,
        AuditAction::ProviderUpdated,
        AuditAction::ProviderImported,
        AuditAction::ReviewHidden,
        AuditAction::ReviewShown,
        AuditAction::InvoiceApproved,
        AuditAction::InvoiceRejected,
        AuditAction::Funding,
        AuditAction::Defunding,
        AuditAction::Credit,
        AuditAction::Reservation,
        AuditAction::WriteOff,
        AuditAction::Release,
        AuditAction::Expiry,
        AuditAction::CoPayment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::CertificateIssued => "certificate_issued",
            AuditAction::CertificateActivated => "certificate_activated",
            AuditAction::CertificateFinanced => "certificate_financed",
            AuditAction::CertificateRenewed => "certificate_renewed",
            AuditAction::CertificateUnfinanced => "certificate_unfinanced",
            AuditAction::CertificateSuspended => "certificate_suspended",
            AuditAction::CertificateResumed => "certificate_resumed",
            AuditAction::CertificateClosed => "certificate_closed",
            AuditAction::ProgramCreated => "program_created",
            AuditAction::ProgramUpdated => "program_updated",
            AuditAction::ProgramImported => "program_imported",
            AuditAction::ProgramSubmitted => "program_submitted",
            AuditAction::ProgramPublished => "program_published",
            AuditAction::ProgramReturned => "program_returned",
            AuditAction::ProgramArchived => "program_archived",
            AuditAction::PeriodOpened => "period_opened",
            AuditAction::PeriodChanged => "period_changed",
            AuditAction::ProviderCreated => "provider_created",
            AuditAction::ProviderUpdated => "provider_updated",
            AuditAction::ProviderImported => "provider_imported",
            AuditAction::ReviewHidden => "review_hidden",
            AuditAction::ReviewShown => "review_shown",
            AuditAction::InvoiceApproved => "invoice_approved",
            AuditAction::InvoiceRejected => "invoice_rejected",
            AuditAction::Funding => "funding",
            AuditAction::Defunding => "defunding",
            AuditAction::Credit => "credit",
            AuditAction::Reservation => "reservation",
            AuditAction::WriteOff => "write_off",
            AuditAction::Release => "release",
            AuditAction::Expiry => "expiry",
            AuditAction::CoPayment => "co_payment",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the action moves money: its event carries the `amount`.
    pub fn moves_money(self) -> bool {
        matches!(
            self,
            AuditAction::Funding
                | AuditAction::Defunding
                | AuditAction::Credit
                | AuditAction::Reservation
                | AuditAction::WriteOff
                | AuditAction::Release
                | AuditAction::Expiry
                | AuditAction::CoPayment
        )
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// The id of the record: the event, the posting, or the decided invoice.
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// Who acted; `null` for the navigator itself (batch runs, the rollover, expiries) and for
    /// invoices decided before deciders were recorded.
    pub actor_id: Option<Uuid>,
    /// The actor's role; `null` when `actor_id` is.
    pub actor_role: Option<Role>,
    pub action: AuditAction,
    pub object_kind: AuditObjectKind,
    pub object_id: Uuid,
    /// The municipality the object belongs to.
    pub municipality_id: Option<Uuid>,
    /// The money moved (postings), or the certificate's share of a decided invoice.
    pub amount: Option<Money>,
    /// The reason recorded with the decision, when there is one.
    pub reason: Option<String>,
}
