//! Index building (native only: tantivy's writer needs threads).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use tantivy::directory::Directory;
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::Field;
use tantivy::store::Compressor;
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument};

mod prepared;
use prepared::{push_token, PreparedTokenizer};

use crate::analysis::{self, Decompounder};
use crate::schema::{build_schema, build_schema_builder, trigrams, Fields, PREPARED_TOKENIZER};
use crate::{
    bundle, CompoundMode, FacetLabels, Info, Record, SearchDoc, SearchError, EINWOHNER_BUCKETS,
    FACETS, FORMAT_VERSION,
};

/// Options for [`build_bundle_with`].
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Compound handling (the shipped site uses [`CompoundMode::Dictionary`]).
    pub compound: CompoundMode,
    /// Also put the display fields (title, url, summary, key facts) into tantivy's document
    /// store. Only for measuring the store against the compact records; the engine never
    /// reads it.
    pub store_display: bool,
}

/// Builds the search bundle for the catalog with the default options.
///
/// `labels` maps facet → id → German label (shipped for the facet UI); `extra_vocab` is any
/// further catalog text (vocabulary labels and descriptions, action-field texts) whose words
/// join the compound dictionary.
pub fn build_bundle(
    docs: &[SearchDoc],
    labels: &FacetLabels,
    extra_vocab: &[String],
) -> Result<Vec<u8>, SearchError> {
    build_bundle_with(docs, labels, extra_vocab, &BuildOptions::default())
}

/// Builds the search bundle with explicit options. The output depends only on the input:
/// two builds of the same catalog are byte-identical.
pub fn build_bundle_with(
    docs: &[SearchDoc],
    labels: &FacetLabels,
    extra_vocab: &[String],
    options: &BuildOptions,
) -> Result<Vec<u8>, SearchError> {
    build_bundle_cached(
        docs.len(),
        &|range| docs[range].to_vec(),
        labels,
        extra_vocab,
        options,
        &mut WordCache::default(),
    )
}

/// Word analyses kept from one build to the next (by `koki serve`). A word's stem never
/// changes and its compound split only with the dictionary, so a rebuild after a small edit
/// analyses only the words that are new. The bundle is the same as without the cache.
#[derive(Default)]
pub struct WordCache {
    /// The dictionary and mode the splits in `words` were made with.
    dictionary: BTreeSet<String>,
    decompounder: Decompounder,
    mode: Option<CompoundMode>,
    words: HashMap<String, WordAnalysis>,
}

impl WordCache {
    /// Forgets every split when the dictionary or the compound mode changed.
    fn prepare(&mut self, dictionary: BTreeSet<String>, mode: CompoundMode) {
        if self.mode != Some(mode) || self.dictionary != dictionary {
            self.words.clear();
            self.mode = Some(mode);
            self.decompounder = Decompounder::new(dictionary.iter().cloned());
            self.dictionary = dictionary;
        }
    }

    /// Analyses the words not analysed yet and forgets the ones no longer in use (`words` is
    /// sorted), so the cache does not grow over a long editing session.
    fn update(&mut self, words: &[String]) {
        let (dec, mode) = (&self.decompounder, self.mode.unwrap_or_default());
        let missing: Vec<&String> = words
            .iter()
            .filter(|w| !self.words.contains_key(*w))
            .collect();
        let analysed = par_map(&missing, |w| analyse_word(w, dec, mode));
        self.words
            .extend(missing.into_iter().cloned().zip(analysed));
        if self.words.len() > words.len() {
            self.words.retain(|w, _| words.binary_search(w).is_ok());
        }
    }
}

