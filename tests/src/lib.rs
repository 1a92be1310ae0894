//! The integration test harness of the navigator.
//!
//! A [`TestApp`] is one test's world: a fresh database (a SQLite file in a temporary directory, or
//! a new database on this binary's throwaway PostgreSQL cluster), the real server on a free port,
//! the demo data seeded, and an HTTP client whose every response is checked against
//! `openapi/openapi.json` ([`contract`]). Scenarios are written once as
//! `async fn scenario(app: &TestApp)` and run on both backends by [`on_both_backends!`].
//!
//! PostgreSQL tests follow `NAVIGATOR_TEST_POSTGRES`: `require` (CI) runs them and fails without
//! the binaries; unset runs them when the binaries are installed and skips them with a notice
//! otherwise; `skip` skips them.

pub mod contract;
pub mod postgres;
pub mod world;

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use navigator_api_types::{CreateStaffRequest, Problem, RegisterRequest, Role, Tokens, User};
use navigator_server::mail::{Email, MemoryMailer};
use navigator_server::seed::{seed_demo, DEMO_ACCOUNTS};
use navigator_server::settings::Settings;
use navigator_server::startup::Application;
use navigator_store::Store;

pub use contract::Contract;
pub use reqwest::StatusCode;

/// The database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// As the health endpoint names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Keeps the test's database alive for as long as the test runs.
enum Database {
    /// The file's directory, removed when the test ends.
    Sqlite { _dir: tempfile::TempDir },
    Postgres {
        cluster: &'static postgres::Cluster,
        name: String,
    },
}

/// One test's running navigator.
pub struct TestApp {
    pub backend: Backend,
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// The date the server uses for `today` (UTC), as the tests compute it.
    pub today: NaiveDate,
    store: Arc<dyn Store>,
    mailer: Arc<MemoryMailer>,
    client: reqwest::Client,
    contract: &'static Contract,
    database: Database,
    database_url: String,
}

