//! The endpoints only staff pages call: the registry's programs across providers, the registry
//! of providers with its history and invitations, the registry files, and the desk's work for
//! families. Kept apart from `api` so that the public bundle does not carry them.

use gloo_net::http::Method;
use navigator_api_types::{
    Application, AuditEvent, CreateApplicationRequest, CreateInvitationRequest, Group, GroupDraft,
    ImportProblem, ImportReport, Invitation, Page, ProgramSummary, Provider, ProviderDraft,
    ProviderEvent, ProviderUpdate, RegisterFamilyRequest, RegisteredFamily, RegistryKind,
};
use uuid::Uuid;

use crate::api::{authorized, authorized_tagged, fetch, parse, ApiError, Request, Tagged};
use crate::session::Session;

/// A page of the registry's programs across providers (`GET /registry/programs`): the
/// moderation queue with `status=on_moderation`, the longest waiting first.
pub async fn registry_programs(
    session: Session,
    filters: Vec<(&'static str, String)>,
) -> Result<Page<ProgramSummary>, ApiError> {
    authorized(session, Request::get("/registry/programs").query(filters)).await
}

/// The registry's entries, by name; of one municipality when given.
pub async fn providers(
    session: Session,
    municipality_id: Option<Uuid>,
) -> Result<Vec<Provider>, ApiError> {
    let query = municipality_id
        .map(|id| vec![("municipality_id", id.to_string())])
        .unwrap_or_default();
    authorized(session, Request::get("/providers").query(query)).await
}

/// One entry with its `ETag`, for editing.
pub async fn provider(session: Session, id: Uuid) -> Result<Tagged<Provider>, ApiError> {
    authorized_tagged(session, Request::get(format!("/providers/{id}"))).await
}

pub async fn create_provider(
    session: Session,
    draft: &ProviderDraft,
) -> Result<Tagged<Provider>, ApiError> {
    authorized_tagged(session, Request::post("/providers").json(draft)?).await
}

/// Replaces the entry; `etag` is the version it was read at, so that a change made in between
/// is refused (412) instead of overwritten.
pub async fn update_provider(
    session: Session,
    id: Uuid,
    etag: &str,
    update: &ProviderUpdate,
) -> Result<Tagged<Provider>, ApiError> {
    let request = Request::new(Method::PUT, format!("/providers/{id}"))
        .json(update)?
        .if_match(etag);
    authorized_tagged(session, request).await
}

pub async fn provider_events(session: Session, id: Uuid) -> Result<Vec<ProviderEvent>, ApiError> {
    authorized(session, Request::get(format!("/providers/{id}/events"))).await
}

pub async fn invitations(session: Session, provider_id: Uuid) -> Result<Vec<Invitation>, ApiError> {
    authorized(
        session,
        Request::get(format!("/providers/{provider_id}/invitations")),
    )
    .await
}

pub async fn invite(
    session: Session,
    provider_id: Uuid,
    request: &CreateInvitationRequest,
) -> Result<Invitation, ApiError> {
    let request = Request::post(format!("/providers/{provider_id}/invitations")).json(request)?;
    authorized(session, request).await
}

/// What an import came to: the report of a written file, or of a refused one with every bad
/// cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    Written(ImportReport),
    Rejected(ImportReport),
}

/// Sends a registry file as it is, `media_type` named from its extension.
pub async fn import(
    session: Session,
    kind: RegistryKind,
    file: wasm_bindgen::JsValue,
    media_type: &str,
) -> Result<Imported, ApiError> {
    let request = Request::post(format!("/imports/{}", kind.as_str())).file(file, media_type);
    let answer = fetch(Some(session), request).await?;
    if answer.status == 422 {
        if let Ok(problem) = serde_json::from_str::<ImportProblem>(&answer.text) {
            return Ok(Imported::Rejected(problem.report));
        }
    }
    parse(answer).map(Imported::Written)
}

/// The registry as the server writes it (CSV, `;`, UTF-8): the text without the byte order mark
/// the browser's decoder drops.
pub async fn export(session: Session, kind: RegistryKind) -> Result<String, ApiError> {
    let request = Request::get(format!("/exports/{}", kind.as_str()));
    let answer = fetch(Some(session), request).await?;
    if (200..300).contains(&answer.status) {
        Ok(answer.text)
    } else {
        parse::<()>(answer).map(|()| String::new())
    }
}

/// One group with its `ETag`, for editing.
pub async fn group(session: Session, id: Uuid) -> Result<Tagged<Group>, ApiError> {
    authorized_tagged(session, Request::get(format!("/groups/{id}"))).await
}

/// Replaces the group's terms; `etag` is the version the form was filled from (412 when the
/// group changed in between).
pub async fn update_group(
    session: Session,
    id: Uuid,
    etag: &str,
    draft: &GroupDraft,
) -> Result<Tagged<Group>, ApiError> {
    let request = Request::new(Method::PUT, format!("/groups/{id}"))
        .json(draft)?
        .if_match(etag);
    authorized_tagged(session, request).await
}

/// A page of the audit log, newest first (`GET /audit-events`).
pub async fn audit_events(
    session: Session,
    filters: Vec<(&'static str, String)>,
) -> Result<Page<AuditEvent>, ApiError> {
    authorized(session, Request::get("/audit-events").query(filters)).await
}

/// Registers a family that came in person, with its child and consent.
pub async fn register_family(
    session: Session,
    request: &RegisterFamilyRequest,
) -> Result<RegisteredFamily, ApiError> {
    authorized(session, Request::post("/families").json(request)?).await
}

/// Files an application for a family, with its consent (`on_behalf`).
pub async fn apply_on_behalf(
    session: Session,
    request: &CreateApplicationRequest,
) -> Result<Application, ApiError> {
    let request = Request::post("/applications").json(request)?.idempotent();
    authorized(session, request).await
}
