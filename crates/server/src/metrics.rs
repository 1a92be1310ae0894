//! `GET /metrics` in the Prometheus text exposition format (version 0.0.4): requests by route
//! pattern and status, latency histograms by route pattern, the database pool, and the ledger's
//! totals by account kind.
//!
//! Not a public operation, so not in the OpenAPI document. Who may read it: with
//! `NAVIGATOR_METRICS_TOKEN` set, whoever sends `Authorization: Bearer <that token>`, from
//! anywhere; without it, only clients on the loopback interface (a scraper on the same host or a
//! sidecar). Everyone else is answered `404`, as for any unknown path, so that the endpoint is not
//! advertised.
//!
//! Routes are recorded by their pattern (`/api/v1/children/{id}`), never the raw path, so that
//! ids do not reach the metrics and the number of series stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use navigator_store::Store;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::settings::Secret;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The label of requests no route matched (unknown paths, the SPA's files).
const NO_ROUTE: &str = "(no route)";

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Counts per bucket of [`BUCKETS`], not cumulative; the exposition sums them.
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

#[derive(Debug, Default)]
struct Recorded {
    /// (method, route pattern, status) → requests.
    requests: BTreeMap<(String, String, u16), u64>,
    /// (method, route pattern) → latency.
    latency: BTreeMap<(String, String), Histogram>,
}

/// The request counters and histograms of this process.
#[derive(Debug, Default)]
pub struct Metrics {
    recorded: Mutex<Recorded>,
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        // Plain counters: a panic elsewhere cannot leave them half-updated.
        let mut recorded = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        *recorded
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let histogram = recorded
            .latency
            .entry((method.to_owned(), route.to_owned()))
            .or_default();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[bucket] += 1;
        }
        histogram.count += 1;
        histogram.sum_seconds += seconds;
    }

    /// The exposition of the counters and histograms.
    fn render_requests(&self, out: &mut String) {
        let recorded = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        out.push_str("# HELP navigator_http_requests_total HTTP requests answered, by route pattern and status.\n");
        out.push_str("# TYPE navigator_http_requests_total counter\n");
        for ((method, route, status), count) in &recorded.requests {
            let _ = writeln!(
                out,
                "navigator_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        out.push_str(
            "# HELP navigator_http_request_duration_seconds Time to answer, by route pattern.\n",
        );
        out.push_str("# TYPE navigator_http_request_duration_seconds histogram\n");
        for ((method, route), histogram) in &recorded.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                cumulative += count;
                let _ = writeln!(
                    out,
                    "navigator_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "navigator_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "navigator_http_request_duration_seconds_sum{{{labels}}} {}",
                histogram.sum_seconds
            );
            let _ = writeln!(
                out,
                "navigator_http_request_duration_seconds_count{{{labels}}} {}",
                histogram.count
            );
        }
    }
}

