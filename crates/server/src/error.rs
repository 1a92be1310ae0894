//! Every error of the API as one type, [`ApiError`], rendered as RFC 9457
//! `application/problem+json` ([`Problem`]) with a stable snake_case `code`.
//!
//! Store failures, validation failures and the extractors' complaints about malformed requests all
//! end up here, so that a client never sees a plain-text error from actix.

use std::fmt;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use navigator_api_types::{FieldError, Problem};
use navigator_store::StoreError;
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

/// The media type of every error response.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Problem `type` URIs are this followed by the code.
const PROBLEM_TYPE_BASE: &str = "https://navigator.example/problems/";

/// The `WWW-Authenticate` challenges of RFC 6750.
const CHALLENGE: &str = r#"Bearer realm="navigator""#;
const CHALLENGE_INVALID_TOKEN: &str = r#"Bearer realm="navigator", error="invalid_token""#;

pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    /// Seconds, for 429.
    retry_after: Option<u64>,
    /// The challenge, for 401.
    www_authenticate: Option<&'static str>,
    /// The methods the resource takes, for 405.
    allow: Option<&'static str>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            www_authenticate: None,
            allow: None,
        }
    }

    /// 400: the request cannot be read (bad JSON, query string, path parameter or header).
    pub fn malformed(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_request", detail)
    }

    /// 401 with a Bearer challenge: signing in failed or a refresh token is no good.
    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError {
            www_authenticate: Some(CHALLENGE),
            ..ApiError::new(StatusCode::UNAUTHORIZED, code, detail)
        }
    }

    /// 401: the endpoint needs an access token and there is none.
    pub fn missing_token() -> ApiError {
        ApiError::unauthorized(
            "unauthorized",
            "this endpoint needs an access token: Authorization: Bearer <token>",
        )
    }

    /// 401: the access token is malformed, forged or expired.
    pub fn invalid_token(detail: impl Into<String>) -> ApiError {
        ApiError {
            www_authenticate: Some(CHALLENGE_INVALID_TOKEN),
            ..ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
        }
    }

    /// 403: the actor's role may never do this.
    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// 404: no such object, or not the actor's (the two are not told apart).
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such object")
    }

    /// 404: no endpoint at this path.
    pub fn no_route() -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such endpoint; see /api/v1/openapi.json",
        )
    }

    /// 405: the path exists, the method does not. `allow` lists the methods it takes
    /// (`"GET, POST"`).
    pub fn method_not_allowed(allow: &'static str) -> ApiError {
        ApiError {
            allow: Some(allow),
            ..ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("this endpoint takes {allow} only; see /api/v1/openapi.json"),
            )
        }
    }

    /// 422 with one field error.
    pub fn invalid_field(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError::validation(vec![FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }])
    }

    /// 422 with the field errors.
    pub fn validation(errors: Vec<FieldError>) -> ApiError {
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        let detail = format!("the request has invalid fields: {}", fields.join(", "));
        ApiError {
            errors,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                detail,
            )
        }
    }

    /// 429 with `Retry-After`.
    pub fn too_many_attempts(retry_after_secs: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after_secs.max(1)),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "too many failed sign-in attempts; try again later",
            )
        }
    }

    /// The same problem with `Retry-After`: the request may succeed when repeated this many
    /// seconds later.
    pub fn with_retry_after(self, seconds: u64) -> ApiError {
        ApiError {
            retry_after: Some(seconds.max(1)),
            ..self
        }
    }

    /// 500 that says nothing of the cause; the caller logs it.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed to handle the request; it has been logged",
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn problem(&self) -> Problem {
        Problem {
            type_: format!("{PROBLEM_TYPE_BASE}{}", self.code),
            title: title_of(self.code),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_owned(),
            errors: self.errors.clone(),
        }
    }
}

/// A title that is the same for every problem of a type, as RFC 9457 asks: the code in words.
fn title_of(code: &str) -> String {
    let words = code.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// Status and code only: request logs print errors with `Debug`, and the detail may quote the
/// request (a refusal's ages, a serde message).
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status.as_u16())
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let Some(challenge) = self.www_authenticate {
            response.insert_header((header::WWW_AUTHENTICATE, challenge));
        }
        if let Some(allow) = self.allow {
            response.insert_header((header::ALLOW, allow));
        }
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(self.problem())
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Forbidden(why) => ApiError::forbidden(why),
            StoreError::Refused(refusal) => {
                let status = if refusal.is_conflict() {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                ApiError::new(status, refusal.code(), refusal.to_string())
            }
            StoreError::Conflict(code, message) => {
                ApiError::new(StatusCode::CONFLICT, code, message)
            }
            StoreError::Invalid {
                field,
                code,
                message,
            } => ApiError::invalid_field(field, code, message),
            StoreError::Fields(issues) => ApiError::validation(
                issues
                    .into_iter()
                    .map(|issue| FieldError {
                        field: issue.field.to_owned(),
                        code: issue.code.to_owned(),
                        message: issue.message,
                    })
                    .collect(),
            ),
            StoreError::Stale { current } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                format!(
                    "the object changed since it was read; its ETag is now \"v{current}\": \
                     read it again and reapply the change"
                ),
            ),
            error @ (StoreError::Database(_) | StoreError::Migration(_)) => {
                tracing::error!(error = %error, "the store failed");
                ApiError::internal()
            }
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> ApiError {
        let mut fields = Vec::new();
        flatten_validation_errors("", &errors, &mut fields);
        fields.sort_by(|a, b| (&a.field, &a.code).cmp(&(&b.field, &b.code)));
        ApiError::validation(fields)
    }
}

