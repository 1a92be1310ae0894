//! The API reference page: one self-contained HTML document rendered from the OpenAPI spec.
//!
//! The page has its CSS inline and no script, font or stylesheet from elsewhere, so it renders
//! with no internet and cannot run code; every text from the spec is escaped. It walks the JSON
//! form of the spec, which is exactly what clients download from [`OPENAPI_JSON_PATH`], and one
//! generic walk covers every shape of schema that utoipa produces.

use serde_json::{Map, Value};
use utoipa::openapi::OpenApi;

/// Where the server serves the machine-readable spec that the page links to.
pub const OPENAPI_JSON_PATH: &str = "/api/v1/openapi.json";

/// The HTTP methods of a path item, in the order the page lists them.
const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// The section of operations that have no tag.
const UNTAGGED: &str = "other";

/// Renders the reference page of `spec`.
pub fn render(spec: &OpenApi) -> String {
    // Serialising the spec's own types cannot fail; an empty page is the honest fallback anyway.
    let doc = serde_json::to_value(spec).unwrap_or(Value::Null);
    let operations = collect_operations(&doc);
    let tags = tag_sections(&doc, &operations);
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);

    let title = str_at(&doc, "/info/title").unwrap_or("API");
    let mut html = String::with_capacity(64 * 1024);
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str(&format!(
        "<title>{} — API reference</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    ));
    html.push_str("<div class=\"layout\">\n");
    render_nav(&mut html, &tags, schemas);
    html.push_str("<main>\n");
    render_header(&mut html, &doc, title);
    render_authentication(&mut html, &doc, &operations);
    for tag in &tags {
        render_tag(&mut html, &doc, tag);
    }
    if let Some(schemas) = schemas {
        render_schemas(&mut html, schemas);
    }
    html.push_str("</main>\n</div>\n</body>\n</html>\n");
    html
}

// ---------------------------------------------------------------------------------------------
// The spec as the page sees it

/// One operation: a method on a path.
struct Operation<'a> {
    method: &'static str,
    path: &'a str,
    /// The operation object.
    op: &'a Value,
    /// Parameters declared on the path item, shared by all of its operations.
    path_parameters: &'a [Value],
}

impl Operation<'_> {
    fn id(&self) -> Option<&str> {
        self.op.get("operationId").and_then(Value::as_str)
    }

    /// The anchor of the operation on the page: by operationId, or by method and path.
    fn anchor(&self) -> String {
        match self.id() {
            Some(id) => anchor("op", id),
            None => anchor("op", &format!("{} {}", self.method, self.path)),
        }
    }

    fn tags(&self) -> Vec<&str> {
        let tags: Vec<&str> = self
            .op
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| tags.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if tags.is_empty() {
            vec![UNTAGGED]
        } else {
            tags
        }
    }
}

/// A section of the page: a tag with its operations.
struct TagSection<'a> {
    name: &'a str,
    description: Option<&'a str>,
    operations: Vec<&'a Operation<'a>>,
}

fn collect_operations(doc: &Value) -> Vec<Operation<'_>> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut operations = Vec::new();
    for (path, item) in paths {
        let path_parameters = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for method in METHODS {
            if let Some(op) = item.get(method).filter(|op| op.is_object()) {
                operations.push(Operation {
                    method,
                    path,
                    op,
                    path_parameters,
                });
            }
        }
    }
    operations
}

