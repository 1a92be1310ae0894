//! The registry's workflow for programs over HTTP: a provider's draft, edits guarded by
//! `If-Match`, moderation with remarks, publication with the funding decision, groups, archiving.

use chrono::Duration;
use navigator_api_types::{
    Direction, Funding, Group, GroupDraft, Level, Money, Page, Program, ProgramDecision,
    ProgramDraft, ProgramEvent, ProgramStatus, ProgramSummary, PublishRequest, StudyForm,
};
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(a_program_goes_from_a_draft_to_the_catalog);

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
