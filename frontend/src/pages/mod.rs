//! The pages, one module per route.

use leptos::prelude::*;

use crate::app::set_title;
use crate::i18n::{t, Key};

pub mod account;
#[cfg(feature = "oversight")]
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod certificate;
#[cfg(feature = "oversight")]
pub mod dashboard;
#[cfg(any(feature = "provider", feature = "operator"))]
pub mod desk;
pub mod enrollment;
#[cfg(feature = "oversight")]
pub mod files;
#[cfg(any(feature = "provider", feature = "operator"))]
pub mod invoice;
pub mod links;
pub mod notifications;
#[cfg(feature = "operator")]
pub mod operator;
pub mod program;
#[cfg(feature = "provider")]
pub mod provider;
#[cfg(feature = "oversight")]
pub mod providers;
#[cfg(any(feature = "provider", feature = "operator"))]
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
