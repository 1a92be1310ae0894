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
