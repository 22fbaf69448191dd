//! The lazy search index (`koki_search::split_bundle`): a part that cannot be loaded fails the
//! request instead of giving a partial answer, the cut stays within its file budget, and the
//! parts are content-addressed. (Answer equality with the complete bundle is checked by every
//! test of `search_relevance.rs` and by `search_wasm.rs` inside the browser module.)

mod search_support;

use koki_search::{ChunkOptions, Engine, SearchDoc, SearchError, SearchRequest, SortOrder};

fn load_from(
    parts: &std::collections::BTreeMap<String, Vec<u8>>,
    id: &str,
) -> Result<Vec<u8>, SearchError> {
    parts
        .get(id)
        .cloned()
        .ok_or_else(|| SearchError::Bundle(format!("no part {id}")))
}

#[test]
fn a_part_that_fails_to_load_fails_the_request_and_a_retry_answers_completely() {
    let bundle = search_support::fixture_bundle();
    let complete = Engine::open(&bundle).unwrap();
    let lazy = koki_search::split_bundle(&bundle, &ChunkOptions::default()).unwrap();
    let engine = Engine::open_lazy(&lazy.hot).unwrap();
    let req = SearchRequest::query("Ampelsteuerung Verkehr");
    let mut asked = 0;
    let failed = engine.search_loading(&req, |id| {
        asked += 1;
        if asked == 1 {
            Err(SearchError::Bundle("offline".into()))
        } else {
            load_from(&lazy.parts, id)
        }
    });
    assert!(failed.is_err(), "a failed part must not produce an answer");
    let retried = engine
        .search_loading(&req, |id| load_from(&lazy.parts, id))
        .unwrap();
    assert_eq!(retried, complete.search(&req));
    assert!(retried.total > 0);
}

