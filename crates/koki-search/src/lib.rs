//! Search core of koki, shared by the indexer (`koki build`), the CLI (`koki search`) and the
//! browser module (`crates/koki-search-wasm`, the same code compiled to WebAssembly).
//!
//! * [`build_bundle`] turns the catalog's [`SearchDoc`]s into one self-contained byte bundle
//!   (a merged tantivy segment, compact display records, facet labels and the compound
//!   dictionary; format in [`bundle`]).
//! * [`Engine::open`] opens such a bundle from bytes (no file system, no threads) and
//!   [`Engine::search`] answers a [`SearchRequest`] with a [`SearchResponse`], which serialises
//!   to the JSON the browser and `koki search --json` print.
//!
//! Analysis (German folding, stemming, compounds) lives in [`analysis`], query syntax in
//! [`query`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub mod analysis;
#[cfg(not(target_arch = "wasm32"))]
mod build;
pub mod bundle;
mod chunked;
mod columns;
mod engine;
mod parts;
pub mod query;
mod schema;
#[cfg(not(target_arch = "wasm32"))]
pub mod stamp;
mod typo;

#[cfg(not(target_arch = "wasm32"))]
pub use build::{build_bundle, build_bundle_cached, build_bundle_with, BuildOptions, WordCache};
pub use bundle::content_hash;
pub use chunked::{split_bundle, ChunkOptions, LazyIndex, PartKind, LAYOUT_VERSION};
pub use engine::{Answer, Engine};
pub use parts::PartStore;

/// Version of the bundle format; bumped whenever the layout or the schema changes.
pub const FORMAT_VERSION: u32 = 1;

/// Facets indexed as keyword fields (usable in queries as `name:value`) and counted per query.
pub const FACETS: &[&str] = &[
    "art",
    "handlungsfeld",
    "bundesland",
    "status",
    "ki_technik",
    "anwendungstyp",
    "gemeindetyp",
    "verwaltungsebene",
    "motivation",
    "ki_verordnung",
];

/// Numeric range facets computed from [`SearchDoc::einwohner`] and [`SearchDoc::start_year`].
pub const RANGE_FACETS: &[&str] = &["einwohner", "start_jahr"];

/// Population buckets of the `einwohner` range facet: (id, German label, lower bound inclusive).
pub const EINWOHNER_BUCKETS: &[(&str, &str, u64)] = &[
    ("unter-5000", "unter 5.000", 0),
    ("5000-20000", "5.000 bis 20.000", 5_000),
    ("20000-100000", "20.000 bis 100.000", 20_000),
    ("100000-500000", "100.000 bis 500.000", 100_000),
    ("ab-500000", "ab 500.000", 500_000),
];

/// Facet name → vocabulary id → German label.
pub type FacetLabels = BTreeMap<String, BTreeMap<String, String>>;

/// One searchable catalog entry (an example or a scenario).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Entry id (file stem).
    pub id: String,
    /// `"beispiel"` or `"szenario"`.
    pub kind: String,
    /// Site-relative URL, e.g. `beispiele/muenchen-mucgpt/`.
    pub url: String,
    /// Title.
    pub title: String,
    /// Short description (kurzbeschreibung / kurzfassung).
    pub summary: String,
    /// Body as plain text.
    pub body: String,
    /// Municipality names (boosted).
    pub kommunen: Vec<String>,
    /// Facet name → vocabulary ids. Names must be in [`FACETS`].
    pub facets: Vec<(String, Vec<String>)>,
    /// Population, if known.
    pub einwohner: Option<u64>,
    /// Start year, if known.
    pub start_year: Option<i64>,
    /// Date the entry was recorded (`YYYY-MM-DD`).
    pub erfasst_am: String,
    /// Short display strings for the result card.
    pub key_facts: Vec<String>,
}

/// Errors of the search core.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The bundle is malformed.
    #[error("invalid search bundle: {0}")]
    Bundle(String),
    /// The bundle was written by a different format version.
    #[error("search bundle has format version {found}, this build reads version {expected}")]
    Version {
        /// Version in the bundle.
        found: u32,
        /// Version this code reads.
        expected: u32,
    },
    /// A document uses a facet that the schema does not know.
    #[error("entry `{id}`: unknown search facet `{facet}` (known: {known})")]
    UnknownFacet {
        /// Entry id.
        id: String,
        /// Facet name.
        facet: String,
        /// Known facet names.
        known: String,
    },
    /// Two documents share an id.
    #[error("duplicate entry id `{0}` in search input")]
    DuplicateId(String),
    /// A fetched part's bytes do not hash to its id (corrupt or wrong file).
    #[error("index part {id}: content hash is {found}")]
    Part {
        /// The id the part was asked for by.
        id: String,
        /// Hash of the bytes that arrived.
        found: String,
    },
    /// tantivy failed.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// JSON (de)serialisation failed.
    #[error("search JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

