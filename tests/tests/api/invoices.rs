//! Monthly invoices: the provider's rules for issuing them, the operator's decision, and an
//! enrollment that ends with an invoice still open.

use uuid::Uuid;

use navigator_api_types::{
    Application, AttendanceMark, CreateInvoiceRequest, EndReason, EndRequest, Invoice,
    InvoiceStatus, Money, Month, Page, RejectRequest, Role,
};
use navigator_tests::world::{first_of_month, Town, TownSpec};
use navigator_tests::{Family, StatusCode, TestApp};

use super::enrollment::{apply, decide};
use super::expected::{self, money};

navigator_tests::on_both_backends!(
    an_invoice_needs_a_delivered_month_of_the_contract,
    a_rejected_invoice_moves_no_money_and_the_month_can_be_invoiced_again,
    an_invoice_issued_before_the_end_is_still_paid,
);

/// An accepted enrollment of a new family's child in the town's certified group.
async fn enrollment(app: &TestApp, town: &Town) -> (Family, Application) {
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    let accepted: Application = decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok(StatusCode::OK);
    (family, accepted)
}

fn invoice_for(application: Uuid, month: Month, reason: Option<&str>) -> CreateInvoiceRequest {
    CreateInvoiceRequest {
        application_id: application,
        month,
        no_attendance_reason: reason.map(str::to_string),
    }
}

async fn mark_lesson(app: &TestApp, town: &Town, application: Uuid) {
    app.post(&format!("/applications/{application}/attendance"))
        .token(&town.staff.token)
        .json(&AttendanceMark {
            date: app.today,
            present: true,
        })
        .send()
        .await
        .assert_status(StatusCode::OK);
}

async fn an_invoice_needs_a_delivered_month_of_the_contract(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let (_, application) = enrollment(app, &town).await;
    let this_month = Month::of(app.today);
    let create = |request: CreateInvoiceRequest, token: &str| {
        app.post("/invoices").token(token).json(&request)
    };

    // The group ran last month too, but the contract starts this month.
    let last_month = Month::of(first_of_month(app.today, -1));
    create(
        invoice_for(application.id, last_month, None),
        &town.staff.token,
    )
    .send()
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "month_outside_contract");
    // No lesson attended yet: the provider must say why it bills the month.
    create(
        invoice_for(application.id, this_month, None),
        &town.staff.token,
    )
    .send()
    .await
    .problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_attendance_reason_required",
    );
    // Another organisation cannot bill someone else's enrollment.
    create(
        invoice_for(application.id, this_month, Some("карантин")),
        &town.rival_staff.token,
    )
    .send()
    .await
    .problem(StatusCode::NOT_FOUND, "not_found");

    let invoice: Invoice = create(
        invoice_for(application.id, this_month, Some("карантин по гриппу")),
        &town.staff.token,
    )
    .send()
    .await
    .ok(StatusCode::CREATED);
    assert_eq!((invoice.lessons_attended, invoice.lessons_marked), (0, 0));
    assert_eq!(
        invoice.no_attendance_reason.as_deref(),
        Some("карантин по гриппу")
    );
    assert_eq!(
        invoice.certificate_amount,
        application.months[0].certificate
    );
    assert_eq!(invoice.family_amount, application.months[0].family);

    // The provider and the town's operator list it; another municipality's operator does not.
    let query = format!("/invoices?application_id={}", application.id);
    for token in [&town.staff.token, &town.operator.token] {
        let page: Page<Invoice> = app.get(&query).token(token).send().await.ok(StatusCode::OK);
        assert_eq!(page.items, vec![invoice.clone()]);
    }
    let elsewhere = app.demo_login(Role::MunicipalOperator).await;
    let page: Page<Invoice> = app
        .get(&query)
        .token(&elsewhere)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(page.items, vec![]);
    let page: Page<Invoice> = app
        .get(&query)
        .token(&town.rival_staff.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(page.items, vec![]);
}

