#!/usr/bin/env bash
# Rebuilds the browser search module (crates/koki-search-wasm → wasm32-unknown-unknown) and
# writes it, optimised with wasm-opt -O3, to themes/default/static/search/koki_search.wasm
# together with a stamp of the sources it was built from (checked by tests/search_wasm.rs).
#
# Needs Debian's Rust packages with a wasm-capable std (installed when missing):
#   rustc-web cargo-web rust-web-src lld-22 binaryen
# See ../shared/notes/wasm-toolchain.md for why (rustup has no wasm32 std here).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/wasm-toolchain.sh
. scripts/lib/wasm-toolchain.sh

# Size where it does not cost query time: opt-level "s" for the module as a whole, 3 for the
# crates a query runs through (postings, scoring, dictionary, automata, analysis). Measured
# on the same sources (node/V8, bench_search): all at 3: 390 KB brotli, query p95 1.9 ms
# (shipped) / 2.6 ms (10,000); mixed: 344 KB, 2.5 / 3.7 ms (budget 5 ms). All at "s" was
# about 2.5 times slower than all at 3; "z" slower still.
export KOKI_WASM_OPT_LEVEL=s
for crate in TANTIVY TANTIVY_BITPACKER BITPACKING TANTIVY_COMMON TANTIVY_SSTABLE \
  LEVENSHTEIN_AUTOMATA TANTIVY_FST KOKI_SEARCH KOKI_TEXT KOKI_SEARCH_WASM OWNEDBYTES; do
  export "CARGO_PROFILE_RELEASE_PACKAGE_${crate}_OPT_LEVEL=3"
done
build_module koki-search-wasm themes/default/static/search/koki_search.wasm -O3

# The stamp is computed by the same Rust code the freshness test uses.
STAMP=$(cargo run --quiet -p koki-search --example wasm_stamp)
printf '%s\n' "$STAMP" > themes/default/static/search/koki_search.stamp
echo "stamp $STAMP"
