//! Region-scale generated data, for benchmarks and load tests.
//!
//! [`BulkLoad::generate_region`] fills an empty database with what a region of the Omsk region's
//! size holds in a year (the domain brief's "numbers for scale"): at scale 1.0, 300,000 children,
//! 1,500 providers, 20,000 programs, 60,000 groups and about 600,000 accepted enrollments over 30
//! municipalities, in the financing period (the academic year) that contains the given day.
//!
//! The rows are what the use cases would have written: every amount comes from the domain's rules
//! (the nominal prorated by months left, the contract months, the co-payment split) and every
//! movement is the same posting as on the real path (the period's funding, a credit per financing
//! certificate, a reservation per enrollment), with the balances in step, so that the ledger's
//! invariants hold afterwards. Only the way in differs: multi-row INSERTs in large transactions
//! instead of a transaction per use case and a round trip per statement (about 3 minutes for a
//! whole region instead of half an hour or more: BENCHMARKS.md).
//!
//! Generation is deterministic: the same seed, scale and day give the same rows, ids included. The
//! random numbers come from a SplitMix64 written here rather than from `rand`, whose generators do
//! not promise the same stream across versions.

use async_trait::async_trait;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc, Weekday};
use uuid::Uuid;

use navigator_api_types as api;
use navigator_domain::certificate::{self, CertificateStatus};
use navigator_domain::geo::Point;
use navigator_domain::provider::{self, LegalForm};
use navigator_domain::{person, quote, search, Money, Month, Period, Snils};

use crate::{Result, StoreError};

/// What a whole region holds at scale 1.0.
pub const REGION_CHILDREN: u64 = 300_000;
pub const REGION_PROVIDERS: u64 = 1_500;
pub const REGION_PROGRAMS: u64 = 20_000;
pub const REGION_GROUPS: u64 = 60_000;
pub const REGION_ENROLLMENTS: u64 = 600_000;

/// The region code of every generated municipality (Omsk region), the prefix of certificate
/// numbers.
pub(crate) const REGION_CODE: &str = "55";

/// Every generated program runs the school year's nine months.
pub(crate) const DURATION_MONTHS: i64 = 9;

/// The regional center and 29 districts of the Omsk region.
const MUNICIPALITY_NAMES: [&str; 30] = [
    "г. Омск",
    "Азовский немецкий национальный муниципальный район",
    "Большереченский муниципальный район",
    "Большеуковский муниципальный район",
    "Горьковский муниципальный район",
    "Знаменский муниципальный район",
    "Исилькульский муниципальный район",
    "Калачинский муниципальный район",
    "Колосовский муниципальный район",
    "Кормиловский муниципальный район",
    "Крутинский муниципальный район",
    "Любинский муниципальный район",
    "Марьяновский муниципальный район",
    "Москаленский муниципальный район",
    "Муромцевский муниципальный район",
    "Называевский муниципальный район",
    "Нижнеомский муниципальный район",
    "Нововаршавский муниципальный район",
    "Одесский муниципальный район",
    "Оконешниковский муниципальный район",
    "Омский муниципальный район",
    "Павлоградский муниципальный район",
    "Полтавский муниципальный район",
    "Русско-Полянский муниципальный район",
    "Саргатский муниципальный район",
    "Таврический муниципальный район",
    "Тарский муниципальный район",
    "Тюкалинский муниципальный район",
    "Черлакский муниципальный район",
    "Шербакульский муниципальный район",
];

/// The regional center's share of everything; the districts share the rest unevenly.
const CENTER_SHARE: f64 = 0.4;

/// Enrollments of one child, at most: families rarely take more than a few clubs at once.
const MAX_ENROLLMENTS_PER_CHILD: usize = 4;

/// What to generate.
#[derive(Debug, Clone)]
pub struct RegionSpec {
    /// 1.0 is a whole region; counts scale linearly (each municipality keeps at least one of
    /// each thing).
    pub scale: f64,
    pub seed: u64,
    /// The day the data are "as of": the period is the academic year containing it, enrollments
    /// were accepted between its start and this day, attendance is marked up to it.
    pub today: NaiveDate,
    /// The password hash of every generated account, so that load tests can sign in.
    pub password_hash: String,
}

impl RegionSpec {
    fn count(&self, full: u64) -> u64 {
        // Counts, not money: a float is fine here.
        ((full as f64) * self.scale.max(0.0)).round() as u64
    }

    /// How many children the region will have: the length of the progress.
    pub fn children(&self) -> u64 {
        self.count(REGION_CHILDREN)
            .max(MUNICIPALITY_NAMES.len() as u64)
    }

    /// The financing period: the academic year (1 September to 31 August) containing `today`.
    pub fn period(&self) -> Period {
        let first_year = if self.today.month() >= 9 {
            self.today.year()
        } else {
            self.today.year() - 1
        };
        Period {
            start: first_of_month(first_year, 9),
            end: first_of_month(first_year + 1, 9) - Days::new(1),
        }
    }

    /// When groups end: with the school year on 31 May, or with the period when `today` is in the
    /// summer, so that the groups still run.
    fn classes_end(&self) -> NaiveDate {
        let period = self.period();
        let school_year_end = first_of_month(period.end.year(), 6) - Days::new(1);
        if self.today > school_year_end {
            period.end
        } else {
            school_year_end
        }
    }

    /// The month attendance is marked for, ready for the monthly billing run: the last whole
    /// month delivered, or the current one at the very start of the period.
    pub fn billing_month(&self) -> Month {
        let current = Month::of(self.today);
        let start = Month::of(self.period().start);
        let previous = Month::of(current.first_day() - Days::new(1));
        if previous >= start {
            previous
        } else {
            current
        }
    }
}

/// What was generated in one municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedMunicipality {
    pub id: Uuid,
    pub name: String,
    pub children: u64,
    pub enrollments: u64,
}

/// What was generated, in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneratedRegion {
    pub municipalities: Vec<GeneratedMunicipality>,
    pub providers: u64,
    pub programs: u64,
    pub groups: u64,
    pub families: u64,
    pub children: u64,
    pub certificates: u64,
    pub financing_certificates: u64,
    pub enrollments: u64,
    pub contract_months: u64,
    pub attendance_marks: u64,
    pub postings: u64,
    /// The month attendance was marked for: the one to bill.
    pub billing_month: Option<Month>,
}

