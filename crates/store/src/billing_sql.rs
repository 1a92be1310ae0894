//! The monthly billing run's SQL, written once and compiled twice like `sql.rs`.
//!
//! A batch reads its enrollments, their invoices of the month, their attendance and their
//! reservations in four statements, decides every enrollment with the domain's rules
//! (`invoice::check_month_started`, `invoice::no_attendance_reason`, `ledger::check_postable`),
//! and writes the outcome with multi-row statements: the new invoices, the postings with their
//! entries, the balances and the approvals. One transaction per batch, as before: a crash loses
//! the batch in flight only, and what is done is skipped on the next run. Locks are taken in the
//! order every use case takes them (applications, invoices, balances), in id order within each.
//! New invoices, postings and entries get time-ordered ids (UUIDv7), as in `sql.rs`'s `post`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::invoice::{self as rules, MonthAttendance};
use navigator_domain::ledger::{self, Account, AccountKind, Posting};
use navigator_domain::{Money, Month, Refusal};

use super::sql::{money, posting_error, require_role, text, uuid, SqlStore};
use super::{Db, BACKEND};
use crate::dialect::Backend;
use crate::{Actor, BillingBatch, Result, StoreError};

type Tx = sqlx::Transaction<'static, Db>;

/// Rows per multi-row statement: the widest (a posting, 11 values) stays far below SQLite's limit
/// of 32,766 bound values per statement.
const ROWS_PER_STATEMENT: usize = 1_000;

/// One enrollment of the batch, locked.
struct Enrollment {
    id: Uuid,
    certificate_id: Uuid,
    provider_id: Uuid,
    period_id: Option<Uuid>,
    /// The contract's split of the month.
    certificate_amount: Money,
    family_amount: Money,
}

/// The month's live invoice of an enrollment (issued or approved; rejected ones do not count).
struct ExistingInvoice {
    id: Uuid,
    approved: bool,
    certificate_amount: Money,
    family_amount: Money,
}

/// An invoice the batch approves.
struct Approval<'a> {
    invoice_id: Uuid,
    enrollment: &'a Enrollment,
    certificate_amount: Money,
    family_amount: Money,
    /// Its place among the batch's new invoices; `None` for one issued before the run.
    new_invoice: Option<usize>,
}

/// A posting to write, with what it is about.
struct PostingRow {
    id: Uuid,
    posting: Posting,
    certificate_id: Option<Uuid>,
    approval: usize,
}

