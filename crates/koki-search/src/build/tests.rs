//! Tests of index building.

use super::*;

fn doc(id: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        kind: "beispiel".into(),
        url: format!("beispiele/{id}/"),
        title: title.into(),
        summary: "Ampelsteuerung und Bürgerservice".into(),
        body: body.into(),
        kommunen: vec!["Musterstadt".into()],
        facets: vec![("status".into(), vec!["pilot".into()])],
        einwohner: Some(12_000),
        start_year: Some(2023),
        erfasst_am: "2025-01-01".into(),
        key_facts: vec![],
    }
}

fn build(docs: &[SearchDoc], cache: &mut WordCache) -> Vec<u8> {
    let labels = FacetLabels::default();
    build_bundle_cached(
        docs.len(),
        &|range| docs[range].to_vec(),
        &labels,
        &[],
        &BuildOptions::default(),
        cache,
    )
    .expect("bundle")
}

/// A word of letters only that names `i < 26³`: all of one length, any two at least three
/// edits apart (beyond typo tolerance), e.g. `zqaaabbbccc`.
fn word_for(mut i: usize) -> String {
    let mut word = String::from("zq");
    for _ in 0..3 {
        let letter = char::from(b'a' + (i % 26) as u8);
        word.extend([letter; 3]);
        i /= 26;
    }
    word
}

/// More documents than one batch: `n` documents, each with a word of its own.
fn many_docs(n: usize) -> Vec<SearchDoc> {
    (0..n)
        .map(|i| {
            let mut d = doc(
                &format!("e{i}"),
                &format!("Eintrag {i}"),
                "Gemeinsamer Text.",
            );
            d.body.push(' ');
            d.body.push_str(&word_for(i));
            d.start_year = Some(2000 + (i % 30) as i64);
            d
        })
        .collect()
}

#[test]
fn documents_of_every_batch_are_indexed_and_kept() {
    let n = 2 * INDEX_BATCH + 7;
    let docs = many_docs(n);
    let bundle = build(&docs, &mut WordCache::default());
    let engine = crate::Engine::open(&bundle).expect("opens");
    for i in [0, INDEX_BATCH - 1, INDEX_BATCH, n - 1] {
        let found = engine.search(&crate::SearchRequest {
            q: word_for(i),
            ..Default::default()
        });
        let ids: Vec<&str> = found.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, [format!("e{i}")], "document {i}");
    }
    let all = engine.search(&crate::SearchRequest::default());
    assert_eq!(all.total, n);
    // Start years of the last batch get labels too.
    let labels = engine.search(&crate::SearchRequest {
        labels: true,
        ..Default::default()
    });
    let years = &labels.labels.expect("labels")["start_jahr"];
    assert_eq!(years.len(), 30);
}

#[test]
fn a_duplicate_id_in_a_later_batch_is_refused() {
    let mut docs = many_docs(INDEX_BATCH + 10);
    docs[INDEX_BATCH + 5].id = "e3".into();
    let labels = FacetLabels::default();
    let result = build_bundle_with(&docs, &labels, &[], &BuildOptions::default());
    assert!(
        matches!(&result, Err(SearchError::DuplicateId(id)) if id == "e3"),
        "{:?}",
        result.err()
    );
}

#[test]
fn json_array_writes_what_serde_json_writes_for_a_vec() {
    for n in [0, 1, 3] {
        let items: Vec<(u32, String)> = (0..n).map(|i| (i, format!("\"{i}\""))).collect();
        let mut array = JsonArray::default();
        for item in &items {
            array.push(item).unwrap();
        }
        assert_eq!(
            array.finish(),
            serde_json::to_vec(&items).unwrap(),
            "{n} items"
        );
    }
}

/// A build that reuses the word analyses of earlier builds writes the bundle a build from
/// scratch writes: after an edit with known words, with new dictionary words (which change
/// compound splits elsewhere) and after words disappear again.
#[test]
fn cached_builds_equal_builds_from_scratch() {
    let first = vec![
        doc("a", "Verkehrssteuerung", "Die Ampel regelt den Verkehr."),
        doc("b", "Abfallkalender", "Termine für die Abfuhr."),
    ];
    let mut known_words = first.clone();
    known_words[1]
        .body
        .push_str(" Die Ampel regelt den Verkehr.");
    let mut new_words = known_words.clone();
    new_words[0].body.push_str(" Neue Steuerung der Kalender.");
    let mut cache = WordCache::default();
    for docs in [&first, &known_words, &new_words, &first] {
        assert_eq!(
            build(docs, &mut cache),
            build(docs, &mut WordCache::default())
        );
    }
}
