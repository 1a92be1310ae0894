//! Logging through `tracing`, to stderr so that stdout carries only what a command prints (the
//! OpenAPI document of `navigator openapi`, the banner of `navigator serve`).
//!
//! Each request is one span, logged when it closes with its duration. The span holds the method,
//! the route pattern (`/api/v1/children/{id}`, not the ids), the status and the problem code:
//! never bodies, query strings, client addresses or tokens, so that no personal data reaches the
//! logs.

use std::io::IsTerminal;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::HttpMessage;
use tracing::field::Empty;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

use crate::error::ApiError;
use crate::settings::LogFormat;

/// Installs the global subscriber with a filter such as `info` or `navigator_server=debug,info`,
/// writing text for people or one JSON object per line for log collectors. Fails when the filter
/// does not parse or a subscriber is already installed.
pub fn init(
    filter: &str,
    format: LogFormat,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let filter = EnvFilter::try_new(filter)
        .map_err(|e| format!("NAVIGATOR_LOG {filter:?} is not a tracing filter: {e}"))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        // The request span's fields (method, route, status, code) sit under `span`.
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    }
}

/// The root span of a request, for `tracing_actix_web::TracingLogger`.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request
            .match_pattern()
            .filter(|pattern| !pattern.is_empty())
            .unwrap_or_else(|| "(no route)".to_owned());
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            route = %route,
            request_id = %request_id,
            status = Empty,
            code = Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let (status, error) = match outcome {
            Ok(response) => (response.status(), response.response().error()),
            Err(error) => (error.as_response_error().status_code(), Some(error)),
        };
        span.record("status", status.as_u16());
        if let Some(api_error) = error.and_then(|e| e.as_error::<ApiError>()) {
            span.record("code", api_error.code());
        }
    }
}
