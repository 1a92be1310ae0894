//! `/invoices`: a provider's monthly invoices per enrollment and the operator's decisions on them.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use navigator_api_types::{
    CreateInvoiceRequest, Invoice, InvoiceStatus, Month, Page, Problem, RejectRequest, Role,
};
use navigator_store::{InvoiceFilter, Store};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{page_request, require_role, validated, ApiResult};
use crate::auth::CurrentActor;
use crate::idempotency::IdempotencyKey;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

const DECIDERS: &[Role] = &[Role::MunicipalOperator, Role::RegionalOperator];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceQuery {
    pub status: Option<InvoiceStatus>,
    pub application_id: Option<Uuid>,
    /// The month invoiced, `YYYY-MM`.
    #[param(example = "2026-09")]
    pub month: Option<Month>,
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List invoices
///
/// Provider staff see their provider's invoices, a municipal operator those of its municipality,
/// the regional operator all.
#[utoipa::path(
    get,
    path = "/api/v1/invoices",
    tag = "invoices",
    security(("bearer" = [])),
    params(InvoiceQuery),
    responses(
        (status = 200, description = "A page of invoices", body = Page<Invoice>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 or a bad \
            `cursor`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_invoices(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    query: web::Query<InvoiceQuery>,
) -> ApiResult<web::Json<Page<Invoice>>> {
    require_role(
        &actor,
        &[
            Role::ProviderStaff,
            Role::MunicipalOperator,
            Role::RegionalOperator,
        ],
    )?;
    let query = query.into_inner();
    let page = page_request(query.limit, query.cursor)?;
    let filter = InvoiceFilter {
        status: query.status,
        application_id: query.application_id,
        month: query.month,
    };
    Ok(web::Json(
        store.list_invoices(&actor, &filter, &page).await?,
    ))
}

/// Invoice a month of an enrollment
///
/// The provider invoices one month it delivered, once, after the month has ended. The invoice
/// shows the certificate's share (written off on approval) and the family's co-payment. A month
/// with no lesson attended needs `no_attendance_reason`.
#[utoipa::path(
    post,
    path = "/api/v1/invoices",
    tag = "invoices",
    security(("bearer" = [])),
    params(IdempotencyKey),
    request_body = CreateInvoiceRequest,
    responses(
        (status = 201, description = "The issued invoice", body = Invoice),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`month_already_invoiced`",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`month_outside_contract`, `month_not_ended`, \
            `no_attendance_reason_required`; `validation_failed`: `no_attendance_reason` empty \
            or too long", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_invoice(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    body: web::Json<CreateInvoiceRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, &[Role::ProviderStaff])?;
    let request = validated(body)?;
    let invoice = store.create_invoice(&actor, &request, Utc::now()).await?;
    Ok(HttpResponse::Created().json(invoice))
}

/// Approve an invoice
///
/// The municipal operator approves: the certificate's share of the month is written off from the
/// reservation to the provider, and the family's share is recorded as owed.
#[utoipa::path(
    post,
    path = "/api/v1/invoices/{id}/approve",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice"), IdempotencyKey),
    responses(
        (status = 200, description = "The approved invoice", body = Invoice),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`invoice_transition_not_allowed`: already decided",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn approve_invoice(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Invoice>> {
    require_role(&actor, DECIDERS)?;
    Ok(web::Json(
        store
            .approve_invoice(&actor, id.into_inner(), Utc::now())
            .await?,
    ))
}

/// Reject an invoice
///
/// The operator refuses the invoice, with the reason; nothing is written off.
#[utoipa::path(
    post,
    path = "/api/v1/invoices/{id}/reject",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice"), IdempotencyKey),
    request_body = RejectRequest,
    responses(
        (status = 200, description = "The rejected invoice", body = Invoice),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`invoice_transition_not_allowed`: already decided",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` empty or too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reject_invoice(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<RejectRequest>,
) -> ApiResult<web::Json<Invoice>> {
    require_role(&actor, DECIDERS)?;
    let request = validated(body)?;
    Ok(web::Json(
        store
            .reject_invoice(&actor, id.into_inner(), &request.reason, Utc::now())
            .await?,
    ))
}
