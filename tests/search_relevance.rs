//! German search relevance on the fixture catalog (tests/fixtures/search/catalog.json).

mod search_support;

use std::sync::OnceLock;

use koki_search::{ChunkOptions, Engine, LazyIndex, SearchRequest, SearchResponse, SortOrder};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::open(&search_support::fixture_bundle()).expect("open bundle"))
}

/// The same bundle cut into small parts (1 KiB chunks, one display block per 4 entries).
fn lazy() -> &'static LazyIndex {
    static L: OnceLock<LazyIndex> = OnceLock::new();
    L.get_or_init(|| {
        let opts = ChunkOptions {
            min_chunk: 1024,
            min_files: 2000,
            ..Default::default()
        };
        koki_search::split_bundle(&search_support::fixture_bundle(), &opts).expect("split")
    })
}

/// Every relevance test also proves that the lazy index answers exactly like the complete
/// bundle: each request runs on both, the lazy one from a cold start.
fn run(req: SearchRequest) -> SearchResponse {
    let complete = engine().search(&req);
    let l = lazy();
    let cold = Engine::open_lazy(&l.hot).expect("open hot part");
    let answer = cold
        .search_loading(&req, |id| {
            l.parts
                .get(id)
                .cloned()
                .ok_or_else(|| koki_search::SearchError::Bundle(format!("no part {id}")))
        })
        .expect("lazy answer");
    assert_eq!(
        answer, complete,
        "lazy and complete answers differ for {req:?}"
    );
    complete
}

fn ids(q: &str) -> Vec<String> {
    run(SearchRequest::query(q))
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[track_caller]
fn assert_finds(q: &str, id: &str) {
    let found = ids(q);
    assert!(
        found.iter().any(|x| x == id),
        "`{q}` should find {id}, got {found:?}"
    );
}

#[track_caller]
fn assert_not_finds(q: &str, id: &str) {
    let found = ids(q);
    assert!(
        !found.iter().any(|x| x == id),
        "`{q}` should not find {id}, got {found:?}"
    );
}

#[track_caller]
fn assert_first(q: &str, id: &str) {
    let found = ids(q);
    assert_eq!(
        found.first().map(String::as_str),
        Some(id),
        "`{q}` → {found:?}"
    );
}

#[test]
fn inflected_forms_match() {
    assert_finds("Kreuzung", "darmstadt-ampelsteuerung"); // text has "Kreuzungen"
    assert_finds("Sensor", "muellheim-abfall"); // "Sensoren"
    assert_finds("Übersetzungen", "nuernberg-uebersetzung");
    assert_finds("Antrag", "bad-belzig-buergerservice"); // "Anträgen"
}

#[test]
fn compound_parts_find_the_compound() {
    // "Ampelsteuerung" only occurs as a compound in the Darmstadt entry.
    assert_finds("Ampel", "darmstadt-ampelsteuerung");
    assert_finds("Steuerung", "darmstadt-ampelsteuerung");
    assert_finds("Steuerung", "hamburg-verkehrssteuerung");
    assert_first("Ampel Steuerung", "darmstadt-ampelsteuerung");
    assert_finds("Verkehrssteuerung", "hamburg-verkehrssteuerung");
    // A compound query also finds its parts written apart ("Steuerung … Emissionen").
    assert_finds("Emissionssteuerung", "hamburg-verkehrssteuerung");
}

#[test]
fn umlaut_and_sharp_s_spellings_match() {
    assert_finds("Muenchen", "muenchen-mucgpt");
    assert_finds("München", "muenchen-mucgpt");
    assert_finds("Muellheim", "muellheim-abfall");
    assert_finds("Strassenbeleuchtung", "strassenbeleuchtung-soest");
    assert_finds("Straßenbeleuchtung", "strassenbeleuchtung-soest");
    assert_finds("Fuellstandssensoren", "muellheim-abfall");
    assert_finds("Uebersetzung", "nuernberg-uebersetzung");
    assert_finds("Übersetzung", "nuernberg-uebersetzung");
}

#[test]
fn one_letter_typos_are_tolerated() {
    assert_finds("Chatbto", "bad-belzig-buergerservice"); // transposition
    assert_finds("Ampelsteurung", "darmstadt-ampelsteuerung"); // missing letter
    assert_finds("elektirsch", "landkreis-elektrische-antraege"); // the Pagefind miss
    assert_finds("Bilderkenung", "koeln-strassenschaeden");
    // Short words are not fuzzy: "Amt" must not find "Art"/"Akt" variants.
    assert!(ids("Xyz").is_empty());
}

#[test]
fn typo_matches_never_outrank_exact_matches() {
    // "Kasse" occurs once in the Kempten entry; "Klasse" (one letter more) occurs many times,
    // in the title too, of another entry, which must still come after it.
    let found = ids("Kasse");
    assert_eq!(
        found.first().map(String::as_str),
        Some("eingestellt-prognose"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|x| x == "hafer-anbau"),
        "typo tolerance finds Klasse: {found:?}"
    );
    let found = ids("Klasse");
    assert_eq!(
        found.first().map(String::as_str),
        Some("hafer-anbau"),
        "{found:?}"
    );
}

#[test]
fn phrases() {
    let found = ids("\"Leichte Sprache\"");
    assert_eq!(found, vec!["nuernberg-uebersetzung"]);
    assert_not_finds("\"Sprache Leichte\"", "nuernberg-uebersetzung");
    // Stemmed phrase: inflected form still matches.
    assert_finds("\"leichter Sprache\"", "nuernberg-uebersetzung");
}

#[test]
fn field_filters_in_the_query() {
    let r = run(SearchRequest::query("bundesland:by"));
    let mut found: Vec<String> = r.hits.iter().map(|h| h.id.clone()).collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            "eingestellt-prognose",
            "hafer-anbau",
            "muenchen-mucgpt",
            "nuernberg-uebersetzung"
        ]
    );
    assert_eq!(ids("bundesland:Bayern").len(), 4, "labels work as values");
    assert_eq!(
        ids("Chatbot bundesland:bb"),
        vec!["bad-belzig-buergerservice"]
    );
    assert!(ids("Chatbot bundesland:by").is_empty());
    assert_first("titel:Hafen", "hamburg-verkehrssteuerung");
    assert_not_finds("titel:Sensoren", "darmstadt-ampelsteuerung");
    assert_first("kommune:Jena", "jena-digitale-verwaltung");
    assert_eq!(ids("status:eingestellt"), vec!["eingestellt-prognose"]);
}

