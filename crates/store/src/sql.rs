//! The SQL of the store, written once and compiled twice: `pg.rs` and `sqlite.rs` each include
//! this file as a module with their own `Db` (the sqlx database) and `BACKEND` (the few dialect
//! differences). Statements use `$n` placeholders and types both engines share: UUIDs, dates,
//! instants, BIGINT kopecks, booleans and text.
//!
//! Every use case that writes runs in one transaction opened with `BACKEND.begin_write()` and
//! locks the rows it is about to change with `BACKEND.for_update()` before reading them, so that
//! concurrent requests serialise on the certificate, the group or the invoice they share.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Pool, QueryBuilder, Row, Transaction};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::application::{self as rules, ApplicationStatus, EnrollmentWindow};
use navigator_domain::certificate::{self, CertificateStatus};
use navigator_domain::invoice::{self as invoice_rules, MonthAttendance};
use navigator_domain::ledger::{self, Account, Posting, PostingKind};
use navigator_domain::notification::NotificationKind;
use navigator_domain::period::PeriodCaps;
use navigator_domain::program as program_rules;
use navigator_domain::waitlist::{self, WaitlistStatus};
use navigator_domain::{quote as split, search, Money, Month, Period, Refusal};

use super::billing_sql;
use super::notifications_sql;
use super::search_sql::{self, index_programs, Programs};
use super::waitlist_sql;
use super::{Db, BACKEND};
use crate::{
    Actor, ApplicationFilter, Backend, BillingBatch, CertificateAction, InvoiceFilter,
    LedgerViolation, NewChild, NewGroup, NewMunicipality, NewPeriod, NewProgram, NewRefreshToken,
    NewUser, PageRequest, Point, ProgramAction, ProgramFilter, RegistryStore, Result,
    RolloverBatch, Store, StoreError, StoreSettings,
};

type Tx = Transaction<'static, Db>;
type DbRow = <Db as sqlx::Database>::Row;

#[derive(Clone)]
pub struct SqlStore {
    pool: Pool<Db>,
    settings: StoreSettings,
    /// This process among the servers sharing the database: whose idempotency claims are whose.
    instance: Uuid,
    started_at: DateTime<Utc>,
    /// When this process last said it was alive, in milliseconds since the epoch (0: not yet);
    /// shared by the clones, which are the same process.
    last_beat_ms: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl SqlStore {
    pub(super) fn new(pool: Pool<Db>, settings: StoreSettings) -> Self {
        SqlStore {
            pool,
            settings,
            instance: Uuid::new_v4(),
            started_at: Utc::now(),
            last_beat_ms: std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0)),
        }
    }

    /// Records a heartbeat that was written.
    pub(super) fn beat_at(&self, at: DateTime<Utc>) {
        self.last_beat_ms
            .fetch_max(at.timestamp_millis(), std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the last heartbeat written is older than `age` at `now` (or none was).
    pub(super) fn beat_older_than(&self, now: DateTime<Utc>, age: chrono::Duration) -> bool {
        let last = self.last_beat_ms.load(std::sync::atomic::Ordering::Relaxed);
        now.timestamp_millis() - last > age.num_milliseconds()
    }

    /// This process's id among the servers sharing the database.
    pub(super) fn instance(&self) -> (Uuid, DateTime<Utc>) {
        (self.instance, self.started_at)
    }

    /// How long a waitlist offer made by a use case holds its seat.
    pub(super) fn offer_lifetime(&self) -> chrono::Duration {
        self.settings.offer_lifetime
    }

    pub(super) async fn begin_write(&self) -> Result<Tx> {
        Ok(self.pool.begin_with(BACKEND.begin_write()).await?)
    }

    /// The pool, for the backend's other SQL source (`idempotency_sql.rs`).
    pub(super) fn pool(&self) -> &Pool<Db> {
        &self.pool
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding helpers

pub(super) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("unexpected {what} in the database: {value:?}").into(),
    ))
}

pub(super) fn money(row: &DbRow, column: &str) -> Result<Money> {
    Ok(Money::from_kopecks(row.try_get::<i64, _>(column)?))
}

pub(super) fn text(row: &DbRow, column: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(column)?)
}

pub(super) fn uuid(row: &DbRow, column: &str) -> Result<Uuid> {
    Ok(row.try_get::<Uuid, _>(column)?)
}

pub(super) fn parsed<T>(row: &DbRow, column: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    let s: String = row.try_get(column)?;
    parse(&s).ok_or_else(|| corrupt(column, &s))
}

fn month(row: &DbRow, column: &str) -> Result<Month> {
    parsed(row, column, |s| s.parse().ok())
}

fn u32_of(row: &DbRow, column: &str) -> Result<u32> {
    let v: i64 = row.try_get(column)?;
    u32::try_from(v).map_err(|_| corrupt(column, &v.to_string()))
}

pub(super) fn certificate_status(s: &str) -> Option<CertificateStatus> {
    s.parse().ok()
}

pub(super) fn application_status(s: &str) -> Option<ApplicationStatus> {
    s.parse().ok()
}

/// Opaque keyset cursors: the sort key (hex of its text) and the row's id.
pub(super) fn encode_cursor(key: &str, id: Uuid) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.{}", id.simple())
}

fn decode_cursor(cursor: &str) -> Result<(String, Uuid)> {
    let invalid = || StoreError::Invalid {
        field: "cursor",
        code: "cursor_invalid",
        message: "the cursor is not one this API gave out".into(),
    };
    let (hex, id) = cursor.split_once('.').ok_or_else(invalid)?;
    if hex.len() % 2 != 0 || hex.len() > 2048 {
        return Err(invalid());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<std::result::Result<Vec<u8>, _>>()
        .map_err(|_| invalid())?;
    let key = String::from_utf8(bytes).map_err(|_| invalid())?;
    let id = Uuid::parse_str(id).map_err(|_| invalid())?;
    Ok((key, id))
}

pub(super) fn limit_of(page: &PageRequest) -> i64 {
    i64::from(page.limit.clamp(1, api::MAX_LIMIT))
}

/// Takes one row more than the page to know whether another page follows.
pub(super) fn into_page<T>(
    mut items: Vec<T>,
    limit: i64,
    cursor_of: impl Fn(&T) -> String,
) -> api::Page<T> {
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if more {
        items.last().map(cursor_of)
    } else {
        None
    };
    api::Page { items, next_cursor }
}

/// Orders a list newest first by `at_column` (ties by `id_column`), after the cursor's row, one
/// row more than a page.
pub(super) fn push_newest_first(
    qb: &mut QueryBuilder<'_, Db>,
    at_column: &str,
    id_column: &str,
    cursor: Option<&str>,
    limit: i64,
) -> Result<()> {
    if let Some(cursor) = cursor {
        let (at, id) = decode_cursor(cursor)?;
        let at: DateTime<Utc> = at.parse().map_err(|_| StoreError::Invalid {
            field: "cursor",
            code: "cursor_invalid",
            message: "the cursor is not one this API gave out".into(),
        })?;
        qb.push(format!(" AND ({at_column} < "))
            .push_bind(at)
            .push(format!(" OR ({at_column} = "))
            .push_bind(at)
            .push(format!(" AND {id_column} < "))
            .push_bind(id)
            .push("))");
    }
    qb.push(format!(
        " ORDER BY {at_column} DESC, {id_column} DESC LIMIT "
    ))
    .push_bind(limit + 1);
    Ok(())
}

pub(super) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

pub(super) fn require_role(actor: &Actor, allowed: &[api::Role], what: &'static str) -> Result<()> {
    if allowed.contains(&actor.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(what))
    }
}

/// Writes a program's editable fields and bumps its version, in the caller's transaction: the
/// API's edit of a draft and an import's row both change a program this way.
pub(super) async fn write_program_fields(tx: &mut Tx, id: Uuid, p: &NewProgram) -> Result<()> {
    sqlx::query(
        "UPDATE programs SET title = $2, description = $3, direction = $4, \
         age_from = $5, age_to = $6, level = $7, form = $8, funding = $9, \
         price_per_month = $10, hours_per_week = $11, duration_months = $12, \
         medical_certificate_required = $13, adapted_for_disabilities = $14, address = $15, \
         latitude = $16, longitude = $17, version = version + 1 WHERE id = $1",
    )
    .bind(id)
    .bind(&p.title)
    .bind(&p.description)
    .bind(p.direction.as_str())
    .bind(i64::from(p.age_from))
    .bind(i64::from(p.age_to))
    .bind(p.level.as_str())
    .bind(p.form.as_str())
    .bind(p.funding.as_str())
    .bind(p.price_per_month.kopecks())
    .bind(i64::from(p.hours_per_week))
    .bind(i64::from(p.duration_months))
    .bind(p.medical_certificate_required)
    .bind(p.adapted_for_disabilities)
    .bind(&p.address)
    .bind(p.location.map(|l| l.latitude))
    .bind(p.location.map(|l| l.longitude))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Users

pub(super) const USER_COLUMNS: &str = "id, email, full_name, role, provider_id, municipality_id";

pub(super) fn user_from_row(row: &DbRow) -> Result<api::User> {
    Ok(api::User {
        id: uuid(row, "id")?,
        email: text(row, "email")?,
        full_name: text(row, "full_name")?,
        role: parsed(row, "role", api::Role::parse)?,
        provider_id: row.try_get("provider_id")?,
        municipality_id: row.try_get("municipality_id")?,
    })
}

// ---------------------------------------------------------------------------------------------
// Registries

const PERIOD_COLUMNS: &str = "id, municipality_id, start_date, end_date, nominal, quota, budget, \
     enrollment_opens, enrollment_closes, test_mode, certificates_financed, budget_committed";

/// The period's parameters with its money: what its enrollments hold and what was paid out.
const PERIOD_VIEW: &str = "SELECT pe.id, pe.municipality_id, pe.start_date, pe.end_date, \
     pe.nominal, pe.quota, pe.budget, pe.enrollment_opens, pe.enrollment_closes, pe.test_mode, \
     pe.certificates_financed, pe.budget_committed, pe.version, \
     (SELECT CAST(COALESCE(SUM(b.balance), 0) AS BIGINT) FROM account_balances b \
      JOIN applications a ON b.account_kind = 'reservation' AND b.account_id = a.id \
      WHERE a.period_id = pe.id) AS reserved, \
     (SELECT CAST(COALESCE(SUM(lp.amount), 0) AS BIGINT) FROM ledger_postings lp \
      WHERE lp.kind = 'write_off' AND lp.period_id = pe.id) AS written_off \
     FROM periods pe";

fn period_from_row(row: &DbRow) -> Result<api::FinancingPeriod> {
    Ok(api::FinancingPeriod {
        id: uuid(row, "id")?,
        municipality_id: uuid(row, "municipality_id")?,
        start: row.try_get("start_date")?,
        end: row.try_get("end_date")?,
        nominal: money(row, "nominal")?,
        quota: row.try_get("quota")?,
        budget: money(row, "budget")?,
        enrollment_opens: row.try_get("enrollment_opens")?,
        enrollment_closes: row.try_get("enrollment_closes")?,
        test_mode: row.try_get("test_mode")?,
        certificates_financed: row.try_get("certificates_financed")?,
        budget_committed: money(row, "budget_committed")?,
        budget_free: money(row, "budget")?
            .checked_sub(money(row, "budget_committed")?)
            .ok_or_else(|| corrupt("budget", "overflow"))?,
        reserved: money(row, "reserved")?,
        written_off: money(row, "written_off")?,
        version: row.try_get("version")?,
    })
}

const PROGRAM_COLUMNS: &str = "p.id, p.provider_id, pr.name AS provider_name, p.municipality_id, \
     p.title, p.description, p.direction, p.age_from, p.age_to, p.level, p.form, p.funding, \
     p.price_per_month, p.hours_per_week, p.duration_months, p.medical_certificate_required, \
     p.adapted_for_disabilities, p.address, p.latitude, p.longitude, p.status, p.remarks, \
     p.version, \
     (SELECT CAST(COALESCE(SUM(g.capacity - g.seats_taken), 0) AS BIGINT) FROM program_groups g \
      WHERE g.program_id = p.id AND g.open) AS seats_left, \
     (SELECT CAST(COALESCE(SUM(r.rating), 0) AS BIGINT) FROM reviews r \
      WHERE r.program_id = p.id AND NOT r.hidden) AS rating_sum, \
     (SELECT COUNT(*) FROM reviews r WHERE r.program_id = p.id AND NOT r.hidden) AS rating_count";

/// A program's mean rating in tenths, rounded half up, or -1 without reviews: the sort key of
/// `rating_desc`, the same arithmetic as the rating shown.
const RATING_TENTHS: &str = "(SELECT CASE WHEN COUNT(*) = 0 THEN -1 \
     ELSE (20 * CAST(SUM(r.rating) AS BIGINT) + COUNT(*)) / (2 * COUNT(*)) END \
     FROM reviews r WHERE r.program_id = p.id AND NOT r.hidden)";

fn rating_of(row: &DbRow, program_id: Uuid) -> Result<(Option<String>, i64)> {
    let sum: i64 = row.try_get("rating_sum")?;
    let count: i64 = row.try_get("rating_count")?;
    Ok((
        crate::reviews::program_rating(program_id, sum, count).average,
        count,
    ))
}

/// The sort key of `rating_desc` back from a shown rating: `"4.5"` is 45, none is -1.
fn rating_tenths(rating: Option<&str>) -> i64 {
    rating
        .and_then(|r| r.replace('.', "").parse().ok())
        .unwrap_or(-1)
}

fn program_summary_from_row(row: &DbRow) -> Result<api::ProgramSummary> {
    let (rating, reviews_count) = rating_of(row, uuid(row, "id")?)?;
    Ok(api::ProgramSummary {
        id: uuid(row, "id")?,
        provider_id: uuid(row, "provider_id")?,
        provider_name: text(row, "provider_name")?,
        municipality_id: uuid(row, "municipality_id")?,
        title: text(row, "title")?,
        direction: parsed(row, "direction", api::Direction::parse)?,
        age_from: u32_of(row, "age_from")?,
        age_to: u32_of(row, "age_to")?,
        level: parsed(row, "level", api::Level::parse)?,
        form: parsed(row, "form", api::StudyForm::parse)?,
        funding: parsed(row, "funding", api::Funding::parse)?,
        price_per_month: money(row, "price_per_month")?,
        adapted_for_disabilities: row.try_get("adapted_for_disabilities")?,
        seats_left: row.try_get("seats_left")?,
        address: text(row, "address")?,
        latitude: row.try_get("latitude")?,
        longitude: row.try_get("longitude")?,
        distance_km: None,
        rating,
        reviews_count,
    })
}

fn program_from_row(row: &DbRow, groups: Vec<api::Group>) -> Result<api::Program> {
    let (rating, reviews_count) = rating_of(row, uuid(row, "id")?)?;
    Ok(api::Program {
        id: uuid(row, "id")?,
        provider_id: uuid(row, "provider_id")?,
        provider_name: text(row, "provider_name")?,
        municipality_id: uuid(row, "municipality_id")?,
        title: text(row, "title")?,
        description: text(row, "description")?,
        direction: parsed(row, "direction", api::Direction::parse)?,
        age_from: u32_of(row, "age_from")?,
        age_to: u32_of(row, "age_to")?,
        level: parsed(row, "level", api::Level::parse)?,
        form: parsed(row, "form", api::StudyForm::parse)?,
        funding: parsed(row, "funding", api::Funding::parse)?,
        price_per_month: money(row, "price_per_month")?,
        hours_per_week: u32_of(row, "hours_per_week")?,
        duration_months: u32_of(row, "duration_months")?,
        medical_certificate_required: row.try_get("medical_certificate_required")?,
        adapted_for_disabilities: row.try_get("adapted_for_disabilities")?,
        address: text(row, "address")?,
        latitude: row.try_get("latitude")?,
        longitude: row.try_get("longitude")?,
        status: parsed(row, "status", api::ProgramStatus::parse)?,
        remarks: row.try_get("remarks")?,
        version: row.try_get("version")?,
        rating,
        reviews_count,
        groups,
    })
}

const GROUP_COLUMNS: &str = "id, program_id, name, start_date, end_date, schedule, teacher, \
     capacity, seats_taken, open, version";

fn group_from_row(row: &DbRow) -> Result<api::Group> {
    let capacity: i64 = row.try_get("capacity")?;
    let taken: i64 = row.try_get("seats_taken")?;
    Ok(api::Group {
        id: uuid(row, "id")?,
        program_id: uuid(row, "program_id")?,
        name: text(row, "name")?,
        start_date: row.try_get("start_date")?,
        end_date: row.try_get("end_date")?,
        schedule: text(row, "schedule")?,
        teacher: text(row, "teacher")?,
        capacity,
        seats_left: capacity - taken,
        open: row.try_get("open")?,
        version: row.try_get("version")?,
    })
}

/// A dimension of the catalog's facets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Direction,
    Level,
    Form,
    Funding,
    AdaptedForDisabilities,
}

impl Facet {
    fn column(self) -> &'static str {
        match self {
            Facet::Direction => "p.direction",
            Facet::Level => "p.level",
            Facet::Form => "p.form",
            Facet::Funding => "p.funding",
            Facet::AdaptedForDisabilities => "p.adapted_for_disabilities",
        }
    }
}

