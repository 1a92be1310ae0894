//! The SQL of [`RegistryStore`], written once and compiled twice like `sql.rs`: `pg.rs` and
//! `sqlite.rs` include this file next to it, each with its own `Db` and `BACKEND`.
//!
//! Edits lock the provider they change (`BACKEND.for_update()`) and compare its version inside
//! the transaction. Imports read what they match against inside their one write transaction, so
//! the report describes the database the file is written to; two providers racing for one ИНН
//! meet at the unique index, and the loser is told `inn_taken`.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sqlx::{QueryBuilder, Row, Transaction};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::import::{RowError, Table};
use navigator_domain::program::{check_group_edit, GroupEdit, GroupEditRefusal};
use navigator_domain::provider::{check_provider, FieldIssue, ProviderTerms};
use navigator_domain::{Money, Refusal};

use super::search_sql::{index_programs, Programs};
use super::sql::{is_unique_violation, require_role, write_program_fields, SqlStore};
use super::waitlist_sql::offer_free_seats;
use super::{Db, BACKEND};
use crate::registry::{NewInvitation, Progress, RegistryStore, INVITATION_LIFETIME};
use crate::{Actor, NewProgram, Result, StoreError};

type Tx = Transaction<'static, Db>;
type DbRow = <Db as sqlx::Database>::Row;

/// Rows per multi-row INSERT: well under both engines' limits on bound parameters (SQLite
/// 32,766; PostgreSQL 65,535) at 22 columns.
const BATCH: usize = 500;

const OPERATORS: &[api::Role] = &[api::Role::MunicipalOperator, api::Role::RegionalOperator];

const PROVIDER_COLUMNS: &str = "pr.id, pr.municipality_id, pr.name, pr.legal_form, pr.inn, \
     pr.address, pr.phone, pr.email, pr.licence, pr.licence_issued_on, pr.latitude, \
     pr.longitude, pr.version";

fn provider_from_row(row: &DbRow) -> Result<api::Provider> {
    Ok(api::Provider {
        id: row.try_get("id")?,
        municipality_id: row.try_get("municipality_id")?,
        name: row.try_get("name")?,
        legal_form: row.try_get("legal_form")?,
        inn: row.try_get("inn")?,
        address: row.try_get("address")?,
        phone: row.try_get("phone")?,
        email: row.try_get("email")?,
        licence: row.try_get("licence")?,
        licence_issued_on: row.try_get("licence_issued_on")?,
        latitude: row.try_get("latitude")?,
        longitude: row.try_get("longitude")?,
        version: row.try_get("version")?,
    })
}

fn draft_of(p: &api::Provider) -> api::ProviderDraft {
    api::ProviderDraft {
        municipality_id: p.municipality_id,
        name: p.name.clone(),
        legal_form: p.legal_form.clone(),
        inn: p.inn.clone(),
        address: p.address.clone(),
        phone: p.phone.clone(),
        email: p.email.clone(),
        licence: p.licence.clone(),
        licence_issued_on: p.licence_issued_on,
        latitude: p.latitude,
        longitude: p.longitude,
    }
}

/// The entry as stored: surrounding spaces dropped, the legal form as the registry writes it.
fn normalized(mut p: api::ProviderDraft) -> api::ProviderDraft {
    for field in [
        &mut p.name,
        &mut p.inn,
        &mut p.address,
        &mut p.phone,
        &mut p.email,
        &mut p.licence,
    ] {
        *field = field.trim().to_string();
    }
    if let Some(form) = navigator_domain::provider::LegalForm::parse(&p.legal_form) {
        p.legal_form = form.as_str().to_string();
    }
    p
}

fn issues_of(p: &api::ProviderDraft, today: NaiveDate) -> Vec<FieldIssue> {
    check_provider(
        &ProviderTerms {
            name: &p.name,
            legal_form: &p.legal_form,
            inn: &p.inn,
            address: &p.address,
            phone: &p.phone,
            email: &p.email,
            licence: &p.licence,
            licence_issued_on: p.licence_issued_on,
            latitude: p.latitude,
            longitude: p.longitude,
        },
        today,
    )
}

/// Each field that differs, as text.
fn changes(old: &api::ProviderDraft, new: &api::ProviderDraft) -> Vec<api::FieldChange> {
    fn opt<T: ToString>(v: &Option<T>) -> Option<String> {
        v.as_ref().map(T::to_string)
    }
    let fields: [(&str, Option<String>, Option<String>); 11] = [
        (
            "municipality_id",
            Some(old.municipality_id.to_string()),
            Some(new.municipality_id.to_string()),
        ),
        ("name", Some(old.name.clone()), Some(new.name.clone())),
        (
            "legal_form",
            Some(old.legal_form.clone()),
            Some(new.legal_form.clone()),
        ),
        ("inn", Some(old.inn.clone()), Some(new.inn.clone())),
        (
            "address",
            Some(old.address.clone()),
            Some(new.address.clone()),
        ),
        ("phone", Some(old.phone.clone()), Some(new.phone.clone())),
        ("email", Some(old.email.clone()), Some(new.email.clone())),
        (
            "licence",
            Some(old.licence.clone()),
            Some(new.licence.clone()),
        ),
        (
            "licence_issued_on",
            opt(&old.licence_issued_on),
            opt(&new.licence_issued_on),
        ),
        ("latitude", opt(&old.latitude), opt(&new.latitude)),
        ("longitude", opt(&old.longitude), opt(&new.longitude)),
    ];
    fields
        .into_iter()
        .filter(|(_, from, to)| from != to)
        .map(|(field, from, to)| api::FieldChange {
            field: field.to_string(),
            from,
            to,
        })
        .collect()
}

/// The fields only operators change: who the provider is and where it is registered.
const OPERATORS_FIELDS: [&str; 4] = ["municipality_id", "name", "legal_form", "inn"];

