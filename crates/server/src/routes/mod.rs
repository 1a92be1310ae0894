//! The handlers of `/api/v1`, one module per resource, and the routing table.
//!
//! Every handler checks the actor's role (403 when the role may never do it) and leaves ownership
//! to the store, which answers "not found" for others' objects.

use actix_web::middleware::from_fn;
use actix_web::{
    web, FromRequest, Handler, HttpResponse, Resource, Responder, ResponseError, Route,
};
use navigator_api_types::{Role, DEFAULT_LIMIT, MAX_LIMIT};
use navigator_store::{Actor, PageRequest};
use validator::Validate;

use crate::error::ApiError;
use crate::idempotency;

pub mod applications;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod certificates;
pub mod children;
pub mod families;
pub mod health;
pub mod imports;
pub mod invitations;
pub mod invoices;
pub mod notifications;
pub mod operations;
pub mod programs;
pub mod providers;
pub mod reviews;
pub mod spec;
pub mod statistics;
pub mod users;
pub mod waitlist;

pub type ApiResult<T> = Result<T, ApiError>;

/// Registers `/api`: the versioned API, its documents, and problem answers for anything unknown.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let v1 = web::scope("/v1")
        .service(get("/health", health::get_health))
        .service(get("/openapi.json", spec::get_openapi))
        .service(post("/auth/register", auth::register_family))
        .service(post("/auth/login", auth::sign_in))
        .service(post("/auth/refresh", auth::refresh_tokens))
        .service(post("/auth/logout", auth::sign_out))
        .service(get("/me", users::get_me))
        .service(post("/users", users::create_staff_user))
        .service(get("/municipalities", catalog::list_municipalities))
        .service(get_and_idempotent_post(
            "/municipalities/{id}/periods",
            catalog::list_periods,
            operations::create_period,
        ))
        .service(idempotent_post(
            "/municipalities/{id}/billing-runs",
            operations::run_billing,
        ))
        .service(idempotent_post(
            "/municipalities/{id}/rollovers",
            operations::roll_over,
        ))
        .service(get(
            "/providers/{id}/account",
            operations::get_provider_account,
        ))
        .service(get(
            "/municipalities/{id}/statistics/coverage",
            statistics::get_coverage,
        ))
        .service(get(
            "/municipalities/{id}/statistics/spending",
            statistics::get_spending,
        ))
        .service(get(
            "/municipalities/{id}/statistics/most-wanted",
            statistics::get_most_wanted,
        ))
        .service(get(
            "/municipalities/{id}/statistics/applications-per-day",
            statistics::get_applications_per_day,
        ))
        .service(get(
            "/municipalities/{id}/populations",
            statistics::list_populations,
        ))
        .service(
            resource("/municipalities/{id}/populations/{year}", "PUT")
                .route(web::put().to(statistics::set_population)),
        )
        .service(get("/ledger/verification", operations::verify_ledger))
        .service(get("/audit-events", audit::list_audit_events))
        .service(resource("/periods/{id}", "PUT").route(web::put().to(operations::update_period)))
        .service(get("/periods/{id}/events", operations::list_period_events))
        .service(get_and_post(
            "/providers",
            providers::list_providers,
            providers::create_provider,
        ))
        .service(
            resource("/providers/{id}", "GET, PUT")
                .route(web::get().to(providers::get_provider))
                .route(web::put().to(providers::update_provider)),
        )
        .service(get(
            "/providers/{id}/events",
            providers::list_provider_events,
        ))
        .service(get_and_post(
            "/providers/{id}/invitations",
            invitations::list_invitations,
            invitations::create_invitation,
        ))
        .service(post("/invitations/accept", invitations::accept_invitation))
        .service(post("/imports/{kind}", imports::import_registry))
        .service(get("/exports/{kind}", imports::export_registry))
        .service(get("/programs", catalog::search_programs))
        .service(get("/programs/facets", catalog::count_program_facets))
        .service(
            resource("/programs/{id}", "GET, PUT")
                .route(web::get().to(catalog::get_program))
                .route(web::put().to(programs::update_program)),
        )
        .service(post("/programs/{id}/submit", programs::submit_program))
        .service(post("/programs/{id}/publish", programs::publish_program))
        .service(post("/programs/{id}/return", programs::return_program))
        .service(post("/programs/{id}/archive", programs::archive_program))
        .service(get("/programs/{id}/events", programs::list_program_events))
        .service(get("/registry/programs", programs::list_registry_programs))
        .service(post("/programs/{id}/groups", programs::create_group))
        .service(
            resource("/groups/{id}", "GET, PUT")
                .route(web::get().to(programs::get_group))
                .route(web::put().to(programs::update_group)),
        )
        .service(get_and_post(
            "/providers/{id}/programs",
            programs::list_provider_programs,
            programs::create_program,
        ))
        .service(get_and_post(
            "/programs/{id}/reviews",
            reviews::list_program_reviews,
            reviews::create_review,
        ))
        .service(get("/programs/{id}/rating", reviews::get_program_rating))
        .service(post("/reviews/{id}/answer", reviews::answer_review))
        .service(get_and_post(
            "/reviews/{id}/moderation",
            reviews::list_review_moderation,
            reviews::moderate_review,
        ))
        .service(get_and_post(
            "/children",
            children::list_children,
            children::create_child,
        ))
        .service(get("/children/{id}", children::get_child))
        .service(idempotent_post(
            "/children/{id}/certificate",
            children::issue_certificate,
        ))
        .service(get("/certificates", certificates::list_certificates))
        .service(get("/certificates/{id}", certificates::get_certificate))
        .service(get(
            "/certificates/{id}/history",
            certificates::get_certificate_history,
        ))
        .service(idempotent_post(
            "/certificates/{id}/activate",
            certificates::activate_certificate,
        ))
        .service(post(
            "/certificates/{id}/suspend",
            certificates::suspend_certificate,
        ))
        .service(post(
            "/certificates/{id}/resume",
            certificates::resume_certificate,
        ))
        .service(idempotent_post(
            "/certificates/{id}/close",
            certificates::close_certificate,
        ))
        .service(post("/quotes", applications::create_quote))
        .service(get_and_idempotent_post(
            "/applications",
            applications::list_applications,
            applications::create_application,
        ))
        .service(get("/applications/{id}", applications::get_application))
        .service(idempotent_post(
            "/applications/{id}/accept",
            applications::accept_application,
        ))
        .service(idempotent_post(
            "/applications/{id}/reject",
            applications::reject_application,
        ))
        .service(idempotent_post(
            "/applications/{id}/withdraw",
            applications::withdraw_application,
        ))
        .service(idempotent_post(
            "/applications/{id}/end",
            applications::end_enrollment,
        ))
        .service(get_and_post(
            "/applications/{id}/attendance",
            applications::list_attendance,
            applications::mark_attendance,
        ))
        .service(get_and_post(
            "/groups/{id}/waitlist",
            waitlist::get_group_waitlist,
            waitlist::join_waitlist,
        ))
        .service(get("/waitlist", waitlist::list_waitlist))
        .service(post("/waitlist/{id}/leave", waitlist::leave_waitlist))
        .service(idempotent_post(
            "/waitlist/{id}/accept",
            waitlist::accept_offer,
        ))
        .service(post("/waitlist/{id}/decline", waitlist::decline_offer))
        .service(get("/notifications", notifications::list_notifications))
        .service(post(
            "/notifications/read-all",
            notifications::read_all_notifications,
        ))
        .service(post(
            "/notifications/{id}/read",
            notifications::read_notification,
        ))
        .service(post("/families", families::register_family_at_desk))
        .service(post("/families/activate", families::activate_family))
        .service(get_and_idempotent_post(
            "/invoices",
            invoices::list_invoices,
            invoices::create_invoice,
        ))
        .service(idempotent_post(
            "/invoices/{id}/approve",
            invoices::approve_invoice,
        ))
        .service(idempotent_post(
            "/invoices/{id}/reject",
            invoices::reject_invoice,
        ))
        .default_service(web::to(no_route));

    cfg.service(
        web::scope("/api")
            .service(v1)
            .service(get("/docs", spec::get_docs))
            .default_service(web::to(no_route)),
    );
}

