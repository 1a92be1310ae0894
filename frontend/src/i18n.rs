//! Every word the SPA shows, by key, in Russian (the default) and English.
//!
//! Keys are an enum, not strings, so that a missing translation or a typo is a compile error: each
//! table is an exhaustive `match`. Texts with numbers or names are functions here too, because
//! word order and plural forms differ between the languages.

use std::cell::Cell;

use navigator_api_types::{
    ApplicationStatus, CertificateStatus, Direction, EndReason, InvoiceStatus, Level, PostingKind,
    ProgramStatus, Role, StudyForm, WaitlistStatus,
};

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

    NavApplications,
    NavEnrollments,
    NavInvoices,
    NavCertificates,
    NavInvoicesToApprove,
    NavPeriods,
    NoAccessTitle,
    NoAccessText,
    Cancel,
    Reason,
    Child,
    Group,
    Program,
    Month,
    Family,
    Amount,
    When,
    ApplyTitle,
    SignInToApply,
    AddChildFirst,
    NoOpenGroups,
    ChooseChild,
    ChooseGroup,
    Calculating,
    QuoteTitle,
    QuoteFree,
    CertificatePays,
    FamilyPays,
    FamilyPaysMonthly,
    SeeByMonth,
    StaysOnCertificate,
    CoPaymentExplained,
    NoCoPayment,
    ByMonth,
    Apply,
    Applying,
    ToMyApplications,
    MyApplications,
    NoApplications,
    Submitted,
    Ended,
    Withdraw,
    EndEnrollment,
    EndConfirm,
    EndComment,
    AttendanceAndPayments,
    ContractCost,
    WrittenOff,
    ContractByMonth,
    EnrollmentTitle,
    Attendance,
    NoAttendanceYet,
    Present,
    Absent,
    CertificateHistory,
    CertificateNo,
    Movements,
    NoMovements,
    Operation,
    ForWhat,
    StatusChanges,
    NewApplications,
    NewApplicationsLead,
    NoNewApplications,
    Accept,
    Reject,
    RejectReason,
    RejectApplication,
    Enrollments,
    NoEnrollments,
    EnrolledOn,
    AttendanceSheet,
    LessonDate,
    MarkPresent,
    MarkAbsent,
    Invoices,
    ProviderInvoicesLead,
    ProviderAccount,
    ActiveEnrollments,
    PaidFromCertificates,
    FamiliesOwe,
    AwaitingApproval,
    InvoiceMonth,
    NoAttendanceReason,
    NoAttendanceReasonHint,
    IssueInvoice,
    NoInvoices,
    LessonsAttended,
    IssuedOn,
    FromCertificate,
    FromFamily,
    DecisionReason,
    InvoiceStatusFilter,
    AllInvoices,
    OperatorCertificates,
    ActivationQueueLead,
    NoPendingCertificates,
    NoCertificates,
    RequestedAt,
    ActivationReason,
    DocumentsChecked,
    Activate,
    Suspend,
    Resume,
    CloseCertificate,
    InvoiceApproval,
    InvoiceApprovalLead,
    Approve,
    RejectInvoice,
    Periods,
    PeriodsLead,
    NoPeriods,
    Nominal,
    QuotaUsed,
    EnrollmentWindow,
    TestMode,
    Budget,
    BudgetCommitted,
    BudgetFree,
    ErrCertificateNotUsable,
    ErrCertificateExpired,
    ErrCertificateTransition,
    ErrQuotaExhausted,
    ErrBudgetExhausted,
    ErrNoOpenPeriod,
    ErrEnrollmentClosed,
    ErrTestMode,
    ErrProgramNotPublished,
    ErrGroupNotOpen,
    ErrNoSeats,
    ErrAgeMismatch,
    ErrAlreadyEnrolled,
    ErrOtherMunicipality,
    ErrApplicationTransition,
    ErrNothingToReserve,
    ErrMonthAlreadyInvoiced,
    ErrMonthOutsideContract,
    ErrMonthNotStarted,
    ErrNoCertificate,
    ErrEnrollmentNotActive,
    ErrRolloverPending,
    ErrProgramTransition,
    ErrProgramNotEditable,
    ErrNoAttendanceReasonRequired,
    ErrInvoiceTransition,
    ErrLessonOutsideGroup,
    ErrAttendanceNotAllowed,
    ErrInsufficientBalance,
    ErrReviewNotAllowed,
    ErrReviewExists,
    ErrReviewAlreadyAnswered,
    ErrSeatsAvailable,
    ErrAlreadyQueued,
    ErrWaitlistTransition,
    ErrOfferExpired,
    ErrConsentInvalid,
    ErrInProgress,

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

    NavPrograms,
    NavModeration,
    NavDashboard,
    NavProviders,
    NavFiles,
    NavDesk,
    NavAudit,
    MyPrograms,
    MyProgramsLead,
    NewProgram,
    NewProgramLead,
    NoPrograms,
    CreateDraft,
    ProgramRecord,
    ProgramTitle,
    Description,
    DescriptionHint,
    AgeFrom,
    AgeTo,
    DurationMonths,
    FundingRequested,
    PricePerMonth,
    PriceHint,
    EditDraft,
    SaveDraft,
    SubmitLead,
    SubmitToModeration,
    ChangedElsewhere,
    OperatorRemarks,
    ProgramTerms,
    ModerationDecision,
    FundingDecision,
    FundingCertificateHint,
    FundingBudgetHint,
    DecisionBasis,
    Publish,
    ReturnToProvider,
    Remarks,
    ReturnWithRemarks,
    Archive,
    ArchiveReason,
    ArchiveForGood,
    AddGroup,
    GroupName,
    StartDate,
    EndDate,
    ScheduleHint,
    Capacity,
    OpenForApplications,
    GroupPriceHint,
    DecisionHistory,
    ModerationQueue,
    ModerationQueueLead,
    NothingOnModeration,
    Reviews,
    NoReviewsYet,
    ReviewHidden,
    ProviderAnswer,
    YourAnswer,
    SendAnswer,
    HideReview,
    ShowReview,
    ModerationReason,
    WriteReview,
    WriteReviewHint,
    YourRating,
    ChooseRating,
    ReviewText,
    PublishReview,
    ReviewThanks,
    Dashboard,
    DashboardLead,
    PeriodMoney,
    SpendingByMonth,
    Day,
    ApplicationsCount,
    Indicator,
    ShowAsTable,
    DownloadCsv,
    DownloadFailed,
    CommentForOperator,
    ReadyForCheck,
    StatSubmitted,
    StatAccepted,
    StatRejected,
    InvoicesCount,
    PaidByCertificates,
    PaidByFamilies,
    CoverageByMonth,
    Children518,
    CertificateHolders,
    EnrolledChildren,
    CertificateCoverage,
    EnrollmentCoverage,
    NoPopulation,
    NoApplicationsYet,
    Notifications,
    NoNotifications,
    MarkRead,
    MarkAllRead,
    NotificationNew,
    ShowMore,
    Waitlist,
    WaitlistHint,
    JoinWaitlist,
    NoWaitlist,
    PlaceInLine,
    OfferUntil,
    AcceptOffer,
    DeclineOffer,
    LeaveWaitlist,
    InvitationTitle,
    InvitationLead,
    ActivationTitle,
    ActivationLead,
    NewPassword,
    RepeatPassword,
    PasswordsDiffer,
    SetPassword,
    LinkWithoutToken,
    PasswordSet,
    ErrInvitationUsed,
    ErrInvitationExpired,
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

        NavApplications => "Заявки",
        NavEnrollments => "Обучающиеся",
        NavInvoices => "Счета",
        NavCertificates => "Сертификаты",
        NavInvoicesToApprove => "Счета на оплату",
        NavPeriods => "Периоды",
        NoAccessTitle => "Нет доступа",
        NoAccessText => "Эта страница для другой роли. Войдите под учётной записью, у которой есть к ней доступ.",
        Cancel => "Отмена",
        Reason => "Причина",
        Child => "Ребёнок",
        Group => "Группа",
        Program => "Программа",
        Month => "Месяц",
        Family => "Семья",
        Amount => "Сумма",
        When => "Когда",

        ApplyTitle => "Записать ребёнка",
        SignInToApply => "Чтобы записать ребёнка и увидеть, сколько оплатит сертификат, войдите в личный кабинет.",
        AddChildFirst => "Сначала добавьте ребёнка в личном кабинете.",
        NoOpenGroups => "Сейчас ни в одну группу нет набора.",
        ChooseChild => "Выберите ребёнка",
        ChooseGroup => "Выберите группу",
        Calculating => "Считаем стоимость…",
        QuoteTitle => "Сколько это стоит",
        QuoteFree => "Программа бесплатная: её оплачивает бюджет. Нужен только сертификат персонального учёта.",
        CertificatePays => "Оплатит сертификат",
        FamilyPays => "Доплата семьи, всего",
        FamilyPaysMonthly => "Доплата семьи в месяц",
        SeeByMonth => "по месяцам — в таблице",
        StaysOnCertificate => "Останется на сертификате",
        CoPaymentExplained => "Сертификат оплачивает занятия, пока хватает средств; разницу семья доплачивает организации.",
        NoCoPayment => "Сертификат оплачивает занятия полностью: доплачивать не нужно.",
        ByMonth => "По месяцам",
        Apply => "Подать заявку",
        Applying => "Отправляем заявку…",
        ToMyApplications => "Мои заявки в личном кабинете",

        MyApplications => "Заявки и занятия",
        NoApplications => "Заявок пока нет. Выберите программу в каталоге.",
        Submitted => "Подана",
        Ended => "Обучение прекращено",
        Withdraw => "Отозвать заявку",
        EndEnrollment => "Прекратить обучение",
        EndConfirm => "Обучение прекратится сегодня. Неизрасходованные средства вернутся на сертификат.",
        EndComment => "Комментарий (необязательно)",
        AttendanceAndPayments => "Посещаемость и оплата",
        ContractCost => "Стоимость по договору",
        WrittenOff => "Списано",
        ContractByMonth => "Договор по месяцам",
        EnrollmentTitle => "Обучение",
        Attendance => "Посещаемость",
        NoAttendanceYet => "Посещения пока не отмечены.",
        Present => "Был на занятии",
        Absent => "Не был",
        CertificateHistory => "История сертификата",
        CertificateNo => "Сертификат №",
        Movements => "Движение средств",
        NoMovements => "Движений по сертификату пока не было.",
        Operation => "Операция",
        ForWhat => "За что",
        StatusChanges => "Изменения статуса",

        NewApplications => "Новые заявки",
        NewApplicationsLead => "Примите заявку, чтобы заключить договор и зарезервировать средства сертификата, или отклоните с указанием причины.",
        NoNewApplications => "Новых заявок нет.",
        Accept => "Принять",
        Reject => "Отклонить",
        RejectReason => "Причина отказа",
        RejectApplication => "Отклонить заявку",
        Enrollments => "Обучающиеся",
        NoEnrollments => "Обучающихся пока нет.",
        EnrolledOn => "Зачислен",
        AttendanceSheet => "Журнал посещаемости",
        LessonDate => "Дата занятия",
        MarkPresent => "Был на занятии",
        MarkAbsent => "Не был",
        Invoices => "Счета",
        ProviderInvoicesLead => "Счета выставляются за каждый месяц обучения на странице обучающегося.",
        ProviderAccount => "Расчёты организации",
        ActiveEnrollments => "Обучающихся",
        PaidFromCertificates => "Оплачено сертификатами",
        FamiliesOwe => "Доплаты семей",
        AwaitingApproval => "Ждут проверки",
        InvoiceMonth => "Месяц",
        NoAttendanceReason => "Причина, если занятий не было",
        NoAttendanceReasonHint => "Нужна, только если в этом месяце ребёнок не посетил ни одного занятия.",
        IssueInvoice => "Выставить счёт",
        NoInvoices => "Счетов нет.",
        LessonsAttended => "Посещено занятий",
        IssuedOn => "Выставлен",
        FromCertificate => "Из сертификата",
        FromFamily => "Доплата семьи",
        DecisionReason => "Решение",
        InvoiceStatusFilter => "Показать",
        AllInvoices => "Все счета",

        OperatorCertificates => "Сертификаты",
        ActivationQueueLead => "Сертификаты, запрошенные онлайн, подтверждаются, когда семья покажет документы ребёнка. Здесь же сертификаты приостанавливают, возобновляют и закрывают: каждое решение — с основанием.",
        NoPendingCertificates => "Все сертификаты подтверждены.",
        NoCertificates => "Сертификатов с таким статусом нет.",
        RequestedAt => "Запрошен",
        ActivationReason => "Основание",
        DocumentsChecked => "Документы проверены",
        Activate => "Подтвердить",
        Suspend => "Приостановить",
        Resume => "Возобновить",
        CloseCertificate => "Закрыть сертификат",
        InvoiceApproval => "Счета на оплату",
        InvoiceApprovalLead => "При одобрении доля сертификата списывается организации из резерва, доплата семьи учитывается как долг семьи организации.",
        Approve => "Одобрить",
        RejectInvoice => "Отклонить счёт",
        Periods => "Периоды финансирования",
        PeriodsLead => "Параметры муниципалитета на каждый период и движение бюджета.",
        NoPeriods => "Периодов финансирования нет.",
        Nominal => "Номинал",
        QuotaUsed => "Сертификатов финансирования",
        EnrollmentWindow => "Приём заявок",
        TestMode => "Тестовый режим",
        Budget => "Бюджет",
        BudgetCommitted => "Начислено на сертификаты",
        BudgetFree => "Свободно",

        ErrCertificateNotUsable => "Сертификат сейчас нельзя использовать: он ещё не подтверждён, приостановлен или закрыт.",
        ErrCertificateExpired => "Срок действия сертификата закончился.",
        ErrCertificateTransition => "Сертификат уже в другом статусе. Обновите страницу.",
        ErrQuotaExhausted => "В муниципалитете закончились места для сертификатов финансирования на этот период. Бесплатные программы по-прежнему доступны.",
        ErrBudgetExhausted => "Средства муниципалитета на сертификаты в этом периоде закончились. Бесплатные программы по-прежнему доступны.",
        ErrNoOpenPeriod => "Сейчас нет действующего периода финансирования: запись по сертификату откроется с новым периодом.",
        ErrEnrollmentClosed => "Приём заявок сейчас закрыт. Он открыт только в сроки, которые установил муниципалитет.",
        ErrTestMode => "Навигатор работает в тестовом режиме: программы можно смотреть, но заявки пока не принимаются.",
        ErrProgramNotPublished => "Программа снята с публикации, записаться на неё нельзя.",
        ErrGroupNotOpen => "В эту группу набор не идёт.",
        ErrNoSeats => "В группе не осталось свободных мест.",
        ErrAgeMismatch => "Программа не подходит ребёнку по возрасту.",
        ErrAlreadyEnrolled => "Ребёнок уже подал заявку в эту группу.",
        ErrOtherMunicipality => "Программа из другого муниципалитета: сертификат ребёнка действует там, где он живёт.",
        ErrApplicationTransition => "Заявка уже в другом статусе. Обновите страницу.",
        ErrNothingToReserve => "В этой группе до конца периода не осталось месяцев занятий.",
        ErrMonthAlreadyInvoiced => "Счёт за этот месяц уже выставлен.",
        ErrMonthOutsideContract => "Этот месяц не входит в договор.",
        ErrMonthNotStarted => "Этот месяц ещё не начался.",
        ErrNoCertificate => "У ребёнка ещё нет сертификата. Получите его в личном кабинете.",
        ErrEnrollmentNotActive => "Обучение по этой заявке не идёт.",
        ErrRolloverPending => "Сертификат переводится на новый период финансирования. Попробуйте через несколько дней.",
        ErrProgramTransition => "Программа уже в другом статусе. Обновите страницу.",
        ErrProgramNotEditable => "Изменить можно только черновик программы: отправьте эту в архив и создайте новую.",
        ErrNoAttendanceReasonRequired => "В этом месяце не отмечено ни одного посещения: укажите причину.",
        ErrInvoiceTransition => "Счёт уже рассмотрен. Обновите страницу.",
        ErrLessonOutsideGroup => "Дата вне сроков занятий группы.",
        ErrAttendanceNotAllowed => "Посещаемость отмечают только у обучающихся.",
        ErrInsufficientBalance => "На сертификате недостаточно средств.",
        ErrReviewNotAllowed => "Оставить отзыв может только семья, чей ребёнок занимается или занимался по программе.",
        ErrReviewExists => "Отзыв ребёнка об этой программе уже оставлен.",
        ErrReviewAlreadyAnswered => "Организация уже ответила на этот отзыв.",
        ErrSeatsAvailable => "В группе есть свободные места: подайте заявку вместо очереди.",
        ErrAlreadyQueued => "Ребёнок уже стоит в очереди в эту группу.",
        ErrWaitlistTransition => "С этой записью очереди так поступить уже нельзя: обновите страницу.",
        ErrOfferExpired => "Срок предложения истёк: место передано следующему в очереди.",
        ErrConsentInvalid => "Заявку за семью можно подать только с её согласием, данным не позже сегодняшнего дня.",
        ErrInProgress => "Запрос ещё обрабатывается. Подождите немного и обновите страницу.",

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
        NavPrograms => "Программы",
        NavModeration => "Модерация",
        NavDashboard => "Сводка",
        NavProviders => "Организации",
        NavFiles => "Файлы",
        NavDesk => "Приём семей",
        NavAudit => "Журнал действий",
        MyPrograms => "Программы организации",
        MyProgramsLead => "Черновики, программы на модерации, опубликованные и архивные. Новая программа начинается с черновика; после проверки оператор публикует её в каталоге.",
        NewProgram => "Новая программа",
        NewProgramLead => "Опишите программу так, как её увидят родители. Черновик можно править сколько угодно, пока вы не отправите его на модерацию.",
        NoPrograms => "Программ с таким статусом нет.",
        CreateDraft => "Создать черновик",
        ProgramRecord => "Программа",
        ProgramTitle => "Название программы",
        Description => "Описание",
        DescriptionHint => "Чему научится ребёнок, как проходят занятия. Абзацы разделяйте пустой строкой; от 10 символов.",
        AgeFrom => "Возраст от, лет",
        AgeTo => "Возраст до, лет",
        DurationMonths => "Продолжительность, месяцев",
        FundingRequested => "Финансирование (просьба к оператору)",
        PricePerMonth => "Стоимость в месяц, ₽",
        PriceHint => "Например, 2800 или 2800,50. Для бюджетной программы — 0.",
        EditDraft => "Черновик",
        SaveDraft => "Сохранить черновик",
        SubmitLead => "Когда описание готово, отправьте программу на модерацию: оператор проверит её и опубликует в каталоге или вернёт с замечаниями.",
        SubmitToModeration => "Отправить на модерацию",
        ChangedElsewhere => "Пока вы редактировали, программу изменил кто-то другой. Показана новая версия: внесите свои правки ещё раз.",
        OperatorRemarks => "Замечания оператора",
        ProgramTerms => "Описание и условия",
        ModerationDecision => "Решение по программе",
        FundingDecision => "Как оплачивается программа",
        FundingCertificateHint => "Сертифицированная: оплачивается сертификатом персонифицированного финансирования.",
        FundingBudgetHint => "Бюджетная: бесплатно с сертификатом персонального учёта.",
        DecisionBasis => "Основание решения",
        Publish => "Опубликовать",
        ReturnToProvider => "Вернуть на доработку",
        Remarks => "Замечания для организации",
        ReturnWithRemarks => "Вернуть с замечаниями",
        Archive => "В архив",
        ArchiveReason => "Почему программа уходит в архив",
        ArchiveForGood => "Перенести в архив насовсем",
        AddGroup => "Добавить группу",
        GroupName => "Название группы",
        StartDate => "Начало занятий",
        EndDate => "Окончание занятий",
        ScheduleHint => "Например: Пн, Ср 16:00–17:30",
        Capacity => "Мест в группе",
        OpenForApplications => "Открыта для записи",
        GroupPriceHint => "Стоимость занятий в группе — стоимость программы в месяц.",
        DecisionHistory => "История решений",
        ModerationQueue => "Программы на модерации",
        ModerationQueueLead => "Программы, которые организации отправили на проверку. Откройте программу, чтобы опубликовать её с решением о финансировании или вернуть с замечаниями.",
        NothingOnModeration => "Программ на модерации нет.",
        Reviews => "Отзывы",
        NoReviewsYet => "Отзывов пока нет.",
        ReviewHidden => "Скрыт модератором",
        ProviderAnswer => "Ответ организации",
        YourAnswer => "Ваш ответ на отзыв",
        SendAnswer => "Ответить",
        HideReview => "Скрыть отзыв",
        ShowReview => "Показать отзыв",
        ModerationReason => "Причина",
        WriteReview => "Оставить отзыв",
        WriteReviewHint => "Отзыв может оставить семья, чей ребёнок занимается или занимался по программе, — один на ребёнка.",
        YourRating => "Ваша оценка",
        ChooseRating => "Выберите оценку от 1 до 5.",
        ReviewText => "Отзыв (необязательно)",
        PublishReview => "Опубликовать отзыв",
        ReviewThanks => "Спасибо! Отзыв опубликован.",
        Dashboard => "Сводка",
        DashboardLead => "Деньги периода, заявки, оплата занятий, охват детей и самые востребованные программы муниципалитета. Числа каждого графика — в таблице под ним; таблицу можно скачать для Excel.",
        PeriodMoney => "Деньги периода",
        SpendingByMonth => "Оплачено сертификатами по месяцам",
        Day => "День",
        ApplicationsCount => "Заявок",
        Indicator => "Показатель",
        ShowAsTable => "Числа таблицей",
        DownloadCsv => "Скачать CSV",
        DownloadFailed => "Браузер не дал скачать файл.",
        CommentForOperator => "Комментарий для оператора",
        ReadyForCheck => "Программа готова к проверке",
        StatSubmitted => "Подано",
        StatAccepted => "Принято",
        StatRejected => "Отклонено",
        InvoicesCount => "Счетов",
        PaidByCertificates => "Сертификатами",
        PaidByFamilies => "Семьями",
        CoverageByMonth => "Охват детей занятиями по месяцам, %",
        Children518 => "Детей 5–18 лет",
        CertificateHolders => "С сертификатом",
        EnrolledChildren => "Занимаются",
        CertificateCoverage => "Охват сертификатами",
        EnrollmentCoverage => "Охват занятиями",
        NoPopulation => "Численность детей 5–18 лет не введена: охват в процентах не считается.",
        NoApplicationsYet => "Заявок за это время не было.",
        Notifications => "Уведомления",
        NoNotifications => "Уведомлений пока нет.",
        MarkRead => "Прочитано",
        MarkAllRead => "Отметить все прочитанными",
        NotificationNew => "Новое",
        ShowMore => "Показать ещё",
        Waitlist => "Очередь в группы",
        WaitlistHint => "Свободных мест нет: поставьте ребёнка в очередь. Когда место освободится, мы предложим его, и у вас будет время подтвердить.",
        JoinWaitlist => "Встать в очередь",
        NoWaitlist => "В очередях никого нет.",
        PlaceInLine => "Место в очереди",
        OfferUntil => "Предложение действует до",
        AcceptOffer => "Принять место",
        DeclineOffer => "Отказаться",
        LeaveWaitlist => "Выйти из очереди",
        InvitationTitle => "Приглашение в организацию",
        InvitationLead => "Задайте пароль, чтобы войти в навигатор сотрудником организации. Адрес почты — тот, на который пришло письмо.",
        ActivationTitle => "Вход в личный кабинет семьи",
        ActivationLead => "Вас зарегистрировали в учреждении. Задайте пароль — и сертификат, заявки и занятия ребёнка будут в личном кабинете.",
        NewPassword => "Новый пароль (не короче 10 символов)",
        RepeatPassword => "Пароль ещё раз",
        PasswordsDiffer => "Пароли не совпадают.",
        SetPassword => "Задать пароль",
        LinkWithoutToken => "В ссылке нет кода: откройте ссылку из письма целиком.",
        PasswordSet => "Пароль задан. Войдите с адресом почты из письма и этим паролем.",
        ErrInvitationUsed => "Это приглашение уже принято: войдите с паролем, который вы задали.",
        ErrInvitationExpired => "Приглашение действовало 72 часа и истекло: попросите оператора прислать новое.",
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

        NavApplications => "Applications",
        NavEnrollments => "Enrolled children",
        NavInvoices => "Invoices",
        NavCertificates => "Certificates",
        NavInvoicesToApprove => "Invoices to approve",
        NavPeriods => "Periods",
        NoAccessTitle => "No access",
        NoAccessText => "This page is for another role. Sign in with an account that has access to it.",
        Cancel => "Cancel",
        Reason => "Reason",
        Child => "Child",
        Group => "Group",
        Program => "Program",
        Month => "Month",
        Family => "Family",
        Amount => "Amount",
        When => "When",

        ApplyTitle => "Enroll your child",
        SignInToApply => "Sign in to enroll your child and see how much the certificate pays.",
        AddChildFirst => "First add your child in your account.",
        NoOpenGroups => "No group is enrolling now.",
        ChooseChild => "Choose a child",
        ChooseGroup => "Choose a group",
        Calculating => "Calculating the cost…",
        QuoteTitle => "What it costs",
        QuoteFree => "The program is free: the budget pays for it. Only a certificate of personal accounting is needed.",
        CertificatePays => "The certificate pays",
        FamilyPays => "Your co-payment, in all",
        FamilyPaysMonthly => "Your co-payment per month",
        SeeByMonth => "by month: see the table",
        StaysOnCertificate => "Stays on the certificate",
        CoPaymentExplained => "The certificate pays while its money lasts; your family pays the provider the difference.",
        NoCoPayment => "The certificate pays in full: there is nothing to pay extra.",
        ByMonth => "By month",
        Apply => "Apply",
        Applying => "Sending the application…",
        ToMyApplications => "My applications in my account",

        MyApplications => "Applications and classes",
        NoApplications => "No applications yet. Choose a program in the catalog.",
        Submitted => "Submitted",
        Ended => "Ended",
        Withdraw => "Withdraw the application",
        EndEnrollment => "End the enrollment",
        EndConfirm => "The enrollment ends today. The money not yet spent returns to the certificate.",
        EndComment => "Comment (optional)",
        AttendanceAndPayments => "Attendance and payments",
        ContractCost => "Contract cost",
        WrittenOff => "Written off",
        ContractByMonth => "The contract by month",
        EnrollmentTitle => "Enrollment",
        Attendance => "Attendance",
        NoAttendanceYet => "No lessons marked yet.",
        Present => "Present",
        Absent => "Absent",
        CertificateHistory => "Certificate history",
        CertificateNo => "Certificate No.",
        Movements => "Money movements",
        NoMovements => "No money has moved on the certificate yet.",
        Operation => "Operation",
        ForWhat => "For",
        StatusChanges => "Status changes",

        NewApplications => "New applications",
        NewApplicationsLead => "Accept an application to form the contract and reserve the certificate's money, or reject it with a reason.",
        NoNewApplications => "No new applications.",
        Accept => "Accept",
        Reject => "Reject",
        RejectReason => "Reason for the refusal",
        RejectApplication => "Reject the application",
        Enrollments => "Enrolled children",
        NoEnrollments => "No children enrolled yet.",
        EnrolledOn => "Enrolled on",
        AttendanceSheet => "Attendance sheet",
        LessonDate => "Lesson date",
        MarkPresent => "Present",
        MarkAbsent => "Absent",
        Invoices => "Invoices",
        ProviderInvoicesLead => "Invoices are issued per month of each enrollment, on the enrolled child's page.",
        ProviderAccount => "The provider's account",
        ActiveEnrollments => "Enrolled children",
        PaidFromCertificates => "Paid from certificates",
        FamiliesOwe => "Families owe",
        AwaitingApproval => "Awaiting approval",
        InvoiceMonth => "Month",
        NoAttendanceReason => "Reason if no lesson was attended",
        NoAttendanceReasonHint => "Needed only when the child attended no lesson this month.",
        IssueInvoice => "Issue the invoice",
        NoInvoices => "No invoices.",
        LessonsAttended => "Lessons attended",
        IssuedOn => "Issued on",
        FromCertificate => "From the certificate",
        FromFamily => "Family co-payment",
        DecisionReason => "Decision",
        InvoiceStatusFilter => "Show",
        AllInvoices => "All invoices",

        OperatorCertificates => "Certificates",
        ActivationQueueLead => "Certificates asked for online are confirmed once the family has shown the child's documents. Certificates are also suspended, resumed and closed here, each decision with its grounds.",
        NoPendingCertificates => "Every certificate is confirmed.",
        NoCertificates => "No certificates with this status.",
        RequestedAt => "Requested",
        ActivationReason => "Grounds",
        DocumentsChecked => "Documents checked",
        Activate => "Confirm",
        Suspend => "Suspend",
        Resume => "Resume",
        CloseCertificate => "Close the certificate",
        InvoiceApproval => "Invoices to approve",
        InvoiceApprovalLead => "On approval the certificate's share is written off to the provider from the reservation; the family's share is recorded as owed to the provider.",
        Approve => "Approve",
        RejectInvoice => "Reject the invoice",
        Periods => "Financing periods",
        PeriodsLead => "The municipality's parameters for each period and how its budget is used.",
        NoPeriods => "No financing periods.",
        Nominal => "Nominal",
        QuotaUsed => "Financing certificates",
        EnrollmentWindow => "Enrollment window",
        TestMode => "Test mode",
        Budget => "Budget",
        BudgetCommitted => "Credited to certificates",
        BudgetFree => "Free",

        ErrCertificateNotUsable => "The certificate cannot be used now: it is not confirmed yet, suspended or closed.",
        ErrCertificateExpired => "The certificate has expired.",
        ErrCertificateTransition => "The certificate's status has changed meanwhile. Reload the page.",
        ErrQuotaExhausted => "The municipality's quota of financing certificates for this period is used up. Free programs are still open.",
        ErrBudgetExhausted => "The municipality's money for certificates in this period is used up. Free programs are still open.",
        ErrNoOpenPeriod => "There is no financing period open now: enrollment by certificate opens with the next period.",
        ErrEnrollmentClosed => "Enrollment is closed now. It is open only within the dates the municipality set.",
        ErrTestMode => "The navigator is in test mode: you can browse programs, but applications are not accepted yet.",
        ErrProgramNotPublished => "The program is no longer published; it cannot be applied to.",
        ErrGroupNotOpen => "This group is not enrolling.",
        ErrNoSeats => "The group has no free seats left.",
        ErrAgeMismatch => "The program is not for your child's age.",
        ErrAlreadyEnrolled => "Your child has already applied to this group.",
        ErrOtherMunicipality => "The program is in another municipality: the certificate works where the child lives.",
        ErrApplicationTransition => "The application's status has changed meanwhile. Reload the page.",
        ErrNothingToReserve => "The group has no months of classes left in the period.",
        ErrMonthAlreadyInvoiced => "This month is already invoiced.",
        ErrMonthOutsideContract => "This month is outside the contract.",
        ErrMonthNotStarted => "This month has not started yet.",
        ErrNoCertificate => "The child has no certificate yet. Get one in your account.",
        ErrEnrollmentNotActive => "This enrollment is not active.",
        ErrRolloverPending => "The certificate is moving to the new financing period. Try again in a few days.",
        ErrProgramTransition => "The program's status has changed meanwhile. Reload the page.",
        ErrProgramNotEditable => "Only a draft program can be changed: archive this one and write a new one.",
        ErrNoAttendanceReasonRequired => "No lesson was attended this month: give the reason.",
        ErrInvoiceTransition => "The invoice has been decided meanwhile. Reload the page.",
        ErrLessonOutsideGroup => "The date is outside the group's dates.",
        ErrAttendanceNotAllowed => "Attendance is marked only for enrolled children.",
        ErrInsufficientBalance => "The certificate's balance is not enough.",
        ErrReviewNotAllowed => "Only a family whose child attends or attended the program can review it.",
        ErrReviewExists => "A review of this program for this child already exists.",
        ErrReviewAlreadyAnswered => "The provider has already answered this review.",
        ErrSeatsAvailable => "The group has free seats: apply instead of joining the waitlist.",
        ErrAlreadyQueued => "The child is already on this group's waitlist.",
        ErrWaitlistTransition => "This waitlist entry no longer allows that: reload the page.",
        ErrOfferExpired => "The offer expired: the seat passed to the next in line.",
        ErrConsentInvalid => "An application is filed for a family only with its consent, given today or earlier.",
        ErrInProgress => "The request is still being processed. Wait a moment and reload the page.",

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
        NavPrograms => "Programs",
        NavModeration => "Moderation",
        NavDashboard => "Dashboard",
        NavProviders => "Providers",
        NavFiles => "Files",
        NavDesk => "Desk",
        NavAudit => "Audit log",
        MyPrograms => "Our programs",
        MyProgramsLead => "Drafts, programs on moderation, published and archived ones. A new program starts as a draft; after checking it the operator publishes it in the catalog.",
        NewProgram => "New program",
        NewProgramLead => "Describe the program as parents will see it. You can edit the draft as often as you like until you send it to moderation.",
        NoPrograms => "No programs with this status.",
        CreateDraft => "Create the draft",
        ProgramRecord => "Program",
        ProgramTitle => "Title of the program",
        Description => "Description",
        DescriptionHint => "What the child will learn and how lessons go. Separate paragraphs with an empty line; at least 10 characters.",
        AgeFrom => "Age from, years",
        AgeTo => "Age to, years",
        DurationMonths => "Duration, months",
        FundingRequested => "Funding (asked of the operator)",
        PricePerMonth => "Price per month, ₽",
        PriceHint => "For example 2800 or 2800.50. For a budget-funded program, 0.",
        EditDraft => "Draft",
        SaveDraft => "Save the draft",
        SubmitLead => "When the description is ready, send the program to moderation: the operator checks it and publishes it in the catalog or returns it with remarks.",
        SubmitToModeration => "Send to moderation",
        ChangedElsewhere => "Someone else changed the program while you were editing. The new version is shown: please make your changes again.",
        OperatorRemarks => "The operator's remarks",
        ProgramTerms => "Description and terms",
        ModerationDecision => "Decision on the program",
        FundingDecision => "How the program is paid for",
        FundingCertificateHint => "Certified: paid with a certificate of personalized financing.",
        FundingBudgetHint => "Budget-funded: free with a certificate of personal accounting.",
        DecisionBasis => "Basis of the decision",
        Publish => "Publish",
        ReturnToProvider => "Return to the provider",
        Remarks => "Remarks for the provider",
        ReturnWithRemarks => "Return with remarks",
        Archive => "Archive",
        ArchiveReason => "Why the program is archived",
        ArchiveForGood => "Archive for good",
        AddGroup => "Add a group",
        GroupName => "Name of the group",
        StartDate => "First day",
        EndDate => "Last day",
        ScheduleHint => "For example: Mon, Wed 16:00–17:30",
        Capacity => "Seats in the group",
        OpenForApplications => "Open for applications",
        GroupPriceHint => "The group costs the program's price per month.",
        DecisionHistory => "History of decisions",
        ModerationQueue => "Programs on moderation",
        ModerationQueueLead => "Programs the providers sent for checking. Open one to publish it with the funding decision or to return it with remarks.",
        NothingOnModeration => "No programs are waiting for moderation.",
        Reviews => "Reviews",
        NoReviewsYet => "No reviews yet.",
        ReviewHidden => "Hidden by a moderator",
        ProviderAnswer => "The provider's answer",
        YourAnswer => "Your answer to the review",
        SendAnswer => "Answer",
        HideReview => "Hide the review",
        ShowReview => "Show the review",
        ModerationReason => "Reason",
        WriteReview => "Write a review",
        WriteReviewHint => "A family whose child attends or attended the program can write one review per child.",
        YourRating => "Your rating",
        ChooseRating => "Choose a rating from 1 to 5.",
        ReviewText => "Review (optional)",
        PublishReview => "Publish the review",
        ReviewThanks => "Thank you! The review is published.",
        Dashboard => "Dashboard",
        DashboardLead => "The period's money, applications, payments, coverage and the most wanted programs of the municipality. Each chart's numbers are in the table under it; the table downloads for Excel.",
        PeriodMoney => "Money of the period",
        SpendingByMonth => "Paid from certificates by month",
        Day => "Day",
        ApplicationsCount => "Applications",
        Indicator => "Indicator",
        ShowAsTable => "Numbers as a table",
        DownloadCsv => "Download CSV",
        DownloadFailed => "The browser refused the download.",
        CommentForOperator => "A comment for the operator",
        ReadyForCheck => "The program is ready for checking",
        StatSubmitted => "Submitted",
        StatAccepted => "Accepted",
        StatRejected => "Rejected",
        InvoicesCount => "Invoices",
        PaidByCertificates => "From certificates",
        PaidByFamilies => "By families",
        CoverageByMonth => "Children enrolled by month, % of children aged 5–18",
        Children518 => "Children aged 5–18",
        CertificateHolders => "With a certificate",
        EnrolledChildren => "Enrolled",
        CertificateCoverage => "Certificate coverage",
        EnrollmentCoverage => "Enrollment coverage",
        NoPopulation => "The number of children aged 5–18 is not entered: coverage in per cent is not computed.",
        NoApplicationsYet => "No applications in this time.",
        Notifications => "Notifications",
        NoNotifications => "No notifications yet.",
        MarkRead => "Mark read",
        MarkAllRead => "Mark all read",
        NotificationNew => "New",
        ShowMore => "Show more",
        Waitlist => "Waitlist",
        WaitlistHint => "No free seats: put the child on the waitlist. When a seat frees up it is offered to you, with time to confirm.",
        JoinWaitlist => "Join the waitlist",
        NoWaitlist => "Nobody on a waitlist.",
        PlaceInLine => "Place in line",
        OfferUntil => "The offer holds until",
        AcceptOffer => "Take the seat",
        DeclineOffer => "Decline",
        LeaveWaitlist => "Leave the waitlist",
        InvitationTitle => "Invitation to a provider",
        InvitationLead => "Set a password to sign in to the navigator as the provider's staff. Your email is the one the letter came to.",
        ActivationTitle => "Your family's account",
        ActivationLead => "You were registered at the desk. Set a password to see the certificate, applications and lessons of your child in your account.",
        NewPassword => "New password (10 characters or more)",
        RepeatPassword => "The password again",
        PasswordsDiffer => "The passwords differ.",
        SetPassword => "Set the password",
        LinkWithoutToken => "The link has no code: open the whole link from the letter.",
        PasswordSet => "The password is set. Sign in with the email the letter came to and this password.",
        ErrInvitationUsed => "This invitation was accepted already: sign in with the password you set.",
        ErrInvitationExpired => "The invitation was valid for 72 hours and expired: ask the operator for a new one.",
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

