//! The money journey through the store: every use case once, then the ledger's
//! invariants. (The HTTP tests in `tests/` run the same on both backends; this one pins the store.)

mod common;

use chrono::Utc;
use common::World;
use navigator_api_types as api;
use navigator_domain::{Money, Month};
use navigator_store::*;

#[tokio::test]
async fn money_journey_keeps_the_ledger() {
    let world = World::new(
        Money::from_roubles(12_000),
        10,
        Money::from_roubles(120_000),
    )
    .await;
    let store = &world.store;
    let now = Utc::now();
    let today = now.date_naive();
    let program = world
        .program(
            "Шахматный клуб «Ладья»",
            api::Funding::Certificate,
            Money::from_roubles(3_000),
        )
        .await;
    let group = world.group(&program, 1).await;
    let found = store
        .search_programs(
            &ProgramFilter {
                q: Some("шахматы".into()),
                municipality_id: Some(world.municipality.id),
                ..ProgramFilter::default()
            },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, program.id);

    let family = world.family().await;
    let (staff, operator) = (world.staff, world.operator);
    let (child, cert) = world.child_with_certificate(&family).await;
    assert_eq!(cert.status, api::CertificateStatus::Accounting);
    let history = store.certificate_history(&family, cert.id).await.unwrap();
    assert_eq!(history.events.len(), 2, "requested online, then activated");

    let quote = store
        .quote(&family, child.id, group.id, today)
        .await
        .unwrap();
    assert!(quote.switches_to_financing);
    let app = store.apply(&family, child.id, group.id, now).await.unwrap();
    assert_eq!(app.status, api::ApplicationStatus::Submitted);
    let cert = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(cert.status, api::CertificateStatus::Financing);
    assert_eq!(cert.balance, quote.balance_before);

    let app = store.accept_application(&staff, app.id, now).await.unwrap();
    assert_eq!(app.status, api::ApplicationStatus::Accepted);
    assert_eq!(app.certificate_amount, quote.certificate);
    assert_eq!(app.family_amount, quote.family);
    let cert = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(cert.balance, quote.balance_after);
    assert_eq!(cert.reserved, quote.certificate);

    store
        .mark_attendance(
            &staff,
            app.id,
            &api::AttendanceMark {
                date: today,
                present: true,
            },
            now,
        )
        .await
        .unwrap();
    let month = Month::of(today);
    let invoice = store
        .create_invoice(
            &staff,
            &api::CreateInvoiceRequest {
                application_id: app.id,
                month,
                no_attendance_reason: None,
            },
            now,
        )
        .await
        .unwrap();
    assert!(store
        .create_invoice(
            &staff,
            &api::CreateInvoiceRequest {
                application_id: app.id,
                month,
                no_attendance_reason: None
            },
            now,
        )
        .await
        .is_err());
    let invoice = store
        .approve_invoice(&operator, invoice.id, now)
        .await
        .unwrap();
    assert_eq!(invoice.status, api::InvoiceStatus::Approved);
    let cert = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(cert.spent, invoice.certificate_amount);
    assert_eq!(cert.nominal, Some(Money::from_roubles(12_000)));
    let period = &store.list_periods(world.municipality.id).await.unwrap()[0];
    assert_eq!(period.written_off, invoice.certificate_amount);
    assert_eq!(
        period.reserved, cert.reserved,
        "the period's only enrollment holds what the certificate has reserved"
    );
    assert_eq!(
        period.budget_free.checked_add(period.budget_committed),
        Some(period.budget)
    );
    let account = store
        .provider_account(&staff, world.provider.id)
        .await
        .unwrap();
    assert_eq!(account.owed, invoice.certificate_amount);
    assert_eq!(account.reserved, cert.reserved);
    assert_eq!(account.invoices_approved, 1);
    assert_eq!(account.active_enrollments, 1);
    assert!(matches!(
        store.provider_account(&family, world.provider.id).await,
        Err(StoreError::NotFound)
    ));

    let ended = store
        .end_enrollment(&family, app.id, api::EndReason::FamilyRequest, None, now)
        .await
        .unwrap();
    assert_eq!(ended.reserved, Money::ZERO);
    let cert = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(cert.reserved, Money::ZERO);
    assert_eq!(
        cert.balance.checked_add(cert.spent),
        Some(quote.balance_before),
        "nothing lost: what was not spent is back"
    );
    let history = store.certificate_history(&family, cert.id).await.unwrap();
    assert_eq!(
        history.entries.len(),
        4,
        "credit, reservation, write-off, release"
    );
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);
}