#[test]
fn boolean_operators() {
    let mut found = ids("Chatbot OR Übersetzung");
    found.sort();
    assert_eq!(
        found,
        vec!["bad-belzig-buergerservice", "nuernberg-uebersetzung"]
    );
    assert_finds("Prognose", "eingestellt-prognose");
    assert_not_finds("Prognose -Freibad", "eingestellt-prognose");
    assert_not_finds("Prognose NOT Freibad", "eingestellt-prognose");
    assert_finds("Prognose NICHT Hafen", "eingestellt-prognose");
    assert_not_finds("Prognose NICHT Hafen", "hamburg-verkehrssteuerung");
    // AND is the default and explicit AND means the same.
    assert_eq!(ids("Bilderkennung Köln"), ids("Bilderkennung AND Köln"));
    assert_eq!(ids("Bilderkennung Köln"), vec!["koeln-strassenschaeden"]);
    assert_eq!(ids("(Hafen OR Freibad) Prognose").len(), 2);
    let not_only = ids("NOT bundesland:by");
    assert!(!not_only.is_empty() && !not_only.iter().any(|x| x == "muenchen-mucgpt"));
}

#[test]
fn municipality_names_rank_high() {
    assert_first("München", "muenchen-mucgpt");
    assert_first("Jena", "jena-digitale-verwaltung");
}

#[test]
fn stopwords_do_not_block_matches() {
    assert_finds("Chatbot für den Bürgerservice", "bad-belzig-buergerservice");
    assert_first("die Ampelsteuerung", "darmstadt-ampelsteuerung");
}

#[test]
fn facet_counts_follow_query_and_filters() {
    let all = run(SearchRequest::query(""));
    assert_eq!(all.total, 13);
    assert_eq!(all.facets["bundesland"]["by"], 4);
    assert_eq!(all.facets["bundesland"]["nw"], 2);
    assert_eq!(all.facets["art"]["szenario"], 1);
    assert_eq!(all.facets["einwohner"]["ab-500000"], 4);
    assert_eq!(all.facets["start_jahr"]["2022"], 3);

    let by = run(SearchRequest::query("").filter("bundesland", "by"));
    assert_eq!(by.total, 4);
    // Own facet stays disjunctive: other states keep their counts.
    assert_eq!(by.facets["bundesland"]["nw"], 2);
    assert_eq!(by.facets["status"]["pilot"], 1);
    assert_eq!(by.facets["status"]["regelbetrieb"], 1);
    assert_eq!(by.facets["status"]["eingestellt"], 1);
    assert_eq!(by.facets["status"]["idee"], 1);
    assert!(!by.facets["status"].contains_key("planung"));

    let by_nw = run(SearchRequest::query("")
        .filter("bundesland", "by")
        .filter("bundesland", "nw"));
    assert_eq!(by_nw.total, 6);

    let q = run(SearchRequest::query("Prognose"));
    let sum: usize = q.facets["handlungsfeld"].values().sum();
    assert_eq!(
        q.total,
        2,
        "{:?}",
        q.hits.iter().map(|h| &h.id).collect::<Vec<_>>()
    );
    assert_eq!(sum, q.total, "one action field per fixture entry");
    let q_pilot = run(SearchRequest::query("Prognose").filter("status", "pilot"));
    assert_eq!(q_pilot.total, q.facets["status"]["pilot"]);

    let pop = run(SearchRequest::query("").filter("einwohner", "unter-5000"));
    assert_eq!(
        pop.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        vec!["hafer-anbau"]
    );
}

