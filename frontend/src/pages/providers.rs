//! The registry of providers as operators keep it: the entries (`GET /providers`), a new entry
//! (`POST /providers`), an entry edited with `If-Match` and the reason of the change, its history
//! (`GET /providers/{id}/events`) and the invitations of its staff.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use navigator_api_types::{
    CreateInvitationRequest, Invitation, Municipality, Provider, ProviderDraft, ProviderEvent,
    ProviderUpdate, Role,
};
use navigator_domain::provider::LegalForm;
use uuid::Uuid;

use crate::access::{RequireRole, OPERATORS};
use crate::api::{self, ApiError};
use crate::api_staff;
use crate::app::set_title;
use crate::format::{date, instant};
use crate::forms::{Alert, MunicipalitySelect, TextField};
use crate::i18n::{self, t, Key};
use crate::i18n_staff::{self, ts, S};
use crate::pages::NotFound;
use crate::session::{use_session, Session};

/// How many entries the list shows at once.
const SHOWN: usize = 50;

/// The municipality of a municipal operator: its list and new entries stay there.
fn own_municipality(session: Session) -> Option<Uuid> {
    session
        .user()
        .filter(|user| user.role == Role::MunicipalOperator)
        .and_then(|user| user.municipality_id)
}

/// `/operator/providers`: the registry's entries and the form of a new one.
#[component]
pub fn ProvidersPage() -> impl IntoView {
    set_title(ts(S::Providers));
    view! {
        <RequireRole roles=OPERATORS>
            <Providers/>
        </RequireRole>
    }
}

