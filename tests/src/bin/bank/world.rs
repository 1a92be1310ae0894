//! The seeded municipality the clients work on: found in the generated region through the store
//! (before the server starts), then prepared over HTTP as its people would: the operator opens
//! the new period, the providers open this year's groups.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde_json::json;
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::{person, Month};
use navigator_store::{Actor, ApplicationFilter, PageRequest, ProgramFilter, Store};

use crate::http::Api;
use crate::Failure;

/// Every generated account's password (`navigator generate`).
pub const PASSWORD: &str = "bench-password";

pub struct Child {
    pub id: Uuid,
    pub family: usize,
    pub certificate_id: Option<Uuid>,
    pub age: u32,
}

pub struct Provider {
    pub id: Uuid,
    pub staff: String,
}

pub struct Group {
    pub id: Uuid,
    pub provider: usize,
    pub age_from: u32,
    pub age_to: u32,
    /// Opened for this run, in the period open today.
    pub new: bool,
}

/// An application the clients know of.
#[derive(Clone)]
pub struct Application {
    pub id: Uuid,
    pub provider: usize,
    /// The family that may act on it, when it is one of the run's families.
    pub family: Option<usize>,
    pub certificate_id: Option<Uuid>,
    /// The contract's months, once accepted.
    pub months: Vec<Month>,
}

pub struct World {
    pub municipality: Uuid,
    pub operator: String,
    pub families: Vec<String>,
    pub children: Vec<Child>,
    pub providers: Vec<Provider>,
    pub groups: Vec<Group>,
    /// Published programs, where this year's groups open: (id, provider, ages from, to).
    pub programs: Vec<(Uuid, usize, u32, u32)>,
    /// The enrollments of the ended period, accepted when the region was generated.
    pub applications: Vec<Application>,
}

impl World {
    /// Every account the clients sign in as, with its password.
    pub fn passwords(&self) -> HashMap<String, String> {
        std::iter::once(&self.operator)
            .chain(&self.families)
            .chain(self.providers.iter().map(|p| &p.staff))
            .map(|email| (email.clone(), PASSWORD.to_owned()))
            .collect()
    }
}

/// The academic year (1 September to 31 August) containing `day`.
pub fn academic_year(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    };
    let start = NaiveDate::from_ymd_opt(first, 9, 1).unwrap_or(day);
    let end = NaiveDate::from_ymd_opt(first + 1, 8, 31).unwrap_or(day);
    (start, end)
}

fn user_actor(user: &api::User) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
        provider_id: user.provider_id,
        municipality_id: user.municipality_id,
    }
}

