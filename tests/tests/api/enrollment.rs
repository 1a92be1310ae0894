//! Enrollment and its money: quote, apply, accept, attendance, invoice, approval, the end of an
//! enrollment, and every refusal on the way. The amounts are checked against
//! [`super::expected`], computed from the published parameters.

use chrono::Days;
use uuid::Uuid;

use navigator_api_types::{
    Application, ApplicationStatus, Attendance, AttendanceMark, Certificate, CertificateHistory,
    CertificateStatus, CreateApplicationRequest, CreateInvoiceRequest, DateRange, EndReason,
    EndRequest, FinancingPeriod, Funding, Invoice, InvoiceStatus, Money, Month, Page, PostingKind,
    Program, ProgramSummary, Quote, QuoteRequest, RejectRequest, Role,
};
use navigator_tests::world::{Town, TownSpec};
use navigator_tests::{ApiResponse, Family, StatusCode, TestApp};

use super::expected::{self, money};

navigator_tests::on_both_backends!(
    a_certified_enrollment_from_quote_to_its_end,
    a_rejected_application_reserves_nothing,
    a_withdrawn_application_cannot_be_accepted,
    a_child_applies_to_a_group_once,
    a_full_group_takes_no_one_else,
    a_used_up_quota_refuses_financing,
    a_used_up_budget_refuses_financing,
    a_period_in_test_mode_shows_the_catalog_but_takes_no_applications,
    a_budget_funded_program_is_free_and_needs_no_financing,
);

pub async fn apply(app: &TestApp, family: &Family, child_id: Uuid, group_id: Uuid) -> ApiResponse {
    app.post("/applications")
        .token(&family.token)
        .json(&CreateApplicationRequest {
            child_id,
            group_id,
            on_behalf: None,
        })
        .send()
        .await
}

pub async fn decide(app: &TestApp, token: &str, id: Uuid, decision: &str) -> ApiResponse {
    let request = app
        .post(&format!("/applications/{id}/{decision}"))
        .token(token);
    let request = if decision == "reject" {
        request.json(&RejectRequest {
            reason: "Группа укомплектована".into(),
        })
    } else {
        request
    };
    request.send().await
}

async fn period_of(app: &TestApp, town: &Town) -> FinancingPeriod {
    let periods: Vec<FinancingPeriod> = app
        .get(&format!("/municipalities/{}/periods", town.municipality.id))
        .send()
        .await
        .ok(StatusCode::OK);
    periods
        .into_iter()
        .find(|p| p.id == town.period.id)
        .expect("the town's period")
}

async fn program_of(app: &TestApp, id: Uuid) -> Program {
    app.get(&format!("/programs/{id}"))
        .send()
        .await
        .ok(StatusCode::OK)
}

async fn history(app: &TestApp, family: &Family, certificate: Uuid) -> CertificateHistory {
    app.get(&format!("/certificates/{certificate}/history"))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK)
}

/// (balance, reserved, spent) of the certificate, as the family sees them.
async fn money_of(app: &TestApp, family: &Family, certificate: Uuid) -> (Money, Money, Money) {
    let c = app.certificate(family, certificate).await;
    (c.balance, c.reserved, c.spent)
}