/// A new invoice to insert.
struct NewInvoice {
    id: Uuid,
    application_id: Uuid,
    provider_id: Uuid,
    attendance: MonthAttendance,
    certificate_amount: Money,
    family_amount: Money,
    approved: bool,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn billing_run_batch(
    store: &SqlStore,
    actor: &Actor,
    municipality_id: Uuid,
    month: Month,
    approve: bool,
    after: Option<Uuid>,
    batch_size: u32,
    now: DateTime<Utc>,
) -> Result<BillingBatch> {
    require_role(
        actor,
        &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
        "the billing run is the municipal operator's",
    )?;
    if actor.role == api::Role::MunicipalOperator && actor.municipality_id != Some(municipality_id)
    {
        return Err(StoreError::NotFound);
    }
    let mut tx = store.begin_write().await?;
    let enrollments = lock_enrollments(&mut tx, municipality_id, month, after, batch_size).await?;
    let ids: Vec<Uuid> = enrollments.iter().map(|e| e.id).collect();
    let existing = lock_invoices(&mut tx, &ids, month).await?;
    let mut batch = BillingBatch {
        last_application_id: ids.last().copied(),
        examined: ids.len() as u64,
        ..BillingBatch::default()
    };

    // Which enrollments need a new invoice, and which issued invoices wait for approval.
    let mut to_issue = Vec::new();
    let mut approvals = Vec::new();
    for enrollment in &enrollments {
        match existing.get(&enrollment.id) {
            Some(invoice) if invoice.approved || !approve => batch.already_done += 1,
            Some(invoice) => approvals.push(Approval {
                invoice_id: invoice.id,
                enrollment,
                certificate_amount: invoice.certificate_amount,
                family_amount: invoice.family_amount,
                new_invoice: None,
            }),
            None => match rules::check_month_started(month, now.date_naive()) {
                Ok(()) => to_issue.push(enrollment),
                Err(refusal) => batch.refusals.push((enrollment.id, refusal.code())),
            },
        }
    }
    let issuing: Vec<Uuid> = to_issue.iter().map(|e| e.id).collect();
    let attendance = attendance_of(&mut tx, &issuing, month).await?;
    let mut new_invoices = Vec::new();
    for enrollment in to_issue {
        let marks = attendance.get(&enrollment.id).copied().unwrap_or_default();
        // The run has no reason to give for a month without lessons: the provider invoices
        // such a month itself, with its reason.
        if let Err(refusal) = rules::no_attendance_reason(month, marks, None) {
            batch.refusals.push((enrollment.id, refusal.code()));
            continue;
        }
        let id = Uuid::now_v7();
        new_invoices.push(NewInvoice {
            id,
            application_id: enrollment.id,
            provider_id: enrollment.provider_id,
            attendance: marks,
            certificate_amount: enrollment.certificate_amount,
            family_amount: enrollment.family_amount,
            approved: false,
        });
        batch.issued += 1;
        batch.family_total = batch
            .family_total
            .checked_add(enrollment.family_amount)
            .unwrap_or(batch.family_total);
        if approve {
            approvals.push(Approval {
                invoice_id: id,
                enrollment,
                certificate_amount: enrollment.certificate_amount,
                family_amount: enrollment.family_amount,
                new_invoice: Some(new_invoices.len() - 1),
            });
        }
    }

    // The postings of the approvals, checked against the reservations as they go.
    let reserved: Vec<Uuid> = approvals
        .iter()
        .filter(|a| a.certificate_amount.is_positive())
        .map(|a| a.enrollment.id)
        .collect();
    let mut balances = lock_reservations(&mut tx, &reserved).await?;
    let mut postings = Vec::new();
    let mut earlier = Vec::new();
    for (index, approval) in approvals.iter().enumerate() {
        match approval_postings(approval, &balances)? {
            Ok(found) => {
                for row in &found {
                    for leg in row.posting.legs() {
                        if leg.account.kind == AccountKind::Reservation {
                            let balance = balances.entry(leg.account.id).or_default();
                            *balance = balance.checked_add(leg.amount).ok_or_else(overflow)?;
                        }
                    }
                }
                postings.extend(found.into_iter().map(|row| PostingRow {
                    approval: index,
                    ..row
                }));
                match approval.new_invoice {
                    Some(new) => new_invoices[new].approved = true,
                    None => earlier.push(approval.invoice_id),
                }
                batch.approved += 1;
                batch.certificate_total = batch
                    .certificate_total
                    .checked_add(approval.certificate_amount)
                    .unwrap_or(batch.certificate_total);
            }
            // The invoice stays issued, for the operator to look into.
            Err(refusal) => batch
                .refusals
                .push((approval.enrollment.id, refusal.code())),
        }
    }
    insert_invoices(&mut tx, &new_invoices, municipality_id, month, actor, now).await?;
    mark_approved(&mut tx, &earlier, actor, now).await?;
    insert_postings(&mut tx, &postings, &approvals, month, actor, now).await?;
    apply_balances(&mut tx, &postings).await?;
    tx.commit().await?;
    Ok(batch)
}

fn overflow() -> StoreError {
    StoreError::Database(sqlx::Error::Protocol("amount overflow".into()))
}

/// The postings that approve an invoice: the certificate's share written off from the
/// reservation to the provider, the family's share recorded as owed to the provider; or why not.
fn approval_postings(
    approval: &Approval<'_>,
    reservations: &HashMap<Uuid, Money>,
) -> Result<std::result::Result<Vec<PostingRow>, Refusal>> {
    let enrollment = approval.enrollment;
    let mut rows = Vec::with_capacity(2);
    if approval.certificate_amount.is_positive() {
        let posting = Posting::write_off(
            enrollment.id,
            enrollment.provider_id,
            approval.certificate_amount,
        )
        .map_err(posting_error)?;
        // Only the reservation can fall short: the provider's account only receives.
        let refused = ledger::check_postable(&posting, |account| match account.kind {
            AccountKind::Reservation => reservations.get(&account.id).copied().unwrap_or_default(),
            _ => Money::ZERO,
        });
        if let Err(refusal) = refused {
            return Ok(Err(refusal));
        }
        rows.push(PostingRow {
            id: Uuid::now_v7(),
            posting,
            certificate_id: Some(enrollment.certificate_id),
            approval: 0,
        });
    }
    if approval.family_amount.is_positive() {
        let posting = Posting::co_payment(
            enrollment.id,
            enrollment.provider_id,
            approval.family_amount,
        )
        .map_err(posting_error)?;
        rows.push(PostingRow {
            id: Uuid::now_v7(),
            posting,
            certificate_id: None,
            approval: 0,
        });
    }
    Ok(Ok(rows))
}

async fn lock_enrollments(
    tx: &mut Tx,
    municipality_id: Uuid,
    month: Month,
    after: Option<Uuid>,
    batch_size: u32,
) -> Result<Vec<Enrollment>> {
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT a.id, a.certificate_id, a.provider_id, a.period_id, am.certificate_amount, \
         am.family_amount FROM applications a JOIN application_months am \
         ON am.application_id = a.id AND am.month = ",
    );
    qb.push_bind(month.to_string())
        .push(" WHERE a.status = 'accepted' AND a.municipality_id = ")
        .push_bind(municipality_id);
    if let Some(after) = after {
        qb.push(" AND a.id > ").push_bind(after);
    }
    qb.push(" ORDER BY a.id LIMIT ")
        .push_bind(i64::from(batch_size.clamp(1, 10_000)));
    if BACKEND == Backend::Postgres {
        qb.push(" FOR NO KEY UPDATE OF a");
    }
    let rows = qb.build().fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|row| {
            Ok(Enrollment {
                id: uuid(row, "id")?,
                certificate_id: uuid(row, "certificate_id")?,
                provider_id: uuid(row, "provider_id")?,
                period_id: row.try_get("period_id")?,
                certificate_amount: money(row, "certificate_amount")?,
                family_amount: money(row, "family_amount")?,
            })
        })
        .collect()
}

