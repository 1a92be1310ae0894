//! The server's background work on the outbox: the dispatcher that emails notifications through
//! the [`Mailer`] port, and the sweep that expires waitlist offers past their time (passing each
//! seat to the next in line). Both are functions a caller runs once (tests, the CLI) and that
//! [`spawn`] runs periodically in the server.
//!
//! Delivery is at least once: a letter handed to the mailer is marked sent right after, so a crash
//! between the two sends it again on the next round. One server runs the dispatcher; several
//! would each send the same unsent notifications.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use navigator_domain::notification;
use navigator_store::{ExpiredOffers, OutgoingNotification, Store, StoreError};

use crate::mail::{Email, Mailer};

/// Notifications taken per round of the dispatcher, and offers per round of the sweep.
pub const BATCH: u32 = 100;

/// A notification as a letter: the rendered text and where to read more.
pub fn letter(outgoing: &OutgoingNotification) -> Email {
    let rendered = notification::render(outgoing.kind, &outgoing.params, outgoing.audience);
    Email {
        to: outgoing.email.clone(),
        subject: rendered.subject,
        body: format!(
            "{}\n\nПодробности — в личном кабинете навигатора дополнительного образования.",
            rendered.text
        ),
    }
}

/// Emails every notification not yet sent, in batches of `batch`, marking each sent once the
/// mailer took it. Stops at the first letter the mailer refuses, leaving the rest for the next
/// round. Returns how many were sent.
pub async fn dispatch_notifications(
    store: &dyn Store,
    mailer: &dyn Mailer,
    batch: u32,
) -> Result<u64, StoreError> {
    let mut sent = 0;
    loop {
        let pending = store.unsent_notifications(batch).await?;
        let full = pending.len() >= batch as usize;
        for outgoing in &pending {
            if let Err(error) = mailer.send(letter(outgoing)).await {
                tracing::warn!(%error, notification = %outgoing.id, "a notification's letter was not sent; retrying on the next round");
                return Ok(sent);
            }
            store.mark_emailed(outgoing.id, Utc::now()).await?;
            sent += 1;
        }
        if !full {
            return Ok(sent);
        }
    }
}

/// Expires every offer past its time at `now`, in batches, passing each seat on.
pub async fn expire_offers(
    store: &dyn Store,
    now: DateTime<Utc>,
    batch: u32,
) -> Result<ExpiredOffers, StoreError> {
    let mut total = ExpiredOffers::default();
    loop {
        let round = store.expire_offers(now, batch).await?;
        total.expired += round.expired;
        total.offered += round.offered;
        if round.expired < u64::from(batch) {
            return Ok(total);
        }
    }
}

/// Runs the sweep, then the dispatcher, every `interval` until the runtime stops. Failures are
/// logged and retried on the next tick.
pub fn spawn(store: Arc<dyn Store>, mailer: Arc<dyn Mailer>, interval: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match expire_offers(store.as_ref(), Utc::now(), BATCH).await {
                Ok(done) if done.expired > 0 => {
                    tracing::info!(
                        expired = done.expired,
                        offered = done.offered,
                        "waitlist offers expired"
                    )
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "the sweep of waitlist offers failed"),
            }
            if let Err(error) = dispatch_notifications(store.as_ref(), mailer.as_ref(), BATCH).await
            {
                tracing::error!(%error, "the notification dispatcher failed");
            }
        }
    });
}
