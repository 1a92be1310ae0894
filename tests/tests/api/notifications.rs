//! Notifications: every status change of an application and of a certificate is written for the
//! family and the provider in the same transaction, read in the account (newest first, unread
//! count, read one, read all) and emailed by the dispatcher in Russian.

use uuid::Uuid;

use navigator_api_types::{
    Application, Notification, NotificationKind, NotificationObject, NotificationPage,
    NotificationsRead,
};
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(
    a_family_and_its_provider_hear_of_every_change,
    notifications_are_read_one_by_one_or_all_at_once,
);

async fn notifications(app: &TestApp, token: &str) -> NotificationPage {
    app.get("/notifications")
        .token(token)
        .send()
        .await
        .ok(StatusCode::OK)
}

fn kinds(page: &NotificationPage) -> Vec<NotificationKind> {
    page.items.iter().map(|n| n.kind).collect()
}

async fn a_family_and_its_provider_hear_of_every_change(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, certificate) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    decide(app, &town.staff.token, application.id, "reject")
        .await
        .assert_status(StatusCode::OK);

    // Newest first: the rejection, the filing, the switch to financing on applying, the
    // activation and the issue of the certificate.
    let page = notifications(app, &family.token).await;
    use NotificationKind::*;
    assert_eq!(
        kinds(&page),
        [
            ApplicationRejected,
            ApplicationSubmitted,
            CertificateStatusChanged,
            CertificateStatusChanged,
            CertificateStatusChanged,
        ]
    );
    assert_eq!(page.unread, 5);
    let rejected = &page.items[0];
    assert_eq!(rejected.object_kind, NotificationObject::Application);
    assert_eq!(rejected.object_id, application.id);
    assert_eq!(rejected.subject, "Заявка отклонена");
    assert!(
        rejected.text.contains("Анна") && rejected.text.contains("Группа укомплектована"),
        "{}",
        rejected.text
    );
    let financing = &page.items[2];
    assert_eq!(financing.object_id, certificate.id);
    assert_eq!(financing.parameters.status.as_deref(), Some("financing"));
    assert!(
        financing.text.contains(&certificate.number),
        "{}",
        financing.text
    );

    // The provider hears of the application, in its own words, and of nothing else.
    let provider = notifications(app, &town.staff.token).await;
    assert_eq!(
        kinds(&provider),
        [ApplicationRejected, ApplicationSubmitted]
    );
    assert_eq!(provider.items[1].subject, "Новая заявка");
    // Another provider hears nothing.
    assert!(notifications(app, &town.rival_staff.token)
        .await
        .items
        .is_empty());

    // The dispatcher emails each once, in Russian, to the right address.
    let sent = app.dispatch_notifications().await;
    assert!(sent >= 7, "{sent} letters");
    assert_eq!(
        app.dispatch_notifications().await,
        0,
        "nothing is sent twice"
    );
    let letters = app.letters();
    let to_family: Vec<_> = letters.iter().filter(|l| l.to == family.email).collect();
    assert_eq!(to_family.len(), 5);
    assert!(to_family
        .iter()
        .any(|l| l.subject == "Заявка отклонена" && l.body.contains("Группа укомплектована")));
    assert!(letters
        .iter()
        .any(|l| l.to == town.staff.user.email && l.subject == "Новая заявка"));
}

async fn notifications_are_read_one_by_one_or_all_at_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    app.post(&format!("/applications/{}/withdraw", application.id))
        .token(&family.token)
        .send()
        .await
        .assert_status(StatusCode::OK);

    let page = notifications(app, &family.token).await;
    assert_eq!(page.items[0].kind, NotificationKind::ApplicationWithdrawn);
    let first = page.items[0].id;
    let read: Notification = app
        .post(&format!("/notifications/{first}/read"))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(read.read_at.is_some());
    // Reading again changes nothing.
    let again: Notification = app
        .post(&format!("/notifications/{first}/read"))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(again.read_at, read.read_at);
    assert_eq!(
        notifications(app, &family.token).await.unread,
        page.unread - 1
    );

    // Others' notifications are not found, and not marked.
    app.post(&format!("/notifications/{first}/read"))
        .token(&town.staff.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.post(&format!("/notifications/{}/read", Uuid::new_v4()))
        .token(&family.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    let provider = notifications(app, &town.staff.token).await;
    assert_eq!(provider.unread, 2);

    // Pages follow the cursor, newest first, without repeats.
    let first_page: NotificationPage = app
        .get("/notifications?limit=2")
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    let cursor = first_page.next_cursor.clone().expect("a second page");
    let second_page: NotificationPage = app
        .get(&format!("/notifications?limit=2&cursor={cursor}"))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    let mut ids: Vec<Uuid> = first_page
        .items
        .iter()
        .chain(&second_page.items)
        .map(|n| n.id)
        .collect();
    let all: Vec<Uuid> = page.items.iter().map(|n| n.id).take(ids.len()).collect();
    assert_eq!(ids, all);
    ids.dedup();
    assert_eq!(ids.len(), all.len());

    let marked: NotificationsRead = app
        .post("/notifications/read-all")
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(marked.marked, page.unread - 1);
    assert_eq!(marked.unread, 0);
    assert_eq!(notifications(app, &family.token).await.unread, 0);
    // The provider's stay unread.
    assert_eq!(notifications(app, &town.staff.token).await.unread, 2);
}
