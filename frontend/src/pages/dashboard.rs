//! `/operator/dashboard`: the operators' dashboard. Charts drawn here as inline SVG (no chart
//! library: a few rectangles cost less than any library's download), each with a title and its
//! numbers as a table, and each table downloadable as CSV.

use leptos::prelude::*;
use navigator_api_types::Percent;
use navigator_api_types::{Money, Role};
use uuid::Uuid;

use crate::access::{RequireRole, OPERATORS};
use crate::api;
use crate::app::set_title;
use crate::csv::{self, Dialect};
use crate::format::{date, money, month};
use crate::forms::{Alert, MunicipalitySelect};
use crate::i18n::{self, t, Key};
use crate::session::use_session;
use crate::statistics::{self, Dashboard};

#[component]
pub fn DashboardPage() -> impl IntoView {
    set_title(t(Key::Dashboard));
    view! {
        <RequireRole roles=OPERATORS>
            <DashboardView/>
        </RequireRole>
    }
}

#[component]
fn DashboardView() -> impl IntoView {
    let session = use_session();
    let own = session
        .user()
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
    let figures = LocalResource::new(move || {
        let municipality = Uuid::parse_str(&chosen.get()).ok();
        async move {
            match municipality {
                Some(id) => Some(statistics::dashboard(id).await),
                None => None,
            }
        }
    });
    view! {
        <h1>{t(Key::Dashboard)}</h1>
        <p class="lead">{t(Key::DashboardLead)}</p>
        {own.is_none().then(|| view! {
            <div class="field-inline">
                <MunicipalitySelect
                    id="dashboard-municipality"
                    label=t(Key::Municipality)
                    empty_label=t(Key::NotChosen)
                    value=chosen
                    municipalities
                    error=Signal::stored(None)
                />
            </div>
        })}
        {move || match figures.get() {
            None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
            Some(None) => ().into_any(),
            Some(Some(Err(error))) => view! { <Alert message=error.message()/> }.into_any(),
            Some(Some(Ok(dashboard))) => view! { <Figures dashboard/> }.into_any(),
        }}
    }
}

