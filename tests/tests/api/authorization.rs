//! The authorization matrix: every operation of `openapi/openapi.json` × every kind of caller ×
//! objects that belong to family A, provider P1 and municipality M1.
//!
//! The callers: a guest, family A (the owner), family B, staff of P1, staff of P2 (another
//! organisation of the same municipality), the operator of M1, the operator of M2, and the regional
//! operator. [`rule`] says, per `operationId`, which object the request names, what it sends and
//! which callers may succeed. Every other caller must be answered 401, 403 or 404 and change
//! nothing: a fingerprint of every table of the database is taken before and after. The callers
//! who may succeed must not be answered 401, 403 or 404 (so the refusals of the others are about
//! them, not about a missing object), and the outsiders (guest, family B, staff of P2, operator of
//! M2) never see an id of A's private objects in any answer. An operation of the document that
//! [`rule`] does not know fails the test with its name: new endpoints join the matrix when they
//! are documented.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use uuid::Uuid;

use chrono::Datelike;
use navigator_api_types::{
    Application, Group, Invitation, Invoice, NotificationPage, Program, Review, Role, WaitlistEntry,
};
use navigator_tests::contract::openapi_path;
use navigator_tests::world::{
    first_of_month, last_of_month, random_inn, random_snils, Town, TownSpec,
};
use navigator_tests::{Backend, StatusCode, TestApp};

navigator_tests::on_both_backends!(only_the_allowed_cells_succeed);

/// The kinds of caller, in the order of the matrix's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Guest,
    FamilyA,
    FamilyB,
    StaffP1,
    StaffP2,
    OperatorM1,
    OperatorM2,
    Regional,
}

use Who::*;

const EVERYONE: &[Who] = &[
    Guest, FamilyA, FamilyB, StaffP1, StaffP2, OperatorM1, OperatorM2, Regional,
];
const SIGNED_IN: &[Who] = &[
    FamilyA, FamilyB, StaffP1, StaffP2, OperatorM1, OperatorM2, Regional,
];
/// Callers with no claim on A's, P1's or M1's objects.
const OUTSIDERS: &[Who] = &[Guest, FamilyB, StaffP2, OperatorM2];

/// The world the matrix runs in: A's child with a certificate, an accepted enrollment with a
/// marked lesson and an invoice, a submitted application, a review, a notification, A's child
/// waiting for a seat in a full group of P1, a draft program of P1, a pending invitation of P1's
/// staff and a family registered at P1's desk that has not set its password yet.
struct World {
    tokens: BTreeMap<Who, String>,
    town: Town,
    other_town: Town,
    family_a_email: String,
    family_a_password: String,
    /// A refresh token of a session of family B, for the refresh and sign-out operations.
    refresh_token: String,
    child: Uuid,
    certificate: Uuid,
    enrollment: Uuid,
    submitted: Uuid,
    invoice: Uuid,
    review: Uuid,
    draft: Program,
    /// A group of P1 with its one seat taken by another family's child.
    full_group: Uuid,
    /// A's child in the waitlist of `full_group`.
    waitlist_entry: Uuid,
    notification: Uuid,
    invitation: Uuid,
    /// The single-use token of the letter of `invitation`.
    invitation_token: String,
    /// The single-use token of the letter to the family registered at the desk.
    activation_token: String,
}