/// Whether the actor keeps the provider's entry: its staff, its municipality's operator, the
/// regional operator.
fn keeps(actor: &Actor, provider: &api::Provider) -> bool {
    match actor.role {
        api::Role::ProviderStaff => actor.provider_id == Some(provider.id),
        api::Role::MunicipalOperator => actor.municipality_id == Some(provider.municipality_id),
        api::Role::RegionalOperator => true,
        api::Role::Family => false,
    }
}

fn inn_taken() -> StoreError {
    StoreError::Conflict("inn_taken", "a provider with this INN is registered".into())
}

/// Instants as the database gives them back: PostgreSQL keeps microseconds.
fn stored_instant(now: DateTime<Utc>) -> DateTime<Utc> {
    now.trunc_subsecs(6)
}

async fn provider_by_id<'e, E>(executor: E, id: Uuid, lock: bool) -> Result<api::Provider>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!(
        "SELECT {PROVIDER_COLUMNS} FROM providers pr WHERE pr.id = $1{}",
        if lock { BACKEND.for_update() } else { "" }
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(executor)
        .await?
        .ok_or(StoreError::NotFound)?;
    provider_from_row(&row)
}

async fn municipality_exists(tx: &mut Tx, id: Uuid) -> Result<bool> {
    let found: Option<Uuid> = sqlx::query_scalar("SELECT id FROM municipalities WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

fn unknown_municipality() -> StoreError {
    StoreError::Invalid {
        field: "municipality_id",
        code: "unknown_municipality",
        message: "no municipality with this id".into(),
    }
}

async fn insert_providers(
    tx: &mut Tx,
    rows: &[(Uuid, api::ProviderDraft)],
    now: DateTime<Utc>,
) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO providers (id, municipality_id, name, legal_form, inn, address, phone, \
             email, licence, licence_issued_on, latitude, longitude, created_at) ",
        );
        qb.push_values(chunk, |mut b, (id, p)| {
            b.push_bind(*id)
                .push_bind(p.municipality_id)
                .push_bind(p.name.clone())
                .push_bind(p.legal_form.clone())
                .push_bind(p.inn.clone())
                .push_bind(p.address.clone())
                .push_bind(p.phone.clone())
                .push_bind(p.email.clone())
                .push_bind(p.licence.clone())
                .push_bind(p.licence_issued_on)
                .push_bind(p.latitude)
                .push_bind(p.longitude)
                .push_bind(now);
        });
        match qb.build().execute(&mut **tx).await {
            Err(e) if is_unique_violation(&e) => return Err(inn_taken()),
            other => other?,
        };
    }
    Ok(())
}

async fn write_provider(tx: &mut Tx, id: Uuid, p: &api::ProviderDraft) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE providers SET municipality_id = $2, name = $3, legal_form = $4, inn = $5, \
         address = $6, phone = $7, email = $8, licence = $9, licence_issued_on = $10, \
         latitude = $11, longitude = $12, version = version + 1 WHERE id = $1",
    )
    .bind(id)
    .bind(p.municipality_id)
    .bind(&p.name)
    .bind(&p.legal_form)
    .bind(&p.inn)
    .bind(&p.address)
    .bind(&p.phone)
    .bind(&p.email)
    .bind(&p.licence)
    .bind(p.licence_issued_on)
    .bind(p.latitude)
    .bind(p.longitude)
    .execute(&mut **tx)
    .await;
    match updated {
        Err(e) if is_unique_violation(&e) => return Err(inn_taken()),
        other => other?,
    };
    // The provider's name is part of its programs' search documents.
    index_programs(tx, Programs::OfProvider(id)).await
}

/// One recorded change of a provider.
struct ProviderEventRow<'a> {
    provider_id: Uuid,
    action: &'static str,
    changes: Vec<api::FieldChange>,
    reason: &'a str,
}

async fn record_provider_events(
    tx: &mut Tx,
    events: &[ProviderEventRow<'_>],
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<()> {
    for chunk in events.chunks(BATCH) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO provider_events (id, provider_id, at, action, actor_id, actor_role, \
             changes, reason) ",
        );
        let mut encoded = Vec::with_capacity(chunk.len());
        for event in chunk {
            encoded.push(
                serde_json::to_string(&event.changes)
                    .map_err(|e| StoreError::Database(sqlx::Error::Encode(e.into())))?,
            );
        }
        qb.push_values(chunk.iter().zip(encoded), |mut b, (event, changes)| {
            b.push_bind(Uuid::new_v4())
                .push_bind(event.provider_id)
                .push_bind(at)
                .push_bind(event.action)
                .push_bind(actor.user_id)
                .push_bind(actor.role.as_str())
                .push_bind(changes)
                .push_bind(event.reason.to_string());
        });
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The creation of an entry, as a change from nothing.
fn created(p: &api::ProviderDraft) -> Vec<api::FieldChange> {
    let empty = api::ProviderDraft {
        municipality_id: Uuid::nil(),
        name: String::new(),
        legal_form: String::new(),
        inn: String::new(),
        address: String::new(),
        phone: String::new(),
        email: String::new(),
        licence: String::new(),
        licence_issued_on: None,
        latitude: None,
        longitude: None,
    };
    changes(&empty, p)
        .into_iter()
        .map(|c| api::FieldChange { from: None, ..c })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// What files match against

/// A provider as files name it.
struct KnownProvider {
    id: Uuid,
    municipality_id: Uuid,
}

async fn providers_by_inn(tx: &mut Tx) -> Result<HashMap<String, KnownProvider>> {
    let rows = sqlx::query("SELECT id, municipality_id, inn FROM providers")
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("inn")?,
                KnownProvider {
                    id: row.try_get("id")?,
                    municipality_id: row.try_get("municipality_id")?,
                },
            ))
        })
        .collect()
}

/// The key a file names a program or group by: its external key, or its id.
fn key_of(external_key: Option<String>, id: Uuid) -> String {
    external_key.unwrap_or_else(|| id.to_string())
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("unexpected {what} in the database: {value:?}").into(),
    ))
}

fn enum_of<T>(row: &DbRow, column: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let value: String = row.try_get(column)?;
    parse(&value).ok_or_else(|| corrupt(column, &value))
}

