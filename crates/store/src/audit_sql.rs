//! The SQL of [`AuditStore`], written once and compiled twice like `sql.rs`.
//!
//! The log is a `UNION ALL` of the histories, each branch read newest first on its own
//! `(at, id)` index (migration 0010) with the page's filters and cursor, and cut at the page's
//! size before the union orders them: a page reads at most `branches × (limit + 1)` rows however
//! long the histories grow. A municipality's money movements are read period by period on
//! `ledger_postings (period_id, at, id)`, since a posting names its period, not its municipality.

use async_trait::async_trait;
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::Money;

use super::sql::{encode_cursor, into_page, limit_of, push_newest_first, require_role, SqlStore};
use super::Db;
use crate::audit::{AuditFilter, AuditStore};
use crate::{Actor, PageRequest, Result, StoreError};

type DbRow = <Db as sqlx::Database>::Row;

/// One history read as audit events: its columns as expressions over its tables.
struct Source {
    /// `FROM …` with the tables that give the municipality. Joined by `CROSS JOIN`, which
    /// SQLite reads as "this order": the history outside, walked on its `(at, id)` index and
    /// stopped at the page's end, instead of every row of the municipality sorted.
    /// PostgreSQL plans it as any inner join.
    from: &'static str,
    /// The join's condition and the row's own (a decided invoice), or `1 = 1`.
    condition: &'static str,
    id: &'static str,
    at: &'static str,
    actor_id: &'static str,
    actor_role: &'static str,
    action: &'static str,
    object_kind: &'static str,
    object_id: &'static str,
    municipality_id: &'static str,
    amount: &'static str,
    reason: &'static str,
    /// The kinds of object and the actions this history has.
    kinds: &'static [api::AuditObjectKind],
    actions: fn(api::AuditAction) -> bool,
    /// The ledger's postings, read period by period for a municipality.
    postings: bool,
}

const POSTING_OBJECT_KIND: &str = "CASE WHEN lp.invoice_id IS NOT NULL THEN 'invoice' \
     WHEN lp.application_id IS NOT NULL THEN 'application' \
     WHEN lp.certificate_id IS NOT NULL THEN 'certificate' ELSE 'period' END";

const POSTINGS: Source = Source {
    from: "ledger_postings lp",
    condition: "1 = 1",
    id: "lp.id",
    at: "lp.at",
    actor_id: "lp.actor_id",
    actor_role: "(SELECT u.role FROM users u WHERE u.id = lp.actor_id)",
    action: "lp.kind",
    object_kind: POSTING_OBJECT_KIND,
    object_id: "COALESCE(lp.invoice_id, lp.application_id, lp.certificate_id, lp.period_id)",
    municipality_id: "(SELECT pe.municipality_id FROM periods pe WHERE pe.id = lp.period_id)",
    amount: "lp.amount",
    reason: "CAST(NULL AS TEXT)",
    kinds: &[
        api::AuditObjectKind::Invoice,
        api::AuditObjectKind::Application,
        api::AuditObjectKind::Certificate,
        api::AuditObjectKind::Period,
    ],
    actions: api::AuditAction::moves_money,
    postings: true,
};

const CERTIFICATE_EVENTS: Source = Source {
    from: "certificate_events ce CROSS JOIN certificates c",
    condition: "c.id = ce.certificate_id",
    id: "ce.id",
    at: "ce.at",
    actor_id: "ce.actor_id",
    actor_role: "ce.actor_role",
    action: "CASE WHEN ce.from_status IS NULL THEN 'certificate_issued' \
         WHEN ce.to_status = 'closed' THEN 'certificate_closed' \
         WHEN ce.to_status = 'suspended' THEN 'certificate_suspended' \
         WHEN ce.from_status = 'suspended' THEN 'certificate_resumed' \
         WHEN ce.from_status = 'pending' THEN 'certificate_activated' \
         WHEN ce.from_status = 'financing' AND ce.to_status = 'financing' \
         THEN 'certificate_renewed' \
         WHEN ce.to_status = 'financing' THEN 'certificate_financed' \
         ELSE 'certificate_unfinanced' END",
    object_kind: "'certificate'",
    object_id: "ce.certificate_id",
    municipality_id: "c.municipality_id",
    amount: "CAST(NULL AS BIGINT)",
    reason: "ce.reason",
    kinds: &[api::AuditObjectKind::Certificate],
    actions: |a| {
        use api::AuditAction::*;
        matches!(
            a,
            CertificateIssued
                | CertificateActivated
                | CertificateFinanced
                | CertificateRenewed
                | CertificateUnfinanced
                | CertificateSuspended
                | CertificateResumed
                | CertificateClosed
        )
    },
    postings: false,
};

