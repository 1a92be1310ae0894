//! Fuzzing of the request parsers: arbitrary bytes and arbitrary JSON values, shaped by each
//! operation's request schema, posted to every POST and PUT operation of `openapi/openapi.json`
//! as a guest and as each role. No answer may be a 5xx, a dropped connection or anything the
//! document does not list (the harness checks every response against it), and the ledger still
//! balances afterwards. Deterministic: the same seed sends the same requests.

use futures_util::FutureExt;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use navigator_api_types::Role;
use navigator_tests::contract::openapi_path;
use navigator_tests::TestApp;

navigator_tests::on_both_backends!(arbitrary_bodies_never_break_the_server);

/// Requests per operation and caller.
const CASES: usize = 20;
const SEED: u64 = 0x6e61_7669_6761_746f;

/// SplitMix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Strings that parsers trip over.
const NASTY_STRINGS: &[&str] = &[
    "",
    " ",
    "null",
    "0",
    "-1",
    "9223372036854775808",
    "1e309",
    "12500.005",
    "-0.00",
    "2026-13",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "'; DROP TABLE children; --",
    "\u{0}",
    "\u{202e}evil",
    "ёЁйЙ",
    "👨‍👩‍👧‍👦",
    "%00%ff",
    "<script>alert(1)</script>",
    "112-233-445 95",
    "\\",
    "\"",
];

fn arbitrary_string(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => (*rng.pick(NASTY_STRINGS)).to_string(),
        1 => "я".repeat(rng.below(3000)),
        2 => Uuid::from_u64_pair(rng.next(), rng.next()).to_string(),
        _ => (0..rng.below(40))
            .filter_map(|_| char::from_u32((rng.next() % 0x11_0000) as u32))
            .collect(),
    }
}

fn arbitrary_number(rng: &mut Rng) -> Value {
    match rng.below(5) {
        0 => json!(rng.next() as i64),
        1 => json!(rng.below(200) as i64 - 100),
        2 => json!(f64::from_bits(rng.next() & 0x7fef_ffff_ffff_ffff)),
        3 => json!(u64::MAX),
        _ => json!(0.5),
    }
}

/// Any JSON value, nested up to `depth`.
fn arbitrary_value(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth == 0 { 4 } else { 6 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => arbitrary_number(rng),
        3 => Value::String(arbitrary_string(rng)),
        4 => Value::Array(
            (0..rng.below(4))
                .map(|_| arbitrary_value(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(4))
                .map(|_| (arbitrary_string(rng), arbitrary_value(rng, depth - 1)))
                .collect(),
        ),
    }
}

/// A value for one property of a schema: often of the right type (an enum's member, a string,
/// an integer), sometimes anything at all.
fn property_value(rng: &mut Rng, schema: &Value, document: &Value) -> Value {
    let schema = resolve(schema, document);
    if rng.below(4) == 0 {
        return arbitrary_value(rng, 2);
    }
    if let Some(members) = schema["enum"].as_array().filter(|m| !m.is_empty()) {
        return rng.pick(members).clone();
    }
    let kind = match &schema["type"] {
        Value::String(kind) => kind.clone(),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("string")
            .to_string(),
        _ => "string".to_string(),
    };
    match kind.as_str() {
        "integer" | "number" => arbitrary_number(rng),
        "boolean" => Value::Bool(rng.below(2) == 0),
        "array" => Value::Array(vec![arbitrary_value(rng, 1)]),
        "object" => arbitrary_value(rng, 2),
        _ => Value::String(arbitrary_string(rng)),
    }
}

fn resolve<'a>(schema: &'a Value, document: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => document
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or(schema),
        None => schema,
    }
}

/// A body shaped like the operation's request schema: its properties, some missing, some of the
/// wrong type, some extra.
fn shaped_body(rng: &mut Rng, schema: &Value, document: &Value) -> Value {
    let schema = resolve(schema, document);
    let mut body = Map::new();
    if let Some(properties) = schema["properties"].as_object() {
        for (name, property) in properties {
            if rng.below(6) != 0 {
                body.insert(name.clone(), property_value(rng, property, document));
            }
        }
    }
    if rng.below(5) == 0 {
        body.insert(arbitrary_string(rng), arbitrary_value(rng, 1));
    }
    Value::Object(body)
}