/// A resource that answers other methods with a `405` problem listing `allow`.
fn resource(path: &str, allow: &'static str) -> Resource {
    web::resource(path).default_service(web::to(move || async move {
        ApiError::method_not_allowed(allow).error_response()
    }))
}

fn get<F, Args>(path: &str, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    resource(path, "GET").route(web::get().to(handler))
}

fn post<F, Args>(path: &str, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    resource(path, "POST").route(web::post().to(handler))
}

/// A collection that lists (GET) and creates (POST).
fn get_and_post<G, GArgs, P, PArgs>(path: &str, list: G, create: P) -> Resource
where
    G: Handler<GArgs>,
    GArgs: FromRequest + 'static,
    G::Output: Responder + 'static,
    P: Handler<PArgs>,
    PArgs: FromRequest + 'static,
    P::Output: Responder + 'static,
{
    resource(path, "GET, POST")
        .route(web::get().to(list))
        .route(web::post().to(create))
}

/// A money-moving POST, which takes `Idempotency-Key`.
fn idempotent_post<F, Args>(path: &str, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    resource(path, "POST").route(idempotent(handler))
}

/// A collection that lists (GET) and creates with a money-moving POST, which takes
/// `Idempotency-Key`.
fn get_and_idempotent_post<G, GArgs, P, PArgs>(path: &str, list: G, create: P) -> Resource
where
    G: Handler<GArgs>,
    GArgs: FromRequest + 'static,
    G::Output: Responder + 'static,
    P: Handler<PArgs>,
    PArgs: FromRequest + 'static,
    P::Output: Responder + 'static,
{
    resource(path, "GET, POST")
        .route(web::get().to(list))
        .route(idempotent(create))
}