async fn a_certified_enrollment_from_quote_to_its_end(app: &TestApp) {
    let spec = TownSpec::default();
    let town = app.arrange_town(spec.clone()).await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;
    assert_eq!(certificate.status, CertificateStatus::Accounting);

    // The family looks for a certified chess club for a nine-year-old in its town.
    let found: Page<ProgramSummary> = app
        .get(&format!(
            "/programs?municipality_id={}&direction=social_humanitarian&age=9&funding=certificate&q=шахматы",
            town.municipality.id
        ))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    let ids: Vec<Uuid> = found.items.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![town.program.id]);
    let program = program_of(app, town.program.id).await;
    let group = program.groups[0].clone();

    // What the rules say, from the published numbers.
    let credited = expected::credit_on(&town.period, app.today);
    let split = expected::split(
        &town.period,
        &group,
        program.price_per_month,
        credited,
        app.today,
    );
    assert!(
        split.certificate > 0 && split.family > 0,
        "the fixture makes the family pay a difference: {split:?}"
    );

    // The quote shows the split before applying and changes nothing.
    let quote: Quote = app
        .post("/quotes")
        .token(&family.token)
        .json(&QuoteRequest {
            child_id: child.id,
            group_id: group.id,
        })
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(quote.funding, Funding::Certificate);
    assert!(quote.switches_to_financing);
    assert_eq!(quote.balance_before, money(credited));
    assert_eq!(quote.cost, money(split.cost));
    assert_eq!(quote.certificate, money(split.certificate));
    assert_eq!(quote.family, money(split.family));
    assert_eq!(quote.balance_after, money(credited - split.certificate));
    assert_eq!(quote.months.len() as i64, split.months);
    assert_eq!(quote.months[0].month, Month::of(app.today));
    for m in &quote.months {
        assert_eq!(m.price, program.price_per_month);
        assert_eq!(m.certificate.checked_add(m.family), Some(m.price), "{m:?}");
        assert!(
            !m.certificate.is_negative() && !m.family.is_negative(),
            "{m:?}"
        );
    }
    assert_eq!(
        Money::sum(quote.months.iter().map(|m| m.certificate)),
        Some(quote.certificate)
    );
    assert_eq!(
        Money::sum(quote.months.iter().map(|m| m.family)),
        Some(quote.family)
    );
    assert_eq!(app.certificate(&family, certificate.id).await, certificate);

    // Applying switches the certificate to financing and credits the prorated nominal.
    let application: Application = apply(app, &family, child.id, group.id)
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(application.status, ApplicationStatus::Submitted);
    assert_eq!(
        (
            application.child_id,
            application.certificate_id,
            application.group_id
        ),
        (child.id, certificate.id, group.id)
    );
    assert_eq!(
        (application.program_id, application.provider_id),
        (program.id, town.provider.id)
    );
    assert_eq!(
        (application.reserved, application.written_off),
        (Money::ZERO, Money::ZERO)
    );
    let financing = app.certificate(&family, certificate.id).await;
    assert_eq!(financing.status, CertificateStatus::Financing);
    assert_eq!(
        (financing.balance, financing.reserved, financing.spent),
        (money(credited), Money::ZERO, Money::ZERO)
    );
    assert_eq!(
        financing.period,
        Some(DateRange {
            start: town.period.start,
            end: town.period.end
        })
    );
    let period = period_of(app, &town).await;
    assert_eq!(period.certificates_financed, 1);
    assert_eq!(period.budget_committed, money(credited));
    app.assert_ledger_balanced().await;

    // Another organisation neither sees nor decides on it.
    app.get(&format!("/applications/{}", application.id))
        .token(&town.rival_staff.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    decide(app, &town.rival_staff.token, application.id, "accept")
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    let theirs: Page<Application> = app
        .get("/applications")
        .token(&town.rival_staff.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(theirs.items, vec![]);
    let ours: Page<Application> = app
        .get("/applications?status=submitted")
        .token(&town.staff.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        ours.items.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![application.id]
    );

    // The provider accepts: the certificate's share is reserved, the seat taken.
    let accepted: Application = decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok(StatusCode::OK);
    assert_eq!(accepted.status, ApplicationStatus::Accepted);
    assert!(accepted.decided_at.is_some());
    assert_eq!(accepted.cost, money(split.cost));
    assert_eq!(accepted.certificate_amount, money(split.certificate));
    assert_eq!(accepted.family_amount, money(split.family));
    assert_eq!(accepted.reserved, money(split.certificate));
    assert_eq!(accepted.written_off, Money::ZERO);
    assert_eq!(
        accepted.months, quote.months,
        "the contract is what was quoted"
    );
    assert_eq!(
        money_of(app, &family, certificate.id).await,
        (
            money(credited - split.certificate),
            money(split.certificate),
            Money::ZERO
        )
    );
    let seats = program_of(app, program.id).await.groups[0].seats_left;
    assert_eq!(seats, spec.capacity - 1);
    app.assert_ledger_balanced().await;

    // A lesson today; the family sees it. Lessons outside the group's dates are refused.
    let mark: Attendance = app
        .post(&format!("/applications/{}/attendance", application.id))
        .token(&town.staff.token)
        .json(&AttendanceMark {
            date: app.today,
            present: true,
        })
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!((mark.date, mark.present), (app.today, true));
    let seen: Vec<Attendance> = app
        .get(&format!("/applications/{}/attendance", application.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(seen, vec![mark]);
    app.post(&format!("/applications/{}/attendance", application.id))
        .token(&town.staff.token)
        .json(&AttendanceMark {
            date: group.end_date + Days::new(1),
            present: true,
        })
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "lesson_outside_group");

    // The provider invoices this month (an advance: the month has started); once only, and
    // months that have not started wait.
    let this_month = Month::of(app.today);
    let share = accepted.months[0].clone();
    assert_eq!(share.month, this_month);
    let invoice_request = |month: Month| CreateInvoiceRequest {
        application_id: application.id,
        month,
        no_attendance_reason: None,
    };
    let invoice: Invoice = app
        .post("/invoices")
        .token(&town.staff.token)
        .json(&invoice_request(this_month))
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(invoice.status, InvoiceStatus::Issued);
    assert_eq!(
        (invoice.application_id, invoice.month),
        (application.id, this_month)
    );
    assert_eq!(
        (invoice.provider_id, invoice.municipality_id),
        (town.provider.id, town.municipality.id)
    );
    assert_eq!(invoice.certificate_amount, share.certificate);
    assert_eq!(invoice.family_amount, share.family);
    assert_eq!((invoice.lessons_attended, invoice.lessons_marked), (1, 1));
    app.post("/invoices")
        .token(&town.staff.token)
        .json(&invoice_request(this_month))
        .send()
        .await
        .problem(StatusCode::CONFLICT, "month_already_invoiced");
    app.post("/invoices")
        .token(&town.staff.token)
        .json(&invoice_request(accepted.months[1].month))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "month_not_started");

    // The municipal operator approves: the month's share is written off from the reservation.
    let elsewhere = app.demo_login(Role::MunicipalOperator).await;
    app.post(&format!("/invoices/{}/approve", invoice.id))
        .token(&elsewhere)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    let approved: Invoice = app
        .post(&format!("/invoices/{}/approve", invoice.id))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(approved.status, InvoiceStatus::Approved);
    assert!(approved.decided_at.is_some());
    app.post(&format!("/invoices/{}/approve", invoice.id))
        .token(&town.operator.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "invoice_transition_not_allowed");
    let written_off = share.certificate.kopecks();
    assert_eq!(
        money_of(app, &family, certificate.id).await,
        (
            money(credited - split.certificate),
            money(split.certificate - written_off),
            money(written_off)
        )
    );
    let enrollment: Application = app
        .get(&format!("/applications/{}", application.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        (enrollment.reserved, enrollment.written_off),
        (money(split.certificate - written_off), money(written_off))
    );
    app.assert_ledger_balanced().await;

    // The family asks to end it: what is left of the reservation comes back at once.
    let ended: Application = app
        .post(&format!("/applications/{}/end", application.id))
        .token(&family.token)
        .json(&EndRequest {
            end_reason: EndReason::FamilyRequest,
            comment: Some("переезд".into()),
        })
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(ended.status, ApplicationStatus::Expelled);
    assert_eq!(ended.end_reason, Some(EndReason::FamilyRequest));
    assert!(ended.ended_at.is_some());
    assert_eq!(
        (ended.reserved, ended.written_off),
        (Money::ZERO, money(written_off))
    );
    assert_eq!(
        money_of(app, &family, certificate.id).await,
        (
            money(credited - written_off),
            Money::ZERO,
            money(written_off)
        )
    );
    assert_eq!(
        program_of(app, program.id).await.groups[0].seats_left,
        spec.capacity
    );
    app.post(&format!("/applications/{}/end", application.id))
        .token(&family.token)
        .json(&EndRequest {
            end_reason: EndReason::FamilyRequest,
            comment: None,
        })
        .send()
        .await
        .problem(StatusCode::CONFLICT, "application_transition_not_allowed");

    // The history tells it all: who changed the status, and every movement of money.
    let history = history(app, &family, certificate.id).await;
    let steps: Vec<_> = history
        .events
        .iter()
        .map(|e| (e.from_status, e.to_status, e.actor_role))
        .collect();
    assert_eq!(
        steps,
        [
            (None, CertificateStatus::Pending, Role::Family),
            (
                Some(CertificateStatus::Pending),
                CertificateStatus::Accounting,
                Role::MunicipalOperator
            ),
            (
                Some(CertificateStatus::Accounting),
                CertificateStatus::Financing,
                Role::Family
            ),
        ]
    );
    let entries: Vec<(PostingKind, i64)> = history
        .entries
        .iter()
        .map(|e| (e.kind, e.amount.kopecks()))
        .collect();
    let released = split.certificate - written_off;
    assert_eq!(
        entries,
        [
            (PostingKind::Credit, credited),
            (PostingKind::Reservation, -split.certificate),
            (PostingKind::WriteOff, written_off),
            (PostingKind::Release, released),
        ]
    );
    let write_off = &history.entries[2];
    assert_eq!(write_off.month, Some(this_month));
    assert_eq!(write_off.invoice_id, Some(invoice.id));
    assert_eq!(write_off.application_id, Some(application.id));
    assert_eq!(
        write_off.program_title.as_deref(),
        Some(program.title.as_str())
    );
    assert_eq!(
        history.certificate,
        app.certificate(&family, certificate.id).await
    );
}

async fn a_rejected_application_reserves_nothing(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;
    let credited = expected::credit_on(&town.period, app.today);
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);

    app.post(&format!("/applications/{}/reject", application.id))
        .token(&town.staff.token)
        .json(&RejectRequest { reason: "".into() })
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let rejected: Application = decide(app, &town.staff.token, application.id, "reject")
        .await
        .ok(StatusCode::OK);
    assert_eq!(rejected.status, ApplicationStatus::Rejected);
    assert_eq!(rejected.reason.as_deref(), Some("Группа укомплектована"));
    assert!(rejected.decided_at.is_some());

    // The family sees why; the certificate keeps its credit and reserves nothing.
    let seen: Application = app
        .get(&format!("/applications/{}", application.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(seen, rejected);
    assert_eq!(
        money_of(app, &family, certificate.id).await,
        (money(credited), Money::ZERO, Money::ZERO)
    );
    decide(app, &town.staff.token, application.id, "accept")
        .await
        .problem(StatusCode::CONFLICT, "application_transition_not_allowed");
    assert_eq!(
        program_of(app, town.program.id).await.groups[0].seats_left,
        town.group.capacity
    );
    app.assert_ledger_balanced().await;

    // A rejection is not forever: the child may apply again, without a second credit.
    let again: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(again.status, ApplicationStatus::Submitted);
    assert_eq!(
        money_of(app, &family, certificate.id).await,
        (money(credited), Money::ZERO, Money::ZERO)
    );
    assert_eq!(period_of(app, &town).await.certificates_financed, 1);
}

async fn a_withdrawn_application_cannot_be_accepted(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);

    let stranger = app.register_family().await;
    app.post(&format!("/applications/{}/withdraw", application.id))
        .token(&stranger.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    let withdrawn: Application = app
        .post(&format!("/applications/{}/withdraw", application.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(withdrawn.status, ApplicationStatus::Withdrawn);
    app.post(&format!("/applications/{}/withdraw", application.id))
        .token(&family.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "application_transition_not_allowed");
    decide(app, &town.staff.token, application.id, "accept")
        .await
        .problem(StatusCode::CONFLICT, "application_transition_not_allowed");
    let listed: Page<Application> = app
        .get(&format!(
            "/applications?status=withdrawn&child_id={}",
            child.id
        ))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(listed.items, vec![withdrawn]);
}

async fn a_child_applies_to_a_group_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    apply(app, &family, child.id, town.group.id)
        .await
        .problem(StatusCode::CONFLICT, "already_enrolled");
    decide(app, &town.staff.token, application.id, "accept")
        .await
        .assert_status(StatusCode::OK);
    apply(app, &family, child.id, town.group.id)
        .await
        .problem(StatusCode::CONFLICT, "already_enrolled");
    // Another family cannot apply with someone else's child.
    let stranger = app.register_family().await;
    apply(app, &stranger, child.id, town.group.id)
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    let all: Page<Application> = app
        .get(&format!("/applications?child_id={}", child.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(all.items.len(), 1);
    let credited = expected::credit_on(&town.period, app.today);
    let (balance, reserved, _) = money_of(app, &family, certificate.id).await;
    assert_eq!(
        balance.checked_add(reserved),
        Some(money(credited)),
        "credited once"
    );
}

async fn a_full_group_takes_no_one_else(app: &TestApp) {
    let town = app
        .arrange_town(TownSpec {
            capacity: 1,
            ..TownSpec::default()
        })
        .await;
    let family = app.register_family().await;
    let (first, _) = app.certified_child(&family, &town).await;
    let (second, second_certificate) = app.certified_child(&family, &town).await;
    let (third, _) = app.certified_child(&family, &town).await;

    // Both may apply while the seat is free; the provider can accept only one.
    let a: Application = apply(app, &family, first.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    let b: Application = apply(app, &family, second.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    decide(app, &town.staff.token, a.id, "accept")
        .await
        .assert_status(StatusCode::OK);
    decide(app, &town.staff.token, b.id, "accept")
        .await
        .problem(StatusCode::CONFLICT, "no_seats");
    let b_now: Application = app
        .get(&format!("/applications/{}", b.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(b_now.status, ApplicationStatus::Submitted);
    assert_eq!(b_now.reserved, Money::ZERO);
    let (_, reserved, _) = money_of(app, &family, second_certificate.id).await;
    assert_eq!(
        reserved,
        Money::ZERO,
        "a refused acceptance reserves nothing"
    );

    // Nobody new gets in, and the catalog says so.
    apply(app, &family, third.id, town.group.id)
        .await
        .problem(StatusCode::CONFLICT, "no_seats");
    let program = program_of(app, town.program.id).await;
    assert_eq!(program.groups[0].seats_left, 0);
    let with_seats: Page<ProgramSummary> = app
        .get(&format!(
            "/programs?municipality_id={}&free_seats=true",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(with_seats.items.iter().all(|p| p.id != town.program.id));
}

async fn a_used_up_quota_refuses_financing(app: &TestApp) {
    let town = app
        .arrange_town(TownSpec {
            quota: 0,
            ..TownSpec::default()
        })
        .await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;
    apply(app, &family, child.id, town.group.id)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "quota_exhausted");
    let unchanged: Certificate = app.certificate(&family, certificate.id).await;
    assert_eq!(
        unchanged, certificate,
        "still a certificate of accounting, with no money"
    );
    let period = period_of(app, &town).await;
    assert_eq!(
        (period.certificates_financed, period.budget_committed),
        (0, Money::ZERO)
    );
    // Free programs need no financing.
    apply(app, &family, child.id, town.budget_group.id)
        .await
        .assert_status(StatusCode::CREATED);
}

async fn a_used_up_budget_refuses_financing(app: &TestApp) {
    let spec = TownSpec::default();
    let town = app.arrange_town(spec.clone()).await;
    let credited = expected::credit_on(&town.period, app.today);
    // A second town whose budget is a kopeck short of one credit.
    let poor = app
        .arrange_town(TownSpec {
            budget: money(credited - 1),
            ..spec
        })
        .await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &poor).await;
    apply(app, &family, child.id, poor.group.id)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "budget_exhausted");
    assert_eq!(app.certificate(&family, certificate.id).await, certificate);

    // The same numbers with the whole budget: the credit fits.
    let (rich_child, _) = app.certified_child(&family, &town).await;
    apply(app, &family, rich_child.id, town.group.id)
        .await
        .assert_status(StatusCode::CREATED);
}

async fn a_period_in_test_mode_shows_the_catalog_but_takes_no_applications(app: &TestApp) {
    let town = app
        .arrange_town(TownSpec {
            test_mode: true,
            ..TownSpec::default()
        })
        .await;
    let listed: Page<ProgramSummary> = app
        .get(&format!(
            "/programs?municipality_id={}",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(listed.items.len(), 2, "the catalog stays visible");
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;
    for group in [town.group.id, town.budget_group.id] {
        apply(app, &family, child.id, group)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY, "test_mode");
    }
    assert_eq!(app.certificate(&family, certificate.id).await, certificate);
}

async fn a_budget_funded_program_is_free_and_needs_no_financing(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;
    let quote: Quote = app
        .post("/quotes")
        .token(&family.token)
        .json(&QuoteRequest {
            child_id: child.id,
            group_id: town.budget_group.id,
        })
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(quote.funding, Funding::Budget);
    assert!(!quote.switches_to_financing);
    assert_eq!(
        (quote.cost, quote.certificate, quote.family),
        (Money::ZERO, Money::ZERO, Money::ZERO)
    );

    let application: Application = apply(app, &family, child.id, town.budget_group.id)
        .await
        .ok(StatusCode::CREATED);
    let accepted: Application = decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok(StatusCode::OK);
    assert_eq!(accepted.status, ApplicationStatus::Accepted);
    assert_eq!(
        (
            accepted.cost,
            accepted.certificate_amount,
            accepted.family_amount,
            accepted.reserved
        ),
        (Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO)
    );
    let still = app.certificate(&family, certificate.id).await;
    assert_eq!(still.status, CertificateStatus::Accounting);
    assert_eq!(
        (still.balance, still.reserved, still.spent),
        (Money::ZERO, Money::ZERO, Money::ZERO)
    );
    assert_eq!(period_of(app, &town).await.certificates_financed, 0);
}
