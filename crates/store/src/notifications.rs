//! Notifications (уведомления): an outbox written in the same transaction as the change it tells
//! of (an application's status, a waitlist offer, a certificate's status), read in the
//! recipient's account and emailed by the server's dispatcher.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::notification::{Audience, NotificationKind, NotificationParams};

use crate::{Actor, PageRequest, Result};

/// A notification to email: the recipient's address and what the letter is rendered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingNotification {
    pub id: Uuid,
    pub email: String,
    pub audience: Audience,
    pub kind: NotificationKind,
    pub params: NotificationParams,
}

#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// The actor's own notifications, newest first, with the count of unread ones.
    async fn list_notifications(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> Result<api::NotificationPage>;

    /// Marks one of the actor's notifications read (again: no change).
    async fn read_notification(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Notification>;

    /// Marks all the actor's notifications read.
    async fn read_all_notifications(
        &self,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<api::NotificationsRead>;

    /// Up to `limit` notifications not yet emailed, oldest first.
    async fn unsent_notifications(&self, limit: u32) -> Result<Vec<OutgoingNotification>>;

    /// Records that a notification's letter was handed to the mailer.
    async fn mark_emailed(&self, id: Uuid, now: DateTime<Utc>) -> Result<()>;
}

/// Who reads a notification: families get the family's text, everyone else the provider's.
pub(crate) fn audience_of(role: api::Role) -> Audience {
    match role {
        api::Role::Family => Audience::Family,
        api::Role::ProviderStaff | api::Role::MunicipalOperator | api::Role::RegionalOperator => {
            Audience::Provider
        }
    }
}
