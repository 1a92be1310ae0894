//! Quotes, applications (заявки) through their lifecycle, and attendance.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use navigator_api_types::{
    Application, ApplicationStatus, Attendance, AttendanceMark, CreateApplicationRequest,
    EndReason, EndRequest, Page, Problem, Quote, QuoteRequest, RejectRequest, Role,
};
use navigator_store::{ApplicationFilter, Store};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use validator::Validate;

use super::{page_request, require_role, validated, ApiResult};
use crate::auth::CurrentActor;
use crate::error::ApiError;
use crate::idempotency::IdempotencyKey;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

/// Quote the co-payment
///
/// How the cost of the group's months left in the period would split between the certificate and
/// the family, if the child applied today: the certificate pays min(balance, cost), the family
/// the rest. Changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/quotes",
    tag = "applications",
    security(("bearer" = [])),
    request_body = QuoteRequest,
    responses(
        (status = 200, description = "The split, month by month", body = Quote),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "The child could not apply: `certificate_not_usable`, \
            `certificate_expired`, `no_open_period`, `program_not_published`, `age_mismatch`, \
            `other_municipality`, `nothing_to_reserve`, …",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_quote(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    body: web::Json<QuoteRequest>,
) -> ApiResult<web::Json<Quote>> {
    require_role(&actor, &[Role::Family])?;
    let request = body.into_inner();
    let today = Utc::now().date_naive();
    Ok(web::Json(
        store
            .quote(&actor, request.child_id, request.group_id, today)
            .await?,
    ))
}

/// Apply to a group
///
/// Files the child's application after every check. For a program payable by certificate, a
/// certificate of personal accounting switches to financing here and is credited the nominal
/// prorated to the months left in the period, unless the municipality's quota or budget is used
/// up. Money is reserved when the provider accepts.
///
/// A family applies for its own child. Provider staff (for their own groups) or an operator (for
/// their municipality) file for a family with its consent: `on_behalf.consent` says how it was
/// given (`in_person` or `written`), on what document and when; it is stored with the
/// application and the family is notified.
#[utoipa::path(
    post,
    path = "/api/v1/applications",
    tag = "applications",
    security(("bearer" = [])),
    params(IdempotencyKey),
    request_body = CreateApplicationRequest,
    responses(
        (status = 201, description = "The submitted application", body = Application),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`already_enrolled`: the child has an application to the \
            group; `no_seats`: the group is full (queue in its waitlist instead)",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule says no: `enrollment_closed`, `test_mode`, \
            `quota_exhausted`, `budget_exhausted`, `no_open_period`, `program_not_published`, \
            `group_not_open`, `age_mismatch`, `other_municipality`, `certificate_not_usable`, \
            `certificate_expired`, `nothing_to_reserve`, `consent_invalid` (given in the \
            future); `validation_failed` for a malformed consent",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_application(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    body: web::Json<CreateApplicationRequest>,
) -> ApiResult<HttpResponse> {
    let request = body.into_inner();
    let application = match &request.on_behalf {
        None => {
            require_role(&actor, &[Role::Family])?;
            store
                .apply(&actor, request.child_id, request.group_id, Utc::now())
                .await?
        }
        Some(on_behalf) => {
            require_role(
                &actor,
                &[
                    Role::ProviderStaff,
                    Role::MunicipalOperator,
                    Role::RegionalOperator,
                ],
            )?;
            on_behalf.validate()?;
            store
                .apply_on_behalf(
                    &actor,
                    request.child_id,
                    request.group_id,
                    &on_behalf.consent,
                    Utc::now(),
                )
                .await?
        }
    };
    Ok(HttpResponse::Created().json(application))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    pub status: Option<ApplicationStatus>,
    pub child_id: Option<Uuid>,
    pub group_id: Option<Uuid>,
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List applications
///
/// A family sees its children's applications, provider staff those to their provider's groups,
/// a municipal operator those of its municipality, the regional operator all.
#[utoipa::path(
    get,
    path = "/api/v1/applications",
    tag = "applications",
    security(("bearer" = [])),
    params(ApplicationQuery),
    responses(
        (status = 200, description = "A page of applications", body = Page<Application>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 or a bad \
            `cursor`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_applications(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    query: web::Query<ApplicationQuery>,
) -> ApiResult<web::Json<Page<Application>>> {
    let query = query.into_inner();
    let page = page_request(query.limit, query.cursor)?;
    let filter = ApplicationFilter {
        status: query.status,
        child_id: query.child_id,
        group_id: query.group_id,
    };
    Ok(web::Json(
        store.list_applications(&actor, &filter, &page).await?,
    ))
}

/// Get an application
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application")),
    responses(
        (status = 200, description = "The application with its contract and money",
            body = Application),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_application(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Application>> {
    Ok(web::Json(
        store.get_application(&actor, id.into_inner()).await?,
    ))
}

/// Accept an application
///
/// The provider accepts: the contract is formed, a seat is taken, and the certificate's share of
/// the months left in the period is reserved month by month; the family's share is recorded as its
/// co-payment.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/accept",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application"), IdempotencyKey),
    responses(
        (status = 200, description = "The accepted application", body = Application),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`application_transition_not_allowed`: not submitted; \
            `no_seats`: the group filled up", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`insufficient_balance`, `certificate_not_usable`, \
            `nothing_to_reserve`, …", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn accept_application(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Application>> {
    require_role(&actor, &[Role::ProviderStaff])?;
    Ok(web::Json(
        store
            .accept_application(&actor, id.into_inner(), Utc::now())
            .await?,
    ))
}

/// Reject an application
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/reject",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application"), IdempotencyKey),
    request_body = RejectRequest,
    responses(
        (status = 200, description = "The rejected application", body = Application),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`application_transition_not_allowed`: not submitted",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason` empty or too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reject_application(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<RejectRequest>,
) -> ApiResult<web::Json<Application>> {
    require_role(&actor, &[Role::ProviderStaff])?;
    let request = validated(body)?;
    Ok(web::Json(
        store
            .reject_application(&actor, id.into_inner(), &request.reason, Utc::now())
            .await?,
    ))
}

/// Withdraw an application
///
/// The family takes back an application the provider has not decided on yet.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/withdraw",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application"), IdempotencyKey),
    responses(
        (status = 200, description = "The withdrawn application", body = Application),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`application_transition_not_allowed`: not submitted",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn withdraw_application(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Application>> {
    require_role(&actor, &[Role::Family])?;
    Ok(web::Json(
        store
            .withdraw_application(&actor, id.into_inner(), Utc::now())
            .await?,
    ))
}

/// End an enrollment early
///
/// The family (`family_request`) or the provider (`provider_decision`) ends an accepted
/// enrollment. The seat frees, and what was reserved and not yet written off returns to the
/// certificate at once.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/end",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application"), IdempotencyKey),
    request_body = EndRequest,
    responses(
        (status = 200, description = "The ended enrollment", body = Application),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`application_transition_not_allowed`: not accepted",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `end_reason` not the actor's \
            (`end_reason_not_allowed`) or `comment` too long",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn end_enrollment(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<EndRequest>,
) -> ApiResult<web::Json<Application>> {
    let allowed_reason = match actor.role {
        Role::Family => EndReason::FamilyRequest,
        Role::ProviderStaff => EndReason::ProviderDecision,
        Role::MunicipalOperator | Role::RegionalOperator => {
            return Err(ApiError::forbidden(
                "only the family or the provider ends an enrollment",
            ))
        }
    };
    let request = validated(body)?;
    if request.end_reason != allowed_reason {
        return Err(ApiError::invalid_field(
            "end_reason",
            "end_reason_not_allowed",
            format!(
                "a {} ends an enrollment with {}",
                actor.role.as_str(),
                allowed_reason.as_str()
            ),
        ));
    }
    Ok(web::Json(
        store
            .end_enrollment(
                &actor,
                id.into_inner(),
                request.end_reason,
                request.comment.as_deref(),
                Utc::now(),
            )
            .await?,
    ))
}

/// List an enrollment's attendance
///
/// For everyone who sees the application: the family, the provider, the operators.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}/attendance",
    tag = "attendance",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application")),
    responses(
        (status = 200, description = "The marked lessons, by date", body = Vec<Attendance>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    ),
)]
pub async fn list_attendance(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<Attendance>>> {
    Ok(web::Json(
        store.list_attendance(&actor, id.into_inner()).await?,
    ))
}

/// Mark attendance of a lesson
///
/// The provider marks whether the child attended the lesson of a date.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/attendance",
    tag = "attendance",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application")),
    request_body = AttendanceMark,
    responses(
        (status = 200, description = "The mark", body = Attendance),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`attendance_not_allowed`: the enrollment is not active; \
            `lesson_outside_group`: the date is outside the group's dates",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn mark_attendance(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<AttendanceMark>,
) -> ApiResult<web::Json<Attendance>> {
    require_role(&actor, &[Role::ProviderStaff])?;
    Ok(web::Json(
        store
            .mark_attendance(&actor, id.into_inner(), &body, Utc::now())
            .await?,
    ))
}
