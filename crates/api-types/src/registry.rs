//! The registry of providers as operators and providers keep it: entries with their history,
//! invitations of providers' staff, and the registry files (CSV or XLSX) of providers, programs
//! and groups that operators import and export.
//!
//! A file's row is read into the same input the API takes ([`ProviderDraft`], [`ProgramDraft`],
//! [`GroupDraft`]) and checked by the same rules, so a program is valid the same way whether it
//! came by `POST` or in a spreadsheet. The columns are defined once here for both directions, so
//! that an exported file imports back unchanged. A file of either format is a
//! [`navigator_domain::import::Table`] of typed cells here: writers give money, dates and
//! numbers their types (for the workbook), readers accept what a person typing in Excel gives.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use navigator_domain::import::{format_yes_no, Cell, Row, RowError, Sheet, Table};

use crate::{
    Direction, Funding, GroupDraft, Level, Money, ProgramDraft, ProgramStatus, Role, StudyForm,
};

// ---------------------------------------------------------------------------------------------
// Providers

/// A provider's registry entry as an operator writes it (`POST /providers`), and as
/// `PUT /providers/{id}` replaces it. The rules (ИНН checksum and length by legal form, phone,
/// email, licence, coordinates) are the domain's; the answer names every field that breaks one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderDraft {
    pub municipality_id: Uuid,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Дом детского творчества «Созвездие»")
    )]
    pub name: String,
    /// One of `МБУ ДО`, `МАУ ДО`, `МБОУ`, `АНО ДО`, `ООО`, `ИП`.
    #[cfg_attr(feature = "openapi", schema(example = "МБУ ДО"))]
    pub legal_form: String,
    /// ИНН: 10 digits for an organisation, 12 for an individual entrepreneur (`ИП`), with valid
    /// check digits.
    #[cfg_attr(feature = "openapi", schema(example = "7707083893"))]
    pub inn: String,
    pub address: String,
    #[cfg_attr(feature = "openapi", schema(example = "+7 (3812) 53-41-07"))]
    pub phone: String,
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(example = "Л035-01298-55/00194371"))]
    pub licence: String,
    pub licence_issued_on: Option<NaiveDate>,
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90, example = 54.98))]
    pub latitude: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180, example = 73.37))]
    pub longitude: Option<f64>,
}

/// A change of a provider's entry with its reason. The provider's own staff change the contacts,
/// the address, the coordinates and the licence; the name, the legal form, the ИНН and the
/// municipality are the operators' (`not_editable` otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderUpdate {
    pub provider: ProviderDraft,
    #[validate(length(min = 1, max = 500, code = "length"))]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 500, example = "новый телефон приёмной")
    )]
    pub reason: String,
}

/// One field's change, as text: `null` when the field was or became empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A recorded change of a provider's entry: who, when, what and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderEvent {
    pub at: DateTime<Utc>,
    /// `create`, `update` or `import`.
    pub action: String,
    pub actor_id: Uuid,
    pub actor_role: Role,
    pub changes: Vec<FieldChange>,
    pub reason: String,
}

// ---------------------------------------------------------------------------------------------
// Invitations

/// An operator or the provider's staff invite a new staff member by email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateInvitationRequest {
    #[validate(email(code = "email_invalid"), length(max = 254, code = "too_long"))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 254, example = "teacher@ddt.example")
    )]
    pub email: String,
    #[validate(length(min = 2, max = 200, code = "length"))]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 2, max_length = 200, example = "Петрова Анна Сергеевна")
    )]
    pub full_name: String,
}

/// An invitation waiting to be accepted. Its token is only in the letter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: Uuid,
    pub provider_id: Uuid,
    pub email: String,
    pub full_name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The invited person sets a password: the account is created and signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitationRequest {
    /// The token from the letter's link (`/invitation#<token>`).
    #[validate(length(min = 1, max = 256, code = "length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub token: String,
    /// At least 10 characters, as at registration.
    #[validate(length(min = 10, max = 128, code = "password_too_weak"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub password: String,
}

