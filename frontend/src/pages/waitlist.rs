//! The waitlist, for families: joining a full group's queue from the program page, and in the
//! account the family's entries with their place in line and any offer, which the family takes
//! (the application is filed on the held seat) or declines, or leaves the queue.

use leptos::prelude::*;
use navigator_api_types::{Group, JoinWaitlistRequest, WaitlistEntry, WaitlistStatus};
use uuid::Uuid;

use crate::api;
use crate::format::instant;
use crate::forms::Alert;
use crate::i18n::{self, t, Key};
use crate::session::use_session;

/// Whether `group` takes applications but has no seat left: its queue is the way in.
pub fn full(group: &Group) -> bool {
    group.open && group.seats_left <= 0
}

/// «Встать в очередь» for the chosen child, under the program's application form.
#[component]
pub fn JoinWaitlist(
    /// The child chosen in the application form above.
    child_id: RwSignal<Option<Uuid>>,
    /// The program's full groups; at least one.
    groups: Vec<Group>,
) -> impl IntoView {
    let session = use_session();
    let group_id = RwSignal::new(match groups.as_slice() {
        [only] => Some(only.id),
        _ => None,
    });
    let join = Action::new_local(move |(group_id, child_id): &(Uuid, Uuid)| {
        let (group_id, child_id) = (*group_id, *child_id);
        async move { api::join_waitlist(session, group_id, &JoinWaitlistRequest { child_id }).await }
    });
    let pending = join.pending();
    // Another child or group is another attempt.
    Effect::new(move |_| {
        child_id.track();
        group_id.track();
        join.value().set(None);
    });
    let options = groups
        .iter()
        .map(|group| {
            let id = group.id;
            let label = format!("{} — {}", group.name, group.schedule);
            view! {
                <option value=id.to_string() prop:selected=move || group_id.get() == Some(id)>{label}</option>
            }
        })
        .collect_view();
    let on_join = move |_| {
        if let (Some(group), Some(child)) = (group_id.get_untracked(), child_id.get_untracked()) {
            join.dispatch((group, child));
        }
    };
    view! {
        <section class="card waitlist" aria-labelledby="waitlist-title">
            <h2 id="waitlist-title">{t(Key::Waitlist)}</h2>
            <p>{t(Key::WaitlistHint)}</p>
            <div class="field">
                <label for="waitlist-group">{t(Key::Group)}</label>
                <select
                    id="waitlist-group"
                    on:change=move |ev| group_id.set(Uuid::parse_str(&event_target_value(&ev)).ok())
                >
                    <option value="" prop:selected=move || group_id.get().is_none()>{t(Key::ChooseGroup)}</option>
                    {options}
                </select>
            </div>
            {move || match join.value().get() {
                Some(Ok(entry)) => view! {
                    <p class="success" role="status">
                        {i18n::queued_at(entry.position)}" "<a href="/account#waitlist">{t(Key::NavAccount)}</a>
                    </p>
                }
                .into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                None => view! {
                    <button
                        type="button"
                        class="button secondary wide"
                        disabled=move || pending.get() || child_id.get().is_none() || group_id.get().is_none()
                        on:click=on_join
                    >
                        {t(Key::JoinWaitlist)}
                    </button>
                }
                .into_any(),
            }}
        </section>
    }
}

/// The family's queue entries, in the account.
#[component]
pub fn FamilyWaitlist(
    /// Called when taking an offer filed an application.
    on_change: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let entries = LocalResource::new(move || api::waitlist(session));
    let changed = Callback::new(move |()| {
        entries.refetch();
        on_change.run(());
    });
    view! {
        <section class="waitlist" id="waitlist" aria-labelledby="waitlist-title">
            <h2 id="waitlist-title">{t(Key::Waitlist)}</h2>
            {move || match entries.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => {
                    view! { <p class="status">{t(Key::NoWaitlist)}</p> }.into_any()
                }
                Some(Ok(page)) => view! {
                    <ul class="card-list">
                        {page
                            .items
                            .into_iter()
                            .map(|entry| view! { <EntryCard entry on_change=changed/> })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Accept,
    Decline,
    Leave,
}

#[component]
fn EntryCard(entry: WaitlistEntry, on_change: Callback<()>) -> impl IntoView {
    let session = use_session();
    let id = entry.id;
    let act = Action::new_local(move |step: &Step| {
        let step = *step;
        async move {
            match step {
                Step::Accept => api::accept_offer(session, id).await.map(|_| ()),
                Step::Decline => api::decline_offer(session, id).await.map(|_| ()),
                Step::Leave => api::leave_waitlist(session, id).await.map(|_| ()),
            }
        }
    });
    let pending = act.pending();
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            on_change.run(());
        }
    });
    let offered = entry.status == WaitlistStatus::Offered;
    let waiting = entry.status == WaitlistStatus::Waiting;
    let button = move |step: Step, key: Key, class: &'static str| {
        view! {
            <button type="button" class=class disabled=move || pending.get() on:click=move |_| {
                act.dispatch(step);
            }>
                {t(key)}
            </button>
        }
    };
    view! {
        <li class="card waitlist-card" data-testid="waitlist-entry">
            <div class="group-head">
                <h3><a href=format!("/programs/{}", entry.program_id)>{entry.program_title.clone()}</a></h3>
                <span class="badge" class:badge-certificate=offered>{i18n::waitlist_status(entry.status)}</span>
            </div>
            <dl class="facts-list">
                <dt>{t(Key::Child)}</dt>
                <dd>{entry.child_name.clone()}</dd>
                <dt>{t(Key::Group)}</dt>
                <dd>{entry.group_name.clone()}</dd>
                {entry.position.map(|position| view! {
                    <dt>{t(Key::PlaceInLine)}</dt>
                    <dd>{position}</dd>
                })}
                {entry.offer_expires_at.filter(|_| offered).map(|until| view! {
                    <dt>{t(Key::OfferUntil)}</dt>
                    <dd><time datetime=until.to_rfc3339()>{instant(until)}</time></dd>
                })}
            </dl>
            {move || act.value().get().and_then(Result::err).map(|error| view! { <Alert message=error.message()/> })}
            <p class="actions">
                {offered.then(|| button(Step::Accept, Key::AcceptOffer, "button"))}
                {offered.then(|| button(Step::Decline, Key::DeclineOffer, "button secondary"))}
                {waiting.then(|| button(Step::Leave, Key::LeaveWaitlist, "button secondary"))}
            </p>
        </li>
    }
}