impl TestApp {
    /// A fresh navigator on `backend`, seeded with the demo data; `None` when PostgreSQL tests are
    /// skipped (see the crate's documentation).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        // Read first: a missing or broken document should fail before any server starts.
        let contract = Contract::committed();
        let (database, url) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::Builder::new()
                    .prefix("navigator-tests-sqlite-")
                    .tempdir()
                    .expect("a temporary directory for the SQLite database");
                let url = format!(
                    "sqlite:{}?mode=rwc",
                    dir.path().join("navigator.db").display()
                );
                (Database::Sqlite { _dir: dir }, url)
            }
            Backend::Postgres => {
                let cluster = postgres::Cluster::shared()?;
                let name = format!("navigator_test_{}", Uuid::new_v4().simple());
                let url = cluster.create_database(&name).await;
                (Database::Postgres { cluster, name }, url)
            }
        };

        let settings = Settings::for_tests(url.clone());
        let store = navigator_store::connect(settings.database_url.expose())
            .await
            .unwrap_or_else(|e| panic!("the {} database did not open: {e}", backend.as_str()));
        let mailer = Arc::new(MemoryMailer::default());
        let application = Application::build_with_parts(settings, store, mailer.clone())
            .await
            .unwrap_or_else(|e| panic!("the server did not start on {}: {e}", backend.as_str()));
        let address = format!("http://127.0.0.1:{}", application.port());
        let store = application.store();
        let today = Utc::now().date_naive();
        seed_demo(store.as_ref(), today)
            .await
            .unwrap_or_else(|e| panic!("seeding the demo data failed: {e}"));
        // Serves until the test's runtime shuts down; `finish` closes a PostgreSQL database's
        // connections that outlive it.
        tokio::spawn(application.run_until_stopped());

        Some(TestApp {
            backend,
            address,
            today,
            store,
            mailer,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("an HTTP client"),
            contract,
            database,
            database_url: url,
        })
    }

    /// The server's store, to arrange what the API cannot (a municipality whose quota is 0…) and
    /// to check the ledger.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The test's own database, for checks below the API (a fingerprint of every table).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The letters the server has sent so far, oldest first.
    pub fn letters(&self) -> Vec<Email> {
        self.mailer.sent()
    }

    /// Runs the notification dispatcher once, as the server's periodic task would: every
    /// notification not yet emailed becomes a letter in [`TestApp::letters`]. Returns how many.
    pub async fn dispatch_notifications(&self) -> u64 {
        navigator_server::outbox::dispatch_notifications(
            self.store(),
            self.mailer.as_ref(),
            navigator_server::outbox::BATCH,
        )
        .await
        .unwrap_or_else(|e| panic!("dispatching the notifications failed: {e}"))
    }

    /// After a scenario has passed: the ledger must balance, and a PostgreSQL database is dropped
    /// so that the cluster does not fill up with the connections of finished tests.
    pub async fn finish(self) {
        self.assert_ledger_balanced().await;
        if let Database::Postgres { cluster, name } = &self.database {
            cluster.drop_database(name).await;
        }
    }

    /// Every invariant of the ledger holds: money is never lost, created or spent twice.
    pub async fn assert_ledger_balanced(&self) {
        let violations = self
            .store
            .verify_ledger()
            .await
            .unwrap_or_else(|e| panic!("verify_ledger failed: {e}"));
        assert!(
            violations.is_empty(),
            "the ledger does not balance on {}: {violations:#?}",
            self.backend.as_str()
        );
    }

    // Requests ---------------------------------------------------------------------------------

    /// A request to `/api/v1{path}`.
    pub fn request(&self, method: Method, path: &str) -> ApiRequest<'_> {
        ApiRequest {
            app: self,
            method,
            path: format!("/api/v1{path}"),
            token: None,
            headers: Vec::new(),
            body: None,
            raw: None,
        }
    }

    pub fn get(&self, path: &str) -> ApiRequest<'_> {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> ApiRequest<'_> {
        self.request(Method::POST, path)
    }

    // Accounts ---------------------------------------------------------------------------------

    /// Signs in; the tokens.
    pub async fn sign_in(&self, email: &str, password: &str) -> Tokens {
        self.post("/auth/login")
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .ok(StatusCode::OK)
    }

    /// Signs in; the access token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        self.sign_in(email, password).await.access_token
    }

    /// The access token of the first demo account of `role`.
    pub async fn demo_login(&self, role: Role) -> String {
        let account = DEMO_ACCOUNTS
            .iter()
            .find(|a| a.role == role.as_str())
            .unwrap_or_else(|| panic!("the demo data has no {} account", role.as_str()));
        self.login(account.email, account.password).await
    }

    /// A newly registered family, signed in.
    pub async fn register_family(&self) -> Family {
        let email = format!("family-{}@tests.example", Uuid::new_v4().simple());
        let password = "correct horse battery staple".to_string();
        let tokens: Tokens = self
            .post("/auth/register")
            .json(&RegisterRequest {
                email: email.clone(),
                password: password.clone(),
                full_name: "Петрова Анна Сергеевна".into(),
                municipality_id: None,
            })
            .send()
            .await
            .ok(StatusCode::CREATED);
        Family {
            email,
            password,
            token: tokens.access_token.clone(),
            user: tokens.user.clone(),
            tokens,
        }
    }

    /// A staff account created through the API (`POST /users`) by an operator, signed in.
    pub async fn create_staff(
        &self,
        operator_token: &str,
        role: Role,
        provider_id: Option<Uuid>,
        municipality_id: Option<Uuid>,
    ) -> Staff {
        let email = format!(
            "{}-{}@tests.example",
            role.as_str(),
            Uuid::new_v4().simple()
        );
        let password = "staff password for tests";
        let user: User = self
            .post("/users")
            .token(operator_token)
            .json(&CreateStaffRequest {
                email: email.clone(),
                password: password.into(),
                full_name: "Сидоров Павел Игоревич".into(),
                role,
                provider_id,
                municipality_id,
            })
            .send()
            .await
            .ok(StatusCode::CREATED);
        let token = self.login(&email, password).await;
        Staff { user, token }
    }
}

/// A family account made by [`TestApp::register_family`].
#[derive(Debug, Clone)]
pub struct Family {
    pub email: String,
    pub password: String,
    pub tokens: Tokens,
    /// The access token.
    pub token: String,
    pub user: User,
}

/// A staff account made by [`TestApp::create_staff`].
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub token: String,
}

/// A request being built; [`ApiRequest::send`] checks the response against the contract.
pub struct ApiRequest<'a> {
    app: &'a TestApp,
    method: Method,
    path: String,
    token: Option<String>,
    headers: Vec<(&'static str, String)>,
    body: Option<Value>,
    /// A body that is not JSON, with its content type.
    raw: Option<(String, Vec<u8>)>,
}