#[component]
fn Providers() -> impl IntoView {
    let session = use_session();
    let municipality = own_municipality(session);
    let providers = LocalResource::new(move || api_staff::providers(session, municipality));
    let municipalities = LocalResource::new(api::municipalities);
    let navigate = use_navigate();
    let create = Action::new_local(move |draft: &ProviderDraft| {
        let draft = draft.clone();
        async move { api_staff::create_provider(session, &draft).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(created)) = create.value().get() {
            navigate(
                &format!("/operator/providers/{}", created.value.id),
                NavigateOptions::default(),
            );
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let on_submit = Callback::new(move |draft: ProviderDraft| {
        create.dispatch(draft);
    });
    // A region holds about 1,500 providers: the page filters them as typed and shows a few.
    let found = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    view! {
        <h1>{ts(S::Providers)}</h1>
        <p class="lead">{ts(S::ProvidersLead)}</p>
        <details class="card new-provider">
            <summary>{ts(S::NewProviderOpen)}</summary>
            <h2>{ts(S::NewProvider)}</h2>
            <p class="hint">{ts(S::NewProviderLead)}</p>
            <ProviderForm
                initial=None
                municipality
                municipalities
                submit_label=ts(S::RegisterProvider)
                pending=create.pending()
                error
                on_submit
            />
        </details>
        <div class="form-grid">
            <TextField id="find-provider" label=ts(S::FindProvider) value=found kind="search" autocomplete="off" hint=ts(S::FindProviderHint) error=Signal::derive(|| None)/>
            {municipality.is_none().then(|| view! {
                <MunicipalitySelect
                    id="filter-municipality"
                    label=t(Key::Municipality)
                    empty_label=t(Key::AnyMunicipality)
                    value=filter
                    municipalities
                    error=Signal::derive(|| None)
                />
            })}
        </div>
        {move || match providers.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(list)) => {
                let wanted = found.get().trim().to_lowercase();
                let within = filter.get();
                let mut shown: Vec<Provider> = list
                    .into_iter()
                    .filter(|p| within.is_empty() || p.municipality_id.to_string() == within)
                    .filter(|p| {
                        wanted.is_empty()
                            || p.inn.contains(&wanted)
                            || p.name.to_lowercase().contains(&wanted)
                    })
                    .take(SHOWN + 1)
                    .collect();
                let more = shown.len() > SHOWN;
                shown.truncate(SHOWN);
                if shown.is_empty() {
                    let empty = if wanted.is_empty() && within.is_empty() {
                        ts(S::NoProviders)
                    } else {
                        t(Key::NothingFound)
                    };
                    return view! { <p class="status">{empty}</p> }.into_any();
                }
                view! {
                    <ul class="card-list">
                        {shown.into_iter().map(|provider| view! { <ProviderCard provider/> }).collect_view()}
                    </ul>
                    {more.then(|| view! { <p class="hint">{ts(S::ShownFirst)}</p> })}
                }
                .into_any()
            }
        }}
    }
}

#[component]
fn ProviderCard(provider: Provider) -> impl IntoView {
    let href = format!("/operator/providers/{}", provider.id);
    view! {
        <li class="card">
            <h2 class="card-title">{provider.name}</h2>
            <dl class="facts-inline">
                <div><dt>{ts(S::LegalForm)}</dt><dd>{provider.legal_form}</dd></div>
                <div><dt>{ts(S::Inn)}</dt><dd>{provider.inn}</dd></div>
                <div><dt>{t(Key::Address)}</dt><dd>{provider.address}</dd></div>
            </dl>
            <p class="actions"><a class="button secondary" href=href>{ts(S::Open)}</a></p>
        </li>
    }
}

/// What the form holds, as typed.
#[derive(Clone, Copy)]
struct ProviderFields {
    municipality_id: RwSignal<String>,
    name: RwSignal<String>,
    legal_form: RwSignal<String>,
    inn: RwSignal<String>,
    address: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    licence: RwSignal<String>,
    licence_issued_on: RwSignal<String>,
    latitude: RwSignal<String>,
    longitude: RwSignal<String>,
}

fn coordinate(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl ProviderFields {
    fn new(provider: Option<&Provider>, municipality: Option<Uuid>) -> ProviderFields {
        let text = |f: fn(&Provider) -> String| RwSignal::new(provider.map(f).unwrap_or_default());
        let municipality_id = provider
            .map(|p| p.municipality_id)
            .or(municipality)
            .map(|id| id.to_string())
            .unwrap_or_default();
        ProviderFields {
            municipality_id: RwSignal::new(municipality_id),
            name: text(|p| p.name.clone()),
            legal_form: text(|p| p.legal_form.clone()),
            inn: text(|p| p.inn.clone()),
            address: text(|p| p.address.clone()),
            phone: text(|p| p.phone.clone()),
            email: text(|p| p.email.clone()),
            licence: text(|p| p.licence.clone()),
            licence_issued_on: text(|p| {
                p.licence_issued_on
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            }),
            latitude: text(|p| coordinate(p.latitude)),
            longitude: text(|p| coordinate(p.longitude)),
        }
    }

    /// The entry to send, or the field the page itself finds wrong.
    fn draft(&self) -> Result<ProviderDraft, &'static str> {
        let municipality_id = self
            .municipality_id
            .get_untracked()
            .parse::<Uuid>()
            .map_err(|_| "municipality_id")?;
        let optional_number = |value: &RwSignal<String>, field: &'static str| {
            let typed = value.get_untracked().trim().replace(',', ".");
            if typed.is_empty() {
                Ok(None)
            } else {
                typed.parse::<f64>().map(Some).map_err(|_| field)
            }
        };
        let licence_issued_on = match self.licence_issued_on.get_untracked().trim() {
            "" => None,
            typed => Some(
                typed
                    .parse::<NaiveDate>()
                    .map_err(|_| "licence_issued_on")?,
            ),
        };
        Ok(ProviderDraft {
            municipality_id,
            name: self.name.get_untracked().trim().to_owned(),
            legal_form: self.legal_form.get_untracked(),
            inn: self.inn.get_untracked().trim().to_owned(),
            address: self.address.get_untracked().trim().to_owned(),
            phone: self.phone.get_untracked().trim().to_owned(),
            email: self.email.get_untracked().trim().to_owned(),
            licence: self.licence.get_untracked().trim().to_owned(),
            licence_issued_on,
            latitude: optional_number(&self.latitude, "latitude")?,
            longitude: optional_number(&self.longitude, "longitude")?,
        })
    }
}

