//! The provider's everyday pages: the inbox of new applications to accept or reject, the children
//! enrolled, an enrollment's attendance sheet and monthly invoices, and the list of invoices.

use chrono::NaiveDate;
use leptos::prelude::*;
use navigator_api_types::{
    Application, ApplicationStatus, AttendanceMark, CreateInvoiceRequest, Month, RejectRequest,
    Role,
};
use uuid::Uuid;

use crate::access::RequireRole;
use crate::api::{self, ApiError};
use crate::app::set_title;
use crate::clock::server_today;
use crate::format::{date, money, month};
use crate::forms::Alert;
use crate::i18n::{self, t, Key};
use crate::lists::{Pager, ReasonForm, StatusBadge};
use crate::pages::enrollment::{
    application_status_tone, id_param, ApplicationMoney, AttendanceList, ContractTable,
};
use crate::pages::invoice::{InvoiceFacts, InvoiceStatusFilter};
use crate::pages::NotFound;
use crate::session::use_session;

const PROVIDER: &[Role] = &[Role::ProviderStaff];
const PAGE_SIZE: u32 = 20;

/// The query of a list page: `status`, the page size and where the page starts.
fn list_filters(status: &str, cursor: Option<String>) -> Vec<(&'static str, String)> {
    let mut filters = vec![("limit", PAGE_SIZE.to_string())];
    if !status.is_empty() {
        filters.push(("status", status.to_owned()));
    }
    if let Some(cursor) = cursor {
        filters.push(("cursor", cursor));
    }
    filters
}

// ---------------------------------------------------------------------------------------------
// New applications

/// `/provider/applications`: the applications waiting for the provider's decision.
#[component]
pub fn ProviderApplicationsPage() -> impl IntoView {
    set_title(t(Key::NewApplications));
    view! {
        <RequireRole roles=PROVIDER>
            <ApplicationsInbox/>
        </RequireRole>
    }
}

#[component]
fn ApplicationsInbox() -> impl IntoView {
    let session = use_session();
    let cursor = RwSignal::new(None::<String>);
    let applications = LocalResource::new(move || {
        api::applications(
            session,
            list_filters(ApplicationStatus::Submitted.as_str(), cursor.get()),
        )
    });
    let decided = Callback::new(move |()| applications.refetch());
    view! {
        <h1>{t(Key::NewApplications)}</h1>
        <p class="lead">{t(Key::NewApplicationsLead)}</p>
        {move || match applications.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                view! { <p class="status">{t(Key::NoNewApplications)}</p> }.into_any()
            }
            Some(Ok(page)) => view! {
                <ul class="card-list">
                    {page
                        .items
                        .into_iter()
                        .map(|application| view! { <InboxCard application on_decided=decided/> })
                        .collect_view()}
                </ul>
                <Pager cursor next=page.next_cursor/>
            }
            .into_any(),
        }}
    }
}

#[component]
fn InboxCard(application: Application, on_decided: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = application.id;
    let accept = Action::new_local(move |(): &()| async move {
        api::accept_application(session, id).await?;
        on_decided.run(());
        Ok::<(), ApiError>(())
    });
    let reject = Action::new_local(move |reason: &String| {
        let request = RejectRequest {
            reason: reason.clone(),
        };
        async move {
            api::reject_application(session, id, &request).await?;
            on_decided.run(());
            Ok::<(), ApiError>(())
        }
    });
    let pending = Signal::derive(move || accept.pending().get() || reject.pending().get());
    let error = move || {
        accept
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| reject.value().get().and_then(Result::err))
    };
    let rejecting = RwSignal::new(false);
    let heading_id = format!("application-{id}");
    let labelled_by = heading_id.clone();
    view! {
        <li class="card application-card" aria-labelledby=labelled_by>
            <div class="card-head">
                <h3 id=heading_id>{application.child_name.clone()}</h3>
                <StatusBadge
                    label=i18n::application_status(application.status)
                    tone=application_status_tone(application.status)
                />
            </div>
            <dl class="facts-inline">
                <div><dt>{t(Key::Program)}</dt><dd>{application.program_title.clone()}</dd></div>
                <div><dt>{t(Key::Group)}</dt><dd>{application.group_name.clone()}</dd></div>
                <div><dt>{t(Key::Submitted)}</dt><dd>{date(application.submitted_at.date_naive())}</dd></div>
            </dl>
            {move || error().map(|e| view! { <Alert message=e.message()/> })}
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        accept.dispatch(());
                    }
                >
                    {t(Key::Accept)}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    aria-expanded=move || rejecting.get().to_string()
                    on:click=move |_| rejecting.update(|open| *open = !*open)
                >
                    {t(Key::Reject)}
                </button>
            </div>
            {move || rejecting.get().then(|| view! {
                <ReasonForm
                    id=format!("reject-{id}")
                    label=t(Key::RejectReason)
                    submit_label=t(Key::RejectApplication)
                    danger=true
                    pending
                    on_submit=Callback::new(move |reason: String| {
                        reject.dispatch(reason);
                    })
                />
            })}
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// Enrollments

