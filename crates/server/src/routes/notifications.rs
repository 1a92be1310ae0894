//! The signed-in user's notifications: every change of their applications, waitlist offers and
//! certificates, newest first; the same texts are emailed by the dispatcher.

use actix_web::web;
use chrono::Utc;
use navigator_api_types::{Notification, NotificationPage, NotificationsRead, Problem};
use navigator_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{page_request, ApiResult};
use crate::auth::CurrentActor;
use crate::openapi::{MalformedRequest, NotFound, Unauthorized};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Page size, 1 to 100; 20 when absent.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List my notifications
///
/// The signed-in user's own notifications, newest first, with the count of unread ones. Each
/// carries its kind, the object it is about, the parameters and the Russian text rendered from
/// them for this reader.
#[utoipa::path(
    get,
    path = "/api/v1/notifications",
    tag = "notifications",
    security(("bearer" = [])),
    params(NotificationQuery),
    responses(
        (status = 200, description = "A page of notifications", body = NotificationPage),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 422, description = "`validation_failed`: `limit` out of 1 to 100 or a bad \
            `cursor`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_notifications(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    query: web::Query<NotificationQuery>,
) -> ApiResult<web::Json<NotificationPage>> {
    let query = query.into_inner();
    let page = page_request(query.limit, query.cursor)?;
    Ok(web::Json(store.list_notifications(&actor, &page).await?))
}

/// Mark a notification read
///
/// Marking one already read changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/notifications/{id}/read",
    tag = "notifications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The notification")),
    responses(
        (status = 200, description = "The notification, read", body = Notification),
        (status = 400, response = MalformedRequest),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    ),
)]
pub async fn read_notification(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Notification>> {
    Ok(web::Json(
        store
            .read_notification(&actor, id.into_inner(), Utc::now())
            .await?,
    ))
}

/// Mark all my notifications read
#[utoipa::path(
    post,
    path = "/api/v1/notifications/read-all",
    tag = "notifications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How many were marked", body = NotificationsRead),
        (status = 401, response = Unauthorized),
    ),
)]
pub async fn read_all_notifications(
    store: web::Data<dyn Store>,
    CurrentActor(actor): CurrentActor,
) -> ApiResult<web::Json<NotificationsRead>> {
    Ok(web::Json(
        store.read_all_notifications(&actor, Utc::now()).await?,
    ))
}
