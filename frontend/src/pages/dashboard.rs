//! `/operator/dashboard`: the operators' dashboard. Charts drawn here as inline SVG (no chart
//! library: a few rectangles cost less than any library's download), each with a title and its
//! numbers as a table, and each table downloadable as CSV.

use leptos::prelude::*;
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
                Some(id) => Some(statistics::dashboard(session, id).await),
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
    let period_money = dashboard.period.map(|period| {
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
    let days = dashboard.applications_per_day;
    let applications = Figure {
        id: "applications-per-day",
        title: i18n::applications_last_days(statistics::DAYS),
        bars: days
            .iter()
            .map(|(day, n)| Bar {
                label: short_day(*day),
                value: i64::try_from(*n).unwrap_or(i64::MAX),
                shown: n.to_string(),
            })
            .collect(),
        header: [t(Key::Day), t(Key::ApplicationsCount)],
        rows: days
            .iter()
            .map(|(day, n)| [date(*day), n.to_string()])
            .collect(),
        csv_rows: days
            .iter()
            .map(|(day, n)| vec![day.to_string(), n.to_string()])
            .collect(),
        file_name: "applications-per-day.csv",
    };
    let months = dashboard.spending_by_month;
    let spending = Figure {
        id: "spending-by-month",
        title: t(Key::SpendingByMonth).to_owned(),
        bars: months
            .iter()
            .map(|(m, amount)| Bar {
                label: month(*m),
                value: amount.kopecks(),
                shown: money(*amount),
            })
            .collect(),
        header: [t(Key::Month), t(Key::WrittenOff)],
        rows: months
            .iter()
            .map(|(m, amount)| [month(*m), money(*amount)])
            .collect(),
        csv_rows: months
            .iter()
            .map(|(m, amount)| vec![m.to_string(), dialect.money(*amount)])
            .collect(),
        file_name: "spending-by-month.csv",
    };
    view! {
        {dashboard.partial.then(|| view! { <p class="note">{t(Key::DashboardPartial)}</p> })}
        {match period_money {
            Some(figure) => view! { <FigureView figure/> }.into_any(),
            None => view! { <p class="status">{t(Key::NoPeriods)}</p> }.into_any(),
        }}
        <FigureView figure=applications/>
        {if months.is_empty() {
            view! {
                <section class="card figure">
                    <h2>{t(Key::SpendingByMonth)}</h2>
                    <p class="status">{t(Key::NoSpendingYet)}</p>
                </section>
            }
            .into_any()
        } else {
            view! { <FigureView figure=spending/> }.into_any()
        }}
    }
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
        bars: rows
            .iter()
            .map(|(label, amount)| Bar {
                label: (*label).to_owned(),
                value: amount.kopecks(),
                shown: money(*amount),
            })
            .collect(),
        header: [t(Key::Indicator), t(Key::Amount)],
        rows: rows
            .iter()
            .map(|(label, amount)| [(*label).to_owned(), money(*amount)])
            .collect(),
        csv_rows: rows
            .iter()
            .map(|(label, amount)| vec![(*label).to_owned(), dialect.money(*amount)])
            .collect(),
        file_name,
    }
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

/// A chart with its numbers: the table shown under it and the rows of its CSV file (numbers
/// as Excel reads them rather than as a person does).
struct Figure {
    id: &'static str,
    title: String,
    bars: Vec<Bar>,
    header: [&'static str; 2],
    rows: Vec<[String; 2]>,
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
        rows,
        csv_rows,
        file_name,
    } = figure;
    let heading_id = format!("{id}-title");
    let failed = RwSignal::new(false);
    let export = move |_| {
        let content = Dialect::current().file(&header, &csv_rows);
        failed.set(csv::download(file_name, &content).is_err());
    };
    view! {
        <section class="card figure" aria-labelledby=heading_id.clone() data-testid=id>
            <h2 id=heading_id.clone()>{title.clone()}</h2>
            <ColumnChart title bars/>
            <details class="figure-table">
                <summary>{t(Key::ShowAsTable)}</summary>
                <div class="table-scroll">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{header[0]}</th>
                                <th scope="col" class="num">{header[1]}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|[label, value]| view! {
                                    <tr><th scope="row">{label}</th><td class="num">{value}</td></tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
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
    let few = count <= 12;
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