/// A POST route answered once per `Idempotency-Key`: see [`crate::idempotency`]. The handler's
/// OpenAPI annotation lists [`crate::idempotency::IdempotencyKey`] in its `params`.
fn idempotent<F, Args>(handler: F) -> Route
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    web::post()
        .to(handler)
        .wrap(from_fn(idempotency::replay_or_run))
}

async fn no_route() -> HttpResponse {
    ApiError::no_route().error_response()
}

/// The `ETag` of a registry object's version (programs, periods).
pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// The version an `If-Match` header names; `428` without one, `412` for one that is not ours.
pub(crate) fn if_match(request: &actix_web::HttpRequest) -> ApiResult<i64> {
    let value = request
        .headers()
        .get(actix_web::http::header::IF_MATCH)
        .ok_or_else(|| {
            ApiError::new(
                actix_web::http::StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "send the ETag you read as If-Match, so that no one else's change is overwritten",
            )
        })?
        .to_str()
        .unwrap_or_default()
        .trim();
    value
        .trim_start_matches("W/")
        .trim_matches('"')
        .strip_prefix('v')
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            ApiError::new(
                actix_web::http::StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                "If-Match does not name a version of this object",
            )
        })
}

/// `403 forbidden` unless the actor has one of the roles.
fn require_role(actor: &Actor, allowed: &[Role]) -> ApiResult<()> {
    if allowed.contains(&actor.role) {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|role| role.as_str()).collect();
    Err(ApiError::forbidden(format!(
        "only {} may do this",
        names.join(", ")
    )))
}

/// A body that passed its `validator` rules.
fn validated<T: Validate>(body: web::Json<T>) -> ApiResult<T> {
    let body = body.into_inner();
    body.validate()?;
    Ok(body)
}

