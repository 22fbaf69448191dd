//! The committed submission-form module (themes/default/static/einreichen/koki_form.wasm):
//! (a) it reports exactly the diagnostics of the build's validation (`koki check`) for every
//!     content file of every fixture site and of the shipped catalog, run inside wasmi;
//! (b) whatever is typed into the form, hostile text included, yields a file that `koki check`
//!     accepts with exactly that text, or rejects with the message the form showed;
//! (c) a correction changes only the edited field;
//! (d) the module was built from the current sources (stamp check).

mod common;
mod search_support;

use koki::diagnostics::Diagnostics;
use koki_model::submission::{self, Context, Draft, Request};
use search_support::WasmModule;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn module() -> WasmModule {
    WasmModule::load(&common::repo_root().join(koki_search::stamp::FORM.module_file))
}

/// Every site the tests know: plain fixture sites, overlays (applied to their base the way
/// the check and build tests apply them), and the shipped catalog.
fn sites() -> Vec<(String, tempfile::TempDir)> {
    let fx = common::fixtures();
    let mut out = Vec::new();
    let mut add = |name: String, layers: Vec<PathBuf>| {
        let dir = tempfile::tempdir().expect("tempdir");
        for layer in layers {
            common::copy_tree(&layer.join("content"), &dir.path().join("content"));
        }
        out.push((name, dir));
    };
    for plain in ["minimal", "browse-site", "hostile", "check-base"] {
        add(plain.to_string(), vec![fx.join(plain)]);
    }
    let mut overlays: Vec<(String, PathBuf, PathBuf)> = Vec::new();
    for e in std::fs::read_dir(&fx).expect("fixtures") {
        let p = e.expect("entry").path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("check-") && name != "check-base" && p.join("content").is_dir() {
            overlays.push((name, fx.join("check-base"), p));
        }
    }
    for e in std::fs::read_dir(fx.join("invalid")).expect("invalid fixtures") {
        let p = e.expect("entry").path();
        if p.join("content").is_dir() {
            let name = format!("invalid/{}", p.file_name().unwrap().to_string_lossy());
            overlays.push((name, fx.join("minimal"), p));
        }
    }
    overlays.sort();
    for (name, base, overlay) in overlays {
        add(name, vec![base, overlay]);
    }
    add("shipped".into(), vec![common::repo_root()]);
    out
}

/// The content files of a site, as (site-relative path, text), skipping what is not UTF-8.
fn content_files(root: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let in_section = ["beispiele", "szenarien", "handlungsfelder", "seiten"]
            .iter()
            .any(|s| rel.starts_with(&format!("content/{s}/")));
        if entry.file_type().is_file() && in_section {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                files.push((rel, text));
            }
        }
    }
    files
}

/// The build's validation of a whole site: what `koki check` reports before its extra checks.
fn native(root: &Path) -> (koki::load::Loaded, Context, Diagnostics) {
    let (loaded, mut diags) = koki::load::load(root);
    koki::validate::validate(&loaded, &mut diags);
    diags.sort();
    let vocab = std::fs::read_to_string(root.join("content/vokabular.yaml")).unwrap_or_default();
    let ctx = Context::of(&loaded, vocab);
    (loaded, ctx, diags)
}

#[test]
fn module_reports_the_builds_diagnostics_for_every_fixture_and_shipped_file() {
    let mut wasm = module();
    let mut compared = 0;
    let mut with_findings = 0;
    for (name, dir) in sites() {
        let (_, ctx, diags) = native(dir.path());
        wasm.open(&serde_json::to_vec(&ctx).unwrap());
        for (rel, text) in content_files(dir.path()) {
            let expected: Vec<_> = diags
                .items
                .iter()
                .filter(|d| d.file == Path::new(&rel))
                .cloned()
                .collect();
            let request = serde_json::to_vec(&Request::Pruefen {
                datei: rel.clone(),
                text,
                neu: false,
            })
            .unwrap();
            let (status, got) = wasm.call("koki_form", &request);
            assert_eq!(status, 0, "{name} {rel}: {}", String::from_utf8_lossy(&got));
            let got: Value = serde_json::from_slice(&got).unwrap();
            assert_eq!(
                got["diagnosen"],
                serde_json::to_value(&expected).unwrap(),
                "{name} {rel}: module and build disagree; if koki-model changed, run \
                 scripts/build-form-wasm.sh"
            );
            compared += 1;
            with_findings += usize::from(!expected.is_empty());
        }
    }
    assert!(compared > 150, "only {compared} files compared");
    assert!(
        with_findings >= 10,
        "only {with_findings} files with findings"
    );
}

fn typed_draft(titel: &str, body: &str) -> Draft {
    Draft {
        felder: vec![
            ("kommunen".into(), json!([{"name": titel, "ags": "09162"}])),
            ("bundesland".into(), json!("by")),
            ("verwaltungsebene".into(), json!("stadt")),
            ("titel".into(), json!(titel)),
            ("kurzbeschreibung".into(), json!("Eine Kurzbeschreibung.")),
            ("handlungsfeld".into(), json!("buergerservice")),
            ("status".into(), json!("pilot")),
            ("ki_technik".into(), json!(["generative_ki"])),
            ("anbieter".into(), json!(titel)),
            (
                "quellen".into(),
                json!([{"titel": "Quelle", "url": "https://example.org/", "abgerufen": "2026-12-06"}]),
            ),
            ("erfasst_am".into(), json!("2026-12-06")),
        ],
        text: body.into(),
    }
}

