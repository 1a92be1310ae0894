//! The registry of programs as providers and operators keep it: a provider's programs by status,
//! drafts written and edited (`PUT` with `If-Match`), sent to moderation, groups opened; the
//! operators' moderation queue, publishing with the funding decision, returning with remarks,
//! archiving; and each program's recorded decisions.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use navigator_api_types::{
    Direction, Funding, Group, GroupDraft, Level, Money, Program, ProgramDecision, ProgramDraft,
    ProgramEvent, ProgramStatus, ProgramSummary, PublishRequest, Role, StudyForm,
};
use uuid::Uuid;

use crate::access::{RequireRole, OPERATORS};
use crate::api::{self, ApiError, Tagged};
use crate::api_staff;
use crate::app::set_title;
use crate::format::{date, instant, money};
use crate::forms::{Alert, TextField};
use crate::i18n::{self, t, Key};
use crate::i18n_staff::{self, ts, S};
use crate::lists::{Pager, ReasonForm, StatusBadge, Tone};
use crate::pages::NotFound;
use crate::session::use_session;

const PROVIDER: &[Role] = &[Role::ProviderStaff];
/// Who keeps the registry: the provider's staff for their programs, operators for all.
const KEEPERS: &[Role] = &[
    Role::ProviderStaff,
    Role::MunicipalOperator,
    Role::RegionalOperator,
];
const PAGE_SIZE: u32 = 20;

/// The statuses in the order a program goes through them.
const STATUSES: [ProgramStatus; 4] = [
    ProgramStatus::Draft,
    ProgramStatus::OnModeration,
    ProgramStatus::Published,
    ProgramStatus::Archived,
];

pub fn status_tone(status: ProgramStatus) -> Tone {
    match status {
        ProgramStatus::Draft => Tone::Neutral,
        ProgramStatus::OnModeration => Tone::Waiting,
        ProgramStatus::Published => Tone::Good,
        ProgramStatus::Archived => Tone::Bad,
    }
}

// ---------------------------------------------------------------------------------------------
// The provider's programs

/// `/provider/programs`: the provider's programs, one status at a time.
#[component]
pub fn ProviderProgramsPage() -> impl IntoView {
    set_title(t(Key::MyPrograms));
    view! {
        <RequireRole roles=PROVIDER>
            <ProviderPrograms/>
        </RequireRole>
    }
}

#[component]
fn ProviderPrograms() -> impl IntoView {
    let session = use_session();
    let provider_id = session.user().and_then(|user| user.provider_id);
    let status = RwSignal::new(ProgramStatus::Draft);
    let cursor = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        status.track();
        if cursor.with_untracked(Option::is_some) {
            cursor.set(None);
        }
    });
    let programs = LocalResource::new(move || {
        let mut filters = vec![
            ("limit", PAGE_SIZE.to_string()),
            ("status", status.get().as_str().to_owned()),
        ];
        if let Some(cursor) = cursor.get() {
            filters.push(("cursor", cursor));
        }
        async move {
            match provider_id {
                Some(id) => api::provider_programs(session, id, filters).await,
                None => Err(ApiError::Http {
                    status: 403,
                    problem: None,
                }),
            }
        }
    });
    let tabs = STATUSES
        .into_iter()
        .map(|s| {
            view! {
                <option value=s.as_str() prop:selected=move || status.get() == s>
                    {i18n::program_status(s)}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="page-head">
            <h1>{t(Key::MyPrograms)}</h1>
            <a class="button" href="/provider/programs/new">{t(Key::NewProgram)}</a>
        </div>
        <p class="lead">{t(Key::MyProgramsLead)}</p>
        <div class="field field-inline">
            <label for="program-status">{t(Key::InvoiceStatusFilter)}</label>
            <select
                id="program-status"
                on:change=move |ev| {
                    if let Some(s) = ProgramStatus::parse(&event_target_value(&ev)) {
                        status.set(s);
                    }
                }
            >
                {tabs}
            </select>
        </div>
        {move || match programs.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                view! { <p class="status">{t(Key::NoPrograms)}</p> }.into_any()
            }
            Some(Ok(page)) => {
                let shown = status.get_untracked();
                view! {
                    <ul class="card-list">
                        {page
                            .items
                            .into_iter()
                            .map(|program| view! { <RegistryCard program status=shown base="/provider/programs"/> })
                            .collect_view()}
                    </ul>
                    <Pager cursor next=page.next_cursor/>
                }
                .into_any()
            }
        }}
    }
}

/// A program in a list of the registry, linking to its record.
#[component]
fn RegistryCard(
    program: ProgramSummary,
    status: ProgramStatus,
    /// The record's address without the id.
    base: &'static str,
) -> impl IntoView {
    let href = format!("{base}/{}", program.id);
    view! {
        <li class="card">
            <div class="card-head">
                <h2 class="card-title"><a href=href>{program.title}</a></h2>
                <StatusBadge label=i18n::program_status(status) tone=status_tone(status)/>
            </div>
            <dl class="facts-inline">
                <div><dt>{t(Key::Provider)}</dt><dd>{program.provider_name}</dd></div>
                <div><dt>{t(Key::Direction)}</dt><dd>{i18n::direction(program.direction)}</dd></div>
                <div><dt>{t(Key::Ages)}</dt><dd>{i18n::ages(program.age_from, program.age_to)}</dd></div>
                <div><dt>{t(Key::Price)}</dt><dd>{money(program.price_per_month)}</dd></div>
            </dl>
        </li>
    }
}

