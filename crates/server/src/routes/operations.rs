//! The work on money beyond a single enrollment: financing periods with their parameters, the
//! monthly billing run, the period rollover, a provider's account and the ledger check.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use chrono::Utc;
use navigator_api_types::{
    BillingRunRequest, BillingRunSummary, CreatePeriodRequest, FinancingPeriod, LedgerVerification,
    LedgerViolation, Money, PeriodEvent, Problem, ProviderAccount, RefusalCount, Role,
    RolloverSummary, UpdatePeriodRequest,
};
use navigator_store::{BillingBatch, NewPeriod, RolloverBatch, Store};
use uuid::Uuid;

use super::{require_role, ApiResult};
use crate::auth::CurrentActor;
use crate::error::ApiError;
use crate::idempotency::IdempotencyKey;
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

const OPERATORS: &[Role] = &[Role::MunicipalOperator, Role::RegionalOperator];

/// Enrollments per transaction of the billing run.
const BILLING_BATCH: u32 = 500;

/// Open a financing period
///
/// Sets the municipality's parameters for a period: the nominal of a certificate, the quota of
/// financing certificates, the budget (funded into the period at once, a ledger posting), the
/// enrollment window and test mode. A municipal operator opens periods of its own municipality.
#[utoipa::path(
    post,
    path = "/api/v1/municipalities/{id}/periods",
    tag = "municipalities",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The municipality"), IdempotencyKey),
    request_body = CreatePeriodRequest,
    responses(
        (status = 201, description = "The period, funded", body = FinancingPeriod),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`period_overlaps`: the municipality has a period on these \
            dates", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`invalid_period`): dates out of order, \
            negative money or quota", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_period(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<CreatePeriodRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, OPERATORS)?;
    let p = body.into_inner();
    let period = store
        .create_period(
            &actor,
            NewPeriod {
                municipality_id: id.into_inner(),
                start: p.start,
                end: p.end,
                nominal: p.nominal,
                quota: p.quota,
                budget: p.budget,
                enrollment_opens: p.enrollment_opens,
                enrollment_closes: p.enrollment_closes,
                test_mode: p.test_mode,
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(period))
}

/// Run the monthly billing
///
/// Invoices `month` for every accepted enrollment of the municipality that has it in its contract
/// and no invoice for it yet, and with `approve` approves the month's issued invoices, writing the
/// certificates' shares off to the providers. Runs in batches, each one transaction; running it
/// again changes nothing that is done. Enrollments it cannot invoice (`month_not_started`;
/// `no_attendance_reason_required`: no lesson attended, which the provider invoices itself with
/// its reason) or whose invoice it cannot approve (`insufficient_balance`: the reservation falls
/// short; the invoice stays issued) are counted by refusal code. For a whole region the command
/// `navigator billing-run` shows progress.
#[utoipa::path(
    post,
    path = "/api/v1/municipalities/{id}/billing-runs",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The municipality"), IdempotencyKey),
    request_body = BillingRunRequest,
    responses(
        (status = 200, description = "What the run did", body = BillingRunSummary),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn run_billing(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<BillingRunRequest>,
) -> ApiResult<web::Json<BillingRunSummary>> {
    require_role(&actor, OPERATORS)?;
    let municipality_id = id.into_inner();
    let BillingRunRequest { month, approve } = body.into_inner();
    let mut after = None;
    let mut total = BillingBatch::default();
    loop {
        let batch = store
            .billing_run_batch(
                &actor,
                municipality_id,
                month,
                approve,
                after,
                BILLING_BATCH,
                Utc::now(),
            )
            .await?;
        if batch.examined == 0 {
            break;
        }
        after = batch.last_application_id;
        total.examined += batch.examined;
        total.issued += batch.issued;
        total.approved += batch.approved;
        total.already_done += batch.already_done;
        total.certificate_total = add(total.certificate_total, batch.certificate_total)?;
        total.family_total = add(total.family_total, batch.family_total)?;
        total.refusals.extend(batch.refusals);
    }
    let mut refusals: BTreeMap<&str, u64> = BTreeMap::new();
    for (_, code) in &total.refusals {
        *refusals.entry(code).or_default() += 1;
    }
    Ok(web::Json(BillingRunSummary {
        municipality_id,
        month,
        examined: total.examined,
        issued: total.issued,
        approved: total.approved,
        already_done: total.already_done,
        written_off: total.certificate_total,
        family_total: total.family_total,
        refusals: refusals
            .into_iter()
            .map(|(code, count)| RefusalCount {
                code: code.to_string(),
                count,
            })
            .collect(),
    }))
}

fn add(a: Money, b: Money) -> ApiResult<Money> {
    a.checked_add(b).ok_or_else(ApiError::internal)
}

/// Verify the ledger
///
/// Checks every invariant of the ledger: each posting balanced, balances equal to their entries,
/// no guarded account below zero, money conserved, reservations equal to what is left to write
/// off, period commitments within budget, seats equal to enrollments.
#[utoipa::path(
    get,
    path = "/api/v1/ledger/verification",
    tag = "invoices",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The verdict, with every violation found",
            body = LedgerVerification),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
)]
pub async fn verify_ledger(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
) -> ApiResult<web::Json<LedgerVerification>> {
    require_role(&actor, OPERATORS)?;
    let violations: Vec<LedgerViolation> = store
        .verify_ledger()
        .await?
        .into_iter()
        .map(|v| LedgerViolation {
            check: v.check.to_string(),
            detail: v.detail,
        })
        .collect();
    Ok(web::Json(LedgerVerification {
        ok: violations.is_empty(),
        violations,
        checked_at: Utc::now(),
    }))
}

