//! OpenAPI schemas for the domain's values that travel as strings.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

fn string_schema(description: &str, pattern: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(Some(pattern))
        .examples([serde_json::Value::from(example)])
        .into()
}

impl utoipa::PartialSchema for crate::Money {
    fn schema() -> RefOr<Schema> {
        string_schema(
            "An amount of roubles as a decimal string. Answers always carry two digits of kopecks; \
             requests may give fewer.",
            r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$",
            "12500.00",
        )
    }
}

impl utoipa::ToSchema for crate::Money {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Money")
    }
}

impl utoipa::PartialSchema for crate::Month {
    fn schema() -> RefOr<Schema> {
        string_schema(
            "A calendar month, YYYY-MM.",
            r"^[0-9]{4}-(0[1-9]|1[0-2])$",
            "2026-09",
        )
    }
}

impl utoipa::ToSchema for crate::Month {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Month")
    }
}

impl utoipa::PartialSchema for crate::statistics::Percent {
    fn schema() -> RefOr<Schema> {
        string_schema(
            "A share in percent with two decimals, exact.",
            r"^[0-9]+\.[0-9]{2}$",
            "12.34",
        )
    }
}

impl utoipa::ToSchema for crate::statistics::Percent {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Percent")
    }
}