/// Pushes ` IN (…)` with the ids bound.
fn push_in(qb: &mut QueryBuilder<'_, Db>, ids: &[Uuid]) {
    qb.push(" IN (");
    let mut list = qb.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    qb.push(")");
}

async fn lock_invoices(
    tx: &mut Tx,
    ids: &[Uuid],
    month: Month,
) -> Result<HashMap<Uuid, ExistingInvoice>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT id, application_id, status, certificate_amount, family_amount FROM invoices \
             WHERE status <> 'rejected' AND month = ",
        );
        qb.push_bind(month.to_string()).push(" AND application_id");
        push_in(&mut qb, chunk);
        qb.push(" ORDER BY id");
        qb.push(BACKEND.for_update());
        for row in qb.build().fetch_all(&mut **tx).await? {
            found.insert(
                uuid(&row, "application_id")?,
                ExistingInvoice {
                    id: uuid(&row, "id")?,
                    approved: text(&row, "status")? == "approved",
                    certificate_amount: money(&row, "certificate_amount")?,
                    family_amount: money(&row, "family_amount")?,
                },
            );
        }
    }
    Ok(found)
}

async fn attendance_of(
    tx: &mut Tx,
    ids: &[Uuid],
    month: Month,
) -> Result<HashMap<Uuid, MonthAttendance>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT application_id, CAST(COUNT(*) AS BIGINT) AS marked, \
             CAST(COALESCE(SUM(CASE WHEN present THEN 1 ELSE 0 END), 0) AS BIGINT) AS attended \
             FROM attendance WHERE lesson_date >= ",
        );
        qb.push_bind(month.first_day())
            .push(" AND lesson_date <= ")
            .push_bind(month.last_day())
            .push(" AND application_id");
        push_in(&mut qb, chunk);
        qb.push(" GROUP BY application_id");
        for row in qb.build().fetch_all(&mut **tx).await? {
            found.insert(
                uuid(&row, "application_id")?,
                MonthAttendance {
                    marked: row.try_get("marked")?,
                    attended: row.try_get("attended")?,
                },
            );
        }
    }
    Ok(found)
}

