//! The family's account: the children, each child's certificate with its money, adding a child
//! and asking for a certificate.

use chrono::NaiveDate;
use leptos::prelude::*;
use navigator_api_types::{
    Certificate, CertificateStatus, Child, CreateChildRequest, Municipality,
};
use navigator_domain::snils::SnilsError;
use navigator_domain::Snils;
use uuid::Uuid;

use crate::api::{self, ApiError};
use crate::app::set_title;
use crate::format::{date, money};
use crate::forms::{Alert, MunicipalitySelect, TextField};
use crate::i18n::{self, t, Key};
use crate::session::use_session;

type Municipalities = LocalResource<Result<Vec<Municipality>, ApiError>>;

#[component]
pub fn AccountPage() -> impl IntoView {
    set_title(t(Key::AccountTitle));
    let session = use_session();
    move || {
        if session.is_signed_in() {
            view! { <FamilyAccount/> }.into_any()
        } else {
            let why = if session.has_expired() {
                t(Key::SessionExpired)
            } else {
                t(Key::SignInToSeeAccount)
            };
            view! {
                <section class="page-narrow card">
                    <h1>{t(Key::AccountTitle)}</h1>
                    <p>{why}</p>
                    <p class="actions">
                        <a class="button" href="/login">{t(Key::SignIn)}</a>
                        <a class="button secondary" href="/register">{t(Key::Register)}</a>
                    </p>
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn FamilyAccount() -> impl IntoView {
    let session = use_session();
    let children = LocalResource::new(move || api::children(session));
    let municipalities: Municipalities = LocalResource::new(api::municipalities);
    let reload = Callback::new(move |()| children.refetch());

    view! {
        <h1>{t(Key::AccountTitle)}</h1>
        <div class="account">
            <section class="children" aria-labelledby="children-title">
                <h2 id="children-title">{t(Key::MyChildren)}</h2>
                {move || match children.get() {
                    None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="status">{t(Key::NoChildren)}</p> }.into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            <ul class="child-list">
                                {list
                                    .into_iter()
                                    .map(|child| view! { <ChildCard child municipalities on_change=reload/> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
            </section>
            <AddChildForm municipalities on_added=reload/>
        </div>
    }
}

#[component]
fn ChildCard(
    child: Child,
    municipalities: Municipalities,
    on_change: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let municipality_id = child.municipality_id;
    let municipality_name = move || {
        municipalities
            .get()
            .and_then(Result::ok)
            .and_then(|all| all.into_iter().find(|m| m.id == municipality_id))
            .map(|m| m.name)
    };
    let name = [
        Some(&child.last_name),
        Some(&child.first_name),
        child.middle_name.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(" ");
    let heading_id = format!("child-{}", child.id);
    let labelled_by = heading_id.clone();

    let request = Action::new_local(move |child_id: &Uuid| {
        let child_id = *child_id;
        async move {
            api::request_certificate(session, child_id).await?;
            on_change.run(());
            Ok::<(), ApiError>(())
        }
    });
    let pending = request.pending();
    let child_id = child.id;
    let certificate = match child.certificate {
        Some(certificate) => view! { <CertificateView certificate/> }.into_any(),
        None => view! {
            <div class="certificate certificate-none">
                <p>{t(Key::NoCertificate)}</p>
                {move || {
                    request
                        .value()
                        .get()
                        .and_then(Result::err)
                        .map(|e| view! { <Alert message=e.message()/> })
                }}
                <button
                    type="button"
                    class="button"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        request.dispatch(child_id);
                    }
                >
                    {move || if pending.get() { t(Key::Requesting) } else { t(Key::RequestCertificate) }}
                </button>
            </div>
        }
            .into_any(),
    };

    view! {
        <li class="card child-card" aria-labelledby=labelled_by>
            <h3 id=heading_id>{name}</h3>
            <dl class="facts-inline">
                <div><dt>{t(Key::BirthDate)}</dt><dd>{date(child.birth_date)}</dd></div>
                <div><dt>{t(Key::Snils)}</dt><dd>{child.snils}</dd></div>
                <div><dt>{t(Key::Municipality)}</dt><dd>{municipality_name}</dd></div>
            </dl>
            {certificate}
        </li>
    }
}

#[component]
fn CertificateView(certificate: Certificate) -> impl IntoView {
    let status_class = format!("certificate-status status-{}", certificate.status.as_str());
    // Named after the child: every child's certificate is a region of the page of its own.
    let label = format!("{}: {}", t(Key::Certificate), certificate.child_name);
    view! {
        <section class="certificate" aria-label=label>
            <p class=status_class>{i18n::certificate_status(certificate.status)}</p>
            <dl class="facts-inline">
                <div><dt>{t(Key::CertificateNumber)}</dt><dd class="mono">{certificate.number}</dd></div>
                <div><dt>{t(Key::ValidUntil)}</dt><dd>{date(certificate.valid_until)}</dd></div>
            </dl>
            <dl class="money">
                <div><dt>{t(Key::Balance)}</dt><dd>{money(certificate.balance)}</dd></div>
                <div><dt>{t(Key::Reserved)}</dt><dd>{money(certificate.reserved)}</dd></div>
                <div><dt>{t(Key::Spent)}</dt><dd>{money(certificate.spent)}</dd></div>
            </dl>
            {(certificate.status == CertificateStatus::Pending)
                .then(|| view! { <p class="hint">{t(Key::PendingHint)}</p> })}
        </section>
    }
}

/// What the form found wrong before asking the server.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LocalProblem {
    BirthDate,
    Snils(SnilsError),
}

#[component]
fn AddChildForm(municipalities: Municipalities, on_added: Callback<()>) -> impl IntoView {
    let session = use_session();
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let middle_name = RwSignal::new(String::new());
    let birth_date = RwSignal::new(String::new());
    let snils = RwSignal::new(String::new());
    // A family usually registers children where it lives.
    let municipality = RwSignal::new(
        untrack(|| session.user())
            .and_then(|u| u.municipality_id)
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let local_problem = RwSignal::new(None::<LocalProblem>);
    let added = RwSignal::new(false);

    let submit = Action::new_local(move |request: &CreateChildRequest| {
        let request = request.clone();
        async move {
            api::add_child(session, &request).await?;
            for field in [last_name, first_name, middle_name, birth_date, snils] {
                field.set(String::new());
            }
            added.set(true);
            on_added.run(());
            Ok::<(), ApiError>(())
        }
    });
    let pending = submit.pending();
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let field_error = move |field: &'static str| {
        Signal::derive(move || error.get().and_then(|e| e.field_message(field)))
    };
    let snils_error = Signal::derive(move || match local_problem.get() {
        Some(LocalProblem::Snils(SnilsError::Format)) => Some(t(Key::ErrSnilsFormat)),
        Some(LocalProblem::Snils(SnilsError::Checksum)) => Some(t(Key::ErrSnilsChecksum)),
        _ => error.get().and_then(|e| e.field_message("snils")),
    });
    let birth_date_error = Signal::derive(move || match local_problem.get() {
        Some(LocalProblem::BirthDate) => Some(t(Key::ErrRequired)),
        _ => error.get().and_then(|e| e.field_message("birth_date")),
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        added.set(false);
        let Ok(born) = birth_date.get_untracked().parse::<NaiveDate>() else {
            local_problem.set(Some(LocalProblem::BirthDate));
            return;
        };
        // The checksum is checked here too, so that a typo is caught before the round trip.
        let entered_snils = snils.get_untracked();
        if let Err(e) = Snils::parse(&entered_snils) {
            local_problem.set(Some(LocalProblem::Snils(e)));
            return;
        }
        let Ok(municipality_id) = Uuid::parse_str(&municipality.get_untracked()) else {
            // The select is `required`: the browser stops an empty choice before this.
            return;
        };
        local_problem.set(None);
        let middle = middle_name.get_untracked().trim().to_owned();
        submit.dispatch(CreateChildRequest {
            first_name: first_name.get_untracked().trim().to_owned(),
            last_name: last_name.get_untracked().trim().to_owned(),
            middle_name: (!middle.is_empty()).then_some(middle),
            birth_date: born,
            snils: entered_snils.trim().to_owned(),
            municipality_id,
        });
    };

    view! {
        <section class="card add-child" aria-labelledby="add-child-title">
            <h2 id="add-child-title">{t(Key::AddChild)}</h2>
            {move || error.get().map(|e| view! { <Alert message=e.message()/> })}
            {move || added.get().then(|| view! { <p class="notice" role="status">{t(Key::ChildAdded)}</p> })}
            <form on:submit=on_submit aria-busy=move || pending.get().then_some("true")>
                <TextField
                    id="last_name"
                    label=t(Key::LastName)
                    autocomplete="off"
                    required=true
                    maxlength=100
                    value=last_name
                    error=field_error("last_name")
                />
                <TextField
                    id="first_name"
                    label=t(Key::FirstName)
                    autocomplete="off"
                    required=true
                    maxlength=100
                    value=first_name
                    error=field_error("first_name")
                />
                <TextField
                    id="middle_name"
                    label=t(Key::MiddleName)
                    autocomplete="off"
                    maxlength=100
                    value=middle_name
                    error=field_error("middle_name")
                />
                <TextField
                    id="birth_date"
                    label=t(Key::BirthDate)
                    kind="date"
                    required=true
                    value=birth_date
                    error=birth_date_error
                />
                <TextField
                    id="snils"
                    label=t(Key::Snils)
                    hint=t(Key::SnilsHint)
                    inputmode="numeric"
                    autocomplete="off"
                    required=true
                    maxlength=14
                    value=snils
                    error=snils_error
                />
                <MunicipalitySelect
                    id="child_municipality_id"
                    label=t(Key::Municipality)
                    empty_label=t(Key::NotChosen)
                    value=municipality
                    municipalities
                    required=true
                    error=field_error("municipality_id")
                />
                <button type="submit" class="button wide" disabled=move || pending.get()>
                    {move || if pending.get() { t(Key::Adding) } else { t(Key::AddChild) }}
                </button>
            </form>
        </section>
    }
}
