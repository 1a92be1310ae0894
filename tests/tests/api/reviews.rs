//! Reviews of programs: a family whose child attends or attended rates the program once per
//! child, the provider answers once, operators hide abusive reviews, and the program's average
//! counts only what is shown, to one decimal rounded half up.

use serde_json::json;
use uuid::Uuid;

use navigator_api_types::{
    Application, CreateReviewRequest, EndReason, EndRequest, Page, Problem, ProgramRating, Review,
    ReviewAnswerRequest, ReviewModeration, ReviewModerationEvent, Role, User,
};
use navigator_tests::world::{Town, TownSpec};
use navigator_tests::{Family, StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(
    a_family_reviews_what_its_child_attends_and_the_provider_answers_once,
    only_a_family_whose_child_attended_reviews_once_per_child,
    only_the_providers_staff_answer_and_only_its_operators_moderate,
    operators_hide_a_review_from_the_list_and_the_average_with_a_record,
    the_average_has_one_decimal_rounded_half_up_and_the_list_pages,
);

/// A new child of `family` in the town, applied to the certified group and accepted.
async fn enrolled_child(app: &TestApp, family: &Family, town: &Town) -> (Uuid, Application) {
    let (child, _) = app.certified_child(family, town).await;
    let application: Application = apply(app, family, child.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    let accepted: Application = decide(app, &town.staff.token, application.id, "accept")
        .await
        .ok(StatusCode::OK);
    (child.id, accepted)
}

fn review_of(child_id: Uuid, rating: u8, text: &str) -> CreateReviewRequest {
    CreateReviewRequest {
        child_id,
        rating,
        text: text.into(),
    }
}

async fn post_review(
    app: &TestApp,
    token: &str,
    program_id: Uuid,
    review: &CreateReviewRequest,
) -> navigator_tests::ApiResponse {
    app.post(&format!("/programs/{program_id}/reviews"))
        .token(token)
        .json(review)
        .send()
        .await
}

async fn write_review(
    app: &TestApp,
    family: &Family,
    program_id: Uuid,
    review: CreateReviewRequest,
) -> Review {
    post_review(app, &family.token, program_id, &review)
        .await
        .ok(StatusCode::CREATED)
}

/// The program's reviews as `token` sees them (a guest without one).
async fn reviews(app: &TestApp, token: Option<&str>, program_id: Uuid) -> Vec<Review> {
    let request = app.get(&format!("/programs/{program_id}/reviews?limit=100"));
    let request = match token {
        Some(token) => request.token(token),
        None => request,
    };
    let page: Page<Review> = request.send().await.ok(StatusCode::OK);
    assert_eq!(page.next_cursor, None);
    page.items
}

async fn rating(app: &TestApp, program_id: Uuid) -> ProgramRating {
    app.get(&format!("/programs/{program_id}/rating"))
        .send()
        .await
        .ok(StatusCode::OK)
}

async fn moderate(
    app: &TestApp,
    token: &str,
    review_id: Uuid,
    hidden: bool,
    reason: &str,
) -> Review {
    app.post(&format!("/reviews/{review_id}/moderation"))
        .token(token)
        .json(&ReviewModeration {
            hidden,
            reason: reason.into(),
        })
        .send()
        .await
        .ok(StatusCode::OK)
}

async fn a_family_reviews_what_its_child_attends_and_the_provider_answers_once(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let program = town.program.id;
    let family = app.register_family().await;
    let (child, _) = enrolled_child(app, &family, &town).await;

    let before = rating(app, program).await;
    assert_eq!((before.average, before.count), (None, 0));

    let review = write_review(
        app,
        &family,
        program,
        review_of(child, 5, "Ребёнок ходит с удовольствием."),
    )
    .await;
    // «Петрова Анна Сергеевна» signs as «Анна П.»; the family sees which child it wrote for.
    assert_eq!(review.author_name, "Анна П.");
    assert_eq!(review.child_id, Some(child));
    assert_eq!((review.program_id, review.rating), (program, 5));
    assert_eq!(review.text, "Ребёнок ходит с удовольствием.");
    assert_eq!((review.provider_answer, review.answered_at), (None, None));
    assert!(!review.hidden);

    // The public sees it without the child; the family sees its own with the child.
    let public = reviews(app, None, program).await;
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].id, review.id);
    assert_eq!(public[0].child_id, None);
    assert_eq!(public[0].author_name, "Анна П.");
    assert_eq!(
        reviews(app, Some(&family.token), program).await[0].child_id,
        Some(child)
    );
    let after = rating(app, program).await;
    assert_eq!((after.average.as_deref(), after.count), (Some("5.0"), 1));

    // The provider answers, once.
    let answer = ReviewAnswerRequest {
        text: "Спасибо! Ждём вас в новом учебном году.".into(),
    };
    let answered: Review = app
        .post(&format!("/reviews/{}/answer", review.id))
        .token(&town.staff.token)
        .json(&answer)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        answered.provider_answer.as_deref(),
        Some(answer.text.as_str())
    );
    assert!(answered.answered_at.is_some());
    assert_eq!(
        answered.child_id, None,
        "the provider is not told the child"
    );
    app.post(&format!("/reviews/{}/answer", review.id))
        .token(&town.staff.token)
        .json(&ReviewAnswerRequest {
            text: "Исправленный ответ".into(),
        })
        .send()
        .await
        .problem(StatusCode::CONFLICT, "review_already_answered");
    let public = reviews(app, None, program).await;
    assert_eq!(public[0].provider_answer, answered.provider_answer);
    assert_eq!(public[0].answered_at, answered.answered_at);

    // A child whose enrollment ended attended the program too, and a rating needs no text.
    let (sibling, enrollment) = enrolled_child(app, &family, &town).await;
    let _: Application = app
        .post(&format!("/applications/{}/end", enrollment.id))
        .token(&family.token)
        .json(&EndRequest {
            end_reason: EndReason::FamilyRequest,
            comment: Some("переезд".into()),
        })
        .send()
        .await
        .ok(StatusCode::OK);
    let rating_only: Review = app
        .post(&format!("/programs/{program}/reviews"))
        .token(&family.token)
        .json(&json!({"child_id": sibling, "rating": 4}))
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!((rating_only.rating, rating_only.text.as_str()), (4, ""));
    let after = rating(app, program).await;
    assert_eq!((after.average.as_deref(), after.count), (Some("4.5"), 2));
    // Newest first.
    let ids: Vec<Uuid> = reviews(app, None, program)
        .await
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, [rating_only.id, review.id]);
}

