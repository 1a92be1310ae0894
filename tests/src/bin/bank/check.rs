//! What must hold after the run, read through the store with the regional scope (the server is
//! stopped) and by plain SQL for the money's totals.

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::Row;
use uuid::Uuid;

use navigator_api_types::{self as api, ApplicationStatus, InvoiceStatus, Money, PostingKind};
use navigator_store::{Actor, ApplicationFilter, InvoiceFilter, Store};

use crate::workload::{Effect, Record};
use crate::world::{all_pages, World};
use crate::Failure;

/// Status `from` is `to` or leads to it along the application's lifecycle.
fn leads_to(from: ApplicationStatus, to: ApplicationStatus) -> bool {
    from == to
        || from.can_become(to)
        || ApplicationStatus::ALL
            .into_iter()
            .any(|mid| from.can_become(mid) && mid.can_become(to))
}

pub async fn final_state(
    store: &dyn Store,
    world: &World,
    history: &[Record],
    violations: &mut Vec<String>,
) -> Result<(), Failure> {
    let system = Actor::system();

    let certificates =
        all_pages(|page| async move { store.list_certificates(&system, None, &page).await })
            .await?;
    for c in &certificates {
        if c.balance.is_negative() || c.reserved.is_negative() || c.spent.is_negative() {
            violations.push(format!(
                "certificate {} below zero: balance {}, reserved {}, spent {}",
                c.number, c.balance, c.reserved, c.spent
            ));
        }
    }

    let filter = ApplicationFilter::default();
    let applications: HashMap<Uuid, api::Application> = all_pages(|page| {
        let filter = &filter;
        async move { store.list_applications(&system, filter, &page).await }
    })
    .await?
    .into_iter()
    .map(|a| (a.id, a))
    .collect();
    let mut accepted_in: HashMap<Uuid, i64> = HashMap::new();
    for a in applications.values() {
        if a.status == ApplicationStatus::Accepted {
            *accepted_in.entry(a.group_id).or_default() += 1;
        }
    }
    let programs: HashSet<Uuid> = world.programs.iter().map(|p| p.0).collect();
    for program in programs {
        let program = store.get_program(Some(&system), program).await?;
        for g in &program.groups {
            let accepted = accepted_in.get(&g.id).copied().unwrap_or(0);
            if g.seats_left < 0 || accepted > g.capacity {
                violations.push(format!(
                    "group {} over capacity: {accepted} accepted, capacity {}, seats left {}",
                    g.id, g.capacity, g.seats_left
                ));
            }
        }
    }

    let invoice_filter = InvoiceFilter::default();
    let invoices: HashMap<Uuid, api::Invoice> = all_pages(|page| {
        let filter = &invoice_filter;
        async move { store.list_invoices(&system, filter, &page).await }
    })
    .await?
    .into_iter()
    .map(|i| (i.id, i))
    .collect();
    let mut per_month: HashMap<(Uuid, String), u32> = HashMap::new();
    let mut approved_of: HashMap<Uuid, Money> = HashMap::new();
    for i in invoices.values() {
        if i.status != InvoiceStatus::Rejected {
            *per_month
                .entry((i.application_id, i.month.to_string()))
                .or_default() += 1;
        }
        if i.status == InvoiceStatus::Approved {
            let sum = approved_of.entry(i.application_id).or_insert(Money::ZERO);
            *sum = sum.checked_add(i.certificate_amount).unwrap_or(*sum);
        }
    }
    for ((application, month), n) in &per_month {
        if *n > 1 {
            violations.push(format!(
                "month {month} of enrollment {application} invoiced {n} times"
            ));
        }
    }
    for a in applications.values() {
        let approved = approved_of.get(&a.id).copied().unwrap_or(Money::ZERO);
        if a.written_off != approved {
            violations.push(format!(
                "enrollment {}: written off {} but its approved invoices say {approved}",
                a.id, a.written_off
            ));
        }
    }

    // Every acknowledged operation is visible.
    let mut histories: HashMap<Uuid, api::CertificateHistory> = HashMap::new();
    for record in history {
        let Some(effect) = &record.effect else {
            continue;
        };
        let problem = match effect {
            Effect::Applied { application } => (!applications.contains_key(application))
                .then(|| format!("acknowledged application {application} is missing")),
            Effect::Status {
                application,
                status,
            } => match applications.get(application) {
                None => Some(format!("acknowledged application {application} is missing")),
                Some(a) if !leads_to(*status, a.status) => Some(format!(
                    "application {application} was acknowledged {status} but is {}",
                    a.status
                )),
                Some(_) => None,
            },
            Effect::Rejected {
                application,
                reason,
            } => match applications.get(application) {
                Some(a)
                    if a.status == ApplicationStatus::Rejected
                        && a.reason.as_deref() == Some(reason) =>
                {
                    None
                }
                other => Some(format!(
                    "application {application} was acknowledged rejected («{reason}») but is {:?}",
                    other.map(|a| (a.status, a.reason.clone()))
                )),
            },
            Effect::Attended { application, date } => {
                let marks = store.list_attendance(&system, *application).await?;
                (!marks.iter().any(|m| m.date == *date)).then(|| {
                    format!("acknowledged attendance of {application} on {date} is missing")
                })
            }
            Effect::Invoiced {
                invoice,
                application,
                month,
            } => match invoices.get(invoice) {
                Some(i) if i.application_id == *application && i.month == *month => None,
                _ => Some(format!(
                    "acknowledged invoice {invoice} ({application}, {month}) is missing"
                )),
            },
            Effect::Approved {
                invoice,
                certificate_id,
                amount,
            } => match invoices.get(invoice) {
                Some(i)
                    if i.status == InvoiceStatus::Approved && i.certificate_amount == *amount =>
                {
                    if !histories.contains_key(certificate_id) {
                        let h = store.certificate_history(&system, *certificate_id).await?;
                        histories.insert(*certificate_id, h);
                    }
                    let written = histories.get(certificate_id).is_some_and(|h| {
                        h.entries.iter().any(|e| {
                            e.kind == PostingKind::WriteOff && e.invoice_id == Some(*invoice)
                        })
                    });
                    (amount.is_positive() && !written).then(|| {
                        format!(
                            "approved invoice {invoice}: no write-off of {amount} in the ledger"
                        )
                    })
                }
                other => Some(format!(
                    "invoice {invoice} was acknowledged approved ({amount}) but is {:?}",
                    other.map(|i| (i.status, i.certificate_amount))
                )),
            },
            Effect::InvoiceRejected { invoice } => match invoices.get(invoice) {
                Some(i) if i.status == InvoiceStatus::Rejected => None,
                other => Some(format!(
                    "invoice {invoice} was acknowledged rejected but is {:?}",
                    other.map(|i| i.status)
                )),
            },
            Effect::CertificateDecision {
                certificate,
                reason,
            } => {
                let h = store.certificate_history(&system, *certificate).await?;
                (!h.events.iter().any(|e| &e.reason == reason))
                    .then(|| format!("certificate {certificate}: decision «{reason}» is missing"))
            }
        };
        violations.extend(problem);
    }
    Ok(())
}