/// `/provider/programs/new`: a new draft.
#[component]
pub fn NewProgramPage() -> impl IntoView {
    set_title(t(Key::NewProgram));
    view! {
        <RequireRole roles=PROVIDER>
            <NewProgram/>
        </RequireRole>
    }
}

#[component]
fn NewProgram() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let provider_id = session.user().and_then(|user| user.provider_id);
    let create = Action::new_local(move |draft: &ProgramDraft| {
        let draft = draft.clone();
        async move {
            let Some(provider_id) = provider_id else {
                return Err(ApiError::Http {
                    status: 403,
                    problem: None,
                });
            };
            api::create_program(session, provider_id, &draft).await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(created)) = create.value().get() {
            navigate(
                &format!("/provider/programs/{}", created.value.id),
                NavigateOptions::default(),
            );
        }
    });
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <p class="back"><a href="/provider/programs">"← "{t(Key::MyPrograms)}</a></p>
        <h1>{t(Key::NewProgram)}</h1>
        <p class="lead">{t(Key::NewProgramLead)}</p>
        <ProgramForm
            initial=None
            submit_label=t(Key::CreateDraft)
            pending=create.pending()
            error
            on_submit=Callback::new(move |draft| {
                create.dispatch(draft);
            })
        />
    }
}

// ---------------------------------------------------------------------------------------------
// The form of a program's terms

/// What is typed into the form, as text until it is sent.
#[derive(Clone, Copy)]
struct ProgramFields {
    title: RwSignal<String>,
    description: RwSignal<String>,
    direction: RwSignal<String>,
    age_from: RwSignal<String>,
    age_to: RwSignal<String>,
    level: RwSignal<String>,
    form: RwSignal<String>,
    funding: RwSignal<String>,
    price: RwSignal<String>,
    hours: RwSignal<String>,
    duration: RwSignal<String>,
    medical: RwSignal<bool>,
    adapted: RwSignal<bool>,
    address: RwSignal<String>,
    /// The address's coordinates as the program has them (set by imports): the form does not
    /// edit them, but sends them back so that saving the terms does not erase them.
    latitude: Option<f64>,
    longitude: Option<f64>,
}

impl ProgramFields {
    fn new(program: Option<&Program>) -> ProgramFields {
        let text =
            |f: &dyn Fn(&Program) -> String| RwSignal::new(program.map(f).unwrap_or_default());
        ProgramFields {
            title: text(&|p| p.title.clone()),
            description: text(&|p| p.description.clone()),
            direction: text(&|p| p.direction.as_str().to_owned()),
            age_from: text(&|p| p.age_from.to_string()),
            age_to: text(&|p| p.age_to.to_string()),
            level: RwSignal::new(
                program
                    .map_or(Level::Starting, |p| p.level)
                    .as_str()
                    .to_owned(),
            ),
            form: RwSignal::new(
                program
                    .map_or(StudyForm::InPerson, |p| p.form)
                    .as_str()
                    .to_owned(),
            ),
            funding: RwSignal::new(
                program
                    .map_or(Funding::Certificate, |p| p.funding)
                    .as_str()
                    .to_owned(),
            ),
            price: text(&|p| p.price_per_month.to_string()),
            hours: text(&|p| p.hours_per_week.to_string()),
            duration: text(&|p| p.duration_months.to_string()),
            medical: RwSignal::new(program.is_some_and(|p| p.medical_certificate_required)),
            adapted: RwSignal::new(program.is_some_and(|p| p.adapted_for_disabilities)),
            address: text(&|p| p.address.clone()),
            latitude: program.and_then(|p| p.latitude),
            longitude: program.and_then(|p| p.longitude),
        }
    }

    /// The draft to send, or the first field to fix. The server checks everything again.
    fn draft(&self) -> Result<ProgramDraft, &'static str> {
        let number = |s: RwSignal<String>, field: &'static str| {
            s.get_untracked().trim().parse::<u32>().map_err(|_| field)
        };
        Ok(ProgramDraft {
            title: self.title.get_untracked().trim().to_owned(),
            description: self.description.get_untracked().trim().to_owned(),
            direction: Direction::parse(&self.direction.get_untracked()).ok_or("direction")?,
            age_from: number(self.age_from, "age_from")?,
            age_to: number(self.age_to, "age_to")?,
            level: Level::parse(&self.level.get_untracked()).ok_or("level")?,
            form: StudyForm::parse(&self.form.get_untracked()).ok_or("form")?,
            funding: Funding::parse(&self.funding.get_untracked()).ok_or("funding")?,
            price_per_month: parse_roubles(&self.price.get_untracked()).ok_or("price_per_month")?,
            hours_per_week: number(self.hours, "hours_per_week")?,
            duration_months: number(self.duration, "duration_months")?,
            medical_certificate_required: self.medical.get_untracked(),
            adapted_for_disabilities: self.adapted.get_untracked(),
            address: self.address.get_untracked().trim().to_owned(),
            latitude: self.latitude,
            longitude: self.longitude,
        })
    }
}