async fn only_a_family_whose_child_attended_reviews_once_per_child(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let program = town.program.id;
    let family = app.register_family().await;

    // A guest and staff cannot review.
    app.post(&format!("/programs/{program}/reviews"))
        .json(&json!({"child_id": Uuid::new_v4(), "rating": 5}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "unauthorized");
    post_review(
        app,
        &town.staff.token,
        program,
        &review_of(Uuid::new_v4(), 5, ""),
    )
    .await
    .problem(StatusCode::FORBIDDEN, "forbidden");

    // A child with no application, a submitted one, or a rejected one never attended.
    let (never, _) = app.certified_child(&family, &town).await;
    post_review(app, &family.token, program, &review_of(never.id, 5, ""))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "review_not_allowed");
    let (waiting, _) = app.certified_child(&family, &town).await;
    let _: Application = apply(app, &family, waiting.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    post_review(app, &family.token, program, &review_of(waiting.id, 5, ""))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "review_not_allowed");
    let (rejected, _) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, rejected.id, town.group.id)
        .await
        .ok(StatusCode::CREATED);
    let _: Application = decide(app, &town.staff.token, application.id, "reject")
        .await
        .ok(StatusCode::OK);
    post_review(
        app,
        &family.token,
        program,
        &review_of(rejected.id, 1, "Не взяли"),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "review_not_allowed");

    // Attending one program is no ticket to review another of the same provider.
    let (child, _) = enrolled_child(app, &family, &town).await;
    post_review(
        app,
        &family.token,
        town.budget_program.id,
        &review_of(child, 5, ""),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY, "review_not_allowed");

    // Another family's child and an unknown program are not found.
    let stranger = app.register_family().await;
    post_review(app, &stranger.token, program, &review_of(child, 1, ""))
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    post_review(app, &family.token, Uuid::new_v4(), &review_of(child, 5, ""))
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");

    // The rating is 1 to 5 and the text at most 2000 characters.
    for bad in [0, 6] {
        let problem: Problem = post_review(app, &family.token, program, &review_of(child, bad, ""))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(problem.errors[0].field, "rating");
        assert_eq!(problem.errors[0].code, "range");
    }
    let long = "а".repeat(2001);
    let problem = post_review(app, &family.token, program, &review_of(child, 5, &long))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(problem.errors[0].field, "text");
    let longest = "а".repeat(2000);
    write_review(app, &family, program, review_of(child, 5, &longest)).await;

    // Once per child and program.
    post_review(
        app,
        &family.token,
        program,
        &review_of(child, 1, "Передумали"),
    )
    .await
    .problem(StatusCode::CONFLICT, "review_exists");
    // Two first reviews of one child at once: the database lets one in.
    let (twin, _) = enrolled_child(app, &family, &town).await;
    let twice = review_of(twin, 4, "");
    let (one, other) = tokio::join!(
        post_review(app, &family.token, program, &twice),
        post_review(app, &family.token, program, &twice),
    );
    let mut statuses = [one.status, other.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let after = rating(app, program).await;
    assert_eq!((after.average.as_deref(), after.count), (Some("4.5"), 2));
}

