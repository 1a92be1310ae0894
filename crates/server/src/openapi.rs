//! The OpenAPI 3.1 description of `/api/v1`, generated from the handlers' `#[utoipa::path]`
//! annotations and the api-types' schemas. `openapi/openapi.json` in the repository is
//! [`openapi_json`] written out by `navigator openapi`.

use navigator_api_types::{Problem, ProgramSort};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToResponse};

use crate::idempotency::IdempotentOperations;
use crate::routes::{
    applications, audit, auth, catalog, certificates, children, families, health, imports,
    invitations, invoices, notifications, operations, programs, providers, reviews, spec,
    statistics, users, waitlist,
};

/// The request cannot be read: malformed JSON, a wrong `Content-Type`, a query string, path
/// parameter or header (such as `Idempotency-Key`) that does not parse (`malformed_request`)
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct MalformedRequest(pub Problem);

/// No access token, or one that is malformed, forged or expired (`unauthorized`); the
/// `WWW-Authenticate: Bearer` header says which
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"navigator\"`, with \
        `error=\"invalid_token\"` when a token was given"))
)]
pub struct Unauthorized(pub Problem);

/// The actor's role may not do this (`forbidden`)
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct Forbidden(pub Problem);

/// No such object, or one the actor may not see: the two are not told apart (`not_found`)
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
pub struct NotFound(pub Problem);

/// Too many failed attempts lately (`too_many_attempts`)
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))
)]
pub struct TooManyAttempts(pub Problem);

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Навигатор дополнительного образования API",
        description = include_str!("openapi-description.md"),
        license(name = "MIT", identifier = "MIT"),
    ),
    servers((url = "/", description = "This server")),
    modifiers(&BearerScheme, &IdempotentOperations),
    tags(
        (name = "health", description = "Whether the server runs"),
        (name = "auth", description = "Registration, sign-in, tokens"),
        (name = "users", description = "Accounts"),
        (name = "municipalities", description = "Municipalities and their financing periods"),
        (name = "providers", description = "The registry of providers of additional education: \
            entries, their history, staff invitations"),
        (name = "registry files", description = "Import and export of the registries of \
            providers, programs and groups as CSV files"),
        (name = "programs", description = "The catalog of programs and their groups"),
        (name = "children", description = "A family's children"),
        (name = "certificates", description = "Certificates of personal accounting and of \
            personalized financing, their money and history"),
        (name = "applications", description = "Quotes, applications and enrollments"),
        (name = "waitlist", description = "Waitlists of full groups and the offers of freed \
            seats"),
        (name = "notifications", description = "The signed-in user's notifications of changes \
            to their applications, offers and certificates"),
        (name = "families", description = "Families registered at the desk and their \
            invitations"),
        (name = "attendance", description = "Lessons attended"),
        (name = "invoices", description = "Monthly invoices and write-offs"),
        (name = "reviews", description = "Reviews of programs: ratings, the providers' answers, \
            moderation"),
        (name = "statistics", description = "Public statistics of a municipality: coverage, \
            spending, demand; and the population figures they are shares of"),
        (name = "audit", description = "The operators' audit log of money movements and \
            decisions"),
        (name = "documentation", description = "This description"),
    ),
    paths(
        health::get_health,
        auth::register_family,
        auth::sign_in,
        auth::refresh_tokens,
        auth::sign_out,
        users::get_me,
        users::create_staff_user,
        catalog::list_municipalities,
        catalog::list_periods,
        operations::create_period,
        operations::run_billing,
        operations::verify_ledger,
        operations::update_period,
        operations::list_period_events,
        operations::roll_over,
        operations::get_provider_account,
        audit::list_audit_events,
        providers::list_providers,
        providers::create_provider,
        providers::get_provider,
        providers::update_provider,
        providers::list_provider_events,
        invitations::create_invitation,
        invitations::list_invitations,
        invitations::accept_invitation,
        imports::import_registry,
        imports::export_registry,
        catalog::search_programs,
        catalog::count_program_facets,
        programs::create_program,
        programs::list_provider_programs,
        programs::list_registry_programs,
        programs::update_program,
        programs::submit_program,
        programs::publish_program,
        programs::return_program,
        programs::archive_program,
        programs::list_program_events,
        programs::create_group,
        programs::get_group,
        programs::update_group,
        catalog::get_program,
        children::list_children,
        children::create_child,
        children::get_child,
        children::issue_certificate,
        certificates::list_certificates,
        certificates::get_certificate,
        certificates::get_certificate_history,
        certificates::activate_certificate,
        certificates::suspend_certificate,
        certificates::resume_certificate,
        certificates::close_certificate,
        applications::create_quote,
        applications::create_application,
        applications::list_applications,
        applications::get_application,
        applications::accept_application,
        applications::reject_application,
        applications::withdraw_application,
        applications::end_enrollment,
        applications::list_attendance,
        applications::mark_attendance,
        waitlist::join_waitlist,
        waitlist::get_group_waitlist,
        waitlist::list_waitlist,
        waitlist::leave_waitlist,
        waitlist::accept_offer,
        waitlist::decline_offer,
        notifications::list_notifications,
        notifications::read_notification,
        notifications::read_all_notifications,
        families::register_family_at_desk,
        families::activate_family,
        invoices::list_invoices,
        invoices::create_invoice,
        invoices::approve_invoice,
        invoices::reject_invoice,
        reviews::list_program_reviews,
        reviews::get_program_rating,
        reviews::create_review,
        reviews::answer_review,
        reviews::moderate_review,
        reviews::list_review_moderation,
        statistics::get_coverage,
        statistics::get_spending,
        statistics::get_most_wanted,
        statistics::get_applications_per_day,
        statistics::list_populations,
        statistics::set_population,
        spec::get_openapi,
    ),
    components(
        schemas(Problem, ProgramSort, imports::FileFormat, imports::Workbook),
        responses(MalformedRequest, Unauthorized, Forbidden, NotFound, TooManyAttempts),
    ),
)]
struct ApiDoc;

