//! The registry of providers over HTTP: registration by operators with every rule of the entry
//! checked, changes with `If-Match` by operators and the provider's own staff, the history.

use navigator_api_types::{Problem, Provider, ProviderDraft, ProviderEvent, ProviderUpdate, Role};
use navigator_tests::world::{random_inn, TownSpec};
use navigator_tests::{StatusCode, TestApp};
use uuid::Uuid;

navigator_tests::on_both_backends!(
    operators_register_providers_and_every_rule_is_checked,
    staff_and_operators_change_entries_with_if_match_and_history,
);

fn draft(municipality_id: Uuid, inn: &str) -> ProviderDraft {
    ProviderDraft {
        municipality_id,
        name: "Центр детского творчества «Радуга»".into(),
        legal_form: "МАУ ДО".into(),
        inn: inn.into(),
        address: "г. Омск, ул. Ленина, д. 5".into(),
        phone: "+7 (3812) 20-30-40".into(),
        email: "raduga@cdt.example".into(),
        licence: "Л035-01298-55/00300001".into(),
        licence_issued_on: chrono::NaiveDate::from_ymd_opt(2019, 4, 12),
        latitude: Some(54.99),
        longitude: Some(73.36),
    }
}

fn etag_of(response: &navigator_tests::ApiResponse) -> String {
    response
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("an ETag")
}

fn fields(problem: &Problem) -> Vec<(&str, &str)> {
    problem
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect()
}

async fn operators_register_providers_and_every_rule_is_checked(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let operator = &town.operator.token;
    let inn = random_inn();

    let response = app
        .post("/providers")
        .token(operator)
        .json(&draft(town.municipality.id, &inn))
        .send()
        .await;
    let etag = etag_of(&response);
    let provider: Provider = response.ok(StatusCode::CREATED);
    assert_eq!(etag, "\"v1\"");
    assert_eq!((provider.inn.as_str(), provider.version), (inn.as_str(), 1));
    assert_eq!(provider.latitude, Some(54.99));
    let listed: Vec<Provider> = app
        .get(&format!(
            "/providers?municipality_id={}",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(listed.iter().any(|p| p.id == provider.id));

    // The ИНН is the registry's key.
    app.post("/providers")
        .token(operator)
        .json(&draft(town.municipality.id, &inn))
        .send()
        .await
        .problem(StatusCode::CONFLICT, "inn_taken");

    // A wrong check digit, a sole trader's ИНН of ten digits, and every other broken field at once.
    let mut wrong = draft(town.municipality.id, &inn);
    let last = inn.chars().last().and_then(|c| c.to_digit(10)).unwrap_or(0);
    wrong.inn = format!("{}{}", &inn[..9], (last + 1) % 10);
    let problem = app
        .post("/providers")
        .token(operator)
        .json(&wrong)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(fields(&problem), [("inn", "inn_checksum")]);
    let broken = ProviderDraft {
        legal_form: "ИП".into(),
        phone: "20-30-40".into(),
        email: "raduga".into(),
        licence: "лицензия есть".into(),
        latitude: Some(95.0),
        ..draft(town.municipality.id, &random_inn())
    };
    let problem = app
        .post("/providers")
        .token(operator)
        .json(&broken)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        fields(&problem),
        [
            ("inn", "inn_length"),
            ("phone", "phone_format"),
            ("email", "email_invalid"),
            ("licence", "licence_format"),
            ("latitude", "range"),
        ]
    );

    // Only operators register, a municipal one in its own municipality.
    let omsk = app
        .store()
        .list_municipalities()
        .await
        .expect("municipalities")
        .into_iter()
        .find(|m| m.name.contains("Омск"))
        .expect("the demo city");
    app.post("/providers")
        .token(operator)
        .json(&draft(omsk.id, &random_inn()))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "other_municipality");
    for token in [&town.staff.token, &app.register_family().await.token] {
        app.post("/providers")
            .token(token)
            .json(&draft(town.municipality.id, &random_inn()))
            .send()
            .await
            .problem(StatusCode::FORBIDDEN, "forbidden");
    }
    let regional = app.demo_login(Role::RegionalOperator).await;
    let elsewhere: Provider = app
        .post("/providers")
        .token(&regional)
        .json(&draft(omsk.id, &random_inn()))
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(elsewhere.municipality_id, omsk.id);
}

