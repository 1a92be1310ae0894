//! The registry of providers (реестр поставщиков): what makes a provider's entry valid. The ИНН
//! with its check digits and its length by legal form, the closed list of legal forms, the licence
//! registry's number and date, the phone, the email and the coordinates of the address.
//!
//! Every check answers a [`FieldIssue`] with a stable code and a message in Russian, the words an
//! operator reads next to the field or the spreadsheet cell; the API, the import and the seed all
//! ask [`check_provider`], so a provider is valid the same way whichever door it came in by.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One field that breaks a rule: the field's name in the API, a stable snake_case code and a
/// message in Russian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: &'static str, code: &'static str, message: impl Into<String>) -> FieldIssue {
        FieldIssue {
            field,
            code,
            message: message.into(),
        }
    }
}

/// Организационно-правовая форма: the legal forms of the region's providers. Closed: a new form is
/// a decision of the registry, not a typo in a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LegalForm {
    /// Муниципальное бюджетное учреждение дополнительного образования.
    #[serde(rename = "МБУ ДО")]
    MunicipalBudgetary,
    /// Муниципальное автономное учреждение дополнительного образования.
    #[serde(rename = "МАУ ДО")]
    MunicipalAutonomous,
    /// Муниципальное бюджетное общеобразовательное учреждение (a school with clubs).
    #[serde(rename = "МБОУ")]
    MunicipalSchool,
    /// Автономная некоммерческая организация дополнительного образования.
    #[serde(rename = "АНО ДО")]
    NonProfit,
    /// Общество с ограниченной ответственностью.
    #[serde(rename = "ООО")]
    Company,
    /// Индивидуальный предприниматель: a person, with a twelve-digit ИНН.
    #[serde(rename = "ИП")]
    Entrepreneur,
}

impl LegalForm {
    pub const ALL: [LegalForm; 6] = [
        LegalForm::MunicipalBudgetary,
        LegalForm::MunicipalAutonomous,
        LegalForm::MunicipalSchool,
        LegalForm::NonProfit,
        LegalForm::Company,
        LegalForm::Entrepreneur,
    ];

