//! Form fields with their labels, hints and errors wired for screen readers: the label names the
//! field, `aria-describedby` reads the hint and the error, `aria-invalid` marks a field to fix.

use leptos::prelude::*;
use navigator_api_types::Municipality;

use crate::api::ApiError;

/// The ids of the hint and the error under field `id`, as `aria-describedby` wants them.
fn described_by(id: &'static str, has_hint: bool, has_error: bool) -> Option<String> {
    let ids: Vec<String> = [(has_hint, "hint"), (has_error, "error")]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, part)| format!("{id}-{part}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[component]
pub fn TextField(
    /// The input's id and name; its hint and error get `{id}-hint` and `{id}-error`.
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                minlength=minlength
                maxlength=maxlength
                bind:value=value
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || described_by(id, hint.is_some(), error.get().is_some())
            />
            {hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
            {move || {
                error
                    .get()
                    .map(|error| view! { <p class="field-error" id=format!("{id}-error")>{error}</p> })
            }}
        </div>
    }
}

/// A choice of municipality; `value` holds its id, or `""` for `empty_label`.
#[component]
pub fn MunicipalitySelect(
    id: &'static str,
    label: &'static str,
    empty_label: &'static str,
    value: RwSignal<String>,
    municipalities: LocalResource<Result<Vec<Municipality>, ApiError>>,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let options = move || {
        municipalities
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|municipality| {
                let option_value = municipality.id.to_string();
                let selected = {
                    let option_value = option_value.clone();
                    move || value.with(|v| *v == option_value)
                };
                view! {
                    <option value=option_value prop:selected=selected>
                        {municipality.name}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id>{label}</label>
            <select
                id=id
                name=id
                required=required
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=move || described_by(id, false, error.get().is_some())
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    {empty_label}
                </option>
                {options}
            </select>
            {move || {
                error
                    .get()
                    .map(|error| view! { <p class="field-error" id=format!("{id}-error")>{error}</p> })
            }}
        </div>
    }
}

/// The message over a form or a list when something failed; announced at once.
#[component]
pub fn Alert(message: &'static str) -> impl IntoView {
    view! { <p class="alert" role="alert">{message}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_only_what_is_shown() {
        assert_eq!(described_by("email", false, false), None);
        assert_eq!(
            described_by("email", true, false).as_deref(),
            Some("email-hint")
        );
        assert_eq!(
            described_by("email", true, true).as_deref(),
            Some("email-hint email-error")
        );
    }
}
