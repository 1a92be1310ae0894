//! The monthly billing run: batches, a second run that changes nothing, and the ledger after both.

mod common;

use chrono::Utc;
use common::World;
use navigator_api_types as api;
use navigator_domain::{Money, Month};

#[tokio::test]
async fn billing_run_invoices_each_month_once_and_is_safe_to_rerun() {
    let world = World::new(
        Money::from_roubles(12_000),
        100,
        Money::from_roubles(1_200_000),
    )
    .await;
    let store = &world.store;
    let now = Utc::now();
    let today = now.date_naive();
    let month = Month::of(today);
    let program = world
        .program(
            "Хореография",
            api::Funding::Certificate,
            Money::from_roubles(2_500),
        )
        .await;
    let group = world.group(&program, 20).await;
    let mut applications = Vec::new();
    for i in 0..5 {
        let family = world.family().await;
        let (child, _) = world.child_with_certificate(&family).await;
        let app = store.apply(&family, child.id, group.id, now).await.unwrap();
        let app = store
            .accept_application(&world.staff, app.id, now)
            .await
            .unwrap();
        // The last child never came this month.
        if i < 4 {
            store
                .mark_attendance(
                    &world.staff,
                    app.id,
                    &api::AttendanceMark {
                        date: today,
                        present: true,
                    },
                    now,
                )
                .await
                .unwrap();
        }
        applications.push(app);
    }
    let run = |approve| {
        let store = store.clone();
        let operator = world.operator;
        let municipality = world.municipality.id;
        async move {
            let mut after = None;
            let mut total = navigator_store::BillingBatch::default();
            loop {
                let b = store
                    .billing_run_batch(
                        &operator,
                        municipality,
                        month,
                        approve,
                        after,
                        2,
                        Utc::now(),
                    )
                    .await
                    .unwrap();
                if b.examined == 0 {
                    break total;
                }
                after = b.last_application_id;
                total.examined += b.examined;
                total.issued += b.issued;
                total.approved += b.approved;
                total.already_done += b.already_done;
                total.certificate_total = total
                    .certificate_total
                    .checked_add(b.certificate_total)
                    .unwrap();
                total.refusals.extend(b.refusals);
            }
        }
    };
    let first = run(true).await;
    assert_eq!(
        (
            first.examined,
            first.issued,
            first.approved,
            first.already_done
        ),
        (5, 4, 4, 0)
    );
    assert_eq!(first.refusals.len(), 1);
    assert_eq!(first.refusals[0].1, "no_attendance_reason_required");
    let expected: Money = applications[..4]
        .iter()
        .map(|a| {
            a.months
                .iter()
                .find(|m| m.month == month)
                .unwrap()
                .certificate
        })
        .fold(Money::ZERO, |acc, m| acc.checked_add(m).unwrap());
    assert_eq!(first.certificate_total, expected);

    let second = run(true).await;
    assert_eq!(
        (second.issued, second.approved, second.already_done),
        (0, 0, 4)
    );
    assert_eq!(second.refusals.len(), 1);
    let invoices = store
        .list_invoices(
            &world.operator,
            &navigator_store::InvoiceFilter::default(),
            &navigator_store::PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(invoices.items.len(), 4);
    assert!(invoices
        .items
        .iter()
        .all(|i| i.status == api::InvoiceStatus::Approved));
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);
}

/// An ended enrollment keeps reserved what its issued invoice needs; when the operator then
/// rejects that invoice, the share returns to the certificate instead of staying reserved for
/// nothing (found by the bank test).
#[tokio::test]
async fn rejecting_an_ended_enrollments_invoice_returns_its_share() {
    let world = World::new(
        Money::from_roubles(12_000),
        100,
        Money::from_roubles(1_200_000),
    )
    .await;
    let store = &world.store;
    let now = Utc::now();
    let today = now.date_naive();
    let program = world
        .program(
            "Робототехника",
            api::Funding::Certificate,
            Money::from_roubles(2_500),
        )
        .await;
    let group = world.group(&program, 5).await;
    let family = world.family().await;
    let (child, certificate) = world.child_with_certificate(&family).await;
    let app = store.apply(&family, child.id, group.id, now).await.unwrap();
    let app = store
        .accept_application(&world.staff, app.id, now)
        .await
        .unwrap();
    let mark = api::AttendanceMark {
        date: today,
        present: true,
    };
    store
        .mark_attendance(&world.staff, app.id, &mark, now)
        .await
        .unwrap();
    let request = api::CreateInvoiceRequest {
        application_id: app.id,
        month: Month::of(today),
        no_attendance_reason: None,
    };
    let invoice = store
        .create_invoice(&world.staff, &request, now)
        .await
        .unwrap();
    assert!(invoice.certificate_amount.is_positive());
    store
        .end_enrollment(&family, app.id, api::EndReason::FamilyRequest, None, now)
        .await
        .unwrap();
    let held = store
        .get_certificate(&family, certificate.id)
        .await
        .unwrap();

    store
        .reject_invoice(&world.operator, invoice.id, "услуга не оказана", now)
        .await
        .unwrap();
    let after = store
        .get_certificate(&family, certificate.id)
        .await
        .unwrap();
    assert_eq!(
        after.balance,
        held.balance
            .checked_add(invoice.certificate_amount)
            .unwrap()
    );
    assert_eq!(after.reserved, Money::ZERO);
    assert!(store.verify_ledger().await.unwrap().is_empty());
}

