//! A program: what it teaches, who runs it and where, and its groups with schedules and seats.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use navigator_api_types::{Funding, Group, Program};
use uuid::Uuid;

use crate::api;
use crate::app::set_title;
use crate::format::{date, money};
use crate::forms::Alert;
use crate::i18n::{self, t, Key};
use crate::pages::NotFound;

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