// ---------------------------------------------------------------------------------------------
// Registry files

/// What a registry file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistryKind {
    Providers,
    Programs,
    Groups,
}

impl RegistryKind {
    pub const ALL: [RegistryKind; 3] = [
        RegistryKind::Providers,
        RegistryKind::Programs,
        RegistryKind::Groups,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistryKind::Providers => "providers",
            RegistryKind::Programs => "programs",
            RegistryKind::Groups => "groups",
        }
    }

    pub fn parse(s: &str) -> Option<RegistryKind> {
        RegistryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The header row of the kind's files.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            RegistryKind::Providers => PROVIDER_COLUMNS,
            RegistryKind::Programs => PROGRAM_COLUMNS,
            RegistryKind::Groups => GROUP_COLUMNS,
        }
    }
}

/// A bad cell of an imported file. Row 1 is the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowError {
    pub row: u32,
    /// The column's header; empty for the whole row.
    pub column: String,
    pub code: String,
    /// In Russian.
    pub message: String,
}

impl From<RowError> for ImportRowError {
    fn from(e: RowError) -> ImportRowError {
        ImportRowError {
            row: e.row,
            column: e.column,
            code: e.code.to_string(),
            message: e.message,
        }
    }
}

/// What an import did, or, with `errors`, why it wrote nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub kind: RegistryKind,
    /// Data rows in the file (the header not counted).
    pub rows_read: u64,
    pub created: u64,
    /// Rows that matched an existing entry by its key and changed it.
    pub updated: u64,
    /// Rows that matched an existing entry and hold what it holds already.
    pub unchanged: u64,
    /// Every bad cell, in row order; empty when the file was imported.
    pub errors: Vec<ImportRowError>,
}

impl ImportReport {
    /// The report of a file that could not be read into rows (a CSV quote never closed).
    pub fn unread(kind: RegistryKind, errors: Vec<RowError>) -> ImportReport {
        ImportReport {
            kind,
            rows_read: 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            errors: errors.into_iter().map(Into::into).collect(),
        }
    }
}

/// `422 import_rejected`: the problem with the whole report. Nothing was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// `import_rejected`.
    pub code: String,
    pub report: ImportReport,
}

pub const PROVIDER_COLUMNS: &[&str] = &[
    "муниципалитет",
    "наименование",
    "ОПФ",
    "ИНН",
    "адрес",
    "телефон",
    "email",
    "лицензия",
    "дата лицензии",
    "широта",
    "долгота",
];

pub const PROGRAM_COLUMNS: &[&str] = &[
    "ИНН поставщика",
    "код программы",
    "название",
    "описание",
    "направленность",
    "возраст от",
    "возраст до",
    "уровень",
    "форма обучения",
    "финансирование",
    "цена в месяц",
    "часов в неделю",
    "месяцев",
    "медицинская справка",
    "адаптирована для ОВЗ",
    "адрес",
    "широта",
    "долгота",
    "статус",
];

pub const GROUP_COLUMNS: &[&str] = &[
    "ИНН поставщика",
    "код программы",
    "код группы",
    "название",
    "начало",
    "окончание",
    "расписание",
    "педагог",
    "мест",
    "набор открыт",
];

/// A provider's row: the municipality by its name, the rest as in [`ProviderDraft`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderRecord {
    pub row: u32,
    pub municipality: String,
    /// `municipality_id` is nil until the store resolves the name.
    pub draft: ProviderDraft,
}

/// A program's row. `key` names the program within its provider: the external key the file gave
/// it, or the id of a program created through the API. `status` is read on creation only.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramRecord {
    pub row: u32,
    pub provider_inn: String,
    pub key: String,
    pub draft: ProgramDraft,
    pub status: ProgramStatus,
}

