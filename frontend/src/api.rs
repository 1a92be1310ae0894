//! The client of the navigator's REST API, served by the same origin under `/api/v1`.
//!
//! Calls for the signed-in user send the access token; when the server answers 401 the client
//! exchanges the refresh token once and retries, and when that fails too it ends the session.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use navigator_api_types::{
    Certificate, Child, CreateChildRequest, FieldError, LoginRequest, Municipality, Page, Problem,
    Program, ProgramSummary, RefreshRequest, RegisterRequest, Tokens, User,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::i18n::{self, t, Key};
use crate::session::Session;

const API_BASE: &str = "/api/v1";

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached, or the answer broke off.
    Network,
    /// The server refused; `problem` is its `application/problem+json`, when it sent one.
    Http {
        status: u16,
        problem: Option<Box<Problem>>,
    },
    /// The JSON of a request or an answer does not fit this version of the app: the server was
    /// updated and the page not yet reloaded.
    Incompatible,
    /// Not signed in, or the session expired and could not be renewed (it has been ended).
    SignedOut,
}

impl ApiError {
    /// What went wrong, in words for a parent: never the server's raw text.
    pub fn message(&self) -> &'static str {
        t(self.message_key())
    }

    fn message_key(&self) -> Key {
        match self {
            ApiError::Network => Key::ErrNetwork,
            ApiError::Incompatible => Key::ErrUnexpected,
            ApiError::SignedOut => Key::SessionExpired,
            ApiError::Http { status, problem } => problem
                .as_ref()
                .and_then(|p| i18n::problem_code(&p.code))
                .unwrap_or(match status {
                    422 => Key::ErrValidation,
                    401 => Key::ErrUnauthorized,
                    403 => Key::ErrForbidden,
                    404 | 410 => Key::ErrNotFound,
                    409 | 412 => Key::ErrConflict,
                    429 => Key::ErrRateLimited,
                    500.. => Key::ErrServer,
                    _ => Key::ErrUnexpected,
                }),
        }
    }

    /// The server's complaint about one field of a form, translated.
    pub fn field_message(&self, field: &str) -> Option<&'static str> {
        self.field_errors()
            .iter()
            .find(|e| e.field == field)
            .map(|e| t(i18n::field_code(&e.code)))
    }

    fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Http {
                problem: Some(problem),
                ..
            } => &problem.errors,
            _ => &[],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The endpoints

pub async fn municipalities() -> Result<Vec<Municipality>, ApiError> {
    public(Method::GET, "/municipalities", &[], None::<&()>).await
}

/// A page of the catalog; `filters` are the query parameters of `GET /programs`.
pub async fn programs(filters: &[(&str, String)]) -> Result<Page<ProgramSummary>, ApiError> {
    public(Method::GET, "/programs", filters, None::<&()>).await
}

pub async fn program(id: Uuid) -> Result<Program, ApiError> {
    public(Method::GET, &format!("/programs/{id}"), &[], None::<&()>).await
}

pub async fn login(request: &LoginRequest) -> Result<Tokens, ApiError> {
    public(Method::POST, "/auth/login", &[], Some(request)).await
}

pub async fn register(request: &RegisterRequest) -> Result<Tokens, ApiError> {
    public(Method::POST, "/auth/register", &[], Some(request)).await
}

/// Ends the session here at once and tells the server to revoke the refresh token. The server's
/// answer does not matter to the user: the tokens are gone from this device either way.
pub async fn logout(session: Session) {
    let refresh_token = session.refresh_token();
    session.forget();
    if let Some(refresh_token) = refresh_token {
        let request = RefreshRequest { refresh_token };
        let _ = public::<()>(Method::POST, "/auth/logout", &[], Some(&request)).await;
    }
}

pub async fn me(session: Session) -> Result<User, ApiError> {
    authorized(session, Method::GET, "/me", None::<&()>).await
}

pub async fn children(session: Session) -> Result<Vec<Child>, ApiError> {
    authorized(session, Method::GET, "/children", None::<&()>).await
}

pub async fn add_child(session: Session, request: &CreateChildRequest) -> Result<Child, ApiError> {
    authorized(session, Method::POST, "/children", Some(request)).await
}

