//! The lazy index: a bundle cut into a small *hot* file, read before the first query, and
//! content-hashed *parts* fetched only when a query needs them.
//!
//! * Hot file (same container as the bundle, see [`crate::bundle`]): `info.json`,
//!   `labels.json`, `layout.json` (how every file is cut, part ids of display blocks, sort
//!   orders and dictionary groups), `facets.json` + `facets.bin` (every entry's facet values, for
//!   filters and counts), `tantivy/meta.json`, and `part/<id>` for the parts that opening
//!   the index reads anyway (file footers, the term dictionaries' block indexes, field norms).
//! * Parts: fixed-size chunks of the tantivy segment files, blocks of display records (in
//!   document order), the three sort orders, groups of the compound dictionary (by a
//!   word's first two letters), and the words of the `exact` field grouped by length (for
//!   typo clauses, see [`crate::typo`]). A part's id is the FNV-1a hash of its bytes;
//!   the engine checks it on arrival.
//!
//! How many parts, and how large: [`ChunkOptions`]. The answers are those of the complete
//! bundle by construction — the same engine code runs over the same bytes — and the
//! `search_lazy` tests compare both on every request of the relevance and parity suites.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use tantivy::Index;

use crate::analysis::{self, Decompounder};
use crate::columns::{self, FacetColumns};
use crate::engine::{
    dict_group, dict_words, read_info, section, Assembly, Dictionary, Display, Ranks,
};
use crate::parts::{ChunkedFile, LazyDirectory, PartStore, ReadLog};
use crate::typo::{group_words, words_by_length, WordGroup, Words};
use crate::{bundle, Engine, Record, SearchError};

/// Layout version of the hot file's `layout.json`.
pub const LAYOUT_VERSION: u32 = 2;

/// How a bundle is cut.
#[derive(Debug, Clone)]
pub struct ChunkOptions {
    /// Entries per part file allowed (the total number of parts stays at or below
    /// `entries / entries_per_file`, but never below `min_files`).
    pub entries_per_file: usize,
    /// Files allowed however small the catalog.
    pub min_files: usize,
    /// Smallest chunk of a tantivy file.
    pub min_chunk: usize,
    /// Share of the file budget given to display blocks.
    pub display_share: f64,
    /// Share of the file budget given to groups of the compound dictionary (the rest goes
    /// to index chunks).
    pub dict_share: f64,
    /// Positions (read by phrase queries only) get chunks this many times larger.
    pub positions_factor: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        ChunkOptions {
            entries_per_file: 25,
            min_files: 256,
            min_chunk: 2048,
            display_share: 0.45,
            dict_share: 0.15,
            positions_factor: 8,
        }
    }
}

/// `layout.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Layout {
    version: u32,
    docs: usize,
    /// tantivy file name → how it is cut.
    files: BTreeMap<String, ChunkedFile>,
    /// Display records per block.
    display_per: usize,
    display: Vec<String>,
    /// Sort orders newest, name, population.
    ranks: [String; 3],
    /// Groups of the compound dictionary (see `engine::dict_group`).
    dict: Vec<String>,
    /// The words of the `exact` field by length (see [`crate::typo`]).
    words: Vec<WordGroup>,
}

/// What a part holds (for the benchmark's breakdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PartKind {
    /// A chunk of a tantivy file, by its extension (`idx`, `pos`, `term`, `fieldnorm`, …).
    Index(&'static str),
    /// A block of display records.
    Display,
    /// A sort order.
    Sort,
    /// A group of the compound dictionary.
    Dictionary,
    /// Words of the `exact` field of some lengths (typo clauses).
    Words,
}

/// A cut bundle.
#[derive(Debug, Clone)]
pub struct LazyIndex {
    /// Read before the first query.
    pub hot: Vec<u8>,
    /// Part id → bytes, every part once (identical chunks share an id).
    pub parts: BTreeMap<String, Vec<u8>>,
    /// Part id → what it holds (parts of the hot file included).
    pub kinds: BTreeMap<String, PartKind>,
}