/// A group's row: its program by the provider's ИНН and the program's key; `key` names the group
/// within its program as for programs.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRecord {
    pub row: u32,
    pub provider_inn: String,
    pub program_key: String,
    pub key: String,
    pub draft: GroupDraft,
}

/// What reading a file found: the rows that passed the file's own rules, and every bad cell of
/// the others. The store checks the good rows against the registry and adds its own errors, so
/// that one report names every bad row.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// Data rows in the file, good and bad.
    pub rows_read: u64,
    pub records: Vec<T>,
    pub errors: Vec<RowError>,
}

fn read_sheet<T>(
    table: &Table,
    kind: RegistryKind,
    mut read_row: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Parsed<T> {
    let sheet = match Sheet::new(table, kind.columns()) {
        Ok(sheet) => sheet,
        Err(errors) => {
            return Parsed {
                rows_read: 0,
                records: Vec::new(),
                errors,
            }
        }
    };
    let mut records = Vec::with_capacity(sheet.len());
    let mut errors = Vec::new();
    for mut row in sheet.rows() {
        let record = read_row(&mut row);
        let row_errors = row.take_errors();
        match record {
            Some(record) if row_errors.is_empty() => records.push(record),
            _ => errors.extend(row_errors),
        }
    }
    Parsed {
        rows_read: sheet.len() as u64,
        records,
        errors,
    }
}

/// Adds the `validator` errors of a draft to the row, by the columns the fields came from.
fn add_validation_errors(
    row: &mut Row<'_>,
    result: Result<(), ValidationErrors>,
    column: fn(&str) -> &'static str,
) {
    let Err(errors) = result else { return };
    let mut found: Vec<(&'static str, &'static str, String)> = Vec::new();
    for (field, kind) in errors.errors() {
        if let ValidationErrorsKind::Field(list) = kind {
            for error in list {
                let message = match (error.params.get("min"), error.params.get("max")) {
                    (Some(min), Some(max)) if error.code == "range" => {
                        format!("от {min} до {max}")
                    }
                    (Some(min), Some(max)) => format!("от {min} до {max} символов"),
                    _ => "недопустимое значение".to_string(),
                };
                let code = match error.code.as_ref() {
                    "range" => "range",
                    _ => "length",
                };
                found.push((column(field), code, message));
            }
        }
    }
    found.sort();
    for (column, code, message) in found {
        row.error(column, code, message);
    }
}

fn enum_cell<T: Copy>(
    row: &mut Row<'_>,
    column: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Option<T> {
    let known: Vec<&str> = all.iter().map(|v| name(*v)).collect();
    let what = format!("одно из значений: {}", known.join(", "));
    row.parsed(column, "unknown_value", &what, |cell| {
        all.iter().copied().find(|v| name(*v) == cell)
    })
}

/// Reads a providers file.
pub fn read_providers(table: &Table) -> Parsed<ProviderRecord> {
    read_sheet(table, RegistryKind::Providers, |row| {
        let licence_issued_on = row.optional_date("дата лицензии");
        let latitude = row.optional_decimal("широта");
        let longitude = row.optional_decimal("долгота");
        Some(ProviderRecord {
            row: row.number,
            municipality: row.text("муниципалитет"),
            draft: ProviderDraft {
                municipality_id: Uuid::nil(),
                name: row.text("наименование"),
                legal_form: row.text("ОПФ"),
                inn: row.inn("ИНН"),
                address: row.text("адрес"),
                phone: row.text("телефон"),
                email: row.text("email"),
                licence: row.text("лицензия"),
                licence_issued_on: licence_issued_on?,
                latitude: latitude?,
                longitude: longitude?,
            },
        })
    })
}

/// The column of a provider's field, for the domain's field errors.
pub fn provider_column(field: &str) -> &'static str {
    match field {
        "municipality_id" => "муниципалитет",
        "name" => "наименование",
        "legal_form" => "ОПФ",
        "inn" => "ИНН",
        "address" => "адрес",
        "phone" => "телефон",
        "email" => "email",
        "licence" => "лицензия",
        "licence_issued_on" => "дата лицензии",
        "latitude" => "широта",
        "longitude" => "долгота",
        _ => "",
    }
}

fn program_column(field: &str) -> &'static str {
    match field {
        "title" => "название",
        "description" => "описание",
        "age_from" => "возраст от",
        "age_to" => "возраст до",
        "price_per_month" => "цена в месяц",
        "hours_per_week" => "часов в неделю",
        "duration_months" => "месяцев",
        "address" => "адрес",
        "latitude" => "широта",
        "longitude" => "долгота",
        _ => "",
    }
}

