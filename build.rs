//! Build script: turns the `KOKI_E2E` environment variable into the `koki_e2e` cfg, so the
//! browser tests in `tests/e2e.rs` run under `KOKI_E2E=1 cargo test` and are reported as
//! ignored (not silently passed) otherwise.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(koki_e2e)");
    println!("cargo::rerun-if-env-changed=KOKI_E2E");
    if std::env::var("KOKI_E2E").as_deref() == Ok("1") {
        println!("cargo::rustc-cfg=koki_e2e");
    }
}
