//! A program: what it teaches, who runs it and where, its groups with schedules and seats, and
//! for a family the way in: choose a child and a group, see how the cost splits between the
//! certificate and the family, apply.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};
use navigator_api_types::{
    Application, Child, CreateApplicationRequest, Funding, Group, Program, Quote, QuoteRequest,
    Role,
};
use uuid::Uuid;

use crate::access::sign_in_url;
use crate::api;
use crate::app::set_title;
use crate::format::{date, money, month};
use crate::forms::Alert;
use crate::i18n::{self, t, Key};
use crate::pages::reviews::ReviewsSection;
use crate::pages::waitlist::{self, JoinWaitlist};
use crate::pages::NotFound;
use crate::session::use_session;

#[component]
pub fn ProgramPage() -> impl IntoView {
    let params = use_params_map();
    // Ids are checked here so that a mistyped link never becomes a request to another path.
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok())
    });
    move || match id.get() {
        Some(id) => view! { <ProgramDetails id/> }.into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}

#[component]
fn ProgramDetails(id: Uuid) -> impl IntoView {
    set_title(t(Key::Loading));
    let program = LocalResource::new(move || api::program(id));
    Effect::new(move |_| {
        if let Some(Ok(program)) = program.get() {
            set_title(&program.title);
        }
    });
    view! {
        <p class="back"><a href="/catalog">"← "{t(Key::NavCatalog)}</a></p>
        {move || match program.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(api::ApiError::Http { status: 404, .. })) => view! { <NotFound/> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(program)) => view! { <ProgramView program/> }.into_any(),
        }}
    }
}

#[component]
fn ProgramView(program: Program) -> impl IntoView {
    let apply = view! { <ApplyPanel funding=program.funding groups=program.groups.clone()/> };
    let reviews = view! {
        <ReviewsSection
            program_id=program.id
            provider_id=program.provider_id
            rating=program.rating.clone()
            reviews_count=program.reviews_count
        />
    };
    let price = if program.funding == Funding::Certificate {
        format!("{} {}", money(program.price_per_month), t(Key::PerMonth))
    } else {
        t(Key::Free).to_owned()
    };
    let groups = if program.groups.is_empty() {
        view! { <p class="status">{t(Key::NoGroups)}</p> }.into_any()
    } else {
        view! {
            <ul class="groups">
                {program.groups.into_iter().map(|group| view! { <GroupCard group/> }).collect_view()}
            </ul>
        }
            .into_any()
    };
    view! {
        <article class="program">
            <header class="program-header">
                <div class="badges">
                    {(program.funding == Funding::Certificate)
                        .then(|| {
                            view! { <span class="badge badge-certificate">{t(Key::FundingCertificate)}</span> }
                        })}
                    {program
                        .adapted_for_disabilities
                        .then(|| view! { <span class="badge">{t(Key::AdaptedForDisabilities)}</span> })}
                </div>
                <h1>{program.title}</h1>
                <p class="lead">{program.provider_name.clone()}</p>
            </header>
            <div class="program-body">
                <section class="description">
                    {program
                        .description
                        .split("\n\n")
                        .filter(|paragraph| !paragraph.trim().is_empty())
                        .map(|paragraph| view! { <p>{paragraph.to_owned()}</p> })
                        .collect_view()}
                    {program
                        .medical_certificate_required
                        .then(|| view! { <p class="note">{t(Key::MedicalCertificateRequired)}</p> })}
                </section>
                <aside class="card facts-card">
                    <dl class="facts-list">
                        <dt>{t(Key::Price)}</dt>
                        <dd>{price}</dd>
                        <dt>{t(Key::Provider)}</dt>
                        <dd>{program.provider_name}</dd>
                        <dt>{t(Key::Address)}</dt>
                        <dd>{program.address}</dd>
                        <dt>{t(Key::Direction)}</dt>
                        <dd>{i18n::direction(program.direction)}</dd>
                        <dt>{t(Key::Ages)}</dt>
                        <dd>{i18n::ages(program.age_from, program.age_to)}</dd>
                        <dt>{t(Key::Level)}</dt>
                        <dd>{i18n::level(program.level)}</dd>
                        <dt>{t(Key::StudyForm)}</dt>
                        <dd>{i18n::study_form(program.form)}</dd>
                        <dt>{t(Key::HoursPerWeek)}</dt>
                        <dd>{program.hours_per_week}</dd>
                        <dt>{t(Key::Duration)}</dt>
                        <dd>{format!("{} {}", program.duration_months, t(Key::MonthsShort))}</dd>
                    </dl>
                </aside>
            </div>
            <section class="groups-section" aria-labelledby="groups-title">
                <h2 id="groups-title">{t(Key::Groups)}</h2>
                {groups}
            </section>
            {apply}
            {reviews}
        </article>
    }
}