#[test]
fn every_part_is_named_by_the_hash_of_its_bytes() {
    let lazy =
        koki_search::split_bundle(&search_support::fixture_bundle(), &ChunkOptions::default())
            .unwrap();
    assert!(!lazy.parts.is_empty());
    for (id, bytes) in &lazy.parts {
        assert_eq!(id, &koki_search::content_hash(bytes));
    }
    // The hot part alone opens and knows the entry count; a query needs more.
    let e = Engine::open_lazy(&lazy.hot).unwrap();
    assert_eq!(e.num_docs(), search_support::fixture().docs.len());
    let (status, out) = e.search_json(br#"{"q":"Ampel"}"#);
    assert_eq!(status, 3, "{}", String::from_utf8_lossy(&out));
    let need: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(need["need"].as_array().is_some_and(|a| !a.is_empty()));
}

/// A catalog of `n` generated entries (enough text for many index chunks).
fn generated(n: usize) -> Vec<SearchDoc> {
    let words = [
        "Verkehr",
        "Ampel",
        "Steuerung",
        "Bürgeramt",
        "Chatbot",
        "Prognose",
        "Wasser",
        "Energie",
        "Schule",
        "Pflege",
        "Abfall",
        "Parken",
        "Bauantrag",
        "Formular",
        "Übersetzung",
        "Daten",
    ];
    (0..n)
        .map(|i| {
            let w = |k: usize| words[(i * 7 + k * 13 + i / 3) % words.len()];
            SearchDoc {
                id: format!("e{i:05}"),
                kind: "beispiel".into(),
                url: format!("beispiele/e{i:05}/"),
                title: format!("{} und {} in Ort {i}", w(1), w(2)),
                summary: (0..20).map(w).collect::<Vec<_>>().join(" "),
                body: (0..80)
                    .map(|k| format!("{}{}", w(k), k % 9))
                    .collect::<Vec<_>>()
                    .join(" "),
                kommunen: vec![format!("Ort {i}")],
                facets: vec![("bundesland".into(), vec![["by", "he", "nw"][i % 3].into()])],
                einwohner: Some(1000 + i as u64 * 37),
                start_year: Some(2018 + (i % 7) as i64),
                erfasst_am: format!("2024-{:02}-01", 1 + i % 12),
                key_facts: vec![],
            }
        })
        .collect()
}

#[test]
fn the_cut_stays_within_its_file_budget_and_answers_like_the_bundle() {
    let docs = generated(3000);
    let bundle = koki_search::build_bundle(&docs, &Default::default(), &[]).unwrap();
    for opts in [
        ChunkOptions::default(),
        ChunkOptions {
            min_files: 40,
            ..Default::default()
        },
    ] {
        let lazy = koki_search::split_bundle(&bundle, &opts).unwrap();
        let budget = (docs.len() / opts.entries_per_file).max(opts.min_files);
        assert!(
            lazy.parts.len() <= budget,
            "{} parts for a budget of {budget}",
            lazy.parts.len()
        );
        let complete = Engine::open(&bundle).unwrap();
        let engine = Engine::open_lazy(&lazy.hot).unwrap();
        for (q, sort) in [
            ("Ampel", SortOrder::Relevance),
            ("Steurung", SortOrder::Relevance),
            ("\"Ampel5 Steuerung6\"", SortOrder::Relevance),
            ("", SortOrder::Newest),
            ("Bürgeramt", SortOrder::Population),
            ("Ort", SortOrder::Name),
        ] {
            let mut req = SearchRequest::query(q).filter("bundesland", "he");
            req.sort = sort;
            let got = engine
                .search_loading(&req, |id| load_from(&lazy.parts, id))
                .unwrap();
            assert_eq!(got, complete.search(&req), "{q} {sort:?}");
        }
    }
}

#[path = "common/mod.rs"]
mod common;

/// The common fixture site, built into its `public/`.
fn built_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = common::site(None);
    let root = site.path().to_string_lossy().into_owned();
    let out = site.path().join("public");
    let o = common::koki(&["build", "--root", &root, "--output", &out.to_string_lossy()]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    (site, out)
}

/// `koki search --json` on a built site (hot file and parts read from `suche/`) prints exactly
/// the complete bundle's answer, and the site holds nothing but content-addressed parts.
#[test]
fn koki_search_on_a_built_site_answers_like_the_complete_bundle() {
    let (site, out) = built_site();
    let (catalog, _) = koki::build::load_catalog(site.path(), None).expect("catalog");
    let complete = Engine::open(&koki::search::build_bundle(&catalog).unwrap()).unwrap();
    for q in ["KI", "Verwaltung", ""] {
        let o = common::koki(&["search", q, "--json", "--site", &out.to_string_lossy()]);
        assert!(o.status.success(), "{}", common::stderr(&o));
        let mut req = SearchRequest::query(q);
        req.limit = 20; // the CLI default
        let cli = String::from_utf8(o.stdout).unwrap();
        let expected =
            String::from_utf8(complete.search_json(&serde_json::to_vec(&req).unwrap()).1).unwrap();
        assert_eq!(cli.trim_end(), expected, "koki search {q:?}");
    }
    let parts = out.join("suche/teile");
    let mut n = 0;
    for f in std::fs::read_dir(&parts).unwrap() {
        let f = f.unwrap().path();
        let id = f.file_stem().unwrap().to_string_lossy().into_owned();
        assert_eq!(id, koki_search::content_hash(&std::fs::read(&f).unwrap()));
        n += 1;
    }
    assert!(n > 0);
}

/// The search page names the module file the manifest names (the worker starts that download
/// before the manifest arrives), and the file is there.
#[test]
fn the_search_page_names_the_manifests_module() {
    let (_site, out) = built_site();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("suche/manifest.json")).unwrap()).unwrap();
    let module = manifest["module"]
        .as_str()
        .expect("manifest names the module");
    assert!(out.join("suche").join(module).is_file());
    let page = std::fs::read_to_string(out.join("suche/index.html")).unwrap();
    assert!(
        page.contains(&format!(r#"data-modul="/suche/{module}""#)),
        "the search page does not name {module}"
    );
}