impl World {
    async fn build(app: &TestApp) -> World {
        let town = app.arrange_town(TownSpec::default()).await;
        let other_town = app.arrange_town(TownSpec::default()).await;
        let regional = app.demo_login(Role::RegionalOperator).await;
        let family_a = app.register_family().await;
        let family_b = app.register_family().await;
        let session_b = app.sign_in(&family_b.email, &family_b.password).await;

        let (child, certificate) = app.certified_child(&family_a, &town).await;
        let enrollment: Application = app
            .post("/applications")
            .token(&family_a.token)
            .json(&json!({"child_id": child.id, "group_id": town.group.id}))
            .send()
            .await
            .ok(StatusCode::CREATED);
        app.post(&format!("/applications/{}/accept", enrollment.id))
            .token(&town.staff.token)
            .send()
            .await
            .assert_status(StatusCode::OK);
        app.post(&format!("/applications/{}/attendance", enrollment.id))
            .token(&town.staff.token)
            .json(&json!({"date": app.today, "present": true}))
            .send()
            .await
            .assert_status(StatusCode::OK);
        let invoice: Invoice = app
            .post("/invoices")
            .token(&town.staff.token)
            .json(&json!({"application_id": enrollment.id, "month": month(app, 0)}))
            .send()
            .await
            .ok(StatusCode::CREATED);
        let submitted: Application = app
            .post("/applications")
            .token(&family_a.token)
            .json(&json!({"child_id": child.id, "group_id": town.budget_group.id}))
            .send()
            .await
            .ok(StatusCode::CREATED);
        let review: Review = app
            .post(&format!("/programs/{}/reviews", town.program.id))
            .token(&family_a.token)
            .json(&json!({"child_id": child.id, "rating": 5, "text": "Интересно"}))
            .send()
            .await
            .ok(StatusCode::CREATED);
        let draft: Program = app
            .post(&format!("/providers/{}/programs", town.provider.id))
            .token(&town.staff.token)
            .json(&program_draft("Робототехника"))
            .send()
            .await
            .ok(StatusCode::CREATED);

        let full_group: Group = app
            .post(&format!("/programs/{}/groups", town.program.id))
            .token(&town.staff.token)
            .json(&json!({
                "name": "Группа на одно место", "start_date": first_of_month(app.today, 1),
                "end_date": last_of_month(app.today, 4), "schedule": "Сб 10:00",
                "teacher": "Орлова Нина Петровна", "capacity": 1, "open": true
            }))
            .send()
            .await
            .ok(StatusCode::CREATED);
        let family_c = app.register_family().await;
        let (child_c, _) = app.certified_child(&family_c, &town).await;
        let seat: Application = app
            .post("/applications")
            .token(&family_c.token)
            .json(&json!({"child_id": child_c.id, "group_id": full_group.id}))
            .send()
            .await
            .ok(StatusCode::CREATED);
        app.post(&format!("/applications/{}/accept", seat.id))
            .token(&town.staff.token)
            .send()
            .await
            .assert_status(StatusCode::OK);
        let waitlist_entry: WaitlistEntry = app
            .post(&format!("/groups/{}/waitlist", full_group.id))
            .token(&family_a.token)
            .json(&json!({"child_id": child.id}))
            .send()
            .await
            .ok(StatusCode::CREATED);
        let notifications: NotificationPage = app
            .get("/notifications")
            .token(&family_a.token)
            .send()
            .await
            .ok(StatusCode::OK);
        let notification = notifications
            .items
            .first()
            .unwrap_or_else(|| panic!("family A has no notification"))
            .id;

        let invited = format!("invited-{}@tests.example", Uuid::new_v4().simple());
        let invitation: Invitation = app
            .post(&format!("/providers/{}/invitations", town.provider.id))
            .token(&town.staff.token)
            .json(&json!({"email": invited, "full_name": "Петрова Анна Сергеевна"}))
            .send()
            .await
            .ok(StatusCode::CREATED);
        let invitation_token = token_in_letter(app, &invited, "/invitation#");
        let at_desk = format!("desk-{}@tests.example", Uuid::new_v4().simple());
        app.post("/families")
            .token(&town.staff.token)
            .json(&desk_registration(
                &at_desk,
                town.municipality.id,
                app.today,
            ))
            .send()
            .await
            .assert_status(StatusCode::CREATED);
        let activation_token = token_in_letter(app, &at_desk, "/activate#");

        let tokens = BTreeMap::from([
            (FamilyA, family_a.token.clone()),
            (FamilyB, family_b.token.clone()),
            (StaffP1, town.staff.token.clone()),
            (StaffP2, town.rival_staff.token.clone()),
            (OperatorM1, town.operator.token.clone()),
            (OperatorM2, other_town.operator.token.clone()),
            (Regional, regional),
        ]);
        World {
            tokens,
            family_a_email: family_a.email,
            family_a_password: family_a.password,
            refresh_token: session_b.refresh_token,
            child: child.id,
            certificate: certificate.id,
            enrollment: enrollment.id,
            submitted: submitted.id,
            invoice: invoice.id,
            review: review.id,
            draft,
            full_group: full_group.id,
            waitlist_entry: waitlist_entry.id,
            notification,
            invitation: invitation.id,
            invitation_token,
            activation_token,
            town,
            other_town,
        }
    }