fn group_column(field: &str) -> &'static str {
    match field {
        "name" => "название",
        "schedule" => "расписание",
        "teacher" => "педагог",
        "capacity" => "мест",
        _ => "",
    }
}

fn key_cell(row: &mut Row<'_>, column: &str) -> String {
    let key = row.text(column);
    if key.is_empty() || key.chars().count() > 100 {
        row.error(column, "length", "от 1 до 100 символов");
    }
    key
}

fn whole_in<T: TryFrom<i64>>(row: &mut Row<'_>, column: &str) -> Option<T> {
    let value = row.whole(column)?;
    match T::try_from(value) {
        Ok(value) => Some(value),
        Err(_) => {
            row.error(column, "range", "число вне допустимых пределов");
            None
        }
    }
}

/// Reads a programs file. A program's ages run upwards and its price is not negative.
pub fn read_programs(table: &Table) -> Parsed<ProgramRecord> {
    read_sheet(table, RegistryKind::Programs, |row| {
        let provider_inn = row.inn("ИНН поставщика");
        let key = key_cell(row, "код программы");
        let direction = enum_cell(row, "направленность", Direction::ALL, Direction::as_str);
        let age_from = whole_in::<u32>(row, "возраст от");
        let age_to = whole_in::<u32>(row, "возраст до");
        let level = enum_cell(row, "уровень", Level::ALL, Level::as_str);
        let form = enum_cell(row, "форма обучения", StudyForm::ALL, StudyForm::as_str);
        let funding = enum_cell(row, "финансирование", Funding::ALL, Funding::as_str);
        let price_per_month = row.money("цена в месяц");
        let hours_per_week = whole_in::<u32>(row, "часов в неделю");
        let duration_months = whole_in::<u32>(row, "месяцев");
        let medical = row.yes_no("медицинская справка");
        let adapted = row.yes_no("адаптирована для ОВЗ");
        let latitude = row.optional_decimal("широта");
        let longitude = row.optional_decimal("долгота");
        let status = enum_cell(
            row,
            "статус",
            &[
                ProgramStatus::Draft,
                ProgramStatus::OnModeration,
                ProgramStatus::Published,
                ProgramStatus::Archived,
            ],
            ProgramStatus::as_str,
        );
        if price_per_month.is_some_and(|p| p.is_negative()) {
            row.error("цена в месяц", "range", "цена не может быть отрицательной");
        }
        if let (Some(from), Some(to)) = (age_from, age_to) {
            if from > to {
                row.error(
                    "возраст до",
                    "invalid_ages",
                    "возраст «до» не меньше возраста «от»",
                );
            }
        }
        // Cells that did not parse stand in with valid values, so that the API's rules report
        // the other cells of the row too; the row is refused anyway.
        let parsed = direction.is_some()
            && age_from.is_some()
            && age_to.is_some()
            && level.is_some()
            && form.is_some()
            && funding.is_some()
            && price_per_month.is_some()
            && hours_per_week.is_some()
            && duration_months.is_some()
            && medical.is_some()
            && adapted.is_some()
            && latitude.is_some()
            && longitude.is_some()
            && status.is_some();
        let draft = ProgramDraft {
            title: row.text("название"),
            description: row.text("описание"),
            direction: direction.unwrap_or(Direction::Arts),
            age_from: age_from.unwrap_or(3),
            age_to: age_to.unwrap_or(18),
            level: level.unwrap_or(Level::Starting),
            form: form.unwrap_or(StudyForm::InPerson),
            funding: funding.unwrap_or(Funding::Budget),
            price_per_month: price_per_month.unwrap_or(Money::ZERO),
            hours_per_week: hours_per_week.unwrap_or(1),
            duration_months: duration_months.unwrap_or(1),
            medical_certificate_required: medical.unwrap_or(false),
            adapted_for_disabilities: adapted.unwrap_or(false),
            address: row.text("адрес"),
            latitude: latitude.flatten(),
            longitude: longitude.flatten(),
        };
        add_validation_errors(row, draft.validate(), program_column);
        parsed.then_some(ProgramRecord {
            row: row.number,
            provider_inn,
            key,
            draft,
            status: status.unwrap_or(ProgramStatus::Draft),
        })
    })
}

