//! The registry of providers: the public list and entries, registration by operators, changes
//! with `If-Match` by operators and the provider's own staff, and the history of changes.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use navigator_api_types::{Problem, Provider, ProviderDraft, ProviderEvent, ProviderUpdate, Role};
use navigator_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{etag, if_match, require_role, validated, ApiResult};
use crate::auth::CurrentActor;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

fn with_etag(status: StatusCode, provider: Provider) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(provider.version)))
        .json(provider)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProviderQuery {
    /// Only the providers of this municipality.
    pub municipality_id: Option<Uuid>,
}

/// List providers
#[utoipa::path(
    get,
    path = "/api/v1/providers",
    tag = "providers",
    params(ProviderQuery),
    responses(
        (status = 200, description = "The providers, by name", body = Vec<Provider>),
        (status = 400, response = MalformedRequest),
    ),
)]
pub async fn list_providers(
    store: web::Data<dyn Store>,
    query: web::Query<ProviderQuery>,
) -> ApiResult<web::Json<Vec<Provider>>> {
    Ok(web::Json(
        store.list_providers(query.municipality_id).await?,
    ))
}

/// Get a provider
///
/// The registry's entry, public, with its `ETag` for `PUT /providers/{id}`.
#[utoipa::path(
    get,
    path = "/api/v1/providers/{id}",
    tag = "providers",
    params(("id" = Uuid, Path, description = "The provider")),
    responses(
        (status = 200, description = "The provider, with its `ETag`", body = Provider,
            headers(("ETag" = String, description = "The entry's version, e.g. `\"v2\"`"))),
        (status = 400, response = MalformedRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_provider(
    store: web::Data<dyn Store>,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let provider = store.get_provider(id.into_inner()).await?;
    Ok(with_etag(StatusCode::OK, provider))
}

/// Register a provider
///
/// A municipal operator registers the providers of its municipality, the regional operator
/// anyone's. Every rule of the registry is checked and every broken field named: the ИНН (10
/// digits for an organisation, 12 for an `ИП`, valid check digits: `inn_format`, `inn_length`,
/// `inn_checksum`), the legal form (`legal_form_unknown`), the phone (`phone_format`), the email
/// (`email_invalid`), the licence's registry number (`licence_format`) and date
/// (`licence_date`), the coordinates (`range`, `coordinates_incomplete`), lengths (`length`).
/// A municipal operator naming another municipality is refused with `422 other_municipality`,
/// as at the desk (`POST /families`) and in registry files.
#[utoipa::path(
    post,
    path = "/api/v1/providers",
    tag = "providers",
    security(("bearer" = [])),
    request_body = ProviderDraft,
    responses(
        (status = 201, description = "The entry, with its `ETag`", body = Provider),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, description = "`inn_taken`: a provider with this ИНН is registered",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the fields that break the registry's \
            rules, or a `municipality_id` of no municipality (`unknown_municipality`); \
            `other_municipality`: a municipal operator named another municipality",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_provider(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    body: web::Json<ProviderDraft>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, &[Role::MunicipalOperator, Role::RegionalOperator])?;
    let provider = store
        .create_provider(&actor, body.into_inner(), Utc::now())
        .await?;
    Ok(with_etag(StatusCode::CREATED, provider))
}

/// Change a provider's entry
///
/// Replaces the entry, with the reason recorded in its history. `If-Match` must carry the `ETag`
/// read last: a stale one is refused with `412` and nothing changes. The provider's own staff
/// change the contacts, the address, the coordinates and the licence; a change of the name, the
/// legal form, the ИНН or the municipality by them is `not_editable`. A municipal operator
/// changes everything but the municipality; the regional operator everything, the municipality
/// only of a provider without programs. An entry sent back unchanged records nothing.
#[utoipa::path(
    put,
    path = "/api/v1/providers/{id}",
    tag = "providers",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The provider"),
        ("If-Match" = String, Header, description = "The provider's `ETag`, e.g. `\"v1\"`"),
    ),
    request_body = ProviderUpdate,
    responses(
        (status = 200, description = "The entry, with its new `ETag`", body = Provider),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`inn_taken`: another provider has this ИНН",
            body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: the entry changed since it was read",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: as for registration, plus \
            `not_editable`, `provider_has_programs` (a provider with programs stays in its \
            municipality) and `reason`", body = Problem,
            content_type = "application/problem+json"),
        (status = 428, description = "`precondition_required`: no `If-Match`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn update_provider(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    request: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<ProviderUpdate>,
) -> ApiResult<HttpResponse> {
    require_role(
        &actor,
        &[
            Role::ProviderStaff,
            Role::MunicipalOperator,
            Role::RegionalOperator,
        ],
    )?;
    let version = if_match(&request)?;
    let update = validated(body)?;
    let provider = store
        .update_provider(
            &actor,
            id.into_inner(),
            update.provider,
            update.reason.trim(),
            version,
            Utc::now(),
        )
        .await?;
    Ok(with_etag(StatusCode::OK, provider))
}

/// A provider's history
///
/// Every change of the entry, oldest first: who, when, which fields from what to what, and why.
/// For the provider's staff and its operators.
#[utoipa::path(
    get,
    path = "/api/v1/providers/{id}/events",
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The provider")),
    responses(
        (status = 200, description = "The changes, oldest first", body = Vec<ProviderEvent>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn list_provider_events(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<ProviderEvent>>> {
    require_role(
        &actor,
        &[
            Role::ProviderStaff,
            Role::MunicipalOperator,
            Role::RegionalOperator,
        ],
    )?;
    Ok(web::Json(
        store.provider_events(&actor, id.into_inner()).await?,
    ))
}
