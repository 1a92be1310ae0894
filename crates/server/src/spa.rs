//! The single-page application: its built files from the SPA directory, and `index.html` for
//! every other path so that client-side routes (`/programs/…`, `/cabinet`) load the app.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::http::header::ContentType;
use actix_web::http::Method;
use actix_web::{guard, web, HttpRequest, HttpResponse, ResponseError};

use crate::error::ApiError;

/// Shown at `/` when the SPA has not been built.
const NOT_BUILT_PAGE: &str = r#"<!doctype html>
<html lang="ru">
<head><meta charset="utf-8"><title>Навигатор дополнительного образования</title></head>
<body>
<h1>Навигатор дополнительного образования</h1>
<p>The web application is not built, so only the API runs: build it with <code>just spa</code>
or point <code>NAVIGATOR_SPA_DIR</code> at a built one.</p>
<p>The API is documented at <a href="/api/docs">/api/docs</a>.</p>
</body>
</html>
"#;

/// Serves the built SPA from `dir`, or the notice page when there is none. Register after the
/// API: it takes every path the API does not.
pub fn configure(cfg: &mut web::ServiceConfig, dir: Option<&Path>) {
    let Some(dir) = dir else {
        cfg.default_service(web::to(not_built));
        return;
    };
    let index = dir.join("index.html");
    cfg.service(
        Files::new("/", dir)
            .index_file("index.html")
            // Other methods fall through to the default service, which answers a problem
            // rather than actix-files' plain-text 405.
            .guard(guard::Any(guard::Get()).or(guard::Head()))
            .default_handler(fn_service(move |req: ServiceRequest| {
                let index = index.clone();
                async move { Ok(client_side_route(req, index).await) }
            })),
    )
    .default_service(web::to(|| async {
        ApiError::method_not_allowed("GET, HEAD").error_response()
    }));
}

/// A GET of a path that is no file: a route of the SPA, which the app resolves itself.
async fn client_side_route(req: ServiceRequest, index: PathBuf) -> ServiceResponse {
    let (req, _) = req.into_parts();
    let response = match NamedFile::open_async(&index).await {
        Ok(file) => file.into_response(&req),
        Err(error) => {
            tracing::error!(%error, path = %index.display(), "the SPA's index.html cannot be read");
            ApiError::internal().error_response()
        }
    };
    ServiceResponse::new(req, response)
}

async fn not_built(req: HttpRequest) -> HttpResponse {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        HttpResponse::Ok()
            .content_type(ContentType::html())
            .body(NOT_BUILT_PAGE)
    } else {
        ApiError::method_not_allowed("GET, HEAD").error_response()
    }
}
