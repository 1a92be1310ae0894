//! `/operator/audit`: the audit log for operators (`GET /audit-events`), newest first, page by
//! page, filtered by action, kind of object and a range of days. A municipal operator sees its
//! municipality, the regional operator all of them (the server decides) and may choose one.

use leptos::prelude::*;
use navigator_api_types::{AuditAction, AuditEvent, AuditObjectKind, Municipality, Role};
use uuid::Uuid;

use crate::access::{RequireRole, OPERATORS};
use crate::api;
use crate::api_staff;
use crate::app::set_title;
use crate::format::{instant, money};
use crate::forms::{Alert, MunicipalitySelect};
use crate::i18n::{self, t, Key};
use crate::i18n_staff::{self, ts, S};
use crate::lists::Pager;
use crate::session::use_session;

const PAGE_SIZE: u32 = 20;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    set_title(ts(S::AuditLog));
    view! {
        <RequireRole roles=OPERATORS>
            <AuditLog/>
        </RequireRole>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let session = use_session();
    let action = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // The regional operator's choice; a municipal operator sees its own municipality only.
    let municipality = RwSignal::new(String::new());
    let regional = move || {
        session
            .user()
            .is_some_and(|u| u.role == Role::RegionalOperator)
    };
    let cursor = RwSignal::new(None::<String>);
    // A changed filter starts again from the newest entries.
    Effect::new(move |_| {
        action.track();
        kind.track();
        from.track();
        to.track();
        municipality.track();
        if cursor.with_untracked(Option::is_some) {
            cursor.set(None);
        }
    });
    let events = LocalResource::new(move || {
        let mut filters = vec![("limit", PAGE_SIZE.to_string())];
        for (name, value) in [
            ("action", action),
            ("object_kind", kind),
            ("from", from),
            ("to", to),
            ("municipality_id", municipality),
        ] {
            let value = value.get();
            if !value.is_empty() {
                filters.push((name, value));
            }
        }
        if let Some(cursor) = cursor.get() {
            filters.push(("cursor", cursor));
        }
        api_staff::audit_events(session, filters)
    });
    let municipalities = LocalResource::new(api::municipalities);
    let actions = AuditAction::ALL
        .into_iter()
        .map(|a| view! { <option value=a.as_str()>{i18n_staff::audit_action(a)}</option> })
        .collect_view();
    let kinds = AuditObjectKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str()>{i18n_staff::audit_object(k)}</option> })
        .collect_view();
    view! {
        <h1>{ts(S::AuditLog)}</h1>
        <p class="lead">{ts(S::AuditLead)}</p>
        <div class="filters form-grid">
            <div class="field">
                <label for="audit-action">{ts(S::AuditAction)}</label>
                <select id="audit-action" on:change=move |ev| action.set(event_target_value(&ev))>
                    <option value="">{ts(S::AnyAction)}</option>
                    {actions}
                </select>
            </div>
            <div class="field">
                <label for="audit-kind">{ts(S::AuditObject)}</label>
                <select id="audit-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{ts(S::AnyObject)}</option>
                    {kinds}
                </select>
            </div>
            <div class="field">
                <label for="audit-from">{ts(S::DateFrom)}</label>
                <input id="audit-from" type="date" on:change=move |ev| from.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="audit-to">{ts(S::DateTo)}</label>
                <input id="audit-to" type="date" on:change=move |ev| to.set(event_target_value(&ev))/>
            </div>
            {move || regional().then(|| view! {
                <MunicipalitySelect
                    id="audit-municipality"
                    label=ts(S::AuditMunicipality)
                    empty_label=t(Key::AnyMunicipality)
                    value=municipality
                    municipalities
                    error=Signal::stored(None)
                />
            })}
        </div>
        {move || match events.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <Alert message=i18n_staff::message(&error)/> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                view! { <p class="status">{ts(S::NoAuditEvents)}</p> }.into_any()
            }
            Some(Ok(page)) => {
                let names = municipalities.get().and_then(Result::ok).unwrap_or_default();
                view! {
                    <div class="table-scroll">
                        <table class="table audit-log">
                            <caption class="visually-hidden">{ts(S::AuditLog)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{ts(S::AuditWhen)}</th>
                                    <th scope="col">{ts(S::AuditAction)}</th>
                                    <th scope="col">{ts(S::AuditObject)}</th>
                                    <th scope="col">{ts(S::AuditWho)}</th>
                                    <th scope="col">{ts(S::AuditMunicipality)}</th>
                                    <th scope="col" class="num">{ts(S::AuditAmount)}</th>
                                    <th scope="col">{ts(S::AuditReason)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {page
                                    .items
                                    .into_iter()
                                    .map(|event| view! { <AuditRow event names=names.clone()/> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <Pager cursor next=page.next_cursor/>
                }
                .into_any()
            }
        }}
    }
}

fn municipality_name(names: &[Municipality], id: Option<Uuid>) -> String {
    match id {
        None => "—".to_owned(),
        Some(id) => names
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.clone())
            .unwrap_or_else(|| id.to_string()),
    }
}

#[component]
fn AuditRow(event: AuditEvent, names: Vec<Municipality>) -> impl IntoView {
    let who = match event.actor_role {
        Some(role) => i18n::role(role),
        None => ts(S::Navigator),
    };
    // The object's id in short, the whole of it on hover and for screen readers.
    let object_id = event.object_id.to_string();
    let short = object_id[..8].to_owned();
    view! {
        <tr>
            <td>{instant(event.at)}</td>
            <th scope="row">{i18n_staff::audit_action(event.action)}</th>
            <td>
                {i18n_staff::audit_object(event.object_kind)}" "
                <code title=object_id.clone()>{short}</code>
            </td>
            <td>{who}</td>
            <td>{municipality_name(&names, event.municipality_id)}</td>
            <td class="num">{event.amount.map(money).unwrap_or_default()}</td>
            <td>{event.reason.unwrap_or_default()}</td>
        </tr>
    }
}
