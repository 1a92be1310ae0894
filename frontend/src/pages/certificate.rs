//! `/account/certificates/:id`: a certificate's history, as the family sees it. Every movement of
//! its money (nominal credits, reservations, write-offs by month and program, releases, expiry)
//! and every change of its status with who made it and why.

use leptos::prelude::*;
use navigator_api_types::{
    CertificateEntry, CertificateEvent, CertificateHistory, PostingKind, Role,
};
use uuid::Uuid;

use crate::access::RequireRole;
use crate::api;
use crate::app::set_title;
use crate::format::{instant, money, month, signed_money};
use crate::forms::Alert;
use crate::i18n::{self, t, Key};
use crate::pages::account::CertificateView;
use crate::pages::enrollment::id_param;
use crate::pages::NotFound;
use crate::session::use_session;

#[component]
pub fn CertificateHistoryPage() -> impl IntoView {
    set_title(t(Key::CertificateHistory));
    let id = id_param();
    view! {
        <RequireRole roles=&[Role::Family]>
            {move || match id.get() {
                Some(id) => view! { <History id/> }.into_any(),
                None => view! { <NotFound/> }.into_any(),
            }}
        </RequireRole>
    }
}

#[component]
fn History(id: Uuid) -> impl IntoView {
    let session = use_session();
    let history = LocalResource::new(move || api::certificate_history(session, id));
    view! {
        <p class="back"><a href="/account">"← "{t(Key::AccountTitle)}</a></p>
        {move || match history.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(api::ApiError::Http { status: 404, .. })) => view! { <NotFound/> }.into_any(),
            Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Ok(history)) => view! { <HistoryView history/> }.into_any(),
        }}
    }
}

#[component]
fn HistoryView(history: CertificateHistory) -> impl IntoView {
    let CertificateHistory {
        certificate,
        mut events,
        mut entries,
    } = history;
    let title = format!("{} {}", t(Key::CertificateNo), certificate.number);
    set_title(&title);
    // Latest first: a parent looks for what just happened. Sorted oldest first, stably, then
    // reversed, so that movements of the same instant (a credit and its reservation) stay in the
    // reverse of the order they were written in.
    entries.sort_by_key(|entry| entry.at);
    entries.reverse();
    events.sort_by_key(|event| event.at);
    events.reverse();
    let entries_view = if entries.is_empty() {
        view! { <p class="status">{t(Key::NoMovements)}</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="table history">
                    <caption class="visually-hidden">{t(Key::Movements)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::When)}</th>
                            <th scope="col">{t(Key::Operation)}</th>
                            <th scope="col">{t(Key::ForWhat)}</th>
                            <th scope="col" class="num">{t(Key::Amount)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {entries.into_iter().map(|entry| view! { <EntryRow entry/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <h1>{title}</h1>
        <p class="lead">{certificate.child_name.clone()}</p>
        <div class="card">
            <CertificateView certificate with_history_link=false/>
        </div>
        <section class="history-section" aria-labelledby="movements-title">
            <h2 id="movements-title">{t(Key::Movements)}</h2>
            {entries_view}
        </section>
        <section class="history-section" aria-labelledby="events-title">
            <h2 id="events-title">{t(Key::StatusChanges)}</h2>
            <ol class="events">
                {events.into_iter().map(|event| view! { <EventItem event/> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn EntryRow(entry: CertificateEntry) -> impl IntoView {
    // A write-off moves money already reserved, so the balance does not change, and a co-payment
    // is the family's own money owed to the provider: both are shown without a sign, with the
    // month they are for.
    let amount = match entry.kind {
        PostingKind::WriteOff | PostingKind::CoPayment => money(entry.amount),
        _ => signed_money(entry.amount),
    };
    let what = [entry.program_title.clone(), entry.month.map(month)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <tr class=format!("entry entry-{}", entry.kind.as_str())>
            <td>{instant(entry.at)}</td>
            <td>{i18n::posting_kind(entry.kind)}</td>
            <td>{what}</td>
            <td class="num">{amount}</td>
        </tr>
    }
}

#[component]
fn EventItem(event: CertificateEvent) -> impl IntoView {
    let change = match event.from_status {
        Some(from) => format!(
            "{} → {}",
            i18n::certificate_status_short(from),
            i18n::certificate_status_short(event.to_status)
        ),
        None => i18n::certificate_status_short(event.to_status).to_owned(),
    };
    view! {
        <li class="event">
            <p class="event-head">
                <strong>{change}</strong>
                <span class="muted">{format!(" · {} · {}", instant(event.at), i18n::role(event.actor_role))}</span>
            </p>
            {(!event.reason.is_empty()).then(|| view! { <p class="reason">{event.reason.clone()}</p> })}
        </li>
    }
}