/// A certificate's status in a few words, for «from → to» in its history.
pub fn certificate_status_short(s: CertificateStatus) -> &'static str {
    match (lang(), s) {
        (Lang::Ru, CertificateStatus::Pending) => "Ожидает подтверждения",
        (Lang::Ru, CertificateStatus::Accounting) => "Персональный учёт",
        (Lang::Ru, CertificateStatus::Financing) => "Финансирование",
        (Lang::Ru, CertificateStatus::Suspended) => "Приостановлен",
        (Lang::Ru, CertificateStatus::Closed) => "Закрыт",
        (Lang::En, CertificateStatus::Pending) => "Awaiting confirmation",
        (Lang::En, CertificateStatus::Accounting) => "Personal accounting",
        (Lang::En, CertificateStatus::Financing) => "Financing",
        (Lang::En, CertificateStatus::Suspended) => "Suspended",
        (Lang::En, CertificateStatus::Closed) => "Closed",
    }
}

pub fn application_status(s: ApplicationStatus) -> &'static str {
    match (lang(), s) {
        (Lang::Ru, ApplicationStatus::Submitted) => "На рассмотрении",
        (Lang::Ru, ApplicationStatus::Accepted) => "Зачислен, идут занятия",
        (Lang::Ru, ApplicationStatus::Rejected) => "Отклонена",
        (Lang::Ru, ApplicationStatus::Withdrawn) => "Отозвана",
        (Lang::Ru, ApplicationStatus::Completed) => "Обучение завершено",
        (Lang::Ru, ApplicationStatus::Expelled) => "Обучение прекращено",
        (Lang::En, ApplicationStatus::Submitted) => "Under review",
        (Lang::En, ApplicationStatus::Accepted) => "Enrolled, classes running",
        (Lang::En, ApplicationStatus::Rejected) => "Rejected",
        (Lang::En, ApplicationStatus::Withdrawn) => "Withdrawn",
        (Lang::En, ApplicationStatus::Completed) => "Completed",
        (Lang::En, ApplicationStatus::Expelled) => "Ended early",
    }
}

