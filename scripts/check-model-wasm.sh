#!/usr/bin/env bash
# Proves that the content-model crate (crates/koki-model: model, validation, diagnostics)
# compiles for wasm32-unknown-unknown, i.e. needs no file system, threads or network,
# which the in-browser submission form relies on. Also prints its dependency tree for that
# target so a reviewer can see there is no I/O crate in it.
#
# Uses the same Debian toolchain as build-search-wasm.sh (installed by it when missing):
#   rustc-web cargo-web rust-web-src lld-22 binaryen
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ ! -x /usr/bin/cargo ] || [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update
  $SUDO apt-get install -y rustc-web cargo-web rust-web-src lld-22 binaryen
fi
export RUSTC=/usr/bin/rustc
export RUSTC_BOOTSTRAP=1
/usr/bin/cargo check -p koki-model --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
  --target-dir "${KOKI_WASM_TARGET_DIR:-$ROOT/target/wasm-check}"
/usr/bin/cargo tree -p koki-model --target wasm32-unknown-unknown -e normal --depth 1
echo "koki-model: builds for wasm32-unknown-unknown"
