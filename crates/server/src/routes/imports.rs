//! Registry files: operators import and export the registries of providers, programs and groups
//! as CSV in the dialect Excel opens in a Russian locale (see `navigator_domain::import`) or as
//! XLSX workbooks (`navigator_xlsx`). Both are read into the domain's one model of a file
//! (`Table`), so both formats share every rule and the same report.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use futures_util::StreamExt;
use navigator_api_types::{ImportProblem, ImportReport, Problem, RegistryKind, Role};
use navigator_domain::import::{RowError, Table};
use navigator_store::Store;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{require_role, ApiResult};
use crate::auth::CurrentActor;
use crate::error::{ApiError, PROBLEM_JSON};
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

/// The largest file an import takes: about 20,000 programs with long descriptions. Only this
/// route reads so much; every other body stays under the server's small JSON limit.
pub const IMPORT_LIMIT: usize = 8 * 1024 * 1024;

/// The media type of CSV files.
pub const CSV: &str = "text/csv";
pub use navigator_xlsx::MEDIA_TYPE as XLSX;

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

/// The format of a registry file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// `text/csv`: UTF-8 with a byte-order mark, `;`-separated, for Excel in a Russian locale.
    Csv,
    /// `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`.
    Xlsx,
}

/// An XLSX workbook: binary, its first sheet read.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Workbook(pub Vec<u8>);

/// Reads the body of an import into a table, by its format. A CSV file whose quote is never
/// closed is a bad row of the report (`Err`); a body that is no workbook, or one that unpacks too
/// large, is a problem of its own.
fn read_file(format: FileFormat, body: Vec<u8>) -> ApiResult<Result<Table, RowError>> {
    match format {
        FileFormat::Csv => {
            let text = String::from_utf8(body).map_err(|_| {
                ApiError::malformed("the file must be UTF-8 (in Excel: «CSV UTF-8»)")
            })?;
            Ok(Table::from_csv(&text))
        }
        FileFormat::Xlsx => navigator_xlsx::read(&body, navigator_xlsx::Limits::default())
            .map(Ok)
            .map_err(|e| {
                let status = match e {
                    navigator_xlsx::ReadError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                    navigator_xlsx::ReadError::NotXlsx(_) => StatusCode::BAD_REQUEST,
                };
                ApiError::new(status, e.code(), e.to_string())
            }),
    }
}

fn media_type(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
}

/// Import a registry file
///
/// Reads a CSV file (`Content-Type: text/csv`, UTF-8, `;`-separated) or an XLSX workbook
/// (`Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, its first
/// sheet), at most 8 MiB either way; the header row names the columns of `GET /exports/{kind}`,
/// in any order. It is written in one transaction, all or nothing. Providers are matched by ИНН, programs by the provider's ИНН and
/// `код программы`, groups by those and `код группы`: a matching row changes the entry, the
/// others create one; for entries created through the API the key is their id, as exported.
/// Imported programs are drafts; the regional operator's rows with `статус` = `published` are
/// published with their funding. A row that would change a program that is not a draft is
/// refused (`program_not_editable`): published programs change through moderation. A municipal
/// operator's rows stay within its municipality (`other_municipality`).
///
/// A workbook's cells may be typed by Excel: numbers (a price `2200.5`, an ИНН typed as a number,
/// whose lost leading zero comes back), dates, booleans (yes/no columns), text. What is ambiguous
/// is a bad cell: money with fractions of a kopeck, a number in a date column (a date cell whose
/// format was lost), a date with a time of day, a formula error (`cell_error`).
///
/// Any bad cell rejects the whole file with `422 import_rejected` and the report of every bad
/// cell (row as the spreadsheet numbers it, column by its header, code, message in Russian);
/// nothing is written. A body that is not an XLSX workbook is `400 xlsx_unreadable`; a workbook
/// that unpacks to more than 256 MiB or has more than 200,000 rows is `413 xlsx_too_large`.
#[utoipa::path(
    post,
    path = "/api/v1/imports/{kind}",
    tag = "registry files",
    security(("bearer" = [])),
    params(("kind" = RegistryKind, Path, description = "What the file holds")),
    request_body(description = "The file, as `GET /exports/{kind}` writes it",
        content(
            (String = "text/csv"),
            (Workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    responses(
        (status = 200, description = "The file is imported", body = ImportReport),
        (status = 400, description = "`malformed_request`: a CSV file that is not UTF-8; \
            `xlsx_unreadable`: the body is not an XLSX workbook", body = Problem,
            content_type = "application/problem+json"),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, description = "`payload_too_large`: more than 8 MiB; `xlsx_too_large`: \
            the workbook unpacks to more than 256 MiB or has more than 200,000 rows",
            body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_media_type`: the body is neither `text/csv` \
            nor XLSX", body = Problem, content_type = "application/problem+json"),
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
    let format = match media_type(&request).as_deref() {
        Some(CSV) => FileFormat::Csv,
        Some(XLSX) => FileFormat::Xlsx,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!("send the file as Content-Type: {CSV} or {XLSX}"),
            ))
        }
    };
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
    // Unpacking a workbook takes a while: off the request threads.
    let read = web::block(move || read_file(format, body))
        .await
        .map_err(|_| ApiError::internal())??;
    let report = match read {
        Ok(table) => {
            store
                .import_registry(&actor, kind, &table, Utc::now(), &|_| {})
                .await?
        }
        Err(error) => ImportReport::unread(kind, vec![error]),
    };
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

/// The query of an export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` or `xlsx`; wins over `Accept`. Without it, an `Accept` that names the XLSX media
    /// type gets XLSX, any other CSV.
    pub format: Option<FileFormat>,
}

/// The format an export answers in: `?format=`, then `Accept`, then CSV.
fn export_format(query: &ExportQuery, request: &HttpRequest) -> FileFormat {
    if let Some(format) = query.format {
        return format;
    }
    let accepts_xlsx = request
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim();
            // `q=0` says "not this one".
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    == Some(0.0)
            });
            media.eq_ignore_ascii_case(XLSX) && !refused
        });
    if accepts_xlsx {
        FileFormat::Xlsx
    } else {
        FileFormat::Csv
    }
}