/// The reservations' balances, locked, by enrollment.
async fn lock_reservations(tx: &mut Tx, ids: &[Uuid]) -> Result<HashMap<Uuid, Money>> {
    let mut found = HashMap::new();
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    for chunk in sorted.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT account_id, balance FROM account_balances WHERE account_kind = ",
        );
        qb.push_bind(AccountKind::Reservation.as_str())
            .push(" AND account_id");
        push_in(&mut qb, chunk);
        qb.push(" ORDER BY account_id");
        qb.push(BACKEND.for_update());
        for row in qb.build().fetch_all(&mut **tx).await? {
            found.insert(uuid(&row, "account_id")?, money(&row, "balance")?);
        }
    }
    Ok(found)
}

async fn insert_invoices(
    tx: &mut Tx,
    invoices: &[NewInvoice],
    municipality_id: Uuid,
    month: Month,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let month = month.to_string();
    for chunk in invoices.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO invoices (id, application_id, provider_id, municipality_id, month, \
             certificate_amount, family_amount, lessons_attended, lessons_marked, status, \
             issued_at, decided_at, decided_by, decided_by_role) ",
        );
        qb.push_values(chunk, |mut row, invoice| {
            let decided = invoice.approved;
            row.push_bind(invoice.id)
                .push_bind(invoice.application_id)
                .push_bind(invoice.provider_id)
                .push_bind(municipality_id)
                .push_bind(month.clone())
                .push_bind(invoice.certificate_amount.kopecks())
                .push_bind(invoice.family_amount.kopecks())
                .push_bind(invoice.attendance.attended)
                .push_bind(invoice.attendance.marked)
                .push_bind(if decided { "approved" } else { "issued" })
                .push_bind(now)
                .push_bind(decided.then_some(now))
                .push_bind(decided.then_some(actor.user_id))
                .push_bind(decided.then_some(actor.role.as_str()));
        });
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn mark_approved(tx: &mut Tx, ids: &[Uuid], actor: &Actor, now: DateTime<Utc>) -> Result<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let mut qb =
            QueryBuilder::<Db>::new("UPDATE invoices SET status = 'approved', decided_at = ");
        qb.push_bind(now)
            .push(", decided_by = ")
            .push_bind(actor.user_id)
            .push(", decided_by_role = ")
            .push_bind(actor.role.as_str())
            .push(" WHERE status = 'issued' AND id");
        push_in(&mut qb, chunk);
        let updated = qb.build().execute(&mut **tx).await?;
        if updated.rows_affected() != chunk.len() as u64 {
            // The invoices are locked: nobody decided them in the meantime.
            return Err(StoreError::Database(sqlx::Error::Protocol(
                "an invoice of the billing run changed under its lock".into(),
            )));
        }
    }
    Ok(())
}

