//! The waitlist (лист ожидания) of full groups: families queue, take or decline the offers of
//! freed seats; providers and operators see the queue.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use navigator_api_types::{
    Application, GroupWaitlist, JoinWaitlistRequest, Page, Problem, Role, WaitlistEntry,
};
use navigator_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{page_request, require_role, ApiResult};
use crate::auth::CurrentActor;
use crate::idempotency::IdempotencyKey;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

/// Queue for a full group
///
/// A family queues its child for a group with no seat left. The checks are those of applying
/// (certificate usable, enrollment open, age, not already applied), except that the group must be
/// full. When a seat frees, the first in line gets an offer that holds the seat for a set time
/// (48 hours unless the navigator is set otherwise), with a notification.
#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/waitlist",
    tag = "waitlist",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The group")),
    request_body = JoinWaitlistRequest,
    responses(
        (status = 201, description = "The child's place in line", body = WaitlistEntry),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`seats_available`: the group has a free seat, apply \
            instead; `already_queued`: the child is in this waitlist; `already_enrolled`: the \
            child has an application to the group",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule of applying says no: `no_certificate`, \
            `certificate_not_usable`, `certificate_expired`, `enrollment_closed`, `test_mode`, \
            `no_open_period`, `program_not_published`, `group_not_open`, `age_mismatch`, \
            `other_municipality`",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn join_waitlist(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<JoinWaitlistRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, &[Role::Family])?;
    let entry = store
        .join_waitlist(&actor, id.into_inner(), body.child_id, Utc::now())
        .await?;
    Ok(HttpResponse::Created().json(entry))
}

/// A group's waitlist
///
/// The live entries of the group's queue in order (offers first, then those waiting), with the
/// seats left and those held by offers; for the provider's staff and the operators.
#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}/waitlist",
    tag = "waitlist",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The group")),
    responses(
        (status = 200, description = "The queue", body = GroupWaitlist),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_group_waitlist(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<GroupWaitlist>> {
    require_role(
        &actor,
        &[
            Role::ProviderStaff,
            Role::MunicipalOperator,
            Role::RegionalOperator,
        ],
    )?;
    Ok(web::Json(
        store.group_waitlist(&actor, id.into_inner()).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WaitlistQuery {
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The family's waitlist entries
///
/// Newest first, with each live entry's place in line and any open offer.
#[utoipa::path(
    get,
    path = "/api/v1/waitlist",
    tag = "waitlist",
    security(("bearer" = [])),
    params(WaitlistQuery),
    responses(
        (status = 200, description = "A page of entries", body = Page<WaitlistEntry>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 or a bad \
            `cursor`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_waitlist(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    query: web::Query<WaitlistQuery>,
) -> ApiResult<web::Json<Page<WaitlistEntry>>> {
    require_role(&actor, &[Role::Family])?;
    let query = query.into_inner();
    let page = page_request(query.limit, query.cursor)?;
    Ok(web::Json(store.family_waitlist(&actor, &page).await?))
}

/// Leave the waitlist
///
/// The family takes its child out of the queue; a seat held by an open offer passes to the next
/// in line.
#[utoipa::path(
    post,
    path = "/api/v1/waitlist/{id}/leave",
    tag = "waitlist",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The waitlist entry")),
    responses(
        (status = 200, description = "The entry, left", body = WaitlistEntry),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`waitlist_transition_not_allowed`: the entry has ended",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn leave_waitlist(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<WaitlistEntry>> {
    require_role(&actor, &[Role::Family])?;
    Ok(web::Json(
        store
            .leave_waitlist(&actor, id.into_inner(), Utc::now())
            .await?,
    ))
}

/// Take an offer
///
/// Files the child's application on the seat the offer holds, after the checks of applying; the
/// seat stays held for the application until the provider decides. An offer past its time cannot
/// be taken, even before the sweep has passed it on.
#[utoipa::path(
    post,
    path = "/api/v1/waitlist/{id}/accept",
    tag = "waitlist",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The waitlist entry"), IdempotencyKey),
    responses(
        (status = 201, description = "The submitted application", body = Application),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`offer_expired`: the offer's time is over; \
            `waitlist_transition_not_allowed`: no open offer on the entry; `already_enrolled`",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule of applying says no: `certificate_not_usable`, \
            `certificate_expired`, `enrollment_closed`, `quota_exhausted`, `budget_exhausted`, \
            `group_not_open`, `age_mismatch`, `nothing_to_reserve`, …",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn accept_offer(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, &[Role::Family])?;
    let application = store
        .accept_offer(&actor, id.into_inner(), Utc::now())
        .await?;
    Ok(HttpResponse::Created().json(application))
}

/// Decline an offer
///
/// The family gives the held seat up; it passes to the next in line.
#[utoipa::path(
    post,
    path = "/api/v1/waitlist/{id}/decline",
    tag = "waitlist",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The waitlist entry")),
    responses(
        (status = 200, description = "The entry, declined", body = WaitlistEntry),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`waitlist_transition_not_allowed`: no open offer on the \
            entry", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn decline_offer(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<WaitlistEntry>> {
    require_role(&actor, &[Role::Family])?;
    Ok(web::Json(
        store
            .decline_offer(&actor, id.into_inner(), Utc::now())
            .await?,
    ))
}
