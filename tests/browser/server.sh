# Sourced by run.sh and lighthouse.sh: installs Debian's Chromium and Node.js when missing, and
# starts target/debug/navigator (built with `cargo build -p navigator-server` only when absent) on
# a free port of 127.0.0.1 with a fresh SQLite database and the demo data. Sets `base` to its
# address; the server stops when the sourcing script exits.
# Expects `here` (this directory) and `root` (the repository) to be set.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then
        as_root apt-get update -qq
        apt_updated=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Debian's Chromium: the test tools must not download a browser of their own (no CDN here).
if [ ! -x /usr/bin/chromium ]; then
    echo "browser: installing chromium"
    apt_install chromium
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "browser: installing nodejs and npm"
    apt_install nodejs npm
fi

server="$root/target/debug/navigator"
if [ ! -x "$server" ]; then
    cargo build -p navigator-server
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ -n "${BROWSER_KEEP:-}" ]; then
        echo "browser: kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# A free port: the kernel picks one, and it is released just before the server binds it.
port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
base="http://127.0.0.1:$port"

DATABASE_URL="sqlite:$work/navigator.db?mode=rwc" \
NAVIGATOR_ADDR="127.0.0.1:$port" \
NAVIGATOR_JWT_SECRET="browser-tests-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" \
NAVIGATOR_SPA_DIR="$root/frontend/dist" \
NAVIGATOR_LOG=warn \
    "$server" serve >"$work/server.log" 2>&1 &
server_pid=$!

healthy=""
for _ in $(seq 1 120); do
    if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
        "$base/api/v1/health"; then
        healthy=1
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "browser: the server did not start:" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
    sleep 0.5
done
if [ -z "$healthy" ]; then
    echo "browser: the server did not answer on $base within a minute:" >&2
    cat "$work/server.log" >&2
    exit 1
fi

