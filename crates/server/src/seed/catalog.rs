//! The demo catalog: two municipalities of two regions, their providers, programs and groups.
//!
//! Everything here is fixed text and numbers; the dates (the period, the groups' start and end) are
//! computed from the day of seeding in `seed.rs`, so that the same catalog is valid on any day.
//! Organisations, people and addresses are invented, in the style of the real registries.

use navigator_api_types::{Direction, Funding, Level, ProgramStatus, StudyForm};
use navigator_domain::geo::Point;
use navigator_domain::Money;

use Direction::*;
use Funding::{Budget, Certificate};
use Level::*;
use StudyForm::*;

pub(super) struct MunicipalityData {
    pub name: &'static str,
    pub region_code: &'static str,
    /// What a financing certificate receives for the whole period.
    pub nominal: Money,
    /// How many certificates may be financing in the period.
    pub quota: i64,
    /// The period's money for all certificates: a little under quota × nominal, as municipalities
    /// rarely fund every seat of the quota in full.
    pub budget: Money,
    /// Children aged 5–18 living there, the denominator of coverage (rounded figures of the
    /// order the statistics office publishes for a city of this size).
    pub children_5_18: u64,
    pub providers: &'static [ProviderData],
}

pub(super) struct ProviderData {
    pub legal_form: &'static str,
    pub name: &'static str,
    /// The ИНН without its check digits: 9 digits for an organisation (10 with the check digit),
    /// 10 for an individual entrepreneur (12 with the two check digits).
    pub inn_stem: &'static str,
    pub address: &'static str,
    /// Where the building is.
    pub location: Point,
    pub phone: &'static str,
    pub email: &'static str,
    /// The entry of the licence registry: Л035-<body>-<region>/<number>.
    pub licence: &'static str,
    /// Latitude and longitude of the address, degrees.
    pub coordinates: (f64, f64),
    pub programs: &'static [ProgramData],
}

pub(super) struct ProgramData {
    pub title: &'static str,
    pub description: &'static str,
    pub direction: Direction,
    pub age_from: u32,
    pub age_to: u32,
    pub level: Level,
    pub form: StudyForm,
    pub funding: Funding,
    /// Zero for budget-funded programs.
    pub price_per_month: Money,
    pub hours_per_week: u32,
    pub duration_months: u32,
    pub medical_certificate_required: bool,
    pub adapted_for_disabilities: bool,
    /// Where the classes are held when not at the provider's own address.
    pub venue: Option<Venue>,
    pub status: ProgramStatus,
    pub groups: &'static [GroupData],
}

pub(super) struct Venue {
    pub address: &'static str,
    pub location: Point,
}

/// A point in degrees of latitude and longitude.
const fn at(latitude: f64, longitude: f64) -> Point {
    Point {
        latitude,
        longitude,
    }
}

pub(super) struct GroupData {
    pub name: &'static str,
    pub schedule: &'static str,
    pub teacher: &'static str,
    pub capacity: i64,
    pub start: GroupStart,
}

/// When a group begins: with the academic year, or a month later (a second intake).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GroupStart {
    WithPeriod,
    MonthLater,
}

const fn rub(roubles: i64) -> Money {
    Money::from_roubles(roubles)
}

const FREE: Money = Money::ZERO;

pub(super) const OMSK: MunicipalityData = MunicipalityData {
    name: "г. Омск",
    region_code: "55",
    nominal: rub(12_000),
    quota: 4_000,
    budget: rub(45_000_000),
    children_5_18: 168_000,
    providers: OMSK_PROVIDERS,
};

pub(super) const OSINNIKI: MunicipalityData = MunicipalityData {
    name: "Осинниковский городской округ",
    region_code: "42",
    nominal: rub(8_000),
    quota: 600,
    budget: rub(4_800_000),
    children_5_18: 5_600,
    providers: OSINNIKI_PROVIDERS,
};

// ---------------------------------------------------------------------------------------------
// г. Омск

