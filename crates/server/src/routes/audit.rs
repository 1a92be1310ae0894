//! `/audit-events`: the operators' audit log of money movements and decisions.

use actix_web::web;
use chrono::{NaiveDate, TimeZone, Utc};
use navigator_api_types::{AuditAction, AuditEvent, AuditObjectKind, Page, Problem, Role};
use navigator_store::{AuditFilter, Store};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{page_request, require_role, ApiResult};
use crate::auth::CurrentActor;
use crate::error::ApiError;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The regional operator's choice of municipality. A municipal operator sees its own
    /// municipality whether or not it names it; naming another one is answered `404`.
    pub municipality_id: Option<Uuid>,
    /// Only events about this kind of object.
    pub object_kind: Option<AuditObjectKind>,
    /// Only events about this object (with `object_kind`, of that kind).
    pub object_id: Option<Uuid>,
    /// Only what this user did.
    pub actor_id: Option<Uuid>,
    /// Only this action.
    pub action: Option<AuditAction>,
    /// The first day (UTC), inclusive.
    pub from: Option<NaiveDate>,
    /// The last day (UTC), inclusive.
    pub to: Option<NaiveDate>,
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn start_of(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN))
}

/// List the audit log
///
/// Every money movement (each posting of the ledger: `funding`, `defunding`, `credit`,
/// `reservation`, `write_off`, `release`, `expiry`, `co_payment`, with its `amount`) and every
/// decision on certificates, programs, periods, providers, reviews and invoices, newest first:
/// when, who (`actor_id` and `actor_role`; `null` for the navigator's own batch work), what (a
/// stable `action`), about which object, in which municipality, and the reason recorded with it.
/// An invoice's decision carries the certificate's share as `amount`; the money it moved
/// appears as its own postings. Items hold ids only, never names or documents of people.
///
/// For operators only: a municipal operator sees its municipality, the regional operator all
/// of them (or one, with `municipality_id`). Families and providers are refused with `403`.
#[utoipa::path(
    get,
    path = "/api/v1/audit-events",
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of the audit log, newest first",
            body = Page<AuditEvent>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100, a bad \
            `cursor`, or `to` before `from`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn list_audit_events(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    query: web::Query<AuditQuery>,
) -> ApiResult<web::Json<Page<AuditEvent>>> {
    require_role(&actor, &[Role::MunicipalOperator, Role::RegionalOperator])?;
    let query = query.into_inner();
    let page = page_request(query.limit, query.cursor)?;
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if to < from {
            return Err(ApiError::invalid_field(
                "to",
                "range",
                "the last day comes on or after the first",
            ));
        }
    }
    let filter = AuditFilter {
        municipality_id: query.municipality_id,
        object_kind: query.object_kind,
        object_id: query.object_id,
        actor_id: query.actor_id,
        action: query.action,
        from: query.from.map(start_of),
        until: query.to.and_then(|to| to.succ_opt()).map(start_of),
    };
    Ok(web::Json(store.audit_events(&actor, &filter, &page).await?))
}