/// The catalog's filters (aliases `p` programs, `pr` providers), all but `except`. The text is
/// matched by the join of `search_sql::push_from`.
fn push_program_filters(
    qb: &mut QueryBuilder<'_, Db>,
    filter: &ProgramFilter,
    except: Option<Facet>,
) {
    match (filter.any_status, filter.status) {
        (false, _) => {
            qb.push(" AND p.status = 'published'");
        }
        (true, Some(status)) => {
            qb.push(" AND p.status = ").push_bind(status.as_str());
        }
        (true, None) => {}
    }
    if let Some(m) = filter.municipality_id {
        qb.push(" AND p.municipality_id = ").push_bind(m);
    }
    if let Some(pid) = filter.provider_id {
        qb.push(" AND p.provider_id = ").push_bind(pid);
    }
    if let (Some(d), false) = (filter.direction, except == Some(Facet::Direction)) {
        qb.push(" AND p.direction = ").push_bind(d.as_str());
    }
    if let Some(age) = filter.age {
        qb.push(" AND p.age_from <= ")
            .push_bind(i64::from(age))
            .push(" AND p.age_to >= ")
            .push_bind(i64::from(age));
    }
    if let (Some(l), false) = (filter.level, except == Some(Facet::Level)) {
        qb.push(" AND p.level = ").push_bind(l.as_str());
    }
    if let (Some(f), false) = (filter.form, except == Some(Facet::Form)) {
        qb.push(" AND p.form = ").push_bind(f.as_str());
    }
    if let (Some(f), false) = (filter.funding, except == Some(Facet::Funding)) {
        qb.push(" AND p.funding = ").push_bind(f.as_str());
    }
    if let Some(max) = filter.price_max {
        qb.push(" AND p.price_per_month <= ")
            .push_bind(max.kopecks());
    }
    if filter.free_seats {
        qb.push(
            " AND EXISTS (SELECT 1 FROM program_groups g WHERE g.program_id = p.id \
             AND g.open AND g.seats_taken < g.capacity)",
        );
    }
    if let (Some(ovz), false) = (
        filter.adapted_for_disabilities,
        except == Some(Facet::AdaptedForDisabilities),
    ) {
        qb.push(" AND p.adapted_for_disabilities = ").push_bind(ovz);
    }
}

fn invalid_cursor() -> StoreError {
    StoreError::Invalid {
        field: "cursor",
        code: "cursor_invalid",
        message: "the cursor is not one this API gave out".into(),
    }
}

/// The stems of the filter's text, none without one.
fn query_stems(filter: &ProgramFilter) -> Vec<String> {
    filter
        .q
        .as_deref()
        .map(search::query_stems)
        .unwrap_or_default()
}

/// How far a program is from the family's place, to the metre, when both are known.
fn distance_km(near: Option<Point>, program: &api::ProgramSummary) -> Option<f64> {
    let near = near?;
    let at = Point::new(program.latitude?, program.longitude?).ok()?;
    Some((near.distance_km(at) * 1000.0).round() / 1000.0)
}

/// Binds a cursor's sort value with the type of its sort key.
fn push_cursor_value(
    qb: &mut QueryBuilder<'_, Db>,
    sort: api::ProgramSort,
    value: &str,
) -> Result<()> {
    match sort {
        api::ProgramSort::Title => {
            qb.push_bind(value.to_string());
        }
        api::ProgramSort::PriceAsc | api::ProgramSort::PriceDesc | api::ProgramSort::RatingDesc => {
            let key: i64 = value.parse().map_err(|_| invalid_cursor())?;
            qb.push_bind(key);
        }
        api::ProgramSort::Relevance | api::ProgramSort::Distance => {
            // Written by `f64`'s `Display`, which reads back to the same number.
            let key: f64 = value.parse().map_err(|_| invalid_cursor())?;
            if !key.is_finite() {
                return Err(invalid_cursor());
            }
            qb.push_bind(key);
        }
    }
    Ok(())
}

/// Records a decision on a program.
#[allow(clippy::too_many_arguments)]
async fn record_program_event(
    tx: &mut Tx,
    program_id: Uuid,
    from: Option<api::ProgramStatus>,
    to: api::ProgramStatus,
    action: &str,
    actor: &Actor,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO program_events (id, program_id, at, from_status, to_status, action, actor_id, \
         actor_role, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(Uuid::new_v4())
    .bind(program_id)
    .bind(at)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(action)
    .bind(actor.user_id)
    .bind(actor.role.as_str())
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Who may act on a program: its provider's staff, its municipality's operator, the regional
/// operator; `NotFound` for the rest, so that drafts stay unseen.
struct ProgramOwner {
    status: api::ProgramStatus,
    version: i64,
    provider_id: Uuid,
    municipality_id: Uuid,
}

impl ProgramOwner {
    fn from_row(row: &DbRow) -> Result<ProgramOwner> {
        Ok(ProgramOwner {
            status: parsed(row, "status", api::ProgramStatus::parse)?,
            version: row.try_get("version")?,
            provider_id: uuid(row, "provider_id")?,
            municipality_id: uuid(row, "municipality_id")?,
        })
    }

    fn is_staff(&self, actor: &Actor) -> bool {
        actor.role == api::Role::ProviderStaff && actor.provider_id == Some(self.provider_id)
    }

    fn is_operator(&self, actor: &Actor) -> bool {
        match actor.role {
            api::Role::RegionalOperator => true,
            api::Role::MunicipalOperator => actor.municipality_id == Some(self.municipality_id),
            _ => false,
        }
    }

    fn visible_to(&self, actor: &Actor) -> bool {
        self.is_staff(actor) || self.is_operator(actor)
    }
}

const PROGRAM_OWNER: &str =
    "SELECT status, version, provider_id, municipality_id FROM programs WHERE id = $1";

async fn lock_program(tx: &mut Tx, actor: &Actor, id: Uuid) -> Result<ProgramOwner> {
    let sql = format!("{PROGRAM_OWNER}{}", BACKEND.for_update());
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let owner = ProgramOwner::from_row(&row)?;
    if !owner.visible_to(actor) {
        return Err(StoreError::NotFound);
    }
    Ok(owner)
}

/// Records a change of a period's parameters.
async fn record_period_event(
    tx: &mut Tx,
    period_id: Uuid,
    actor: &Actor,
    changes: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO period_events (id, period_id, at, actor_id, actor_role, changes, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4())
    .bind(period_id)
    .bind(at)
    .bind(actor.user_id)
    .bind(actor.role.as_str())
    .bind(changes)
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What differs between a period's parameters and the new ones, in words for the record.
fn period_changes(old: &PeriodFacts, new: &NewPeriod) -> String {
    let mut changes = Vec::new();
    let mut note = |name: &str, before: String, after: String| {
        if before != after {
            changes.push(format!("{name}: {before} → {after}"));
        }
    };
    note("start", old.period.start.to_string(), new.start.to_string());
    note("end", old.period.end.to_string(), new.end.to_string());
    note("nominal", old.nominal.to_string(), new.nominal.to_string());
    note("quota", old.quota.to_string(), new.quota.to_string());
    note("budget", old.budget.to_string(), new.budget.to_string());
    note(
        "enrollment_opens",
        old.window.opens.to_string(),
        new.enrollment_opens.to_string(),
    );
    note(
        "enrollment_closes",
        old.window.closes.to_string(),
        new.enrollment_closes.to_string(),
    );
    note(
        "test_mode",
        old.window.test_mode.to_string(),
        new.test_mode.to_string(),
    );
    if changes.is_empty() {
        "no change".into()
    } else {
        changes.join("; ")
    }
}

// ---------------------------------------------------------------------------------------------
// Children and certificates

pub(super) const CHILD_COLUMNS: &str =
    "id, family_id, first_name, last_name, middle_name, birth_date, snils, municipality_id";

pub(super) fn child_from_row(
    row: &DbRow,
    certificate: Option<api::Certificate>,
) -> Result<api::Child> {
    let snils = text(row, "snils")?;
    Ok(api::Child {
        id: uuid(row, "id")?,
        first_name: text(row, "first_name")?,
        last_name: text(row, "last_name")?,
        middle_name: row.try_get("middle_name")?,
        birth_date: row.try_get("birth_date")?,
        snils: navigator_domain::Snils::parse(&snils)
            .map(|s| s.to_string())
            .map_err(|_| corrupt("snils", "(hidden)"))?,
        municipality_id: uuid(row, "municipality_id")?,
        certificate,
    })
}

/// The certificate with its money derived from the ledger: the balance of its account, what its
/// enrollments' reservations hold and what was written off from them.
const CERTIFICATE_SELECT: &str = "SELECT c.id, c.child_id, ch.first_name, ch.last_name, c.number, \
     c.status, c.municipality_id, c.valid_until, c.issued_at, c.activated_at, \
     pe.start_date AS period_start, pe.end_date AS period_end, pe.nominal AS period_nominal, \
     COALESCE((SELECT b.balance FROM account_balances b \
               WHERE b.account_kind = 'certificate' AND b.account_id = c.id), 0) AS balance, \
     (SELECT CAST(COALESCE(SUM(b.balance), 0) AS BIGINT) FROM account_balances b \
      JOIN applications a ON b.account_kind = 'reservation' AND b.account_id = a.id \
      WHERE a.certificate_id = c.id) AS reserved, \
     (SELECT CAST(COALESCE(SUM(lp.amount), 0) AS BIGINT) FROM ledger_postings lp \
      WHERE lp.kind = 'write_off' AND lp.certificate_id = c.id) AS spent \
     FROM certificates c JOIN children ch ON ch.id = c.child_id \
     LEFT JOIN periods pe ON pe.id = c.period_id";

fn certificate_from_row(row: &DbRow) -> Result<api::Certificate> {
    let period_start: Option<NaiveDate> = row.try_get("period_start")?;
    let period_end: Option<NaiveDate> = row.try_get("period_end")?;
    Ok(api::Certificate {
        id: uuid(row, "id")?,
        child_id: uuid(row, "child_id")?,
        child_name: format!("{} {}", text(row, "first_name")?, text(row, "last_name")?),
        number: text(row, "number")?,
        status: parsed(row, "status", certificate_status)?,
        municipality_id: uuid(row, "municipality_id")?,
        valid_until: row.try_get("valid_until")?,
        balance: money(row, "balance")?,
        reserved: money(row, "reserved")?,
        spent: money(row, "spent")?,
        period: period_start
            .zip(period_end)
            .map(|(start, end)| api::DateRange { start, end }),
        nominal: row
            .try_get::<Option<i64>, _>("period_nominal")?
            .map(Money::from_kopecks),
        issued_at: row.try_get("issued_at")?,
        activated_at: row.try_get("activated_at")?,
    })
}

/// Limits a certificate query (aliases `c` certificates, `ch` children) to what the actor may see.
fn push_certificate_scope(qb: &mut QueryBuilder<'_, Db>, actor: &Actor) -> Result<()> {
    match actor.role {
        api::Role::Family => {
            qb.push(" AND ch.family_id = ").push_bind(actor.user_id);
        }
        api::Role::MunicipalOperator => {
            qb.push(" AND c.municipality_id = ")
                .push_bind(actor.municipality_id.unwrap_or_default());
        }
        api::Role::RegionalOperator => {}
        api::Role::ProviderStaff => {
            return Err(StoreError::Forbidden(
                "provider staff see certificates through applications",
            ))
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Applications and invoices

const APPLICATION_SELECT: &str = "SELECT a.id, a.child_id, ch.first_name, ch.last_name, \
     a.certificate_id, a.group_id, g.name AS group_name, a.program_id, p.title AS program_title, \
     a.provider_id, a.status, a.reason, a.end_reason, a.submitted_at, a.decided_at, a.ended_at, \
     a.cost, a.certificate_amount, a.family_amount, a.waitlist_entry_id, a.filed_by, \
     a.filed_by_role, a.consent_method, a.consent_document, a.consent_given_at, \
     COALESCE((SELECT b.balance FROM account_balances b \
               WHERE b.account_kind = 'reservation' AND b.account_id = a.id), 0) AS reserved, \
     (SELECT CAST(COALESCE(SUM(lp.amount), 0) AS BIGINT) FROM ledger_postings lp \
      WHERE lp.kind = 'write_off' AND lp.application_id = a.id) AS written_off \
     FROM applications a JOIN children ch ON ch.id = a.child_id \
     JOIN program_groups g ON g.id = a.group_id JOIN programs p ON p.id = a.program_id";

fn application_from_row(row: &DbRow, months: Vec<api::MonthShare>) -> Result<api::Application> {
    let end_reason: Option<String> = row.try_get("end_reason")?;
    let end_reason = match end_reason.as_deref() {
        None => None,
        Some("family_request") => Some(api::EndReason::FamilyRequest),
        Some("provider_decision") => Some(api::EndReason::ProviderDecision),
        Some("certificate_closed") => Some(api::EndReason::CertificateClosed),
        Some("period_ended") => Some(api::EndReason::PeriodEnded),
        Some(other) => return Err(corrupt("end_reason", other)),
    };
    let filed_by: Option<Uuid> = row.try_get("filed_by")?;
    let on_behalf = match filed_by {
        None => None,
        Some(filed_by) => Some(api::FiledOnBehalf {
            filed_by,
            filed_by_role: parsed(row, "filed_by_role", api::Role::parse)?,
            consent: api::Consent {
                method: parsed(row, "consent_method", api::ConsentMethod::parse)?,
                document: text(row, "consent_document")?,
                given_at: row.try_get("consent_given_at")?,
            },
        }),
    };
    Ok(api::Application {
        id: uuid(row, "id")?,
        child_id: uuid(row, "child_id")?,
        child_name: format!("{} {}", text(row, "first_name")?, text(row, "last_name")?),
        certificate_id: uuid(row, "certificate_id")?,
        group_id: uuid(row, "group_id")?,
        group_name: text(row, "group_name")?,
        program_id: uuid(row, "program_id")?,
        program_title: text(row, "program_title")?,
        provider_id: uuid(row, "provider_id")?,
        status: parsed(row, "status", application_status)?,
        reason: row.try_get("reason")?,
        end_reason,
        submitted_at: row.try_get("submitted_at")?,
        decided_at: row.try_get("decided_at")?,
        ended_at: row.try_get("ended_at")?,
        months,
        cost: money(row, "cost")?,
        certificate_amount: money(row, "certificate_amount")?,
        family_amount: money(row, "family_amount")?,
        reserved: money(row, "reserved")?,
        written_off: money(row, "written_off")?,
        waitlist_entry_id: row.try_get("waitlist_entry_id")?,
        on_behalf,
    })
}

/// Limits an application query (aliases `a`, `ch`) to what the actor may see.
fn push_application_scope(qb: &mut QueryBuilder<'_, Db>, actor: &Actor) {
    match actor.role {
        api::Role::Family => {
            qb.push(" AND ch.family_id = ").push_bind(actor.user_id);
        }
        api::Role::ProviderStaff => {
            qb.push(" AND a.provider_id = ")
                .push_bind(actor.provider_id.unwrap_or_default());
        }
        api::Role::MunicipalOperator => {
            qb.push(" AND a.municipality_id = ")
                .push_bind(actor.municipality_id.unwrap_or_default());
        }
        api::Role::RegionalOperator => {}
    }
}

const INVOICE_SELECT: &str = "SELECT i.id, i.application_id, i.provider_id, i.municipality_id, \
     p.title AS program_title, ch.first_name, ch.last_name, i.month, i.certificate_amount, \
     i.family_amount, i.lessons_attended, i.lessons_marked, i.no_attendance_reason, i.status, \
     i.decision_reason, i.issued_at, i.decided_at \
     FROM invoices i JOIN applications a ON a.id = i.application_id \
     JOIN children ch ON ch.id = a.child_id JOIN programs p ON p.id = a.program_id";

fn invoice_from_row(row: &DbRow) -> Result<api::Invoice> {
    Ok(api::Invoice {
        id: uuid(row, "id")?,
        application_id: uuid(row, "application_id")?,
        provider_id: uuid(row, "provider_id")?,
        municipality_id: uuid(row, "municipality_id")?,
        program_title: text(row, "program_title")?,
        child_name: format!("{} {}", text(row, "first_name")?, text(row, "last_name")?),
        month: month(row, "month")?,
        certificate_amount: money(row, "certificate_amount")?,
        family_amount: money(row, "family_amount")?,
        lessons_attended: row.try_get("lessons_attended")?,
        lessons_marked: row.try_get("lessons_marked")?,
        no_attendance_reason: row.try_get("no_attendance_reason")?,
        status: parsed(row, "status", api::InvoiceStatus::parse)?,
        decision_reason: row.try_get("decision_reason")?,
        issued_at: row.try_get("issued_at")?,
        decided_at: row.try_get("decided_at")?,
    })
}

/// Limits an invoice query (aliases `i`, `ch`) to what the actor may see.
fn push_invoice_scope(qb: &mut QueryBuilder<'_, Db>, actor: &Actor) {
    match actor.role {
        api::Role::Family => {
            qb.push(" AND ch.family_id = ").push_bind(actor.user_id);
        }
        api::Role::ProviderStaff => {
            qb.push(" AND i.provider_id = ")
                .push_bind(actor.provider_id.unwrap_or_default());
        }
        api::Role::MunicipalOperator => {
            qb.push(" AND i.municipality_id = ")
                .push_bind(actor.municipality_id.unwrap_or_default());
        }
        api::Role::RegionalOperator => {}
    }
}

// ---------------------------------------------------------------------------------------------
// The ledger

/// What a posting is about, stored beside it for the histories.
#[derive(Default, Clone)]
struct PostingMeta {
    period_id: Option<Uuid>,
    certificate_id: Option<Uuid>,
    application_id: Option<Uuid>,
    invoice_id: Option<Uuid>,
    provider_id: Option<Uuid>,
    month: Option<Month>,
}

/// The balance of an account, locked for the rest of the transaction.
async fn locked_balance(tx: &mut Tx, account: Account) -> Result<Money> {
    let sql = format!(
        "SELECT balance FROM account_balances WHERE account_kind = $1 AND account_id = $2{}",
        BACKEND.for_update()
    );
    let balance: Option<i64> = sqlx::query_scalar(&sql)
        .bind(account.kind.as_str())
        .bind(account.id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(Money::from_kopecks(balance.unwrap_or(0)))
}

/// Records a posting: the posting, its two entries, and the balances kept in step. Refuses one
/// that would take a guarded account below zero (the database's CHECK is the second line).
async fn post(
    tx: &mut Tx,
    posting: &Posting,
    meta: PostingMeta,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<Uuid> {
    debug_assert!(posting.is_balanced());
    let mut balances = Vec::with_capacity(posting.legs().len());
    for leg in posting.legs() {
        balances.push((leg.account, locked_balance(tx, leg.account).await?));
    }
    ledger::check_postable(posting, |account| {
        balances
            .iter()
            .find(|(a, _)| *a == account)
            .map(|(_, b)| *b)
            .unwrap_or_default()
    })?;
    // Time-ordered ids (UUIDv7) for the ledger's rows and invoices: their primary keys and the
    // indexes on posting and invoice ids grow at one end instead of dirtying a random page of
    // each index per row (the billing run on SQLite took half the time with them).
    let posting_id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO ledger_postings (id, kind, amount, at, actor_id, period_id, certificate_id, \
         application_id, invoice_id, provider_id, month) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(posting_id)
    .bind(posting.kind().as_str())
    .bind(posting.amount().kopecks())
    .bind(at)
    .bind(actor.user_id)
    .bind(meta.period_id)
    .bind(meta.certificate_id)
    .bind(meta.application_id)
    .bind(meta.invoice_id)
    .bind(meta.provider_id)
    .bind(meta.month.map(|m| m.to_string()))
    .execute(&mut **tx)
    .await?;
    for leg in posting.legs() {
        sqlx::query(
            "INSERT INTO ledger_entries (id, posting_id, account_kind, account_id, amount) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(Uuid::now_v7())
        .bind(posting_id)
        .bind(leg.account.kind.as_str())
        .bind(leg.account.id)
        .bind(leg.amount.kopecks())
        .execute(&mut **tx)
        .await?;
        // Update, or open the account with its first entry. (An upsert would not do: the CHECK
        // on balances judges the row proposed for insertion, a negative amount alone.)
        let updated = sqlx::query(
            "UPDATE account_balances SET balance = balance + $3 \
             WHERE account_kind = $1 AND account_id = $2",
        )
        .bind(leg.account.kind.as_str())
        .bind(leg.account.id)
        .bind(leg.amount.kopecks())
        .execute(&mut **tx)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO account_balances (account_kind, account_id, balance) VALUES ($1, $2, $3)",
            )
            .bind(leg.account.kind.as_str())
            .bind(leg.account.id)
            .bind(leg.amount.kopecks())
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(posting_id)
}

pub(super) fn posting_error(e: ledger::InvalidPosting) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(e.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Facts loaded inside transactions

pub(super) struct CertificateFacts {
    pub(super) id: Uuid,
    pub(super) status: CertificateStatus,
    pub(super) municipality_id: Uuid,
    pub(super) valid_until: NaiveDate,
}

pub(super) struct ChildFacts {
    pub(super) birth_date: NaiveDate,
    pub(super) municipality_id: Uuid,
    pub(super) certificate: Option<CertificateFacts>,
}

pub(super) struct GroupFacts {
    pub(super) id: Uuid,
    pub(super) program_id: Uuid,
    pub(super) provider_id: Uuid,
    pub(super) municipality_id: Uuid,
    pub(super) start_date: NaiveDate,
    pub(super) end_date: NaiveDate,
    pub(super) open: bool,
    pub(super) seats_left: i64,
    pub(super) age_from: u32,
    pub(super) age_to: u32,
    pub(super) funding: api::Funding,
    pub(super) price_per_month: Money,
    pub(super) published: bool,
}

pub(super) struct PeriodFacts {
    id: Uuid,
    period: Period,
    nominal: Money,
    quota: i64,
    budget: Money,
    pub(super) window: EnrollmentWindow,
    certificates_financed: i64,
    budget_committed: Money,
}

fn period_facts_from_row(row: &DbRow) -> Result<PeriodFacts> {
    let start: NaiveDate = row.try_get("start_date")?;
    let end: NaiveDate = row.try_get("end_date")?;
    Ok(PeriodFacts {
        id: uuid(row, "id")?,
        period: Period::new(start, end).ok_or_else(|| corrupt("period", &start.to_string()))?,
        nominal: money(row, "nominal")?,
        quota: row.try_get("quota")?,
        budget: money(row, "budget")?,
        window: EnrollmentWindow {
            opens: row.try_get("enrollment_opens")?,
            closes: row.try_get("enrollment_closes")?,
            test_mode: row.try_get("test_mode")?,
        },
        certificates_financed: row.try_get("certificates_financed")?,
        budget_committed: money(row, "budget_committed")?,
    })
}

impl PeriodFacts {
    /// The nominal a certificate starting to finance on `today` gets.
    fn credit_on(&self, today: NaiveDate) -> Money {
        self.period.prorated_nominal(self.nominal, today)
    }

    /// The period's caps as the domain checks them.
    fn caps(&self) -> PeriodCaps {
        PeriodCaps {
            quota: self.quota,
            certificates_financed: self.certificates_financed,
            budget: self.budget,
            budget_committed: self.budget_committed,
        }
    }
}

/// The child (the family's own when the actor is a family) and its certificate.
pub(super) async fn child_facts<'e, E>(
    executor: E,
    actor: &Actor,
    child_id: Uuid,
) -> Result<ChildFacts>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT ch.birth_date, ch.municipality_id AS child_municipality_id, \
         c.id AS certificate_id, c.status, c.municipality_id, c.valid_until \
         FROM children ch LEFT JOIN certificates c ON c.child_id = ch.id WHERE ch.id = ",
    );
    qb.push_bind(child_id);
    if actor.role == api::Role::Family {
        qb.push(" AND ch.family_id = ").push_bind(actor.user_id);
    }
    let row = qb
        .build()
        .fetch_optional(executor)
        .await?
        .ok_or(StoreError::NotFound)?;
    let certificate_id: Option<Uuid> = row.try_get("certificate_id")?;
    let certificate = match certificate_id {
        None => None,
        Some(id) => Some(CertificateFacts {
            id,
            status: parsed(&row, "status", certificate_status)?,
            municipality_id: uuid(&row, "municipality_id")?,
            valid_until: row.try_get("valid_until")?,
        }),
    };
    Ok(ChildFacts {
        birth_date: row.try_get("birth_date")?,
        municipality_id: uuid(&row, "child_municipality_id")?,
        certificate,
    })
}

pub(super) async fn group_facts<'e, E>(executor: E, group_id: Uuid) -> Result<GroupFacts>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row = sqlx::query(
        "SELECT g.id, g.program_id, p.provider_id, p.municipality_id, g.start_date, g.end_date, \
         g.open, g.capacity - g.seats_taken AS seats_left, p.age_from, p.age_to, p.funding, \
         p.price_per_month, p.status FROM program_groups g JOIN programs p ON p.id = g.program_id \
         WHERE g.id = $1",
    )
    .bind(group_id)
    .fetch_optional(executor)
    .await?
    .ok_or(StoreError::NotFound)?;
    let status = parsed(&row, "status", api::ProgramStatus::parse)?;
    Ok(GroupFacts {
        id: uuid(&row, "id")?,
        program_id: uuid(&row, "program_id")?,
        provider_id: uuid(&row, "provider_id")?,
        municipality_id: uuid(&row, "municipality_id")?,
        start_date: row.try_get("start_date")?,
        end_date: row.try_get("end_date")?,
        open: row.try_get("open")?,
        seats_left: row.try_get("seats_left")?,
        age_from: u32_of(&row, "age_from")?,
        age_to: u32_of(&row, "age_to")?,
        funding: parsed(&row, "funding", api::Funding::parse)?,
        price_per_month: money(&row, "price_per_month")?,
        published: status == api::ProgramStatus::Published,
    })
}

/// The municipality's period that contains `today` (locked when `lock`).
pub(super) async fn current_period(
    tx: &mut Tx,
    municipality_id: Uuid,
    today: NaiveDate,
    lock: bool,
) -> Result<PeriodFacts> {
    let sql = format!(
        "SELECT {PERIOD_COLUMNS} FROM periods WHERE municipality_id = $1 \
         AND start_date <= $2 AND end_date >= $2{}",
        if lock { BACKEND.for_update() } else { "" }
    );
    let row = sqlx::query(&sql)
        .bind(municipality_id)
        .bind(today)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Refusal::NoOpenPeriod)?;
    period_facts_from_row(&row)
}

async fn period_by_id(tx: &mut Tx, id: Uuid, lock: bool) -> Result<PeriodFacts> {
    let sql = format!(
        "SELECT {PERIOD_COLUMNS} FROM periods WHERE id = $1{}",
        if lock { BACKEND.for_update() } else { "" }
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(Refusal::NoOpenPeriod)?;
    period_facts_from_row(&row)
}

/// The price of a program's month: nothing for budget-funded programs.
fn monthly_price(group: &GroupFacts) -> Money {
    match group.funding {
        api::Funding::Certificate => group.price_per_month,
        api::Funding::Budget => Money::ZERO,
    }
}

async fn record_certificate_event(
    tx: &mut Tx,
    certificate_id: Uuid,
    from: Option<CertificateStatus>,
    to: CertificateStatus,
    actor: &Actor,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO certificate_events (id, certificate_id, at, from_status, to_status, actor_id, \
         actor_role, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::new_v4())
    .bind(certificate_id)
    .bind(at)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(actor.user_id)
    .bind(actor.role.as_str())
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    notifications_sql::certificate_changed(tx, certificate_id, to, reason, at).await
}

/// The application row locked for a change, limited to what the actor may touch.
struct ApplicationFacts {
    id: Uuid,
    status: ApplicationStatus,
    certificate_id: Uuid,
    group_id: Uuid,
    provider_id: Uuid,
    period_id: Option<Uuid>,
    /// The waitlist offer it was filed from: its seat is held while the application is submitted.
    waitlist_entry_id: Option<Uuid>,
}

impl ApplicationFacts {
    fn holds_seat(&self) -> bool {
        self.status.holds_seat_for(self.waitlist_entry_id.is_some())
    }
}

async fn lock_application(tx: &mut Tx, actor: &Actor, id: Uuid) -> Result<ApplicationFacts> {
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT a.id, a.status, a.certificate_id, a.group_id, a.provider_id, a.period_id, \
         a.waitlist_entry_id FROM applications a JOIN children ch ON ch.id = a.child_id \
         WHERE a.id = ",
    );
    qb.push_bind(id);
    push_application_scope(&mut qb, actor);
    // PostgreSQL cannot lock the nullable side of a join; only `a` is locked.
    if BACKEND == Backend::Postgres {
        qb.push(" FOR NO KEY UPDATE OF a");
    }
    let row = qb
        .build()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(ApplicationFacts {
        id: uuid(&row, "id")?,
        status: parsed(&row, "status", application_status)?,
        certificate_id: uuid(&row, "certificate_id")?,
        group_id: uuid(&row, "group_id")?,
        provider_id: uuid(&row, "provider_id")?,
        period_id: row.try_get("period_id")?,
        waitlist_entry_id: row.try_get("waitlist_entry_id")?,
    })
}

async fn set_application_status(
    tx: &mut Tx,
    id: Uuid,
    status: ApplicationStatus,
    reason: Option<&str>,
    end_reason: Option<api::EndReason>,
    at: DateTime<Utc>,
) -> Result<()> {
    let (decided, ended) = match status {
        ApplicationStatus::Accepted | ApplicationStatus::Rejected => (Some(at), None),
        ApplicationStatus::Withdrawn
        | ApplicationStatus::Completed
        | ApplicationStatus::Expelled => (None, Some(at)),
        ApplicationStatus::Submitted => (None, None),
    };
    sqlx::query(
        "UPDATE applications SET status = $2, reason = COALESCE($3, reason), \
         end_reason = COALESCE($4, end_reason), decided_at = COALESCE($5, decided_at), \
         ended_at = COALESCE($6, ended_at) WHERE id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(reason)
    .bind(end_reason.map(|r| r.as_str()))
    .bind(decided)
    .bind(ended)
    .execute(&mut **tx)
    .await?;
    let kind = match status {
        ApplicationStatus::Submitted => NotificationKind::ApplicationSubmitted,
        ApplicationStatus::Accepted => NotificationKind::ApplicationAccepted,
        ApplicationStatus::Rejected => NotificationKind::ApplicationRejected,
        ApplicationStatus::Withdrawn => NotificationKind::ApplicationWithdrawn,
        ApplicationStatus::Completed => NotificationKind::EnrollmentCompleted,
        ApplicationStatus::Expelled => NotificationKind::EnrollmentExpelled,
    };
    notifications_sql::application_changed(tx, id, kind, reason, at).await
}

/// Issues the invoice of one month of an accepted enrollment: within the contract, once, and with
/// attendance or the provider's reason for none.
async fn issue_invoice(
    tx: &mut Tx,
    app: &ApplicationFacts,
    month_of: Month,
    no_attendance_reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    if app.status != ApplicationStatus::Accepted {
        return Err(Refusal::EnrollmentNotActive.into());
    }
    invoice_rules::check_month_started(month_of, now.date_naive())?;
    let month = month_of.to_string();
    let share = sqlx::query(
        "SELECT certificate_amount, family_amount FROM application_months \
             WHERE application_id = $1 AND month = $2",
    )
    .bind(app.id)
    .bind(&month)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| Refusal::MonthOutsideContract {
        month: month.clone(),
    })?;
    let invoiced: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM invoices WHERE application_id = $1 AND month = $2 \
             AND status <> 'rejected'",
    )
    .bind(app.id)
    .bind(&month)
    .fetch_one(&mut **tx)
    .await?;
    if invoiced > 0 {
        return Err(Refusal::MonthAlreadyInvoiced { month }.into());
    }
    let row = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS marked, \
             CAST(COALESCE(SUM(CASE WHEN present THEN 1 ELSE 0 END), 0) AS BIGINT) AS attended \
             FROM attendance WHERE application_id = $1 AND lesson_date >= $2 AND lesson_date <= $3",
    )
    .bind(app.id)
    .bind(month_of.first_day())
    .bind(month_of.last_day())
    .fetch_one(&mut **tx)
    .await?;
    let attendance = MonthAttendance {
        marked: row.try_get("marked")?,
        attended: row.try_get("attended")?,
    };
    let reason = invoice_rules::no_attendance_reason(month_of, attendance, no_attendance_reason)?;
    let municipality_id: Uuid =
        sqlx::query_scalar("SELECT municipality_id FROM applications WHERE id = $1")
            .bind(app.id)
            .fetch_one(&mut **tx)
            .await?;
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO invoices (id, application_id, provider_id, municipality_id, month, \
             certificate_amount, family_amount, lessons_attended, lessons_marked, \
             no_attendance_reason, status, issued_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'issued', $11)",
    )
    .bind(id)
    .bind(app.id)
    .bind(app.provider_id)
    .bind(municipality_id)
    .bind(&month)
    .bind(share.try_get::<i64, _>("certificate_amount")?)
    .bind(share.try_get::<i64, _>("family_amount")?)
    .bind(attendance.attended)
    .bind(attendance.marked)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => {
            return Err(Refusal::MonthAlreadyInvoiced { month }.into())
        }
        other => other?,
    };
    Ok(id)
}

