//! The built `navigator` binary as operations run it: `/metrics` for the scraper, JSON logs
//! without personal data, and a graceful shutdown on SIGTERM that finishes the requests in flight.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A running `navigator serve` on a fresh SQLite database; killed when dropped.
struct Server {
    process: Child,
    url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start(env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary directory: {e}"));
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap_or_else(|e| panic!("a free port: {e}"))
            .port();
        let log = dir.path().join("server.log");
        let stderr = std::fs::File::create(&log).unwrap_or_else(|e| panic!("the log file: {e}"));
        let process = Command::new(env!("CARGO_BIN_EXE_navigator"))
            .arg("serve")
            .current_dir(dir.path())
            .env_clear()
            .env("NAVIGATOR_ADDR", format!("127.0.0.1:{port}"))
            .env(
                "DATABASE_URL",
                format!(
                    "sqlite:{}?mode=rwc",
                    dir.path().join("navigator.db").display()
                ),
            )
            .env(
                "NAVIGATOR_JWT_SECRET",
                "operations-tests-secret-0123456789abcdef",
            )
            .env("NAVIGATOR_SPA_DIR", dir.path())
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("starting the server: {e}"));
        let server = Server {
            process,
            url: format!("http://127.0.0.1:{port}"),
            log,
            _dir: dir,
        };
        let started = Instant::now();
        while reqwest::get(format!("{}/api/v1/health", server.url))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server did not start: {}",
                server.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.process.id().to_string()])
            .status()
            .unwrap_or_else(|e| panic!("kill: {e}"));
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits for the process to exit by itself; its exit status.
    fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self
                .process
                .try_wait()
                .unwrap_or_else(|e| panic!("waiting for the server: {e}"))
            {
                return status;
            }
            assert!(started.elapsed() < timeout, "the server did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Already gone after a graceful shutdown; otherwise the test failed midway.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// `(status, content type, body)` of a GET.
async fn get(url: &str, token: Option<&str>) -> (u16, String, String) {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.unwrap_or_default();
    (status, content_type, body)
}

const A_CHILD: &str = "1c9a4a1e-5d7e-4d0a-9d61-7b8f0e2a3c44";

#[tokio::test]
async fn metrics_count_routes_by_pattern_and_show_the_pool_and_the_ledger() {
    let server = Server::start(&[("NAVIGATOR_SEED", "true")]).await;
    get(&format!("{}/api/v1/programs?q=шахматы", server.url), None).await;
    let (status, _, _) = get(&format!("{}/api/v1/children/{A_CHILD}", server.url), None).await;
    assert_eq!(status, 401);

    // No token configured: this test runs on the loopback interface, which may read.
    let (status, content_type, text) = get(&format!("{}/metrics", server.url), None).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    for expected in [
        "# TYPE navigator_http_requests_total counter",
        "navigator_http_requests_total{method=\"GET\",route=\"/api/v1/children/{id}\",status=\"401\"} 1",
        "navigator_http_requests_total{method=\"GET\",route=\"/api/v1/programs\",status=\"200\"} 1",
        "# TYPE navigator_http_request_duration_seconds histogram",
        "navigator_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/programs\",le=\"+Inf\"} 1",
        "navigator_db_pool_connections ",
        "navigator_db_pool_idle_connections ",
        "navigator_ledger_balance_roubles{account_kind=\"certificate\"} ",
        "navigator_ledger_up 1",
    ] {
        assert!(text.contains(expected), "{expected} is not in:\n{text}");
    }
    assert!(!text.contains(A_CHILD), "a raw path reached the metrics");
    assert!(
        !text.contains("шахматы"),
        "a query string reached the metrics"
    );
    // Every posting sums to zero, so the kinds' totals do too.
    let kopecks: i64 = text
        .lines()
        .filter(|line| line.starts_with("navigator_ledger_balance_roubles{"))
        .filter_map(|line| line.rsplit(' ').next())
        .map(|amount| {
            amount
                .replace('.', "")
                .parse::<i64>()
                .unwrap_or_else(|e| panic!("{amount} is not an amount: {e}"))
        })
        .sum();
    assert_eq!(kopecks, 0, "the ledger's kinds do not sum to zero:\n{text}");

    // Not a public operation: the API's document does not list it.
    let (_, _, document) = get(&format!("{}/api/v1/openapi.json", server.url), None).await;
    assert!(!document.contains("\"/metrics\""));
}

#[tokio::test]
async fn with_a_token_metrics_need_it_and_logs_are_json_without_personal_data() {
    let server = Server::start(&[
        ("NAVIGATOR_SEED", "false"),
        ("NAVIGATOR_METRICS_TOKEN", "scrape-token-for-tests"),
        ("NAVIGATOR_LOG_FORMAT", "json"),
        ("NAVIGATOR_LOG", "info"),
    ])
    .await;
    let metrics = format!("{}/metrics", server.url);
    assert_eq!(get(&metrics, None).await.0, 404);
    assert_eq!(get(&metrics, Some("another-token")).await.0, 404);
    assert_eq!(get(&metrics, Some("scrape-token-for-tests")).await.0, 200);

    // Personal data in the path, the query and the body of requests.
    get(&format!("{}/api/v1/programs?q=Петрова", server.url), None).await;
    get(&format!("{}/api/v1/children/{A_CHILD}", server.url), None).await;
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/register", server.url))
        .json(&json!({
            "email": "anna.petrova@tests.example", "password": "a long family password",
            "full_name": "Петрова Анна Сергеевна"
        }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("registering: {e}"));
    assert_eq!(response.status().as_u16(), 201);

    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = server.log_text();
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let routes: Vec<&str> = lines
        .iter()
        .filter_map(|line| line["span"]["route"].as_str())
        .collect();
    assert!(
        routes.contains(&"/api/v1/children/{id}") && routes.contains(&"/api/v1/auth/register"),
        "request spans with their route patterns: {log}"
    );
    for personal in ["Петрова", "anna.petrova", A_CHILD, "a long family password"] {
        assert!(
            !log.contains(personal),
            "{personal} reached the log:\n{log}"
        );
    }
}

#[tokio::test]
async fn sigterm_lets_the_requests_in_flight_finish() {
    let mut server = Server::start(&[("NAVIGATOR_SEED", "false")]).await;
    // Registrations hash passwords with argon2id on a small blocking pool: sixteen at once keep
    // the server busy for a while.
    let client = reqwest::Client::new();
    let requests: Vec<_> = (0..16)
        .map(|i| {
            let request = client
                .post(format!("{}/api/v1/auth/register", server.url))
                .json(&json!({
                    "email": format!("parent{i}@tests.example"),
                    "password": "a long family password",
                    "full_name": "Иванова Мария"
                }))
                .send();
            tokio::spawn(async move {
                let response = request.await;
                (response.map(|r| r.status().as_u16()), Instant::now())
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(30)).await;
    server.terminate();
    let terminated = Instant::now();

    let mut finished_after_the_signal = 0;
    for request in requests {
        let (status, at) = request
            .await
            .unwrap_or_else(|e| panic!("the request task: {e}"));
        let status = status.unwrap_or_else(|e| panic!("a request in flight was cut: {e}"));
        assert_eq!(status, 201);
        finished_after_the_signal += usize::from(at > terminated);
    }
    assert!(
        finished_after_the_signal > 0,
        "every request finished before SIGTERM: nothing was in flight"
    );
    let status = server.wait(Duration::from_secs(30));
    assert!(status.success(), "the server exited with {status}");
}
