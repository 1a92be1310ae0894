//! The registry's workflow for programs over HTTP: a provider's draft, edits guarded by
//! `If-Match`, moderation with remarks, publication with the funding decision, groups, archiving.

use chrono::Duration;
use navigator_api_types::Role;
use navigator_api_types::{
    Direction, Funding, Group, GroupDraft, Level, Money, Page, Program, ProgramDecision,
    ProgramDraft, ProgramEvent, ProgramStatus, ProgramSummary, PublishRequest, StudyForm,
};
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(
    a_program_goes_from_a_draft_to_the_catalog,
    the_moderation_queue_spans_providers_within_reach
);

fn draft(title: &str) -> ProgramDraft {
    ProgramDraft {
        title: title.into(),
        description: "Лепка из глины и роспись для младших школьников".into(),
        direction: Direction::Arts,
        age_from: 7,
        age_to: 11,
        level: Level::Starting,
        form: StudyForm::InPerson,
        funding: Funding::Certificate,
        price_per_month: Money::from_roubles(2_200),
        hours_per_week: 2,
        duration_months: 9,
        medical_certificate_required: false,
        adapted_for_disabilities: true,
        address: "г. Омск, ул. Ленина, 1".into(),
        latitude: None,
        longitude: None,
    }
}

fn reason(text: &str) -> ProgramDecision {
    ProgramDecision {
        reason: text.into(),
    }
}

async fn a_program_goes_from_a_draft_to_the_catalog(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let staff = &town.staff.token;
    let programs = format!("/providers/{}/programs", town.provider.id);

    let response = app
        .post(&programs)
        .token(staff)
        .json(&draft("Керамика"))
        .send()
        .await;
    let etag = response
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("an ETag");
    let program: Program = response.ok(StatusCode::CREATED);
    assert_eq!(program.status, ProgramStatus::Draft);
    assert_eq!(etag, format!("\"v{}\"", program.version));
    // Others' staff and guests do not see drafts.
    app.post(&programs)
        .token(&town.rival_staff.token)
        .json(&draft("Чужая"))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/programs/{}", program.id))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");

    let path = format!("/programs/{}", program.id);
    app.request(reqwest::Method::PUT, &path)
        .token(staff)
        .json(&draft("Керамика и лепка"))
        .send()
        .await
        .problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
    let edited: Program = app
        .request(reqwest::Method::PUT, &path)
        .token(staff)
        .header("If-Match", etag.clone())
        .json(&draft("Керамика и лепка"))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(edited.title, "Керамика и лепка");
    // The old ETag is stale now: nothing changes.
    app.request(reqwest::Method::PUT, &path)
        .token(staff)
        .header("If-Match", etag.clone())
        .json(&draft("Перезапись"))
        .send()
        .await
        .problem(StatusCode::PRECONDITION_FAILED, "precondition_failed");

    app.post(&format!("{path}/submit"))
        .token(staff)
        .json(&reason("готово к проверке"))
        .send()
        .await
        .assert_status(StatusCode::OK);
    app.post(&format!("{path}/publish"))
        .token(staff)
        .json(&PublishRequest {
            funding: Funding::Certificate,
            reason: "сам себе".into(),
        })
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    let returned: Program = app
        .post(&format!("{path}/return"))
        .token(&town.operator.token)
        .json(&reason("укажите кабинет"))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(returned.status, ProgramStatus::Draft);
    assert_eq!(returned.remarks.as_deref(), Some("укажите кабинет"));
    app.post(&format!("{path}/submit"))
        .token(staff)
        .json(&reason("кабинет указан"))
        .send()
        .await
        .assert_status(StatusCode::OK);
    let published: Program = app
        .post(&format!("{path}/publish"))
        .token(&town.operator.token)
        .json(&PublishRequest {
            funding: Funding::Certificate,
            reason: "программа сертифицирована".into(),
        })
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(published.status, ProgramStatus::Published);
    app.post(&format!("{path}/publish"))
        .token(&town.operator.token)
        .json(&PublishRequest {
            funding: Funding::Budget,
            reason: "ещё раз".into(),
        })
        .send()
        .await
        .problem(StatusCode::CONFLICT, "program_transition_not_allowed");

    let group: Group = app
        .post(&format!("{path}/groups"))
        .token(staff)
        .json(&GroupDraft {
            name: "Группа 1".into(),
            start_date: town.group.start_date,
            end_date: town.group.start_date + Duration::days(200),
            schedule: "Вт, Чт 15:00–16:30".into(),
            teacher: "Кузнецова Е. А.".into(),
            capacity: 12,
            open: true,
        })
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(group.seats_left, 12);
    let found: Page<ProgramSummary> = app
        .get(&format!(
            "/programs?q=керамика&municipality_id={}",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].seats_left, 12);

    let archived: Program = app
        .post(&format!("{path}/archive"))
        .token(staff)
        .json(&reason("набор завершён"))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(archived.status, ProgramStatus::Archived);
    assert!(archived.groups.iter().all(|g| !g.open));
    let events: Vec<ProgramEvent> = app
        .get(&format!("{path}/events"))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["create", "update", "submit", "return", "submit", "publish", "archive"]
    );
    let mine: Page<ProgramSummary> = app
        .get(&format!("{programs}?status=archived"))
        .token(staff)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(mine.items.len(), 1);
}