/// The entry's fields with their labels and the server's complaints next to each; with
/// `reason`, also the reason of the change (an edit).
#[component]
fn ProviderForm(
    initial: Option<Provider>,
    municipality: Option<Uuid>,
    municipalities: LocalResource<Result<Vec<Municipality>, ApiError>>,
    submit_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] error: Signal<Option<ApiError>>,
    on_submit: Callback<ProviderDraft>,
    #[prop(optional)] reason: Option<RwSignal<String>>,
) -> impl IntoView {
    let fields = ProviderFields::new(initial.as_ref(), municipality);
    let local_error = RwSignal::new(None::<&'static str>);
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            if local_error.get() == Some(field) {
                return Some(t(Key::ErrFieldInvalid));
            }
            error
                .get()
                .and_then(|e| i18n_staff::field_message(&e, field))
        })
    };
    let on_form_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match fields.draft() {
            Ok(draft) => {
                local_error.set(None);
                if !pending.get_untracked() {
                    on_submit.run(draft);
                }
            }
            Err(field) => local_error.set(Some(field)),
        }
    };
    let legal_form_error = field_error("legal_form");
    let legal_forms = LegalForm::ALL
        .into_iter()
        .map(|form| {
            let value = form.as_str();
            view! {
                <option value=value prop:selected=move || fields.legal_form.with(|v| v == value)>
                    {value}
                </option>
            }
        })
        .collect_view();
    view! {
        <form class="provider-form" on:submit=on_form_submit novalidate>
            {move || {
                (local_error.get().is_some() || error.get().is_some())
                    .then(|| {
                        let message = match error.get() {
                            Some(e) if local_error.get().is_none() => i18n_staff::message(&e),
                            _ => t(Key::FormHasErrors),
                        };
                        view! { <Alert message/> }
                    })
            }}
            <MunicipalitySelect
                id="municipality_id"
                label=t(Key::Municipality)
                empty_label=t(Key::NotChosen)
                value=fields.municipality_id
                municipalities
                required=true
                error=field_error("municipality_id")
            />
            <TextField id="name" label=ts(S::ProviderName) value=fields.name required=true maxlength=300 error=field_error("name")/>
            <div class="form-grid">
                <div class="field" class:has-error=move || legal_form_error.get().is_some()>
                    <label for="legal_form">{ts(S::LegalForm)}</label>
                    <select
                        id="legal_form"
                        name="legal_form"
                        required
                        on:change=move |ev| fields.legal_form.set(event_target_value(&ev))
                        aria-invalid=move || legal_form_error.get().map(|_| "true")
                        aria-describedby=move || legal_form_error.get().map(|_| "legal_form-error")
                    >
                        <option value="" prop:selected=move || fields.legal_form.with(String::is_empty)>
                            {t(Key::NotChosen)}
                        </option>
                        {legal_forms}
                    </select>
                    {move || legal_form_error.get().map(|e| view! { <p class="field-error" id="legal_form-error">{e}</p> })}
                </div>
                <TextField id="inn" label=ts(S::Inn) value=fields.inn inputmode="numeric" hint=ts(S::InnHint) required=true maxlength=12 error=field_error("inn")/>
            </div>
            <TextField id="address" label=t(Key::Address) value=fields.address required=true maxlength=300 error=field_error("address")/>
            <div class="form-grid">
                <TextField id="phone" label=ts(S::Phone) value=fields.phone kind="tel" autocomplete="off" required=true error=field_error("phone")/>
                <TextField id="provider-email" label=t(Key::Email) value=fields.email kind="email" autocomplete="off" required=true error=field_error("email")/>
                <TextField id="licence" label=ts(S::Licence) value=fields.licence hint=ts(S::LicenceHint) required=true error=field_error("licence")/>
                <TextField id="licence_issued_on" label=ts(S::LicenceIssuedOn) value=fields.licence_issued_on kind="date" error=field_error("licence_issued_on")/>
                <TextField id="latitude" label=ts(S::Latitude) value=fields.latitude inputmode="decimal" hint=ts(S::CoordinatesHint) error=field_error("latitude")/>
                <TextField id="longitude" label=ts(S::Longitude) value=fields.longitude inputmode="decimal" error=field_error("longitude")/>
            </div>
            {reason.map(|reason| view! {
                <TextField id="change-reason" label=ts(S::ChangeReason) value=reason required=true maxlength=500 error=field_error("reason")/>
            })}
            <p class="actions">
                <button type="submit" class="button" disabled=move || pending.get()>{submit_label}</button>
            </p>
        </form>
    }
}

