//! The ceiling for the navigator's HTTP stack: the same actix-web, the same number of workers
//! (one per core), a handler that returns a fixed JSON body without touching a database. Whatever
//! the catalog search does below this rate is the cost of the query, the store and the
//! serialisation.
//!
//! `navigator-bench-ceiling ADDR BODY_FILE` listens on ADDR and answers `GET /api/v1/programs`
//! with the bytes of BODY_FILE: `bench/run.sh` gives it a page the real search returned in the
//! same run, so that both send the same bytes.

use actix_web::{get, http::header::ContentType, web, App, HttpResponse, HttpServer};

#[get("/api/v1/programs")]
async fn programs(page: web::Data<web::Bytes>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(page.get_ref().clone())
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(body_file)) = (args.next(), args.next()) else {
        eprintln!("usage: navigator-bench-ceiling ADDR BODY_FILE");
        std::process::exit(2);
    };
    let page = web::Data::new(web::Bytes::from(std::fs::read(&body_file)?));
    println!(
        "ceiling: http://{addr}/api/v1/programs ({} bytes)",
        page.len()
    );
    HttpServer::new(move || App::new().app_data(page.clone()).service(programs))
        .bind(addr)?
        .run()
        .await
}
