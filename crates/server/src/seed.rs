//! Demo data for a fresh database: two municipalities of two regions with their financing periods,
//! a dozen providers with about forty programs, and the accounts of [`DEMO_ACCOUNTS`], among them a
//! family whose children already hold certificates, money and an enrollment.
//!
//! Everything goes through the [`Store`] use cases, as the API would do it, so the demo data obeys
//! the same rules and leaves the same ledger as real use. Dates are computed from the day of
//! seeding: the period is the academic year that contains it, so the demo works on any day.

mod catalog;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeDelta, Utc};
use uuid::Uuid;

use navigator_api_types::{self as api, Role};
use navigator_domain::provider::inn_with_check_digits;
use navigator_domain::Snils;
use navigator_store::{
    Actor, NewChild, NewGroup, NewMunicipality, NewPeriod, NewProgram, NewUser, Store, StoreError,
};

use catalog::{GroupStart, MunicipalityData};

/// A demo account to sign in with; `cargo run` prints the first of each role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    /// As in the API (`family`, `provider_staff`, `municipal_operator`, `regional_operator`).
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

const FAMILY: DemoAccount = DemoAccount {
    role: "family",
    email: "family@demo.example",
    password: "demo-family",
};
/// Staff of the first provider of Omsk, where the demo family's children are enrolled.
const PROVIDER_STAFF: DemoAccount = DemoAccount {
    role: "provider_staff",
    email: "provider@demo.example",
    password: "demo-provider",
};
const MUNICIPAL_OPERATOR: DemoAccount = DemoAccount {
    role: "municipal_operator",
    email: "municipal@demo.example",
    password: "demo-municipal",
};
const REGIONAL_OPERATOR: DemoAccount = DemoAccount {
    role: "regional_operator",
    email: "regional@demo.example",
    password: "demo-regional",
};
const OSINNIKI_FAMILY: DemoAccount = DemoAccount {
    role: "family",
    email: "family.osinniki@demo.example",
    password: "demo-family-osinniki",
};
const OSINNIKI_OPERATOR: DemoAccount = DemoAccount {
    role: "municipal_operator",
    email: "municipal.osinniki@demo.example",
    password: "demo-municipal-osinniki",
};

/// The demo accounts, Omsk's first; the same on every run.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    FAMILY,
    PROVIDER_STAFF,
    MUNICIPAL_OPERATOR,
    REGIONAL_OPERATOR,
    OSINNIKI_FAMILY,
    OSINNIKI_OPERATOR,
];

