#!/usr/bin/env bash
# `just bench`: a generated region on SQLite and on PostgreSQL; on each, the catalog search under
# load next to the ceiling of the HTTP stack, the server's peak memory, and the monthly billing run.
# Figures go to stdout and to target/bench/summary.md; BENCHMARKS.md says what they mean.
#
#   BENCH_SCALE=0.1        the region's size (1.0 = 300,000 children, 600,000 enrollments)
#   BENCH_DURATION=20      seconds of load per measurement
#   BENCH_CONNECTIONS=64   concurrent clients of the load
#   BENCH_BACKENDS="sqlite postgres"
#   BENCH_CEILING=1        0 skips the ceiling of the HTTP stack (and its build)
#   BENCH_OUT=target/bench where the reports go
#   BENCH_BILLING=1        0 skips the billing run and the ledger check (long at scale 1.0)
#   BENCH_NAVIGATOR=target/release/navigator   the binary to measure (an older build, to compare;
#                          BENCH_SEARCHES then names the loads it understands)
#   BENCH_SEARCHES="search title distance filtered"
#
# As root, wrk is installed from Debian's packages when missing; PostgreSQL runs as a throwaway
# cluster around the PostgreSQL part (.ci/with-postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${BENCH_SCALE:-0.1}
duration=${BENCH_DURATION:-20}
connections=${BENCH_CONNECTIONS:-64}
backends=${BENCH_BACKENDS:-sqlite postgres}
out=${BENCH_OUT:-target/bench}
ceiling_on=${BENCH_CEILING:-1}
billing=${BENCH_BILLING:-1}
navigator=${BENCH_NAVIGATOR:-target/release/navigator}
searches=${BENCH_SEARCHES:-search title distance filtered}
ceiling=target/bench-ceiling/release/navigator-bench-ceiling

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

now() { date +%s.%N; }

# The one-minute load average: other work on the machine shares the cores with what is measured.
loadavg() { cut -d' ' -f1 /proc/loadavg; }

seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Waits until URL answers, up to a minute.
wait_for() {
    for _ in $(seq 1 600); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "bench: $1 did not answer" >&2
    return 1
}

# Runs wrk against URL and records "<label>_rps", "_p50_ms", "_p99_ms" in the results file.
load() {
    local label=$1 url=$2 results=$3 report="$out/wrk-$1.txt"
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$url" >"$report"
    if grep -q "Non-2xx" "$report"; then
        echo "bench: $label answered errors:" >&2
        cat "$report" >&2
        return 1
    fi
    awk -v label="$label" '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v
        }
        /^Requests\/sec:/ { printf "%s_rps %.0f\n", label, $2 }
        $1 == "50%" { printf "%s_p50_ms %.2f\n", label, ms($2) }
        $1 == "99%" { printf "%s_p99_ms %.2f\n", label, ms($2) }
    ' "$report" >>"$results"
    echo "${label}_load $(loadavg)" >>"$results"
    echo "  $label: $(grep "^${label}_" "$results" | tr '\n' ' ')"
}

# The peak and current resident memory of a process, in MiB.
memory() {
    awk -v label="$1" '
        /^VmHWM:/ { printf "%s_peak_rss_mib %.0f\n", label, $2 / 1024 }
        /^VmRSS:/ { printf "%s_rss_mib %.0f\n", label, $2 / 1024 }
    ' "/proc/$2/status"
}

# One backend from an empty database: generate, search under load, bill, verify.
bench_backend() {
    local name=$1 url=$2 results="$out/$1.results"
    : >"$results"
    # The load average every 10 s while this backend is measured (min and max in the summary).
    (while sleep 10 && kill -0 $$ 2>/dev/null; do loadavg; done) >"$out/$name-loadavg.txt" &
    local sampler=$!
    echo "== $name: generating scale $scale"
    local started
    started=$(now)
    DATABASE_URL=$url NAVIGATOR_LOG=warn "$navigator" generate --scale "$scale" --seed 1 \
        | tee "$out/$name-generate.txt"
    echo "generate_s $(seconds_since "$started")" >>"$results"
    echo "generate_load $(loadavg)" >>"$results"
    echo "enrollments $(awk '$1 == "enrollments:" { print $2 }' "$out/$name-generate.txt")" >>"$results"
    local month center
    month=$(sed -n 's/^billing month: //p' "$out/$name-generate.txt")
    mapfile -t municipalities < <(awk 'length($1) == 36 && $1 ~ /^[0-9a-f-]+$/ { print $1 }' "$out/$name-generate.txt")
    center=${municipalities[0]}

    local port pid base
    port=$(free_port)
    base="http://127.0.0.1:$port/api/v1"
    DATABASE_URL=$url NAVIGATOR_ADDR=127.0.0.1:$port NAVIGATOR_SEED=false NAVIGATOR_LOG=warn \
        NAVIGATOR_SPA_DIR="$out/no-spa" NAVIGATOR_JWT_SECRET=$(head -c 48 /dev/urandom | base64 -w0) \
        "$navigator" serve >"$out/$name-server.log" 2>&1 &
    pid=$!
    wait_for "$base/health"
    local chess search
    chess=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("шахматы"))')
    search="$base/programs?q=$chess&municipality_id=$center"
    # The loads: words (by relevance, the default with q), the same words by title, the nearest
    # programs to the center of Omsk, and filters without words.
    declare -A urls=(
        [search]=$search
        [title]="$search&sort=title"
        [distance]="$base/programs?municipality_id=$center&sort=distance&near=54.9885,73.3242"
        [filtered]="$base/programs?municipality_id=$center&direction=arts&age=9&funding=certificate&free_seats=true"
    )
    curl -fs "$search" >"$out/$name-page.json"
    for s in $searches; do curl -fs -o /dev/null "${urls[$s]}"; done
    memory "${name}_idle" "$pid" | grep rss_mib >>"$results"

    if [ "$ceiling_on" != 0 ]; then
        echo "== $name: ceiling (actix-web, fixed body of $(wc -c <"$out/$name-page.json") bytes)"
        local ceiling_port ceiling_pid
        ceiling_port=$(free_port)
        "$ceiling" "127.0.0.1:$ceiling_port" "$out/$name-page.json" >/dev/null &
        ceiling_pid=$!
        wait_for "http://127.0.0.1:$ceiling_port/api/v1/programs"
        load "${name}_ceiling" "http://127.0.0.1:$ceiling_port/api/v1/programs" "$results"
        kill "$ceiling_pid"
        wait "$ceiling_pid" 2>/dev/null || true
    fi

    echo "== $name: catalog search, $connections clients, ${duration} s each"
    for s in $searches; do load "${name}_$s" "${urls[$s]}" "$results"; done
    memory "${name}_server" "$pid" >>"$results"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    if [ "$billing" = 0 ]; then
        kill "$sampler"
        sed 's/^/  /' "$results"
        return
    fi

    echo "== $name: billing run $month --approve over ${#municipalities[@]} municipalities"
    started=$(now)
    for id in "${municipalities[@]}"; do
        DATABASE_URL=$url NAVIGATOR_LOG=warn "$navigator" billing-run --municipality "$id" \
            --month "$month" --approve
    done >"$out/$name-billing.txt"
    echo "billing_s $(seconds_since "$started")" >>"$results"
    echo "billing_load $(loadavg)" >>"$results"
    awk '/enrollments examined/ { e += $4 } /invoices approved:/ { a += $3 }
         END { printf "billing_examined %d\nbilling_approved %d\n", e, a }' \
        "$out/$name-billing.txt" >>"$results"
    started=$(now)
    DATABASE_URL=$url NAVIGATOR_LOG=warn "$navigator" ledger verify
    echo "verify_s $(seconds_since "$started")" >>"$results"
    echo "verify_load $(loadavg)" >>"$results"
    kill "$sampler"
    sed 's/^/  /' "$results"
}