async fn a_rejected_invoice_moves_no_money_and_the_month_can_be_invoiced_again(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let (family, application) = enrollment(app, &town).await;
    mark_lesson(app, &town, application.id).await;
    let this_month = Month::of(app.today);
    let first: Invoice = app
        .post("/invoices")
        .token(&town.staff.token)
        .json(&invoice_for(application.id, this_month, None))
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!((first.lessons_attended, first.lessons_marked), (1, 1));

    let rejected: Invoice = app
        .post(&format!("/invoices/{}/reject", first.id))
        .token(&town.operator.token)
        .json(&RejectRequest {
            reason: "табель не подписан".into(),
        })
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(rejected.status, InvoiceStatus::Rejected);
    assert_eq!(
        rejected.decision_reason.as_deref(),
        Some("табель не подписан")
    );
    for decision in ["approve", "reject"] {
        let request = app
            .post(&format!("/invoices/{}/{decision}", first.id))
            .token(&town.operator.token);
        let request = if decision == "reject" {
            request.json(&RejectRequest {
                reason: "ещё раз".into(),
            })
        } else {
            request
        };
        request
            .send()
            .await
            .problem(StatusCode::CONFLICT, "invoice_transition_not_allowed");
    }
    let certificate = app.certificate(&family, application.certificate_id).await;
    assert_eq!(
        (certificate.reserved, certificate.spent),
        (application.certificate_amount, Money::ZERO)
    );

    // Corrected, issued again, approved.
    let second: Invoice = app
        .post("/invoices")
        .token(&town.staff.token)
        .json(&invoice_for(application.id, this_month, None))
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_ne!(second.id, first.id);
    let approved: Invoice = app
        .post(&format!("/invoices/{}/approve", second.id))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(approved.status, InvoiceStatus::Approved);
    let certificate = app.certificate(&family, application.certificate_id).await;
    assert_eq!(certificate.spent, second.certificate_amount);

    let rejected_only: Page<Invoice> = app
        .get(&format!(
            "/invoices?application_id={}&status=rejected",
            application.id
        ))
        .token(&town.staff.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        rejected_only.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    app.assert_ledger_balanced().await;
}

async fn an_invoice_issued_before_the_end_is_still_paid(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let (family, application) = enrollment(app, &town).await;
    let credited = expected::credit_on(&town.period, app.today);
    mark_lesson(app, &town, application.id).await;
    let invoice: Invoice = app
        .post("/invoices")
        .token(&town.staff.token)
        .json(&invoice_for(application.id, Month::of(app.today), None))
        .send()
        .await
        .ok(StatusCode::CREATED);
    let owed = invoice.certificate_amount.kopecks();
    assert!(owed > 0);

    // A family ends on its own request only; the provider ends by its decision.
    let end = |reason: EndReason| EndRequest {
        end_reason: reason,
        comment: Some("нарушение правил".into()),
    };
    let problem = app
        .post(&format!("/applications/{}/end", application.id))
        .token(&family.token)
        .json(&end(EndReason::ProviderDecision))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(problem.errors[0].field, "end_reason");
    app.post(&format!("/applications/{}/end", application.id))
        .token(&town.staff.token)
        .json(&end(EndReason::FamilyRequest))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let ended: Application = app
        .post(&format!("/applications/{}/end", application.id))
        .token(&town.staff.token)
        .json(&end(EndReason::ProviderDecision))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(ended.end_reason, Some(EndReason::ProviderDecision));
    assert_eq!(ended.reason.as_deref(), Some("нарушение правил"));

    // Everything reserved comes back except what the open invoice needs.
    let certificate = app.certificate(&family, application.certificate_id).await;
    assert_eq!(
        (certificate.balance, certificate.reserved, certificate.spent),
        (money(credited - owed), money(owed), Money::ZERO)
    );
    app.assert_ledger_balanced().await;

    // The enrollment takes no more lessons or invoices, but the open invoice is paid.
    app.post(&format!("/applications/{}/attendance", application.id))
        .token(&town.staff.token)
        .json(&AttendanceMark {
            date: app.today,
            present: true,
        })
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "attendance_not_allowed");
    app.post("/invoices")
        .token(&town.staff.token)
        .json(&invoice_for(
            application.id,
            Month::of(app.today),
            Some("досрочное завершение"),
        ))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "enrollment_not_active");
    app.post(&format!("/invoices/{}/approve", invoice.id))
        .token(&town.operator.token)
        .send()
        .await
        .assert_status(StatusCode::OK);
    let certificate = app.certificate(&family, application.certificate_id).await;
    assert_eq!(
        (certificate.balance, certificate.reserved, certificate.spent),
        (money(credited - owed), Money::ZERO, money(owed))
    );
}
