//! Reviews of programs (оценка программ): families rate the programs their children attend or
//! attended, the provider answers, operators hide abusive reviews.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use navigator_api_types::{
    CreateReviewRequest, Page, Problem, ProgramRating, Review, ReviewAnswerRequest,
    ReviewModeration, ReviewModerationEvent, Role,
};
use navigator_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{page_request, require_role, validated, ApiResult};
use crate::auth::{CurrentActor, OptionalActor};
use crate::openapi::{Forbidden, MalformedRequest, NotFound, Unauthorized};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List a program's reviews
///
/// Newest first. Reviews hidden by an operator are left out, except for the operators who
/// moderate the program (its municipality's and the regional one) and for the family that wrote
/// them, who see them with `hidden: true`. `child_id` is shown to the review's family only.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{id}/reviews",
    tag = "reviews",
    params(("id" = Uuid, Path, description = "The program"), ReviewQuery),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "A page of reviews", body = Page<Review>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 or a bad \
            `cursor`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_program_reviews(
    store: web::Data<dyn Store>,
    OptionalActor(actor): OptionalActor,
    id: web::Path<Uuid>,
    query: web::Query<ReviewQuery>,
) -> ApiResult<web::Json<Page<Review>>> {
    let query = query.into_inner();
    let page = page_request(query.limit, query.cursor)?;
    Ok(web::Json(
        store
            .list_reviews(actor.as_ref(), id.into_inner(), &page)
            .await?,
    ))
}

/// Get a program's rating
///
/// The mean of the ratings of its reviews that are not hidden, with one decimal rounded half up
/// (`"4.5"`), and how many there are.
#[utoipa::path(
    get,
    path = "/api/v1/programs/{id}/rating",
    tag = "reviews",
    params(("id" = Uuid, Path, description = "The program")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The average and the count", body = ProgramRating),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    ),
)]
pub async fn get_program_rating(
    store: web::Data<dyn Store>,
    OptionalActor(actor): OptionalActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<ProgramRating>> {
    Ok(web::Json(
        store
            .program_rating(actor.as_ref(), id.into_inner())
            .await?,
    ))
}

/// Review a program
///
/// A family rates a program from 1 to 5, with a text or without, for a child of theirs who
/// attends or attended it (an accepted, completed or expelled application): once per child and
/// program. The review is signed with the parent's first name and the initial of the surname.
#[utoipa::path(
    post,
    path = "/api/v1/programs/{id}/reviews",
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The program")),
    request_body = CreateReviewRequest,
    responses(
        (status = 201, description = "The review", body = Review),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`review_exists`: the child has reviewed the program",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`review_not_allowed`: the child never attended the \
            program; `validation_failed`: `rating` out of 1 to 5 (`range`), `text` over 2000 \
            characters", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_review(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<CreateReviewRequest>,
) -> ApiResult<HttpResponse> {
    require_role(&actor, &[Role::Family])?;
    let request = validated(body)?;
    let review = store
        .create_review(&actor, id.into_inner(), &request, Utc::now())
        .await?;
    Ok(HttpResponse::Created().json(review))
}

/// Answer a review
///
/// The staff of the program's provider answer a review, once.
#[utoipa::path(
    post,
    path = "/api/v1/reviews/{id}/answer",
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The review")),
    request_body = ReviewAnswerRequest,
    responses(
        (status = 200, description = "The review with its answer", body = Review),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "`review_already_answered`", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `text` empty or over 2000 \
            characters", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn answer_review(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<ReviewAnswerRequest>,
) -> ApiResult<web::Json<Review>> {
    require_role(&actor, &[Role::ProviderStaff])?;
    let request = validated(body)?;
    Ok(web::Json(
        store
            .answer_review(&actor, id.into_inner(), &request.text, Utc::now())
            .await?,
    ))
}

/// Hide or show a review
///
/// An operator of the program's municipality, or the regional operator, hides a review (abusive,
/// personal data…) or shows it again, saying why. A hidden review is not listed publicly and not
/// counted in the program's rating. Every decision is recorded with who, when and why.
#[utoipa::path(
    post,
    path = "/api/v1/reviews/{id}/moderation",
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The review")),
    request_body = ReviewModeration,
    responses(
        (status = 200, description = "The review as it is now", body = Review),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, description = "`validation_failed`: `reason` empty or over 500 \
            characters", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn moderate_review(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
    body: web::Json<ReviewModeration>,
) -> ApiResult<web::Json<Review>> {
    require_role(&actor, &[Role::MunicipalOperator, Role::RegionalOperator])?;
    let request = validated(body)?;
    Ok(web::Json(
        store
            .moderate_review(&actor, id.into_inner(), &request, Utc::now())
            .await?,
    ))
}

/// List a review's moderation
///
/// The operators' decisions on a review, oldest first: who, when, hidden or shown, and why.
#[utoipa::path(
    get,
    path = "/api/v1/reviews/{id}/moderation",
    tag = "reviews",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The review")),
    responses(
        (status = 200, description = "The decisions, oldest first",
            body = Vec<ReviewModerationEvent>),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn list_review_moderation(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Vec<ReviewModerationEvent>>> {
    require_role(&actor, &[Role::MunicipalOperator, Role::RegionalOperator])?;
    Ok(web::Json(
        store
            .review_moderation_history(&actor, id.into_inner())
            .await?,
    ))
}