/// Fills a fresh database with the demo data, as of `today`.
///
/// A database that already has a municipality is left as it is, so that restarting the server
/// keeps whatever the demo users changed.
pub async fn seed_demo(store: &dyn Store, today: NaiveDate) -> Result<(), StoreError> {
    if !store.is_empty().await? {
        return Ok(());
    }
    let year = AcademicYear::containing(today);
    let omsk = seed_municipality(store, &catalog::OMSK, &year).await?;
    let osinniki = seed_municipality(store, &catalog::OSINNIKI, &year).await?;

    let staff_provider = omsk.provider_ids.first().copied().ok_or_else(|| {
        demo_data_error(
            "providers",
            "the demo catalog of Omsk has no provider".into(),
        )
    })?;
    let family = create_account(
        store,
        &FAMILY,
        "Иванова Мария Петровна",
        None,
        Some(omsk.id),
    )
    .await?;
    let staff = create_account(
        store,
        &PROVIDER_STAFF,
        "Кузьмина Ольга Николаевна",
        Some(staff_provider),
        Some(omsk.id),
    )
    .await?;
    let omsk_operator = create_account(
        store,
        &MUNICIPAL_OPERATOR,
        "Белов Андрей Викторович",
        None,
        Some(omsk.id),
    )
    .await?;
    create_account(
        store,
        &REGIONAL_OPERATOR,
        "Сафонова Ирина Геннадьевна",
        None,
        None,
    )
    .await?;
    let osinniki_family = create_account(
        store,
        &OSINNIKI_FAMILY,
        "Петрова Елена Викторовна",
        None,
        Some(osinniki.id),
    )
    .await?;
    create_account(
        store,
        &OSINNIKI_OPERATOR,
        "Громова Татьяна Сергеевна",
        None,
        Some(osinniki.id),
    )
    .await?;

    let story = Timeline {
        today,
        earliest: year.start,
    };
    let family = actor_of(&family);
    let staff = actor_of(&staff);
    let omsk_operator = actor_of(&omsk_operator);

    // The Ivanovs registered a few weeks ago, asked for both certificates online and brought the
    // documents to the municipal centre the next day.
    let artyom = store
        .create_child(
            &family,
            NewChild {
                first_name: "Артём".into(),
                last_name: "Иванов".into(),
                middle_name: Some("Алексеевич".into()),
                birth_date: birth_date(today, 13, 140),
                snils: Snils::from_number(152_873_461),
                municipality_id: omsk.id,
            },
        )
        .await?;
    let sofia = store
        .create_child(
            &family,
            NewChild {
                first_name: "Софья".into(),
                last_name: "Иванова".into(),
                middle_name: Some("Алексеевна".into()),
                birth_date: birth_date(today, 8, 200),
                snils: Snils::from_number(152_873_512),
                municipality_id: omsk.id,
            },
        )
        .await?;
    let artyom_certificate = store
        .issue_certificate(&family, artyom.id, story.days_ago(20, 4, 10))
        .await?;
    let sofia_certificate = store
        .issue_certificate(&family, sofia.id, story.days_ago(20, 4, 15))
        .await?;
    let documents_checked = "документы проверены в муниципальном опорном центре";
    store
        .activate_certificate(
            &omsk_operator,
            artyom_certificate.id,
            documents_checked,
            story.days_ago(19, 5, 30),
        )
        .await?;
    store
        .activate_certificate(
            &omsk_operator,
            sofia_certificate.id,
            documents_checked,
            story.days_ago(19, 5, 35),
        )
        .await?;

    // Artyom enrolled in a certified program: his certificate switched to financing and the
    // provider's acceptance reserved the months left, so the account shows balance, reservation
    // and history. Sofia's application to a free program waits for the provider's decision, so the
    // staff account has something to do.
    let chess = omsk.group(catalog::CHESS_CLUB, catalog::CHESS_SENIOR_GROUP)?;
    let enrollment = store
        .apply(&family, artyom.id, chess, story.days_ago(12, 7, 5))
        .await?;
    store
        .accept_application(&staff, enrollment.id, story.days_ago(10, 8, 40))
        .await?;
    let dance = omsk.group(catalog::DANCE_ENSEMBLE, catalog::DANCE_JUNIOR_GROUP)?;
    store
        .apply(&family, sofia.id, dance, story.days_ago(1, 10, 20))
        .await?;

    // In Osinniki, a family has just asked for a certificate online: it waits for the municipal
    // operator's document check.
    let osinniki_family = actor_of(&osinniki_family);
    let daniil = store
        .create_child(
            &osinniki_family,
            NewChild {
                first_name: "Даниил".into(),
                last_name: "Петров".into(),
                middle_name: Some("Андреевич".into()),
                birth_date: birth_date(today, 10, 75),
                snils: Snils::from_number(167_204_385),
                municipality_id: osinniki.id,
            },
        )
        .await?;
    store
        .issue_certificate(&osinniki_family, daniil.id, story.days_ago(2, 3, 0))
        .await?;
    Ok(())
}

/// The financing period of the demo: the academic year (1 September to 31 August) that contains
/// the day of seeding, and the dates that follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AcademicYear {
    start: NaiveDate,
    end: NaiveDate,
    /// Enrollment opens two weeks before the year starts, as navigators do for the September rush.
    enrollment_opens: NaiveDate,
    enrollment_closes: NaiveDate,
    /// When the groups end: with the school year on 31 May, or with the period from June on, so
    /// that a demo started in summer still has groups running to enroll in.
    classes_end: NaiveDate,
}

