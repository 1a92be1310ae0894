//! The pages, one module per route.

use leptos::prelude::*;

use crate::app::set_title;
use crate::i18n::{t, Key};

pub mod account;
#[cfg(feature = "staff")]
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod certificate;
#[cfg(feature = "staff")]
pub mod dashboard;
#[cfg(feature = "staff")]
pub mod desk;
pub mod enrollment;
#[cfg(feature = "staff")]
pub mod files;
#[cfg(feature = "staff")]
pub mod invoice;
pub mod links;
pub mod notifications;
#[cfg(feature = "staff")]
pub mod operator;
pub mod program;
#[cfg(feature = "staff")]
pub mod provider;
#[cfg(feature = "staff")]
pub mod providers;
#[cfg(feature = "staff")]
pub mod registry;
pub mod reviews;
pub mod waitlist;

#[component]
pub fn NotFound() -> impl IntoView {
    set_title(t(Key::NotFoundTitle));
    view! {
        <section class="page-narrow card">
            <h1>{t(Key::NotFoundTitle)}</h1>
            <p>{t(Key::NotFoundText)}</p>
            <p class="actions"><a class="button" href="/catalog">{t(Key::ToCatalog)}</a></p>
        </section>
    }
}