/// `/provider/enrollments`: the children enrolled, each with its attendance sheet and invoices.
#[component]
pub fn ProviderEnrollmentsPage() -> impl IntoView {
    set_title(t(Key::Enrollments));
    view! {
        <RequireRole roles=PROVIDER>
            <Enrollments/>
        </RequireRole>
    }
}

#[component]
fn Enrollments() -> impl IntoView {
    let session = use_session();
    let cursor = RwSignal::new(None::<String>);
    let enrollments = LocalResource::new(move || {
        api::applications(
            session,
            list_filters(ApplicationStatus::Accepted.as_str(), cursor.get()),
        )
    });
    view! {
        <h1>{t(Key::Enrollments)}</h1>
        {move || match enrollments.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                view! { <p class="status">{t(Key::NoEnrollments)}</p> }.into_any()
            }
            Some(Ok(page)) => view! {
                <div class="table-scroll">
                    <table class="table">
                        <caption class="visually-hidden">{t(Key::Enrollments)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t(Key::Child)}</th>
                                <th scope="col">{t(Key::Program)}</th>
                                <th scope="col">{t(Key::Group)}</th>
                                <th scope="col">{t(Key::EnrolledOn)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.items.into_iter().map(|application| view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("/provider/enrollments/{}", application.id)>
                                            {application.child_name}
                                        </a>
                                    </th>
                                    <td>{application.program_title}</td>
                                    <td>{application.group_name}</td>
                                    <td>{application.decided_at.map(|at| date(at.date_naive()))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager cursor next=page.next_cursor/>
            }
            .into_any(),
        }}
    }
}

/// `/provider/enrollments/:id`: one child's enrollment: attendance and invoices.
#[component]
pub fn ProviderEnrollmentPage() -> impl IntoView {
    set_title(t(Key::EnrollmentTitle));
    let id = id_param();
    view! {
        <RequireRole roles=PROVIDER>
            {move || match id.get() {
                Some(id) => view! { <Enrollment id/> }.into_any(),
                None => view! { <NotFound/> }.into_any(),
            }}
        </RequireRole>
    }
}

#[component]
fn Enrollment(id: Uuid) -> impl IntoView {
    let session = use_session();
    let application = LocalResource::new(move || api::application(session, id));
    view! {
        <p class="back"><a href="/provider/enrollments">"← "{t(Key::Enrollments)}</a></p>
        {move || match application.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(ApiError::Http { status: 404, .. })) => view! { <NotFound/> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(application)) => {
                set_title(&application.child_name);
                let active = application.status == ApplicationStatus::Accepted;
                view! {
                    <h1>{application.child_name.clone()}</h1>
                    <p class="lead">
                        {format!("{}, {}", application.program_title, application.group_name)}
                    </p>
                    <div class="card enrollment-summary">
                        <StatusBadge
                            label=i18n::application_status(application.status)
                            tone=application_status_tone(application.status)
                        />
                        <ApplicationMoney application=application.clone()/>
                    </div>
                    <div class="two-columns">
                        <AttendanceSheet application_id=id active/>
                        <EnrollmentInvoices application_id=id active/>
                    </div>
                    <ContractTable months=application.months/>
                }
                .into_any()
            }
        }}
    }
}

