//! The API's contract: `openapi/openapi.json`, the document third-party developers code against.
//!
//! Every response a test receives goes through [`Contract::check`]: the operation must be
//! documented, the status must be one of its documented responses, the content type one of that
//! response's media types, and a JSON body must validate against the documented schema. OpenAPI 3.1
//! schemas are JSON Schema 2020-12, so each one is compiled as the root of a document that also
//! holds the spec's `components`, where its `$ref: #/components/schemas/X` resolve.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value};

/// Where the committed document lives, from this crate's manifest.
pub fn openapi_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("openapi")
        .join("openapi.json")
}

/// A response that breaks the contract: which operation, which status, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub operation: String,
    pub status: u16,
    pub errors: Vec<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response {} of {} breaks openapi/openapi.json:",
            self.status, self.operation
        )?;
        for error in &self.errors {
            write!(f, "\n  - {error}")?;
        }
        Ok(())
    }
}

/// One documented operation: its method and path template, split into segments for matching.
#[derive(Debug)]
struct Operation {
    method: String,
    /// The path template with the server's base path in front (`/api/v1/programs/{id}`), split.
    segments: Vec<Segment>,
    /// JSON pointer of the operation object inside the document.
    pointer: String,
    /// `operationId (POST /api/v1/children)`, for messages.
    label: String,
}

#[derive(Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter,
}

pub struct Contract {
    document: Value,
    operations: Vec<Operation>,
    /// Compiled schemas by their JSON pointer: compiling is far slower than validating.
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

impl fmt::Debug for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Contract")
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Contract {
    /// The committed document, read once per test binary. A missing or unreadable document fails
    /// the test that needs it, saying how to make one.
    pub fn committed() -> &'static Contract {
        static CONTRACT: OnceLock<Result<Contract, String>> = OnceLock::new();
        let loaded = CONTRACT.get_or_init(|| {
            let path = openapi_path();
            let text = std::fs::read_to_string(&path).map_err(|e| {
                format!(
                    "cannot read {}: {e}; generate it with `just openapi`",
                    path.display()
                )
            })?;
            Contract::parse(&text)
        });
        match loaded {
            Ok(contract) => contract,
            Err(message) => panic!("{message}"),
        }
    }