/// Declares the `bearer` security scheme the operations refer to.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The access token of `POST /auth/login`, `/auth/register` or \
                         `/auth/refresh`, valid for 15 minutes.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The OpenAPI document as pretty JSON with a trailing newline, as kept in
/// `openapi/openapi.json`. The order is the declaration order, so the output is stable.
pub fn openapi_json() -> String {
    // Serialising a tree of strings, maps and numbers cannot fail; the fallback keeps the
    // signature infallible without a panic path.
    let mut json = serde_json::to_string_pretty(&openapi()).unwrap_or_else(|error| {
        tracing::error!(%error, "serialising the OpenAPI document failed");
        String::from("{}")
    });
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::path::Operation;

    fn operations(doc: &utoipa::openapi::OpenApi) -> Vec<(String, &Operation)> {
        doc.paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                [
                    ("get", &item.get),
                    ("post", &item.post),
                    ("put", &item.put),
                    ("patch", &item.patch),
                    ("delete", &item.delete),
                ]
                .into_iter()
                .filter_map(move |(method, op)| {
                    op.as_ref().map(|op| (format!("{method} {path}"), op))
                })
            })
            .collect()
    }

    #[test]
    fn every_operation_has_a_snake_case_id_a_tag_and_documented_errors() {
        let doc = openapi();
        let ops = operations(&doc);
        assert!(ops.len() >= 35, "only {} operations", ops.len());
        let mut ids = Vec::new();
        for (name, op) in &ops {
            let id = op.operation_id.clone().unwrap_or_default();
            assert!(
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}: operationId {id:?}"
            );
            ids.push(id);
            assert_eq!(op.tags.as_ref().map(Vec::len), Some(1), "{name}: one tag");
            assert!(op.summary.is_some(), "{name}: summary");
            let secured = op.security.is_some();
            let statuses: Vec<&String> = op.responses.responses.keys().collect();
            assert!(
                statuses.iter().any(|s| s.starts_with('2')),
                "{name}: a success response"
            );
            if secured {
                assert!(
                    statuses.iter().any(|s| *s == "401"),
                    "{name}: secured operations document 401"
                );
            }
        }
        ids.sort();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count, "operationIds are unique");
    }

    #[test]
    fn the_document_is_openapi_3_1_with_the_bearer_scheme() {
        let json: serde_json::Value =
            serde_json::from_str(&openapi_json()).expect("the document is JSON");
        assert!(json["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")));
        assert_eq!(
            json["info"]["title"],
            "Навигатор дополнительного образования API"
        );
        assert_eq!(json["servers"][0]["url"], "/");
        assert_eq!(
            json["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert!(json["components"]["schemas"]["Problem"].is_object());
        assert!(openapi_json().ends_with("}\n"));
        assert_eq!(openapi_json(), openapi_json(), "stable output");
    }
}
