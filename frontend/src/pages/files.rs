//! `/operator/files`: the registry files. An operator imports a file of providers, programs or
//! groups (`POST /imports/{kind}`, the file as the body, its media type from its extension) and
//! sees what was written or, when a row is bad, every bad cell in a table; and exports each
//! registry as a file (`GET /exports/{kind}`).

use leptos::prelude::*;
use navigator_api_types::{ImportReport, RegistryKind};
use wasm_bindgen::JsCast;

use crate::access::{RequireRole, OPERATORS};
use crate::api::ApiError;
use crate::api_staff::{self, Imported};
use crate::app::set_title;
use crate::csv;
use crate::forms::Alert;
use crate::i18n::{t, Key};
use crate::i18n_staff::{self, ts, S};
use crate::session::use_session;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The media type a file is sent as, from its name's extension: `text/csv` for `.csv`, the
/// spreadsheet type for `.xlsx`; otherwise what the browser says, which the server may refuse.
pub fn media_type(file_name: &str, browser_type: &str) -> String {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") {
        "text/csv".to_owned()
    } else if lower.ends_with(".xlsx") {
        XLSX.to_owned()
    } else if browser_type.is_empty() {
        "application/octet-stream".to_owned()
    } else {
        browser_type.to_owned()
    }
}

fn kind_label(kind: RegistryKind) -> &'static str {
    ts(match kind {
        RegistryKind::Providers => S::KindProviders,
        RegistryKind::Programs => S::KindPrograms,
        RegistryKind::Groups => S::KindGroups,
    })
}