pub fn end_reason(r: EndReason) -> &'static str {
    match (lang(), r) {
        (Lang::Ru, EndReason::FamilyRequest) => "по заявлению родителя",
        (Lang::Ru, EndReason::ProviderDecision) => "по решению организации",
        (Lang::Ru, EndReason::CertificateClosed) => "сертификат закрыт",
        (Lang::Ru, EndReason::PeriodEnded) => "закончился период финансирования",
        (Lang::En, EndReason::FamilyRequest) => "at the family's request",
        (Lang::En, EndReason::ProviderDecision) => "by the provider's decision",
        (Lang::En, EndReason::CertificateClosed) => "the certificate was closed",
        (Lang::En, EndReason::PeriodEnded) => "the financing period ended",
    }
}

pub fn invoice_status(s: InvoiceStatus) -> &'static str {
    match (lang(), s) {
        (Lang::Ru, InvoiceStatus::Issued) => "Ждёт проверки",
        (Lang::Ru, InvoiceStatus::Approved) => "Одобрен, списано",
        (Lang::Ru, InvoiceStatus::Rejected) => "Отклонён",
        (Lang::En, InvoiceStatus::Issued) => "Awaiting approval",
        (Lang::En, InvoiceStatus::Approved) => "Approved, written off",
        (Lang::En, InvoiceStatus::Rejected) => "Rejected",
    }
}

