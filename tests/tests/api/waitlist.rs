//! The waitlist of a full group: queueing, the offer of a freed seat made in the same transaction,
//! taking it by filing the application on the held seat, declining it, and its expiry by the
//! sweep and at use. Time never passes in these tests: the sweep and the late take are called
//! with a later `now`.

use chrono::{Duration, Utc};
use uuid::Uuid;

use navigator_api_types::{
    Application, ApplicationStatus, EndReason, EndRequest, GroupWaitlist, JoinWaitlistRequest,
    Page, Role, WaitlistEntry, WaitlistStatus,
};
use navigator_store::{Actor, ExpiredOffers};
use navigator_tests::world::{Town, TownSpec};
use navigator_tests::{ApiResponse, Family, StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(
    a_freed_seat_goes_to_the_first_in_line_who_takes_it,
    an_offer_that_expires_passes_to_the_next_and_cannot_be_taken,
    a_declined_offer_frees_the_seat_for_anyone,
    queueing_is_refused_when_it_makes_no_sense,
);

async fn join(app: &TestApp, family: &Family, group_id: Uuid, child_id: Uuid) -> ApiResponse {
    app.post(&format!("/groups/{group_id}/waitlist"))
        .token(&family.token)
        .json(&JoinWaitlistRequest { child_id })
        .send()
        .await
}

async fn queue(app: &TestApp, token: &str, group_id: Uuid) -> GroupWaitlist {
    app.get(&format!("/groups/{group_id}/waitlist"))
        .token(token)
        .send()
        .await
        .ok(StatusCode::OK)
}

async fn entries(app: &TestApp, family: &Family) -> Vec<WaitlistEntry> {
    let page: Page<WaitlistEntry> = app
        .get("/waitlist")
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    page.items
}

async fn entry(app: &TestApp, family: &Family, id: Uuid) -> WaitlistEntry {
    entries(app, family)
        .await
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("the family's entry {id}"))
}

/// A town whose certified group has one seat, taken by a first family's child; two more
/// families queue their children, in order.
struct FullGroup {
    town: Town,
    enrolled: Family,
    enrollment: Application,
    second: Family,
    second_entry: WaitlistEntry,
    third: Family,
    third_entry: WaitlistEntry,
}

