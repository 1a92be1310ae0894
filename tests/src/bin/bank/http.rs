//! The clients' HTTP: signs in lazily per account, sends `Idempotency-Key` on money-moving POSTs
//! and retries like a real client. A request whose outcome is unknown (the connection broke, a
//! 5xx, `idempotency_in_progress`) is retried with the same key until it gets an answer or the
//! run's retry deadline passes; an answer that follows such an attempt is taken as an outcome only
//! when it is a success, since a refusal then may be the echo of the first attempt's effect
//! (`application_transition_not_allowed` after an acceptance that did commit).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::Failure;

/// What a client saw of one operation.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 2xx with its body.
    Ok(Value),
    /// A 4xx answer, by its problem `code`.
    Refused(String),
    /// No answer that tells what happened.
    Unknown(&'static str),
}

pub struct Api {
    http: reqwest::Client,
    base: String,
    passwords: HashMap<String, String>,
    tokens: Mutex<HashMap<String, String>>,
    give_up_at: Instant,
    server_errors: AtomicU64,
}

impl Api {
    pub fn new(
        base: String,
        passwords: HashMap<String, String>,
        give_up_at: Instant,
    ) -> Result<Api, Failure> {
        Ok(Api {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .pool_max_idle_per_host(4)
                .build()?,
            base,
            passwords,
            tokens: Mutex::new(HashMap::new()),
            give_up_at,
            server_errors: AtomicU64::new(0),
        })
    }

    fn cached_token(&self, account: &str) -> Option<String> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(account)
            .cloned()
    }

    fn forget_token(&self, account: &str) {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(account);
    }

    async fn token(&self, account: &str) -> Result<String, &'static str> {
        if let Some(token) = self.cached_token(account) {
            return Ok(token);
        }
        let password = self.passwords.get(account).ok_or("unknown account")?;
        let body = json!({ "email": account, "password": password });
        loop {
            let sent = self
                .http
                .post(format!("{}/auth/login", self.base))
                .json(&body)
                .send()
                .await;
            if let Ok(response) = sent {
                if response.status().is_success() {
                    let tokens: Value = response.json().await.map_err(|_| "login body")?;
                    let token = tokens["access_token"]
                        .as_str()
                        .ok_or("login without a token")?
                        .to_owned();
                    self.tokens
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(account.to_owned(), token.clone());
                    return Ok(token);
                }
                if response.status().is_client_error() {
                    return Err("sign-in refused");
                }
            }
            if Instant::now() > self.give_up_at {
                return Err("server unreachable for sign-in");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// One operation as `account`, retried until it has an outcome.
    pub async fn call(
        &self,
        account: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        idempotent: bool,
    ) -> Outcome {
        let key = idempotent.then(|| Uuid::new_v4().to_string());
        let mut uncertain = false;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let token = match self.token(account).await {
                Ok(token) => token,
                Err(why) => return Outcome::Unknown(why),
            };
            let mut request = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .bearer_auth(token);
            if let Some(key) = &key {
                request = request.header("Idempotency-Key", key);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            match request.send().await {
                Err(_) => uncertain = true,
                Ok(response) => {
                    let status = response.status();
                    let value: Value = response.json().await.unwrap_or(Value::Null);
                    let code = value["code"].as_str().unwrap_or("").to_owned();
                    if status.is_success() {
                        return Outcome::Ok(value);
                    } else if status.as_u16() == 401 {
                        self.forget_token(account);
                    } else if status.is_server_error() || code == "idempotency_in_progress" {
                        if status.is_server_error() {
                            self.server_errors.fetch_add(1, Ordering::Relaxed);
                        }
                        uncertain = true;
                    } else if uncertain {
                        return Outcome::Unknown("refused after an unanswered attempt");
                    } else {
                        return Outcome::Refused(if code.is_empty() {
                            format!("http_{}", status.as_u16())
                        } else {
                            code
                        });
                    }
                }
            }
            if Instant::now() > self.give_up_at {
                return Outcome::Unknown("no answer before the retry deadline");
            }
            let backoff = 50u64.saturating_mul(1 << attempt.min(5)).min(1_000);
            tokio::time::sleep(Duration::from_millis(backoff)).await;
        }
    }

    /// 5xx answers seen so far (each retried): a crash's aftermath, or a defect.
    pub fn server_errors(&self) -> u64 {
        self.server_errors.load(Ordering::Relaxed)
    }

    /// A GET that must work (setup and checks): retried while the server is unreachable.
    pub async fn get(&self, account: &str, path: &str) -> Result<Value, Failure> {
        match self.call(account, Method::GET, path, None, false).await {
            Outcome::Ok(value) => Ok(value),
            other => Err(format!("GET {path} as {account}: {other:?}").into()),
        }
    }

    /// A POST that must work (setup).
    pub async fn post(&self, account: &str, path: &str, body: &Value) -> Result<Value, Failure> {
        match self
            .call(account, Method::POST, path, Some(body), true)
            .await
        {
            Outcome::Ok(value) => Ok(value),
            other => Err(format!("POST {path} as {account}: {other:?}").into()),
        }
    }
}
