#!/usr/bin/env bash
# `just bench`, the money path: applications with their acceptance per second on PostgreSQL, next
# to pgbench's tpcb-like transactions per second on the same cluster, with the same number of
# clients, in the same run. Figures go to stdout and target/bench/money.md; BENCHMARKS.md says
# what they mean.
#
#   BENCH_CONNECTIONS=64   concurrent clients of both loads
#   BENCH_DURATION=20      seconds of each load
#   MONEY_SCALE=0.05       the generated region (1.0 = 300,000 children)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${BENCH_CONNECTIONS:-64}
duration=${BENCH_DURATION:-20}
scale=${MONEY_SCALE:-0.05}
out=target/bench
mkdir -p "$out"

if [ "${1:-}" != "--inside" ]; then
    echo "== building (release)"
    cargo build --release -q -p navigator-server -p navigator-tests --bin navigator --bin bank
    exec .ci/with-postgres "$0" --inside
fi

# Inside .ci/with-postgres: one throwaway cluster for both loads.
url=$NAVIGATOR_TEST_DATABASE_URL
port=$(sed -E 's|.*:([0-9]+)/.*|\1|' <<<"$url")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$bin" ] || bin=$(dirname "$(command -v pgbench)")
psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAt)

echo "== money path: navigator generate --scale $scale, then $clients clients apply and accept for ${duration} s"
DATABASE_URL=$url NAVIGATOR_LOG=warn target/release/navigator generate --scale "$scale" --seed 1 \
    >"$out/money-generate.txt"
target/release/bank bench --database-url "$url" --navigator target/release/navigator \
    --clients "$clients" --duration "$duration" | tee "$out/money.results"

echo "== pgbench -b tpcb-like, scale 10, $clients clients, ${duration} s, same cluster"
"${psql[@]}" -c "CREATE DATABASE pgbench" postgres
"$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -s 10 -q pgbench >"$out/pgbench-init.txt" 2>&1
"$bin/pgbench" -h 127.0.0.1 -p "$port" -U postgres -c "$clients" -j 2 -T "$duration" \
    -b tpcb-like -M prepared pgbench 2>&1 | tee "$out/pgbench.txt"

per_s=$(awk '$1 == "money_path_per_s" { print $2 }' "$out/money.results")
tps=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$out/pgbench.txt" | tail -n 1)
{
    echo "# money path, $clients clients, ${duration} s, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
    echo
    echo "| measurement | figure |"
    echo "| --- | --- |"
    echo "| applications accepted (apply + accept) | $per_s /s |"
    echo "| pgbench tpcb-like | $tps tps |"
    awk -v a="$per_s" -v t="$tps" 'BEGIN { printf "| ratio | %.3f (%.1f%%) |\n", a / t, 100 * a / t }'
} | tee "$out/money.md"