/// Reads a groups file. A group runs forward in time.
pub fn read_groups(table: &Table) -> Parsed<GroupRecord> {
    read_sheet(table, RegistryKind::Groups, |row| {
        let provider_inn = row.inn("ИНН поставщика");
        let program_key = row.text("код программы");
        let key = key_cell(row, "код группы");
        let start_date = row.date("начало");
        let end_date = row.date("окончание");
        let capacity = row.whole("мест");
        let open = row.yes_no("набор открыт");
        if let (Some(start), Some(end)) = (start_date, end_date) {
            if start > end {
                row.error(
                    "окончание",
                    "invalid_group",
                    "группа заканчивается не раньше начала",
                );
            }
        }
        let parsed =
            start_date.is_some() && end_date.is_some() && capacity.is_some() && open.is_some();
        let draft = GroupDraft {
            name: row.text("название"),
            start_date: start_date.unwrap_or_default(),
            end_date: end_date.unwrap_or_default(),
            schedule: row.text("расписание"),
            teacher: row.text("педагог"),
            capacity: capacity.unwrap_or(1),
            open: open.unwrap_or(false),
        };
        add_validation_errors(row, draft.validate(), group_column);
        parsed.then_some(GroupRecord {
            row: row.number,
            provider_inn,
            program_key,
            key,
            draft,
        })
    })
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn number(n: impl Into<f64>) -> Cell {
    Cell::Number(n.into())
}

fn decimal(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, Cell::Number)
}

/// Writes a providers file: codes and ИНН as text, dates as dates, coordinates as numbers.
pub fn write_providers<'a>(records: impl IntoIterator<Item = &'a ProviderRecord>) -> Table {
    let mut table = Table::with_header(PROVIDER_COLUMNS);
    for r in records {
        let d = &r.draft;
        table.push(vec![
            text(&r.municipality),
            text(&d.name),
            text(&d.legal_form),
            text(&d.inn),
            text(&d.address),
            text(&d.phone),
            text(&d.email),
            text(&d.licence),
            d.licence_issued_on.map_or(Cell::Empty, Cell::Date),
            decimal(d.latitude),
            decimal(d.longitude),
        ]);
    }
    table
}

/// Writes a programs file: money as money, whole numbers as numbers.
pub fn write_programs<'a>(records: impl IntoIterator<Item = &'a ProgramRecord>) -> Table {
    let mut table = Table::with_header(PROGRAM_COLUMNS);
    for r in records {
        let d = &r.draft;
        table.push(vec![
            text(&r.provider_inn),
            text(&r.key),
            text(&d.title),
            text(&d.description),
            text(d.direction.as_str()),
            number(d.age_from),
            number(d.age_to),
            text(d.level.as_str()),
            text(d.form.as_str()),
            text(d.funding.as_str()),
            Cell::Money(d.price_per_month),
            number(d.hours_per_week),
            number(d.duration_months),
            text(format_yes_no(d.medical_certificate_required)),
            text(format_yes_no(d.adapted_for_disabilities)),
            text(&d.address),
            decimal(d.latitude),
            decimal(d.longitude),
            text(r.status.as_str()),
        ]);
    }
    table
}