/// Roubles as people type them: `2800`, `2 800`, `2800,50`, `2800.50`.
pub fn parse_roubles(typed: &str) -> Option<Money> {
    let cleaned: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '₽')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<Money>().ok().filter(|m| !m.is_negative())
}

/// A `<select>` of an enum's values, by their API names.
#[component]
fn EnumSelect(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// (API name, words) of each choice.
    choices: Vec<(&'static str, &'static str)>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>{label}</label>
            <select
                id=id
                name=id
                required
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || error.get().map(|_| format!("{id}-error"))
            >
                {placeholder.map(|p| view! {
                    <option value="" prop:selected=move || value.with(String::is_empty)>{p}</option>
                })}
                {choices
                    .into_iter()
                    .map(|(name, words)| view! {
                        <option value=name prop:selected=move || value.with(|v| v == name)>{words}</option>
                    })
                    .collect_view()}
            </select>
            {move || error.get().map(|e| view! { <p class="field-error" id=format!("{id}-error")>{e}</p> })}
        </div>
    }
}

#[component]
fn ProgramForm(
    initial: Option<Program>,
    submit_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    /// The server's refusal of the last attempt.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
    on_submit: Callback<ProgramDraft>,
) -> impl IntoView {
    let fields = ProgramFields::new(initial.as_ref());
    // A field the page itself found wrong before sending.
    let local_error = RwSignal::new(None::<&'static str>);
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            if local_error.get() == Some(field) {
                return Some(t(Key::ErrFieldInvalid));
            }
            error.get().and_then(|e| e.field_message(field))
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
    let directions = Direction::ALL
        .iter()
        .map(|d| (d.as_str(), i18n::direction(*d)))
        .collect::<Vec<_>>();
    let levels = Level::ALL
        .iter()
        .map(|l| (l.as_str(), i18n::level(*l)))
        .collect::<Vec<_>>();
    let forms = StudyForm::ALL
        .iter()
        .map(|f| (f.as_str(), i18n::study_form(*f)))
        .collect::<Vec<_>>();
    let fundings = vec![
        ("certificate", t(Key::FundingCertificate)),
        ("budget", t(Key::FundingBudget)),
    ];
    view! {
        <form class="card program-form" on:submit=on_form_submit novalidate>
            {move || {
                (local_error.get().is_some() || error.get().is_some())
                    .then(|| {
                        let message = match error.get() {
                            Some(e) if local_error.get().is_none() => e.message(),
                            _ => t(Key::FormHasErrors),
                        };
                        view! { <Alert message/> }
                    })
            }}
            <TextField id="title" label=t(Key::ProgramTitle) value=fields.title required=true maxlength=200 error=field_error("title")/>
            <div class="field" class:has-error=move || field_error("description").get().is_some()>
                <label for="description">{t(Key::Description)}</label>
                <textarea
                    id="description"
                    name="description"
                    rows="6"
                    required
                    maxlength="5000"
                    prop:value=move || fields.description.get()
                    on:input=move |ev| fields.description.set(event_target_value(&ev))
                    aria-describedby="description-hint"
                ></textarea>
                <p class="hint" id="description-hint">{t(Key::DescriptionHint)}</p>
                {move || field_error("description").get().map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
            <div class="form-grid">
                <EnumSelect id="direction" label=t(Key::Direction) value=fields.direction choices=directions placeholder=t(Key::NotChosen) error=field_error("direction")/>
                <EnumSelect id="level" label=t(Key::Level) value=fields.level choices=levels error=field_error("level")/>
                <EnumSelect id="form" label=t(Key::StudyForm) value=fields.form choices=forms error=field_error("form")/>
                <TextField id="age_from" label=t(Key::AgeFrom) value=fields.age_from kind="number" inputmode="numeric" required=true error=field_error("age_from")/>
                <TextField id="age_to" label=t(Key::AgeTo) value=fields.age_to kind="number" inputmode="numeric" required=true error=field_error("age_to")/>
                <TextField id="hours_per_week" label=t(Key::HoursPerWeek) value=fields.hours kind="number" inputmode="numeric" required=true error=field_error("hours_per_week")/>
                <TextField id="duration_months" label=t(Key::DurationMonths) value=fields.duration kind="number" inputmode="numeric" required=true error=field_error("duration_months")/>
                <EnumSelect id="funding" label=t(Key::FundingRequested) value=fields.funding choices=fundings error=field_error("funding")/>
                <TextField id="price_per_month" label=t(Key::PricePerMonth) value=fields.price inputmode="decimal" hint=t(Key::PriceHint) required=true error=field_error("price_per_month")/>
            </div>
            <TextField id="address" label=t(Key::Address) value=fields.address required=true maxlength=300 error=field_error("address")/>
            <label class="checkbox">
                <input type="checkbox" name="medical" bind:checked=fields.medical/>
                {t(Key::MedicalCertificateRequired)}
            </label>
            <label class="checkbox">
                <input type="checkbox" name="adapted" bind:checked=fields.adapted/>
                {t(Key::AdaptedForDisabilities)}
            </label>
            <p class="actions">
                <button type="submit" class="button" disabled=move || pending.get()>{submit_label}</button>
            </p>
        </form>
    }
}

// ---------------------------------------------------------------------------------------------
// A program's record: terms, status, remarks, groups, decisions

/// `/provider/programs/:id` and `/operator/programs/:id`: one program as its keepers see it,
/// with what each may do to it now.
#[component]
pub fn ProgramRecordPage() -> impl IntoView {
    set_title(t(Key::ProgramRecord));
    view! {
        <RequireRole roles=KEEPERS>
            <ProgramRecord/>
        </RequireRole>
    }
}

#[component]
fn ProgramRecord() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok())
    });
    let program = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => Some(api::program_for(session, id).await),
                None => None,
            }
        }
    });
    // Set when an edit was refused because someone else changed the program first.
    let changed_elsewhere = RwSignal::new(false);
    let group_saved = RwSignal::new(false);
    let reload = Callback::new(move |()| program.refetch());
    move || match program.get() {
        None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
        Some(None) | Some(Some(Err(ApiError::Http { status: 404, .. }))) => {
            view! { <NotFound/> }.into_any()
        }
        Some(Some(Err(error))) => view! { <Alert message=error.message()/> }.into_any(),
        Some(Some(Ok(tagged))) => {
            set_title(&tagged.value.title);
            view! { <ProgramRecordView tagged changed_elsewhere group_saved reload/> }.into_any()
        }
    }
}

