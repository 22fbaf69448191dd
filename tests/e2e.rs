//! End-to-end checks in a real browser (issue: e2e). They run under `KOKI_E2E=1 cargo test`
//! (the build script turns the variable into the `koki_e2e` cfg); without it they are reported
//! as ignored. With `KOKI_E2E=1` and no Chromium they fail. Install the tools with
//! `scripts/install-e2e.sh`. Screenshots go to `target/e2e/<variant>/` (the path is printed).

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

/// Build the shipped catalog into `out` with the given base URL.
fn build_shipped(out: &Path, base_url: &str) {
    let root = repo_root();
    let o = koki(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--output",
        &out.to_string_lossy(),
        "--base-url",
        base_url,
    ]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
}

fn run_browser_checks(variant: &str, base_url: &str, base_path: &str, vnu: bool) {
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
        "KOKI_E2E=1 but Chromium is missing: run scripts/install-e2e.sh"
    );
    assert!(
        repo_root()
            .join("e2e/node_modules/playwright-core")
            .exists(),
        "e2e/node_modules missing: run scripts/install-e2e.sh"
    );
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("public");
    build_shipped(&site, base_url);
    let out = repo_root().join("target/e2e").join(variant);
    let mut cmd = Command::new("node");
    cmd.arg(repo_root().join("e2e/run.mjs")).args([
        "--site",
        &site.to_string_lossy(),
        "--base",
        base_path,
        "--out",
        &out.to_string_lossy(),
    ]);
    if vnu {
        cmd.arg("--vnu");
    }
    let o = cmd.output().expect("run node e2e/run.mjs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&o.stderr));
    let last = stdout.lines().last().unwrap_or("");
    let summary: serde_json::Value = serde_json::from_str(last).unwrap_or(serde_json::Value::Null);
    assert!(
        summary["passed"].as_u64().unwrap_or(0) > 20,
        "too few checks ran: {last}"
    );
    assert!(
        o.status.success() && summary["failed"] == 0,
        "browser checks failed ({variant}):\n{stdout}"
    );
}

#[test]
#[cfg_attr(
    not(koki_e2e),
    ignore = "browser test: run with KOKI_E2E=1 after scripts/install-e2e.sh"
)]
fn browser_checks_at_the_root() {
    run_browser_checks("root", "http://127.0.0.1/", "/", true);
}

#[test]
#[cfg_attr(
    not(koki_e2e),
    ignore = "browser test: run with KOKI_E2E=1 after scripts/install-e2e.sh"
)]
fn browser_checks_under_a_sub_path() {
    run_browser_checks("subpath", "http://127.0.0.1/katalog/", "/katalog/", false);
}
