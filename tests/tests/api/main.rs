//! The navigator's REST API end to end: every role's journey and its refusals, over real HTTP, on
//! SQLite and on PostgreSQL, each response checked against `openapi/openapi.json`.
//!
//! One binary with a module per area, so the PostgreSQL cluster starts once for all of them. Each
//! scenario gets its own server and database; see `navigator_tests` for the harness.

mod access;
mod audit;
mod auth;
mod authorization;
mod catalog;
mod catalog_search;
mod certificates;
mod concurrency;
mod enrollment;
mod expected;
mod families;
mod fuzz;
mod groups;
mod health;
mod idempotency;
mod imports;
mod imports_xlsx;
mod invitations;
mod invoices;
mod notifications;
mod operations;
mod programs;
mod providers;
mod reviews;
mod search;
mod statistics;
mod tokens;
mod waitlist;