/// Reads the generated center (the first municipality: `operator1`) and up to `max_families` of
/// its families.
pub async fn discover(
    store: &dyn Store,
    max_families: usize,
    today: NaiveDate,
) -> Result<World, Failure> {
    let operator = "operator1@bench.example".to_owned();
    let (operator_user, _) = store
        .find_user_by_email(&operator)
        .await?
        .ok_or("no operator1@bench.example: was the region generated?")?;
    let municipality = operator_user
        .municipality_id
        .ok_or("operator1 has no municipality")?;

    let mut providers = Vec::new();
    for n in 1.. {
        let Some((user, _)) = store
            .find_user_by_email(&format!("staff{n}@bench.example"))
            .await?
        else {
            break;
        };
        let Some(provider_id) = user.provider_id else {
            continue;
        };
        if store.get_provider(provider_id).await?.municipality_id == municipality {
            providers.push((
                Provider {
                    id: provider_id,
                    staff: user.email.clone(),
                },
                user_actor(&user),
            ));
        }
    }
    if providers.is_empty() {
        return Err("the center has no provider staff".into());
    }

    let mut families = Vec::new();
    let mut children = Vec::new();
    for n in 1.. {
        if families.len() >= max_families {
            break;
        }
        let Some((user, _)) = store
            .find_user_by_email(&format!("family{n}@bench.example"))
            .await?
        else {
            break;
        };
        let own: Vec<api::Child> = store
            .list_children(&user_actor(&user))
            .await?
            .into_iter()
            .filter(|c| c.municipality_id == municipality)
            .collect();
        if own.is_empty() {
            continue;
        }
        for c in own {
            children.push(Child {
                id: c.id,
                family: families.len(),
                certificate_id: c.certificate.map(|cert| cert.id),
                age: person::age_on(c.birth_date, today),
            });
        }
        families.push(user.email);
    }
    let family_of: HashMap<Uuid, usize> = children.iter().map(|c| (c.id, c.family)).collect();

    let mut groups = Vec::new();
    let mut programs = Vec::new();
    let mut applications = Vec::new();
    for (index, (provider, staff)) in providers.iter().enumerate() {
        let filter = ProgramFilter {
            provider_id: Some(provider.id),
            any_status: true,
            ..ProgramFilter::default()
        };
        for summary in all_pages(|page| {
            let filter = &filter;
            async move { store.search_programs(filter, &page).await }
        })
        .await?
        {
            let program = store.get_program(Some(staff), summary.id).await?;
            if program.status == api::ProgramStatus::Published {
                programs.push((program.id, index, program.age_from, program.age_to));
            }
            for g in &program.groups {
                groups.push(Group {
                    id: g.id,
                    provider: index,
                    age_from: program.age_from,
                    age_to: program.age_to,
                    new: false,
                });
            }
        }
        let filter = ApplicationFilter {
            status: Some(api::ApplicationStatus::Accepted),
            ..ApplicationFilter::default()
        };
        for a in all_pages(|page| {
            let filter = &filter;
            async move { store.list_applications(staff, filter, &page).await }
        })
        .await?
        {
            applications.push(Application {
                id: a.id,
                provider: index,
                family: family_of.get(&a.child_id).copied(),
                certificate_id: Some(a.certificate_id),
                months: a.months.iter().map(|m| m.month).collect(),
            });
        }
    }
    Ok(World {
        municipality,
        operator,
        families,
        children,
        providers: providers.into_iter().map(|(p, _)| p).collect(),
        groups,
        programs,
        applications,
    })
}

/// Every page of a keyset-paginated list.
pub async fn all_pages<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, Failure>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = navigator_store::Result<api::Page<T>>>,
{
    let mut items = Vec::new();
    let mut cursor = None;
    loop {
        let page = fetch(PageRequest {
            limit: api::MAX_LIMIT,
            cursor,
        })
        .await?;
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(items),
        }
    }
}

/// What the new period is funded with.
pub struct PeriodPlan {
    pub nominal: &'static str,
    pub quota: i64,
    pub budget: &'static str,
}

/// The operator opens the period of the academic year containing `today`.
pub async fn open_period(
    api: &Api,
    world: &World,
    today: NaiveDate,
    plan: &PeriodPlan,
) -> Result<(), Failure> {
    let (start, end) = academic_year(today);
    api.post(
        &world.operator,
        &format!("/municipalities/{}/periods", world.municipality),
        &json!({
            "start": start, "end": end, "nominal": plan.nominal, "quota": plan.quota,
            "budget": plan.budget, "enrollment_opens": start, "enrollment_closes": end,
        }),
    )
    .await?;
    Ok(())
}

/// Each provider opens a group of `capacity` seats in each of its published programs, from today
/// to the end of May.
pub async fn open_groups(
    api: &Api,
    world: &mut World,
    today: NaiveDate,
    capacity: i64,
) -> Result<(), Failure> {
    let (_, end) = academic_year(today);
    let classes_end = NaiveDate::from_ymd_opt(end.year(), 5, 31).ok_or("no 31 May")?;
    for &(program, provider, age_from, age_to) in &world.programs {
        let group = api
            .post(
                &world.providers[provider].staff,
                &format!("/programs/{program}/groups"),
                &json!({
                    "name": format!("Группа {}", today.year()), "start_date": today,
                    "end_date": classes_end, "schedule": "Пн, Ср 16:00–17:30",
                    "teacher": "Иванова Мария Петровна", "capacity": capacity, "open": true,
                }),
            )
            .await?;
        world.groups.push(Group {
            id: group["id"].as_str().ok_or("group without id")?.parse()?,
            provider,
            age_from,
            age_to,
            new: true,
        });
    }
    Ok(())
}