impl ApiRequest<'_> {
    /// `Authorization: Bearer {token}`.
    pub fn token(mut self, token: &str) -> Self {
        self.token = Some(token.to_string());
        self
    }

    /// Another request header, e.g. `Idempotency-Key`.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// A body of another media type, such as a CSV file.
    pub fn raw(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.raw = Some((content_type.to_string(), body.into()));
        self
    }

    pub fn json(mut self, body: &impl Serialize) -> Self {
        self.body = Some(serde_json::to_value(body).expect("a request body serialises"));
        self
    }

    /// Sends the request and checks the response against `openapi/openapi.json`: a response that
    /// breaks the contract fails the test here, naming the operation, the status and the errors.
    pub async fn send(self) -> ApiResponse {
        let contract = self.app.contract;
        let operation = contract
            .operation_label(self.method.as_str(), &self.path)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut request = self.app.client.request(
            self.method.clone(),
            format!("{}{}", self.app.address, self.path),
        );
        if let Some(token) = &self.token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        if let Some(body) = &self.body {
            request = request.json(body);
        }
        if let Some((content_type, body)) = &self.raw {
            request = request
                .header(CONTENT_TYPE, content_type)
                .body(body.clone());
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{operation}: the request failed: {e}"));
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("{operation}: reading the body failed: {e}"));
        let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
        if let Err(violation) = contract.check(
            self.method.as_str(),
            &self.path,
            status.as_u16(),
            content_type,
            &bytes,
        ) {
            panic!("{violation}\nbody: {}", String::from_utf8_lossy(&bytes));
        }
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        ApiResponse {
            operation,
            status,
            headers,
            body,
            bytes: bytes.to_vec(),
        }
    }
}

/// A response that passed the contract check.
#[derive(Debug)]
pub struct ApiResponse {
    /// `operationId (METHOD /template)`, for messages.
    pub operation: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The JSON body; `null` when there is none.
    pub body: Value,
    /// The body as received, for files that are not text.
    pub bytes: Vec<u8>,
}

impl ApiResponse {
    /// Asserts the status and reads the body as `T`.
    #[track_caller]
    pub fn ok<T: DeserializeOwned>(self, expected: StatusCode) -> T {
        self.assert_status(expected);
        serde_json::from_value(self.body.clone()).unwrap_or_else(|e| {
            panic!(
                "{}: the body is not a {}: {e}\n{:#}",
                self.operation,
                std::any::type_name::<T>(),
                self.body
            )
        })
    }

    /// Asserts a problem with this status and `code`, and returns it.
    #[track_caller]
    pub fn problem(self, expected: StatusCode, code: &str) -> Problem {
        self.assert_status(expected);
        let problem: Problem = serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("{}: not a problem: {e}\n{:#}", self.operation, self.body));
        assert_eq!(
            problem.code, code,
            "{}: expected the problem `{code}`, got {problem:#?}",
            self.operation
        );
        problem
    }

    /// Asserts the status.
    #[track_caller]
    pub fn assert_status(&self, expected: StatusCode) {
        assert_eq!(
            self.status, expected,
            "{}: expected {expected}, got {}: {:#}",
            self.operation, self.status, self.body
        );
    }
}

/// Writes each scenario (an `async fn(&TestApp)` in scope) as a test on SQLite and one on
/// PostgreSQL: `sqlite::name` and `postgres::name`. Each gets a fresh navigator and, when the
/// scenario passes, the ledger is verified.
#[macro_export]
macro_rules! on_both_backends {
    ($($scenario:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $scenario() {
                    $crate::run(super::$scenario, $crate::Backend::Sqlite).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $scenario() {
                    $crate::run(super::$scenario, $crate::Backend::Postgres).await;
                }
            )+
        }
    };
}

/// Runs one scenario on a fresh navigator (see [`on_both_backends!`]).
pub async fn run<F>(scenario: F, backend: Backend)
where
    F: for<'a> Scenario<'a>,
{
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    scenario.call(&app).await;
    app.finish().await;
}

/// An `async fn(&TestApp)`: spelled as a trait because the future borrows the app.
pub trait Scenario<'a> {
    type Future: std::future::Future<Output = ()> + 'a;
    fn call(self, app: &'a TestApp) -> Self::Future;
}

impl<'a, F, Fut> Scenario<'a> for F
where
    F: FnOnce(&'a TestApp) -> Fut,
    Fut: std::future::Future<Output = ()> + 'a,
{
    type Future = Fut;
    fn call(self, app: &'a TestApp) -> Fut {
        self(app)
    }
}
