//! The SQL of [`FamilyStore`], written once and compiled twice like `sql.rs`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::Refusal;

use super::sql::SqlStore;
use super::sql::{file_application, insert_child, is_unique_violation, require_role, Filing};
use super::BACKEND;
use crate::families::{FamilyStore, NewFamily};
use crate::{Actor, Result, Store, StoreError};

/// The password hash of an account no password opens until the invitation is followed: not a
/// PHC string, so no password ever verifies against it.
const NO_PASSWORD: &str = "!invited";

const STAFF: [api::Role; 3] = [
    api::Role::ProviderStaff,
    api::Role::MunicipalOperator,
    api::Role::RegionalOperator,
];

#[async_trait]
impl FamilyStore for SqlStore {
    async fn register_family(
        &self,
        actor: &Actor,
        family: NewFamily,
        now: DateTime<Utc>,
    ) -> Result<api::RegisteredFamily> {
        require_role(actor, &STAFF, "staff register families at the desk")?;
        if actor.role == api::Role::MunicipalOperator
            && actor.municipality_id != Some(family.child.municipality_id)
        {
            return Err(Refusal::OtherMunicipality.into());
        }
        if family.consent.given_at > now.date_naive() {
            return Err(Refusal::ConsentInvalid.into());
        }
        let mut tx = self.begin_write().await?;
        let user_id = Uuid::new_v4();
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, email_key, password_hash, full_name, role, \
             municipality_id, created_at) VALUES ($1, $2, $3, $4, $5, 'family', $6, $7)",
        )
        .bind(user_id)
        .bind(family.email.trim())
        .bind(family.email.trim().to_lowercase())
        .bind(NO_PASSWORD)
        .bind(family.full_name.trim())
        .bind(family.child.municipality_id)
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
            Err(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => {
                return Err(StoreError::Invalid {
                    field: "child.municipality_id",
                    code: "unknown_municipality",
                    message: "no municipality with this id".into(),
                })
            }
            other => other?,
        };
        let child_id = insert_child(&mut tx, user_id, &family.child, now).await?;
        sqlx::query(
            "INSERT INTO family_registrations (user_id, registered_by, registered_by_role, \
             consent_method, consent_document, consent_given_at, created_at, token_hash, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(user_id)
        .bind(actor.user_id)
        .bind(actor.role.as_str())
        .bind(family.consent.method.as_str())
        .bind(family.consent.document.trim())
        .bind(family.consent.given_at)
        .bind(now)
        .bind(&family.token_hash)
        .bind(family.invitation_expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let user = self.get_user(user_id).await?;
        let as_family = Actor {
            user_id,
            role: api::Role::Family,
            provider_id: None,
            municipality_id: None,
        };
        let child = self.get_child(&as_family, child_id).await?;
        Ok(api::RegisteredFamily {
            user,
            child,
            invitation_expires_at: family.invitation_expires_at,
        })
    }

    async fn activate_family(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<api::User> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "SELECT user_id, expires_at, activated_at FROM family_registrations \
             WHERE token_hash = $1{}",
            BACKEND.for_update()
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let user_id: Uuid = row.try_get("user_id")?;
        let expires_at: DateTime<Utc> = row.try_get("expires_at")?;
        let activated_at: Option<DateTime<Utc>> = row.try_get("activated_at")?;
        // A used or expired invitation opens nothing: the same answer as an unknown one.
        if activated_at.is_some() || now >= expires_at {
            return Err(StoreError::NotFound);
        }
        sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(user_id)
            .bind(password_hash)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE family_registrations SET activated_at = $2 WHERE user_id = $1")
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.get_user(user_id).await
    }

    async fn apply_on_behalf(
        &self,
        actor: &Actor,
        child_id: Uuid,
        group_id: Uuid,
        consent: &api::Consent,
        now: DateTime<Utc>,
    ) -> Result<api::Application> {
        require_role(actor, &STAFF, "staff file for a family with its consent")?;
        let mut tx = self.begin_write().await?;
        let id = file_application(
            &mut tx,
            actor,
            child_id,
            group_id,
            Filing::OnBehalf(consent),
            now,
        )
        .await?;
        tx.commit().await?;
        self.get_application(actor, id).await
    }
}