#[component]
fn GroupCard(group: Group) -> impl IntoView {
    let enrolling = group.open && group.seats_left > 0;
    view! {
        <li class="card group-card">
            <div class="group-head">
                <h3>{group.name}</h3>
                <span class="badge" class:badge-certificate=enrolling>
                    {if enrolling { t(Key::GroupOpen) } else { t(Key::GroupClosed) }}
                </span>
            </div>
            <dl class="facts-list">
                <dt>{t(Key::Schedule)}</dt>
                <dd>{group.schedule}</dd>
                <dt>{t(Key::GroupDates)}</dt>
                <dd>{format!("{} – {}", date(group.start_date), date(group.end_date))}</dd>
                <dt>{t(Key::Teacher)}</dt>
                <dd>{group.teacher}</dd>
                <dt>{t(Key::Seats)}</dt>
                <dd>{i18n::seats_of(group.seats_left.max(0), group.capacity)}</dd>
            </dl>
        </li>
    }
}

/// Whether a family can apply to `group` now, as far as the page knows: the server decides.
fn enrolling(group: &Group) -> bool {
    group.open && group.seats_left > 0
}

/// The family's way into the program. Visitors are asked to sign in first; staff see nothing,
/// since only families apply.
#[component]
fn ApplyPanel(funding: Funding, groups: Vec<Group>) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let role = Memo::new(move |_| session.user().map(|user| user.role));
    let groups = StoredValue::new(groups);
    move || match role.get() {
        None => {
            let here = location.pathname.get_untracked();
            view! {
                <section class="card apply" aria-labelledby="apply-title">
                    <h2 id="apply-title">{t(Key::ApplyTitle)}</h2>
                    <p>{t(Key::SignInToApply)}</p>
                    <p class="actions">
                        <a class="button" href=sign_in_url(&here)>{t(Key::SignIn)}</a>
                        <a class="button secondary" href="/register">{t(Key::Register)}</a>
                    </p>
                </section>
            }
            .into_any()
        }
        Some(Role::Family) => view! { <FamilyApply funding groups=groups.get_value()/> }.into_any(),
        Some(_) => ().into_any(),
    }
}

#[component]
fn FamilyApply(funding: Funding, groups: Vec<Group>) -> impl IntoView {
    let session = use_session();
    let children = LocalResource::new(move || api::children(session));
    let full_groups: Vec<Group> = groups
        .iter()
        .filter(|g| waitlist::full(g))
        .cloned()
        .collect();
    let open_groups: Vec<Group> = groups.into_iter().filter(enrolling).collect();
    // Where there is one child or one open group, it is chosen already.
    let child_id = RwSignal::new(None::<Uuid>);
    let group_id = RwSignal::new(match open_groups.as_slice() {
        [only] => Some(only.id),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(Ok([only])) = children.get().as_ref().map(|r| r.as_deref()) {
            if child_id.get_untracked().is_none() {
                child_id.set(Some(only.id));
            }
        }
    });
    let choice = Memo::new(move |_| Some((child_id.get()?, group_id.get()?)));
    let quote = LocalResource::new(move || {
        let choice = choice.get();
        async move {
            match choice {
                Some((child_id, group_id)) => {
                    Some(api::quote(session, &QuoteRequest { child_id, group_id }).await)
                }
                None => None,
            }
        }
    });
    let submit = Action::new_local(move |request: &CreateApplicationRequest| {
        let request = request.clone();
        async move { api::apply(session, &request).await }
    });
    let pending = submit.pending();
    let submitted = move || submit.value().get().and_then(Result::ok);
    let apply_error = move || submit.value().get().and_then(Result::err);
    // A new choice is a new attempt: the previous answer no longer applies to it.
    Effect::new(move |_| {
        choice.track();
        submit.value().set(None);
    });
    let on_apply = move |_| {
        if let Some((child_id, group_id)) = choice.get_untracked() {
            submit.dispatch(CreateApplicationRequest {
                child_id,
                group_id,
                on_behalf: None,
            });
        }
    };

    let child_options = move || {
        children
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|child: Child| {
                let id = child.id;
                let name = format!("{} {}", child.first_name, child.last_name);
                view! {
                    <option value=id.to_string() prop:selected=move || child_id.get() == Some(id)>
                        {name}
                    </option>
                }
            })
            .collect_view()
    };
    let group_options = open_groups
        .iter()
        .map(|group| {
            let id = group.id;
            let label = format!("{} — {}", group.name, group.schedule);
            view! {
                <option value=id.to_string() prop:selected=move || group_id.get() == Some(id)>
                    {label}
                </option>
            }
        })
        .collect_view();
    let no_groups = open_groups.is_empty();

    view! {
        <section class="card apply" aria-labelledby="apply-title">
            <h2 id="apply-title">{t(Key::ApplyTitle)}</h2>
            {move || match children.get() {
                Some(Err(error)) => Some(view! { <Alert message=error.message()/> }.into_any()),
                Some(Ok(list)) if list.is_empty() => Some(view! {
                    <p>{t(Key::AddChildFirst)}" "<a href="/account">{t(Key::NavAccount)}</a></p>
                }.into_any()),
                _ => None,
            }}
            {if no_groups {
                view! { <p class="status">{t(Key::NoOpenGroups)}</p> }.into_any()
            } else {
                view! {
                    <div class="apply-choice">
                        <div class="field">
                            <label for="apply-child">{t(Key::Child)}</label>
                            <select
                                id="apply-child"
                                on:change=move |ev| child_id.set(Uuid::parse_str(&event_target_value(&ev)).ok())
                            >
                                <option value="" prop:selected=move || child_id.get().is_none()>{t(Key::ChooseChild)}</option>
                                {child_options}
                            </select>
                        </div>
                        <div class="field">
                            <label for="apply-group">{t(Key::Group)}</label>
                            <select
                                id="apply-group"
                                on:change=move |ev| group_id.set(Uuid::parse_str(&event_target_value(&ev)).ok())
                            >
                                <option value="" prop:selected=move || group_id.get().is_none()>{t(Key::ChooseGroup)}</option>
                                {group_options}
                            </select>
                        </div>
                    </div>
                }
                .into_any()
            }}
            <div aria-live="polite">
                {move || match quote.get() {
                    None if choice.get().is_some() => {
                        view! { <p class="status">{t(Key::Calculating)}</p> }.into_any()
                    }
                    None | Some(None) => ().into_any(),
                    Some(Some(Err(error))) => view! { <Alert message=error.message()/> }.into_any(),
                    Some(Some(Ok(quote))) => view! { <QuoteView quote funding/> }.into_any(),
                }}
            </div>
            {move || apply_error().map(|error| view! { <Alert message=error.message()/> })}
            {move || match submitted() {
                Some(application) => view! { <Submitted application/> }.into_any(),
                None => {
                    let ready = move || {
                        matches!(quote.get(), Some(Some(Ok(_)))) && !pending.get()
                    };
                    view! {
                        <button
                            type="button"
                            class="button wide"
                            disabled=move || !ready()
                            on:click=on_apply
                        >
                            {move || if pending.get() { t(Key::Applying) } else { t(Key::Apply) }}
                        </button>
                    }
                    .into_any()
                }
            }}
        </section>
        {(!full_groups.is_empty()).then(|| view! { <JoinWaitlist child_id groups=full_groups/> })}
    }
}

