#!/usr/bin/env bash
# Rebuilds the submission form's module (crates/koki-form-wasm: koki-model's parsing,
# validation and file composition → wasm32-unknown-unknown) and writes it, optimised for size
# with wasm-opt -Oz, to themes/default/static/einreichen/koki_form.wasm together with a stamp
# of the sources it was built from (checked by tests/form_wasm.rs).
#
# Same Debian toolchain as build-search-wasm.sh (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/wasm-toolchain.sh
. scripts/lib/wasm-toolchain.sh

# Validation runs once per keystroke pause on one file: size matters more than speed.
# Debug formatting stays: serde's type errors quote the found value with it, and the
# diagnostics must read exactly as `koki check`'s.
KOKI_WASM_RUSTFLAGS='-Zlocation-detail=none' KOKI_WASM_OPT_LEVEL=z build_module koki-form-wasm themes/default/static/einreichen/koki_form.wasm -Oz

STAMP=$(cargo run --quiet -p koki-search --example wasm_stamp -- form)
printf '%s\n' "$STAMP" > themes/default/static/einreichen/koki_form.stamp
echo "stamp $STAMP"