async fn only_the_providers_staff_answer_and_only_its_operators_moderate(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, _) = enrolled_child(app, &family, &town).await;
    let review = write_review(
        app,
        &family,
        town.program.id,
        review_of(child, 3, "Нормально"),
    )
    .await;
    let answer = |token: &str| {
        app.post(&format!("/reviews/{}/answer", review.id))
            .token(token)
            .json(&ReviewAnswerRequest {
                text: "Благодарим за отзыв".into(),
            })
    };
    answer(&family.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    answer(&town.operator.token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    // Another organisation does not see the review to answer it.
    answer(&town.rival_staff.token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.post(&format!("/reviews/{}/answer", Uuid::new_v4()))
        .token(&town.staff.token)
        .json(&ReviewAnswerRequest {
            text: "Благодарим".into(),
        })
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.post(&format!("/reviews/{}/answer", review.id))
        .token(&town.staff.token)
        .json(&json!({"text": ""}))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    let moderation = |token: &str| {
        app.post(&format!("/reviews/{}/moderation", review.id))
            .token(token)
            .json(&ReviewModeration {
                hidden: true,
                reason: "Оскорбления".into(),
            })
    };
    for token in [&family.token, &town.staff.token] {
        moderation(token)
            .send()
            .await
            .problem(StatusCode::FORBIDDEN, "forbidden");
        app.get(&format!("/reviews/{}/moderation", review.id))
            .token(token)
            .send()
            .await
            .problem(StatusCode::FORBIDDEN, "forbidden");
    }
    // The operator of another municipality does not moderate this one's programs.
    let elsewhere = app.demo_login(Role::MunicipalOperator).await;
    moderation(&elsewhere)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/reviews/{}/moderation", review.id))
        .token(&elsewhere)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.post(&format!("/reviews/{}/moderation", review.id))
        .token(&town.operator.token)
        .json(&json!({"hidden": true, "reason": ""}))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    // Nothing of it changed the review.
    let public = reviews(app, None, town.program.id).await;
    assert_eq!(public.len(), 1);
    assert!(!public[0].hidden);
    assert_eq!(public[0].provider_answer, None);
}

async fn operators_hide_a_review_from_the_list_and_the_average_with_a_record(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let program = town.program.id;
    let family = app.register_family().await;
    let (first, _) = enrolled_child(app, &family, &town).await;
    let kind = write_review(app, &family, program, review_of(first, 5, "Отлично")).await;
    let other_family = app.register_family().await;
    let (second, _) = enrolled_child(app, &other_family, &town).await;
    let abusive = write_review(
        app,
        &other_family,
        program,
        review_of(second, 2, "Грубые слова"),
    )
    .await;
    let both = rating(app, program).await;
    assert_eq!((both.average.as_deref(), both.count), (Some("3.5"), 2));

    let hidden = moderate(
        app,
        &town.operator.token,
        abusive.id,
        true,
        "Оскорбительные выражения",
    )
    .await;
    assert!(hidden.hidden);

    // Gone from the public list and the average.
    let public: Vec<Uuid> = reviews(app, None, program)
        .await
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(public, [kind.id]);
    let shown = rating(app, program).await;
    assert_eq!((shown.average.as_deref(), shown.count), (Some("5.0"), 1));
    // The provider and other families see what the public sees.
    for token in [&town.staff.token, &family.token] {
        let ids: Vec<Uuid> = reviews(app, Some(token), program)
            .await
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, [kind.id]);
    }
    // The family that wrote it sees it hidden; the operators see both.
    let own = reviews(app, Some(&other_family.token), program).await;
    assert_eq!(own.len(), 2);
    assert!(own.iter().any(|r| r.id == abusive.id && r.hidden));
    let regional = app.demo_login(Role::RegionalOperator).await;
    for token in [&town.operator.token, &regional] {
        let all = reviews(app, Some(token), program).await;
        assert_eq!(all.len(), 2);
        assert!(all.iter().all(|r| r.child_id.is_none()));
    }

    // The regional operator shows it again; each decision is on record.
    let restored = moderate(app, &regional, abusive.id, false, "Автор исправил текст").await;
    assert!(!restored.hidden);
    let again = rating(app, program).await;
    assert_eq!((again.average.as_deref(), again.count), (Some("3.5"), 2));
    let history: Vec<ReviewModerationEvent> = app
        .get(&format!("/reviews/{}/moderation", abusive.id))
        .token(&town.operator.token)
        .send()
        .await
        .ok(StatusCode::OK);
    let decisions: Vec<(bool, &str, Role, Uuid)> = history
        .iter()
        .map(|e| {
            (
                e.hidden,
                e.reason.as_str(),
                e.moderator_role,
                e.moderator_id,
            )
        })
        .collect();
    let regional_user: User = app
        .get("/me")
        .token(&regional)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        decisions,
        [
            (
                true,
                "Оскорбительные выражения",
                Role::MunicipalOperator,
                town.operator.user.id
            ),
            (
                false,
                "Автор исправил текст",
                Role::RegionalOperator,
                regional_user.id
            ),
        ]
    );
    assert!(history[0].at <= history[1].at);
    let untouched: Vec<ReviewModerationEvent> = app
        .get(&format!("/reviews/{}/moderation", kind.id))
        .token(&regional)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(untouched, []);
}