async fn staff_and_operators_change_entries_with_if_match_and_history(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let path = format!("/providers/{}", town.provider.id);
    let etag = etag_of(&app.get(&path).send().await);
    let current: Provider = app.get(&path).send().await.ok(StatusCode::OK);
    let mut entry = ProviderDraft {
        municipality_id: current.municipality_id,
        name: current.name.clone(),
        legal_form: current.legal_form.clone(),
        inn: current.inn.clone(),
        address: current.address.clone(),
        phone: current.phone.clone(),
        email: current.email.clone(),
        licence: current.licence.clone(),
        licence_issued_on: current.licence_issued_on,
        latitude: current.latitude,
        longitude: current.longitude,
    };
    let update = |provider: &ProviderDraft, reason: &str| ProviderUpdate {
        provider: provider.clone(),
        reason: reason.into(),
    };

    entry.phone = "+7 (3812) 99-88-77".into();
    entry.latitude = Some(55.0);
    entry.longitude = Some(73.4);
    let staff = &town.staff.token;
    app.request(reqwest::Method::PUT, &path)
        .token(staff)
        .json(&update(&entry, "новый телефон"))
        .send()
        .await
        .problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
    let response = app
        .request(reqwest::Method::PUT, &path)
        .token(staff)
        .header("If-Match", etag.clone())
        .json(&update(&entry, "новый телефон"))
        .send()
        .await;
    let new_etag = etag_of(&response);
    let changed: Provider = response.ok(StatusCode::OK);
    assert_eq!(changed.phone, "+7 (3812) 99-88-77");
    assert_eq!(changed.version, current.version + 1);
    assert_eq!(new_etag, format!("\"v{}\"", changed.version));

    // The read ETag is stale now.
    app.request(reqwest::Method::PUT, &path)
        .token(staff)
        .header("If-Match", etag)
        .json(&update(&entry, "ещё раз"))
        .send()
        .await
        .problem(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    // Staff do not rename their organisation or change its ИНН.
    let mut renamed = entry.clone();
    renamed.name = "Совсем другое название".into();
    renamed.inn = random_inn();
    let problem = app
        .request(reqwest::Method::PUT, &path)
        .token(staff)
        .header("If-Match", new_etag.clone())
        .json(&update(&renamed, "переименование"))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        fields(&problem),
        [("name", "not_editable"), ("inn", "not_editable")]
    );
    // Others' staff do not see the entry to change it.
    app.request(reqwest::Method::PUT, &path)
        .token(&town.rival_staff.token)
        .header("If-Match", new_etag.clone())
        .json(&update(&entry, "чужое"))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    // The operator renames.
    let mut renamed = entry.clone();
    renamed.name = "МБУ ДО «Дворец творчества»".into();
    let by_operator: Provider = app
        .request(reqwest::Method::PUT, &path)
        .token(&town.operator.token)
        .header("If-Match", new_etag)
        .json(&update(&renamed, "решение учредителя"))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(by_operator.name, "МБУ ДО «Дворец творчества»");
    // A provider with programs stays in its municipality, even for the regional operator.
    let regional = app.demo_login(Role::RegionalOperator).await;
    let mut moved = renamed.clone();
    moved.municipality_id = app
        .store()
        .list_municipalities()
        .await
        .expect("municipalities")
        .into_iter()
        .find(|m| m.id != town.municipality.id)
        .expect("another municipality")
        .id;
    let problem = app
        .request(reqwest::Method::PUT, &path)
        .token(&regional)
        .header("If-Match", format!("\"v{}\"", by_operator.version))
        .json(&update(&moved, "переезд"))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        fields(&problem),
        [("municipality_id", "provider_has_programs")]
    );

    let events: Vec<ProviderEvent> = app
        .get(&format!("{path}/events"))
        .token(staff)
        .send()
        .await
        .ok(StatusCode::OK);
    let summary: Vec<(&str, &str, Vec<&str>)> = events
        .iter()
        .map(|e| {
            (
                e.action.as_str(),
                e.reason.as_str(),
                e.changes.iter().map(|c| c.field.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(summary.len(), 3, "{summary:?}");
    assert_eq!(summary[0].0, "create");
    assert_eq!(
        summary[1],
        (
            "update",
            "новый телефон",
            vec!["phone", "latitude", "longitude"]
        )
    );
    assert_eq!(summary[2], ("update", "решение учредителя", vec!["name"]));
    assert_eq!(events[1].actor_id, town.staff.user.id);
    assert_eq!(events[1].actor_role, Role::ProviderStaff);
    assert_eq!(
        events[1].changes[0].to.as_deref(),
        Some("+7 (3812) 99-88-77")
    );
    app.get(&format!("{path}/events"))
        .token(&town.rival_staff.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("{path}/events"))
        .token(&app.register_family().await.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
}
