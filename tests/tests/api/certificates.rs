//! Children and their certificates: SNILS, online requests, the operator's activation, desk
//! issuance, who sees what.

use chrono::{Datelike, Days};
use serde_json::json;
use uuid::Uuid;

use navigator_api_types::{
    Certificate, CertificateDecision, CertificateHistory, CertificateStatus, Child,
    CreateApplicationRequest, CreateChildRequest, Money, Page, Role,
};
use navigator_tests::world::{random_snils, TownSpec};
use navigator_tests::{Family, StatusCode, TestApp};

navigator_tests::on_both_backends!(
    a_family_adds_children_that_only_it_sees,
    a_snils_with_a_wrong_checksum_is_refused,
    a_snils_belongs_to_one_child,
    an_online_certificate_waits_for_the_operator_of_its_municipality,
    a_certificate_issued_at_the_desk_is_usable_at_once,
);

fn child_request(snils: &str, municipality_id: Uuid) -> CreateChildRequest {
    CreateChildRequest {
        first_name: "Иван".into(),
        last_name: "Смирнов".into(),
        middle_name: None,
        birth_date: chrono::NaiveDate::from_ymd_opt(2016, 4, 1).expect("a date"),
        snils: snils.into(),
        municipality_id,
    }
}

async fn some_municipality(app: &TestApp) -> Uuid {
    let municipalities: Vec<navigator_api_types::Municipality> =
        app.get("/municipalities").send().await.ok(StatusCode::OK);
    municipalities.first().expect("demo municipalities").id
}

async fn children_of(app: &TestApp, family: &Family) -> Vec<Child> {
    app.get("/children")
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK)
}