/// The sections in the order of the spec's tag list, then tags used but not declared, then the
/// untagged operations. An operation with several tags is listed under each.
fn tag_sections<'a>(doc: &'a Value, operations: &'a [Operation<'a>]) -> Vec<TagSection<'a>> {
    let mut sections: Vec<TagSection<'a>> = doc
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|tag| {
                    Some(TagSection {
                        name: tag.get("name")?.as_str()?,
                        description: tag.get("description").and_then(Value::as_str),
                        operations: Vec::new(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    for operation in operations {
        for tag in operation.tags() {
            let index = match sections.iter().position(|s| s.name == tag) {
                Some(index) => index,
                None => {
                    sections.push(TagSection {
                        name: tag,
                        description: None,
                        operations: Vec::new(),
                    });
                    sections.len() - 1
                }
            };
            sections[index].operations.push(operation);
        }
    }
    // An untagged section goes last, whatever the order operations came in.
    if let Some(index) = sections.iter().position(|s| s.name == UNTAGGED) {
        let untagged = sections.remove(index);
        sections.push(untagged);
    }
    sections.retain(|s| !s.operations.is_empty());
    sections
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// Follows a local `$ref` (`#/components/responses/…`) to the object it names; other values come
/// back as they are. Schemas are not resolved: the page links to them instead.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    // A few hops at most: a reference to a reference is rare, a cycle is a broken spec.
    for _ in 0..4 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| doc.pointer(pointer))
        {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

// ---------------------------------------------------------------------------------------------
// Sections of the page

fn render_nav(html: &mut String, tags: &[TagSection<'_>], schemas: Option<&Map<String, Value>>) {
    html.push_str("<nav aria-label=\"Contents\">\n<p class=\"nav-title\">Contents</p>\n<ul>\n");
    html.push_str("<li><a href=\"#authentication\">Authentication</a></li>\n");
    for tag in tags {
        html.push_str(&format!(
            "<li><a href=\"#{}\">{}</a> <span class=\"count\">{}</span>\n<ul>\n",
            anchor("tag", tag.name),
            escape(tag.name),
            tag.operations.len()
        ));
        for operation in &tag.operations {
            let label = operation.id().unwrap_or(operation.path);
            html.push_str(&format!(
                "<li><a href=\"#{}\"><span class=\"nav-method\">{}</span> {}</a></li>\n",
                operation.anchor(),
                operation.method.to_uppercase(),
                escape(label)
            ));
        }
        html.push_str("</ul>\n</li>\n");
    }
    if schemas.is_some_and(|s| !s.is_empty()) {
        html.push_str("<li><a href=\"#schemas\">Schemas</a></li>\n");
    }
    html.push_str("</ul>\n</nav>\n");
}

fn render_header(html: &mut String, doc: &Value, title: &str) {
    html.push_str("<header>\n");
    html.push_str(&format!("<h1>{}", escape(title)));
    if let Some(version) = str_at(doc, "/info/version") {
        html.push_str(&format!(
            " <span class=\"version\">{}</span>",
            escape(version)
        ));
    }
    html.push_str("</h1>\n");
    html.push_str(&format!(
        "<p class=\"spec-link\">The machine-readable spec (OpenAPI {}): \
         <a href=\"{OPENAPI_JSON_PATH}\"><code>{OPENAPI_JSON_PATH}</code></a>",
        escape(str_at(doc, "/openapi").unwrap_or("3"))
    ));
    let servers: Vec<String> = doc
        .get("servers")
        .and_then(Value::as_array)
        .map(|servers| {
            servers
                .iter()
                .filter_map(|s| s.get("url").and_then(Value::as_str))
                .map(|url| format!("<code>{}</code>", escape(url)))
                .collect()
        })
        .unwrap_or_default();
    if !servers.is_empty() {
        html.push_str(&format!("; servers: {}", servers.join(", ")));
    }
    html.push_str("</p>\n");
    if let Some(description) = str_at(doc, "/info/description") {
        html.push_str(&prose(description));
    }
    html.push_str("</header>\n");
}

fn render_authentication(html: &mut String, doc: &Value, operations: &[Operation<'_>]) {
    html.push_str("<section id=\"authentication\">\n<h2>Authentication</h2>\n");
    html.push_str(
        "<p>Operations marked <span class=\"badge badge-auth\">auth</span> need an access token \
         in the request header <code>Authorization: Bearer &lt;access token&gt;</code>; without \
         a valid one they answer <code>401</code>. Errors come as \
         <code>application/problem+json</code> with a stable <code>code</code>.</p>\n",
    );
    let sign_in = operations
        .iter()
        .find(|o| o.method == "post" && o.path.ends_with("/auth/login"));
    if let Some(sign_in) = sign_in {
        html.push_str(&format!(
            "<p>Get the token by signing in with <a href=\"#{}\"><code>POST {}</code></a>.</p>\n",
            sign_in.anchor(),
            escape(sign_in.path)
        ));
    }
    if let Some(schemes) = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .filter(|s| !s.is_empty())
    {
        html.push_str(
            "<table>\n<thead><tr><th>Scheme</th><th>Type</th><th>Details</th>\
             <th>Description</th></tr></thead>\n<tbody>\n",
        );
        for (name, scheme) in schemes {
            let details: Vec<String> = ["scheme", "bearerFormat", "in", "name"]
                .into_iter()
                .filter_map(|key| {
                    let value = scheme.get(key)?.as_str()?;
                    Some(format!("{key}: <code>{}</code>", escape(value)))
                })
                .collect();
            html.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(name),
                escape(scheme.get("type").and_then(Value::as_str).unwrap_or("")),
                details.join(", "),
                inline(
                    scheme
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                )
            ));
        }
        html.push_str("</tbody>\n</table>\n");
    }
    html.push_str("</section>\n");
}

fn render_tag(html: &mut String, doc: &Value, tag: &TagSection<'_>) {
    html.push_str(&format!(
        "<section class=\"tag\" id=\"{}\">\n<h2>{}</h2>\n",
        anchor("tag", tag.name),
        escape(tag.name)
    ));
    if let Some(description) = tag.description {
        html.push_str(&prose(description));
    }
    for operation in &tag.operations {
        render_operation(html, doc, operation);
    }
    html.push_str("</section>\n");
}

fn render_operation(html: &mut String, doc: &Value, operation: &Operation<'_>) {
    let op = operation.op;
    let method_class = match operation.method {
        "get" | "post" | "put" | "patch" | "delete" => operation.method,
        _ => "other",
    };
    html.push_str(&format!(
        "<article class=\"op\" id=\"{}\">\n\
         <h3><span class=\"method method-{method_class}\">{}</span> \
         <code class=\"path\">{}</code></h3>\n<p class=\"meta\">",
        operation.anchor(),
        operation.method.to_uppercase(),
        escape(operation.path)
    ));
    if let Some(id) = operation.id() {
        html.push_str(&format!("operationId <code>{}</code>", escape(id)));
    }
    html.push_str(&security_badge(doc, op));
    if op.get("deprecated").and_then(Value::as_bool) == Some(true) {
        html.push_str(" <span class=\"badge badge-deprecated\">deprecated</span>");
    }
    html.push_str("</p>\n");
    if let Some(summary) = op.get("summary").and_then(Value::as_str) {
        html.push_str(&format!("<p class=\"summary\">{}</p>\n", inline(summary)));
    }
    if let Some(description) = op.get("description").and_then(Value::as_str) {
        // utoipa repeats a one-line doc comment as both summary and description.
        if op.get("summary").and_then(Value::as_str) != Some(description) {
            html.push_str(&prose(description));
        }
    }
    render_parameters(html, operation);
    if let Some(body) = op.get("requestBody") {
        render_request_body(html, body);
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        render_responses(html, doc, responses);
    }
    html.push_str("</article>\n");
}

/// Who may call the operation: its own security requirements, or the spec's global ones.
fn security_badge(doc: &Value, op: &Value) -> String {
    let Some(requirements) = op
        .get("security")
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array)
    else {
        return String::new();
    };
    let schemes: Vec<String> = requirements
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().map(|k| escape(k)))
        .collect();
    if schemes.is_empty() {
        return String::new();
    }
    // An empty requirement object means the operation also works without credentials.
    let optional = requirements
        .iter()
        .any(|r| r.as_object().is_some_and(Map::is_empty));
    format!(
        " <span class=\"badge badge-auth\" title=\"{}\">{}</span>",
        schemes.join(", "),
        if optional { "auth optional" } else { "auth" }
    )
}

fn render_parameters(html: &mut String, operation: &Operation<'_>) {
    let own = operation
        .op
        .get("parameters")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let parameters: Vec<&Value> = operation.path_parameters.iter().chain(own).collect();
    if parameters.is_empty() {
        return;
    }
    html.push_str(
        "<h4>Parameters</h4>\n<table>\n<thead><tr><th>Name</th><th>In</th><th>Required</th>\
         <th>Type</th><th>Description</th></tr></thead>\n<tbody>\n",
    );
    for parameter in parameters {
        let text = |key| parameter.get(key).and_then(Value::as_str).unwrap_or("");
        html.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(text("name")),
            escape(text("in")),
            required_mark(parameter.get("required").and_then(Value::as_bool) == Some(true)),
            parameter.get("schema").map(schema_type).unwrap_or_default(),
            inline(text("description"))
        ));
    }
    html.push_str("</tbody>\n</table>\n");
}

