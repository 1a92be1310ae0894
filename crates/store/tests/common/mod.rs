//! A small world for the store's own tests: one municipality with a period around today, one
//! provider, and helpers to add programs, groups, families and children.

#![allow(dead_code)]
// Test set-up: a failure here is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use navigator_api_types as api;
use navigator_domain::{Money, Snils};
use navigator_store::*;

pub struct World {
    pub store: Arc<dyn Store>,
    pub municipality: api::Municipality,
    pub provider: api::Provider,
    pub staff: Actor,
    pub operator: Actor,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The database's URL, for a second process's store on the same database.
    pub url: String,
    dir: std::path::PathBuf,
}

impl Drop for World {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

pub fn academic_year(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let y = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    (
        NaiveDate::from_ymd_opt(y, 9, 1).unwrap(),
        NaiveDate::from_ymd_opt(y + 1, 8, 31).unwrap(),
    )
}

fn actor(u: &api::User) -> Actor {
    Actor {
        user_id: u.id,
        role: u.role,
        provider_id: u.provider_id,
        municipality_id: u.municipality_id,
    }
}

fn new_user(
    email: &str,
    role: api::Role,
    provider_id: Option<uuid::Uuid>,
    municipality_id: Option<uuid::Uuid>,
) -> NewUser {
    NewUser {
        email: email.into(),
        password_hash: "not-a-real-hash".into(),
        full_name: "Тест Тестович".into(),
        role,
        provider_id,
        municipality_id,
    }
}

impl World {
    /// `NAVIGATOR_TEST_DATABASE_URL` points the tests at another empty database (PostgreSQL).
    pub async fn new(nominal: Money, quota: i64, budget: Money) -> World {
        let dir = std::env::temp_dir().join(format!("navigator-store-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = std::env::var("NAVIGATOR_TEST_DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite:{}/t.db", dir.display()));
        let store = connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let system = Actor::system();
        let (start, end) = academic_year(Utc::now().date_naive());
        let municipality = store
            .create_municipality(NewMunicipality {
                name: format!("г. Омск {}", uuid::Uuid::new_v4().simple()),
                region_code: "55".into(),
            })
            .await
            .unwrap();
        store
            .create_period(
                &system,
                NewPeriod {
                    municipality_id: municipality.id,
                    start,
                    end,
                    nominal,
                    quota,
                    budget,
                    enrollment_opens: start - Duration::days(15),
                    enrollment_closes: end,
                    test_mode: false,
                },
            )
            .await
            .unwrap();
        let provider = store
            .create_provider(
                &system,
                api::ProviderDraft {
                    municipality_id: municipality.id,
                    name: "МБУ ДО «Дом детского творчества»".into(),
                    legal_form: "МБУ ДО".into(),
                    inn: inn(),
                    address: "г. Омск, ул. Ленина, 1".into(),
                    phone: "+7 3812 00-00-00".into(),
                    email: "ddt@example.ru".into(),
                    licence: "Л035-01298-55/00194371".into(),
                    licence_issued_on: None,
                    latitude: None,
                    longitude: None,
                },
                Utc::now(),
            )
            .await
            .unwrap();
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let staff = store
            .create_user(new_user(
                &format!("p{tag}@x.ru"),
                api::Role::ProviderStaff,
                Some(provider.id),
                Some(municipality.id),
            ))
            .await
            .unwrap();
        let operator = store
            .create_user(new_user(
                &format!("m{tag}@x.ru"),
                api::Role::MunicipalOperator,
                None,
                Some(municipality.id),
            ))
            .await
            .unwrap();
        World {
            store,
            staff: actor(&staff),
            operator: actor(&operator),
            municipality,
            provider,
            start,
            end,
            url,
            dir,
        }
    }

    pub async fn program(&self, title: &str, funding: api::Funding, price: Money) -> api::Program {
        self.store
            .create_program(
                &Actor::system(),
                NewProgram {
                    provider_id: self.provider.id,
                    title: title.into(),
                    description: "Программа для проверки".into(),
                    direction: api::Direction::SocialHumanitarian,
                    age_from: 6,
                    age_to: 14,
                    level: api::Level::Starting,
                    form: api::StudyForm::InPerson,
                    funding,
                    price_per_month: price,
                    hours_per_week: 4,
                    duration_months: 9,
                    medical_certificate_required: false,
                    adapted_for_disabilities: true,
                    address: "г. Омск, ул. Ленина, 1".into(),
                    location: None,
                    status: api::ProgramStatus::Published,
                },
            )
            .await
            .unwrap()
    }

    pub async fn group(&self, program: &api::Program, capacity: i64) -> api::Group {
        self.store
            .create_group(
                &Actor::system(),
                NewGroup {
                    program_id: program.id,
                    name: "Группа".into(),
                    start_date: self.start,
                    end_date: self.end,
                    schedule: "Пн, Ср 16:00–17:30".into(),
                    teacher: "Петров П. П.".into(),
                    capacity,
                    open: true,
                },
            )
            .await
            .unwrap()
    }

    pub async fn family(&self) -> Actor {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let u = self
            .store
            .create_user(new_user(
                &format!("f{tag}@x.ru"),
                api::Role::Family,
                None,
                None,
            ))
            .await
            .unwrap();
        actor(&u)
    }

    /// A child of `family` with an activated certificate of accounting.
    pub async fn child_with_certificate(&self, family: &Actor) -> (api::Child, api::Certificate) {
        let today = Utc::now().date_naive();
        let child = self
            .store
            .create_child(
                family,
                NewChild {
                    first_name: "Анна".into(),
                    last_name: "Иванова".into(),
                    middle_name: None,
                    birth_date: today - Duration::days(365 * 9),
                    snils: Snils::from_number(rand_digits() % 900_000_000 + 2_000_000),
                    municipality_id: self.municipality.id,
                },
            )
            .await
            .unwrap();
        let now = Utc::now();
        let cert = self
            .store
            .issue_certificate(family, child.id, now)
            .await
            .unwrap();
        let cert = self
            .store
            .activate_certificate(&self.operator, cert.id, "документы проверены", now)
            .await
            .unwrap();
        (child, cert)
    }
}

pub fn rand_digits() -> u32 {
    (uuid::Uuid::new_v4().as_u128() % 100_000_000) as u32
}

/// A random valid ИНН of an organisation.
pub fn inn() -> String {
    let nine = format!("{:09}", uuid::Uuid::new_v4().as_u128() % 1_000_000_000);
    navigator_domain::provider::inn_with_check_digits(&nine).expect("nine digits make an ИНН")
}