/// Approves an issued invoice: the certificate's share of the month moves from the reservation to
/// the provider, and the family's share is recorded as owed to the provider.
async fn approve_locked_invoice(
    tx: &mut Tx,
    actor: &Actor,
    id: Uuid,
    invoice: &InvoiceFacts,
    now: DateTime<Utc>,
) -> Result<()> {
    if invoice.status != api::InvoiceStatus::Issued {
        return Err(Refusal::InvoiceTransition {
            status: invoice.status.as_str(),
            action: "approved",
        }
        .into());
    }
    if invoice.certificate_amount.is_positive() {
        let posting = Posting::write_off(
            invoice.application_id,
            invoice.provider_id,
            invoice.certificate_amount,
        )
        .map_err(posting_error)?;
        post(
            tx,
            &posting,
            PostingMeta {
                period_id: invoice.period_id,
                certificate_id: Some(invoice.certificate_id),
                application_id: Some(invoice.application_id),
                invoice_id: Some(id),
                provider_id: Some(invoice.provider_id),
                month: Some(invoice.month),
            },
            actor,
            now,
        )
        .await?;
    }
    // The family's share of the month becomes a debt to the provider, on the books beside the
    // certificate's money but never mixed with it.
    if invoice.family_amount.is_positive() {
        let posting = Posting::co_payment(
            invoice.application_id,
            invoice.provider_id,
            invoice.family_amount,
        )
        .map_err(posting_error)?;
        post(
            tx,
            &posting,
            PostingMeta {
                period_id: invoice.period_id,
                application_id: Some(invoice.application_id),
                invoice_id: Some(id),
                provider_id: Some(invoice.provider_id),
                month: Some(invoice.month),
                ..PostingMeta::default()
            },
            actor,
            now,
        )
        .await?;
    }
    sqlx::query(
        "UPDATE invoices SET status = 'approved', decided_at = $2, decided_by = $3, \
         decided_by_role = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .bind(actor.user_id)
    .bind(actor.role.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Ends an accepted enrollment: the seat frees and what is reserved returns to the certificate,
/// except what invoices already issued for delivered months still need.
async fn end_locked_enrollment(
    tx: &mut Tx,
    actor: &Actor,
    app: &ApplicationFacts,
    reason: api::EndReason,
    comment: Option<&str>,
    now: DateTime<Utc>,
    offer_lifetime: chrono::Duration,
) -> Result<()> {
    let group = group_facts(&mut **tx, app.group_id).await?;
    // Past the group's last day, or at the end of the period it was made for, the contract ran
    // its course; before that, the child leaves early.
    let target = if reason == api::EndReason::PeriodEnded || now.date_naive() > group.end_date {
        ApplicationStatus::Completed
    } else {
        ApplicationStatus::Expelled
    };
    let to = app.status.transition(target)?;
    // The seat goes to the first in the group's waitlist, if anyone waits.
    waitlist_sql::release_seat(tx, app.group_id, now, offer_lifetime).await?;
    // What is reserved returns to the certificate at once, except what invoices already
    // issued for delivered months still need.
    let reserved = locked_balance(tx, Account::reservation(app.id)).await?;
    let pending: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(certificate_amount), 0) AS BIGINT) FROM invoices \
             WHERE application_id = $1 AND status = 'issued'",
    )
    .bind(app.id)
    .fetch_one(&mut **tx)
    .await?;
    let release = reserved
        .checked_sub(Money::from_kopecks(pending))
        .unwrap_or(Money::ZERO)
        .max(Money::ZERO);
    if release.is_positive() {
        let posting =
            Posting::release(app.id, app.certificate_id, release).map_err(posting_error)?;
        post(
            tx,
            &posting,
            PostingMeta {
                period_id: app.period_id,
                certificate_id: Some(app.certificate_id),
                application_id: Some(app.id),
                provider_id: Some(app.provider_id),
                ..PostingMeta::default()
            },
            actor,
            now,
        )
        .await?;
    }
    set_application_status(tx, app.id, to, comment, Some(reason), now).await?;
    Ok(())
}