# The PostgreSQL part runs inside .ci/with-postgres, which names the database.
if [ "${1:-}" = "--postgres" ]; then
    bench_backend postgres "$NAVIGATOR_TEST_DATABASE_URL"
    exit
fi

if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
mkdir -p "$out"
echo "== building (release)"
[ -n "${BENCH_NAVIGATOR:-}" ] || cargo build --release -q -p navigator-server
[ "$ceiling_on" = 0 ] || cargo build --release -q --locked --manifest-path bench/ceiling/Cargo.toml \
    --target-dir target/bench-ceiling

for backend in $backends; do
    case $backend in
        sqlite)
            rm -f "$out"/sqlite.db*
            bench_backend sqlite "sqlite:$out/sqlite.db?mode=rwc"
            ;;
        postgres) .ci/with-postgres "$0" --postgres ;;
        *) echo "bench: unknown backend $backend" >&2; exit 2 ;;
    esac
done

# The summary: one table per backend, ratios to the ceiling measured just before.
{
    echo "# just bench: scale $scale, $connections clients, ${duration} s per load, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), shared and noisy."
    for backend in $backends; do
        awk -v b="$backend" -v searches="$searches" '
            BEGIN {
                label["search"] = "search q + municipality (by relevance)"
                label["title"] = "search q + municipality, sort=title"
                label["distance"] = "nearest first (sort=distance) + municipality"
                label["filtered"] = "filtered search"
            }
            { v[$1] = $2 }
            END {
                c = v[b "_ceiling_rps"]
                printf "\n## %s\n\n", b
                printf "| measurement | figure | load average at the end |\n| --- | --- | --- |\n"
                printf "| generate (%s enrollments) | %s s | %s |\n", v["enrollments"], v["generate_s"], v["generate_load"]
                if (c > 0) printf "| ceiling (fixed body) | %s req/s, p50 %s ms, p99 %s ms | %s |\n", c, v[b "_ceiling_p50_ms"], v[b "_ceiling_p99_ms"], v[b "_ceiling_load"]
                n = split(searches, s, " ")
                for (i = 1; i <= n; i++) {
                    k = b "_" s[i]
                    share = c > 0 ? sprintf(" (%.1f%% of ceiling)", 100 * v[k "_rps"] / c) : ""
                    printf "| %s | %s req/s%s, p50 %s ms, p99 %s ms | %s |\n", label[s[i]], v[k "_rps"], share, v[k "_p50_ms"], v[k "_p99_ms"], v[k "_load"]
                }
                printf "| server RSS idle / peak under search | %s MiB / %s MiB | |\n", v[b "_idle_rss_mib"], v[b "_server_peak_rss_mib"]
                if (!("billing_s" in v)) exit
                printf "| billing run --approve | %s s, %d enrollments, %.0f enrollments/s (%d approved) | %s |\n", v["billing_s"], v["billing_examined"], v["billing_examined"] / v["billing_s"], v["billing_approved"], v["billing_load"]
                printf "| ledger verify | %s s | %s |\n", v["verify_s"], v["verify_load"]
            }' "$out/$backend.results"
        sort -n "$out/$backend-loadavg.txt" | awk 'NR == 1 { lo = $1 } { hi = $1 }
            END { if (NR) printf "\nLoad average (1 min) sampled every 10 s: %s to %s.\n", lo, hi }'
    done
} | tee "$out/summary.md"
