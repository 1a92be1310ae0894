//! The public catalog: municipalities, periods, providers, programs; filters, search and pages.

use std::collections::HashSet;

use uuid::Uuid;

use navigator_api_types::{
    Direction, FinancingPeriod, Funding, Money, Municipality, Page, Program, ProgramSummary,
    Provider,
};
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(
    every_filter_of_the_demo_catalog_holds_for_every_card,
    filters_and_search_find_exactly_the_matching_programs,
    search_finds_other_forms_of_a_russian_word,
    pages_follow_the_cursor_without_gaps_or_repeats,
    a_program_shows_its_groups_and_seats,
    registries_list_municipalities_periods_and_providers,
);

async fn programs(app: &TestApp, query: &str) -> Vec<ProgramSummary> {
    let page: Page<ProgramSummary> = app
        .get(&format!("/programs?limit=100&{query}"))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(page.next_cursor, None, "{query}: more than a page");
    page.items
}

async fn every_filter_of_the_demo_catalog_holds_for_every_card(app: &TestApp) {
    for direction in Direction::ALL {
        let found = programs(app, &format!("direction={}", direction.as_str())).await;
        assert!(
            !found.is_empty(),
            "the demo catalog has {direction:?} programs"
        );
        assert!(found.iter().all(|p| p.direction == *direction));
    }

    let found = programs(app, "age=8").await;
    assert!(!found.is_empty());
    assert!(found.iter().all(|p| p.age_from <= 8 && 8 <= p.age_to));

    let budget = programs(app, "funding=budget").await;
    assert!(!budget.is_empty());
    assert!(budget
        .iter()
        .all(|p| p.funding == Funding::Budget && p.price_per_month == Money::ZERO));
    let certified = programs(app, "funding=certificate").await;
    assert!(!certified.is_empty());
    assert!(certified
        .iter()
        .all(|p| p.funding == Funding::Certificate && p.price_per_month.is_positive()));
    let all = programs(app, "").await;
    assert_eq!(all.len(), budget.len() + certified.len());

    let limit = Money::from_roubles(2_000);
    let cheap = programs(app, "price_max=2000.00").await;
    assert!(cheap.iter().all(|p| p.price_per_month <= limit));
    assert!(cheap.len() < all.len() || all.iter().all(|p| p.price_per_month <= limit));

    let adapted = programs(app, "adapted_for_disabilities=true").await;
    assert!(adapted.iter().all(|p| p.adapted_for_disabilities));
    let with_seats = programs(app, "free_seats=true").await;
    assert!(with_seats.iter().all(|p| p.seats_left > 0));

    let combined = programs(app, "direction=arts&funding=certificate&age=10").await;
    assert!(combined.iter().all(|p| p.direction == Direction::Arts
        && p.funding == Funding::Certificate
        && p.age_from <= 10
        && 10 <= p.age_to));
}

async fn filters_and_search_find_exactly_the_matching_programs(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let here = format!("municipality_id={}", town.municipality.id);
    let ids = |found: Vec<ProgramSummary>| found.into_iter().map(|p| p.id).collect::<Vec<_>>();
    let chess = town.program.id;
    let ecology = town.budget_program.id;

    let mut both = ids(programs(app, &here).await);
    both.sort();
    let mut expected = vec![chess, ecology];
    expected.sort();
    assert_eq!(both, expected);

    let cases = [
        ("direction=social_humanitarian", vec![chess]),
        ("direction=natural_science", vec![ecology]),
        ("direction=sports", vec![]),
        ("funding=certificate", vec![chess]),
        ("funding=budget", vec![ecology]),
        ("age=5", vec![]),
        ("age=15", vec![]),
        ("price_max=1333.32", vec![ecology]),
        ("q=эколог", vec![ecology]),
        ("q=ГАМБИТ", vec![chess]),
        ("q=футбол", vec![]),
        ("q=шахматный&funding=budget", vec![]),
        (&format!("provider_id={}", town.rival_provider.id), vec![]),
    ];
    for (filter, expected) in cases {
        assert_eq!(
            ids(programs(app, &format!("{here}&{filter}")).await),
            expected,
            "{filter}"
        );
    }
    let mut of_age = ids(programs(app, &format!("{here}&age=14&price_max=1333.33")).await);
    of_age.sort();
    let mut expected = vec![chess, ecology];
    expected.sort();
    assert_eq!(of_age, expected, "age and price bounds are inclusive");
}

