//! `/auth`: registration of families, sign-in, token refresh and sign-out.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use navigator_api_types::{
    LoginRequest, Problem, RefreshRequest, RegisterRequest, Role, Tokens, User,
};
use navigator_store::{NewRefreshToken, NewUser, Store, StoreError};
use uuid::Uuid;

use super::{validated, ApiResult};
use crate::auth::{
    check_password_policy, hash_password, hash_refresh_token, new_refresh_token, verify_password,
    AccessTokens, ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL,
};
use crate::error::ApiError;
use crate::openapi::{MalformedRequest, TooManyAttempts};
use crate::throttle::SignInThrottle;

/// Register a family account
///
/// Creates the account of a parent (role `family`) and signs in at once. Staff accounts are
/// created by operators through `POST /users`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/register",
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = Tokens),
        (status = 400, response = MalformedRequest),
        (status = 409, description = "`email_taken`: an account with this email exists",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `email`, `password` (10 to 128 \
            characters: `password_too_weak`; not the email: `password_same_as_email`; not one of \
            the most common passwords: `password_too_common`), `full_name`, or a \
            `municipality_id` of no municipality",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn register_family(
    store: web::Data<dyn Store>,
    tokens: web::Data<AccessTokens>,
    body: web::Json<RegisterRequest>,
) -> ApiResult<HttpResponse> {
    let request = validated(body)?;
    check_password_policy(&request.password, &request.email)?;
    let password_hash = hash_off_executor(request.password).await?;
    let user = store
        .create_user(NewUser {
            email: request.email,
            password_hash,
            full_name: request.full_name,
            role: Role::Family,
            provider_id: None,
            municipality_id: request.municipality_id,
        })
        .await?;
    let signed_in = start_session(store.get_ref(), &tokens, user, Utc::now()).await?;
    Ok(HttpResponse::Created().json(signed_in))
}

/// Sign in
///
/// Exchanges an email and a password for an access token (15 minutes) and a refresh token
/// (30 days, single use). After 10 failures for one email within 15 minutes (50 for one client
/// address) sign-in answers 429 until the window ends.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Tokens),
        (status = 400, response = MalformedRequest),
        (status = 401, description = "`invalid_credentials`: the email or the password is wrong",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `email` or `password` empty or too long",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, response = TooManyAttempts),
    ),
)]
pub async fn sign_in(
    req: HttpRequest,
    store: web::Data<dyn Store>,
    tokens: web::Data<AccessTokens>,
    throttle: web::Data<SignInThrottle>,
    body: web::Json<LoginRequest>,
) -> ApiResult<web::Json<Tokens>> {
    let LoginRequest { email, password } = validated(body)?;
    let address = req.peer_addr().map(|peer| peer.ip());
    throttle
        .check(&email, address, Instant::now())
        .map_err(|wait| ApiError::too_many_attempts(whole_seconds(wait)))?;

    let found = store.find_user_by_email(&email).await?;
    let user = web::block(move || match found {
        Some((user, hash)) => verify_password(&password, &hash).then_some(user),
        None => {
            // Spend the same time as for a known email, so that timing does not reveal which
            // emails have accounts.
            verify_password(&password, &UNKNOWN_USER_HASH);
            None
        }
    })
    .await
    .map_err(blocking_failed)?;

    match user {
        Some(user) => {
            throttle.record_success(&email);
            Ok(web::Json(
                start_session(store.get_ref(), &tokens, user, Utc::now()).await?,
            ))
        }
        None => {
            throttle.record_failure(&email, address, Instant::now());
            Err(ApiError::unauthorized(
                "invalid_credentials",
                "the email or the password is wrong",
            ))
        }
    }
}

/// Refresh the tokens
///
/// Exchanges a refresh token for a new access token and a new refresh token; the old refresh
/// token stops working. Presenting a refresh token a second time signs out every session that
/// descends from the same sign-in: it means the token was stolen.
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = Tokens),
        (status = 400, response = MalformedRequest),
        (status = 401, description = "`invalid_refresh_token`: unknown, expired or revoked; \
            `refresh_token_reused`: already exchanged, the whole session is now revoked",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `refresh_token` empty or too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn refresh_tokens(
    store: web::Data<dyn Store>,
    tokens: web::Data<AccessTokens>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<web::Json<Tokens>> {
    let request = validated(body)?;
    let now = Utc::now();
    let (refresh_token, new_hash) = new_refresh_token();
    let rotated = store
        .rotate_refresh_token(
            &hash_refresh_token(&request.refresh_token),
            &new_hash,
            now + REFRESH_TOKEN_TTL,
            now,
        )
        .await;
    let user = match rotated {
        Ok(user) => user,
        Err(StoreError::NotFound) => {
            return Err(ApiError::unauthorized(
                "invalid_refresh_token",
                "the refresh token is unknown, expired or revoked; sign in again",
            ))
        }
        Err(StoreError::Conflict("refresh_token_reused", _)) => {
            return Err(ApiError::unauthorized(
                "refresh_token_reused",
                "the refresh token was already used; its session is signed out, sign in again",
            ))
        }
        Err(error) => return Err(error.into()),
    };
    Ok(web::Json(Tokens {
        access_token: tokens.issue(&user, now)?,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        refresh_token,
        user,
    }))
}

/// Sign out
///
/// Revokes the refresh token and every token of its session. Unknown tokens are ignored, so
/// signing out twice is harmless. The access token lives on until it expires (at most 15
/// minutes): clients drop it.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Signed out"),
        (status = 400, response = MalformedRequest),
        (status = 422, description = "`validation_failed`: `refresh_token` empty or too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn sign_out(
    store: web::Data<dyn Store>,
    body: web::Json<RefreshRequest>,
) -> ApiResult<HttpResponse> {
    let request = validated(body)?;
    store
        .revoke_refresh_token(&hash_refresh_token(&request.refresh_token), Utc::now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A hash no password matches, verified against when the email is unknown.
static UNKNOWN_USER_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password(&Uuid::new_v4().to_string()));

/// Tokens of a new session: an access token and the first refresh token of a new family.
pub(crate) async fn start_session(
    store: &dyn Store,
    tokens: &AccessTokens,
    user: User,
    now: DateTime<Utc>,
) -> ApiResult<Tokens> {
    let access_token = tokens.issue(&user, now)?;
    let (refresh_token, token_hash) = new_refresh_token();
    store
        .insert_refresh_token(NewRefreshToken {
            token_hash,
            user_id: user.id,
            family_id: Uuid::new_v4(),
            expires_at: now + REFRESH_TOKEN_TTL,
        })
        .await?;
    Ok(Tokens {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        refresh_token,
        user,
    })
}

/// Hashes a password on the blocking pool: argon2id takes tens of milliseconds of CPU on purpose,
/// which must not stall the worker's other requests.
pub(crate) async fn hash_off_executor(password: String) -> ApiResult<String> {
    web::block(move || hash_password(&password))
        .await
        .map_err(blocking_failed)
}

fn blocking_failed(error: actix_web::error::BlockingError) -> ApiError {
    tracing::error!(%error, "the blocking pool failed");
    ApiError::internal()
}

/// `Retry-After` in whole seconds, rounded up.
fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}
