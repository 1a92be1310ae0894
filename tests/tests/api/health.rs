//! `GET /health`.

use navigator_api_types::Health;
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(health_reports_the_database_and_the_backend);

async fn health_reports_the_database_and_the_backend(app: &TestApp) {
    let health: Health = app.get("/health").send().await.ok(StatusCode::OK);
    assert_eq!(health.status, "ok");
    assert_eq!(health.database, "ok");
    assert_eq!(health.backend, app.backend.as_str());
    assert!(!health.version.is_empty());
}
