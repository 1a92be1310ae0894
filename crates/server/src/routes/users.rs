//! `/me` and `/users`: the signed-in user, and staff accounts created by operators.

use actix_web::{web, HttpResponse};
use navigator_api_types::{CreateStaffRequest, Problem, Role, User};
use navigator_store::{Actor, NewUser, Store, StoreError};
use uuid::Uuid;

use super::auth::hash_off_executor;
use super::{require_role, validated, ApiResult};
use crate::auth::{check_password_policy, CurrentActor};
use crate::error::ApiError;
use crate::openapi::{Forbidden, MalformedRequest, Unauthorized};

/// The signed-in user
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user the access token belongs to", body = User),
        (status = 401, response = Unauthorized),
    ),
)]
pub async fn get_me(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
) -> ApiResult<web::Json<User>> {
    match store.get_user(actor.user_id).await {
        Ok(user) => Ok(web::Json(user)),
        // The token outlived its account.
        Err(StoreError::NotFound) => Err(ApiError::invalid_token("the account no longer exists")),
        Err(error) => Err(error.into()),
    }
}

/// Create a staff account
///
/// A municipal operator creates `provider_staff` accounts for the providers of its own
/// municipality; the regional operator creates staff of any provider and operator accounts.
/// `provider_staff` needs `provider_id`; `municipal_operator` needs `municipality_id`. Families
/// register themselves through `POST /auth/register`.
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateStaffRequest,
    responses(
        (status = 201, description = "The account, ready to sign in with the given password",
            body = User),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, description = "`email_taken`: an account with this email exists",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `email`, `password` (10 to 128 \
            characters: `password_too_weak`; not the email: `password_same_as_email`; not one of \
            the most common passwords: `password_too_common`), `full_name`; `role` (`staff_role_required`); `provider_id` or \
            `municipality_id` missing (`required`), unknown, or not applicable to the role",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_staff_user(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    body: web::Json<CreateStaffRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, &[Role::MunicipalOperator, Role::RegionalOperator])?;
    let request = validated(body)?;
    let (provider_id, municipality_id) = attachments(store.get_ref(), &actor, &request).await?;
    check_password_policy(&request.password, &request.email)?;
    let password_hash = hash_off_executor(request.password).await?;
    let user = store
        .create_user(NewUser {
            email: request.email,
            password_hash,
            full_name: request.full_name,
            role: request.role,
            provider_id,
            municipality_id,
        })
        .await?;
    Ok(HttpResponse::Created().json(user))
}

/// The provider and municipality the new account is attached to, after checking that the actor
/// may create an account of this role there.
async fn attachments(
    store: &dyn Store,
    actor: &Actor,
    request: &CreateStaffRequest,
) -> ApiResult<(Option<Uuid>, Option<Uuid>)> {
    let not_applicable = |field: &str| {
        ApiError::invalid_field(
            field,
            "not_applicable",
            format!("is not used for the role {}", request.role.as_str()),
        )
    };
    match request.role {
        Role::Family => Err(ApiError::invalid_field(
            "role",
            "staff_role_required",
            "families register themselves through POST /auth/register",
        )),
        Role::ProviderStaff => {
            if request.municipality_id.is_some() {
                return Err(not_applicable("municipality_id"));
            }
            let provider_id = request.provider_id.ok_or_else(|| {
                ApiError::invalid_field("provider_id", "required", "is required for provider_staff")
            })?;
            let provider = match store.get_provider(provider_id).await {
                Ok(provider) => provider,
                Err(StoreError::NotFound) => {
                    return Err(ApiError::invalid_field(
                        "provider_id",
                        "unknown_provider",
                        "no provider has this id",
                    ))
                }
                Err(error) => return Err(error.into()),
            };
            if actor.role == Role::MunicipalOperator
                && actor.municipality_id != Some(provider.municipality_id)
            {
                return Err(ApiError::forbidden(
                    "a municipal operator creates staff for its own municipality's providers only",
                ));
            }
            Ok((Some(provider.id), None))
        }
        Role::MunicipalOperator | Role::RegionalOperator
            if actor.role != Role::RegionalOperator =>
        {
            Err(ApiError::forbidden(
                "only the regional operator creates operator accounts",
            ))
        }
        Role::MunicipalOperator => {
            if request.provider_id.is_some() {
                return Err(not_applicable("provider_id"));
            }
            let municipality_id = request.municipality_id.ok_or_else(|| {
                ApiError::invalid_field(
                    "municipality_id",
                    "required",
                    "is required for municipal_operator",
                )
            })?;
            Ok((None, Some(municipality_id)))
        }
        Role::RegionalOperator => match (request.provider_id, request.municipality_id) {
            (Some(_), _) => Err(not_applicable("provider_id")),
            (_, Some(_)) => Err(not_applicable("municipality_id")),
            (None, None) => Ok((None, None)),
        },
    }
}
