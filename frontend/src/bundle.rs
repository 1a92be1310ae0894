//! The app is built four times, so that each visitor downloads only the pages of their role:
//!
//! - the public bundle (no feature): the catalog, programs, sign-in, the letters' links, the
//!   notifications and the family's account; what most visitors download;
//! - the provider bundle (cargo feature `provider`): the pages under `/provider/` (applications,
//!   enrollments, invoices, the program registry, the desk);
//! - the operator bundle (cargo feature `operator`): the operators' daily work under `/operator/`
//!   (certificates, invoices, periods, moderation, the desk);
//! - the oversight bundle (cargo feature `oversight`): the operators' other pages,
//!   `/operator/providers`, `/operator/files`, `/operator/dashboard` and `/operator/audit` (the
//!   registry of providers, the registry files, the dashboard, the audit log). The operators'
//!   pages together do not fit in one bundle under the 400 KB budget (BENCHMARKS.md, "The SPA").
//!
//! `index.html` chooses the bundle from the address, by the same rule as [`of_path`]. A move
//! within the app to a page of another bundle (a staff member's sign-in, a link in the header,
//! signing out) ends at the router's fallback, [`Elsewhere`], which loads the page again so that
//! `index.html` starts the right bundle.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{t, Key};
use crate::pages::NotFound;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    Public,
    Provider,
    Operator,
    Oversight,
}

#[cfg(any(
    all(feature = "provider", feature = "operator"),
    all(feature = "provider", feature = "oversight"),
    all(feature = "operator", feature = "oversight"),
))]
compile_error!("`provider`, `operator` and `oversight` each make one bundle: enable one at most");

/// The bundle this build is.
#[cfg(feature = "provider")]
pub const THIS: Bundle = Bundle::Provider;
#[cfg(feature = "operator")]
pub const THIS: Bundle = Bundle::Operator;
#[cfg(feature = "oversight")]
pub const THIS: Bundle = Bundle::Oversight;
#[cfg(not(any(feature = "provider", feature = "operator", feature = "oversight")))]
pub const THIS: Bundle = Bundle::Public;

/// The bundle `index.html` loads for the address `path`. Keep in step with its script.
pub fn of_path(path: &str) -> Bundle {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if under("/provider") {
        Bundle::Provider
    } else if [
        "/operator/providers",
        "/operator/files",
        "/operator/dashboard",
        "/operator/audit",
    ]
    .into_iter()
    .any(under)
    {
        Bundle::Oversight
    } else if under("/operator") {
        Bundle::Operator
    } else {
        Bundle::Public
    }
}

/// The router's fallback: an address this bundle has no page for. The page of another bundle is
/// loaded from the server, which starts that bundle; an address of this bundle that is no page is
/// not found. Only a move within the app gets here for another bundle's page: a page opened
/// directly starts in the right bundle.
#[component]
pub fn Elsewhere() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if of_path(&path) == THIS {
        return view! { <NotFound/> }.into_any();
    }
    let url = full_url(
        &path,
        &location.search.get_untracked(),
        &location.hash.get_untracked(),
    );
    // After the router's own work: it draws the page before it records the new address in the
    // history, so a reload here would load the page the visitor is leaving. `replace` then takes
    // the place of the entry the router added.
    set_timeout(
        move || {
            if let Some(window) = web_sys::window() {
                // A failed load leaves the message up; the address is right for a manual one.
                let _ = window.location().replace(&url);
            }
        },
        Duration::ZERO,
    );
    view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any()
}

/// The address of the router's location (`use_location`): `search` comes without its `?`, `hash`
/// with or without its `#`.
pub fn full_url(path: &str, search: &str, hash: &str) -> String {
    let mut url = path.to_owned();
    if !search.is_empty() {
        url.push('?');
        url.push_str(search);
    }
    if !hash.is_empty() {
        if !hash.starts_with('#') {
            url.push('#');
        }
        url.push_str(hash);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_choose_the_bundle_as_index_html_does() {
        assert_eq!(of_path("/provider/applications"), Bundle::Provider);
        assert_eq!(of_path("/provider"), Bundle::Provider);
        assert_eq!(of_path("/operator/programs/1"), Bundle::Operator);
        assert_eq!(of_path("/operator/desk"), Bundle::Operator);
        assert_eq!(of_path("/operator"), Bundle::Operator);
        assert_eq!(of_path("/operator/providers"), Bundle::Oversight);
        assert_eq!(of_path("/operator/providers/7"), Bundle::Oversight);
        assert_eq!(of_path("/operator/files"), Bundle::Oversight);
        assert_eq!(of_path("/operator/dashboard"), Bundle::Oversight);
        assert_eq!(of_path("/operator/audit"), Bundle::Oversight);
        assert_eq!(of_path("/operator/auditors"), Bundle::Operator);
        assert_eq!(of_path("/operators"), Bundle::Public);
        assert_eq!(of_path("/providers/x"), Bundle::Public);
        assert_eq!(of_path("/"), Bundle::Public);
        assert_eq!(of_path("/account"), Bundle::Public);
        assert_eq!(of_path("/programs/provider/x"), Bundle::Public);
    }

    #[test]
    fn the_address_keeps_its_query_and_fragment() {
        assert_eq!(full_url("/login", "", ""), "/login");
        assert_eq!(
            full_url("/login", "next=%2Fprovider%2Fdesk", ""),
            "/login?next=%2Fprovider%2Fdesk"
        );
        assert_eq!(full_url("/invitation", "", "#abc"), "/invitation#abc");
        assert_eq!(full_url("/invitation", "a=1", "abc"), "/invitation?a=1#abc");
    }
}