/// Cuts a complete bundle (from [`crate::build_bundle`]) into a hot file and parts.
pub fn split_bundle(bytes: &[u8], opts: &ChunkOptions) -> Result<LazyIndex, SearchError> {
    let sections = bundle::decode(bytes)?;
    let get = |name: &str| section(&sections, name);
    read_info(get("info.json")?)?;
    let records: Vec<Record> = serde_json::from_slice(get("records.json")?)?;
    let docs = records.len();
    let budget = (docs / opts.entries_per_file.max(1)).max(opts.min_files);
    let mut parts: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut kinds: BTreeMap<String, PartKind> = BTreeMap::new();
    let mut add = |bytes: Vec<u8>, kind: PartKind| -> String {
        let id = bundle::content_hash(&bytes);
        kinds.entry(id.clone()).or_insert(kind);
        parts.entry(id.clone()).or_insert(bytes);
        id
    };

    // Display blocks.
    let display_files = ((budget as f64 * opts.display_share) as usize).max(1);
    let display_per = docs.div_ceil(display_files).max(1);
    let mut display = Vec::new();
    for block in records.chunks(display_per) {
        let shown: Vec<Record> = block.iter().map(columns::display_only).collect();
        display.push(add(serde_json::to_vec(&shown)?, PartKind::Display));
    }
    let [newest, name, population] = columns::ranks_from_records(&records);
    let ranks = [newest, name, population].map(|r| add(columns::encode_ranks(&r), PartKind::Sort));

    // Dictionary groups.
    let dict_files = ((budget as f64 * opts.dict_share) as usize).max(1);
    let mut groups: Vec<Vec<String>> = vec![Vec::new(); dict_files];
    for w in dict_words(get("dict.txt")?)? {
        if analysis::is_dictionary_word(&w) {
            groups[dict_group(w.as_bytes(), dict_files)].push(w);
        }
    }
    let dict: Vec<String> = groups
        .into_iter()
        .map(|g| add(g.join("\n").into_bytes(), PartKind::Dictionary))
        .collect();

    // Words of the exact field by length.
    let complete = Engine::open(bytes)?;
    let by_length = match &complete.searcher {
        Some(s) => words_by_length(s.segment_reader(0), complete.fields.exact)?,
        None => Vec::new(),
    };
    let words: Vec<WordGroup> = group_words(&by_length, opts.min_chunk)?
        .into_iter()
        .map(|(min, max, bytes)| WordGroup {
            min,
            max,
            part: add(bytes, PartKind::Words),
        })
        .collect();
    drop(complete);

    // tantivy files: one chunk size for all but positions, chosen to fit the budget; what
    // opening reads gets chunks of its own (they go into the hot file).
    let tantivy: Vec<(String, &[u8])> = sections
        .iter()
        .filter_map(|(n, d)| n.strip_prefix("tantivy/").map(|f| (f.to_string(), *d)))
        .filter(|(f, _)| f != "meta.json")
        .collect();
    let opening = opening_reads(&tantivy, get("tantivy/meta.json")?)?;
    let left = budget
        .saturating_sub(display.len() + dict.len() + words.len() + 3)
        .max(1);
    let is_pos = |f: &str| f.ends_with(".pos");
    let factor = opts.positions_factor.max(1);
    let weighted: usize = tantivy
        .iter()
        .map(|(f, d)| if is_pos(f) { d.len() / factor } else { d.len() })
        .sum();
    let chunk = weighted
        .div_ceil(left)
        .max(opts.min_chunk)
        .next_multiple_of(1024);
    let mut files = BTreeMap::new();
    for (f, data) in &tantivy {
        let size = if is_pos(f) { chunk * factor } else { chunk };
        let kind = PartKind::Index(index_kind(f));
        let empty = Vec::new();
        let keep = opening.get(f).unwrap_or(&empty);
        let blocks = if f.ends_with(".term") {
            term_block_starts(data, keep)
        } else {
            Vec::new()
        };
        let starts = cut_points(data.len(), size, keep, &blocks);
        let ids = starts
            .iter()
            .zip(starts.iter().skip(1).chain([&data.len()]))
            .map(|(&a, &b)| add(data[a..b].to_vec(), kind))
            .collect();
        files.insert(
            f.clone(),
            ChunkedFile {
                len: data.len(),
                starts,
                parts: ids,
            },
        );
    }
    let layout = Layout {
        version: LAYOUT_VERSION,
        docs,
        files,
        display_per,
        display,
        ranks,
        dict,
        words,
    };
    let cols = FacetColumns::from_records(&records);
    let (facets_json, facets_bin) = cols.encode()?;
    let mut hot: Vec<(String, Vec<u8>)> = ["info.json", "labels.json", "tantivy/meta.json"]
        .iter()
        .map(|n| Ok((n.to_string(), get(n)?.to_vec())))
        .collect::<Result<_, SearchError>>()?;
    hot.push(("layout.json".into(), serde_json::to_vec(&layout)?));
    hot.push(("facets.json".into(), facets_json));
    hot.push(("facets.bin".into(), facets_bin));

    // The parts opening reads: found by opening with none and adding what it asks for.
    let without_hot = bundle::encode(&hot);
    let store = Arc::new(PartStore::default());
    let mut opened = Vec::new();
    for _ in 0..64 {
        let missing = open_missing(&without_hot, &store)?;
        if missing.is_empty() {
            break;
        }
        for id in missing {
            let bytes = parts.get(&id).cloned().ok_or_else(|| {
                SearchError::Bundle(format!("opening asks for unknown part {id}"))
            })?;
            store.insert_trusted(&id, bytes.clone());
            opened.push((id, bytes));
        }
    }
    opened.sort();
    for (id, bytes) in opened {
        parts.remove(&id);
        hot.push((format!("part/{id}"), bytes));
    }
    Ok(LazyIndex {
        hot: bundle::encode(&hot),
        parts,
        kinds,
    })
}

