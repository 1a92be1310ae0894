//! The catalog: search and filters, kept in the URL so that a search can be bookmarked, shared
//! and gone back to; result cards; the next page by the API's cursor.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use navigator_api_types::{Direction, FacetCount, Funding, ProgramFacets, ProgramSummary};
use navigator_domain::person::{MAX_AGE, MIN_AGE};
use uuid::Uuid;

use crate::api;
use crate::app::set_title;
use crate::format::{money, query_string};
use crate::forms::{Alert, MunicipalitySelect};
use crate::i18n::{self, t, Key};

/// How many cards a page shows.
const PAGE_SIZE: u32 = 20;

/// A search of the catalog, as in the page's URL. The names are the API's query parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CatalogSearch {
    pub q: String,
    pub municipality_id: Option<Uuid>,
    pub direction: Option<Direction>,
    pub age: Option<u32>,
    pub funding: Option<Funding>,
    pub free_seats: bool,
    /// Where the page starts: the `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl CatalogSearch {
    /// Reads a search from query parameters; values that do not parse are ignored, as a stale or
    /// hand-edited link should still show the catalog.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> CatalogSearch {
        CatalogSearch {
            q: get("q").map(|q| q.trim().to_owned()).unwrap_or_default(),
            municipality_id: get("municipality_id").and_then(|id| Uuid::parse_str(&id).ok()),
            direction: get("direction").and_then(|d| Direction::parse(&d)),
            age: get("age").and_then(|a| a.parse().ok()),
            funding: get("funding").and_then(|f| Funding::parse(&f)),
            free_seats: get("free_seats").is_some_and(|v| v == "true"),
            cursor: get("cursor").filter(|c| !c.is_empty()),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            (
                "municipality_id",
                self.municipality_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
            (
                "direction",
                self.direction
                    .map(|d| d.as_str().to_owned())
                    .unwrap_or_default(),
            ),
            ("age", self.age.map(|a| a.to_string()).unwrap_or_default()),
            (
                "funding",
                self.funding
                    .map(|f| f.as_str().to_owned())
                    .unwrap_or_default(),
            ),
            (
                "free_seats",
                if self.free_seats {
                    "true".into()
                } else {
                    String::new()
                },
            ),
            ("cursor", self.cursor.clone().unwrap_or_default()),
        ]
    }

    /// The address of this search in the SPA.
    pub fn page_url(&self) -> String {
        format!("/catalog{}", query_string(self.pairs()))
    }

    /// The query parameters of this search for `GET /api/v1/programs`.
    pub fn api_params(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.facet_params();
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        pairs.push(("limit", PAGE_SIZE.to_string()));
        pairs
    }

    /// The filters alone, for `GET /api/v1/programs/facets`: the counts are the same on every
    /// page of the results.
    pub fn facet_params(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.pairs();
        pairs.retain(|(name, value)| !value.is_empty() && *name != "cursor");
        pairs
    }

    /// The same search from `cursor` on (`None`: from the start).
    pub fn at(&self, cursor: Option<String>) -> CatalogSearch {
        CatalogSearch {
            cursor,
            ..self.clone()
        }
    }
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    set_title(t(Key::CatalogTitle));
    let query = use_query_map();
    let search = Memo::new(move |_| CatalogSearch::from_query(|key| query.read().get(key)));
    let municipalities = LocalResource::new(api::municipalities);
    let results = LocalResource::new(move || {
        let params = search.with(CatalogSearch::api_params);
        async move { api::programs(params).await }
    });
    let facet_filters = Memo::new(move |_| search.with(CatalogSearch::facet_params));
    let facets = LocalResource::new(move || api::program_facets(facet_filters.get()));

    view! {
        <h1>{t(Key::CatalogTitle)}</h1>
        <SearchForm search municipalities facets/>
        <p class="status found" role="status">
            {move || facets.get().and_then(Result::ok).map(|f| i18n::programs_found(f.total))}
        </p>
        <section class="results" aria-labelledby="results-title" aria-busy=move || results.with(Option::is_none).then_some("true")>
            <h2 id="results-title" class="visually-hidden">{t(Key::Results)}</h2>
            {move || match results.get() {
                None => view! { <p class="status" role="status">{t(Key::Loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <Alert message=error.message()/> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => {
                    view! { <p class="status" role="status">{t(Key::NothingFound)}</p> }.into_any()
                }
                Some(Ok(page)) => {
                    let current = search.get();
                    let next = page.next_cursor.map(|cursor| current.at(Some(cursor)).page_url());
                    let first = current.cursor.is_some().then(|| current.at(None).page_url());
                    view! {
                        <ul class="cards">
                            {page
                                .items
                                .into_iter()
                                .map(|program| view! { <ProgramCard program/> })
                                .collect_view()}
                        </ul>
                        <nav class="pager" aria-label=t(Key::Pages)>
                            {first.map(|href| view! { <a class="button secondary" href=href>{t(Key::FirstPage)}</a> })}
                            {next.map(|href| view! { <a class="button" href=href rel="next">{t(Key::NextPage)}" →"</a> })}
                        </nav>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn SearchForm(
    search: Memo<CatalogSearch>,
    municipalities: LocalResource<Result<Vec<navigator_api_types::Municipality>, api::ApiError>>,
    facets: LocalResource<Result<ProgramFacets, api::ApiError>>,
) -> impl IntoView {
    // How many programs a choice leaves, under the other filters: «Спорт (12)». Without the
    // counts (still loading, or refused) the choice reads as before.
    let with_count = move |words: &'static str, count: fn(&ProgramFacets) -> Option<i64>| {
        move || match facets.get().and_then(Result::ok).as_ref().and_then(count) {
            Some(n) => format!("{words} ({n})"),
            None => words.to_owned(),
        }
    };
    let q = RwSignal::new(String::new());
    let municipality = RwSignal::new(String::new());
    let direction = RwSignal::new(String::new());
    let age = RwSignal::new(String::new());
    let funding = RwSignal::new(String::new());
    let free_seats = RwSignal::new(false);
    // The form follows the URL: on load, and when Back or a link changes the search.
    Effect::new(move |_| {
        let s = search.get();
        q.set(s.q);
        municipality.set(
            s.municipality_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        direction.set(
            s.direction
                .map(|d| d.as_str().to_owned())
                .unwrap_or_default(),
        );
        age.set(s.age.map(|a| a.to_string()).unwrap_or_default());
        funding.set(s.funding.map(|f| f.as_str().to_owned()).unwrap_or_default());
        free_seats.set(s.free_seats);
    });

    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = CatalogSearch {
            q: q.get_untracked().trim().to_owned(),
            municipality_id: Uuid::parse_str(&municipality.get_untracked()).ok(),
            direction: Direction::parse(&direction.get_untracked()),
            age: age.get_untracked().parse().ok(),
            funding: Funding::parse(&funding.get_untracked()),
            free_seats: free_seats.get_untracked(),
            cursor: None,
        };
        navigate(&wanted.page_url(), NavigateOptions::default());
    };

    let direction_options = Direction::ALL
        .iter()
        .map(|d| {
            let d = *d;
            let value = d.as_str();
            let count = move || {
                facets
                    .get()
                    .and_then(Result::ok)
                    .map(|f| facet_count(&f.directions, d))
            };
            view! {
                <option value=value prop:selected=move || direction.with(|v| v == value)>
                    {move || match count() {
                        Some(n) => format!("{} ({n})", i18n::direction(d)),
                        None => i18n::direction(d).to_owned(),
                    }}
                </option>
            }
        })
        .collect_view();
    let age_options = (MIN_AGE..=MAX_AGE)
        .map(|a| {
            let value = a.to_string();
            let selected = {
                let value = value.clone();
                move || age.with(|v| *v == value)
            };
            view! { <option value=value prop:selected=selected>{a}</option> }
        })
        .collect_view();

    view! {
        <form class="search" role="search" on:submit=on_submit>
            <div class="field search-text">
                <label for="q">{t(Key::SearchLabel)}</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    placeholder=t(Key::SearchPlaceholder)
                    maxlength="200"
                    bind:value=q
                />
            </div>
            <div class="filters">
                <MunicipalitySelect
                    id="municipality_id"
                    label=t(Key::Municipality)
                    empty_label=t(Key::AnyMunicipality)
                    value=municipality
                    municipalities
                    error=Signal::stored(None)
                />
                <div class="field">
                    <label for="direction">{t(Key::Direction)}</label>
                    <select id="direction" name="direction" on:change=move |ev| direction.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || direction.with(String::is_empty)>
                            {t(Key::AnyDirection)}
                        </option>
                        {direction_options}
                    </select>
                </div>
                <div class="field">
                    <label for="age">{t(Key::ChildAge)}</label>
                    <select id="age" name="age" on:change=move |ev| age.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || age.with(String::is_empty)>
                            {t(Key::AnyAge)}
                        </option>
                        {age_options}
                    </select>
                </div>
                <div class="field">
                    <label for="funding">{t(Key::Funding)}</label>
                    <select id="funding" name="funding" on:change=move |ev| funding.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || funding.with(String::is_empty)>
                            {t(Key::AnyFunding)}
                        </option>
                        <option value="certificate" prop:selected=move || funding.with(|f| f == "certificate")>
                            {with_count(t(Key::FundingCertificate), |f| Some(facet_count(&f.fundings, Funding::Certificate)))}
                        </option>
                        <option value="budget" prop:selected=move || funding.with(|f| f == "budget")>
                            {with_count(t(Key::FundingBudget), |f| Some(facet_count(&f.fundings, Funding::Budget)))}
                        </option>
                    </select>
                </div>
            </div>
            <div class="search-actions">
                <label class="checkbox">
                    <input type="checkbox" name="free_seats" bind:checked=free_seats/>
                    {t(Key::FreeSeatsOnly)}
                </label>
                <a class="button secondary" href="/catalog">{t(Key::ResetFilters)}</a>
                <button type="submit" class="button">{t(Key::Search)}</button>
            </div>
        </form>
    }
}

/// The count of `value` in a facet; a value the API left out matches no program.
fn facet_count<T: PartialEq>(counts: &[FacetCount<T>], value: T) -> i64 {
    counts
        .iter()
        .find(|c| c.value == value)
        .map_or(0, |c| c.count)
}

#[component]
fn ProgramCard(program: ProgramSummary) -> impl IntoView {
    let href = format!("/programs/{}", program.id);
    let certified = program.funding == Funding::Certificate;
    // Budget-funded programs are free with a certificate of personal accounting.
    let price = if certified {
        view! {
            <p class="price">
                <strong>{money(program.price_per_month)}</strong>
                " "
                <span>{t(Key::PerMonth)}</span>
            </p>
        }
        .into_any()
    } else {
        view! { <p class="price"><strong>{t(Key::Free)}</strong></p> }.into_any()
    };
    let seats = if program.seats_left > 0 {
        format!("{}: {}", t(Key::SeatsLeft), program.seats_left)
    } else {
        t(Key::NoSeats).to_owned()
    };
    view! {
        <li class="card program-card">
            {certified
                .then(|| {
                    view! {
                        <div class="badges">
                            <span class="badge badge-certificate">{t(Key::FundingCertificate)}</span>
                        </div>
                    }
                })}
            <h3 class="card-title">
                <a href=href class="card-link">{program.title}</a>
            </h3>
            <p class="card-provider">{program.provider_name}</p>
            <ul class="facts">
                <li>{i18n::direction(program.direction)}</li>
                <li>{i18n::ages(program.age_from, program.age_to)}</li>
                {program.rating.map(|average| view! {
                    <li>{i18n::rating_summary(&i18n::decimal(&average), program.reviews_count)}</li>
                })}
            </ul>
            {price}
            <p class="seats" class:seats-none=program.seats_left <= 0>{seats}</p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search_of(pairs: &[(&str, &str)]) -> CatalogSearch {
        CatalogSearch::from_query(|key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn a_search_goes_into_the_url_and_back() {
        let search = CatalogSearch {
            q: "шахматы".into(),
            municipality_id: Some(Uuid::from_u128(7)),
            direction: Some(Direction::Sports),
            age: Some(9),
            funding: Some(Funding::Certificate),
            free_seats: true,
            cursor: Some("abc".into()),
        };
        assert_eq!(
            search.page_url(),
            "/catalog?q=%D1%88%D0%B0%D1%85%D0%BC%D0%B0%D1%82%D1%8B\
             &municipality_id=00000000-0000-0000-0000-000000000007&direction=sports&age=9\
             &funding=certificate&free_seats=true&cursor=abc"
        );
        // The router hands the page decoded values.
        let read_back = search_of(&[
            ("q", "шахматы"),
            ("municipality_id", "00000000-0000-0000-0000-000000000007"),
            ("direction", "sports"),
            ("age", "9"),
            ("funding", "certificate"),
            ("free_seats", "true"),
            ("cursor", "abc"),
        ]);
        assert_eq!(read_back, search);
    }

    #[test]
    fn an_empty_search_is_the_plain_catalog() {
        assert_eq!(CatalogSearch::default().page_url(), "/catalog");
        assert_eq!(
            CatalogSearch::default().api_params(),
            [("limit", "20".to_string())]
        );
    }

    #[test]
    fn the_api_gets_only_the_filters_that_are_set() {
        let search = search_of(&[("q", "бокс"), ("free_seats", "true"), ("cursor", "c2")]);
        assert_eq!(
            search.api_params(),
            [
                ("q", "бокс".to_string()),
                ("free_seats", "true".to_string()),
                ("cursor", "c2".to_string()),
                ("limit", "20".to_string()),
            ]
        );
    }

    #[test]
    fn facet_counts_ask_for_the_filters_of_every_page() {
        let search = search_of(&[("q", "бокс"), ("age", "9"), ("cursor", "c2")]);
        let expected = [("q", "бокс".to_string()), ("age", "9".to_string())];
        assert_eq!(search.facet_params(), expected);
        assert_eq!(search.at(None).facet_params(), expected);
    }

    #[test]
    fn a_value_missing_from_a_facet_leaves_no_program() {
        let counts = [FacetCount {
            value: Direction::Sports,
            count: 4,
        }];
        assert_eq!(facet_count(&counts, Direction::Sports), 4);
        assert_eq!(facet_count(&counts, Direction::Arts), 0);
    }

    #[test]
    fn garbage_in_a_link_is_ignored() {
        let search = search_of(&[
            ("direction", "cooking"),
            ("age", "nine"),
            ("municipality_id", "42"),
            ("free_seats", "yes"),
            ("q", "  робототехника "),
        ]);
        assert_eq!(
            search,
            CatalogSearch {
                q: "робототехника".into(),
                ..CatalogSearch::default()
            }
        );
    }

    #[test]
    fn the_next_page_keeps_the_filters() {
        let search = search_of(&[("age", "10"), ("funding", "budget")]);
        let next = search.at(Some("c2".into()));
        assert_eq!(next.page_url(), "/catalog?age=10&funding=budget&cursor=c2");
        assert_eq!(next.at(None), search);
    }
}
