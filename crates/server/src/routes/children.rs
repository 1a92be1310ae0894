//! `/children`: a family's children, and the issuance of a child's certificate.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use navigator_api_types::{Certificate, Child, CreateChildRequest, Problem, Role};
use navigator_domain::Snils;
use navigator_store::{NewChild, Store};
use uuid::Uuid;

use super::{require_role, validated, ApiResult};
use crate::auth::CurrentActor;
use crate::error::ApiError;
use crate::idempotency::IdempotencyKey;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

/// List my children
#[utoipa::path(
    get,
    path = "/api/v1/children",
    tag = "children",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The family's children with their certificates",
            body = Vec<Child>),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
)]
pub async fn list_children(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
) -> ApiResult<web::Json<Vec<Child>>> {
    require_role(&actor, &[Role::Family])?;
    Ok(web::Json(store.list_children(&actor).await?))
}

/// Add a child
///
/// The child is identified by the SNILS, whose checksum is verified.
#[utoipa::path(
    post,
    path = "/api/v1/children",
    tag = "children",
    security(("bearer" = [])),
    request_body = CreateChildRequest,
    responses(
        (status = 201, description = "The child, without a certificate yet", body = Child),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, description = "`snils_taken`: a child with this SNILS is registered",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: names; `snils` (`snils_invalid`: not \
            11 digits or a wrong checksum); `birth_date` in the future; `municipality_id` of no \
            municipality",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_child(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    body: web::Json<CreateChildRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, &[Role::Family])?;
    let request = validated(body)?;
    let snils = Snils::parse(&request.snils)
        .map_err(|error| ApiError::invalid_field("snils", "snils_invalid", error.to_string()))?;
    if request.birth_date > Utc::now().date_naive() {
        return Err(ApiError::invalid_field(
            "birth_date",
            "in_future",
            "must not be in the future",
        ));
    }
    let child = store
        .create_child(
            &actor,
            NewChild {
                first_name: request.first_name,
                last_name: request.last_name,
                middle_name: request.middle_name.filter(|name| !name.trim().is_empty()),
                birth_date: request.birth_date,
                snils,
                municipality_id: request.municipality_id,
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(child))
}

/// Get my child
#[utoipa::path(
    get,
    path = "/api/v1/children/{id}",
    tag = "children",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The child")),
    responses(
        (status = 200, description = "The child with the certificate", body = Child),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_child(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Child>> {
    require_role(&actor, &[Role::Family])?;
    Ok(web::Json(store.get_child(&actor, id.into_inner()).await?))
}

/// Issue the child's certificate
///
/// A family asking online gets a `pending` certificate, usable once a municipal operator has
/// checked the documents in person (`POST /certificates/{id}/activate`). Provider staff and
/// operators issuing it at the desk, with the family present, get an `accounting` certificate at
/// once. One certificate per child, ever.
#[utoipa::path(
    post,
    path = "/api/v1/children/{id}/certificate",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The child"), IdempotencyKey),
    responses(
        (status = 201, description = "The certificate", body = Certificate),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`certificate_exists`: the child has a certificate; \
            `snils_taken`: the SNILS belongs to a child with a certificate",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`certificate_expired`: the child has turned 18",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn issue_certificate(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let certificate = store
        .issue_certificate(&actor, id.into_inner(), Utc::now())
        .await?;
    Ok(HttpResponse::Created().json(certificate))
}