/// [`build_bundle_with`], reusing and updating the word analyses of earlier builds, with the
/// documents produced in batches: `docs(range)` returns the documents `range` (of `count`, in
/// catalog order). It is called twice per document — once to collect the words, once to
/// index them — so only one batch of documents (plain-text bodies, facets) is held at a time
/// instead of the whole catalog's (≈ 4 KB per entry).
pub fn build_bundle_cached(
    count: usize,
    docs: &(dyn Fn(Range<usize>) -> Vec<SearchDoc> + Sync),
    labels: &FacetLabels,
    extra_vocab: &[String],
    options: &BuildOptions,
    cache: &mut WordCache,
) -> Result<Vec<u8>, SearchError> {
    let batches = || {
        (0..count)
            .step_by(INDEX_BATCH)
            .map(move |start| start..count.min(start + INDEX_BATCH))
    };
    let mut display_fields: Option<(Field, Field, Field, Field)> = None;

    // Compound dictionary from the catalog's own words, and every distinct word to split.
    let mut check = DocCheck::default();
    let mut words: HashSet<String> = HashSet::new();
    for range in batches() {
        let batch = docs(range);
        check.check(&batch)?;
        collect_words(&mut words, &batch);
    }
    let words = sorted_words(words, labels, extra_vocab);
    let dict: BTreeSet<String> = words
        .iter()
        .filter(|w| analysis::is_dictionary_word(w))
        .cloned()
        .collect();
    cache.prepare(dict, options.compound);
    cache.update(&words);
    drop(words);
    let analysed = &cache.words;
    let dict = &cache.dictionary;

    // Index.
    let (schema, fields) = if options.store_display {
        let mut b = build_schema_builder();
        let d = (
            b.add_text_field("d_title", tantivy::schema::STORED),
            b.add_text_field("d_url", tantivy::schema::STORED),
            b.add_text_field("d_summary", tantivy::schema::STORED),
            b.add_text_field("d_facts", tantivy::schema::STORED),
        );
        let schema = b.build();
        let fields = crate::schema::fields_of(&schema)?;
        display_fields = Some(d);
        (schema, fields)
    } else {
        build_schema()
    };
    let settings = IndexSettings {
        docstore_compression: Compressor::None,
        ..Default::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_ram()?;
    index
        .tokenizers()
        .register(PREPARED_TOKENIZER, PreparedTokenizer::default());
    let mut records = JsonArray::default();
    {
        let mut writer: IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(1, WRITER_ARENA_BYTES)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // Documents are analysed on all cores in batches (so only one batch of analysed
        // text is held at a time) and added in catalog order: the index stays reproducible.
        for range in batches() {
            let batch = docs(range);
            for d in &batch {
                records.push(&record_of(d))?;
            }
            let made = par_map(&batch, |d| {
                let mut doc = make_doc(d, &fields, analysed, options.compound);
                if let Some((t, u, su, k)) = display_fields {
                    doc.add_text(t, &d.title);
                    doc.add_text(u, &d.url);
                    doc.add_text(su, &d.summary);
                    doc.add_text(k, d.key_facts.join("\u{1f}"));
                }
                doc
            });
            for doc in made {
                writer.add_document(doc)?;
            }
        }
        writer.commit()?;
        let ids = index.searchable_segment_ids()?;
        if ids.len() > 1 {
            writer.merge(&ids).wait()?;
        }
        writer.wait_merging_threads()?;
    }
    let metas = index.load_metas()?;
    if metas.segments.len() > 1 {
        return Err(SearchError::Bundle(format!(
            "expected one merged segment, got {}",
            metas.segments.len()
        )));
    }
    let mut sections: Vec<(String, Vec<u8>)> = Vec::new();
    let info = Info {
        version: FORMAT_VERSION,
        compound: options.compound,
        docs: count,
        dictionary_words: cache.decompounder.len(),
    };
    sections.push(("info.json".into(), serde_json::to_vec(&info)?));

    // tantivy files, with the random segment id replaced by a fixed one (reproducible builds).
    let dir = index.directory();
    let mut meta_json = String::from_utf8(
        dir.atomic_read(Path::new("meta.json"))
            .map_err(|e| SearchError::Bundle(e.to_string()))?,
    )
    .map_err(|e| SearchError::Bundle(e.to_string()))?;
    let mut renames: Vec<(String, String)> = Vec::new();
    for (i, seg) in metas.segments.iter().enumerate() {
        let simple = seg.id().uuid_string();
        let fixed = format!("{:032x}", i + 1);
        let hyph = |s: &str| {
            format!(
                "{}-{}-{}-{}-{}",
                &s[0..8],
                &s[8..12],
                &s[12..16],
                &s[16..20],
                &s[20..32]
            )
        };
        meta_json = meta_json.replace(&hyph(&simple), &hyph(&fixed));
        meta_json = meta_json.replace(&simple, &fixed);
        renames.push((simple, fixed));
    }
    sections.push(("tantivy/meta.json".into(), meta_json.into_bytes()));
    let mut files: Vec<String> = metas
        .list_segment_files()
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    for f in files {
        let p = Path::new(&f);
        if !dir
            .exists(p)
            .map_err(|e| SearchError::Bundle(e.to_string()))?
        {
            continue;
        }
        let data = dir
            .atomic_read(p)
            .map_err(|e| SearchError::Bundle(e.to_string()))?;
        let mut name = f.clone();
        for (from, to) in &renames {
            name = name.replace(from, to);
        }
        sections.push((format!("tantivy/{name}"), data));
    }

    // The index's own copy of its files is no longer needed.
    drop(index);

    // Compact records, labels, dictionary.
    sections.push(("records.json".into(), records.finish()));
    sections.push((
        "labels.json".into(),
        serde_json::to_vec(&complete_labels(labels, &check.start_years))?,
    ));
    let dict_txt: String = dict.iter().map(|w| format!("{w}\n")).collect();
    sections.push(("dict.txt".into(), dict_txt.into_bytes()));
    Ok(bundle::encode(&sections))
}

/// Checks the documents batch by batch: unique ids and known facets. Also remembers the start
/// years, which get facet labels.
#[derive(Default)]
struct DocCheck {
    seen: HashSet<String>,
    start_years: BTreeSet<i64>,
}

impl DocCheck {
    fn check(&mut self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        for d in docs {
            if !self.seen.insert(d.id.clone()) {
                return Err(SearchError::DuplicateId(d.id.clone()));
            }
            for (f, _) in &d.facets {
                if !FACETS.contains(&f.as_str()) {
                    return Err(SearchError::UnknownFacet {
                        id: d.id.clone(),
                        facet: f.clone(),
                        known: FACETS.join(", "),
                    });
                }
            }
            self.start_years.extend(d.start_year);
        }
        Ok(())
    }
}

/// A JSON array written element by element: the same bytes as `serde_json::to_vec` of a
/// `Vec`, without holding every element (a [`Record`] costs about 2 KB in memory, three times
/// its JSON).
#[derive(Default)]
struct JsonArray {
    json: Vec<u8>,
}

impl JsonArray {
    fn push(&mut self, item: &impl serde::Serialize) -> Result<(), SearchError> {
        self.json
            .push(if self.json.is_empty() { b'[' } else { b',' });
        serde_json::to_writer(&mut self.json, item)?;
        Ok(())
    }

    fn finish(mut self) -> Vec<u8> {
        if self.json.is_empty() {
            self.json.push(b'[');
        }
        self.json.push(b']');
        self.json
    }
}

fn record_of(d: &SearchDoc) -> Record {
    let mut facets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (f, vals) in &d.facets {
        let e = facets.entry(f.clone()).or_default();
        for v in vals {
            if !e.contains(v) {
                e.push(v.clone());
            }
        }
    }
    facets
        .entry("art".into())
        .or_insert_with(|| vec![d.kind.clone()]);
    Record {
        id: d.id.clone(),
        kind: d.kind.clone(),
        url: d.url.clone(),
        title: d.title.clone(),
        summary: d.summary.clone(),
        kommunen: d.kommunen.clone(),
        key_facts: d.key_facts.clone(),
        facets,
        einwohner: d.einwohner,
        start_year: d.start_year,
        erfasst_am: d.erfasst_am.clone(),
    }
}

/// Adds labels for the `art` facet and the range facets when the caller has none.
fn complete_labels(labels: &FacetLabels, start_years: &BTreeSet<i64>) -> FacetLabels {
    let mut out = labels.clone();
    let art = out.entry("art".into()).or_default();
    art.entry("beispiel".into())
        .or_insert_with(|| "Praxisbeispiel".into());
    art.entry("szenario".into())
        .or_insert_with(|| "Zukunftsszenario".into());
    let ew = out.entry("einwohner".into()).or_default();
    for (id, label, _) in EINWOHNER_BUCKETS {
        ew.entry(id.to_string())
            .or_insert_with(|| label.to_string());
    }
    let sj = out.entry("start_jahr".into()).or_default();
    for y in start_years {
        sj.entry(y.to_string()).or_insert_with(|| y.to_string());
    }
    out
}

/// Documents whose distinct words are collected in one set.
const WORDS_BLOCK: usize = 256;

/// Memory budget of tantivy's writer: when its arena reaches this size, the documents so far
/// become a segment (merged with the others at the end).
const WRITER_ARENA_BYTES: usize = 100_000_000;

/// Documents analysed together before they are handed to the (single) index writer.
const INDEX_BATCH: usize = 1024;

/// Maps `f` over `items` on all available cores, keeping the order of `items`.
///
/// Plain scoped threads: the build is the only parallel part of the search core, and the
/// crate stays free of a thread-pool dependency that the browser module would not use.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn words_of<'t>(texts: impl Iterator<Item = &'t String>) -> HashSet<String> {
    texts
        .flat_map(|t| analysis::fold_tokens(t))
        .map(|(_, _, folded)| folded)
        .collect()
}