#[test]
fn hostile_input_is_accepted_exactly_or_rejected_with_the_forms_message() {
    let site = common::site(None);
    let (_, ctx, _) = native(site.path());
    let mut wasm = module();
    wasm.open(&serde_json::to_vec(&ctx).unwrap());
    let long_line = "Wort ".repeat(20_000);
    let megabyte = "x".repeat(1 << 20);
    let cases: Vec<(&str, &str)> = vec![
        (
            "</script><script>alert(1)</script>",
            "Text mit </script> und <b>HTML</b>.",
        ),
        ("a: b # kein Kommentar", "---\nkein Front Matter\n---"),
        ("---", "..."),
        ("&anker *alias !tag", "Zeile\tmit Tab"),
        ("\tTab am Anfang", "normal"),
        ("'einfach' \"doppelt\" `rück`", "Text"),
        ("- keine Liste", "- doch eine Liste"),
        ("{ kein: objekt }", "Text"),
        ("ja", "nein"),
        ("0123", "Text"),
        ("~", "Text"),
        ("%YAML 1.2", "Text"),
        (long_line.as_str(), "Text"),
        ("Titel", megabyte.as_str()),
        (megabyte.as_str(), "Text"),
        ("Steuer\u{7}zeichen", "Text"),
    ];
    for (i, (titel, body)) in cases.iter().enumerate() {
        let datei = format!("content/beispiele/hostil-{i}.md");
        let request = serde_json::to_vec(&Request::Erzeugen {
            datei: Some(datei.clone()),
            entwurf: typed_draft(titel, body),
            original: None,
            neu: true,
        })
        .unwrap();
        let (status, answer) = wasm.call("koki_form", &request);
        assert_eq!(status, 0, "case {i}");
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        let text = answer["text"].as_str().expect("file text");
        std::fs::write(site.path().join(&datei), text).unwrap();
        let (loaded, _, diags) = native(site.path());
        let native_for_file: Vec<_> = diags
            .items
            .iter()
            .filter(|d| d.file == Path::new(&datei))
            .cloned()
            .collect();
        assert_eq!(
            answer["diagnosen"],
            serde_json::to_value(&native_for_file).unwrap(),
            "case {i}: the form showed other findings than koki check reports"
        );
        if native_for_file
            .iter()
            .all(|d| d.severity != koki::diagnostics::Severity::Error)
        {
            let e = loaded
                .examples
                .iter()
                .find(|e| e.id == format!("hostil-{i}"))
                .unwrap_or_else(|| panic!("case {i}: accepted but not loaded"));
            assert_eq!(e.meta.titel, *titel, "case {i}: title changed");
            assert_eq!(e.meta.anbieter.as_deref(), Some(*titel), "case {i}");
            assert_eq!(e.meta.kommunen[0].name, *titel, "case {i}");
            assert_eq!(e.body.trim(), body.trim(), "case {i}: body changed");
        } else {
            assert!(
                native_for_file.iter().any(|d| !d.message.is_empty()),
                "case {i}: rejected without a message"
            );
        }
        std::fs::remove_file(site.path().join(&datei)).unwrap();
    }
}

#[test]
fn a_correction_changes_only_the_edited_field() {
    let root = common::repo_root();
    let mut wasm = module();
    let (_, ctx, _) = native(&root);
    wasm.open(&serde_json::to_vec(&ctx).unwrap());
    let mut checked = 0;
    for (rel, text) in content_files(&root)
        .into_iter()
        .filter(|(r, _)| r.starts_with("content/beispiele/"))
    {
        let (_, answer) = wasm.call(
            "koki_form",
            &serde_json::to_vec(&Request::Entwurf { text: text.clone() }).unwrap(),
        );
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        let mut draft: Draft = serde_json::from_value(answer["entwurf"].clone()).expect("draft");
        // Unchanged draft: the very same bytes.
        assert_eq!(
            submission::amend(&text, &draft),
            text,
            "{rel}: unchanged draft altered the file"
        );
        let status = draft
            .felder
            .iter_mut()
            .find(|(k, _)| k == "status")
            .expect("status");
        let new_status = if status.1 == json!("pilot") {
            "regelbetrieb"
        } else {
            "pilot"
        };
        status.1 = json!(new_status);
        let request = serde_json::to_vec(&Request::Erzeugen {
            datei: Some(rel.clone()),
            entwurf: draft,
            original: Some(text.clone()),
            neu: false,
        })
        .unwrap();
        let (_, answer) = wasm.call("koki_form", &request);
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        let amended = answer["text"].as_str().unwrap();
        let before: Vec<&str> = text.lines().collect();
        let after: Vec<&str> = amended.lines().collect();
        assert_eq!(before.len(), after.len(), "{rel}: lines added or removed");
        let diff: Vec<(&str, &str)> = before
            .iter()
            .zip(&after)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (*a, *b))
            .collect();
        assert_eq!(
            diff.len(),
            1,
            "{rel}: more than the status line changed: {diff:?}"
        );
        assert!(
            diff[0].0.starts_with("status:") && diff[0].1 == format!("status: {new_status}"),
            "{rel}: {diff:?}"
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} shipped examples checked");
}

#[test]
fn committed_module_is_built_from_current_sources() {
    let root = common::repo_root();
    let form = koki_search::stamp::FORM;
    let committed = std::fs::read_to_string(root.join(form.stamp_file)).expect("stamp file");
    let current = koki_search::stamp::stamp_of(&root, &form).expect("compute stamp");
    assert_eq!(
        committed.trim(),
        current,
        "the form module is stale: run scripts/build-form-wasm.sh and commit \
         themes/default/static/einreichen/"
    );
}
