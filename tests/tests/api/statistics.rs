//! Public statistics: coverage counts the children with a certificate in force and with an
//! enrollment, spending counts approved invoices, demand counts applications; operators enter the
//! population that coverage is a share of.

use chrono::Datelike;
use navigator_api_types::{
    Application, ApplicationsPerDay, AttendanceMark, Coverage, CreateInvoiceRequest, Invoice,
    Month, MostWanted, Population, SetPopulationRequest, Spending,
};
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(
    coverage_is_a_share_of_the_population_the_operator_enters,
    spending_and_demand_follow_invoices_and_applications,
);

fn coverage_path(municipality: uuid::Uuid, month: Month) -> String {
    format!("/municipalities/{municipality}/statistics/coverage?from={month}&to={month}")
}

async fn coverage_is_a_share_of_the_population_the_operator_enters(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let other_town = app.arrange_town(TownSpec::default()).await;
    let month = Month::of(app.today);
    let path = coverage_path(town.municipality.id, month);

    // Nobody yet, and no population: counts are published, shares are not.
    let coverage: Coverage = app.get(&path).send().await.ok(StatusCode::OK);
    let [first] = coverage.months.as_slice() else {
        panic!("one month asked, {} answered", coverage.months.len());
    };
    assert_eq!((first.certificate_holders, first.enrolled_children), (0, 0));
    assert_eq!(first.children_5_18, None);
    assert_eq!(first.certificate_coverage, None);
    assert_eq!(first.by_direction.len(), 6);

    // The population is entered by the town's operator; a family, another town's operator and a
    // bad figure change nothing.
    let population_path = format!(
        "/municipalities/{}/populations/{}",
        town.municipality.id,
        app.today.year()
    );
    let put = |token: &str, children: u64| {
        app.request(reqwest::Method::PUT, &population_path)
            .token(token)
            .json(&SetPopulationRequest {
                children_5_18: children,
            })
    };
    let family = app.register_family().await;
    put(&family.token, 8)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    put(&other_town.operator.token, 8)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    put(&town.operator.token, 0)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let listed: Vec<Population> = app
        .get(&format!(
            "/municipalities/{}/populations",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(listed.is_empty(), "refused figures were stored: {listed:?}");
    put(&town.operator.token, 10)
        .send()
        .await
        .ok::<Population>(StatusCode::OK);
    let stored: Population = put(&town.operator.token, 8).send().await.ok(StatusCode::OK);
    assert_eq!((stored.year, stored.children_5_18), (app.today.year(), 8));

    // One child enrolled, another with a certificate only.
    let (child, _) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok::<Application>(StatusCode::OK);
    app.certified_child(&family, &town).await;
    // A child elsewhere counts elsewhere.
    app.certified_child(&family, &other_town).await;

    let coverage: Coverage = app.get(&path).send().await.ok(StatusCode::OK);
    let first = &coverage.months[0];
    assert_eq!(first.children_5_18, Some(8));
    assert_eq!((first.certificate_holders, first.enrolled_children), (2, 1));
    assert_eq!(
        first.certificate_coverage.map(|p| p.to_string()).as_deref(),
        Some("25.00")
    );
    assert_eq!(
        first.enrollment_coverage.map(|p| p.to_string()).as_deref(),
        Some("12.50")
    );
    for direction in &first.by_direction {
        let expected = u64::from(direction.direction == town.program.direction);
        assert_eq!(direction.enrolled_children, expected, "{direction:?}");
    }

    // Ranges are bounded, and the municipality must exist.
    app.get(&format!(
        "/municipalities/{}/statistics/coverage?from=2020-01&to=2026-12",
        town.municipality.id
    ))
    .send()
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    app.get(&coverage_path(uuid::Uuid::new_v4(), month))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
}

async fn spending_and_demand_follow_invoices_and_applications(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let month = Month::of(app.today);
    let municipality = town.municipality.id;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;
    let (rejected_child, _) = app.certified_child(&family, &town).await;

    let application: Application = apply(app, &family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok::<Application>(StatusCode::OK);
    let refused: Application = apply(app, &family, rejected_child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    decide(app, &town.staff.token, refused.id, "reject")
        .await
        .ok::<Application>(StatusCode::OK);

    app.post(&format!("/applications/{}/attendance", application.id))
        .token(&town.staff.token)
        .json(&AttendanceMark {
            date: app.today,
            present: true,
        })
        .send()
        .await
        .assert_status(StatusCode::OK);
    let invoice: Invoice = app
        .post("/invoices")
        .token(&town.staff.token)
        .json(&CreateInvoiceRequest {
            application_id: application.id,
            month,
            no_attendance_reason: None,
        })
        .send()
        .await
        .ok(StatusCode::CREATED);

    // An issued invoice is not spending yet.
    let spending_path =
        format!("/municipalities/{municipality}/statistics/spending?from={month}&to={month}");
    let spending: Spending = app.get(&spending_path).send().await.ok(StatusCode::OK);
    assert_eq!(spending.months[0].invoices, 0);
    app.post(&format!("/invoices/{}/approve", invoice.id))
        .token(&town.operator.token)
        .send()
        .await
        .ok::<Invoice>(StatusCode::OK);
    let spending: Spending = app.get(&spending_path).send().await.ok(StatusCode::OK);
    let this_month = &spending.months[0];
    assert_eq!(this_month.invoices, 1);
    assert_eq!(this_month.certificate_amount, invoice.certificate_amount);
    assert_eq!(this_month.family_amount, invoice.family_amount);
    assert_eq!(spending.certificate_amount, invoice.certificate_amount);
    let by_program_direction = this_month
        .by_direction
        .iter()
        .find(|d| d.direction == town.program.direction)
        .map(|d| d.certificate_amount);
    assert_eq!(by_program_direction, Some(invoice.certificate_amount));

    // Demand: two applications to the program, one accepted.
    let wanted: MostWanted = app
        .get(&format!(
            "/municipalities/{municipality}/statistics/most-wanted?days=7"
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    let [top] = wanted.programs.as_slice() else {
        panic!("one program was asked for: {:?}", wanted.programs);
    };
    assert_eq!(top.program_id, town.program.id);
    assert_eq!((top.applications, top.accepted), (2, 1));
    app.get(&format!(
        "/municipalities/{municipality}/statistics/most-wanted?limit=51"
    ))
    .send()
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    // Per day: today holds both applications, one acceptance and one rejection.
    let days: ApplicationsPerDay = app
        .get(&format!(
            "/municipalities/{municipality}/statistics/applications-per-day?to={}",
            app.today
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(days.days.len(), 30);
    let today = days
        .days
        .last()
        .map(|d| (d.date, d.submitted, d.accepted, d.rejected));
    assert_eq!(today, Some((app.today, 2, 1, 1)));
    let earlier: u64 = days.days[..29].iter().map(|d| d.submitted).sum();
    assert_eq!(earlier, 0);
    app.get(&format!(
        "/municipalities/{municipality}/statistics/applications-per-day?from={}&to={}",
        app.today,
        app.today - chrono::Duration::days(1)
    ))
    .send()
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}