/// The kind of a tantivy file, by extension.
fn index_kind(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("idx") => "idx",
        Some("pos") => "pos",
        Some("term") => "term",
        Some("fieldnorm") => "fieldnorm",
        Some("fast") => "fast",
        Some("store") => "store",
        _ => "other",
    }
}

/// Chunk starts for a file of `len` bytes: the ranges in `keep` (sorted, merged) are chunks
/// of their own, the gaps between them are cut every `size` bytes — or, where `blocks`
/// (sorted) names the starts of the units a reader reads whole, at the first such start at
/// least `size` bytes on, so that no unit straddles two chunks.
fn cut_points(len: usize, size: usize, keep: &[Range<usize>], blocks: &[usize]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut pos = 0;
    let size = size.max(1);
    let fill = |from: usize, to: usize, starts: &mut Vec<usize>| {
        let mut p = from;
        while p < to {
            starts.push(p);
            let first = blocks.partition_point(|&b| b <= p);
            let in_gap = blocks.get(first).is_some_and(|&b| b < to);
            p = if in_gap {
                let i = blocks.partition_point(|&b| b < p + size);
                blocks.get(i).copied().filter(|&b| b < to).unwrap_or(to)
            } else {
                p + size
            };
        }
    };
    for r in keep {
        fill(pos, r.start, &mut starts);
        if r.start < r.end {
            starts.push(r.start);
        }
        pos = r.end;
    }
    fill(pos, len, &mut starts);
    if starts.is_empty() {
        starts.push(0);
    }
    starts
}

/// Where the blocks of the term dictionaries in a `.term` file start (a lookup reads one
/// whole block). The file holds one SSTable per field: blocks (`u32` length + 1, then the
/// bytes), an empty block as end marker, then the block index and footer — which opening
/// reads, so `opened` (the merged opening reads of this file) says where each field's
/// table ends and the next begins. Only a hint for cutting: a wrong guess costs bytes, not
/// answers, so the walk stops quietly at anything unexpected.
fn term_block_starts(data: &[u8], opened: &[Range<usize>]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut p = 0;
    while p + 4 <= data.len() {
        let mut q = p;
        loop {
            let Some(word) = data.get(q..q + 4) else {
                return starts;
            };
            let stored = u32::from_le_bytes([word[0], word[1], word[2], word[3]]) as usize;
            if stored <= 1 {
                break;
            }
            if q + 4 + stored > data.len() {
                return starts;
            }
            starts.push(q);
            q += 4 + stored;
        }
        match opened.iter().find(|r| r.start <= q + 4 && q + 4 < r.end) {
            Some(r) => p = r.end,
            None => break,
        }
    }
    starts
}

