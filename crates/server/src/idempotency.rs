//! `Idempotency-Key` on the money-moving POSTs: a client whose response was lost retries with the
//! same key and gets that response again, not a second application, reservation or write-off.
//!
//! [`replay_or_run`] is a route middleware; `routes::configure` wraps exactly the money-moving
//! routes with it. With the header, it fingerprints the request (SHA-256 of the method, the path
//! with its ids and the body bytes), claims the key for the signed-in user in the store
//! ([`navigator_store::IdempotencyStore`]), and then:
//!
//! - a new key: runs the handler and stores its response, unless it is a 5xx: then the key is
//!   released so that the retry runs the operation again (4xx are stored: the same mistake gets
//!   the same answer);
//! - the same request, completed: the stored response, with `Idempotent-Replayed: true`;
//! - the same request, still running: `409 idempotency_in_progress` with `Retry-After: 1`;
//! - another request under the key: `422 idempotency_key_reused`.
//!
//! Without the header a request runs as it always has; without a valid access token too, and the
//! handler answers 401. [`IdempotencyKey`] and [`IdempotentOperations`] document all this in the
//! OpenAPI description.

use actix_web::body::{to_bytes, BoxBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use navigator_store::{Claim, Store};
use sha2::{Digest, Sha256};
use tracing::Instrument;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{IntoParams, Modify};
use uuid::Uuid;

use crate::auth::OptionalActor;
use crate::error::{ApiError, PROBLEM_JSON};
use crate::startup::BODY_LIMIT;

/// The request header naming an attempt.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// The response header of a replayed response.
pub const IDEMPOTENT_REPLAYED: &str = "Idempotent-Replayed";
const MAX_KEY_LEN: usize = 255;
/// Seconds a client should wait before retrying a request whose key is still in progress: the
/// operations behind keys are single short transactions.
const IN_PROGRESS_RETRY_AFTER: u64 = 1;

/// The route middleware: `web::post().to(handler).wrap(from_fn(replay_or_run))`.
pub async fn replay_or_run(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = match idempotency_key(&req) {
        Ok(Some(key)) => key,
        Ok(None) => return next.call(req).await,
        Err(error) => return Ok(req.error_response(error)),
    };
    // Keys belong to users: with no one signed in there is nothing to keep, and the handler
    // answers 401 itself.
    let Ok(OptionalActor(Some(actor))) = req.extract::<OptionalActor>().await else {
        return next.call(req).await;
    };
    let Some(store) = req.app_data::<web::Data<dyn Store>>().cloned() else {
        tracing::error!("the store is not registered as app data");
        return Ok(req.error_response(ApiError::internal()));
    };
    // The body is read here for the fingerprint and put back for the handler's extractor.
    let body = match req.extract::<web::Bytes>().await {
        Ok(body) => body,
        Err(error) => return Ok(req.error_response(unreadable_body(&error))),
    };
    req.set_payload(body.clone().into());
    let fingerprint = fingerprint(req.method(), req.path(), &body);

    let claim = store
        .idempotency_claim(actor.user_id, &key, &fingerprint, Utc::now())
        .await;
    match claim {
        Ok(Claim::Claimed) => {}
        Ok(Claim::Completed { status, body }) => return Ok(req.into_response(replay(status, body))),
        Ok(Claim::InProgress) => return Ok(req.error_response(in_progress())),
        Ok(Claim::Mismatch) => return Ok(req.error_response(key_reused())),
        Err(error) => return Ok(req.error_response(ApiError::from(error))),
    }

    let claimed = ClaimedKey {
        store,
        user_id: actor.user_id,
        key,
    };
    // Spawned, so that the operation and its outcome are recorded even if the client goes away
    // and this future is dropped: the client's retry then finds the response, not a key stuck in
    // progress.
    let outcome = actix_web::rt::spawn({
        let claimed = claimed.clone();
        async move { claimed.settle(next.call(req).await).await }.in_current_span()
    })
    .await;
    match outcome {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "an idempotent request's handler panicked");
            claimed.release().await;
            Err(ApiError::internal().into())
        }
    }
}