/// The enrollments of one world for the comparison below, each in a different state of its
/// month: what the provider and the operator did by hand before the run.
#[derive(Clone, Copy, PartialEq)]
enum Before {
    /// Attended, nothing invoiced yet.
    Attended,
    /// Attended, the provider invoiced the month.
    Issued,
    /// Attended, invoiced and approved by the operator.
    Approved,
    /// Attended, invoiced and rejected by the operator: the month may be invoiced again.
    Rejected,
    /// No lesson attended; the provider invoiced the month with its reason.
    IssuedWithReason,
    /// No lesson attended and nothing invoiced: the run cannot invoice it.
    Absent,
}

const STATES: [Before; 9] = [
    Before::Attended,
    Before::Issued,
    Before::Approved,
    Before::Rejected,
    Before::IssuedWithReason,
    Before::Absent,
    Before::Attended,
    Before::Issued,
    Before::Attended,
];

/// A world with one enrollment per state of [`STATES`], in a program whose price exceeds what
/// the certificate covers, so that families co-pay. Returns the world, the enrollments and the
/// certificates, in the order of `STATES`.
async fn world_before_the_run() -> (World, Vec<api::Application>, Vec<api::Certificate>) {
    let world = World::new(
        Money::from_roubles(12_000),
        100,
        Money::from_roubles(1_200_000),
    )
    .await;
    let store = &world.store;
    let now = Utc::now();
    let today = now.date_naive();
    let program = world
        .program(
            "Вокал",
            api::Funding::Certificate,
            Money::from_roubles(4_000),
        )
        .await;
    let group = world.group(&program, 20).await;
    let mut applications = Vec::new();
    let mut certificates = Vec::new();
    for state in STATES {
        let family = world.family().await;
        let (child, certificate) = world.child_with_certificate(&family).await;
        let app = store
            .apply(&family, child.id, group.id, now)
            .await
            .expect("the set-up succeeds");
        let app = store
            .accept_application(&world.staff, app.id, now)
            .await
            .expect("the set-up succeeds");
        let attended = !matches!(state, Before::IssuedWithReason | Before::Absent);
        store
            .mark_attendance(
                &world.staff,
                app.id,
                &api::AttendanceMark {
                    date: today,
                    present: attended,
                },
                now,
            )
            .await
            .expect("the set-up succeeds");
        if !matches!(state, Before::Attended | Before::Absent) {
            let request = api::CreateInvoiceRequest {
                application_id: app.id,
                month: Month::of(today),
                no_attendance_reason: (!attended).then(|| "карантин в школе".to_string()),
            };
            let invoice = store
                .create_invoice(&world.staff, &request, now)
                .await
                .expect("the set-up succeeds");
            match state {
                Before::Approved => {
                    store
                        .approve_invoice(&world.operator, invoice.id, now)
                        .await
                        .expect("the set-up succeeds");
                }
                Before::Rejected => {
                    store
                        .reject_invoice(&world.operator, invoice.id, "не тот месяц", now)
                        .await
                        .expect("the set-up succeeds");
                }
                _ => {}
            }
        }
        applications.push(app);
        certificates.push(certificate);
    }
    (world, applications, certificates)
}

/// Every entry of the audit log as (action, object kind, amount), sorted: the postings with
/// their kinds and amounts, and the decisions, without ids or instants.
async fn money_trail(world: &World) -> Vec<(String, String, Option<Money>)> {
    let mut trail = Vec::new();
    let mut page = navigator_store::PageRequest {
        limit: 100,
        cursor: None,
    };
    loop {
        let events = world
            .store
            .audit_events(
                &world.operator,
                &navigator_store::AuditFilter::default(),
                &page,
            )
            .await
            .expect("the operator reads the audit log");
        trail.extend(events.items.into_iter().map(|e| {
            (
                format!("{:?}", e.action),
                format!("{:?}", e.object_kind),
                e.amount,
            )
        }));
        match events.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
    }
    trail.sort();
    trail
}

