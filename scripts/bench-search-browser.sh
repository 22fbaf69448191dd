#!/usr/bin/env bash
# First-search cost in Chromium, koki next to Pagefind on the same built sites (issue 18).
#
#   scripts/bench-search-browser.sh [SIZES]      default: shipped,1000,10000,50000
#
# For each size: builds the site (the shipped catalog, or `koki bench --generate N`), indexes
# its example and scenario pages with Pagefind 1.6.0 (installed from npm into target/, never a
# dependency of the build), and runs e2e/bench-search.mjs, which prints one JSON line per
# engine: first-search bytes (brotli -q 11, page, CSS and scripts included), files, first
# query time on localhost, warm query p95. Then success@5 of Pagefind on the shared relevance
# cases (tests/fixtures/search/relevance.json) over pages made from the search fixture catalog;
# koki's success@5 on the same cases is asserted by `cargo test --test search_relevance`.
# Needs the browser tools of scripts/install-e2e.sh (run first if e2e/node_modules is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-shipped,1000,10000,50000}"
work="${KOKI_BENCH_DIR:-target/bench-search}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
cargo build --release -q
[ -d e2e/node_modules ] || bash scripts/install-e2e.sh
pf="$work/pagefind-npm"
if [ ! -x "$pf/node_modules/.bin/pagefind" ]; then
  mkdir -p "$pf"
  (cd "$pf" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent pagefind@1.6.0)
fi
entry_pages='{beispiele,szenarien}/*/index.html'
pagefind() { "$pf/node_modules/.bin/pagefind" --site "$1" --glob "${2:-$entry_pages}" >/dev/null; }

for n in ${sizes//,/ }; do
  if [ "$n" = shipped ]; then
    site="$work/shipped"
    target/release/koki build -q --output "$site"
  else
    rm -rf "$work/site-$n"
    target/release/koki bench --generate "$n" --out "$work/site-$n" -q
    site="$work/site-$n/public"
    target/release/koki build -q --root "$work/site-$n" --output "$site"
  fi
  start=$(date +%s.%N)
  pagefind "$site"
  echo "{\"size\": \"$n\", \"pagefind_index_s\": $(echo "$(date +%s.%N) - $start" | bc)}"
  node e2e/bench-search.mjs --site "$site" | sed "s/^{/{\"size\": \"$n\", /"
done

# Pagefind's success@5 on the relevance cases: one page per fixture entry.
fx="$work/relevance-site"
rm -rf "$fx"
node -e '
const fs = require("fs"), path = require("path");
const [catalog, out] = process.argv.slice(1);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]));
for (const d of JSON.parse(fs.readFileSync(catalog, "utf8")).docs) {
  fs.mkdirSync(path.join(out, d.id), { recursive: true });
  fs.writeFileSync(path.join(out, d.id, "index.html"), `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${esc(d.title)}</title></head><body><main><h1>${esc(d.title)}</h1><p>${esc(d.summary)}</p><p>${esc((d.kommunen || []).join(", "))}</p><p>${esc(d.body)}</p></main></body></html>`);
}
fs.writeFileSync(path.join(out, "404.html"), "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>404</title></head><body></body></html>");
fs.mkdirSync(path.join(out, "suche"), { recursive: true });
' tests/fixtures/search/catalog.json "$fx"
pagefind "$fx" "*/index.html"
node e2e/bench-search.mjs --site "$fx" --queries "Ampel" --relevance tests/fixtures/search/relevance.json --pagefind-only \
  | grep pagefind | sed 's/^{/{"size": "relevance fixture", /'