fn render_request_body(html: &mut String, body: &Value) {
    let required = body.get("required").and_then(Value::as_bool) == Some(true);
    html.push_str(&format!(
        "<h4>Request body{}</h4>\n",
        if required { "" } else { " (optional)" }
    ));
    if let Some(description) = body.get("description").and_then(Value::as_str) {
        html.push_str(&prose(description));
    }
    if let Some(content) = body.get("content").and_then(Value::as_object) {
        html.push_str("<ul class=\"content\">\n");
        for (media_type, media) in content {
            html.push_str(&format!(
                "<li><code>{}</code>: {}</li>\n",
                escape(media_type),
                media.get("schema").map(schema_type).unwrap_or_default()
            ));
        }
        html.push_str("</ul>\n");
        for media in content.values() {
            render_example(html, media);
        }
    }
}

fn render_responses(html: &mut String, doc: &Value, responses: &Map<String, Value>) {
    html.push_str(
        "<h4>Responses</h4>\n<table>\n<thead><tr><th>Status</th><th>Description</th>\
         <th>Content</th></tr></thead>\n<tbody>\n",
    );
    let mut examples = String::new();
    for (status, response) in responses {
        let response = resolve(doc, response);
        let content: Vec<String> = response
            .get("content")
            .and_then(Value::as_object)
            .map(|content| {
                content
                    .iter()
                    .map(|(media_type, media)| {
                        render_example(&mut examples, media);
                        format!(
                            "<code>{}</code>: {}",
                            escape(media_type),
                            media.get("schema").map(schema_type).unwrap_or_default()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        html.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
            escape(status),
            inline(
                response
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
            ),
            content.join("<br>")
        ));
    }
    html.push_str("</tbody>\n</table>\n");
    html.push_str(&examples);
}

/// A media type's example, pretty-printed, folded under a summary.
fn render_example(html: &mut String, media: &Value) {
    let Some(example) = media.get("example") else {
        return;
    };
    let text = serde_json::to_string_pretty(example).unwrap_or_default();
    html.push_str(&format!(
        "<details><summary>Example</summary><pre><code>{}</code></pre></details>\n",
        escape(&text)
    ));
}

fn render_schemas(html: &mut String, schemas: &Map<String, Value>) {
    if schemas.is_empty() {
        return;
    }
    html.push_str("<section id=\"schemas\">\n<h2>Schemas</h2>\n");
    for (name, schema) in schemas {
        html.push_str(&format!(
            "<article class=\"schema\" id=\"{}\">\n<h3>{}</h3>\n",
            anchor("schema", name),
            escape(name)
        ));
        if let Some(description) = schema.get("description").and_then(Value::as_str) {
            html.push_str(&prose(description));
        }
        render_schema_body(html, schema);
        html.push_str("</article>\n");
    }
    html.push_str("</section>\n");
}

fn render_schema_body(html: &mut String, schema: &Value) {
    // The properties of the schema itself and of the inline objects it is composed of (`allOf`
    // with a flattened struct).
    let parts: Vec<&Value> = std::iter::once(schema)
        .chain(
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|part| part.get("properties").is_some()),
        )
        .collect();
    let mut rows = String::new();
    for part in &parts {
        let Some(properties) = part.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let required: Vec<&str> = part
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (name, property) in properties {
            rows.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(name),
                schema_type(property),
                required_mark(required.contains(&name.as_str())),
                inline(
                    property
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                )
            ));
        }
    }
    if !rows.is_empty() {
        html.push_str(
            "<table>\n<thead><tr><th>Property</th><th>Type</th><th>Required</th>\
             <th>Description</th></tr></thead>\n<tbody>\n",
        );
        html.push_str(&rows);
        html.push_str("</tbody>\n</table>\n");
        return;
    }
    let variants = ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|key| schema.get(key).and_then(Value::as_array));
    match variants {
        Some(variants) => {
            html.push_str("<p>One of:</p>\n<ul>\n");
            for variant in variants {
                html.push_str(&format!("<li>{}", schema_type(variant)));
                if let Some(description) = variant.get("description").and_then(Value::as_str) {
                    html.push_str(&format!(" — {}", inline(description)));
                }
                html.push_str("</li>\n");
            }
            html.push_str("</ul>\n");
        }
        None => html.push_str(&format!("<p>Type: {}</p>\n", schema_type(schema))),
    }
}

