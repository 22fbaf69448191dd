//! Opening a bundle and answering queries (native and in the browser module).
//!
//! About 720 lines, kept together on purpose: opening (complete bundle or lazy hot file),
//! the answer loop that runs until no part is missing, and the assembly of hits, snippets and
//! facet counts share the engine's private state; query building is in [`clauses`].

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use tantivy::directory::{Directory, RamDirectory};
use tantivy::query::{EnableScoring, Query};
use tantivy::{Index, ReloadPolicy, Searcher};

use crate::analysis::{self, Decompounder};
use crate::columns::{self, FacetColumns, RankOrder};
use crate::parts::PartStore;
use crate::query;

mod clauses;
use crate::schema::{fields_of, Fields};
use crate::typo::Words;
use crate::{
    bundle, CompoundMode, FacetLabels, Hit, Info, Record, SearchError, SearchRequest,
    SearchResponse, SortOrder, FORMAT_VERSION,
};
use clauses::{only_stopwords, prefetch, Builder, Highlight};

/// Longest accepted page.
const MAX_LIMIT: usize = 1000;
/// Words whose stems the snippet cache keeps before it starts over.
const STEM_CACHE_MAX: usize = 50_000;

/// An opened search index: a complete bundle ([`Engine::open`]) or the hot part of a lazy
/// index ([`Engine::open_lazy`]) whose other parts arrive on demand.
pub struct Engine {
    pub(crate) searcher: Option<Searcher>,
    pub(crate) fields: Fields,
    pub(crate) mode: CompoundMode,
    pub(crate) docs: usize,
    pub(crate) labels: FacetLabels,
    pub(crate) dict: Dictionary,
    /// Facet names: [`crate::FACETS`] then [`crate::RANGE_FACETS`].
    pub(crate) facet_names: Vec<&'static str>,
    pub(crate) cols: FacetColumns,
    pub(crate) ranks: Ranks,
    pub(crate) display: Display,
    /// The words of the `exact` field by length, for typo clauses.
    pub(crate) words: Words,
    /// The parts of a lazy index (`None` for a complete bundle).
    pub(crate) store: Option<Arc<PartStore>>,
    /// Folded word → stem, for snippets.
    stem_cache: Mutex<HashMap<Box<str>, Box<str>, BuildHasherDefault<WordHasher>>>,
}

/// The three sort orders other than relevance.
pub(crate) enum Ranks {
    Loaded([Vec<u32>; 3]),
    /// Part ids, and the orders read so far.
    Lazy([String; 3], [OnceLock<Vec<u32>>; 3]),
}

/// The display records of the hits.
pub(crate) enum Display {
    Loaded(Vec<Record>),
    /// `per` records a part; the blocks parsed so far.
    Lazy {
        per: usize,
        parts: Vec<String>,
        parsed: Mutex<HashMap<usize, Arc<Vec<Record>>>>,
    },
}

/// What a run of a request produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The complete answer.
    Done(SearchResponse),
    /// The parts (ids) to load before asking again; nothing of this run is shown.
    Need(Vec<String>),
}

/// FNV-1a for short words (the standard SipHash is slower and needs no DoS resistance here:
/// the cache only ever holds summary words).
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("docs", &self.docs)
            .field("mode", &self.mode)
            .finish()
    }
}

/// The opened pieces an engine is put together from.
pub(crate) struct Assembly {
    pub info: Info,
    pub index: Index,
    pub labels: FacetLabels,
    pub dict: Dictionary,
    pub cols: FacetColumns,
    pub ranks: Ranks,
    pub display: Display,
    pub words: Words,
    pub store: Option<Arc<PartStore>>,
}

/// The compound dictionary (folded words), whole or in groups loaded on demand.
pub(crate) enum Dictionary {
    Loaded(Decompounder),
    /// Part id per group; the words of the groups loaded so far, and which those are.
    Lazy {
        groups: Vec<String>,
        state: Mutex<(Decompounder, Vec<bool>)>,
    },
}

