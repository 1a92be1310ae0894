//! Sign-in and registration of a family.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use navigator_api_types::{LoginRequest, RegisterRequest, Role};
use uuid::Uuid;

use crate::access::{home_of, safe_next};
use crate::api::{self, ApiError};
use crate::app::set_title;
use crate::format::query_string;
use crate::forms::{Alert, MunicipalitySelect, TextField};
use crate::i18n::{t, Key};
use crate::session::use_session;

/// The page that sent the visitor to sign in (`?next=`), to return to afterwards.
fn next_page() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| safe_next(query.read().get("next")))
}

/// Back to the page that asked for the sign-in, with history replaced so that Back does not
/// return to the form.
fn replace_with(page: &str) -> (String, NavigateOptions) {
    (
        page.to_owned(),
        NavigateOptions {
            replace: true,
            ..NavigateOptions::default()
        },
    )
}

/// The message of a failed submission, for the top of the form: the field-level details of a
/// validation failure are shown next to their fields, so the summary just points there.
fn summary(error: &ApiError) -> &'static str {
    match error {
        ApiError::Http {
            problem: Some(p), ..
        } if !p.errors.is_empty() => t(Key::FormHasErrors),
        _ => error.message(),
    }
}

/// `page` keeping the page to return to.
fn with_next(page: &str, next: Option<String>) -> String {
    format!(
        "{page}{}",
        query_string([("next", next.unwrap_or_default())])
    )
}

#[component]
pub fn LoginPage() -> impl IntoView {
    set_title(t(Key::LoginTitle));
    let session = use_session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let next = next_page();
    let submit = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            let tokens = api::login(&request).await?;
            let home = home_of(tokens.user.role);
            session.sign_in(tokens);
            let (page, options) =
                replace_with(&next.get_untracked().unwrap_or_else(|| home.to_owned()));
            navigate(&page, options);
            Ok::<(), ApiError>(())
        }
    });
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let field_error = move |field: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.field_message(field)))
    };
    let pending = submit.pending();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        submit.dispatch(LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        });
    };

    view! {
        <section class="page-narrow card">
            <h1>{t(Key::LoginTitle)}</h1>
            {move || {
                (session.has_expired() && error.get().is_none())
                    .then(|| view! { <p class="notice" role="status">{t(Key::SessionExpired)}</p> })
            }}
            {move || error.get().map(|e| view! { <Alert message=summary(&e)/> })}
            <form on:submit=on_submit aria-busy=move || pending.get().then_some("true")>
                <TextField
                    id="email"
                    label=t(Key::Email)
                    kind="email"
                    autocomplete="username"
                    required=true
                    maxlength=254
                    value=email
                    error=field_error("email")
                />
                <TextField
                    id="password"
                    label=t(Key::Password)
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    maxlength=128
                    value=password
                    error=field_error("password")
                />
                <button type="submit" class="button wide" disabled=move || pending.get()>
                    {move || if pending.get() { t(Key::SigningIn) } else { t(Key::SignIn) }}
                </button>
            </form>
            <p class="switch">
                {t(Key::NoAccountYet)}" "
                <a href=move || with_next("/register", next.get())>{t(Key::Register)}</a>
            </p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    set_title(t(Key::RegisterTitle));
    let session = use_session();
    let navigate = use_navigate();
    let full_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let municipalities = LocalResource::new(api::municipalities);

    let next = next_page();
    let submit = Action::new_local(move |request: &RegisterRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            let tokens = api::register(&request).await?;
            session.sign_in(tokens);
            let (page, options) = replace_with(
                &next
                    .get_untracked()
                    .unwrap_or_else(|| home_of(Role::Family).to_owned()),
            );
            navigate(&page, options);
            Ok::<(), ApiError>(())
        }
    });
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let field_error = move |field: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.field_message(field)))
    };
    let pending = submit.pending();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        submit.dispatch(RegisterRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            full_name: full_name.get_untracked().trim().to_owned(),
            municipality_id: Uuid::parse_str(&municipality.get_untracked()).ok(),
        });
    };

    view! {
        <section class="page-narrow card">
            <h1>{t(Key::RegisterTitle)}</h1>
            {move || error.get().map(|e| view! { <Alert message=summary(&e)/> })}
            <form on:submit=on_submit aria-busy=move || pending.get().then_some("true")>
                <TextField
                    id="full_name"
                    label=t(Key::FullName)
                    autocomplete="name"
                    required=true
                    minlength=2
                    maxlength=200
                    value=full_name
                    error=field_error("full_name")
                />
                <TextField
                    id="email"
                    label=t(Key::Email)
                    kind="email"
                    autocomplete="email"
                    required=true
                    maxlength=254
                    value=email
                    error=field_error("email")
                />
                <TextField
                    id="password"
                    label=t(Key::Password)
                    kind="password"
                    autocomplete="new-password"
                    hint=t(Key::PasswordHint)
                    required=true
                    minlength=10
                    maxlength=128
                    value=password
                    error=field_error("password")
                />
                <MunicipalitySelect
                    id="municipality_id"
                    label=t(Key::ResidenceMunicipality)
                    empty_label=t(Key::NotChosen)
                    value=municipality
                    municipalities
                    error=field_error("municipality_id")
                />
                <button type="submit" class="button wide" disabled=move || pending.get()>
                    {move || if pending.get() { t(Key::Registering) } else { t(Key::CreateAccount) }}
                </button>
            </form>
            <p class="switch">
                {t(Key::HaveAccount)}" "
                <a href=move || with_next("/login", next.get())>{t(Key::SignIn)}</a>
            </p>
        </section>
    }
}