// ---------------------------------------------------------------------------------------------
// Pieces

/// A schema in a few words of HTML: a link to a named schema, `array of Program`,
/// `string (date)`, `Certificate | null`, or an enum's values.
fn schema_type(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return schema_link(reference);
    }
    for (key, separator) in [("oneOf", " | "), ("anyOf", " | "), ("allOf", " &amp; ")] {
        if let Some(parts) = schema.get(key).and_then(Value::as_array) {
            let mut labels: Vec<String> = parts.iter().map(schema_type).collect();
            // `Certificate | null` reads better than `null | Certificate`.
            labels.sort_by_key(|label| label == "null");
            return labels.join(separator);
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ if schema.get("properties").is_some() => vec!["object"],
        _ => Vec::new(),
    };
    let mut labels: Vec<String> = types
        .iter()
        .map(|t| match *t {
            "array" => format!(
                "array of {}",
                schema
                    .get("items")
                    .map(schema_type)
                    .unwrap_or_else(|| "any".into())
            ),
            "object" => match schema.get("additionalProperties") {
                Some(values) if values.is_object() => format!("map of {}", schema_type(values)),
                _ => "object".into(),
            },
            // `type: [string, null]` with a format formats the string, not the null.
            "null" => "null".into(),
            other => match schema.get("format").and_then(Value::as_str) {
                Some(format) => format!("{} ({})", escape(other), escape(format)),
                None => escape(other),
            },
        })
        .collect();
    labels.sort_by_key(|label| label == "null");
    let mut label = if labels.is_empty() {
        "any".to_owned()
    } else {
        labels.join(" | ")
    };
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values
            .iter()
            .map(|v| match v {
                Value::String(s) => format!("<code>{}</code>", escape(s)),
                other => format!("<code>{}</code>", escape(&other.to_string())),
            })
            .collect();
        label.push_str(&format!(", one of {}", values.join(", ")));
    }
    label
}

