//! The SQL of [`BulkLoad`], written once and compiled twice like `sql.rs`: `pg.rs` and
//! `sqlite.rs` include this file next to it, each with its own `Db`.
//!
//! Rows go in as multi-row INSERTs, as many rows per statement as the bind limit allows, in one
//! transaction per municipality's registry and one per few thousand families: large enough that
//! the commit costs nothing, small enough that a transaction's rows stay a few tens of megabytes.

use async_trait::async_trait;
use sqlx::query_builder::Separated;
use sqlx::QueryBuilder;

use super::sql::SqlStore;
use super::{Db, BACKEND};
use crate::bulk::{
    BalanceRow, BulkLoad, GeneratedMunicipality, GeneratedRegion, HouseholdRows, MunicipalityPlan,
    PostingRow, RegionPlanner, RegionSpec, UserRow,
};
use crate::{Backend, Result, StoreError};

type Tx = sqlx::Transaction<'static, Db>;
type Values<'q, 'a> = Separated<'q, 'a, Db, &'static str>;

/// Binds per statement: under SQLite's limit of 32,766 (PostgreSQL allows 65,535).
const BINDS_PER_STATEMENT: usize = 32_000;

/// Families per transaction.
const HOUSEHOLDS_PER_TRANSACTION: usize = 2_000;

