//! An enrollment as the family sees it: the contract month by month and the attendance the
//! provider marked; and the pieces of it that the provider's pages show too.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use navigator_api_types::{Application, ApplicationStatus, Attendance, MonthShare, Role};
use uuid::Uuid;

use crate::access::RequireRole;
use crate::api;
use crate::app::set_title;
use crate::format::{date, money, month};
use crate::forms::Alert;
use crate::i18n::{self, t, Key};
use crate::lists::{StatusBadge, Tone};
use crate::pages::NotFound;
use crate::session::use_session;

pub fn application_status_tone(status: ApplicationStatus) -> Tone {
    match status {
        ApplicationStatus::Submitted => Tone::Waiting,
        ApplicationStatus::Accepted => Tone::Good,
        ApplicationStatus::Rejected | ApplicationStatus::Expelled => Tone::Bad,
        ApplicationStatus::Withdrawn | ApplicationStatus::Completed => Tone::Neutral,
    }
}

/// The id in the page's address, checked so that a mistyped link never becomes a request to
/// another path.
pub fn id_param() -> Memo<Option<Uuid>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok())
    })
}

/// The money of an accepted contract: the whole, the shares, what is still reserved and what was
/// paid. Nothing for an application without a contract.
#[component]
pub fn ApplicationMoney(application: Application) -> impl IntoView {
    if application.months.is_empty() {
        return ().into_any();
    }
    view! {
        <dl class="money money-wide">
            <div><dt>{t(Key::ContractCost)}</dt><dd>{money(application.cost)}</dd></div>
            <div><dt>{t(Key::CertificatePays)}</dt><dd>{money(application.certificate_amount)}</dd></div>
            <div><dt>{t(Key::FamilyPays)}</dt><dd>{money(application.family_amount)}</dd></div>
            <div><dt>{t(Key::Reserved)}</dt><dd>{money(application.reserved)}</dd></div>
            <div><dt>{t(Key::WrittenOff)}</dt><dd>{money(application.written_off)}</dd></div>
        </dl>
    }
    .into_any()
}

/// The contract month by month.
#[component]
pub fn ContractTable(months: Vec<MonthShare>) -> impl IntoView {
    if months.is_empty() {
        return ().into_any();
    }
    let rows = months
        .into_iter()
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
        <div class="table-scroll">
            <table class="table">
                <caption>{t(Key::ContractByMonth)}</caption>
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
        </div>
    }
    .into_any()
}

/// The marked lessons, latest first, with how many were attended.
#[component]
pub fn AttendanceList(mut marks: Vec<Attendance>) -> impl IntoView {
    if marks.is_empty() {
        return view! { <p class="status">{t(Key::NoAttendanceYet)}</p> }.into_any();
    }
    marks.sort_by_key(|mark| std::cmp::Reverse(mark.date));
    let attended = marks.iter().filter(|mark| mark.present).count();
    let total = marks.len();
    let rows = marks
        .into_iter()
        .map(|mark| {
            view! {
                <li class="attendance-mark" class:absent=!mark.present>
                    <span>{date(mark.date)}</span>
                    <span>{if mark.present { t(Key::Present) } else { t(Key::Absent) }}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="summary">{i18n::lessons_attended(attended, total)}</p>
        <ul class="attendance-list">{rows}</ul>
    }
    .into_any()
}

/// `/account/applications/:id`: one of the family's enrollments.
#[component]
pub fn FamilyEnrollmentPage() -> impl IntoView {
    set_title(t(Key::EnrollmentTitle));
    let id = id_param();
    view! {
        <RequireRole roles=&[Role::Family]>
            {move || match id.get() {
                Some(id) => view! { <FamilyEnrollment id/> }.into_any(),
                None => view! { <NotFound/> }.into_any(),
            }}
        </RequireRole>
    }
}

#[component]
fn FamilyEnrollment(id: Uuid) -> impl IntoView {
    let session = use_session();
    let application = LocalResource::new(move || api::application(session, id));
    let attendance = LocalResource::new(move || api::attendance(session, id));
    view! {
        <p class="back"><a href="/account#applications">"← "{t(Key::AccountTitle)}</a></p>
        {move || match application.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(api::ApiError::Http { status: 404, .. })) => view! { <NotFound/> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(application)) => {
                set_title(&application.program_title);
                view! {
                    <h1>{application.program_title.clone()}</h1>
                    <p class="lead">
                        {format!("{}, {}", application.child_name, application.group_name)}
                    </p>
                    <div class="card enrollment-summary">
                        <StatusBadge
                            label=i18n::application_status(application.status)
                            tone=application_status_tone(application.status)
                        />
                        <ApplicationMoney application=application.clone()/>
                    </div>
                    <ContractTable months=application.months/>
                }
                .into_any()
            }
        }}
        <section class="attendance" aria-labelledby="attendance-title">
            <h2 id="attendance-title">{t(Key::Attendance)}</h2>
            {move || match attendance.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(marks)) => view! { <AttendanceList marks/> }.into_any(),
            }}
        </section>
    }
}
