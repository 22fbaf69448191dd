#!/usr/bin/env bash
# Rebuilds the browser search module (crates/koki-search-wasm → wasm32-unknown-unknown) and
# writes it, optimised with wasm-opt -O3 (for speed), to themes/default/static/search/koki_search.wasm
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

# opt-level 3 (and wasm-opt -O3): queries in V8 about 2.5 times faster than with "s"
# for 48 KB more brotli (366 vs 318 KB; budget 450). "z" was slower still.
build_module koki-search-wasm themes/default/static/search/koki_search.wasm -O3

# The stamp is computed by the same Rust code the freshness test uses.
STAMP=$(cargo run --quiet -p koki-search --example wasm_stamp)
printf '%s\n' "$STAMP" > themes/default/static/search/koki_search.stamp
echo "stamp $STAMP"