fn u32_of(row: &DbRow, column: &str) -> Result<u32> {
    let value: i64 = row.try_get(column)?;
    u32::try_from(value).map_err(|_| corrupt(column, &value.to_string()))
}

fn program_status(s: &str) -> Option<api::ProgramStatus> {
    [
        api::ProgramStatus::Draft,
        api::ProgramStatus::OnModeration,
        api::ProgramStatus::Published,
        api::ProgramStatus::Archived,
    ]
    .into_iter()
    .find(|status| status.as_str() == s)
}

/// A stored program as files carry it.
struct StoredProgram {
    id: Uuid,
    provider_id: Uuid,
    record: api::ProgramRecord,
}

/// The programs of a municipality (all with `None`), in the order of exports.
async fn stored_programs<'e, E>(
    executor: E,
    municipality: Option<Uuid>,
) -> Result<Vec<StoredProgram>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT p.id, p.provider_id, pr.inn, p.external_key, p.title, p.description, \
         p.direction, p.age_from, p.age_to, p.level, p.form, p.funding, p.price_per_month, \
         p.hours_per_week, p.duration_months, p.medical_certificate_required, \
         p.adapted_for_disabilities, p.address, p.latitude, p.longitude, p.status \
         FROM programs p JOIN providers pr ON pr.id = p.provider_id WHERE 1 = 1",
    );
    if let Some(m) = municipality {
        qb.push(" AND p.municipality_id = ").push_bind(m);
    }
    qb.push(" ORDER BY pr.inn, p.title, p.id");
    let rows = qb.build().fetch_all(executor).await?;
    rows.iter()
        .map(|row| {
            let id: Uuid = row.try_get("id")?;
            Ok(StoredProgram {
                id,
                provider_id: row.try_get("provider_id")?,
                record: api::ProgramRecord {
                    row: 0,
                    provider_inn: row.try_get("inn")?,
                    key: key_of(row.try_get("external_key")?, id),
                    draft: api::ProgramDraft {
                        title: row.try_get("title")?,
                        description: row.try_get("description")?,
                        direction: enum_of(row, "direction", api::Direction::parse)?,
                        age_from: u32_of(row, "age_from")?,
                        age_to: u32_of(row, "age_to")?,
                        level: enum_of(row, "level", api::Level::parse)?,
                        form: enum_of(row, "form", api::StudyForm::parse)?,
                        funding: enum_of(row, "funding", api::Funding::parse)?,
                        price_per_month: Money::from_kopecks(row.try_get("price_per_month")?),
                        hours_per_week: u32_of(row, "hours_per_week")?,
                        duration_months: u32_of(row, "duration_months")?,
                        medical_certificate_required: row
                            .try_get("medical_certificate_required")?,
                        adapted_for_disabilities: row.try_get("adapted_for_disabilities")?,
                        address: row.try_get("address")?,
                        latitude: row.try_get("latitude")?,
                        longitude: row.try_get("longitude")?,
                    },
                    status: enum_of(row, "status", program_status)?,
                },
            })
        })
        .collect()
}

/// A stored group as files carry it.
struct StoredGroup {
    id: Uuid,
    program_id: Uuid,
    record: api::GroupRecord,
}

async fn stored_groups<'e, E>(executor: E, municipality: Option<Uuid>) -> Result<Vec<StoredGroup>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT g.id, g.program_id, g.external_key, g.name, g.start_date, g.end_date, \
         g.schedule, g.teacher, g.capacity, g.open, p.external_key AS program_key, \
         pr.inn FROM program_groups g JOIN programs p ON p.id = g.program_id \
         JOIN providers pr ON pr.id = p.provider_id WHERE 1 = 1",
    );
    if let Some(m) = municipality {
        qb.push(" AND p.municipality_id = ").push_bind(m);
    }
    qb.push(" ORDER BY pr.inn, p.title, p.id, g.start_date, g.name, g.id");
    let rows = qb.build().fetch_all(executor).await?;
    rows.iter()
        .map(|row| {
            let id: Uuid = row.try_get("id")?;
            let program_id: Uuid = row.try_get("program_id")?;
            Ok(StoredGroup {
                id,
                program_id,
                record: api::GroupRecord {
                    row: 0,
                    provider_inn: row.try_get("inn")?,
                    program_key: key_of(row.try_get("program_key")?, program_id),
                    key: key_of(row.try_get("external_key")?, id),
                    draft: api::GroupDraft {
                        name: row.try_get("name")?,
                        start_date: row.try_get("start_date")?,
                        end_date: row.try_get("end_date")?,
                        schedule: row.try_get("schedule")?,
                        teacher: row.try_get("teacher")?,
                        capacity: row.try_get("capacity")?,
                        open: row.try_get("open")?,
                    },
                },
            })
        })
        .collect()
}

/// The municipality whose rows the actor imports and exports: its own for a municipal operator,
/// every one (`None`) for the regional operator.
fn scope_of(actor: &Actor) -> Result<Option<Uuid>> {
    require_role(
        actor,
        OPERATORS,
        "only operators import and export the registries",
    )?;
    match actor.role {
        api::Role::MunicipalOperator => actor
            .municipality_id
            .map(Some)
            .ok_or(StoreError::Forbidden("the operator has no municipality")),
        _ => Ok(None),
    }
}

fn row_error(row: u32, column: &str, code: &'static str, message: impl Into<String>) -> RowError {
    RowError {
        row,
        column: column.to_string(),
        code,
        message: message.into(),
    }
}

/// What holds a group's edit back: the seats taken (waitlist offers included) and the
/// enrollments ever accepted, read with the group's row locked.
struct GroupHoldings {
    seats_taken: i64,
    contracts: i64,
}

