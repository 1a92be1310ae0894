//! The registry of programs as providers and operators keep it: drafts, edits with `If-Match`,
//! moderation, publication with the funding decision, archiving, groups.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use navigator_api_types::{
    Group, GroupDraft, Page, Problem, Program, ProgramDecision, ProgramDraft, ProgramEvent,
    ProgramStatus, ProgramSummary, PublishRequest, Role,
};
use navigator_store::{
    Actor, NewGroup, NewProgram, PageRequest, ProgramAction, ProgramFilter, Store,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{etag, if_match, page_request, require_role, validated, ApiResult};
use crate::auth::CurrentActor;
use crate::error::ApiError;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

const KEEPERS: &[Role] = &[
    Role::ProviderStaff,
    Role::MunicipalOperator,
    Role::RegionalOperator,
];
const OPERATORS: &[Role] = &[Role::MunicipalOperator, Role::RegionalOperator];

fn with_etag(status: actix_web::http::StatusCode, program: Program) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(program.version)))
        .json(program)
}

fn checked_draft(body: web::Json<ProgramDraft>) -> ApiResult<ProgramDraft> {
    let draft = validated(body)?;
    if draft.price_per_month.is_negative() {
        return Err(ApiError::invalid_field(
            "price_per_month",
            "range",
            "must not be negative",
        ));
    }
    // The ranges are the validator's; a point needs both of its coordinates.
    if draft.latitude.is_some() != draft.longitude.is_some() {
        let missing = if draft.latitude.is_none() {
            "latitude"
        } else {
            "longitude"
        };
        return Err(ApiError::invalid_field(
            missing,
            "required",
            "latitude and longitude come together",
        ));
    }
    Ok(draft)
}