const PROGRAM_EVENTS: Source = Source {
    from: "program_events pv CROSS JOIN programs p",
    condition: "p.id = pv.program_id",
    id: "pv.id",
    at: "pv.at",
    actor_id: "pv.actor_id",
    actor_role: "pv.actor_role",
    action: "CASE pv.action WHEN 'create' THEN 'program_created' \
         WHEN 'update' THEN 'program_updated' WHEN 'import' THEN 'program_imported' \
         WHEN 'submit' THEN 'program_submitted' WHEN 'publish' THEN 'program_published' \
         WHEN 'return' THEN 'program_returned' ELSE 'program_archived' END",
    object_kind: "'program'",
    object_id: "pv.program_id",
    municipality_id: "p.municipality_id",
    amount: "CAST(NULL AS BIGINT)",
    reason: "pv.reason",
    kinds: &[api::AuditObjectKind::Program],
    actions: |a| {
        use api::AuditAction::*;
        matches!(
            a,
            ProgramCreated
                | ProgramUpdated
                | ProgramImported
                | ProgramSubmitted
                | ProgramPublished
                | ProgramReturned
                | ProgramArchived
        )
    },
    postings: false,
};

const PERIOD_EVENTS: Source = Source {
    from: "period_events pv CROSS JOIN periods pe",
    condition: "pe.id = pv.period_id",
    id: "pv.id",
    at: "pv.at",
    actor_id: "pv.actor_id",
    actor_role: "pv.actor_role",
    // The opening records the whole period («period … – …; nominal …»), a change what changed.
    action: "CASE WHEN pv.changes LIKE 'period %' THEN 'period_opened' \
         ELSE 'period_changed' END",
    object_kind: "'period'",
    object_id: "pv.period_id",
    municipality_id: "pe.municipality_id",
    amount: "CAST(NULL AS BIGINT)",
    reason: "pv.reason",
    kinds: &[api::AuditObjectKind::Period],
    actions: |a| {
        matches!(
            a,
            api::AuditAction::PeriodOpened | api::AuditAction::PeriodChanged
        )
    },
    postings: false,
};

const PROVIDER_EVENTS: Source = Source {
    from: "provider_events pv CROSS JOIN providers pr",
    condition: "pr.id = pv.provider_id",
    id: "pv.id",
    at: "pv.at",
    actor_id: "pv.actor_id",
    actor_role: "pv.actor_role",
    action: "CASE pv.action WHEN 'create' THEN 'provider_created' \
         WHEN 'update' THEN 'provider_updated' ELSE 'provider_imported' END",
    object_kind: "'provider'",
    object_id: "pv.provider_id",
    municipality_id: "pr.municipality_id",
    amount: "CAST(NULL AS BIGINT)",
    reason: "pv.reason",
    kinds: &[api::AuditObjectKind::Provider],
    actions: |a| {
        use api::AuditAction::*;
        matches!(a, ProviderCreated | ProviderUpdated | ProviderImported)
    },
    postings: false,
};

const REVIEW_MODERATION: Source = Source {
    from: "review_moderation_events rv CROSS JOIN reviews r CROSS JOIN programs p",
    condition: "r.id = rv.review_id AND p.id = r.program_id",
    id: "rv.id",
    at: "rv.at",
    actor_id: "rv.actor_id",
    actor_role: "rv.actor_role",
    action: "CASE WHEN rv.hidden THEN 'review_hidden' ELSE 'review_shown' END",
    object_kind: "'review'",
    object_id: "rv.review_id",
    municipality_id: "p.municipality_id",
    amount: "CAST(NULL AS BIGINT)",
    reason: "rv.reason",
    kinds: &[api::AuditObjectKind::Review],
    actions: |a| {
        matches!(
            a,
            api::AuditAction::ReviewHidden | api::AuditAction::ReviewShown
        )
    },
    postings: false,
};