async fn group_holdings(tx: &mut Tx, group: Uuid) -> Result<GroupHoldings> {
    let sql = format!(
        "SELECT seats_taken FROM program_groups WHERE id = $1{}",
        BACKEND.for_update()
    );
    let seats_taken: i64 = sqlx::query_scalar(&sql)
        .bind(group)
        .fetch_one(&mut **tx)
        .await?;
    let contracts: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applications WHERE group_id = $1 \
         AND status IN ('accepted', 'completed', 'expelled')",
    )
    .bind(group)
    .fetch_one(&mut **tx)
    .await?;
    Ok(GroupHoldings {
        seats_taken,
        contracts,
    })
}

/// A refused group edit as the cell of the file that asked for it.
fn group_row_error(row: u32, refusal: GroupEditRefusal) -> RowError {
    let (column, message) = match refusal {
        GroupEditRefusal::CapacityBelowSeatsTaken { taken } => {
            ("мест", format!("в группе уже занято {taken} мест"))
        }
        GroupEditRefusal::DatesLocked => (
            "начало",
            "даты группы вошли в договоры зачисленных детей и не меняются; \
             для других дат откройте новую группу"
                .to_string(),
        ),
        GroupEditRefusal::DatesOutOfOrder => {
            ("окончание", "окончание группы раньше её начала".to_string())
        }
    };
    row_error(row, column, refusal.code(), message)
}

/// What an import found; written only when `errors` is empty.
#[derive(Default)]
struct Outcome {
    created: u64,
    updated: u64,
    unchanged: u64,
    errors: Vec<RowError>,
}

// ---------------------------------------------------------------------------------------------
// Imports

#[allow(clippy::too_many_arguments)]
async fn import_providers(
    tx: &mut Tx,
    actor: &Actor,
    scope: Option<Uuid>,
    may_write: bool,
    records: Vec<api::ProviderRecord>,
    now: DateTime<Utc>,
    progress: Progress<'_>,
) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    let municipalities: Vec<(Uuid, String)> = sqlx::query("SELECT id, name FROM municipalities")
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
        .collect::<Result<_>>()?;
    let sql = format!("SELECT {PROVIDER_COLUMNS} FROM providers pr");
    let existing: HashMap<String, api::Provider> = sqlx::query(&sql)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| provider_from_row(row).map(|p| (p.inn.clone(), p)))
        .collect::<Result<_>>()?;
    let today = now.date_naive();
    let mut seen = HashSet::new();
    let mut inserts = Vec::new();
    let mut updates = Vec::new();
    for record in records {
        let row = record.row;
        let named: Vec<&(Uuid, String)> = municipalities
            .iter()
            .filter(|(_, name)| name.trim() == record.municipality)
            .collect();
        let municipality_id = match named.as_slice() {
            [(id, _)] => *id,
            [] => {
                outcome.errors.push(row_error(
                    row,
                    "муниципалитет",
                    "unknown_municipality",
                    "нет муниципалитета с таким названием",
                ));
                continue;
            }
            _ => {
                outcome.errors.push(row_error(
                    row,
                    "муниципалитет",
                    "ambiguous_municipality",
                    "несколько муниципалитетов с таким названием",
                ));
                continue;
            }
        };
        if scope.is_some_and(|m| m != municipality_id) {
            outcome.errors.push(row_error(
                row,
                "муниципалитет",
                "other_municipality",
                "оператор муниципалитета загружает только своих поставщиков",
            ));
            continue;
        }
        let draft = normalized(api::ProviderDraft {
            municipality_id,
            ..record.draft
        });
        let issues = issues_of(&draft, today);
        if !issues.is_empty() {
            outcome.errors.extend(issues.into_iter().map(|issue| {
                row_error(
                    row,
                    api::provider_column(issue.field),
                    issue.code,
                    issue.message,
                )
            }));
            continue;
        }
        if !seen.insert(draft.inn.clone()) {
            outcome.errors.push(row_error(
                row,
                "ИНН",
                "inn_repeated",
                "этот ИНН уже встречался в файле выше",
            ));
            continue;
        }
        match existing.get(&draft.inn) {
            None => inserts.push((Uuid::new_v4(), draft)),
            Some(stored) => {
                if scope.is_some_and(|m| m != stored.municipality_id) {
                    outcome.errors.push(row_error(
                        row,
                        "ИНН",
                        "other_municipality",
                        "поставщик с этим ИНН зарегистрирован в другом муниципалитете",
                    ));
                    continue;
                }
                let changed = changes(&draft_of(stored), &draft);
                if changed.is_empty() {
                    outcome.unchanged += 1;
                } else {
                    updates.push((stored.id, draft, changed));
                }
            }
        }
    }
    if !(outcome.errors.is_empty() && may_write) {
        return Ok(outcome);
    }
    insert_providers(tx, &inserts, now).await?;
    progress(inserts.len() as u64);
    for (id, draft, _) in &updates {
        write_provider(tx, *id, draft).await?;
    }
    let reason = "загрузка реестра из файла";
    let mut events: Vec<ProviderEventRow<'_>> = inserts
        .iter()
        .map(|(id, draft)| ProviderEventRow {
            provider_id: *id,
            action: "import",
            changes: created(draft),
            reason,
        })
        .collect();
    events.extend(updates.iter().map(|(id, _, changed)| ProviderEventRow {
        provider_id: *id,
        action: "import",
        changes: changed.clone(),
        reason,
    }));
    record_provider_events(tx, &events, actor, now).await?;
    progress((inserts.len() + updates.len()) as u64);
    outcome.created = inserts.len() as u64;
    outcome.updated = updates.len() as u64;
    Ok(outcome)
}

/// The provider a row names by ИНН, if the actor may import for it.
fn provider_of<'a>(
    providers: &'a HashMap<String, KnownProvider>,
    scope: Option<Uuid>,
    inn: &str,
    row: u32,
    errors: &mut Vec<RowError>,
) -> Option<&'a KnownProvider> {
    match providers.get(inn) {
        None => {
            errors.push(row_error(
                row,
                "ИНН поставщика",
                "unknown_provider",
                "нет поставщика с таким ИНН в реестре",
            ));
            None
        }
        Some(p) if scope.is_some_and(|m| m != p.municipality_id) => {
            errors.push(row_error(
                row,
                "ИНН поставщика",
                "other_municipality",
                "поставщик из другого муниципалитета",
            ));
            None
        }
        Some(p) => Some(p),
    }
}