/// A movement of a certificate's money, in a parent's words.
pub fn posting_kind(k: PostingKind) -> &'static str {
    match (lang(), k) {
        (Lang::Ru, PostingKind::Funding) => "Финансирование периода",
        (Lang::Ru, PostingKind::Credit) => "Зачисление номинала",
        (Lang::Ru, PostingKind::Reservation) => "Резерв на занятия",
        (Lang::Ru, PostingKind::WriteOff) => "Оплата месяца из резерва",
        (Lang::Ru, PostingKind::Release) => "Возврат из резерва",
        (Lang::Ru, PostingKind::Expiry) => "Остаток возвращён в бюджет",
        (Lang::Ru, PostingKind::CoPayment) => "Доплата семьи за месяц",
        (Lang::Ru, PostingKind::Defunding) => "Сокращение бюджета периода",
        (Lang::En, PostingKind::Funding) => "Period funding",
        (Lang::En, PostingKind::Credit) => "Nominal credited",
        (Lang::En, PostingKind::Reservation) => "Reserved for classes",
        (Lang::En, PostingKind::WriteOff) => "Month paid from the reservation",
        (Lang::En, PostingKind::Release) => "Released from the reservation",
        (Lang::En, PostingKind::Expiry) => "Remainder returned to the budget",
        (Lang::En, PostingKind::CoPayment) => "Family co-payment for the month",
        (Lang::En, PostingKind::Defunding) => "Period budget reduced",
    }
}

