//! Integration tests of `koki build` and `koki check` over fixture sites (issue: foundation).

mod common;
use common::*;
use std::path::Path;

fn build(root: &Path, extra: &[&str]) -> std::process::Output {
    let root_s = root.to_string_lossy().into_owned();
    let mut args = vec!["build", "--root", root_s.as_str()];
    args.extend_from_slice(extra);
    koki(&args)
}

#[test]
fn minimal_site_builds_all_page_types() {
    let site = site(None);
    let out = build(site.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    for page in [
        "index.html",
        "404.html",
        "beispiele/index.html",
        "beispiele/musterstadt-ampelsteuerung/index.html",
        "beispiele/kleindorf-chatbot/index.html",
        "szenarien/index.html",
        "szenarien/verkehr-2035/index.html",
        "handlungsfelder/index.html",
        "handlungsfelder/mobilitaet-verkehr/index.html",
        "seiten/impressum/index.html",
        "filter/bundesland/by/index.html",
        "sitemap.xml",
        "robots.txt",
        "static/css/koki.css",
    ] {
        assert!(public.join(page).is_file(), "missing {page}");
    }
}

#[test]
fn example_page_groups_known_facts_and_collapses_missing_ones() {
    let site = site(None);
    assert!(build(site.path(), &[]).status.success());
    let html = read(
        &site.path().join("public"),
        "beispiele/kleindorf-chatbot/index.html",
    );
    // Every field label of the fact box (DESIGN.md) appears (labels from the field registry;
    // the theme relabels none of them).
    let registry = koki::fields::Registry::builtin();
    let missing = html
        .split(r#"<details class="facts-missing">"#)
        .nth(1)
        .and_then(|rest| rest.split("</details>").next())
        .expect("collapsed list of missing facts")
        .to_string();
    let fields = [
        "kommunen",
        "bundesland",
        "verwaltungsebene",
        "handlungsfeld",
        "status",
        "ki_technik",
        "gemeindetyp",
        "laendlichkeit",
        "einwohner",
        "anwendungstyp",
        "interaktion",
        "entscheidungsrolle",
        "zeitraum",
        "motivation",
        "motivation_erlaeuterung",
        "finanzierung",
        "foerderprogramm",
        "kosten",
        "umsetzung",
        "anbieter",
        "open_source",
        "personenbezogene_daten",
        "ki_verordnung",
        "beteiligung_beschaeftigte",
        "beteiligung_buergerschaft",
        "personalrat",
        "stellenwirkung",
        "evidenzgrad",
        "uebertragbarkeit",
        "sdgs",
        "zielgruppen",
        "kontakt",
        "externe_ids",
        "redaktionsstatus",
        "zuletzt_geprueft",
        "erfasst_am",
        "lizenz",
        "tags",
    ];
    for f in fields {
        let label = registry
            .get(f)
            .unwrap_or_else(|| panic!("{f} is not in the field registry"))
            .label;
        let label_html = label.replace('&', "&amp;");
        assert!(
            html.contains(&format!("<dt>{label_html}</dt>")) || missing.contains(&label_html),
            "fact box lacks {f} ({label}) both as a row and in the missing list"
        );
    }
    // Known facts come in groups; the sparse example's gaps collapse into one summary line
    // that links to the correction path instead of rows of "nicht angegeben".
    assert!(html.contains(r#"id="steckbrief-wo""#), "Wo group");
    assert!(html.contains(r#"id="steckbrief-was""#), "Was group");
    // Only the evidence badge at the top may say "nicht angegeben"; no fact row does.
    assert!(
        html.matches("nicht angegeben").count() <= 1,
        "no placeholder rows"
    );
    let summary = missing
        .split("<summary>")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse::<u32>().ok())
        .expect("summary starts with the number of missing facts");
    assert!(
        summary >= 20,
        "sparse example misses ≥ 20 facts, got {summary}"
    );
    assert!(missing.contains("Angaben fehlen"), "{missing}");
    assert!(html.contains("Zu wenig genutzt."), "status_grund shown");
}

#[test]
fn raw_html_in_bodies_is_sanitised_and_links_resolve_under_a_sub_path() {
    let site = site(None);
    let out = build(
        site.path(),
        &["--base-url", "https://test.example/katalog/"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    let html = read(&public, "beispiele/musterstadt-ampelsteuerung/index.html");
    assert!(
        !html.contains("<script>alert"),
        "script tag from content survived"
    );
    assert!(
        html.contains(r#"href="/katalog/beispiele/kleindorf-chatbot/""#),
        "body link not rebased"
    );
    assert!(html.contains(r#"href="/katalog/static/css/koki.css""#));
    assert!(html.contains(r#"<link rel="canonical" href="https://test.example/katalog/beispiele/musterstadt-ampelsteuerung/">"#));
    // Every internal href/src on every page points to a generated file.
    let prefix = "/katalog/";
    for (rel, bytes) in read_tree(&public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        for attr in ["href=\"", "src=\""] {
            for piece in text.split(attr).skip(1) {
                let target = piece.split('"').next().unwrap();
                if target.starts_with("http")
                    || target.starts_with("mailto:")
                    || target.starts_with('#')
                {
                    continue;
                }
                assert!(
                    target.starts_with(prefix),
                    "{rel}: link {target} ignores the base path"
                );
                let path = target[prefix.len()..].split(['#', '?']).next().unwrap();
                let file = if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path.to_string()
                };
                assert!(public.join(&file).is_file(), "{rel}: broken link {target}");
            }
        }
    }
}

#[test]
fn scenario_is_labelled_and_linked_both_ways() {
    let site = site(None);
    assert!(build(site.path(), &[]).status.success());
    let public = site.path().join("public");
    let scenario = read(&public, "szenarien/verkehr-2035/index.html");
    assert!(scenario.contains("vorgestellte Zukunft"));
    assert!(scenario.contains("/beispiele/musterstadt-ampelsteuerung/"));
    let example = read(&public, "beispiele/musterstadt-ampelsteuerung/index.html");
    assert!(example.contains("/szenarien/verkehr-2035/"));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = site(None);
    let b = site(None);
    assert!(build(a.path(), &[]).status.success());
    assert!(build(b.path(), &[]).status.success());
    let ta = read_tree(&a.path().join("public"));
    let tb = read_tree(&b.path().join("public"));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between builds");
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = site(None);
    assert!(build(site.path(), &[]).status.success());
    let before = read_tree(&site.path().join("public"));
    copy_tree(
        &fixtures().join("invalid/vocabulary/content"),
        &site.path().join("content"),
    );
    let out = build(site.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("bisherige Ausgabe bleibt unverändert"));
    assert_eq!(before, read_tree(&site.path().join("public")));
    // No staging leftovers next to the output.
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn dangerous_output_paths_are_refused() {
    let site = site(None);
    let root = site.path().to_string_lossy().into_owned();
    for target in [root.clone(), format!("{root}/content/out")] {
        let out = koki(&["build", "--root", &root, "--output", &target]);
        assert_eq!(out.status.code(), Some(2), "{target}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("wird nicht als Ausgabeverzeichnis verwendet"),
            "{}",
            stderr(&out)
        );
    }
    let foreign = site.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "important").unwrap();
    let out = koki(&[
        "build",
        "--root",
        &root,
        "--output",
        &foreign.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
        "important"
    );
    let out = koki(&[
        "build",
        "--root",
        &root,
        "--output",
        &foreign.to_string_lossy(),
        "--force",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(koki(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(koki(&["--version"]).status.code(), Some(0));
}

/// Each `tests/fixtures/invalid/<case>/` overlays the minimal site with one error class;
/// `expected.txt` lists the exact `path:line:col: error: …` lines koki must print.
#[test]
fn each_invalid_fixture_yields_its_exact_diagnostics() {
    let mut cases: Vec<_> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = site(Some(&case));
        let root = site.path().to_string_lossy().into_owned();
        let out = koki(&["check", "--root", &root]);
        assert_eq!(out.status.code(), Some(1), "{name}: check must fail");
        let err = stderr(&out);
        let got: Vec<&str> = err
            .lines()
            .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
            .collect();
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap();
        let want: Vec<&str> = expected.lines().collect();
        assert_eq!(got, want, "{name}: diagnostics differ\n{err}");
        assert!(err.contains("Fehler"), "{name}: summary line missing");
        // `build` fails the same way and writes nothing.
        let out = koki(&["build", "--root", &root]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            !site.path().join("public").exists(),
            "{name}: build wrote output"
        );
    }
}

#[test]
fn invalid_base_url_is_a_usage_error() {
    let site = site(None);
    let root = site.path().to_string_lossy().into_owned();
    let out = koki(&["build", "--root", &root, "--base-url", "katalog"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ungültige Basis-URL"),
        "{}",
        stderr(&out)
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn control_characters_are_reported_with_position() {
    let site = site(None);
    let file = site.path().join("content/beispiele/kleindorf-chatbot.md");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Chatbot im Rathaus", "Chatbot\u{7} im Rathaus");
    std::fs::write(&file, text).unwrap();
    let out = koki(&["check", "--root", &site.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "content/beispiele/kleindorf-chatbot.md:2:16: error: unzulässiges Steuerzeichen U+0007"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_ags_suggests_the_kreis_by_name() {
    let site = site(Some(&fixtures().join("invalid/unknown-ags")));
    let root = site.path().to_string_lossy().into_owned();
    let err = stderr(&koki(&["check", "--root", &root]));
    assert!(
        err.contains("meinten Sie `\"03360\"` (Landkreis Uelzen)?"),
        "{err}"
    );
}

#[test]
fn gemeinde_key_resolves_to_its_kreis_in_the_fact_box() {
    let site = site(None);
    assert!(build(site.path(), &[]).status.success());
    // `09162000` is the Gemeinde key of München: the first five digits name the Kreis.
    let html = read(
        &site.path().join("public"),
        "beispiele/musterstadt-ampelsteuerung/index.html",
    );
    assert!(
        html.contains("München: 1.471.508 Einwohner, 310,7 km², 4.736 Einw./km²"),
        "{html}"
    );
    assert!(html.contains("kreisfreie Großstadt"), "{html}");
    assert!(html.contains("Stand 31.12.2018"), "{html}");
}

/// An example's `fruehere_ids` keep old addresses working: each gets a page that sends the
/// visitor on (meta refresh, canonical, a plain link without JavaScript) and that the sitemap
/// leaves out.
#[test]
fn former_ids_get_redirect_pages_outside_the_sitemap() {
    let site = site(Some(&fixtures().join("former-ids")));
    assert!(build(site.path(), &[]).status.success());
    let public = site.path().join("public");
    let page =
        std::fs::read_to_string(public.join("beispiele/kleindorf-rathausbot/index.html")).unwrap();
    assert!(
        page.contains(
            r#"<meta http-equiv="refresh" content="0; url=/beispiele/kleindorf-chatbot/">"#
        ),
        "{page}"
    );
    assert!(page.contains(
        r#"<link rel="canonical" href="https://test.example/beispiele/kleindorf-chatbot/">"#
    ));
    assert!(
        page.contains(
            r#"<a href="/beispiele/kleindorf-chatbot/">Chatbot im Rathaus Kleindorf</a>"#
        ),
        "{page}"
    );
    assert!(page.contains(r#"<meta name="robots" content="noindex">"#));
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("beispiele/kleindorf-chatbot/"));
    assert!(!sitemap.contains("kleindorf-rathausbot"), "{sitemap}");
    // The example itself is still where it was.
    assert!(public
        .join("beispiele/kleindorf-chatbot/index.html")
        .is_file());
}
