# The navigator's recipes. `just` lists them.

set shell := ["bash", "-euo", "pipefail", "-c"]

# The SPA's build (wasm toolchain from Debian's packages, wasm-bindgen, wasm-opt).
import? 'justfile.spa'

default:
    @just --list

# Serve the navigator on 127.0.0.1:8080 with an embedded SQLite database and demo data.
run:
    cargo run

# The test suite; PostgreSQL tests run when its binaries are present (NAVIGATOR_TEST_POSTGRES=require insists).
test:
    cargo test --workspace

# The store's tests on a throwaway PostgreSQL cluster (`cargo test` runs them on SQLite).
test-store-pg:
    .ci/with-postgres cargo test -p navigator-store

# Formatting and lints, as CI checks them.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# The browser journeys through the SPA against a fresh server (installs Chromium and npm packages).
browser-test:
    cargo build -p navigator-server
    bash tests/browser/run.sh

# Contract tests generated from openapi/openapi.json by schemathesis, as a guest and each demo role (installs it into target/).
contract backends="sqlite postgres":
    CONTRACT_BACKENDS="{{backends}}" bash tests/contract/run.sh

# A TypeScript client typed from openapi/openapi.json (openapi-typescript, tsc) runs a family's journey against a fresh server.
client:
    bash tests/client/run.sh

# Regenerate openapi/openapi.json from the handlers' annotations.
openapi:
    cargo run -q -p navigator-server -- openapi > target/openapi.tmp
    mv target/openapi.tmp openapi/openapi.json

# Install what tests need on a fresh machine of this kind (PostgreSQL server binaries).
deps:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
        apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    fi

# Generated region on SQLite and PostgreSQL: search under load vs the stack's ceiling, billing run; the money path vs pgbench (BENCHMARKS.md).
bench:
    bench/run.sh
    bench/money.sh

# The bank test for longer: `just soak 600` runs 10 minutes per backend, with a restart every ~2 minutes.
soak duration="300" seed="":
    cargo build -q --release -p navigator-server -p navigator-tests --bin navigator --bin bank
    for backend in sqlite postgres; do \
        target/release/bank --backend $backend --duration {{duration}} \
            --restarts $(( {{duration}} / 120 + 1 )) {{ if seed != "" { "--seed " + seed } else { "" } }}; \
    done

# Everything CI runs.
ci:
    bash .ci/run
