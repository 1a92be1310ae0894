#!/usr/bin/env bash
# A third-party app's journey, typed from the OpenAPI document: generates TypeScript types from
# openapi/openapi.json (openapi-typescript), type-checks and compiles src/journey.ts with tsc, and
# runs it against target/debug/navigator on a free port of 127.0.0.1 with a fresh SQLite database
# and the demo data. Exits non-zero when the types do not check or the journey fails.
#
# Installs Node.js from Debian's packages and the npm packages of the lock file when missing.
# Usage: tests/client/run.sh   (from anywhere)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "client: installing nodejs and npm"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if [ ! -f "$here/node_modules/.package-lock.json" ] \
    || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd "$here" && npm run --silent generate && rm -rf dist && npm run --silent build)

cargo build -q -p navigator-server
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
NAVIGATOR_ADDR="127.0.0.1:$port" \
    DATABASE_URL="sqlite:$work/navigator.db?mode=rwc" \
    NAVIGATOR_JWT_SECRET="client-journey-secret-$(python3 -c 'import secrets; print(secrets.token_hex(16))')" \
    NAVIGATOR_SEED=true \
    NAVIGATOR_LOG=warn \
    "$root/target/debug/navigator" serve >/dev/null 2>"$work/server.log" &
server_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
    if curl -fsS "$url/api/v1/health" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "client: the server did not start" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
    sleep 0.2
done

node "$here/dist/journey.js" "$url"
