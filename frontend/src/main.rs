//! The navigator's single-page app: the public catalog of programs; for families, applying with
//! the co-payment quote and an account with children, certificates, their history, applications
//! and attendance; for providers, the inbox of applications, attendance sheets and invoices; for
//! operators, the certificate activation queue, invoice approval and the financing periods.
//!
//! Rendered in the browser by Leptos (CSR), built for wasm32 by `just spa` into `frontend/dist/`,
//! and served by the API server at `/` next to the API at `/api/v1`. Every JSON type comes from
//! `navigator-api-types`, the same crate the server serializes with.

// Each bundle (see `bundle.rs`) compiles the shared modules without the pages of the other two,
// which use some of their parts (endpoints, words, components): what a bundle leaves unused is not
// an error.
#![allow(dead_code)]

mod access;
mod api;
#[cfg(any(feature = "provider", feature = "operator", feature = "oversight"))]
mod api_staff;
mod app;
mod bundle;
mod clock;
#[cfg(feature = "oversight")]
mod csv;
mod format;
mod forms;
mod i18n;
#[cfg(any(feature = "provider", feature = "operator", feature = "oversight"))]
mod i18n_staff;
mod lists;
mod pages;
mod session;
#[cfg(feature = "oversight")]
mod statistics;
mod storage;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