/// The byte ranges of each tantivy file that opening the index and every field's term
/// dictionary and field norms reads (sorted, overlapping ones merged).
fn opening_reads(
    files: &[(String, &[u8])],
    meta: &[u8],
) -> Result<BTreeMap<String, Vec<Range<usize>>>, SearchError> {
    let store = Arc::new(PartStore::default());
    let mut layout = BTreeMap::new();
    for (f, data) in files {
        let id = bundle::content_hash(data);
        store.insert_trusted(&id, data.to_vec());
        layout.insert(
            PathBuf::from(f),
            ChunkedFile {
                len: data.len(),
                starts: vec![0],
                parts: vec![id],
            },
        );
    }
    let mut whole = BTreeMap::new();
    whole.insert(PathBuf::from("meta.json"), meta.to_vec());
    let log: ReadLog = Default::default();
    let dir = LazyDirectory::new(layout, whole, store).logging(log.clone());
    let index = Index::open(dir)?;
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    touch_every_field(&reader.searcher());
    let mut out: BTreeMap<String, Vec<Range<usize>>> = BTreeMap::new();
    let reads = log.lock().map(|l| l.clone()).unwrap_or_default();
    for (path, r) in reads {
        out.entry(path.to_string_lossy().into_owned())
            .or_default()
            .push(r);
    }
    for ranges in out.values_mut() {
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in ranges.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        *ranges = merged;
    }
    Ok(out)
}

/// Opens each field's term dictionary and reads its field norms: what every query needs.
fn touch_every_field(searcher: &tantivy::Searcher) {
    if searcher.segment_readers().len() != 1 {
        return;
    }
    let reader = searcher.segment_reader(0);
    for (field, entry) in searcher.schema().fields() {
        if entry.is_indexed() {
            let _ = reader.inverted_index(field);
            if entry.has_fieldnorms() {
                if let Ok(norms) = reader.get_fieldnorms_reader(field) {
                    let _ = norms.fieldnorm_id(0);
                }
            }
        }
    }
}

/// Opens the hot file with `store` and touches what every query reads (each field's term
/// dictionary and field norms); returns the parts that were missing.
fn open_missing(hot: &[u8], store: &Arc<PartStore>) -> Result<Vec<String>, SearchError> {
    store.clear_missing();
    let engine = match Engine::open_lazy_with(hot, store.clone()) {
        Ok(e) => e,
        Err(_) if !store.missing().is_empty() => return Ok(store.missing()),
        Err(e) => return Err(e),
    };
    if let Some(searcher) = &engine.searcher {
        touch_every_field(searcher);
    }
    Ok(store.missing())
}

impl Engine {
    /// Opens the hot file of a lazy index; its parts arrive through [`Engine::add_part`].
    pub fn open_lazy(hot: &[u8]) -> Result<Self, SearchError> {
        Engine::open_lazy_with(hot, Arc::new(PartStore::default()))
    }

    fn open_lazy_with(hot: &[u8], store: Arc<PartStore>) -> Result<Self, SearchError> {
        let sections = bundle::decode(hot)?;
        let get = |name: &str| section(&sections, name);
        let info = read_info(get("info.json")?)?;
        let layout: Layout = serde_json::from_slice(get("layout.json")?)?;
        if layout.version != LAYOUT_VERSION {
            return Err(SearchError::Bundle(format!(
                "layout version {} (this build reads {LAYOUT_VERSION})",
                layout.version
            )));
        }
        for (name, data) in &sections {
            if let Some(id) = name.strip_prefix("part/") {
                store.insert(id, data.to_vec())?;
            }
        }
        let cols = FacetColumns::decode(get("facets.json")?, get("facets.bin")?, layout.docs)?;
        if layout.display.len() != layout.docs.div_ceil(layout.display_per.max(1)) {
            return Err(SearchError::Bundle(
                "display blocks do not cover the entries".into(),
            ));
        }
        if let Some((f, _)) = layout.files.iter().find(|(_, c)| !c.is_consistent()) {
            return Err(SearchError::Bundle(format!(
                "chunk table of `{f}` is inconsistent"
            )));
        }
        let mut whole = BTreeMap::new();
        whole.insert(
            PathBuf::from("meta.json"),
            get("tantivy/meta.json")?.to_vec(),
        );
        let files = layout
            .files
            .into_iter()
            .map(|(f, c)| (PathBuf::from(f), c))
            .collect();
        let dir = LazyDirectory::new(files, whole, store.clone());
        Engine::assemble(Assembly {
            info,
            index: Index::open(dir)?,
            labels: serde_json::from_slice(get("labels.json")?)?,
            dict: Dictionary::Lazy {
                state: Mutex::new((
                    Decompounder::new(Vec::new()),
                    vec![false; layout.dict.len()],
                )),
                groups: layout.dict,
            },
            cols,
            ranks: Ranks::Lazy(
                layout.ranks,
                [OnceLock::new(), OnceLock::new(), OnceLock::new()],
            ),
            display: Display::Lazy {
                per: layout.display_per.max(1),
                parts: layout.display,
                parsed: Mutex::new(Default::default()),
            },
            words: Words::Lazy {
                groups: layout.words,
                parsed: Mutex::new(Default::default()),
            },
            store: Some(store),
        })
    }

