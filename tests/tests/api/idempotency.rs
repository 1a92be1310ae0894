//! `Idempotency-Key` on the money-moving POSTs: a retried request gets the first answer again and
//! moves nothing a second time, a key serves one request of one user, a refusal is kept like a
//! success, and many requests with one key at once act once.

use futures_util::future::join_all;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use navigator_api_types::{
    Application, ApplicationStatus, AttendanceMark, Certificate, CertificateDecision,
    CertificateHistory, CertificateStatus, CreateApplicationRequest, CreateInvoiceRequest,
    EndReason, EndRequest, Invoice, InvoiceStatus, Money, Month, Page,
};
use navigator_tests::world::TownSpec;
use navigator_tests::{ApiRequest, ApiResponse, Family, StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(
    a_retried_enrollment_moves_its_money_once,
    a_retried_certificate_is_issued_and_activated_once,
    a_key_serves_one_request_of_one_user,
    a_refusal_is_kept_and_answered_again,
    requests_with_one_key_at_once_act_once,
);

const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

fn is_replay(response: &ApiResponse) -> bool {
    response
        .headers
        .get("Idempotent-Replayed")
        .is_some_and(|value| value == "true")
}

fn parsed<T: DeserializeOwned>(body: Value) -> T {
    serde_json::from_value(body).expect("the body of a documented response")
}

async fn history(app: &TestApp, family: &Family, certificate: Uuid) -> CertificateHistory {
    app.get(&format!("/certificates/{certificate}/history"))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK)
}

/// Sends the request with `key`, then once more: the retry is answered with the first response,
/// replayed, and the certificate's money, events and ledger entries stay as the first request
/// left them. Returns the first response's body.
async fn sent_twice<'a>(
    app: &TestApp,
    family: &Family,
    certificate: Uuid,
    request: impl Fn() -> ApiRequest<'a>,
    key: &str,
    status: StatusCode,
) -> Value {
    let first = request().header(IDEMPOTENCY_KEY, key).send().await;
    first.assert_status(status);
    assert!(
        !is_replay(&first),
        "{}: a first request runs",
        first.operation
    );
    let before = history(app, family, certificate).await;

    let again = request().header(IDEMPOTENCY_KEY, key).send().await;
    again.assert_status(status);
    assert!(
        is_replay(&again),
        "{}: the retry is a replay",
        again.operation
    );
    assert_eq!(
        again.body, first.body,
        "{}: the same answer",
        again.operation
    );
    assert_eq!(
        history(app, family, certificate).await,
        before,
        "{}: the retry changed the certificate",
        again.operation
    );
    first.body
}

async fn applications_of(app: &TestApp, family: &Family, child: Uuid) -> Vec<Application> {
    let page: Page<Application> = app
        .get(&format!("/applications?child_id={child}"))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    page.items
}

