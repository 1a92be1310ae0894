#!/usr/bin/env bash
# Property-based contract tests of every documented operation, generated from the OpenAPI document
# by schemathesis (PyPI), against the freshly built server with the demo data: as a guest and as
# each demo account. Checks: no 5xx, documented status codes, content types, response schemas and
# headers; positive and negative (schema-breaking) data. Exits non-zero on any failure. One
# worker: hypothesis on Python 3.11 trips over a CPython AST bug when threads describe strategies
# at once.
#
# Installs schemathesis (pinned below) into a virtualenv under target/ when missing, builds the
# server, starts it on a free port of 127.0.0.1 with a fresh SQLite database (and, with
# CONTRACT_BACKENDS="sqlite postgres", a second time on a throwaway PostgreSQL cluster through
# .ci/with-postgres), signs in as each role and runs schemathesis once per identity.
# Reports (JUnit XML and the NDJSON event stream) go to tests/artifacts/contract/<backend>/<identity>/.
#
# Usage: tests/contract/run.sh                       (from anywhere)
# Environment:
#   CONTRACT_BACKENDS   "sqlite" (default), "postgres" or "sqlite postgres"
#   CONTRACT_EXAMPLES   max examples per operation and identity (default 12)
#   CONTRACT_SEED       the generator's seed (default 20260901): the same seed, the same cases
#   CONTRACT_KEEP=1     keep the temporary directory with the server's log and database
set -euo pipefail

SCHEMATHESIS_VERSION="4.32.5"

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

backends="${CONTRACT_BACKENDS:-sqlite}"
examples="${CONTRACT_EXAMPLES:-12}"
seed="${CONTRACT_SEED:-20260901}"
venv="$root/target/contract-venv"
artifacts="$root/tests/artifacts/contract"

# schemathesis in its own virtualenv, reinstalled when the pin changes.
if [ "$("$venv/bin/schemathesis" --version 2>/dev/null || true)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    echo "contract: installing schemathesis $SCHEMATHESIS_VERSION into target/contract-venv"
    if ! python3 -c 'import ensurepip' 2>/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    fi
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build -q -p navigator-server

# One backend: the server on a fresh database, then schemathesis per identity.
run_backend() {
    local backend="$1" database_url="$2"
    local work port server_pid status=0
    work="$(mktemp -d)"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    NAVIGATOR_ADDR="127.0.0.1:$port" \
        DATABASE_URL="${database_url:-sqlite:$work/navigator.db?mode=rwc}" \
        NAVIGATOR_JWT_SECRET="contract-tests-secret-$(python3 -c 'import secrets; print(secrets.token_hex(16))')" \
        NAVIGATOR_SEED=true \
        NAVIGATOR_LOG=warn \
        "$root/target/debug/navigator" serve >"$work/banner.txt" 2>"$work/server.log" &
    server_pid=$!
    local url="http://127.0.0.1:$port"
    for _ in $(seq 1 300); do
        if curl -fsS "$url/api/v1/health" >/dev/null 2>&1; then break; fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "contract: the server did not start on $backend" >&2
            cat "$work/server.log" >&2
            return 1
        fi
        sleep 0.2
    done

    # Sign in first: the fuzzer's failed sign-ins from this address end in 429 soon after.
    local identities=(guest) tokens=("")
    # The banner of `navigator serve` lists the demo accounts: role, email, password.
    local accounts
    accounts=$(awk '/Demo accounts:/ {on = 1; next} on && NF == 3 {print $2, $3}' "$work/banner.txt")
    [ -n "$accounts" ] || { echo "contract: no demo accounts in the banner" >&2; return 1; }
    while read -r email password; do
        local name="${email%@*}"
        local token
        token=$(curl -fsS -H 'Content-Type: application/json' \
            -d "{\"email\": \"$email\", \"password\": \"$password\"}" "$url/api/v1/auth/login" \
            | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
        identities+=("$name")
        tokens+=("$token")
    done <<<"$accounts"

    rm -rf "${artifacts:?}/$backend"
    local i
    for i in "${!identities[@]}"; do
        local identity="${identities[$i]}" auth=()
        [ -n "${tokens[$i]}" ] && auth=(-H "Authorization: Bearer ${tokens[$i]}")
        local reports="$artifacts/$backend/$identity"
        mkdir -p "$reports"
        echo "contract: $backend as $identity"
        # From the temporary directory: schemathesis keeps a cache in the current one.
        if ! (cd "$work" && "$venv/bin/schemathesis" run "$root/openapi/openapi.json" \
            --url "$url" "${auth[@]}" \
            --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
            --max-examples "$examples" --seed "$seed" \
            --workers 1 --request-timeout 10 --no-color \
            --warnings off --generation-database none \
            --report junit,ndjson --report-dir "$reports" \
            >"$reports/output.txt" 2>&1); then
            status=1
            echo "contract: FAILED on $backend as $identity (tests/artifacts/contract/$backend/$identity/output.txt):" >&2
            tail -n 60 "$reports/output.txt" >&2
        else
            grep -E '^[0-9]+ (passed|failed)|passed|operations' "$reports/output.txt" | tail -n 3 || true
        fi
    done

    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    if [ -n "${CONTRACT_KEEP:-}" ]; then echo "contract: kept $work"; else rm -rf "$work"; fi
    return "$status"
}

failed=0
for backend in $backends; do
    case "$backend" in
    sqlite) run_backend sqlite "" || failed=1 ;;
    postgres)
        # .ci/with-postgres names an empty database in NAVIGATOR_TEST_DATABASE_URL.
        CONTRACT_BACKENDS=postgres-inside "$root/.ci/with-postgres" bash "$0" || failed=1 ;;
    postgres-inside) run_backend postgres "$NAVIGATOR_TEST_DATABASE_URL" || failed=1 ;;
    *) echo "contract: unknown backend $backend" >&2; exit 2 ;;
    esac
done
exit "$failed"