/// The first provider of Omsk: the demo staff account works here, and the demo family's children
/// are enrolled here.
pub(super) const OMSK_HOUSE_OF_CREATIVITY: ProviderData = ProviderData {
    legal_form: "МБУ ДО",
    name: "Дом детского творчества «Созвездие»",
    inn_stem: "550701845",
    address: "г. Омск, ул. Лукашевича, д. 12",
    location: at(55.0002, 73.268),
    phone: "+7 (3812) 53-41-07",
    email: "info@ddt-sozvezdie.example",
    licence: "Л035-01298-55/00194371",
    coordinates: (54.9832, 73.3681),
    programs: &[
        ProgramData {
            title: CHESS_CLUB,
            description:
                "Клуб для тех, кто хочет научиться играть в шахматы или уже знает, как ходят \
                фигуры. Разбираем дебюты, тактические приёмы и эндшпиль, решаем задачи и играем \
                турниры с присвоением разрядов.",
            direction: Sports,
            age_from: 7,
            age_to: 15,
            level: Basic,
            form: InPerson,
            funding: Certificate,
            price_per_month: rub(1_200),
            hours_per_week: 3,
            duration_months: 9,
            medical_certificate_required: false,
            adapted_for_disabilities: true,
            venue: None,
            status: ProgramStatus::Published,
            groups: &[
                GroupData {
                    name: "Группа 1 (7–10 лет)",
                    schedule: "Вт, Чт 15:00–16:30",
                    teacher: "Мельников Игорь Валентинович",
                    capacity: 15,
                    start: GroupStart::WithPeriod,
                },
                GroupData {
                    name: CHESS_SENIOR_GROUP,
                    schedule: "Пн, Ср 17:00–18:30",
                    teacher: "Мельников Игорь Валентинович",
                    capacity: 12,
                    start: GroupStart::WithPeriod,
                },
            ],
        },
        ProgramData {
            title: DANCE_ENSEMBLE,
            description: "Классический, народный и современный танец для самых юных. Развиваем \
                осанку, пластику и чувство ритма; ансамбль выступает на городских праздниках и \
                конкурсах.",
            direction: Arts,
            age_from: 6,
            age_to: 12,
            level: Starting,
            form: InPerson,
            funding: Budget,
            price_per_month: FREE,
            hours_per_week: 4,
            duration_months: 9,
            medical_certificate_required: true,
            adapted_for_disabilities: false,
            venue: None,
            status: ProgramStatus::Published,
            groups: &[
                GroupData {
                    name: DANCE_JUNIOR_GROUP,
                    schedule: "Пн, Ср, Пт 16:00–16:45",
                    teacher: "Лаврентьева Анастасия Игоревна",
                    capacity: 20,
                    start: GroupStart::WithPeriod,
                },
                GroupData {
                    name: "Младшая группа (9–12 лет)",
                    schedule: "Вт, Чт 17:00–18:30",
                    teacher: "Лаврентьева Анастасия Игоревна",
                    capacity: 18,
                    start: GroupStart::WithPeriod,
                },
            ],
        },
        ProgramData {
            title: "Робототехника на Arduino",
            description: "Собираем и программируем устройства на платформе Arduino: от мигающего \
                светодиода до робота, который объезжает препятствия. Знакомимся с электроникой, \
                датчиками и языком C++.",
            direction: Technical,
            age_from: 11,
            age_to: 16,
            level: Basic,
            form: InPerson,
            funding: Certificate,
            price_per_month: rub(2_800),
            hours_per_week: 4,
            duration_months: 9,
            medical_certificate_required: false,
            adapted_for_disabilities: false,
            venue: None,
            status: ProgramStatus::Published,
            groups: &[
                GroupData {
                    name: "Группа 1",
                    schedule: "Вт, Чт 16:00–17:30",
                    teacher: "Ефимов Константин Андреевич",
                    capacity: 10,
                    start: GroupStart::WithPeriod,
                },
                GroupData {
                    name: "Группа 2 (субботняя)",
                    schedule: "Сб 11:00–14:00",
                    teacher: "Ефимов Константин Андреевич",
                    capacity: 10,
                    start: GroupStart::MonthLater,
                },
            ],
        },
        ProgramData {
            title: "Театральная студия «Образ»",
            description:
                "Актёрское мастерство, сценическая речь и движение. За год студийцы готовят \
                спектакль и показывают его на сцене Дома творчества.",
            direction: Arts,
            age_from: 8,
            age_to: 14,
            level: Starting,
            form: InPerson,
            funding: Certificate,
            price_per_month: rub(1_500),
            hours_per_week: 4,
            duration_months: 9,
            medical_certificate_required: false,
            adapted_for_disabilities: true,
            venue: None,
            status: ProgramStatus::Published,
            groups: &[
                GroupData {
                    name: "Группа 1 (8–10 лет)",
                    schedule: "Пн, Чт 15:30–17:00",
                    teacher: "Воронцова Лариса Геннадьевна",
                    capacity: 16,
                    start: GroupStart::WithPeriod,
                },
                GroupData {
                    name: "Группа 2 (11–14 лет)",
                    schedule: "Ср, Пт 17:00–18:30",
                    teacher: "Воронцова Лариса Геннадьевна",
                    capacity: 16,
                    start: GroupStart::WithPeriod,
                },
            ],
        },
        ProgramData {
            title: "Школа вожатых",
            description: "Учимся организовывать игры, праздники и походы для младших, работать в \
                команде и выступать перед аудиторией. Выпускники работают помощниками вожатых в \
                летних лагерях.",
            direction: SocialHumanitarian,
            age_from: 14,
            age_to: 17,
            level: Basic,
            form: Blended,
            funding: Budget,
            price_per_month: FREE,
            hours_per_week: 3,
            duration_months: 9,
            medical_certificate_required: false,
            adapted_for_disabilities: false,
            venue: None,
            status: ProgramStatus::Published,
            groups: &[GroupData {
                name: "Группа 1",
                schedule: "Пт 16:00–18:15",
                teacher: "Гусева Екатерина Михайловна",
                capacity: 25,
                start: GroupStart::WithPeriod,
            }],
        },
    ],
};

