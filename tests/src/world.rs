//! Arranged worlds with numbers the tests choose.
//!
//! The demo data is for people; money scenarios need a municipality whose nominal, quota, mode and
//! prices the test knows, on any day the suite runs. A [`Town`] is one: its registries (period,
//! providers, programs, groups) made through the store, as the regional operator's back office
//! would, and its staff accounts through the API. Dates follow today's date:
//!
//! - the financing period runs 12 months, from the first day of last month;
//! - enrollment opens 15 days before the period and closes at its end;
//! - each group runs from the period's start to the end of the fifth month from now (so a contract
//!   accepted today covers this month and the next four).

use chrono::{Datelike, Days, Months, NaiveDate};
use uuid::Uuid;

use navigator_api_types::{
    Certificate, CertificateDecision, Child, CreateChildRequest, Direction, FinancingPeriod,
    Funding, Group, Level, Municipality, Program, ProgramStatus, Provider, ProviderDraft, Role,
    StudyForm,
};
use navigator_domain::provider::inn_with_check_digits;
use navigator_domain::{Money, Snils};
use navigator_store::{Actor, NewGroup, NewMunicipality, NewPeriod, NewProgram};

use crate::{Family, Staff, StatusCode, TestApp};

/// The parameters a test sets for its town.
#[derive(Debug, Clone)]
pub struct TownSpec {
    pub nominal: Money,
    pub quota: i64,
    pub budget: Money,
    pub test_mode: bool,
    /// Seats of the certified program's group.
    pub capacity: i64,
    pub price_per_month: Money,
}

impl Default for TownSpec {
    /// Kopecks everywhere, so that rounding shows: a nominal of 7 000.00 prorated by 11 months of
    /// 12 is 6 416.66; five months at 1 333.33 cost 6 666.65.
    fn default() -> Self {
        TownSpec {
            nominal: Money::from_roubles(7_000),
            quota: 100,
            budget: Money::from_roubles(700_000),
            test_mode: false,
            capacity: 10,
            price_per_month: Money::from_kopecks(133_333),
        }
    }
}

/// A municipality arranged for one test.
#[derive(Debug, Clone)]
pub struct Town {
    pub municipality: Municipality,
    pub period: FinancingPeriod,
    pub provider: Provider,
    /// Certified (payable by certificate), published: «Шахматный клуб «Гамбит»».
    pub program: Program,
    pub group: Group,
    /// Budget-funded, free with a certificate of accounting: «Юный эколог».
    pub budget_program: Program,
    pub budget_group: Group,
    /// Another organisation of the same municipality.
    pub rival_provider: Provider,
    pub operator: Staff,
    pub staff: Staff,
    pub rival_staff: Staff,
}

/// The first day of the month `offset` months from `date`'s month.
pub fn first_of_month(date: NaiveDate, offset: i32) -> NaiveDate {
    let first = date.with_day(1).expect("every month has a first day");
    let shifted = if offset >= 0 {
        first.checked_add_months(Months::new(offset.unsigned_abs()))
    } else {
        first.checked_sub_months(Months::new(offset.unsigned_abs()))
    };
    shifted.expect("dates near today are representable")
}

/// The last day of the month `offset` months from `date`'s month.
pub fn last_of_month(date: NaiveDate, offset: i32) -> NaiveDate {
    first_of_month(date, offset + 1)
        .pred_opt()
        .expect("the day before a first of month exists")
}

/// A random valid SNILS (the checksum computed by the domain's constructor).
pub fn random_snils() -> Snils {
    let n = Uuid::new_v4().as_u128() % 800_000_000;
    Snils::from_number(100_000_000 + n as u32)
}

/// A random ИНН of an organisation: nine random digits and the check digit.
pub fn random_inn() -> String {
    let nine = format!("{:09}", Uuid::new_v4().as_u128() % 1_000_000_000);
    inn_with_check_digits(&nine).expect("nine digits make an ИНН")
}

impl TestApp {
    /// A new municipality with one financing period, two providers, a certified and a
    /// budget-funded program of the first provider, and an operator and staff of each provider
    /// signed in.
    pub async fn arrange_town(&self, spec: TownSpec) -> Town {
        let system = Actor::system();
        let store = self.store();
        let code = &Uuid::new_v4().simple().to_string()[..6];
        let municipality = store
            .create_municipality(NewMunicipality {
                name: format!("Тестовый городской округ {code}"),
                region_code: "55".into(),
            })
            .await
            .expect("create_municipality");
        let start = first_of_month(self.today, -1);
        let end = last_of_month(self.today, 10);
        let period = store
            .create_period(
                &system,
                NewPeriod {
                    municipality_id: municipality.id,
                    start,
                    end,
                    nominal: spec.nominal,
                    quota: spec.quota,
                    budget: spec.budget,
                    enrollment_opens: start - Days::new(15),
                    enrollment_closes: end,
                    test_mode: spec.test_mode,
                },
            )
            .await
            .expect("create_period");
        let provider = self
            .arrange_provider(municipality.id, "МБУ ДО «Дом детского творчества»")
            .await;
        let rival_provider = self
            .arrange_provider(municipality.id, "АНО ДО «Точка роста»")
            .await;
        let group_end = last_of_month(self.today, 4);
        let (program, group) = self
            .arrange_program(
                &provider,
                "Шахматный клуб «Гамбит»",
                Direction::SocialHumanitarian,
                Funding::Certificate,
                spec.price_per_month,
                (start, group_end, spec.capacity),
            )
            .await;
        let (budget_program, budget_group) = self
            .arrange_program(
                &provider,
                "Юный эколог",
                Direction::NaturalScience,
                Funding::Budget,
                Money::ZERO,
                (start, group_end, 15),
            )
            .await;

        let regional = self.demo_login(Role::RegionalOperator).await;
        let operator = self
            .create_staff(
                &regional,
                Role::MunicipalOperator,
                None,
                Some(municipality.id),
            )
            .await;
        let staff = self
            .create_staff(&regional, Role::ProviderStaff, Some(provider.id), None)
            .await;
        let rival_staff = self
            .create_staff(
                &regional,
                Role::ProviderStaff,
                Some(rival_provider.id),
                None,
            )
            .await;
        Town {
            municipality,
            period,
            provider,
            program,
            group,
            budget_program,
            budget_group,
            rival_provider,
            operator,
            staff,
            rival_staff,
        }
    }