const INVOICE_DECISIONS: Source = Source {
    from: "invoices i",
    condition: "i.decided_at IS NOT NULL AND i.status IN ('approved', 'rejected')",
    id: "i.id",
    at: "i.decided_at",
    actor_id: "i.decided_by",
    actor_role: "i.decided_by_role",
    action: "CASE i.status WHEN 'approved' THEN 'invoice_approved' ELSE 'invoice_rejected' END",
    object_kind: "'invoice'",
    object_id: "i.id",
    municipality_id: "i.municipality_id",
    amount: "i.certificate_amount",
    reason: "i.decision_reason",
    kinds: &[api::AuditObjectKind::Invoice],
    actions: |a| {
        matches!(
            a,
            api::AuditAction::InvoiceApproved | api::AuditAction::InvoiceRejected
        )
    },
    postings: false,
};

static SOURCES: [&Source; 7] = [
    &POSTINGS,
    &CERTIFICATE_EVENTS,
    &PROGRAM_EVENTS,
    &PERIOD_EVENTS,
    &PROVIDER_EVENTS,
    &REVIEW_MODERATION,
    &INVOICE_DECISIONS,
];

impl Source {
    fn wanted(&self, filter: &AuditFilter) -> bool {
        filter.object_kind.is_none_or(|k| self.kinds.contains(&k))
            && filter.action.is_none_or(|a| (self.actions)(a))
    }

    fn is_postings(&self) -> bool {
        self.postings
    }
}

/// Pushes one branch: the source's rows that pass the filters, newest first, `limit + 1` of them.
/// `period` narrows postings to one period of the caller's municipality.
fn push_branch(
    qb: &mut QueryBuilder<'_, Db>,
    source: &Source,
    filter: &AuditFilter,
    municipality: Option<Uuid>,
    period: Option<Uuid>,
    cursor: Option<&str>,
    limit: i64,
) -> Result<()> {
    qb.push(format!(
        "SELECT * FROM (SELECT {id} AS id, {at} AS at, {actor_id} AS actor_id, \
         {actor_role} AS actor_role, {action} AS action, {object_kind} AS object_kind, \
         {object_id} AS object_id, {municipality_id} AS municipality_id, {amount} AS amount, \
         {reason} AS reason FROM {from} WHERE {condition}",
        id = source.id,
        at = source.at,
        actor_id = source.actor_id,
        actor_role = source.actor_role,
        action = source.action,
        object_kind = source.object_kind,
        object_id = source.object_id,
        municipality_id = source.municipality_id,
        amount = source.amount,
        reason = source.reason,
        from = source.from,
        condition = source.condition,
    ));
    if let Some(period) = period {
        qb.push(" AND lp.period_id = ").push_bind(period);
    } else if let Some(m) = municipality {
        qb.push(format!(" AND {} = ", source.municipality_id))
            .push_bind(m);
    }
    if let Some(actor) = filter.actor_id {
        qb.push(format!(" AND {} = ", source.actor_id))
            .push_bind(actor);
    }
    if let Some(action) = filter.action {
        qb.push(format!(" AND {} = ", source.action))
            .push_bind(action.as_str());
    }
    if source.is_postings() {
        push_posting_object(qb, filter);
    } else if let Some(id) = filter.object_id {
        qb.push(format!(" AND {} = ", source.object_id))
            .push_bind(id);
    }
    if let Some(from) = filter.from {
        qb.push(format!(" AND {} >= ", source.at)).push_bind(from);
    }
    if let Some(until) = filter.until {
        qb.push(format!(" AND {} < ", source.at)).push_bind(until);
    }
    push_newest_first(qb, source.at, source.id, cursor, limit)?;
    qb.push(") b");
    Ok(())
}