impl AcademicYear {
    fn containing(today: NaiveDate) -> AcademicYear {
        let first_year = if today.month() >= 9 {
            today.year()
        } else {
            today.year() - 1
        };
        let start = first_of_month(first_year, 9);
        let end = first_of_month(first_year + 1, 9) - Days::new(1);
        let school_year_end = first_of_month(first_year + 1, 6) - Days::new(1);
        let classes_end = if today > school_year_end {
            end
        } else {
            school_year_end
        };
        AcademicYear {
            start,
            end,
            enrollment_opens: start - Days::new(15),
            enrollment_closes: classes_end,
            classes_end,
        }
    }

    fn group_start(&self, start: GroupStart) -> NaiveDate {
        match start {
            GroupStart::WithPeriod => self.start,
            GroupStart::MonthLater => self.start + Months::new(1),
        }
    }
}

/// The first day of a month of a year near today.
fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1)
        .expect("the first day of September and June exists in every year near today")
}

/// A birth date that makes a child `years` old today, and still for a good part of the year.
fn birth_date(today: NaiveDate, years: u32, days_more: u64) -> NaiveDate {
    today - Months::new(12 * years) - Days::new(days_more)
}

/// Moments of the demo families' story: some days back from today, but never before the period
/// starts, so that every step falls inside the period and its enrollment window. The hours (UTC;
/// Omsk is UTC+6) keep the steps in order even when several of them land on the same day.
struct Timeline {
    today: NaiveDate,
    earliest: NaiveDate,
}

impl Timeline {
    fn days_ago(&self, days: u64, hour: i64, minute: i64) -> DateTime<Utc> {
        let day = (self.today - Days::new(days)).max(self.earliest);
        (day.and_time(NaiveTime::MIN) + TimeDelta::hours(hour) + TimeDelta::minutes(minute))
            .and_utc()
    }
}

/// What seeding a municipality created that the demo families need.
struct SeededMunicipality {
    id: Uuid,
    /// In the catalog's order.
    provider_ids: Vec<Uuid>,
    groups: Vec<SeededGroup>,
}

struct SeededGroup {
    program_title: &'static str,
    name: &'static str,
    id: Uuid,
}

impl SeededMunicipality {
    fn group(&self, program_title: &str, name: &str) -> Result<Uuid, StoreError> {
        self.groups
            .iter()
            .find(|g| g.program_title == program_title && g.name == name)
            .map(|g| g.id)
            .ok_or_else(|| {
                demo_data_error(
                    "groups",
                    format!("the demo catalog has no group «{name}» of «{program_title}»"),
                )
            })
    }
}