// ---------------------------------------------------------------------------------------------
// One entry: edit, history, invitations

/// `/operator/providers/:id`: the entry, its history and its staff invitations.
#[component]
pub fn ProviderRecordPage() -> impl IntoView {
    set_title(ts(S::EditProvider));
    view! {
        <RequireRole roles=OPERATORS>
            <ProviderRecord/>
        </RequireRole>
    }
}

#[component]
fn ProviderRecord() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    move || match id() {
        None => view! { <NotFound/> }.into_any(),
        Some(id) => view! { <ProviderRecordOf id/> }.into_any(),
    }
}

#[component]
fn ProviderRecordOf(id: Uuid) -> impl IntoView {
    let session = use_session();
    let entry = LocalResource::new(move || api_staff::provider(session, id));
    let events = LocalResource::new(move || api_staff::provider_events(session, id));
    let municipalities = LocalResource::new(api::municipalities);
    let reason = RwSignal::new(String::new());
    let save = Action::new_local(move |(etag, draft): &(String, ProviderDraft)| {
        let (etag, update) = (
            etag.clone(),
            ProviderUpdate {
                provider: draft.clone(),
                reason: reason.get_untracked().trim().to_owned(),
            },
        );
        async move {
            let saved = api_staff::update_provider(session, id, &etag, &update).await?;
            events.refetch();
            Ok::<_, ApiError>(saved)
        }
    });
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    // A stale `ETag`: someone changed the entry since this page read it.
    let stale = move || {
        matches!(
            save.value().get(),
            Some(Err(ApiError::Http { status: 412, .. }))
        )
    };
    let reload = move |_| {
        save.value().set(None);
        entry.refetch();
    };
    view! {
        {move || match entry.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(tagged)) => {
                let provider = tagged.value.clone();
                set_title(&provider.name);
                // The version the form was filled from: the `ETag` sent back with the change.
                let etag = tagged.etag.clone().unwrap_or_else(|| format!("\"v{}\"", provider.version));
                let current = RwSignal::new(etag);
                let on_submit = Callback::new(move |draft: ProviderDraft| {
                    save.dispatch((current.get_untracked(), draft));
                });
                Effect::new(move |_| {
                    if let Some(Ok(saved)) = save.value().get() {
                        if let Some(etag) = saved.etag {
                            current.set(etag);
                        }
                    }
                });
                view! {
                    <h1>{provider.name.clone()}</h1>
                    <section class="card" aria-labelledby="edit-provider">
                        <h2 id="edit-provider">{ts(S::EditProvider)}</h2>
                        {move || stale().then(|| view! {
                            <p class="actions">
                                <button type="button" class="button secondary" on:click=reload>
                                    {ts(S::ReloadEntry)}
                                </button>
                            </p>
                        })}
                        {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! {
                            <p class="status" role="status">{ts(S::Saved)}</p>
                        })}
                        <ProviderForm
                            initial=Some(provider.clone())
                            municipality=None
                            municipalities
                            submit_label=ts(S::SaveChanges)
                            pending=save.pending()
                            error
                            on_submit
                            reason
                        />
                    </section>
                    <Invitations provider_id=provider.id/>
                }
                .into_any()
            }
        }}
        <section class="card" aria-labelledby="provider-history">
            <h2 id="provider-history">{ts(S::ProviderHistory)}</h2>
            {move || match events.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="status">{ts(S::NoProviderEvents)}</p> }.into_any()
                }
                Some(Ok(list)) => view! {
                    <ol class="events">
                        {list.into_iter().rev().map(|event| view! { <ProviderEventItem event/> }).collect_view()}
                    </ol>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn ProviderEventItem(event: ProviderEvent) -> impl IntoView {
    let changes = event
        .changes
        .into_iter()
        .map(|change| {
            let dash = || "—".to_owned();
            view! {
                <li>
                    <code>{change.field}</code>": "
                    {change.from.unwrap_or_else(dash)}" → "{change.to.unwrap_or_else(dash)}
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="event">
            <p class="event-head">
                <time datetime=event.at.to_rfc3339()>{instant(event.at)}</time>
                " · "{i18n::role(event.actor_role)}" · "{event.action}
            </p>
            <p>{t(Key::Reason)}": "{event.reason}</p>
            <p class="hint">{ts(S::Changes)}</p>
            <ul>{changes}</ul>
        </li>
    }
}

#[component]
fn Invitations(provider_id: Uuid) -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || api_staff::invitations(session, provider_id));
    let email = RwSignal::new(String::new());
    let full_name = RwSignal::new(String::new());
    let invite = Action::new_local(move |request: &CreateInvitationRequest| {
        let request = request.clone();
        async move {
            let invited = api_staff::invite(session, provider_id, &request).await?;
            list.refetch();
            email.set(String::new());
            full_name.set(String::new());
            Ok::<Invitation, ApiError>(invited)
        }
    });
    let error = move || invite.value().get().and_then(Result::err);
    let field_error = move |field: &'static str| {
        Signal::derive(move || error().and_then(|e| i18n_staff::field_message(&e, field)))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !invite.pending().get_untracked() {
            invite.dispatch(CreateInvitationRequest {
                email: email.get_untracked().trim().to_owned(),
                full_name: full_name.get_untracked().trim().to_owned(),
            });
        }
    };
    view! {
        <section class="card" aria-labelledby="invitations">
            <h2 id="invitations">{ts(S::Invitations)}</h2>
            <p class="hint">{ts(S::InvitationsLead)}</p>
            {move || match list.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(items)) if items.is_empty() => {
                    view! { <p class="status">{ts(S::NoInvitations)}</p> }.into_any()
                }
                Some(Ok(items)) => view! {
                    <div class="table-scroll">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{t(Key::FullName)}</th>
                                    <th scope="col">{t(Key::Email)}</th>
                                    <th scope="col">{ts(S::ExpiresAt)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {items.into_iter().map(|invitation| view! {
                                    <tr>
                                        <td>{invitation.full_name}</td>
                                        <td>{invitation.email}</td>
                                        <td>{date(invitation.expires_at.date_naive())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any(),
            }}
            <form class="invitation-form" on:submit=on_submit novalidate>
                {move || error().map(|e| view! { <Alert message=i18n_staff::message(&e)/> })}
                {move || matches!(invite.value().get(), Some(Ok(_))).then(|| view! {
                    <p class="status" role="status">{ts(S::Invited)}</p>
                })}
                <div class="form-grid">
                    <TextField id="invitee-name" label=t(Key::FullName) value=full_name required=true maxlength=200 error=field_error("full_name")/>
                    <TextField id="invitee-email" label=t(Key::Email) value=email kind="email" autocomplete="off" required=true error=field_error("email")/>
                </div>
                <p class="actions">
                    <button type="submit" class="button" disabled=move || invite.pending().get()>{ts(S::Invite)}</button>
                </p>
            </form>
        </section>
    }
}
