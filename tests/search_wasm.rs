//! The committed browser module (themes/default/static/search/koki_search.wasm):
//! (a) it answers exactly like the native search core, byte for byte, run inside wasmi;
//! (b) it answers the same from the lazy index, loading parts through `koki_part`, and
//!     refuses a corrupt part;
//! (c) it was built from the current search sources (stamp check).

mod search_support;

use koki_search::{Engine, SearchRequest, SortOrder};
use search_support::{fixture_bundle, module_path, root, WasmSearch};

fn requests() -> Vec<SearchRequest> {
    let mut reqs: Vec<SearchRequest> = [
        "",
        "Ampel",
        "Steuerung",
        "Ampel Steuerung",
        "Ampelsteurung",
        "elektirsch",
        "Muenchen",
        "Straßenbeleuchtung",
        "\"Leichte Sprache\"",
        "Chatbot OR Übersetzung",
        "Prognose -Freibad",
        "bundesland:by",
        "bundesland:Bayern Hafer",
        "titel:Hafen",
        "(Hafen OR Freibad) Prognose",
        "NOT bundesland:by",
        "die Ampelsteuerung",
        "Kasse",
        "Emissionssteuerung",
        "<script>alert(1)</script>",
        "\"unclosed phrase",
        "a OR",
    ]
    .iter()
    .map(|q| SearchRequest::query(q))
    .collect();
    let mut r = SearchRequest::query("").filter("bundesland", "by");
    r.labels = true;
    reqs.push(r);
    reqs.push(
        SearchRequest::query("Prognose")
            .filter("status", "pilot")
            .filter("einwohner", "ab-500000"),
    );
    for sort in [SortOrder::Name, SortOrder::Newest, SortOrder::Population] {
        let mut r = SearchRequest::query("KI");
        r.sort = sort;
        r.limit = 3;
        r.offset = 1;
        reqs.push(r);
    }
    reqs
}

#[test]
fn committed_module_answers_exactly_like_native() {
    let bundle = fixture_bundle();
    let native = Engine::open(&bundle).unwrap();
    let mut wasm = WasmSearch::load(&module_path());
    wasm.open(&bundle);
    for req in requests() {
        let json = serde_json::to_vec(&req).unwrap();
        let (status, expected) = native.search_json(&json);
        assert_eq!(status, 0);
        let got = wasm.search(&json);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected),
            "wasm and native answers differ for {req:?}; if the search core changed, run \
             scripts/build-search-wasm.sh"
        );
    }
    // Malformed requests give the same error answer too.
    assert_eq!(wasm.search(b"{oops"), native.search_json(b"{oops").1);
}

#[test]
fn committed_module_answers_from_the_lazy_index_like_native() {
    let bundle = fixture_bundle();
    let native = Engine::open(&bundle).unwrap();
    let lazy = koki_search::split_bundle(&bundle, &koki_search::ChunkOptions::default()).unwrap();
    let mut wasm = WasmSearch::load(&module_path());
    wasm.open(&lazy.hot);
    let mut rounds = 0;
    for req in requests() {
        let json = serde_json::to_vec(&req).unwrap();
        let (_, expected) = native.search_json(&json);
        let got = loop {
            let (status, out) = wasm.call("koki_search", &json);
            if status != 3 {
                break out;
            }
            rounds += 1;
            let need: serde_json::Value = serde_json::from_slice(&out).unwrap();
            for id in need["need"].as_array().unwrap() {
                let id = id.as_str().unwrap();
                let mut buf = id.as_bytes().to_vec();
                buf.extend_from_slice(&lazy.parts[id]);
                let (status, err) = wasm.call("koki_part", &buf);
                assert_eq!(status, 0, "{}", String::from_utf8_lossy(&err));
            }
        };
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected),
            "lazy wasm and native answers differ for {req:?}"
        );
    }
    assert!(rounds > 0, "the lazy index never asked for a part");
    // A part whose bytes do not match its id is refused.
    let (id, bytes) = lazy.parts.iter().next().unwrap();
    let mut buf = id.as_bytes().to_vec();
    buf.extend_from_slice(bytes);
    buf.push(0);
    let (status, err) = wasm.call("koki_part", &buf);
    assert_eq!(status, 1);
    assert!(String::from_utf8_lossy(&err).contains("content hash"));
}

#[test]
fn committed_module_is_built_from_current_sources() {
    let stamp_file = root().join(koki_search::stamp::STAMP_FILE);
    let committed = std::fs::read_to_string(&stamp_file).unwrap_or_default();
    let current = koki_search::stamp::source_stamp(&root()).expect("compute source stamp");
    assert_eq!(
        committed.trim(),
        current,
        "the committed search module ({}) is stale: crates/koki-search, crates/koki-search-wasm \
         or their locked dependencies changed since it was built. Run \
         scripts/build-search-wasm.sh and commit themes/default/static/search/.",
        koki_search::stamp::MODULE_FILE
    );
}
