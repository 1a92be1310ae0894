//! The family's account: the children, each child's certificate with its money, adding a child
//! and asking for a certificate, and the children's applications with what can be done to them.

use chrono::NaiveDate;
use leptos::prelude::*;
use navigator_api_types::{
    Application, ApplicationStatus, Certificate, CertificateStatus, Child, CreateChildRequest,
    EndReason, EndRequest, Municipality, Role,
};
use navigator_domain::snils::SnilsError;
use navigator_domain::Snils;
use uuid::Uuid;

use crate::access::RequireRole;
use crate::api::{self, ApiError};
use crate::app::set_title;
use crate::format::{date, money};
use crate::forms::{Alert, MunicipalitySelect, TextField};
use crate::i18n::{self, t, Key};
use crate::lists::{Pager, StatusBadge};
use crate::pages::enrollment::{application_status_tone, ApplicationMoney};
use crate::pages::waitlist::FamilyWaitlist;
use crate::session::use_session;

/// How many applications a page of the list shows.
const APPLICATIONS_PAGE: u32 = 20;

type Municipalities = LocalResource<Result<Vec<Municipality>, ApiError>>;

#[component]
pub fn AccountPage() -> impl IntoView {
    set_title(t(Key::AccountTitle));
    view! {
        <RequireRole roles=&[Role::Family]>
            <FamilyAccount/>
        </RequireRole>
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
        <FamilyWaitlist on_change=reload/>
        <Applications on_change=reload/>
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
pub fn CertificateView(
    certificate: Certificate,
    /// Off on the history page itself.
    #[prop(default = true)]
    with_history_link: bool,
) -> impl IntoView {
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
            {with_history_link.then(|| view! {
                <p class="more">
                    <a href=format!("/account/certificates/{}", certificate.id)>{t(Key::CertificateHistory)}</a>
                </p>
            })}
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

/// The children's applications, newest first, with what the family can do to each.
#[component]
fn Applications(
    /// Called when an action changed a certificate's money (ending an enrollment releases it).
    on_change: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let cursor = RwSignal::new(None::<String>);
    let applications = LocalResource::new(move || {
        let mut filters = vec![("limit", APPLICATIONS_PAGE.to_string())];
        if let Some(cursor) = cursor.get() {
            filters.push(("cursor", cursor));
        }
        api::applications(session, filters)
    });
    let changed = Callback::new(move |()| {
        applications.refetch();
        on_change.run(());
    });
    view! {
        <section class="applications" id="applications" aria-labelledby="applications-title">
            <h2 id="applications-title">{t(Key::MyApplications)}</h2>
            {move || match applications.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() && cursor.get().is_none() => {
                    view! { <p class="status">{t(Key::NoApplications)}</p> }.into_any()
                }
                Some(Ok(page)) => {
                    view! {
                        <ul class="card-list">
                            {page
                                .items
                                .into_iter()
                                .map(|application| view! { <ApplicationCard application on_change=changed/> })
                                .collect_view()}
                        </ul>
                        <Pager cursor next=page.next_cursor/>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn ApplicationCard(application: Application, on_change: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = application.id;
    let withdraw = Action::new_local(move |(): &()| async move {
        api::withdraw_application(session, id).await?;
        on_change.run(());
        Ok::<(), ApiError>(())
    });
    let end = Action::new_local(move |comment: &String| {
        let request = EndRequest {
            end_reason: EndReason::FamilyRequest,
            comment: (!comment.trim().is_empty()).then(|| comment.trim().to_owned()),
        };
        async move {
            api::end_enrollment(session, id, &request).await?;
            on_change.run(());
            Ok::<(), ApiError>(())
        }
    });
    let error = move || {
        withdraw
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| end.value().get().and_then(Result::err))
    };
    let pending = Signal::derive(move || withdraw.pending().get() || end.pending().get());
    let confirming = RwSignal::new(false);
    let comment = RwSignal::new(String::new());
    let heading_id = format!("application-{id}");
    let labelled_by = heading_id.clone();
    let comment_id = format!("end-comment-{id}");

    let actions = match application.status {
        ApplicationStatus::Submitted => view! {
            <button
                type="button"
                class="button secondary"
                disabled=move || pending.get()
                on:click=move |_| {
                    withdraw.dispatch(());
                }
            >
                {t(Key::Withdraw)}
            </button>
        }
        .into_any(),
        ApplicationStatus::Accepted => view! {
            {move || if confirming.get() {
                let comment_id = comment_id.clone();
                view! {
                    <form
                        class="confirm"
                        on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            end.dispatch(comment.get_untracked());
                        }
                    >
                        <p>{t(Key::EndConfirm)}</p>
                        <div class="field">
                            <label for=comment_id.clone()>{t(Key::EndComment)}</label>
                            <input id=comment_id type="text" maxlength="500" bind:value=comment/>
                        </div>
                        <div class="actions">
                            <button type="submit" class="button danger" disabled=move || pending.get()>
                                {t(Key::EndEnrollment)}
                            </button>
                            <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                                {t(Key::Cancel)}
                            </button>
                        </div>
                    </form>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="button secondary" on:click=move |_| confirming.set(true)>
                        {t(Key::EndEnrollment)}
                    </button>
                }
                .into_any()
            }}
        }
        .into_any(),
        _ => ().into_any(),
    };

    view! {
        <li class="card application-card" aria-labelledby=labelled_by>
            <div class="card-head">
                <h3 id=heading_id>
                    <a href=format!("/programs/{}", application.program_id)>{application.program_title.clone()}</a>
                </h3>
                <StatusBadge
                    label=i18n::application_status(application.status)
                    tone=application_status_tone(application.status)
                />
            </div>
            <dl class="facts-inline">
                <div><dt>{t(Key::Child)}</dt><dd>{application.child_name.clone()}</dd></div>
                <div><dt>{t(Key::Group)}</dt><dd>{application.group_name.clone()}</dd></div>
                <div><dt>{t(Key::Submitted)}</dt><dd>{date(application.submitted_at.date_naive())}</dd></div>
            </dl>
            {application.reason.clone().map(|reason| view! {
                <p class="reason"><span class="label">{t(Key::Reason)}": "</span>{reason}</p>
            })}
            {application.end_reason.map(|reason| view! {
                <p class="reason"><span class="label">{t(Key::Ended)}": "</span>{i18n::end_reason(reason)}</p>
            })}
            <ApplicationMoney application=application.clone()/>
            {move || error().map(|e| view! { <Alert message=e.message()/> })}
            <div class="actions">
                {(application.status != ApplicationStatus::Submitted).then(|| view! {
                    <a class="button secondary" href=format!("/account/applications/{id}")>
                        {t(Key::AttendanceAndPayments)}
                    </a>
                })}
                {actions}
            </div>
        </li>
    }
}