#[component]
fn Figures(dashboard: Dashboard) -> impl IntoView {
    let dialect = Dialect::current();
    let Dashboard {
        period,
        applications_per_day,
        spending_by_month,
        coverage,
        most_wanted,
    } = dashboard;
    let period_money = period.map(|period| {
        let title = format!(
            "{} {} – {}",
            t(Key::PeriodMoney),
            date(period.start),
            date(period.end)
        );
        let rows = [
            (t(Key::Budget), period.budget),
            (t(Key::BudgetCommitted), period.budget_committed),
            (t(Key::Reserved), period.reserved),
            (t(Key::WrittenOff), period.written_off),
        ];
        money_figure("period-money", title, &rows, dialect, "period-money.csv")
    });
    let days = applications_per_day;
    let applications = Figure {
        id: "applications-per-day",
        title: i18n::applications_last_days(i64::try_from(days.len()).unwrap_or(0)),
        bars: Some(
            days.iter()
                .map(|d| Bar {
                    label: short_day(d.date),
                    value: i64::try_from(d.submitted).unwrap_or(i64::MAX),
                    shown: d.submitted.to_string(),
                })
                .collect(),
        ),
        header: vec![
            t(Key::Day),
            t(Key::StatSubmitted),
            t(Key::StatAccepted),
            t(Key::StatRejected),
        ],
        text_columns: 1,
        rows: days
            .iter()
            .map(|d| {
                vec![
                    date(d.date),
                    d.submitted.to_string(),
                    d.accepted.to_string(),
                    d.rejected.to_string(),
                ]
            })
            .collect(),
        csv_rows: days
            .iter()
            .map(|d| {
                vec![
                    d.date.to_string(),
                    d.submitted.to_string(),
                    d.accepted.to_string(),
                    d.rejected.to_string(),
                ]
            })
            .collect(),
        file_name: "applications-per-day.csv",
    };
    let months = spending_by_month;
    let spending = Figure {
        id: "spending-by-month",
        title: t(Key::SpendingByMonth).to_owned(),
        bars: Some(
            months
                .iter()
                .map(|m| Bar {
                    label: short_month(m.month),
                    value: m.certificate_amount.kopecks(),
                    shown: money(m.certificate_amount),
                })
                .collect(),
        ),
        header: vec![
            t(Key::Month),
            t(Key::InvoicesCount),
            t(Key::PaidByCertificates),
            t(Key::PaidByFamilies),
        ],
        text_columns: 1,
        rows: months
            .iter()
            .map(|m| {
                vec![
                    month(m.month),
                    m.invoices.to_string(),
                    money(m.certificate_amount),
                    money(m.family_amount),
                ]
            })
            .collect(),
        csv_rows: months
            .iter()
            .map(|m| {
                vec![
                    m.month.to_string(),
                    m.invoices.to_string(),
                    dialect.money(m.certificate_amount),
                    dialect.money(m.family_amount),
                ]
            })
            .collect(),
        file_name: "spending-by-month.csv",
    };
    let no_population = coverage.iter().all(|m| m.children_5_18.is_none());
    let coverage_by_month = Figure {
        id: "coverage-by-month",
        title: t(Key::CoverageByMonth).to_owned(),
        bars: Some(
            coverage
                .iter()
                .map(|m| Bar {
                    label: short_month(m.month),
                    value: m
                        .enrollment_coverage
                        .map_or(0, |p| i64::try_from(p.hundredths()).unwrap_or(i64::MAX)),
                    shown: shown_percent(m.enrollment_coverage),
                })
                .collect(),
        ),
        header: vec![
            t(Key::Month),
            t(Key::Children518),
            t(Key::CertificateHolders),
            t(Key::EnrolledChildren),
            t(Key::CertificateCoverage),
            t(Key::EnrollmentCoverage),
        ],
        text_columns: 1,
        rows: coverage
            .iter()
            .map(|m| {
                vec![
                    month(m.month),
                    m.children_5_18
                        .map_or_else(|| "—".to_owned(), |n| n.to_string()),
                    m.certificate_holders.to_string(),
                    m.enrolled_children.to_string(),
                    shown_percent(m.certificate_coverage),
                    shown_percent(m.enrollment_coverage),
                ]
            })
            .collect(),
        csv_rows: coverage
            .iter()
            .map(|m| {
                vec![
                    m.month.to_string(),
                    m.children_5_18.map(|n| n.to_string()).unwrap_or_default(),
                    m.certificate_holders.to_string(),
                    m.enrolled_children.to_string(),
                    csv_percent(dialect, m.certificate_coverage),
                    csv_percent(dialect, m.enrollment_coverage),
                ]
            })
            .collect(),
        file_name: "coverage-by-month.csv",
    };
    // The directions of the latest month: coverage today, not an average of the year.
    let by_direction = coverage.last().map(|latest| Figure {
        id: "coverage-by-direction",
        title: i18n::coverage_by_direction(&month(latest.month)),
        bars: None,
        header: vec![
            t(Key::Direction),
            t(Key::EnrolledChildren),
            t(Key::EnrollmentCoverage),
        ],
        text_columns: 1,
        rows: latest
            .by_direction
            .iter()
            .map(|d| {
                vec![
                    i18n::direction(d.direction).to_owned(),
                    d.enrolled_children.to_string(),
                    shown_percent(d.coverage),
                ]
            })
            .collect(),
        csv_rows: latest
            .by_direction
            .iter()
            .map(|d| {
                vec![
                    i18n::direction(d.direction).to_owned(),
                    d.enrolled_children.to_string(),
                    csv_percent(dialect, d.coverage),
                ]
            })
            .collect(),
        file_name: "coverage-by-direction.csv",
    });
    let wanted = Figure {
        id: "most-wanted",
        title: i18n::most_wanted_since(&date(most_wanted.since)),
        bars: None,
        header: vec![
            t(Key::Program),
            t(Key::Provider),
            t(Key::Direction),
            t(Key::ApplicationsCount),
            t(Key::StatAccepted),
            t(Key::SeatsLeft),
        ],
        text_columns: 3,
        rows: most_wanted
            .programs
            .iter()
            .map(|p| {
                vec![
                    p.title.clone(),
                    p.provider_name.clone(),
                    i18n::direction(p.direction).to_owned(),
                    p.applications.to_string(),
                    p.accepted.to_string(),
                    p.seats_left.to_string(),
                ]
            })
            .collect(),
        csv_rows: most_wanted
            .programs
            .iter()
            .map(|p| {
                vec![
                    p.title.clone(),
                    p.provider_name.clone(),
                    i18n::direction(p.direction).to_owned(),
                    p.applications.to_string(),
                    p.accepted.to_string(),
                    p.seats_left.to_string(),
                ]
            })
            .collect(),
        file_name: "most-wanted.csv",
    };
    let no_wanted = most_wanted.programs.is_empty();
    view! {
        {match period_money {
            Some(figure) => view! { <FigureView figure/> }.into_any(),
            None => view! { <p class="status">{t(Key::NoPeriods)}</p> }.into_any(),
        }}
        <FigureView figure=applications/>
        <FigureView figure=spending/>
        {no_population.then(|| view! { <p class="note">{t(Key::NoPopulation)}</p> })}
        <FigureView figure=coverage_by_month/>
        {by_direction.map(|figure| view! { <FigureView figure/> })}
        {if no_wanted {
            view! {
                <section class="card figure">
                    <h2>{i18n::most_wanted_since(&date(most_wanted.since))}</h2>
                    <p class="status">{t(Key::NoApplicationsYet)}</p>
                </section>
            }
            .into_any()
        } else {
            view! { <FigureView figure=wanted/> }.into_any()
        }}
    }
}