/// Who made a change, as the family knows them.
pub fn role(r: Role) -> &'static str {
    match (lang(), r) {
        (Lang::Ru, Role::Family) => "родитель",
        (Lang::Ru, Role::ProviderStaff) => "организация",
        (Lang::Ru, Role::MunicipalOperator) => "муниципальный опорный центр",
        (Lang::Ru, Role::RegionalOperator) => "региональный модельный центр",
        (Lang::En, Role::Family) => "parent",
        (Lang::En, Role::ProviderStaff) => "provider",
        (Lang::En, Role::MunicipalOperator) => "municipal center",
        (Lang::En, Role::RegionalOperator) => "regional center",
    }
}

pub fn program_status(s: ProgramStatus) -> &'static str {
    match (lang(), s) {
        (Lang::Ru, ProgramStatus::Draft) => "Черновик",
        (Lang::Ru, ProgramStatus::OnModeration) => "На модерации",
        (Lang::Ru, ProgramStatus::Published) => "Опубликована",
        (Lang::Ru, ProgramStatus::Archived) => "В архиве",
        (Lang::En, ProgramStatus::Draft) => "Draft",
        (Lang::En, ProgramStatus::OnModeration) => "On moderation",
        (Lang::En, ProgramStatus::Published) => "Published",
        (Lang::En, ProgramStatus::Archived) => "Archived",
    }
}