async fn a_retried_enrollment_moves_its_money_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;

    // Applying switches the certificate to financing and credits it: once.
    let application: Application = parsed(
        sent_twice(
            app,
            &family,
            certificate.id,
            || {
                app.post("/applications")
                    .token(&family.token)
                    .json(&CreateApplicationRequest {
                        child_id: child.id,
                        group_id: town.group.id,
                        on_behalf: None,
                    })
            },
            "apply-1",
            StatusCode::CREATED,
        )
        .await,
    );
    assert_eq!(
        applications_of(app, &family, child.id).await,
        vec![application.clone()]
    );

    let accepted: Application = parsed(
        sent_twice(
            app,
            &family,
            certificate.id,
            || {
                app.post(&format!("/applications/{}/accept", application.id))
                    .token(&town.staff.token)
            },
            "accept-1",
            StatusCode::OK,
        )
        .await,
    );
    assert_eq!(accepted.status, ApplicationStatus::Accepted);
    let after_acceptance = app.certificate(&family, certificate.id).await;
    assert_eq!(after_acceptance.reserved, accepted.certificate_amount);

    app.post(&format!("/applications/{}/attendance", application.id))
        .token(&town.staff.token)
        .json(&AttendanceMark {
            date: app.today,
            present: true,
        })
        .send()
        .await
        .assert_status(StatusCode::OK);
    let invoice: Invoice = parsed(
        sent_twice(
            app,
            &family,
            certificate.id,
            || {
                app.post("/invoices")
                    .token(&town.staff.token)
                    .json(&CreateInvoiceRequest {
                        application_id: application.id,
                        month: Month::of(app.today),
                        no_attendance_reason: None,
                    })
            },
            "invoice-1",
            StatusCode::CREATED,
        )
        .await,
    );
    let invoices: Page<Invoice> = app
        .get(&format!("/invoices?application_id={}", application.id))
        .token(&town.staff.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(invoices.items, vec![invoice.clone()]);

    let approved: Invoice = parsed(
        sent_twice(
            app,
            &family,
            certificate.id,
            || {
                app.post(&format!("/invoices/{}/approve", invoice.id))
                    .token(&town.operator.token)
            },
            "approve-1",
            StatusCode::OK,
        )
        .await,
    );
    assert_eq!(approved.status, InvoiceStatus::Approved);
    let after_write_off = app.certificate(&family, certificate.id).await;
    assert_eq!(after_write_off.spent, invoice.certificate_amount);

    let ended: Application = parsed(
        sent_twice(
            app,
            &family,
            certificate.id,
            || {
                app.post(&format!("/applications/{}/end", application.id))
                    .token(&family.token)
                    .json(&EndRequest {
                        end_reason: EndReason::FamilyRequest,
                        comment: None,
                    })
            },
            "end-1",
            StatusCode::OK,
        )
        .await,
    );
    assert_eq!(ended.status, ApplicationStatus::Expelled);
    let after_end = app.certificate(&family, certificate.id).await;
    assert_eq!(
        (after_end.reserved, after_end.spent),
        (Money::ZERO, invoice.certificate_amount)
    );
    app.assert_ledger_balanced().await;
}

async fn a_retried_certificate_is_issued_and_activated_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let child = app.add_child(&family, town.municipality.id).await;

    // Without the key, a retry of the issuance would answer `409 certificate_exists`.
    let issue = || {
        app.post(&format!("/children/{}/certificate", child.id))
            .token(&family.token)
            .header(IDEMPOTENCY_KEY, "issue-1")
    };
    let issued = issue().send().await;
    assert!(!is_replay(&issued));
    let first = issued.body.clone();
    let pending: Certificate = issued.ok(StatusCode::CREATED);
    assert_eq!(pending.status, CertificateStatus::Pending);
    let again = issue().send().await;
    assert!(is_replay(&again));
    assert_eq!(again.body, first);
    again.assert_status(StatusCode::CREATED);

    let activated: Certificate = parsed(
        sent_twice(
            app,
            &family,
            pending.id,
            || {
                app.post(&format!("/certificates/{}/activate", pending.id))
                    .token(&town.operator.token)
                    .json(&CertificateDecision {
                        reason: "документы проверены".into(),
                    })
            },
            "activate-1",
            StatusCode::OK,
        )
        .await,
    );
    assert_eq!(activated.status, CertificateStatus::Accounting);
}

async fn a_key_serves_one_request_of_one_user(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;
    let apply_with_key = |family: &Family, child_id: Uuid, group_id: Uuid, key: &str| {
        app.post("/applications")
            .token(&family.token)
            .header(IDEMPOTENCY_KEY, key)
            .json(&CreateApplicationRequest {
                child_id,
                group_id,
                on_behalf: None,
            })
    };

    let application: Application = apply_with_key(&family, child.id, town.group.id, "key-1")
        .send()
        .await
        .ok(StatusCode::CREATED);
    // The same key with another body, or on another endpoint, does nothing.
    apply_with_key(&family, child.id, town.budget_group.id, "key-1")
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    app.post(&format!("/applications/{}/withdraw", application.id))
        .token(&family.token)
        .header(IDEMPOTENCY_KEY, "key-1")
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    assert_eq!(
        applications_of(app, &family, child.id).await,
        vec![application]
    );

    // Keys are per user: another family's key of the same name is its own.
    let neighbour = app.register_family().await;
    let (neighbour_child, _) = app.certified_child(&neighbour, &town).await;
    let theirs = apply_with_key(&neighbour, neighbour_child.id, town.group.id, "key-1")
        .send()
        .await;
    assert!(!is_replay(&theirs));
    let theirs: Application = theirs.ok(StatusCode::CREATED);
    assert_eq!(theirs.child_id, neighbour_child.id);

    // A key is 1 to 255 visible ASCII characters.
    for malformed in ["", "two words", &"k".repeat(256)] {
        apply_with_key(&family, child.id, town.group.id, malformed)
            .send()
            .await
            .problem(StatusCode::BAD_REQUEST, "malformed_request");
    }
    // Without a key, a retry is a new request, as it always was.
    apply(app, &family, child.id, town.group.id)
        .await
        .problem(StatusCode::CONFLICT, "already_enrolled");
}

