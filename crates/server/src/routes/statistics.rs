//! Public statistics of a municipality (охват, spending, demand), and the population figures
//! operators enter for them. The statistics are public and aggregated: no sign-in, no personal
//! data, cacheable for a few minutes.

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate, Utc};
use navigator_api_types::{
    ApplicationsPerDay, Coverage, Month, MostWanted, Population, Problem, Role,
    SetPopulationRequest, Spending,
};
use navigator_domain::statistics::{
    default_first_month, month_range, RangeError, MAX_DAYS, MAX_MONTHS,
};
use navigator_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{require_role, validated, ApiResult};
use crate::auth::CurrentActor;
use crate::error::ApiError;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

/// How long a public answer may be cached: the figures move with applications and invoices, a
/// few minutes late is fine for a statistics page.
const PUBLIC_MAX_AGE_SECS: u32 = 300;

fn public<T: serde::Serialize>(body: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(PUBLIC_MAX_AGE_SECS),
        ]))
        .json(body)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthsQuery {
    /// The first month; 11 months before `to` when absent.
    pub from: Option<Month>,
    /// The last month; the current month (UTC) when absent.
    pub to: Option<Month>,
}

impl MonthsQuery {
    /// The months asked for, at most [`MAX_MONTHS`].
    fn months(&self, today: NaiveDate) -> ApiResult<Vec<Month>> {
        let to = self.to.unwrap_or_else(|| Month::of(today));
        let from = self.from.unwrap_or_else(|| default_first_month(to));
        month_range(from, to).map_err(|e| range_error("from", e))
    }
}

fn range_error(field: &str, error: RangeError) -> ApiError {
    match error {
        RangeError::Reversed => {
            ApiError::invalid_field(field, "range_reversed", "the range ends before it starts")
        }
        RangeError::TooLong => ApiError::invalid_field(
            field,
            "range_too_long",
            format!("at most {MAX_MONTHS} months or {MAX_DAYS} days in one request"),
        ),
    }
}

/// Coverage of a municipality by month
///
/// For each month: the children aged 5–18 (the figure operators enter for the year), how many hold
/// a certificate in force (activated, not closed), how many attend at least one program, in all and
/// by direction, and those counts as shares of the population (`null` without a population
/// figure). At most 36 months.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{id}/statistics/coverage",
    tag = "statistics",
    params(("id" = Uuid, Path, description = "The municipality"), MonthsQuery),
    responses(
        (status = 200, description = "Coverage, oldest month first", body = Coverage),
        (status = 400, response = MalformedRequest),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: the range is reversed \
            (`range_reversed`) or longer than 36 months (`range_too_long`)", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn get_coverage(
    store: web::Data<dyn Store>,
    id: web::Path<Uuid>,
    query: web::Query<MonthsQuery>,
) -> ApiResult<HttpResponse> {
    let months = query.months(Utc::now().date_naive())?;
    Ok(public(&store.coverage(id.into_inner(), &months).await?))
}

