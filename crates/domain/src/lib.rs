//! The domain of the navigator: the rules of personalized financing of children's additional
//! education, as pure functions and values. Nothing here touches a clock, a database or the network;
//! callers pass in "today" and the facts they loaded, and store what comes back.

pub mod application;
pub mod certificate;
pub mod error;
pub mod geo;
pub mod import;
pub mod invoice;
pub mod ledger;
pub mod money;
pub mod notification;
#[cfg(feature = "openapi")]
mod openapi;
pub mod period;
pub mod person;
pub mod program;
pub mod provider;
pub mod quote;
pub mod search;
pub mod snils;
pub mod statistics;
pub mod waitlist;

pub use error::Refusal;
pub use money::Money;
pub use period::{Month, Period};
pub use snils::Snils;