async fn search_finds_other_forms_of_a_russian_word(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    for q in ["шахматы", "Шахматный", "шахматами", "клуб"] {
        let found = programs(
            app,
            &format!("municipality_id={}&q={q}", town.municipality.id),
        )
        .await;
        let ids: Vec<Uuid> = found.iter().map(|p| p.id).collect();
        assert_eq!(ids, vec![town.program.id], "q={q}");
    }
}

async fn pages_follow_the_cursor_without_gaps_or_repeats(app: &TestApp) {
    let everything = programs(app, "").await;
    assert!(everything.len() > 5, "the demo catalog fills several pages");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/programs?limit=5&cursor={c}"),
            None => "/programs?limit=5".to_string(),
        };
        let page: Page<ProgramSummary> = app.get(&path).send().await.ok(StatusCode::OK);
        assert!(page.items.len() <= 5);
        seen.extend(page.items.iter().map(|p| p.id));
        match page.next_cursor {
            Some(next) => {
                assert_eq!(page.items.len(), 5, "only the last page is short");
                cursor = Some(next);
            }
            None => break,
        }
        assert!(seen.len() <= everything.len(), "paging does not end");
    }
    let unique: HashSet<Uuid> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "a program came twice");
    let all: HashSet<Uuid> = everything.iter().map(|p| p.id).collect();
    assert_eq!(unique, all);

    for bad in ["limit=0", "limit=101"] {
        let problem = app
            .get(&format!("/programs?{bad}"))
            .send()
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(problem.errors[0].field, "limit");
    }
    app.get("/programs?direction=astrology")
        .send()
        .await
        .problem(StatusCode::BAD_REQUEST, "malformed_request");
}

async fn a_program_shows_its_groups_and_seats(app: &TestApp) {
    let spec = TownSpec::default();
    let town = app.arrange_town(spec.clone()).await;
    let program: Program = app
        .get(&format!("/programs/{}", town.program.id))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(program.title, "Шахматный клуб «Гамбит»");
    assert_eq!(program.provider_id, town.provider.id);
    assert_eq!(program.provider_name, town.provider.name);
    assert_eq!(program.municipality_id, town.municipality.id);
    assert_eq!(program.funding, Funding::Certificate);
    assert_eq!(program.price_per_month, spec.price_per_month);
    assert_eq!(program.groups.len(), 1);
    let group = &program.groups[0];
    assert_eq!(group.id, town.group.id);
    assert_eq!(
        (group.capacity, group.seats_left),
        (spec.capacity, spec.capacity)
    );
    assert_eq!(
        (group.start_date, group.end_date),
        (town.period.start, town.group.end_date)
    );

    let card = programs(
        app,
        &format!("q=Гамбит&municipality_id={}", town.municipality.id),
    )
    .await
    .pop()
    .expect("the card of the program");
    assert_eq!(card.seats_left, spec.capacity);
    assert_eq!(card.provider_name, town.provider.name);

    app.get(&format!("/programs/{}", Uuid::new_v4()))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.get("/programs/not-a-uuid")
        .send()
        .await
        .problem(StatusCode::BAD_REQUEST, "malformed_request");
}

async fn registries_list_municipalities_periods_and_providers(app: &TestApp) {
    let spec = TownSpec::default();
    let town = app.arrange_town(spec.clone()).await;

    let municipalities: Vec<Municipality> =
        app.get("/municipalities").send().await.ok(StatusCode::OK);
    assert!(municipalities.contains(&town.municipality));
    assert!(
        municipalities.len() >= 3,
        "two demo municipalities and the test's"
    );

    let periods: Vec<FinancingPeriod> = app
        .get(&format!("/municipalities/{}/periods", town.municipality.id))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(periods, vec![town.period.clone()]);
    let period = &periods[0];
    assert_eq!(period.nominal, spec.nominal);
    assert_eq!(period.quota, spec.quota);
    assert_eq!(period.budget, spec.budget);
    assert_eq!(period.certificates_financed, 0);
    assert_eq!(period.budget_committed, Money::ZERO);
    assert!(!period.test_mode);

    let providers: Vec<Provider> = app
        .get(&format!(
            "/providers?municipality_id={}",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    let mut ids: Vec<Uuid> = providers.iter().map(|p| p.id).collect();
    ids.sort();
    let mut expected = vec![town.provider.id, town.rival_provider.id];
    expected.sort();
    assert_eq!(ids, expected);

    let provider: Provider = app
        .get(&format!("/providers/{}", town.provider.id))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(provider, town.provider);
    app.get(&format!("/providers/{}", Uuid::new_v4()))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
}
