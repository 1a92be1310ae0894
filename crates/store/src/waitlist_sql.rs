//! The SQL of [`WaitlistStore`], written once and compiled twice like `sql.rs`.
//!
//! A held seat is counted in `program_groups.seats_taken`, so the conditional update that takes a
//! seat on acceptance and the CHECK (seats_taken BETWEEN 0 AND capacity) guard offers too. Locks
//! go certificate, application, group, waitlist entry, in that order everywhere, so that two
//! transactions never wait on each other; offers are made with the group's row locked, so two
//! seats freeing at once make one offer each and never two for one seat.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use sqlx::{QueryBuilder, Row, Transaction};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::application as rules;
use navigator_domain::notification::NotificationKind;
use navigator_domain::waitlist::{self, WaitlistStatus};
use navigator_domain::Refusal;

use super::notifications_sql;
use super::sql::{
    child_facts, current_period, encode_cursor, file_application, group_facts, into_page, limit_of,
    parsed, push_newest_first, require_role, text, uuid, Filing, SqlStore,
};
use super::{Db, BACKEND};
use crate::waitlist::{ExpiredOffers, WaitlistStore};
use crate::{Actor, PageRequest, Result, Store, StoreError};

type Tx = Transaction<'static, Db>;
type DbRow = <Db as sqlx::Database>::Row;

const LIVE: &str = "('waiting', 'offered')";

fn entry_select() -> String {
    format!(
        "SELECT w.id, w.group_id, g.name AS group_name, g.program_id, p.title AS program_title, \
         w.child_id, ch.first_name, ch.last_name, w.status, w.queued_at, w.offered_at, \
         w.offer_expires_at, w.ended_at, {order} AS queue_order, \
         (SELECT a.id FROM applications a WHERE a.waitlist_entry_id = w.id) AS application_id \
         FROM waitlist_entries w JOIN program_groups g ON g.id = w.group_id \
         JOIN programs p ON p.id = g.program_id JOIN children ch ON ch.id = w.child_id",
        order = BACKEND.insertion_order("w")
    )
}

fn entry_from_row(row: &DbRow, position: Option<u32>) -> Result<api::WaitlistEntry> {
    Ok(api::WaitlistEntry {
        id: uuid(row, "id")?,
        group_id: uuid(row, "group_id")?,
        group_name: text(row, "group_name")?,
        program_id: uuid(row, "program_id")?,
        program_title: text(row, "program_title")?,
        child_id: uuid(row, "child_id")?,
        child_name: format!("{} {}", text(row, "first_name")?, text(row, "last_name")?),
        status: parsed(row, "status", |s| s.parse().ok())?,
        position,
        queued_at: row.try_get("queued_at")?,
        offered_at: row.try_get("offered_at")?,
        offer_expires_at: row.try_get("offer_expires_at")?,
        ended_at: row.try_get("ended_at")?,
        application_id: row.try_get("application_id")?,
    })
}

