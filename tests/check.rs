//! `koki check`: one fixture site per class of finding, with the exact expected diagnostics.
//!
//! Each `tests/fixtures/check-<class>/` holds only the files that differ from the valid site
//! `tests/fixtures/check-base/` plus `expected.txt`, the exact human output (diagnostics and
//! summary line). The test copies the base and lays the class on top. After an intended change
//! of wording, regenerate the files with `KOKI_BLESS=1 cargo test --test check` and review the
//! diff.

use chrono::NaiveDate;
use koki::diagnostics::{Diagnostics, Severity};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CLASSES: &[&str] = &[
    "links",
    "duplicates",
    "stale",
    "sections",
    "placeholders",
    "missing-ags",
    "suggestions",
];

/// 2026-11-28T00:00:00Z, the reference date of all fixtures.
const EPOCH: &str = "1795824000";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel == Path::new("expected.txt") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary site: `check-base` plus the files of `check-<class>` (none for "base").
fn site(class: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("check-base"), dir.path());
    if class != "base" {
        copy_dir(&fixtures().join(format!("check-{class}")), dir.path());
    }
    dir
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn check_at(root: &Path, date: NaiveDate) -> Diagnostics {
    koki::check::check_with_date(root, date)
}

/// Human output plus summary line, exactly as `koki check` prints it.
fn human(d: &Diagnostics) -> String {
    format!("{}{}\n", d.render_human(), d.summary())
}

fn koki(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_koki"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run koki")
}

#[test]
fn base_fixture_is_clean() {
    let dir = site("base");
    let d = check_at(dir.path(), today());
    assert!(d.is_empty(), "{}", human(&d));
}