#[async_trait]
impl BulkLoad for SqlStore {
    async fn generate_region(
        &self,
        spec: &RegionSpec,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<GeneratedRegion> {
        let municipalities: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM municipalities")
            .fetch_one(self.pool())
            .await?;
        if municipalities > 0 {
            return Err(StoreError::Conflict(
                "database_not_empty",
                "generated data go into an empty database only".into(),
            ));
        }
        let mut planner = RegionPlanner::new(spec);
        let mut region = GeneratedRegion {
            billing_month: Some(spec.billing_month()),
            ..GeneratedRegion::default()
        };
        while let Some(plan) = planner.next_municipality()? {
            let mut tx = self.begin_bulk().await?;
            insert_registry(&mut tx, &plan, &spec.password_hash).await?;
            tx.commit().await?;
            let mut first = 0;
            while first < plan.households() {
                let last = (first + HOUSEHOLDS_PER_TRANSACTION).min(plan.households());
                let rows = planner.household_rows(&plan, first..last)?;
                let mut tx = self.begin_bulk().await?;
                insert_households(&mut tx, &plan, &rows, &spec.password_hash).await?;
                tx.commit().await?;
                region.families += rows.users.len() as u64;
                region.children += rows.children.len() as u64;
                region.certificates += rows.certificates.len() as u64;
                region.contract_months += rows.contract_months.len() as u64;
                region.attendance_marks += rows.attendance.len() as u64;
                region.postings += rows.postings.len() as u64;
                progress(rows.children.len() as u64);
                first = last;
            }
            region.providers += plan.providers.len() as u64;
            region.programs += plan.programs.len() as u64;
            region.groups += plan.groups.len() as u64;
            region.financing_certificates += plan.period.certificates_financed as u64;
            region.enrollments += plan.enrollments();
            region.postings += u64::from(plan.funding.is_some());
            region.municipalities.push(GeneratedMunicipality {
                id: plan.municipality.id,
                name: plan.municipality.name.clone(),
                children: plan.children(),
                enrollments: plan.enrollments(),
            });
        }
        // Certificates issued later continue the region's numbering.
        sqlx::query("INSERT INTO region_counters (region_code, last_number) VALUES ($1, $2)")
            .bind(crate::bulk::REGION_CODE)
            .bind(planner.last_certificate_number())
            .execute(self.pool())
            .await?;
        // The planner's statistics of the new rows now, as autovacuum would gather them within a
        // minute or so: a catalog query planned before that would guess (and the bench measure
        // the guess). SQLite keeps no statistics unless told to, in production too: not here.
        if BACKEND == Backend::Postgres {
            sqlx::query("ANALYZE").execute(self.pool()).await?;
        }
        Ok(region)
    }
}

impl SqlStore {
    async fn begin_bulk(&self) -> Result<Tx> {
        Ok(self.pool().begin_with(BACKEND.begin_write()).await?)
    }
}

/// Inserts `rows` into `head` ("INSERT INTO t (a, b) "), `columns` binds each, in as few
/// statements as the bind limit allows.
async fn insert<'a, T, F>(
    tx: &mut Tx,
    head: &'static str,
    columns: usize,
    rows: &'a [T],
    bind: F,
) -> Result<()>
where
    T: Sync,
    F: Fn(Values<'_, 'a>, &'a T) + Send + Sync,
{
    for chunk in rows.chunks((BINDS_PER_STATEMENT / columns).max(1)) {
        let mut qb = QueryBuilder::<'a, Db>::new(head);
        qb.push_values(chunk, &bind);
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The municipality, its period with the funding posting, its staff, providers, programs and
/// groups (with the seats its enrollments will take).
async fn insert_registry(tx: &mut Tx, plan: &MunicipalityPlan, password_hash: &str) -> Result<()> {
    let m = &plan.municipality;
    sqlx::query("INSERT INTO municipalities (id, name, region_code) VALUES ($1, $2, $3)")
        .bind(m.id)
        .bind(&m.name)
        .bind(crate::bulk::REGION_CODE)
        .execute(&mut **tx)
        .await?;
    let p = &plan.period;
    sqlx::query(
        "INSERT INTO periods (id, municipality_id, start_date, end_date, nominal, quota, budget, \
         enrollment_opens, enrollment_closes, test_mode, certificates_financed, budget_committed, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(p.id)
    .bind(m.id)
    .bind(p.period.start)
    .bind(p.period.end)
    .bind(p.nominal.kopecks())
    .bind(p.quota)
    .bind(p.budget.kopecks())
    .bind(p.enrollment_opens)
    .bind(p.enrollment_closes)
    .bind(false)
    .bind(p.certificates_financed)
    .bind(p.budget_committed.kopecks())
    .bind(p.created_at)
    .execute(&mut **tx)
    .await?;
    let municipality_id = m.id;
    insert(
        tx,
        "INSERT INTO providers (id, municipality_id, name, legal_form, inn, address, phone, \
         email, licence, created_at) ",
        10,
        &plan.providers,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(municipality_id)
                .push_bind(r.name.as_str())
                .push_bind(r.legal_form)
                .push_bind(r.inn.as_str())
                .push_bind(r.address.as_str())
                .push_bind(r.phone.as_str())
                .push_bind(r.email.as_str())
                .push_bind(r.licence.as_str())
                .push_bind(r.created_at);
        },
    )
    .await?;
    insert_users(tx, &plan.staff, password_hash).await?;
    let providers = &plan.providers;
    insert(
        tx,
        "INSERT INTO programs (id, provider_id, municipality_id, title, description, \
         direction, age_from, age_to, level, form, funding, price_per_month, \
         hours_per_week, duration_months, medical_certificate_required, \
         adapted_for_disabilities, address, latitude, longitude, status, created_at) ",
        21,
        &plan.programs,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(providers[r.provider].id)
                .push_bind(municipality_id)
                .push_bind(r.title.as_str())
                .push_bind(r.description.as_str())
                .push_bind(r.direction.as_str())
                .push_bind(i64::from(r.age_from))
                .push_bind(i64::from(r.age_to))
                .push_bind(r.level.as_str())
                .push_bind(r.form.as_str())
                .push_bind(r.funding.as_str())
                .push_bind(r.price_per_month.kopecks())
                .push_bind(i64::from(r.hours_per_week))
                .push_bind(crate::bulk::DURATION_MONTHS)
                .push_bind(r.medical_certificate_required)
                .push_bind(r.adapted_for_disabilities)
                .push_bind(r.address.as_str())
                .push_bind(r.location.map(|l| l.latitude))
                .push_bind(r.location.map(|l| l.longitude))
                .push_bind(r.status.as_str())
                .push_bind(r.created_at);
        },
    )
    .await?;
    // The search index's rows, stemmed by the plan as the store stems them on every write.
    insert(
        tx,
        "INSERT INTO program_search (program_id, title, description, provider) ",
        4,
        &plan.programs,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.search_title.as_str())
                .push_bind(r.search_description.as_str())
                .push_bind(r.search_provider.as_str());
        },
    )
    .await?;
    let programs = &plan.programs;
    insert(
        tx,
        "INSERT INTO program_groups (id, program_id, name, start_date, end_date, schedule, \
         teacher, capacity, seats_taken, open) ",
        10,
        &plan.groups,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(programs[r.program].id)
                .push_bind(r.name.as_str())
                .push_bind(r.start_date)
                .push_bind(r.end_date)
                .push_bind(r.schedule.text)
                .push_bind(r.teacher.as_str())
                .push_bind(r.capacity)
                .push_bind(r.seats_taken)
                .push_bind(r.open);
        },
    )
    .await?;
    insert_postings(tx, plan.funding.as_slice()).await?;
    insert_balances(tx, &plan.fund_balances).await?;
    Ok(())
}

async fn insert_users(tx: &mut Tx, users: &[UserRow], password_hash: &str) -> Result<()> {
    insert(
        tx,
        "INSERT INTO users (id, email, email_key, password_hash, full_name, role, provider_id, \
         municipality_id, created_at) ",
        9,
        users,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.email.as_str())
                // Generated addresses are lower case already: the key is the address itself.
                .push_bind(r.email.as_str())
                .push_bind(password_hash)
                .push_bind(r.full_name.as_str())
                .push_bind(r.role.as_str())
                .push_bind(r.provider_id)
                .push_bind(r.municipality_id)
                .push_bind(r.created_at);
        },
    )
    .await
}