/// The live entries of a group in queue order, with their places.
async fn queue_places<'e, E>(executor: E, group_id: Uuid) -> Result<Vec<(Uuid, u32)>>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!(
        "SELECT w.id, w.status FROM waitlist_entries w WHERE w.group_id = $1 \
         AND w.status IN {LIVE} ORDER BY {}",
        BACKEND.insertion_order("w")
    );
    let rows = sqlx::query(&sql).bind(group_id).fetch_all(executor).await?;
    let live = rows
        .iter()
        .map(|row| {
            Ok((
                uuid(row, "id")?,
                parsed(row, "status", |s| s.parse::<WaitlistStatus>().ok())?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(waitlist::positions(&live))
}

async fn lock_group(tx: &mut Tx, group_id: Uuid) -> Result<()> {
    let sql = format!(
        "SELECT id FROM program_groups WHERE id = $1{}",
        BACKEND.for_update()
    );
    sqlx::query(&sql)
        .bind(group_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

/// A waitlist entry locked for a change.
struct EntryFacts {
    id: Uuid,
    group_id: Uuid,
    child_id: Uuid,
    status: WaitlistStatus,
    offer_expires_at: Option<DateTime<Utc>>,
}

/// The family's entry, locked after its group (the lock order of the module); `NotFound` for
/// others' entries.
async fn lock_family_entry(tx: &mut Tx, actor: &Actor, id: Uuid) -> Result<EntryFacts> {
    let row = sqlx::query(
        "SELECT w.group_id, w.child_id FROM waitlist_entries w \
         JOIN children ch ON ch.id = w.child_id WHERE w.id = $1 AND ch.family_id = $2",
    )
    .bind(id)
    .bind(actor.user_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let group_id = uuid(&row, "group_id")?;
    let child_id = uuid(&row, "child_id")?;
    // The child's certificate comes first in the lock order: taking an offer may change it.
    let sql = format!(
        "SELECT id FROM certificates WHERE child_id = $1{}",
        BACKEND.for_update()
    );
    sqlx::query(&sql)
        .bind(child_id)
        .fetch_optional(&mut **tx)
        .await?;
    lock_group(tx, group_id).await?;
    lock_entry(tx, id).await
}

async fn lock_entry(tx: &mut Tx, id: Uuid) -> Result<EntryFacts> {
    let sql = format!(
        "SELECT id, group_id, child_id, status, offer_expires_at FROM waitlist_entries \
         WHERE id = $1{}",
        BACKEND.for_update()
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(EntryFacts {
        id: uuid(&row, "id")?,
        group_id: uuid(&row, "group_id")?,
        child_id: uuid(&row, "child_id")?,
        status: parsed(&row, "status", |s| s.parse().ok())?,
        offer_expires_at: row.try_get("offer_expires_at")?,
    })
}

async fn end_entry(tx: &mut Tx, id: Uuid, to: WaitlistStatus, now: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE waitlist_entries SET status = $2, ended_at = $3 WHERE id = $1")
        .bind(id)
        .bind(to.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Frees one seat of a group, inside the transaction that frees it, and offers the group's free
/// seats to the first in its waitlist. Returns the offers made.
pub(super) async fn release_seat(
    tx: &mut Tx,
    group_id: Uuid,
    now: DateTime<Utc>,
    offer_lifetime: Duration,
) -> Result<u64> {
    sqlx::query("UPDATE program_groups SET seats_taken = seats_taken - 1 WHERE id = $1")
        .bind(group_id)
        .execute(&mut **tx)
        .await?;
    offer_free_seats(tx, group_id, now, offer_lifetime).await
}

/// Offers each free seat of the group to the next in line, holding it until the offer expires.
/// The group's row is locked (by the caller's update or here), so the seats counted free are
/// free when the offers take them.
pub(super) async fn offer_free_seats(
    tx: &mut Tx,
    group_id: Uuid,
    now: DateTime<Utc>,
    offer_lifetime: Duration,
) -> Result<u64> {
    let sql = format!(
        "SELECT capacity - seats_taken AS free, open, end_date FROM program_groups \
         WHERE id = $1{}",
        BACKEND.for_update()
    );
    let row = sqlx::query(&sql)
        .bind(group_id)
        .fetch_one(&mut **tx)
        .await?;
    let free: i64 = row.try_get("free")?;
    let open: bool = row.try_get("open")?;
    let end_date: chrono::NaiveDate = row.try_get("end_date")?;
    // A group that takes no more applications offers nothing.
    if free <= 0 || !open || end_date < now.date_naive() {
        return Ok(0);
    }
    let sql = format!(
        "SELECT w.id FROM waitlist_entries w WHERE w.group_id = $1 AND w.status = 'waiting' \
         ORDER BY {} LIMIT $2{}",
        BACKEND.insertion_order("w"),
        BACKEND.for_update()
    );
    let waiting: Vec<Uuid> = sqlx::query_scalar(&sql)
        .bind(group_id)
        .bind(free)
        .fetch_all(&mut **tx)
        .await?;
    let expires_at = waitlist::offer_expires_at(now, offer_lifetime);
    let mut offered = 0;
    for id in waitlist::next_offers(free, &waiting) {
        let held = sqlx::query(
            "UPDATE program_groups SET seats_taken = seats_taken + 1 \
             WHERE id = $1 AND seats_taken < capacity",
        )
        .bind(group_id)
        .execute(&mut **tx)
        .await?;
        if held.rows_affected() == 0 {
            break;
        }
        sqlx::query(
            "UPDATE waitlist_entries SET status = 'offered', offered_at = $2, \
             offer_expires_at = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut **tx)
        .await?;
        notifications_sql::offer_changed(tx, id, NotificationKind::OfferMade, now).await?;
        offered += 1;
    }
    Ok(offered)
}

/// Ends the live waitlist entries of a closed certificate's child; the seats of its offers pass
/// on.
pub(super) async fn cancel_entries_of_certificate(
    tx: &mut Tx,
    certificate_id: Uuid,
    now: DateTime<Utc>,
    offer_lifetime: Duration,
) -> Result<()> {
    let sql = format!(
        "SELECT w.id FROM waitlist_entries w JOIN certificates c ON c.child_id = w.child_id \
         WHERE c.id = $1 AND w.status IN {LIVE} ORDER BY w.id"
    );
    let entries: Vec<Uuid> = sqlx::query_scalar(&sql)
        .bind(certificate_id)
        .fetch_all(&mut **tx)
        .await?;
    for id in entries {
        let group_id: Uuid =
            sqlx::query_scalar("SELECT group_id FROM waitlist_entries WHERE id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
        lock_group(tx, group_id).await?;
        let entry = lock_entry(tx, id).await?;
        let to = entry.status.transition(WaitlistStatus::Cancelled)?;
        end_entry(tx, entry.id, to, now).await?;
        if entry.status.holds_seat() {
            release_seat(tx, entry.group_id, now, offer_lifetime).await?;
        }
    }
    Ok(())
}

impl SqlStore {
    async fn entry_by_id(&self, id: Uuid) -> Result<api::WaitlistEntry> {
        let sql = format!("{} WHERE w.id = $1", entry_select());
        let row = sqlx::query(&sql).bind(id).fetch_one(self.pool()).await?;
        let places = queue_places(self.pool(), uuid(&row, "group_id")?).await?;
        let position = places.iter().find(|(e, _)| *e == id).map(|(_, p)| *p);
        entry_from_row(&row, position)
    }

    /// Leaves or declines: the entry ends, and a seat its offer held passes on.
    async fn end_family_entry(
        &self,
        actor: &Actor,
        id: Uuid,
        to: WaitlistStatus,
        now: DateTime<Utc>,
    ) -> Result<api::WaitlistEntry> {
        require_role(
            actor,
            &[api::Role::Family],
            "the family acts on its waitlist",
        )?;
        let mut tx = self.begin_write().await?;
        let entry = lock_family_entry(&mut tx, actor, id).await?;
        let to = entry.status.transition(to)?;
        end_entry(&mut tx, entry.id, to, now).await?;
        if entry.status.holds_seat() {
            release_seat(&mut tx, entry.group_id, now, self.offer_lifetime()).await?;
        }
        tx.commit().await?;
        self.entry_by_id(id).await
    }
}

#[async_trait]
impl WaitlistStore for SqlStore {
    async fn join_waitlist(
        &self,
        actor: &Actor,
        group_id: Uuid,
        child_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::WaitlistEntry> {
        require_role(actor, &[api::Role::Family], "a family queues its child")?;
        let today = now.date_naive();
        let mut tx = self.begin_write().await?;
        let child = child_facts(&mut *tx, actor, child_id).await?;
        let certificate = child.certificate.ok_or(Refusal::NoCertificate)?;
        // With the group locked, no seat frees (and is offered) between the check and the queue.
        lock_group(&mut tx, group_id).await?;
        let group = group_facts(&mut *tx, group_id).await?;
        let period = current_period(&mut tx, certificate.municipality_id, today, false).await?;
        let already_applied: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM applications WHERE child_id = $1 AND group_id = $2 \
             AND status IN ('submitted', 'accepted')",
        )
        .bind(child_id)
        .bind(group_id)
        .fetch_one(&mut *tx)
        .await?;
        let sql = format!(
            "SELECT COUNT(*) FROM waitlist_entries WHERE child_id = $1 AND group_id = $2 \
             AND status IN {LIVE}"
        );
        let already_queued: i64 = sqlx::query_scalar(&sql)
            .bind(child_id)
            .bind(group_id)
            .fetch_one(&mut *tx)
            .await?;
        waitlist::check_joining(
            &rules::ApplicationFacts {
                today,
                window: period.window,
                program_published: group.published,
                group_open: group.open,
                group_end: group.end_date,
                seats_left: group.seats_left,
                age_from: group.age_from,
                age_to: group.age_to,
                child_birth_date: child.birth_date,
                already_applied: already_applied > 0,
                certificate_status: certificate.status,
                certificate_valid_until: certificate.valid_until,
                same_municipality: group.municipality_id == certificate.municipality_id,
            },
            already_queued > 0,
        )?;
        let id = Uuid::new_v4();
        let inserted = sqlx::query(
            "INSERT INTO waitlist_entries (id, group_id, child_id, status, queued_at) \
             VALUES ($1, $2, $3, 'waiting', $4)",
        )
        .bind(id)
        .bind(group_id)
        .bind(child_id)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if super::sql::is_unique_violation(&e) => {
                return Err(Refusal::AlreadyQueued.into())
            }
            other => other?,
        };
        tx.commit().await?;
        self.entry_by_id(id).await
    }

    async fn group_waitlist(&self, actor: &Actor, group_id: Uuid) -> Result<api::GroupWaitlist> {
        require_role(
            actor,
            &[
                api::Role::ProviderStaff,
                api::Role::MunicipalOperator,
                api::Role::RegionalOperator,
            ],
            "a group's waitlist is for its provider and operators",
        )?;
        let row = sqlx::query(
            "SELECT g.capacity, g.seats_taken, p.provider_id, p.municipality_id \
             FROM program_groups g JOIN programs p ON p.id = g.program_id WHERE g.id = $1",
        )
        .bind(group_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let provider_id = uuid(&row, "provider_id")?;
        let municipality_id = uuid(&row, "municipality_id")?;
        let visible = match actor.role {
            api::Role::ProviderStaff => actor.provider_id == Some(provider_id),
            api::Role::MunicipalOperator => actor.municipality_id == Some(municipality_id),
            api::Role::RegionalOperator => true,
            api::Role::Family => false,
        };
        if !visible {
            return Err(StoreError::NotFound);
        }
        let capacity: i64 = row.try_get("capacity")?;
        let seats_taken: i64 = row.try_get("seats_taken")?;
        let seats_held: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM waitlist_entries WHERE group_id = $1 \
             AND status = 'offered') + (SELECT COUNT(*) FROM applications WHERE group_id = $1 \
             AND status = 'submitted' AND waitlist_entry_id IS NOT NULL)",
        )
        .bind(group_id)
        .fetch_one(self.pool())
        .await?;
        let sql = format!(
            "{} WHERE w.group_id = $1 AND w.status IN {LIVE}",
            entry_select()
        );
        let rows = sqlx::query(&sql)
            .bind(group_id)
            .fetch_all(self.pool())
            .await?;
        let places = queue_places(self.pool(), group_id).await?;
        let mut entries = rows
            .iter()
            .map(|row| {
                let id = uuid(row, "id")?;
                let place = places.iter().find(|(e, _)| *e == id).map(|(_, p)| *p);
                entry_from_row(row, place)
            })
            .collect::<Result<Vec<_>>>()?;
        entries.sort_by_key(|e| e.position);
        Ok(api::GroupWaitlist {
            group_id,
            capacity,
            seats_left: capacity - seats_taken,
            seats_held,
            entries,
        })
    }

    async fn family_waitlist(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> Result<api::Page<api::WaitlistEntry>> {
        require_role(
            actor,
            &[api::Role::Family],
            "a family's waitlist is its own",
        )?;
        let limit = limit_of(page);
        let mut qb = QueryBuilder::<Db>::new(entry_select());
        qb.push(" WHERE ch.family_id = ").push_bind(actor.user_id);
        push_newest_first(
            &mut qb,
            "w.queued_at",
            "w.id",
            page.cursor.as_deref(),
            limit,
        )?;
        let rows = qb.build().fetch_all(self.pool()).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let id = uuid(row, "id")?;
            let status: WaitlistStatus = parsed(row, "status", |s| s.parse().ok())?;
            let position = if status.is_live() {
                let places = queue_places(self.pool(), uuid(row, "group_id")?).await?;
                places.iter().find(|(e, _)| *e == id).map(|(_, p)| *p)
            } else {
                None
            };
            items.push(entry_from_row(row, position)?);
        }
        Ok(into_page(items, limit, |e| {
            encode_cursor(&e.queued_at.to_rfc3339(), e.id)
        }))
    }

    async fn leave_waitlist(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::WaitlistEntry> {
        self.end_family_entry(actor, id, WaitlistStatus::Left, now)
            .await
    }

    async fn accept_offer(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Application> {
        require_role(actor, &[api::Role::Family], "the family takes its offer")?;
        let mut tx = self.begin_write().await?;
        let entry = lock_family_entry(&mut tx, actor, id).await?;
        let application_id = file_application(
            &mut tx,
            actor,
            entry.child_id,
            entry.group_id,
            Filing::FromOffer {
                entry_id: entry.id,
                status: entry.status,
                expires_at: entry.offer_expires_at,
            },
            now,
        )
        .await?;
        let to = entry.status.transition(WaitlistStatus::Taken)?;
        end_entry(&mut tx, entry.id, to, now).await?;
        tx.commit().await?;
        self.get_application(actor, application_id).await
    }

    async fn decline_offer(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::WaitlistEntry> {
        self.end_family_entry(actor, id, WaitlistStatus::Declined, now)
            .await
    }

    async fn expire_offers(&self, now: DateTime<Utc>, batch_size: u32) -> Result<ExpiredOffers> {
        let due: Vec<Uuid> = sqlx::query_scalar(
            "SELECT id FROM waitlist_entries WHERE status = 'offered' AND offer_expires_at <= $1 \
             ORDER BY offer_expires_at, id LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(batch_size.max(1)))
        .fetch_all(self.pool())
        .await?;
        let mut done = ExpiredOffers::default();
        for id in due {
            let mut tx = self.begin_write().await?;
            let group_id: Uuid =
                sqlx::query_scalar("SELECT group_id FROM waitlist_entries WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            lock_group(&mut tx, group_id).await?;
            let entry = lock_entry(&mut tx, id).await?;
            // Taken, declined or expired by someone else since the list was read.
            let still_due = entry.status == WaitlistStatus::Offered
                && entry
                    .offer_expires_at
                    .is_some_and(|at| waitlist::offer_expired(at, now));
            if !still_due {
                tx.rollback().await?;
                continue;
            }
            let to = entry.status.transition(WaitlistStatus::Expired)?;
            end_entry(&mut tx, entry.id, to, now).await?;
            notifications_sql::offer_changed(
                &mut tx,
                entry.id,
                NotificationKind::OfferExpired,
                now,
            )
            .await?;
            done.offered +=
                release_seat(&mut tx, entry.group_id, now, self.offer_lifetime()).await?;
            tx.commit().await?;
            done.expired += 1;
        }
        Ok(done)
    }
}