/// The object filters of postings, on the columns their indexes cover: a posting is about its
/// invoice, else its enrollment, else its certificate, else its period.
fn push_posting_object(qb: &mut QueryBuilder<'_, Db>, filter: &AuditFilter) {
    use api::AuditObjectKind as K;
    const ABOUT: [(api::AuditObjectKind, &str); 4] = [
        (K::Invoice, "lp.invoice_id = "),
        (
            K::Application,
            "lp.invoice_id IS NULL AND lp.application_id = ",
        ),
        (
            K::Certificate,
            "lp.invoice_id IS NULL AND lp.application_id IS NULL AND lp.certificate_id = ",
        ),
        (
            K::Period,
            "lp.invoice_id IS NULL AND lp.application_id IS NULL AND lp.certificate_id IS NULL \
             AND lp.period_id = ",
        ),
    ];
    match (filter.object_kind, filter.object_id) {
        (None, None) => {}
        (Some(kind), None) => {
            qb.push(format!(" AND {POSTING_OBJECT_KIND} = "))
                .push_bind(kind.as_str());
        }
        (kind, Some(id)) => {
            qb.push(" AND (");
            let mut first = true;
            for (about, condition) in ABOUT {
                if kind.is_some_and(|k| k != about) {
                    continue;
                }
                if !first {
                    qb.push(" OR ");
                }
                first = false;
                qb.push("(").push(condition).push_bind(id).push(")");
            }
            qb.push(")");
        }
    }
}

fn event_from_row(row: &DbRow) -> Result<api::AuditEvent> {
    let actor_id: Option<Uuid> = row.try_get("actor_id")?;
    // The nil id is the navigator itself (batch runs, the rollover, the demo data).
    let actor_id = actor_id.filter(|id| !id.is_nil());
    let actor_role: Option<String> = row.try_get("actor_role")?;
    let actor_role = match (actor_id, actor_role) {
        (Some(_), Some(role)) => {
            Some(api::Role::parse(&role).ok_or_else(|| super::sql::corrupt("actor_role", &role))?)
        }
        _ => None,
    };
    let action: String = row.try_get("action")?;
    let object_kind: String = row.try_get("object_kind")?;
    let amount: Option<i64> = row.try_get("amount")?;
    Ok(api::AuditEvent {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor_id,
        actor_role,
        action: api::AuditAction::parse(&action)
            .ok_or_else(|| super::sql::corrupt("action", &action))?,
        object_kind: api::AuditObjectKind::parse(&object_kind)
            .ok_or_else(|| super::sql::corrupt("object_kind", &object_kind))?,
        object_id: row.try_get("object_id")?,
        municipality_id: row.try_get("municipality_id")?,
        amount: amount.map(Money::from_kopecks),
        reason: row.try_get("reason")?,
    })
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn audit_events(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> Result<api::Page<api::AuditEvent>> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "the audit log is the operators'",
        )?;
        let municipality = match actor.role {
            api::Role::MunicipalOperator => {
                let own = actor.municipality_id.ok_or(StoreError::NotFound)?;
                if filter.municipality_id.is_some_and(|m| m != own) {
                    return Err(StoreError::NotFound);
                }
                Some(own)
            }
            _ => filter.municipality_id,
        };
        let limit = limit_of(page);
        let cursor = page.cursor.as_deref();
        // A municipality's postings are read period by period (a handful: one a year).
        let periods: Vec<Uuid> = match municipality {
            Some(m) if POSTINGS.wanted(filter) => {
                sqlx::query_scalar("SELECT id FROM periods WHERE municipality_id = $1 ORDER BY id")
                    .bind(m)
                    .fetch_all(self.pool())
                    .await?
            }
            _ => Vec::new(),
        };
        let mut qb = QueryBuilder::<Db>::new("SELECT * FROM (");
        let mut branches = 0;
        for source in SOURCES {
            if !source.wanted(filter) {
                continue;
            }
            let narrowed: Vec<Option<Uuid>> = match municipality {
                Some(_) if source.is_postings() => periods.iter().copied().map(Some).collect(),
                _ => vec![None],
            };
            for period in narrowed {
                if branches > 0 {
                    qb.push(" UNION ALL ");
                }
                push_branch(&mut qb, source, filter, municipality, period, cursor, limit)?;
                branches += 1;
            }
        }
        if branches == 0 {
            return Ok(api::Page {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        qb.push(") u ORDER BY u.at DESC, u.id DESC LIMIT ")
            .push_bind(limit + 1);
        let rows = qb.build().fetch_all(self.pool()).await?;
        let items = rows
            .iter()
            .map(event_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |e| {
            encode_cursor(&e.at.to_rfc3339(), e.id)
        }))
    }
}