    /// The ids of A's and P1's private objects, for A, P1, M1 and the regional operator only.
    fn private_ids(&self) -> [Uuid; 9] {
        [
            self.child,
            self.certificate,
            self.enrollment,
            self.submitted,
            self.invoice,
            self.draft.id,
            self.waitlist_entry,
            self.notification,
            self.invitation,
        ]
    }
}

/// The single-use token of the link `marker#token` in the last letter to `to`.
fn token_in_letter(app: &TestApp, to: &str, marker: &str) -> String {
    let letter = app
        .letters()
        .into_iter()
        .rev()
        .find(|l| l.to == to)
        .unwrap_or_else(|| panic!("no letter to {to}"));
    letter
        .body
        .split(marker)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no {marker} link in the letter: {}", letter.body))
        .to_owned()
}

/// A parent who came to the desk, with a child living in `municipality_id`.
fn desk_registration(email: &str, municipality_id: Uuid, today: chrono::NaiveDate) -> Value {
    json!({
        "email": email, "full_name": "Смирнова Елена Игоревна",
        "child": {
            "first_name": "Олег", "last_name": "Смирнов",
            "birth_date": first_of_month(today, -100),
            "snils": random_snils().to_string(), "municipality_id": municipality_id
        },
        "consent": {"method": "written", "document": "Заявление № 17", "given_at": today}
    })
}

/// A new provider of `municipality_id`, with an ИНН of its own.
fn provider_draft(municipality_id: Uuid) -> Value {
    json!({
        "municipality_id": municipality_id, "name": "Клуб «Ладья»", "legal_form": "ООО",
        "inn": random_inn(), "address": "ул. Мира, 3", "phone": "+7 3812 11-22-33",
        "email": "ladya@club.example", "licence": "Л035-01298-55/00400001"
    })
}

/// `YYYY-MM` of the month `offset` months from today's.
fn month(app: &TestApp, offset: i32) -> String {
    first_of_month(app.today, offset)
        .format("%Y-%m")
        .to_string()
}

fn program_draft(title: &str) -> Value {
    json!({
        "title": title,
        "description": "Конструирование и программирование роботов",
        "direction": "technical",
        "age_from": 8, "age_to": 14,
        "level": "starting", "form": "in_person", "funding": "certificate",
        "price_per_month": "2500.00", "hours_per_week": 4, "duration_months": 9,
        "medical_certificate_required": false, "adapted_for_disabilities": false,
        "address": "ул. Ленина, 1"
    })
}

