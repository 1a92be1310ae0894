#!/usr/bin/env bash
# The browser journeys through the SPA (tests/browser/journeys.mjs) against a real server.
#
# Installs what is missing (Debian's Chromium, Node.js, the npm packages of the lock file), starts
# target/debug/navigator (built with `cargo build -p navigator-server` only when absent) on a free
# port of 127.0.0.1 with a fresh SQLite database and the demo data, runs the journeys, stops the
# server. Exits non-zero when a journey fails. Screenshots go to tests/artifacts/screenshots/.
#
# Usage: tests/browser/run.sh           (from anywhere)
# Environment: BROWSER_KEEP=1 keeps the temporary directory with the server's log and database.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# shellcheck source=server.sh
. "$here/server.sh"

# `npm ci` when the packages are missing or older than the lock file.
if [ ! -f "$here/node_modules/.package-lock.json" ] \
    || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

status=0
node "$here/journeys.mjs" --base "$base" --artifacts "$root/tests/artifacts/screenshots" || status=$?
if [ "$status" != 0 ]; then
    echo "browser: the server's log ($work/server.log), last lines:" >&2
    tail -n 30 "$work/server.log" >&2 || true
fi
exit "$status"