/// Export a registry file
///
/// The registry as CSV (the default) or as an XLSX workbook (`?format=xlsx`, or
/// `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`).
///
/// CSV is for Excel in a Russian locale: UTF-8 with a byte-order mark, `;` between fields, CRLF,
/// money with a decimal comma (`2200,00`), dates `2026-09-01`, yes/no as `да`/`нет`,
/// enumerations as the API's codes. The workbook has one sheet named after the registry, the
/// header row in bold and frozen, codes and ИНН as text cells, money as numbers with two
/// decimals, dates as date cells, ages, hours, months and seats as numbers; yes/no and
/// enumerations as in CSV. The municipal operator gets its municipality, the regional operator
/// everything. `POST /imports/{kind}` reads either back unchanged.
#[utoipa::path(
    get,
    path = "/api/v1/exports/{kind}",
    tag = "registry files",
    security(("bearer" = [])),
    params(
        ("kind" = RegistryKind, Path, description = "What the file holds"),
        ExportQuery,
        ("Accept" = Option<String>, Header, description = "`application/vnd.openxmlformats-\
            officedocument.spreadsheetml.sheet` for a workbook when `format` is absent"),
    ),
    responses(
        (status = 200, description = "The file",
            content(
                (String = "text/csv"),
                (Workbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ),
            headers(("Content-Disposition" = String,
                description = "`attachment; filename=\"{kind}.csv\"` or `…\"{kind}.xlsx\"`"))),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn export_registry(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    request: HttpRequest,
    kind: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, OPERATORS)?;
    let kind = kind_of(&kind)?;
    let format = export_format(&query, &request);
    let table = store.export_registry(&actor, kind).await?;
    let (content_type, extension, body) = match format {
        FileFormat::Csv => (
            "text/csv; charset=utf-8",
            "csv",
            table.to_csv().into_bytes(),
        ),
        FileFormat::Xlsx => {
            let body = web::block(move || navigator_xlsx::write(&table, kind.as_str()))
                .await
                .map_err(|_| ApiError::internal())?
                .map_err(|e| {
                    tracing::error!(error = %e, "writing a workbook failed");
                    ApiError::internal()
                })?;
            (XLSX, "xlsx", body)
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        // The answer depends on `Accept`: caches keep the formats apart.
        .insert_header((header::VARY, "Accept"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.{extension}\"", kind.as_str()),
        ))
        .body(body))
}