/// Finds a stored item by the key a file names it by: its external key, or its id when it has
/// none (its key is then the id as text).
fn index_by_key<'a, T>(
    items: impl Iterator<Item = (&'a T, Uuid, &'a str)>,
) -> HashMap<(Uuid, &'a str), &'a T>
where
    T: 'a,
{
    items
        .map(|(item, owner, key)| ((owner, key), item))
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn import_programs(
    tx: &mut Tx,
    actor: &Actor,
    scope: Option<Uuid>,
    may_write: bool,
    records: Vec<api::ProgramRecord>,
    now: DateTime<Utc>,
    progress: Progress<'_>,
) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    let providers = providers_by_inn(tx).await?;
    let stored = stored_programs(&mut **tx, scope).await?;
    let by_key = index_by_key(
        stored
            .iter()
            .map(|p| (p, p.provider_id, p.record.key.as_str())),
    );
    let mut seen = HashSet::new();
    let mut inserts: Vec<(Uuid, &KnownProvider, api::ProgramRecord)> = Vec::new();
    let mut updates: Vec<(Uuid, &KnownProvider, api::ProgramRecord)> = Vec::new();
    for record in records {
        let row = record.row;
        let Some(provider) = provider_of(
            &providers,
            scope,
            &record.provider_inn,
            row,
            &mut outcome.errors,
        ) else {
            continue;
        };
        if !seen.insert((provider.id, record.key.clone())) {
            outcome.errors.push(row_error(
                row,
                "код программы",
                "key_repeated",
                "программа с этим кодом уже встречалась в файле выше",
            ));
            continue;
        }
        match by_key.get(&(provider.id, record.key.as_str())) {
            None => inserts.push((Uuid::new_v4(), provider, record)),
            Some(existing) if existing.record.draft == record.draft => outcome.unchanged += 1,
            Some(existing) if existing.record.status != api::ProgramStatus::Draft => {
                outcome.errors.push(row_error(
                    row,
                    "",
                    "program_not_editable",
                    "программа уже не черновик: изменения проходят модерацию, а не загрузку",
                ));
            }
            Some(existing) => updates.push((existing.id, provider, record)),
        }
    }
    if !(outcome.errors.is_empty() && may_write) {
        return Ok(outcome);
    }
    let publishes = actor.role == api::Role::RegionalOperator;
    let status_of = |record: &api::ProgramRecord| {
        if publishes && record.status == api::ProgramStatus::Published {
            api::ProgramStatus::Published
        } else {
            api::ProgramStatus::Draft
        }
    };
    let mut written = 0u64;
    for chunk in inserts.chunks(BATCH) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO programs (id, provider_id, municipality_id, title, description, \
             direction, age_from, age_to, level, form, funding, price_per_month, \
             hours_per_week, duration_months, medical_certificate_required, \
             adapted_for_disabilities, address, latitude, longitude, status, created_at, \
             external_key) ",
        );
        qb.push_values(chunk, |mut b, (id, provider, record)| {
            let d = &record.draft;
            b.push_bind(*id)
                .push_bind(provider.id)
                .push_bind(provider.municipality_id)
                .push_bind(d.title.clone())
                .push_bind(d.description.clone())
                .push_bind(d.direction.as_str())
                .push_bind(i64::from(d.age_from))
                .push_bind(i64::from(d.age_to))
                .push_bind(d.level.as_str())
                .push_bind(d.form.as_str())
                .push_bind(d.funding.as_str())
                .push_bind(d.price_per_month.kopecks())
                .push_bind(i64::from(d.hours_per_week))
                .push_bind(i64::from(d.duration_months))
                .push_bind(d.medical_certificate_required)
                .push_bind(d.adapted_for_disabilities)
                .push_bind(d.address.clone())
                .push_bind(d.latitude)
                .push_bind(d.longitude)
                .push_bind(status_of(record).as_str())
                .push_bind(now)
                .push_bind(record.key.clone());
        });
        qb.build().execute(&mut **tx).await?;
        record_program_events(
            tx,
            chunk.iter().map(|(id, _, r)| (*id, None, status_of(r))),
            actor,
            now,
        )
        .await?;
        written += chunk.len() as u64;
        progress(written);
    }
    for (id, provider, record) in &updates {
        let fields =
            NewProgram::from_draft(provider.id, record.draft.clone(), api::ProgramStatus::Draft);
        write_program_fields(tx, *id, &fields).await?;
        written += 1;
        progress(written);
    }
    record_program_events(
        tx,
        updates.iter().map(|(id, _, _)| {
            (
                *id,
                Some(api::ProgramStatus::Draft),
                api::ProgramStatus::Draft,
            )
        }),
        actor,
        now,
    )
    .await?;
    // The catalog finds imported programs as it finds those written through the API.
    let written: Vec<Uuid> = inserts
        .iter()
        .map(|(id, _, _)| *id)
        .chain(updates.iter().map(|(id, _, _)| *id))
        .collect();
    index_programs(tx, Programs::Ids(&written)).await?;
    outcome.created = inserts.len() as u64;
    outcome.updated = updates.len() as u64;
    Ok(outcome)
}

