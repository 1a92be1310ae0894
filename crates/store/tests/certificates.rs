//! The certificate's lifecycle beyond activation: suspension, resumption, closing with money
//! returned to the period's fund.

mod common;

use chrono::Utc;
use common::World;
use navigator_api_types as api;
use navigator_domain::Money;
use navigator_store::{CertificateAction, StoreError};

#[tokio::test]
async fn closing_a_certificate_ends_its_enrollments_and_returns_its_money() {
    let world = World::new(
        Money::from_roubles(12_000),
        10,
        Money::from_roubles(120_000),
    )
    .await;
    let store = &world.store;
    let now = Utc::now();
    let program = world
        .program(
            "Плавание",
            api::Funding::Certificate,
            Money::from_roubles(1_000),
        )
        .await;
    let group = world.group(&program, 5).await;
    let family = world.family().await;
    let (child, cert) = world.child_with_certificate(&family).await;
    let app = store.apply(&family, child.id, group.id, now).await.unwrap();
    let app = store
        .accept_application(&world.staff, app.id, now)
        .await
        .unwrap();
    assert!(app.reserved.is_positive());

    // A provider may not touch certificates; a family may not suspend.
    assert!(matches!(
        store
            .change_certificate_status(&world.staff, cert.id, CertificateAction::Close, "x", now)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store
            .change_certificate_status(&family, cert.id, CertificateAction::Suspend, "x", now)
            .await,
        Err(StoreError::Forbidden(_))
    ));

    let suspended = store
        .change_certificate_status(
            &world.operator,
            cert.id,
            CertificateAction::Suspend,
            "проверка",
            now,
        )
        .await
        .unwrap();
    assert_eq!(suspended.status, api::CertificateStatus::Suspended);
    let resumed = store
        .change_certificate_status(
            &world.operator,
            cert.id,
            CertificateAction::Resume,
            "проверено",
            now,
        )
        .await
        .unwrap();
    assert_eq!(resumed.status, api::CertificateStatus::Financing);

    let closed = store
        .change_certificate_status(
            &family,
            cert.id,
            CertificateAction::Close,
            "заявление родителя",
            now,
        )
        .await
        .unwrap();
    assert_eq!(closed.status, api::CertificateStatus::Closed);
    assert_eq!(closed.balance, Money::ZERO);
    assert_eq!(closed.reserved, Money::ZERO);
    let app = store.get_application(&family, app.id).await.unwrap();
    assert_eq!(app.status, api::ApplicationStatus::Expelled);
    assert_eq!(app.end_reason, Some(api::EndReason::CertificateClosed));
    let program = store.get_program(None, program.id).await.unwrap();
    assert_eq!(program.groups[0].seats_left, 5, "the seat is free again");
    let history = store.certificate_history(&family, cert.id).await.unwrap();
    let kinds: Vec<_> = history.entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            api::PostingKind::Credit,
            api::PostingKind::Reservation,
            api::PostingKind::Release,
            api::PostingKind::Expiry
        ]
    );
    assert!(store
        .change_certificate_status(
            &world.operator,
            cert.id,
            CertificateAction::Resume,
            "x",
            now
        )
        .await
        .is_err());
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);
}
