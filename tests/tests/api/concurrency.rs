//! Many clients at once over HTTP on the last seats of a group: never overbooked, every answer a
//! seat or `no_seats`, and the ledger holds afterwards (the harness verifies it).

use futures_util::future::join_all;
use navigator_api_types::Application;
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

use super::enrollment::{apply, decide};

// One certificate's balance under parallel acceptances is pinned by the store's own tests
// (`crates/store/tests/concurrency.rs`), where a town can hold several certified groups.
navigator_tests::on_both_backends!(parallel_acceptances_take_exactly_the_free_seats);

async fn parallel_acceptances_take_exactly_the_free_seats(app: &TestApp) {
    let town = app
        .arrange_town(TownSpec {
            capacity: 3,
            ..TownSpec::default()
        })
        .await;
    let mut applications = Vec::new();
    for _ in 0..10 {
        let family = app.register_family().await;
        let (child, _) = app.certified_child(&family, &town).await;
        let application: Application = apply(app, &family, child.id, town.group.id)
            .await
            .ok(StatusCode::CREATED);
        applications.push(application.id);
    }
    let answers = join_all(
        applications
            .iter()
            .map(|id| decide(app, &town.staff.token, *id, "accept")),
    )
    .await;
    let accepted = answers
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    let full = answers
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT && r.body["code"] == "no_seats")
        .count();
    assert_eq!(
        (accepted, full),
        (3, 7),
        "every answer is a seat or `no_seats`"
    );
}
