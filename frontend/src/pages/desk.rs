//! `/provider/desk` and `/operator/desk`: the desk, for families who come in person. Staff
//! register a parent and child without an account (`POST /families`: the parent gets a letter to
//! set a password) and file an application for a family with the consent it gave
//! (`POST /applications` with `on_behalf.consent`), checked like the family's own. The group is
//! chosen from a list: a provider's staff from their own programs, operators from the published
//! programs of a municipality, found by a word of the title.

use chrono::NaiveDate;
use leptos::prelude::*;
use navigator_api_types::{
    Consent, ConsentMethod, CreateApplicationRequest, CreateChildRequest, Municipality, OnBehalf,
    ProgramStatus, RegisterFamilyRequest, Role,
};
use uuid::Uuid;

use crate::access::RequireRole;
use crate::api::{self, ApiError};
use crate::api_staff;
use crate::app::set_title;
use crate::clock;
use crate::forms::{Alert, MunicipalitySelect, TextField};
use crate::i18n::{t, Key};
use crate::i18n_staff::{self, ts, S};
use crate::session::use_session;

const DESK: &[Role] = &[
    Role::ProviderStaff,
    Role::MunicipalOperator,
    Role::RegionalOperator,
];

#[component]
pub fn DeskPage() -> impl IntoView {
    set_title(ts(S::Desk));
    view! {
        <RequireRole roles=DESK>
            <h1>{ts(S::Desk)}</h1>
            <p class="lead">{ts(S::DeskLead)}</p>
            <Desk/>
        </RequireRole>
    }
}

/// The consent's three fields, as typed; `prefix` keeps the ids of two forms apart.
#[derive(Clone, Copy)]
struct ConsentFields {
    method: RwSignal<String>,
    document: RwSignal<String>,
    given_at: RwSignal<String>,
}

impl ConsentFields {
    fn new() -> ConsentFields {
        ConsentFields {
            method: RwSignal::new(ConsentMethod::InPerson.as_str().to_owned()),
            document: RwSignal::new(String::new()),
            given_at: RwSignal::new(clock::server_today().to_string()),
        }
    }

    fn consent(&self) -> Result<Consent, &'static str> {
        Ok(Consent {
            method: ConsentMethod::parse(&self.method.get_untracked()).ok_or("consent.method")?,
            document: self.document.get_untracked().trim().to_owned(),
            given_at: self
                .given_at
                .get_untracked()
                .parse::<NaiveDate>()
                .map_err(|_| "consent.given_at")?,
        })
    }
}