/// The billing run decides a batch at once, with multi-row writes; invoicing and approving the
/// same months one at a time through the provider's and the operator's use cases must leave the
/// same money everywhere: on every certificate, in every reservation and on the provider's books.
#[tokio::test]
async fn a_billing_run_leaves_the_money_of_invoicing_one_by_one() {
    let month = Month::of(Utc::now().date_naive());
    let (by_run, run_apps, run_certificates) = world_before_the_run().await;
    let (by_hand, hand_apps, hand_certificates) = world_before_the_run().await;

    // The run: first issuing only, in batches of 4, then approving in batches of 2.
    let mut issued = 0;
    let mut refusals = Vec::new();
    for (approve, size) in [(false, 4), (true, 2)] {
        let mut after = None;
        loop {
            let b = by_run
                .store
                .billing_run_batch(
                    &by_run.operator,
                    by_run.municipality.id,
                    month,
                    approve,
                    after,
                    size,
                    Utc::now(),
                )
                .await
                .unwrap();
            if b.examined == 0 {
                break;
            }
            after = b.last_application_id;
            issued += b.issued;
            refusals.extend(b.refusals.into_iter().map(|(_, code)| code));
        }
    }
    // Attended ×3 and Rejected were invoiced by the run; Absent was refused both times.
    assert_eq!(issued, 4);
    assert_eq!(
        refusals,
        vec![
            "no_attendance_reason_required",
            "no_attendance_reason_required"
        ]
    );

    // By hand: the provider invoices what the run invoiced, the operator approves what is issued.
    let now = Utc::now();
    let store = &by_hand.store;
    for (state, app) in STATES.iter().zip(&hand_apps) {
        if matches!(state, Before::Attended | Before::Rejected) {
            let request = api::CreateInvoiceRequest {
                application_id: app.id,
                month,
                no_attendance_reason: None,
            };
            store
                .create_invoice(&by_hand.staff, &request, now)
                .await
                .unwrap();
        }
    }
    let filter = navigator_store::InvoiceFilter::default();
    let page = navigator_store::PageRequest {
        limit: 100,
        cursor: None,
    };
    let invoices = store
        .list_invoices(&by_hand.operator, &filter, &page)
        .await
        .unwrap();
    for invoice in invoices.items {
        if invoice.status == api::InvoiceStatus::Issued {
            store
                .approve_invoice(&by_hand.operator, invoice.id, now)
                .await
                .unwrap();
        }
    }

    let run_books = by_run
        .store
        .provider_account(&by_run.operator, run_apps[0].provider_id)
        .await
        .unwrap();
    let hand_books = store
        .provider_account(&by_hand.operator, hand_apps[0].provider_id)
        .await
        .unwrap();
    assert!(run_books.owed.is_positive());
    assert!(
        run_books.family_owed.is_positive(),
        "the program's price should leave the families a co-payment"
    );
    assert_eq!(
        (
            run_books.reserved,
            run_books.owed,
            run_books.family_owed,
            run_books.invoices_issued,
            run_books.invoices_approved
        ),
        (
            hand_books.reserved,
            hand_books.owed,
            hand_books.family_owed,
            hand_books.invoices_issued,
            hand_books.invoices_approved
        )
    );
    // Every invoice but the refused month's is approved; the rejected one stays rejected.
    assert_eq!(run_books.invoices_issued, 0);
    assert_eq!(run_books.invoices_approved, 8);
    for (run, hand) in run_certificates.iter().zip(&hand_certificates) {
        let run = by_run
            .store
            .get_certificate(&by_run.operator, run.id)
            .await
            .unwrap();
        let hand = store
            .get_certificate(&by_hand.operator, hand.id)
            .await
            .unwrap();
        assert_eq!((run.balance, run.reserved), (hand.balance, hand.reserved));
    }
    assert_eq!(by_run.store.verify_ledger().await.unwrap(), vec![]);
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);
    // The same postings, of the same kinds and amounts, and the same decisions.
    let trail = money_trail(&by_run).await;
    assert!(trail.iter().any(|(action, _, _)| action == "CoPayment"));
    assert_eq!(trail, money_trail(&by_hand).await);

    // A third run finds everything decided and writes nothing.
    let again = by_run
        .store
        .billing_run_batch(
            &by_run.operator,
            by_run.municipality.id,
            month,
            true,
            None,
            100,
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        (again.issued, again.approved, again.already_done),
        (0, 0, 8)
    );
}