/// The money by account kind, summed in SQL outside the store's code: everything that came in
/// from the budgets is somewhere (period funds, certificates, reservations, providers), and the
/// families' co-payments owed match what providers are owed by families.
pub async fn money(
    database_url: &str,
    violations: &mut Vec<String>,
) -> Result<BTreeMap<String, i64>, Failure> {
    let sql = "SELECT account_kind, CAST(SUM(balance) AS BIGINT) AS total FROM account_balances \
               GROUP BY account_kind";
    let rows: Vec<(String, i64)> = if database_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(database_url).await?;
        let rows = sqlx::query(sql).fetch_all(&pool).await?;
        let rows = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        pool.close().await;
        rows
    } else {
        let pool = sqlx::SqlitePool::connect(database_url).await?;
        let rows = sqlx::query(sql).fetch_all(&pool).await?;
        let rows = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        pool.close().await;
        rows
    };
    let totals: BTreeMap<String, i64> = rows.into_iter().collect();
    let get = |k: &str| totals.get(k).copied().unwrap_or(0);
    let budget_in = -get("budget");
    let held = get("period_fund") + get("certificate") + get("reservation") + get("provider");
    if budget_in != held {
        violations.push(format!(
            "money not conserved: {budget_in} kopecks came from budgets, {held} are held \
             (period funds + certificates + reservations + providers)"
        ));
    }
    if get("co_payment") != -get("family_due") {
        violations.push(format!(
            "co-payments owed to providers ({}) differ from what families owe ({})",
            get("co_payment"),
            -get("family_due")
        ));
    }
    for (kind, total) in &totals {
        if *total < 0 && kind != "budget" && kind != "family_due" {
            violations.push(format!("account kind {kind} sums below zero: {total}"));
        }
    }
    Ok(totals)
}
