//! The waitlist (лист ожидания) of full groups with expiring offers.
//!
//! A family queues a child for a group with no seat left. When a seat frees (an enrollment ends,
//! an application filed from an offer is rejected or withdrawn, an offer is declined or expires),
//! the same transaction offers it to the first in line: the offer holds the seat (counted in the
//! group's `seats_taken`, so nobody else's acceptance can take it) until it expires. The family
//! takes the offer by filing the application on the held seat, or declines it; an offer past its
//! time is refused at use and passed on by the sweep ([`WaitlistStore::expire_offers`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use navigator_api_types as api;

use crate::{Actor, PageRequest, Result};

/// What one run of the offers' sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpiredOffers {
    /// Offers that ran out.
    pub expired: u64,
    /// Offers made to the next in line in their place.
    pub offered: u64,
}

#[async_trait]
pub trait WaitlistStore: Send + Sync {
    /// The family queues its child for a full group: the checks of applying except seats
    /// (`seats_available` when the group has one), once per child and group (`already_queued`).
    async fn join_waitlist(
        &self,
        actor: &Actor,
        group_id: Uuid,
        child_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::WaitlistEntry>;

    /// A group's live entries in order, for its provider's staff and its operators.
    async fn group_waitlist(&self, actor: &Actor, group_id: Uuid) -> Result<api::GroupWaitlist>;

    /// The family's entries, newest first, with their places and offers.
    async fn family_waitlist(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> Result<api::Page<api::WaitlistEntry>>;

    /// The family leaves the queue; a held seat passes to the next in line.
    async fn leave_waitlist(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::WaitlistEntry>;

    /// The family takes an open offer: the application is filed on the held seat, after the
    /// checks of applying (`offer_expired` once its time is over, even before the sweep).
    async fn accept_offer(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::Application>;

    /// The family declines an offer; the seat passes to the next in line.
    async fn decline_offer(
        &self,
        actor: &Actor,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<api::WaitlistEntry>;

    /// Expires up to `batch_size` offers past their time at `now`, each in its own transaction
    /// with the offer to the next in line; running it again changes nothing.
    async fn expire_offers(&self, now: DateTime<Utc>, batch_size: u32) -> Result<ExpiredOffers>;
}
