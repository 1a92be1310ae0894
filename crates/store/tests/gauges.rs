//! The gauges `GET /metrics` reads: the pool and the ledger's totals by account kind.

mod common;

use chrono::Utc;
use common::World;
use navigator_api_types as api;
use navigator_domain::Money;

#[tokio::test]
async fn ledger_totals_sum_to_zero_and_show_the_reservation() {
    let world = World::new(
        Money::from_roubles(12_000),
        100,
        Money::from_roubles(1_200_000),
    )
    .await;
    let store = &world.store;
    let now = Utc::now();
    let program = world
        .program(
            "Вокал",
            api::Funding::Certificate,
            Money::from_roubles(2_000),
        )
        .await;
    let group = world.group(&program, 10).await;
    let family = world.family().await;
    let (child, _) = world.child_with_certificate(&family).await;
    let application = store.apply(&family, child.id, group.id, now).await.unwrap();
    store
        .accept_application(&world.staff, application.id, now)
        .await
        .unwrap();

    let totals = store.ledger_totals().await.unwrap();
    let kinds: Vec<&str> = totals.iter().map(|t| t.account_kind.as_str()).collect();
    assert!(kinds.windows(2).all(|w| w[0] < w[1]), "by kind: {kinds:?}");
    let reservation = totals
        .iter()
        .find(|t| t.account_kind == "reservation")
        .expect("a reservation account");
    assert!(reservation.balance > Money::ZERO && reservation.accounts >= 1);
    // Every posting sums to zero, so the totals of all kinds do too.
    let sum: i64 = totals.iter().map(|t| t.balance.kopecks()).sum();
    assert_eq!(sum, 0, "{totals:#?}");

    let pool = store.pool_gauges();
    assert!(
        pool.size >= 1 && pool.idle <= pool.size && pool.size <= pool.max,
        "{pool:?}"
    );
}