async fn seed_municipality(
    store: &dyn Store,
    data: &MunicipalityData,
    year: &AcademicYear,
) -> Result<SeededMunicipality, StoreError> {
    let system = Actor::system();
    let municipality = store
        .create_municipality(NewMunicipality {
            name: data.name.into(),
            region_code: data.region_code.into(),
        })
        .await?;
    store
        .create_period(
            &system,
            NewPeriod {
                municipality_id: municipality.id,
                start: year.start,
                end: year.end,
                nominal: data.nominal,
                quota: data.quota,
                budget: data.budget,
                enrollment_opens: year.enrollment_opens,
                enrollment_closes: year.enrollment_closes,
                test_mode: false,
            },
        )
        .await?;
    // The population figure of both calendar years the academic year spans.
    for year in [year.start.year(), year.end.year()] {
        store
            .set_population(
                &system,
                municipality.id,
                year,
                &api::SetPopulationRequest {
                    children_5_18: data.children_5_18,
                },
                Utc::now(),
            )
            .await?;
    }
    let mut seeded = SeededMunicipality {
        id: municipality.id,
        provider_ids: Vec::with_capacity(data.providers.len()),
        groups: Vec::new(),
    };
    for provider in data.providers {
        let inn = inn_with_check_digits(provider.inn_stem).ok_or_else(|| {
            demo_data_error(
                "inn",
                format!("{} is not the stem of an ИНН", provider.inn_stem),
            )
        })?;
        let created = store
            .create_provider(
                &system,
                api::ProviderDraft {
                    municipality_id: municipality.id,
                    name: provider.name.into(),
                    legal_form: provider.legal_form.into(),
                    inn,
                    address: provider.address.into(),
                    phone: provider.phone.into(),
                    email: provider.email.into(),
                    licence: provider.licence.into(),
                    licence_issued_on: None,
                    latitude: Some(provider.coordinates.0),
                    longitude: Some(provider.coordinates.1),
                },
                Utc::now(),
            )
            .await?;
        seeded.provider_ids.push(created.id);
        for program in provider.programs {
            let program_id = store
                .create_program(
                    &system,
                    NewProgram {
                        provider_id: created.id,
                        title: program.title.into(),
                        description: program.description.into(),
                        direction: program.direction,
                        age_from: program.age_from,
                        age_to: program.age_to,
                        level: program.level,
                        form: program.form,
                        funding: program.funding,
                        price_per_month: program.price_per_month,
                        hours_per_week: program.hours_per_week,
                        duration_months: program.duration_months,
                        medical_certificate_required: program.medical_certificate_required,
                        adapted_for_disabilities: program.adapted_for_disabilities,
                        address: program
                            .venue
                            .as_ref()
                            .map_or(provider.address, |v| v.address)
                            .into(),
                        // Distance learning happens nowhere in particular.
                        location: (program.form != api::StudyForm::Distance).then(|| {
                            program
                                .venue
                                .as_ref()
                                .map_or(provider.location, |v| v.location)
                        }),
                        status: program.status,
                    },
                )
                .await?
                .id;
            for group in program.groups {
                let created_group = store
                    .create_group(
                        &system,
                        NewGroup {
                            program_id,
                            name: group.name.into(),
                            start_date: year.group_start(group.start),
                            end_date: year.classes_end,
                            schedule: group.schedule.into(),
                            teacher: group.teacher.into(),
                            capacity: group.capacity,
                            open: true,
                        },
                    )
                    .await?;
                seeded.groups.push(SeededGroup {
                    program_title: program.title,
                    name: group.name,
                    id: created_group.id,
                });
            }
        }
    }
    Ok(seeded)
}

async fn create_account(
    store: &dyn Store,
    account: &DemoAccount,
    full_name: &str,
    provider_id: Option<Uuid>,
    municipality_id: Option<Uuid>,
) -> Result<api::User, StoreError> {
    let role = Role::parse(account.role).ok_or_else(|| {
        demo_data_error("role", format!("{} is not a role of the API", account.role))
    })?;
    store
        .create_user(NewUser {
            email: account.email.into(),
            password_hash: crate::auth::hash_password(account.password),
            full_name: full_name.into(),
            role,
            provider_id,
            municipality_id,
        })
        .await
}

/// The actor a user's access token stands for.
fn actor_of(user: &api::User) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
        provider_id: user.provider_id,
        municipality_id: user.municipality_id,
    }
}