    /// Reads an OpenAPI 3.1 document.
    pub fn parse(text: &str) -> Result<Contract, String> {
        let document: Value = serde_json::from_str(text)
            .map_err(|e| format!("openapi/openapi.json is not JSON: {e}"))?;
        let base = base_path(&document);
        let paths = document
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("openapi/openapi.json has no `paths`")?;
        let mut operations = Vec::new();
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else {
                    continue;
                };
                let template = format!("{base}{path}");
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or("(no operationId)");
                operations.push(Operation {
                    method: method.to_ascii_uppercase(),
                    segments: segments(&template),
                    label: format!("{id} ({} {template})", method.to_ascii_uppercase()),
                    pointer: format!("/paths/{}/{method}", escape_pointer(path)),
                });
            }
        }
        Ok(Contract {
            document,
            operations,
            validators: Mutex::new(HashMap::new()),
        })
    }

    /// The label of the operation a request goes to, or why there is none.
    pub fn operation_label(&self, method: &str, path: &str) -> Result<String, String> {
        self.find(method, path).map(|op| op.label.clone())
    }

    /// Checks one response. `path` is the request's path (a query string is ignored), `body` the
    /// raw bytes received.
    pub fn check(
        &self,
        method: &str,
        path: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), Violation> {
        let operation = self.find(method, path).map_err(|e| Violation {
            operation: format!("{method} {path}"),
            status,
            errors: vec![e],
        })?;
        let errors = self.response_errors(operation, status, content_type, body);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Violation {
                operation: operation.label.clone(),
                status,
                errors,
            })
        }
    }

    fn find(&self, method: &str, path: &str) -> Result<&Operation, String> {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let wanted: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let method = method.to_ascii_uppercase();
        self.operations
            .iter()
            .filter(|op| op.method == method && matches(&op.segments, &wanted))
            // `/things/mine` beats `/things/{id}` when both are documented.
            .max_by_key(|op| {
                op.segments
                    .iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count()
            })
            .ok_or_else(|| format!("no operation is documented for {method} {path}"))
    }

    fn response_errors(
        &self,
        operation: &Operation,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Vec<String> {
        let mut errors = Vec::new();
        let media_type = content_type.map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or(ct)
                .trim()
                .to_ascii_lowercase()
        });
        let json_body = if body.is_empty() {
            None
        } else if media_type.as_deref().is_some_and(is_json) {
            match serde_json::from_slice::<Value>(body) {
                Ok(value) => Some(value),
                Err(e) => {
                    errors.push(format!("the body is not JSON: {e}"));
                    return errors;
                }
            }
        } else {
            None
        };

        if status >= 400 {
            problem_errors(
                status,
                media_type.as_deref(),
                json_body.as_ref(),
                &mut errors,
            );
        }

        let Some((response_pointer, response)) = self.documented_response(operation, status) else {
            let documented = self
                .document
                .pointer(&format!("{}/responses", operation.pointer))
                .and_then(Value::as_object)
                .map(|r| r.keys().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            errors.push(format!(
                "status {status} is not documented (documented: {documented})"
            ));
            return errors;
        };

        let content = response
            .get("content")
            .and_then(Value::as_object)
            .filter(|c| !c.is_empty());
        match (content, body.is_empty()) {
            (None, true) => {}
            (None, false) => errors.push(format!(
                "a body of {} came back but the response documents none",
                media_type.as_deref().unwrap_or("no content type")
            )),
            (Some(content), true) => errors.push(format!(
                "no body came back but the response documents {}",
                content.keys().cloned().collect::<Vec<_>>().join(", ")
            )),
            (Some(content), false) => {
                let Some(media_type) = media_type else {
                    errors.push("a body came back without a content type".into());
                    return errors;
                };
                let Some(documented) = content.get(&media_type) else {
                    errors.push(format!(
                        "content type {media_type} is not documented (documented: {})",
                        content.keys().cloned().collect::<Vec<_>>().join(", ")
                    ));
                    return errors;
                };
                if let (Some(value), Some(_)) = (&json_body, documented.get("schema")) {
                    let schema_pointer = format!(
                        "{response_pointer}/content/{}/schema",
                        escape_pointer(&media_type)
                    );
                    errors.extend(self.schema_errors(&schema_pointer, value));
                }
            }
        }
        errors
    }

    /// The response documented for a status: exact, then its range (`4XX`), then `default`.
    /// `$ref`s to `#/components/responses/…` are followed.
    fn documented_response(&self, operation: &Operation, status: u16) -> Option<(String, &Value)> {
        let responses = format!("{}/responses", operation.pointer);
        let keys = [
            status.to_string(),
            format!("{}XX", status / 100),
            "default".to_string(),
        ];
        let (mut pointer, mut response) = keys.iter().find_map(|key| {
            let pointer = format!("{responses}/{key}");
            self.document.pointer(&pointer).map(|r| (pointer, r))
        })?;
        // A reference may point at another reference; a handful of hops is plenty.
        for _ in 0..8 {
            let Some(target) = response.get("$ref").and_then(Value::as_str) else {
                break;
            };
            pointer = target.strip_prefix('#')?.to_string();
            response = self.document.pointer(&pointer)?;
        }
        Some((pointer, response))
    }

    fn schema_errors(&self, schema_pointer: &str, value: &Value) -> Vec<String> {
        let validator = match self.validator(schema_pointer) {
            Ok(validator) => validator,
            Err(e) => {
                return vec![format!(
                    "the schema at {schema_pointer} does not compile: {e}"
                )]
            }
        };
        validator
            .iter_errors(value)
            .map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() { "/".to_string() } else { at };
                format!("{at}: {e}")
            })
            .collect()
    }

    fn validator(&self, schema_pointer: &str) -> Result<Arc<jsonschema::Validator>, String> {
        let mut cache = self
            .validators
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(validator) = cache.get(schema_pointer) {
            return Ok(Arc::clone(validator));
        }
        let schema = self
            .document
            .pointer(schema_pointer)
            .ok_or("no schema there")?;
        let root = self.schema_root(schema);
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .build(&root)
            .map_err(|e| e.to_string())?;
        let validator = Arc::new(validator);
        cache.insert(schema_pointer.to_string(), Arc::clone(&validator));
        Ok(validator)
    }

    /// A schema as the root of a JSON Schema document that carries the spec's `components`.
    fn schema_root(&self, schema: &Value) -> Value {
        let mut root = match schema {
            Value::Object(map) => map.clone(),
            other => {
                let mut map = Map::new();
                map.insert("allOf".into(), Value::Array(vec![other.clone()]));
                map
            }
        };
        root.insert(
            "$schema".into(),
            Value::from("https://json-schema.org/draft/2020-12/schema"),
        );
        if let Some(components) = self.document.get("components") {
            root.entry("components")
                .or_insert_with(|| components.clone());
        }
        Value::Object(root)
    }
}