async fn insert_postings(
    tx: &mut Tx,
    postings: &[PostingRow],
    approvals: &[Approval<'_>],
    month: Month,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let month = month.to_string();
    for chunk in postings.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO ledger_postings (id, kind, amount, at, actor_id, period_id, \
             certificate_id, application_id, invoice_id, provider_id, month) ",
        );
        qb.push_values(chunk, |mut row, p| {
            let approval = &approvals[p.approval];
            row.push_bind(p.id)
                .push_bind(p.posting.kind().as_str())
                .push_bind(p.posting.amount().kopecks())
                .push_bind(now)
                .push_bind(actor.user_id)
                .push_bind(approval.enrollment.period_id)
                .push_bind(p.certificate_id)
                .push_bind(approval.enrollment.id)
                .push_bind(approval.invoice_id)
                .push_bind(approval.enrollment.provider_id)
                .push_bind(month.clone());
        });
        qb.build().execute(&mut **tx).await?;
    }
    let entries: Vec<(Uuid, Account, Money)> = postings
        .iter()
        .flat_map(|p| p.posting.legs().iter().map(|l| (p.id, l.account, l.amount)))
        .collect();
    for chunk in entries.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO ledger_entries (id, posting_id, account_kind, account_id, amount) ",
        );
        qb.push_values(chunk, |mut row, (posting_id, account, amount)| {
            row.push_bind(Uuid::now_v7())
                .push_bind(*posting_id)
                .push_bind(account.kind.as_str())
                .push_bind(account.id)
                .push_bind(amount.kopecks());
        });
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Keeps the balances in step with the entries. The reservations, which only lose money here,
/// exist and are locked: one UPDATE per chunk. The accounts that receive (the providers', and
/// the families' dues, which go below zero by design) are opened by their first entry: an
/// upsert, which the CHECK on balances allows for a positive amount or a family's due.
async fn apply_balances(tx: &mut Tx, postings: &[PostingRow]) -> Result<()> {
    let mut reservations: BTreeMap<Uuid, i64> = BTreeMap::new();
    let mut others: BTreeMap<(&'static str, Uuid), i64> = BTreeMap::new();
    for leg in postings.iter().flat_map(|p| p.posting.legs()) {
        let delta = if leg.account.kind == AccountKind::Reservation {
            reservations.entry(leg.account.id).or_default()
        } else {
            others
                .entry((leg.account.kind.as_str(), leg.account.id))
                .or_default()
        };
        *delta = delta
            .checked_add(leg.amount.kopecks())
            .ok_or_else(overflow)?;
    }
    let reservations: Vec<(Uuid, i64)> = reservations.into_iter().collect();
    for chunk in reservations.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Db>::new(
            "UPDATE account_balances SET balance = balance + CASE account_id",
        );
        for (id, delta) in chunk {
            qb.push(" WHEN ")
                .push_bind(*id)
                .push(" THEN ")
                .push_bind(*delta);
        }
        qb.push(" END WHERE account_kind = ")
            .push_bind(AccountKind::Reservation.as_str())
            .push(" AND account_id");
        let ids: Vec<Uuid> = chunk.iter().map(|(id, _)| *id).collect();
        push_in(&mut qb, &ids);
        let updated = qb.build().execute(&mut **tx).await?;
        if updated.rows_affected() != chunk.len() as u64 {
            return Err(StoreError::Database(sqlx::Error::Protocol(
                "a reservation of the billing run has no balance".into(),
            )));
        }
    }
    let others: Vec<((&str, Uuid), i64)> = others.into_iter().collect();
    for chunk in others.chunks(ROWS_PER_STATEMENT) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO account_balances (account_kind, account_id, balance) ",
        );
        qb.push_values(chunk, |mut row, ((kind, id), delta)| {
            row.push_bind(*kind).push_bind(*id).push_bind(*delta);
        });
        qb.push(
            " ON CONFLICT (account_kind, account_id) \
             DO UPDATE SET balance = account_balances.balance + excluded.balance",
        );
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}
