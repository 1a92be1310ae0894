//! Registry files: operators import and export the registries of providers, programs and groups
//! as CSV in the dialect Excel opens in a Russian locale (see `navigator_domain::import`).

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use futures_util::StreamExt;
use navigator_api_types::{ImportProblem, ImportReport, Problem, RegistryKind, Role};
use navigator_store::Store;

use super::{require_role, ApiResult};
use crate::auth::CurrentActor;
use crate::error::{ApiError, PROBLEM_JSON};
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

/// The largest file an import takes: about 20,000 programs with long descriptions. Only this
/// route reads so much; every other body stays under the server's small JSON limit.
pub const IMPORT_LIMIT: usize = 8 * 1024 * 1024;

const OPERATORS: &[Role] = &[Role::MunicipalOperator, Role::RegionalOperator];

fn kind_of(path: &str) -> ApiResult<RegistryKind> {
    RegistryKind::parse(path).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "registry files are `providers`, `programs` and `groups`",
        )
    })
}

/// Import a registry file
///
/// Reads a CSV file (`Content-Type: text/csv`, UTF-8, `;`-separated, at most 8 MiB; the header
/// row names the columns of `GET /exports/{kind}`, in any order) and writes it in one
/// transaction, all or nothing. Providers are matched by ИНН, programs by the provider's ИНН and
/// `код программы`, groups by those and `код группы`: a matching row changes the entry, the
/// others create one; for entries created through the API the key is their id, as exported.
/// Imported programs are drafts; the regional operator's rows with `статус` = `published` are
/// published with their funding. A row that would change a program that is not a draft is
/// refused (`program_not_editable`): published programs change through moderation. A municipal
/// operator's rows stay within its municipality (`other_municipality`).
///
/// Any bad cell rejects the whole file with `422 import_rejected` and the report of every bad
/// cell (row, column, code, message in Russian); nothing is written.
#[utoipa::path(
    post,
    path = "/api/v1/imports/{kind}",
    tag = "registry files",
    security(("bearer" = [])),
    params(("kind" = RegistryKind, Path, description = "What the file holds")),
    request_body(content = String, content_type = "text/csv",
        description = "The file, as `GET /exports/{kind}` writes it"),
    responses(
        (status = 200, description = "The file is imported", body = ImportReport),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, description = "`payload_too_large`: more than 8 MiB", body = Problem,
            content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_media_type`: the body is not `text/csv`",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`import_rejected`: nothing was written; `report.errors` \
            names every bad cell", body = ImportProblem,
            content_type = "application/problem+json"),
    ),
)]
pub async fn import_registry(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    request: HttpRequest,
    kind: web::Path<String>,
    mut payload: web::Payload,
) -> ApiResult<HttpResponse> {
    require_role(&actor, OPERATORS)?;
    let kind = kind_of(&kind)?;
    let media_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if media_type.as_deref() != Some("text/csv") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file as Content-Type: text/csv",
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::malformed(format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > IMPORT_LIMIT {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the file is larger than {IMPORT_LIMIT} bytes: split it"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(body)
        .map_err(|_| ApiError::malformed("the file must be UTF-8 (in Excel: «CSV UTF-8»)"))?;
    let report = store
        .import_registry(&actor, kind, &text, Utc::now(), &|_| {})
        .await?;
    if report.errors.is_empty() {
        return Ok(HttpResponse::Ok().json(report));
    }
    let problem = ImportProblem {
        type_: "https://navigator.example/problems/import_rejected".into(),
        title: "Import rejected".into(),
        status: StatusCode::UNPROCESSABLE_ENTITY.as_u16(),
        detail: format!(
            "{} bad cells in {} rows read; nothing was written",
            report.errors.len(),
            report.rows_read
        ),
        code: "import_rejected".into(),
        report,
    };
    Ok(HttpResponse::UnprocessableEntity()
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .json(problem))
}

/// Export a registry file
///
/// The registry as CSV for Excel in a Russian locale: UTF-8 with a byte-order mark, `;` between
/// fields, CRLF, money with a decimal comma (`2200,00`), dates `2026-09-01`, yes/no as
/// `да`/`нет`, enumerations as the API's codes. The municipal operator gets its municipality,
/// the regional operator everything. `POST /imports/{kind}` reads the file back unchanged.
#[utoipa::path(
    get,
    path = "/api/v1/exports/{kind}",
    tag = "registry files",
    security(("bearer" = [])),
    params(("kind" = RegistryKind, Path, description = "What the file holds")),
    responses(
        (status = 200, description = "The file", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String,
                description = "`attachment; filename=\"{kind}.csv\"`"))),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn export_registry(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    kind: web::Path<String>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, OPERATORS)?;
    let kind = kind_of(&kind)?;
    let file = store.export_registry(&actor, kind).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.csv\"", kind.as_str()),
        ))
        .body(file))
}