/// The family asks for the child's certificate online; it starts as pending.
pub async fn request_certificate(
    session: Session,
    child_id: Uuid,
) -> Result<Certificate, ApiError> {
    authorized(
        session,
        Method::POST,
        &format!("/children/{child_id}/certificate"),
        None::<&()>,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Transport

async fn public<T: DeserializeOwned>(
    method: Method,
    path: &str,
    query: &[(&str, String)],
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let body = encode(body)?;
    decode(send(method, path, query, body.as_deref(), None).await?).await
}

async fn authorized<T: DeserializeOwned>(
    session: Session,
    method: Method,
    path: &str,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let body = encode(body)?;
    let token = session.access_token().ok_or(ApiError::SignedOut)?;
    let response = send(method.clone(), path, &[], body.as_deref(), Some(&token)).await?;
    if response.status() != 401 {
        return decode(response).await;
    }
    let renewed = renewed_access_token(session, &token).await?;
    decode(send(method, path, &[], body.as_deref(), Some(&renewed)).await?).await
}

fn encode(body: Option<&impl Serialize>) -> Result<Option<String>, ApiError> {
    body.map(serde_json::to_string)
        .transpose()
        .map_err(|_| ApiError::Incompatible)
}

async fn send(
    method: Method,
    path: &str,
    query: &[(&str, String)],
    body: Option<&str>,
    access_token: Option<&str>,
) -> Result<Response, ApiError> {
    let mut request = RequestBuilder::new(&format!("{API_BASE}{path}"))
        .method(method)
        .query(query.iter().map(|(name, value)| (*name, value.as_str())))
        .header("Accept", "application/json");
    if let Some(token) = access_token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Some(json) => request
            .header("Content-Type", "application/json")
            .body(json),
        None => request.build(),
    }
    .map_err(|_| ApiError::Network)?;
    request.send().await.map_err(|_| ApiError::Network)
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    if (200..300).contains(&status) {
        // 204 No Content has no body; `()` reads it as JSON null.
        let json = if text.is_empty() { "null" } else { &text };
        serde_json::from_str(json).map_err(|_| ApiError::Incompatible)
    } else {
        Err(ApiError::Http {
            status,
            problem: serde_json::from_str(&text).ok(),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Renewing the access token

type Renewal = Shared<LocalBoxFuture<'static, Result<String, ApiError>>>;

thread_local! {
    /// The renewal in flight. Refresh tokens are single-use and rotate: the server takes a second
    /// exchange of the same token for theft and revokes the whole sign-in. So requests that meet a
    /// 401 while a renewal runs wait for it instead of starting their own.
    static RENEWAL: RefCell<Option<Renewal>> = const { RefCell::new(None) };
}

/// A fresh access token in place of `stale`, exchanging the refresh token at most once for all
/// the requests that need it.
async fn renewed_access_token(session: Session, stale: &str) -> Result<String, ApiError> {
    // Another request may have renewed the token while this one was on its way.
    if let Some(current) = session.access_token() {
        if current != stale {
            return Ok(current);
        }
    }
    let renewal = RENEWAL.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| {
                async move {
                    let renewed = exchange_refresh_token(session).await;
                    RENEWAL.with(|slot| slot.borrow_mut().take());
                    renewed
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    renewal.await
}

async fn exchange_refresh_token(session: Session) -> Result<String, ApiError> {
    let Some(refresh_token) = session.refresh_token() else {
        session.expire();
        return Err(ApiError::SignedOut);
    };
    let request = RefreshRequest { refresh_token };
    match public::<Tokens>(Method::POST, "/auth/refresh", &[], Some(&request)).await {
        Ok(tokens) => {
            let access_token = tokens.access_token.clone();
            session.sign_in(tokens);
            Ok(access_token)
        }
        // A network failure says nothing about the session: keep it for the next try.
        Err(ApiError::Network) => Err(ApiError::Network),
        Err(_) => {
            session.expire();
            Err(ApiError::SignedOut)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(code: &str, errors: Vec<FieldError>) -> Problem {
        Problem {
            type_: format!("https://navigator.example/problems/{code}"),
            title: code.into(),
            status: 422,
            detail: "detail for developers".into(),
            code: code.into(),
            errors,
        }
    }

    #[test]
    fn known_codes_win_over_statuses() {
        let e = ApiError::Http {
            status: 401,
            problem: Some(Box::new(problem("invalid_credentials", vec![]))),
        };
        assert_eq!(e.message_key(), Key::ErrInvalidCredentials);
        let e = ApiError::Http {
            status: 409,
            problem: Some(Box::new(problem("email_taken", vec![]))),
        };
        assert_eq!(e.message_key(), Key::ErrEmailTaken);
    }

    #[test]
    fn unknown_codes_fall_back_on_the_status() {
        let e = ApiError::Http {
            status: 503,
            problem: Some(Box::new(problem("database_unavailable", vec![]))),
        };
        assert_eq!(e.message_key(), Key::ErrServer);
        let e = ApiError::Http {
            status: 404,
            problem: None,
        };
        assert_eq!(e.message_key(), Key::ErrNotFound);
    }

    #[test]
    fn field_errors_are_found_by_field() {
        let e = ApiError::Http {
            status: 422,
            problem: Some(Box::new(problem(
                "validation_failed",
                vec![FieldError {
                    field: "password".into(),
                    code: "password_too_weak".into(),
                    message: "at least 10 characters".into(),
                }],
            ))),
        };
        assert_eq!(e.message_key(), Key::ErrValidation);
        assert!(e.field_errors().iter().any(|f| f.field == "password"));
        assert!(e.field_errors().iter().all(|f| f.field != "email"));
        assert!(ApiError::Network.field_errors().is_empty());
    }
}