/// RFC 9457 and the API conventions: every error is `application/problem+json` with the HTTP
/// status repeated in `status` and a stable `code`.
fn problem_errors(
    status: u16,
    media_type: Option<&str>,
    body: Option<&Value>,
    errors: &mut Vec<String>,
) {
    if media_type != Some("application/problem+json") {
        errors.push(format!(
            "an error must be application/problem+json, not {}",
            media_type.unwrap_or("no content type")
        ));
        return;
    }
    let Some(body) = body else {
        errors.push("an error must carry a problem body".into());
        return;
    };
    if body.get("status").and_then(Value::as_u64) != Some(u64::from(status)) {
        errors.push(format!(
            "the problem's `status` must be {status}, found {}",
            body.get("status").unwrap_or(&Value::Null)
        ));
    }
    if !body.get("code").is_some_and(Value::is_string) {
        errors.push("the problem has no string `code`".into());
    }
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.ends_with("+json")
}

/// The path part of the first server's URL (`/`, `/api/v1` or `https://host/api/v1`), without a
/// trailing slash: what goes in front of every path of the document.
fn base_path(document: &Value) -> String {
    let url = document
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .unwrap_or("");
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    path.trim_end_matches('/').to_string()
}

fn segments(template: &str) -> Vec<Segment> {
    template
        .trim_end_matches('/')
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Parameter
            } else {
                Segment::Literal(s.to_string())
            }
        })
        .collect()
}

fn matches(template: &[Segment], path: &[&str]) -> bool {
    template.len() == path.len()
        && template.iter().zip(path).all(|(t, p)| match t {
            Segment::Literal(l) => l == p,
            Segment::Parameter => !p.is_empty(),
        })
}

