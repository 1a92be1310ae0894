//! Fuzzing of every parser of text in the domain with arbitrary input (property tests): none
//! panics, and whatever one accepts prints back to a form that parses to the same value.
//!
//! The strategies mix arbitrary Unicode with strings shaped like the real input (digits, dashes,
//! dots, spaces), so that both the refusals and the deep branches of each parser are reached.

use std::str::FromStr;

use navigator_domain::application::ApplicationStatus;
use navigator_domain::certificate::CertificateStatus;
use navigator_domain::ledger::{AccountKind, PostingKind};
use navigator_domain::money::MAX_AMOUNT;
use navigator_domain::program::ProgramStatus;
use navigator_domain::search::{document, query_stems, stems};
use navigator_domain::{Money, Month, Snils};
use proptest::prelude::*;

/// Arbitrary text, or text made of the characters the parsers look at.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9.\\- +eE]{0,24}",
        "-?[0-9]{0,14}(\\.[0-9]{0,3})?",
        "[0-9]{3}-[0-9]{3}-[0-9]{3}[ -][0-9]{2}",
        "[0-9]{4}-[0-9]{1,3}",
        "[а-яёА-ЯЁa-zA-Z0-9 ,.!?«»—-]{0,60}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn money_parses_or_refuses_and_round_trips(input in text()) {
        if let Ok(money) = Money::from_str(&input) {
            prop_assert!(money.kopecks().abs() <= MAX_AMOUNT.kopecks());
            prop_assert_eq!(Money::from_str(&money.to_string()), Ok(money));
        }
        // The JSON form goes through the same parser.
        let _ = serde_json::from_value::<Money>(serde_json::Value::String(input));
    }

    #[test]
    fn every_amount_prints_in_a_form_that_parses_back(
        kopecks in -MAX_AMOUNT.kopecks()..=MAX_AMOUNT.kopecks()
    ) {
        let money = Money::from_kopecks(kopecks);
        let text = money.to_string();
        prop_assert!(text.split_once('.').is_some_and(|(_, k)| k.len() == 2), "{}", text);
        prop_assert_eq!(Money::from_str(&text), Ok(money));
    }

    #[test]
    fn months_parse_or_refuse_and_round_trip(input in text()) {
        if let Ok(month) = Month::from_str(&input) {
            prop_assert_eq!(month.to_string(), input.clone());
            prop_assert_eq!(Month::from_str(&month.to_string()), Ok(month));
        }
        let _ = serde_json::from_value::<Month>(serde_json::Value::String(input));
    }

    #[test]
    fn every_month_the_domain_makes_round_trips(year in -20_000i32..20_000, month in 0u32..=13) {
        if let Some(made) = Month::new(year, month) {
            prop_assert_eq!(Month::from_str(&made.to_string()), Ok(made));
        }
    }

    #[test]
    fn snils_parse_or_refuse_and_round_trip(input in text()) {
        if let Ok(snils) = Snils::parse(&input) {
            prop_assert_eq!(snils.digits().len(), 11);
            prop_assert_eq!(Snils::parse(&snils.to_string()), Ok(snils.clone()));
            prop_assert_eq!(Snils::parse(snils.digits()), Ok(snils.clone()));
            prop_assert!(snils.masked().ends_with(&snils.digits()[9..]));
        }
        let _ = serde_json::from_value::<Snils>(serde_json::Value::String(input));
    }

    #[test]
    fn generated_snils_pass_their_checksum(number in any::<u32>()) {
        let snils = Snils::from_number(number);
        prop_assert_eq!(Snils::parse(&snils.to_string()), Ok(snils));
    }

    #[test]
    fn search_documents_are_clean_and_a_text_finds_itself(input in text()) {
        let indexed = document(&input);
        prop_assert!(!indexed.contains("  ") && !indexed.starts_with(' ') && !indexed.ends_with(' '));
        let document_stems = stems(&input);
        let wanted = query_stems(&input);
        prop_assert!(wanted.len() <= 8);
        for stem in &wanted {
            prop_assert!(!stem.is_empty());
            // What the databases do: a query stem matches the document stems it begins.
            prop_assert!(
                document_stems.iter().any(|d| d.starts_with(stem.as_str())),
                "{} begins no stem of {}", stem, indexed
            );
        }
    }

    #[test]
    fn the_names_of_statuses_and_kinds_parse_or_refuse(input in text()) {
        if let Ok(status) = ApplicationStatus::from_str(&input) {
            prop_assert_eq!(status.as_str(), input.as_str());
        }
        if let Ok(status) = CertificateStatus::from_str(&input) {
            prop_assert_eq!(status.as_str(), input.as_str());
        }
        if let Some(kind) = AccountKind::parse(&input) {
            prop_assert_eq!(kind.as_str(), input.as_str());
        }
        if let Some(kind) = PostingKind::parse(&input) {
            prop_assert_eq!(kind.as_str(), input.as_str());
        }
        if let Some(status) = ProgramStatus::parse(&input) {
            prop_assert_eq!(status.as_str(), input.as_str());
        }
    }
}
