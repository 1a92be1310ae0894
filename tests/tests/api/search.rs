//! The catalog's sort orders and facet counts, over the demo catalog.

use navigator_api_types::{
    Application, CreateReviewRequest, Direction, Funding, Page, Program, ProgramFacets,
    ProgramSummary,
};
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(
    sorting_by_price_pages_through_every_program_in_order,
    facets_count_each_choice_under_the_other_filters,
    the_best_rated_program_comes_first,
);

async fn all_pages(app: &TestApp, query: &str) -> Vec<ProgramSummary> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/programs?{query}&limit=7&cursor={c}"),
            None => format!("/programs?{query}&limit=7"),
        };
        let page: Page<ProgramSummary> = app.get(&path).send().await.ok(StatusCode::OK);
        items.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break items,
        }
    }
}

async fn sorting_by_price_pages_through_every_program_in_order(app: &TestApp) {
    let by_title = all_pages(app, "sort=title").await;
    let ascending = all_pages(app, "sort=price_asc").await;
    let descending = all_pages(app, "sort=price_desc").await;
    assert!(
        by_title.len() > 20,
        "the demo catalog has dozens of programs"
    );
    assert_eq!(
        ascending.len(),
        by_title.len(),
        "no program lost or repeated"
    );
    assert_eq!(descending.len(), by_title.len());
    assert!(ascending
        .windows(2)
        .all(|w| w[0].price_per_month <= w[1].price_per_month));
    assert!(descending
        .windows(2)
        .all(|w| w[0].price_per_month >= w[1].price_per_month));
    let mut ids: Vec<_> = ascending.iter().map(|p| p.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), by_title.len());
}

async fn facets_count_each_choice_under_the_other_filters(app: &TestApp) {
    let all = all_pages(app, "sort=title").await;
    let facets: ProgramFacets = app.get("/programs/facets").send().await.ok(StatusCode::OK);
    assert_eq!(facets.total, all.len() as i64);
    for f in &facets.directions {
        let expected = all.iter().filter(|p| p.direction == f.value).count() as i64;
        assert_eq!(f.count, expected, "{:?}", f.value);
    }
    assert_eq!(
        facets.adapted_for_disabilities,
        all.iter().filter(|p| p.adapted_for_disabilities).count() as i64
    );
    // Choosing a direction narrows the other dimensions but not the directions themselves.
    let sports: ProgramFacets = app
        .get("/programs/facets?direction=sports")
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(sports.directions, facets.directions);
    let sports_programs: Vec<_> = all
        .iter()
        .filter(|p| p.direction == Direction::Sports)
        .collect();
    assert_eq!(sports.total, sports_programs.len() as i64);
    for f in &sports.fundings {
        let expected = sports_programs
            .iter()
            .filter(|p| p.funding == f.value)
            .count() as i64;
        assert_eq!(f.count, expected);
    }
    let free: i64 = sports
        .fundings
        .iter()
        .filter(|f| f.value == Funding::Budget)
        .map(|f| f.count)
        .sum();
    assert!(free <= sports.total);
}

async fn the_best_rated_program_comes_first(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    for rating in [5, 4] {
        let family = app.register_family().await;
        let (child, _) = app.certified_child(&family, &town).await;
        let application: Application = apply(app, &family, child.id, town.group.id)
            .await
            .ok(StatusCode::CREATED);
        decide(app, &town.staff.token, application.id, "accept")
            .await
            .assert_status(StatusCode::OK);
        app.post(&format!("/programs/{}/reviews", town.program.id))
            .token(&family.token)
            .json(&CreateReviewRequest {
                child_id: child.id,
                rating,
                text: "Ребёнку нравится".into(),
            })
            .send()
            .await
            .assert_status(StatusCode::CREATED);
    }
    let program: Program = app
        .get(&format!("/programs/{}", town.program.id))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(program.rating.as_deref(), Some("4.5"));
    assert_eq!(program.reviews_count, 2);
    let ranked = all_pages(app, "sort=rating_desc").await;
    assert_eq!(ranked.len(), all_pages(app, "sort=title").await.len());
    assert_eq!(ranked[0].id, town.program.id);
    assert_eq!(ranked[0].rating.as_deref(), Some("4.5"));
    assert!(ranked[1..].iter().all(|p| p.rating.is_none()));
}
