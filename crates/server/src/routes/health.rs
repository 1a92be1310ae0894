//! `GET /health`: whether the server and its database answer.

use actix_web::web;
use navigator_api_types::Health;
use navigator_store::Store;

/// Health of the server and its database
///
/// Always answers 200 while the server runs; `status` is `degraded` when the database does not
/// answer. For load balancers and monitoring.
#[utoipa::path(
    get,
    path = "/api/v1/health",
    tag = "health",
    responses((status = 200, description = "The server runs", body = Health)),
)]
pub async fn get_health(store: web::Data<dyn Store>) -> web::Json<Health> {
    let database = match store.ping().await {
        Ok(()) => "ok".to_owned(),
        Err(error) => {
            tracing::warn!(%error, "health check: the database does not answer");
            // The cause stays in the log: this endpoint is public.
            "unavailable".to_owned()
        }
    };
    web::Json(Health {
        status: if database == "ok" { "ok" } else { "degraded" }.to_owned(),
        database,
        backend: store.backend().as_str().to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}
