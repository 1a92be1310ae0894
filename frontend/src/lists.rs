//! Pieces every list of the app shares: the pager over the API's cursors, status badges, and the
//! small form that asks for a reason before an operator or a provider says no.

use leptos::prelude::*;

use crate::i18n::{t, Key};

/// The pager under a list read page by page: `cursor` is where the shown page starts (`None`:
/// the first page), `next` the API's `next_cursor` of the shown page.
#[component]
pub fn Pager(cursor: RwSignal<Option<String>>, next: Option<String>) -> impl IntoView {
    let on_first_page = cursor.with_untracked(Option::is_none);
    if on_first_page && next.is_none() {
        return ().into_any();
    }
    view! {
        <nav class="pager" aria-label=t(Key::Pages)>
            {(!on_first_page).then(|| view! {
                <button type="button" class="button secondary" on:click=move |_| cursor.set(None)>
                    {t(Key::FirstPage)}
                </button>
            })}
            {next.map(|next| view! {
                <button type="button" class="button" on:click=move |_| cursor.set(Some(next.clone()))>
                    {t(Key::NextPage)}" →"
                </button>
            })}
        </nav>
    }
    .into_any()
}

/// How a status reads at a glance; the words always say it too, colour is never alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Waiting for someone's decision.
    Waiting,
    /// Done and fine: accepted, approved, activated.
    Good,
    /// Refused or ended early.
    Bad,
    /// Over, nothing more to do.
    Neutral,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Waiting => "badge badge-waiting",
            Tone::Good => "badge badge-certificate",
            Tone::Bad => "badge badge-bad",
            Tone::Neutral => "badge",
        }
    }
}

#[component]
pub fn StatusBadge(label: &'static str, tone: Tone) -> impl IntoView {
    view! { <span class=tone.class()>{label}</span> }
}

/// A reason to type and a button that sends it: rejecting an application or an invoice,
/// activating a certificate. The server wants 1 to 500 characters.
#[component]
pub fn ReasonForm(
    /// The input's id, unique on the page.
    id: String,
    label: &'static str,
    submit_label: &'static str,
    /// Filled in beforehand, for the usual case.
    #[prop(optional)]
    initial: &'static str,
    /// A refusal: the button is red.
    #[prop(optional)]
    danger: bool,
    #[prop(into)] pending: Signal<bool>,
    on_submit: Callback<String>,
) -> impl IntoView {
    let reason = RwSignal::new(initial.to_owned());
    let on_form_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = reason.get_untracked().trim().to_owned();
        if !typed.is_empty() && !pending.get_untracked() {
            on_submit.run(typed);
        }
    };
    view! {
        <form class="reason-form" on:submit=on_form_submit>
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id type="text" required minlength="1" maxlength="500" bind:value=reason/>
            </div>
            <button
                type="submit"
                class=if danger { "button danger" } else { "button" }
                disabled=move || pending.get()
            >
                {submit_label}
            </button>
        </form>
    }
}
