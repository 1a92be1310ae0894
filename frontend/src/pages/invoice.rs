//! An invoice as providers and operators see it, and the choice of which invoices to list.

use leptos::prelude::*;
use navigator_api_types::{Invoice, InvoiceStatus};

use crate::format::{date, money, month};
use crate::i18n::{self, t, Key};
use crate::lists::{StatusBadge, Tone};

pub fn invoice_status_tone(status: InvoiceStatus) -> Tone {
    match status {
        InvoiceStatus::Issued => Tone::Waiting,
        InvoiceStatus::Approved => Tone::Good,
        InvoiceStatus::Rejected => Tone::Bad,
    }
}

/// What an invoice is for and what it moves; the caller adds the buttons.
#[component]
pub fn InvoiceFacts(invoice: Invoice) -> impl IntoView {
    let heading_id = format!("invoice-{}", invoice.id);
    view! {
        <div class="card-head">
            <h3 id=heading_id>{format!("{}, {}", invoice.program_title, month(invoice.month))}</h3>
            <StatusBadge
                label=i18n::invoice_status(invoice.status)
                tone=invoice_status_tone(invoice.status)
            />
        </div>
        <dl class="facts-inline">
            <div><dt>{t(Key::Child)}</dt><dd>{invoice.child_name.clone()}</dd></div>
            <div>
                <dt>{t(Key::LessonsAttended)}</dt>
                <dd>{i18n::seats_of(invoice.lessons_attended, invoice.lessons_marked)}</dd>
            </div>
            <div><dt>{t(Key::IssuedOn)}</dt><dd>{date(invoice.issued_at.date_naive())}</dd></div>
        </dl>
        <dl class="money">
            <div><dt>{t(Key::FromCertificate)}</dt><dd>{money(invoice.certificate_amount)}</dd></div>
            <div><dt>{t(Key::FromFamily)}</dt><dd>{money(invoice.family_amount)}</dd></div>
        </dl>
        {invoice.no_attendance_reason.clone().map(|reason| view! {
            <p class="reason"><span class="label">{t(Key::NoAttendanceReason)}": "</span>{reason}</p>
        })}
        {invoice.decision_reason.clone().map(|reason| view! {
            <p class="reason"><span class="label">{t(Key::DecisionReason)}": "</span>{reason}</p>
        })}
    }
}

/// The choice of invoices by status; `""` lists them all.
#[component]
pub fn InvoiceStatusFilter(status: RwSignal<String>) -> impl IntoView {
    let options = InvoiceStatus::ALL
        .iter()
        .map(|s| {
            let value = s.as_str();
            view! {
                <option value=value prop:selected=move || status.with(|v| v == value)>
                    {i18n::invoice_status(*s)}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field field-inline">
            <label for="invoice-status">{t(Key::InvoiceStatusFilter)}</label>
            <select id="invoice-status" on:change=move |ev| status.set(event_target_value(&ev))>
                <option value="" prop:selected=move || status.with(String::is_empty)>
                    {t(Key::AllInvoices)}
                </option>
                {options}
            </select>
        </div>
    }
}