async fn a_family_adds_children_that_only_it_sees(app: &TestApp) {
    let municipality_id = some_municipality(app).await;
    let family = app.register_family().await;
    let snils = random_snils();
    let child: Child = app
        .post("/children")
        .token(&family.token)
        .json(&child_request(snils.digits(), municipality_id))
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(child.snils, snils.to_string(), "shown as 123-456-789 64");
    assert_eq!(
        (child.first_name.as_str(), child.last_name.as_str()),
        ("Иван", "Смирнов")
    );
    assert_eq!(child.municipality_id, municipality_id);
    assert_eq!(child.certificate, None);
    assert_eq!(children_of(app, &family).await, vec![child.clone()]);
    let same: Child = app
        .get(&format!("/children/{}", child.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(same, child);

    let stranger = app.register_family().await;
    assert_eq!(children_of(app, &stranger).await, vec![]);
    app.get(&format!("/children/{}", child.id))
        .token(&stranger.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.post(&format!("/children/{}/certificate", child.id))
        .token(&stranger.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");

    let mut unborn = child_request(random_snils().digits(), municipality_id);
    unborn.birth_date = app.today + Days::new(1);
    let problem = app
        .post("/children")
        .token(&family.token)
        .json(&unborn)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(problem.errors[0].field, "birth_date");

    let problem = app
        .post("/children")
        .token(&family.token)
        .json(&child_request(random_snils().digits(), Uuid::new_v4()))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(problem.errors[0].field, "municipality_id");
    assert_eq!(children_of(app, &family).await.len(), 1);
}

async fn a_snils_with_a_wrong_checksum_is_refused(app: &TestApp) {
    let municipality_id = some_municipality(app).await;
    let family = app.register_family().await;
    // 112-233-445 95 is valid; 96 is not its checksum.
    for bad in [
        "112-233-445 96",
        "11223344596",
        "112-233-445",
        "112-233-445 9X",
    ] {
        let problem = app
            .post("/children")
            .token(&family.token)
            .json(&child_request(bad, municipality_id))
            .send()
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let fields: Vec<(&str, &str)> = problem
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(fields, [("snils", "snils_invalid")], "{bad}");
    }
    assert_eq!(children_of(app, &family).await, vec![]);
    app.post("/children")
        .token(&family.token)
        .json(&child_request(&random_snils().to_string(), municipality_id))
        .send()
        .await
        .assert_status(StatusCode::CREATED);
}

async fn a_snils_belongs_to_one_child(app: &TestApp) {
    let municipality_id = some_municipality(app).await;
    let family = app.register_family().await;
    let snils = random_snils();
    app.post("/children")
        .token(&family.token)
        .json(&child_request(&snils.to_string(), municipality_id))
        .send()
        .await
        .assert_status(StatusCode::CREATED);
    // The same number, however written, by the same family or another one.
    app.post("/children")
        .token(&family.token)
        .json(&child_request(snils.digits(), municipality_id))
        .send()
        .await
        .problem(StatusCode::CONFLICT, "snils_taken");
    let other = app.register_family().await;
    app.post("/children")
        .token(&other.token)
        .json(&child_request(&snils.to_string(), municipality_id))
        .send()
        .await
        .problem(StatusCode::CONFLICT, "snils_taken");
    assert_eq!(children_of(app, &family).await.len(), 1);
    assert_eq!(children_of(app, &other).await, vec![]);
}

async fn an_online_certificate_waits_for_the_operator_of_its_municipality(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let child = app.add_child(&family, town.municipality.id).await;

    let pending = app.request_certificate(&family, &child).await;
    assert_eq!(pending.status, CertificateStatus::Pending);
    assert_eq!(pending.child_id, child.id);
    assert_eq!(pending.municipality_id, town.municipality.id);
    assert!(
        pending
            .number
            .starts_with(&format!("55-{}-", app.today.year())),
        "{}",
        pending.number
    );
    // The fixture's children are born on a first of month: no 29 February to round.
    let eighteenth = child
        .birth_date
        .with_year(child.birth_date.year() + 18)
        .expect("an 18th birthday");
    assert_eq!(pending.valid_until, eighteenth - Days::new(1));
    assert_eq!(
        (pending.balance, pending.reserved, pending.spent),
        (Money::ZERO, Money::ZERO, Money::ZERO)
    );
    assert_eq!((pending.activated_at, pending.period.clone()), (None, None));

    // One certificate per child, ever.
    app.post(&format!("/children/{}/certificate", child.id))
        .token(&family.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "certificate_exists");

    // Not usable until the documents are checked.
    app.post("/applications")
        .token(&family.token)
        .json(&CreateApplicationRequest {
            child_id: child.id,
            group_id: town.budget_group.id,
            on_behalf: None,
        })
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "certificate_not_usable");

    let activate = |token: &str| {
        app.post(&format!("/certificates/{}/activate", pending.id))
            .token(token)
            .json(&CertificateDecision {
                reason: "документы проверены".into(),
            })
    };
    // Another municipality's operator does not even see it; a family may never activate.
    let elsewhere = app.demo_login(Role::MunicipalOperator).await;
    activate(&elsewhere)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/certificates/{}", pending.id))
        .token(&elsewhere)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    activate(&family.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    activate(&town.staff.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    app.post(&format!("/certificates/{}/activate", pending.id))
        .token(&town.operator.token)
        .json(&json!({"reason": ""}))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    let active: Certificate = activate(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(active.status, CertificateStatus::Accounting);
    assert!(active.activated_at.is_some());
    assert_eq!(
        (active.id, active.number.as_str()),
        (pending.id, pending.number.as_str())
    );
    activate(&town.operator.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "certificate_transition_not_allowed");

    // The family sees it on the child, in its list and with its history.
    assert_eq!(app.certificate(&family, active.id).await, active);
    let child_now: Child = app
        .get(&format!("/children/{}", child.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(child_now.certificate, Some(active.clone()));
    let mine: Page<Certificate> = app
        .get("/certificates")
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(mine.items, vec![active.clone()]);
    let pending_only: Page<Certificate> = app
        .get("/certificates?status=pending")
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(pending_only.items, vec![]);
    let history: CertificateHistory = app
        .get(&format!("/certificates/{}/history", active.id))
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(history.certificate, active);
    let steps: Vec<_> = history
        .events
        .iter()
        .map(|e| (e.from_status, e.to_status, e.actor_role))
        .collect();
    assert_eq!(
        steps,
        [
            (None, CertificateStatus::Pending, Role::Family),
            (
                Some(CertificateStatus::Pending),
                CertificateStatus::Accounting,
                Role::MunicipalOperator
            ),
        ]
    );
    assert_eq!(history.events[1].reason, "документы проверены");
    assert_eq!(history.entries, vec![], "no money has moved");

    // The operator of the municipality lists it; a stranger family does not see it.
    let listed: Page<Certificate> = app
        .get("/certificates?limit=100")
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(listed.items, vec![active.clone()]);
    let stranger = app.register_family().await;
    app.get(&format!("/certificates/{}/history", active.id))
        .token(&stranger.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
}

async fn a_certificate_issued_at_the_desk_is_usable_at_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let child = app.add_child(&family, town.municipality.id).await;
    let certificate: Certificate = app
        .post(&format!("/children/{}/certificate", child.id))
        .token(&town.staff.token)
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(certificate.status, CertificateStatus::Accounting);
    assert!(certificate.activated_at.is_some());
    assert_eq!(app.certificate(&family, certificate.id).await, certificate);
    app.post(&format!("/children/{}/certificate", child.id))
        .token(&family.token)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "certificate_exists");
    app.post("/applications")
        .token(&family.token)
        .json(&CreateApplicationRequest {
            child_id: child.id,
            group_id: town.budget_group.id,
            on_behalf: None,
        })
        .send()
        .await
        .assert_status(StatusCode::CREATED);
}
