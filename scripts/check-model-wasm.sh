#!/usr/bin/env bash
# Proves that the content-model crate (crates/koki-model: model, validation, diagnostics)
# compiles for wasm32-unknown-unknown, i.e. needs no file system, threads or network,
# which the in-browser submission form relies on. Also prints its direct dependencies for
# that target so a reviewer can see there is no I/O crate among them.
#
# Same Debian toolchain as build-search-wasm.sh (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/wasm-toolchain.sh
. scripts/lib/wasm-toolchain.sh
/usr/bin/cargo check -p koki-model --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
  --target-dir "${KOKI_WASM_TARGET_DIR:-$ROOT/target/wasm-check}"
/usr/bin/cargo tree -p koki-model --target wasm32-unknown-unknown -e normal --depth 1
echo "koki-model: builds for wasm32-unknown-unknown"