/// A link to a schema of the components section; other references are shown as they are.
fn schema_link(reference: &str) -> String {
    match reference.strip_prefix("#/components/schemas/") {
        Some(name) => format!(
            "<a class=\"schema-ref\" href=\"#{}\">{}</a>",
            anchor("schema", name),
            escape(name)
        ),
        None => format!("<code>{}</code>", escape(reference)),
    }
}

fn required_mark(required: bool) -> &'static str {
    if required {
        "<span class=\"required\">yes</span>"
    } else {
        "no"
    }
}

/// An element id: the prefix, then the name with ASCII letters, digits and `_` kept and every other
/// byte written as `-xx` in hex, so that different names never share an id and ids are safe in
/// URLs.
fn anchor(prefix: &str, name: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 1 + name.len());
    id.push_str(prefix);
    id.push('-');
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            id.push(char::from(byte));
        } else {
            id.push_str(&format!("-{byte:02x}"));
        }
    }
    id
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A line of description, escaped, with `code spans` as code and `**strong**` text as strong.
fn inline(text: &str) -> String {
    let pieces: Vec<&str> = text.split('`').collect();
    // An odd number of pieces means the backticks pair up; otherwise show them as they are.
    if pieces.len() % 2 == 0 {
        return strong(text);
    }
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(piece))
            } else {
                strong(piece)
            }
        })
        .collect()
}

/// Escaped text with `**strong**` spans, when the markers pair up.
fn strong(text: &str) -> String {
    let pieces: Vec<&str> = text.split("**").collect();
    if pieces.len() % 2 == 0 {
        return escape(text);
    }
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 1 {
                format!("<strong>{}</strong>", escape(piece))
            } else {
                escape(piece)
            }
        })
        .collect()
}

/// A description in the small Markdown of doc comments: paragraphs separated by blank lines,
/// `#` headings, bullet lists (`- ` or `* `, wrapped lines continue the item), pipe tables,
/// `code spans` and `**strong**` text.
fn prose(text: &str) -> String {
    let mut blocks = Blocks::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blocks.flush();
        } else if let Some((level, title)) = heading(line) {
            blocks.flush();
            // The page's own sections are `h2`; headings of a description sit below them.
            let tag = format!("h{}", (level + 1).min(6));
            blocks
                .html
                .push_str(&format!("<{tag}>{}</{tag}>\n", inline(title)));
        } else if line.starts_with('|') {
            blocks.flush_paragraph();
            blocks.flush_list();
            blocks.table.push(line);
        } else if let Some(item) = bullet_item(line) {
            blocks.flush_paragraph();
            blocks.flush_table();
            blocks.items.push(item.to_owned());
        } else if let Some(last) = blocks.items.last_mut() {
            last.push(' ');
            last.push_str(line);
        } else {
            blocks.flush_table();
            blocks.paragraph.push(line);
        }
    }
    blocks.flush();
    blocks.html
}

/// The blocks of a description being read: the HTML so far and the block still open.
#[derive(Default)]
struct Blocks<'a> {
    html: String,
    paragraph: Vec<&'a str>,
    items: Vec<String>,
    table: Vec<&'a str>,
}

impl Blocks<'_> {
    fn flush(&mut self) {
        self.flush_paragraph();
        self.flush_list();
        self.flush_table();
    }

    fn flush_paragraph(&mut self) {
        if !self.paragraph.is_empty() {
            let text = self.paragraph.join(" ");
            self.html.push_str(&format!("<p>{}</p>\n", inline(&text)));
            self.paragraph.clear();
        }
    }

    fn flush_list(&mut self) {
        if !self.items.is_empty() {
            self.html.push_str("<ul>\n");
            for item in self.items.drain(..) {
                self.html.push_str(&format!("<li>{}</li>\n", inline(&item)));
            }
            self.html.push_str("</ul>\n");
        }
    }

    fn flush_table(&mut self) {
        if !self.table.is_empty() {
            self.html.push_str(&pipe_table(&self.table));
            self.table.clear();
        }
    }
}

/// `## Title` as (2, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    let title = line[level..].strip_prefix(' ')?;
    (1..=6).contains(&level).then_some((level, title.trim()))
}

fn bullet_item(line: &str) -> Option<&str> {
    line.strip_prefix("- ").or_else(|| line.strip_prefix("* "))
}