/// One operation's row of the matrix.
struct Rule {
    /// The object the path's `{id}` names.
    id: Option<Uuid>,
    /// The values of the path's other parameters (`{year}`, `{kind}`), by name.
    params: Vec<(&'static str, String)>,
    query: String,
    body: Option<Value>,
    /// The body by caller, when what a caller may send depends on its role, or when each
    /// request needs fresh values (an email, an ИНН) to succeed.
    body_by_caller: Option<Box<dyn Fn(Who) -> Value>>,
    /// A body of another media type than JSON: `(content type, body)`.
    raw: Option<(&'static str, Vec<u8>)>,
    /// A refusal the operation answers with another status than 401, 403 or 404: `(status,
    /// problem code)`, e.g. a file or a body that names another municipality's objects.
    refused_as: Option<(u16, &'static str)>,
    headers: Vec<(&'static str, String)>,
    /// The callers who may succeed; everyone else is refused.
    may: &'static [Who],
    /// The answer depends on credentials in the body, not on the caller (a refresh token works
    /// once, whoever sends it): the callers of `may` are checked only for leaks.
    body_credentials: bool,
}

impl Rule {
    fn new(may: &'static [Who]) -> Rule {
        Rule {
            id: None,
            params: Vec::new(),
            query: String::new(),
            body: None,
            body_by_caller: None,
            raw: None,
            refused_as: None,
            headers: Vec::new(),
            may,
            body_credentials: false,
        }
    }

    fn on(mut self, id: Uuid) -> Rule {
        self.id = Some(id);
        self
    }

    fn body(mut self, body: Value) -> Rule {
        self.body = Some(body);
        self
    }

    fn body_by_caller(mut self, body: impl Fn(Who) -> Value + 'static) -> Rule {
        self.body_by_caller = Some(Box::new(body));
        self
    }

    fn param(mut self, name: &'static str, value: impl ToString) -> Rule {
        self.params.push((name, value.to_string()));
        self
    }

    fn raw(mut self, content_type: &'static str, body: impl Into<Vec<u8>>) -> Rule {
        self.raw = Some((content_type, body.into()));
        self
    }

    fn refused_as(mut self, status: u16, code: &'static str) -> Rule {
        self.refused_as = Some((status, code));
        self
    }

    fn query(mut self, query: String) -> Rule {
        self.query = query;
        self
    }

    fn body_credentials(mut self) -> Rule {
        self.body_credentials = true;
        self
    }

    fn header(mut self, name: &'static str, value: String) -> Rule {
        self.headers.push((name, value));
        self
    }
}

/// The matrix, keyed by `operationId`. `None`: the operation is not in the table yet.
fn rule(operation: &str, w: &World, app: &TestApp) -> Option<Rule> {
    const A_AND_KEEPERS: &[Who] = &[FamilyA, StaffP1, OperatorM1, Regional];
    const A_AND_OPERATORS: &[Who] = &[FamilyA, OperatorM1, Regional];
    const P1_AND_OPERATORS: &[Who] = &[StaffP1, OperatorM1, Regional];
    const M1_AND_REGION: &[Who] = &[OperatorM1, Regional];
    const OPERATORS: &[Who] = &[OperatorM1, OperatorM2, Regional];
    const STAFF_AND_OPERATORS: &[Who] = &[StaffP1, StaffP2, OperatorM1, OperatorM2, Regional];
    const FAMILIES: &[Who] = &[FamilyA, FamilyB];
    const FAMILIES_AND_OPERATORS: &[Who] = &[FamilyA, FamilyB, OperatorM1, OperatorM2, Regional];
    let town = &w.town;
    let reason = json!({"reason": "проверка прав доступа"});
    let period = json!({
        "start": first_of_month(app.today, 12), "end": last_of_month(app.today, 23),
        "nominal": "5000.00", "quota": 10, "budget": "50000.00",
        "enrollment_opens": first_of_month(app.today, 11),
        "enrollment_closes": last_of_month(app.today, 23), "test_mode": false,
    });
    let mut period_update = json!({
        "start": town.period.start, "end": town.period.end,
        "nominal": town.period.nominal, "quota": town.period.quota + 1,
        "budget": town.period.budget, "enrollment_opens": town.period.enrollment_opens,
        "enrollment_closes": town.period.enrollment_closes, "test_mode": false,
    });
    period_update["reason"] = json!("квота увеличена");
    let rule = match operation {
        // Public: the catalog, the documents, the accounts' own doors.
        "get_health" | "get_openapi" | "list_municipalities" | "list_providers"
        | "search_programs" | "count_program_facets" => Rule::new(EVERYONE),
        "get_provider" => Rule::new(EVERYONE).on(town.provider.id),
        "list_periods" => Rule::new(EVERYONE).on(town.municipality.id),
        "get_program" | "get_program_rating" | "list_program_reviews" => {
            Rule::new(EVERYONE).on(town.program.id)
        }
        "register_family" => Rule::new(EVERYONE).body(json!({
            "email": format!("new-{}@tests.example", Uuid::new_v4().simple()),
            "password": "a long family password", "full_name": "Иванова Мария"
        })),
        "sign_in" => Rule::new(EVERYONE)
            .body(json!({"email": w.family_a_email, "password": w.family_a_password})),
        "refresh_tokens" | "sign_out" => {
            Rule::new(EVERYONE)
                .body(json!({"refresh_token": w.refresh_token}))
                .body_credentials()
        }
        "get_me" => Rule::new(SIGNED_IN),

        // Family A's child and certificate.
        "list_children" => Rule::new(FAMILIES),
        "create_child" => Rule::new(FAMILIES).body(json!({
            "first_name": "Иван", "last_name": "Петров", "birth_date": first_of_month(app.today, -100),
            "snils": random_snils().to_string(), "municipality_id": town.municipality.id
        })),
        "get_child" => Rule::new(&[FamilyA]).on(w.child),
        // At the desk: staff of any provider and operators of the municipality, with the family
        // present.
        "issue_certificate" => {
            Rule::new(&[FamilyA, StaffP1, StaffP2, OperatorM1, Regional]).on(w.child)
        }
        "list_certificates" => Rule::new(FAMILIES_AND_OPERATORS),
        "get_certificate" | "get_certificate_history" => Rule::new(A_AND_OPERATORS).on(w.certificate),
        "activate_certificate" | "suspend_certificate" | "resume_certificate" => {
            Rule::new(M1_AND_REGION).on(w.certificate).body(reason)
        }
        "close_certificate" => Rule::new(A_AND_OPERATORS).on(w.certificate).body(reason),
        "create_quote" => Rule::new(&[FamilyA])
            .body(json!({"child_id": w.child, "group_id": town.budget_group.id})),

        // A's applications with P1.
        "list_applications" => Rule::new(SIGNED_IN).query(format!("?child_id={}", w.child)),
        "create_application" => Rule::new(&[FamilyA])
            .body(json!({"child_id": w.child, "group_id": town.group.id})),
        "get_application" | "list_attendance" => Rule::new(A_AND_KEEPERS).on(w.enrollment),
        "accept_application" => Rule::new(&[StaffP1]).on(w.submitted),
        "reject_application" => Rule::new(&[StaffP1]).on(w.submitted).body(reason),
        "withdraw_application" => Rule::new(&[FamilyA]).on(w.submitted),
        "mark_attendance" => Rule::new(&[StaffP1])
            .on(w.enrollment)
            .body(json!({"date": app.today, "present": false})),
        // Families end with `family_request`, staff with `provider_decision`.
        "end_enrollment" => Rule::new(&[FamilyA, StaffP1])
            .on(w.enrollment)
            .body_by_caller(|who| match who {
                StaffP1 | StaffP2 => json!({"end_reason": "provider_decision"}),
                _ => json!({"end_reason": "family_request"}),
            }),

        // P1's invoices, M1's decisions.
        "list_invoices" => Rule::new(STAFF_AND_OPERATORS),
        "create_invoice" => Rule::new(&[StaffP1])
            .body(json!({"application_id": w.enrollment, "month": month(app, 1)})),
        "approve_invoice" => Rule::new(M1_AND_REGION).on(w.invoice),
        "reject_invoice" => Rule::new(M1_AND_REGION).on(w.invoice).body(reason),
        "get_provider_account" => Rule::new(P1_AND_OPERATORS).on(town.provider.id),

        // M1's periods and runs.
        "create_period" => Rule::new(M1_AND_REGION).on(town.municipality.id).body(period),
        "update_period" => Rule::new(M1_AND_REGION)
            .on(town.period.id)
            .header("If-Match", format!("\"v{}\"", town.period.version))
            .body(period_update),
        "list_period_events" => Rule::new(M1_AND_REGION).on(town.period.id),
        "run_billing" => Rule::new(M1_AND_REGION)
            .on(town.municipality.id)
            .body(json!({"month": month(app, 0), "approve": false})),
        "roll_over" => Rule::new(M1_AND_REGION).on(town.municipality.id),
        "verify_ledger" => Rule::new(OPERATORS),

        // P1's programs.
        "list_provider_programs" => Rule::new(P1_AND_OPERATORS).on(town.provider.id),
        // Every operator lists its own reach: M2's list leaves out P1's draft.
        "list_registry_programs" => Rule::new(OPERATORS),
        "create_program" => Rule::new(P1_AND_OPERATORS)
            .on(town.provider.id)
            .body(program_draft("Шахматы для начинающих")),
        "update_program" => Rule::new(P1_AND_OPERATORS)
            .on(w.draft.id)
            .header("If-Match", format!("\"v{}\"", w.draft.version))
            .body(program_draft("Робототехника и программирование")),
        "submit_program" | "archive_program" => {
            Rule::new(P1_AND_OPERATORS).on(w.draft.id).body(reason)
        }
        "publish_program" => Rule::new(M1_AND_REGION)
            .on(w.draft.id)
            .body(json!({"funding": "certificate", "reason": "соответствует требованиям"})),
        "return_program" => Rule::new(M1_AND_REGION).on(w.draft.id).body(reason),
        "list_program_events" => Rule::new(P1_AND_OPERATORS).on(w.draft.id),
        "create_group" => Rule::new(P1_AND_OPERATORS).on(town.program.id).body(json!({
            "name": "Группа 2", "start_date": first_of_month(app.today, 1),
            "end_date": last_of_month(app.today, 4), "schedule": "Вт, Чт 17:00",
            "teacher": "Орлова Нина Петровна", "capacity": 12, "open": true
        })),

        "get_group" => Rule::new(P1_AND_OPERATORS).on(town.budget_group.id),
        "update_group" => {
            let g = &town.budget_group;
            Rule::new(P1_AND_OPERATORS)
                .on(g.id)
                .header("If-Match", format!("\"v{}\"", g.version))
                .body(json!({
                    "name": g.name, "start_date": g.start_date, "end_date": g.end_date,
                    "schedule": g.schedule, "teacher": "Петров Пётр Петрович",
                    "capacity": g.capacity, "open": g.open
                }))
        }

        // The audit log: every operator, within its municipality.
        "list_audit_events" => Rule::new(OPERATORS),

        // Reviews of P1's program by A.
        "create_review" => Rule::new(&[FamilyA])
            .on(town.program.id)
            .body(json!({"child_id": w.child, "rating": 4})),
        "answer_review" => Rule::new(&[StaffP1])
            .on(w.review)
            .body(json!({"text": "Спасибо за отзыв!"})),
        "list_review_moderation" => Rule::new(M1_AND_REGION).on(w.review),
        "moderate_review" => Rule::new(M1_AND_REGION)
            .on(w.review)
            .body(json!({"hidden": false, "reason": "проверено"})),

        // Staff accounts of P1.
        "create_staff_user" => Rule::new(M1_AND_REGION).body(json!({
            "email": format!("staff-{}@tests.example", Uuid::new_v4().simple()),
            "password": "a long staff password", "full_name": "Сидоров Павел",
            "role": "provider_staff", "provider_id": town.provider.id
        })),
        // Staff of P1 invited by P1's keepers; the letter's token works once, for whoever has it.
        "list_invitations" => Rule::new(P1_AND_OPERATORS).on(town.provider.id),
        "create_invitation" => Rule::new(P1_AND_OPERATORS).on(town.provider.id).body(json!({
            "email": format!("invited-{}@tests.example", Uuid::new_v4().simple()),
            "full_name": "Орлова Нина Петровна"
        })),
        "accept_invitation" => Rule::new(EVERYONE)
            .body(json!({"token": w.invitation_token, "password": "a long staff password"}))
            .body_credentials(),

        // The registry of providers: operators register in their municipality; P1's keepers
        // change P1 (staff only its contacts).
        "create_provider" => {
            let municipality = town.municipality.id;
            Rule::new(M1_AND_REGION)
                .body_by_caller(move |_| provider_draft(municipality))
                .refused_as(422, "other_municipality")
        }
        "update_provider" => {
            let p = &town.provider;
            Rule::new(P1_AND_OPERATORS)
                .on(p.id)
                .header("If-Match", format!("\"v{}\"", p.version))
                .body(json!({
                    "provider": {
                        "municipality_id": p.municipality_id, "name": p.name,
                        "legal_form": p.legal_form, "inn": p.inn, "address": p.address,
                        "phone": "+7 3812 99-88-77", "email": p.email, "licence": p.licence,
                        "licence_issued_on": p.licence_issued_on,
                        "latitude": p.latitude, "longitude": p.longitude
                    },
                    "reason": "новый телефон приёмной"
                }))
        }
        "list_provider_events" => Rule::new(P1_AND_OPERATORS).on(town.provider.id),
        // Registry files: every operator within its scope. M2's operator may import, but a file
        // of M1's providers is refused whole, row by row. The file is a workbook, the format
        // with the most to unpack before the rows are checked (CSV takes the same path after).
        "export_registry" => Rule::new(OPERATORS).param("kind", "programs"),
        "import_registry" => {
            let csv = format!(
                "муниципалитет;наименование;ОПФ;ИНН;адрес;телефон;email;лицензия;\
                 дата лицензии;широта;долгота\n\
                 {};Клуб «Ладья»;ООО;{};ул. Мира, 3;+7 3812 11-22-33;\
                 ladya@club.example;Л035-01298-55/00400001;;;\n",
                town.municipality.name,
                random_inn()
            );
            let table = navigator_domain::import::Table::from_csv(&csv).expect("a CSV file");
            let workbook = navigator_xlsx::write(&table, "providers").expect("a workbook");
            Rule::new(M1_AND_REGION)
                .param("kind", "providers")
                .raw(navigator_xlsx::MEDIA_TYPE, workbook)
                .refused_as(422, "import_rejected")
        }

        // Families registered at the desk: staff of any provider, the operators of the child's
        // municipality; the letter's token works once, for whoever has it.
        "register_family_at_desk" => {
            let (municipality, today) = (town.municipality.id, app.today);
            Rule::new(&[StaffP1, StaffP2, OperatorM1, Regional])
                .body_by_caller(move |_| {
                    let email = format!("desk-{}@tests.example", Uuid::new_v4().simple());
                    desk_registration(&email, municipality, today)
                })
                .refused_as(422, "other_municipality")
        }
        "activate_family" => Rule::new(EVERYONE)
            .body(json!({"token": w.activation_token, "password": "a long family password"}))
            .body_credentials(),

        // The waitlist of P1's full group; A's entry in it.
        "get_group_waitlist" => Rule::new(P1_AND_OPERATORS).on(w.full_group),
        "join_waitlist" => Rule::new(&[FamilyA])
            .on(w.full_group)
            .body(json!({"child_id": w.child})),
        "list_waitlist" => Rule::new(FAMILIES),
        "accept_offer" | "decline_offer" | "leave_waitlist" => {
            Rule::new(&[FamilyA]).on(w.waitlist_entry)
        }

        // Everyone's own notifications; A's one.
        "list_notifications" | "read_all_notifications" => Rule::new(SIGNED_IN),
        "read_notification" => Rule::new(&[FamilyA]).on(w.notification),

        // M1's statistics are public; its population figures are entered by its operators.
        "list_populations"
        | "get_applications_per_day"
        | "get_coverage"
        | "get_most_wanted"
        | "get_spending" => Rule::new(EVERYONE).on(town.municipality.id),
        "set_population" => Rule::new(M1_AND_REGION)
            .on(town.municipality.id)
            .param("year", app.today.year())
            .body(json!({"children_5_18": 12_000})),
        _ => return None,
    };
    Some(rule)
}

/// `(method, path template, operationId)` of every operation of the committed document.
fn documented_operations() -> Vec<(String, String, String)> {
    let path = openapi_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let document: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("the document is not JSON: {e}"));
    let mut operations = Vec::new();
    for (template, item) in document["paths"].as_object().into_iter().flatten() {
        for method in ["get", "put", "post", "patch", "delete"] {
            if let Some(id) = item[method]["operationId"].as_str() {
                operations.push((method.to_uppercase(), template.clone(), id.to_string()));
            }
        }
    }
    operations
}

async fn only_the_allowed_cells_succeed(app: &TestApp) {
    let w = World::build(app).await;
    let operations = documented_operations();
    let missing: Vec<&str> = operations
        .iter()
        .filter(|(_, _, id)| rule(id, &w, app).is_none())
        .map(|(_, _, id)| id.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "operations of openapi/openapi.json with no row in the authorization matrix: {missing:?}"
    );

    let mut refused_cells = 0;
    for (method, template, operation) in &operations {
        let rule = rule(operation, &w, app).unwrap_or_else(|| panic!("{operation}: no rule"));
        let mut path = match rule.id {
            Some(id) => template.replace("{id}", &id.to_string()),
            None => template.clone(),
        };
        for (name, value) in &rule.params {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        assert!(
            !path.contains('{'),
            "{operation}: the rule names no object for {template}"
        );
        let path = format!("{}{}", path.trim_start_matches("/api/v1"), rule.query);
        let (refused, allowed): (Vec<Who>, Vec<Who>) =
            EVERYONE.iter().partition(|who| !rule.may.contains(who));

        // Refusals first, on the untouched objects: nothing changes.
        let before = fingerprint(app).await;
        for who in &refused {
            let response = send(app, &w, method, &path, &rule, *who).await;
            let refused_as = rule.refused_as.is_some_and(|(status, code)| {
                response.status.as_u16() == status && response.body["code"] == code
            });
            assert!(
                refused_as || matches!(response.status.as_u16(), 401 | 403 | 404),
                "{operation} as {who:?} must be refused with 401, 403 or 404, got {}: {:#}",
                response.status,
                response.body
            );
            refused_cells += 1;
        }
        let after = fingerprint(app).await;
        if let Some(table) = changed_table(&before, &after) {
            panic!("{operation}: a refused request changed the table {table}");
        }

        for who in &allowed {
            let response = send(app, &w, method, &path, &rule, *who).await;
            assert!(
                rule.body_credentials || !matches!(response.status.as_u16(), 401 | 403 | 404),
                "{operation} as {who:?} is allowed by the matrix but answered {}: {:#}",
                response.status,
                response.body
            );
            if OUTSIDERS.contains(who) {
                let text = response.body.to_string();
                for id in w.private_ids() {
                    assert!(
                        !text.contains(&id.to_string()),
                        "{operation} as {who:?} shows {id}, an object of family A"
                    );
                }
            }
        }
    }
    assert!(refused_cells > 200, "only {refused_cells} refused cells");
    // M2's operator was refused everywhere in M1; its own town stays untouched.
    assert_ne!(w.other_town.municipality.id, w.town.municipality.id);
}

async fn send(
    app: &TestApp,
    w: &World,
    method: &str,
    path: &str,
    rule: &Rule,
    who: Who,
) -> navigator_tests::ApiResponse {
    let method = reqwest::Method::from_bytes(method.as_bytes())
        .unwrap_or_else(|e| panic!("{method} is not a method: {e}"));
    let mut request = app.request(method, path);
    if let Some(token) = w.tokens.get(&who) {
        request = request.token(token);
    }
    for (name, value) in &rule.headers {
        request = request.header(name, value.clone());
    }
    if let Some(body) = rule
        .body_by_caller
        .as_ref()
        .map(|body| body(who))
        .or(rule.body.clone())
    {
        request = request.json(&body);
    }
    if let Some((content_type, body)) = &rule.raw {
        request = request.raw(content_type, body.clone());
    }
    request.send().await
}

/// Every table's row count and contents, as text, by table name.
async fn fingerprint(app: &TestApp) -> BTreeMap<String, String> {
    match app.backend {
        Backend::Sqlite => sqlite_fingerprint(app.database_url()).await,
        Backend::Postgres => postgres_fingerprint(app.database_url()).await,
    }
}

async fn sqlite_fingerprint(url: &str) -> BTreeMap<String, String> {
    use sqlx::Connection;
    let mut db = sqlx::SqliteConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut db)
    .await
    .unwrap_or_else(|e| panic!("listing tables: {e}"));
    let mut fingerprint = BTreeMap::new();
    for table in tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
                .bind(&table)
                .fetch_all(&mut db)
                .await
                .unwrap_or_else(|e| panic!("columns of {table}: {e}"));
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let contents: String = sqlx::query_scalar(&format!(
            "SELECT count(*) || ':' || coalesce(group_concat(r, ';'), '') \
             FROM (SELECT {row} AS r FROM \"{table}\" ORDER BY 1)"
        ))
        .fetch_one(&mut db)
        .await
        .unwrap_or_else(|e| panic!("reading {table}: {e}"));
        fingerprint.insert(table, contents);
    }
    fingerprint
}

async fn postgres_fingerprint(url: &str) -> BTreeMap<String, String> {
    use sqlx::Connection;
    let mut db = sqlx::PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("opening the database: {e}"));
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut db)
    .await
    .unwrap_or_else(|e| panic!("listing tables: {e}"));
    let mut fingerprint = BTreeMap::new();
    for table in tables {
        let contents: String = sqlx::query_scalar(&format!(
            "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, ';' ORDER BY t::text)), '') \
             FROM \"{table}\" AS t"
        ))
        .fetch_one(&mut db)
        .await
        .unwrap_or_else(|e| panic!("reading {table}: {e}"));
        fingerprint.insert(table, contents);
    }
    db.close()
        .await
        .unwrap_or_else(|e| panic!("closing the database: {e}"));
    fingerprint
}

/// Tables the server writes on its own, whatever the requests: the server's heartbeat says it is
/// alive every few seconds (`server_instances`), which is not a request's effect.
const BACKGROUND_TABLES: &[&str] = &["server_instances"];

fn changed_table(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Option<String> {
    before
        .iter()
        .filter(|(table, _)| !BACKGROUND_TABLES.contains(&table.as_str()))
        .find(|(table, contents)| after.get(*table) != Some(*contents))
        .map(|(table, _)| table.clone())
}