/// Whether the actor keeps this provider's registry entries: its staff, its municipality's
/// operator, the regional operator. Others get `404`.
async fn require_keeper(store: &dyn Store, actor: &Actor, provider_id: Uuid) -> ApiResult<()> {
    require_role(actor, KEEPERS)?;
    let provider = store.get_provider(provider_id).await?;
    let keeps = match actor.role {
        Role::ProviderStaff => actor.provider_id == Some(provider.id),
        Role::MunicipalOperator => actor.municipality_id == Some(provider.municipality_id),
        Role::RegionalOperator => true,
        Role::Family => false,
    };
    if keeps {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// Write a program
///
/// A new program of the provider, as a draft: not in the catalog until an operator publishes it.
#[utoipa::path(
    post,
    path = "/api/v1/providers/{id}/programs",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The provider")),
    request_body = ProgramDraft,
    responses(
        (status = 201, description = "The draft, with its `ETag`", body = Program),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: lengths, ages, price",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_program(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<ProgramDraft>,
) -> ApiResult<HttpResponse> {
    let provider_id = id.into_inner();
    require_keeper(store.as_ref(), &actor, provider_id).await?;
    let draft = checked_draft(body)?;
    let program = store
        .create_program(
            &actor,
            NewProgram::from_draft(provider_id, draft, ProgramStatus::Draft),
        )
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::CREATED, program))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProviderProgramsQuery {
    /// Only programs in this status.
    pub status: Option<ProgramStatus>,
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// List a provider's programs
///
/// Every program of the provider, drafts and archived ones included, for its staff and
/// operators.
#[utoipa::path(
    get,
    path = "/api/v1/providers/{id}/programs",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The provider"), ProviderProgramsQuery),
    responses(
        (status = 200, description = "A page of the provider's programs", body = Page<ProgramSummary>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 or a bad \
            `cursor`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_provider_programs(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    query: web::Query<ProviderProgramsQuery>,
) -> ApiResult<web::Json<Page<ProgramSummary>>> {
    let provider_id = id.into_inner();
    require_keeper(store.as_ref(), &actor, provider_id).await?;
    let query = query.into_inner();
    let page: PageRequest = page_request(query.limit, query.cursor)?;
    let filter = ProgramFilter {
        provider_id: Some(provider_id),
        any_status: true,
        status: query.status,
        ..ProgramFilter::default()
    };
    let programs = store.search_programs(&filter, &page).await?;
    Ok(web::Json(programs))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistryProgramsQuery {
    /// Only programs in this status: `on_moderation` is the moderation queue.
    pub status: Option<ProgramStatus>,
    /// Only programs of this municipality. A municipal operator's list never leaves its own:
    /// another municipality's id gives an empty page.
    pub municipality_id: Option<Uuid>,
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List the registry's programs
///
/// The programs of every provider, in every status, for operators: the whole region for the
/// regional operator, its own municipality for a municipal operator (the programs it may
/// publish and return). `status=on_moderation` is the moderation queue. In the order the
/// programs entered their current status, the longest waiting first.
///
/// A resource of its own, apart from the catalog's `GET /programs`: the catalog is public and
/// lists published programs only, while this list needs an operator's token and shows drafts
/// and programs on moderation. A provider's own programs are `GET /providers/{id}/programs`.
#[utoipa::path(
    get,
    path = "/api/v1/registry/programs",
    tag = "programs",
    security(("bearer" = [])),
    params(RegistryProgramsQuery),
    responses(
        (status = 200, description = "A page of programs, the longest waiting first",
            body = Page<ProgramSummary>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 or a bad \
            `cursor`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_registry_programs(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    query: web::Query<RegistryProgramsQuery>,
) -> ApiResult<web::Json<Page<ProgramSummary>>> {
    require_role(&actor, OPERATORS)?;
    let query = query.into_inner();
    let page: PageRequest = page_request(query.limit, query.cursor)?;
    let programs = store
        .list_registry_programs(&actor, query.status, query.municipality_id, &page)
        .await?;
    Ok(web::Json(programs))
}

/// Edit a draft program
///
/// Replaces the draft's terms. `If-Match` must carry the `ETag` read last: a stale one is
/// refused with `412` and nothing changes.
#[utoipa::path(
    put,
    path = "/api/v1/programs/{id}",
    tag = "programs",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The program"),
        ("If-Match" = String, Header, description = "The program's `ETag`, e.g. `\"v3\"`"),
    ),
    request_body = ProgramDraft,
    responses(
        (status = 200, description = "The program, with its new `ETag`", body = Program),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`program_not_editable`: only drafts are edited",
            body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: the program changed since it was \
            read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem,
            content_type = "application/problem+json"),
        (status = 428, description = "`precondition_required`: no `If-Match`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn update_program(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    request: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<ProgramDraft>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, KEEPERS)?;
    let version = if_match(&request)?;
    let draft = checked_draft(body)?;
    let id = id.into_inner();
    let current = store.get_program(Some(&actor), id).await?;
    let program = store
        .update_program(
            &actor,
            id,
            NewProgram::from_draft(current.provider_id, draft, ProgramStatus::Draft),
            version,
            Utc::now(),
        )
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, program))
}

async fn decide(
    store: web::Data<dyn Store>,
    actor: Actor,
    id: Uuid,
    action: ProgramAction,
    funding: Option<navigator_api_types::Funding>,
    reason: &str,
) -> ApiResult<HttpResponse> {
    let program = store
        .change_program_status(&actor, id, action, funding, reason, Utc::now())
        .await?;
    Ok(with_etag(actix_web::http::StatusCode::OK, program))
}

/// Send a draft to moderation
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/submit",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The program")),
    request_body = ProgramDecision,
    responses(
        (status = 200, description = "The program, on moderation", body = Program),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`program_transition_not_allowed`: not a draft",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn submit_program(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<ProgramDecision>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, KEEPERS)?;
    let d = validated(body)?;
    decide(
        store,
        actor,
        id.into_inner(),
        ProgramAction::Submit,
        None,
        &d.reason,
    )
    .await
}

/// Publish a program
///
/// The operator checked the program: it enters the catalog, certified (payable by certificate)
/// or budget-funded (free, its price set to zero).
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/publish",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The program")),
    request_body = PublishRequest,
    responses(
        (status = 200, description = "The published program", body = Program),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`program_transition_not_allowed`: not on moderation",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn publish_program(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<PublishRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, OPERATORS)?;
    let d = validated(body)?;
    let id = id.into_inner();
    decide(
        store,
        actor,
        id,
        ProgramAction::Publish,
        Some(d.funding),
        &d.reason,
    )
    .await
}

/// Return a program to its provider
///
/// With the operator's remarks, shown on the draft.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/return",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The program")),
    request_body = ProgramDecision,
    responses(
        (status = 200, description = "The program, a draft again with remarks", body = Program),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`program_transition_not_allowed`: not on moderation",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn return_program(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<ProgramDecision>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, OPERATORS)?;
    let d = validated(body)?;
    decide(
        store,
        actor,
        id.into_inner(),
        ProgramAction::Return,
        None,
        &d.reason,
    )
    .await
}

/// Archive a program
///
/// Out of the catalog for good; its groups close to new applications. Enrollments already
/// accepted run on.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/archive",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The program")),
    request_body = ProgramDecision,
    responses(
        (status = 200, description = "The archived program", body = Program),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`program_transition_not_allowed`: archived already",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `reason`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn archive_program(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<ProgramDecision>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, KEEPERS)?;
    let d = validated(body)?;
    decide(
        store,
        actor,
        id.into_inner(),
        ProgramAction::Archive,
        None,
        &d.reason,
    )
    .await
}

/// A program's history
///
/// Every decision on the program: who (by role), when, from which status to which, and why.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{id}/events",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The program")),
    responses(
        (status = 200, description = "The decisions, oldest first", body = Vec<ProgramEvent>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn list_program_events(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<ProgramEvent>>> {
    require_role(&actor, KEEPERS)?;
    Ok(web::Json(
        store.program_events(&actor, id.into_inner()).await?,
    ))
}

/// Open a group
///
/// A new cohort of the program with its dates, weekly schedule, teacher and seats.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/groups",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The program")),
    request_body = GroupDraft,
    responses(
        (status = 201, description = "The group, with its `ETag`", body = Group),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: lengths, capacity, dates out of order",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_group(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<GroupDraft>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, KEEPERS)?;
    let g = validated(body)?;
    let group = store
        .create_group(
            &actor,
            NewGroup {
                program_id: id.into_inner(),
                name: g.name,
                start_date: g.start_date,
                end_date: g.end_date,
                schedule: g.schedule,
                teacher: g.teacher,
                capacity: g.capacity,
                open: g.open,
            },
        )
        .await?;
    Ok(group_with_etag(actix_web::http::StatusCode::CREATED, group))
}

fn group_with_etag(status: actix_web::http::StatusCode, group: Group) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(group.version)))
        .json(group)
}

/// Read a group
///
/// The group with its `ETag`, for its provider's staff and the operators who keep its program
/// (its municipality's, the regional one); others get `404`. Families and guests read groups in
/// `GET /programs/{id}`. The price is the program's (`price_per_month` of the program): every
/// group of a program costs the same, so a group carries no price of its own.
#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}",
    tag = "programs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The group")),
    responses(
        (status = 200, description = "The group, with its `ETag`", body = Group),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_group(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, KEEPERS)?;
    let group = store.get_group(&actor, id.into_inner()).await?;
    Ok(group_with_etag(actix_web::http::StatusCode::OK, group))
}