/// Spending of a municipality by month
///
/// The approved invoices by the month the service was delivered: what certificates paid (the
/// budget's money) and what families co-paid, in all and by direction. At most 36 months.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{id}/statistics/spending",
    tag = "statistics",
    params(("id" = Uuid, Path, description = "The municipality"), MonthsQuery),
    responses(
        (status = 200, description = "Spending, oldest month first", body = Spending),
        (status = 400, response = MalformedRequest),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: the range is reversed \
            (`range_reversed`) or longer than 36 months (`range_too_long`)", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn get_spending(
    store: web::Data<dyn Store>,
    id: web::Path<Uuid>,
    query: web::Query<MonthsQuery>,
) -> ApiResult<HttpResponse> {
    let months = query.months(Utc::now().date_naive())?;
    Ok(public(&store.spending(id.into_inner(), &months).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MostWantedQuery {
    /// The window in days, ending today: 1 to 365, 90 when absent.
    #[param(minimum = 1, maximum = 365)]
    pub days: Option<u32>,
    /// How many programs: 1 to 50, 10 when absent.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

/// The most wanted programs of a municipality
///
/// Published programs ranked by the applications submitted to them in the window (whatever became
/// of them), with how many were accepted and the seats left now.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{id}/statistics/most-wanted",
    tag = "statistics",
    params(("id" = Uuid, Path, description = "The municipality"), MostWantedQuery),
    responses(
        (status = 200, description = "The programs, most applications first", body = MostWanted),
        (status = 400, response = MalformedRequest),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: `days` or `limit` out of range",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn get_most_wanted(
    store: web::Data<dyn Store>,
    id: web::Path<Uuid>,
    query: web::Query<MostWantedQuery>,
) -> ApiResult<HttpResponse> {
    let days = query.days.unwrap_or(90);
    if !(1..=365).contains(&days) {
        return Err(ApiError::invalid_field(
            "days",
            "range",
            "must be from 1 to 365",
        ));
    }
    let limit = query.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            "range",
            "must be from 1 to 50",
        ));
    }
    let today = Utc::now().date_naive();
    let since = (today - Duration::days(i64::from(days) - 1))
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    Ok(public(
        &store.most_wanted(id.into_inner(), since, limit).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// The first day (UTC); 29 days before `to` when absent.
    pub from: Option<NaiveDate>,
    /// The last day (UTC); today when absent.
    pub to: Option<NaiveDate>,
}

/// Applications of a municipality per day
///
/// For each day of the range (UTC), the applications submitted, accepted and rejected that day.
/// At most 366 days.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{id}/statistics/applications-per-day",
    tag = "statistics",
    params(("id" = Uuid, Path, description = "The municipality"), DaysQuery),
    responses(
        (status = 200, description = "Every day of the range, oldest first",
            body = ApplicationsPerDay),
        (status = 400, response = MalformedRequest),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: the range is reversed \
            (`range_reversed`) or longer than 366 days (`range_too_long`)", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn get_applications_per_day(
    store: web::Data<dyn Store>,
    id: web::Path<Uuid>,
    query: web::Query<DaysQuery>,
) -> ApiResult<HttpResponse> {
    let to = query.to.unwrap_or_else(|| Utc::now().date_naive());
    let from = query.from.unwrap_or(to - Duration::days(29));
    if to < from {
        return Err(range_error("from", RangeError::Reversed));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(range_error("from", RangeError::TooLong));
    }
    Ok(public(
        &store
            .applications_per_day(id.into_inner(), from, to)
            .await?,
    ))
}

/// List a municipality's population figures
///
/// The number of children aged 5–18 by year, as the operators entered it: the denominator of
/// coverage.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{id}/populations",
    tag = "statistics",
    params(("id" = Uuid, Path, description = "The municipality")),
    responses(
        (status = 200, description = "The figures, by year", body = Vec<Population>),
        (status = 400, response = MalformedRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn list_populations(
    store: web::Data<dyn Store>,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(public(&store.populations(id.into_inner()).await?))
}

/// Enter a year's population figure
///
/// Municipal operators for their municipality, the regional operator for any. Replaces an earlier
/// figure for the same year.
#[utoipa::path(
    put,
    path = "/api/v1/municipalities/{id}/populations/{year}",
    tag = "statistics",
    params(
        ("id" = Uuid, Path, description = "The municipality"),
        ("year" = i32, Path, description = "The year, 2000 to 2100", minimum = 2000, maximum = 2100),
    ),
    request_body = SetPopulationRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The figure as stored", body = Population),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: the year or the number out of range",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn set_population(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    path: web::Path<(Uuid, i32)>,
    body: web::Json<SetPopulationRequest>,
) -> ApiResult<web::Json<Population>> {
    require_role(&actor, &[Role::MunicipalOperator, Role::RegionalOperator])?;
    let (id, year) = path.into_inner();
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::invalid_field(
            "year",
            "range",
            "must be from 2000 to 2100",
        ));
    }
    let figure = validated(body)?;
    Ok(web::Json(
        store
            .set_population(&actor, id, year, &figure, Utc::now())
            .await?,
    ))
}
