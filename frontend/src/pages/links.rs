//! The pages of the links letters carry: `/invitation#<token>` (provider staff invited by an
//! operator set their password and are signed in) and `/activate#<token>` (a family registered
//! at the desk sets its password, then signs in). The token is in the fragment, which browsers
//! never send to a server, so it stays out of access logs and `Referer` headers.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use navigator_api_types::{AcceptInvitationRequest, ActivateFamilyRequest};

use crate::access::home_of;
use crate::api::{self, ApiError};
use crate::app::set_title;
use crate::forms::{Alert, TextField};
use crate::i18n::{t, Key};
use crate::session::use_session;

/// Which letter the link came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Invitation,
    Activation,
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    view! { <SetPassword link=Link::Invitation/> }
}

#[component]
pub fn ActivationPage() -> impl IntoView {
    view! { <SetPassword link=Link::Activation/> }
}

/// The token of the link: the fragment without its `#`, `None` when the link came cut.
fn token_of(fragment: &str) -> Option<String> {
    let token = fragment.trim_start_matches('#').trim();
    (!token.is_empty()).then(|| token.to_owned())
}

#[component]
fn SetPassword(link: Link) -> impl IntoView {
    let (title, lead) = match link {
        Link::Invitation => (Key::InvitationTitle, Key::InvitationLead),
        Link::Activation => (Key::ActivationTitle, Key::ActivationLead),
    };
    set_title(t(title));
    let session = use_session();
    let navigate = use_navigate();
    let token = window()
        .location()
        .hash()
        .ok()
        .and_then(|fragment| token_of(&fragment));
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let differ = RwSignal::new(false);
    let submit = Action::new_local(move |(token, password): &(String, String)| {
        let (token, password) = (token.clone(), password.clone());
        let navigate = navigate.clone();
        async move {
            match link {
                Link::Invitation => {
                    let tokens =
                        api::accept_invitation(&AcceptInvitationRequest { token, password })
                            .await?;
                    let home = home_of(tokens.user.role);
                    session.sign_in(tokens);
                    navigate(home, Default::default());
                }
                Link::Activation => {
                    api::activate_family(&ActivateFamilyRequest { token, password }).await?;
                }
            }
            Ok::<(), ApiError>(())
        }
    });
    let pending = submit.pending();
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let password_error =
        Signal::derive(move || error.get().and_then(|e| e.field_message("password")));
    let repeat_error = Signal::derive(move || differ.get().then(|| t(Key::PasswordsDiffer)));
    let done = move || matches!(submit.value().get(), Some(Ok(())));
    let token = StoredValue::new(token);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mismatch = password.get_untracked() != repeat.get_untracked();
        differ.set(mismatch);
        if mismatch || pending.get_untracked() {
            return;
        }
        if let Some(token) = token.get_value() {
            submit.dispatch((token, password.get_untracked()));
        }
    };
    view! {
        <section class="page-narrow card">
            <h1>{t(title)}</h1>
            {move || match (token.get_value(), done()) {
                (None, _) => view! { <Alert message=t(Key::LinkWithoutToken)/> }.into_any(),
                (Some(_), true) => view! {
                    <p class="success" role="status">{t(Key::PasswordSet)}</p>
                    <p class="actions"><a class="button" href="/login">{t(Key::SignIn)}</a></p>
                }
                .into_any(),
                (Some(_), false) => view! {
                    <p>{t(lead)}</p>
                    {move || error.get().map(|e| view! { <Alert message=e.message()/> })}
                    <form on:submit=on_submit aria-busy=move || pending.get().then_some("true")>
                        <TextField
                            id="new-password"
                            label=t(Key::NewPassword)
                            kind="password"
                            autocomplete="new-password"
                            required=true
                            minlength=10
                            maxlength=128
                            value=password
                            error=password_error
                        />
                        <TextField
                            id="repeat-password"
                            label=t(Key::RepeatPassword)
                            kind="password"
                            autocomplete="new-password"
                            required=true
                            maxlength=128
                            value=repeat
                            error=repeat_error
                        />
                        <button type="submit" class="button wide" disabled=move || pending.get()>
                            {t(Key::SetPassword)}
                        </button>
                    </form>
                }
                .into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_the_fragment_without_its_mark() {
        assert_eq!(token_of("#abc-123"), Some("abc-123".to_owned()));
        assert_eq!(token_of("#"), None);
        assert_eq!(token_of(""), None);
    }
}
