//! The waitlist under concurrency: seats freeing at once never make two offers for one seat, and
//! an offer and a fresh acceptance never both get the last seat.

mod common;

use chrono::Utc;
use common::World;
use navigator_api_types as api;
use navigator_domain::Money;
use navigator_store::{Actor, Store, StoreError};
use std::sync::Arc;
use uuid::Uuid;

async fn world() -> World {
    World::new(
        Money::from_roubles(12_000),
        1_000,
        Money::from_roubles(12_000_000),
    )
    .await
}

/// A family's child accepted into the group.
async fn enrolled(world: &World, group: &api::Group) -> (Actor, Uuid) {
    let family = world.family().await;
    let (child, _) = world.child_with_certificate(&family).await;
    let app = world
        .store
        .apply(&family, child.id, group.id, Utc::now())
        .await
        .unwrap_or_else(|e| panic!("applying failed: {e}"));
    world
        .store
        .accept_application(&world.staff, app.id, Utc::now())
        .await
        .unwrap_or_else(|e| panic!("accepting failed: {e}"));
    (family, app.id)
}

/// A family's child queued for the (full) group.
async fn queued(world: &World, group: &api::Group) -> (Actor, Uuid) {
    let family = world.family().await;
    let (child, _) = world.child_with_certificate(&family).await;
    let entry = world
        .store
        .join_waitlist(&family, group.id, child.id, Utc::now())
        .await
        .unwrap_or_else(|e| panic!("queueing failed: {e}"));
    (family, entry.id)
}

async fn offered(store: &Arc<dyn Store>, staff: &Actor, group: Uuid) -> Vec<Uuid> {
    store
        .group_waitlist(staff, group)
        .await
        .unwrap_or_else(|e| panic!("reading the queue failed: {e}"))
        .entries
        .into_iter()
        .filter(|e| e.status == api::WaitlistStatus::Offered)
        .map(|e| e.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn seats_freeing_at_once_make_one_offer_each() {
    let world = world().await;
    let program = world
        .program(
            "Робототехника",
            api::Funding::Certificate,
            Money::from_roubles(2_000),
        )
        .await;
    let group = world.group(&program, 4).await;
    let mut enrollments = Vec::new();
    for _ in 0..4 {
        enrollments.push(enrolled(&world, &group).await);
    }
    let mut queue = Vec::new();
    for _ in 0..6 {
        queue.push(queued(&world, &group).await);
    }
    // Three enrollments end at once.
    let tasks: Vec<_> = enrollments
        .iter()
        .take(3)
        .map(|(family, id)| {
            let store = world.store.clone();
            let (family, id) = (*family, *id);
            tokio::spawn(async move {
                store
                    .end_enrollment(&family, id, api::EndReason::FamilyRequest, None, Utc::now())
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    // Exactly the first three in line hold the three seats, and the group is still full.
    let offers = offered(&world.store, &world.staff, group.id).await;
    let first_three: Vec<Uuid> = queue.iter().take(3).map(|(_, id)| *id).collect();
    assert_eq!(offers, first_three);
    let seen = world
        .store
        .group_waitlist(&world.staff, group.id)
        .await
        .unwrap();
    assert_eq!((seen.seats_left, seen.seats_held), (0, 3));
    assert_eq!(world.store.verify_ledger().await.unwrap(), vec![]);

    // The three take their offers at once; the provider accepts all three in the full group.
    let tasks: Vec<_> = queue
        .iter()
        .take(3)
        .map(|(family, id)| {
            let store = world.store.clone();
            let (family, id) = (*family, *id);
            tokio::spawn(async move { store.accept_offer(&family, id, Utc::now()).await })
        })
        .collect();
    for t in tasks {
        let application = t.await.unwrap().unwrap();
        world
            .store
            .accept_application(&world.staff, application.id, Utc::now())
            .await
            .unwrap();
    }
    let seen = world
        .store
        .group_waitlist(&world.staff, group.id)
        .await
        .unwrap();
    assert_eq!((seen.seats_left, seen.seats_held), (0, 0));
    assert_eq!(seen.entries.len(), 3);
    assert_eq!(world.store.verify_ledger().await.unwrap(), vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_offer_and_a_fresh_acceptance_never_share_the_last_seat() {
    let world = world().await;
    let program = world
        .program(
            "Шахматы",
            api::Funding::Certificate,
            Money::from_roubles(1_000),
        )
        .await;
    for round in 0..6 {
        let group = world.group(&program, 1).await;
        // A fresh application filed while the seat was free, then the seat taken by another.
        let fresh_family = world.family().await;
        let (fresh_child, _) = world.child_with_certificate(&fresh_family).await;
        let fresh = world
            .store
            .apply(&fresh_family, fresh_child.id, group.id, Utc::now())
            .await
            .unwrap();
        let (leaver, enrollment) = enrolled(&world, &group).await;
        let (_, waiting) = queued(&world, &group).await;
        // The enrollment ends (offering the seat) while the provider accepts the fresh one.
        let store = world.store.clone();
        let ending = tokio::spawn(async move {
            store
                .end_enrollment(
                    &leaver,
                    enrollment,
                    api::EndReason::FamilyRequest,
                    None,
                    Utc::now(),
                )
                .await
        });
        let store = world.store.clone();
        let staff = world.staff;
        let accepting =
            tokio::spawn(
                async move { store.accept_application(&staff, fresh.id, Utc::now()).await },
            );
        ending.await.unwrap().unwrap();
        let accepted = match accepting.await.unwrap() {
            Ok(_) => true,
            Err(StoreError::Refused(r)) if r.code() == "no_seats" => false,
            Err(e) => panic!("round {round}: unexpected error: {e}"),
        };
        let offers = offered(&world.store, &world.staff, group.id).await;
        let seen = world
            .store
            .group_waitlist(&world.staff, group.id)
            .await
            .unwrap();
        assert_eq!(
            seen.seats_left, 0,
            "round {round}: the seat went to exactly one"
        );
        if accepted {
            assert!(
                offers.is_empty(),
                "round {round}: no offer for a taken seat"
            );
        } else {
            assert_eq!(offers, [waiting], "round {round}: the offer holds the seat");
        }
        assert_eq!(world.store.verify_ledger().await.unwrap(), vec![]);
    }
}
