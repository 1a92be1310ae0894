//! `openapi/openapi.json` is committed for third-party developers and for the contract checks of
//! the API tests; it must be exactly what the server generates.

use navigator_tests::contract::openapi_path;

#[test]
fn the_committed_openapi_document_is_what_the_server_generates() {
    let path = openapi_path();
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}\ngenerate it with `just openapi`",
            path.display()
        )
    });
    let generated = navigator_server::openapi::openapi_json();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        let show = |text: &str| {
            let shown: String = text
                .lines()
                .nth(line)
                .unwrap_or("(end of file)")
                .chars()
                .take(160)
                .collect();
            shown
        };
        panic!(
            "openapi/openapi.json is stale: regenerate it with `just openapi`\n\
             first difference at line {}:\n  committed: {}\n  generated: {}",
            line + 1,
            show(&committed),
            show(&generated),
        );
    }
}