async fn record_program_events(
    tx: &mut Tx,
    events: impl Iterator<Item = (Uuid, Option<api::ProgramStatus>, api::ProgramStatus)>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<()> {
    let events: Vec<_> = events.collect();
    for chunk in events.chunks(BATCH) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO program_events (id, program_id, at, from_status, to_status, action, \
             actor_id, actor_role, reason) ",
        );
        qb.push_values(chunk, |mut b, (id, from, to)| {
            b.push_bind(Uuid::new_v4())
                .push_bind(*id)
                .push_bind(at)
                .push_bind(from.map(|s| s.as_str()))
                .push_bind(to.as_str())
                .push_bind("import")
                .push_bind(actor.user_id)
                .push_bind(actor.role.as_str())
                .push_bind("загрузка реестра из файла");
        });
        qb.build().execute(&mut **tx).await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn import_groups(
    tx: &mut Tx,
    scope: Option<Uuid>,
    may_write: bool,
    records: Vec<api::GroupRecord>,
    now: DateTime<Utc>,
    offer_lifetime: chrono::Duration,
    progress: Progress<'_>,
) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    let providers = providers_by_inn(tx).await?;
    let programs = stored_programs(&mut **tx, scope).await?;
    let program_by_key = index_by_key(
        programs
            .iter()
            .map(|p| (p, p.provider_id, p.record.key.as_str())),
    );
    let groups = stored_groups(&mut **tx, scope).await?;
    let group_by_key = index_by_key(
        groups
            .iter()
            .map(|g| (g, g.program_id, g.record.key.as_str())),
    );
    let mut seen = HashSet::new();
    let mut inserts: Vec<(Uuid, Uuid, api::GroupRecord)> = Vec::new();
    // The group, whether the change frees seats for its waitlist, and the row.
    let mut updates: Vec<(Uuid, bool, api::GroupRecord)> = Vec::new();
    for record in records {
        let row = record.row;
        let Some(provider) = provider_of(
            &providers,
            scope,
            &record.provider_inn,
            row,
            &mut outcome.errors,
        ) else {
            continue;
        };
        let Some(program) = program_by_key.get(&(provider.id, record.program_key.as_str())) else {
            outcome.errors.push(row_error(
                row,
                "код программы",
                "unknown_program",
                "у поставщика нет программы с таким кодом",
            ));
            continue;
        };
        if !seen.insert((program.id, record.key.clone())) {
            outcome.errors.push(row_error(
                row,
                "код группы",
                "key_repeated",
                "группа с этим кодом уже встречалась в файле выше",
            ));
            continue;
        }
        match group_by_key.get(&(program.id, record.key.as_str())) {
            None => inserts.push((Uuid::new_v4(), program.id, record)),
            Some(existing) if existing.record.draft == record.draft => outcome.unchanged += 1,
            Some(existing) => {
                // The same rules as an edit through the API, on the group's row locked now, so
                // that the seats counted are the seats taken when the update is written.
                let held = group_holdings(tx, existing.id).await?;
                let old = &existing.record.draft;
                let edit = GroupEdit {
                    old_start: old.start_date,
                    old_end: old.end_date,
                    start: record.draft.start_date,
                    end: record.draft.end_date,
                    capacity: record.draft.capacity,
                    seats_taken: held.seats_taken,
                    contracts: held.contracts,
                };
                match check_group_edit(&edit) {
                    Ok(()) => {
                        let frees_seats = record.draft.capacity > old.capacity
                            || (record.draft.open && !old.open);
                        updates.push((existing.id, frees_seats, record));
                    }
                    Err(refusal) => outcome.errors.push(group_row_error(row, refusal)),
                }
            }
        }
    }
    if !(outcome.errors.is_empty() && may_write) {
        return Ok(outcome);
    }
    let mut written = 0u64;
    for chunk in inserts.chunks(BATCH) {
        let mut qb = QueryBuilder::<Db>::new(
            "INSERT INTO program_groups (id, program_id, name, start_date, end_date, schedule, \
             teacher, capacity, open, external_key) ",
        );
        qb.push_values(chunk, |mut b, (id, program_id, record)| {
            let d = &record.draft;
            b.push_bind(*id)
                .push_bind(*program_id)
                .push_bind(d.name.clone())
                .push_bind(d.start_date)
                .push_bind(d.end_date)
                .push_bind(d.schedule.clone())
                .push_bind(d.teacher.clone())
                .push_bind(d.capacity)
                .push_bind(d.open)
                .push_bind(record.key.clone());
        });
        qb.build().execute(&mut **tx).await?;
        written += chunk.len() as u64;
        progress(written);
    }
    for (id, frees_seats, record) in &updates {
        let d = &record.draft;
        sqlx::query(
            "UPDATE program_groups SET name = $2, start_date = $3, end_date = $4, schedule = $5, \
             teacher = $6, capacity = $7, open = $8, version = version + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(&d.name)
        .bind(d.start_date)
        .bind(d.end_date)
        .bind(&d.schedule)
        .bind(&d.teacher)
        .bind(d.capacity)
        .bind(d.open)
        .execute(&mut **tx)
        .await?;
        if *frees_seats {
            offer_free_seats(tx, *id, now, offer_lifetime).await?;
        }
        written += 1;
        progress(written);
    }
    outcome.created = inserts.len() as u64;
    outcome.updated = updates.len() as u64;
    Ok(outcome)
}

// ---------------------------------------------------------------------------------------------
// Invitations

const INVITATION_COLUMNS: &str = "id, provider_id, email, full_name, created_at, expires_at";

fn invitation_from_row(row: &DbRow) -> Result<api::Invitation> {
    Ok(api::Invitation {
        id: row.try_get("id")?,
        provider_id: row.try_get("provider_id")?,
        email: row.try_get("email")?,
        full_name: row.try_get("full_name")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
    })
}

/// The provider, if the actor keeps it; `NotFound` otherwise.
async fn kept_provider<'e, E>(executor: E, actor: &Actor, id: Uuid) -> Result<api::Provider>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let provider = provider_by_id(executor, id, false).await?;
    if keeps(actor, &provider) {
        Ok(provider)
    } else {
        Err(StoreError::NotFound)
    }
}