/// A Markdown pipe table: the first row is the header, a `|---|` row under it is skipped.
fn pipe_table(lines: &[&str]) -> String {
    let cells = |line: &str| -> Vec<String> {
        line.trim_matches('|')
            .split('|')
            .map(|cell| inline(cell.trim()))
            .collect()
    };
    let is_rule = |line: &&str| line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    let mut rows = lines.iter().filter(|l| !is_rule(l));
    let mut html = String::from("<table>\n");
    if let Some(header) = rows.next() {
        html.push_str("<thead><tr>");
        for cell in cells(header) {
            html.push_str(&format!("<th>{cell}</th>"));
        }
        html.push_str("</tr></thead>\n");
    }
    html.push_str("<tbody>\n");
    for row in rows {
        html.push_str("<tr>");
        for cell in cells(row) {
            html.push_str(&format!("<td>{cell}</td>"));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

const STYLE: &str = r#"
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff;
  --panel: #f6f8fa; --border: #d1d9e0; --link: #0b5cad; --danger: #cf222e;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23;
    --border: #3d444d; --link: #4493f8; --danger: #f85149; }
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 16px/1.5 var(--sans); }
.layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); max-width: 84rem;
  margin: 0 auto; }
nav { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto;
  padding: 1.5rem 1rem; border-right: 1px solid var(--border); font-size: .875rem; }
nav ul { list-style: none; margin: 0; padding-left: .75rem; }
nav > ul { padding-left: 0; }
nav li { margin: .15rem 0; }
nav a { text-decoration: none; }
.nav-title { font-weight: 600; margin-top: 0; }
.nav-method { display: inline-block; min-width: 3.6rem; color: var(--muted);
  font: 600 .7rem var(--mono); }
.count { color: var(--muted); font-size: .75rem; }
main { padding: 1.5rem 2rem 4rem; }
@media (max-width: 60rem) {
  .layout { display: block; }
  nav { position: static; max-height: none; border-right: 0;
    border-bottom: 1px solid var(--border); }
  main { padding: 1rem; }
}
h1 { margin-top: 0; }
h2 { margin-top: 2.5rem; padding-bottom: .3rem; border-bottom: 1px solid var(--border); }
h4 { margin: 1rem 0 .25rem; font-size: .95rem; }
a { color: var(--link); }
code, pre { font-family: var(--mono); font-size: .875em; }
:not(pre) > code { background: var(--panel); padding: .1em .3em; border-radius: 4px; }
pre { background: var(--panel); padding: .75rem; overflow: auto; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem;
  border-bottom: 1px solid var(--border); }
th { color: var(--muted); font-weight: 600; }
.version { font-size: .9rem; font-weight: 500; color: var(--muted);
  border: 1px solid var(--border); border-radius: 999px; padding: .1rem .6rem;
  vertical-align: middle; }
.op, .schema { border: 1px solid var(--border); border-radius: 8px; padding: 1rem 1.25rem;
  margin: 1rem 0; }
.op h3, .schema h3 { margin: 0; font-size: 1.05rem; }
.op h3 { display: flex; gap: .6rem; align-items: center; flex-wrap: wrap; }
.method { font: 700 .75rem/1 var(--mono); color: #fff; padding: .35rem .5rem;
  border-radius: 4px; min-width: 4.5rem; text-align: center; }