/// How compound words are made to match their parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CompoundMode {
    /// A field with the parts found by splitting words with the catalog's own dictionary.
    #[default]
    Dictionary,
    /// A character-trigram field (substring matching); kept for comparison.
    Ngram,
    /// No compound handling.
    Off,
}

/// Sort orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// By score (an empty query sorts by newest).
    #[default]
    Relevance,
    /// By `erfasst_am`, newest first.
    Newest,
    /// By title, A–Z.
    Name,
    /// By population, largest first; entries without one last.
    Population,
}

impl std::str::FromStr for SortOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "relevance" | "relevanz" => Ok(SortOrder::Relevance),
            "newest" | "neueste" | "neu" => Ok(SortOrder::Newest),
            "name" | "titel" => Ok(SortOrder::Name),
            "population" | "einwohner" => Ok(SortOrder::Population),
            other => Err(format!(
                "unknown sort `{other}` (expected relevance, newest, name or population)"
            )),
        }
    }
}

fn default_limit() -> usize {
    20
}

/// A search request (also the JSON the browser module receives).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// Query text (see [`query`] for the syntax).
    #[serde(default)]
    pub q: String,
    /// Facet filters: facet name → accepted values (OR within a facet, AND across facets).
    #[serde(default)]
    pub filters: BTreeMap<String, Vec<String>>,
    /// Sort order.
    #[serde(default)]
    pub sort: SortOrder,
    /// Maximum number of hits returned.
    #[serde(default = "default_limit")]
    pub limit: usize,
    /// Number of hits skipped.
    #[serde(default)]
    pub offset: usize,
    /// Include the facet labels in the answer.
    #[serde(default)]
    pub labels: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: BTreeMap::new(),
            sort: SortOrder::Relevance,
            limit: default_limit(),
            offset: 0,
            labels: false,
        }
    }
}

impl SearchRequest {
    /// A request for a query text with default settings.
    pub fn query(q: &str) -> Self {
        SearchRequest {
            q: q.to_string(),
            ..Default::default()
        }
    }
    /// Adds a filter value.
    pub fn filter(mut self, facet: &str, value: &str) -> Self {
        self.filters
            .entry(facet.to_string())
            .or_default()
            .push(value.to_string());
        self
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Entry id (file stem).
    pub id: String,
    /// `beispiel` or `szenario`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Site-relative URL.
    pub url: String,
    /// Relevance score (rounded to 4 decimals).
    pub score: f64,
    /// The summary as HTML-escaped text with matches wrapped in `<mark>…</mark>`.
    pub snippet: String,
    /// Municipality names.
    pub kommunen: Vec<String>,
    /// Short facts for the result card.
    pub key_facts: Vec<String>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// Number of entries matching query and filters.
    pub total: usize,
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// Facet → value → count. Each facet's counts apply all other facets' filters but not its
    /// own, so checking another value of the same facet adds exactly that many results.
    pub facets: BTreeMap<String, BTreeMap<String, usize>>,
    /// Facet labels (only when requested).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub labels: Option<FacetLabels>,
}

/// Information stored in the bundle's `info.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Info {
    pub version: u32,
    pub compound: CompoundMode,
    pub docs: usize,
    pub dictionary_words: usize,
}

/// The compact per-entry record stored in `records.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    pub id: String,
    pub kind: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kommunen: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_facts: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facets: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einwohner: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<i64>,
    #[serde(default)]
    pub erfasst_am: String,
}

/// `{"error": "<message>"}` as JSON bytes.
pub fn error_json(message: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default()
}

impl Engine {
    /// Answers a JSON request with JSON bytes: `(0, answer)` or `(1, {"error": …})` for a
    /// malformed request. The browser module and `koki search --json` both use this, so their
    /// answers are byte-identical.
    pub fn search_json(&self, request: &[u8]) -> (i32, Vec<u8>) {
        let req = match serde_json::from_slice::<SearchRequest>(request) {
            Ok(req) => req,
            Err(e) => return (1, error_json(&format!("invalid request: {e}"))),
        };
        let answer = match self.answer(&req) {
            Ok(Answer::Done(r)) => serde_json::to_vec(&r),
            // Status 3: load these parts (`Engine::add_part`) and ask again.
            Ok(Answer::Need(ids)) => {
                return match serde_json::to_vec(&serde_json::json!({ "need": ids })) {
                    Ok(v) => (3, v),
                    Err(e) => (1, error_json(&e.to_string())),
                }
            }
            Err(e) => return (1, error_json(&e.to_string())),
        };
        match answer {
            Ok(v) => (0, v),
            Err(e) => (1, error_json(&e.to_string())),
        }
    }
}