#[async_trait]
impl RegistryStore for SqlStore {
    async fn create_provider(
        &self,
        actor: &Actor,
        p: api::ProviderDraft,
        now: DateTime<Utc>,
    ) -> Result<api::Provider> {
        require_role(
            actor,
            OPERATORS,
            "only operators keep the registry of providers",
        )?;
        if actor.role == api::Role::MunicipalOperator
            && actor.municipality_id != Some(p.municipality_id)
        {
            // A municipality named in the body that the caller may not act for: the same
            // answer as at the desk and in registry files (`other_municipality`).
            return Err(Refusal::OtherMunicipality.into());
        }
        let p = normalized(p);
        let issues = issues_of(&p, now.date_naive());
        if !issues.is_empty() {
            return Err(StoreError::Fields(issues));
        }
        let now = stored_instant(now);
        let mut tx = self.pool().begin_with(BACKEND.begin_write()).await?;
        if !municipality_exists(&mut tx, p.municipality_id).await? {
            return Err(unknown_municipality());
        }
        let id = Uuid::new_v4();
        let changed = created(&p);
        insert_providers(&mut tx, &[(id, p)], now).await?;
        record_provider_events(
            &mut tx,
            &[ProviderEventRow {
                provider_id: id,
                action: "create",
                changes: changed,
                reason: "поставщик внесён в реестр",
            }],
            actor,
            now,
        )
        .await?;
        let provider = provider_by_id(&mut *tx, id, false).await?;
        tx.commit().await?;
        Ok(provider)
    }

