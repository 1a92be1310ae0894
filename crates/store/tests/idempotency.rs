//! Idempotency keys in the store: one claim per key, the stored response, keys of another request,
//! released and expired keys, abandoned claims, and many claims of one key at once.

mod common;

use chrono::{Duration, Utc};
use common::World;
use navigator_domain::Money;
use navigator_store::{connect, Claim, ABANDONED_AFTER, INSTANCE_SILENT_AFTER, KEY_LIFETIME};

async fn world() -> World {
    World::new(
        Money::from_roubles(12_000),
        100,
        Money::from_roubles(1_200_000),
    )
    .await
}

#[tokio::test]
async fn a_completed_key_replays_its_response_to_the_same_request_only() {
    let world = world().await;
    let store = &world.store;
    let family = world.family().await.user_id;
    let now = Utc::now();

    let claim =
        |fingerprint: &'static str| store.idempotency_claim(family, "k-1", fingerprint, now);
    assert_eq!(claim("fp-a").await.unwrap(), Claim::Claimed);
    assert_eq!(claim("fp-a").await.unwrap(), Claim::InProgress);
    assert_eq!(claim("fp-b").await.unwrap(), Claim::Mismatch);

    store
        .idempotency_complete(family, "k-1", 201, br#"{"id":1}"#)
        .await
        .unwrap();
    let replay = Claim::Completed {
        status: 201,
        body: br#"{"id":1}"#.to_vec(),
    };
    assert_eq!(claim("fp-a").await.unwrap(), replay);
    assert_eq!(claim("fp-b").await.unwrap(), Claim::Mismatch);
    // A completed key is not released by a late failure.
    store.idempotency_release(family, "k-1").await.unwrap();
    assert_eq!(claim("fp-a").await.unwrap(), replay);

    // Keys are per user: another user's key of the same name is theirs.
    let other = world.family().await.user_id;
    let claimed = store
        .idempotency_claim(other, "k-1", "fp-b", now)
        .await
        .unwrap();
    assert_eq!(claimed, Claim::Claimed);
}

#[tokio::test]
async fn a_released_key_can_be_claimed_again() {
    let world = world().await;
    let store = &world.store;
    let family = world.family().await.user_id;
    let now = Utc::now();

    assert_eq!(
        store
            .idempotency_claim(family, "k-2", "fp-a", now)
            .await
            .unwrap(),
        Claim::Claimed
    );
    store.idempotency_release(family, "k-2").await.unwrap();
    // Released, the key is free for any request, not only the same one.
    assert_eq!(
        store
            .idempotency_claim(family, "k-2", "fp-b", now)
            .await
            .unwrap(),
        Claim::Claimed
    );
}

#[tokio::test]
async fn expired_keys_and_abandoned_claims_are_claimed_afresh() {
    let world = world().await;
    let store = &world.store;
    let family = world.family().await.user_id;
    let start = Utc::now();

    // Completed a day ago: forgotten.
    store
        .idempotency_claim(family, "k-3", "fp-a", start)
        .await
        .unwrap();
    store
        .idempotency_complete(family, "k-3", 200, b"{}")
        .await
        .unwrap();
    let just_before = start + KEY_LIFETIME - Duration::seconds(1);
    assert_eq!(
        store
            .idempotency_claim(family, "k-3", "fp-b", just_before)
            .await
            .unwrap(),
        Claim::Mismatch
    );
    let a_day_later = start + KEY_LIFETIME;
    assert_eq!(
        store
            .idempotency_claim(family, "k-3", "fp-b", a_day_later)
            .await
            .unwrap(),
        Claim::Claimed
    );

    // In progress for longer than any request runs: its process is gone.
    store
        .idempotency_claim(family, "k-4", "fp-a", start)
        .await
        .unwrap();
    let soon = start + ABANDONED_AFTER - Duration::seconds(1);
    assert_eq!(
        store
            .idempotency_claim(family, "k-4", "fp-a", soon)
            .await
            .unwrap(),
        Claim::InProgress
    );
    let later = start + ABANDONED_AFTER;
    assert_eq!(
        store
            .idempotency_claim(family, "k-4", "fp-a", later)
            .await
            .unwrap(),
        Claim::Claimed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_claims_of_one_key_at_once_exactly_one_wins() {
    let world = world().await;
    let family = world.family().await.user_id;
    let now = Utc::now();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let store = world.store.clone();
            tokio::spawn(async move {
                store
                    .idempotency_claim(family, "k-5", "fp-a", now)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut claimed = 0;
    for task in tasks {
        match task.await.unwrap() {
            Claim::Claimed => claimed += 1,
            Claim::InProgress => {}
            other => panic!("a concurrent claim of a new key found {other:?}"),
        }
    }
    assert_eq!(claimed, 1);
}

/// Two server processes share the database. A key held in progress by one that was killed is free
/// for the other as soon as the dead one has been silent for [`INSTANCE_SILENT_AFTER`], and at
/// once when it stopped cleanly; a live one keeps its keys, however long its request runs.
#[tokio::test]
async fn a_dead_processs_claims_are_taken_over_and_a_live_ones_are_not() {
    let world = world().await;
    let first = &world.store;
    let second = connect(&world.url).await.unwrap();
    let family = world.family().await.user_id;
    let start = Utc::now();

    assert_eq!(
        first
            .idempotency_claim(family, "k-5", "fp-a", start)
            .await
            .unwrap(),
        Claim::Claimed
    );
    // The first process is busy with the request and keeps beating.
    let busy = start + INSTANCE_SILENT_AFTER + Duration::seconds(10);
    first.instance_heartbeat(busy).await.unwrap();
    let claim = |at| second.idempotency_claim(family, "k-5", "fp-a", at);
    assert_eq!(claim(busy).await.unwrap(), Claim::InProgress);
    // Then it dies: silent for long enough, its key is the second's.
    let silent = busy + INSTANCE_SILENT_AFTER - Duration::seconds(1);
    assert_eq!(claim(silent).await.unwrap(), Claim::InProgress);
    let dead = busy + INSTANCE_SILENT_AFTER + Duration::seconds(1);
    assert_eq!(claim(dead).await.unwrap(), Claim::Claimed);

    // A process that stopped cleanly holds nothing, at once.
    assert_eq!(
        second
            .idempotency_claim(family, "k-6", "fp-a", dead)
            .await
            .unwrap(),
        Claim::Claimed
    );
    assert_eq!(
        first
            .idempotency_claim(family, "k-6", "fp-a", dead)
            .await
            .unwrap(),
        Claim::InProgress
    );
    second.instance_retire().await.unwrap();
    assert_eq!(
        first
            .idempotency_claim(family, "k-6", "fp-a", dead)
            .await
            .unwrap(),
        Claim::Claimed
    );
}

/// A claim made long after the process's last heartbeat says "alive" first, so the process making
/// it is never one the others take for dead, even when its heartbeat task has fallen behind.
#[tokio::test]
async fn a_claim_long_after_the_last_heartbeat_says_alive_first() {
    let world = world().await;
    let first = &world.store;
    let second = connect(&world.url).await.unwrap();
    let family = world.family().await.user_id;
    let start = Utc::now();
    first.instance_heartbeat(start).await.unwrap();
    // A minute without a heartbeat, then a claim.
    let later = start + Duration::minutes(1);
    assert_eq!(
        first
            .idempotency_claim(family, "k-7", "fp-a", later)
            .await
            .unwrap(),
        Claim::Claimed
    );
    let soon = later + INSTANCE_SILENT_AFTER - Duration::seconds(1);
    assert_eq!(
        second
            .idempotency_claim(family, "k-7", "fp-a", soon)
            .await
            .unwrap(),
        Claim::InProgress
    );
}