    /// Hands a fetched part to a lazy engine (checked against its id).
    pub fn add_part(&self, id: &str, bytes: Vec<u8>) -> Result<(), SearchError> {
        match &self.store {
            Some(store) => store.insert(id, bytes),
            None => Err(SearchError::Bundle(
                "a complete bundle takes no parts".into(),
            )),
        }
    }

    /// Answers a request, loading missing parts with `load` (by id) until the answer is
    /// complete. `koki search` loads from the site's files; tests from memory.
    pub fn search_loading<E: From<SearchError>>(
        &self,
        req: &crate::SearchRequest,
        mut load: impl FnMut(&str) -> Result<Vec<u8>, E>,
    ) -> Result<crate::SearchResponse, E> {
        // Each round loads at least one new part, so the number of parts bounds the rounds.
        loop {
            match self.answer(req)? {
                crate::Answer::Done(r) => return Ok(r),
                crate::Answer::Need(ids) => {
                    let mut progress = false;
                    for id in ids {
                        if self.store.as_ref().is_some_and(|s| s.holds(&id)) {
                            continue;
                        }
                        self.add_part(&id, load(&id)?)?;
                        progress = true;
                    }
                    if !progress {
                        return Err(SearchError::Bundle(
                            "the index asks for parts it already holds".into(),
                        )
                        .into());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_cut_at_block_starts_when_blocks_are_known() {
        // Blocks at 0, 300, 900, 1000; the range 1200..1300 is kept as a chunk of its own.
        let keep: Vec<Range<usize>> = std::iter::once(1200..1300).collect();
        let starts = cut_points(1500, 500, &keep, &[0, 300, 900, 1000]);
        assert_eq!(starts, [0, 900, 1200, 1300]);
        // Without blocks: every `size` bytes.
        assert_eq!(
            cut_points(1500, 500, &keep, &[]),
            [0, 500, 1000, 1200, 1300]
        );
    }

    #[test]
    fn term_blocks_are_found_across_field_tables() {
        // Field 1: blocks of 6 and 3 stored bytes, end marker, "index" 8 bytes (read at opening);
        // field 2: one block, end marker, index.
        let mut data = Vec::new();
        let block = |data: &mut Vec<u8>, n: u32| {
            data.extend_from_slice(&n.to_le_bytes());
            data.extend(std::iter::repeat_n(7u8, n as usize));
        };
        block(&mut data, 6);
        block(&mut data, 3);
        data.extend_from_slice(&0u32.to_le_bytes());
        let index1 = data.len()..data.len() + 8;
        data.extend_from_slice(&[9; 8]);
        let second = data.len();
        block(&mut data, 5);
        data.extend_from_slice(&0u32.to_le_bytes());
        let index2 = data.len()..data.len() + 8;
        data.extend_from_slice(&[9; 8]);
        let both = vec![index1.clone(), index2];
        assert_eq!(term_block_starts(&data, &both), [0, 10, second]);
        // A table whose index was not read ends the walk.
        let first: Vec<Range<usize>> = std::iter::once(index1).collect();
        assert_eq!(term_block_starts(&data, &first), [0, 10, second]);
        assert_eq!(term_block_starts(&data, &[]), [0, 10]);
        // A length beyond the file stops quietly.
        assert_eq!(
            term_block_starts(&[200, 0, 0, 0, 1], &[]),
            Vec::<usize>::new()
        );
    }
}
