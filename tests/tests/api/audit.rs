//! The operators' audit log: every money movement and every operator decision, newest first, in
//! the caller's municipality, with who decided, filters and cursor pages; ids only.

use std::collections::BTreeSet;

use serde_json::json;
use uuid::Uuid;

use navigator_api_types::{
    Application, AuditAction, AuditEvent, AuditObjectKind, Invoice, Page, Role,
};
use navigator_tests::world::{first_of_month, TownSpec};
use navigator_tests::{StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(operators_read_who_moved_money_and_decided_what);

async fn events(app: &TestApp, token: &str, query: &str) -> Page<AuditEvent> {
    app.get(&format!("/audit-events{query}"))
        .token(token)
        .send()
        .await
        .ok(StatusCode::OK)
}

/// Every page of the log for `query`, following the cursors.
async fn all_pages(app: &TestApp, token: &str, query: &str, limit: u32) -> Vec<AuditEvent> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = format!("?limit={limit}{query}");
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={c}"));
        }
        let page = events(app, token, &q).await;
        assert!(page.items.len() <= limit as usize);
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return items,
        }
    }
}

async fn operators_read_who_moved_money_and_decided_what(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let other = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    decide(app, &town.staff.token, application.id, "accept")
        .await
        .assert_status(StatusCode::OK);
    app.post(&format!("/applications/{}/attendance", application.id))
        .token(&town.staff.token)
        .json(&json!({"date": app.today, "present": true}))
        .send()
        .await
        .assert_status(StatusCode::OK);
    let month = first_of_month(app.today, 0).format("%Y-%m").to_string();
    let invoice: Invoice = app
        .post("/invoices")
        .token(&town.staff.token)
        .json(&json!({"application_id": application.id, "month": month}))
        .send()
        .await
        .ok(StatusCode::CREATED);
    app.post(&format!("/invoices/{}/approve", invoice.id))
        .token(&town.operator.token)
        .send()
        .await
        .assert_status(StatusCode::OK);
    let operator = town.operator.user.id;

    let log = events(app, &town.operator.token, "?limit=100").await;
    assert!(log.next_cursor.is_none(), "one page holds this town's log");
    let items = log.items;
    assert!(
        items
            .windows(2)
            .all(|w| (w[0].at, w[0].id) >= (w[1].at, w[1].id)),
        "newest first"
    );
    assert!(items
        .iter()
        .all(|e| e.municipality_id == Some(town.municipality.id)));
    let find = |action: AuditAction, object_id: Uuid| {
        items
            .iter()
            .find(|e| e.action == action && e.object_id == object_id)
            .unwrap_or_else(|| panic!("no {action:?} of {object_id} in {items:#?}"))
    };
    let approved = find(AuditAction::InvoiceApproved, invoice.id);
    assert_eq!(approved.object_kind, AuditObjectKind::Invoice);
    assert_eq!(approved.actor_id, Some(operator));
    assert_eq!(approved.actor_role, Some(Role::MunicipalOperator));
    assert_eq!(approved.amount, Some(invoice.certificate_amount));
    let write_off = find(AuditAction::WriteOff, invoice.id);
    assert_eq!(write_off.amount, Some(invoice.certificate_amount));
    assert_eq!(write_off.actor_id, Some(operator));
    let activated = find(AuditAction::CertificateActivated, certificate.id);
    assert_eq!(activated.actor_role, Some(Role::MunicipalOperator));
    assert_eq!(activated.amount, None);
    let reservation = find(AuditAction::Reservation, application.id);
    assert_eq!(reservation.object_kind, AuditObjectKind::Application);
    assert_eq!(reservation.actor_role, Some(Role::ProviderStaff));
    assert!(reservation.amount.is_some_and(|a| a.is_positive()));
    find(AuditAction::Funding, town.period.id);
    // Ids, not people: no name or SNILS of the child in the log.
    let text = serde_json::to_string(&items).expect("JSON");
    assert!(!text.contains(&child.first_name) && !text.contains(&child.snils));

    // Pages of three walk the same log.
    let walked = all_pages(app, &town.operator.token, "", 3).await;
    assert_eq!(walked, items);

    // The regional operator sees it by municipality; the other town's operator does not.
    let regional = app.demo_login(Role::RegionalOperator).await;
    let seen = all_pages(
        app,
        &regional,
        &format!("&municipality_id={}", town.municipality.id),
        100,
    )
    .await;
    assert_eq!(seen, items);
    let elsewhere = all_pages(app, &other.operator.token, "", 100).await;
    assert!(elsewhere
        .iter()
        .all(|e| e.municipality_id == Some(other.municipality.id)));
    app.get(&format!(
        "/audit-events?municipality_id={}",
        town.municipality.id
    ))
    .token(&other.operator.token)
    .send()
    .await
    .problem(StatusCode::NOT_FOUND, "not_found");

    // Filters.
    let write_offs = all_pages(app, &town.operator.token, "&action=write_off", 100).await;
    assert_eq!(write_offs, vec![write_off.clone()]);
    let about_invoice = all_pages(
        app,
        &town.operator.token,
        &format!("&object_kind=invoice&object_id={}", invoice.id),
        100,
    )
    .await;
    let actions: BTreeSet<&str> = about_invoice.iter().map(|e| e.action.as_str()).collect();
    let mut expected = BTreeSet::from(["invoice_approved", "write_off"]);
    if invoice.family_amount.is_positive() {
        expected.insert("co_payment");
    }
    assert_eq!(actions, expected);
    let by_operator = all_pages(
        app,
        &town.operator.token,
        &format!("&actor_id={operator}"),
        100,
    )
    .await;
    assert!(!by_operator.is_empty());
    assert!(by_operator.iter().all(|e| e.actor_id == Some(operator)));
    let tomorrow = app.today.succ_opt().expect("tomorrow");
    let later = all_pages(app, &town.operator.token, &format!("&from={tomorrow}"), 100).await;
    assert!(later.is_empty());
    let today = all_pages(
        app,
        &town.operator.token,
        &format!("&from={}&to={}", app.today, app.today),
        100,
    )
    .await;
    assert!(today.iter().any(|e| e.id == approved.id));
    app.get(&format!("/audit-events?from={tomorrow}&to={}", app.today))
        .token(&town.operator.token)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    // Families and providers are not operators.
    for token in [&family.token, &town.staff.token] {
        app.get("/audit-events")
            .token(token)
            .send()
            .await
            .problem(StatusCode::FORBIDDEN, "forbidden");
    }
    app.get("/audit-events")
        .send()
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}
