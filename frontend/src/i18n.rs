//! Every word the SPA shows, by key, in Russian (the default) and English.
//!
//! Keys are an enum, not strings, so that a missing translation or a typo is a compile error: each
//! table is an exhaustive `match`. Texts with numbers or names are functions here too, because
//! word order and plural forms differ between the languages.

use std::cell::Cell;

use navigator_api_types::{CertificateStatus, Direction, Level, StudyForm};

use crate::storage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

const LANG_KEY: &str = "navigator.lang";

thread_local! {
    static LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// The language of the interface: the visitor's earlier choice, otherwise Russian.
pub fn lang() -> Lang {
    LANG.with(|cell| {
        cell.get().unwrap_or_else(|| {
            let chosen = match storage::get(LANG_KEY).as_deref() {
                Some("en") => Lang::En,
                _ => Lang::Ru,
            };
            cell.set(Some(chosen));
            chosen
        })
    })
}

/// Remembers the choice and reloads the page: switching languages is rare, and a reload redraws
/// every text without making each one reactive.
pub fn switch_to(new: Lang) {
    storage::set(LANG_KEY, new.code());
    if let Some(window) = web_sys::window() {
        // A failed reload leaves the page as it was; the choice applies on the next visit.
        let _ = window.location().reload();
    }
}

/// Tells the browser (and screen readers) which language the page is in.
pub fn mark_document_language() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Only `lang` changes; a failure keeps the Russian of index.html.
        let _ = root.set_attribute("lang", lang().code());
    }
}

/// The text of `key` in the current language.
pub fn t(key: Key) -> &'static str {
    match lang() {
        Lang::Ru => ru(key),
        Lang::En => en(key),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    AppName,
    SkipToContent,
    NavLabel,
    NavCatalog,
    NavAccount,
    SignIn,
    SignOut,
    Register,
    OtherLanguage,
    FooterNote,
    Loading,
    NotFoundTitle,
    NotFoundText,
    ToCatalog,

    CatalogTitle,
    SearchLabel,
    SearchPlaceholder,
    Municipality,
    AnyMunicipality,
    Direction,
    AnyDirection,
    ChildAge,
    AnyAge,
    Funding,
    AnyFunding,
    FundingCertificate,
    FundingBudget,
    FreeSeatsOnly,
    Search,
    ResetFilters,
    Results,
    NothingFound,
    Pages,
    NextPage,
    FirstPage,
    PerMonth,
    Free,
    SeatsLeft,
    NoSeats,

    Provider,
    Address,
    Ages,
    Level,
    StudyForm,
    HoursPerWeek,
    Duration,
    MonthsShort,
    Price,
    MedicalCertificateRequired,
    AdaptedForDisabilities,
    Groups,
    NoGroups,
    Schedule,
    Teacher,
    GroupDates,
    Seats,
    GroupOpen,
    GroupClosed,

    LoginTitle,
    Email,
    Password,
    SigningIn,
    NoAccountYet,
    HaveAccount,
    RegisterTitle,
    FullName,
    PasswordHint,
    ResidenceMunicipality,
    NotChosen,
    CreateAccount,
    Registering,
    FormHasErrors,

    AccountTitle,
    SignInToSeeAccount,
    SessionExpired,
    MyChildren,
    NoChildren,
    BirthDate,
    Snils,
    Certificate,
    CertificateNumber,
    ValidUntil,
    Balance,
    Reserved,
    Spent,
    NoCertificate,
    RequestCertificate,
    Requesting,
    PendingHint,
    AddChild,
    FirstName,
    LastName,
    MiddleName,
    SnilsHint,
    Adding,
    ChildAdded,

    ErrNetwork,
    ErrServer,
    ErrUnexpected,
    ErrNotFound,
    ErrForbidden,
    ErrUnauthorized,
    ErrRateLimited,
    ErrConflict,
    ErrInvalidCredentials,
    ErrEmailTaken,
    ErrValidation,
    ErrSnilsTaken,
    ErrCertificateExists,
    ErrFieldEmailInvalid,
    ErrFieldPasswordTooWeak,
    ErrFieldLength,
    ErrFieldInvalid,
    ErrSnilsFormat,
    ErrSnilsChecksum,
    ErrSnilsInvalid,
    ErrUnknownMunicipality,
    ErrRequired,
}

