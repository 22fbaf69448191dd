//! The one tantivy schema, used by the builder and by the engine.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, SchemaBuilder, TextFieldIndexing, TextOptions,
};

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

/// Tokenizer of the text fields: the builder registers one that splits the already analysed
/// tokens, joined by [`TOKEN_SEPARATOR`] (see `build.rs`). The engine never tokenizes with
/// tantivy — queries are analysed by `analysis` — so the browser needs no tokenizer at all.
pub(crate) const PREPARED_TOKENIZER: &str = "koki_prepared";
/// Joins the analysed tokens of one text for [`PREPARED_TOKENIZER`]. Tokens are runs of
/// alphanumeric characters, so they never contain it.
pub(crate) const TOKEN_SEPARATOR: char = ' ';

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn text(tokenizer: &str, record: IndexRecordOption, norms: bool) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record)
            .set_fieldnorms(norms),
    )
}

/// Builds the schema.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn build_schema() -> (Schema, Fields) {
    let schema = build_schema_builder().build();
    let fields = fields_of(&schema).expect("fields just defined");
    (schema, fields)
}

/// The schema builder with all search fields (callers may add measurement-only fields).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn build_schema_builder() -> SchemaBuilder {
    let mut b = Schema::builder();
    let pos = IndexRecordOption::WithFreqsAndPositions;
    let prepared = |record, norms| text(PREPARED_TOKENIZER, record, norms);
    b.add_text_field("title", prepared(pos, true));
    b.add_text_field("summary", prepared(pos, true));
    b.add_text_field("body", prepared(pos, true));
    b.add_text_field("kommunen", prepared(pos, true));
    b.add_text_field("exact", prepared(IndexRecordOption::Basic, false));
    b.add_text_field("parts", prepared(IndexRecordOption::WithFreqs, true));
    b.add_text_field("ngram", prepared(IndexRecordOption::Basic, false));
    // Facet values are indexed whole.
    for f in FACETS {
        b.add_text_field(
            &format!("f_{f}"),
            text("raw", IndexRecordOption::Basic, false),
        );
    }
    b
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