#[component]
fn ProgramRecordView(
    tagged: Tagged<Program>,
    changed_elsewhere: RwSignal<bool>,
    group_saved: RwSignal<bool>,
    reload: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let role = session.user().map(|user| user.role);
    let is_operator = role.is_some_and(|r| OPERATORS.contains(&r));
    let Tagged {
        value: program,
        etag,
    } = tagged;
    let id = program.id;
    let status = program.status;
    let back = if is_operator {
        ("/operator/programs", t(Key::ModerationQueue))
    } else {
        ("/provider/programs", t(Key::MyPrograms))
    };
    let editable = status == ProgramStatus::Draft && !is_operator;
    let save = Action::new_local(move |draft: &ProgramDraft| {
        let draft = draft.clone();
        let etag = etag.clone().unwrap_or_default();
        async move {
            let result = api::update_program(session, id, &etag, &draft).await;
            match &result {
                Ok(_) => {
                    changed_elsewhere.set(false);
                    reload.run(());
                }
                // Someone else saved first: their version is shown, this edit is lost on purpose
                // rather than written over theirs.
                Err(ApiError::Http { status: 412, .. }) => {
                    changed_elsewhere.set(true);
                    reload.run(());
                }
                Err(_) => {}
            }
            result.map(|_| ())
        }
    });
    let save_error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(Result::err)
            .filter(|e| !matches!(e, ApiError::Http { status: 412, .. }))
    });
    let submit = Action::new_local(move |comment: &String| {
        let request = ProgramDecision {
            reason: comment.clone(),
        };
        async move {
            api::submit_program(session, id, &request).await?;
            reload.run(());
            Ok::<(), ApiError>(())
        }
    });
    let heading = program.title.clone();
    let groups = program.groups.clone();
    let remarks = program.remarks.clone().filter(|r| !r.trim().is_empty());
    let requested = program.funding;
    view! {
        <p class="back"><a href=back.0>"← "{back.1}</a></p>
        <article class="program-record">
            <div class="card-head">
                <h1>{heading}</h1>
                <StatusBadge label=i18n::program_status(status) tone=status_tone(status)/>
            </div>
            {move || changed_elsewhere.get().then(|| view! {
                <p class="alert" role="alert">{t(Key::ChangedElsewhere)}</p>
            })}
            {remarks.map(|remarks| view! {
                <section class="notice remarks" aria-labelledby="remarks-title">
                    <h2 id="remarks-title">{t(Key::OperatorRemarks)}</h2>
                    <p>{remarks}</p>
                </section>
            })}
            {if editable {
                view! {
                    <section aria-labelledby="edit-title">
                        <h2 id="edit-title">{t(Key::EditDraft)}</h2>
                        <ProgramForm
                            initial=Some(program.clone())
                            submit_label=t(Key::SaveDraft)
                            pending=save.pending()
                            error=save_error
                            on_submit=Callback::new(move |draft| {
                                save.dispatch(draft);
                            })
                        />
                        <div class="card submit-card">
                            <p>{t(Key::SubmitLead)}</p>
                            {move || submit.value().get().and_then(Result::err).map(|e| view! { <Alert message=e.message()/> })}
                            <ReasonForm
                                id="submit-comment".to_owned()
                                label=t(Key::CommentForOperator)
                                submit_label=t(Key::SubmitToModeration)
                                initial=t(Key::ReadyForCheck)
                                pending=submit.pending()
                                on_submit=Callback::new(move |comment: String| {
                                    submit.dispatch(comment);
                                })
                            />
                        </div>
                    </section>
                }
                .into_any()
            } else {
                view! { <ProgramTerms program=program.clone()/> }.into_any()
            }}
            {(is_operator && status == ProgramStatus::OnModeration)
                .then(|| view! { <ModerationDecision id requested on_decided=reload/> })}
            {(status != ProgramStatus::Archived)
                .then(|| view! { <ArchiveProgram id on_decided=reload/> })}
            <GroupsOfProgram program_id=id groups can_add=!is_operator && status != ProgramStatus::Archived on_added=reload group_saved/>
            <ProgramHistory id/>
        </article>
    }
}

