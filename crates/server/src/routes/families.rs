//! Families registered at the desk: provider staff or an operator register a parent who came in
//! person without an account, with the parent's consent; the parent is invited by letter to set a
//! password.

use actix_web::{web, HttpResponse};
use chrono::{Duration, Utc};
use navigator_api_types::{
    ActivateFamilyRequest, Problem, RegisterFamilyRequest, RegisteredFamily, Role, User,
};
use navigator_domain::Snils;
use navigator_store::{NewChild, NewFamily, Store};

use super::{require_role, validated, ApiResult};
use crate::auth::{hash_password, hash_refresh_token, new_refresh_token, CurrentActor};
use crate::error::ApiError;
use crate::mail::{Email, Mailer};
use crate::openapi::{Forbidden, MalformedRequest, Unauthorized};
use crate::settings::PublicUrl;

/// How long the invitation's link works.
pub const INVITATION_LIFETIME: Duration = Duration::hours(72);

/// Register a family at the desk
///
/// For a parent who came in person without an account: creates the family's account with no
/// usable password, registers the child and records the parent's consent. The parent gets a
/// letter with a single-use link to set a password, valid for 72 hours. The desk then issues the
/// child's certificate (`POST /children/{id}/certificate`) and may file applications for the
/// family (`POST /applications` with `on_behalf`). A municipal operator registers children of
/// their municipality.
#[utoipa::path(
    post,
    path = "/api/v1/families",
    tag = "families",
    security(("bearer" = [])),
    request_body = RegisterFamilyRequest,
    responses(
        (status = 201, description = "The family's account and child", body = RegisteredFamily),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, description = "`email_taken`: the address has an account; \
            `snils_taken`: the child is registered",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (with `errors`: `snils_invalid`, \
            `email_invalid`, `length`, `birth_date_out_of_range`, `unknown_municipality`), \
            `consent_invalid` (given in the future), `other_municipality`",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn register_family_at_desk(
    store: web::Data<dyn Store>,
    mailer: web::Data<dyn Mailer>,
    public_url: web::Data<PublicUrl>,
    CurrentActor(actor): CurrentActor,
    body: web::Json<RegisterFamilyRequest>,
) -> ApiResult<HttpResponse> {
    require_role(
        &actor,
        &[
            Role::ProviderStaff,
            Role::MunicipalOperator,
            Role::RegionalOperator,
        ],
    )?;
    let request = validated(body)?;
    let snils = Snils::parse(&request.child.snils)
        .map_err(|e| ApiError::invalid_field("child.snils", "snils_invalid", e.to_string()))?;
    let (token, token_hash) = new_refresh_token();
    let now = Utc::now();
    let registered = store
        .register_family(
            &actor,
            NewFamily {
                email: request.email,
                full_name: request.full_name,
                child: NewChild {
                    first_name: request.child.first_name,
                    last_name: request.child.last_name,
                    middle_name: request.child.middle_name,
                    birth_date: request.child.birth_date,
                    snils,
                    municipality_id: request.child.municipality_id,
                },
                consent: request.consent,
                token_hash,
                invitation_expires_at: now + INVITATION_LIFETIME,
            },
            now,
        )
        .await?;
    let letter = Email {
        to: registered.user.email.clone(),
        subject: "Доступ к личному кабинету навигатора".into(),
        body: format!(
            "Здравствуйте, {name}!\n\nВас зарегистрировали в навигаторе дополнительного \
             образования при личном обращении. Чтобы входить в личный кабинет, задайте пароль \
             по ссылке (она действует 72 часа и открывается один раз):\n\n{url}/activate#{token}\n\n\
             Если вы не обращались в организацию, просто не отвечайте на это письмо.",
            name = registered.user.full_name,
            url = public_url.0,
        ),
    };
    // The account exists either way; a letter that failed can be sent again by the desk.
    if let Err(error) = mailer.send(letter).await {
        tracing::error!(%error, user = %registered.user.id, "the invitation letter was not sent");
    }
    Ok(HttpResponse::Created().json(registered))
}

/// Set the password from an invitation
///
/// The parent follows the invitation's link: the token is used once, within 72 hours, and sets
/// the account's password; then the parent signs in as usual.
#[utoipa::path(
    post,
    path = "/api/v1/families/activate",
    tag = "families",
    request_body = ActivateFamilyRequest,
    responses(
        (status = 200, description = "The account, now with a password", body = User),
        (status = 400, response = MalformedRequest),
        (status = 404, description = "`not_found`: the token is unknown, used or expired",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `password_too_weak`",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn activate_family(
    store: web::Data<dyn Store>,
    body: web::Json<ActivateFamilyRequest>,
) -> ApiResult<web::Json<User>> {
    let request = validated(body)?;
    let password_hash = hash_password(&request.password);
    Ok(web::Json(
        store
            .activate_family(
                &hash_refresh_token(&request.token),
                &password_hash,
                Utc::now(),
            )
            .await?,
    ))
}