/// A header value HTTP can carry (visible ASCII), shaped like keys and ETags or not at all.
fn header_value(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => Uuid::from_u64_pair(rng.next(), rng.next()).to_string(),
        1 => format!("\"v{}\"", rng.next() as i64),
        2 => "W/\"v1\"".to_string(),
        3 => "*".to_string(),
        4 => "k".repeat(rng.below(400)),
        _ => (0..rng.below(40))
            .map(|_| char::from(b' ' + (rng.next() % 95) as u8))
            .collect(),
    }
}

/// Arbitrary bytes: random, truncated JSON, or JSON in another encoding.
fn arbitrary_bytes(rng: &mut Rng) -> Vec<u8> {
    match rng.below(4) {
        0 => (0..rng.below(200)).map(|_| rng.next() as u8).collect(),
        1 => {
            let text = arbitrary_value(rng, 3).to_string();
            let cut = rng.below(text.len() + 1);
            text.as_bytes()[..cut].to_vec()
        }
        2 => b"{\"a\":".repeat(rng.below(2000) + 1),
        _ => "{\"reason\": \"проверка\"}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect(),
    }
}

async fn arbitrary_bodies_never_break_the_server(app: &TestApp) {
    let text = std::fs::read_to_string(openapi_path())
        .unwrap_or_else(|e| panic!("reading the document: {e}"));
    let document: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("the document is not JSON: {e}"));
    let mut callers = vec![None];
    for role in [
        Role::Family,
        Role::ProviderStaff,
        Role::MunicipalOperator,
        Role::RegionalOperator,
    ] {
        callers.push(Some(app.demo_login(role).await));
    }

    let mut rng = Rng(SEED);
    let mut sent = 0;
    for (template, item) in document["paths"].as_object().into_iter().flatten() {
        for method in ["post", "put"] {
            let operation = &item[method];
            if operation.is_null() {
                continue;
            }
            let schema = operation
                .pointer("/requestBody/content/application~1json/schema")
                .cloned()
                .unwrap_or(Value::Null);
            for caller in &callers {
                for case in 0..CASES {
                    let id = match rng.below(3) {
                        0 => Uuid::nil().to_string(),
                        1 => Uuid::from_u64_pair(rng.next(), rng.next()).to_string(),
                        _ => "not-a-uuid".to_string(),
                    };
                    let path = template.trim_start_matches("/api/v1").replace("{id}", &id);
                    let http_method = match method {
                        "put" => reqwest::Method::PUT,
                        _ => reqwest::Method::POST,
                    };
                    let mut request = app.request(http_method, &path);
                    if let Some(token) = caller {
                        request = request.token(token);
                    }
                    if rng.below(4) == 0 {
                        request = request.header("Idempotency-Key", header_value(&mut rng));
                    }
                    if method == "put" {
                        request = request.header("If-Match", header_value(&mut rng));
                    }
                    let what = if case % 3 == 0 {
                        let bytes = arbitrary_bytes(&mut rng);
                        let shown = format!(
                            "{} bytes {:?}",
                            bytes.len(),
                            String::from_utf8_lossy(&bytes)
                        );
                        request = request.raw("application/json", bytes);
                        shown
                    } else {
                        let body = shaped_body(&mut rng, &schema, &document);
                        let shown = body.to_string();
                        request = request.json(&body);
                        shown
                    };
                    if let Err(panic) = std::panic::AssertUnwindSafe(request.send())
                        .catch_unwind()
                        .await
                    {
                        let message = panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        panic!(
                            "{} {path} as {}: {message}\nthe request's body: {}",
                            method.to_uppercase(),
                            if caller.is_some() {
                                "a role"
                            } else {
                                "a guest"
                            },
                            what.chars().take(500).collect::<String>()
                        );
                    }
                    sent += 1;
                }
            }
        }
    }
    assert!(sent > 1000, "only {sent} requests were sent");
    // The server still answers.
    app.get("/health").send().await;
}