const OMSK_PROVIDERS: &[ProviderData] = &[
    OMSK_HOUSE_OF_CREATIVITY,
    ProviderData {
        legal_form: "МАУ ДО",
        name: "Станция юных техников",
        inn_stem: "550401279",
        address: "г. Омск, ул. 10 лет Октября, д. 127",
        location: at(54.9747, 73.4237),
        phone: "+7 (3812) 36-18-52",
        email: "sut@sut-omsk.example",
        licence: "Л035-01298-55/00183016",
        coordinates: (54.9701, 73.4172),
        programs: &[
            ProgramData {
                title: "Авиамоделирование",
                description: "Строим летающие модели самолётов и планеров: от простых метательных до \
                    кордовых и радиоуправляемых. Участвуем в областных соревнованиях по \
                    авиамодельному спорту.",
                direction: Technical,
                age_from: 9,
                age_to: 16,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_800),
                hours_per_week: 4,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Пн, Ср 15:00–16:30",
                        teacher: "Захаров Виктор Павлович",
                        capacity: 12,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Вт, Пт 16:30–18:00",
                        teacher: "Захаров Виктор Павлович",
                        capacity: 12,
                        start: GroupStart::MonthLater,
                    },
                ],
            },
            ProgramData {
                title: "3D-моделирование и прототипирование",
                description: "Проектируем детали в КОМПАС-3D и Blender и печатаем их на 3D-принтере. \
                    Каждый участник за год доводит собственный проект от эскиза до готового \
                    прототипа.",
                direction: Technical,
                age_from: 11,
                age_to: 17,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(2_400),
                hours_per_week: 4,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Вт, Чт 15:00–16:30",
                        teacher: "Соловьёва Дарья Александровна",
                        capacity: 12,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Вт, Чт 17:00–18:30",
                        teacher: "Соловьёва Дарья Александровна",
                        capacity: 12,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Начальное техническое моделирование",
                description: "Первые шаги в технике: модели машин, кораблей и самолётов из бумаги, \
                    картона и дерева. Учимся читать простые чертежи и аккуратно работать \
                    инструментом.",
                direction: Technical,
                age_from: 7,
                age_to: 10,
                level: Starting,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Ср 15:00–16:30",
                        teacher: "Кравченко Людмила Ивановна",
                        capacity: 15,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Сб 10:00–11:30",
                        teacher: "Кравченко Людмила Ивановна",
                        capacity: 15,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Картинг",
                description: "Устройство и обслуживание карта, правила безопасности и техника \
                    пилотирования на закрытой трассе. Воспитанники выступают в первенстве области.",
                direction: Technical,
                age_from: 10,
                age_to: 17,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(3_500),
                hours_per_week: 6,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: Some(Venue {
                    address: "г. Омск, ул. 3-я Енисейская, д. 32, картодром СЮТ",
                    location: at(54.9523, 73.445),
                }),
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Вт, Чт 16:00–18:00, Сб 11:00–13:00",
                    teacher: "Лебедев Роман Сергеевич",
                    capacity: 8,
                    start: GroupStart::WithPeriod,
                }],
            },
        ],
    },
    ProviderData {
        legal_form: "МБУ ДО",
        name: "Детско-юношеская спортивная школа № 3",
        inn_stem: "550603418",
        address: "г. Омск, ул. Масленникова, д. 143",
        location: at(54.9633, 73.4069),
        phone: "+7 (3812) 31-70-24",
        email: "dussh3@sport-omsk.example",
        licence: "Л035-01298-55/00177952",
        coordinates: (55.0148, 73.3391),
        programs: &[
            ProgramData {
                title: "Плавание",
                description: "Обучаем плавать с нуля и ставим технику кроля, брасса и плавания на \
                    спине. Занятия в 25-метровом бассейне под наблюдением тренера и медицинского \
                    работника.",
                direction: Sports,
                age_from: 7,
                age_to: 14,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(2_200),
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: Some(Venue {
                    address: "г. Омск, ул. Масленникова, д. 143, бассейн «Дельфин»",
                    location: at(54.9636, 73.4075),
                }),
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Начальное обучение (7–9 лет)",
                        schedule: "Пн, Ср, Пт 15:00–15:45",
                        teacher: "Тихонова Светлана Юрьевна",
                        capacity: 12,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Начальное обучение, второй набор (7–9 лет)",
                        schedule: "Пн, Ср, Пт 16:00–16:45",
                        teacher: "Тихонова Светлана Юрьевна",
                        capacity: 12,
                        start: GroupStart::MonthLater,
                    },
                    GroupData {
                        name: "Спортивное плавание (10–14 лет)",
                        schedule: "Вт, Чт, Сб 17:00–18:00",
                        teacher: "Назаров Олег Владимирович",
                        capacity: 14,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Дзюдо",
                description: "Основы борьбы дзюдо: страховка, броски и удержания, общая физическая \
                    подготовка. Воспитываем дисциплину и уважение к сопернику; лучшие сдают нормативы \
                    на пояса.",
                direction: Sports,
                age_from: 7,
                age_to: 15,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_500),
                hours_per_week: 6,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Младшая группа (7–10 лет)",
                        schedule: "Пн, Ср, Пт 16:00–17:30",
                        teacher: "Абдуллин Ринат Ильдарович",
                        capacity: 20,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Старшая группа (11–15 лет)",
                        schedule: "Пн, Ср, Пт 18:00–19:30",
                        teacher: "Абдуллин Ринат Ильдарович",
                        capacity: 20,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Волейбол",
                description: "Подача, приём, передачи и нападающий удар, тактика командной игры. \
                    Команды школы играют в городской школьной лиге.",
                direction: Sports,
                age_from: 10,
                age_to: 17,
                level: Basic,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 6,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Вт, Чт, Сб 16:00–17:30",
                    teacher: "Фёдорова Наталья Олеговна",
                    capacity: 22,
                    start: GroupStart::WithPeriod,
                }],
            },
            ProgramData {
                title: "Адаптивная физическая культура",
                description: "Занятия для детей с ограниченными возможностями здоровья: \
                    корригирующая гимнастика, подвижные игры, упражнения на координацию и \
                    равновесие. Нагрузку подбирают индивидуально по рекомендации врача.",
                direction: Sports,
                age_from: 6,
                age_to: 17,
                level: Starting,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Вт, Пт 15:00–15:45",
                    teacher: "Гончаренко Юлия Викторовна",
                    capacity: 8,
                    start: GroupStart::WithPeriod,
                }],
            },
        ],
    },
    ProviderData {
        legal_form: "МБУ ДО",
        name: "Станция юных натуралистов",
        inn_stem: "550309762",
        address: "г. Омск, ул. Дианова, д. 33",
        location: at(55.0071, 73.2489),
        phone: "+7 (3812) 74-05-61",
        email: "eco@syun-omsk.example",
        licence: "Л035-01298-55/00168240",
        coordinates: (54.9563, 73.3942),
        programs: &[
            ProgramData {
                title: "Юный эколог",
                description: "Наблюдаем за природой родного края, ведём дневник погоды, ухаживаем за \
                    растениями в зимнем саду станции. Весной выходим на экологические субботники и \
                    экскурсии в парки города.",
                direction: NaturalScience,
                age_from: 7,
                age_to: 11,
                level: Starting,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Пн, Чт 14:30–15:15",
                        teacher: "Полякова Вера Анатольевна",
                        capacity: 15,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Вт, Пт 15:30–16:15",
                        teacher: "Полякова Вера Анатольевна",
                        capacity: 15,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Химия вокруг нас",
                description: "Опыты с веществами, которые есть в каждом доме, и работа в настоящей \
                    лаборатории. Готовимся к олимпиадам и учимся оформлять исследовательские \
                    проекты.",
                direction: NaturalScience,
                age_from: 12,
                age_to: 16,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_900),
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Ср 16:00–18:15",
                    teacher: "Кириллова Марина Эдуардовна",
                    capacity: 12,
                    start: GroupStart::WithPeriod,
                }],
            },
            ProgramData {
                title: "Юный зоолог",
                description: "Знакомимся с обитателями живого уголка станции: рыбами, рептилиями, \
                    птицами и грызунами. Учимся ухаживать за животными и наблюдать за их поведением.",
                direction: NaturalScience,
                age_from: 8,
                age_to: 13,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_300),
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Пн 16:00–17:30",
                        teacher: "Семенов Аркадий Львович",
                        capacity: 10,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Сб 12:00–13:30",
                        teacher: "Семенов Аркадий Львович",
                        capacity: 10,
                        start: GroupStart::MonthLater,
                    },
                ],
            },
        ],
    },
    ProviderData {
        legal_form: "АНО ДО",
        name: "Центр развития «Эврика»",
        inn_stem: "550418836",
        address: "г. Омск, пр-т Карла Маркса, д. 41, офис 305",
        location: at(54.9717, 73.3835),
        phone: "+7 (3812) 90-25-14",
        email: "hello@evrika-omsk.example",
        licence: "Л035-01298-55/00201587",
        coordinates: (54.9886, 73.3725),
        programs: &[
            ProgramData {
                title: "Ментальная арифметика",
                description: "Учимся считать на абакусе, а затем в уме: складывать и вычитать \
                    многозначные числа за секунды. Тренируем внимание, память и воображение.",
                direction: NaturalScience,
                age_from: 6,
                age_to: 11,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(3_200),
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Вт, Чт 17:00–17:45",
                        teacher: "Миронова Алёна Сергеевна",
                        capacity: 10,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Сб, Вс 10:00–10:45",
                        teacher: "Миронова Алёна Сергеевна",
                        capacity: 10,
                        start: GroupStart::MonthLater,
                    },
                ],
            },
            ProgramData {
                title: "Английский язык: Speak Up!",
                description: "Разговорный английский в игровой форме: диалоги, песни, мини-проекты и \
                    настольные игры. Группы по уровню, без зубрёжки правил.",
                direction: SocialHumanitarian,
                age_from: 8,
                age_to: 13,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(2_900),
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Elementary (8–10 лет)",
                        schedule: "Пн, Ср 16:00–16:45",
                        teacher: "Белоусова Кристина Андреевна",
                        capacity: 10,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Pre-Intermediate (11–13 лет)",
                        schedule: "Пн, Ср 17:00–17:45",
                        teacher: "Белоусова Кристина Андреевна",
                        capacity: 10,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Скоро в школу",
                description: "Подготовка дошкольников к первому классу: чтение по слогам, счёт, \
                    развитие речи и мелкой моторики. Занятия короткие и проходят в игровой форме.",
                direction: SocialHumanitarian,
                age_from: 5,
                age_to: 6,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(2_500),
                hours_per_week: 4,
                duration_months: 8,
                medical_certificate_required: false,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Утренняя группа",
                        schedule: "Вт, Чт 10:00–11:00",
                        teacher: "Ковалёва Ирина Петровна",
                        capacity: 12,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Вечерняя группа",
                        schedule: "Пн, Ср 18:00–19:00",
                        teacher: "Ковалёва Ирина Петровна",
                        capacity: 12,
                        start: GroupStart::MonthLater,
                    },
                ],
            },
            ProgramData {
                title: "Олимпиадная математика",
                description: "Нестандартные задачи, логика, комбинаторика и геометрия для тех, кому \
                    мало школьной программы. Часть занятий проходит онлайн, очные встречи — раз в \
                    неделю.",
                direction: NaturalScience,
                age_from: 11,
                age_to: 15,
                level: Advanced,
                form: Blended,
                funding: Certificate,
                price_per_month: rub(2_600),
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Сб 12:00–14:15 (очно), Ср 18:00–18:45 (онлайн)",
                    teacher: "Дьяченко Павел Игоревич",
                    capacity: 14,
                    start: GroupStart::WithPeriod,
                }],
            },
        ],
    },
    ProviderData {
        legal_form: "ООО",
        name: "Школа программирования «Код будущего»",
        inn_stem: "550316247",
        address: "г. Омск, ул. Красный Путь, д. 30, офис 12",
        location: at(54.9931, 73.367),
        phone: "+7 (3812) 48-67-90",
        email: "study@kod-budushchego.example",
        licence: "Л035-01298-55/00209934",
        coordinates: (54.9817, 73.379),
        programs: &[
            ProgramData {
                title: "Программирование на Scratch",
                description: "Создаём мультфильмы и игры из цветных блоков и знакомимся с основами \
                    алгоритмов: циклами, условиями и переменными. Первый шаг к настоящим языкам \
                    программирования.",
                direction: Technical,
                age_from: 8,
                age_to: 11,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(3_600),
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Пн, Ср 15:30–16:15",
                        teacher: "Никитин Артур Дмитриевич",
                        capacity: 10,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Сб 11:00–12:30",
                        teacher: "Никитин Артур Дмитриевич",
                        capacity: 10,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Python для школьников",
                description: "Основы программирования на Python: от первых программ до телеграм-бота \
                    и простой игры. Пишем код в команде и учимся пользоваться Git.",
                direction: Technical,
                age_from: 12,
                age_to: 17,
                level: Basic,
                form: Blended,
                funding: Certificate,
                price_per_month: rub(4_500),
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Вт, Чт 17:00–18:30",
                        teacher: "Орлова Валерия Константиновна",
                        capacity: 12,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Вс 12:00–15:00",
                        teacher: "Никитин Артур Дмитриевич",
                        capacity: 12,
                        start: GroupStart::MonthLater,
                    },
                ],
            },
            ProgramData {
                title: "Разработка игр на Unity",
                description: "Создаём трёхмерные игры на движке Unity и языке C#: физика, анимация, \
                    интерфейс и публикация готовой игры. Программа готовится к подаче на \
                    сертификацию.",
                direction: Technical,
                age_from: 13,
                age_to: 17,
                level: Advanced,
                form: Distance,
                funding: Certificate,
                price_per_month: rub(4_200),
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Draft,
                groups: &[GroupData {
                    name: "Онлайн-группа",
                    schedule: "Пн, Чт 19:00–20:30",
                    teacher: "Орлова Валерия Константиновна",
                    capacity: 15,
                    start: GroupStart::MonthLater,
                }],
            },
        ],
    },
    ProviderData {
        legal_form: "ИП",
        name: "Соколова Анна Викторовна, студия «Акварель»",
        inn_stem: "5506093174",
        address: "г. Омск, бульвар Архитекторов, д. 3, корп. 2",
        location: at(55.0133, 73.2705),
        phone: "+7 (913) 614-27-58",
        email: "akvarel@studio-omsk.example",
        licence: "Л035-01298-55/00212465",
        coordinates: (55.0297, 73.2894),
        programs: &[
            ProgramData {
                title: "Рисование и живопись",
                description: "Акварель, гуашь, пастель и графика: учимся видеть цвет, форму и \
                    композицию. Лучшие работы каждый год попадают на городскую выставку детского \
                    рисунка.",
                direction: Arts,
                age_from: 6,
                age_to: 12,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(2_000),
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1 (6–8 лет)",
                        schedule: "Вт, Пт 16:00–17:30",
                        teacher: "Соколова Анна Викторовна",
                        capacity: 10,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2 (9–12 лет)",
                        schedule: "Ср 16:00–19:00",
                        teacher: "Соколова Анна Викторовна",
                        capacity: 10,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Гончарная мастерская",
                description: "Лепим из глины руками и работаем на гончарном круге, расписываем и \
                    обжигаем свои изделия. Каждый ученик уносит домой собственный сервиз.",
                direction: Arts,
                age_from: 8,
                age_to: 15,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(2_700),
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Сб 14:00–16:00",
                    teacher: "Соколова Анна Викторовна",
                    capacity: 8,
                    start: GroupStart::MonthLater,
                }],
            },
        ],
    },
    ProviderData {
        legal_form: "МБУ ДО",
        name: "Центр детского туризма и краеведения",
        inn_stem: "550102563",
        address: "г. Омск, ул. Интернациональная, д. 6",
        location: at(54.9873, 73.3753),
        phone: "+7 (3812) 24-58-33",
        email: "turcentr@tur-omsk.example",
        licence: "Л035-01298-55/00159826",
        coordinates: (54.9869, 73.375),
        programs: &[
            ProgramData {
                title: "Туристический клуб «Азимут»",
                description: "Походы выходного дня и летние сплавы по рекам Омской области. Учимся \
                    ставить палатку, ориентироваться на местности, готовить на костре и оказывать \
                    первую помощь.",
                direction: Tourism,
                age_from: 10,
                age_to: 17,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_600),
                hours_per_week: 4,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1 (10–13 лет)",
                        schedule: "Ср 16:00–17:30, Сб 10:00–12:00",
                        teacher: "Ершов Геннадий Борисович",
                        capacity: 15,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2 (14–17 лет)",
                        schedule: "Чт 17:00–18:30, Вс 10:00–12:00",
                        teacher: "Ершов Геннадий Борисович",
                        capacity: 15,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Спортивное ориентирование",
                description: "Бегаем с картой и компасом по паркам и лесам вокруг Омска. Осваиваем \
                    чтение спортивной карты и выбор пути, участвуем в городских стартах.",
                direction: Tourism,
                age_from: 9,
                age_to: 15,
                level: Starting,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Вт 16:00–17:30, Сб 11:00–12:30",
                    teacher: "Макарова Оксана Владимировна",
                    capacity: 18,
                    start: GroupStart::WithPeriod,
                }],
            },
            ProgramData {
                title: "Юный краевед: Омск — город на Иртыше",
                description: "История города от крепости до наших дней: экскурсии по старому центру, \
                    занятия в музеях и работа с архивными фотографиями. В конце года каждый готовит \
                    свою экскурсию.",
                direction: Tourism,
                age_from: 9,
                age_to: 13,
                level: Starting,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Пт 15:00–16:30",
                    teacher: "Шевцова Галина Аркадьевна",
                    capacity: 20,
                    start: GroupStart::WithPeriod,
                }],
            },
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// Осинниковский городской округ