    /// The abbreviation, as registries and documents write it.
    pub fn as_str(self) -> &'static str {
        match self {
            LegalForm::MunicipalBudgetary => "МБУ ДО",
            LegalForm::MunicipalAutonomous => "МАУ ДО",
            LegalForm::MunicipalSchool => "МБОУ",
            LegalForm::NonProfit => "АНО ДО",
            LegalForm::Company => "ООО",
            LegalForm::Entrepreneur => "ИП",
        }
    }

    /// The abbreviation, ignoring surrounding spaces and case.
    pub fn parse(input: &str) -> Option<LegalForm> {
        let wanted = input.trim().to_uppercase();
        LegalForm::ALL.into_iter().find(|f| f.as_str() == wanted)
    }

    /// The length of the ИНН of this form: twelve digits for a person, ten for an organisation.
    pub fn inn_length(self) -> usize {
        match self {
            LegalForm::Entrepreneur => 12,
            _ => 10,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ИНН

/// Weights of the ИНН check digits (order of the Federal Tax Service): each check digit is the
/// weighted sum of the digits before it, modulo 11, modulo 10. An organisation's ИНН has one check
/// digit after nine; an individual's (an ИП's) has two after ten.
const INN_WEIGHTS_10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_WEIGHTS_11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_WEIGHTS_12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

fn check_digit(digits: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    sum % 11 % 10
}

/// Completes an ИНН stem with its check digits: nine digits give an organisation's ten-digit ИНН,
/// ten digits an individual entrepreneur's twelve-digit one. `None` for anything else.
pub fn inn_with_check_digits(stem: &str) -> Option<String> {
    let mut digits: Vec<u32> = stem
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    let weights: &[&[u32]] = match digits.len() {
        9 => &[&INN_WEIGHTS_10],
        10 => &[&INN_WEIGHTS_11, &INN_WEIGHTS_12],
        _ => return None,
    };
    for weights in weights {
        digits.push(check_digit(&digits, weights));
    }
    digits
        .into_iter()
        .map(|d| char::from_digit(d, 10))
        .collect()
}

/// Whether an ИНН is ten or twelve ASCII digits whose check digits hold.
pub fn inn_is_valid(inn: &str) -> bool {
    let stem_len = match inn.len() {
        10 => 9,
        12 => 10,
        _ => return false,
    };
    inn.is_char_boundary(stem_len)
        && inn_with_check_digits(&inn[..stem_len]).is_some_and(|full| full == inn)
}

/// The ИНН of a provider of `form`: its digits, their number and the check digits.
pub fn check_inn(inn: &str, form: Option<LegalForm>) -> Result<(), FieldIssue> {
    if inn.is_empty() || !inn.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldIssue::new(
            "inn",
            "inn_format",
            "ИНН состоит только из цифр",
        ));
    }
    let expected = form.map(LegalForm::inn_length);
    match (inn.len(), expected) {
        (10 | 12, None) => {}
        (len, Some(expected)) if len == expected => {}
        (_, Some(12)) => {
            return Err(FieldIssue::new(
                "inn",
                "inn_length",
                "ИНН индивидуального предпринимателя — 12 цифр",
            ))
        }
        (_, Some(_)) => {
            return Err(FieldIssue::new(
                "inn",
                "inn_length",
                "ИНН организации — 10 цифр",
            ))
        }
        (_, None) => {
            return Err(FieldIssue::new(
                "inn",
                "inn_length",
                "ИНН — 10 цифр у организации или 12 у индивидуального предпринимателя",
            ))
        }
    }
    if inn_is_valid(inn) {
        Ok(())
    } else {
        Err(FieldIssue::new(
            "inn",
            "inn_checksum",
            "контрольные цифры ИНН не сходятся: проверьте номер",
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// The other fields

/// The number of an entry of the licence registry (реестр лицензий, since 2021):
/// `Л035-01298-55/00194371` — the kind of activity, the licensing body, the region and the
/// entry's number.
pub fn licence_number_is_valid(licence: &str) -> bool {
    let mut chars = licence.chars();
    if chars.next() != Some('Л') {
        return false;
    }
    let rest: String = chars.collect();
    let shape = [3, 5, 2, 8];
    let separators = ['-', '-', '/'];
    let mut parts = Vec::with_capacity(4);
    let mut current = String::new();
    let mut seps = Vec::with_capacity(3);
    for c in rest.chars() {
        if c.is_ascii_digit() {
            current.push(c);
        } else {
            parts.push(std::mem::take(&mut current));
            seps.push(c);
        }
    }
    parts.push(current);
    seps == separators && parts.iter().map(String::len).eq(shape)
}

/// A Russian phone number as people write it: `+7 (3812) 53-41-07`, `8 913 614-27-58`. Digits
/// with spaces, brackets and hyphens; eleven digits starting with 7 or 8 (the trunk prefix).
pub fn phone_is_valid(phone: &str) -> bool {
    let phone = phone.trim();
    let body = phone.strip_prefix('+').unwrap_or(phone);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-'))
    {
        return false;
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let plus = phone.starts_with('+');
    digits.len() == 11 && (digits.starts_with('7') || (!plus && digits.starts_with('8')))
}

/// An email address good enough to write to: one `@`, something before it, a domain with a dot
/// after it, no spaces.
pub fn email_is_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && email.len() <= 254
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-'))
        && domain.contains('.')
}

/// The first licences of the Russian Federation's education law date from 1992.
const FIRST_LICENCE_YEAR: i32 = 1992;

/// A provider's registry entry as its keepers write it, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderTerms<'a> {
    pub name: &'a str,
    pub legal_form: &'a str,
    pub inn: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub licence: &'a str,
    pub licence_issued_on: Option<NaiveDate>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

fn length(
    issues: &mut Vec<FieldIssue>,
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> bool {
    let chars = value.trim().chars().count();
    if (min..=max).contains(&chars) {
        true
    } else {
        issues.push(FieldIssue::new(
            field,
            "length",
            format!("от {min} до {max} символов"),
        ));
        false
    }
}

/// Every rule a provider's entry breaks, in the order of its fields; empty when it is valid.
/// `today` bounds the licence's date.
pub fn check_provider(terms: &ProviderTerms<'_>, today: NaiveDate) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    length(&mut issues, "name", terms.name, 3, 300);
    let form = LegalForm::parse(terms.legal_form);
    if form.is_none() {
        let known: Vec<&str> = LegalForm::ALL.iter().map(|f| f.as_str()).collect();
        issues.push(FieldIssue::new(
            "legal_form",
            "legal_form_unknown",
            format!("одна из форм: {}", known.join(", ")),
        ));
    }
    if let Err(issue) = check_inn(terms.inn, form) {
        issues.push(issue);
    }
    length(&mut issues, "address", terms.address, 5, 300);
    if !phone_is_valid(terms.phone) {
        issues.push(FieldIssue::new(
            "phone",
            "phone_format",
            "телефон из 11 цифр: +7 (3812) 53-41-07",
        ));
    }
    if !email_is_valid(terms.email) {
        issues.push(FieldIssue::new(
            "email",
            "email_invalid",
            "адрес электронной почты: info@example.ru",
        ));
    }
    if !licence_number_is_valid(terms.licence) {
        issues.push(FieldIssue::new(
            "licence",
            "licence_format",
            "номер записи реестра лицензий: Л035-01298-55/00194371",
        ));
    }
    if let Some(issued) = terms.licence_issued_on {
        let earliest = NaiveDate::from_ymd_opt(FIRST_LICENCE_YEAR, 1, 1);
        if issued > today || earliest.is_some_and(|e| issued < e) {
            issues.push(FieldIssue::new(
                "licence_issued_on",
                "licence_date",
                format!("дата лицензии — с {FIRST_LICENCE_YEAR} года и не позже сегодняшней"),
            ));
        }
    }
    issues.extend(check_coordinates(terms.latitude, terms.longitude));
    issues
}

/// The coordinates of an address: both or neither, the latitude within ±90°, the longitude within
/// ±180°.
pub fn check_coordinates(latitude: Option<f64>, longitude: Option<f64>) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    match (latitude, longitude) {
        (None, None) => {}
        (Some(lat), Some(lon)) => {
            if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
                issues.push(FieldIssue::new(
                    "latitude",
                    "range",
                    "широта — от −90 до 90 градусов",
                ));
            }
            if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
                issues.push(FieldIssue::new(
                    "longitude",
                    "range",
                    "долгота — от −180 до 180 градусов",
                ));
            }
        }
        (Some(_), None) => issues.push(FieldIssue::new(
            "longitude",
            "coordinates_incomplete",
            "укажите и широту, и долготу или ни одну из них",
        )),
        (None, Some(_)) => issues.push(FieldIssue::new(
            "latitude",
            "coordinates_incomplete",
            "укажите и широту, и долготу или ни одну из них",
        )),
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    fn terms() -> ProviderTerms<'static> {
        ProviderTerms {
            name: "Дом детского творчества «Созвездие»",
            legal_form: "МБУ ДО",
            inn: "7707083893",
            address: "г. Омск, ул. Лукашевича, д. 12",
            phone: "+7 (3812) 53-41-07",
            email: "info@ddt.example",
            licence: "Л035-01298-55/00194371",
            licence_issued_on: Some(d(2016, 3, 1)),
            latitude: Some(54.98),
            longitude: Some(73.37),
        }
    }

    fn codes(terms: &ProviderTerms<'_>) -> Vec<(&'static str, &'static str)> {
        check_provider(terms, d(2026, 9, 1))
            .into_iter()
            .map(|i| (i.field, i.code))
            .collect()
    }

    #[test]
    fn check_digits_match_real_numbers() {
        // ПАО Сбербанк and ООО «Яндекс»; the textbook example of an individual's ИНН.
        assert_eq!(
            inn_with_check_digits("770708389").as_deref(),
            Some("7707083893")
        );
        assert_eq!(
            inn_with_check_digits("773620754").as_deref(),
            Some("7736207543")
        );
        assert_eq!(
            inn_with_check_digits("5001007322").as_deref(),
            Some("500100732259")
        );
        assert!(inn_is_valid("7707083893"));
        assert!(inn_is_valid("500100732259"));
        assert!(!inn_is_valid("7707083894"));
        assert!(!inn_is_valid("500100732258"));
        for stem in [
            "",
            "77070838",
            "77070838931",
            "77070838a",
            "７７０７０８３８９",
        ] {
            assert_eq!(inn_with_check_digits(stem), None, "{stem:?}");
            assert!(!inn_is_valid(stem), "{stem:?}");
        }
    }

    #[test]
    fn the_inn_length_follows_the_legal_form() {
        assert_eq!(check_inn("7707083893", Some(LegalForm::Company)), Ok(()));
        assert_eq!(
            check_inn("7707083893", Some(LegalForm::Entrepreneur)).map_err(|i| i.code),
            Err("inn_length")
        );
        assert_eq!(
            check_inn("500100732259", Some(LegalForm::MunicipalBudgetary)).map_err(|i| i.code),
            Err("inn_length")
        );
        assert_eq!(check_inn("500100732259", None), Ok(()));
        assert_eq!(
            check_inn("7707083894", None).map_err(|i| i.code),
            Err("inn_checksum")
        );
        assert_eq!(
            check_inn("77070838 3", None).map_err(|i| i.code),
            Err("inn_format")
        );
    }

    #[test]
    fn legal_forms_are_a_closed_list() {
        for form in LegalForm::ALL {
            assert_eq!(LegalForm::parse(form.as_str()), Some(form));
        }
        assert_eq!(LegalForm::parse(" ооо "), Some(LegalForm::Company));
        assert_eq!(LegalForm::parse("ЗАО"), None);
    }

    #[test]
    fn a_valid_entry_has_no_issues() {
        assert_eq!(codes(&terms()), []);
        let without_optional = ProviderTerms {
            licence_issued_on: None,
            latitude: None,
            longitude: None,
            ..terms()
        };
        assert_eq!(codes(&without_optional), []);
    }

    #[test]
    fn every_broken_field_is_reported() {
        let broken = ProviderTerms {
            name: "Д",
            legal_form: "ЗАО",
            inn: "7707083894",
            address: "",
            phone: "53-41-07",
            email: "info at ddt",
            licence: "№ 123 от 2015",
            licence_issued_on: Some(d(2030, 1, 1)),
            latitude: Some(91.0),
            longitude: None,
        };
        assert_eq!(
            codes(&broken),
            [
                ("name", "length"),
                ("legal_form", "legal_form_unknown"),
                ("inn", "inn_checksum"),
                ("address", "length"),
                ("phone", "phone_format"),
                ("email", "email_invalid"),
                ("licence", "licence_format"),
                ("licence_issued_on", "licence_date"),
                ("longitude", "coordinates_incomplete"),
            ]
        );
    }

    #[test]
    fn phones_emails_licences_and_coordinates() {
        for ok in ["+7 (3812) 53-41-07", "8 913 614-27-58", "+79136142758"] {
            assert!(phone_is_valid(ok), "{ok}");
        }
        for bad in [
            "+8 913 614 27 58",
            "53-41-07",
            "+7 (3812) 53-41-07 доб. 2",
            "",
        ] {
            assert!(!phone_is_valid(bad), "{bad}");
        }
        assert!(email_is_valid("a.b@sub.example.ru"));
        for bad in ["@x.ru", "a@x", "a@@x.ru", "a b@x.ru", "a@.ru"] {
            assert!(!email_is_valid(bad), "{bad}");
        }
        assert!(licence_number_is_valid("Л035-01229-42/00186743"));
        for bad in [
            "L035-01229-42/00186743",
            "Л035-01229-42-00186743",
            "Л35-01229-42/00186743",
        ] {
            assert!(!licence_number_is_valid(bad), "{bad}");
        }
        assert!(check_coordinates(Some(-90.0), Some(180.0)).is_empty());
        assert_eq!(check_coordinates(Some(f64::NAN), Some(0.0)).len(), 1);
        assert_eq!(check_coordinates(Some(0.0), Some(-180.5)).len(), 1);
    }
}