#[component]
fn ConsentInputs(
    prefix: &'static str,
    fields: ConsentFields,
    field_error: impl Fn(&'static str) -> Signal<Option<&'static str>> + Copy + 'static,
) -> impl IntoView {
    let ids = match prefix {
        "family" => [
            "family-consent-method",
            "family-consent-document",
            "family-consent-date",
        ],
        _ => [
            "apply-consent-method",
            "apply-consent-document",
            "apply-consent-date",
        ],
    };
    let choice = move |method: ConsentMethod, label: S| {
        let value = method.as_str();
        view! {
            <option value=value prop:selected=move || fields.method.with(|m| m == value)>{ts(label)}</option>
        }
    };
    view! {
        <fieldset class="consent">
            <legend>{ts(S::ConsentSection)}</legend>
            <div class="form-grid">
                <div class="field">
                    <label for=ids[0]>{ts(S::ConsentMethod)}</label>
                    <select id=ids[0] on:change=move |ev| fields.method.set(event_target_value(&ev))>
                        {choice(ConsentMethod::InPerson, S::ConsentInPerson)}
                        {choice(ConsentMethod::Written, S::ConsentWritten)}
                    </select>
                </div>
                <TextField id=ids[2] label=ts(S::ConsentGivenAt) value=fields.given_at kind="date" required=true error=field_error("consent.given_at")/>
            </div>
            <TextField id=ids[1] label=ts(S::ConsentDocument) value=fields.document hint=ts(S::ConsentDocumentHint) required=true maxlength=500 error=field_error("consent.document")/>
        </fieldset>
    }
}

#[component]
fn Desk() -> impl IntoView {
    let session = use_session();
    let municipalities = LocalResource::new(api::municipalities);
    let own = session.user().and_then(|user| user.municipality_id);
    // Staff of a provider file into their own groups; operators into any provider's.
    let provider = session.user().and_then(|user| user.provider_id);

    // Registering a family.
    let parent_name = RwSignal::new(String::new());
    let parent_email = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let middle_name = RwSignal::new(String::new());
    let birth_date = RwSignal::new(String::new());
    let snils = RwSignal::new(String::new());
    let municipality = RwSignal::new(own.map(|id| id.to_string()).unwrap_or_default());
    let family_consent = ConsentFields::new();
    let family_local = RwSignal::new(None::<&'static str>);
    // What the second form files for: the child registered here, or one typed in.
    let child_id = RwSignal::new(String::new());
    // The certificate, issued at the desk: usable at once, the documents are in front of staff.
    let issue = Action::new_local(move |child: &Uuid| {
        let child = *child;
        async move { api::request_certificate(session, child).await }
    });

    let register = Action::new_local(move |request: &RegisterFamilyRequest| {
        let request = request.clone();
        async move {
            let registered = api_staff::register_family(session, &request).await?;
            child_id.set(registered.child.id.to_string());
            issue.value().set(None);
            Ok::<_, ApiError>(registered)
        }
    });
    let family_error = move |field: &'static str| {
        Signal::derive(move || {
            if family_local.get() == Some(field) {
                return Some(t(Key::ErrFieldInvalid));
            }
            register
                .value()
                .get()
                .and_then(Result::err)
                .and_then(|e| i18n_staff::field_message(&e, field))
        })
    };
    let on_register = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if register.pending().get_untracked() {
            return;
        }
        let request = (|| {
            let consent = family_consent.consent()?;
            let birth_date = birth_date
                .get_untracked()
                .parse::<NaiveDate>()
                .map_err(|_| "child.birth_date")?;
            let municipality_id = municipality
                .get_untracked()
                .parse::<Uuid>()
                .map_err(|_| "child.municipality_id")?;
            let middle = middle_name.get_untracked().trim().to_owned();
            Ok::<_, &'static str>(RegisterFamilyRequest {
                email: parent_email.get_untracked().trim().to_owned(),
                full_name: parent_name.get_untracked().trim().to_owned(),
                child: CreateChildRequest {
                    first_name: first_name.get_untracked().trim().to_owned(),
                    last_name: last_name.get_untracked().trim().to_owned(),
                    middle_name: (!middle.is_empty()).then_some(middle),
                    birth_date,
                    snils: snils.get_untracked().trim().to_owned(),
                    municipality_id,
                },
                consent,
            })
        })();
        match request {
            Ok(request) => {
                family_local.set(None);
                register.dispatch(request);
            }
            Err(field) => family_local.set(Some(field)),
        }
    };

    // Applying for a family.
    let group_id = RwSignal::new(String::new());
    let apply_consent = ConsentFields::new();
    let apply_local = RwSignal::new(None::<&'static str>);
    let apply = Action::new_local(move |request: &CreateApplicationRequest| {
        let request = request.clone();
        async move { api_staff::apply_on_behalf(session, &request).await }
    });
    let apply_error = move |field: &'static str| {
        Signal::derive(move || {
            if apply_local.get() == Some(field) {
                return Some(t(Key::ErrFieldInvalid));
            }
            apply
                .value()
                .get()
                .and_then(Result::err)
                .and_then(|e| i18n_staff::field_message(&e, field))
        })
    };
    let on_apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if apply.pending().get_untracked() {
            return;
        }
        let request = (|| {
            let child_id = child_id
                .get_untracked()
                .trim()
                .parse::<Uuid>()
                .map_err(|_| "child_id")?;
            let group_id = group_id
                .get_untracked()
                .trim()
                .parse::<Uuid>()
                .map_err(|_| "group_id")?;
            Ok::<_, &'static str>(CreateApplicationRequest {
                child_id,
                group_id,
                on_behalf: Some(OnBehalf {
                    consent: apply_consent.consent()?,
                }),
            })
        })();
        match request {
            Ok(request) => {
                apply_local.set(None);
                apply.dispatch(request);
            }
            Err(field) => apply_local.set(Some(field)),
        }
    };

    view! {
        <section class="card" aria-labelledby="register-family">
            <h2 id="register-family">{ts(S::RegisterFamilyTitle)}</h2>
            <p class="hint">{ts(S::RegisterFamilyLead)}</p>
            <form class="desk-form" on:submit=on_register novalidate>
                {move || {
                    let failed = register.value().get().and_then(Result::err);
                    (family_local.get().is_some() || failed.is_some()).then(|| {
                        let message = match failed {
                            Some(e) if family_local.get().is_none() => i18n_staff::message(&e),
                            _ => t(Key::FormHasErrors),
                        };
                        view! { <Alert message/> }
                    })
                }}
                {move || register.value().get().and_then(Result::ok).map(|registered| {
                    let child = registered.child.id;
                    view! {
                        <p class="status" role="status">
                            {ts(S::FamilyRegistered)}" "<code class="mono">{child.to_string()}</code>
                        </p>
                        {move || match issue.value().get() {
                            Some(Ok(certificate)) => view! {
                                <p class="status" role="status">
                                    {ts(S::CertificateIssued)}" "<strong>{certificate.number}</strong>
                                </p>
                            }
                            .into_any(),
                            failed => view! {
                                {failed.and_then(Result::err).map(|e| view! { <Alert message=e.message()/> })}
                                <p class="actions">
                                    <button
                                        type="button"
                                        class="button secondary"
                                        disabled=move || issue.pending().get()
                                        on:click=move |_| {
                                            issue.dispatch(child);
                                        }
                                    >
                                        {ts(S::IssueCertificate)}
                                    </button>
                                </p>
                            }
                            .into_any(),
                        }}
                    }
                })}
                <div class="form-grid">
                    <TextField id="parent-name" label=ts(S::ParentName) value=parent_name autocomplete="off" required=true maxlength=200 error=family_error("full_name")/>
                    <TextField id="parent-email" label=ts(S::ParentEmail) value=parent_email kind="email" autocomplete="off" hint=ts(S::ParentEmailHint) required=true error=family_error("email")/>
                </div>
                <fieldset>
                    <legend>{ts(S::ChildSection)}</legend>
                    <div class="form-grid">
                        <TextField id="child-last-name" label=t(Key::LastName) value=last_name autocomplete="off" required=true maxlength=100 error=family_error("child.last_name")/>
                        <TextField id="child-first-name" label=t(Key::FirstName) value=first_name autocomplete="off" required=true maxlength=100 error=family_error("child.first_name")/>
                        <TextField id="child-middle-name" label=t(Key::MiddleName) value=middle_name autocomplete="off" maxlength=100 error=family_error("child.middle_name")/>
                        <TextField id="child-birth-date" label=t(Key::BirthDate) value=birth_date kind="date" required=true error=family_error("child.birth_date")/>
                        <TextField id="child-snils" label=t(Key::Snils) value=snils inputmode="numeric" hint=t(Key::SnilsHint) required=true error=family_error("child.snils")/>
                        <MunicipalitySelect
                            id="child-municipality"
                            label=ts(S::ChildMunicipality)
                            empty_label=t(Key::NotChosen)
                            value=municipality
                            municipalities
                            required=true
                            error=family_error("child.municipality_id")
                        />
                    </div>
                </fieldset>
                <ConsentInputs prefix="family" fields=family_consent field_error=family_error/>
                <p class="actions">
                    <button type="submit" class="button" disabled=move || register.pending().get()>{ts(S::RegisterFamily)}</button>
                </p>
            </form>
        </section>
        <section class="card" aria-labelledby="apply-for-family">
            <h2 id="apply-for-family">{ts(S::ApplyForFamilyTitle)}</h2>
            <p class="hint">{ts(S::ApplyForFamilyLead)}</p>
            <form class="desk-form" on:submit=on_apply novalidate>
                {move || {
                    let failed = apply.value().get().and_then(Result::err);
                    (apply_local.get().is_some() || failed.is_some()).then(|| {
                        let message = match failed {
                            Some(e) if apply_local.get().is_none() => i18n_staff::message(&e),
                            _ => t(Key::FormHasErrors),
                        };
                        view! { <Alert message/> }
                    })
                }}
                {move || matches!(apply.value().get(), Some(Ok(_))).then(|| view! {
                    <p class="status" role="status">{ts(S::ApplicationFiled)}</p>
                })}
                <div class="form-grid">
                    <TextField id="apply-child" label=ts(S::ChildId) value=child_id autocomplete="off" hint=ts(S::ChildIdHint) required=true error=apply_error("child_id")/>
                    {match provider {
                        Some(provider) => view! { <OwnGroupSelect provider value=group_id error=apply_error("group_id")/> }.into_any(),
                        None => view! { <CatalogGroupSelect municipalities own value=group_id error=apply_error("group_id")/> }.into_any(),
                    }}
                </div>
                <ConsentInputs prefix="apply" fields=apply_consent field_error=apply_error/>
                <p class="actions">
                    <button type="submit" class="button" disabled=move || apply.pending().get()>{ts(S::FileApplication)}</button>
                </p>
            </form>
        </section>
    }
}

