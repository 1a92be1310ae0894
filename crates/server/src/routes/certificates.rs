//! `/certificates`: the children's certificates, their money and history, and their activation.

use actix_web::web;
use chrono::Utc;
use navigator_api_types::{
    Certificate, CertificateDecision, CertificateHistory, CertificateStatus, Page, Problem, Role,
};
use navigator_store::{CertificateAction, Store};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{page_request, require_role, validated, ApiResult};
use crate::auth::CurrentActor;
use crate::idempotency::IdempotencyKey;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

/// Who sees certificates: the family its own, operators those of their territory.
const READERS: &[Role] = &[
    Role::Family,
    Role::MunicipalOperator,
    Role::RegionalOperator,
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    pub status: Option<CertificateStatus>,
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List certificates
///
/// A family sees its children's certificates, a municipal operator those of its municipality
/// (`status=pending` lists the ones waiting for the document check), the regional operator all.
#[utoipa::path(
    get,
    path = "/api/v1/certificates",
    tag = "certificates",
    security(("bearer" = [])),
    params(CertificateQuery),
    responses(
        (status = 200, description = "A page of certificates", body = Page<Certificate>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 or a bad \
            `cursor`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_certificates(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    query: web::Query<CertificateQuery>,
) -> ApiResult<web::Json<Page<Certificate>>> {
    require_role(&actor, READERS)?;
    let query = query.into_inner();
    let page = page_request(query.limit, query.cursor)?;
    Ok(web::Json(
        store.list_certificates(&actor, query.status, &page).await?,
    ))
}

/// Get a certificate
#[utoipa::path(
    get,
    path = "/api/v1/certificates/{id}",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The certificate")),
    responses(
        (status = 200, description = "The certificate with its balance, reserved and spent money",
            body = Certificate),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_certificate(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Certificate>> {
    require_role(&actor, READERS)?;
    Ok(web::Json(
        store.get_certificate(&actor, id.into_inner()).await?,
    ))
}

/// Get a certificate's history
///
/// Every status change (who, when, why) and every movement of its money: nominal credits,
/// reservations, releases and write-offs.
#[utoipa::path(
    get,
    path = "/api/v1/certificates/{id}/history",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The certificate")),
    responses(
        (status = 200, description = "The certificate, its events and its ledger entries",
            body = CertificateHistory),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_certificate_history(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<CertificateHistory>> {
    require_role(&actor, READERS)?;
    Ok(web::Json(
        store.certificate_history(&actor, id.into_inner()).await?,
    ))
}

/// Activate a certificate
///
/// The operator has checked the family's documents in person: a `pending` certificate becomes a
/// certificate of personal accounting (`accounting`).
#[utoipa::path(
    post,
    path = "/api/v1/certificates/{id}/activate",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The certificate"), IdempotencyKey),
    request_body = CertificateDecision,
    responses(
        (status = 200, description = "The activated certificate", body = Certificate),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`certificate_transition_not_allowed`: the certificate is \
            not pending", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` empty or too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn activate_certificate(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<CertificateDecision>,
) -> ApiResult<web::Json<Certificate>> {
    require_role(&actor, &[Role::MunicipalOperator, Role::RegionalOperator])?;
    let decision = validated(body)?;
    Ok(web::Json(
        store
            .activate_certificate(&actor, id.into_inner(), &decision.reason, Utc::now())
            .await?,
    ))
}

/// Suspend a certificate
///
/// The operator stops the certificate from being used for new applications (and their
/// acceptance) until it is resumed; the reason goes into its history.
#[utoipa::path(
    post,
    path = "/api/v1/certificates/{id}/suspend",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The certificate")),
    request_body = CertificateDecision,
    responses(
        (status = 200, description = "The suspended certificate", body = Certificate),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`certificate_transition_not_allowed`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` empty or too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn suspend_certificate(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<CertificateDecision>,
) -> ApiResult<web::Json<Certificate>> {
    change_status(store, actor, id, body, CertificateAction::Suspend).await
}

/// Resume a certificate
///
/// Back to financing if it was financed, otherwise to accounting.
#[utoipa::path(
    post,
    path = "/api/v1/certificates/{id}/resume",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The certificate")),
    request_body = CertificateDecision,
    responses(
        (status = 200, description = "The resumed certificate", body = Certificate),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`certificate_transition_not_allowed`: it is not suspended",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` empty or too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn resume_certificate(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<CertificateDecision>,
) -> ApiResult<web::Json<Certificate>> {
    change_status(store, actor, id, body, CertificateAction::Resume).await
}

/// Close a certificate
///
/// On the family's request or by the operator. The child's enrollments end (what is reserved
/// returns at once, invoices already issued stay payable) and what is left on the certificate
/// returns to the period's fund: certificate money is never paid out. Final.
#[utoipa::path(
    post,
    path = "/api/v1/certificates/{id}/close",
    tag = "certificates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The certificate"), IdempotencyKey),
    request_body = CertificateDecision,
    responses(
        (status = 200, description = "The closed certificate", body = Certificate),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`certificate_transition_not_allowed`: it is closed already",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` empty or too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn close_certificate(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<CertificateDecision>,
) -> ApiResult<web::Json<Certificate>> {
    change_status(store, actor, id, body, CertificateAction::Close).await
}

async fn change_status(
    store: web::Data<dyn Store>,
    actor: navigator_store::Actor,
    id: web::Path<Uuid>,
    body: web::Json<CertificateDecision>,
    action: CertificateAction,
) -> ApiResult<web::Json<Certificate>> {
    let allowed: &[Role] = match action {
        CertificateAction::Close => READERS,
        CertificateAction::Suspend | CertificateAction::Resume => {
            &[Role::MunicipalOperator, Role::RegionalOperator]
        }
    };
    require_role(&actor, allowed)?;
    let decision = validated(body)?;
    Ok(web::Json(
        store
            .change_certificate_status(
                &actor,
                id.into_inner(),
                action,
                &decision.reason,
                Utc::now(),
            )
            .await?,
    ))
}