const OSINNIKI_PROVIDERS: &[ProviderData] = &[
    ProviderData {
        legal_form: "МБУ ДО",
        name: "Дом детского творчества г. Осинники",
        inn_stem: "422200914",
        address: "г. Осинники, ул. Победы, д. 21",
        location: at(53.6176, 87.3381),
        phone: "+7 (38471) 4-32-17",
        email: "ddt@osinniki-edu.example",
        licence: "Л035-01229-42/00186743",
        coordinates: (53.6101, 87.3378),
        programs: &[
            ProgramData {
                title: "Вокальная студия «Звонкие голоса»",
                description: "Эстрадный и академический вокал: постановка дыхания, работа с \
                    микрофоном, пение в ансамбле. Студия выступает на городских концертах и \
                    областных фестивалях.",
                direction: Arts,
                age_from: 7,
                age_to: 14,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_300),
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Младшая группа (7–10 лет)",
                        schedule: "Пн, Ср 15:00–16:30",
                        teacher: "Абрамова Елена Васильевна",
                        capacity: 14,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Старшая группа (11–14 лет)",
                        schedule: "Вт, Чт 16:00–17:30",
                        teacher: "Абрамова Елена Васильевна",
                        capacity: 14,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Театральная студия «Маска»",
                description:
                    "Сценическое мастерство, культура речи и импровизация. Студия ставит два \
                    спектакля в год и показывает их в городском Дворце культуры.",
                direction: Arts,
                age_from: 9,
                age_to: 15,
                level: Starting,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 4,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Вт, Пт 16:00–17:30",
                    teacher: "Журавлёв Максим Андреевич",
                    capacity: 18,
                    start: GroupStart::WithPeriod,
                }],
            },
            ProgramData {
                title: "Декоративно-прикладное творчество «Мастерица»",
                description:
                    "Вышивка, бисероплетение, валяние из шерсти и шорская народная игрушка. \
                    Знакомимся с ремёслами Кузбасса и делаем подарки своими руками.",
                direction: Arts,
                age_from: 7,
                age_to: 13,
                level: Starting,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Ср 14:00–15:30",
                    teacher: "Ильина Тамара Степановна",
                    capacity: 12,
                    start: GroupStart::WithPeriod,
                }],
            },
            ProgramData {
                title: "Юный журналист",
                description: "Пишем заметки, берём интервью, снимаем видеосюжеты и выпускаем \
                    школьную газету. Учимся проверять факты и уважать собеседника.",
                direction: SocialHumanitarian,
                age_from: 12,
                age_to: 17,
                level: Basic,
                form: Blended,
                funding: Certificate,
                price_per_month: rub(1_400),
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Редакция",
                    schedule: "Чт 15:30–17:00",
                    teacher: "Королёва Анна Михайловна",
                    capacity: 12,
                    start: GroupStart::MonthLater,
                }],
            },
        ],
    },
    ProviderData {
        legal_form: "МБУ ДО",
        name: "Детско-юношеская спортивная школа г. Осинники",
        inn_stem: "422201378",
        address: "г. Осинники, ул. Ленина, д. 53",
        location: at(53.622, 87.333),
        phone: "+7 (38471) 5-11-46",
        email: "dussh@osinniki-sport.example",
        licence: "Л035-01229-42/00173508",
        coordinates: (53.6212, 87.3492),
        programs: &[
            ProgramData {
                title: "Лыжные гонки",
                description: "Классический и коньковый ход, подготовка на лыжероллерах летом и \
                    осенью. Тренируемся на лыжной базе у подножия горы и выступаем на первенстве \
                    Кузбасса.",
                direction: Sports,
                age_from: 9,
                age_to: 17,
                level: Basic,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 6,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: Some(Venue {
                    address: "г. Осинники, ул. Шахтовая, д. 2, лыжная база «Юность»",
                    location: at(53.6085, 87.352),
                }),
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа начальной подготовки",
                        schedule: "Вт, Чт 15:00–16:30, Сб 10:00–12:00",
                        teacher: "Гаврилов Николай Степанович",
                        capacity: 20,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Тренировочная группа",
                        schedule: "Пн, Ср, Пт 16:00–18:00",
                        teacher: "Гаврилов Николай Степанович",
                        capacity: 16,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Мини-футбол",
                description:
                    "Техника владения мячом, игра в пас и командная тактика в зале. Команды \
                    школы играют в городском первенстве и турнирах соседних городов.",
                direction: Sports,
                age_from: 8,
                age_to: 14,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_200),
                hours_per_week: 4,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1 (8–10 лет)",
                        schedule: "Пн, Ср 15:00–16:30",
                        teacher: "Сидоренко Андрей Юрьевич",
                        capacity: 18,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2 (11–14 лет)",
                        schedule: "Пн, Ср 17:00–18:30",
                        teacher: "Сидоренко Андрей Юрьевич",
                        capacity: 18,
                        start: GroupStart::WithPeriod,
                    },
                ],
            },
            ProgramData {
                title: "Бокс",
                description:
                    "Стойка, передвижения, удары и защита, общая и специальная физическая \
                    подготовка. Спарринги только с разрешения тренера и врача.",
                direction: Sports,
                age_from: 10,
                age_to: 17,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_500),
                hours_per_week: 6,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Вт, Чт, Сб 17:00–18:30",
                    teacher: "Мамедов Эльдар Рашидович",
                    capacity: 15,
                    start: GroupStart::WithPeriod,
                }],
            },
        ],
    },
    ProviderData {
        legal_form: "МАУ ДО",
        name: "Центр детского технического творчества «Техноград»",
        inn_stem: "422202651",
        address: "г. Осинники, ул. Кирова, д. 40",
        location: at(53.624, 87.3432),
        phone: "+7 (38471) 4-78-02",
        email: "tehnograd@osinniki-edu.example",
        licence: "Л035-01229-42/00198215",
        coordinates: (53.6155, 87.3311),
        programs: &[
            ProgramData {
                title: "LEGO-конструирование и робототехника",
                description:
                    "Собираем модели из конструкторов LEGO Education и оживляем их простыми \
                    программами. Учимся работать в паре и защищать свой проект.",
                direction: Technical,
                age_from: 7,
                age_to: 11,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_800),
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[
                    GroupData {
                        name: "Группа 1",
                        schedule: "Пн, Чт 14:30–15:15",
                        teacher: "Пестова Ольга Геннадьевна",
                        capacity: 12,
                        start: GroupStart::WithPeriod,
                    },
                    GroupData {
                        name: "Группа 2",
                        schedule: "Вт, Пт 15:30–16:15",
                        teacher: "Пестова Ольга Геннадьевна",
                        capacity: 12,
                        start: GroupStart::MonthLater,
                    },
                ],
            },
            ProgramData {
                title: "Экспериментариум: физика для любознательных",
                description: "Опыты с магнитами, светом, звуком и электричеством из простых \
                    материалов. Объясняем, почему всё устроено именно так, и готовим проекты на \
                    научно-практическую конференцию.",
                direction: NaturalScience,
                age_from: 10,
                age_to: 14,
                level: Starting,
                form: InPerson,
                funding: Budget,
                price_per_month: FREE,
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Ср 15:00–16:30",
                    teacher: "Тарасов Игорь Викторович",
                    capacity: 14,
                    start: GroupStart::WithPeriod,
                }],
            },
        ],
    },
    ProviderData {
        legal_form: "ИП",
        name: "Кузнецов Дмитрий Олегович, турклуб «Кузнецкий Алатау»",
        inn_stem: "4222014486",
        address: "г. Осинники, ул. Революции, д. 16",
        location: at(53.615, 87.3295),
        phone: "+7 (923) 482-15-09",
        email: "alatau@turclub-kuzbass.example",
        licence: "Л035-01229-42/00215390",
        coordinates: (53.6047, 87.3425),
        programs: &[
            ProgramData {
                title: "Спортивный туризм",
                description: "Пешие и лыжные походы по Горной Шории и Кузнецкому Алатау. Техника \
                    движения в горах, организация бивака, навигация и безопасность в походе.",
                direction: Tourism,
                age_from: 11,
                age_to: 17,
                level: Basic,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(1_700),
                hours_per_week: 4,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: None,
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Чт 17:00–18:30, походы по выходным",
                    teacher: "Кузнецов Дмитрий Олегович",
                    capacity: 12,
                    start: GroupStart::WithPeriod,
                }],
            },
            ProgramData {
                title: "Скалолазание",
                description:
                    "Лазание на скалодроме с верхней страховкой и боулдеринг. Учимся вязать \
                    узлы, страховать напарника и правильно падать.",
                direction: Tourism,
                age_from: 8,
                age_to: 15,
                level: Starting,
                form: InPerson,
                funding: Certificate,
                price_per_month: rub(2_000),
                hours_per_week: 3,
                duration_months: 9,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                venue: Some(Venue {
                    address: "г. Осинники, ул. Победы, д. 9, скалодром спорткомплекса «Шахтёр»",
                    location: at(53.6168, 87.3405),
                }),
                status: ProgramStatus::Published,
                groups: &[GroupData {
                    name: "Группа 1",
                    schedule: "Вт, Пт 16:00–17:30",
                    teacher: "Кузнецов Дмитрий Олегович",
                    capacity: 10,
                    start: GroupStart::MonthLater,
                }],
            },
        ],
    },
];

// The programs and groups the demo families are enrolled in, named once so that the seeding and
// the tests cannot drift apart.
pub(super) const CHESS_CLUB: &str = "Шахматный клуб «Ладья»";
pub(super) const CHESS_SENIOR_GROUP: &str = "Группа 2 (11–15 лет)";
pub(super) const DANCE_ENSEMBLE: &str = "Хореографический ансамбль «Солнышко»";
pub(super) const DANCE_JUNIOR_GROUP: &str = "Подготовительная группа (6–8 лет)";
