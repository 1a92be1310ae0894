//! `verify_ledger` reports a broken invariant: each check is tried on data broken on purpose,
//! behind the store's back, so that a rewrite of a check's query cannot silently stop finding.

mod common;

use chrono::Utc;
use common::World;
use navigator_api_types as api;
use navigator_domain::{Money, Month};

/// Runs one statement on the world's database, outside the store.
async fn tamper(world: &World, sql: &str, id: uuid::Uuid) {
    if world.url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&world.url)
            .await
            .expect("the test database opens");
        let done = sqlx::query(sql)
            .bind(id)
            .execute(&pool)
            .await
            .expect("the statement runs");
        assert_eq!(done.rows_affected(), 1, "{sql}");
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(&world.url)
            .await
            .expect("the test database opens");
        let done = sqlx::query(sql)
            .bind(id)
            .execute(&pool)
            .await
            .expect("the statement runs");
        assert_eq!(done.rows_affected(), 1, "{sql}");
        pool.close().await;
    }
}

async fn broken_checks(world: &World) -> Vec<&'static str> {
    let mut checks: Vec<_> = world
        .store
        .verify_ledger()
        .await
        .expect("verify_ledger reports, it does not fail")
        .into_iter()
        .map(|v| v.check)
        .collect();
    checks.sort_unstable();
    checks.dedup();
    checks
}

#[tokio::test]
async fn verify_reports_commitments_and_ended_reservations_out_of_step() {
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
            "Шахматы",
            api::Funding::Certificate,
            Money::from_roubles(2_000),
        )
        .await;
    let group = world.group(&program, 5).await;
    let family = world.family().await;
    let (child, _) = world.child_with_certificate(&family).await;
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
    // Ended with the month's invoice still issued: the reservation keeps exactly its share.
    store
        .end_enrollment(&family, app.id, api::EndReason::FamilyRequest, None, now)
        .await
        .unwrap();
    assert_eq!(broken_checks(&world).await, Vec::<&str>::new());

    // An issued invoice of an ended enrollment that its reservation no longer covers.
    tamper(
        &world,
        "UPDATE invoices SET certificate_amount = certificate_amount + 100 WHERE id = $1",
        invoice.id,
    )
    .await;
    assert_eq!(
        broken_checks(&world).await,
        vec!["ended_reservation_covers_issued_invoices"]
    );
    // The report names the enrollment as the API does (on SQLite the id is 16 bytes, not text).
    let violations = store.verify_ledger().await.unwrap();
    assert_eq!(
        violations[0].detail,
        format!("{}: {}", app.id, invoice.certificate_amount.kopecks())
    );

    // A period's commitments that its credit postings do not add up to.
    // The world's municipality has the one period.
    tamper(
        &world,
        "UPDATE periods SET budget_committed = budget_committed + 1 WHERE municipality_id = $1",
        world.municipality.id,
    )
    .await;
    assert_eq!(
        broken_checks(&world).await,
        vec![
            "ended_reservation_covers_issued_invoices",
            "period_commitments"
        ]
    );

    // Mended: on PostgreSQL the store's tests share one database, and later ones verify it whole.
    tamper(
        &world,
        "UPDATE invoices SET certificate_amount = certificate_amount - 100 WHERE id = $1",
        invoice.id,
    )
    .await;
    tamper(
        &world,
        "UPDATE periods SET budget_committed = budget_committed - 1 WHERE municipality_id = $1",
        world.municipality.id,
    )
    .await;
    assert_eq!(broken_checks(&world).await, Vec::<&str>::new());

    // An approved invoice whose amounts are not what its postings moved.
    store
        .approve_invoice(&world.operator, invoice.id, now)
        .await
        .unwrap();
    assert_eq!(broken_checks(&world).await, Vec::<&str>::new());
    tamper(
        &world,
        "UPDATE invoices SET family_amount = family_amount + 100 WHERE id = $1",
        invoice.id,
    )
    .await;
    assert_eq!(
        broken_checks(&world).await,
        vec!["invoice_postings_match_decision"]
    );
    tamper(
        &world,
        "UPDATE invoices SET family_amount = family_amount - 100 WHERE id = $1",
        invoice.id,
    )
    .await;
    assert_eq!(broken_checks(&world).await, Vec::<&str>::new());
}
