//! The SQL of [`NotificationStore`] and the outbox writes of the other use cases, written once
//! and compiled twice like `sql.rs`. Every write here runs inside the transaction of the change
//! it tells of, so a notification exists exactly when its change was committed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row, Transaction};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::certificate::CertificateStatus;
use navigator_domain::notification::{self, NotificationKind, NotificationParams};

use super::sql::{
    corrupt, encode_cursor, into_page, limit_of, parsed, push_newest_first, uuid, SqlStore,
};
use super::Db;
use crate::notifications::{audience_of, NotificationStore, OutgoingNotification};
use crate::{Actor, PageRequest, Result, StoreError};

type Tx = Transaction<'static, Db>;
type DbRow = <Db as sqlx::Database>::Row;

/// Writes one notification per recipient.
async fn notify(
    tx: &mut Tx,
    recipients: &[Uuid],
    kind: NotificationKind,
    object_kind: api::NotificationObject,
    object_id: Uuid,
    params: &NotificationParams,
    now: DateTime<Utc>,
) -> Result<()> {
    let parameters = serde_json::to_string(params)
        .map_err(|e| StoreError::Database(sqlx::Error::Protocol(e.to_string())))?;
    // One statement per thousand recipients (seven values each, far below SQLite's limit of
    // bound values). Time-ordered ids (v7, monotonic within the process): the notifications of
    // one transaction share their instant, and the id keeps them in the order they were written,
    // newest first in the list.
    for chunk in recipients.chunks(1_000) {
        let mut insert = QueryBuilder::<Db>::new(
            "INSERT INTO notifications (id, recipient_id, kind, object_kind, object_id, \
             parameters, created_at) ",
        );
        insert.push_values(chunk, |mut row, recipient| {
            row.push_bind(Uuid::now_v7())
                .push_bind(*recipient)
                .push_bind(kind.as_str())
                .push_bind(object_kind.as_str())
                .push_bind(object_id)
                .push_bind(parameters.clone())
                .push_bind(now);
        });
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// The family and the staff of the provider, in that order.
async fn family_and_staff(tx: &mut Tx, family_id: Uuid, provider_id: Uuid) -> Result<Vec<Uuid>> {
    let staff: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'provider_staff' AND provider_id = $1 ORDER BY id",
    )
    .bind(provider_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(std::iter::once(family_id).chain(staff).collect())
}

/// An application was filed or changed status: its family and its provider hear of it.
pub(super) async fn application_changed(
    tx: &mut Tx,
    application_id: Uuid,
    kind: NotificationKind,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = sqlx::query(
        "SELECT ch.first_name, ch.family_id, a.provider_id, p.title, g.name, a.filed_by \
         FROM applications a JOIN children ch ON ch.id = a.child_id \
         JOIN programs p ON p.id = a.program_id JOIN program_groups g ON g.id = a.group_id \
         WHERE a.id = $1",
    )
    .bind(application_id)
    .fetch_one(&mut **tx)
    .await?;
    let filed_by: Option<Uuid> = row.try_get("filed_by")?;
    let params = NotificationParams {
        child: Some(row.try_get("first_name")?),
        program: Some(row.try_get("title")?),
        group: Some(row.try_get("name")?),
        reason: reason.map(str::to_owned),
        on_behalf: filed_by.is_some(),
        ..NotificationParams::default()
    };
    let recipients =
        family_and_staff(tx, uuid(&row, "family_id")?, uuid(&row, "provider_id")?).await?;
    notify(
        tx,
        &recipients,
        kind,
        api::NotificationObject::Application,
        application_id,
        &params,
        now,
    )
    .await
}

/// A certificate changed status: its family hears of it.
pub(super) async fn certificate_changed(
    tx: &mut Tx,
    certificate_id: Uuid,
    to: CertificateStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = sqlx::query(
        "SELECT c.number, ch.first_name, ch.family_id FROM certificates c \
         JOIN children ch ON ch.id = c.child_id WHERE c.id = $1",
    )
    .bind(certificate_id)
    .fetch_one(&mut **tx)
    .await?;
    let params = NotificationParams {
        child: Some(row.try_get("first_name")?),
        certificate_number: Some(row.try_get("number")?),
        status: Some(to.as_str().to_owned()),
        reason: Some(reason.to_owned()).filter(|r| !r.trim().is_empty()),
        ..NotificationParams::default()
    };
    notify(
        tx,
        &[uuid(&row, "family_id")?],
        NotificationKind::CertificateStatusChanged,
        api::NotificationObject::Certificate,
        certificate_id,
        &params,
        now,
    )
    .await
}

/// A waitlist offer was made or expired: the family and the provider hear of it.
pub(super) async fn offer_changed(
    tx: &mut Tx,
    entry_id: Uuid,
    kind: NotificationKind,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = sqlx::query(
        "SELECT ch.first_name, ch.family_id, p.provider_id, p.title, g.name, w.offer_expires_at \
         FROM waitlist_entries w JOIN children ch ON ch.id = w.child_id \
         JOIN program_groups g ON g.id = w.group_id JOIN programs p ON p.id = g.program_id \
         WHERE w.id = $1",
    )
    .bind(entry_id)
    .fetch_one(&mut **tx)
    .await?;
    let params = NotificationParams {
        child: Some(row.try_get("first_name")?),
        program: Some(row.try_get("title")?),
        group: Some(row.try_get("name")?),
        expires_at: row.try_get("offer_expires_at")?,
        ..NotificationParams::default()
    };
    let recipients =
        family_and_staff(tx, uuid(&row, "family_id")?, uuid(&row, "provider_id")?).await?;
    notify(
        tx,
        &recipients,
        kind,
        api::NotificationObject::WaitlistEntry,
        entry_id,
        &params,
        now,
    )
    .await
}

const NOTIFICATION_COLUMNS: &str =
    "n.id, n.kind, n.object_kind, n.object_id, n.parameters, n.created_at, n.read_at";

fn params_of(row: &DbRow) -> Result<NotificationParams> {
    let json: String = row.try_get("parameters")?;
    serde_json::from_str(&json).map_err(|_| corrupt("parameters", &json))
}

fn notification_from_row(row: &DbRow, role: api::Role) -> Result<api::Notification> {
    let kind: NotificationKind = parsed(row, "kind", |s| s.parse().ok())?;
    let parameters = params_of(row)?;
    let rendered = notification::render(kind, &parameters, audience_of(role));
    Ok(api::Notification {
        id: uuid(row, "id")?,
        kind,
        object_kind: parsed(row, "object_kind", api::NotificationObject::parse)?,
        object_id: uuid(row, "object_id")?,
        parameters,
        subject: rendered.subject,
        text: rendered.text,
        created_at: row.try_get("created_at")?,
        read_at: row.try_get("read_at")?,
    })
}

impl SqlStore {
    async fn unread_count(&self, actor: &Actor) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL",
        )
        .bind(actor.user_id)
        .fetch_one(self.pool())
        .await?)
    }
}