async fn a_refusal_is_kept_and_answered_again(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    decide(app, &town.staff.token, application.id, "accept")
        .await
        .assert_status(StatusCode::OK);
    let invoice_with_key = |key: &str| {
        app.post("/invoices")
            .token(&town.staff.token)
            .header(IDEMPOTENCY_KEY, key)
            .json(&CreateInvoiceRequest {
                application_id: application.id,
                month: Month::of(app.today),
                no_attendance_reason: None,
            })
    };

    // No lesson attended: the invoice needs a reason.
    let refused = invoice_with_key("invoice-1").send().await;
    assert!(!is_replay(&refused));
    let refusal = refused.body.clone();
    refused.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_attendance_reason_required",
    );
    app.post(&format!("/applications/{}/attendance", application.id))
        .token(&town.staff.token)
        .json(&AttendanceMark {
            date: app.today,
            present: true,
        })
        .send()
        .await
        .assert_status(StatusCode::OK);

    // The same request with the same key gets the same answer, though a lesson is marked now;
    // a new key makes it a new request.
    let again = invoice_with_key("invoice-1").send().await;
    assert!(is_replay(&again));
    assert_eq!(again.body, refusal);
    again.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_attendance_reason_required",
    );
    let invoice: Invoice = invoice_with_key("invoice-2")
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(invoice.lessons_attended, 1);
}

/// Eight identical requests with one key at once: one runs, each of the others gets its answer
/// replayed or `409 idempotency_in_progress` with `Retry-After: 1`. Returns the answer.
async fn sent_at_once<'a>(
    request: impl Fn() -> ApiRequest<'a>,
    key: &str,
    status: StatusCode,
) -> Value {
    let responses = join_all((0..8).map(|_| request().header(IDEMPOTENCY_KEY, key).send())).await;
    let (replays, firsts): (Vec<&ApiResponse>, Vec<&ApiResponse>) = responses
        .iter()
        .filter(|response| response.status == status)
        .partition(|response| is_replay(response));
    assert_eq!(firsts.len(), 1, "exactly one request runs: {responses:#?}");
    let answer = firsts[0].body.clone();
    assert!(replays.iter().all(|replay| replay.body == answer));
    for waiting in responses
        .iter()
        .filter(|response| response.status != status)
    {
        assert_eq!(waiting.status, StatusCode::CONFLICT, "{waiting:#?}");
        assert_eq!(waiting.body["code"], "idempotency_in_progress");
        assert_eq!(
            waiting.headers.get("Retry-After").map(|v| v.as_bytes()),
            Some(&b"1"[..])
        );
    }
    // All answered, the key holds the answer.
    let after = request().header(IDEMPOTENCY_KEY, key).send().await;
    after.assert_status(status);
    assert!(is_replay(&after));
    assert_eq!(after.body, answer);
    answer
}

async fn requests_with_one_key_at_once_act_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;

    let application: Application = parsed(
        sent_at_once(
            || {
                app.post("/applications")
                    .token(&family.token)
                    .json(&CreateApplicationRequest {
                        child_id: child.id,
                        group_id: town.group.id,
                        on_behalf: None,
                    })
            },
            "apply-at-once",
            StatusCode::CREATED,
        )
        .await,
    );
    assert_eq!(
        applications_of(app, &family, child.id).await,
        vec![application.clone()]
    );

    let accepted: Application = parsed(
        sent_at_once(
            || {
                app.post(&format!("/applications/{}/accept", application.id))
                    .token(&town.staff.token)
            },
            "accept-at-once",
            StatusCode::OK,
        )
        .await,
    );
    let after = app.certificate(&family, certificate.id).await;
    assert_eq!(after.reserved, accepted.certificate_amount);
    app.assert_ledger_balanced().await;
}