#[component]
fn Submitted(application: Application) -> impl IntoView {
    view! {
        <div class="notice" role="status">
            <p>{i18n::application_submitted(&application.child_name, &application.group_name)}</p>
            <p><a href="/account#applications">{t(Key::ToMyApplications)}</a></p>
        </div>
    }
}

/// The split of the cost, before applying: what the certificate pays, what the family pays each
/// month and in all, what stays on the certificate.
#[component]
fn QuoteView(quote: Quote, funding: Funding) -> impl IntoView {
    if funding == Funding::Budget {
        return view! {
            <div class="quote">
                <p class="notice">{t(Key::QuoteFree)}</p>
            </div>
        }
        .into_any();
    }
    let months = quote.months.len();
    let family_each_month = match quote.months.as_slice() {
        [first, rest @ ..] if rest.iter().all(|m| m.family == first.family) => Some(first.family),
        _ => None,
    };
    let co_payment = quote.family.is_positive();
    let rows = quote
        .months
        .iter()
        .map(|share| {
            view! {
                <tr>
                    <th scope="row">{month(share.month)}</th>
                    <td class="num">{money(share.price)}</td>
                    <td class="num">{money(share.certificate)}</td>
                    <td class="num">{money(share.family)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="quote" aria-labelledby="quote-title">
            <h3 id="quote-title">{t(Key::QuoteTitle)}</h3>
            {quote
                .switches_to_financing
                .then(|| view! { <p class="note">{i18n::switches_to_financing(&money(quote.balance_before))}</p> })}
            <dl class="money quote-totals">
                <div>
                    <dt>{i18n::cost_of_months(months)}</dt>
                    <dd>{money(quote.cost)}</dd>
                </div>
                <div>
                    <dt>{t(Key::CertificatePays)}</dt>
                    <dd data-testid="quote-certificate">{money(quote.certificate)}</dd>
                </div>
                <div class:co-payment=co_payment>
                    <dt>{t(Key::FamilyPays)}</dt>
                    <dd data-testid="quote-family">{money(quote.family)}</dd>
                </div>
                <div>
                    <dt>{t(Key::FamilyPaysMonthly)}</dt>
                    <dd>
                        {match family_each_month {
                            Some(amount) => money(amount),
                            None => t(Key::SeeByMonth).to_owned(),
                        }}
                    </dd>
                </div>
                <div>
                    <dt>{t(Key::StaysOnCertificate)}</dt>
                    <dd data-testid="quote-balance-after">{money(quote.balance_after)}</dd>
                </div>
            </dl>
            <p class="hint">
                {if co_payment { t(Key::CoPaymentExplained) } else { t(Key::NoCoPayment) }}
            </p>
            <table class="table">
                <caption>{t(Key::ByMonth)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Key::Month)}</th>
                        <th scope="col" class="num">{t(Key::Price)}</th>
                        <th scope="col" class="num">{t(Key::Certificate)}</th>
                        <th scope="col" class="num">{t(Key::Family)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}
