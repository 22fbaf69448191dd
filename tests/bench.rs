//! `koki bench`: the generator writes a valid site, and the JSON report has the documented
//! keys. Timings are printed by the benchmark, never asserted here.

use std::process::Command;

fn koki() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_koki"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

#[test]
fn bench_json_has_expected_keys() {
    let work = tempfile::tempdir().unwrap();
    let out = koki()
        .args(["bench", "--quiet", "--json", "--sizes", "50", "--work-dir"])
        .arg(work.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "koki_version",
        "cpus",
        "output_dir_kind",
        "seed",
        "runs",
        "sizes",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    let size = &v["sizes"][0];
    for key in [
        "examples",
        "scenarios",
        "phases",
        "build_ms",
        "process_ms",
        "pages",
        "pages_per_second",
        "peak_rss_bytes",
        "output_files",
        "output_bytes",
        "search_bundle_bytes",
        "search_module_bytes",
        "first_search_bytes",
    ] {
        assert!(size.get(key).is_some(), "missing sizes[0].{key}: {size}");
    }
    assert_eq!(size["examples"], 50);
    assert!(size["pages"].as_u64().unwrap() > 50);
    assert!(size["peak_rss_bytes"].as_u64().unwrap() > 0);
    assert!(size["search_bundle_bytes"].as_u64().unwrap() > 0);
    let phases: Vec<&str> = size["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    assert!(phases.contains(&"render"), "{phases:?}");
}

#[test]
fn generated_site_passes_check_and_builds() {
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    let out = koki()
        .args(["bench", "--generate", "200", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_dir(site.join("content/beispiele"))
            .unwrap()
            .count(),
        200
    );
    let check = koki()
        .args(["check", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let public = work.path().join("public");
    let build = koki()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(public.join("index.html").is_file());
}
