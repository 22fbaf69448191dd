//! The one tantivy schema, used by the builder and by the engine.

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};

use crate::FACETS;

/// Field handles.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub kommunen: Field,
    /// Unstemmed folded words of all text (typo tolerance and prefixes).
    pub exact: Field,
    /// Stems of compound parts.
    pub parts: Field,
    /// Character trigrams (only filled in n-gram mode).
    pub ngram: Field,
    /// Keyword fields, in the order of [`FACETS`].
    pub facets: Vec<Field>,
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn text(record: IndexRecordOption, norms: bool) -> TextOptions {
    // Tokens are produced by `analysis` and handed over pre-tokenized; the tokenizer name only
    // has to exist.
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(record)
            .set_fieldnorms(norms),
    )
}

/// Builds the schema.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let pos = IndexRecordOption::WithFreqsAndPositions;
    let title = b.add_text_field("title", text(pos, true));
    let summary = b.add_text_field("summary", text(pos, true));
    let body = b.add_text_field("body", text(pos, true));
    let kommunen = b.add_text_field("kommunen", text(pos, true));
    let exact = b.add_text_field("exact", text(IndexRecordOption::Basic, false));
    let parts = b.add_text_field("parts", text(IndexRecordOption::WithFreqs, true));
    let ngram = b.add_text_field("ngram", text(IndexRecordOption::Basic, false));
    let facets = FACETS
        .iter()
        .map(|f| b.add_text_field(&format!("f_{f}"), text(IndexRecordOption::Basic, false)))
        .collect();
    let fields = Fields {
        title,
        summary,
        body,
        kommunen,
        exact,
        parts,
        ngram,
        facets,
    };
    (b.build(), fields)
}

/// Looks the fields up in an opened index's schema.
pub(crate) fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let get = |name: &str| schema.get_field(name);
    Ok(Fields {
        title: get("title")?,
        summary: get("summary")?,
        body: get("body")?,
        kommunen: get("kommunen")?,
        exact: get("exact")?,
        parts: get("parts")?,
        ngram: get("ngram")?,
        facets: FACETS
            .iter()
            .map(|f| get(&format!("f_{f}")))
            .collect::<tantivy::Result<_>>()?,
    })
}

/// Character trigrams of a folded word (the word itself when shorter than three characters).
pub(crate) fn trigrams(folded: &str) -> Vec<String> {
    let chars: Vec<char> = folded.chars().collect();
    if chars.len() < 3 {
        return vec![folded.to_string()];
    }
    chars.windows(3).map(|w| w.iter().collect()).collect()
}