.method-get { background: #1a7f37; }
.method-post { background: #0b5cad; }
.method-put, .method-patch { background: #9a6700; }
.method-delete { background: #cf222e; }
.method-other { background: #59636e; }
.meta { color: var(--muted); font-size: .85rem; margin: .4rem 0; }
.summary { font-weight: 500; }
.badge { display: inline-block; border: 1px solid var(--border); border-radius: 999px;
  padding: 0 .5rem; font-size: .75rem; margin-left: .4rem; color: var(--muted); }
.badge-deprecated, .required { color: var(--danger); }
.badge-deprecated { border-color: var(--danger); }
.required { font-weight: 600; }
details { margin: .25rem 0 1rem; }
summary { cursor: pointer; color: var(--muted); font-size: .875rem; }
"#;

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod tests {
    use serde_json::json;

    use super::*;

    fn sample_spec() -> OpenApi {
        let json_of = |schema: Value| json!({"application/json": {"schema": schema}});
        let schema_ref = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        serde_json::from_value(json!({
            "openapi": "3.1.0",
            "info": {
                "title": "Навигатор <дополнительного> образования",
                "version": "1.0.0",
                "description": "The navigator's API & friends.\n\n\
                    Never trust <script>alert('x')</script> in `docs`.\n\n\
                    - one\n- two\n\n\
                    | code | meaning |\n|---|---|\n| `no_seats` | the group is full |"
            },
            "paths": {
                "/api/v1/auth/login": {
                    "post": {
                        "tags": ["auth"],
                        "operationId": "login",
                        "summary": "Signs in",
                        "requestBody": {
                            "required": true,
                            "content": {"application/json": {
                                "schema": schema_ref("LoginRequest"),
                                "example": {"email": "family@demo.example", "password": "<secret>"}
                            }}
                        },
                        "responses": {
                            "200": {
                                "description": "Tokens",
                                "content": json_of(schema_ref("Tokens"))
                            },
                            "401": {"$ref": "#/components/responses/Unauthorized"}
                        }
                    }
                },
                "/api/v1/programs/{id}": {
                    "parameters": [{
                        "name": "id", "in": "path", "required": true,
                        "schema": {"type": "string", "format": "uuid"}
                    }],
                    "get": {
                        "tags": ["catalog"],
                        "operationId": "get_program",
                        "summary": "A program with its groups",
                        "description": "Unpublished programs are visible to their provider only.",
                        "parameters": [{
                            "name": "lang", "in": "query", "required": false,
                            "schema": {"type": "string"}, "description": "`ru` or `en`"
                        }],
                        "security": [{}, {"bearer": []}],
                        "responses": {"200": {
                            "description": "The program",
                            "content":
                                json_of(json!({"type": "array", "items": schema_ref("Program")}))
                        }}
                    },
                    "delete": {
                        "operationId": "delete_program",
                        "deprecated": true,
                        "security": [{"bearer": []}],
                        "responses": {"204": {"description": "Deleted"}}
                    }
                }
            },
            "components": {
                "schemas": {
                    "LoginRequest": {
                        "type": "object",
                        "required": ["email", "password"],
                        "properties": {
                            "email": {"type": "string", "description": "Case-insensitive."},
                            "password": {"type": "string"}
                        }
                    },
                    "Tokens": {
                        "type": "object",
                        "required": ["access_token"],
                        "properties": {
                            "access_token": {"type": "string"},
                            "certificate": {"oneOf": [{"type": "null"}, schema_ref("Program")]},
                            "expires_in": {"type": "integer", "format": "int64"},
                            "decided_at": {"type": ["string", "null"], "format": "date-time"}
                        }
                    },
                    "Program": {
                        "type": "object",
                        "properties": {
                            "direction": schema_ref("Direction"),
                            "tags": {"type": ["array", "null"], "items": {"type": "string"}}
                        }
                    },
                    "Direction": {
                        "type": "string",
                        "enum": ["technical", "arts"],
                        "description": "One of six <directions>."
                    }
                },
                "responses": {
                    "Unauthorized": {
                        "description": "No or bad token",
                        "content": {"application/problem+json": {"schema": schema_ref("Problem")}}
                    }
                },
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "tags": [{"name": "catalog", "description": "Programs and groups."}, {"name": "auth"}]
        }))
        .unwrap()
    }

    #[test]
    fn every_operation_is_documented() {
        let html = render(&sample_spec());
        for id in ["login", "get_program", "delete_program"] {
            assert!(html.contains(&format!("id=\"op-{id}\"")), "{id}");
            assert!(html.contains(&format!("<code>{id}</code>")), "{id}");
        }
        assert!(html.contains("<code class=\"path\">/api/v1/programs/{id}</code>"));
        assert!(
            html.contains("string (uuid)"),
            "path-level parameters are listed"
        );
        assert!(html.contains("<code>lang</code>"));
        assert!(html.contains("<code>ru</code> or <code>en</code>"));
        assert!(
            html.contains("No or bad token"),
            "referenced responses are resolved"
        );
        assert!(
            html.contains("array of <a class=\"schema-ref\" href=\"#schema-Program\">Program</a>")
        );
        assert!(html.contains("badge-deprecated"));
        assert!(html.contains("auth optional"));
    }

    #[test]
    fn tags_keep_the_spec_order_and_untagged_operations_come_last() {
        let html = render(&sample_spec());
        let catalog = html.find("id=\"tag-catalog\"").unwrap();
        let auth = html.find("id=\"tag-auth\"").unwrap();
        let other = html.find("id=\"tag-other\"").unwrap();
        assert!(catalog < auth && auth < other);
        assert!(html.contains("Programs and groups."));
    }

    #[test]
    fn schemas_list_their_properties() {
        let html = render(&sample_spec());
        assert!(html.contains("id=\"schema-LoginRequest\""));
        assert!(html.contains(
            "<tr><td><code>email</code></td><td>string</td>\
             <td><span class=\"required\">yes</span></td><td>Case-insensitive.</td></tr>"
        ));
        assert!(
            html.contains("<a class=\"schema-ref\" href=\"#schema-Program\">Program</a> | null")
        );
        assert!(html.contains("array of string | null"));
        assert!(html.contains("integer (int64)"));
        assert!(html.contains("<td>string (date-time) | null</td>"));
        assert!(html.contains("<code>technical</code>, <code>arts</code>"));
    }

    #[test]
    fn authentication_is_explained_and_the_spec_is_linked() {
        let html = render(&sample_spec());
        assert!(html.contains("Authorization: Bearer &lt;access token&gt;"));
        assert!(html.contains("<a href=\"#op-login\"><code>POST /api/v1/auth/login</code></a>"));
        assert!(html.contains("bearerFormat: <code>JWT</code>"));
        assert!(html.contains("href=\"/api/v1/openapi.json\""));
        assert!(html.contains("<meta charset=\"utf-8\">"));
    }

    #[test]
    fn text_from_the_spec_is_escaped_and_nothing_runs() {
        let html = render(&sample_spec());
        assert!(!html.to_lowercase().contains("<script"));
        assert!(html.contains(
            "Never trust &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; in <code>docs</code>."
        ));
        assert!(html.contains(
            "<title>Навигатор &lt;дополнительного&gt; образования — API reference</title>"
        ));
        assert!(html.contains("API &amp; friends"));
        assert!(html.contains("One of six &lt;directions&gt;."));
        assert!(
            html.contains("&quot;password&quot;: &quot;&lt;secret&gt;&quot;"),
            "examples are escaped"
        );
        // Nothing is fetched from elsewhere.
        assert!(!html.contains("src="));
        assert!(!html.contains("<link"));
        assert!(!html.contains("@import"));
    }

    #[test]
    fn descriptions_keep_lists_and_tables() {
        let html = render(&sample_spec());
        assert!(html.contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"));
        assert!(html.contains("<th>code</th><th>meaning</th>"));
        assert!(html.contains("<td><code>no_seats</code></td><td>the group is full</td>"));
    }

    /// The `#fragment` links of a page that point at no element.
    fn dangling_links(html: &str) -> Vec<String> {
        html.split("href=\"#")
            .skip(1)
            .map(|link| link[..link.find('"').unwrap()].to_owned())
            .filter(|target| !html.contains(&format!("id=\"{target}\"")))
            .collect()
    }

    #[test]
    fn every_link_on_the_page_has_its_target() {
        // `Problem` is referenced by the sample but not defined: a broken spec links nowhere.
        assert_eq!(dangling_links(&render(&sample_spec())), ["schema-Problem"]);
    }

    #[test]
    fn the_served_spec_renders_completely() {
        let spec = crate::openapi::openapi();
        let html = render(&spec);
        let operation_ids: Vec<&str> = spec
            .paths
            .paths
            .values()
            .flat_map(|item| [&item.get, &item.post, &item.put, &item.patch, &item.delete])
            .flatten()
            .filter_map(|op| op.operation_id.as_deref())
            .collect();
        assert!(!operation_ids.is_empty());
        for id in operation_ids {
            assert!(html.contains(&format!("id=\"op-{id}\"")), "{id}");
        }
        assert_eq!(dangling_links(&html), Vec::<String>::new());
        assert!(!html.to_lowercase().contains("<script"));
    }

    #[test]
    fn anchors_are_distinct_and_url_safe() {
        assert_eq!(anchor("op", "get_program"), "op-get_program");
        assert_eq!(anchor("op", "get /a b"), "op-get-20-2fa-20b");
        assert_ne!(anchor("schema", "a.b"), anchor("schema", "a_b"));
        assert!(anchor("tag", "каталог")
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn an_empty_spec_still_renders_a_page() {
        let spec: OpenApi = serde_json::from_value(json!({
            "openapi": "3.1.0",
            "info": {"title": "Empty", "version": "0"},
            "paths": {}
        }))
        .unwrap();
        let html = render(&spec);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.ends_with("</html>\n"));
        assert!(!html.contains("id=\"schemas\""));
    }

    #[test]
    fn prose_reads_the_markdown_of_the_api_description() {
        let html = prose(
            "The API.\n\n## Conventions\n\n- **Money** is `\"12500.00\"`,\n  never a number.\n\
             - **Dates** are ISO.\nAfter the list.\n\n#not a heading",
        );
        assert_eq!(
            html,
            "<p>The API.</p>\n<h3>Conventions</h3>\n<ul>\n\
             <li><strong>Money</strong> is <code>&quot;12500.00&quot;</code>, never a number.</li>\n\
             <li><strong>Dates</strong> are ISO. After the list.</li>\n</ul>\n\
             <p>#not a heading</p>\n"
        );
    }

    #[test]
    fn unpaired_backticks_are_shown_as_they_are() {
        assert_eq!(inline("a `b` c"), "a <code>b</code> c");
        assert_eq!(inline("a ` b"), "a ` b");
        assert_eq!(inline("2 ** 3 `x`"), "2 ** 3 <code>x</code>");
    }
}