#[component]
fn AttendanceSheet(application_id: Uuid, active: bool) -> impl IntoView {
    let session = use_session();
    let marks = LocalResource::new(move || api::attendance(session, application_id));
    let lesson_date = RwSignal::new(server_today().to_string());
    let mark = Action::new_local(move |mark: &AttendanceMark| {
        let mark = mark.clone();
        async move {
            let marked = api::mark_attendance(session, application_id, &mark).await?;
            marks.refetch();
            Ok::<_, ApiError>(marked)
        }
    });
    let pending = mark.pending();
    let dispatch = move |present: bool| {
        if let Ok(date) = lesson_date.get_untracked().parse::<NaiveDate>() {
            mark.dispatch(AttendanceMark { date, present });
        }
    };
    view! {
        <section class="card" aria-labelledby="attendance-title">
            <h2 id="attendance-title">{t(Key::AttendanceSheet)}</h2>
            {active.then(|| view! {
                <div class="field">
                    <label for="lesson-date">{t(Key::LessonDate)}</label>
                    <input id="lesson-date" type="date" required bind:value=lesson_date/>
                </div>
                <div class="actions">
                    <button type="button" class="button" disabled=move || pending.get() on:click=move |_| dispatch(true)>
                        {t(Key::MarkPresent)}
                    </button>
                    <button type="button" class="button secondary" disabled=move || pending.get() on:click=move |_| dispatch(false)>
                        {t(Key::MarkAbsent)}
                    </button>
                </div>
            })}
            <div aria-live="polite">
                {move || match mark.value().get() {
                    Some(Ok(marked)) => Some(view! {
                        <p class="notice">{i18n::marked(&date(marked.date), marked.present)}</p>
                    }.into_any()),
                    Some(Err(error)) => Some(view! { <Alert message=error.message()/> }.into_any()),
                    None => None,
                }}
            </div>
            {move || match marks.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(marks)) => view! { <AttendanceList marks/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn EnrollmentInvoices(application_id: Uuid, active: bool) -> impl IntoView {
    let session = use_session();
    let invoices = LocalResource::new(move || {
        api::invoices(
            session,
            vec![
                ("application_id", application_id.to_string()),
                ("limit", "100".to_owned()),
            ],
        )
    });
    let invoice_month = RwSignal::new(Month::of(server_today()).to_string());
    let reason = RwSignal::new(String::new());
    let issue = Action::new_local(move |request: &CreateInvoiceRequest| {
        let request = request.clone();
        async move {
            let invoice = api::create_invoice(session, &request).await?;
            reason.set(String::new());
            invoices.refetch();
            Ok::<_, ApiError>(invoice)
        }
    });
    let pending = issue.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(month) = invoice_month.get_untracked().parse::<Month>() else {
            return;
        };
        let typed = reason.get_untracked().trim().to_owned();
        issue.dispatch(CreateInvoiceRequest {
            application_id,
            month,
            no_attendance_reason: (!typed.is_empty()).then_some(typed),
        });
    };
    let reason_required = move || {
        matches!(
            issue.value().get(),
            Some(Err(ApiError::Http { problem: Some(ref p), .. })) if p.code == "no_attendance_reason_required"
        )
    };
    view! {
        <section class="card" aria-labelledby="invoices-title">
            <h2 id="invoices-title">{t(Key::Invoices)}</h2>
            {active.then(|| view! {
                <form on:submit=on_submit aria-busy=move || pending.get().then_some("true")>
                    <div class="field">
                        <label for="invoice-month">{t(Key::InvoiceMonth)}</label>
                        <input id="invoice-month" type="month" required bind:value=invoice_month/>
                    </div>
                    <div class="field" class:has-error=reason_required>
                        <label for="no-attendance-reason">{t(Key::NoAttendanceReason)}</label>
                        <input
                            id="no-attendance-reason"
                            type="text"
                            maxlength="500"
                            aria-describedby="no-attendance-reason-hint"
                            bind:value=reason
                        />
                        <p class="hint" id="no-attendance-reason-hint">{t(Key::NoAttendanceReasonHint)}</p>
                    </div>
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {t(Key::IssueInvoice)}
                    </button>
                </form>
            })}
            <div aria-live="polite">
                {move || match issue.value().get() {
                    Some(Ok(invoice)) => Some(view! {
                        <p class="notice">{i18n::invoice_issued(&month(invoice.month))}</p>
                    }.into_any()),
                    Some(Err(error)) => Some(view! { <Alert message=error.message()/> }.into_any()),
                    None => None,
                }}
            </div>
            {move || match invoices.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => {
                    view! { <p class="status">{t(Key::NoInvoices)}</p> }.into_any()
                }
                Some(Ok(page)) => view! {
                    <ul class="card-list compact">
                        {page.items.into_iter().map(|invoice| view! {
                            <li class="invoice-item"><InvoiceFacts invoice/></li>
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Invoices

/// The provider's money at a glance: what its enrollments hold on certificates, what was
/// written off to it, what families owe it.
#[component]
fn AccountSummary() -> impl IntoView {
    let session = use_session();
    let provider_id = session.user().and_then(|user| user.provider_id);
    let account = LocalResource::new(move || async move {
        match provider_id {
            Some(id) => Some(api::provider_account(session, id).await),
            None => None,
        }
    });
    move || {
        match account.get() {
        Some(Some(Ok(account))) => view! {
            <section class="card account-summary" aria-labelledby="provider-account-title">
                <h2 id="provider-account-title">{t(Key::ProviderAccount)}</h2>
                <dl class="money money-wide">
                    <div><dt>{t(Key::ActiveEnrollments)}</dt><dd>{account.active_enrollments}</dd></div>
                    <div><dt>{t(Key::Reserved)}</dt><dd>{money(account.reserved)}</dd></div>
                    <div><dt>{t(Key::PaidFromCertificates)}</dt><dd>{money(account.owed)}</dd></div>
                    <div><dt>{t(Key::FamiliesOwe)}</dt><dd>{money(account.family_owed)}</dd></div>
                    <div>
                        <dt>{t(Key::AwaitingApproval)}</dt>
                        <dd>{format!("{} · {}", account.invoices_issued, money(account.invoices_issued_amount))}</dd>
                    </div>
                </dl>
            </section>
        }
        .into_any(),
        Some(Some(Err(error))) => view! { <Alert message=error.message()/> }.into_any(),
        _ => ().into_any(),
    }
    }
}

/// `/provider/invoices`: every invoice of the provider with its status.
#[component]
pub fn ProviderInvoicesPage() -> impl IntoView {
    set_title(t(Key::Invoices));
    view! {
        <RequireRole roles=PROVIDER>
            <ProviderInvoices/>
        </RequireRole>
    }
}

#[component]
fn ProviderInvoices() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    // Another filter starts from the first page.
    Effect::new(move |_| {
        status.track();
        if cursor.with_untracked(Option::is_some) {
            cursor.set(None);
        }
    });
    let invoices = LocalResource::new(move || {
        api::invoices(session, list_filters(&status.get(), cursor.get()))
    });
    view! {
        <h1>{t(Key::Invoices)}</h1>
        <p class="lead">{t(Key::ProviderInvoicesLead)}</p>
        <AccountSummary/>
        <InvoiceStatusFilter status/>
        {move || match invoices.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                view! { <p class="status">{t(Key::NoInvoices)}</p> }.into_any()
            }
            Some(Ok(page)) => view! {
                <ul class="card-list">
                    {page.items.into_iter().map(|invoice| {
                        let labelled_by = format!("invoice-{}", invoice.id);
                        view! { <li class="card" aria-labelledby=labelled_by><InvoiceFacts invoice/></li> }
                    }).collect_view()}
                </ul>
                <Pager cursor next=page.next_cursor/>
            }
            .into_any(),
        }}
    }
}