/// A key this request has claimed, to complete with the response or to release.
#[derive(Clone)]
struct ClaimedKey {
    store: web::Data<dyn Store>,
    user_id: Uuid,
    key: String,
}

impl ClaimedKey {
    /// Stores a response below 500 and hands it on; releases the key for anything else.
    async fn settle(
        self,
        outcome: Result<ServiceResponse<BoxBody>, actix_web::Error>,
    ) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
        let response = match outcome {
            Ok(response) if !response.status().is_server_error() => response,
            // The server failed, not the request: the client may try it again with this key.
            failed => {
                self.release().await;
                return failed;
            }
        };
        let status = response.status();
        let (request, response) = response.into_parts();
        let (response, body) = response.into_parts();
        let body = match to_bytes(body).await {
            Ok(body) => body,
            Err(error) => {
                tracing::error!(%error, "reading an idempotent response's body failed");
                self.release().await;
                return Err(ApiError::internal().into());
            }
        };
        let stored = self
            .store
            .idempotency_complete(self.user_id, &self.key, status.as_u16(), &body)
            .await;
        if let Err(error) = stored {
            // The operation is done and this response is right; a retry will find the key in
            // progress until the claim counts as abandoned.
            tracing::error!(%error, "storing an idempotent response failed");
        }
        Ok(ServiceResponse::new(
            request,
            response.set_body(BoxBody::new(body)),
        ))
    }

    async fn release(&self) {
        if let Err(error) = self
            .store
            .idempotency_release(self.user_id, &self.key)
            .await
        {
            tracing::error!(%error, "releasing an idempotency key failed");
        }
    }
}

/// The request's key: `None` without the header; `400 malformed_request` unless it is one header
/// of 1 to 255 visible ASCII characters.
fn idempotency_key(req: &ServiceRequest) -> Result<Option<String>, ApiError> {
    let mut values = req.headers().get_all(IDEMPOTENCY_KEY);
    let Some(value) = values.next() else {
        return Ok(None);
    };
    let well_formed = |v: &HeaderValue| {
        let bytes = v.as_bytes();
        !bytes.is_empty() && bytes.len() <= MAX_KEY_LEN && bytes.iter().all(u8::is_ascii_graphic)
    };
    match value.to_str() {
        Ok(key) if well_formed(value) && values.next().is_none() => Ok(Some(key.to_owned())),
        _ => Err(ApiError::malformed(format!(
            "{IDEMPOTENCY_KEY} must be one header of 1 to {MAX_KEY_LEN} visible ASCII characters"
        ))),
    }
}

/// SHA-256, lowercase hex, of what makes a request the same request: the method, the path with its
/// ids, and the body's bytes. The parts are joined by a NUL byte, which neither a method nor a
/// path contains, so that different requests never hash the same input.
fn fingerprint(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_str());
    hasher.update([0]);
    hasher.update(path);
    hasher.update([0]);
    hasher.update(body);
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `413 payload_too_large` or `400 malformed_request`, as the JSON extractor would answer.
fn unreadable_body(error: &actix_web::Error) -> ApiError {
    if error.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the body is larger than {BODY_LIMIT} bytes"),
        )
    } else {
        ApiError::malformed("the body could not be read")
    }
}

/// The stored response again. Only JSON responses are stored: problems for errors, plain JSON
/// otherwise.
fn replay(status: u16, body: Vec<u8>) -> HttpResponse {
    let Ok(status) = StatusCode::from_u16(status) else {
        tracing::error!(
            status,
            "a stored idempotent response has an impossible status"
        );
        return HttpResponse::from_error(ApiError::internal());
    };
    let mut response = HttpResponse::build(status);
    response.insert_header((IDEMPOTENT_REPLAYED, "true"));
    if body.is_empty() {
        return response.finish();
    }
    let content_type = if status.is_success() {
        "application/json"
    } else {
        PROBLEM_JSON
    };
    response
        .insert_header((header::CONTENT_TYPE, content_type))
        .body(body)
}