/// A recorded decision on a program (`action` of its events).
pub fn program_action(action: &str) -> &'static str {
    match (lang(), action) {
        (Lang::Ru, "create") => "Создан черновик",
        (Lang::Ru, "update") => "Черновик изменён",
        (Lang::Ru, "submit") => "Отправлена на модерацию",
        (Lang::Ru, "publish") => "Опубликована",
        (Lang::Ru, "return") => "Возвращена с замечаниями",
        (Lang::Ru, "archive") => "Перенесена в архив",
        (Lang::Ru, _) => "Решение",
        (Lang::En, "create") => "Draft created",
        (Lang::En, "update") => "Draft edited",
        (Lang::En, "submit") => "Sent to moderation",
        (Lang::En, "publish") => "Published",
        (Lang::En, "return") => "Returned with remarks",
        (Lang::En, "archive") => "Archived",
        (Lang::En, _) => "Decision",
    }
}

/// A decimal of the API (`"4.5"`) with the reader's decimal mark: «4,5» in Russian.
pub fn decimal(value: &str) -> String {
    match lang() {
        Lang::Ru => value.replace('.', ","),
        Lang::En => value.to_owned(),
    }
}

/// «★ 4,5 · 12 отзывов»: the average (already formatted) and how many reviews it is over.
pub fn rating_summary(average: &str, count: i64) -> String {
    let n = usize::try_from(count).unwrap_or(0);
    match lang() {
        Lang::Ru => format!(
            "★ {average} из 5 · {count} {}",
            ru_plural(n, "отзыв", "отзыва", "отзывов")
        ),
        Lang::En => format!(
            "★ {average} of 5 · {count} {}",
            if n == 1 { "review" } else { "reviews" }
        ),
    }
}

/// A review's rating for a screen reader: «Оценка 4 из 5».
pub fn rating_of_five(rating: u8) -> String {
    match lang() {
        Lang::Ru => format!("Оценка {rating} из 5"),
        Lang::En => format!("Rated {rating} of 5"),
    }
}

/// The words of each star of the rating choice.
pub fn rating_word(rating: u8) -> &'static str {
    match (lang(), rating) {
        (Lang::Ru, 1) => "1 — плохо",
        (Lang::Ru, 2) => "2 — так себе",
        (Lang::Ru, 3) => "3 — нормально",
        (Lang::Ru, 4) => "4 — хорошо",
        (Lang::Ru, _) => "5 — отлично",
        (Lang::En, 1) => "1 — poor",
        (Lang::En, 2) => "2 — fair",
        (Lang::En, 3) => "3 — good",
        (Lang::En, 4) => "4 — very good",
        (Lang::En, _) => "5 — excellent",
    }
}

/// «Найдено 12 программ» over the catalog's results.
pub fn programs_found(total: i64) -> String {
    let n = usize::try_from(total).unwrap_or(0);
    match lang() {
        Lang::Ru => format!(
            "{} {total} {}",
            ru_plural(n, "Найдена", "Найдено", "Найдено"),
            ru_plural(n, "программа", "программы", "программ")
        ),
        Lang::En => format!(
            "{total} {} found",
            if n == 1 { "program" } else { "programs" }
        ),
    }
}