/// RFC 6901: `~` and `/` inside a JSON pointer's token.
fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contract() -> Contract {
        let spec = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": "/"}],
            "paths": {
                "/api/v1/things/{id}": {
                    "get": {
                        "operationId": "get_thing",
                        "responses": {
                            "200": {"description": "ok", "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Thing"}}}},
                            "404": {"$ref": "#/components/responses/NotFound"}
                        }
                    }
                },
                "/api/v1/things/mine": {
                    "get": {"operationId": "get_my_things", "responses": {"204": {"description": "none"}}}
                }
            },
            "components": {
                "schemas": {
                    "Thing": {
                        "type": "object",
                        "required": ["id", "price"],
                        "properties": {
                            "id": {"type": "string", "format": "uuid"},
                            "price": {"$ref": "#/components/schemas/Money"}
                        }
                    },
                    "Money": {"type": "string", "pattern": "^-?[0-9]{1,10}\\.[0-9]{2}$"},
                    "Problem": {"type": "object", "required": ["code", "status"]}
                },
                "responses": {
                    "NotFound": {"description": "not found", "content": {"application/problem+json": {
                        "schema": {"$ref": "#/components/schemas/Problem"}}}}
                }
            }
        });
        Contract::parse(&spec.to_string()).expect("the test spec parses")
    }

    const ID: &str = "/api/v1/things/5f0c6c1e-9b1a-4c52-8f57-1f4b5d0e7a11";

    #[test]
    fn a_conforming_response_passes() {
        let body = json!({"id": "5f0c6c1e-9b1a-4c52-8f57-1f4b5d0e7a11", "price": "12500.00"});
        let result = contract().check(
            "GET",
            &format!("{ID}?x=1"),
            200,
            Some("application/json; charset=utf-8"),
            body.to_string().as_bytes(),
        );
        assert_eq!(result, Ok(()));
    }

    #[test]
    fn a_literal_segment_beats_a_parameter() {
        let c = contract();
        assert_eq!(
            c.operation_label("GET", "/api/v1/things/mine"),
            Ok("get_my_things (GET /api/v1/things/mine)".to_string())
        );
        assert_eq!(
            c.check("GET", "/api/v1/things/mine", 204, None, b""),
            Ok(())
        );
    }

    #[test]
    fn a_schema_violation_names_the_operation_and_the_field() {
        let body = json!({"id": "not-a-uuid", "price": 12500});
        let violation = contract()
            .check(
                "GET",
                ID,
                200,
                Some("application/json"),
                body.to_string().as_bytes(),
            )
            .expect_err("the body breaks the schema");
        assert_eq!(violation.operation, "get_thing (GET /api/v1/things/{id})");
        assert_eq!(violation.errors.len(), 2, "{violation}");
        assert!(violation.errors.iter().any(|e| e.starts_with("/id")));
        assert!(violation.errors.iter().any(|e| e.starts_with("/price")));
    }

    #[test]
    fn an_undocumented_status_or_operation_fails() {
        let c = contract();
        let violation = c
            .check(
                "GET",
                ID,
                500,
                Some("application/problem+json"),
                br#"{"code":"internal","status":500}"#,
            )
            .expect_err("500 is not documented");
        assert!(violation.errors[0].contains("status 500 is not documented"));
        assert!(c.check("DELETE", ID, 204, None, b"").is_err());
        assert!(c.check("GET", "/api/v1/other", 200, None, b"").is_err());
    }

    #[test]
    fn errors_must_be_problems() {
        let c = contract();
        let problem = br#"{"code":"not_found","status":404,"title":"Not found"}"#;
        assert_eq!(
            c.check("GET", ID, 404, Some("application/problem+json"), problem),
            Ok(())
        );
        let violation = c
            .check("GET", ID, 404, Some("application/json"), problem)
            .expect_err("plain JSON is not a problem");
        assert!(violation.errors.iter().any(|e| e.contains("problem+json")));
        let violation = c
            .check(
                "GET",
                ID,
                404,
                Some("application/problem+json"),
                br#"{"code":"x","status":400}"#,
            )
            .expect_err("the status inside must match");
        assert!(violation
            .errors
            .iter()
            .any(|e| e.contains("`status` must be 404")));
    }

    #[test]
    fn a_body_where_none_is_documented_fails() {
        let violation = contract()
            .check(
                "GET",
                "/api/v1/things/mine",
                204,
                Some("application/json"),
                b"{}",
            )
            .expect_err("204 documents no body");
        assert!(violation.errors[0].contains("documents none"));
    }

    #[test]
    fn base_paths_come_from_the_first_server() {
        assert_eq!(base_path(&json!({"servers": [{"url": "/"}]})), "");
        assert_eq!(
            base_path(&json!({"servers": [{"url": "/api/v1/"}]})),
            "/api/v1"
        );
        assert_eq!(
            base_path(&json!({"servers": [{"url": "https://nav.example/api/v1"}]})),
            "/api/v1"
        );
        assert_eq!(base_path(&json!({})), "");
    }
}