/// Roll certificates over to the new period
///
/// For the municipality's period open today: every certificate still financed by a period that
/// ended has its enrollments of that period completed (reservations return), what is left on it
/// returned to the old period's fund (no carry-over), and the new period's nominal credited,
/// prorated by the months left; when the new period's quota or budget has no room, the
/// certificate goes back to accounting, with the reason in its history. Running it again changes
/// nothing.
#[utoipa::path(
    post,
    path = "/api/v1/municipalities/{id}/rollovers",
    tag = "municipalities",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The municipality"), IdempotencyKey),
    responses(
        (status = 200, description = "What the rollover did", body = RolloverSummary),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`no_open_period`: no period of the municipality is open \
            today", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn roll_over(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<RolloverSummary>> {
    require_role(&actor, OPERATORS)?;
    let municipality_id = id.into_inner();
    let mut after = None;
    let mut total = RolloverBatch::default();
    loop {
        let batch = store
            .rollover_batch(&actor, municipality_id, after, BILLING_BATCH, Utc::now())
            .await?;
        if batch.examined == 0 {
            break;
        }
        after = batch.last_certificate_id;
        total.examined += batch.examined;
        total.credited += batch.credited;
        total.without_room += batch.without_room;
        total.enrollments_completed += batch.enrollments_completed;
        total.expired_total = add(total.expired_total, batch.expired_total)?;
        total.credited_total = add(total.credited_total, batch.credited_total)?;
    }
    Ok(web::Json(RolloverSummary {
        municipality_id,
        examined: total.examined,
        credited: total.credited,
        without_room: total.without_room,
        enrollments_completed: total.enrollments_completed,
        expired: total.expired_total,
        credited_total: total.credited_total,
    }))
}

/// A provider's money
///
/// What its accepted enrollments hold on certificates, what was written off to it, what families
/// owe it as co-payments, and its invoices. For its own staff, its municipality's operator and the
/// regional operator.
#[utoipa::path(
    get,
    path = "/api/v1/providers/{id}/account",
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The provider")),
    responses(
        (status = 200, description = "The provider's money", body = ProviderAccount),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_provider_account(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<ProviderAccount>> {
    require_role(
        &actor,
        &[
            Role::ProviderStaff,
            Role::MunicipalOperator,
            Role::RegionalOperator,
        ],
    )?;
    Ok(web::Json(
        store.provider_account(&actor, id.into_inner()).await?,
    ))
}

/// Change a period's parameters
///
/// The nominal, quota, budget, dates, enrollment window and test mode, with the reason for the
/// record. `If-Match` must carry the period's `ETag` (`"v{version}"`). The quota and budget cannot
/// go below what is committed; a budget change is funded or withdrawn at once in the ledger; a
/// nominal change applies to certificates credited from now on.
#[utoipa::path(
    put,
    path = "/api/v1/periods/{id}",
    tag = "municipalities",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The period"),
        ("If-Match" = String, Header, description = "The period's `ETag`, e.g. `\"v1\"`"),
    ),
    request_body = UpdatePeriodRequest,
    responses(
        (status = 200, description = "The period with its new parameters", body = FinancingPeriod),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`period_overlaps`", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "`precondition_failed`: the period changed since it was read",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`invalid_period`): dates out of order, \
            quota or budget below what is committed; `insufficient_balance`: the fund no longer \
            holds the money a budget cut would withdraw", body = Problem,
            content_type = "application/problem+json"),
        (status = 428, description = "`precondition_required`: no `If-Match`", body = Problem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn update_period(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    request: actix_web::HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdatePeriodRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, OPERATORS)?;
    let version = super::if_match(&request)?;
    let p = super::validated(body)?;
    let period = store
        .update_period(
            &actor,
            id.into_inner(),
            NewPeriod {
                // The period stays in its municipality; the store reads it from the period.
                municipality_id: Uuid::nil(),
                start: p.start,
                end: p.end,
                nominal: p.nominal,
                quota: p.quota,
                budget: p.budget,
                enrollment_opens: p.enrollment_opens,
                enrollment_closes: p.enrollment_closes,
                test_mode: p.test_mode,
            },
            &p.reason,
            version,
            Utc::now(),
        )
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, super::etag(period.version)))
        .json(period))
}

/// A period's record of changes
///
/// Every change of the period's parameters: who (by role), when, what and why.
#[utoipa::path(
    get,
    path = "/api/v1/periods/{id}/events",
    tag = "municipalities",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The period")),
    responses(
        (status = 200, description = "The changes, oldest first", body = Vec<PeriodEvent>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn list_period_events(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<PeriodEvent>>> {
    require_role(&actor, OPERATORS)?;
    Ok(web::Json(
        store.period_events(&actor, id.into_inner()).await?,
    ))
}
