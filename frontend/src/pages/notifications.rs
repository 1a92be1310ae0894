//! `/notifications`: the signed-in user's notifications, newest first, with the texts the server
//! wrote for them (the same as its letters); and the header's bell, which shows the unread count.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use navigator_api_types::{Notification, Role};
use uuid::Uuid;

use crate::access::RequireRole;
use crate::api;
use crate::app::set_title;
use crate::format::instant;
use crate::forms::Alert;
use crate::i18n::{self, t, Key};
use crate::session::use_session;

/// Every role gets notifications.
const EVERYONE: &[Role] = &[
    Role::Family,
    Role::ProviderStaff,
    Role::MunicipalOperator,
    Role::RegionalOperator,
];

/// How many notifications are unread, shared by the bell and the page: `None` until known.
#[derive(Clone, Copy)]
pub struct Unread(pub RwSignal<Option<i64>>);

pub fn use_unread() -> Unread {
    use_context::<Unread>().unwrap_or_else(|| Unread(RwSignal::new(None)))
}

/// The bell in the header: a link to the page, named with the unread count for screen readers.
#[component]
pub fn Bell() -> impl IntoView {
    let session = use_session();
    let unread = use_unread().0;
    // Read once per signed-in user: the page keeps the count right afterwards.
    let user_id = Memo::new(move |_| session.user().map(|user| user.id));
    Effect::new(move |_| {
        if user_id.get().is_some() {
            spawn_local(async move {
                if let Ok(page) = api::notifications(session, None).await {
                    unread.set(Some(page.unread));
                }
            });
        }
    });
    let count = move || unread.get().unwrap_or(0);
    view! {
        <A href="/notifications" attr:class="bell" attr:aria-label=move || i18n::notifications_unread(count())>
            // Drawn rather than an emoji: not every system has a font with the bell.
            <svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                <path d="M12 2a6 6 0 0 0-6 6v4l-2 4h16l-2-4V8a6 6 0 0 0-6-6zm-2.5 16a2.5 2.5 0 0 0 5 0z" fill="currentColor"/>
            </svg>
            {move || (count() > 0).then(|| view! {
                <span class="bell-count" aria-hidden="true" data-testid="unread-count">{count()}</span>
            })}
        </A>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    set_title(t(Key::Notifications));
    view! {
        <RequireRole roles=EVERYONE>
            <NotificationsList/>
        </RequireRole>
    }
}

#[component]
fn NotificationsList() -> impl IntoView {
    let session = use_session();
    let unread = use_unread().0;
    let items: RwSignal<Vec<Notification>> = RwSignal::new(Vec::new());
    let next: RwSignal<Option<String>> = RwSignal::new(None);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<&'static str>);
    let load = move |cursor: Option<String>| {
        spawn_local(async move {
            match api::notifications(session, cursor).await {
                Ok(page) => {
                    unread.set(Some(page.unread));
                    next.set(page.next_cursor);
                    items.update(|all| all.extend(page.items));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message())),
            }
            loaded.set(true);
        });
    };
    load(None);
    let mark_read = move |id: Uuid| {
        spawn_local(async move {
            match api::mark_notification_read(session, id).await {
                Ok(read) => {
                    items.update(|all| {
                        if let Some(item) = all.iter_mut().find(|n| n.id == id) {
                            *item = read;
                        }
                    });
                    unread.update(|n| *n = n.map(|n| (n - 1).max(0)));
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    let mark_all = move |_| {
        spawn_local(async move {
            match api::mark_all_notifications_read(session).await {
                Ok(done) => {
                    let now = crate::clock::server_now();
                    items.update(|all| {
                        for item in all.iter_mut().filter(|n| n.read_at.is_none()) {
                            item.read_at = Some(now);
                        }
                    });
                    unread.set(Some(done.unread));
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    view! {
        <h1>{t(Key::Notifications)}</h1>
        {move || error.get().map(|message| view! { <Alert message/> })}
        <p class="actions">
            <button
                type="button"
                class="button secondary"
                on:click=mark_all
                disabled=move || unread.get().unwrap_or(0) == 0
            >
                {t(Key::MarkAllRead)}
            </button>
        </p>
        {move || {
            if !loaded.get() {
                return view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any();
            }
            if items.with(Vec::is_empty) {
                return view! { <p class="status">{t(Key::NoNotifications)}</p> }.into_any();
            }
            view! {
                <ul class="notifications">
                    // Redrawn whole on a change: a page holds a few dozen at most, and a keyed
                    // list would bring its diffing code into the public bundle for nothing.
                    {move || items.get().into_iter().map(|n| {
                        let id = n.id;
                        let new = n.read_at.is_none();
                        view! {
                            <li class="card notification" class:unread=new data-testid="notification">
                                <h2>
                                    {new.then(|| view! { <span class="badge badge-waiting">{t(Key::NotificationNew)}</span>" "})}
                                    {n.subject}
                                </h2>
                                <p class="muted"><time datetime=n.created_at.to_rfc3339()>{instant(n.created_at)}</time></p>
                                <p class="notification-text">{n.text}</p>
                                {new.then(|| view! {
                                    <p class="actions">
                                        <button type="button" class="link-button" on:click=move |_| mark_read(id)>
                                            {t(Key::MarkRead)}
                                        </button>
                                    </p>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }}
        {move || next.get().map(|cursor| view! {
            <p class="actions">
                <button type="button" class="button secondary" on:click=move |_| load(Some(cursor.clone()))>
                    {t(Key::ShowMore)}
                </button>
            </p>
        })}
    }
}
