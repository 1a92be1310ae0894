//! The public catalog: municipalities with their financing periods, programs.

use actix_web::http::StatusCode;
use actix_web::web;
use navigator_api_types::{
    Direction, FinancingPeriod, Funding, Level, Money, Municipality, Page, Problem, Program,
    ProgramFacets, ProgramSort, ProgramSummary, StudyForm,
};
use navigator_store::{Point, ProgramFilter, Store};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{page_request, ApiResult};
use crate::auth::OptionalActor;
use crate::error::ApiError;
use crate::openapi::{MalformedRequest, NotFound, Unauthorized};

/// The longest free-text query accepted.
const MAX_QUERY_CHARS: usize = 200;

/// List municipalities
#[utoipa::path(
    get,
    path = "/api/v1/municipalities",
    tag = "municipalities",
    responses((status = 200, description = "Every municipality, by name", body = Vec<Municipality>)),
)]
pub async fn list_municipalities(
    store: web::Data<dyn Store>,
) -> ApiResult<web::Json<Vec<Municipality>>> {
    Ok(web::Json(store.list_municipalities().await?))
}

/// List a municipality's financing periods
///
/// The parameters the municipality set for each period: nominal, quota, budget, enrollment
/// window, test mode, and how much of the quota and budget is used.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{id}/periods",
    tag = "municipalities",
    params(("id" = Uuid, Path, description = "The municipality")),
    responses(
        (status = 200, description = "The periods, earliest first", body = Vec<FinancingPeriod>),
        (status = 400, response = MalformedRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn list_periods(
    store: web::Data<dyn Store>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<FinancingPeriod>>> {
    Ok(web::Json(store.list_periods(id.into_inner()).await?))
}

/// Catalog filters, all optional and combined with AND.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    /// Free text over the title, the description and the provider's name, with Russian
    /// morphology: «шахматы» finds «Шахматный клуб». At most 200 characters.
    #[param(example = "шахматы")]
    pub q: Option<String>,
    pub municipality_id: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub direction: Option<Direction>,
    /// The child's age in whole years: programs whose age range includes it.
    #[param(maximum = 18)]
    pub age: Option<u32>,
    pub level: Option<Level>,
    pub form: Option<StudyForm>,
    pub funding: Option<Funding>,
    /// The highest price per month, in roubles.
    #[param(example = "5000.00")]
    pub price_max: Option<Money>,
    /// `true`: only programs with a free seat in an open group.
    pub free_seats: Option<bool>,
    /// `true`: only programs adapted for children with disabilities (ОВЗ).
    pub adapted_for_disabilities: Option<bool>,
    /// The family's place, `LAT,LON` in degrees (`54.9885,73.3242`): each result carries its
    /// `distance_km` from there. Required by `sort=distance`.
    #[param(value_type = Option<String>, example = "54.9885,73.3242")]
    pub near: Option<String>,
    /// The order: `relevance` (the default with `q`), `title` (the default without), `price_asc`,
    /// `price_desc`, `rating_desc`, `distance` (with `near`).
    pub sort: Option<ProgramSort>,
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Search the catalog
///
/// Published programs matching the filters, a page at a time. With `q`, the best matches come
/// first unless `sort` says otherwise: a match in the title ranks above a match in the description
/// only, ties in the order of `id`. Relevance scores are the database's own (PostgreSQL's
/// `ts_rank`, SQLite's `bm25`): the same programs match on either, in an order that may differ
/// between equally good matches. `sort=distance` orders by the great-circle distance from
/// `near`, nearest first, programs without coordinates last.
#[utoipa::path(
    get,
    path = "/api/v1/programs",
    tag = "programs",
    params(ProgramQuery),
    responses(
        (status = 200, description = "A page of programs", body = Page<ProgramSummary>),
        (status = 400, description = "`near_required`: `sort=distance` without `near`; \
            `invalid_near`: `near` is not `LAT,LON` with a latitude within ±90 and a longitude \
            within ±180; `malformed_request`: a parameter that does not parse",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 (`range`), \
            `q` too long, `price_max` negative, or a `cursor` this API did not give out",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn search_programs(
    store: web::Data<dyn Store>,
    mut query: web::Query<ProgramQuery>,
) -> ApiResult<web::Json<Page<ProgramSummary>>> {
    let page = page_request(query.limit.take(), query.cursor.take())?;
    let filter = program_filter(query.into_inner())?;
    Ok(web::Json(store.search_programs(&filter, &page).await?))
}

/// Count the catalog's facets
///
/// For the same filters as the search: how many programs match, and for each direction, level,
/// form and funding how many programs that choice would leave under the other filters (so a page
/// can show counts beside every option). `sort`, `limit` and `cursor` are ignored, and `near`
/// only checked.
#[utoipa::path(
    get,
    path = "/api/v1/programs/facets",
    tag = "programs",
    params(ProgramQuery),
    responses(
        (status = 200, description = "The counts", body = ProgramFacets),
        (status = 400, description = "`invalid_near`: `near` is not `LAT,LON` in range; \
            `malformed_request`: a parameter that does not parse",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `q` too long or `price_max` negative",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn count_program_facets(
    store: web::Data<dyn Store>,
    query: web::Query<ProgramQuery>,
) -> ApiResult<web::Json<ProgramFacets>> {
    let filter = program_filter(query.into_inner())?;
    Ok(web::Json(store.program_facets(&filter).await?))
}

/// The store's filter from the query, checked.
fn program_filter(query: ProgramQuery) -> ApiResult<ProgramFilter> {
    if query
        .q
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS)
    {
        return Err(ApiError::invalid_field(
            "q",
            "length",
            format!("must be at most {MAX_QUERY_CHARS} characters long"),
        ));
    }
    if query.price_max.is_some_and(Money::is_negative) {
        return Err(ApiError::invalid_field(
            "price_max",
            "range",
            "must not be negative",
        ));
    }
    let near = query
        .near
        .as_deref()
        .map(Point::parse)
        .transpose()
        .map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_near",
                "near is LAT,LON in degrees: a latitude within ±90, a longitude within ±180",
            )
        })?;
    let q = query.q.filter(|q| !q.trim().is_empty());
    let sort = query.sort.unwrap_or(if q.is_some() {
        ProgramSort::Relevance
    } else {
        ProgramSort::Title
    });
    if sort == ProgramSort::Distance && near.is_none() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "near_required",
            "sort=distance measures from near=LAT,LON",
        ));
    }
    Ok(ProgramFilter {
        q,
        municipality_id: query.municipality_id,
        provider_id: query.provider_id,
        direction: query.direction,
        age: query.age,
        level: query.level,
        form: query.form,
        funding: query.funding,
        price_max: query.price_max,
        free_seats: query.free_seats.unwrap_or(false),
        adapted_for_disabilities: query.adapted_for_disabilities,
        any_status: false,
        status: None,
        near,
        sort,
    })
}

/// Get a program with its groups
///
/// Published programs are public. Unpublished ones are shown only to their provider's staff and
/// to operators, with an access token.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{id}",
    tag = "programs",
    params(("id" = Uuid, Path, description = "The program")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The program and its groups", body = Program),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_program(
    store: web::Data<dyn Store>,
    OptionalActor(actor): OptionalActor,
    id: web::Path<Uuid>,
) -> ApiResult<actix_web::HttpResponse> {
    let program = store.get_program(actor.as_ref(), id.into_inner()).await?;
    Ok(actix_web::HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, super::etag(program.version)))
        .json(program))
}