/// The terms of a program that is not being edited.
#[component]
fn ProgramTerms(program: Program) -> impl IntoView {
    let price = match program.funding {
        Funding::Certificate => money(program.price_per_month),
        Funding::Budget => t(Key::Free).to_owned(),
    };
    view! {
        <section class="card" aria-labelledby="terms-title">
            <h2 id="terms-title">{t(Key::ProgramTerms)}</h2>
            {program
                .description
                .split("\n\n")
                .filter(|paragraph| !paragraph.trim().is_empty())
                .map(|paragraph| view! { <p>{paragraph.to_owned()}</p> })
                .collect_view()}
            <dl class="facts-list">
                <dt>{t(Key::Provider)}</dt><dd>{program.provider_name}</dd>
                <dt>{t(Key::Funding)}</dt>
                <dd>{match program.funding { Funding::Certificate => t(Key::FundingCertificate), Funding::Budget => t(Key::FundingBudget) }}</dd>
                <dt>{t(Key::Price)}</dt><dd>{price}</dd>
                <dt>{t(Key::Direction)}</dt><dd>{i18n::direction(program.direction)}</dd>
                <dt>{t(Key::Ages)}</dt><dd>{i18n::ages(program.age_from, program.age_to)}</dd>
                <dt>{t(Key::Level)}</dt><dd>{i18n::level(program.level)}</dd>
                <dt>{t(Key::StudyForm)}</dt><dd>{i18n::study_form(program.form)}</dd>
                <dt>{t(Key::HoursPerWeek)}</dt><dd>{program.hours_per_week}</dd>
                <dt>{t(Key::Duration)}</dt><dd>{format!("{} {}", program.duration_months, t(Key::MonthsShort))}</dd>
                <dt>{t(Key::Address)}</dt><dd>{program.address}</dd>
            </dl>
        </section>
    }
}

/// The operator's decision on a program on moderation: publish, saying how it is paid for, or
/// return it to the provider with remarks.
#[component]
fn ModerationDecision(id: Uuid, requested: Funding, on_decided: Callback<()>) -> impl IntoView {
    let session = use_session();
    let funding = RwSignal::new(requested);
    let reason = RwSignal::new(String::new());
    let publish = Action::new_local(move |request: &PublishRequest| {
        let request = request.clone();
        async move {
            api::publish_program(session, id, &request).await?;
            on_decided.run(());
            Ok::<(), ApiError>(())
        }
    });
    let send_back = Action::new_local(move |remarks: &String| {
        let request = ProgramDecision {
            reason: remarks.clone(),
        };
        async move {
            api::return_program(session, id, &request).await?;
            on_decided.run(());
            Ok::<(), ApiError>(())
        }
    });
    let pending = Signal::derive(move || publish.pending().get() || send_back.pending().get());
    let error = move || {
        publish
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| send_back.value().get().and_then(Result::err))
    };
    let returning = RwSignal::new(false);
    let on_publish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = reason.get_untracked().trim().to_owned();
        if !typed.is_empty() && !pending.get_untracked() {
            publish.dispatch(PublishRequest {
                funding: funding.get_untracked(),
                reason: typed,
            });
        }
    };
    let choice = move |value: Funding, label: &'static str, hint: &'static str| {
        let input_id = format!("publish-funding-{}", value.as_str());
        let label_for = input_id.clone();
        view! {
            <div class="radio">
                <input
                    type="radio"
                    id=input_id
                    name="publish-funding"
                    value=value.as_str()
                    prop:checked=move || funding.get() == value
                    on:change=move |_| funding.set(value)
                />
                <label for=label_for>
                    <strong>{label}</strong>
                    <span class="hint">{hint}</span>
                </label>
            </div>
        }
    };
    view! {
        <section class="card moderation" aria-labelledby="moderation-title">
            <h2 id="moderation-title">{t(Key::ModerationDecision)}</h2>
            {move || error().map(|e| view! { <Alert message=e.message()/> })}
            <form on:submit=on_publish>
                <fieldset class="radio-group">
                    <legend>{t(Key::FundingDecision)}</legend>
                    {choice(Funding::Certificate, t(Key::FundingCertificate), t(Key::FundingCertificateHint))}
                    {choice(Funding::Budget, t(Key::FundingBudget), t(Key::FundingBudgetHint))}
                </fieldset>
                <div class="field">
                    <label for="publish-reason">{t(Key::DecisionBasis)}</label>
                    <input id="publish-reason" type="text" required maxlength="2000" bind:value=reason/>
                </div>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || pending.get()>{t(Key::Publish)}</button>
                    <button
                        type="button"
                        class="button secondary"
                        aria-expanded=move || returning.get().to_string()
                        on:click=move |_| returning.update(|open| *open = !*open)
                    >
                        {t(Key::ReturnToProvider)}
                    </button>
                </div>
            </form>
            {move || returning.get().then(|| view! {
                <ReasonForm
                    id="return-remarks".to_owned()
                    label=t(Key::Remarks)
                    submit_label=t(Key::ReturnWithRemarks)
                    pending
                    on_submit=Callback::new(move |remarks: String| {
                        send_back.dispatch(remarks);
                    })
                />
            })}
        </section>
    }
}