/// Label values are quoted; a route pattern holds no quote or backslash, but escape anyway.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: counts every request by its route pattern and status, and times it.
pub async fn record(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .match_pattern()
        .filter(|pattern| !pattern.is_empty())
        .unwrap_or_else(|| NO_ROUTE.to_owned());
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();
    let outcome = next.call(request).await;
    if let Some(metrics) = metrics {
        let status = match &outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        metrics.record(
            &method,
            &route,
            status.as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    outcome
}

/// Who may read `/metrics`: see the module's documentation.
#[derive(Debug, Clone)]
pub struct MetricsAccess {
    /// SHA-256 of the token, compared with the hash of the one presented, so that the comparison
    /// takes the same time whatever the token.
    token_hash: Option<[u8; 32]>,
}

impl MetricsAccess {
    pub fn new(token: Option<&Secret>) -> MetricsAccess {
        MetricsAccess {
            token_hash: token.map(|token| Sha256::digest(token.expose().as_bytes()).into()),
        }
    }

    fn allows(&self, request: &HttpRequest) -> bool {
        match &self.token_hash {
            Some(expected) => request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .is_some_and(|presented| {
                    let presented: [u8; 32] = Sha256::digest(presented.trim().as_bytes()).into();
                    presented == *expected
                }),
            None => request
                .peer_addr()
                .is_some_and(|peer| peer.ip().is_loopback()),
        }
    }
}

/// `GET /metrics`.
pub async fn get_metrics(
    request: HttpRequest,
    access: web::Data<MetricsAccess>,
    metrics: web::Data<Metrics>,
    store: web::Data<dyn Store>,
) -> HttpResponse {
    if !access.allows(&request) {
        return ApiError::no_route().error_response();
    }
    let mut out = String::new();
    metrics.render_requests(&mut out);

    let pool = store.pool_gauges();
    out.push_str("# HELP navigator_db_pool_connections Open database connections, busy or idle.\n");
    out.push_str("# TYPE navigator_db_pool_connections gauge\n");
    let _ = writeln!(out, "navigator_db_pool_connections {}", pool.size);
    out.push_str("# HELP navigator_db_pool_idle_connections Idle database connections.\n");
    out.push_str("# TYPE navigator_db_pool_idle_connections gauge\n");
    let _ = writeln!(out, "navigator_db_pool_idle_connections {}", pool.idle);
    out.push_str("# HELP navigator_db_pool_max_connections The pool's limit.\n");
    out.push_str("# TYPE navigator_db_pool_max_connections gauge\n");
    let _ = writeln!(out, "navigator_db_pool_max_connections {}", pool.max);

    match store.ledger_totals().await {
        Ok(totals) => {
            out.push_str("# HELP navigator_ledger_balance_roubles The sum of the balances of the ledger's accounts, by kind.\n");
            out.push_str("# TYPE navigator_ledger_balance_roubles gauge\n");
            for total in &totals {
                let _ = writeln!(
                    out,
                    "navigator_ledger_balance_roubles{{account_kind=\"{}\"}} {}",
                    escape(&total.account_kind),
                    total.balance
                );
            }
            out.push_str("# HELP navigator_ledger_accounts The ledger's accounts, by kind.\n");
            out.push_str("# TYPE navigator_ledger_accounts gauge\n");
            for total in &totals {
                let _ = writeln!(
                    out,
                    "navigator_ledger_accounts{{account_kind=\"{}\"}} {}",
                    escape(&total.account_kind),
                    total.accounts
                );
            }
            out.push_str("# HELP navigator_ledger_up Whether the ledger's totals could be read.\n");
            out.push_str("# TYPE navigator_ledger_up gauge\nnavigator_ledger_up 1\n");
        }
        Err(error) => {
            tracing::warn!(%error, "metrics: the ledger's totals could not be read");
            out.push_str("# HELP navigator_ledger_up Whether the ledger's totals could be read.\n");
            out.push_str("# TYPE navigator_ledger_up gauge\nnavigator_ledger_up 0\n");
        }
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counters_keyed_by_pattern() {
        let metrics = Metrics::default();
        metrics.record("GET", "/api/v1/children/{id}", 200, 0.003);
        metrics.record("GET", "/api/v1/children/{id}", 404, 0.2);
        metrics.record("GET", "/api/v1/children/{id}", 200, 7.0);
        let mut out = String::new();
        metrics.render_requests(&mut out);
        assert!(out.contains(
            "navigator_http_requests_total{method=\"GET\",route=\"/api/v1/children/{id}\",status=\"200\"} 2"
        ));
        let bucket = |le: &str| {
            format!("navigator_http_request_duration_seconds_bucket{{method=\"GET\",route=\"/api/v1/children/{{id}}\",le=\"{le}\"}} ")
        };
        assert!(out.contains(&format!("{}0\n", bucket("0.001"))));
        assert!(out.contains(&format!("{}1\n", bucket("0.005"))));
        assert!(out.contains(&format!("{}2\n", bucket("0.25"))));
        assert!(out.contains(&format!("{}2\n", bucket("5"))));
        assert!(out.contains(&format!("{}3\n", bucket("+Inf"))));
    }

    #[test]
    fn a_token_when_configured_loopback_otherwise() {
        use actix_web::test::TestRequest;
        let loopback = "127.0.0.1:5000".parse().expect("an address");
        let remote = "203.0.113.7:5000".parse().expect("an address");
        let open = MetricsAccess::new(None);
        assert!(open.allows(&TestRequest::default().peer_addr(loopback).to_http_request()));
        assert!(!open.allows(&TestRequest::default().peer_addr(remote).to_http_request()));

        let guarded = MetricsAccess::new(Some(&Secret::new("scrape-token")));
        let with = |value: &str| {
            TestRequest::default()
                .peer_addr(remote)
                .insert_header((header::AUTHORIZATION, value))
                .to_http_request()
        };
        assert!(guarded.allows(&with("Bearer scrape-token")));
        assert!(!guarded.allows(&with("Bearer another")));
        assert!(!guarded.allows(&TestRequest::default().peer_addr(loopback).to_http_request()));
    }
}