fn ru(key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => "Навигатор дополнительного образования",
        SkipToContent => "Перейти к содержанию",
        NavLabel => "Основное меню",
        NavCatalog => "Каталог",
        NavAccount => "Личный кабинет",
        SignIn => "Войти",
        SignOut => "Выйти",
        Register => "Регистрация",
        OtherLanguage => "English",
        FooterNote => "Кружки и секции для детей от 5 до 18 лет. Сертификат дополнительного образования оплачивает занятия из бюджета муниципалитета.",
        Loading => "Загрузка…",
        NotFoundTitle => "Страница не найдена",
        NotFoundText => "Такой страницы нет. Возможно, ссылка устарела.",
        ToCatalog => "Перейти в каталог",

        CatalogTitle => "Каталог программ",
        SearchLabel => "Что ищем",
        SearchPlaceholder => "Например, шахматы или робототехника",
        Municipality => "Муниципалитет",
        AnyMunicipality => "Все муниципалитеты",
        Direction => "Направленность",
        AnyDirection => "Все направленности",
        ChildAge => "Возраст ребёнка",
        AnyAge => "Любой",
        Funding => "Оплата",
        AnyFunding => "Любая",
        FundingCertificate => "Оплата сертификатом",
        FundingBudget => "Бесплатно",
        FreeSeatsOnly => "Только со свободными местами",
        Search => "Найти",
        ResetFilters => "Сбросить",
        Results => "Результаты поиска",
        NothingFound => "Ничего не нашлось. Попробуйте изменить запрос или убрать часть фильтров.",
        Pages => "Страницы результатов",
        NextPage => "Следующая страница",
        FirstPage => "К началу списка",
        PerMonth => "в месяц",
        Free => "Бесплатно",
        SeatsLeft => "Свободных мест",
        NoSeats => "Мест нет",

        Provider => "Организация",
        Address => "Адрес",
        Ages => "Возраст",
        Level => "Уровень",
        StudyForm => "Форма обучения",
        HoursPerWeek => "Часов в неделю",
        Duration => "Продолжительность",
        MonthsShort => "мес.",
        Price => "Стоимость",
        MedicalCertificateRequired => "Нужна медицинская справка",
        AdaptedForDisabilities => "Подходит детям с ОВЗ",
        Groups => "Группы",
        NoGroups => "Набор в группы пока не объявлен.",
        Schedule => "Расписание",
        Teacher => "Педагог",
        GroupDates => "Даты занятий",
        Seats => "Свободно мест",
        GroupOpen => "Идёт набор",
        GroupClosed => "Набор закрыт",

        LoginTitle => "Вход",
        Email => "Электронная почта",
        Password => "Пароль",
        SigningIn => "Входим…",
        NoAccountYet => "Ещё нет учётной записи?",
        HaveAccount => "Уже зарегистрированы?",
        RegisterTitle => "Регистрация родителя",
        FullName => "Фамилия, имя и отчество",
        PasswordHint => "Не короче 10 символов.",
        ResidenceMunicipality => "Где вы живёте",
        NotChosen => "Не выбрано",
        CreateAccount => "Зарегистрироваться",
        Registering => "Регистрируем…",
        FormHasErrors => "Проверьте поля, отмеченные ниже.",

        AccountTitle => "Личный кабинет",
        SignInToSeeAccount => "Войдите, чтобы увидеть своих детей и их сертификаты.",
        SessionExpired => "Сеанс истёк. Пожалуйста, войдите снова.",
        MyChildren => "Мои дети",
        NoChildren => "Вы ещё не добавили ни одного ребёнка.",
        BirthDate => "Дата рождения",
        Snils => "СНИЛС",
        Certificate => "Сертификат",
        CertificateNumber => "Номер",
        ValidUntil => "Действует до",
        Balance => "Доступно",
        Reserved => "Зарезервировано",
        Spent => "Списано",
        NoCertificate => "Сертификата пока нет.",
        RequestCertificate => "Получить сертификат",
        Requesting => "Отправляем заявку…",
        PendingHint => "Чтобы сертификат заработал, покажите документы ребёнка в муниципальном опорном центре или в любой организации дополнительного образования.",
        AddChild => "Добавить ребёнка",
        FirstName => "Имя",
        LastName => "Фамилия",
        MiddleName => "Отчество (если есть)",
        SnilsHint => "11 цифр, например 112-233-445 95.",
        Adding => "Добавляем…",
        ChildAdded => "Ребёнок добавлен.",

        ErrNetwork => "Нет связи с сервером. Проверьте интернет и попробуйте ещё раз.",
        ErrServer => "На сервере что-то пошло не так. Попробуйте немного позже.",
        ErrUnexpected => "Не получилось выполнить действие. Попробуйте ещё раз.",
        ErrNotFound => "Не нашли то, что вы искали. Возможно, ссылка устарела.",
        ErrForbidden => "У вашей учётной записи нет доступа к этому.",
        ErrUnauthorized => "Нужно войти в личный кабинет.",
        ErrRateLimited => "Слишком много попыток. Подождите минуту и попробуйте снова.",
        ErrConflict => "Данные успели измениться. Обновите страницу и попробуйте снова.",
        ErrInvalidCredentials => "Неверная почта или пароль.",
        ErrEmailTaken => "Эта почта уже зарегистрирована: войдите с ней.",
        ErrValidation => "Некоторые поля заполнены неверно.",
        ErrSnilsTaken => "Ребёнок с таким СНИЛС уже получил сертификат. Если это ваш ребёнок, обратитесь в муниципальный опорный центр.",
        ErrCertificateExists => "У ребёнка уже есть сертификат.",
        ErrFieldEmailInvalid => "Похоже, в адресе почты опечатка.",
        ErrFieldPasswordTooWeak => "Пароль должен быть не короче 10 символов.",
        ErrFieldLength => "Поле пустое или текст слишком длинный.",
        ErrFieldInvalid => "Проверьте это поле.",
        ErrSnilsFormat => "СНИЛС состоит из 11 цифр.",
        ErrSnilsChecksum => "Контрольное число не сходится: проверьте цифры СНИЛС.",
        ErrSnilsInvalid => "Проверьте СНИЛС: 11 цифр, например 112-233-445 95.",
        ErrUnknownMunicipality => "Выберите муниципалитет из списка.",
        ErrRequired => "Заполните это поле.",
    }
}