/// Creates a draft of `provider` and sends it to moderation; returns its id.
async fn submitted(app: &TestApp, token: &str, provider: uuid::Uuid, title: &str) -> uuid::Uuid {
    let program: Program = app
        .post(&format!("/providers/{provider}/programs"))
        .token(token)
        .json(&draft(title))
        .send()
        .await
        .ok(StatusCode::CREATED);
    app.post(&format!("/programs/{}/submit", program.id))
        .token(token)
        .json(&reason("готово к проверке"))
        .send()
        .await
        .assert_status(StatusCode::OK);
    program.id
}

fn ids(page: &Page<ProgramSummary>) -> Vec<uuid::Uuid> {
    page.items.iter().map(|p| p.id).collect()
}

async fn the_moderation_queue_spans_providers_within_reach(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let other = app.arrange_town(TownSpec::default()).await;
    // Two providers of the town, the later title first: the queue keeps the order of
    // submission, whoever the provider.
    let first = submitted(
        app,
        &town.rival_staff.token,
        town.rival_provider.id,
        "Шашки",
    )
    .await;
    let second = submitted(app, &town.staff.token, town.provider.id, "Акварель").await;
    let elsewhere = submitted(app, &other.staff.token, other.provider.id, "Вокал").await;
    // A draft is not on moderation.
    app.post(&format!("/providers/{}/programs", town.provider.id))
        .token(&town.staff.token)
        .json(&draft("Черновик"))
        .send()
        .await
        .assert_status(StatusCode::CREATED);

    let queue = "/registry/programs?status=on_moderation";
    let page: Page<ProgramSummary> = app
        .get(&format!("{queue}&limit=1"))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(ids(&page), [first]);
    let cursor = page.next_cursor.expect("a second page");
    let page: Page<ProgramSummary> = app
        .get(&format!("{queue}&limit=1&cursor={cursor}"))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(ids(&page), [second]);
    assert_eq!(page.next_cursor, None);

    // The other municipality's operator sees its own queue only, even when it names this one.
    let theirs: Page<ProgramSummary> = app
        .get(queue)
        .token(&other.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(ids(&theirs), [elsewhere]);
    let named: Page<ProgramSummary> = app
        .get(&format!("{queue}&municipality_id={}", town.municipality.id))
        .token(&other.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(named.items.is_empty());

    // The regional operator: the whole region, or one municipality when it asks.
    let regional = app.demo_login(Role::RegionalOperator).await;
    let region: Page<ProgramSummary> = app
        .get(&format!("{queue}&limit=100"))
        .token(&regional)
        .send()
        .await
        .ok(StatusCode::OK);
    for id in [first, second, elsewhere] {
        assert!(ids(&region).contains(&id), "{id} is on the region's queue");
    }
    let one: Page<ProgramSummary> = app
        .get(&format!("{queue}&municipality_id={}", town.municipality.id))
        .token(&regional)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(ids(&one), [first, second]);

    // Published, a program leaves the queue.
    app.post(&format!("/programs/{first}/publish"))
        .token(&town.operator.token)
        .json(&PublishRequest {
            funding: Funding::Certificate,
            reason: "программа сертифицирована".into(),
        })
        .send()
        .await
        .assert_status(StatusCode::OK);
    let after: Page<ProgramSummary> = app
        .get(queue)
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(ids(&after), [second]);

    // Only operators; a bad page size or cursor is refused.
    app.get(queue)
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "unauthorized");
    app.get(queue)
        .token(&town.staff.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    let family = app.register_family().await;
    app.get(queue)
        .token(&family.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    app.get(&format!("{queue}&limit=0"))
        .token(&town.operator.token)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    app.get(&format!("{queue}&cursor=zz"))
        .token(&town.operator.token)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}
