//! Invitations of providers' staff: an operator or a staff member invites a colleague by email;
//! the letter carries a single-use link to the SPA's page `/invitation#<token>`; the invited
//! person sets a password there and is signed in.
//!
//! The token travels in the URL's fragment, which browsers never send to a server, and in the
//! body of `POST /invitations/accept`, never in a path or a query string, so no access log holds
//! it. Only its SHA-256 is stored.

use actix_web::{web, HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use navigator_api_types::{
    AcceptInvitationRequest, CreateInvitationRequest, Invitation, Problem, Role, Tokens,
};
use navigator_store::{NewInvitation, Store};
use rand::RngCore;
use uuid::Uuid;

use super::auth::{hash_off_executor, start_session};
use super::{require_role, validated, ApiResult};
use crate::auth::{hash_refresh_token, AccessTokens, CurrentActor};
use crate::error::ApiError;
use crate::mail::{Email, Mailer};
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

const INVITERS: &[Role] = &[
    Role::ProviderStaff,
    Role::MunicipalOperator,
    Role::RegionalOperator,
];

/// A new invitation token: 32 random bytes, base64url; and its SHA-256 for the store.
fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

/// Invite a staff member
///
/// Sends the invited person a letter with a link valid for 72 hours and usable once. For the
/// provider's staff and its operators.
#[utoipa::path(
    post,
    path = "/api/v1/providers/{id}/invitations",
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The provider")),
    request_body = CreateInvitationRequest,
    responses(
        (status = 201, description = "The invitation; the link is only in the letter",
            body = Invitation),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: `email`, `full_name`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn create_invitation(
    store: web::Data<dyn Store>,
    mailer: web::Data<dyn Mailer>,
    CurrentActor(actor): CurrentActor,
    request: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<CreateInvitationRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, INVITERS)?;
    let invited = validated(body)?;
    let provider_id = id.into_inner();
    let (token, token_hash) = new_token();
    let invitation = store
        .create_invitation(
            &actor,
            provider_id,
            NewInvitation {
                email: invited.email,
                full_name: invited.full_name,
                token_hash,
            },
            Utc::now(),
        )
        .await?;
    let provider = store.get_provider(provider_id).await?;
    // The link points at the host the request came to: the SPA is served by this server.
    let origin = {
        let info = request.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let letter = Email {
        to: invitation.email.clone(),
        subject: format!("Приглашение в навигатор: {}", provider.name),
        body: format!(
            "Здравствуйте, {name}!\n\n\
             Вас пригласили работать в навигаторе дополнительного образования от имени \
             организации «{provider}».\n\n\
             Чтобы создать учётную запись, откройте ссылку и задайте пароль:\n{origin}/invitation#{token}\n\n\
             Ссылка действует 72 часа и только один раз. Если вы не ждали этого письма, \
             просто удалите его.",
            name = invitation.full_name,
            provider = provider.name,
        ),
    };
    mailer.send(letter).await.map_err(|error| {
        tracing::error!(%error, "the invitation letter was not sent");
        ApiError::internal()
    })?;
    Ok(HttpResponse::Created().json(invitation))
}

/// List pending invitations
///
/// The provider's invitations not yet accepted and not expired, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/providers/{id}/invitations",
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The provider")),
    responses(
        (status = 200, description = "The pending invitations", body = Vec<Invitation>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn list_invitations(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<Invitation>>> {
    require_role(&actor, INVITERS)?;
    Ok(web::Json(
        store
            .list_invitations(&actor, id.into_inner(), Utc::now())
            .await?,
    ))
}

/// Accept an invitation
///
/// Creates the invited staff account with the password (at least 10 characters, as at
/// registration) and signs in. The token is the one from the letter's link; it works once.
#[utoipa::path(
    post,
    path = "/api/v1/invitations/accept",
    tag = "auth",
    request_body = AcceptInvitationRequest,
    responses(
        (status = 201, description = "The account is created and signed in", body = Tokens),
        (status = 400, response = MalformedRequest),
        (status = 404, description = "`invitation_unknown`: no invitation has this token",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invitation_used`: the invitation was accepted already; \
            `invitation_expired`: its 72 hours are over; `email_taken`: the email has an account",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `token`, `password` (10 to 128 \
            characters)", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn accept_invitation(
    store: web::Data<dyn Store>,
    tokens: web::Data<AccessTokens>,
    body: web::Json<AcceptInvitationRequest>,
) -> ApiResult<HttpResponse> {
    let request = validated(body)?;
    let token_hash = hash_refresh_token(request.token.trim());
    let password_hash = hash_off_executor(request.password).await?;
    let now = Utc::now();
    let user = store
        .accept_invitation(&token_hash, &password_hash, now)
        .await
        .map_err(|error| match error {
            navigator_store::StoreError::NotFound => ApiError::new(
                actix_web::http::StatusCode::NOT_FOUND,
                "invitation_unknown",
                "no invitation has this token: check the link in the letter",
            ),
            other => other.into(),
        })?;
    let signed_in = start_session(store.get_ref(), &tokens, user, now).await?;
    Ok(HttpResponse::Created().json(signed_in))
}