/// Taking a program out of the catalog for good, with the reason.
#[component]
fn ArchiveProgram(id: Uuid, on_decided: Callback<()>) -> impl IntoView {
    let session = use_session();
    let archive = Action::new_local(move |reason: &String| {
        let request = ProgramDecision {
            reason: reason.clone(),
        };
        async move {
            api::archive_program(session, id, &request).await?;
            on_decided.run(());
            Ok::<(), ApiError>(())
        }
    });
    let open = RwSignal::new(false);
    view! {
        <section class="archive">
            {move || archive.value().get().and_then(Result::err).map(|e| view! { <Alert message=e.message()/> })}
            <button
                type="button"
                class="button secondary"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {t(Key::Archive)}
            </button>
            {move || open.get().then(|| view! {
                <ReasonForm
                    id="archive-reason".to_owned()
                    label=t(Key::ArchiveReason)
                    submit_label=t(Key::ArchiveForGood)
                    danger=true
                    pending=archive.pending()
                    on_submit=Callback::new(move |reason: String| {
                        archive.dispatch(reason);
                    })
                />
            })}
        </section>
    }
}

#[component]
fn GroupsOfProgram(
    program_id: Uuid,
    groups: Vec<Group>,
    can_add: bool,
    on_added: Callback<()>,
    /// Set once a group's edit was saved, for the message above the table.
    group_saved: RwSignal<bool>,
) -> impl IntoView {
    // The group whose edit form is open, one at a time.
    let editing = RwSignal::new(None::<Uuid>);
    let list = if groups.is_empty() {
        view! { <p class="status">{t(Key::NoGroups)}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table">
                    <caption class="visually-hidden">{t(Key::Groups)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::Group)}</th>
                            <th scope="col">{t(Key::GroupDates)}</th>
                            <th scope="col">{t(Key::Schedule)}</th>
                            <th scope="col">{t(Key::Teacher)}</th>
                            <th scope="col" class="num">{t(Key::Seats)}</th>
                            {can_add.then(|| view! { <th scope="col"><span class="visually-hidden">{ts(S::EditGroup)}</span></th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {groups
                            .into_iter()
                            .map(|g| view! {
                                <tr>
                                    <th scope="row">{g.name.clone()}</th>
                                    <td>{format!("{} – {}", date(g.start_date), date(g.end_date))}</td>
                                    <td>{g.schedule}</td>
                                    <td>{g.teacher}</td>
                                    <td class="num">{i18n::seats_of(g.seats_left.max(0), g.capacity)}</td>
                                    {can_add.then(|| {
                                        let id = g.id;
                                        view! {
                                            <td>
                                                <button
                                                    type="button"
                                                    class="button secondary"
                                                    aria-expanded=move || (editing.get() == Some(id)).to_string()
                                                    aria-controls="group-editor"
                                                    on:click=move |_| editing.update(|e| *e = if *e == Some(id) { None } else { Some(id) })
                                                >
                                                    {ts(S::EditGroupOf)}
                                                    <span class="visually-hidden">{format!(" «{}»", g.name.clone())}</span>
                                                </button>
                                            </td>
                                        }
                                    })}
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="record-groups-title">
            <h2 id="record-groups-title">{t(Key::Groups)}</h2>
            {move || group_saved.get().then(|| view! {
                <p class="status" role="status">{ts(S::GroupSaved)}</p>
            })}
            {list}
            {move || editing.get().map(|id| view! {
                <GroupEditor id on_saved=Callback::new(move |()| {
                    group_saved.set(true);
                    on_added.run(());
                })/>
            })}
            {can_add.then(|| view! { <GroupForm program_id on_added/> })}
        </section>
    }
}

/// A new group: dates, weekly schedule, teacher, capacity. Its price is the program's.
#[component]
fn GroupForm(program_id: Uuid, on_added: Callback<()>) -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let schedule = RwSignal::new(String::new());
    let teacher = RwSignal::new(String::new());
    let capacity = RwSignal::new(String::new());
    let open = RwSignal::new(true);
    let local_error = RwSignal::new(None::<&'static str>);
    let add = Action::new_local(move |draft: &GroupDraft| {
        let draft = draft.clone();
        async move {
            api::create_group(session, program_id, &draft).await?;
            on_added.run(());
            Ok::<(), ApiError>(())
        }
    });
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            if local_error.get() == Some(field) {
                return Some(t(Key::ErrFieldInvalid));
            }
            add.value()
                .get()
                .and_then(Result::err)
                .and_then(|e| e.field_message(field))
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = group_draft(name, start, end, schedule, teacher, capacity, open);
        match draft {
            Ok(draft) => {
                local_error.set(None);
                if !add.pending().get_untracked() {
                    add.dispatch(draft);
                }
            }
            Err(field) => local_error.set(Some(field)),
        }
    };
    view! {
        <form class="group-form" on:submit=on_submit novalidate>
            <h3>{t(Key::AddGroup)}</h3>
            {move || add.value().get().and_then(Result::err).map(|e| view! { <Alert message=e.message()/> })}
            <div class="form-grid">
                <TextField id="group-name" label=t(Key::GroupName) value=name required=true maxlength=100 error=field_error("name")/>
                <TextField id="group-start" label=t(Key::StartDate) value=start kind="date" required=true error=field_error("start_date")/>
                <TextField id="group-end" label=t(Key::EndDate) value=end kind="date" required=true error=field_error("end_date")/>
                <TextField id="group-schedule" label=t(Key::Schedule) value=schedule hint=t(Key::ScheduleHint) required=true maxlength=300 error=field_error("schedule")/>
                <TextField id="group-teacher" label=t(Key::Teacher) value=teacher required=true maxlength=200 error=field_error("teacher")/>
                <TextField id="group-capacity" label=t(Key::Capacity) value=capacity kind="number" inputmode="numeric" required=true error=field_error("capacity")/>
            </div>
            <label class="checkbox">
                <input type="checkbox" name="group-open" bind:checked=open/>
                {t(Key::OpenForApplications)}
            </label>
            <p class="hint">{t(Key::GroupPriceHint)}</p>
            <p class="actions">
                <button type="submit" class="button" disabled=move || add.pending().get()>{t(Key::AddGroup)}</button>
            </p>
        </form>
    }
}

/// The group as its form's fields hold it; `Err` names the field that does not parse.
fn group_draft(
    name: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    schedule: RwSignal<String>,
    teacher: RwSignal<String>,
    capacity: RwSignal<String>,
    open: RwSignal<bool>,
) -> Result<GroupDraft, &'static str> {
    Ok(GroupDraft {
        name: name.get_untracked().trim().to_owned(),
        start_date: start.get_untracked().parse().map_err(|_| "start_date")?,
        end_date: end.get_untracked().parse().map_err(|_| "end_date")?,
        schedule: schedule.get_untracked().trim().to_owned(),
        teacher: teacher.get_untracked().trim().to_owned(),
        capacity: capacity
            .get_untracked()
            .trim()
            .parse()
            .map_err(|_| "capacity")?,
        open: open.get_untracked(),
    })
}

/// One group's terms edited (`GET` then `PUT /groups/{id}` with `If-Match`): a change someone
/// else saved in between is refused (412) and offered to load again; the server's refusals
/// (dates locked by contracts, an archived program, capacity below the seats taken) are said
/// next to their fields.
#[component]
fn GroupEditor(id: Uuid, on_saved: Callback<()>) -> impl IntoView {
    let session = use_session();
    let group = LocalResource::new(move || api_staff::group(session, id));
    let name = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let schedule = RwSignal::new(String::new());
    let teacher = RwSignal::new(String::new());
    let capacity = RwSignal::new(String::new());
    let open = RwSignal::new(true);
    // The version the form was filled from, sent back as `If-Match`.
    let etag = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if let Some(Ok(tagged)) = group.get() {
            let g = &tagged.value;
            name.set(g.name.clone());
            start.set(g.start_date.to_string());
            end.set(g.end_date.to_string());
            schedule.set(g.schedule.clone());
            teacher.set(g.teacher.clone());
            capacity.set(g.capacity.to_string());
            open.set(g.open);
            etag.set(
                tagged
                    .etag
                    .clone()
                    .unwrap_or_else(|| format!("\"v{}\"", g.version)),
            );
        }
    });
    let save = Action::new_local(move |draft: &GroupDraft| {
        let draft = draft.clone();
        let tag = etag.get_untracked();
        async move {
            api_staff::update_group(session, id, &tag, &draft).await?;
            on_saved.run(());
            Ok::<(), ApiError>(())
        }
    });
    let error = move || save.value().get().and_then(Result::err);
    let stale = move || matches!(error(), Some(ApiError::Http { status: 412, .. }));
    let problem_code = move || {
        error().and_then(|e| match e {
            ApiError::Http {
                problem: Some(p), ..
            } => Some(p.code.clone()),
            _ => None,
        })
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            if local_error.get() == Some(field) {
                return Some(t(Key::ErrFieldInvalid));
            }
            // The dates locked by contracts: said next to both of them.
            let dates = matches!(field, "start_date" | "end_date");
            if dates && problem_code().as_deref() == Some("group_dates_locked") {
                return Some(ts(S::ErrGroupDatesLocked));
            }
            error().and_then(|e| i18n_staff::field_message(&e, field))
        })
    };
    let reload = move |_| {
        save.value().set(None);
        group.refetch();
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match group_draft(name, start, end, schedule, teacher, capacity, open) {
            Ok(draft) => {
                local_error.set(None);
                if !save.pending().get_untracked() {
                    save.dispatch(draft);
                }
            }
            Err(field) => local_error.set(Some(field)),
        }
    };
    view! {
        <div id="group-editor">
            {move || match group.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <Alert message=i18n_staff::message(&e)/> }.into_any(),
                Some(Ok(tagged)) => view! {
                    <form class="group-form" on:submit=on_submit novalidate>
                        <h3>{ts(S::EditGroup)}" «"{tagged.value.name.clone()}"»"</h3>
                        {move || error().map(|e| view! { <Alert message=i18n_staff::message(&e)/> })}
                        {move || stale().then(|| view! {
                            <p class="actions">
                                <button type="button" class="button secondary" on:click=reload>
                                    {ts(S::ReloadGroup)}
                                </button>
                            </p>
                        })}
                        <div class="form-grid">
                            <TextField id="edit-group-name" label=t(Key::GroupName) value=name required=true maxlength=100 error=field_error("name")/>
                            <TextField id="edit-group-start" label=t(Key::StartDate) value=start kind="date" required=true error=field_error("start_date")/>
                            <TextField id="edit-group-end" label=t(Key::EndDate) value=end kind="date" required=true error=field_error("end_date")/>
                            <TextField id="edit-group-schedule" label=t(Key::Schedule) value=schedule hint=t(Key::ScheduleHint) required=true maxlength=300 error=field_error("schedule")/>
                            <TextField id="edit-group-teacher" label=t(Key::Teacher) value=teacher required=true maxlength=200 error=field_error("teacher")/>
                            <TextField id="edit-group-capacity" label=t(Key::Capacity) value=capacity kind="number" inputmode="numeric" required=true error=field_error("capacity")/>
                        </div>
                        <label class="checkbox">
                            <input type="checkbox" name="edit-group-open" bind:checked=open/>
                            {t(Key::OpenForApplications)}
                        </label>
                        <p class="actions">
                            <button type="submit" class="button" disabled=move || save.pending().get()>{ts(S::SaveChanges)}</button>
                        </p>
                    </form>
                }
                .into_any(),
            }}
        </div>
    }
}