    async fn arrange_provider(&self, municipality_id: Uuid, name: &str) -> Provider {
        self.store()
            .create_provider(
                &Actor::system(),
                ProviderDraft {
                    municipality_id,
                    name: name.into(),
                    legal_form: "МБУ ДО".into(),
                    inn: random_inn(),
                    address: "ул. Ленина, 1".into(),
                    phone: "+7 3812 00-00-00".into(),
                    email: "info@provider.example".into(),
                    licence: "Л035-01234-55/00123456".into(),
                    licence_issued_on: None,
                    latitude: None,
                    longitude: None,
                },
                chrono::Utc::now(),
            )
            .await
            .expect("create_provider")
    }

    async fn arrange_program(
        &self,
        provider: &Provider,
        title: &str,
        direction: Direction,
        funding: Funding,
        price_per_month: Money,
        (start_date, end_date, capacity): (NaiveDate, NaiveDate, i64),
    ) -> (Program, Group) {
        let system = Actor::system();
        let program = self
            .store()
            .create_program(
                &system,
                NewProgram {
                    provider_id: provider.id,
                    title: title.into(),
                    description: "Занятия для детей и подростков в небольших группах.".into(),
                    direction,
                    age_from: 6,
                    age_to: 14,
                    level: Level::Starting,
                    form: StudyForm::InPerson,
                    funding,
                    price_per_month,
                    hours_per_week: 4,
                    duration_months: 9,
                    medical_certificate_required: false,
                    adapted_for_disabilities: true,
                    address: "ул. Ленина, 1".into(),
                    location: None,
                    status: ProgramStatus::Published,
                },
            )
            .await
            .expect("create_program");
        let group = self
            .store()
            .create_group(
                &system,
                NewGroup {
                    program_id: program.id,
                    name: "Группа 1".into(),
                    start_date,
                    end_date,
                    schedule: "Пн, Ср 16:00–17:30".into(),
                    teacher: "Кузнецова Ольга Викторовна".into(),
                    capacity,
                    open: true,
                },
            )
            .await
            .expect("create_group");
        (program, group)
    }

    /// A child of nine (born on the first of the month 110 months ago), living in
    /// `municipality_id`, added by the family through the API.
    pub async fn add_child(&self, family: &Family, municipality_id: Uuid) -> Child {
        let birth_date = first_of_month(self.today, -(9 * 12 + 2));
        self.post("/children")
            .token(&family.token)
            .json(&CreateChildRequest {
                first_name: "Анна".into(),
                last_name: "Петрова".into(),
                middle_name: Some("Сергеевна".into()),
                birth_date,
                snils: random_snils().to_string(),
                municipality_id,
            })
            .send()
            .await
            .ok(StatusCode::CREATED)
    }

    /// The family asks for the child's certificate online: it is pending.
    pub async fn request_certificate(&self, family: &Family, child: &Child) -> Certificate {
        self.post(&format!("/children/{}/certificate", child.id))
            .token(&family.token)
            .send()
            .await
            .ok(StatusCode::CREATED)
    }

    /// The municipal operator confirms the documents: the certificate becomes one of accounting.
    pub async fn activate_certificate(
        &self,
        operator: &Staff,
        certificate_id: Uuid,
    ) -> Certificate {
        self.post(&format!("/certificates/{certificate_id}/activate"))
            .token(&operator.token)
            .json(&CertificateDecision {
                reason: "документы проверены".into(),
            })
            .send()
            .await
            .ok(StatusCode::OK)
    }

    /// A child of the town with an activated certificate of accounting.
    pub async fn certified_child(&self, family: &Family, town: &Town) -> (Child, Certificate) {
        let child = self.add_child(family, town.municipality.id).await;
        let pending = self.request_certificate(family, &child).await;
        let certificate = self.activate_certificate(&town.operator, pending.id).await;
        (child, certificate)
    }

    /// The family's view of a certificate.
    pub async fn certificate(&self, family: &Family, id: Uuid) -> Certificate {
        self.get(&format!("/certificates/{id}"))
            .token(&family.token)
            .send()
            .await
            .ok(StatusCode::OK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a valid date")
    }

    #[test]
    fn month_edges_cross_years() {
        assert_eq!(first_of_month(d(2026, 1, 31), -1), d(2025, 12, 1));
        assert_eq!(last_of_month(d(2026, 1, 31), 1), d(2026, 2, 28));
        assert_eq!(last_of_month(d(2026, 11, 24), 10), d(2027, 9, 30));
    }

    #[test]
    fn generated_identifiers_pass_their_checksums() {
        for _ in 0..100 {
            let snils = random_snils();
            assert_eq!(Snils::parse(&snils.to_string()), Ok(snils));
            let inn = random_inn();
            assert_eq!(inn.len(), 10);
            assert!(navigator_domain::provider::inn_is_valid(&inn), "{inn}");
        }
    }
}