/// The demo data contradicts itself; the unit tests below keep this from happening.
fn demo_data_error(field: &'static str, message: String) -> StoreError {
    StoreError::Invalid {
        field,
        code: "demo_data_inconsistent",
        message,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use std::collections::HashSet;

    use navigator_api_types::{ApplicationStatus, CertificateStatus, Direction, Funding};
    use navigator_domain::{person, Money};
    use navigator_store::{ApplicationFilter, PageRequest, ProgramFilter};

    use navigator_domain::provider::{check_provider, ProviderTerms};

    use super::catalog::{self, ProgramData, ProviderData};
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn all_providers() -> impl Iterator<Item = &'static ProviderData> {
        [&catalog::OMSK, &catalog::OSINNIKI]
            .into_iter()
            .flat_map(|m| m.providers.iter())
    }

    fn all_programs() -> impl Iterator<Item = &'static ProgramData> {
        all_providers().flat_map(|p| p.programs.iter())
    }

    #[test]
    fn providers_are_valid_registry_entries_with_distinct_inns() {
        let mut seen = HashSet::new();
        for provider in all_providers() {
            let inn = inn_with_check_digits(provider.inn_stem).unwrap();
            let terms = ProviderTerms {
                name: provider.name,
                legal_form: provider.legal_form,
                inn: &inn,
                address: provider.address,
                phone: provider.phone,
                email: provider.email,
                licence: provider.licence,
                licence_issued_on: None,
                latitude: Some(provider.coordinates.0),
                longitude: Some(provider.coordinates.1),
            };
            assert_eq!(
                check_provider(&terms, d(2026, 9, 1)),
                [],
                "{}",
                provider.name
            );
            assert!(seen.insert(inn), "{} repeats an ИНН", provider.name);
        }
        assert_eq!(seen.len(), 12);
    }

    #[test]
    fn catalog_covers_every_direction_with_plausible_programs() {
        let programs: Vec<_> = all_programs().collect();
        assert!(
            (30..=40).contains(&programs.len()),
            "{} programs",
            programs.len()
        );
        for direction in Direction::ALL {
            assert!(
                programs.iter().any(|p| p.direction == *direction),
                "no program of {direction:?}"
            );
        }
        for p in &programs {
            assert!(p.age_from <= p.age_to, "{}", p.title);
            assert!(
                person::MIN_AGE <= p.age_from && p.age_to <= person::MAX_AGE,
                "{}",
                p.title
            );
            assert!((1..=3).contains(&p.groups.len()), "{}", p.title);
            assert!(
                p.groups.iter().all(|g| (8..=25).contains(&g.capacity)),
                "{}",
                p.title
            );
            match p.funding {
                Funding::Budget => assert_eq!(p.price_per_month, Money::ZERO, "{}", p.title),
                Funding::Certificate => assert!(
                    (Money::from_roubles(1_200)..=Money::from_roubles(4_500))
                        .contains(&p.price_per_month),
                    "{}",
                    p.title
                ),
            }
            let sentences = p.description.matches(['.', '!', '?']).count();
            assert!(
                (2..=3).contains(&sentences),
                "{}: {sentences} sentences",
                p.title
            );
        }
        assert!(programs.iter().any(|p| p.funding == Funding::Budget));
        assert!(programs.iter().any(|p| p.adapted_for_disabilities));
        assert!(programs.iter().any(|p| p.medical_certificate_required));
    }

    #[test]
    fn contacts_use_reserved_example_domains() {
        for provider in all_providers() {
            assert!(provider.email.ends_with(".example"), "{}", provider.email);
            assert!(provider.phone.starts_with("+7 ("), "{}", provider.phone);
        }
        for account in DEMO_ACCOUNTS {
            assert!(
                account.email.ends_with("@demo.example"),
                "{}",
                account.email
            );
        }
    }

    #[test]
    fn demo_accounts_have_api_roles_strong_passwords_and_one_email_each() {
        let mut emails = HashSet::new();
        for account in DEMO_ACCOUNTS {
            assert!(Role::parse(account.role).is_some(), "{}", account.role);
            assert!(account.password.len() >= 10, "{}", account.email);
            assert!(emails.insert(account.email));
        }
        for role in Role::ALL {
            assert!(
                DEMO_ACCOUNTS.iter().any(|a| a.role == role.as_str()),
                "{role:?}"
            );
        }
    }

    #[test]
    fn the_family_is_enrolled_where_the_staff_account_works() {
        let first_omsk_provider = &catalog::OMSK.providers[0];
        assert_eq!(
            first_omsk_provider.name,
            catalog::OMSK_HOUSE_OF_CREATIVITY.name
        );
        let program = |title| {
            first_omsk_provider
                .programs
                .iter()
                .find(|p| p.title == title)
                .unwrap()
        };
        let chess = program(catalog::CHESS_CLUB);
        assert_eq!(chess.funding, Funding::Certificate);
        assert!(chess
            .groups
            .iter()
            .any(|g| g.name == catalog::CHESS_SENIOR_GROUP));
        let dance = program(catalog::DANCE_ENSEMBLE);
        assert_eq!(dance.funding, Funding::Budget);
        assert!(dance
            .groups
            .iter()
            .any(|g| g.name == catalog::DANCE_JUNIOR_GROUP));
        // The children's ages fit the programs on every day of the year.
        for today in [d(2026, 9, 1), d(2027, 2, 28), d(2027, 8, 31)] {
            let artyom = person::age_on(birth_date(today, 13, 140), today);
            let sofia = person::age_on(birth_date(today, 8, 200), today);
            assert!((chess.age_from..=chess.age_to).contains(&artyom));
            assert!((dance.age_from..=dance.age_to).contains(&sofia));
        }
    }

    #[test]
    fn the_period_is_the_academic_year_of_today() {
        let autumn = AcademicYear::containing(d(2026, 11, 24));
        assert_eq!(autumn.start, d(2026, 9, 1));
        assert_eq!(autumn.end, d(2027, 8, 31));
        assert_eq!(autumn.enrollment_opens, d(2026, 8, 17));
        assert_eq!(autumn.enrollment_closes, d(2027, 5, 31));
        assert_eq!(autumn.classes_end, d(2027, 5, 31));
        assert_eq!(autumn.group_start(GroupStart::MonthLater), d(2026, 10, 1));

        assert_eq!(AcademicYear::containing(d(2026, 9, 1)).start, d(2026, 9, 1));
        assert_eq!(
            AcademicYear::containing(d(2027, 5, 31)).classes_end,
            d(2027, 5, 31)
        );
        let summer = AcademicYear::containing(d(2027, 6, 1));
        assert_eq!(summer.start, d(2026, 9, 1));
        assert_eq!(summer.enrollment_closes, d(2027, 8, 31));
        assert_eq!(summer.classes_end, d(2027, 8, 31));
        assert_eq!(
            AcademicYear::containing(d(2028, 8, 31)).start,
            d(2027, 9, 1)
        );
    }

    #[test]
    fn the_story_stays_inside_the_period_and_in_order() {
        let story = Timeline {
            today: d(2026, 9, 3),
            earliest: d(2026, 9, 1),
        };
        let steps = [
            story.days_ago(20, 4, 10),
            story.days_ago(19, 5, 30),
            story.days_ago(12, 7, 5),
            story.days_ago(10, 8, 40),
            story.days_ago(1, 10, 20),
        ];
        assert_eq!(steps[0].to_rfc3339(), "2026-09-01T04:10:00+00:00");
        assert!(steps.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(steps[4].to_rfc3339(), "2026-09-02T10:20:00+00:00");
    }

    /// A SQLite file in the temporary directory, removed with its WAL files when dropped.
    struct TempDatabase(std::path::PathBuf);

    impl TempDatabase {
        fn new(label: &str) -> TempDatabase {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            TempDatabase(std::env::temp_dir().join(format!(
                "navigator-seed-{label}-{}-{nanos}.db",
                std::process::id()
            )))
        }

        fn url(&self) -> String {
            format!("sqlite:{}", self.0.display())
        }
    }

    impl Drop for TempDatabase {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = self.0.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }

    async fn seeded_store(
        label: &str,
        today: NaiveDate,
    ) -> (TempDatabase, std::sync::Arc<dyn Store>) {
        let database = TempDatabase::new(label);
        let store = navigator_store::connect(&database.url()).await.unwrap();
        store.migrate().await.unwrap();
        let started = std::time::Instant::now();
        seed_demo(store.as_ref(), today).await.unwrap();
        eprintln!("seeded as of {today} in {:?}", started.elapsed());
        (database, store)
    }

    async fn user_actor(store: &dyn Store, account: &DemoAccount) -> Actor {
        let (user, _) = store
            .find_user_by_email(account.email)
            .await
            .unwrap()
            .unwrap();
        actor_of(&user)
    }

    #[tokio::test]
    async fn seeds_a_working_demo_once() {
        let today = d(2026, 11, 24);
        let (_database, store) = seeded_store("once", today).await;
        let store = store.as_ref();

        let municipalities = store.list_municipalities().await.unwrap();
        assert_eq!(municipalities.len(), 2);
        assert_eq!(store.list_providers(None).await.unwrap().len(), 12);
        let catalog = store
            .search_programs(
                &ProgramFilter::default(),
                &PageRequest {
                    limit: api::MAX_LIMIT,
                    cursor: None,
                },
            )
            .await
            .unwrap();
        let published = all_programs()
            .filter(|p| p.status == api::ProgramStatus::Published)
            .count();
        assert_eq!(catalog.items.len(), published);

        for account in DEMO_ACCOUNTS {
            let (user, hash) = store
                .find_user_by_email(account.email)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(user.role.as_str(), account.role);
            assert!(crate::auth::verify_password(account.password, &hash));
        }

        let family = user_actor(store, &FAMILY).await;
        let children = store.list_children(&family).await.unwrap();
        assert_eq!(children.len(), 2);
        let certificate_of = |first_name: &str| {
            children
                .iter()
                .find(|c| c.first_name == first_name)
                .and_then(|c| c.certificate.clone())
                .unwrap()
        };
        let artyom = certificate_of("Артём");
        assert_eq!(artyom.status, CertificateStatus::Financing);
        assert!(artyom.number.starts_with("55-"), "{}", artyom.number);
        assert!(artyom.reserved.is_positive());
        assert!(artyom.balance.is_positive());
        assert_eq!(
            certificate_of("Софья").status,
            CertificateStatus::Accounting
        );
        let history = store.certificate_history(&family, artyom.id).await.unwrap();
        assert!(history.entries.len() >= 2, "credit and reservations");
        assert!(history.events.len() >= 3, "issued, activated, financing");

        let applications = store
            .list_applications(
                &family,
                &ApplicationFilter::default(),
                &PageRequest::default(),
            )
            .await
            .unwrap();
        let mut statuses: Vec<_> = applications.items.iter().map(|a| a.status).collect();
        statuses.sort_by_key(|s| s.as_str());
        assert_eq!(
            statuses,
            [ApplicationStatus::Accepted, ApplicationStatus::Submitted]
        );

        let staff = user_actor(store, &PROVIDER_STAFF).await;
        let waiting = store
            .list_applications(
                &staff,
                &ApplicationFilter {
                    status: Some(ApplicationStatus::Submitted),
                    ..ApplicationFilter::default()
                },
                &PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(waiting.items.len(), 1);

        let osinniki_operator = user_actor(store, &OSINNIKI_OPERATOR).await;
        let pending = store
            .list_certificates(
                &osinniki_operator,
                Some(CertificateStatus::Pending),
                &PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(pending.items.len(), 1);
        assert!(pending.items[0].number.starts_with("42-"));

        let violations = store.verify_ledger().await.unwrap();
        assert!(violations.is_empty(), "{violations:?}");

        // A second run leaves the database as it is.
        seed_demo(store, today).await.unwrap();
        assert_eq!(store.list_municipalities().await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn seeds_on_any_day_of_the_academic_year() {
        for today in [
            d(2026, 9, 1),
            d(2027, 1, 1),
            d(2027, 5, 31),
            d(2027, 6, 1),
            d(2027, 8, 31),
        ] {
            let (_database, store) = seeded_store("any-day", today).await;
            let family = user_actor(store.as_ref(), &FAMILY).await;
            let children = store.list_children(&family).await.unwrap();
            let financing = children
                .iter()
                .filter_map(|c| c.certificate.as_ref())
                .filter(|c| c.status == CertificateStatus::Financing)
                .count();
            assert_eq!(financing, 1, "as of {today}");
            let violations = store.verify_ledger().await.unwrap();
            assert!(violations.is_empty(), "as of {today}: {violations:?}");
        }
    }
}