/// Writes a groups file: dates as dates, seats as a number.
pub fn write_groups<'a>(records: impl IntoIterator<Item = &'a GroupRecord>) -> Table {
    let mut table = Table::with_header(GROUP_COLUMNS);
    for r in records {
        let d = &r.draft;
        table.push(vec![
            text(&r.provider_inn),
            text(&r.program_key),
            text(&r.key),
            text(&d.name),
            Cell::Date(d.start_date),
            Cell::Date(d.end_date),
            text(&d.schedule),
            text(&d.teacher),
            number(d.capacity as f64),
            text(format_yes_no(d.open)),
        ]);
    }
    table
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use super::*;

    fn csv(text: &str) -> Table {
        Table::from_csv(text).unwrap()
    }

    fn program() -> ProgramRecord {
        ProgramRecord {
            row: 2,
            provider_inn: "7707083893".into(),
            key: "ШК-1".into(),
            draft: ProgramDraft {
                title: "Шахматы; начальный курс".into(),
                description: "Правила, дебюты и \"вилки\"\nдля начинающих".into(),
                direction: Direction::SocialHumanitarian,
                age_from: 7,
                age_to: 12,
                level: Level::Starting,
                form: StudyForm::InPerson,
                funding: Funding::Certificate,
                price_per_month: Money::from_kopecks(220_050),
                hours_per_week: 2,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                address: "г. Омск, ул. Ленина, 1".into(),
                latitude: Some(54.9885),
                longitude: Some(73.3242),
            },
            status: ProgramStatus::Published,
        }
    }

    #[test]
    fn programs_read_back_as_written() {
        let written = write_programs([&program()]).to_csv();
        let parsed = read_programs(&csv(&written));
        assert_eq!(parsed.rows_read, 1);
        assert_eq!(parsed.records, [program()]);
        assert_eq!(parsed.errors, []);
    }

    #[test]
    fn every_bad_cell_of_every_row_is_reported() {
        let mut text = write_programs([&program()]).to_csv();
        text.push_str(
            "7707083893;;Ш;описание программы;chess;12;7;starting;in_person;certificate;\
             -5;2;9;нет;может быть;г. Омск;;;published\r\n",
        );
        let mut one_line = program();
        one_line.draft.description = "Правила и дебюты для начинающих".into();
        let row = write_programs([&one_line]).to_csv();
        text.push_str(
            row.lines()
                .nth(1)
                .unwrap()
                .replace("2200,50", "много")
                .as_str(),
        );
        text.push_str("\r\n");
        let parsed = read_programs(&csv(&text));
        assert_eq!(parsed.rows_read, 3);
        assert_eq!(parsed.records, [program()]);
        let errors: Vec<_> = parsed
            .errors
            .into_iter()
            .map(|e| (e.row, e.column, e.code))
            .collect();
        let expected = [
            (3, "код программы", "length"),
            (3, "направленность", "unknown_value"),
            (3, "адаптирована для ОВЗ", "yes_no"),
            (3, "цена в месяц", "range"),
            (3, "возраст до", "invalid_ages"),
            (3, "название", "length"),
            (4, "цена в месяц", "money"),
        ];
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(row, column, code)| (row, column.to_string(), code))
            .collect();
        assert_eq!(errors, expected);
    }

    #[test]
    fn the_validator_rules_of_the_api_apply_to_rows() {
        let mut short = program();
        short.draft.title = "Ш".into();
        let errors = read_programs(&write_programs([&short])).errors;
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].column.as_str(), errors[0].code),
            ("название", "length")
        );
    }
}