#[async_trait]
impl NotificationStore for SqlStore {
    async fn list_notifications(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> Result<api::NotificationPage> {
        let limit = limit_of(page);
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications n WHERE n.recipient_id = "
        ));
        qb.push_bind(actor.user_id);
        push_newest_first(
            &mut qb,
            "n.created_at",
            "n.id",
            page.cursor.as_deref(),
            limit,
        )?;
        let rows = qb.build().fetch_all(self.pool()).await?;
        let items = rows
            .iter()
            .map(|row| notification_from_row(row, actor.role))
            .collect::<Result<Vec<_>>>()?;
        let page = into_page(items, limit, |n| {
            encode_cursor(&n.created_at.to_rfc3339(), n.id)
        });
        Ok(api::NotificationPage {
            items: page.items,
            next_cursor: page.next_cursor,
            unread: self.unread_count(actor).await?,
        })
    }

    async fn read_notification(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Notification> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE notifications SET read_at = $3 WHERE id = $1 AND recipient_id = $2 \
             AND read_at IS NULL",
        )
        .bind(id)
        .bind(actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let sql = format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications n WHERE n.id = $1 \
             AND n.recipient_id = $2"
        );
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(actor.user_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let notification = notification_from_row(&row, actor.role)?;
        tx.commit().await?;
        Ok(notification)
    }

    async fn read_all_notifications(
        &self,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<api::NotificationsRead> {
        let marked = sqlx::query(
            "UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL",
        )
        .bind(actor.user_id)
        .bind(now)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(api::NotificationsRead {
            marked: i64::try_from(marked).unwrap_or(i64::MAX),
            unread: self.unread_count(actor).await?,
        })
    }

    async fn unsent_notifications(&self, limit: u32) -> Result<Vec<OutgoingNotification>> {
        let rows = sqlx::query(
            "SELECT n.id, n.kind, n.parameters, u.email, u.role FROM notifications n \
             JOIN users u ON u.id = n.recipient_id WHERE n.emailed_at IS NULL \
             ORDER BY n.created_at, n.id LIMIT $1",
        )
        .bind(i64::from(limit.max(1)))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OutgoingNotification {
                    id: uuid(row, "id")?,
                    email: row.try_get("email")?,
                    audience: audience_of(parsed(row, "role", api::Role::parse)?),
                    kind: parsed(row, "kind", |s| s.parse().ok())?,
                    params: params_of(row)?,
                })
            })
            .collect()
    }

    async fn mark_emailed(&self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        sqlx::query(
            "UPDATE notifications SET emailed_at = $2 WHERE id = $1 AND emailed_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
