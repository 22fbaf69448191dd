# Sourced by the wasm scripts: installs Debian's Rust toolchain with a wasm-capable std when
# missing and selects it (rustup has no wasm32 std here; see ../shared/notes/wasm-toolchain.md).
#   rustc-web cargo-web rust-web-src lld-22 binaryen
need=()
[ -x /usr/bin/cargo ] || need+=(cargo-web)
[ -x /usr/bin/rustc ] || need+=(rustc-web)
[ -d /usr/lib/rustlib/src/rust/library ] || need+=(rust-web-src)
command -v ld.lld-22 >/dev/null 2>&1 || [ -x /usr/lib/llvm-22/bin/lld ] || need+=(lld-22)
command -v wasm-opt >/dev/null 2>&1 || need+=(binaryen)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update
  $SUDO apt-get install -y rustc-web cargo-web rust-web-src lld-22 binaryen
fi
export RUSTC=/usr/bin/rustc
export RUSTC_BOOTSTRAP=1

# Builds crate $1 for wasm32 in release mode with the module profile and writes the wasm-opt
# output to $2. $3 is the wasm-opt level (-O3 for speed, -Oz for size).
build_module() {
  local crate=$1 out=$2 level=$3
  local target_dir=${KOKI_WASM_TARGET_DIR:-$ROOT/target/wasm}
  # Default: no panic locations and no Debug formatting in the module (smaller; panics abort
  # anyway). A module whose messages quote values through Debug (serde's errors do) sets
  # KOKI_WASM_RUSTFLAGS without -Zfmt-debug=none.
  RUSTFLAGS=${KOKI_WASM_RUSTFLAGS:-'--cfg getrandom_backend="custom" -Zlocation-detail=none -Zfmt-debug=none'} \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=${KOKI_WASM_OPT_LEVEL:-3} \
  CARGO_PROFILE_RELEASE_LTO=fat \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
  CARGO_PROFILE_RELEASE_PANIC=abort \
  CARGO_PROFILE_RELEASE_DEBUG=false \
  CARGO_PROFILE_RELEASE_STRIP=true \
  /usr/bin/cargo build --release -p "$crate" \
    --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
    --target-dir "$target_dir"
  local raw="$target_dir/wasm32-unknown-unknown/release/${crate//-/_}.wasm"
  mkdir -p "$(dirname "$out")"
  # The features rustc enables by default for wasm32-unknown-unknown (all in browsers since 2021).
  wasm-opt "$level" --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    --strip-debug --strip-producers "$raw" -o "$out"
  ls -l "$raw" "$out"
}