/// Loading generated data in bulk.
#[async_trait]
pub trait BulkLoad: Send + Sync {
    /// Fills an empty database (`Conflict("database_not_empty")` otherwise) with a generated
    /// region; calls `progress` with the number of children written after each transaction.
    async fn generate_region(
        &self,
        spec: &RegionSpec,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<GeneratedRegion>;
}

// ---------------------------------------------------------------------------------------------
// Random numbers

/// SplitMix64: small, fast, and the same stream on every machine and version.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`, `n > 0`; the modulo bias is negligible for the small `n` used here.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in `0.0..1.0`, from the top 53 bits.
    fn fraction(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo + 1).max(1) as u64) as i64
    }

    /// True `percent` times in a hundred.
    fn percent(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    /// A version 4 UUID from the stream.
    pub(crate) fn uuid(&mut self) -> Uuid {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

// ---------------------------------------------------------------------------------------------
// Rows

#[derive(Clone)]
pub(crate) struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub role: api::Role,
    pub provider_id: Option<Uuid>,
    pub municipality_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub(crate) struct MunicipalityRow {
    pub id: Uuid,
    pub name: String,
}

pub(crate) struct PeriodRow {
    pub id: Uuid,
    pub period: Period,
    pub nominal: Money,
    pub quota: i64,
    pub budget: Money,
    pub enrollment_opens: NaiveDate,
    pub enrollment_closes: NaiveDate,
    pub certificates_financed: i64,
    pub budget_committed: Money,
    pub created_at: DateTime<Utc>,
}

pub(crate) struct ProviderRow {
    pub id: Uuid,
    pub name: String,
    pub legal_form: &'static str,
    pub inn: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub licence: String,
    pub created_at: DateTime<Utc>,
    /// The staff account that accepts applications and marks attendance.
    pub staff_id: Uuid,
    /// Where its building is: its programs run there.
    pub location: Point,
}

pub(crate) struct ProgramRow {
    pub id: Uuid,
    pub provider: usize,
    pub title: String,
    pub description: String,
    /// The search index's stems (`navigator_domain::search::document`) of the title, the
    /// description and the provider's name.
    pub search_title: String,
    pub search_description: String,
    pub search_provider: String,
    pub direction: api::Direction,
    pub age_from: u32,
    pub age_to: u32,
    pub level: api::Level,
    pub form: api::StudyForm,
    pub funding: api::Funding,
    pub price_per_month: Money,
    pub hours_per_week: u32,
    pub medical_certificate_required: bool,
    pub adapted_for_disabilities: bool,
    pub address: String,
    /// `None` for distance learning.
    pub location: Option<Point>,
    pub status: api::ProgramStatus,
    pub created_at: DateTime<Utc>,
}

pub(crate) struct GroupRow {
    pub id: Uuid,
    pub program: usize,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub schedule: &'static Schedule,
    pub teacher: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub open: bool,
}

#[derive(Clone)]
pub(crate) struct ChildRow {
    pub id: Uuid,
    pub family_id: Uuid,
    pub first_name: &'static str,
    pub last_name: String,
    pub middle_name: String,
    pub birth_date: NaiveDate,
    pub snils: Snils,
    pub created_at: DateTime<Utc>,
}

pub(crate) struct CertificateRow {
    pub id: Uuid,
    pub child_id: Uuid,
    pub number: String,
    pub status: CertificateStatus,
    pub valid_until: NaiveDate,
    pub period_id: Option<Uuid>,
    pub issued_at: DateTime<Utc>,
    pub activated_at: Option<DateTime<Utc>>,
}

pub(crate) struct CertificateEventRow {
    pub id: Uuid,
    pub certificate_id: Uuid,
    pub at: DateTime<Utc>,
    pub from_status: Option<CertificateStatus>,
    pub to_status: CertificateStatus,
    pub actor_id: Uuid,
    pub actor_role: api::Role,
    pub reason: &'static str,
}

pub(crate) struct ApplicationRow {
    pub id: Uuid,
    pub child_id: Uuid,
    pub certificate_id: Uuid,
    pub group_id: Uuid,
    pub program_id: Uuid,
    pub provider_id: Uuid,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: DateTime<Utc>,
    pub cost: Money,
    pub certificate_amount: Money,
    pub family_amount: Money,
}

pub(crate) struct ContractMonthRow {
    pub application_id: Uuid,
    pub month: String,
    pub price: Money,
    pub certificate_amount: Money,
    pub family_amount: Money,
}

pub(crate) struct AttendanceRow {
    pub application_id: Uuid,
    pub lesson_date: NaiveDate,
    pub present: bool,
    pub marked_at: DateTime<Utc>,
    pub marked_by: Uuid,
}

/// A posting with what it refers to; its two entries are `from` −amount and `to` +amount.
pub(crate) struct PostingRow {
    pub id: Uuid,
    pub kind: navigator_domain::ledger::PostingKind,
    pub amount: Money,
    pub at: DateTime<Utc>,
    pub actor_id: Uuid,
    pub period_id: Option<Uuid>,
    pub certificate_id: Option<Uuid>,
    pub application_id: Option<Uuid>,
    pub provider_id: Option<Uuid>,
    pub from: navigator_domain::ledger::Account,
    pub to: navigator_domain::ledger::Account,
    /// The ids of the two entries.
    pub entry_ids: [Uuid; 2],
}

pub(crate) struct BalanceRow {
    pub account: navigator_domain::ledger::Account,
    pub balance: Money,
}

/// Families with their children and everything that follows from them, written in one
/// transaction.
#[derive(Default)]
pub(crate) struct HouseholdRows {
    pub users: Vec<UserRow>,
    pub children: Vec<ChildRow>,
    pub certificates: Vec<CertificateRow>,
    pub certificate_events: Vec<CertificateEventRow>,
    pub applications: Vec<ApplicationRow>,
    pub contract_months: Vec<ContractMonthRow>,
    pub attendance: Vec<AttendanceRow>,
    pub postings: Vec<PostingRow>,
    pub balances: Vec<BalanceRow>,
}

// ---------------------------------------------------------------------------------------------
// The plan of a municipality

/// A weekly timetable: its text and the weekdays of its lessons.
pub(crate) struct Schedule {
    pub text: &'static str,
    pub days: &'static [Weekday],
}

const SCHEDULES: &[Schedule] = &[
    Schedule {
        text: "Пн, Ср 15:00–16:30",
        days: &[Weekday::Mon, Weekday::Wed],
    },
    Schedule {
        text: "Вт, Чт 16:00–17:30",
        days: &[Weekday::Tue, Weekday::Thu],
    },
    Schedule {
        text: "Ср, Пт 17:00–18:30",
        days: &[Weekday::Wed, Weekday::Fri],
    },
    Schedule {
        text: "Пн, Ср, Пт 14:00–14:45",
        days: &[Weekday::Mon, Weekday::Wed, Weekday::Fri],
    },
    Schedule {
        text: "Вт, Пт 18:00–19:30",
        days: &[Weekday::Tue, Weekday::Fri],
    },
    Schedule {
        text: "Сб 10:00–12:15",
        days: &[Weekday::Sat],
    },
];

/// A child as planned: who it is and where it enrolls, before the rows are made.
struct ChildPlan {
    row: ChildRow,
    /// `None`: no certificate was requested.
    certificate: Option<PlannedCertificate>,
    /// The day the family applied and the provider accepted (all of a child's applications are
    /// made in one sitting, as families do in the September rush).
    enrolled_on: NaiveDate,
    groups: Vec<usize>,
    /// The prorated nominal, when a certified program switched the certificate to financing.
    credit: Option<Money>,
}

struct PlannedCertificate {
    id: Uuid,
    issued_on: NaiveDate,
    /// Requested online and not yet checked in person.
    pending: bool,
}

struct Household {
    family: UserRow,
    children: Vec<ChildPlan>,
}

/// Everything of one municipality, planned in memory before a row is written: enrollments need
/// the seats of every group, and the period's counters need every credit.
pub(crate) struct MunicipalityPlan {
    pub municipality: MunicipalityRow,
    pub period: PeriodRow,
    /// The municipal operator and the providers' staff.
    pub staff: Vec<UserRow>,
    pub providers: Vec<ProviderRow>,
    pub programs: Vec<ProgramRow>,
    pub groups: Vec<GroupRow>,
    /// The period's funding, and the budget and fund accounts after the credits.
    pub funding: Option<PostingRow>,
    pub fund_balances: Vec<BalanceRow>,
    households: Vec<Household>,
    billing_month: Month,
    today: NaiveDate,
}

/// Region-wide running numbers: emails, INNs, SNILS and certificate numbers are unique across
/// municipalities.
#[derive(Default)]
struct Sequences {
    families: u64,
    children: u64,
    providers: u64,
    certificates: i64,
}

/// The plans of every municipality of the region, made one by one (each holds a municipality's
/// households in memory until written).
pub(crate) struct RegionPlanner<'a> {
    spec: &'a RegionSpec,
    rng: Rng,
    sequences: Sequences,
    weights: Vec<f64>,
    next: usize,
}

impl<'a> RegionPlanner<'a> {
    pub fn new(spec: &'a RegionSpec) -> RegionPlanner<'a> {
        let mut rng = Rng::new(spec.seed);
        let districts = MUNICIPALITY_NAMES.len() - 1;
        // Districts differ in size by up to three times.
        let sizes: Vec<f64> = (0..districts)
            .map(|_| rng.between(50, 150) as f64)
            .collect();
        let total: f64 = sizes.iter().sum();
        let weights = std::iter::once(CENTER_SHARE)
            .chain(sizes.iter().map(|s| (1.0 - CENTER_SHARE) * s / total))
            .collect();
        RegionPlanner {
            spec,
            rng,
            sequences: Sequences::default(),
            weights,
            next: 0,
        }
    }

    /// The last certificate number used: the region's counter.
    pub fn last_certificate_number(&self) -> i64 {
        self.sequences.certificates
    }

    /// The rows of households `range` of `plan`: families, children, certificates with their
    /// history, accepted applications with their contracts, the billing month's attendance, and
    /// the postings of credits and reservations with the balances they leave.
    pub fn household_rows(
        &mut self,
        plan: &MunicipalityPlan,
        range: std::ops::Range<usize>,
    ) -> Result<HouseholdRows> {
        plan.household_rows(range, &mut self.rng, &mut self.sequences)
    }

    /// The share of `full` (a region's count at scale 1.0) of municipality `index`, at least one.
    fn share(&self, full: u64, index: usize) -> usize {
        let total = self.spec.count(full) as f64;
        let before: f64 = self.weights[..index].iter().sum();
        let upto = before + self.weights[index];
        let n = (total * upto).round() - (total * before).round();
        (n.max(1.0)) as usize
    }

    /// The next municipality's plan, `None` after the last.
    pub fn next_municipality(&mut self) -> Result<Option<MunicipalityPlan>> {
        let Some(name) = MUNICIPALITY_NAMES.get(self.next) else {
            return Ok(None);
        };
        let index = self.next;
        self.next += 1;
        let counts = Counts {
            providers: self.share(REGION_PROVIDERS, index),
            programs: self.share(REGION_PROGRAMS, index),
            groups: self.share(REGION_GROUPS, index),
            children: self.share(REGION_CHILDREN, index),
            enrollments: self.share(REGION_ENROLLMENTS, index),
        };
        plan_municipality(
            self.spec,
            index,
            name,
            counts,
            &mut self.rng,
            &mut self.sequences,
        )
        .map(Some)
    }
}

struct Counts {
    providers: usize,
    programs: usize,
    groups: usize,
    children: usize,
    enrollments: usize,
}

fn plan_municipality(
    spec: &RegionSpec,
    index: usize,
    name: &str,
    counts: Counts,
    rng: &mut Rng,
    seq: &mut Sequences,
) -> Result<MunicipalityPlan> {
    let period = spec.period();
    let today = spec.today.clamp(period.start, period.end);
    let classes_end = spec.classes_end();
    let municipality = MunicipalityRow {
        id: rng.uuid(),
        name: name.to_string(),
    };
    let town = name.strip_suffix(" муниципальный район").unwrap_or(name);
    let (centre, radius) = municipality_place(index);
    let registered = at(period.start - Days::new(60), 9, 0);

    let operator = UserRow {
        id: rng.uuid(),
        email: format!("operator{}@bench.example", index + 1),
        full_name: person_name(rng),
        role: api::Role::MunicipalOperator,
        provider_id: None,
        municipality_id: Some(municipality.id),
        created_at: registered,
    };
    let mut staff = vec![operator];

    let mut providers = Vec::with_capacity(counts.providers);
    for _ in 0..counts.providers {
        seq.providers += 1;
        let n = seq.providers;
        let (legal_form, kind) = *rng.pick(PROVIDER_KINDS);
        let name = format!("{kind} «{}»", rng.pick(PROVIDER_NAMES));
        let id = rng.uuid();
        let staff_member = UserRow {
            id: rng.uuid(),
            email: format!("staff{n}@bench.example"),
            full_name: person_name(rng),
            role: api::Role::ProviderStaff,
            provider_id: Some(id),
            municipality_id: None,
            created_at: registered,
        };
        providers.push(ProviderRow {
            id,
            name,
            legal_form,
            inn: generated_inn(legal_form, n),
            address: format!(
                "{town}, ул. {}, д. {}",
                rng.pick(STREETS),
                rng.between(1, 120)
            ),
            phone: format!("+7 (3812) {:02}-{:02}-{:02}", n % 90 + 10, n % 97, n % 89),
            email: format!("info{n}@provider.example"),
            licence: format!("Л035-01298-55/{:08}", 100_000 + n),
            created_at: registered,
            staff_id: staff_member.id,
            location: scatter(centre, radius, n),
        });
        staff.push(staff_member);
    }

    let mut programs = Vec::with_capacity(counts.programs);
    for index in 0..counts.programs {
        // Every provider has a program; the rest go to providers at random.
        let provider = if index < providers.len() {
            index
        } else {
            rng.below(providers.len())
        };
        programs.push(program(rng, &providers[provider], provider, registered));
    }

    let mut groups = Vec::with_capacity(counts.groups);
    for index in 0..counts.groups.max(programs.len()) {
        let program = if index < programs.len() {
            index
        } else {
            rng.below(programs.len())
        };
        // Most groups start with the year; some are a second intake a month later.
        let start_date = if rng.percent(80) {
            period.start
        } else {
            period.start + Months::new(1)
        };
        groups.push(GroupRow {
            id: rng.uuid(),
            program,
            name: format!("Группа {}", index / programs.len() + 1),
            start_date,
            end_date: classes_end,
            schedule: rng.pick(SCHEDULES),
            teacher: person_name(rng),
            capacity: rng.between(10, 25),
            seats_taken: 0,
            open: rng.percent(95),
        });
    }

    // Groups that take applications, by the child's age.
    let mut by_age: Vec<Vec<usize>> = vec![Vec::new(); person::MAX_AGE as usize + 1];
    for (g, group) in groups.iter().enumerate() {
        let program = &programs[group.program];
        if group.open && program.status == api::ProgramStatus::Published {
            for age in program.age_from..=program.age_to {
                if let Some(bucket) = by_age.get_mut(age as usize) {
                    bucket.push(g);
                }
            }
        }
    }

    // Families and children.
    let mut households: Vec<Household> = Vec::new();
    let mut planned_children = 0;
    while planned_children < counts.children {
        seq.families += 1;
        let surname = *rng.pick(SURNAMES);
        let patronymic = *rng.pick(PATRONYMICS);
        let family = UserRow {
            id: rng.uuid(),
            email: format!("family{}@bench.example", seq.families),
            full_name: format!(
                "{} {} {}",
                surname.1,
                rng.pick(FEMALE_NAMES),
                rng.pick(PATRONYMICS).1
            ),
            role: api::Role::Family,
            provider_id: None,
            municipality_id: None,
            created_at: registered,
        };
        let size = match rng.below(10) {
            0..=5 => 1,
            6..=8 => 2,
            _ => 3,
        }
        .min(counts.children - planned_children);
        let mut children = Vec::with_capacity(size);
        for _ in 0..size {
            seq.children += 1;
            let girl = rng.percent(50);
            let age = rng.between(i64::from(person::MIN_AGE), i64::from(person::MAX_AGE));
            // Old enough on the first day of the period, born some day of that year.
            let birth_date =
                period.start - Months::new(12 * age as u32) - Days::new(rng.between(0, 364) as u64);
            // Most families apply in the first three weeks of September, the rest later on.
            let rush_end = (period.start + Days::new(20)).min(today);
            let enrolled_on = if rng.percent(80) {
                day_between(rng, period.start, rush_end)
            } else {
                day_between(rng, period.start, today)
            };
            let certificate = rng.percent(92).then(|| PlannedCertificate {
                id: rng.uuid(),
                issued_on: period.start - Days::new(rng.between(1, 700) as u64),
                pending: rng.percent(2),
            });
            children.push(ChildPlan {
                row: ChildRow {
                    id: rng.uuid(),
                    family_id: family.id,
                    first_name: if girl {
                        rng.choose(FEMALE_NAMES)
                    } else {
                        rng.choose(MALE_NAMES)
                    },
                    last_name: if girl { surname.1 } else { surname.0 }.to_string(),
                    middle_name: if girl { patronymic.1 } else { patronymic.0 }.to_string(),
                    birth_date,
                    // Nine digits from the running number; the checksum is computed.
                    snils: Snils::from_number(200_000_000 + seq.children as u32),
                    created_at: registered,
                },
                certificate,
                enrolled_on,
                groups: Vec::new(),
                credit: None,
            });
        }
        planned_children += size;
        households.push(Household { family, children });
    }

    // Enrollments: a child with a usable certificate, a group that fits its age with a seat.
    let mut seats_taken = vec![0i64; groups.len()];
    let mut places: Vec<(usize, usize)> = Vec::new();
    for (h, household) in households.iter().enumerate() {
        for (c, child) in household.children.iter().enumerate() {
            if child.certificate.as_ref().is_some_and(|cert| !cert.pending) {
                places.push((h, c));
            }
        }
    }
    let mut made = 0;
    let mut attempts = 0;
    while made < counts.enrollments && attempts < counts.enrollments * 20 && !places.is_empty() {
        attempts += 1;
        let (h, c) = *rng.pick(&places);
        let child = &mut households[h].children[c];
        if child.groups.len() >= MAX_ENROLLMENTS_PER_CHILD {
            continue;
        }
        let age = person::age_on(child.row.birth_date, child.enrolled_on) as usize;
        let Some(bucket) = by_age.get(age).filter(|b| !b.is_empty()) else {
            continue;
        };
        let g = *rng.pick(bucket);
        if seats_taken[g] >= groups[g].capacity || child.groups.contains(&g) {
            continue;
        }
        seats_taken[g] += 1;
        child.groups.push(g);
        made += 1;
    }
    for (group, taken) in groups.iter_mut().zip(seats_taken) {
        group.seats_taken = taken;
    }

    // The period: a certified program switched the certificate to financing on the day of the
    // application, with the nominal prorated to the months left; quota and budget leave room.
    let nominal = Money::from_roubles(rng.between(24, 48) * 500);
    let mut financed = 0i64;
    let mut committed = Money::ZERO;
    for child in households.iter_mut().flat_map(|h| h.children.iter_mut()) {
        let certified = child
            .groups
            .iter()
            .any(|&g| programs[groups[g].program].funding == api::Funding::Certificate);
        if certified {
            let credit = period.prorated_nominal(nominal, child.enrolled_on);
            financed += 1;
            committed = committed.checked_add(credit).ok_or_else(overflow)?;
            child.credit = Some(credit);
        }
    }
    let budget = Money::from_roubles((committed.kopecks() / 100 * 11 / 10 / 1_000 + 1) * 1_000);
    let period_row = PeriodRow {
        id: rng.uuid(),
        period,
        nominal,
        quota: financed + financed / 10 + 1,
        budget,
        enrollment_opens: period.start - Days::new(15),
        enrollment_closes: classes_end,
        certificates_financed: financed,
        budget_committed: committed,
        created_at: at(period.start - Days::new(30), 10, 0),
    };
    let budget_account = navigator_domain::ledger::Account::budget(period_row.id);
    let fund_account = navigator_domain::ledger::Account::period_fund(period_row.id);
    let funding = budget.is_positive().then(|| PostingRow {
        id: rng.uuid(),
        kind: navigator_domain::ledger::PostingKind::Funding,
        amount: budget,
        at: period_row.created_at,
        actor_id: Uuid::nil(),
        period_id: Some(period_row.id),
        certificate_id: None,
        application_id: None,
        provider_id: None,
        from: budget_account,
        to: fund_account,
        entry_ids: [rng.uuid(), rng.uuid()],
    });
    let fund_balances = if funding.is_some() {
        vec![
            BalanceRow {
                account: budget_account,
                balance: -budget,
            },
            BalanceRow {
                account: fund_account,
                balance: budget.checked_sub(committed).ok_or_else(overflow)?,
            },
        ]
    } else {
        Vec::new()
    };

    Ok(MunicipalityPlan {
        municipality,
        period: period_row,
        staff,
        providers,
        programs,
        groups,
        funding,
        fund_balances,
        households,
        billing_month: spec.billing_month(),
        today,
    })
}

fn program(
    rng: &mut Rng,
    provider: &ProviderRow,
    provider_index: usize,
    created_at: DateTime<Utc>,
) -> ProgramRow {
    let topic = rng.pick(TOPICS);
    let title = format!("{}{}", topic.title, rng.pick(TITLE_SUFFIXES));
    let description = format!("{} {}", topic.description, rng.pick(DESCRIPTION_ENDINGS));
    let (age_from, age_to) = *rng.pick(AGE_RANGES);
    let funding = if rng.percent(70) {
        api::Funding::Certificate
    } else {
        api::Funding::Budget
    };
    let price_per_month = match funding {
        api::Funding::Certificate => Money::from_roubles(rng.between(16, 80) * 50),
        api::Funding::Budget => Money::ZERO,
    };
    let status = match rng.below(100) {
        0..=91 => api::ProgramStatus::Published,
        92..=94 => api::ProgramStatus::OnModeration,
        95..=97 => api::ProgramStatus::Draft,
        _ => api::ProgramStatus::Archived,
    };
    // In the order the random stream has always been drawn.
    let id = rng.uuid();
    let level = *rng.pick(api::Level::ALL);
    let form = if rng.percent(90) {
        api::StudyForm::InPerson
    } else {
        *rng.pick(api::StudyForm::ALL)
    };
    ProgramRow {
        id,
        provider: provider_index,
        search_title: search::document(&title),
        search_description: search::document(&description),
        search_provider: search::document(&provider.name),
        title,
        description,
        direction: topic.direction,
        age_from,
        age_to,
        level,
        form,
        location: (form != api::StudyForm::Distance).then_some(provider.location),
        funding,
        price_per_month,
        hours_per_week: rng.between(2, 6) as u32,
        medical_certificate_required: topic.direction == api::Direction::Sports && rng.percent(70),
        adapted_for_disabilities: rng.percent(15),
        address: provider.address.clone(),
        status,
        created_at,
    }
}

/// The centre of the `index`th municipality and how far (degrees of latitude) its providers are
/// scattered: Omsk first, the districts' centres spread over the region (53.6–57.8° N,
/// 71–75.8° E). Drawn from a stream of their own, so that the rest of the data stays as it was.
fn municipality_place(index: usize) -> (Point, f64) {
    if index == 0 {
        return (OMSK, 0.12);
    }
    let mut rng = Rng::new(0x6765_6f00 + index as u64);
    let latitude = 53.6 + 4.2 * rng.fraction();
    let longitude = 71.0 + 4.8 * rng.fraction();
    (
        Point {
            latitude,
            longitude,
        },
        0.05,
    )
}

/// The `n`th provider's place: within `radius` degrees of latitude of `centre` (and
/// as far east or west), from a stream of its own.
fn scatter(centre: Point, radius: f64, n: u64) -> Point {
    let mut rng = Rng::new(0x706c_6163_6500 + n);
    let latitude = centre.latitude + radius * (2.0 * rng.fraction() - 1.0);
    let longitude =
        centre.longitude + radius / centre.longitude_scale() * (2.0 * rng.fraction() - 1.0);
    Point {
        latitude,
        longitude,
    }
}

/// The centre of Omsk.
const OMSK: Point = Point {
    latitude: 54.9885,
    longitude: 73.3242,
};

impl MunicipalityPlan {
    pub fn children(&self) -> u64 {
        self.households
            .iter()
            .map(|h| h.children.len() as u64)
            .sum()
    }

    pub fn enrollments(&self) -> u64 {
        self.groups.iter().map(|g| g.seats_taken as u64).sum()
    }

    pub fn households(&self) -> usize {
        self.households.len()
    }

    fn household_rows(
        &self,
        range: std::ops::Range<usize>,
        rng: &mut Rng,
        seq: &mut Sequences,
    ) -> Result<HouseholdRows> {
        use navigator_domain::ledger::{Account, PostingKind};
        let mut rows = HouseholdRows::default();
        let period = &self.period;
        for household in &self.households[range] {
            let family = &household.family;
            for child in &household.children {
                let submitted_at = at(child.enrolled_on, 8 + rng.between(0, 9), rng.between(0, 59));
                let decided_at = submitted_at + chrono::Duration::hours(2);
                if let Some(planned) = &child.certificate {
                    seq.certificates += 1;
                    let issued_at = at(planned.issued_on, 11, 0);
                    let status = if planned.pending {
                        CertificateStatus::Pending
                    } else if child.credit.is_some() {
                        CertificateStatus::Financing
                    } else {
                        CertificateStatus::Accounting
                    };
                    rows.certificates.push(CertificateRow {
                        id: planned.id,
                        child_id: child.row.id,
                        number: certificate::certificate_number(
                            REGION_CODE,
                            planned.issued_on.year(),
                            seq.certificates,
                        ),
                        status,
                        valid_until: certificate::valid_until(child.row.birth_date),
                        period_id: child.credit.map(|_| period.id),
                        issued_at,
                        activated_at: (!planned.pending).then_some(issued_at),
                    });
                    // Pending certificates were requested online; the others were issued at a
                    // provider's desk after the documents were checked.
                    let (first_status, actor_id, actor_role, reason) = if planned.pending {
                        (
                            CertificateStatus::Pending,
                            family.id,
                            api::Role::Family,
                            "заявка подана онлайн",
                        )
                    } else {
                        (
                            CertificateStatus::Accounting,
                            Uuid::nil(),
                            api::Role::RegionalOperator,
                            "выдан при личном обращении, документы проверены",
                        )
                    };
                    rows.certificate_events.push(CertificateEventRow {
                        id: rng.uuid(),
                        certificate_id: planned.id,
                        at: issued_at,
                        from_status: None,
                        to_status: first_status,
                        actor_id,
                        actor_role,
                        reason,
                    });
                    let mut balance = Money::ZERO;
                    if let Some(credit) = child.credit {
                        rows.certificate_events.push(CertificateEventRow {
                            id: rng.uuid(),
                            certificate_id: planned.id,
                            at: submitted_at,
                            from_status: Some(CertificateStatus::Accounting),
                            to_status: CertificateStatus::Financing,
                            actor_id: family.id,
                            actor_role: api::Role::Family,
                            reason: "запись на программу, оплачиваемую сертификатом",
                        });
                        if credit.is_positive() {
                            rows.postings.push(PostingRow {
                                id: rng.uuid(),
                                kind: PostingKind::Credit,
                                amount: credit,
                                at: submitted_at,
                                actor_id: family.id,
                                period_id: Some(period.id),
                                certificate_id: Some(planned.id),
                                application_id: None,
                                provider_id: None,
                                from: Account::period_fund(period.id),
                                to: Account::certificate(planned.id),
                                entry_ids: [rng.uuid(), rng.uuid()],
                            });
                            balance = credit;
                        }
                    }
                    for &g in &child.groups {
                        let group = &self.groups[g];
                        let program = &self.programs[group.program];
                        let provider = &self.providers[program.provider];
                        let months = quote::contract_months(
                            group.start_date,
                            group.end_date,
                            &period.period,
                            child.enrolled_on,
                        );
                        let split = quote::quote(program.price_per_month, &months, balance)?;
                        balance = split.balance_after;
                        let application_id = rng.uuid();
                        rows.applications.push(ApplicationRow {
                            id: application_id,
                            child_id: child.row.id,
                            certificate_id: planned.id,
                            group_id: group.id,
                            program_id: program.id,
                            provider_id: provider.id,
                            submitted_at,
                            decided_at,
                            cost: split.cost,
                            certificate_amount: split.certificate,
                            family_amount: split.family,
                        });
                        for share in &split.months {
                            rows.contract_months.push(ContractMonthRow {
                                application_id,
                                month: share.month.to_string(),
                                price: share.price,
                                certificate_amount: share.certificate,
                                family_amount: share.family,
                            });
                        }
                        if split.certificate.is_positive() {
                            rows.postings.push(PostingRow {
                                id: rng.uuid(),
                                kind: PostingKind::Reservation,
                                amount: split.certificate,
                                at: decided_at,
                                actor_id: provider.staff_id,
                                period_id: Some(period.id),
                                certificate_id: Some(planned.id),
                                application_id: Some(application_id),
                                provider_id: Some(provider.id),
                                from: Account::certificate(planned.id),
                                to: Account::reservation(application_id),
                                entry_ids: [rng.uuid(), rng.uuid()],
                            });
                            rows.balances.push(BalanceRow {
                                account: Account::reservation(application_id),
                                balance: split.certificate,
                            });
                        }
                        if months.contains(&self.billing_month) {
                            self.mark_attendance(
                                &mut rows.attendance,
                                rng,
                                application_id,
                                group,
                                child.enrolled_on,
                                provider.staff_id,
                            );
                        }
                    }
                    if child.credit.is_some_and(Money::is_positive) {
                        rows.balances.push(BalanceRow {
                            account: Account::certificate(planned.id),
                            balance,
                        });
                    }
                }
                rows.children.push(child.row.clone());
            }
            rows.users.push(family.clone());
        }
        Ok(rows)
    }

    /// The lessons of the billing month on the group's weekdays, from the enrollment on and up to
    /// today; a child misses about one lesson in twelve.
    fn mark_attendance(
        &self,
        marks: &mut Vec<AttendanceRow>,
        rng: &mut Rng,
        application_id: Uuid,
        group: &GroupRow,
        enrolled_on: NaiveDate,
        staff_id: Uuid,
    ) {
        let first = self
            .billing_month
            .first_day()
            .max(group.start_date)
            .max(enrolled_on);
        let last = self.billing_month.last_day().min(self.today);
        for day in first.iter_days().take_while(|d| *d <= last) {
            if group.schedule.days.contains(&day.weekday()) {
                marks.push(AttendanceRow {
                    application_id,
                    lesson_date: day,
                    present: !rng.percent(8),
                    marked_at: at(day, 16, 0),
                    marked_by: staff_id,
                });
            }
        }
    }
}

fn overflow() -> StoreError {
    StoreError::Invalid {
        field: "scale",
        code: "amount_overflow",
        message: "the generated amounts do not fit".into(),
    }
}

fn first_of_month(year: i32, month: u32) -> NaiveDate {
    Month::new(year, month)
        .map(Month::first_day)
        .unwrap_or(NaiveDate::MIN)
}

fn at(day: NaiveDate, hour: i64, minute: i64) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour.clamp(0, 23) as u32, minute.clamp(0, 59) as u32, 0)
        .unwrap_or(NaiveTime::MIN);
    day.and_time(time).and_utc()
}