fn en(key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => "Navigator of additional education",
        SkipToContent => "Skip to content",
        NavLabel => "Main menu",
        NavCatalog => "Catalog",
        NavAccount => "My account",
        SignIn => "Sign in",
        SignOut => "Sign out",
        Register => "Register",
        OtherLanguage => "Русский",
        FooterNote => "Clubs and classes for children aged 5 to 18. The education certificate pays for them from the municipality's budget.",
        Loading => "Loading…",
        NotFoundTitle => "Page not found",
        NotFoundText => "There is no such page. The link may be out of date.",
        ToCatalog => "Go to the catalog",

        CatalogTitle => "Program catalog",
        SearchLabel => "Search",
        SearchPlaceholder => "For example, chess or robotics",
        Municipality => "Municipality",
        AnyMunicipality => "All municipalities",
        Direction => "Direction",
        AnyDirection => "All directions",
        ChildAge => "Child's age",
        AnyAge => "Any",
        Funding => "Payment",
        AnyFunding => "Any",
        FundingCertificate => "Paid by certificate",
        FundingBudget => "Free",
        FreeSeatsOnly => "Only with free seats",
        Search => "Search",
        ResetFilters => "Reset",
        Results => "Search results",
        NothingFound => "Nothing found. Try other words or fewer filters.",
        Pages => "Result pages",
        NextPage => "Next page",
        FirstPage => "Back to the first page",
        PerMonth => "per month",
        Free => "Free",
        SeatsLeft => "Free seats",
        NoSeats => "No seats",

        Provider => "Provider",
        Address => "Address",
        Ages => "Ages",
        Level => "Level",
        StudyForm => "Form of study",
        HoursPerWeek => "Hours per week",
        Duration => "Duration",
        MonthsShort => "mo.",
        Price => "Price",
        MedicalCertificateRequired => "A medical certificate is required",
        AdaptedForDisabilities => "Adapted for children with disabilities",
        Groups => "Groups",
        NoGroups => "No groups have been announced yet.",
        Schedule => "Schedule",
        Teacher => "Teacher",
        GroupDates => "Dates",
        Seats => "Free seats",
        GroupOpen => "Enrolling",
        GroupClosed => "Enrollment closed",

        LoginTitle => "Sign in",
        Email => "Email",
        Password => "Password",
        SigningIn => "Signing in…",
        NoAccountYet => "No account yet?",
        HaveAccount => "Already registered?",
        RegisterTitle => "Parent registration",
        FullName => "Full name",
        PasswordHint => "At least 10 characters.",
        ResidenceMunicipality => "Where you live",
        NotChosen => "Not chosen",
        CreateAccount => "Register",
        Registering => "Registering…",
        FormHasErrors => "Please check the fields marked below.",

        AccountTitle => "My account",
        SignInToSeeAccount => "Sign in to see your children and their certificates.",
        SessionExpired => "Your session has expired. Please sign in again.",
        MyChildren => "My children",
        NoChildren => "You have not added any children yet.",
        BirthDate => "Date of birth",
        Snils => "SNILS",
        Certificate => "Certificate",
        CertificateNumber => "Number",
        ValidUntil => "Valid until",
        Balance => "Available",
        Reserved => "Reserved",
        Spent => "Spent",
        NoCertificate => "No certificate yet.",
        RequestCertificate => "Get a certificate",
        Requesting => "Sending the request…",
        PendingHint => "To activate the certificate, show the child's documents at the municipal center or at any provider of additional education.",
        AddChild => "Add a child",
        FirstName => "First name",
        LastName => "Last name",
        MiddleName => "Middle name (if any)",
        SnilsHint => "11 digits, e.g. 112-233-445 95.",
        Adding => "Adding…",
        ChildAdded => "The child has been added.",

        ErrNetwork => "Cannot reach the server. Check your connection and try again.",
        ErrServer => "Something went wrong on the server. Please try again later.",
        ErrUnexpected => "That did not work. Please try again.",
        ErrNotFound => "We could not find that. The link may be out of date.",
        ErrForbidden => "Your account has no access to this.",
        ErrUnauthorized => "Please sign in first.",
        ErrRateLimited => "Too many attempts. Wait a minute and try again.",
        ErrConflict => "The data has changed meanwhile. Reload the page and try again.",
        ErrInvalidCredentials => "Wrong email or password.",
        ErrEmailTaken => "This email is already registered. Sign in instead.",
        ErrValidation => "Some fields are not filled in correctly.",
        ErrSnilsTaken => "A child with this SNILS already has a certificate. If this is your child, contact the municipal center.",
        ErrCertificateExists => "The child already has a certificate.",
        ErrFieldEmailInvalid => "This email address looks mistyped.",
        ErrFieldPasswordTooWeak => "The password must be at least 10 characters long.",
        ErrFieldLength => "The field is empty or too long.",
        ErrFieldInvalid => "Please check this field.",
        ErrSnilsFormat => "A SNILS has 11 digits.",
        ErrSnilsChecksum => "The check digits do not match: please check the SNILS.",
        ErrSnilsInvalid => "Please check the SNILS: 11 digits, e.g. 112-233-445 95.",
        ErrUnknownMunicipality => "Please choose a municipality from the list.",
        ErrRequired => "Please fill in this field.",
    }
}