/// Suspends, resumes or closes a certificate inside a transaction. Closing ends the child's
/// accepted enrollments (their reservations return), refuses nothing already written off, and
/// returns what is left on the certificate to its period's fund: certificate money is never paid
/// out.
async fn change_locked_certificate(
    tx: &mut Tx,
    actor: &Actor,
    id: Uuid,
    action: CertificateAction,
    reason: &str,
    now: DateTime<Utc>,
    offer_lifetime: chrono::Duration,
) -> Result<()> {
    let sql = format!(
        "SELECT status, period_id FROM certificates WHERE id = $1{}",
        BACKEND.for_update()
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let from = parsed(&row, "status", certificate_status)?;
    let period_id: Option<Uuid> = row.try_get("period_id")?;
    let to = match action {
        CertificateAction::Suspend => CertificateStatus::Suspended,
        CertificateAction::Close => CertificateStatus::Closed,
        // Back to what it was: financing once it has been financed.
        CertificateAction::Resume if period_id.is_some() => CertificateStatus::Financing,
        CertificateAction::Resume => CertificateStatus::Accounting,
    };
    let to = from.transition(to)?;
    if to == CertificateStatus::Closed {
        let live: Vec<Uuid> = sqlx::query_scalar(
            "SELECT id FROM applications WHERE certificate_id = $1 \
             AND status IN ('submitted', 'accepted') ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        for application_id in live {
            let app = lock_application(tx, &Actor::system(), application_id).await?;
            match app.status {
                ApplicationStatus::Accepted => {
                    end_locked_enrollment(
                        tx,
                        actor,
                        &app,
                        api::EndReason::CertificateClosed,
                        Some(reason),
                        now,
                        offer_lifetime,
                    )
                    .await?
                }
                _ => {
                    let withdrawn = app.status.transition(ApplicationStatus::Withdrawn)?;
                    if app.holds_seat() {
                        waitlist_sql::release_seat(tx, app.group_id, now, offer_lifetime).await?;
                    }
                    set_application_status(tx, app.id, withdrawn, Some(reason), None, now).await?
                }
            }
        }
        // A closed certificate takes no seat: the child's places in waitlists end, and the seats
        // its offers held pass on.
        waitlist_sql::cancel_entries_of_certificate(tx, id, now, offer_lifetime).await?;
        let left = locked_balance(tx, Account::certificate(id)).await?;
        if let (true, Some(period_id)) = (left.is_positive(), period_id) {
            let posting = Posting::expiry(id, period_id, left).map_err(posting_error)?;
            post(
                tx,
                &posting,
                PostingMeta {
                    period_id: Some(period_id),
                    certificate_id: Some(id),
                    ..PostingMeta::default()
                },
                actor,
                now,
            )
            .await?;
        }
    }
    sqlx::query("UPDATE certificates SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(to.as_str())
        .execute(&mut **tx)
        .await?;
    record_certificate_event(tx, id, Some(from), to, actor, reason, now).await?;
    Ok(())
}

/// Registers a child of a family, inside the caller's transaction: born, under 18, and with a
/// SNILS no other child has.
pub(super) async fn insert_child(
    tx: &mut Tx,
    family_id: Uuid,
    child: &NewChild,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let today = now.date_naive();
    if child.birth_date > today || navigator_domain::person::age_on(child.birth_date, today) >= 18 {
        return Err(StoreError::Invalid {
            field: "birth_date",
            code: "birth_date_out_of_range",
            message: "a child is under 18 and already born".into(),
        });
    }
    let taken: Option<Uuid> = sqlx::query_scalar("SELECT id FROM children WHERE snils = $1")
        .bind(child.snils.digits())
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(Refusal::SnilsTaken.into());
    }
    let id = Uuid::new_v4();
    let inserted = sqlx::query(
        "INSERT INTO children (id, family_id, first_name, last_name, middle_name, birth_date, \
         snils, municipality_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(family_id)
    .bind(child.first_name.trim())
    .bind(child.last_name.trim())
    .bind(child.middle_name.as_deref().map(str::trim))
    .bind(child.birth_date)
    .bind(child.snils.digits())
    .bind(child.municipality_id)
    .bind(now)
    .execute(&mut **tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(Refusal::SnilsTaken.into()),
        Err(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => {
            return Err(StoreError::Invalid {
                field: "municipality_id",
                code: "unknown_municipality",
                message: "no municipality with this id".into(),
            })
        }
        other => other?,
    };
    Ok(id)
}

// ---------------------------------------------------------------------------------------------
// Filing applications

/// How an application comes to be filed.
pub(super) enum Filing<'a> {
    /// The family applies for its child, to a seat that is free.
    ByFamily,
    /// The family takes a waitlist offer: the application uses the seat the offer holds.
    FromOffer {
        entry_id: Uuid,
        status: WaitlistStatus,
        expires_at: Option<DateTime<Utc>>,
    },
    /// Staff file for the family with its consent; the child is one of the actor's scope.
    OnBehalf(&'a api::Consent),
}

/// Files an application after every check, inside the caller's transaction: for a certified
/// program, a certificate of accounting switches to financing here (credited the prorated
/// nominal), unless the period's quota or budget is used up. Returns the application's id.
pub(super) async fn file_application(
    tx: &mut Tx,
    actor: &Actor,
    child_id: Uuid,
    group_id: Uuid,
    filing: Filing<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let today = now.date_naive();
    // The family sees its own children; staff act for a child of their scope, checked below.
    let child = child_facts(&mut **tx, actor, child_id).await?;
    let certificate = child.certificate.ok_or(Refusal::NoCertificate)?;
    // Lock the certificate: its status may change below.
    let sql = format!(
        "SELECT status, period_id FROM certificates WHERE id = $1{}",
        BACKEND.for_update()
    );
    let row = sqlx::query(&sql)
        .bind(certificate.id)
        .fetch_one(&mut **tx)
        .await?;
    let status = parsed(&row, "status", certificate_status)?;
    let financed_by: Option<Uuid> = row.try_get("period_id")?;
    let group = group_facts(&mut **tx, group_id).await?;
    if let Filing::OnBehalf(_) = filing {
        let in_scope = match actor.role {
            api::Role::ProviderStaff => actor.provider_id == Some(group.provider_id),
            api::Role::MunicipalOperator => {
                actor.municipality_id == Some(group.municipality_id)
                    && actor.municipality_id == Some(child.municipality_id)
            }
            api::Role::RegionalOperator => true,
            api::Role::Family => false,
        };
        // Staff act for children of their group's municipality only.
        if !in_scope || child.municipality_id != group.municipality_id {
            return Err(StoreError::NotFound);
        }
    }
    // The period is locked only when this application finances the certificate, which counts it
    // against the period's quota and budget; otherwise it is only read, so that the applications
    // of a municipality do not queue on its period row.
    let finances =
        group.funding == api::Funding::Certificate && status == CertificateStatus::Accounting;
    let period = current_period(tx, certificate.municipality_id, today, finances).await?;
    let already: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applications WHERE child_id = $1 AND group_id = $2 \
         AND status IN ('submitted', 'accepted')",
    )
    .bind(child_id)
    .bind(group_id)
    .fetch_one(&mut **tx)
    .await?;
    let facts = rules::ApplicationFacts {
        today,
        window: period.window,
        program_published: group.published,
        group_open: group.open,
        group_end: group.end_date,
        seats_left: group.seats_left,
        age_from: group.age_from,
        age_to: group.age_to,
        child_birth_date: child.birth_date,
        already_applied: already > 0,
        certificate_status: status,
        certificate_valid_until: certificate.valid_until,
        same_municipality: group.municipality_id == certificate.municipality_id,
    };
    let (waitlist_entry_id, consent) = match filing {
        Filing::ByFamily => {
            rules::check_application(&facts)?;
            (None, None)
        }
        Filing::FromOffer {
            entry_id,
            status: entry_status,
            expires_at,
        } => {
            waitlist::check_taking(&facts, entry_status, expires_at, now)?;
            (Some(entry_id), None)
        }
        Filing::OnBehalf(consent) => {
            if consent.given_at > today {
                return Err(Refusal::ConsentInvalid.into());
            }
            rules::check_application(&facts)?;
            (None, Some(consent))
        }
    };
    let months = split::contract_months(group.start_date, group.end_date, &period.period, today);
    if months.is_empty() {
        return Err(Refusal::NothingToReserve.into());
    }
    // Money of an ended period is not spent in the next one.
    if status == CertificateStatus::Financing && financed_by.is_some_and(|p| p != period.id) {
        return Err(Refusal::RolloverPending.into());
    }
    // A certified program turns a certificate of accounting into one of financing, credited
    // with the period's nominal prorated to the months left, if the quota and budget allow.
    if finances {
        let credit = period.credit_on(today);
        period.caps().check_room(credit)?;
        let to = status.transition(CertificateStatus::Financing)?;
        sqlx::query(
            "UPDATE periods SET certificates_financed = certificates_financed + 1, \
             budget_committed = budget_committed + $2 WHERE id = $1",
        )
        .bind(period.id)
        .bind(credit.kopecks())
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE certificates SET status = $2, period_id = $3 WHERE id = $1")
            .bind(certificate.id)
            .bind(to.as_str())
            .bind(period.id)
            .execute(&mut **tx)
            .await?;
        if credit.is_positive() {
            let posting =
                Posting::credit(period.id, certificate.id, credit).map_err(posting_error)?;
            post(
                tx,
                &posting,
                PostingMeta {
                    period_id: Some(period.id),
                    certificate_id: Some(certificate.id),
                    ..PostingMeta::default()
                },
                actor,
                now,
            )
            .await?;
        }
        record_certificate_event(
            tx,
            certificate.id,
            Some(status),
            to,
            actor,
            "запись на программу, оплачиваемую сертификатом",
            now,
        )
        .await?;
    }
    let id = Uuid::new_v4();
    let (filed_by, filed_by_role) = match consent {
        Some(_) => (Some(actor.user_id), Some(actor.role.as_str())),
        None => (None, None),
    };
    let inserted = sqlx::query(
        "INSERT INTO applications (id, child_id, certificate_id, group_id, program_id, \
         provider_id, municipality_id, period_id, status, submitted_at, waitlist_entry_id, \
         filed_by, filed_by_role, consent_method, consent_document, consent_given_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(id)
    .bind(child_id)
    .bind(certificate.id)
    .bind(group.id)
    .bind(group.program_id)
    .bind(group.provider_id)
    .bind(group.municipality_id)
    .bind(period.id)
    .bind(now)
    .bind(waitlist_entry_id)
    .bind(filed_by)
    .bind(filed_by_role)
    .bind(consent.map(|c| c.method.as_str()))
    .bind(consent.map(|c| c.document.trim()))
    .bind(consent.map(|c| c.given_at))
    .execute(&mut **tx)
    .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => return Err(Refusal::AlreadyEnrolled.into()),
        other => other?,
    };
    notifications_sql::application_changed(
        tx,
        id,
        NotificationKind::ApplicationSubmitted,
        None,
        now,
    )
    .await?;
    Ok(id)
}

// ---------------------------------------------------------------------------------------------

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        BACKEND
    }

    async fn migrate(&self) -> Result<()> {
        super::MIGRATOR.run(&self.pool).await?;
        // Programs written before the search index existed (migration 0004) are stemmed here:
        // SQL cannot run the domain's stemmer.
        let mut tx = self.begin_write().await?;
        index_programs(&mut tx, Programs::Unindexed).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM municipalities")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    // Accounts ---------------------------------------------------------------------------------

    async fn create_user(&self, user: NewUser) -> Result<api::User> {
        let mut tx = self.begin_write().await?;
        if let Some(provider_id) = user.provider_id {
            let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM providers WHERE id = $1")
                .bind(provider_id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::Invalid {
                    field: "provider_id",
                    code: "unknown_provider",
                    message: "no provider with this id".into(),
                });
            }
        }
        if let Some(municipality_id) = user.municipality_id {
            let exists: Option<Uuid> =
                sqlx::query_scalar("SELECT id FROM municipalities WHERE id = $1")
                    .bind(municipality_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if exists.is_none() {
                return Err(StoreError::Invalid {
                    field: "municipality_id",
                    code: "unknown_municipality",
                    message: "no municipality with this id".into(),
                });
            }
        }
        let id = Uuid::new_v4();
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, email_key, password_hash, full_name, role, provider_id, \
             municipality_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(user.email.trim())
        .bind(user.email.trim().to_lowercase())
        .bind(&user.password_hash)
        .bind(user.full_name.trim())
        .bind(user.role.as_str())
        .bind(user.provider_id)
        .bind(user.municipality_id)
        .bind(Utc::now())
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
        tx.commit().await?;
        self.get_user(id).await
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<(api::User, String)>> {
        let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email_key = $1");
        let row = sqlx::query(&sql)
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((user_from_row(&row)?, text(&row, "password_hash")?)))
            .transpose()
    }

    async fn get_user(&self, id: Uuid) -> Result<api::User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        user_from_row(&row)
    }

    async fn insert_refresh_token(&self, token: NewRefreshToken) -> Result<()> {
        sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&token.token_hash)
        .bind(token.user_id)
        .bind(token.family_id)
        .bind(token.expires_at)
        .bind(Utc::now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        new_expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<api::User> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens \
             WHERE token_hash = $1{}",
            BACKEND.for_update()
        );
        let row = sqlx::query(&sql)
            .bind(old_hash)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let user_id = uuid(&row, "user_id")?;
        let family_id = uuid(&row, "family_id")?;
        let expires_at: DateTime<Utc> = row.try_get("expires_at")?;
        let used_at: Option<DateTime<Utc>> = row.try_get("used_at")?;
        let revoked_at: Option<DateTime<Utc>> = row.try_get("revoked_at")?;
        if revoked_at.is_some() || expires_at <= now {
            return Err(StoreError::NotFound);
        }
        if used_at.is_some() {
            // A used token presented again: someone holds a copy. End the whole sign-in.
            sqlx::query(
                "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
            )
            .bind(family_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Err(StoreError::Conflict(
                "refresh_token_reused",
                "the refresh token was already used; the session is revoked".into(),
            ));
        }
        sqlx::query("UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1")
            .bind(old_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(new_hash)
        .bind(user_id)
        .bind(family_id)
        .bind(new_expires_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.get_user(user_id).await
    }

    async fn revoke_refresh_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
        sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = $2 WHERE revoked_at IS NULL AND family_id = \
             (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)",
        )
        .bind(token_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // Registries -------------------------------------------------------------------------------

    async fn create_municipality(&self, m: NewMunicipality) -> Result<api::Municipality> {
        let id = Uuid::new_v4();
        let inserted =
            sqlx::query("INSERT INTO municipalities (id, name, region_code) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(&m.name)
                .bind(&m.region_code)
                .execute(&self.pool)
                .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Conflict(
                    "municipality_exists",
                    "a municipality with this name exists".into(),
                ))
            }
            other => other?,
        };
        Ok(api::Municipality {
            id,
            name: m.name,
            region_code: m.region_code,
        })
    }

    async fn list_municipalities(&self) -> Result<Vec<api::Municipality>> {
        let rows = sqlx::query("SELECT id, name, region_code FROM municipalities ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(api::Municipality {
                    id: uuid(row, "id")?,
                    name: text(row, "name")?,
                    region_code: text(row, "region_code")?,
                })
            })
            .collect()
    }

    async fn create_period(&self, actor: &Actor, p: NewPeriod) -> Result<api::FinancingPeriod> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "only operators set period parameters",
        )?;
        if actor.role == api::Role::MunicipalOperator
            && actor.municipality_id != Some(p.municipality_id)
        {
            return Err(StoreError::NotFound);
        }
        let invalid = |field, message: &str| StoreError::Invalid {
            field,
            code: "invalid_period",
            message: message.into(),
        };
        if p.start > p.end {
            return Err(invalid("end", "the period ends before it starts"));
        }
        if p.enrollment_opens > p.enrollment_closes {
            return Err(invalid(
                "enrollment_closes",
                "the enrollment window closes before it opens",
            ));
        }
        if p.nominal.is_negative() || p.budget.is_negative() || p.quota < 0 {
            return Err(invalid("budget", "money and quota cannot be negative"));
        }
        let mut tx = self.begin_write().await?;
        let overlapping: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM periods WHERE municipality_id = $1 \
             AND start_date <= $3 AND end_date >= $2",
        )
        .bind(p.municipality_id)
        .bind(p.start)
        .bind(p.end)
        .fetch_one(&mut *tx)
        .await?;
        if overlapping > 0 {
            return Err(StoreError::Conflict(
                "period_overlaps",
                "the municipality already has a period on these dates".into(),
            ));
        }
        let id = Uuid::new_v4();
        let now = Utc::now();
        let inserted = sqlx::query(
            "INSERT INTO periods (id, municipality_id, start_date, end_date, nominal, quota, budget, \
             enrollment_opens, enrollment_closes, test_mode, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(p.municipality_id)
        .bind(p.start)
        .bind(p.end)
        .bind(p.nominal.kopecks())
        .bind(p.quota)
        .bind(p.budget.kopecks())
        .bind(p.enrollment_opens)
        .bind(p.enrollment_closes)
        .bind(p.test_mode)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => {
                return Err(StoreError::Invalid {
                    field: "municipality_id",
                    code: "unknown_municipality",
                    message: "no municipality with this id".into(),
                })
            }
            other => other?,
        };
        record_period_event(
            &mut tx,
            id,
            actor,
            &format!(
                "period {} – {}; nominal {}; quota {}; budget {}",
                p.start, p.end, p.nominal, p.quota, p.budget
            ),
            "период открыт",
            now,
        )
        .await?;
        if p.budget.is_positive() {
            let posting = Posting::funding(id, p.budget).map_err(posting_error)?;
            post(
                &mut tx,
                &posting,
                PostingMeta {
                    period_id: Some(id),
                    ..PostingMeta::default()
                },
                actor,
                now,
            )
            .await?;
        }
        let sql = format!("{PERIOD_VIEW} WHERE pe.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
        let period = period_from_row(&row)?;
        tx.commit().await?;
        Ok(period)
    }

    async fn list_periods(&self, municipality_id: Uuid) -> Result<Vec<api::FinancingPeriod>> {
        let sql = format!("{PERIOD_VIEW} WHERE pe.municipality_id = $1 ORDER BY pe.start_date");
        let rows = sqlx::query(&sql)
            .bind(municipality_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(period_from_row).collect()
    }

    async fn update_period(
        &self,
        actor: &Actor,
        id: Uuid,
        p: NewPeriod,
        reason: &str,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<api::FinancingPeriod> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "only operators set period parameters",
        )?;
        let invalid = |field, message: &str| StoreError::Invalid {
            field,
            code: "invalid_period",
            message: message.into(),
        };
        if p.start > p.end {
            return Err(invalid("end", "the period ends before it starts"));
        }
        if p.enrollment_opens > p.enrollment_closes {
            return Err(invalid(
                "enrollment_closes",
                "the enrollment window closes before it opens",
            ));
        }
        if p.nominal.is_negative() || p.budget.is_negative() || p.quota < 0 {
            return Err(invalid("budget", "money and quota cannot be negative"));
        }
        let mut tx = self.begin_write().await?;
        let old = period_by_id(&mut tx, id, true)
            .await
            .map_err(|_| StoreError::NotFound)?;
        let sql = "SELECT municipality_id, version FROM periods WHERE id = $1";
        let row = sqlx::query(sql).bind(id).fetch_one(&mut *tx).await?;
        let municipality_id = uuid(&row, "municipality_id")?;
        let version: i64 = row.try_get("version")?;
        if actor.role == api::Role::MunicipalOperator
            && actor.municipality_id != Some(municipality_id)
        {
            return Err(StoreError::NotFound);
        }
        if version != expected_version {
            return Err(StoreError::Stale { current: version });
        }
        if p.quota < old.certificates_financed {
            return Err(invalid(
                "quota",
                "the quota cannot go below the certificates already financing",
            ));
        }
        if p.budget < old.budget_committed {
            return Err(invalid(
                "budget",
                "the budget cannot go below what is already credited to certificates",
            ));
        }
        let overlapping: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM periods WHERE municipality_id = $1 AND id <> $4 \
             AND start_date <= $3 AND end_date >= $2",
        )
        .bind(municipality_id)
        .bind(p.start)
        .bind(p.end)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if overlapping > 0 {
            return Err(StoreError::Conflict(
                "period_overlaps",
                "the municipality already has a period on these dates".into(),
            ));
        }
        // The budget's change moves money in or out of the period's fund; a cut cannot take
        // what the fund no longer holds (the fund's guard refuses it).
        let meta = || PostingMeta {
            period_id: Some(id),
            ..PostingMeta::default()
        };
        if p.budget > old.budget {
            let delta = p.budget.checked_sub(old.budget).unwrap_or_default();
            let posting = Posting::funding(id, delta).map_err(posting_error)?;
            post(&mut tx, &posting, meta(), actor, now).await?;
        } else if p.budget < old.budget {
            let delta = old.budget.checked_sub(p.budget).unwrap_or_default();
            let posting = Posting::defunding(id, delta).map_err(posting_error)?;
            post(&mut tx, &posting, meta(), actor, now).await?;
        }
        let changes = period_changes(&old, &p);
        sqlx::query(
            "UPDATE periods SET start_date = $2, end_date = $3, nominal = $4, quota = $5, \
             budget = $6, enrollment_opens = $7, enrollment_closes = $8, test_mode = $9, \
             version = version + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(p.start)
        .bind(p.end)
        .bind(p.nominal.kopecks())
        .bind(p.quota)
        .bind(p.budget.kopecks())
        .bind(p.enrollment_opens)
        .bind(p.enrollment_closes)
        .bind(p.test_mode)
        .execute(&mut *tx)
        .await?;
        record_period_event(&mut tx, id, actor, &changes, reason, now).await?;
        let sql = format!("{PERIOD_VIEW} WHERE pe.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
        let period = period_from_row(&row)?;
        tx.commit().await?;
        Ok(period)
    }

    async fn period_events(&self, actor: &Actor, id: Uuid) -> Result<Vec<api::PeriodEvent>> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "the record of period parameters is the operators'",
        )?;
        let municipality_id: Uuid =
            sqlx::query_scalar("SELECT municipality_id FROM periods WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound)?;
        if actor.role == api::Role::MunicipalOperator
            && actor.municipality_id != Some(municipality_id)
        {
            return Err(StoreError::NotFound);
        }
        let rows = sqlx::query(
            "SELECT at, actor_role, changes, reason FROM period_events WHERE period_id = $1 \
             ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(api::PeriodEvent {
                    at: row.try_get("at")?,
                    actor_role: parsed(row, "actor_role", api::Role::parse)?,
                    changes: text(row, "changes")?,
                    reason: text(row, "reason")?,
                })
            })
            .collect()
    }

    async fn create_program(&self, actor: &Actor, p: NewProgram) -> Result<api::Program> {
        let provider = self.get_provider(p.provider_id).await?;
        let allowed = match actor.role {
            api::Role::RegionalOperator => true,
            api::Role::MunicipalOperator => actor.municipality_id == Some(provider.municipality_id),
            api::Role::ProviderStaff => actor.provider_id == Some(provider.id),
            api::Role::Family => false,
        };
        if !allowed {
            return Err(StoreError::Forbidden(
                "programs are kept by their provider and the operators",
            ));
        }
        if p.age_from > p.age_to {
            return Err(StoreError::Invalid {
                field: "age_to",
                code: "invalid_ages",
                message: "the ages run from a smaller to a larger one".into(),
            });
        }
        let id = Uuid::new_v4();
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO programs (id, provider_id, municipality_id, title, description, \
             direction, age_from, age_to, level, form, funding, price_per_month, hours_per_week, \
             duration_months, medical_certificate_required, adapted_for_disabilities, address, \
             latitude, longitude, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
        )
        .bind(id)
        .bind(provider.id)
        .bind(provider.municipality_id)
        .bind(&p.title)
        .bind(&p.description)
        .bind(p.direction.as_str())
        .bind(i64::from(p.age_from))
        .bind(i64::from(p.age_to))
        .bind(p.level.as_str())
        .bind(p.form.as_str())
        .bind(p.funding.as_str())
        .bind(p.price_per_month.kopecks())
        .bind(i64::from(p.hours_per_week))
        .bind(i64::from(p.duration_months))
        .bind(p.medical_certificate_required)
        .bind(p.adapted_for_disabilities)
        .bind(&p.address)
        .bind(p.location.map(|l| l.latitude))
        .bind(p.location.map(|l| l.longitude))
        .bind(p.status.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        index_programs(&mut tx, Programs::One(id)).await?;
        record_program_event(
            &mut tx,
            id,
            None,
            p.status,
            "create",
            actor,
            "программа создана",
            now,
        )
        .await?;
        tx.commit().await?;
        self.get_program(Some(actor), id).await
    }

    async fn update_program(
        &self,
        actor: &Actor,
        id: Uuid,
        p: NewProgram,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<api::Program> {
        if p.age_from > p.age_to {
            return Err(StoreError::Invalid {
                field: "age_to",
                code: "invalid_ages",
                message: "the ages run from a smaller to a larger one".into(),
            });
        }
        let mut tx = self.begin_write().await?;
        let owner = lock_program(&mut tx, actor, id).await?;
        if owner.version != expected_version {
            return Err(StoreError::Stale {
                current: owner.version,
            });
        }
        if !owner.status.is_editable() {
            return Err(Refusal::ProgramNotEditable.into());
        }
        write_program_fields(&mut tx, id, &p).await?;
        index_programs(&mut tx, Programs::One(id)).await?;
        record_program_event(
            &mut tx,
            id,
            Some(owner.status),
            owner.status,
            "update",
            actor,
            "программа изменена",
            now,
        )
        .await?;
        tx.commit().await?;
        self.get_program(Some(actor), id).await
    }

    async fn change_program_status(
        &self,
        actor: &Actor,
        id: Uuid,
        action: ProgramAction,
        funding: Option<api::Funding>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Program> {
        let mut tx = self.begin_write().await?;
        let owner = lock_program(&mut tx, actor, id).await?;
        let allowed = match action {
            ProgramAction::Submit | ProgramAction::Archive => owner.visible_to(actor),
            ProgramAction::Publish | ProgramAction::Return => owner.is_operator(actor),
        };
        if !allowed {
            return Err(StoreError::Forbidden(
                "providers submit their programs; operators publish and return them",
            ));
        }
        let to = owner.status.after(action)?;
        let remarks = (action == ProgramAction::Return).then_some(reason);
        sqlx::query(
            "UPDATE programs SET status = $2, remarks = $3, version = version + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(to.as_str())
        .bind(remarks)
        .execute(&mut *tx)
        .await?;
        // Publication carries the certification decision: payable by certificate or free.
        if let (ProgramAction::Publish, Some(funding)) = (action, funding) {
            sqlx::query(
                "UPDATE programs SET funding = $2, \
                 price_per_month = CASE WHEN $2 = 'budget' THEN 0 ELSE price_per_month END \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(funding.as_str())
            .execute(&mut *tx)
            .await?;
        }
        if to == api::ProgramStatus::Archived {
            sqlx::query("UPDATE program_groups SET open = FALSE WHERE program_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        record_program_event(
            &mut tx,
            id,
            Some(owner.status),
            to,
            action.as_str(),
            actor,
            reason,
            now,
        )
        .await?;
        tx.commit().await?;
        self.get_program(Some(actor), id).await
    }

    async fn program_events(&self, actor: &Actor, id: Uuid) -> Result<Vec<api::ProgramEvent>> {
        let row = sqlx::query(PROGRAM_OWNER)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !ProgramOwner::from_row(&row)?.visible_to(actor) {
            return Err(StoreError::NotFound);
        }
        let sql = format!(
            "SELECT at, from_status, to_status, action, actor_role, reason FROM program_events pe \
             WHERE program_id = $1 ORDER BY {}",
            BACKEND.insertion_order("pe")
        );
        let rows = sqlx::query(&sql).bind(id).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let from: Option<String> = row.try_get("from_status")?;
                Ok(api::ProgramEvent {
                    at: row.try_get("at")?,
                    from_status: from
                        .map(|s| {
                            api::ProgramStatus::parse(&s).ok_or_else(|| corrupt("from_status", &s))
                        })
                        .transpose()?,
                    to_status: parsed(row, "to_status", api::ProgramStatus::parse)?,
                    action: text(row, "action")?,
                    actor_role: parsed(row, "actor_role", api::Role::parse)?,
                    reason: text(row, "reason")?,
                })
            })
            .collect()
    }

    async fn create_group(&self, actor: &Actor, g: NewGroup) -> Result<api::Group> {
        let program = self.get_program(Some(actor), g.program_id).await?;
        let allowed = match actor.role {
            api::Role::RegionalOperator => true,
            api::Role::MunicipalOperator => actor.municipality_id == Some(program.municipality_id),
            api::Role::ProviderStaff => actor.provider_id == Some(program.provider_id),
            api::Role::Family => false,
        };
        if !allowed {
            return Err(StoreError::Forbidden(
                "groups are kept by their provider and the operators",
            ));
        }
        if g.start_date > g.end_date || g.capacity <= 0 {
            return Err(StoreError::Invalid {
                field: "end_date",
                code: "invalid_group",
                message: "a group runs forward in time and has at least one seat".into(),
            });
        }
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO program_groups (id, program_id, name, start_date, end_date, schedule, \
             teacher, capacity, open) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(g.program_id)
        .bind(&g.name)
        .bind(g.start_date)
        .bind(g.end_date)
        .bind(&g.schedule)
        .bind(&g.teacher)
        .bind(g.capacity)
        .bind(g.open)
        .execute(&self.pool)
        .await?;
        let sql = format!("SELECT {GROUP_COLUMNS} FROM program_groups WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&self.pool).await?;
        group_from_row(&row)
    }

    async fn get_group(&self, actor: &Actor, id: Uuid) -> Result<api::Group> {
        let sql = format!(
            "SELECT {GROUP_COLUMNS}, \
             (SELECT p.status FROM programs p WHERE p.id = g.program_id) AS status, \
             (SELECT p.version FROM programs p WHERE p.id = g.program_id) AS program_version, \
             (SELECT p.provider_id FROM programs p WHERE p.id = g.program_id) AS provider_id, \
             (SELECT p.municipality_id FROM programs p WHERE p.id = g.program_id) \
             AS municipality_id FROM program_groups g WHERE g.id = $1"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let owner = ProgramOwner {
            status: parsed(&row, "status", api::ProgramStatus::parse)?,
            version: row.try_get("program_version")?,
            provider_id: uuid(&row, "provider_id")?,
            municipality_id: uuid(&row, "municipality_id")?,
        };
        if !owner.visible_to(actor) {
            return Err(StoreError::NotFound);
        }
        group_from_row(&row)
    }

    async fn update_group(
        &self,
        actor: &Actor,
        id: Uuid,
        g: NewGroup,
        expected_version: i64,
        now: DateTime<Utc>,
    ) -> Result<api::Group> {
        let mut tx = self.begin_write().await?;
        let program_id: Uuid =
            sqlx::query_scalar("SELECT program_id FROM program_groups WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        // The program first (its archiving closes the groups under this lock), then the group.
        let owner = lock_program(&mut tx, actor, program_id).await?;
        let sql = format!(
            "SELECT start_date, end_date, seats_taken, version FROM program_groups WHERE id = $1{}",
            BACKEND.for_update()
        );
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
        let version: i64 = row.try_get("version")?;
        if version != expected_version {
            return Err(StoreError::Stale { current: version });
        }
        if owner.status == api::ProgramStatus::Archived {
            return Err(StoreError::Conflict(
                "group_not_editable",
                "the program is archived: its groups are closed for good".into(),
            ));
        }
        let contracts: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE group_id = $1 \
             AND status IN ('accepted', 'completed', 'expelled')",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let edit = program_rules::GroupEdit {
            old_start: row.try_get("start_date")?,
            old_end: row.try_get("end_date")?,
            start: g.start_date,
            end: g.end_date,
            capacity: g.capacity,
            seats_taken: row.try_get("seats_taken")?,
            contracts,
        };
        program_rules::check_group_edit(&edit).map_err(|refusal| match refusal {
            program_rules::GroupEditRefusal::DatesLocked => {
                StoreError::Conflict(refusal.code(), refusal.to_string())
            }
            program_rules::GroupEditRefusal::DatesOutOfOrder => StoreError::Invalid {
                field: "end_date",
                code: refusal.code(),
                message: refusal.to_string(),
            },
            program_rules::GroupEditRefusal::CapacityBelowSeatsTaken { .. } => {
                StoreError::Invalid {
                    field: "capacity",
                    code: refusal.code(),
                    message: refusal.to_string(),
                }
            }
        })?;
        sqlx::query(
            "UPDATE program_groups SET name = $2, start_date = $3, end_date = $4, schedule = $5, \
             teacher = $6, capacity = $7, open = $8, version = version + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(&g.name)
        .bind(g.start_date)
        .bind(g.end_date)
        .bind(&g.schedule)
        .bind(&g.teacher)
        .bind(g.capacity)
        .bind(g.open)
        .execute(&mut *tx)
        .await?;
        // More seats, or a group open again: the waitlist gets them before anyone else can.
        waitlist_sql::offer_free_seats(&mut tx, id, now, self.offer_lifetime()).await?;
        let sql = format!("SELECT {GROUP_COLUMNS} FROM program_groups WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
        let group = group_from_row(&row)?;
        tx.commit().await?;
        Ok(group)
    }

    async fn search_programs(
        &self,
        filter: &ProgramFilter,
        page: &PageRequest,
    ) -> Result<api::Page<api::ProgramSummary>> {
        let limit = limit_of(page);
        let stems = query_stems(filter);
        // Relevance needs words to rank by; without them every program ranks alike.
        let sort = match filter.sort {
            api::ProgramSort::Relevance if stems.is_empty() => api::ProgramSort::Title,
            sort => sort,
        };
        let near = match (sort, filter.near) {
            (api::ProgramSort::Distance, None) => {
                return Err(StoreError::Invalid {
                    field: "near",
                    code: "near_required",
                    message: "sorting by distance needs the point to measure from".into(),
                })
            }
            (api::ProgramSort::Distance, near) => near,
            _ => None,
        };
        let mut qb = QueryBuilder::<Db>::new("");
        search_sql::push_with(&mut qb, &stems, sort == api::ProgramSort::Relevance, near);
        // Keyset pagination on the sort key and the id.
        let distance_key = search_sql::distance_key();
        let (key, descending) = match sort {
            api::ProgramSort::Title => ("p.title", false),
            api::ProgramSort::PriceAsc => ("p.price_per_month", false),
            api::ProgramSort::PriceDesc => ("p.price_per_month", true),
            api::ProgramSort::RatingDesc => (RATING_TENTHS, true),
            api::ProgramSort::Relevance => (search_sql::RANK, true),
            api::ProgramSort::Distance => (distance_key.as_str(), false),
        };
        // Computed keys come back with the row: the cursor carries them exactly.
        let computed = matches!(
            sort,
            api::ProgramSort::Relevance | api::ProgramSort::Distance
        );
        // The page's ids first, then the cards of those only: the seats and ratings summed for a
        // page, not for every program the order has to look at.
        qb.push(format!(
            "SELECT {PROGRAM_COLUMNS}, page.sort_key FROM (SELECT p.id, {key} AS sort_key"
        ));
        search_sql::push_from(&mut qb, &stems, near);
        qb.push(" WHERE 1 = 1");
        push_program_filters(&mut qb, filter, None);
        if let Some(cursor) = &page.cursor {
            let (value, id) = decode_cursor(cursor)?;
            let (cmp, id_cmp) = if descending { ("<", "<") } else { (">", ">") };
            qb.push(format!(" AND ({key} {cmp} "));
            push_cursor_value(&mut qb, sort, &value)?;
            qb.push(format!(" OR ({key} = "));
            push_cursor_value(&mut qb, sort, &value)?;
            qb.push(format!(" AND p.id {id_cmp} "))
                .push_bind(id)
                .push("))");
        }
        let direction = if descending { "DESC" } else { "ASC" };
        qb.push(format!(
            " ORDER BY {key} {direction}, p.id {direction} LIMIT "
        ))
        .push_bind(limit + 1)
        .push(format!(
            ") page JOIN programs p ON p.id = page.id \
             JOIN providers pr ON pr.id = p.provider_id \
             ORDER BY page.sort_key {direction}, p.id {direction}"
        ));
        let rows = qb.build().fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(|row| {
                let mut summary = program_summary_from_row(row)?;
                summary.distance_km = distance_km(filter.near, &summary);
                let key: Option<f64> = if computed {
                    row.try_get("sort_key")?
                } else {
                    None
                };
                Ok((summary, key))
            })
            .collect::<Result<Vec<_>>>()?;
        let page = into_page(items, limit, |(p, key)| match sort {
            api::ProgramSort::Title => encode_cursor(&p.title, p.id),
            api::ProgramSort::PriceAsc | api::ProgramSort::PriceDesc => {
                encode_cursor(&p.price_per_month.kopecks().to_string(), p.id)
            }
            api::ProgramSort::RatingDesc => {
                encode_cursor(&rating_tenths(p.rating.as_deref()).to_string(), p.id)
            }
            api::ProgramSort::Relevance | api::ProgramSort::Distance => {
                encode_cursor(&key.unwrap_or_default().to_string(), p.id)
            }
        });
        Ok(api::Page {
            items: page.items.into_iter().map(|(p, _)| p).collect(),
            next_cursor: page.next_cursor,
        })
    }

    async fn list_registry_programs(
        &self,
        actor: &Actor,
        status: Option<api::ProgramStatus>,
        municipality_id: Option<Uuid>,
        page: &PageRequest,
    ) -> Result<api::Page<api::ProgramSummary>> {
        let scope = match actor.role {
            api::Role::RegionalOperator => None,
            api::Role::MunicipalOperator => Some(actor.municipality_id.ok_or(
                StoreError::Forbidden("a municipal operator without a municipality"),
            )?),
            api::Role::Family | api::Role::ProviderStaff => {
                return Err(StoreError::Forbidden(
                    "operators list the registry's programs",
                ))
            }
        };
        let limit = limit_of(page);
        // Since when a program is in its status: the position of its latest event in the order
        // events were written (an integer on both backends, exact in a cursor); a program
        // without events (loaded in bulk) counts as the oldest.
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {PROGRAM_COLUMNS}, q.since FROM (SELECT p.id, \
             COALESCE((SELECT MAX({order}) FROM program_events pe WHERE pe.program_id = p.id), 0) \
             AS since FROM programs p WHERE 1 = 1",
            order = BACKEND.insertion_order("pe"),
        ));
        if let Some(status) = status {
            qb.push(" AND p.status = ").push_bind(status.as_str());
        }
        if let Some(m) = scope {
            qb.push(" AND p.municipality_id = ").push_bind(m);
        }
        if let Some(m) = municipality_id {
            qb.push(" AND p.municipality_id = ").push_bind(m);
        }
        qb.push(
            ") q JOIN programs p ON p.id = q.id JOIN providers pr ON pr.id = p.provider_id \
             WHERE 1 = 1",
        );
        if let Some(cursor) = &page.cursor {
            let (since, id) = decode_cursor(cursor)?;
            let since: i64 = since.parse().map_err(|_| invalid_cursor())?;
            qb.push(" AND (q.since > ")
                .push_bind(since)
                .push(" OR (q.since = ")
                .push_bind(since)
                .push(" AND p.id > ")
                .push_bind(id)
                .push("))");
        }
        qb.push(" ORDER BY q.since, p.id LIMIT ")
            .push_bind(limit + 1);
        let rows = qb.build().fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok((
                    program_summary_from_row(row)?,
                    row.try_get::<i64, _>("since")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let page = into_page(items, limit, |(p, since)| {
            encode_cursor(&since.to_string(), p.id)
        });
        Ok(api::Page {
            items: page.items.into_iter().map(|(p, _)| p).collect(),
            next_cursor: page.next_cursor,
        })
    }

    async fn program_facets(&self, filter: &ProgramFilter) -> Result<api::ProgramFacets> {
        // Each dimension is counted under every filter but its own, so that the page can show
        // how many programs each other choice would leave.
        async fn counts(
            pool: &Pool<Db>,
            filter: &ProgramFilter,
            facet: Facet,
        ) -> Result<Vec<(String, i64)>> {
            let column = facet.column();
            let stems = query_stems(filter);
            let mut qb = QueryBuilder::<Db>::new("");
            search_sql::push_with(&mut qb, &stems, false, None);
            qb.push(format!(
                "SELECT CAST({column} AS TEXT) AS value, COUNT(*) AS n"
            ));
            search_sql::push_from(&mut qb, &stems, None);
            qb.push(" WHERE 1 = 1");
            push_program_filters(&mut qb, filter, Some(facet));
            qb.push(format!(" GROUP BY {column} ORDER BY {column}"));
            let rows = qb.build().fetch_all(pool).await?;
            rows.iter()
                .map(|row| Ok((text(row, "value")?, row.try_get::<i64, _>("n")?)))
                .collect()
        }
        fn named<T: Copy>(
            rows: Vec<(String, i64)>,
            parse: impl Fn(&str) -> Option<T>,
        ) -> Result<Vec<api::FacetCount<T>>> {
            rows.into_iter()
                .map(|(value, count)| {
                    let value = parse(&value).ok_or_else(|| corrupt("facet value", &value))?;
                    Ok(api::FacetCount { value, count })
                })
                .collect()
        }
        let stems = query_stems(filter);
        let mut total = QueryBuilder::<Db>::new("");
        search_sql::push_with(&mut total, &stems, false, None);
        total.push("SELECT COUNT(*)");
        search_sql::push_from(&mut total, &stems, None);
        total.push(" WHERE 1 = 1");
        push_program_filters(&mut total, filter, None);
        let total: i64 = total.build_query_scalar().fetch_one(&self.pool).await?;
        // Booleans come back as 0/1 on SQLite and false/true on PostgreSQL.
        let flag = |rows: Vec<(String, i64)>| {
            rows.into_iter()
                .filter(|(v, _)| v == "1" || v == "true")
                .map(|(_, n)| n)
                .sum::<i64>()
        };
        Ok(api::ProgramFacets {
            total,
            directions: named(
                counts(&self.pool, filter, Facet::Direction).await?,
                api::Direction::parse,
            )?,
            levels: named(
                counts(&self.pool, filter, Facet::Level).await?,
                api::Level::parse,
            )?,
            forms: named(
                counts(&self.pool, filter, Facet::Form).await?,
                api::StudyForm::parse,
            )?,
            fundings: named(
                counts(&self.pool, filter, Facet::Funding).await?,
                api::Funding::parse,
            )?,
            adapted_for_disabilities: flag(
                counts(&self.pool, filter, Facet::AdaptedForDisabilities).await?,
            ),
        })
    }

    async fn get_program(&self, actor: Option<&Actor>, id: Uuid) -> Result<api::Program> {
        let sql = format!(
            "SELECT {PROGRAM_COLUMNS} FROM programs p JOIN providers pr ON pr.id = p.provider_id \
             WHERE p.id = $1"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status = parsed(&row, "status", api::ProgramStatus::parse)?;
        if status != api::ProgramStatus::Published {
            let provider_id = uuid(&row, "provider_id")?;
            let municipality_id = uuid(&row, "municipality_id")?;
            let visible = actor.is_some_and(|a| match a.role {
                api::Role::RegionalOperator => true,
                api::Role::MunicipalOperator => a.municipality_id == Some(municipality_id),
                api::Role::ProviderStaff => a.provider_id == Some(provider_id),
                api::Role::Family => false,
            });
            if !visible {
                return Err(StoreError::NotFound);
            }
        }
        let sql = format!(
            "SELECT {GROUP_COLUMNS} FROM program_groups WHERE program_id = $1 ORDER BY start_date, name"
        );
        let groups = sqlx::query(&sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(group_from_row)
            .collect::<Result<Vec<_>>>()?;
        program_from_row(&row, groups)
    }

    // Children and certificates ------------------------------------------------------------------

    async fn create_child(&self, actor: &Actor, child: NewChild) -> Result<api::Child> {
        require_role(
            actor,
            &[api::Role::Family],
            "only a family adds its children",
        )?;
        let mut tx = self.begin_write().await?;
        let id = insert_child(&mut tx, actor.user_id, &child, Utc::now()).await?;
        tx.commit().await?;
        self.get_child(actor, id).await
    }

    async fn list_children(&self, actor: &Actor) -> Result<Vec<api::Child>> {
        require_role(
            actor,
            &[api::Role::Family],
            "children are listed for their family",
        )?;
        let sql = format!(
            "SELECT {CHILD_COLUMNS} FROM children WHERE family_id = $1 ORDER BY birth_date, id"
        );
        let rows = sqlx::query(&sql)
            .bind(actor.user_id)
            .fetch_all(&self.pool)
            .await?;
        let mut children = Vec::with_capacity(rows.len());
        for row in &rows {
            let certificate = self.certificate_of_child(uuid(row, "id")?).await?;
            children.push(child_from_row(row, certificate)?);
        }
        Ok(children)
    }

    async fn get_child(&self, actor: &Actor, id: Uuid) -> Result<api::Child> {
        let mut qb =
            QueryBuilder::<Db>::new(format!("SELECT {CHILD_COLUMNS} FROM children WHERE id = "));
        qb.push_bind(id);
        match actor.role {
            api::Role::Family => {
                qb.push(" AND family_id = ").push_bind(actor.user_id);
            }
            api::Role::MunicipalOperator => {
                qb.push(" AND municipality_id = ")
                    .push_bind(actor.municipality_id.unwrap_or_default());
            }
            api::Role::RegionalOperator | api::Role::ProviderStaff => {}
        }
        let row = qb
            .build()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let certificate = self.certificate_of_child(id).await?;
        child_from_row(&row, certificate)
    }

    async fn issue_certificate(
        &self,
        actor: &Actor,
        child_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Certificate> {
        let mut tx = self.begin_write().await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT ch.birth_date, ch.municipality_id, m.region_code FROM children ch \
             JOIN municipalities m ON m.id = ch.municipality_id WHERE ch.id = ",
        );
        qb.push_bind(child_id);
        match actor.role {
            api::Role::Family => {
                qb.push(" AND ch.family_id = ").push_bind(actor.user_id);
            }
            api::Role::MunicipalOperator => {
                qb.push(" AND ch.municipality_id = ")
                    .push_bind(actor.municipality_id.unwrap_or_default());
            }
            // Providers issue at the desk for a family present in person, whatever its town.
            api::Role::ProviderStaff | api::Role::RegionalOperator => {}
        }
        let row = qb
            .build()
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let birth_date: NaiveDate = row.try_get("birth_date")?;
        let municipality_id = uuid(&row, "municipality_id")?;
        let region_code = text(&row, "region_code")?;
        let existing: Option<Uuid> =
            sqlx::query_scalar("SELECT id FROM certificates WHERE child_id = $1")
                .bind(child_id)
                .fetch_optional(&mut *tx)
                .await?;
        if existing.is_some() {
            return Err(Refusal::CertificateExists.into());
        }
        let valid_until = certificate::valid_until(birth_date);
        if now.date_naive() > valid_until {
            return Err(Refusal::CertificateExpired { valid_until }.into());
        }
        let sequence: i64 = sqlx::query_scalar(
            "INSERT INTO region_counters (region_code, last_number) VALUES ($1, 1) \
             ON CONFLICT (region_code) DO UPDATE SET last_number = region_counters.last_number + 1 \
             RETURNING last_number",
        )
        .bind(&region_code)
        .fetch_one(&mut *tx)
        .await?;
        let number = certificate::certificate_number(
            &region_code,
            chrono::Datelike::year(&now.date_naive()),
            sequence,
        );
        // Online requests wait for the document check; staff check the documents at the desk.
        let (status, activated_at, reason) = if actor.role == api::Role::Family {
            (CertificateStatus::Pending, None, "заявка подана онлайн")
        } else {
            (
                CertificateStatus::Accounting,
                Some(now),
                "выдан при личном обращении, документы проверены",
            )
        };
        let id = Uuid::new_v4();
        let inserted = sqlx::query(
            "INSERT INTO certificates (id, child_id, number, status, municipality_id, valid_until, \
             issued_at, activated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(child_id)
        .bind(&number)
        .bind(status.as_str())
        .bind(municipality_id)
        .bind(valid_until)
        .bind(now)
        .bind(activated_at)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(Refusal::CertificateExists.into()),
            other => other?,
        };
        record_certificate_event(&mut tx, id, None, status, actor, reason, now).await?;
        tx.commit().await?;
        self.certificate_by_id(id).await
    }

    async fn list_certificates(
        &self,
        actor: &Actor,
        status: Option<api::CertificateStatus>,
        page: &PageRequest,
    ) -> Result<api::Page<api::Certificate>> {
        let limit = limit_of(page);
        let mut qb = QueryBuilder::<Db>::new(CERTIFICATE_SELECT);
        qb.push(" WHERE 1 = 1");
        push_certificate_scope(&mut qb, actor)?;
        if let Some(s) = status {
            qb.push(" AND c.status = ").push_bind(s.as_str());
        }
        if let Some(cursor) = &page.cursor {
            let (number, id) = decode_cursor(cursor)?;
            qb.push(" AND (c.number > ")
                .push_bind(number.clone())
                .push(" OR (c.number = ")
                .push_bind(number)
                .push(" AND c.id > ")
                .push_bind(id)
                .push("))");
        }
        qb.push(" ORDER BY c.number, c.id LIMIT ")
            .push_bind(limit + 1);
        let rows = qb.build().fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(certificate_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |c| encode_cursor(&c.number, c.id)))
    }

    async fn get_certificate(&self, actor: &Actor, id: Uuid) -> Result<api::Certificate> {
        let mut qb = QueryBuilder::<Db>::new(CERTIFICATE_SELECT);
        qb.push(" WHERE c.id = ").push_bind(id);
        push_certificate_scope(&mut qb, actor)?;
        let row = qb
            .build()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        certificate_from_row(&row)
    }

    async fn certificate_history(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<api::CertificateHistory> {
        let certificate = self.get_certificate(actor, id).await?;
        let sql = format!(
            "SELECT at, from_status, to_status, actor_role, reason FROM certificate_events ce \
             WHERE certificate_id = $1 ORDER BY {}",
            BACKEND.insertion_order("ce")
        );
        let events = sqlx::query(&sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let from: Option<String> = row.try_get("from_status")?;
                Ok(api::CertificateEvent {
                    at: row.try_get("at")?,
                    from_status: from
                        .map(|s| certificate_status(&s).ok_or_else(|| corrupt("from_status", &s)))
                        .transpose()?,
                    to_status: parsed(row, "to_status", certificate_status)?,
                    actor_role: parsed(row, "actor_role", api::Role::parse)?,
                    reason: text(row, "reason")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // Every posting that touched the certificate's money, oldest first: credits, reservations,
        // releases on its own account, and write-offs from its enrollments' reservations.
        let sql = format!(
            "SELECT lp.id, lp.at, lp.kind, lp.amount, lp.application_id, lp.invoice_id, lp.month, \
             p.title AS program_title FROM ledger_postings lp \
             LEFT JOIN applications a ON a.id = lp.application_id \
             LEFT JOIN programs p ON p.id = a.program_id \
             WHERE lp.certificate_id = $1 ORDER BY {}",
            BACKEND.insertion_order("lp")
        );
        let entries = sqlx::query(&sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let kind = parsed(row, "kind", PostingKind::parse)?;
                let amount = money(row, "amount")?;
                let month: Option<String> = row.try_get("month")?;
                Ok(api::CertificateEntry {
                    id: uuid(row, "id")?,
                    at: row.try_get("at")?,
                    kind,
                    // Signed from the certificate's side: what left its balance is negative.
                    amount: match kind {
                        PostingKind::Reservation | PostingKind::Expiry => -amount,
                        _ => amount,
                    },
                    application_id: row.try_get("application_id")?,
                    program_title: row.try_get("program_title")?,
                    month: month
                        .map(|m| m.parse().map_err(|_| corrupt("month", &m)))
                        .transpose()?,
                    invoice_id: row.try_get("invoice_id")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(api::CertificateHistory {
            certificate,
            events,
            entries,
        })
    }

    async fn activate_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Certificate> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "only operators activate certificates",
        )?;
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT status, municipality_id FROM certificates WHERE id = $1{}",
            BACKEND.for_update()
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let municipality_id = uuid(&row, "municipality_id")?;
        if actor.role == api::Role::MunicipalOperator
            && actor.municipality_id != Some(municipality_id)
        {
            return Err(StoreError::NotFound);
        }
        let from = parsed(&row, "status", certificate_status)?;
        let to = from.transition(CertificateStatus::Accounting)?;
        sqlx::query("UPDATE certificates SET status = $2, activated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(to.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        record_certificate_event(&mut tx, id, Some(from), to, actor, reason, now).await?;
        tx.commit().await?;
        self.certificate_by_id(id).await
    }

    // Applications and money ---------------------------------------------------------------------

    async fn quote(
        &self,
        actor: &Actor,
        child_id: Uuid,
        group_id: Uuid,
        today: NaiveDate,
    ) -> Result<api::Quote> {
        require_role(actor, &[api::Role::Family], "quotes are for families")?;
        let mut tx = self.pool.begin().await?;
        let child = child_facts(&mut *tx, actor, child_id).await?;
        let certificate = child.certificate.ok_or(Refusal::NoCertificate)?;
        let group = group_facts(&mut *tx, group_id).await?;
        let period = current_period(&mut tx, certificate.municipality_id, today, false).await?;
        let balance = locked_balance(&mut tx, Account::certificate(certificate.id)).await?;
        tx.rollback().await?;
        let switches_to_financing = group.funding == api::Funding::Certificate
            && matches!(
                certificate.status,
                CertificateStatus::Accounting | CertificateStatus::Pending
            );
        let available = if switches_to_financing {
            balance
                .checked_add(period.credit_on(today))
                .unwrap_or(balance)
        } else {
            balance
        };
        let months =
            split::contract_months(group.start_date, group.end_date, &period.period, today);
        let q = split::quote(monthly_price(&group), &months, available)?;
        Ok(api::Quote {
            child_id,
            group_id,
            funding: group.funding,
            months: q
                .months
                .iter()
                .map(|m| api::MonthShare {
                    month: m.month,
                    price: m.price,
                    certificate: m.certificate,
                    family: m.family,
                })
                .collect(),
            cost: q.cost,
            certificate: q.certificate,
            family: q.family,
            balance_before: q.balance_before,
            balance_after: q.balance_after,
            switches_to_financing,
        })
    }

    async fn apply(
        &self,
        actor: &Actor,
        child_id: Uuid,
        group_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Application> {
        require_role(
            actor,
            &[api::Role::Family],
            "a family applies for its child",
        )?;
        let mut tx = self.begin_write().await?;
        let id =
            file_application(&mut tx, actor, child_id, group_id, Filing::ByFamily, now).await?;
        tx.commit().await?;
        self.get_application(actor, id).await
    }

    async fn list_applications(
        &self,
        actor: &Actor,
        filter: &ApplicationFilter,
        page: &PageRequest,
    ) -> Result<api::Page<api::Application>> {
        let limit = limit_of(page);
        let mut qb = QueryBuilder::<Db>::new(APPLICATION_SELECT);
        qb.push(" WHERE 1 = 1");
        push_application_scope(&mut qb, actor);
        if let Some(s) = filter.status {
            qb.push(" AND a.status = ").push_bind(s.as_str());
        }
        if let Some(c) = filter.child_id {
            qb.push(" AND a.child_id = ").push_bind(c);
        }
        if let Some(g) = filter.group_id {
            qb.push(" AND a.group_id = ").push_bind(g);
        }
        push_newest_first(
            &mut qb,
            "a.submitted_at",
            "a.id",
            page.cursor.as_deref(),
            limit,
        )?;
        let rows = qb.build().fetch_all(&self.pool).await?;
        let ids = rows
            .iter()
            .map(|row| uuid(row, "id"))
            .collect::<Result<Vec<_>>>()?;
        let mut contracts = self.contracts_of(&ids).await?;
        let items = rows
            .iter()
            .zip(&ids)
            .map(|(row, id)| application_from_row(row, contracts.remove(id).unwrap_or_default()))
            .collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |a| {
            encode_cursor(&a.submitted_at.to_rfc3339(), a.id)
        }))
    }

    async fn get_application(&self, actor: &Actor, id: Uuid) -> Result<api::Application> {
        let mut qb = QueryBuilder::<Db>::new(APPLICATION_SELECT);
        qb.push(" WHERE a.id = ").push_bind(id);
        push_application_scope(&mut qb, actor);
        let row = qb
            .build()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let months = self.contract_of(id).await?;
        application_from_row(&row, months)
    }

    async fn accept_application(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Application> {
        require_role(actor, &[api::Role::ProviderStaff], "the provider accepts")?;
        let today = now.date_naive();
        let mut tx = self.begin_write().await?;
        // Locks go certificate first, then application, as in closing a certificate, so that
        // the two never wait on each other.
        let certificate_id: Uuid =
            sqlx::query_scalar("SELECT certificate_id FROM applications WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        let sql = format!(
            "SELECT status, valid_until FROM certificates WHERE id = $1{}",
            BACKEND.for_update()
        );
        let row = sqlx::query(&sql)
            .bind(certificate_id)
            .fetch_one(&mut *tx)
            .await?;
        let app = lock_application(&mut tx, actor, id).await?;
        let to = app.status.transition(ApplicationStatus::Accepted)?;
        let certificate_status = parsed(&row, "status", certificate_status)?;
        certificate::check_usable(certificate_status, row.try_get("valid_until")?, today)?;
        let group = group_facts(&mut *tx, app.group_id).await?;
        if group.funding == api::Funding::Certificate
            && certificate_status != CertificateStatus::Financing
        {
            return Err(Refusal::CertificateNotUsable {
                status: certificate_status.as_str(),
            }
            .into());
        }
        // The seat: the conditional update is the guard, the CHECK constraint the backstop. An
        // application filed from a waitlist offer already holds its seat.
        if !app.holds_seat() {
            let taken = sqlx::query(
                "UPDATE program_groups SET seats_taken = seats_taken + 1 \
                 WHERE id = $1 AND seats_taken < capacity",
            )
            .bind(app.group_id)
            .execute(&mut *tx)
            .await?;
            if taken.rows_affected() == 0 {
                return Err(Refusal::NoSeats.into());
            }
        }
        let period = match app.period_id {
            Some(pid) => period_by_id(&mut tx, pid, false).await?,
            None => current_period(&mut tx, group.municipality_id, today, false).await?,
        };
        let months =
            split::contract_months(group.start_date, group.end_date, &period.period, today);
        let balance = locked_balance(&mut tx, Account::certificate(app.certificate_id)).await?;
        let q = split::quote(monthly_price(&group), &months, balance)?;
        // The contract's months in one statement (a year at most).
        if !q.months.is_empty() {
            let mut insert = QueryBuilder::<Db>::new(
                "INSERT INTO application_months (application_id, month, price, \
                 certificate_amount, family_amount) ",
            );
            insert.push_values(&q.months, |mut row, m| {
                row.push_bind(app.id)
                    .push_bind(m.month.to_string())
                    .push_bind(m.price.kopecks())
                    .push_bind(m.certificate.kopecks())
                    .push_bind(m.family.kopecks());
            });
            insert.build().execute(&mut *tx).await?;
        }
        if q.certificate.is_positive() {
            let posting = Posting::reservation(app.certificate_id, app.id, q.certificate)
                .map_err(posting_error)?;
            post(
                &mut tx,
                &posting,
                PostingMeta {
                    period_id: Some(period.id),
                    certificate_id: Some(app.certificate_id),
                    application_id: Some(app.id),
                    provider_id: Some(app.provider_id),
                    ..PostingMeta::default()
                },
                actor,
                now,
            )
            .await?;
        }
        sqlx::query(
            "UPDATE applications SET cost = $2, certificate_amount = $3, family_amount = $4 \
             WHERE id = $1",
        )
        .bind(app.id)
        .bind(q.cost.kopecks())
        .bind(q.certificate.kopecks())
        .bind(q.family.kopecks())
        .execute(&mut *tx)
        .await?;
        set_application_status(&mut tx, app.id, to, None, None, now).await?;
        tx.commit().await?;
        self.get_application(actor, id).await
    }

    async fn reject_application(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Application> {
        require_role(actor, &[api::Role::ProviderStaff], "the provider rejects")?;
        let mut tx = self.begin_write().await?;
        let app = lock_application(&mut tx, actor, id).await?;
        let to = app.status.transition(ApplicationStatus::Rejected)?;
        if app.holds_seat() {
            waitlist_sql::release_seat(&mut tx, app.group_id, now, self.offer_lifetime()).await?;
        }
        set_application_status(&mut tx, app.id, to, Some(reason), None, now).await?;
        tx.commit().await?;
        self.get_application(actor, id).await
    }

    async fn withdraw_application(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Application> {
        require_role(
            actor,
            &[api::Role::Family],
            "the family withdraws its application",
        )?;
        let mut tx = self.begin_write().await?;
        let app = lock_application(&mut tx, actor, id).await?;
        let to = app.status.transition(ApplicationStatus::Withdrawn)?;
        if app.holds_seat() {
            waitlist_sql::release_seat(&mut tx, app.group_id, now, self.offer_lifetime()).await?;
        }
        set_application_status(&mut tx, app.id, to, None, None, now).await?;
        tx.commit().await?;
        self.get_application(actor, id).await
    }

    async fn end_enrollment(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: api::EndReason,
        comment: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<api::Application> {
        let allowed = match actor.role {
            api::Role::Family => reason == api::EndReason::FamilyRequest,
            api::Role::ProviderStaff => reason == api::EndReason::ProviderDecision,
            api::Role::MunicipalOperator | api::Role::RegionalOperator => true,
        };
        if !allowed {
            return Err(StoreError::Forbidden(
                "a family ends on its request, a provider by its decision",
            ));
        }
        let mut tx = self.begin_write().await?;
        let app = lock_application(&mut tx, actor, id).await?;
        end_locked_enrollment(
            &mut tx,
            actor,
            &app,
            reason,
            comment,
            now,
            self.offer_lifetime(),
        )
        .await?;
        tx.commit().await?;
        self.get_application(actor, id).await
    }

    async fn mark_attendance(
        &self,
        actor: &Actor,
        application_id: Uuid,
        mark: &api::AttendanceMark,
        now: DateTime<Utc>,
    ) -> Result<api::Attendance> {
        require_role(
            actor,
            &[api::Role::ProviderStaff],
            "the provider marks attendance",
        )?;
        // PostgreSQL keeps microseconds: answer with the instant as it will be read back.
        let now = chrono::SubsecRound::trunc_subsecs(now, 6);
        let mut tx = self.begin_write().await?;
        let app = lock_application(&mut tx, actor, application_id).await?;
        if app.status != ApplicationStatus::Accepted {
            return Err(Refusal::AttendanceNotAllowed.into());
        }
        let group = group_facts(&mut *tx, app.group_id).await?;
        if mark.date < group.start_date
            || mark.date > group.end_date
            || mark.date > now.date_naive()
        {
            return Err(Refusal::LessonOutsideGroup.into());
        }
        sqlx::query(
            "INSERT INTO attendance (application_id, lesson_date, present, marked_at, marked_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (application_id, lesson_date) \
             DO UPDATE SET present = excluded.present, marked_at = excluded.marked_at, \
             marked_by = excluded.marked_by",
        )
        .bind(app.id)
        .bind(mark.date)
        .bind(mark.present)
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(api::Attendance {
            application_id,
            date: mark.date,
            present: mark.present,
            marked_at: now,
        })
    }

    async fn list_attendance(
        &self,
        actor: &Actor,
        application_id: Uuid,
    ) -> Result<Vec<api::Attendance>> {
        // Visible to whoever may see the application.
        self.get_application(actor, application_id).await?;
        let rows = sqlx::query(
            "SELECT application_id, lesson_date, present, marked_at FROM attendance \
             WHERE application_id = $1 ORDER BY lesson_date",
        )
        .bind(application_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(api::Attendance {
                    application_id: uuid(row, "application_id")?,
                    date: row.try_get("lesson_date")?,
                    present: row.try_get("present")?,
                    marked_at: row.try_get("marked_at")?,
                })
            })
            .collect()
    }

    async fn create_invoice(
        &self,
        actor: &Actor,
        req: &api::CreateInvoiceRequest,
        now: DateTime<Utc>,
    ) -> Result<api::Invoice> {
        require_role(actor, &[api::Role::ProviderStaff], "the provider invoices")?;
        let mut tx = self.begin_write().await?;
        let app = lock_application(&mut tx, actor, req.application_id).await?;
        let id = issue_invoice(
            &mut tx,
            &app,
            req.month,
            req.no_attendance_reason.as_deref(),
            now,
        )
        .await?;
        tx.commit().await?;
        self.invoice_by_id(actor, id).await
    }

    async fn list_invoices(
        &self,
        actor: &Actor,
        filter: &InvoiceFilter,
        page: &PageRequest,
    ) -> Result<api::Page<api::Invoice>> {
        let limit = limit_of(page);
        let mut qb = QueryBuilder::<Db>::new(INVOICE_SELECT);
        qb.push(" WHERE 1 = 1");
        push_invoice_scope(&mut qb, actor);
        if let Some(s) = filter.status {
            qb.push(" AND i.status = ").push_bind(s.as_str());
        }
        if let Some(a) = filter.application_id {
            qb.push(" AND i.application_id = ").push_bind(a);
        }
        if let Some(m) = filter.month {
            qb.push(" AND i.month = ").push_bind(m.to_string());
        }
        push_newest_first(
            &mut qb,
            "i.issued_at",
            "i.id",
            page.cursor.as_deref(),
            limit,
        )?;
        let rows = qb.build().fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(invoice_from_row)
            .collect::<Result<Vec<_>>>()?;
        Ok(into_page(items, limit, |i| {
            encode_cursor(&i.issued_at.to_rfc3339(), i.id)
        }))
    }

    async fn approve_invoice(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Invoice> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "the municipal operator approves invoices",
        )?;
        let mut tx = self.begin_write().await?;
        let invoice = self.lock_invoice(&mut tx, actor, id).await?;
        approve_locked_invoice(&mut tx, actor, id, &invoice, now).await?;
        tx.commit().await?;
        self.invoice_by_id(actor, id).await
    }

    async fn reject_invoice(
        &self,
        actor: &Actor,
        id: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Invoice> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "the municipal operator rejects invoices",
        )?;
        let mut tx = self.begin_write().await?;
        // Locks in the store's order: the certificate, the application, then the invoice (the
        // billing run locks its enrollments before their invoices; taking the invoice first
        // deadlocked with it). Its scope and ids first, without a lock.
        let seen = self.invoice_facts(&mut tx, actor, id, false).await?;
        // The certificate's period and status say where a released share goes.
        let sql = format!(
            "SELECT status, period_id FROM certificates WHERE id = $1{}",
            BACKEND.for_update()
        );
        let row = sqlx::query(&sql)
            .bind(seen.certificate_id)
            .fetch_one(&mut *tx)
            .await?;
        let certificate_closed =
            parsed(&row, "status", certificate_status)? == CertificateStatus::Closed;
        let certificate_period: Option<Uuid> = row.try_get("period_id")?;
        // An ended enrollment's reservation kept only what its issued invoices needed: the
        // rejected invoice's share is no longer needed and is released, or it would stay
        // reserved for nothing, for ever. It goes back to the certificate only while the
        // certificate is still financed by the enrollment's period; otherwise it expires to that
        // period's fund (`ledger::release_target`).
        let app = lock_application(&mut tx, &Actor::system(), seen.application_id).await?;
        let invoice = self.lock_invoice(&mut tx, actor, id).await?;
        if invoice.status != api::InvoiceStatus::Issued {
            return Err(Refusal::InvoiceTransition {
                status: invoice.status.as_str(),
                action: "rejected",
            }
            .into());
        }
        if app.status != ApplicationStatus::Accepted {
            let reserved = locked_balance(&mut tx, Account::reservation(app.id)).await?;
            let release = invoice.certificate_amount.min(reserved);
            if release.is_positive() {
                let meta = PostingMeta {
                    period_id: app.period_id,
                    certificate_id: Some(app.certificate_id),
                    application_id: Some(app.id),
                    provider_id: Some(app.provider_id),
                    invoice_id: Some(id),
                    month: Some(invoice.month),
                };
                let posting =
                    Posting::release(app.id, app.certificate_id, release).map_err(posting_error)?;
                post(&mut tx, &posting, meta.clone(), actor, now).await?;
                let target =
                    ledger::release_target(app.period_id, certificate_period, certificate_closed);
                if let ledger::ReleaseTarget::PeriodFund(period) = target {
                    let posting = Posting::expiry(app.certificate_id, period, release)
                        .map_err(posting_error)?;
                    let meta = PostingMeta {
                        period_id: Some(period),
                        ..meta
                    };
                    post(&mut tx, &posting, meta, actor, now).await?;
                }
            }
        }
        sqlx::query(
            "UPDATE invoices SET status = 'rejected', decision_reason = $2, decided_at = $3, \
             decided_by = $4, decided_by_role = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(reason)
        .bind(now)
        .bind(actor.user_id)
        .bind(actor.role.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.invoice_by_id(actor, id).await
    }

    async fn provider_account(
        &self,
        actor: &Actor,
        provider_id: Uuid,
    ) -> Result<api::ProviderAccount> {
        let provider = self.get_provider(provider_id).await?;
        let visible = match actor.role {
            api::Role::RegionalOperator => true,
            api::Role::MunicipalOperator => actor.municipality_id == Some(provider.municipality_id),
            api::Role::ProviderStaff => actor.provider_id == Some(provider.id),
            api::Role::Family => false,
        };
        if !visible {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query(
            "SELECT \
             (SELECT CAST(COALESCE(SUM(b.balance), 0) AS BIGINT) FROM account_balances b \
              JOIN applications a ON b.account_kind = 'reservation' AND b.account_id = a.id \
              WHERE a.provider_id = $1) AS reserved, \
             COALESCE((SELECT b.balance FROM account_balances b \
              WHERE b.account_kind = 'provider' AND b.account_id = $1), 0) AS owed, \
             (SELECT CAST(COALESCE(SUM(i.family_amount), 0) AS BIGINT) FROM invoices i \
              WHERE i.provider_id = $1 AND i.status <> 'rejected') AS family_owed, \
             (SELECT COUNT(*) FROM invoices i WHERE i.provider_id = $1 AND i.status = 'issued') \
              AS invoices_issued, \
             (SELECT CAST(COALESCE(SUM(i.certificate_amount), 0) AS BIGINT) FROM invoices i \
              WHERE i.provider_id = $1 AND i.status = 'issued') AS invoices_issued_amount, \
             (SELECT COUNT(*) FROM invoices i WHERE i.provider_id = $1 AND i.status = 'approved') \
              AS invoices_approved, \
             (SELECT COUNT(*) FROM applications a WHERE a.provider_id = $1 \
              AND a.status = 'accepted') AS active_enrollments",
        )
        .bind(provider_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(api::ProviderAccount {
            provider_id,
            reserved: money(&row, "reserved")?,
            owed: money(&row, "owed")?,
            family_owed: money(&row, "family_owed")?,
            invoices_issued: row.try_get("invoices_issued")?,
            invoices_issued_amount: money(&row, "invoices_issued_amount")?,
            invoices_approved: row.try_get("invoices_approved")?,
            active_enrollments: row.try_get("active_enrollments")?,
        })
    }

    async fn billing_run_batch(
        &self,
        actor: &Actor,
        municipality_id: Uuid,
        month: Month,
        approve: bool,
        after: Option<Uuid>,
        batch_size: u32,
        now: DateTime<Utc>,
    ) -> Result<BillingBatch> {
        billing_sql::billing_run_batch(
            self,
            actor,
            municipality_id,
            month,
            approve,
            after,
            batch_size,
            now,
        )
        .await
    }

    async fn change_certificate_status(
        &self,
        actor: &Actor,
        id: Uuid,
        action: CertificateAction,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Certificate> {
        let allowed = match action {
            CertificateAction::Close => true,
            CertificateAction::Suspend | CertificateAction::Resume => matches!(
                actor.role,
                api::Role::MunicipalOperator | api::Role::RegionalOperator
            ),
        };
        if !allowed || actor.role == api::Role::ProviderStaff {
            return Err(StoreError::Forbidden(
                "operators suspend and resume certificates; a family or an operator closes one",
            ));
        }
        // Scope first (a family's own, an operator's municipality), without locks.
        let certificate = self.get_certificate(actor, id).await?;
        let mut tx = self.begin_write().await?;
        change_locked_certificate(
            &mut tx,
            actor,
            certificate.id,
            action,
            reason,
            now,
            self.offer_lifetime(),
        )
        .await?;
        tx.commit().await?;
        self.certificate_by_id(id).await
    }

    async fn close_expired_certificates(&self, now: DateTime<Utc>) -> Result<u64> {
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "SELECT id FROM certificates WHERE status <> 'closed' AND valid_until < $1 ORDER BY id",
        )
        .bind(now.date_naive())
        .fetch_all(&self.pool)
        .await?;
        let system = Actor::system();
        let mut closed = 0;
        for id in ids {
            let mut tx = self.begin_write().await?;
            match change_locked_certificate(
                &mut tx,
                &system,
                id,
                CertificateAction::Close,
                "ребёнку исполнилось 18 лет",
                now,
                self.offer_lifetime(),
            )
            .await
            {
                Ok(()) => {
                    tx.commit().await?;
                    closed += 1;
                }
                // Closed by someone else in the meantime.
                Err(StoreError::Refused(Refusal::CertificateTransition { .. })) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(closed)
    }

    async fn rollover_batch(
        &self,
        actor: &Actor,
        municipality_id: Uuid,
        after: Option<Uuid>,
        batch_size: u32,
        now: DateTime<Utc>,
    ) -> Result<RolloverBatch> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "the rollover is the municipal operator's",
        )?;
        if actor.role == api::Role::MunicipalOperator
            && actor.municipality_id != Some(municipality_id)
        {
            return Err(StoreError::NotFound);
        }
        let today = now.date_naive();
        let mut tx = self.begin_write().await?;
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT c.id FROM certificates c JOIN periods pe ON pe.id = c.period_id \
             WHERE c.status = 'financing' AND c.municipality_id = ",
        );
        qb.push_bind(municipality_id)
            .push(" AND pe.end_date < ")
            .push_bind(today);
        if let Some(after) = after {
            qb.push(" AND c.id > ").push_bind(after);
        }
        qb.push(" ORDER BY c.id LIMIT ")
            .push_bind(i64::from(batch_size.clamp(1, 10_000)));
        // The batch's certificates are locked before the period, in the order an application
        // takes them (its certificate, then the period): the other order deadlocks with the
        // applications filed while the rollover runs.
        if BACKEND == Backend::Postgres {
            qb.push(" FOR NO KEY UPDATE OF c");
        }
        let ids: Vec<Uuid> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
        let mut period = current_period(&mut tx, municipality_id, today, true).await?;
        let mut batch = RolloverBatch {
            last_certificate_id: ids.last().copied(),
            ..RolloverBatch::default()
        };
        for id in ids {
            batch.examined += 1;
            let sql = format!(
                "SELECT status, period_id FROM certificates WHERE id = $1{}",
                BACKEND.for_update()
            );
            let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await?;
            let status = parsed(&row, "status", certificate_status)?;
            let Some(old_period) = row.try_get::<Option<Uuid>, _>("period_id")? else {
                continue;
            };
            if status != CertificateStatus::Financing || old_period == period.id {
                continue;
            }
            // The old period's contracts end with it.
            let accepted: Vec<Uuid> = sqlx::query_scalar(
                "SELECT id FROM applications WHERE certificate_id = $1 AND period_id = $2 \
                 AND status = 'accepted' ORDER BY id",
            )
            .bind(id)
            .bind(old_period)
            .fetch_all(&mut *tx)
            .await?;
            for application_id in accepted {
                let app = lock_application(&mut tx, &Actor::system(), application_id).await?;
                end_locked_enrollment(
                    &mut tx,
                    actor,
                    &app,
                    api::EndReason::PeriodEnded,
                    None,
                    now,
                    self.offer_lifetime(),
                )
                .await?;
                batch.enrollments_completed += 1;
            }
            // No carry-over: what is left goes back to the old period's fund.
            let left = locked_balance(&mut tx, Account::certificate(id)).await?;
            if left.is_positive() {
                let posting = Posting::expiry(id, old_period, left).map_err(posting_error)?;
                post(
                    &mut tx,
                    &posting,
                    PostingMeta {
                        period_id: Some(old_period),
                        certificate_id: Some(id),
                        ..PostingMeta::default()
                    },
                    actor,
                    now,
                )
                .await?;
                batch.expired_total = batch.expired_total.checked_add(left).unwrap_or(left);
            }
            let credit = period.credit_on(today);
            match period.caps().check_room(credit) {
                Ok(()) => {
                    sqlx::query(
                        "UPDATE periods SET certificates_financed = certificates_financed + 1, \
                         budget_committed = budget_committed + $2 WHERE id = $1",
                    )
                    .bind(period.id)
                    .bind(credit.kopecks())
                    .execute(&mut *tx)
                    .await?;
                    period.certificates_financed += 1;
                    period.budget_committed = period
                        .budget_committed
                        .checked_add(credit)
                        .unwrap_or(period.budget_committed);
                    sqlx::query("UPDATE certificates SET period_id = $2 WHERE id = $1")
                        .bind(id)
                        .bind(period.id)
                        .execute(&mut *tx)
                        .await?;
                    if credit.is_positive() {
                        let posting =
                            Posting::credit(period.id, id, credit).map_err(posting_error)?;
                        post(
                            &mut tx,
                            &posting,
                            PostingMeta {
                                period_id: Some(period.id),
                                certificate_id: Some(id),
                                ..PostingMeta::default()
                            },
                            actor,
                            now,
                        )
                        .await?;
                    }
                    record_certificate_event(
                        &mut tx,
                        id,
                        Some(status),
                        status,
                        actor,
                        "новый период финансирования: начислен номинал",
                        now,
                    )
                    .await?;
                    batch.credited += 1;
                    batch.credited_total = batch
                        .credited_total
                        .checked_add(credit)
                        .unwrap_or(batch.credited_total);
                }
                Err(refusal) => {
                    let to = status.transition(CertificateStatus::Accounting)?;
                    sqlx::query(
                        "UPDATE certificates SET status = $2, period_id = NULL WHERE id = $1",
                    )
                    .bind(id)
                    .bind(to.as_str())
                    .execute(&mut *tx)
                    .await?;
                    record_certificate_event(
                        &mut tx,
                        id,
                        Some(status),
                        to,
                        actor,
                        &format!("новый период: {refusal}"),
                        now,
                    )
                    .await?;
                    batch.without_room += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(batch)
    }

    // Ledger ---------------------------------------------------------------------------------

    async fn verify_ledger(&self) -> Result<Vec<LedgerViolation>> {
        let mut violations = Vec::new();
        let mut tx = self.pool.begin().await?;
        // Each check reads its tables once, or through an index per row: a correlated subquery
        // without an index is a scan per row, quadratic at region scale (on SQLite a partial
        // index is used only when the query repeats its condition, hence `status <> 'rejected'`
        // beside `status = 'issued'`, for `invoices_month`).
        let posting = uuid_text("posting_id");
        let b_account = uuid_text("b.account_id");
        let e_account = uuid_text("e.account_id");
        let account = uuid_text("account_id");
        let application = uuid_text("a.id");
        let period = uuid_text("pe.id");
        let group = uuid_text("g.id");
        let invoice = uuid_text("i.id");
        let checks: [(&'static str, String); 10] = [
            (
                "posting_balanced",
                format!(
                "SELECT {posting} AS subject, CAST(SUM(amount) AS BIGINT) AS value \
                 FROM ledger_entries GROUP BY posting_id HAVING SUM(amount) <> 0 OR COUNT(*) <> 2"
            ),
            ),
            (
                "balance_equals_entries",
                format!(
                "SELECT b.account_kind || ':' || {b_account} AS subject, \
                 b.balance - COALESCE(s.total, 0) AS value FROM account_balances b \
                 LEFT JOIN (SELECT account_kind, account_id, CAST(SUM(amount) AS BIGINT) AS total \
                 FROM ledger_entries GROUP BY account_kind, account_id) s \
                 ON s.account_kind = b.account_kind AND s.account_id = b.account_id \
                 WHERE b.balance <> COALESCE(s.total, 0)"
            ),
            ),
            (
                "entries_have_balance",
                format!(
                "SELECT e.account_kind || ':' || {e_account} AS subject, \
                 CAST(SUM(e.amount) AS BIGINT) AS value FROM ledger_entries e \
                 LEFT JOIN account_balances b ON b.account_kind = e.account_kind \
                 AND b.account_id = e.account_id WHERE b.account_id IS NULL \
                 GROUP BY e.account_kind, e.account_id"
            ),
            ),
            (
                "no_negative_balance",
                format!(
                "SELECT account_kind || ':' || {account} AS subject, balance AS value \
                 FROM account_balances WHERE account_kind NOT IN ('budget', 'family_due') AND balance < 0"
            ),
            ),
            (
                "money_conserved",
                "SELECT 'all accounts' AS subject, CAST(SUM(balance) AS BIGINT) AS value \
                 FROM account_balances HAVING SUM(balance) <> 0".to_string(),
            ),
            (
                "reservation_matches_contract",
                format!(
                "SELECT {application} AS subject, COALESCE(b.balance, 0) - (a.certificate_amount \
                 - (SELECT CAST(COALESCE(SUM(lp.amount), 0) AS BIGINT) FROM ledger_postings lp \
                    WHERE lp.kind = 'write_off' AND lp.application_id = a.id)) AS value \
                 FROM applications a LEFT JOIN account_balances b \
                 ON b.account_kind = 'reservation' AND b.account_id = a.id \
                 WHERE a.status = 'accepted' AND COALESCE(b.balance, 0) <> a.certificate_amount \
                 - (SELECT CAST(COALESCE(SUM(lp.amount), 0) AS BIGINT) FROM ledger_postings lp \
                    WHERE lp.kind = 'write_off' AND lp.application_id = a.id)"
            ),
            ),
            (
                "ended_reservation_covers_issued_invoices",
                format!(
                "SELECT {application} AS subject, COALESCE(b.balance, 0) AS value \
                 FROM applications a LEFT JOIN account_balances b \
                 ON b.account_kind = 'reservation' AND b.account_id = a.id \
                 WHERE a.status <> 'accepted' AND COALESCE(b.balance, 0) <> \
                 (SELECT CAST(COALESCE(SUM(i.certificate_amount), 0) AS BIGINT) FROM invoices i \
                  WHERE i.application_id = a.id AND i.status = 'issued' \
                  AND i.status <> 'rejected')"
            ),
            ),
            (
                // An approved invoice wrote its certificate share off and recorded the family's
                // share, once each; an issued or rejected one moved nothing.
                "invoice_postings_match_decision",
                format!(
                "SELECT {invoice} AS subject, COALESCE(p.written, 0) + COALESCE(p.co_paid, 0) \
                 AS value FROM invoices i LEFT JOIN (SELECT invoice_id, \
                 CAST(SUM(CASE WHEN kind = 'write_off' THEN amount ELSE 0 END) AS BIGINT) AS written, \
                 CAST(SUM(CASE WHEN kind = 'co_payment' THEN amount ELSE 0 END) AS BIGINT) AS co_paid \
                 FROM ledger_postings WHERE invoice_id IS NOT NULL GROUP BY invoice_id) p \
                 ON p.invoice_id = i.id \
                 WHERE COALESCE(p.written, 0) <> CASE WHEN i.status = 'approved' \
                 THEN i.certificate_amount ELSE 0 END \
                 OR COALESCE(p.co_paid, 0) <> CASE WHEN i.status = 'approved' \
                 THEN i.family_amount ELSE 0 END"
            ),
            ),
            (
                "period_commitments",
                format!(
                "SELECT {period} AS subject, pe.budget_committed AS value FROM periods pe \
                 LEFT JOIN (SELECT lp.period_id, CAST(SUM(lp.amount) AS BIGINT) AS total \
                 FROM ledger_postings lp WHERE lp.kind = 'credit' GROUP BY lp.period_id) c \
                 ON c.period_id = pe.id \
                 WHERE pe.budget_committed > pe.budget OR pe.budget_committed <> COALESCE(c.total, 0)"
            ),
            ),
            (
                // Seats are taken by accepted enrollments and held by open waitlist offers and
                // by the applications filed from them until decided.
                "seats_match_enrollments",
                format!(
                "SELECT {group} AS subject, g.seats_taken AS value FROM program_groups g \
                 WHERE g.seats_taken > g.capacity OR g.seats_taken <> \
                 (SELECT COUNT(*) FROM applications a WHERE a.group_id = g.id \
                  AND (a.status = 'accepted' OR (a.status = 'submitted' \
                  AND a.waitlist_entry_id IS NOT NULL))) \
                 + (SELECT COUNT(*) FROM waitlist_entries w WHERE w.group_id = g.id \
                  AND w.status = 'offered')"
            ),
            ),
        ];
        for (check, sql) in checks {
            let rows = sqlx::query(&sql).fetch_all(&mut *tx).await?;
            for row in rows {
                let subject: String = row.try_get("subject")?;
                let value: i64 = row.try_get("value")?;
                violations.push(LedgerViolation {
                    check,
                    detail: format!("{subject}: {value}"),
                });
            }
        }
        tx.rollback().await?;
        Ok(violations)
    }
}

/// A UUID column as text in SQL, `xxxxxxxx-xxxx-…` on both databases (SQLite keeps the 16 bytes,
/// which `CAST(… AS TEXT)` would turn into invalid UTF-8).
fn uuid_text(column: &str) -> String {
    match BACKEND {
        Backend::Postgres => format!("CAST({column} AS TEXT)"),
        Backend::Sqlite => format!(
            "lower(substr(hex({column}), 1, 8) || '-' || substr(hex({column}), 9, 4) || '-' || \
             substr(hex({column}), 13, 4) || '-' || substr(hex({column}), 17, 4) || '-' || \
             substr(hex({column}), 21))"
        ),
    }
}

/// An invoice locked for a decision, with what the posting needs.
struct InvoiceFacts {
    status: api::InvoiceStatus,
    application_id: Uuid,
    provider_id: Uuid,
    certificate_id: Uuid,
    period_id: Option<Uuid>,
    month: Month,
    certificate_amount: Money,
    family_amount: Money,
}

impl SqlStore {
    async fn certificate_by_id(&self, id: Uuid) -> Result<api::Certificate> {
        let sql = format!("{CERTIFICATE_SELECT} WHERE c.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        certificate_from_row(&row)
    }

    async fn certificate_of_child(&self, child_id: Uuid) -> Result<Option<api::Certificate>> {
        let sql = format!("{CERTIFICATE_SELECT} WHERE c.child_id = $1");
        let row = sqlx::query(&sql)
            .bind(child_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(certificate_from_row).transpose()
    }

    async fn contract_of(&self, application_id: Uuid) -> Result<Vec<api::MonthShare>> {
        Ok(self
            .contracts_of(&[application_id])
            .await?
            .remove(&application_id)
            .unwrap_or_default())
    }

    /// The contracts of several applications in one query (a page of a list).
    async fn contracts_of(
        &self,
        application_ids: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, Vec<api::MonthShare>>> {
        let mut contracts: std::collections::HashMap<Uuid, Vec<api::MonthShare>> =
            std::collections::HashMap::new();
        if application_ids.is_empty() {
            return Ok(contracts);
        }
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT application_id, month, price, certificate_amount, family_amount \
             FROM application_months WHERE application_id IN (",
        );
        let mut ids = qb.separated(", ");
        for id in application_ids {
            ids.push_bind(*id);
        }
        qb.push(") ORDER BY application_id, month");
        for row in qb.build().fetch_all(&self.pool).await? {
            contracts
                .entry(uuid(&row, "application_id")?)
                .or_default()
                .push(api::MonthShare {
                    month: month(&row, "month")?,
                    price: money(&row, "price")?,
                    certificate: money(&row, "certificate_amount")?,
                    family: money(&row, "family_amount")?,
                });
        }
        Ok(contracts)
    }

    async fn invoice_by_id(&self, actor: &Actor, id: Uuid) -> Result<api::Invoice> {
        let mut qb = QueryBuilder::<Db>::new(INVOICE_SELECT);
        qb.push(" WHERE i.id = ").push_bind(id);
        push_invoice_scope(&mut qb, actor);
        let row = qb
            .build()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        invoice_from_row(&row)
    }

    async fn lock_invoice(&self, tx: &mut Tx, actor: &Actor, id: Uuid) -> Result<InvoiceFacts> {
        self.invoice_facts(tx, actor, id, true).await
    }

    /// An invoice in the actor's scope (`NotFound` otherwise), locked when `lock`.
    async fn invoice_facts(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: Uuid,
        lock: bool,
    ) -> Result<InvoiceFacts> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT i.status, i.application_id, i.provider_id, i.month, i.certificate_amount, \
             i.family_amount, \
             a.certificate_id, a.period_id FROM invoices i \
             JOIN applications a ON a.id = i.application_id \
             JOIN children ch ON ch.id = a.child_id WHERE i.id = ",
        );
        qb.push_bind(id);
        push_invoice_scope(&mut qb, actor);
        if lock && BACKEND == Backend::Postgres {
            qb.push(" FOR NO KEY UPDATE OF i");
        }
        let row = qb
            .build()
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(InvoiceFacts {
            status: parsed(&row, "status", api::InvoiceStatus::parse)?,
            application_id: uuid(&row, "application_id")?,
            provider_id: uuid(&row, "provider_id")?,
            certificate_id: uuid(&row, "certificate_id")?,
            period_id: row.try_get("period_id")?,
            month: month(&row, "month")?,
            certificate_amount: money(&row, "certificate_amount")?,
            family_amount: money(&row, "family_amount")?,
        })
    }
}