/// The title of the chart of applications per day.
pub fn applications_last_days(days: i64) -> String {
    let n = usize::try_from(days).unwrap_or(0);
    match lang() {
        Lang::Ru => format!(
            "Заявки по дням за последние {days} {}",
            ru_plural(n, "день", "дня", "дней")
        ),
        Lang::En => format!("Applications per day, the last {days} days"),
    }
}

/// The title of the table of coverage by direction in `month` (already formatted).
pub fn coverage_by_direction(month: &str) -> String {
    match lang() {
        Lang::Ru => format!("Охват по направленностям, {month}"),
        Lang::En => format!("Coverage by direction, {month}"),
    }
}

/// The title of the table of the most wanted programs since `since` (already formatted).
pub fn most_wanted_since(since: &str) -> String {
    match lang() {
        Lang::Ru => format!("Самые востребованные программы с {since}"),
        Lang::En => format!("The most wanted programs since {since}"),
    }
}

/// The bell's accessible name: «Уведомления, непрочитанных: 3».
pub fn notifications_unread(unread: i64) -> String {
    match (lang(), unread) {
        (Lang::Ru, 0) => "Уведомления".to_owned(),
        (Lang::En, 0) => "Notifications".to_owned(),
        (Lang::Ru, n) => format!("Уведомления, непрочитанных: {n}"),
        (Lang::En, n) => format!("Notifications, {n} unread"),
    }
}

/// What became of a waitlist entry.
pub fn waitlist_status(s: WaitlistStatus) -> &'static str {
    match (lang(), s) {
        (Lang::Ru, WaitlistStatus::Waiting) => "В очереди",
        (Lang::Ru, WaitlistStatus::Offered) => "Предложено место",
        (Lang::Ru, WaitlistStatus::Taken) => "Место принято",
        (Lang::Ru, WaitlistStatus::Declined) => "Отказ от места",
        (Lang::Ru, WaitlistStatus::Expired) => "Предложение истекло",
        (Lang::Ru, WaitlistStatus::Left) => "Вышли из очереди",
        (Lang::Ru, WaitlistStatus::Cancelled) => "Снято с очереди",
        (Lang::En, WaitlistStatus::Waiting) => "Waiting",
        (Lang::En, WaitlistStatus::Offered) => "Seat offered",
        (Lang::En, WaitlistStatus::Taken) => "Seat taken",
        (Lang::En, WaitlistStatus::Declined) => "Offer declined",
        (Lang::En, WaitlistStatus::Expired) => "Offer expired",
        (Lang::En, WaitlistStatus::Left) => "Left the waitlist",
        (Lang::En, WaitlistStatus::Cancelled) => "Removed from the waitlist",
    }
}

/// What the family reads after joining a queue: «Ребёнок в очереди, место 3.»
pub fn queued_at(position: Option<u32>) -> String {
    match (lang(), position) {
        (Lang::Ru, Some(n)) => format!("Ребёнок в очереди, место {n}."),
        (Lang::Ru, None) => "Ребёнок в очереди.".to_owned(),
        (Lang::En, Some(n)) => format!("The child is on the waitlist, place {n}."),
        (Lang::En, None) => "The child is on the waitlist.".to_owned(),
    }
}

/// The Russian plural of a count: `one` for 1, 21…; `few` for 2–4, 22–24…; `many` otherwise.
fn ru_plural(n: usize, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    }
}

/// «Стоимость за 7 месяцев», "Cost of 7 months".
pub fn cost_of_months(n: usize) -> String {
    match lang() {
        Lang::Ru => format!(
            "Стоимость за {n} {}",
            ru_plural(n, "месяц", "месяца", "месяцев")
        ),
        Lang::En if n == 1 => "Cost of 1 month".to_owned(),
        Lang::En => format!("Cost of {n} months"),
    }
}

/// «Посещено 3 из 4 отмеченных занятий».
pub fn lessons_attended(attended: usize, marked: usize) -> String {
    match lang() {
        Lang::Ru => {
            // After «из» the noun is genitive: singular for 1, 21…, plural otherwise.
            let lessons = ru_plural(
                marked,
                "отмеченного занятия",
                "отмеченных занятий",
                "отмеченных занятий",
            );
            format!("Посещено {attended} из {marked} {lessons}")
        }
        Lang::En => format!("Attended {attended} of {marked} marked lessons"),
    }
}

/// What the attendance sheet confirms after a mark.
pub fn marked(day: &str, present: bool) -> String {
    match (lang(), present) {
        (Lang::Ru, true) => format!("Отмечено: {day}, был на занятии."),
        (Lang::Ru, false) => format!("Отмечено: {day}, не был."),
        (Lang::En, true) => format!("Marked: {day}, present."),
        (Lang::En, false) => format!("Marked: {day}, absent."),
    }
}

pub fn application_submitted(child: &str, group: &str) -> String {
    match lang() {
        Lang::Ru => format!(
            "Заявка отправлена: {child}, «{group}». Организация рассмотрит её и примет или \
             объяснит отказ; средства сертификата резервируются при зачислении."
        ),
        Lang::En => format!(
            "Application sent: {child}, “{group}”. The provider will accept it or explain a \
             refusal; the certificate's money is reserved on enrollment."
        ),
    }
}

pub fn invoice_issued(month: &str) -> String {
    match lang() {
        Lang::Ru => format!("Счёт за {month} выставлен и ждёт проверки муниципалитетом."),
        Lang::En => format!("The invoice for {month} is issued and waits for the municipality."),
    }
}

/// The note of a quote when applying switches the certificate to financing.
pub fn switches_to_financing(available: &str) -> String {
    match lang() {
        Lang::Ru => format!(
            "С этой заявкой сертификат персонального учёта станет сертификатом \
             персонифицированного финансирования: для оплаты будет доступно {available}."
        ),
        Lang::En => format!(
            "With this application the certificate of personal accounting becomes a certificate \
             of personalized financing: {available} will be available to pay with."
        ),
    }
}

