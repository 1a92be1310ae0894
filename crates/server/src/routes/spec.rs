//! The API's own documents: the OpenAPI description and the documentation page.

use actix_web::http::header::ContentType;
use actix_web::{web, HttpResponse};

/// The documents, rendered once at startup; `Bytes` so that each response shares them.
pub struct Documents {
    pub openapi_json: web::Bytes,
    pub docs_html: web::Bytes,
}

/// The OpenAPI description
///
/// This API described as OpenAPI 3.1: the source of the documentation page at `/api/docs`
/// and of generated clients.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "documentation",
    responses((status = 200, description = "The OpenAPI document", body = Object,
        content_type = "application/json")),
)]
pub async fn get_openapi(documents: web::Data<Documents>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(documents.openapi_json.clone())
}

/// `GET /api/docs`: the human-readable documentation page (not part of the versioned API).
pub async fn get_docs(documents: web::Data<Documents>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .body(documents.docs_html.clone())
}