pub fn direction(d: Direction) -> &'static str {
    match (lang(), d) {
        (Lang::Ru, Direction::Technical) => "Техническая",
        (Lang::Ru, Direction::NaturalScience) => "Естественнонаучная",
        (Lang::Ru, Direction::Sports) => "Физкультурно-спортивная",
        (Lang::Ru, Direction::Arts) => "Художественная",
        (Lang::Ru, Direction::Tourism) => "Туристско-краеведческая",
        (Lang::Ru, Direction::SocialHumanitarian) => "Социально-гуманитарная",
        (Lang::En, Direction::Technical) => "Technical",
        (Lang::En, Direction::NaturalScience) => "Natural science",
        (Lang::En, Direction::Sports) => "Sports",
        (Lang::En, Direction::Arts) => "Arts",
        (Lang::En, Direction::Tourism) => "Tourism and local history",
        (Lang::En, Direction::SocialHumanitarian) => "Social and humanitarian",
    }
}

pub fn level(l: Level) -> &'static str {
    match (lang(), l) {
        (Lang::Ru, Level::Starting) => "Стартовый",
        (Lang::Ru, Level::Basic) => "Базовый",
        (Lang::Ru, Level::Advanced) => "Продвинутый",
        (Lang::En, Level::Starting) => "Starting",
        (Lang::En, Level::Basic) => "Basic",
        (Lang::En, Level::Advanced) => "Advanced",
    }
}

pub fn study_form(f: StudyForm) -> &'static str {
    match (lang(), f) {
        (Lang::Ru, StudyForm::InPerson) => "Очная",
        (Lang::Ru, StudyForm::Blended) => "Очно-заочная",
        (Lang::Ru, StudyForm::Extramural) => "Заочная",
        (Lang::Ru, StudyForm::Distance) => "Дистанционная",
        (Lang::En, StudyForm::InPerson) => "In person",
        (Lang::En, StudyForm::Blended) => "Blended",
        (Lang::En, StudyForm::Extramural) => "Extramural",
        (Lang::En, StudyForm::Distance) => "Distance",
    }
}