#[component]
pub fn RegistryFilesPage() -> impl IntoView {
    set_title(ts(S::RegistryFiles));
    view! {
        <RequireRole roles=OPERATORS>
            <RegistryFiles/>
        </RequireRole>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Failure {
    NoFile,
    Api(ApiError),
}

#[component]
fn RegistryFiles() -> impl IntoView {
    let session = use_session();
    let kind = RwSignal::new(RegistryKind::Providers);
    let upload = Action::new_local(move |kind: &RegistryKind| {
        let kind = *kind;
        let file = document()
            .get_element_by_id("registry-file")
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        async move {
            let file = file.ok_or(Failure::NoFile)?;
            let media_type = media_type(&file.name(), &file.type_());
            api_staff::import(session, kind, file.into(), &media_type)
                .await
                .map_err(Failure::Api)
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !upload.pending().get_untracked() {
            upload.dispatch(kind.get_untracked());
        }
    };
    let kinds = RegistryKind::ALL
        .into_iter()
        .map(|k| {
            let value = k.as_str();
            view! {
                <option value=value prop:selected=move || kind.get() == k>{kind_label(k)}</option>
            }
        })
        .collect_view();
    let exports = RegistryKind::ALL
        .into_iter()
        .map(|k| view! { <ExportButton kind=k/> })
        .collect_view();
    view! {
        <h1>{ts(S::RegistryFiles)}</h1>
        <p class="lead">{ts(S::RegistryFilesLead)}</p>
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">{ts(S::ImportTitle)}</h2>
            <p class="hint">{ts(S::ImportLead)}</p>
            <form class="import-form" on:submit=on_submit>
                <div class="form-grid">
                    <div class="field">
                        <label for="registry-kind">{ts(S::FileKind)}</label>
                        <select
                            id="registry-kind"
                            on:change=move |ev| {
                                if let Some(k) = RegistryKind::parse(&event_target_value(&ev)) {
                                    kind.set(k);
                                }
                            }
                        >
                            {kinds}
                        </select>
                    </div>
                    <div class="field">
                        <label for="registry-file">{ts(S::ChooseFile)}</label>
                        <input
                            id="registry-file"
                            name="file"
                            type="file"
                            accept=".csv,.xlsx,text/csv"
                            required
                            aria-describedby="registry-file-hint"
                        />
                        <p class="hint" id="registry-file-hint">{ts(S::FileHint)}</p>
                    </div>
                </div>
                <p class="actions">
                    <button type="submit" class="button" disabled=move || upload.pending().get()>
                        {move || if upload.pending().get() { ts(S::Uploading) } else { ts(S::Upload) }}
                    </button>
                </p>
            </form>
            {move || match upload.value().get() {
                None => ().into_any(),
                Some(Err(Failure::NoFile)) => view! { <Alert message=ts(S::NoFileChosen)/> }.into_any(),
                Some(Err(Failure::Api(error))) => {
                    view! { <Alert message=i18n_staff::message(&error)/> }.into_any()
                }
                Some(Ok(Imported::Written(report))) => view! {
                    <p class="status" role="status">{ts(S::ImportDone)}</p>
                    <ReportCounts report/>
                }
                .into_any(),
                Some(Ok(Imported::Rejected(report))) => view! {
                    <Alert message=ts(S::ImportRejected)/>
                    <RowErrors report/>
                }
                .into_any(),
            }}
        </section>
        <section class="card" aria-labelledby="export-title">
            <h2 id="export-title">{ts(S::ExportTitle)}</h2>
            <p class="hint">{ts(S::ExportLead)}</p>
            <p class="actions">{exports}</p>
        </section>
    }
}

#[component]
fn ReportCounts(report: ImportReport) -> impl IntoView {
    view! {
        <dl class="facts-inline">
            <div><dt>{ts(S::RowsRead)}</dt><dd>{report.rows_read}</dd></div>
            <div><dt>{ts(S::Created)}</dt><dd>{report.created}</dd></div>
            <div><dt>{ts(S::Updated)}</dt><dd>{report.updated}</dd></div>
            <div><dt>{ts(S::Unchanged)}</dt><dd>{report.unchanged}</dd></div>
        </dl>
    }
}

/// Every bad cell of a refused file: the row as the spreadsheet numbers it, the column's header
/// and the server's message (in Russian).
#[component]
fn RowErrors(report: ImportReport) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="table import-errors">
                <caption class="visually-hidden">{ts(S::ImportRejected)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{ts(S::Row)}</th>
                        <th scope="col">{ts(S::Column)}</th>
                        <th scope="col">{ts(S::Problem)}</th>
                    </tr>
                </thead>
                <tbody>
                    {report.errors.into_iter().map(|error| view! {
                        <tr>
                            <td>{error.row}</td>
                            <td>{if error.column.is_empty() { "—".to_owned() } else { error.column }}</td>
                            <td lang="ru">{error.message}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ExportButton(kind: RegistryKind) -> impl IntoView {
    let session = use_session();
    let export = Action::new_local(move |kind: &RegistryKind| {
        let kind = *kind;
        async move {
            let text = api_staff::export(session, kind).await?;
            // The browser's decoder dropped the byte order mark: put it back for Excel.
            let content = format!("\u{feff}{}", text.trim_start_matches('\u{feff}'));
            let _ = csv::download(&format!("{}.csv", kind.as_str()), &content);
            Ok::<(), ApiError>(())
        }
    });
    view! {
        <button
            type="button"
            class="button secondary"
            disabled=move || export.pending().get()
            on:click=move |_| {
                export.dispatch(kind);
            }
        >
            {ts(S::Download)}": "{kind_label(kind)}
        </button>
        {move || match export.value().get() {
            Some(Err(error)) => Some(view! { <Alert message=error.message()/> }),
            _ => None,
        }}
        {move || export.pending().get().then(|| view! { <span class="status" role="status">{t(Key::Loading)}</span> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_names_the_media_type() {
        assert_eq!(media_type("Реестр.CSV", ""), "text/csv");
        assert_eq!(media_type("programs.xlsx", "application/zip"), XLSX);
        assert_eq!(media_type("notes.txt", "text/plain"), "text/plain");
        assert_eq!(media_type("blob", ""), "application/octet-stream");
    }
}
