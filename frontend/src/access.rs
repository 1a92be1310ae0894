//! Who may open which page. The server checks every call anyway; this only spares a visitor a
//! page of errors: a signed-out visitor goes to sign-in and comes back afterwards, a signed-in one
//! without the role is told so.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use leptos_router::NavigateOptions;
use navigator_api_types::Role;

use crate::app::set_title;
use crate::bundle::full_url;
use crate::format::query_string;
use crate::i18n::{t, Key};
use crate::session::use_session;

/// The roles of the operators' pages.
pub const OPERATORS: &[Role] = &[Role::MunicipalOperator, Role::RegionalOperator];

/// Where a user starts after signing in: the page of their everyday work.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Family => "/account",
        Role::ProviderStaff => "/provider/applications",
        Role::MunicipalOperator | Role::RegionalOperator => "/operator/certificates",
    }
}

/// The sign-in page, returning to `next` afterwards.
pub fn sign_in_url(next: &str) -> String {
    format!("/login{}", query_string([("next", next.to_owned())]))
}

/// `next` of the sign-in page when it is a page of this site: an address elsewhere (`//evil.example`,
/// `https://…`) would make the sign-in page a springboard for phishing.
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|path| path.starts_with('/') && !path.starts_with("//") && !path.contains('\\'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    SignedOut,
    Allowed,
    Denied,
}

/// Shows `children` to a user with one of `roles`.
#[component]
pub fn RequireRole(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    // A memo, so that the page is built once and not again at every renewal of the tokens.
    let access = Memo::new(move |_| match session.user() {
        None => Access::SignedOut,
        Some(user) if roles.contains(&user.role) => Access::Allowed,
        Some(_) => Access::Denied,
    });
    move || match access.get() {
        Access::Allowed => children().into_any(),
        Access::SignedOut => {
            // The router's `search` comes without its `?`.
            let here = full_url(
                &location.pathname.get_untracked(),
                &location.search.get_untracked(),
                "",
            );
            let options = NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            };
            view! { <Redirect path=sign_in_url(&here) options/> }.into_any()
        }
        Access::Denied => {
            set_title(t(Key::NoAccessTitle));
            view! {
                <section class="page-narrow card">
                    <h1>{t(Key::NoAccessTitle)}</h1>
                    <p>{t(Key::NoAccessText)}</p>
                    <p class="actions"><a class="button" href="/catalog">{t(Key::ToCatalog)}</a></p>
                </section>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_of_this_site_are_returned_to() {
        let next = |s: &str| safe_next(Some(s.to_owned()));
        assert_eq!(next("/account").as_deref(), Some("/account"));
        assert_eq!(next("/programs/1?x=2").as_deref(), Some("/programs/1?x=2"));
        assert_eq!(next("//evil.example"), None);
        assert_eq!(next("https://evil.example"), None);
        assert_eq!(next("/\\evil.example"), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn the_next_page_survives_the_sign_in_url() {
        assert_eq!(
            sign_in_url("/programs/7?group=3"),
            "/login?next=%2Fprograms%2F7%3Fgroup%3D3"
        );
    }
}
