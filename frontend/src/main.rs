//! The navigator's single-page app for families: the catalog of programs, a program's page,
//! sign-in and registration, and the family's account with children and certificates.
//!
//! Rendered in the browser by Leptos (CSR), built for wasm32 by `just spa` into `frontend/dist/`,
//! and served by the API server at `/` next to the API at `/api/v1`. Every JSON type comes from
//! `navigator-api-types`, the same crate the server serializes with.

mod api;
mod app;
mod format;
mod forms;
mod i18n;
mod pages;
mod session;
mod storage;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