#[test]
fn each_class_yields_its_exact_diagnostics() {
    let bless = std::env::var_os("KOKI_BLESS").is_some();
    let mut failures = Vec::new();
    for class in CLASSES {
        let dir = site(class);
        let got = human(&check_at(dir.path(), today()));
        let file = fixtures().join(format!("check-{class}/expected.txt"));
        if bless {
            std::fs::write(&file, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&file).unwrap_or_default();
        if got != want {
            failures.push(format!(
                "== check-{class}: output differs from {}\n-- got:\n{got}\n-- expected:\n{want}",
                file.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(after an intended change: KOKI_BLESS=1 cargo test --test check, then review the diff)",
        failures.join("\n")
    );
}

#[test]
fn every_class_reports_something_and_points_into_the_file() {
    for class in CLASSES {
        let dir = site(class);
        let d = check_at(dir.path(), today());
        assert!(!d.is_empty(), "{class}: nothing reported");
        for item in &d.items {
            assert!(
                item.file.starts_with("content"),
                "{class}: {}",
                item.location()
            );
            assert!(
                dir.path().join(&item.file).is_file(),
                "{class}: {:?}",
                item.file
            );
            // Every finding carries a message and either an expectation or a hint.
            assert!(
                item.expected.is_some() || item.hint.is_some(),
                "{class}: {}",
                item.headline()
            );
        }
    }
}

#[test]
fn staleness_follows_the_injected_date() {
    let dir = site("stale");
    // 18 months before 2025-07-01 is 2024-01-01: every entry of the fixture is fresh then.
    let early = check_at(dir.path(), NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
    assert!(early.is_empty(), "{}", human(&early));
    // The boundary: checked exactly 18 months ago is not stale; one day later it is.
    let at = check_at(dir.path(), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
    assert!(!human(&at).contains("grenzdorf"), "{}", human(&at));
    let after = check_at(dir.path(), NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    assert!(human(&after).contains("grenzdorf"), "{}", human(&after));
}

#[test]
fn warnings_wait_until_a_file_has_no_errors() {
    let dir = site("stale");
    let file = dir.path().join("content/beispiele/altdorf-pruefung-alt.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("bundesland: he", "bundesland: hessen")).unwrap();
    let d = check_at(dir.path(), today());
    let altdorf: Vec<_> = d
        .items
        .iter()
        .filter(|i| i.file.ends_with("altdorf-pruefung-alt.md"))
        .collect();
    assert_eq!(altdorf.len(), 1, "{}", human(&d));
    assert_eq!(altdorf[0].severity, Severity::Error);
    // The other stale entry still gets its warning.
    assert!(human(&d).contains("neudorf-nie-geprueft.md:15:13: warning"));
}

#[test]
fn shipped_catalog_passes_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = check_at(root, today());
    assert!(!d.has_errors(), "{}", human(&d));
}

#[test]
fn json_output_parses_back() {
    let dir = site("links");
    let out = koki(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let expected = check_at(dir.path(), today());
    assert_eq!(report["errors"], expected.error_count());
    assert_eq!(report["warnings"], 0);
    let items = report["diagnostics"].as_array().unwrap();
    assert_eq!(items.len(), expected.items.len());
    let first = &items[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "content/beispiele/linkstadt-linkpruefung.md");
    assert_eq!(first["line"], 20);
    assert_eq!(first["column"], 20);
    assert_eq!(
        first["message"],
        "Link `/beispiele/kleindorf-chatbott/`: ein Beispiel `kleindorf-chatbott` gibt es nicht"
    );
    assert_eq!(
        first["hint"],
        "meinten Sie `/beispiele/kleindorf-chatbot/`?"
    );
    assert!(first["expected"]
        .as_str()
        .unwrap()
        .contains("content/beispiele/"));
    // Field-level findings name their field.
    let dir = site("placeholders");
    let out = koki(dir.path(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fields: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(fields, ["kurzbeschreibung", "bundesland", "zeithorizont"]);
}

#[test]
fn github_format_annotates_lines() {
    let dir = site("duplicates");
    let out = koki(dir.path(), &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        "::error file=content/beispiele/kleindorf-rathausbot.md,line=16,col=22,title=koki check%3A content/beispiele/kleindorf-rathausbot.md%3A16%3A22::Feld `externe_ids.pstw`: die PSTW-Kennung `pstw-100` steht auch in `content/beispiele/kleindorf-chatbot.md` (erwartet: jedes Vorhaben nur einmal im Katalog) Hilfe: führen Sie die beiden Einträge zusammen oder korrigieren Sie die Kennung"
    );
    assert!(
        lines[1].starts_with(
            "::warning file=content/beispiele/musterstadt-ampeln.md,line=2,col=1,title="
        ),
        "{}",
        lines[1]
    );
    // The summary goes to stderr, so stdout holds only workflow commands.
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 Fehler, 1 Warnung in 2 Dateien"));
}

#[test]
fn strict_turns_warnings_into_errors() {
    let dir = site("stale");
    let relaxed = koki(dir.path(), &["check"]);
    assert_eq!(relaxed.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&relaxed.stderr).contains("0 Fehler, 2 Warnungen in 2 Dateien"));
    let strict = koki(dir.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(err.contains("2 Fehler, 0 Warnungen in 2 Dateien"), "{err}");
    assert!(
        err.contains("altdorf-pruefung-alt.md:16:19: error:"),
        "{err}"
    );
}

#[test]
fn human_output_has_caret_under_the_column() {
    let dir = site("links");
    let out = koki(dir.path(), &["check"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("content/seiten/ueber.md:8:34: error:"))
        .expect("link error in ueber.md");
    assert_eq!(lines[at + 2], "8 | Schreiben Sie an das [Impressum](/seiten/impresum/) oder lesen Sie die [Leitfragen](/seiten/leitfragen/#vorher).");
    let caret = lines[at + 3];
    assert_eq!(caret.find('^'), Some("8 | ".len() + 33), "{caret}");
}

#[test]
fn check_writes_nothing() {
    let dir = site("placeholders");
    let list = |root: &Path| -> Vec<(PathBuf, u64)> {
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                (e.path().to_path_buf(), e.metadata().unwrap().len())
            })
            .collect()
    };
    let before = list(dir.path());
    for format in ["human", "json", "github"] {
        koki(dir.path(), &["check", "--format", format, "--strict"]);
    }
    assert_eq!(list(dir.path()), before);
}