/// Translates a problem `code` of the API into words for a parent. `None` for codes this page
/// has no words for: the caller falls back on the HTTP status. Every code of the domain's
/// `Refusal::code()` has its words (a test checks it).
pub fn problem_code(code: &str) -> Option<Key> {
    Some(match code {
        "invalid_credentials" => Key::ErrInvalidCredentials,
        "email_taken" => Key::ErrEmailTaken,
        "validation_failed" => Key::ErrValidation,
        "too_many_attempts" => Key::ErrRateLimited,
        "not_found" => Key::ErrNotFound,
        "forbidden" => Key::ErrForbidden,
        "unauthorized" | "invalid_token" => Key::ErrUnauthorized,
        "refresh_token_reused" => Key::SessionExpired,
        "idempotency_in_progress" => Key::ErrInProgress,
        "internal" => Key::ErrServer,
        // The domain's refusals.
        "certificate_exists" => Key::ErrCertificateExists,
        "snils_taken" => Key::ErrSnilsTaken,
        "certificate_not_usable" => Key::ErrCertificateNotUsable,
        "certificate_expired" => Key::ErrCertificateExpired,
        "certificate_transition_not_allowed" => Key::ErrCertificateTransition,
        "quota_exhausted" => Key::ErrQuotaExhausted,
        "budget_exhausted" => Key::ErrBudgetExhausted,
        "no_open_period" => Key::ErrNoOpenPeriod,
        "enrollment_closed" => Key::ErrEnrollmentClosed,
        "test_mode" => Key::ErrTestMode,
        "program_not_published" => Key::ErrProgramNotPublished,
        "group_not_open" => Key::ErrGroupNotOpen,
        "no_seats" => Key::ErrNoSeats,
        "age_mismatch" => Key::ErrAgeMismatch,
        "already_enrolled" => Key::ErrAlreadyEnrolled,
        "other_municipality" => Key::ErrOtherMunicipality,
        "application_transition_not_allowed" => Key::ErrApplicationTransition,
        "nothing_to_reserve" => Key::ErrNothingToReserve,
        "month_already_invoiced" => Key::ErrMonthAlreadyInvoiced,
        "month_outside_contract" => Key::ErrMonthOutsideContract,
        "month_not_started" => Key::ErrMonthNotStarted,
        "no_certificate" => Key::ErrNoCertificate,
        "enrollment_not_active" => Key::ErrEnrollmentNotActive,
        "rollover_pending" => Key::ErrRolloverPending,
        "program_transition_not_allowed" => Key::ErrProgramTransition,
        "program_not_editable" => Key::ErrProgramNotEditable,
        "no_attendance_reason_required" => Key::ErrNoAttendanceReasonRequired,
        "invoice_transition_not_allowed" => Key::ErrInvoiceTransition,
        "lesson_outside_group" => Key::ErrLessonOutsideGroup,
        "attendance_not_allowed" => Key::ErrAttendanceNotAllowed,
        "insufficient_balance" => Key::ErrInsufficientBalance,
        "review_not_allowed" => Key::ErrReviewNotAllowed,
        "review_exists" => Key::ErrReviewExists,
        "review_already_answered" => Key::ErrReviewAlreadyAnswered,
        "seats_available" => Key::ErrSeatsAvailable,
        "already_queued" => Key::ErrAlreadyQueued,
        "waitlist_transition_not_allowed" => Key::ErrWaitlistTransition,
        "offer_expired" => Key::ErrOfferExpired,
        "consent_invalid" => Key::ErrConsentInvalid,
        "precondition_failed" => Key::ChangedElsewhere,
        "invitation_unknown" => Key::ErrNotFound,
        "invitation_used" => Key::ErrInvitationUsed,
        "invitation_expired" => Key::ErrInvitationExpired,
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
        "required" => Key::ErrRequired,
        _ => Key::ErrFieldInvalid,
    }
}

/// Sets the language of the tests' thread: the tables are checked in a known language.
#[cfg(test)]
pub fn set_for_tests(new: Lang) {
    LANG.with(|cell| cell.set(Some(new)));
}

#[cfg(test)]
mod tests {
    use navigator_domain::Refusal;

    use super::*;

    #[test]
    fn russian_ages_agree_with_the_last_number() {
        set_for_tests(Lang::Ru);
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

    /// Every refusal of the domain, one of each kind. The `match` fails to compile when a new
    /// kind is added, so that its words are not forgotten here.
    fn every_refusal() -> Vec<Refusal> {
        let day = chrono::NaiveDate::default();
        let all = vec![
            Refusal::CertificateExists,
            Refusal::SnilsTaken,
            Refusal::CertificateNotUsable { status: "pending" },
            Refusal::CertificateExpired { valid_until: day },
            Refusal::CertificateTransition { from: "a", to: "b" },
            Refusal::QuotaExhausted,
            Refusal::BudgetExhausted,
            Refusal::NoOpenPeriod,
            Refusal::EnrollmentClosed {
                opens: day,
                closes: day,
            },
            Refusal::TestMode,
            Refusal::ProgramNotPublished,
            Refusal::GroupNotOpen,
            Refusal::NoSeats,
            Refusal::AgeMismatch {
                age: 4,
                age_from: 7,
                age_to: 10,
            },
            Refusal::AlreadyEnrolled,
            Refusal::OtherMunicipality,
            Refusal::ApplicationTransition { from: "a", to: "b" },
            Refusal::NothingToReserve,
            Refusal::MonthAlreadyInvoiced { month: "m".into() },
            Refusal::MonthOutsideContract { month: "m".into() },
            Refusal::MonthNotStarted { month: "m".into() },
            Refusal::NoCertificate,
            Refusal::EnrollmentNotActive,
            Refusal::RolloverPending,
            Refusal::ProgramTransition {
                from: "a",
                action: "b",
            },
            Refusal::ProgramNotEditable,
            Refusal::NoAttendanceReasonRequired { month: "m".into() },
            Refusal::InvoiceTransition {
                status: "a",
                action: "b",
            },
            Refusal::LessonOutsideGroup,
            Refusal::AttendanceNotAllowed,
            Refusal::InsufficientBalance,
            Refusal::ReviewNotAllowed,
            Refusal::ReviewExists,
            Refusal::ReviewAlreadyAnswered,
            Refusal::SeatsAvailable,
            Refusal::AlreadyQueued,
            Refusal::WaitlistTransition { from: "a", to: "b" },
            Refusal::OfferExpired {
                at: chrono::DateTime::UNIX_EPOCH,
            },
            Refusal::ConsentInvalid,
        ];
        for refusal in &all {
            match refusal {
                Refusal::CertificateExists
                | Refusal::SnilsTaken
                | Refusal::CertificateNotUsable { .. }
                | Refusal::CertificateExpired { .. }
                | Refusal::CertificateTransition { .. }
                | Refusal::QuotaExhausted
                | Refusal::BudgetExhausted
                | Refusal::NoOpenPeriod
                | Refusal::EnrollmentClosed { .. }
                | Refusal::TestMode
                | Refusal::ProgramNotPublished
                | Refusal::GroupNotOpen
                | Refusal::NoSeats
                | Refusal::AgeMismatch { .. }
                | Refusal::AlreadyEnrolled
                | Refusal::OtherMunicipality
                | Refusal::ApplicationTransition { .. }
                | Refusal::NothingToReserve
                | Refusal::MonthAlreadyInvoiced { .. }
                | Refusal::MonthOutsideContract { .. }
                | Refusal::MonthNotStarted { .. }
                | Refusal::NoCertificate
                | Refusal::EnrollmentNotActive
                | Refusal::RolloverPending
                | Refusal::ProgramTransition { .. }
                | Refusal::ProgramNotEditable
                | Refusal::NoAttendanceReasonRequired { .. }
                | Refusal::InvoiceTransition { .. }
                | Refusal::LessonOutsideGroup
                | Refusal::AttendanceNotAllowed
                | Refusal::InsufficientBalance
                | Refusal::ReviewNotAllowed
                | Refusal::ReviewExists
                | Refusal::ReviewAlreadyAnswered
                | Refusal::SeatsAvailable
                | Refusal::AlreadyQueued
                | Refusal::WaitlistTransition { .. }
                | Refusal::OfferExpired { .. }
                | Refusal::ConsentInvalid => {}
            }
        }
        all
    }

    #[test]
    fn every_refusal_has_words_for_a_parent() {
        set_for_tests(Lang::Ru);
        for refusal in every_refusal() {
            let key = problem_code(refusal.code())
                .unwrap_or_else(|| panic!("no words for the refusal `{}`", refusal.code()));
            assert_ne!(ru(key), en(key), "{}", refusal.code());
        }
    }

    #[test]
    fn russian_counts_agree_with_their_nouns() {
        set_for_tests(Lang::Ru);
        assert_eq!(cost_of_months(1), "Стоимость за 1 месяц");
        assert_eq!(cost_of_months(3), "Стоимость за 3 месяца");
        assert_eq!(cost_of_months(7), "Стоимость за 7 месяцев");
        assert_eq!(cost_of_months(11), "Стоимость за 11 месяцев");
        assert_eq!(cost_of_months(12), "Стоимость за 12 месяцев");
        assert_eq!(cost_of_months(22), "Стоимость за 22 месяца");
        assert_eq!(
            lessons_attended(1, 1),
            "Посещено 1 из 1 отмеченного занятия"
        );
        assert_eq!(lessons_attended(3, 4), "Посещено 3 из 4 отмеченных занятий");
        assert_eq!(
            lessons_attended(10, 11),
            "Посещено 10 из 11 отмеченных занятий"
        );
    }

    #[test]
    fn russian_ratings_and_counts_read_naturally() {
        set_for_tests(Lang::Ru);
        assert_eq!(decimal("4.5"), "4,5");
        assert_eq!(rating_summary("4,5", 1), "★ 4,5 из 5 · 1 отзыв");
        assert_eq!(rating_summary("4,0", 3), "★ 4,0 из 5 · 3 отзыва");
        assert_eq!(rating_summary("3,9", 11), "★ 3,9 из 5 · 11 отзывов");
        assert_eq!(programs_found(1), "Найдена 1 программа");
        assert_eq!(programs_found(21), "Найдена 21 программа");
        assert_eq!(programs_found(3), "Найдено 3 программы");
        assert_eq!(programs_found(0), "Найдено 0 программ");
        assert_eq!(
            applications_last_days(30),
            "Заявки по дням за последние 30 дней"
        );
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