/// Edit a group
///
/// Replaces the group's name, dates, weekly schedule, teacher, capacity and openness. `If-Match`
/// must carry the `ETag` read last: a stale one is refused with `412` and nothing changes.
///
/// - The capacity never goes below the seats taken, which count the accepted enrollments and the
///   seats held by waitlist offers: `422 validation_failed` with
///   `capacity_below_seats_taken` on `capacity`.
/// - The dates are part of every accepted enrollment's contract (its months, reservation and
///   invoices), so they cannot change once the group has had an accepted enrollment
///   (active, completed or expelled): `409 group_dates_locked`; open a new group for other dates.
///   Name, schedule, teacher, capacity and openness may change at any time.
/// - Seats freed by a larger capacity or by reopening the group go to its waitlist first, in
///   the same transaction: each is offered to the next in line and held for the offer's time.
/// - The groups of an archived program are closed for good: `409 group_not_editable`.
/// - The price stays the program's.
#[utoipa::path(
    put,
    path = "/api/v1/groups/{id}",
    tag = "programs",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The group"),
        ("If-Match" = String, Header, description = "The group's `ETag`, e.g. `\"v3\"`"),
    ),
    request_body = GroupDraft,
    responses(
        (status = 200, description = "The group, with its new `ETag`", body = Group),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`group_dates_locked`: the dates are in accepted \
            enrollments' contracts; `group_not_editable`: the program is archived",
            body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: the group changed since it was \
            read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: lengths, capacity (`range`, \
            `capacity_below_seats_taken`), dates out of order (`invalid_group`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 428, description = "`precondition_required`: no `If-Match`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn update_group(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    request: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<GroupDraft>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, KEEPERS)?;
    let version = if_match(&request)?;
    let g = validated(body)?;
    let id = id.into_inner();
    let group = store
        .update_group(
            &actor,
            id,
            NewGroup {
                program_id: Uuid::nil(),
                name: g.name,
                start_date: g.start_date,
                end_date: g.end_date,
                schedule: g.schedule,
                teacher: g.teacher,
                capacity: g.capacity,
                open: g.open,
            },
            version,
            Utc::now(),
        )
        .await?;
    Ok(group_with_etag(actix_web::http::StatusCode::OK, group))
}