async fn the_average_has_one_decimal_rounded_half_up_and_the_list_pages(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let program = town.program.id;
    let family = app.register_family().await;
    let mut written = Vec::new();
    for stars in [5, 4, 4, 4] {
        let (child, _) = enrolled_child(app, &family, &town).await;
        written.push(write_review(app, &family, program, review_of(child, stars, "")).await);
    }
    // 17 / 4 = 4.25: half up gives 4.3 (half to even would give 4.2).
    let four = rating(app, program).await;
    assert_eq!((four.average.as_deref(), four.count), (Some("4.3"), 4));
    // Without one of the fours, 13 / 3 = 4.333… is 4.3; without the five, 12 / 3 is 4.0.
    moderate(app, &town.operator.token, written[1].id, true, "Дубль").await;
    let three = rating(app, program).await;
    assert_eq!((three.average.as_deref(), three.count), (Some("4.3"), 3));
    moderate(app, &town.operator.token, written[1].id, false, "Не дубль").await;
    moderate(app, &town.operator.token, written[0].id, true, "Реклама").await;
    let fours = rating(app, program).await;
    assert_eq!((fours.average.as_deref(), fours.count), (Some("4.0"), 3));

    // Pages of two, newest first, with the hidden one left out for the public.
    let first: Page<Review> = app
        .get(&format!("/programs/{program}/reviews?limit=2"))
        .send()
        .await
        .ok(StatusCode::OK);
    let cursor = first.next_cursor.clone().expect("a second page");
    let second: Page<Review> = app
        .get(&format!(
            "/programs/{program}/reviews?limit=2&cursor={cursor}"
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(second.next_cursor, None);
    let listed: Vec<Uuid> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|r| r.id)
        .collect();
    let expected: Vec<Uuid> = written.iter().skip(1).rev().map(|r| r.id).collect();
    assert_eq!(listed, expected);
    app.get(&format!("/programs/{program}/reviews?cursor=nonsense"))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    app.get(&format!("/programs/{}/reviews", Uuid::new_v4()))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/programs/{}/rating", Uuid::new_v4()))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
}
