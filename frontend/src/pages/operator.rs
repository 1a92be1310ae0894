//! The operators' pages (municipal and regional): certificates waiting for the document check,
//! invoices waiting for approval, and the municipality's financing periods with their money.

use leptos::prelude::*;
use navigator_api_types::{
    Certificate, CertificateDecision, CertificateStatus, FinancingPeriod, Invoice, InvoiceStatus,
    RejectRequest, Role,
};
use uuid::Uuid;

use crate::access::{RequireRole, OPERATORS};
use crate::api::{self, ApiError};
use crate::app::set_title;
use crate::format::{date, instant, money};
use crate::forms::{Alert, MunicipalitySelect};
use crate::i18n::{self, t, Key};
use crate::lists::{Pager, ReasonForm};
use crate::pages::invoice::{InvoiceFacts, InvoiceStatusFilter};
use crate::session::use_session;

const PAGE_SIZE: u32 = 20;

fn page_filters(status: &str, cursor: Option<String>) -> Vec<(&'static str, String)> {
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
// Certificates: the activation queue and the other decisions

/// What an operator can do to a certificate; each is recorded with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// The documents were checked in person: pending → accounting.
    Activate,
    Suspend,
    Resume,
    /// Final: enrollments end and what is left returns to the period's fund.
    Close,
}

impl Decision {
    /// The decisions open to a certificate of `status`.
    fn open_to(status: CertificateStatus) -> &'static [Decision] {
        match status {
            CertificateStatus::Pending => &[Decision::Activate],
            CertificateStatus::Accounting | CertificateStatus::Financing => {
                &[Decision::Suspend, Decision::Close]
            }
            CertificateStatus::Suspended => &[Decision::Resume, Decision::Close],
            CertificateStatus::Closed => &[],
        }
    }

    fn label(self) -> &'static str {
        t(match self {
            Decision::Activate => Key::Activate,
            Decision::Suspend => Key::Suspend,
            Decision::Resume => Key::Resume,
            Decision::Close => Key::CloseCertificate,
        })
    }

    fn slug(self) -> &'static str {
        match self {
            Decision::Activate => "activate",
            Decision::Suspend => "suspend",
            Decision::Resume => "resume",
            Decision::Close => "close",
        }
    }

    async fn send(
        self,
        session: crate::session::Session,
        id: Uuid,
        decision: CertificateDecision,
    ) -> Result<Certificate, ApiError> {
        match self {
            Decision::Activate => api::activate_certificate(session, id, &decision).await,
            Decision::Suspend => api::suspend_certificate(session, id, &decision).await,
            Decision::Resume => api::resume_certificate(session, id, &decision).await,
            Decision::Close => api::close_certificate(session, id, &decision).await,
        }
    }
}

/// `/operator/certificates`: first the certificates asked for online and waiting for the family
/// to show the documents in person; the other statuses for suspending, resuming and closing.
#[component]
pub fn OperatorCertificatesPage() -> impl IntoView {
    set_title(t(Key::OperatorCertificates));
    view! {
        <RequireRole roles=OPERATORS>
            <OperatorCertificates/>
        </RequireRole>
    }
}

#[component]
fn OperatorCertificates() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(CertificateStatus::Pending.as_str().to_owned());
    let cursor = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        status.track();
        if cursor.with_untracked(Option::is_some) {
            cursor.set(None);
        }
    });
    let certificates = LocalResource::new(move || {
        api::certificates(session, page_filters(&status.get(), cursor.get()))
    });
    let decided = Callback::new(move |()| certificates.refetch());
    let options = [
        CertificateStatus::Pending,
        CertificateStatus::Accounting,
        CertificateStatus::Financing,
        CertificateStatus::Suspended,
        CertificateStatus::Closed,
    ]
    .into_iter()
    .map(|s| {
        let value = s.as_str();
        view! {
            <option value=value prop:selected=move || status.with(|v| v == value)>
                {i18n::certificate_status_short(s)}
            </option>
        }
    })
    .collect_view();
    view! {
        <h1>{t(Key::OperatorCertificates)}</h1>
        <p class="lead">{t(Key::ActivationQueueLead)}</p>
        <div class="field field-inline">
            <label for="certificate-status">{t(Key::InvoiceStatusFilter)}</label>
            <select id="certificate-status" on:change=move |ev| status.set(event_target_value(&ev))>
                {options}
            </select>
        </div>
        {move || match certificates.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                let empty = if status.with_untracked(|s| s == CertificateStatus::Pending.as_str()) {
                    t(Key::NoPendingCertificates)
                } else {
                    t(Key::NoCertificates)
                };
                view! { <p class="status">{empty}</p> }.into_any()
            }
            Some(Ok(page)) => view! {
                <ul class="card-list">
                    {page
                        .items
                        .into_iter()
                        .map(|certificate| view! { <CertificateCard certificate on_decided=decided/> })
                        .collect_view()}
                </ul>
                <Pager cursor next=page.next_cursor/>
            }
            .into_any(),
        }}
    }
}