/// Postings with their two entries each.
async fn insert_postings(tx: &mut Tx, postings: &[PostingRow]) -> Result<()> {
    insert(
        tx,
        "INSERT INTO ledger_postings (id, kind, amount, at, actor_id, period_id, certificate_id, \
         application_id, provider_id) ",
        9,
        postings,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.kind.as_str())
                .push_bind(r.amount.kopecks())
                .push_bind(r.at)
                .push_bind(r.actor_id)
                .push_bind(r.period_id)
                .push_bind(r.certificate_id)
                .push_bind(r.application_id)
                .push_bind(r.provider_id);
        },
    )
    .await?;
    let entries: Vec<Entry> = postings
        .iter()
        .flat_map(|p| {
            [
                Entry {
                    id: p.entry_ids[0],
                    posting_id: p.id,
                    account: p.from,
                    amount: -p.amount.kopecks(),
                },
                Entry {
                    id: p.entry_ids[1],
                    posting_id: p.id,
                    account: p.to,
                    amount: p.amount.kopecks(),
                },
            ]
        })
        .collect();
    insert(
        tx,
        "INSERT INTO ledger_entries (id, posting_id, account_kind, account_id, amount) ",
        5,
        &entries,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.posting_id)
                .push_bind(r.account.kind.as_str())
                .push_bind(r.account.id)
                .push_bind(r.amount);
        },
    )
    .await
}

struct Entry {
    id: uuid::Uuid,
    posting_id: uuid::Uuid,
    account: navigator_domain::ledger::Account,
    amount: i64,
}

async fn insert_balances(tx: &mut Tx, balances: &[BalanceRow]) -> Result<()> {
    insert(
        tx,
        "INSERT INTO account_balances (account_kind, account_id, balance) ",
        3,
        balances,
        |mut b, r| {
            b.push_bind(r.account.kind.as_str())
                .push_bind(r.account.id)
                .push_bind(r.balance.kopecks());
        },
    )
    .await
}

async fn insert_households(
    tx: &mut Tx,
    plan: &MunicipalityPlan,
    rows: &HouseholdRows,
    password_hash: &str,
) -> Result<()> {
    let municipality_id = plan.municipality.id;
    let period_id = plan.period.id;
    insert_users(tx, &rows.users, password_hash).await?;
    insert(
        tx,
        "INSERT INTO children (id, family_id, first_name, last_name, middle_name, birth_date, \
         snils, municipality_id, created_at) ",
        9,
        &rows.children,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.family_id)
                .push_bind(r.first_name)
                .push_bind(r.last_name.as_str())
                .push_bind(r.middle_name.as_str())
                .push_bind(r.birth_date)
                .push_bind(r.snils.digits())
                .push_bind(municipality_id)
                .push_bind(r.created_at);
        },
    )
    .await?;
    insert(
        tx,
        "INSERT INTO certificates (id, child_id, number, status, municipality_id, valid_until, \
         period_id, issued_at, activated_at) ",
        9,
        &rows.certificates,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.child_id)
                .push_bind(r.number.as_str())
                .push_bind(r.status.as_str())
                .push_bind(municipality_id)
                .push_bind(r.valid_until)
                .push_bind(r.period_id)
                .push_bind(r.issued_at)
                .push_bind(r.activated_at);
        },
    )
    .await?;
    insert(
        tx,
        "INSERT INTO certificate_events (id, certificate_id, at, from_status, to_status, \
         actor_id, actor_role, reason) ",
        8,
        &rows.certificate_events,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.certificate_id)
                .push_bind(r.at)
                .push_bind(r.from_status.map(|s| s.as_str()))
                .push_bind(r.to_status.as_str())
                .push_bind(r.actor_id)
                .push_bind(r.actor_role.as_str())
                .push_bind(r.reason);
        },
    )
    .await?;
    insert(
        tx,
        "INSERT INTO applications (id, child_id, certificate_id, group_id, program_id, \
         provider_id, municipality_id, period_id, status, submitted_at, decided_at, cost, \
         certificate_amount, family_amount) ",
        14,
        &rows.applications,
        |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.child_id)
                .push_bind(r.certificate_id)
                .push_bind(r.group_id)
                .push_bind(r.program_id)
                .push_bind(r.provider_id)
                .push_bind(municipality_id)
                .push_bind(period_id)
                .push_bind("accepted")
                .push_bind(r.submitted_at)
                .push_bind(r.decided_at)
                .push_bind(r.cost.kopecks())
                .push_bind(r.certificate_amount.kopecks())
                .push_bind(r.family_amount.kopecks());
        },
    )
    .await?;
    insert(
        tx,
        "INSERT INTO application_months (application_id, month, price, certificate_amount, \
         family_amount) ",
        5,
        &rows.contract_months,
        |mut b, r| {
            b.push_bind(r.application_id)
                .push_bind(r.month.as_str())
                .push_bind(r.price.kopecks())
                .push_bind(r.certificate_amount.kopecks())
                .push_bind(r.family_amount.kopecks());
        },
    )
    .await?;
    insert(
        tx,
        "INSERT INTO attendance (application_id, lesson_date, present, marked_at, marked_by) ",
        5,
        &rows.attendance,
        |mut b, r| {
            b.push_bind(r.application_id)
                .push_bind(r.lesson_date)
                .push_bind(r.present)
                .push_bind(r.marked_at)
                .push_bind(r.marked_by);
        },
    )
    .await?;
    insert_postings(tx, &rows.postings).await?;
    insert_balances(tx, &rows.balances).await
}