pub fn certificate_status(s: CertificateStatus) -> &'static str {
    match (lang(), s) {
        (Lang::Ru, CertificateStatus::Pending) => "Ожидает подтверждения",
        (Lang::Ru, CertificateStatus::Accounting) => "Сертификат персонального учёта",
        (Lang::Ru, CertificateStatus::Financing) => {
            "Сертификат персонифицированного финансирования"
        }
        (Lang::Ru, CertificateStatus::Suspended) => "Приостановлен",
        (Lang::Ru, CertificateStatus::Closed) => "Закрыт",
        (Lang::En, CertificateStatus::Pending) => "Awaiting confirmation",
        (Lang::En, CertificateStatus::Accounting) => "Certificate of personal accounting",
        (Lang::En, CertificateStatus::Financing) => "Certificate of personalized financing",
        (Lang::En, CertificateStatus::Suspended) => "Suspended",
        (Lang::En, CertificateStatus::Closed) => "Closed",
    }
}

/// An age range: «от 5 до 17 лет», "ages 5–17".
pub fn ages(from: u32, to: u32) -> String {
    match lang() {
        Lang::Ru => {
            // After «до» the noun is genitive: «до 11 лет», but «до 21 года».
            let years = if to % 10 == 1 && to % 100 != 11 {
                "года"
            } else {
                "лет"
            };
            format!("от {from} до {to} {years}")
        }
        Lang::En => format!("ages {from}–{to}"),
    }
}

/// Free seats of a group out of its capacity: «5 из 15», "5 of 15".
pub fn seats_of(left: i64, capacity: i64) -> String {
    match lang() {
        Lang::Ru => format!("{left} из {capacity}"),
        Lang::En => format!("{left} of {capacity}"),
    }
}

/// Translates a problem `code` of the API into words for a parent. `None` for codes this page
/// has no words for: the caller falls back on the HTTP status.
pub fn problem_code(code: &str) -> Option<Key> {
    Some(match code {
        "invalid_credentials" => Key::ErrInvalidCredentials,
        "email_taken" => Key::ErrEmailTaken,
        "validation_failed" => Key::ErrValidation,
        "snils_taken" => Key::ErrSnilsTaken,
        "certificate_exists" => Key::ErrCertificateExists,
        "too_many_attempts" => Key::ErrRateLimited,
        "not_found" => Key::ErrNotFound,
        "forbidden" => Key::ErrForbidden,
        "unauthorized" | "invalid_token" => Key::ErrUnauthorized,
        _ => return None,
    })
}

/// Translates a validation error of one field (`errors[].code` of `validation_failed`).
pub fn field_code(code: &str) -> Key {
    match code {
        "email_invalid" => Key::ErrFieldEmailInvalid,
        "password_too_weak" => Key::ErrFieldPasswordTooWeak,
        "length" | "too_long" => Key::ErrFieldLength,
        "snils_invalid" => Key::ErrSnilsInvalid,
        "unknown_municipality" => Key::ErrUnknownMunicipality,
        _ => Key::ErrFieldInvalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_ages_agree_with_the_last_number() {
        LANG.with(|l| l.set(Some(Lang::Ru)));
        assert_eq!(ages(5, 17), "от 5 до 17 лет");
        assert_eq!(ages(7, 11), "от 7 до 11 лет");
        assert_eq!(ages(14, 21), "от 14 до 21 года");
        assert_eq!(ages(3, 4), "от 3 до 4 лет");
    }

    #[test]
    fn the_tables_differ_where_they_must() {
        assert_ne!(ru(Key::SignIn), en(Key::SignIn));
        assert_eq!(ru(Key::FundingCertificate), "Оплата сертификатом");
    }

    #[test]
    fn codes_of_the_forms_have_words() {
        for code in ["invalid_credentials", "email_taken", "validation_failed"] {
            assert!(problem_code(code).is_some(), "{code}");
        }
        assert_eq!(problem_code("something_new"), None);
        assert_eq!(field_code("email_invalid"), Key::ErrFieldEmailInvalid);
        assert_eq!(field_code("something_new"), Key::ErrFieldInvalid);
    }
}