/// The program's recorded decisions, oldest first.
#[component]
fn ProgramHistory(id: Uuid) -> impl IntoView {
    let session = use_session();
    let events = LocalResource::new(move || api::program_events(session, id));
    view! {
        <section class="card history-section" aria-labelledby="program-history-title">
            <h2 id="program-history-title">{t(Key::DecisionHistory)}</h2>
            {move || match events.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol class="events">
                        {list.into_iter().map(|event| view! { <EventItem event/> }).collect_view()}
                    </ol>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn EventItem(event: ProgramEvent) -> impl IntoView {
    view! {
        <li class="event">
            <div class="event-head">
                <strong>{i18n::program_action(&event.action)}</strong>
                " · "
                <span>{i18n::program_status(event.to_status)}</span>
            </div>
            <p class="muted">{format!("{}, {}", instant(event.at), i18n::role(event.actor_role))}</p>
            {(!event.reason.is_empty()).then(|| view! { <p>{event.reason}</p> })}
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// The moderation queue

/// `/operator/programs`: programs waiting for the operator's decision, over the providers the
/// operator keeps (a municipal operator: the municipality's; the regional operator: all).
#[component]
pub fn ModerationQueuePage() -> impl IntoView {
    set_title(t(Key::ModerationQueue));
    view! {
        <RequireRole roles=OPERATORS>
            <ModerationQueue/>
        </RequireRole>
    }
}

#[component]
fn ModerationQueue() -> impl IntoView {
    let session = use_session();
    let cursor = RwSignal::new(None::<String>);
    // One call across providers: the operator's reach (its municipality, or the region) is the
    // server's to decide.
    let queue = LocalResource::new(move || {
        let mut filters = vec![
            ("limit", PAGE_SIZE.to_string()),
            ("status", ProgramStatus::OnModeration.as_str().to_owned()),
        ];
        if let Some(cursor) = cursor.get() {
            filters.push(("cursor", cursor));
        }
        api_staff::registry_programs(session, filters)
    });
    view! {
        <h1>{t(Key::ModerationQueue)}</h1>
        <p class="lead">{t(Key::ModerationQueueLead)}</p>
        {move || match queue.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                view! { <p class="status">{t(Key::NothingOnModeration)}</p> }.into_any()
            }
            Some(Ok(page)) => view! {
                <ul class="card-list">
                    {page
                        .items
                        .into_iter()
                        .map(|program| view! {
                            <RegistryCard program status=ProgramStatus::OnModeration base="/operator/programs"/>
                        })
                        .collect_view()}
                </ul>
                <Pager cursor next=page.next_cursor/>
            }
            .into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roubles_are_read_as_typed() {
        let kopecks = |s: &str| parse_roubles(s).map(Money::kopecks);
        assert_eq!(kopecks("2800"), Some(280_000));
        assert_eq!(kopecks("2 800,50"), Some(280_050));
        assert_eq!(kopecks("2800.5 ₽"), Some(280_050));
        assert_eq!(kopecks("0"), Some(0));
        assert_eq!(kopecks("-5"), None);
        assert_eq!(kopecks("две тысячи"), None);
        assert_eq!(kopecks("1,2,3"), None);
    }
}