/// The dictionary group of a word: by its first two letters (a compound part of a query word
/// starts at one of the word's letter pairs, so those pairs name every group a split reads).
pub(crate) fn dict_group(word: &[u8], groups: usize) -> usize {
    let mut h = bundle::Fnv::new();
    h.write(&word[..word.len().min(2)]);
    (h.value() % groups.max(1) as u64) as usize
}

/// The words of `dict.txt` (one per line).
pub(crate) fn dict_words(bytes: &[u8]) -> Result<Vec<String>, SearchError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| SearchError::Bundle("dict.txt is not UTF-8".into()))?;
    Ok(text.lines().map(str::to_string).collect())
}

/// A named section of a decoded bundle.
pub(crate) fn section<'a>(
    sections: &[(String, &'a [u8])],
    name: &str,
) -> Result<&'a [u8], SearchError> {
    sections
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, d)| *d)
        .ok_or_else(|| SearchError::Bundle(format!("section `{name}` missing")))
}

/// `info.json`, checked for the format version this code reads.
pub(crate) fn read_info(bytes: &[u8]) -> Result<Info, SearchError> {
    let info: Info = serde_json::from_slice(bytes)?;
    if info.version != FORMAT_VERSION {
        return Err(SearchError::Version {
            found: info.version,
            expected: FORMAT_VERSION,
        });
    }
    Ok(info)
}

impl Engine {
    /// Opens a bundle made by [`crate::build_bundle`], or the hot file of a lazy index (see
    /// [`Engine::open_lazy`]).
    pub fn open(bytes: &[u8]) -> Result<Self, SearchError> {
        let sections = bundle::decode(bytes)?;
        if sections.iter().any(|(n, _)| n == "layout.json") {
            return Engine::open_lazy(bytes);
        }
        let get = |name: &str| section(&sections, name);
        let info = read_info(get("info.json")?)?;
        let dir = RamDirectory::create();
        for (name, data) in &sections {
            if let Some(file) = name.strip_prefix("tantivy/") {
                dir.atomic_write(Path::new(file), data)
                    .map_err(|e| SearchError::Bundle(e.to_string()))?;
            }
        }
        let records: Vec<Record> = serde_json::from_slice(get("records.json")?)?;
        let cols = FacetColumns::from_records(&records);
        let ranks = Ranks::Loaded(columns::ranks_from_records(&records));
        let parts = Assembly {
            info,
            index: Index::open(dir)?,
            labels: serde_json::from_slice(get("labels.json")?)?,
            dict: Dictionary::Loaded(Decompounder::new(dict_words(get("dict.txt")?)?)),
            cols,
            ranks,
            display: Display::Loaded(records),
            words: Words::Loaded(OnceLock::new()),
            store: None,
        };
        Engine::assemble(parts)
    }

    /// Puts an engine together from its opened pieces.
    pub(crate) fn assemble(a: Assembly) -> Result<Self, SearchError> {
        let docs = a.cols.docs();
        let fields = fields_of(&a.index.schema())?;
        let reader = a
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let searcher = match searcher.segment_readers().len() {
            0 => None,
            1 if searcher.segment_reader(0).max_doc() as usize == docs => Some(searcher),
            n => {
                return Err(SearchError::Bundle(format!(
                    "expected one segment with {docs} documents, found {n} segment(s)"
                )))
            }
        };
        if let Display::Loaded(records) = &a.display {
            if records.len() != docs {
                return Err(SearchError::Bundle(format!(
                    "{} display records for {docs} documents",
                    records.len()
                )));
            }
        }
        Ok(Engine {
            searcher,
            fields,
            mode: a.info.compound,
            docs,
            labels: a.labels,
            dict: a.dict,
            facet_names: columns::facet_names(),
            cols: a.cols,
            ranks: a.ranks,
            display: a.display,
            words: a.words,
            store: a.store,
            stem_cache: Mutex::new(HashMap::default()),
        })
    }

