//! The navigator's HTTP server: the REST API under `/api/v1` (actix-web), its OpenAPI document,
//! the documentation page and the SPA's static files.
//!
//! [`startup::Application`] wires everything together; [`settings::Settings`] says where to listen,
//! which database to open and which secret signs the tokens. Handlers live in [`routes`], one module
//! per resource; they check the actor's role, call the [`navigator_store::Store`] use case and turn
//! its outcome into JSON or an [`error::ApiError`] problem.

pub mod auth;
pub mod docs;
pub mod error;
pub mod idempotency;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod outbox;
pub mod routes;
pub mod seed;
pub mod settings;
mod spa;
pub mod startup;
pub mod telemetry;
mod throttle;