fn in_progress() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "idempotency_in_progress",
        format!("a request with this {IDEMPOTENCY_KEY} is still running; retry shortly"),
    )
    .with_retry_after(IN_PROGRESS_RETRY_AFTER)
}

fn key_reused() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
        format!(
            "this {IDEMPOTENCY_KEY} was used for a different request (another endpoint or body); \
             use a new key for a new request"
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI description

/// The `Idempotency-Key` header: list it in the `params(...)` of a money-moving operation.
/// [`IdempotentOperations`] then documents the answers the key adds to the operation.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKey {
    /// A key unique to this attempt, e.g. a UUID, to retry safely after a lost response: the
    /// same request with the same key (per user, for 24 hours) gets the first response again,
    /// with `Idempotent-Replayed: true`, and has no second effect. Responses of 500 and above are
    /// not kept, so that a retry runs the operation again.
    #[param(
        rename = "Idempotency-Key",
        // A header is there or not; it is never null.
        value_type = String,
        required = false,
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]+$",
        example = "3f1c2a9e-8d4b-4f6e-9c1a-2b7d5e8f0a13"
    )]
    pub idempotency_key: Option<String>,
}

/// Documents, on every POST that takes `Idempotency-Key`, the answers the key adds: `409
/// idempotency_in_progress` with `Retry-After`, `422 idempotency_key_reused`, and the
/// `Idempotent-Replayed` header of a replayed success.
pub struct IdempotentOperations;

impl Modify for IdempotentOperations {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            if let Some(operation) = item.post.as_mut().filter(|op| takes_idempotency_key(op)) {
                document_idempotency(operation);
            }
        }
    }
}

/// Whether the operation lists the `Idempotency-Key` header.
pub fn takes_idempotency_key(operation: &Operation) -> bool {
    operation.parameters.iter().flatten().any(|parameter| {
        parameter.parameter_in == ParameterIn::Header && parameter.name == IDEMPOTENCY_KEY
    })
}

fn document_idempotency(operation: &mut Operation) {
    let responses = &mut operation.responses.responses;
    for (status, response) in responses.iter_mut() {
        if let (true, RefOr::T(response)) = (status.starts_with('2'), response) {
            response.headers.insert(
                IDEMPOTENT_REPLAYED.to_owned(),
                HeaderBuilder::new()
                    .schema(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(["true"])),
                    )
                    .description(Some(
                        "Present when this is the stored response of an earlier request with \
                         the same `Idempotency-Key`",
                    ))
                    .build(),
            );
        }
    }
    let in_progress = add_problem_code(
        responses.entry("409".to_owned()).or_insert_with(problem),
        "`idempotency_in_progress`: a request with this `Idempotency-Key` is still running; \
         retry after `Retry-After` seconds",
    );
    if let Some(response) = in_progress {
        response.headers.insert(
            "Retry-After".to_owned(),
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1)),
                )
                .description(Some("Seconds to wait before retrying"))
                .build(),
        );
    }
    add_problem_code(
        responses.entry("422".to_owned()).or_insert_with(problem),
        "`idempotency_key_reused`: this `Idempotency-Key` was used for a different request",
    );
}

/// Appends a code to an inline problem response's description; `None` for a reference, which
/// cannot be told apart per operation (the operations' 409 and 422 are all inline).
fn add_problem_code<'r>(response: &'r mut RefOr<Response>, code: &str) -> Option<&'r mut Response> {
    let RefOr::T(response) = response else {
        return None;
    };
    response.description = if response.description.is_empty() {
        code.to_owned()
    } else {
        format!("{}; {code}", response.description)
    };
    Some(response)
}

