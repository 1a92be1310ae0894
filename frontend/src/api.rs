//! The client of the navigator's REST API, served by the same origin under `/api/v1`.
//!
//! Calls for the signed-in user send the access token; when the server answers 401 the client
//! exchanges the refresh token once and retries, and when that fails too it ends the session.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use navigator_api_types::{
    AcceptInvitationRequest, ActivateFamilyRequest, ApplicationsPerDay, Coverage,
    JoinWaitlistRequest, MostWanted, Notification, NotificationPage, NotificationsRead, Spending,
    WaitlistEntry,
};
use navigator_api_types::{
    Application, Attendance, AttendanceMark, Certificate, CertificateDecision, CertificateHistory,
    Child, CreateApplicationRequest, CreateChildRequest, CreateInvoiceRequest, CreateReviewRequest,
    EndRequest, FieldError, FinancingPeriod, Group, GroupDraft, Invoice, LoginRequest,
    Municipality, Page, Problem, Program, ProgramDecision, ProgramDraft, ProgramEvent,
    ProgramFacets, ProgramSummary, ProviderAccount, PublishRequest, Quote, QuoteRequest,
    RefreshRequest, RegisterRequest, RejectRequest, Review, ReviewAnswerRequest, ReviewModeration,
    Tokens, User,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::clock;
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

    pub(crate) fn field_errors(&self) -> &[FieldError] {
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
// The endpoints: the catalog and accounts

pub async fn municipalities() -> Result<Vec<Municipality>, ApiError> {
    public(Request::get("/municipalities")).await
}

/// A municipality's financing periods with their budget and how much of it is used.
pub async fn periods(municipality_id: Uuid) -> Result<Vec<FinancingPeriod>, ApiError> {
    public(Request::get(format!(
        "/municipalities/{municipality_id}/periods"
    )))
    .await
}

/// A page of the catalog; `filters` are the query parameters of `GET /programs`.
pub async fn programs(
    filters: Vec<(&'static str, String)>,
) -> Result<Page<ProgramSummary>, ApiError> {
    public(Request::get("/programs").query(filters)).await
}

pub async fn program(id: Uuid) -> Result<Program, ApiError> {
    public(Request::get(format!("/programs/{id}"))).await
}

pub async fn login(request: &LoginRequest) -> Result<Tokens, ApiError> {
    public(Request::post("/auth/login").json(request)?).await
}

pub async fn register(request: &RegisterRequest) -> Result<Tokens, ApiError> {
    public(Request::post("/auth/register").json(request)?).await
}

/// Ends the session here at once and tells the server to revoke the refresh token. The server's
/// answer does not matter to the user: the tokens are gone from this device either way.
pub async fn logout(session: Session) {
    let refresh_token = session.refresh_token();
    session.forget();
    if let Some(refresh_token) = refresh_token {
        if let Ok(request) = Request::post("/auth/logout").json(&RefreshRequest { refresh_token }) {
            let _ = public::<()>(request).await;
        }
    }
}

/// Staff invited by an operator set their password: the account is created and signed in.
pub async fn accept_invitation(request: &AcceptInvitationRequest) -> Result<Tokens, ApiError> {
    public(Request::post("/invitations/accept").json(request)?).await
}

/// A family registered at the desk sets its password; it then signs in as usual.
pub async fn activate_family(request: &ActivateFamilyRequest) -> Result<User, ApiError> {
    public(Request::post("/families/activate").json(request)?).await
}

pub async fn me(session: Session) -> Result<User, ApiError> {
    authorized(session, Request::get("/me")).await
}

// ---------------------------------------------------------------------------------------------
// The endpoints: children and certificates

pub async fn children(session: Session) -> Result<Vec<Child>, ApiError> {
    authorized(session, Request::get("/children")).await
}

pub async fn add_child(session: Session, request: &CreateChildRequest) -> Result<Child, ApiError> {
    authorized(session, Request::post("/children").json(request)?).await
}

/// The family asks for the child's certificate online; it starts as pending.
pub async fn request_certificate(
    session: Session,
    child_id: Uuid,
) -> Result<Certificate, ApiError> {
    authorized(
        session,
        Request::post(format!("/children/{child_id}/certificate")),
    )
    .await
}

/// A page of the certificates the user may see, filtered by the query parameters of
/// `GET /certificates`.
pub async fn certificates(
    session: Session,
    filters: Vec<(&'static str, String)>,
) -> Result<Page<Certificate>, ApiError> {
    authorized(session, Request::get("/certificates").query(filters)).await
}

/// A certificate with its status changes and every movement of its money.
pub async fn certificate_history(
    session: Session,
    id: Uuid,
) -> Result<CertificateHistory, ApiError> {
    authorized(session, Request::get(format!("/certificates/{id}/history"))).await
}

/// The operator has checked the documents: a pending certificate becomes usable.
pub async fn activate_certificate(
    session: Session,
    id: Uuid,
    decision: &CertificateDecision,
) -> Result<Certificate, ApiError> {
    let request = Request::post(format!("/certificates/{id}/activate")).json(decision)?;
    authorized(session, request.idempotent()).await
}

/// The operator stops the certificate from being used for new applications until resumed.
pub async fn suspend_certificate(
    session: Session,
    id: Uuid,
    decision: &CertificateDecision,
) -> Result<Certificate, ApiError> {
    let request = Request::post(format!("/certificates/{id}/suspend")).json(decision)?;
    authorized(session, request).await
}

pub async fn resume_certificate(
    session: Session,
    id: Uuid,
    decision: &CertificateDecision,
) -> Result<Certificate, ApiError> {
    let request = Request::post(format!("/certificates/{id}/resume")).json(decision)?;
    authorized(session, request).await
}

/// Final: the child's enrollments end and what is left returns to the period's fund.
pub async fn close_certificate(
    session: Session,
    id: Uuid,
    decision: &CertificateDecision,
) -> Result<Certificate, ApiError> {
    let request = Request::post(format!("/certificates/{id}/close")).json(decision)?;
    authorized(session, request.idempotent()).await
}

/// A provider's money: reserved on its enrollments, written off to it, owed by families.
pub async fn provider_account(
    session: Session,
    provider_id: Uuid,
) -> Result<ProviderAccount, ApiError> {
    authorized(
        session,
        Request::get(format!("/providers/{provider_id}/account")),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The endpoints: quotes, applications, attendance

/// The split of a group's cost between the certificate and the family; changes nothing.
pub async fn quote(session: Session, request: &QuoteRequest) -> Result<Quote, ApiError> {
    authorized(session, Request::post("/quotes").json(request)?).await
}

/// Files an application. The idempotency key is made here, once per attempt: a retry after a lost
/// answer inside this call cannot file a second application.
pub async fn apply(
    session: Session,
    request: &CreateApplicationRequest,
) -> Result<Application, ApiError> {
    authorized(
        session,
        Request::post("/applications").json(request)?.idempotent(),
    )
    .await
}

/// A page of the applications the user may see, filtered by the query parameters of
/// `GET /applications`.
pub async fn applications(
    session: Session,
    filters: Vec<(&'static str, String)>,
) -> Result<Page<Application>, ApiError> {
    authorized(session, Request::get("/applications").query(filters)).await
}

pub async fn application(session: Session, id: Uuid) -> Result<Application, ApiError> {
    authorized(session, Request::get(format!("/applications/{id}"))).await
}

/// The family takes back an application the provider has not decided on.
pub async fn withdraw_application(session: Session, id: Uuid) -> Result<Application, ApiError> {
    let request = Request::post(format!("/applications/{id}/withdraw"));
    authorized(session, request.idempotent()).await
}

/// Ends an accepted enrollment: what is reserved and not written off returns to the certificate.
pub async fn end_enrollment(
    session: Session,
    id: Uuid,
    end: &EndRequest,
) -> Result<Application, ApiError> {
    let request = Request::post(format!("/applications/{id}/end")).json(end)?;
    authorized(session, request.idempotent()).await
}

/// The provider accepts: the contract is formed and the certificate's share is reserved.
pub async fn accept_application(session: Session, id: Uuid) -> Result<Application, ApiError> {
    let request = Request::post(format!("/applications/{id}/accept"));
    authorized(session, request.idempotent()).await
}

pub async fn reject_application(
    session: Session,
    id: Uuid,
    reject: &RejectRequest,
) -> Result<Application, ApiError> {
    let request = Request::post(format!("/applications/{id}/reject")).json(reject)?;
    authorized(session, request.idempotent()).await
}

pub async fn attendance(
    session: Session,
    application_id: Uuid,
) -> Result<Vec<Attendance>, ApiError> {
    authorized(
        session,
        Request::get(format!("/applications/{application_id}/attendance")),
    )
    .await
}

/// Marks a lesson; marking the same date again replaces the mark, so no key is needed.
pub async fn mark_attendance(
    session: Session,
    application_id: Uuid,
    mark: &AttendanceMark,
) -> Result<Attendance, ApiError> {
    let request = Request::post(format!("/applications/{application_id}/attendance")).json(mark)?;
    authorized(session, request).await
}

// ---------------------------------------------------------------------------------------------
// The endpoints: invoices

/// A page of the invoices the user may see, filtered by the query parameters of `GET /invoices`.
pub async fn invoices(
    session: Session,
    filters: Vec<(&'static str, String)>,
) -> Result<Page<Invoice>, ApiError> {
    authorized(session, Request::get("/invoices").query(filters)).await
}

pub async fn create_invoice(
    session: Session,
    invoice: &CreateInvoiceRequest,
) -> Result<Invoice, ApiError> {
    authorized(
        session,
        Request::post("/invoices").json(invoice)?.idempotent(),
    )
    .await
}

/// The operator approves: the certificate's share of the month is written off to the provider.
pub async fn approve_invoice(session: Session, id: Uuid) -> Result<Invoice, ApiError> {
    let request = Request::post(format!("/invoices/{id}/approve"));
    authorized(session, request.idempotent()).await
}

pub async fn reject_invoice(
    session: Session,
    id: Uuid,
    reject: &RejectRequest,
) -> Result<Invoice, ApiError> {
    let request = Request::post(format!("/invoices/{id}/reject")).json(reject)?;
    authorized(session, request.idempotent()).await
}

// ---------------------------------------------------------------------------------------------
// The endpoints: the registry of programs

/// A program as the signed-in user may see it (staff and operators also see drafts), with its
/// `ETag` for editing; a guest sees published programs only.
pub async fn program_for(session: Session, id: Uuid) -> Result<Tagged<Program>, ApiError> {
    let request = Request::get(format!("/programs/{id}"));
    let signed_in = session.access_token().is_some();
    tagged(fetch(signed_in.then_some(session), request).await?)
}

/// The catalog's facet counts: how many programs each choice of a filter leaves, under the
/// other filters of the same query as `programs`.
pub async fn program_facets(
    filters: Vec<(&'static str, String)>,
) -> Result<ProgramFacets, ApiError> {
    public(Request::get("/programs/facets").query(filters)).await
}

/// A page of a provider's programs of every status, filtered by `status` and the cursor.
pub async fn provider_programs(
    session: Session,
    provider_id: Uuid,
    filters: Vec<(&'static str, String)>,
) -> Result<Page<ProgramSummary>, ApiError> {
    authorized(
        session,
        Request::get(format!("/providers/{provider_id}/programs")).query(filters),
    )
    .await
}

pub async fn create_program(
    session: Session,
    provider_id: Uuid,
    draft: &ProgramDraft,
) -> Result<Tagged<Program>, ApiError> {
    let request = Request::post(format!("/providers/{provider_id}/programs")).json(draft)?;
    authorized_tagged(session, request).await
}

/// Replaces a draft's terms; `etag` is the one read with the draft, so that someone else's
/// change in between is refused (412) instead of overwritten.
pub async fn update_program(
    session: Session,
    id: Uuid,
    etag: &str,
    draft: &ProgramDraft,
) -> Result<Tagged<Program>, ApiError> {
    let request = Request::new(Method::PUT, format!("/programs/{id}"))
        .json(draft)?
        .if_match(etag);
    authorized_tagged(session, request).await
}

/// The provider sends a draft to moderation, with a comment for the operator.
pub async fn submit_program(
    session: Session,
    id: Uuid,
    decision: &ProgramDecision,
) -> Result<Program, ApiError> {
    let request = Request::post(format!("/programs/{id}/submit")).json(decision)?;
    authorized(session, request).await
}

pub async fn publish_program(
    session: Session,
    id: Uuid,
    decision: &PublishRequest,
) -> Result<Program, ApiError> {
    let request = Request::post(format!("/programs/{id}/publish")).json(decision)?;
    authorized(session, request).await
}

pub async fn return_program(
    session: Session,
    id: Uuid,
    decision: &ProgramDecision,
) -> Result<Program, ApiError> {
    let request = Request::post(format!("/programs/{id}/return")).json(decision)?;
    authorized(session, request).await
}

pub async fn archive_program(
    session: Session,
    id: Uuid,
    decision: &ProgramDecision,
) -> Result<Program, ApiError> {
    let request = Request::post(format!("/programs/{id}/archive")).json(decision)?;
    authorized(session, request).await
}

/// The program's decisions, as recorded: who, when, from which status to which, why.
pub async fn program_events(session: Session, id: Uuid) -> Result<Vec<ProgramEvent>, ApiError> {
    authorized(session, Request::get(format!("/programs/{id}/events"))).await
}

pub async fn create_group(
    session: Session,
    program_id: Uuid,
    draft: &GroupDraft,
) -> Result<Group, ApiError> {
    let request = Request::post(format!("/programs/{program_id}/groups")).json(draft)?;
    authorized(session, request).await
}

// ---------------------------------------------------------------------------------------------
// The endpoints: reviews

/// A page of a program's reviews, newest first. Signed in, operators also get hidden reviews and
/// a family its own; a guest gets the public ones.
pub async fn program_reviews(
    session: Session,
    program_id: Uuid,
    cursor: Option<String>,
) -> Result<Page<Review>, ApiError> {
    let mut query = vec![("limit", "20".to_owned())];
    if let Some(cursor) = cursor {
        query.push(("cursor", cursor));
    }
    let request = Request::get(format!("/programs/{program_id}/reviews")).query(query);
    let signed_in = session.access_token().is_some();
    parse(fetch(signed_in.then_some(session), request).await?)
}

pub async fn create_review(
    session: Session,
    program_id: Uuid,
    review: &CreateReviewRequest,
) -> Result<Review, ApiError> {
    let request = Request::post(format!("/programs/{program_id}/reviews")).json(review)?;
    authorized(session, request).await
}

pub async fn answer_review(
    session: Session,
    id: Uuid,
    answer: &ReviewAnswerRequest,
) -> Result<Review, ApiError> {
    let request = Request::post(format!("/reviews/{id}/answer")).json(answer)?;
    authorized(session, request).await
}

/// An operator hides a review or shows it again, with the reason.
pub async fn moderate_review(
    session: Session,
    id: Uuid,
    moderation: &ReviewModeration,
) -> Result<Review, ApiError> {
    let request = Request::post(format!("/reviews/{id}/moderation")).json(moderation)?;
    authorized(session, request).await
}

// ---------------------------------------------------------------------------------------------
// Public statistics of a municipality (the server's today and default ranges)

/// Coverage by month over the last year, with each month's directions.
pub async fn coverage(municipality_id: Uuid) -> Result<Coverage, ApiError> {
    public(Request::get(format!(
        "/municipalities/{municipality_id}/statistics/coverage"
    )))
    .await
}

/// Approved invoices' money by month of the lessons.
pub async fn spending(municipality_id: Uuid) -> Result<Spending, ApiError> {
    public(Request::get(format!(
        "/municipalities/{municipality_id}/statistics/spending"
    )))
    .await
}

/// Applications submitted, accepted and rejected on each of the last 30 days.
pub async fn applications_per_day(municipality_id: Uuid) -> Result<ApplicationsPerDay, ApiError> {
    public(Request::get(format!(
        "/municipalities/{municipality_id}/statistics/applications-per-day"
    )))
    .await
}

/// The programs with the most applications over the last 90 days.
pub async fn most_wanted(municipality_id: Uuid) -> Result<MostWanted, ApiError> {
    public(Request::get(format!(
        "/municipalities/{municipality_id}/statistics/most-wanted"
    )))
    .await
}

// ---------------------------------------------------------------------------------------------
// The waitlist of full groups

pub async fn join_waitlist(
    session: Session,
    group_id: Uuid,
    request: &JoinWaitlistRequest,
) -> Result<WaitlistEntry, ApiError> {
    let request = Request::post(format!("/groups/{group_id}/waitlist")).json(request)?;
    authorized(session, request).await
}

/// The family's entries, live ones first.
pub async fn waitlist(session: Session) -> Result<Page<WaitlistEntry>, ApiError> {
    authorized(
        session,
        Request::get("/waitlist").query(vec![("limit", "100".to_owned())]),
    )
    .await
}

/// Takes the offered seat: the application is filed and the certificate's share reserved.
pub async fn accept_offer(session: Session, id: Uuid) -> Result<Application, ApiError> {
    let request = Request::post(format!("/waitlist/{id}/accept"));
    authorized(session, request.idempotent()).await
}

pub async fn decline_offer(session: Session, id: Uuid) -> Result<WaitlistEntry, ApiError> {
    authorized(session, Request::post(format!("/waitlist/{id}/decline"))).await
}

pub async fn leave_waitlist(session: Session, id: Uuid) -> Result<WaitlistEntry, ApiError> {
    authorized(session, Request::post(format!("/waitlist/{id}/leave"))).await
}

// ---------------------------------------------------------------------------------------------
// Notifications of the signed-in user

/// A page of notifications, newest first, with the count of unread ones.
pub async fn notifications(
    session: Session,
    cursor: Option<String>,
) -> Result<NotificationPage, ApiError> {
    let query = cursor.map(|c| vec![("cursor", c)]).unwrap_or_default();
    authorized(session, Request::get("/notifications").query(query)).await
}

pub async fn mark_notification_read(session: Session, id: Uuid) -> Result<Notification, ApiError> {
    authorized(session, Request::post(format!("/notifications/{id}/read"))).await
}

pub async fn mark_all_notifications_read(session: Session) -> Result<NotificationsRead, ApiError> {
    authorized(session, Request::post("/notifications/read-all")).await
}

// ---------------------------------------------------------------------------------------------
// Transport

/// An answer with its `ETag`: the version to send back as `If-Match` when editing.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged<T> {
    pub value: T,
    pub etag: Option<String>,
}

/// One request to the API, before the access token is added.
pub(crate) struct Request {
    method: Method,
    /// Under `/api/v1`.
    path: String,
    query: Vec<(&'static str, String)>,
    /// JSON.
    body: Option<String>,
    /// Names one attempt of a money-moving POST; the server answers a repeat with the first
    /// answer instead of acting twice.
    idempotency_key: Option<Uuid>,
    /// The `ETag` an update was based on.
    if_match: Option<String>,
    /// A file as the body, with its media type, in place of JSON (registry files).
    #[cfg(any(feature = "provider", feature = "operator", feature = "oversight"))]
    file: Option<(wasm_bindgen::JsValue, String)>,
}

impl Request {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Request {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            idempotency_key: None,
            if_match: None,
            #[cfg(any(feature = "provider", feature = "operator", feature = "oversight"))]
            file: None,
        }
    }

    pub(crate) fn get(path: impl Into<String>) -> Request {
        Request::new(Method::GET, path)
    }

    pub(crate) fn post(path: impl Into<String>) -> Request {
        Request::new(Method::POST, path)
    }

    pub(crate) fn query(self, query: Vec<(&'static str, String)>) -> Request {
        Request { query, ..self }
    }

    pub(crate) fn json(self, body: &impl Serialize) -> Result<Request, ApiError> {
        let body = serde_json::to_string(body).map_err(|_| ApiError::Incompatible)?;
        Ok(Request {
            body: Some(body),
            ..self
        })
    }

    pub(crate) fn if_match(self, etag: &str) -> Request {
        Request {
            if_match: Some(etag.to_owned()),
            ..self
        }
    }

    /// A file (a `Blob`) as the body, sent as `media_type`.
    #[cfg(any(feature = "provider", feature = "operator", feature = "oversight"))]
    pub(crate) fn file(self, file: wasm_bindgen::JsValue, media_type: &str) -> Request {
        Request {
            file: Some((file, media_type.to_owned())),
            ..self
        }
    }

    pub(crate) fn idempotent(self) -> Request {
        Request {
            idempotency_key: Some(idempotency_key()),
            ..self
        }
    }
}

/// A random (version 4) UUID from the browser's cryptographic generator, which unlike
/// `crypto.randomUUID()` also works on pages served over plain HTTP.
fn idempotency_key() -> Uuid {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Every browser that runs WebAssembly has Web Crypto; should it refuse, Math.random still
        // makes the key unique to this attempt, which is all the server needs.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// An answer read in full. Reading is kept apart from parsing so that the code that sends,
/// renews the token and reads exists once in the module, not once per type of answer: the
/// generic part of a call is only [`parse`].
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) text: String,
    pub(crate) etag: Option<String>,
}

async fn public<T: DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    parse(fetch(None, request).await?)
}

pub(crate) async fn authorized<T: DeserializeOwned>(
    session: Session,
    request: Request,
) -> Result<T, ApiError> {
    parse(fetch(Some(session), request).await?)
}

pub(crate) async fn authorized_tagged<T: DeserializeOwned>(
    session: Session,
    request: Request,
) -> Result<Tagged<T>, ApiError> {
    tagged(fetch(Some(session), request).await?)
}

/// Sends `request`, with the access token when `session` is given, and reads the answer.
pub(crate) async fn fetch(session: Option<Session>, request: Request) -> Result<Answer, ApiError> {
    let response = match session {
        Some(session) => send_authorized(session, &request).await?,
        None => send(&request, None).await?,
    };
    read(response).await
}

async fn read(response: Response) -> Result<Answer, ApiError> {
    let status = response.status();
    let etag = response.headers().get("ETag");
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    Ok(Answer { status, text, etag })
}

async fn send_authorized(session: Session, request: &Request) -> Result<Response, ApiError> {
    let token = session.access_token().ok_or(ApiError::SignedOut)?;
    let response = send(request, Some(&token)).await?;
    if response.status() != 401 {
        return Ok(response);
    }
    // The same request again, idempotency key included: it is still the same attempt.
    let renewed = renewed_access_token(session, &token).await?;
    send(request, Some(&renewed)).await
}

async fn send(request: &Request, access_token: Option<&str>) -> Result<Response, ApiError> {
    let mut builder = RequestBuilder::new(&format!("{API_BASE}{}", request.path))
        .method(request.method.clone())
        .query(
            request
                .query
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        )
        .header("Accept", "application/json");
    if let Some(token) = access_token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(key) = request.idempotency_key {
        builder = builder.header("Idempotency-Key", &key.to_string());
    }
    if let Some(etag) = &request.if_match {
        builder = builder.header("If-Match", etag);
    }
    #[cfg(any(feature = "provider", feature = "operator", feature = "oversight"))]
    if let Some((file, media_type)) = &request.file {
        builder = builder.header("Content-Type", media_type);
        let built = builder.body(file.clone()).map_err(|_| ApiError::Network)?;
        return finish(built).await;
    }
    let built = match &request.body {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json.as_str()),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    finish(built).await
}

async fn finish(built: gloo_net::http::Request) -> Result<Response, ApiError> {
    let response = built.send().await.map_err(|_| ApiError::Network)?;
    if let Some(date) = response.headers().get("Date") {
        clock::note_server_date(&date);
    }
    Ok(response)
}

pub(crate) fn parse<T: DeserializeOwned>(answer: Answer) -> Result<T, ApiError> {
    if (200..300).contains(&answer.status) {
        // 204 No Content has no body; `()` reads it as JSON null.
        let json = if answer.text.is_empty() {
            "null"
        } else {
            &answer.text
        };
        serde_json::from_str(json).map_err(|_| ApiError::Incompatible)
    } else {
        Err(ApiError::Http {
            status: answer.status,
            problem: serde_json::from_str(&answer.text).ok(),
        })
    }
}

fn tagged<T: DeserializeOwned>(mut answer: Answer) -> Result<Tagged<T>, ApiError> {
    let etag = answer.etag.take();
    Ok(Tagged {
        value: parse(answer)?,
        etag,
    })
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
    let request = Request::post("/auth/refresh").json(&RefreshRequest { refresh_token })?;
    // Sent and read directly, not through `fetch`, which may itself come here to renew.
    let answer = match send(&request, None).await {
        Ok(response) => read(response).await,
        Err(error) => Err(error),
    };
    match answer.and_then(parse::<Tokens>) {
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
