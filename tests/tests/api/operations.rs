//! The operators' work on money over HTTP: opening a period, the monthly billing run, the ledger
//! check.

use chrono::Duration;
use navigator_api_types::{
    Application, ApplicationStatus, AttendanceMark, BillingRunRequest, BillingRunSummary,
    Certificate, CertificateDecision, CertificateStatus, CreatePeriodRequest, FinancingPeriod,
    LedgerVerification, Money, Month, PeriodEvent, ProviderAccount, Role, RolloverSummary,
    UpdatePeriodRequest,
};
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(
    an_operator_opens_the_next_period_of_its_municipality_only,
    the_billing_run_writes_each_month_off_once,
    a_closed_certificate_returns_its_money_and_frees_the_seat,
    a_rollover_with_no_ended_period_changes_nothing,
    period_parameters_change_with_if_match_and_are_recorded,
);

async fn an_operator_opens_the_next_period_of_its_municipality_only(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let other = app.arrange_town(TownSpec::default()).await;
    let next_start = town.period.end + Duration::days(1);
    let next = CreatePeriodRequest {
        start: next_start,
        end: next_start + Duration::days(364),
        nominal: Money::from_roubles(13_000),
        quota: 500,
        budget: Money::from_roubles(6_500_000),
        enrollment_opens: next_start - Duration::days(15),
        enrollment_closes: next_start + Duration::days(270),
        test_mode: true,
    };
    let path = format!("/municipalities/{}/periods", town.municipality.id);

    let family = app.register_family().await;
    app.post(&path)
        .token(&family.token)
        .json(&next)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    app.post(&path)
        .token(&other.operator.token)
        .json(&next)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    let overlapping = CreatePeriodRequest {
        start: town.period.end,
        ..next.clone()
    };
    app.post(&path)
        .token(&town.operator.token)
        .json(&overlapping)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "period_overlaps");
    let backwards = CreatePeriodRequest {
        end: next.start - Duration::days(1),
        ..next.clone()
    };
    app.post(&path)
        .token(&town.operator.token)
        .json(&backwards)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    let period: FinancingPeriod = app
        .post(&path)
        .token(&town.operator.token)
        .json(&next)
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(period.budget, next.budget);
    assert_eq!(period.budget_committed, Money::ZERO);
    assert!(period.test_mode);
    let periods: Vec<FinancingPeriod> = app.get(&path).send().await.ok(StatusCode::OK);
    assert_eq!(periods.len(), 2);
    app.assert_ledger_balanced().await;
}

async fn the_billing_run_writes_each_month_off_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    let accepted: Application = decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok(StatusCode::OK);
    app.post(&format!("/applications/{}/attendance", accepted.id))
        .token(&town.staff.token)
        .json(&AttendanceMark {
            date: app.today,
            present: true,
        })
        .send()
        .await
        .assert_status(StatusCode::OK);
    let month = Month::of(app.today);
    let share = accepted
        .months
        .iter()
        .find(|m| m.month == month)
        .expect("the contract has this month")
        .certificate;
    let path = format!("/municipalities/{}/billing-runs", town.municipality.id);
    let run = BillingRunRequest {
        month,
        approve: true,
    };
    app.post(&path)
        .token(&town.staff.token)
        .json(&run)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");

    let first: BillingRunSummary = app
        .post(&path)
        .token(&town.operator.token)
        .json(&run)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        (
            first.examined,
            first.issued,
            first.approved,
            first.already_done
        ),
        (1, 1, 1, 0)
    );
    assert_eq!(first.written_off, share);
    assert!(first.refusals.is_empty());
    let second: BillingRunSummary = app
        .post(&path)
        .token(&town.operator.token)
        .json(&run)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        (second.issued, second.approved, second.already_done),
        (0, 0, 1)
    );
    assert_eq!(second.written_off, Money::ZERO);

    let certificate = app.certificate(&family, accepted.certificate_id).await;
    assert_eq!(certificate.spent, share);
    let verdict: LedgerVerification = app
        .get("/ledger/verification")
        .token(&app.demo_login(Role::RegionalOperator).await)
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(verdict.ok, "{:?}", verdict.violations);
    app.get("/ledger/verification")
        .token(&family.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
}

