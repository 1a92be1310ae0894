//! The SQL of [`ReviewStore`], written once and compiled twice like `sql.rs`: `pg.rs` and
//! `sqlite.rs` include this file next to it, each with its own `Db` and `BACKEND`.
//!
//! Writes lock the review they change (`BACKEND.for_update()`), so that of two answers to one
//! review exactly one lands; two first reviews of one child and program race on the unique
//! index instead, and the loser is told `review_exists`.

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{QueryBuilder, Row, Transaction};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::Refusal;

use super::sql::{is_unique_violation, require_role, SqlStore};
use super::{Db, BACKEND};
use crate::reviews::{program_rating, public_author_name, ReviewStore};
use crate::{Actor, PageRequest, Result, StoreError};

type Tx = Transaction<'static, Db>;
type DbRow = <Db as sqlx::Database>::Row;

/// The application statuses that make a child one who attends or attended the program.
const ATTENDED: &str = "('accepted', 'completed', 'expelled')";

const REVIEW_COLUMNS: &str = "id, program_id, child_id, author_id, author_name, rating, text, \
     created_at, provider_answer, answered_at, hidden";

/// Where a program sits: whose it is and whether the public sees it.
struct ProgramScope {
    provider_id: Uuid,
    municipality_id: Uuid,
    published: bool,
}

impl ProgramScope {
    /// The rule of [`crate::Store::get_program`]: published programs are public, the others are
    /// seen by their provider and their operators only.
    fn visible_to(&self, actor: Option<&Actor>) -> bool {
        self.published
            || actor.is_some_and(|a| match a.role {
                api::Role::ProviderStaff => a.provider_id == Some(self.provider_id),
                api::Role::Family => false,
                api::Role::MunicipalOperator | api::Role::RegionalOperator => self.moderated_by(a),
            })
    }

    /// The operators who moderate the program's reviews: its municipality's and the region's.
    fn moderated_by(&self, actor: &Actor) -> bool {
        match actor.role {
            api::Role::RegionalOperator => true,
            api::Role::MunicipalOperator => actor.municipality_id == Some(self.municipality_id),
            api::Role::Family | api::Role::ProviderStaff => false,
        }
    }
}

async fn program_scope<'e, E>(executor: E, program_id: Uuid) -> Result<ProgramScope>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let row =
        sqlx::query("SELECT provider_id, municipality_id, status FROM programs WHERE id = $1")
            .bind(program_id)
            .fetch_optional(executor)
            .await?
            .ok_or(StoreError::NotFound)?;
    let status: String = row.try_get("status")?;
    Ok(ProgramScope {
        provider_id: row.try_get("provider_id")?,
        municipality_id: row.try_get("municipality_id")?,
        published: api::ProgramStatus::parse(&status) == Some(api::ProgramStatus::Published),
    })
}

/// A review as `actor` sees it: the child is named to the family that wrote it only.
fn review_from_row(row: &DbRow, actor: Option<&Actor>) -> Result<api::Review> {
    let author_id: Uuid = row.try_get("author_id")?;
    let is_author = actor.is_some_and(|a| a.role == api::Role::Family && a.user_id == author_id);
    let rating: i64 = row.try_get("rating")?;
    Ok(api::Review {
        id: row.try_get("id")?,
        program_id: row.try_get("program_id")?,
        child_id: if is_author {
            Some(row.try_get("child_id")?)
        } else {
            None
        },
        author_name: row.try_get("author_name")?,
        rating: u8::try_from(rating).map_err(|_| corrupt(format!("rating {rating}")))?,
        text: row.try_get("text")?,
        created_at: row.try_get("created_at")?,
        provider_answer: row.try_get("provider_answer")?,
        answered_at: row.try_get("answered_at")?,
        hidden: row.try_get("hidden")?,
    })
}