async fn full_group(app: &TestApp) -> FullGroup {
    let town = app
        .arrange_town(TownSpec {
            capacity: 1,
            ..TownSpec::default()
        })
        .await;
    let enrolled = app.register_family().await;
    let (child, _) = app.certified_child(&enrolled, &town).await;
    let application: Application = apply(app, &enrolled, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    let enrollment: Application = decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok(StatusCode::OK);
    let second = app.register_family().await;
    let (second_child, _) = app.certified_child(&second, &town).await;
    let second_entry: WaitlistEntry = join(app, &second, town.group.id, second_child.id)
        .await
        .ok(StatusCode::CREATED);
    let third = app.register_family().await;
    let (third_child, _) = app.certified_child(&third, &town).await;
    let third_entry: WaitlistEntry = join(app, &third, town.group.id, third_child.id)
        .await
        .ok(StatusCode::CREATED);
    FullGroup {
        town,
        enrolled,
        enrollment,
        second,
        second_entry,
        third,
        third_entry,
    }
}

/// The first family's child leaves: the seat frees.
async fn free_the_seat(app: &TestApp, g: &FullGroup) {
    app.post(&format!("/applications/{}/end", g.enrollment.id))
        .token(&g.enrolled.token)
        .json(&EndRequest {
            end_reason: EndReason::FamilyRequest,
            comment: Some("переезд".into()),
        })
        .send()
        .await
        .assert_status(StatusCode::OK);
}

fn family_actor(family: &Family) -> Actor {
    Actor {
        user_id: family.user.id,
        role: Role::Family,
        provider_id: None,
        municipality_id: family.user.municipality_id,
    }
}

async fn a_freed_seat_goes_to_the_first_in_line_who_takes_it(app: &TestApp) {
    let g = full_group(app).await;
    assert_eq!(g.second_entry.status, WaitlistStatus::Waiting);
    assert_eq!(g.second_entry.position, Some(1));
    assert_eq!(g.third_entry.position, Some(2));

    // The provider sees the queue in order; another provider does not see it at all.
    let seen = queue(app, &g.town.staff.token, g.town.group.id).await;
    let order: Vec<Uuid> = seen.entries.iter().map(|e| e.id).collect();
    assert_eq!(order, [g.second_entry.id, g.third_entry.id]);
    assert_eq!((seen.capacity, seen.seats_left, seen.seats_held), (1, 0, 0));
    app.get(&format!("/groups/{}/waitlist", g.town.group.id))
        .token(&g.town.rival_staff.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/groups/{}/waitlist", g.town.group.id))
        .token(&g.second.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");

    // The seat frees: in the same transaction the first in line gets an offer for 48 hours.
    let before = Utc::now();
    free_the_seat(app, &g).await;
    let offered = entry(app, &g.second, g.second_entry.id).await;
    assert_eq!(offered.status, WaitlistStatus::Offered);
    assert_eq!(offered.position, Some(1));
    let expires = offered.offer_expires_at.expect("an offer has its deadline");
    assert!(expires >= before + Duration::hours(48) && expires <= Utc::now() + Duration::hours(48));
    let seen = queue(app, &g.town.staff.token, g.town.group.id).await;
    assert_eq!((seen.seats_left, seen.seats_held), (0, 1));

    // The held seat is nobody else's: a newcomer's application cannot be accepted…
    let newcomer = app.register_family().await;
    let (newcomer_child, _) = app.certified_child(&newcomer, &g.town).await;
    apply(app, &newcomer, newcomer_child.id, g.town.group.id)
        .await
        .problem(StatusCode::CONFLICT, "no_seats");
    // …and the one behind in line has no offer to take.
    app.post(&format!("/waitlist/{}/accept", g.third_entry.id))
        .token(&g.third.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "waitlist_transition_not_allowed");
    // Nor can another family take it.
    app.post(&format!("/waitlist/{}/accept", g.second_entry.id))
        .token(&g.third.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");

    // The family takes the offer: the application is filed on the held seat…
    let application: Application = app
        .post(&format!("/waitlist/{}/accept", g.second_entry.id))
        .token(&g.second.token)
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(application.status, ApplicationStatus::Submitted);
    assert_eq!(application.waitlist_entry_id, Some(g.second_entry.id));
    let taken = entry(app, &g.second, g.second_entry.id).await;
    assert_eq!(taken.status, WaitlistStatus::Taken);
    assert_eq!(taken.application_id, Some(application.id));
    assert_eq!(taken.position, None);
    // …which stays held until the provider decides, and the provider can accept it in a full
    // group.
    let seen = queue(app, &g.town.staff.token, g.town.group.id).await;
    assert_eq!((seen.seats_left, seen.seats_held), (0, 1));
    let accepted: Application = decide(app, &g.town.staff.token, application.id, "accept")
        .await
        .ok(StatusCode::OK);
    assert_eq!(accepted.status, ApplicationStatus::Accepted);
    let seen = queue(app, &g.town.staff.token, g.town.group.id).await;
    assert_eq!((seen.seats_left, seen.seats_held), (0, 0));
    let order: Vec<(Uuid, Option<u32>)> = seen.entries.iter().map(|e| (e.id, e.position)).collect();
    assert_eq!(order, [(g.third_entry.id, Some(1))]);
    // An offer is taken once.
    app.post(&format!("/waitlist/{}/accept", g.second_entry.id))
        .token(&g.second.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "waitlist_transition_not_allowed");
}

async fn an_offer_that_expires_passes_to_the_next_and_cannot_be_taken(app: &TestApp) {
    let g = full_group(app).await;
    free_the_seat(app, &g).await;
    let offered = entry(app, &g.second, g.second_entry.id).await;
    let expires = offered.offer_expires_at.expect("an offer has its deadline");

    // Past its time, the offer cannot be taken even before the sweep has run.
    let late = app
        .store()
        .accept_offer(&family_actor(&g.second), g.second_entry.id, expires)
        .await
        .err()
        .map(|e| e.to_string());
    assert!(
        late.as_deref().is_some_and(|e| e.contains("expired")),
        "{late:?}"
    );
    // A sweep before the deadline changes nothing; at the deadline it passes the seat on.
    let early = app
        .store()
        .expire_offers(expires - Duration::seconds(1), 100)
        .await
        .expect("the sweep");
    assert_eq!(early, ExpiredOffers::default());
    let swept = app
        .store()
        .expire_offers(expires, 100)
        .await
        .expect("the sweep");
    assert_eq!(
        swept,
        ExpiredOffers {
            expired: 1,
            offered: 1
        }
    );
    let again = app
        .store()
        .expire_offers(expires, 100)
        .await
        .expect("the sweep");
    assert_eq!(
        again,
        ExpiredOffers::default(),
        "a second sweep changes nothing"
    );

    assert_eq!(
        entry(app, &g.second, g.second_entry.id).await.status,
        WaitlistStatus::Expired
    );
    app.post(&format!("/waitlist/{}/accept", g.second_entry.id))
        .token(&g.second.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "waitlist_transition_not_allowed");
    let next = entry(app, &g.third, g.third_entry.id).await;
    assert_eq!(next.status, WaitlistStatus::Offered);
    let seen = queue(app, &g.town.staff.token, g.town.group.id).await;
    assert_eq!((seen.seats_left, seen.seats_held), (0, 1));
    let application: Application = app
        .post(&format!("/waitlist/{}/accept", g.third_entry.id))
        .token(&g.third.token)
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(application.waitlist_entry_id, Some(g.third_entry.id));
}

async fn a_declined_offer_frees_the_seat_for_anyone(app: &TestApp) {
    let g = full_group(app).await;
    // The second in line leaves before any seat frees.
    let left: WaitlistEntry = app
        .post(&format!("/waitlist/{}/leave", g.third_entry.id))
        .token(&g.third.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!((left.status, left.position), (WaitlistStatus::Left, None));
    free_the_seat(app, &g).await;
    let declined: WaitlistEntry = app
        .post(&format!("/waitlist/{}/decline", g.second_entry.id))
        .token(&g.second.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(declined.status, WaitlistStatus::Declined);
    app.post(&format!("/waitlist/{}/decline", g.second_entry.id))
        .token(&g.second.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "waitlist_transition_not_allowed");
    // Nobody waits any more: the seat is free for any application.
    let seen = queue(app, &g.town.staff.token, g.town.group.id).await;
    assert_eq!((seen.seats_left, seen.seats_held), (1, 0));
    assert!(seen.entries.is_empty());
    let newcomer = app.register_family().await;
    let (child, _) = app.certified_child(&newcomer, &g.town).await;
    let application: Application = apply(app, &newcomer, child.id, g.town.group.id)
        .await
        .ok(StatusCode::CREATED);
    decide(app, &g.town.staff.token, application.id, "accept")
        .await
        .assert_status(StatusCode::OK);
}

async fn queueing_is_refused_when_it_makes_no_sense(app: &TestApp) {
    let g = full_group(app).await;
    // Twice in one queue.
    join(app, &g.second, g.town.group.id, g.second_entry.child_id)
        .await
        .problem(StatusCode::CONFLICT, "already_queued");
    // A group with free seats takes applications, not a queue.
    join(
        app,
        &g.second,
        g.town.budget_group.id,
        g.second_entry.child_id,
    )
    .await
    .problem(StatusCode::CONFLICT, "seats_available");
    // The enrolled child is already in the group.
    join(app, &g.enrolled, g.town.group.id, g.enrollment.child_id)
        .await
        .problem(StatusCode::CONFLICT, "already_enrolled");
    // Without a usable certificate, as for applying.
    let family = app.register_family().await;
    let child = app.add_child(&family, g.town.municipality.id).await;
    join(app, &family, g.town.group.id, child.id)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "no_certificate");
    app.request_certificate(&family, &child).await;
    join(app, &family, g.town.group.id, child.id)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "certificate_not_usable");
    // Someone else's child, and staff.
    join(app, &family, g.town.group.id, g.second_entry.child_id)
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.post(&format!("/groups/{}/waitlist", g.town.group.id))
        .token(&g.town.staff.token)
        .json(&JoinWaitlistRequest { child_id: child.id })
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    // Leaving is the family's own.
    app.post(&format!("/waitlist/{}/leave", g.second_entry.id))
        .token(&g.third.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    // Nothing of this changed the queue.
    let seen = queue(app, &g.town.staff.token, g.town.group.id).await;
    assert_eq!(seen.entries.len(), 2);
}