    async fn list_providers(&self, municipality_id: Option<Uuid>) -> Result<Vec<api::Provider>> {
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {PROVIDER_COLUMNS} FROM providers pr WHERE 1 = 1"
        ));
        if let Some(m) = municipality_id {
            qb.push(" AND pr.municipality_id = ").push_bind(m);
        }
        qb.push(" ORDER BY pr.name, pr.id");
        let rows = qb.build().fetch_all(self.pool()).await?;
        rows.iter().map(provider_from_row).collect()
    }

    async fn get_provider(&self, id: Uuid) -> Result<api::Provider> {
        provider_by_id(self.pool(), id, false).await
    }

    async fn update_provider(
        &self,
        actor: &Actor,
        id: Uuid,
        p: api::ProviderDraft,
        reason: &str,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<api::Provider> {
        let p = normalized(p);
        let now = stored_instant(now);
        let mut tx = self.pool().begin_with(BACKEND.begin_write()).await?;
        let current = provider_by_id(&mut *tx, id, true).await?;
        if !keeps(actor, &current) {
            return Err(StoreError::NotFound);
        }
        if current.version != expected_version {
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
        let changed = changes(&draft_of(&current), &p);
        let mut issues = issues_of(&p, now.date_naive());
        let locked: &[&str] = match actor.role {
            api::Role::ProviderStaff => &OPERATORS_FIELDS,
            // A municipal operator keeps its own municipality's registry: it does not hand a
            // provider over to another.
            api::Role::MunicipalOperator => &["municipality_id"],
            _ => &[],
        };
        for field in OPERATORS_FIELDS {
            if locked.contains(&field) && changed.iter().any(|c| c.field == field) {
                issues.push(FieldIssue::new(
                    field,
                    "not_editable",
                    "это поле меняет оператор реестра",
                ));
            }
        }
        if !issues.is_empty() {
            return Err(StoreError::Fields(issues));
        }
        if changed.is_empty() {
            return Ok(current);
        }
        if p.municipality_id != current.municipality_id {
            if !municipality_exists(&mut tx, p.municipality_id).await? {
                return Err(unknown_municipality());
            }
            // Programs, enrollments and invoices are the municipality's where they were made:
            // a provider with programs stays where it is.
            let program: Option<Uuid> =
                sqlx::query_scalar("SELECT id FROM programs WHERE provider_id = $1 LIMIT 1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if program.is_some() {
                return Err(StoreError::Fields(vec![FieldIssue::new(
                    "municipality_id",
                    "provider_has_programs",
                    "у поставщика есть программы: он остаётся в своём муниципалитете",
                )]));
            }
        }
        write_provider(&mut tx, id, &p).await?;
        record_provider_events(
            &mut tx,
            &[ProviderEventRow {
                provider_id: id,
                action: "update",
                changes: changed,
                reason,
            }],
            actor,
            now,
        )
        .await?;
        let provider = provider_by_id(&mut *tx, id, false).await?;
        tx.commit().await?;
        Ok(provider)
    }

    async fn provider_events(&self, actor: &Actor, id: Uuid) -> Result<Vec<api::ProviderEvent>> {
        kept_provider(self.pool(), actor, id).await?;
        let sql = format!(
            "SELECT e.at, e.action, e.actor_id, e.actor_role, e.changes, e.reason \
             FROM provider_events e WHERE e.provider_id = $1 ORDER BY {}",
            BACKEND.insertion_order("e")
        );
        let rows = sqlx::query(&sql).bind(id).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                let changes: String = row.try_get("changes")?;
                Ok(api::ProviderEvent {
                    at: row.try_get("at")?,
                    action: row.try_get("action")?,
                    actor_id: row.try_get("actor_id")?,
                    actor_role: enum_of(row, "actor_role", api::Role::parse)?,
                    changes: serde_json::from_str(&changes)
                        .map_err(|_| corrupt("changes", &changes))?,
                    reason: row.try_get("reason")?,
                })
            })
            .collect()
    }

    async fn create_invitation(
        &self,
        actor: &Actor,
        provider_id: Uuid,
        invitation: NewInvitation,
        now: DateTime<Utc>,
    ) -> Result<api::Invitation> {
        require_role(
            actor,
            &[
                api::Role::ProviderStaff,
                api::Role::MunicipalOperator,
                api::Role::RegionalOperator,
            ],
            "staff are invited by their provider and the operators",
        )?;
        let now = stored_instant(now);
        let mut tx = self.pool().begin_with(BACKEND.begin_write()).await?;
        kept_provider(&mut *tx, actor, provider_id).await?;
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO invitations (id, provider_id, email, full_name, token_hash, invited_by, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(provider_id)
        .bind(invitation.email.trim())
        .bind(invitation.full_name.trim())
        .bind(&invitation.token_hash)
        .bind(actor.user_id)
        .bind(now)
        .bind(now + INVITATION_LIFETIME)
        .execute(&mut *tx)
        .await?;
        let sql = format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        invitation_from_row(&row)
    }

    async fn list_invitations(
        &self,
        actor: &Actor,
        provider_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Vec<api::Invitation>> {
        kept_provider(self.pool(), actor, provider_id).await?;
        let sql = format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations WHERE provider_id = $1 \
             AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(provider_id)
            .bind(now)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(invitation_from_row).collect()
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<api::User> {
        let now = stored_instant(now);
        let mut tx = self.pool().begin_with(BACKEND.begin_write()).await?;
        let sql = format!(
            "SELECT id, provider_id, email, full_name, expires_at, accepted_at FROM invitations \
             WHERE token_hash = $1{}",
            BACKEND.for_update()
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let accepted_at: Option<DateTime<Utc>> = row.try_get("accepted_at")?;
        let expires_at: DateTime<Utc> = row.try_get("expires_at")?;
        if accepted_at.is_some() {
            return Err(StoreError::Conflict(
                "invitation_used",
                "this invitation has been accepted already; sign in instead".into(),
            ));
        }
        if expires_at <= now {
            return Err(StoreError::Conflict(
                "invitation_expired",
                "this invitation has expired; ask for a new one".into(),
            ));
        }
        let email: String = row.try_get("email")?;
        let user_id = Uuid::new_v4();
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, email_key, password_hash, full_name, role, provider_id, \
             municipality_id, created_at) VALUES ($1, $2, $3, $4, $5, 'provider_staff', $6, NULL, \
             $7)",
        )
        .bind(user_id)
        .bind(&email)
        .bind(email.to_lowercase())
        .bind(password_hash)
        .bind(row.try_get::<String, _>("full_name")?)
        .bind(row.try_get::<Uuid, _>("provider_id")?)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Conflict(
                    "email_taken",
                    "an account with this email exists".into(),
                ))
            }
            other => other?,
        };
        sqlx::query("UPDATE invitations SET accepted_at = $2, user_id = $3 WHERE id = $1")
            .bind(row.try_get::<Uuid, _>("id")?)
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let user = sqlx::query(
            "SELECT id, email, full_name, role, provider_id, municipality_id FROM users \
             WHERE id = $1",
        )
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(api::User {
            id: user.try_get("id")?,
            email: user.try_get("email")?,
            full_name: user.try_get("full_name")?,
            role: enum_of(&user, "role", api::Role::parse)?,
            provider_id: user.try_get("provider_id")?,
            municipality_id: user.try_get("municipality_id")?,
        })
    }

    async fn import_registry(
        &self,
        actor: &Actor,
        kind: api::RegistryKind,
        table: &Table,
        now: DateTime<Utc>,
        progress: Progress<'_>,
    ) -> Result<api::ImportReport> {
        let scope = scope_of(actor)?;
        let now = stored_instant(now);
        let report = |rows_read: u64, outcome: Outcome| api::ImportReport {
            kind,
            rows_read,
            created: outcome.created,
            updated: outcome.updated,
            unchanged: outcome.unchanged,
            errors: outcome.errors.into_iter().map(Into::into).collect(),
        };
        let mut tx = self.pool().begin_with(BACKEND.begin_write()).await?;
        let (rows_read, read_errors, mut outcome) = match kind {
            api::RegistryKind::Providers => {
                let parsed = api::read_providers(table);
                let may_write = parsed.errors.is_empty();
                let outcome = import_providers(
                    &mut tx,
                    actor,
                    scope,
                    may_write,
                    parsed.records,
                    now,
                    progress,
                )
                .await?;
                (parsed.rows_read, parsed.errors, outcome)
            }
            api::RegistryKind::Programs => {
                let parsed = api::read_programs(table);
                let may_write = parsed.errors.is_empty();
                let outcome = import_programs(
                    &mut tx,
                    actor,
                    scope,
                    may_write,
                    parsed.records,
                    now,
                    progress,
                )
                .await?;
                (parsed.rows_read, parsed.errors, outcome)
            }
            api::RegistryKind::Groups => {
                let parsed = api::read_groups(table);
                let may_write = parsed.errors.is_empty();
                let outcome = import_groups(
                    &mut tx,
                    scope,
                    may_write,
                    parsed.records,
                    now,
                    self.offer_lifetime(),
                    progress,
                )
                .await?;
                (parsed.rows_read, parsed.errors, outcome)
            }
        };
        if !read_errors.is_empty() {
            // The rows that did not parse were left out; the others were checked, not written.
            outcome.errors.extend(read_errors);
            outcome.unchanged = 0;
        }
        if outcome.errors.is_empty() {
            tx.commit().await?;
        } else {
            // Dropping the transaction rolls it back: nothing of the file is written.
            outcome.errors.sort_by_key(|e| e.row);
        }
        Ok(report(rows_read, outcome))
    }

    async fn export_registry(&self, actor: &Actor, kind: api::RegistryKind) -> Result<Table> {
        let scope = scope_of(actor)?;
        Ok(match kind {
            api::RegistryKind::Providers => {
                let mut qb = QueryBuilder::<Db>::new(format!(
                    "SELECT {PROVIDER_COLUMNS}, m.name AS municipality_name FROM providers pr \
                     JOIN municipalities m ON m.id = pr.municipality_id WHERE 1 = 1"
                ));
                if let Some(m) = scope {
                    qb.push(" AND pr.municipality_id = ").push_bind(m);
                }
                qb.push(" ORDER BY pr.inn");
                let rows = qb.build().fetch_all(self.pool()).await?;
                let records = rows
                    .iter()
                    .map(|row| {
                        Ok(api::ProviderRecord {
                            row: 0,
                            municipality: row.try_get("municipality_name")?,
                            draft: draft_of(&provider_from_row(row)?),
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                api::write_providers(&records)
            }
            api::RegistryKind::Programs => {
                let programs = stored_programs(self.pool(), scope).await?;
                api::write_programs(programs.iter().map(|p| &p.record))
            }
            api::RegistryKind::Groups => {
                let groups = stored_groups(self.pool(), scope).await?;
                api::write_groups(groups.iter().map(|g| &g.record))
            }
        })
    }
}