    /// Number of entries in the bundle.
    pub fn num_docs(&self) -> usize {
        self.docs
    }

    /// Facet labels shipped in the bundle.
    pub fn labels(&self) -> &FacetLabels {
        &self.labels
    }

    /// Answers a request on an engine that holds every part (one opened with
    /// [`Engine::open`]). Never fails: a query that cannot match returns no hits. A lazy
    /// engine answers through [`Engine::answer`], which names the parts it still needs.
    pub fn search(&self, req: &SearchRequest) -> SearchResponse {
        match self.answer(req) {
            Ok(Answer::Done(r)) => r,
            // Unreachable for a complete bundle: it has no parts to miss and no part to parse.
            _ => SearchResponse {
                total: 0,
                hits: Vec::new(),
                facets: BTreeMap::new(),
                labels: None,
            },
        }
    }

    /// Answers a request, or names the parts to load first (lazy index). Fails only when a
    /// loaded part does not parse.
    pub fn answer(&self, req: &SearchRequest) -> Result<Answer, SearchError> {
        if let Some(store) = &self.store {
            store.clear_missing();
        }
        let n = self.docs;
        let node = query::parse(&req.q);
        let mut hl = Highlight::default();
        // (score, strict tier) per matching doc.
        let mut matched: Vec<Option<(f32, bool)>> = vec![None; n];
        let mut has_query = false;
        if let (Some(node), Some(searcher)) = (&node, &self.searcher) {
            let drop_stop = !only_stopwords(node);
            let b = Builder {
                e: self,
                drop_stop,
                fuzzy: RefCell::new(Vec::new()),
                error: RefCell::new(None),
            };
            b.highlight(node, &mut hl);
            let full = b.build(node, false);
            if let Some(e) = b.error.take() {
                return Err(e);
            }
            if let Some(full) = full {
                has_query = true;
                let reader = searcher.segment_reader(0);
                if let Some(store) = &self.store {
                    // One pass that touches every term's data on its own, so a single round
                    // trip fetches all of them instead of one per failing clause.
                    let fuzzy = b.fuzzy.borrow().clone();
                    prefetch(full.as_ref(), &fuzzy, self.fields.exact, reader);
                    let missing = store.missing();
                    if !missing.is_empty() {
                        return Ok(Answer::Need(missing));
                    }
                }
                let run = |q: &dyn Query, f: &mut dyn FnMut(u32, f32)| {
                    if let Ok(w) = q.weight(EnableScoring::enabled_from_searcher(searcher)) {
                        let _ = w.for_each(reader, &mut |d, s| f(d, s));
                    }
                };
                run(full.as_ref(), &mut |d, s| {
                    matched[d as usize] = Some((s, false))
                });
                // The tiers only order by relevance; other sorts skip the strict run.
                let tiers = req.sort == SortOrder::Relevance;
                if tiers && b.has_loose(node) {
                    if let Some(strict) = b.build(node, true) {
                        // Membership only: no scoring needed.
                        if let Ok(w) =
                            strict.weight(EnableScoring::disabled_from_searcher(searcher))
                        {
                            let _ = w.for_each_no_score(reader, &mut |docs| {
                                for &d in docs {
                                    if let Some(m) = matched[d as usize].as_mut() {
                                        m.1 = true;
                                    }
                                }
                            });
                        }
                    }
                } else {
                    for m in matched.iter_mut().flatten() {
                        m.1 = true;
                    }
                }
            }
        }
        if !has_query {
            for m in matched.iter_mut() {
                *m = Some((0.0, true));
            }
        }

        if let Some(store) = &self.store {
            let missing = store.missing();
            if !missing.is_empty() {
                return Ok(Answer::Need(missing));
            }
        }

        // Filters: which facets have one, and which global value numbers they accept.
        let nf = self.facet_names.len();
        let mut accepted = vec![false; self.cols.value_facet.len()];
        let mut accept_mask: u32 = 0;
        for (fname, vals) in &req.filters {
            let Some(fi) = self.facet_names.iter().position(|f| f == fname) else {
                continue;
            };
            if vals.is_empty() {
                continue;
            }
            accept_mask |= 1 << fi;
            for v in vals {
                if let Ok(i) = self.cols.values[fi].binary_search(v) {
                    accepted[(self.cols.base[fi] as usize) + i] = true;
                }
            }
        }

        // Disjunctive facet counts and the filtered result list: one pass over the matching
        // documents and their precomputed value numbers.
        let mut counts = vec![0u32; self.cols.value_facet.len()];
        let mut results: Vec<(u32, f32, bool)> = Vec::new();
        for (d, m) in matched.iter().enumerate() {
            let Some((score, strict)) = *m else { continue };
            let ents = &self.cols.entries
                [self.cols.offsets[d] as usize..self.cols.offsets[d + 1] as usize];
            if accept_mask == 0 {
                results.push((d as u32, score, strict));
                for &e in ents {
                    counts[e as usize] += 1;
                }
                continue;
            }
            let mut satisfied = 0u32;
            for &e in ents {
                if accepted[e as usize] {
                    satisfied |= 1 << self.cols.value_facet[e as usize];
                }
            }
            let failing = accept_mask & !satisfied;
            match failing.count_ones() {
                0 => {
                    results.push((d as u32, score, strict));
                    for &e in ents {
                        counts[e as usize] += 1;
                    }
                }
                1 => {
                    let only = failing.trailing_zeros() as u8;
                    for &e in ents {
                        if self.cols.value_facet[e as usize] == only {
                            counts[e as usize] += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        let mut facets = BTreeMap::new();
        for fi in 0..nf {
            let mut m = BTreeMap::new();
            let base = self.cols.base[fi] as usize;
            for (vi, v) in self.cols.values[fi].iter().enumerate() {
                let c = counts[base + vi] as usize;
                if c > 0 || accepted[base + vi] {
                    m.insert(v.clone(), c);
                }
            }
            // Selected values that no entry has at all still show up (with 0).
            if let Some(vals) = req.filters.get(self.facet_names[fi]) {
                for v in vals {
                    m.entry(v.clone()).or_insert(0);
                }
            }
            facets.insert(self.facet_names[fi].to_string(), m);
        }

        // Sorting.
        let sort = if req.sort == SortOrder::Relevance && !has_query {
            SortOrder::Newest
        } else {
            req.sort
        };
        let rank = match sort {
            SortOrder::Relevance => None,
            SortOrder::Newest => Some(self.rank(RankOrder::Newest)?),
            SortOrder::Name => Some(self.rank(RankOrder::Name)?),
            SortOrder::Population => Some(self.rank(RankOrder::Population)?),
        };
        let rank: &[u32] = match rank {
            Some(None) => return Ok(Answer::Need(self.missing())),
            Some(Some(r)) => r,
            None => &[],
        };
        let rounded = |s: f32| ((s as f64) * 10_000.0).round() / 10_000.0;
        // One integer key per result (ascending), then only the requested page is ordered.
        let mut keyed: Vec<(u64, u32)> = results
            .iter()
            .map(|&(d, score, strict)| {
                let k = match sort {
                    SortOrder::Relevance => {
                        let scaled = ((score.max(0.0) as f64) * 10_000.0).round() as u64;
                        let primary = (u64::from(strict) << 62) | scaled.min((1 << 62) - 1);
                        u64::MAX - primary
                    }
                    _ => u64::from(rank[d as usize]),
                };
                (k, d)
            })
            .collect();
        let end = req
            .offset
            .saturating_add(req.limit.min(MAX_LIMIT))
            .min(keyed.len());
        if end > 0 && end < keyed.len() {
            keyed.select_nth_unstable(end - 1);
        }
        keyed[..end].sort_unstable();
        let results: Vec<(u32, f32, bool)> = keyed[..end]
            .iter()
            .map(|&(_, d)| (d, matched[d as usize].map_or(0.0, |m| m.0), true))
            .collect();
        let total = keyed.len();
        let page: Vec<(u32, f32, bool)> = results
            .iter()
            .skip(req.offset)
            .take(req.limit.min(MAX_LIMIT))
            .copied()
            .collect();
        let Some(records) = self.records_of(page.iter().map(|p| p.0))? else {
            return Ok(Answer::Need(self.missing()));
        };
        let hits = page
            .iter()
            .zip(&records)
            .map(|(&(_, score, _), r)| Hit {
                id: r.id.clone(),
                kind: r.kind.clone(),
                title: r.title.clone(),
                url: r.url.clone(),
                score: if has_query { rounded(score) } else { 0.0 },
                snippet: self.snippet(&r.summary, &hl),
                kommunen: r.kommunen.clone(),
                key_facts: r.key_facts.clone(),
            })
            .collect();
        Ok(Answer::Done(SearchResponse {
            total,
            hits,
            facets,
            labels: req.labels.then(|| self.labels.clone()),
        }))
    }

    /// Splits a folded query word into compound parts. A lazy dictionary first loads the
    /// groups of the word's letter pairs; while one is missing the word stays unsplit and the
    /// run is discarded (the group is noted as missing).
    fn split_compound(&self, folded: &str) -> Option<Vec<String>> {
        match &self.dict {
            Dictionary::Loaded(d) => d.split(folded),
            Dictionary::Lazy { groups, state } => {
                let n = folded.len();
                if !(analysis::MIN_COMPOUND_LEN..=analysis::MAX_COMPOUND_LEN).contains(&n) {
                    return None;
                }
                let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
                let mut complete = true;
                let bytes = folded.as_bytes();
                for i in 0..n.saturating_sub(1) {
                    let g = dict_group(&bytes[i..i + 2], groups.len());
                    if state.1[g] {
                        continue;
                    }
                    let got = self.store.as_ref().and_then(|s| s.get_or_note(&groups[g]));
                    match got.map(|b| dict_words(b.as_slice())) {
                        Some(Ok(words)) => {
                            state.0.extend(words);
                            state.1[g] = true;
                        }
                        _ => complete = false,
                    }
                }
                if complete {
                    state.0.split(folded)
                } else {
                    None
                }
            }
        }
    }

    /// The parts the current run asked for in vain.
    fn missing(&self) -> Vec<String> {
        self.store.as_ref().map(|s| s.missing()).unwrap_or_default()
    }

    /// A sort order, or `None` when its part is not loaded yet (noted as missing).
    fn rank(&self, order: RankOrder) -> Result<Option<&[u32]>, SearchError> {
        match &self.ranks {
            Ranks::Loaded(r) => Ok(Some(&r[order as usize])),
            Ranks::Lazy(ids, cells) => {
                let cell = &cells[order as usize];
                if let Some(r) = cell.get() {
                    return Ok(Some(r));
                }
                let Some(bytes) = self
                    .store
                    .as_ref()
                    .and_then(|s| s.get_or_note(&ids[order as usize]))
                else {
                    return Ok(None);
                };
                let r = columns::decode_ranks(bytes.as_slice(), self.docs)?;
                Ok(Some(cell.get_or_init(|| r)))
            }
        }
    }

    /// The display records of `docs`, or `None` when a block is not loaded yet (every missing
    /// block is noted, so one round trip fetches them all).
    fn records_of(
        &self,
        docs: impl Iterator<Item = u32>,
    ) -> Result<Option<Vec<Record>>, SearchError> {
        let docs: Vec<u32> = docs.collect();
        match &self.display {
            Display::Loaded(all) => Ok(Some(
                docs.iter().map(|&d| all[d as usize].clone()).collect(),
            )),
            Display::Lazy { per, parts, parsed } => {
                let mut blocks: HashMap<usize, Arc<Vec<Record>>> = HashMap::new();
                let mut complete = true;
                for &d in &docs {
                    let b = d as usize / per;
                    if blocks.contains_key(&b) {
                        continue;
                    }
                    let cached = parsed.lock().ok().and_then(|m| m.get(&b).cloned());
                    if let Some(block) = cached {
                        blocks.insert(b, block);
                        continue;
                    }
                    let id = parts.get(b).ok_or_else(|| {
                        SearchError::Bundle(format!("no display block for document {d}"))
                    })?;
                    let Some(bytes) = self.store.as_ref().and_then(|s| s.get_or_note(id)) else {
                        complete = false;
                        continue;
                    };
                    let block: Arc<Vec<Record>> =
                        Arc::new(serde_json::from_slice(bytes.as_slice())?);
                    if let Ok(mut m) = parsed.lock() {
                        m.insert(b, block.clone());
                    }
                    blocks.insert(b, block);
                }
                if !complete {
                    return Ok(None);
                }
                docs.iter()
                    .map(|&d| {
                        let (b, i) = (d as usize / per, d as usize % per);
                        blocks[&b].get(i).cloned().ok_or_else(|| {
                            SearchError::Bundle(format!("display block {b} lacks document {d}"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Some)
            }
        }
    }

    /// The summary as escaped HTML with query matches in `<mark>`.
    ///
    /// Runs for every hit on the page, so it folds into one reused buffer, tests the cheap
    /// conditions first and takes stems from a cache (summaries repeat their vocabulary).
    fn snippet(&self, text: &str, hl: &Highlight) -> String {
        let mut out = String::with_capacity(text.len() + 32);
        let mut last = 0;
        let mut folded = String::new();
        for (from, to) in analysis::token_spans(text) {
            folded.clear();
            analysis::fold_into(&text[from..to], &mut folded);
            if folded.is_empty() {
                continue;
            }
            let hit = hl.prefixes.iter().any(|p| folded.starts_with(p.as_str()))
                || (folded.len() >= analysis::MIN_COMPOUND_LEN
                    && hl.parts.iter().any(|p| folded.contains(p.as_str())))
                || hl.fuzzy.iter().any(|(f, d)| {
                    folded.len().abs_diff(f.len()) <= *d
                        && analysis::within_edit_distance(&folded, f, *d)
                })
                || (!hl.stems.is_empty() && self.stem_in(&folded, &hl.stems));
            if hit {
                escape_into(&mut out, &text[last..from]);
                out.push_str("<mark>");
                escape_into(&mut out, &text[from..to]);
                out.push_str("</mark>");
                last = to;
            }
        }
        escape_into(&mut out, &text[last..]);
        out
    }

    /// Whether the stem of a folded word is in `stems` (stems cached per word).
    fn stem_in(&self, folded: &str, stems: &BTreeSet<String>) -> bool {
        let Ok(mut cache) = self.stem_cache.lock() else {
            return stems.contains(&analysis::stem(folded));
        };
        if let Some(s) = cache.get(folded) {
            return stems.contains(s.as_ref());
        }
        let s = analysis::stem(folded);
        let found = stems.contains(&s);
        if cache.len() >= STEM_CACHE_MAX {
            cache.clear();
        }
        cache.insert(folded.into(), s.into());
        found
    }

    fn resolve_facet_value(&self, facet: &str, value: &str) -> String {
        let v = value.to_lowercase();
        let Some(labels) = self.labels.get(facet) else {
            return v;
        };
        if labels.contains_key(&v) {
            return v;
        }
        let fv = analysis::fold(value);
        labels
            .iter()
            .find(|(_, l)| analysis::fold(l) == fv)
            .or_else(|| {
                labels
                    .iter()
                    .find(|(_, l)| analysis::fold(l).starts_with(&fv))
            })
            .map(|(id, _)| id.clone())
            .unwrap_or(v)
    }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
