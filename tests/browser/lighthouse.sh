#!/usr/bin/env bash
# Lighthouse on the catalog page of the SPA, served by a real server with the demo data, in
# Debian's headless Chromium. Writes the full report and the four scores to
# tests/artifacts/lighthouse/ (catalog.report.json, scores.json) and prints the scores with the
# sizes of the SPA's download (raw and gzipped), the figures of BENCHMARKS.md.
#
# Usage: tests/browser/lighthouse.sh    (from anywhere)
# Environment: LIGHTHOUSE_FORM_FACTOR=desktop for the desktop preset (default: mobile, Lighthouse's
# own default: a throttled mid-range phone).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# shellcheck source=server.sh
. "$here/server.sh"

tool="$here/lighthouse"
if [ ! -f "$tool/node_modules/.package-lock.json" ] \
    || [ "$tool/package-lock.json" -nt "$tool/node_modules/.package-lock.json" ]; then
    (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error)
fi

out="$root/tests/artifacts/lighthouse"
mkdir -p "$out"
form_factor="${LIGHTHOUSE_FORM_FACTOR:-mobile}"
preset=()
if [ "$form_factor" = desktop ]; then preset=(--preset=desktop); fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"; cleanup' EXIT
CHROME_PATH=/usr/bin/chromium "$tool/node_modules/.bin/lighthouse" "$base/catalog" \
    "${preset[@]}" \
    --quiet \
    --output=json \
    --output-path="$out/catalog.report.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --user-data-dir=$profile"

node - "$out/catalog.report.json" "$out/scores.json" "$form_factor" <<'JS'
const { readFileSync, writeFileSync } = require('node:fs');
const [report, target, formFactor] = process.argv.slice(2);
const lhr = JSON.parse(readFileSync(report, 'utf8'));
const score = (id) => Math.round(lhr.categories[id].score * 100);
const metric = (id) => lhr.audits[id].displayValue;
const scores = {
  form_factor: formFactor,
  lighthouse: lhr.lighthouseVersion,
  performance: score('performance'),
  accessibility: score('accessibility'),
  best_practices: score('best-practices'),
  seo: score('seo'),
  first_contentful_paint: metric('first-contentful-paint'),
  largest_contentful_paint: metric('largest-contentful-paint'),
  total_blocking_time: metric('total-blocking-time'),
  cumulative_layout_shift: metric('cumulative-layout-shift'),
  speed_index: metric('speed-index'),
};
writeFileSync(target, `${JSON.stringify(scores, null, 2)}\n`);
console.log(JSON.stringify(scores, null, 2));
JS

for file in frontend/dist/navigator_bg.wasm frontend/dist/navigator.js frontend/dist/style.css frontend/dist/index.html; do
    printf '%-34s %8d bytes, %7d gzipped\n' "$file" "$(wc -c < "$file")" "$(gzip -9c "$file" | wc -c)"
done