/// A problem response with no description yet.
fn problem() -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use actix_web::middleware::from_fn;
    use actix_web::test::{self, TestRequest};
    use actix_web::{App, HttpResponse};
    use navigator_api_types::{Problem, Role};
    use navigator_store::NewUser;

    use super::*;
    use crate::auth::AccessTokens;
    use crate::settings::Secret;

    fn key_of(request: TestRequest) -> Result<Option<String>, ApiError> {
        idempotency_key(&request.to_srv_request())
    }

    #[test]
    fn a_key_is_one_header_of_visible_ascii() {
        let with = |value: &[u8]| {
            TestRequest::default().insert_header((
                IDEMPOTENCY_KEY,
                HeaderValue::from_bytes(value).expect("a header value"),
            ))
        };
        assert_eq!(key_of(TestRequest::default()).ok(), Some(None));
        assert_eq!(
            key_of(with(b"3f1c2a9e-8d4b")).ok(),
            Some(Some("3f1c2a9e-8d4b".to_owned()))
        );
        let longest = "k".repeat(MAX_KEY_LEN);
        assert_eq!(
            key_of(with(longest.as_bytes())).ok(),
            Some(Some(longest.clone()))
        );
        let too_long = format!("{longest}k");
        let two = TestRequest::default()
            .append_header((IDEMPOTENCY_KEY, "one"))
            .append_header((IDEMPOTENCY_KEY, "two"));
        for malformed in [
            with(b""),
            with(too_long.as_bytes()),
            with(b"two words"),
            with("ключ".as_bytes()),
            two,
        ] {
            let error = key_of(malformed).expect_err("a malformed key");
            assert_eq!(error.code(), "malformed_request");
        }
    }

    #[test]
    fn fingerprints_tell_requests_apart() {
        let post = Method::POST;
        let base = fingerprint(&post, "/api/v1/invoices", b"{}");
        assert_eq!(base.len(), 64);
        assert_eq!(base, fingerprint(&post, "/api/v1/invoices", b"{}"));
        for other in [
            fingerprint(&Method::PUT, "/api/v1/invoices", b"{}"),
            fingerprint(&post, "/api/v1/invoices/", b"{}"),
            fingerprint(&post, "/api/v1/invoices", b"{ }"),
            // The separator keeps the path and the body apart.
            fingerprint(&post, "/api/v1/invoices{}", b""),
        ] {
            assert_ne!(other, base);
        }
    }

    #[test]
    fn every_operation_with_the_key_documents_its_answers() {
        let doc = crate::openapi::openapi();
        let operations: Vec<&Operation> = doc
            .paths
            .paths
            .values()
            .filter_map(|item| item.post.as_ref())
            .filter(|op| takes_idempotency_key(op))
            .collect();
        assert_eq!(operations.len(), 15);
        for op in operations {
            let id = op.operation_id.as_deref().unwrap_or_default();
            let description = |status: &str| match op.responses.responses.get(status) {
                Some(RefOr::T(response)) => response.description.clone(),
                _ => panic!("{id}: no inline {status} response"),
            };
            assert!(
                description("409").contains("`idempotency_in_progress`"),
                "{id}: 409"
            );
            assert!(
                description("422").contains("`idempotency_key_reused`"),
                "{id}: 422"
            );
            let replayed = op.responses.responses.iter().any(|(status, response)| {
                matches!(response, RefOr::T(r) if status.starts_with('2')
                    && r.headers.contains_key(IDEMPOTENT_REPLAYED))
            });
            assert!(replayed, "{id}: Idempotent-Replayed on the success");
        }
    }

    /// How many times each handler ran.
    #[derive(Default)]
    struct Calls {
        payments: AtomicUsize,
        refusals: AtomicUsize,
    }

    /// Fails with a 500 the first time, then succeeds, saying which call it was.
    async fn pay(calls: web::Data<Calls>) -> HttpResponse {
        match calls.payments.fetch_add(1, Ordering::SeqCst) + 1 {
            1 => HttpResponse::from_error(ApiError::internal()),
            call => HttpResponse::Created().json(serde_json::json!({ "call": call })),
        }
    }

    async fn refuse(calls: web::Data<Calls>) -> HttpResponse {
        calls.refusals.fetch_add(1, Ordering::SeqCst);
        HttpResponse::from_error(ApiError::new(
            StatusCode::CONFLICT,
            "no_seats",
            "the group is full",
        ))
    }

    #[actix_web::test]
    async fn responses_below_500_are_replayed_and_server_errors_release_the_key() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite:{}?mode=rwc", dir.path().join("keys.db").display());
        let store = navigator_store::connect(&url).await.expect("the store");
        store.migrate().await.expect("the migrations");
        let user = store
            .create_user(NewUser {
                email: "family@tests.example".into(),
                password_hash: "not a hash".into(),
                full_name: "Петрова Анна".into(),
                role: Role::Family,
                provider_id: None,
                municipality_id: None,
            })
            .await
            .expect("a user");
        let tokens = AccessTokens::new(&Secret::new("a-test-secret-that-is-long-enough-for-hs256"));
        let bearer = format!(
            "Bearer {}",
            tokens.issue(&user, Utc::now()).expect("a token")
        );
        let calls = web::Data::new(Calls::default());
        let app = test::init_service(
            App::new()
                .app_data(web::Data::from(store))
                .app_data(web::Data::new(tokens))
                .app_data(calls.clone())
                .route("/pay", web::post().to(pay).wrap(from_fn(replay_or_run)))
                .route(
                    "/refuse",
                    web::post().to(refuse).wrap(from_fn(replay_or_run)),
                ),
        )
        .await;
        let send = |path: &str, key: &str, body: &'static str| {
            TestRequest::post()
                .uri(path)
                .insert_header((header::AUTHORIZATION, bearer.clone()))
                .insert_header((IDEMPOTENCY_KEY, key.to_owned()))
                .set_payload(body)
                .to_request()
        };
        let replayed = |response: &ServiceResponse| {
            response
                .headers()
                .get(IDEMPOTENT_REPLAYED)
                .map(|v| v.as_bytes().to_vec())
        };

        // A server error is not kept: the retry runs the handler again, and its success is kept.
        let failed = test::call_service(&app, send("/pay", "k-1", "{}")).await;
        assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let created = test::call_service(&app, send("/pay", "k-1", "{}")).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        assert_eq!(replayed(&created), None);
        let first = test::read_body(created).await;
        let again = test::call_service(&app, send("/pay", "k-1", "{}")).await;
        assert_eq!(again.status(), StatusCode::CREATED);
        assert_eq!(replayed(&again), Some(b"true".to_vec()));
        assert_eq!(
            again
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(&b"application/json"[..])
        );
        assert_eq!(test::read_body(again).await, first);
        assert_eq!(calls.payments.load(Ordering::SeqCst), 2);

        // Another body, or another path, under the same key.
        for (path, body) in [("/pay", r#"{"amount":1}"#), ("/refuse", "{}")] {
            let reused = test::call_service(&app, send(path, "k-1", body)).await;
            assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let problem: Problem = test::read_body_json(reused).await;
            assert_eq!(problem.code, "idempotency_key_reused");
        }

        // A refusal is kept like a success: the same mistake gets the same answer.
        let refused = test::call_service(&app, send("/refuse", "k-2", "{}")).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        let first = test::read_body(refused).await;
        let again = test::call_service(&app, send("/refuse", "k-2", "{}")).await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
        assert_eq!(replayed(&again), Some(b"true".to_vec()));
        assert_eq!(
            again
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(PROBLEM_JSON.as_bytes())
        );
        assert_eq!(test::read_body(again).await, first);
        assert_eq!(calls.refusals.load(Ordering::SeqCst), 1);

        // A malformed key is refused before anything runs.
        let malformed = test::call_service(&app, send("/refuse", "two words", "{}")).await;
        assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
        // Without a token nothing is kept: the handler runs each time.
        for _ in 0..2 {
            let anonymous = TestRequest::post()
                .uri("/refuse")
                .insert_header((IDEMPOTENCY_KEY, "k-3"))
                .to_request();
            let response = test::call_service(&app, anonymous).await;
            assert_eq!(replayed(&response), None);
        }
        assert_eq!(calls.refusals.load(Ordering::SeqCst), 3);
    }
}
