//! Many requests at once on the same group and the same certificate: seats are never overbooked,
//! certificates never overdrawn, and the ledger holds afterwards.

mod common;

use chrono::Utc;
use common::World;
use navigator_api_types as api;
use navigator_domain::Money;
use navigator_store::StoreError;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_acceptances_never_overbook_a_group() {
    let world = World::new(
        Money::from_roubles(12_000),
        100,
        Money::from_roubles(1_200_000),
    )
    .await;
    let program = world
        .program(
            "Робототехника",
            api::Funding::Certificate,
            Money::from_roubles(2_000),
        )
        .await;
    let group = world.group(&program, 3).await;
    let mut applications = Vec::new();
    for _ in 0..12 {
        let family = world.family().await;
        let (child, _) = world.child_with_certificate(&family).await;
        let app = world
            .store
            .apply(&family, child.id, group.id, Utc::now())
            .await
            .unwrap();
        applications.push(app.id);
    }
    let tasks: Vec<_> = applications
        .iter()
        .map(|id| {
            let store = world.store.clone();
            let staff = world.staff;
            let id = *id;
            tokio::spawn(async move { store.accept_application(&staff, id, Utc::now()).await })
        })
        .collect();
    let mut accepted = 0;
    let mut no_seats = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(StoreError::Refused(r)) if r.code() == "no_seats" => no_seats += 1,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!((accepted, no_seats), (3, 9));
    let program = world.store.get_program(None, program.id).await.unwrap();
    assert_eq!(program.groups[0].seats_left, 0);
    assert_eq!(world.store.verify_ledger().await.unwrap(), vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_acceptances_on_one_certificate_never_overdraw_it() {
    // A small nominal: three programs at once cost more than the certificate holds.
    let world = World::new(
        Money::from_roubles(6_000),
        100,
        Money::from_roubles(600_000),
    )
    .await;
    let family = world.family().await;
    let (child, cert) = world.child_with_certificate(&family).await;
    let mut applications = Vec::new();
    for i in 0..6 {
        let program = world
            .program(
                &format!("Программа {i}"),
                api::Funding::Certificate,
                Money::from_roubles(1_500),
            )
            .await;
        let group = world.group(&program, 10).await;
        let app = world
            .store
            .apply(&family, child.id, group.id, Utc::now())
            .await
            .unwrap();
        applications.push(app.id);
    }
    let before = world.store.get_certificate(&family, cert.id).await.unwrap();
    let tasks: Vec<_> = applications
        .iter()
        .map(|id| {
            let store = world.store.clone();
            let staff = world.staff;
            let id = *id;
            tokio::spawn(async move { store.accept_application(&staff, id, Utc::now()).await })
        })
        .collect();
    let mut certificate_total = Money::ZERO;
    for t in tasks {
        let app = t
            .await
            .unwrap()
            .expect("acceptance with a co-payment never fails for money");
        // Each split adds up: the certificate pays what it had, the family the rest.
        assert_eq!(
            app.certificate_amount.checked_add(app.family_amount),
            Some(app.cost)
        );
        certificate_total = certificate_total
            .checked_add(app.certificate_amount)
            .unwrap();
    }
    let after = world.store.get_certificate(&family, cert.id).await.unwrap();
    assert!(!after.balance.is_negative());
    assert_eq!(certificate_total, after.reserved);
    assert_eq!(
        after.balance.checked_add(after.reserved),
        Some(before.balance)
    );
    assert_eq!(world.store.verify_ledger().await.unwrap(), vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_quota_is_never_exceeded_under_parallel_applications() {
    let world = World::new(
        Money::from_roubles(10_000),
        2,
        Money::from_roubles(1_000_000),
    )
    .await;
    let program = world
        .program(
            "Шахматы",
            api::Funding::Certificate,
            Money::from_roubles(1_000),
        )
        .await;
    let group = world.group(&program, 50).await;
    let mut children = Vec::new();
    for _ in 0..8 {
        let family = world.family().await;
        let (child, _) = world.child_with_certificate(&family).await;
        children.push((family, child.id));
    }
    let tasks: Vec<_> = children
        .into_iter()
        .map(|(family, child)| {
            let store = world.store.clone();
            let group = group.id;
            tokio::spawn(async move { store.apply(&family, child, group, Utc::now()).await })
        })
        .collect();
    let mut ok = 0;
    let mut quota = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Refused(r)) if r.code() == "quota_exhausted" => quota += 1,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!((ok, quota), (2, 6));
    let periods = world
        .store
        .list_periods(world.municipality.id)
        .await
        .unwrap();
    assert_eq!(periods[0].certificates_financed, 2);
    assert_eq!(world.store.verify_ledger().await.unwrap(), vec![]);
}