fn flatten_validation_errors(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => out.extend(list.iter().map(|e| FieldError {
                field: path.clone(),
                code: e.code.to_string(),
                message: describe(e),
            })),
            ValidationErrorsKind::Struct(nested) => flatten_validation_errors(&path, nested, out),
            ValidationErrorsKind::List(items) => {
                for (index, nested) in items {
                    flatten_validation_errors(&format!("{path}[{index}]"), nested, out);
                }
            }
        }
    }
}

/// A message for a validation error. Never echoes the rejected value: it may be a password.
fn describe(error: &ValidationError) -> String {
    if let Some(message) = &error.message {
        return message.to_string();
    }
    let min = error.params.get("min");
    let max = error.params.get("max");
    match (error.code.as_ref(), min, max) {
        ("email_invalid", _, _) => "must be an email address".into(),
        ("range", Some(min), Some(max)) => format!("must be from {min} to {max}"),
        (_, Some(min), Some(max)) => format!("must be {min} to {max} characters long"),
        (_, Some(min), None) => format!("must be at least {min} characters long"),
        (_, None, Some(max)) => format!("must be at most {max} characters long"),
        _ => "is invalid".into(),
    }
}

/// Answers `400 malformed_request` (or `413 payload_too_large`) for JSON bodies actix cannot read.
pub fn json_error(error: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api_error = match &error {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the body is larger than {limit} bytes"),
        ),
        JsonPayloadError::ContentType => {
            ApiError::malformed("the body must be JSON with Content-Type: application/json")
        }
        JsonPayloadError::Deserialize(e) => {
            ApiError::malformed(format!("the body is not valid: {e}"))
        }
        other => ApiError::malformed(format!("the body could not be read: {other}")),
    };
    api_error.into()
}

/// Answers `400 malformed_request` for query strings that do not parse.
pub fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::malformed(format!("the query string is not valid: {error}")).into()
}

/// Answers `400 malformed_request` for path parameters that do not parse (ids that are not UUIDs).
pub fn path_error(error: PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::malformed(format!("the path is not valid: {error}")).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;
    use actix_web::http::header::HeaderMap;
    use navigator_domain::Refusal;
    use validator::Validate;

    async fn render(error: ApiError) -> (StatusCode, HeaderMap, Problem) {
        let response = error.error_response();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body()).await.expect("body reads");
        let problem = serde_json::from_slice(&bytes).expect("body is a problem");
        (status, headers, problem)
    }

    #[actix_web::test]
    async fn refusals_map_to_409_or_422_with_their_code() {
        let (status, _, problem) = render(StoreError::Refused(Refusal::NoSeats).into()).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(problem.code, "no_seats");
        assert_eq!(problem.type_, "https://navigator.example/problems/no_seats");
        assert_eq!(problem.title, "No seats");
        assert_eq!(problem.detail, Refusal::NoSeats.to_string());

        let (status, headers, problem) =
            render(StoreError::Refused(Refusal::QuotaExhausted).into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem.code, "quota_exhausted");
        assert_eq!(
            headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()),
            Some(PROBLEM_JSON.as_bytes())
        );
    }

    #[actix_web::test]
    async fn store_errors_keep_their_meaning() {
        let (status, _, problem) = render(StoreError::NotFound.into()).await;
        assert_eq!(
            (status, problem.code.as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );

        let (status, _, problem) = render(StoreError::Forbidden("families only").into()).await;
        assert_eq!(
            (status, problem.code.as_str()),
            (StatusCode::FORBIDDEN, "forbidden")
        );

        let conflict = StoreError::Conflict("email_taken", "the email is taken".into());
        let (status, _, problem) = render(conflict.into()).await;
        assert_eq!(
            (status, problem.code.as_str()),
            (StatusCode::CONFLICT, "email_taken")
        );

        let invalid = StoreError::Invalid {
            field: "municipality_id",
            code: "unknown_municipality",
            message: "no such municipality".into(),
        };
        let (status, _, problem) = render(invalid.into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem.code, "validation_failed");
        assert_eq!(problem.errors.len(), 1);
        assert_eq!(problem.errors[0].field, "municipality_id");
        assert_eq!(problem.errors[0].code, "unknown_municipality");
    }

    #[actix_web::test]
    async fn database_errors_do_not_leak() {
        let error = StoreError::Database(sqlx::Error::Protocol("secret table layout".into()));
        let (status, _, problem) = render(error.into()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(problem.code, "internal");
        assert!(!problem.detail.contains("secret"));
    }

    #[actix_web::test]
    async fn validation_errors_list_fields_without_values() {
        let request = navigator_api_types::RegisterRequest {
            email: "not an email".into(),
            password: "hunter2".into(),
            full_name: "Иванова Мария".into(),
            municipality_id: None,
        };
        let errors = request.validate().expect_err("the request is invalid");
        let (status, _, problem) = render(errors.into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem.code, "validation_failed");
        let fields: Vec<(&str, &str)> = problem
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("email", "email_invalid"),
                ("password", "password_too_weak")
            ]
        );
        assert!(problem
            .errors
            .iter()
            .all(|e| !e.message.contains("hunter2")));
    }

    #[actix_web::test]
    async fn unauthorized_and_throttled_carry_their_headers() {
        let (_, headers, _) = render(ApiError::invalid_token("expired")).await;
        let challenge = headers.get(header::WWW_AUTHENTICATE);
        assert_eq!(
            challenge.map(|v| v.as_bytes()),
            Some(CHALLENGE_INVALID_TOKEN.as_bytes())
        );

        let (status, headers, problem) = render(ApiError::too_many_attempts(90)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(problem.code, "too_many_attempts");
        let retry = headers.get(header::RETRY_AFTER);
        assert_eq!(retry.map(|v| v.as_bytes()), Some(&b"90"[..]));
    }
}
