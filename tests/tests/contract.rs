//! The committed OpenAPI document keeps the API's conventions, and the contract check of the API
//! tests really reads it: a body that breaks a documented schema is caught.

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;
use uuid::Uuid;

use navigator_api_types::{Certificate, CertificateStatus, Money};
use navigator_tests::contract::{openapi_path, Contract};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

fn document() -> Value {
    let text = std::fs::read_to_string(openapi_path())
        .unwrap_or_else(|e| panic!("openapi/openapi.json: {e}; generate it with `just openapi`"));
    serde_json::from_str(&text).expect("openapi/openapi.json is JSON")
}

/// Every operation of the document: (method, path, operation).
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let paths = document["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |method| {
                item.get(*method)
                    .map(|op| (method.to_uppercase(), path.clone(), op.clone()))
            })
        })
        .collect()
}

#[test]
fn every_operation_has_a_unique_snake_case_id_and_a_tag() {
    let document = document();
    let mut ids = Vec::new();
    for (method, path, op) in operations(&document) {
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        assert!(
            !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{method} {path}: operationId {id:?} is not snake_case"
        );
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{method} {path}: no tag"
        );
        ids.push(id);
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operationIds repeat");
}

#[test]
fn every_error_response_is_documented_as_a_problem() {
    let document = document();
    for (method, path, op) in operations(&document) {
        let responses = op["responses"].as_object().expect("responses");
        for (status, response) in responses {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            let response = match response["$ref"].as_str() {
                Some(target) => document
                    .pointer(target.trim_start_matches('#'))
                    .unwrap_or_else(|| panic!("{method} {path} {status}: {target} is missing")),
                None => response,
            };
            let types: Vec<&String> = response["content"]
                .as_object()
                .map(|c| c.keys().collect())
                .unwrap_or_default();
            assert_eq!(
                types,
                ["application/problem+json"],
                "{method} {path} {status}"
            );
        }
    }
}

#[test]
fn the_contract_check_catches_a_body_that_breaks_the_documented_schema() {
    let contract = Contract::committed();
    let id = Uuid::new_v4();
    let certificate = Certificate {
        id,
        child_id: Uuid::new_v4(),
        child_name: "Петрова Анна".into(),
        number: "55-2026-000001".into(),
        status: CertificateStatus::Accounting,
        municipality_id: Uuid::new_v4(),
        valid_until: NaiveDate::from_ymd_opt(2034, 3, 31).expect("a date"),
        balance: Money::from_roubles(12_000),
        reserved: Money::ZERO,
        spent: Money::ZERO,
        period: None,
        nominal: None,
        issued_at: Utc
            .with_ymd_and_hms(2026, 9, 1, 10, 0, 0)
            .single()
            .expect("an instant"),
        activated_at: None,
    };
    let path = format!("/api/v1/certificates/{id}");
    let good = serde_json::to_value(&certificate).expect("serialises");
    let check = |body: &Value| {
        contract.check(
            "GET",
            &path,
            200,
            Some("application/json"),
            body.to_string().as_bytes(),
        )
    };
    assert_eq!(check(&good), Ok(()));

    let mut bad = good.clone();
    bad["balance"] = Value::from(12000);
    bad["status"] = Value::from("lost");
    let violation = check(&bad).expect_err("a number is not Money, `lost` not a status");
    assert!(violation
        .operation
        .contains("GET /api/v1/certificates/{id}"));
    assert!(
        violation.errors.iter().any(|e| e.starts_with("/balance")),
        "{violation}"
    );
    assert!(
        violation.errors.iter().any(|e| e.starts_with("/status")),
        "{violation}"
    );

    let mut incomplete = good;
    incomplete
        .as_object_mut()
        .expect("an object")
        .remove("number");
    assert!(check(&incomplete).is_err(), "`number` is required");
}