#[component]
fn CertificateCard(certificate: Certificate, on_decided: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = certificate.id;
    let decide = Action::new_local(move |(decision, reason): &(Decision, String)| {
        let (decision, request) = (
            *decision,
            CertificateDecision {
                reason: reason.clone(),
            },
        );
        async move {
            decision.send(session, id, request).await?;
            on_decided.run(());
            Ok::<(), ApiError>(())
        }
    });
    let pending = decide.pending();
    let decisions = Decision::open_to(certificate.status);
    // Activation is the everyday case: its form is open from the start, with the usual reason.
    let chosen = RwSignal::new(
        decisions
            .first()
            .copied()
            .filter(|d| *d == Decision::Activate),
    );
    let heading_id = format!("certificate-{id}");
    let labelled_by = heading_id.clone();
    let buttons = decisions
        .iter()
        .copied()
        .filter(|d| *d != Decision::Activate)
        .map(|decision| {
            view! {
                <button
                    type="button"
                    class="button secondary"
                    aria-expanded=move || (chosen.get() == Some(decision)).to_string()
                    on:click=move |_| chosen.update(|c| {
                        *c = if *c == Some(decision) { None } else { Some(decision) };
                    })
                >
                    {decision.label()}
                </button>
            }
        })
        .collect_view();
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <div class="card-head">
                <h3 id=heading_id>{certificate.child_name.clone()}</h3>
                <span class="mono">{certificate.number.clone()}</span>
            </div>
            <dl class="facts-inline">
                <div><dt>{t(Key::RequestedAt)}</dt><dd>{instant(certificate.issued_at)}</dd></div>
                <div><dt>{t(Key::ValidUntil)}</dt><dd>{date(certificate.valid_until)}</dd></div>
                <div><dt>{t(Key::Balance)}</dt><dd>{money(certificate.balance)}</dd></div>
                <div><dt>{t(Key::Reserved)}</dt><dd>{money(certificate.reserved)}</dd></div>
            </dl>
            {move || decide.value().get().and_then(Result::err).map(|e| view! { <Alert message=e.message()/> })}
            <div class="actions">{buttons}</div>
            {move || chosen.get().map(|decision| view! {
                <ReasonForm
                    id=format!("{}-{id}", decision.slug())
                    label=t(Key::ActivationReason)
                    submit_label=decision.label()
                    initial=if decision == Decision::Activate { t(Key::DocumentsChecked) } else { "" }
                    danger=decision == Decision::Close
                    pending
                    on_submit=Callback::new(move |reason: String| {
                        decide.dispatch((decision, reason));
                    })
                />
            })}
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// Invoices to approve

/// `/operator/invoices`: the providers' invoices; approving writes the certificate's share off.
#[component]
pub fn InvoiceApprovalPage() -> impl IntoView {
    set_title(t(Key::InvoiceApproval));
    view! {
        <RequireRole roles=OPERATORS>
            <InvoiceApproval/>
        </RequireRole>
    }
}

#[component]
fn InvoiceApproval() -> impl IntoView {
    let session = use_session();
    let status = RwSignal::new(InvoiceStatus::Issued.as_str().to_owned());
    let cursor = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        status.track();
        if cursor.with_untracked(Option::is_some) {
            cursor.set(None);
        }
    });
    let invoices = LocalResource::new(move || {
        api::invoices(session, page_filters(&status.get(), cursor.get()))
    });
    let decided = Callback::new(move |()| invoices.refetch());
    view! {
        <h1>{t(Key::InvoiceApproval)}</h1>
        <p class="lead">{t(Key::InvoiceApprovalLead)}</p>
        <InvoiceStatusFilter status/>
        {move || match invoices.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                view! { <p class="status">{t(Key::NoInvoices)}</p> }.into_any()
            }
            Some(Ok(page)) => view! {
                <ul class="card-list">
                    {page
                        .items
                        .into_iter()
                        .map(|invoice| view! { <InvoiceToDecide invoice on_decided=decided/> })
                        .collect_view()}
                </ul>
                <Pager cursor next=page.next_cursor/>
            }
            .into_any(),
        }}
    }
}