/// Adds every distinct folded word of the documents' indexed texts to `words`.
fn collect_words(words: &mut HashSet<String>, docs: &[SearchDoc]) {
    // One set per block of documents (merging a set per document hashed every word again),
    // deduplicated by hashing; only the distinct words are sorted (in `sorted_words`).
    let blocks: Vec<&[SearchDoc]> = docs.chunks(WORDS_BLOCK).collect();
    let per_block = par_map(&blocks, |block| {
        words_of(block.iter().flat_map(|d| {
            [&d.title, &d.summary, &d.body]
                .into_iter()
                .chain(&d.kommunen)
        }))
    });
    for block_words in per_block {
        words.extend(block_words);
    }
}

/// The documents' words plus those of the facet labels and the extra vocabulary (the
/// candidates for the compound dictionary and for splitting), sorted.
fn sorted_words(
    mut words: HashSet<String>,
    labels: &FacetLabels,
    extra_vocab: &[String],
) -> Vec<String> {
    words.extend(words_of(labels.values().flat_map(|m| m.values())));
    words.extend(words_of(extra_vocab.iter()));
    let mut sorted: Vec<String> = words.into_iter().collect();
    sorted.sort_unstable();
    sorted
}

/// What the index needs of one distinct word.
struct WordAnalysis {
    stem: String,
    /// Stems of the compound parts when the word splits ([`CompoundMode::Dictionary`] only).
    parts: Option<Vec<String>>,
}

