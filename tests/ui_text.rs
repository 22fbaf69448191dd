//! UI text and accessibility of the default theme: every visible or announced text comes from
//! `themes/default/strings.de.yaml`, every string there is used, and navigation marks the
//! current page (`aria-current="page"`) apart from its section (`aria-current="true"`).
//! The search page and its scripts are left out (they have their own tests).

use koki::build::{build, BuildOptions};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn theme() -> PathBuf {
    repo().join("themes/default")
}

fn build_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let opts = BuildOptions {
        root: repo().join("tests/fixtures").join(name),
        output: out.clone(),
        theme: theme(),
        base_url: None,
        force: false,
        registry: koki_model::fields::Registry::builtin(),
    };
    build(&opts).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    (tmp, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// The main navigation of a page.
fn main_nav(html: &str) -> &str {
    let start = html.find("class=\"wrap main-nav\"").expect("main nav");
    let end = html[start..].find("</nav>").unwrap();
    &html[start..start + end]
}

fn templates() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(theme().join("templates"))
        .unwrap()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .filter(|(name, _)| name != "suche.html")
        .collect();
    out.sort();
    out
}

/// Template text without Tera tags, expressions and comments.
fn literal_text(template: &str) -> String {
    let mut s = template.to_string();
    for (open, close) in [("{{", "}}"), ("{%", "%}"), ("{#", "#}")] {
        while let Some(i) = s.find(open) {
            let Some(j) = s[i..].find(close) else { break };
            s.replace_range(i..i + j + close.len(), "");
        }
    }
    s
}

#[test]
fn templates_have_no_hard_coded_german_text() {
    for (name, text) in templates() {
        let literal = literal_text(&text);
        assert!(
            !literal.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü', 'ß']),
            "{name}: German text outside strings.de.yaml"
        );
        for attr in ["aria-label=\"", "title=\"", "alt=\"", "placeholder=\""] {
            for part in literal.split(attr).skip(1) {
                let value = part.split('"').next().unwrap_or("");
                assert!(
                    !value.contains(char::is_alphabetic),
                    "{name}: literal {attr}{value}\""
                );
            }
        }
        for part in literal.split("<th").skip(1) {
            let content = part.split_once('>').map_or("", |(_, c)| c);
            assert!(
                !content.starts_with(|c: char| c.is_alphabetic()),
                "{name}: literal table header {}",
                &content[..content.len().min(40)]
            );
        }
    }
}

#[test]
fn every_ui_string_is_used() {
    let strings = std::fs::read_to_string(theme().join("strings.de.yaml")).unwrap();
    let strings: serde_yaml::Value = serde_yaml::from_str(&strings).unwrap();
    let mut sources = String::new();
    let dirs = [
        theme().join("templates"),
        theme().join("static"),
        repo().join("src"),
        repo().join("crates/koki-site/src"),
    ];
    for dir in dirs {
        for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if e.file_type().is_file() {
                sources.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
    }
    let used = |key: &str| {
        sources.match_indices(key).any(|(i, _)| {
            let before = sources[..i].chars().next_back().unwrap_or(' ');
            let after = sources[i + key.len()..].chars().next().unwrap_or(' ');
            !(before.is_alphanumeric() || before == '_' || after.is_alphanumeric() || after == '_')
        })
    };
    for (key, _) in strings["ui"].as_mapping().unwrap() {
        let key = key.as_str().unwrap();
        // Chart notes are looked up as `statistik_{id}_hinweis`.
        let dynamic = key.starts_with("statistik_") && key.ends_with("_hinweis");
        assert!(dynamic || used(key), "ui string `{key}` is not used");
    }
}

#[test]
fn navigation_marks_page_and_section_apart() {
    let (_tmp, out) = build_fixture("browse-site");
    let overview = read(&out, "beispiele/index.html");
    let nav = main_nav(&overview);
    assert!(nav.contains(r#"beispiele/" aria-current="page">"#), "{nav}");
    assert_eq!(nav.matches("aria-current").count(), 1, "{nav}");

    let example = read(&out, "beispiele/hamburg-chatbot/index.html");
    let nav = main_nav(&example);
    assert!(nav.contains(r#"beispiele/" aria-current="true">"#), "{nav}");
    assert!(!nav.contains(r#"aria-current="page""#), "{nav}");

    let start = read(&out, "index.html");
    assert!(!main_nav(&start).contains(r#"aria-current="true""#));
}

#[test]
fn texts_moved_to_the_strings_file_still_appear() {
    let (_tmp, out) = build_fixture("browse-site");
    let example = read(&out, "beispiele/hamburg-chatbot/index.html");
    assert!(example.contains(r#"<nav class="breadcrumb" aria-label="Brotkrumen">"#));
    // "Fehler melden": label from the strings file, target the prefilled submission form.
    assert!(
        example.contains("einreichen/?korrektur=hamburg-chatbot\"")
            && example.contains("Fehler melden / Ergänzung vorschlagen"),
        "report link"
    );
    let form = read(&out, "einreichen/index.html");
    assert!(
        form.contains("Vorlage für ein neues Beispiel"),
        "form strings"
    );
    assert!(form.contains("(Pflicht)") && form.contains("Entwurf löschen"));

    let map = read(&out, "karte/index.html");
    assert!(
        map.contains("ab 20") || map.contains(">ab "),
        "open-ended legend class"
    );

    // The corner header of the fit table is not read aloud as "Backslash".
    let fit = read(&out, "passend/index.html");
    assert!(!fit.contains(" \\ "), "backslash in the table header");
    assert!(fit.contains(
        r#"<th scope="col"><span aria-hidden="true">Größenklasse / Ländlichkeit (Thünen)</span><span class="visually-hidden">Größenklasse</span></th>"#
    ));

    let (_tmp, out) = build_fixture("minimal");
    let scenario = read(&out, "szenarien/verkehr-2035/index.html");
    assert!(scenario.contains(
        r#"<th scope="col">Maßnahme</th><th scope="col">Aufwand</th><th scope="col">No-Regret</th>"#
    ));
}