fn day_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from + Days::new(rng.between(0, span) as u64)
}

fn person_name(rng: &mut Rng) -> String {
    let surname = rng.pick(SURNAMES);
    let patronymic = rng.pick(PATRONYMICS);
    if rng.percent(70) {
        format!("{} {} {}", surname.1, rng.pick(FEMALE_NAMES), patronymic.1)
    } else {
        format!("{} {} {}", surname.0, rng.pick(MALE_NAMES), patronymic.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Words

/// Male and female forms.
const SURNAMES: &[(&str, &str)] = &[
    ("Иванов", "Иванова"),
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Васильев", "Васильева"),
    ("Петров", "Петрова"),
    ("Соколов", "Соколова"),
    ("Михайлов", "Михайлова"),
    ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Алексеев", "Алексеева"),
    ("Лебедев", "Лебедева"),
    ("Семёнов", "Семёнова"),
    ("Егоров", "Егорова"),
    ("Павлов", "Павлова"),
    ("Козлов", "Козлова"),
    ("Степанов", "Степанова"),
    ("Николаев", "Николаева"),
    ("Орлов", "Орлова"),
    ("Андреев", "Андреева"),
    ("Макаров", "Макарова"),
    ("Никитин", "Никитина"),
    ("Захаров", "Захарова"),
    ("Зайцев", "Зайцева"),
    ("Соловьёв", "Соловьёва"),
    ("Борисов", "Борисова"),
    ("Яковлев", "Яковлева"),
    ("Григорьев", "Григорьева"),
];

const MALE_NAMES: &[&str] = &[
    "Александр",
    "Михаил",
    "Максим",
    "Артём",
    "Лев",
    "Марк",
    "Иван",
    "Матвей",
    "Дмитрий",
    "Тимофей",
    "Роман",
    "Кирилл",
    "Егор",
    "Даниил",
    "Никита",
];

const FEMALE_NAMES: &[&str] = &[
    "София",
    "Анна",
    "Мария",
    "Ева",
    "Виктория",
    "Алиса",
    "Полина",
    "Варвара",
    "Александра",
    "Дарья",
    "Екатерина",
    "Ксения",
    "Елена",
    "Ольга",
    "Татьяна",
];

/// Male and female forms.
const PATRONYMICS: &[(&str, &str)] = &[
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Андреевич", "Андреевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Алексеевич", "Алексеевна"),
    ("Игоревич", "Игоревна"),
    ("Владимирович", "Владимировна"),
    ("Евгеньевич", "Евгеньевна"),
    ("Николаевич", "Николаевна"),
    ("Олегович", "Олеговна"),
];

const STREETS: &[&str] = &[
    "Ленина",
    "Маркса",
    "Лукашевича",
    "Гагарина",
    "Мира",
    "Советская",
    "Школьная",
    "Молодёжная",
    "Садовая",
    "Победы",
    "70 лет Октября",
    "Комсомольская",
];

/// A checksum-valid ИНН of the form's length (ten digits for an organisation, twelve for an ИП),
/// the region first and unique by the running number, so that an exported registry imports back.
fn generated_inn(legal_form: &str, n: u64) -> String {
    let stem = match LegalForm::parse(legal_form).map(LegalForm::inn_length) {
        Some(12) => format!("55{n:08}"),
        _ => format!("55{n:07}"),
    };
    provider::inn_with_check_digits(&stem).unwrap_or(stem)
}

const PROVIDER_KINDS: &[(&str, &str)] = &[
    ("МБУ ДО", "Дом детского творчества"),
    ("МБУ ДО", "Станция юных техников"),
    ("МБУ ДО", "Детско-юношеская спортивная школа"),
    ("МАУ ДО", "Центр дополнительного образования"),
    ("МБУ ДО", "Детская школа искусств"),
    ("МБОУ", "Средняя общеобразовательная школа"),
    ("ООО", "Детский клуб"),
    ("АНО ДО", "Центр развития"),
    ("ИП", "Студия"),
];

const PROVIDER_NAMES: &[&str] = &[
    "Созвездие",
    "Радуга",
    "Полёт",
    "Юность",
    "Эврика",
    "Гармония",
    "Парус",
    "Олимп",
    "Искорка",
    "Кругозор",
    "Надежда",
    "Импульс",
    "Орион",
    "Сибирь",
    "Лидер",
];

struct Topic {
    direction: api::Direction,
    title: &'static str,
    description: &'static str,
}

const TOPICS: &[Topic] = &[
    Topic {
        direction: api::Direction::Technical,
        title: "Робототехника",
        description: "Собираем и программируем роботов, знакомимся с датчиками и электроникой.",
    },
    Topic {
        direction: api::Direction::Technical,
        title: "Программирование на Python",
        description: "Пишем игры и полезные программы, учимся думать как программист.",
    },
    Topic {
        direction: api::Direction::Technical,
        title: "3D-моделирование",
        description: "Проектируем детали и печатаем их на 3D-принтере.",
    },
    Topic {
        direction: api::Direction::Technical,
        title: "Авиамоделирование",
        description: "Строим летающие модели самолётов и участвуем в соревнованиях.",
    },
    Topic {
        direction: api::Direction::NaturalScience,
        title: "Юный эколог",
        description: "Наблюдаем за природой родного края, ставим опыты и ведём дневник.",
    },
    Topic {
        direction: api::Direction::NaturalScience,
        title: "Занимательная химия",
        description: "Безопасные опыты в лаборатории и химия вокруг нас.",
    },
    Topic {
        direction: api::Direction::NaturalScience,
        title: "Астрономия",
        description: "Изучаем звёздное небо, планеты и телескопы.",
    },
    Topic {
        direction: api::Direction::Sports,
        title: "Шахматы",
        description: "Учимся играть в шахматы, разбираем дебюты и играем турниры.",
    },
    Topic {
        direction: api::Direction::Sports,
        title: "Футбол",
        description: "Тренировки по футболу, игры и первенство города.",
    },
    Topic {
        direction: api::Direction::Sports,
        title: "Плавание",
        description: "Учимся плавать всеми стилями в бассейне с тренером.",
    },
    Topic {
        direction: api::Direction::Sports,
        title: "Самбо",
        description: "Борьба самбо: техника, самостраховка и соревнования.",
    },
    Topic {
        direction: api::Direction::Sports,
        title: "Лёгкая атлетика",
        description: "Бег, прыжки и метания, подготовка к сдаче норм ГТО.",
    },
    Topic {
        direction: api::Direction::Arts,
        title: "Хореография",
        description: "Классический, народный и современный танец, выступления на праздниках.",
    },
    Topic {
        direction: api::Direction::Arts,
        title: "Вокальная студия",
        description: "Постановка голоса, сольное и ансамблевое пение.",
    },
    Topic {
        direction: api::Direction::Arts,
        title: "Изостудия",
        description: "Рисунок, живопись и декоративно-прикладное творчество.",
    },
    Topic {
        direction: api::Direction::Arts,
        title: "Театральная студия",
        description: "Актёрское мастерство, сценическая речь и спектакли.",
    },
    Topic {
        direction: api::Direction::Tourism,
        title: "Спортивный туризм",
        description: "Походы, ориентирование и жизнь в палаточном лагере.",
    },
    Topic {
        direction: api::Direction::Tourism,
        title: "Краеведение",
        description: "История и природа Омской области, экскурсии и экспедиции.",
    },
    Topic {
        direction: api::Direction::SocialHumanitarian,
        title: "Английский язык",
        description: "Говорим, читаем и играем на английском языке.",
    },
    Topic {
        direction: api::Direction::SocialHumanitarian,
        title: "Школа журналистики",
        description: "Пишем заметки, снимаем репортажи и выпускаем газету.",
    },
    Topic {
        direction: api::Direction::SocialHumanitarian,
        title: "Финансовая грамотность",
        description: "Учимся планировать бюджет, копить и разумно тратить.",
    },
];

const TITLE_SUFFIXES: &[&str] = &[
    "",
    "",
    " для начинающих",
    " «Старт»",
    " «Мастер»",
    ": первые шаги",
    " (продвинутый курс)",
    " «Юниор»",
];

const DESCRIPTION_ENDINGS: &[&str] = &[
    "Занятия ведут педагоги высшей категории.",
    "Группы небольшие, каждому ребёнку уделяем внимание.",
    "В конце года — открытое занятие для родителей.",
    "Лучшие ученики участвуют в областных конкурсах.",
    "Все материалы и оборудование предоставляем.",
];

const AGE_RANGES: &[(u32, u32)] = &[
    (5, 7),
    (6, 10),
    (7, 11),
    (8, 12),
    (10, 14),
    (11, 16),
    (12, 17),
    (7, 17),
    (5, 17),
    (14, 17),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(today: NaiveDate) -> RegionSpec {
        RegionSpec {
            scale: 0.002,
            seed: 7,
            today,
            password_hash: "hash".into(),
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a valid date")
    }

    #[test]
    fn the_period_and_the_billing_month_follow_today() {
        let autumn = spec(d(2026, 11, 24));
        assert_eq!(autumn.period().start, d(2026, 9, 1));
        assert_eq!(autumn.period().end, d(2027, 8, 31));
        assert_eq!(autumn.billing_month().to_string(), "2026-10");
        assert_eq!(spec(d(2026, 9, 10)).billing_month().to_string(), "2026-09");
        assert_eq!(spec(d(2027, 7, 2)).classes_end(), d(2027, 8, 31));
    }

    #[test]
    fn the_same_seed_plans_the_same_region() {
        let spec = spec(d(2026, 11, 24));
        let plan = |spec: &RegionSpec| {
            let mut planner = RegionPlanner::new(spec);
            let mut ids = Vec::new();
            while let Some(m) = planner.next_municipality().expect("a plan") {
                ids.push((m.municipality.id, m.children(), m.enrollments()));
            }
            ids
        };
        let first = plan(&spec);
        assert_eq!(first.len(), MUNICIPALITY_NAMES.len());
        assert_eq!(first, plan(&spec));
        let other = RegionSpec { seed: 8, ..spec };
        assert_ne!(first, plan(&other));
    }

    #[test]
    fn the_region_has_the_planned_size_and_seats_are_never_overbooked() {
        let spec = RegionSpec {
            scale: 0.01,
            ..spec(d(2026, 11, 24))
        };
        let mut planner = RegionPlanner::new(&spec);
        let (mut children, mut enrollments) = (0, 0);
        while let Some(m) = planner.next_municipality().expect("a plan") {
            children += m.children();
            enrollments += m.enrollments();
            assert!(m.groups.iter().all(|g| g.seats_taken <= g.capacity));
            assert!(m.period.budget_committed <= m.period.budget);
            assert!(m.period.certificates_financed <= m.period.quota);
        }
        assert_eq!(children, 3_000);
        // Nearly every planned enrollment finds a seat.
        assert!(enrollments > 5_700 && enrollments <= 6_000, "{enrollments}");
    }

    /// A generated registry is one that the registry's own rules accept: every ИНН has its check
    /// digits and the length of its legal form, and none repeats, so an export imports back.
    #[test]
    fn generated_providers_have_valid_unique_inns() {
        let spec = spec(d(2026, 11, 24));
        let mut planner = RegionPlanner::new(&spec);
        let mut seen = std::collections::HashSet::new();
        while let Some(m) = planner.next_municipality().expect("a plan") {
            for p in &m.providers {
                let form = LegalForm::parse(p.legal_form).expect("a known legal form");
                assert!(
                    provider::check_inn(&p.inn, Some(form)).is_ok(),
                    "{} {}",
                    p.legal_form,
                    p.inn
                );
                assert!(seen.insert(p.inn.clone()), "repeated {}", p.inn);
            }
        }
        assert!(seen.len() > 10, "{}", seen.len());
    }

    /// The generated rows pass every check of the ledger, the catalog finds them, and the
    /// monthly billing run bills the marked month.
    #[tokio::test]
    async fn a_generated_region_keeps_the_ledger_and_can_be_billed() {
        let dir = std::env::temp_dir().join(format!("navigator-bulk-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let store = crate::connect(&format!("sqlite:{}/bulk.db", dir.display()))
            .await
            .expect("a store");
        store.migrate().await.expect("migrations");
        let spec = spec(d(2026, 11, 24));
        let region = store
            .generate_region(&spec, &|_| {})
            .await
            .expect("a region");
        assert_eq!(region.children, 600);
        assert!(region.enrollments > 600, "{}", region.enrollments);
        assert_eq!(store.verify_ledger().await.expect("verified"), Vec::new());
        let again = store.generate_region(&spec, &|_| {}).await;
        assert!(matches!(
            again,
            Err(StoreError::Conflict("database_not_empty", _))
        ));

        let center = &region.municipalities[0];
        let search = |filter| {
            let store = &store;
            async move {
                store
                    .search_programs(&filter, &crate::PageRequest::default())
                    .await
                    .expect("a page")
                    .items
            }
        };
        let in_center = search(crate::ProgramFilter {
            municipality_id: Some(center.id),
            ..Default::default()
        })
        .await;
        assert!(!in_center.is_empty());
        let chess = search(crate::ProgramFilter {
            q: Some("шахматы".into()),
            ..Default::default()
        })
        .await;
        assert!(chess.iter().all(|p| p.title.starts_with("Шахмат")));
        assert!(!chess.is_empty());

        let month = region.billing_month.expect("a billing month");
        let batch = store
            .billing_run_batch(
                &crate::Actor::system(),
                center.id,
                month,
                true,
                None,
                10_000,
                at(d(2026, 11, 24), 12, 0),
            )
            .await
            .expect("a billing batch");
        assert!(batch.examined > 0);
        // Nearly every enrollment attended; one absent from every lesson needs a reason.
        assert!(batch.approved * 10 > batch.examined * 9, "{batch:?}");
        assert_eq!(store.verify_ledger().await.expect("verified"), Vec::new());
        std::fs::remove_dir_all(&dir).ok();
    }
}