/// «12,34 %», or a dash where there is no population figure to compute a share of.
fn shown_percent(percent: Option<Percent>) -> String {
    percent.map_or_else(
        || "—".to_owned(),
        |p| format!("{}\u{a0}%", i18n::decimal(&p.to_string())),
    )
}

/// A share as a number Excel reads (`12,34` in Russian), empty without one.
fn csv_percent(dialect: Dialect, percent: Option<Percent>) -> String {
    percent
        .map(|p| dialect.decimal(&p.to_string()))
        .unwrap_or_default()
}

fn money_figure(
    id: &'static str,
    title: String,
    rows: &[(&'static str, Money)],
    dialect: Dialect,
    file_name: &'static str,
) -> Figure {
    Figure {
        id,
        title,
        bars: Some(
            rows.iter()
                .map(|(label, amount)| Bar {
                    label: (*label).to_owned(),
                    value: amount.kopecks(),
                    shown: money(*amount),
                })
                .collect(),
        ),
        header: vec![t(Key::Indicator), t(Key::Amount)],
        text_columns: 1,
        rows: rows
            .iter()
            .map(|(label, amount)| vec![(*label).to_owned(), money(*amount)])
            .collect(),
        csv_rows: rows
            .iter()
            .map(|(label, amount)| vec![(*label).to_owned(), dialect.money(*amount)])
            .collect(),
        file_name,
    }
}

/// `11.26`: a month on a chart's axis, where its full name is in the tooltip and the table.
fn short_month(m: navigator_api_types::Month) -> String {
    format!("{:02}.{:02}", m.month(), m.year().rem_euclid(100))
}

/// `02.11` or `11-02`: a day on a chart's axis, where the year is in the title.
fn short_day(day: chrono::NaiveDate) -> String {
    let full = date(day);
    match i18n::lang() {
        i18n::Lang::Ru => full.chars().take(5).collect(),
        i18n::Lang::En => full.chars().skip(5).collect(),
    }
}

/// One column of a chart.
#[derive(Debug, Clone, PartialEq)]
struct Bar {
    label: String,
    /// What the column's height is proportional to.
    value: i64,
    /// The value in words, over the column and in its tooltip.
    shown: String,
}

/// A chart (or a table alone) with its numbers: the table shown with it and the rows of its CSV
/// file (numbers as Excel reads them rather than as a person does).
struct Figure {
    id: &'static str,
    title: String,
    /// `None` for a table without a chart: the table is then shown open.
    bars: Option<Vec<Bar>>,
    header: Vec<&'static str>,
    /// How many columns from the left hold words; the rest are numbers, aligned right.
    text_columns: usize,
    rows: Vec<Vec<String>>,
    csv_rows: Vec<Vec<String>>,
    file_name: &'static str,
}

#[component]
fn FigureView(figure: Figure) -> impl IntoView {
    let Figure {
        id,
        title,
        bars,
        header,
        text_columns,
        rows,
        csv_rows,
        file_name,
    } = figure;
    let heading_id = format!("{id}-title");
    let failed = RwSignal::new(false);
    let csv_header = header.clone();
    let export = move |_| {
        let content = Dialect::current().file(&csv_header, &csv_rows);
        failed.set(csv::download(file_name, &content).is_err());
    };
    let align = move |column: usize| (column >= text_columns).then_some("num");
    let table = view! {
        <div class="table-scroll">
            <table class="table">
                <thead>
                    <tr>
                        {header
                            .iter()
                            .enumerate()
                            .map(|(column, name)| view! { <th scope="col" class=align(column)>{*name}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let cells = row
                                .into_iter()
                                .enumerate()
                                .map(|(column, cell)| {
                                    if column == 0 {
                                        view! { <th scope="row">{cell}</th> }.into_any()
                                    } else {
                                        view! { <td class=align(column)>{cell}</td> }.into_any()
                                    }
                                })
                                .collect_view();
                            view! { <tr>{cells}</tr> }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    };
    let body = match bars {
        Some(bars) => view! {
            <ColumnChart title=title.clone() bars/>
            <details class="figure-table">
                <summary>{t(Key::ShowAsTable)}</summary>
                {table}
            </details>
        }
        .into_any(),
        None => table.into_any(),
    };
    view! {
        <section class="card figure" aria-labelledby=heading_id.clone() data-testid=id>
            <h2 id=heading_id.clone()>{title.clone()}</h2>
            {body}
            <p class="actions">
                <button type="button" class="button secondary" on:click=export>
                    {t(Key::DownloadCsv)}
                </button>
            </p>
            {move || failed.get().then(|| view! { <Alert message=t(Key::DownloadFailed)/> })}
        </section>
    }
}

/// The drawing's size in its own units; it scales to the width of the page. Whole units: the
/// drawing needs no finer grain, and integers spare the module float formatting.
const WIDTH: i64 = 640;
const HEIGHT: i64 = 260;
/// Room under the columns for their labels, and over them for the values.
const AXIS: i64 = 36;
const TOP: i64 = 24;

/// Columns side by side. With many columns (the days of a month) only some are labelled, and the
/// values are left to the tooltips and the table.
#[component]
fn ColumnChart(title: String, bars: Vec<Bar>) -> impl IntoView {
    let count = i64::try_from(bars.len()).unwrap_or(i64::MAX).max(1);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let slot = WIDTH / count;
    let width = (slot * 7 / 10).max(1);
    // Values over the columns fit up to six columns; beyond, they are in the tooltips and table.
    let few = count <= 6;
    let label_every = if few { 1 } else { (count + 5) / 6 };
    let plot = HEIGHT - AXIS - TOP;
    let columns = bars
        .into_iter()
        .zip(0_i64..)
        .map(|(bar, i)| {
            let height = column_height(bar.value, max, plot);
            let x = slot * i + (slot - width) / 2;
            let y = TOP + plot - height;
            let centre = slot * i + slot / 2;
            let tooltip = format!("{}: {}", bar.label, bar.shown);
            view! {
                <g>
                    <rect class="bar" x=x y=y width=width height=height>
                        <title>{tooltip}</title>
                    </rect>
                    {few.then(|| view! {
                        <text class="bar-value" x=centre y=y - 6 text-anchor="middle">{bar.shown.clone()}</text>
                    })}
                    {(i % label_every == 0).then(|| view! {
                        <text class="bar-label" x=centre y=HEIGHT - 12 text-anchor="middle">{bar.label.clone()}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="chart"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            preserveAspectRatio="xMidYMid meet"
        >
            <title>{title}</title>
            <line class="axis" x1="0" x2=WIDTH y1=HEIGHT - AXIS y2=HEIGHT - AXIS/>
            {columns}
        </svg>
    }
}

/// A column's height in drawing units: proportional to `value` over `max`, and at least one unit
/// for any value above zero, so that a small number is not drawn as nothing.
fn column_height(value: i64, max: i64, plot: i64) -> i64 {
    if value <= 0 || max <= 0 {
        return 0;
    }
    let scaled = i128::from(value) * i128::from(plot) / i128::from(max);
    i64::try_from(scaled).unwrap_or(plot).clamp(1, plot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_proportional_and_never_vanish() {
        assert_eq!(column_height(100, 100, 200), 200);
        assert_eq!(column_height(50, 100, 200), 100);
        assert_eq!(column_height(1, 1_000_000_000, 200), 1);
        assert_eq!(column_height(0, 100, 200), 0);
        assert_eq!(column_height(i64::MAX, i64::MAX, 200), 200);
    }
}