#[component]
fn InvoiceToDecide(invoice: Invoice, on_decided: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = invoice.id;
    let waiting = invoice.status == InvoiceStatus::Issued;
    let approve = Action::new_local(move |(): &()| async move {
        api::approve_invoice(session, id).await?;
        on_decided.run(());
        Ok::<(), ApiError>(())
    });
    let reject = Action::new_local(move |reason: &String| {
        let request = RejectRequest {
            reason: reason.clone(),
        };
        async move {
            api::reject_invoice(session, id, &request).await?;
            on_decided.run(());
            Ok::<(), ApiError>(())
        }
    });
    let pending = Signal::derive(move || approve.pending().get() || reject.pending().get());
    let error = move || {
        approve
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| reject.value().get().and_then(Result::err))
    };
    let rejecting = RwSignal::new(false);
    let labelled_by = format!("invoice-{id}");
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <InvoiceFacts invoice/>
            {move || error().map(|e| view! { <Alert message=e.message()/> })}
            {waiting.then(|| view! {
                <div class="actions">
                    <button
                        type="button"
                        class="button"
                        disabled=move || pending.get()
                        on:click=move |_| {
                            approve.dispatch(());
                        }
                    >
                        {t(Key::Approve)}
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
                        submit_label=t(Key::RejectInvoice)
                        danger=true
                        pending
                        on_submit=Callback::new(move |reason: String| {
                            reject.dispatch(reason);
                        })
                    />
                })}
            })}
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// Periods

/// `/operator/periods`: the financing periods of the operator's municipality (the regional
/// operator chooses one) with budget, committed, free, reserved and written-off money.
#[component]
pub fn PeriodsPage() -> impl IntoView {
    set_title(t(Key::Periods));
    view! {
        <RequireRole roles=OPERATORS>
            <Periods/>
        </RequireRole>
    }
}

#[component]
fn Periods() -> impl IntoView {
    let session = use_session();
    let user = session.user();
    let own = user
        .as_ref()
        .filter(|user| user.role == Role::MunicipalOperator)
        .and_then(|user| user.municipality_id);
    let municipalities = LocalResource::new(api::municipalities);
    let chosen = RwSignal::new(own.map(|id| id.to_string()).unwrap_or_default());
    // The regional operator starts with the first municipality of the list.
    Effect::new(move |_| {
        let first = municipalities
            .get()
            .and_then(Result::ok)
            .and_then(|all| all.first().map(|m| m.id));
        if let Some(first) = first {
            if chosen.with_untracked(String::is_empty) {
                chosen.set(first.to_string());
            }
        }
    });
    let periods = LocalResource::new(move || {
        let municipality = Uuid::parse_str(&chosen.get()).ok();
        async move {
            match municipality {
                Some(id) => Some(api::periods(id).await),
                None => None,
            }
        }
    });
    view! {
        <h1>{t(Key::Periods)}</h1>
        <p class="lead">{t(Key::PeriodsLead)}</p>
        {own.is_none().then(|| view! {
            <MunicipalitySelect
                id="period-municipality"
                label=t(Key::Municipality)
                empty_label=t(Key::NotChosen)
                value=chosen
                municipalities
                error=Signal::stored(None)
            />
        })}
        {move || match periods.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(None) => ().into_any(),
            Some(Some(Err(error))) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Some(Ok(list))) if list.is_empty() => {
                view! { <p class="status">{t(Key::NoPeriods)}</p> }.into_any()
            }
            Some(Some(Ok(list))) => view! {
                <ul class="card-list">
                    {list.into_iter().map(|period| view! { <PeriodCard period/> }).collect_view()}
                </ul>
            }
            .into_any(),
        }}
    }
}

#[component]
fn PeriodCard(period: FinancingPeriod) -> impl IntoView {
    let heading_id = format!("period-{}", period.id);
    let labelled_by = heading_id.clone();
    let title = format!("{} – {}", date(period.start), date(period.end));
    view! {
        <li class="card" aria-labelledby=labelled_by>
            <div class="card-head">
                <h2 id=heading_id class="card-title">{title}</h2>
                {period.test_mode.then(|| view! { <span class="badge badge-waiting">{t(Key::TestMode)}</span> })}
            </div>
            <dl class="facts-inline">
                <div><dt>{t(Key::Nominal)}</dt><dd>{money(period.nominal)}</dd></div>
                <div>
                    <dt>{t(Key::QuotaUsed)}</dt>
                    <dd>{i18n::seats_of(period.certificates_financed, period.quota)}</dd>
                </div>
                <div>
                    <dt>{t(Key::EnrollmentWindow)}</dt>
                    <dd>{format!("{} – {}", date(period.enrollment_opens), date(period.enrollment_closes))}</dd>
                </div>
            </dl>
            <dl class="money money-wide">
                <div><dt>{t(Key::Budget)}</dt><dd>{money(period.budget)}</dd></div>
                <div><dt>{t(Key::BudgetCommitted)}</dt><dd>{money(period.budget_committed)}</dd></div>
                <div><dt>{t(Key::BudgetFree)}</dt><dd>{money(period.budget_free)}</dd></div>
                <div><dt>{t(Key::Reserved)}</dt><dd>{money(period.reserved)}</dd></div>
                <div><dt>{t(Key::WrittenOff)}</dt><dd>{money(period.written_off)}</dd></div>
            </dl>
        </li>
    }
}
