//! Who may call what: no token → 401, a role that may never do it → 403, someone else's object →
//! 404 (tested with each resource).

use serde_json::json;
use uuid::Uuid;

use navigator_api_types::{Page, ProgramSummary, Role};
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(
    guests_browse_the_catalog_but_act_only_signed_in,
    each_role_is_refused_what_it_may_never_do,
);

async fn guests_browse_the_catalog_but_act_only_signed_in(app: &TestApp) {
    let page: Page<ProgramSummary> = app.get("/programs").send().await.ok(StatusCode::OK);
    assert!(!page.items.is_empty(), "the demo catalog is public");
    app.get("/municipalities")
        .send()
        .await
        .assert_status(StatusCode::OK);
    app.get("/providers")
        .send()
        .await
        .assert_status(StatusCode::OK);

    let id = Uuid::new_v4();
    let pair = json!({"child_id": id, "group_id": id});
    let signed_in_only = [
        app.get("/me"),
        app.get("/children"),
        app.post("/children").json(&json!({
            "first_name": "Анна", "last_name": "Петрова", "birth_date": "2017-03-01",
            "snils": "112-233-445 95", "municipality_id": id
        })),
        app.get("/certificates"),
        app.get(&format!("/certificates/{id}")),
        app.post("/quotes").json(&pair),
        app.get("/applications"),
        app.post("/applications").json(&pair),
        app.post(&format!("/applications/{id}/accept")),
        app.get("/invoices"),
        app.post(&format!("/invoices/{id}/approve")),
    ];
    for request in signed_in_only {
        request
            .send()
            .await
            .problem(StatusCode::UNAUTHORIZED, "unauthorized");
    }
}

async fn each_role_is_refused_what_it_may_never_do(app: &TestApp) {
    let family = app.register_family().await;
    let staff = app.demo_login(Role::ProviderStaff).await;
    let operator = app.demo_login(Role::MunicipalOperator).await;
    let id = Uuid::new_v4();
    let pair = json!({"child_id": id, "group_id": id});
    let reason = json!({"reason": "проверка прав"});
    let child = json!({
        "first_name": "Анна", "last_name": "Петрова", "birth_date": "2017-03-01",
        "snils": "112-233-445 95", "municipality_id": id
    });
    let invoice = json!({"application_id": id, "month": "2026-09"});
    let staff_account = json!({
        "email": "new-staff@tests.example", "password": "long enough password",
        "full_name": "Новый Сотрудник", "role": "provider_staff", "provider_id": id
    });

    let forbidden = [
        // Families do not run the back office.
        app.post("/users").token(&family.token).json(&staff_account),
        app.post(&format!("/certificates/{id}/activate"))
            .token(&family.token)
            .json(&reason),
        app.post(&format!("/applications/{id}/accept"))
            .token(&family.token),
        app.post(&format!("/applications/{id}/reject"))
            .token(&family.token)
            .json(&reason),
        app.post(&format!("/applications/{id}/attendance"))
            .token(&family.token)
            .json(&json!({"date": "2026-09-07", "present": true})),
        app.get("/invoices").token(&family.token),
        app.post("/invoices").token(&family.token).json(&invoice),
        app.post(&format!("/invoices/{id}/approve"))
            .token(&family.token),
        // Providers neither have children nor decide on certificates and invoices.
        app.get("/children").token(&staff),
        app.post("/children").token(&staff).json(&child),
        app.post("/quotes").token(&staff).json(&pair),
        app.post("/applications").token(&staff).json(&pair),
        app.post(&format!("/applications/{id}/withdraw"))
            .token(&staff),
        app.post(&format!("/certificates/{id}/activate"))
            .token(&staff)
            .json(&reason),
        app.post(&format!("/invoices/{id}/approve")).token(&staff),
        app.post("/users").token(&staff).json(&staff_account),
        // Operators do not apply for children or accept on the provider's behalf.
        app.post("/children").token(&operator).json(&child),
        app.post("/applications").token(&operator).json(&pair),
        app.post(&format!("/applications/{id}/accept"))
            .token(&operator),
        app.post("/invoices").token(&operator).json(&invoice),
    ];
    for request in forbidden {
        request
            .send()
            .await
            .problem(StatusCode::FORBIDDEN, "forbidden");
    }
}
