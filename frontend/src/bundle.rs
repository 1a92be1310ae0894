//! The app is built twice: the public bundle (the catalog, programs, sign-in, the family's
//! account) that most visitors download, and the staff bundle with every page, the providers'
//! and operators' work included (cargo feature `staff`). `index.html` loads the staff bundle for
//! addresses under `/provider/` and `/operator/`, the public one for the rest. So a guest on a
//! phone does not download the registry, the moderation queue or the dashboard.

use leptos::prelude::*;

use crate::i18n::{t, Key};

/// Stands in the public bundle for each staff page. The router has already put the page's
/// address in the location bar; loading it again lets `index.html` choose the staff bundle. Only
/// a move within the app gets here (a staff member's sign-in, a link in the header): a page
/// opened directly starts in the right bundle.
#[component]
pub fn LoadStaffBundle() -> impl IntoView {
    if let Some(window) = web_sys::window() {
        // A failed reload leaves the message up; the address is right for a manual one.
        let _ = window.location().reload();
    }
    view! { <p class="status" role="status">{t(Key::Loading)}</p> }
}