async fn a_closed_certificate_returns_its_money_and_frees_the_seat(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    let accepted: Application = decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok(StatusCode::OK);
    let account: ProviderAccount = app
        .get(&format!("/providers/{}/account", town.provider.id))
        .token(&town.staff.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(account.reserved, accepted.reserved);
    assert_eq!(account.active_enrollments, 1);
    app.get(&format!("/providers/{}/account", town.provider.id))
        .token(&town.rival_staff.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");

    let reason = CertificateDecision {
        reason: "заявление родителя".into(),
    };
    let path = format!("/certificates/{}", accepted.certificate_id);
    app.post(&format!("{path}/suspend"))
        .token(&family.token)
        .json(&reason)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    let closed: Certificate = app
        .post(&format!("{path}/close"))
        .token(&family.token)
        .json(&reason)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(closed.status, CertificateStatus::Closed);
    assert_eq!(
        (closed.balance, closed.reserved),
        (Money::ZERO, Money::ZERO)
    );
    let ended: Application = app
        .get(&format!("/applications/{}", accepted.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(ended.status, ApplicationStatus::Expelled);
    app.post(&format!("{path}/resume"))
        .token(&town.operator.token)
        .json(&reason)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "certificate_transition_not_allowed");
    let account: ProviderAccount = app
        .get(&format!("/providers/{}/account", town.provider.id))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        (account.reserved, account.active_enrollments),
        (Money::ZERO, 0)
    );
}

async fn a_rollover_with_no_ended_period_changes_nothing(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let path = format!("/municipalities/{}/rollovers", town.municipality.id);
    app.post(&path)
        .token(&family.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    let summary: RolloverSummary = app
        .post(&path)
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!((summary.examined, summary.credited), (0, 0));
    assert_eq!(summary.expired, Money::ZERO);
}

async fn period_parameters_change_with_if_match_and_are_recorded(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let path = format!("/periods/{}", town.period.id);
    let change = |budget: Money, quota: i64| UpdatePeriodRequest {
        start: town.period.start,
        end: town.period.end,
        nominal: town.period.nominal,
        quota,
        budget,
        enrollment_opens: town.period.enrollment_opens,
        enrollment_closes: town.period.enrollment_closes,
        test_mode: false,
        reason: "решение администрации".into(),
    };
    let etag = format!("\"v{}\"", town.period.version);
    let more = town
        .period
        .budget
        .checked_add(Money::from_roubles(100_000))
        .expect("no overflow");
    app.request(reqwest::Method::PUT, &path)
        .token(&town.operator.token)
        .json(&change(more, town.period.quota))
        .send()
        .await
        .problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
    let family = app.register_family().await;
    app.request(reqwest::Method::PUT, &path)
        .token(&family.token)
        .header("If-Match", etag.clone())
        .json(&change(more, town.period.quota))
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    // A certificate finances now: the quota cannot drop below one.
    app.certified_child(&family, &town).await;
    let (child, _) = app.certified_child(&family, &town).await;
    super::enrollment::apply(app, &family, child.id, town.group.id)
        .await
        .assert_status(StatusCode::CREATED);
    app.request(reqwest::Method::PUT, &path)
        .token(&town.operator.token)
        .header("If-Match", etag.clone())
        .json(&change(more, 0))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let changed: FinancingPeriod = app
        .request(reqwest::Method::PUT, &path)
        .token(&town.operator.token)
        .header("If-Match", etag.clone())
        .json(&change(more, town.period.quota))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(changed.budget, more);
    assert_eq!(changed.version, town.period.version + 1);
    assert_eq!(
        changed.budget_free.checked_add(changed.budget_committed),
        Some(more)
    );
    app.request(reqwest::Method::PUT, &path)
        .token(&town.operator.token)
        .header("If-Match", etag)
        .json(&change(town.period.budget, town.period.quota))
        .send()
        .await
        .problem(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    let events: Vec<PeriodEvent> = app
        .get(&format!("{path}/events"))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(events.len(), 2, "opened, then changed");
    assert!(
        events[1].changes.contains("budget"),
        "{}",
        events[1].changes
    );
    assert_eq!(events[1].reason, "решение администрации");
}