/// Stems and splits one distinct word (per occurrence, stemming and above all splitting were
/// most of the indexing time; [`WordCache::update`] runs this on all cores).
fn analyse_word(word: &str, dec: &Decompounder, mode: CompoundMode) -> WordAnalysis {
    WordAnalysis {
        stem: analysis::stem(word),
        parts: match mode {
            CompoundMode::Dictionary => dec
                .split(word)
                .map(|parts| parts.iter().map(|p| analysis::stem(p)).collect()),
            CompoundMode::Ngram | CompoundMode::Off => None,
        },
    }
}

fn make_doc(
    d: &SearchDoc,
    f: &Fields,
    words: &HashMap<String, WordAnalysis>,
    mode: CompoundMode,
) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    let mut exact: BTreeSet<&str> = BTreeSet::new();
    let mut parts = String::new();
    let mut ngrams: BTreeSet<String> = BTreeSet::new();
    let mut add_text = |doc: &mut TantivyDocument, field: Field, text: &str| {
        let mut stems = String::with_capacity(text.len());
        for (_, _, folded) in analysis::fold_tokens(text) {
            let Some((folded, word)) = words.get_key_value(&folded) else {
                // Every word was analysed in `analyse_words`; this only keeps the doc whole.
                push_token(&mut stems, &analysis::stem(&folded));
                continue;
            };
            for p in word.parts.iter().flatten() {
                push_token(&mut parts, p);
            }
            if mode == CompoundMode::Ngram {
                ngrams.extend(trigrams(folded));
            }
            push_token(&mut stems, &word.stem);
            exact.insert(folded);
        }
        doc.add_text(field, stems);
    };
    add_text(&mut doc, f.title, &d.title);
    add_text(&mut doc, f.summary, &d.summary);
    add_text(&mut doc, f.body, &d.body);
    for k in &d.kommunen {
        add_text(&mut doc, f.kommunen, k);
    }
    // Unique terms suffice for the unscored helper fields and keep them small.
    let joined = |tokens: &mut dyn Iterator<Item = &str>| {
        let mut out = String::new();
        tokens.for_each(|t| push_token(&mut out, t));
        out
    };
    doc.add_text(f.exact, joined(&mut exact.into_iter()));
    if !parts.is_empty() {
        doc.add_text(f.parts, parts);
    }
    if !ngrams.is_empty() {
        doc.add_text(f.ngram, joined(&mut ngrams.iter().map(String::as_str)));
    }
    let mut art_seen = false;
    for (name, vals) in &d.facets {
        let i = FACETS.iter().position(|x| x == name).expect("validated");
        art_seen |= name == "art";
        for v in vals {
            doc.add_text(f.facets[i], v);
        }
    }
    if !art_seen {
        doc.add_text(f.facets[0], &d.kind);
    }
    doc
}

#[cfg(test)]
mod tests;