/// The page a list asks for: `limit` from 1 to [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent; an
/// empty `cursor=` is the first page, as clients that always send the parameter expect.
fn page_request(limit: Option<u32>, cursor: Option<String>) -> ApiResult<PageRequest> {
    let cursor = cursor.filter(|c| !c.is_empty());
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            "range",
            format!("must be from 1 to {MAX_LIMIT}"),
        ));
    }
    if cursor.as_ref().is_some_and(|c| c.len() > 512) {
        return Err(ApiError::invalid_field(
            "cursor",
            "cursor_invalid",
            "is not a cursor this API gave out",
        ));
    }
    Ok(PageRequest { limit, cursor })
}

#[cfg(test)]
mod tests {
    use actix_web::http::{header, Method, StatusCode};
    use actix_web::{test, App};

    use crate::idempotency::{takes_idempotency_key, IDEMPOTENCY_KEY};
    use crate::openapi::openapi;

    /// Every operation of the OpenAPI document is routed to a handler with its method, and its
    /// path answers 405 to the methods it does not document. Without app data, a routed request
    /// fails in its extractors (500) instead of answering 404 or 405.
    #[actix_web::test]
    async fn the_document_and_the_routes_agree() {
        let app = test::init_service(App::new().configure(super::configure)).await;
        let doc = openapi();
        let mut documented = 0;
        for (path, item) in &doc.paths.paths {
            let uri = path
                .replace("{id}", "00000000-0000-0000-0000-000000000000")
                .replace("{kind}", "providers");
            let methods = [
                (Method::GET, item.get.is_some()),
                (Method::POST, item.post.is_some()),
                (Method::PUT, item.put.is_some()),
            ];
            let allow: Vec<&str> = methods
                .iter()
                .filter(|(_, is_documented)| *is_documented)
                .map(|(method, _)| method.as_str())
                .collect();
            for (method, is_documented) in methods.iter().chain(&[(Method::DELETE, false)]) {
                let request = test::TestRequest::default()
                    .method(method.clone())
                    .uri(&uri)
                    .to_request();
                let response = test::call_service(&app, request).await;
                let status = response.status();
                if *is_documented {
                    documented += 1;
                    assert!(
                        status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                        "{method} {path} is documented but answers {status}"
                    );
                } else {
                    assert_eq!(
                        status,
                        StatusCode::METHOD_NOT_ALLOWED,
                        "{method} {path} is not documented"
                    );
                    let allowed = response.headers().get(header::ALLOW).map(|v| v.as_bytes());
                    assert_eq!(
                        allowed,
                        Some(allow.join(", ").as_bytes()),
                        "Allow of {path}"
                    );
                }
            }
        }
        assert_eq!(documented, 91);

        let unknown = test::TestRequest::get().uri("/api/v1/nothing").to_request();
        let response = test::call_service(&app, unknown).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }

    /// The routes that check `Idempotency-Key` are the operations documented with it: only they
    /// refuse a malformed key, before anything else about the request is looked at.
    #[actix_web::test]
    async fn the_idempotent_routes_are_the_documented_ones() {
        let app = test::init_service(App::new().configure(super::configure)).await;
        let doc = openapi();
        let mut idempotent = 0;
        for (path, item) in &doc.paths.paths {
            let Some(operation) = &item.post else {
                continue;
            };
            let uri = path.replace("{id}", "00000000-0000-0000-0000-000000000000");
            let request = test::TestRequest::post()
                .uri(&uri)
                .insert_header((IDEMPOTENCY_KEY, "not a key"))
                .to_request();
            let response = test::call_service(&app, request).await;
            let status = response.status();
            let body = test::read_body(response).await;
            let checks_the_key = status == StatusCode::BAD_REQUEST
                && String::from_utf8_lossy(&body).contains(IDEMPOTENCY_KEY);
            assert_eq!(
                checks_the_key,
                takes_idempotency_key(operation),
                "POST {path} answers {status} to a malformed key"
            );
            idempotent += usize::from(checks_the_key);
        }
        assert_eq!(idempotent, 15);
    }
}