/// Reads and locks a review with its program's scope; `NotFound` when there is none.
async fn lock_review(tx: &mut Tx, id: Uuid) -> Result<(DbRow, ProgramScope)> {
    let sql = format!(
        "SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = $1{}",
        BACKEND.for_update()
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let scope = program_scope(&mut **tx, row.try_get("program_id")?).await?;
    Ok((row, scope))
}

async fn review_by_id<'e, E>(executor: E, id: Uuid, actor: &Actor) -> Result<api::Review>
where
    E: sqlx::Executor<'e, Database = Db>,
{
    let sql = format!("SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_one(executor).await?;
    review_from_row(&row, Some(actor))
}

/// Instants as the database gives them back: PostgreSQL keeps microseconds.
fn stored_instant(now: DateTime<Utc>) -> DateTime<Utc> {
    now.trunc_subsecs(6)
}

/// Keyset cursors of the newest-first list: the creation instant in microseconds and the id.
fn encode_cursor(review: &api::Review) -> String {
    format!(
        "{}.{}",
        review.created_at.timestamp_micros(),
        review.id.simple()
    )
}

fn decode_cursor(cursor: &str) -> Result<(DateTime<Utc>, Uuid)> {
    let invalid = || StoreError::Invalid {
        field: "cursor",
        code: "cursor_invalid",
        message: "the cursor is not one this API gave out".into(),
    };
    let (micros, id) = cursor.split_once('.').ok_or_else(invalid)?;
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(invalid)?;
    let id = Uuid::try_parse(id).map_err(|_| invalid())?;
    Ok((at, id))
}

fn corrupt(what: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(
        format!("unexpected {what} in the database").into(),
    ))
}

#[async_trait]
impl ReviewStore for SqlStore {
    async fn create_review(
        &self,
        actor: &Actor,
        program_id: Uuid,
        review: &api::CreateReviewRequest,
        now: DateTime<Utc>,
    ) -> Result<api::Review> {
        require_role(
            actor,
            &[api::Role::Family],
            "only a family reviews programs",
        )?;
        if !(1..=5).contains(&review.rating) {
            return Err(StoreError::Invalid {
                field: "rating",
                code: "range",
                message: "must be from 1 to 5".into(),
            });
        }
        let now = stored_instant(now);
        let mut tx = self.pool().begin_with(BACKEND.begin_write()).await?;
        let family: Option<Uuid> =
            sqlx::query_scalar("SELECT family_id FROM children WHERE id = $1")
                .bind(review.child_id)
                .fetch_optional(&mut *tx)
                .await?;
        if family != Some(actor.user_id) {
            return Err(StoreError::NotFound);
        }
        // An unknown program is not found, not refused. Its status does not matter: a family may
        // review a program it attended after the program left the catalog.
        program_scope(&mut *tx, program_id).await?;
        let attended: Option<Uuid> = sqlx::query_scalar(&format!(
            "SELECT id FROM applications WHERE child_id = $1 AND program_id = $2 \
             AND status IN {ATTENDED} LIMIT 1"
        ))
        .bind(review.child_id)
        .bind(program_id)
        .fetch_optional(&mut *tx)
        .await?;
        if attended.is_none() {
            return Err(Refusal::ReviewNotAllowed.into());
        }
        let full_name: String = sqlx::query_scalar("SELECT full_name FROM users WHERE id = $1")
            .bind(actor.user_id)
            .fetch_one(&mut *tx)
            .await?;
        let created = api::Review {
            id: Uuid::new_v4(),
            program_id,
            child_id: Some(review.child_id),
            author_name: public_author_name(&full_name),
            rating: review.rating,
            text: review.text.clone(),
            created_at: now,
            provider_answer: None,
            answered_at: None,
            hidden: false,
        };
        let inserted = sqlx::query(
            "INSERT INTO reviews (id, program_id, child_id, author_id, author_name, rating, text, \
             created_at, hidden) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE)",
        )
        .bind(created.id)
        .bind(program_id)
        .bind(review.child_id)
        .bind(actor.user_id)
        .bind(&created.author_name)
        .bind(i64::from(created.rating))
        .bind(&created.text)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(Refusal::ReviewExists.into()),
            other => other?,
        };
        tx.commit().await?;
        Ok(created)
    }

    async fn list_reviews(
        &self,
        actor: Option<&Actor>,
        program_id: Uuid,
        page: &PageRequest,
    ) -> Result<api::Page<api::Review>> {
        let scope = program_scope(self.pool(), program_id).await?;
        if !scope.visible_to(actor) {
            return Err(StoreError::NotFound);
        }
        let limit = i64::from(page.limit.clamp(1, api::MAX_LIMIT));
        let mut qb = QueryBuilder::<Db>::new(format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews WHERE program_id = "
        ));
        qb.push_bind(program_id);
        match actor {
            Some(a) if scope.moderated_by(a) => {}
            Some(a) if a.role == api::Role::Family => {
                qb.push(" AND (NOT hidden OR author_id = ")
                    .push_bind(a.user_id)
                    .push(")");
            }
            _ => {
                qb.push(" AND NOT hidden");
            }
        }
        if let Some(cursor) = &page.cursor {
            let (at, id) = decode_cursor(cursor)?;
            qb.push(" AND (created_at < ")
                .push_bind(at)
                .push(" OR (created_at = ")
                .push_bind(at)
                .push(" AND id < ")
                .push_bind(id)
                .push("))");
        }
        qb.push(" ORDER BY created_at DESC, id DESC LIMIT ")
            .push_bind(limit + 1);
        let rows = qb.build().fetch_all(self.pool()).await?;
        let mut items = rows
            .iter()
            .map(|row| review_from_row(row, actor))
            .collect::<Result<Vec<_>>>()?;
        // One row more than the page tells whether another page follows.
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        let next_cursor = if more {
            items.last().map(encode_cursor)
        } else {
            None
        };
        Ok(api::Page { items, next_cursor })
    }

    async fn program_rating(
        &self,
        actor: Option<&Actor>,
        program_id: Uuid,
    ) -> Result<api::ProgramRating> {
        let scope = program_scope(self.pool(), program_id).await?;
        if !scope.visible_to(actor) {
            return Err(StoreError::NotFound);
        }
        let row = sqlx::query(
            "SELECT COUNT(*) AS count, CAST(COALESCE(SUM(rating), 0) AS BIGINT) AS total \
             FROM reviews WHERE program_id = $1 AND NOT hidden",
        )
        .bind(program_id)
        .fetch_one(self.pool())
        .await?;
        Ok(program_rating(
            program_id,
            row.try_get("total")?,
            row.try_get("count")?,
        ))
    }

    async fn answer_review(
        &self,
        actor: &Actor,
        review_id: Uuid,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<api::Review> {
        require_role(
            actor,
            &[api::Role::ProviderStaff],
            "only the provider's staff answer reviews",
        )?;
        let now = stored_instant(now);
        let mut tx = self.pool().begin_with(BACKEND.begin_write()).await?;
        let (row, scope) = lock_review(&mut tx, review_id).await?;
        if actor.provider_id != Some(scope.provider_id) {
            return Err(StoreError::NotFound);
        }
        let answer: Option<String> = row.try_get("provider_answer")?;
        if answer.is_some() {
            return Err(Refusal::ReviewAlreadyAnswered.into());
        }
        sqlx::query(
            "UPDATE reviews SET provider_answer = $2, answered_at = $3, answered_by = $4 \
             WHERE id = $1",
        )
        .bind(review_id)
        .bind(text)
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        let answered = review_by_id(&mut *tx, review_id, actor).await?;
        tx.commit().await?;
        Ok(answered)
    }

    async fn moderate_review(
        &self,
        actor: &Actor,
        review_id: Uuid,
        decision: &api::ReviewModeration,
        now: DateTime<Utc>,
    ) -> Result<api::Review> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "only operators moderate reviews",
        )?;
        let now = stored_instant(now);
        let mut tx = self.pool().begin_with(BACKEND.begin_write()).await?;
        let (_, scope) = lock_review(&mut tx, review_id).await?;
        if !scope.moderated_by(actor) {
            return Err(StoreError::NotFound);
        }
        sqlx::query("UPDATE reviews SET hidden = $2 WHERE id = $1")
            .bind(review_id)
            .bind(decision.hidden)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO review_moderation_events (id, review_id, at, hidden, reason, actor_id, \
             actor_role) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::new_v4())
        .bind(review_id)
        .bind(now)
        .bind(decision.hidden)
        .bind(&decision.reason)
        .bind(actor.user_id)
        .bind(actor.role.as_str())
        .execute(&mut *tx)
        .await?;
        let moderated = review_by_id(&mut *tx, review_id, actor).await?;
        tx.commit().await?;
        Ok(moderated)
    }

    async fn review_moderation_history(
        &self,
        actor: &Actor,
        review_id: Uuid,
    ) -> Result<Vec<api::ReviewModerationEvent>> {
        require_role(
            actor,
            &[api::Role::MunicipalOperator, api::Role::RegionalOperator],
            "only operators see the moderation of reviews",
        )?;
        let program_id: Uuid = sqlx::query_scalar("SELECT program_id FROM reviews WHERE id = $1")
            .bind(review_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        if !program_scope(self.pool(), program_id)
            .await?
            .moderated_by(actor)
        {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "SELECT at, hidden, reason, actor_id, actor_role FROM review_moderation_events \
             WHERE review_id = $1 ORDER BY at, id",
        )
        .bind(review_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| {
            let role: String = row.try_get("actor_role")?;
            Ok(api::ReviewModerationEvent {
                at: row.try_get("at")?,
                hidden: row.try_get("hidden")?,
                reason: row.try_get("reason")?,
                moderator_id: row.try_get("actor_id")?,
                moderator_role: api::Role::parse(&role)
                    .ok_or_else(|| corrupt(format!("actor role {role:?}")))?,
            })
        })
        .collect()
    }
}