#[test]
fn sorting() {
    let mut req = SearchRequest::query("");
    req.sort = SortOrder::Population;
    let r = run(req.clone());
    assert_eq!(r.hits[0].id, "hamburg-verkehrssteuerung");
    assert_eq!(
        r.hits.last().unwrap().id,
        "dorf-mobil-szenario",
        "no population → last"
    );
    req.sort = SortOrder::Name;
    let r = run(req.clone());
    assert_eq!(r.hits[0].id, "hamburg-verkehrssteuerung"); // "Adaptive …"
    req.sort = SortOrder::Newest;
    let r = run(req);
    assert_eq!(r.hits[0].id, "hafer-anbau");
}

#[test]
fn snippets_highlight_matches_and_escape_html() {
    let r = run(SearchRequest::query("Ampel"));
    let h = r
        .hits
        .iter()
        .find(|h| h.id == "darmstadt-ampelsteuerung")
        .unwrap();
    assert!(
        h.snippet.contains("<mark>Ampelsteuerung</mark>"),
        "{}",
        h.snippet
    );
    let r = run(SearchRequest::query("Muellabfuhr"));
    assert!(r.hits.is_empty() || !r.hits[0].snippet.contains("<script"));
    let r = run(SearchRequest::query("Wartezeiten"));
    assert!(r.hits[0].snippet.contains("<mark>Wartezeiten</mark>"));
}

#[test]
fn paging_and_labels() {
    let mut req = SearchRequest::query("");
    req.limit = 5;
    req.offset = 10;
    req.labels = true;
    let r = run(req);
    assert_eq!(r.total, 13);
    assert_eq!(r.hits.len(), 3);
    let labels = r.labels.unwrap();
    assert_eq!(labels["bundesland"]["by"], "Bayern");
    assert_eq!(labels["einwohner"]["ab-500000"], "ab 500.000");
}

#[test]
fn bundles_are_reproducible() {
    assert_eq!(
        search_support::fixture_bundle(),
        search_support::fixture_bundle()
    );
}

#[test]
fn json_answer_shape() {
    let (status, out) = engine().search_json(br#"{"q":"Ampel","filters":{"bundesland":["he"]}}"#);
    assert_eq!(status, 0);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["id"], "darmstadt-ampelsteuerung");
    assert_eq!(v["hits"][0]["url"], "beispiele/darmstadt-ampelsteuerung/");
    assert!(v["hits"][0]["score"].as_f64().unwrap() > 0.0);
    assert!(v["facets"]["bundesland"]["he"].is_number());
    let (status, out) = engine().search_json(b"{not json");
    assert_eq!(status, 1);
    assert!(String::from_utf8_lossy(&out).contains("error"));
}

/// The shared relevance cases (`tests/fixtures/search/relevance.json`, also what the browser
/// benchmark scores Pagefind with): koki finds every expected entry among its first five hits.
#[test]
fn success_at_five_on_the_relevance_cases() {
    #[derive(serde::Deserialize)]
    struct Case {
        q: String,
        id: String,
    }
    let text = std::fs::read_to_string(
        search_support::root().join("tests/fixtures/search/relevance.json"),
    )
    .unwrap();
    let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() >= 20);
    let missed: Vec<String> = cases
        .iter()
        .filter(|c| {
            let mut req = SearchRequest::query(&c.q);
            req.limit = 5;
            !run(req).hits.iter().any(|h| h.id == c.id)
        })
        .map(|c| format!("{} → {}", c.q, c.id))
        .collect();
    assert!(missed.is_empty(), "not in the first five: {missed:?}");
}