/// How many programs an operator's search lists the groups of.
const PROGRAMS_SEARCHED: u32 = 20;

/// The open groups with free seats of the `programs`, as (group, "program — group") choices.
async fn open_groups(programs: Vec<Uuid>) -> Result<Vec<(Uuid, String)>, ApiError> {
    let mut choices = Vec::new();
    for id in programs {
        let program = api::program(id).await?;
        for group in program.groups {
            if group.open && group.seats_left > 0 {
                choices.push((group.id, format!("{} — {}", program.title, group.name)));
            }
        }
    }
    Ok(choices)
}

/// The open groups with free seats of the provider's published programs, as one choice.
#[component]
fn OwnGroupSelect(
    provider: Uuid,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let session = use_session();
    let groups = LocalResource::new(move || async move {
        let filters = vec![
            ("limit", "100".to_owned()),
            ("status", ProgramStatus::Published.as_str().to_owned()),
        ];
        let page = api::provider_programs(session, provider, filters).await?;
        open_groups(page.items.into_iter().map(|program| program.id).collect()).await
    });
    view! { <GroupChoice groups value hint=ts(S::ChooseGroupHint) error/> }
}

/// For operators, who file for any provider: the open groups with free seats of the published
/// programs of a municipality (`GET /programs`, the catalog's search), narrowed by a word of the
/// title. A municipal operator's own municipality is chosen at first.
#[component]
fn CatalogGroupSelect(
    municipalities: LocalResource<Result<Vec<Municipality>, ApiError>>,
    own: Option<Uuid>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let municipality = RwSignal::new(own.map(|id| id.to_string()).unwrap_or_default());
    let search = RwSignal::new(String::new());
    // What the list is for; a memo, so that the same search again (the field's `change` when it
    // loses the focus after Enter) neither fetches the list again nor forgets the choice.
    let wanted = Memo::new(move |_| (municipality.get(), search.get().trim().to_owned()));
    // Another search, another list: the group chosen from the last one is forgotten.
    Effect::new(move |previous: Option<()>| {
        wanted.track();
        if previous.is_some() {
            value.set(String::new());
        }
    });
    let groups = LocalResource::new(move || {
        let (municipality, search) = wanted.get();
        async move {
            if municipality.is_empty() {
                return Ok(Vec::new());
            }
            let mut filters = vec![
                ("limit", PROGRAMS_SEARCHED.to_string()),
                ("municipality_id", municipality),
                ("free_seats", "true".to_owned()),
            ];
            if !search.is_empty() {
                filters.push(("q", search));
            }
            let page = api::programs(filters).await?;
            open_groups(page.items.into_iter().map(|program| program.id).collect()).await
        }
    });
    view! {
        <MunicipalitySelect
            id="apply-municipality"
            label=t(Key::Municipality)
            empty_label=t(Key::NotChosen)
            value=municipality
            municipalities
            error=Signal::stored(None)
        />
        <div class="field">
            <label for="apply-program">{ts(S::ProgramSearch)}</label>
            <input
                id="apply-program"
                type="search"
                autocomplete="off"
                aria-describedby="apply-program-hint"
                on:change=move |ev| search.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    // Enter searches instead of filing the form.
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        search.set(event_target_value(&ev));
                    }
                }
            />
            <p class="hint" id="apply-program-hint">{ts(S::ProgramSearchHint)}</p>
        </div>
        <GroupChoice groups value hint=ts(S::CatalogGroupHint) error/>
    }
}

/// The groups of `groups` as one required choice.
#[component]
fn GroupChoice(
    groups: LocalResource<Result<Vec<(Uuid, String)>, ApiError>>,
    value: RwSignal<String>,
    hint: &'static str,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let options = move || {
        groups
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|(id, label)| {
                let id = id.to_string();
                let selected = {
                    let id = id.clone();
                    move || value.with(|v| *v == id)
                };
                view! { <option value=id prop:selected=selected>{label}</option> }
            })
            .collect_view()
    };
    let none_found = move || {
        groups
            .get()
            .and_then(Result::ok)
            .is_some_and(|groups| groups.is_empty())
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for="apply-group">{t(Key::Group)}</label>
            <select
                id="apply-group"
                required
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-describedby="apply-group-hint"
                aria-invalid=move || error.get().map(|_| "true")
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>{t(Key::ChooseGroup)}</option>
                {options}
            </select>
            <p class="hint" id="apply-group-hint">{hint}</p>
            {move || none_found().then(|| view! { <p class="status" role="status">{ts(S::NoOpenGroups)}</p> })}
            {move || groups.get().and_then(Result::err).map(|e| view! { <p class="field-error">{e.message()}</p> })}
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
        </div>
    }
}
