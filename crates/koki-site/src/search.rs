//! The catalog's search: turns the validated catalog into search documents, writes the search
//! bundle and the browser module into the site, and answers `koki search` from a built site.
//!
//! Output (all under `suche/` of the site), the lazy index of `koki_search::split_bundle`:
//! * `index.<hash>.bin` — the hot file, read before the first query.
//! * `teile/<id>.bin` — the parts (index chunks, display blocks, sort orders), fetched when a
//!   query needs them; `<id>` is the hash of the content, so every file may be cached forever.
//!   Serve them compressed (gzip/brotli) for best results.
//! * `koki_search.<hash>.wasm` — the browser module, embedded in this binary.
//! * `manifest.json` — `{"version", "layout", "hot", "parts_dir", "module", "entries",
//!   "examples", "scenarios", "hot_bytes", "part_files", "bundle_bytes", "module_bytes"}`;
//!   file names are relative to `suche/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use koki_search::{Engine, FacetLabels, SearchDoc, SearchRequest, SearchResponse, FACETS};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::load::Entry;
use crate::model::{Example, Scenario};
use crate::output::Staging;
use crate::paths;
use crate::render::format_number;
use crate::Error;

pub use koki_search;

/// The browser module, built by `scripts/build-search-wasm.sh` and committed.
pub static MODULE: &[u8] = include_bytes!("../../../themes/default/static/search/koki_search.wasm");

/// Directory of the search files inside the site.
pub const SEARCH_DIR: &str = "suche";

/// Directory of the parts inside `suche/`.
pub const PARTS_DIR: &str = "teile";

/// `suche/manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchManifest {
    /// Bundle format version.
    pub version: u32,
    /// Layout version of the lazy index.
    pub layout: u32,
    /// Hot file name (relative to `suche/`).
    pub hot: String,
    /// Directory of the parts (relative to `suche/`); part `<id>` is `<parts_dir>/<id>.bin`.
    pub parts_dir: String,
    /// Module file name (relative to `suche/`).
    pub module: String,
    /// Number of searchable entries.
    pub entries: usize,
    /// Number of examples.
    pub examples: usize,
    /// Number of scenarios.
    pub scenarios: usize,
    /// Hot file size in bytes (uncompressed).
    pub hot_bytes: usize,
    /// Number of part files.
    pub part_files: usize,
    /// Hot file and all parts in bytes (uncompressed): the whole index.
    pub bundle_bytes: usize,
    /// Module size in bytes (uncompressed).
    pub module_bytes: usize,
}

/// Plain text of Markdown (for indexing).
pub fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(md.len());
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn push_text(body: &mut String, text: &str) {
    if !text.trim().is_empty() {
        body.push('\n');
        body.push_str(text.trim());
    }
}

/// One search document per example and scenario (examples first, both in catalog order).
pub fn search_docs(catalog: &Catalog) -> Vec<SearchDoc> {
    search_docs_in(catalog, 0..search_doc_count(catalog))
}

/// Number of search documents: examples and scenarios.
pub fn search_doc_count(catalog: &Catalog) -> usize {
    catalog.examples.len() + catalog.scenarios.len()
}

/// The search documents `range` of [`search_docs`], made in parallel.
pub fn search_docs_in(catalog: &Catalog, range: std::ops::Range<usize>) -> Vec<SearchDoc> {
    use rayon::prelude::*;
    let examples = catalog.examples.len();
    range
        .into_par_iter()
        .map(|i| match i.checked_sub(examples) {
            None => example_doc(catalog, &catalog.examples[i]),
            Some(j) => scenario_doc(catalog, &catalog.scenarios[j]),
        })
        .collect()
}

fn example_doc(catalog: &Catalog, e: &Entry<Example>) -> SearchDoc {
    let label = |vocab: &str, id: &str| catalog.label(vocab, id).to_string();
    let m = &e.meta;
    let mut body = markdown_text(&e.body);
    for t in [
        &m.status_grund,
        &m.motivation_erlaeuterung,
        &m.anbieter,
        &m.foerderprogramm,
    ]
    .into_iter()
    .flatten()
    {
        push_text(&mut body, t);
    }
    if let Some(u) = m
        .uebertragbarkeit
        .as_ref()
        .and_then(|u| u.voraussetzungen.as_ref())
    {
        push_text(&mut body, u);
    }
    push_text(&mut body, &m.tags.join(", "));
    let mut facets = vec![("art".to_string(), vec!["beispiel".to_string()])];
    facets.extend(catalog.registry.search_facets().iter().map(|f| {
        let values = crate::render::facet_values(m, f.key);
        (
            f.key.to_string(),
            values.into_iter().map(str::to_string).collect(),
        )
    }));
    let mut key_facts = vec![
        label("bundesland", &m.bundesland),
        label("status", &m.status),
    ];
    if let Some(t) = m.ki_technik.first() {
        key_facts.push(label("ki_technik", t));
    }
    if let Some(n) = m.einwohner {
        key_facts.push(format!("{} Einwohner", format_number(n)));
    }
    SearchDoc {
        id: e.id.clone(),
        kind: "beispiel".into(),
        url: paths::example(&e.id),
        title: m.titel.clone(),
        summary: m.kurzbeschreibung.clone(),
        body,
        kommunen: m.kommunen.iter().map(|k| k.name.clone()).collect(),
        facets,
        einwohner: m.einwohner,
        start_year: m.zeitraum.as_ref().map(|z| i64::from(z.start)),
        erfasst_am: m.erfasst_am.clone(),
        key_facts,
    }
}

fn scenario_doc(catalog: &Catalog, s: &Entry<Scenario>) -> SearchDoc {
    let label = |vocab: &str, id: &str| catalog.label(vocab, id).to_string();
    let m = &s.meta;
    let mut body = markdown_text(&s.body);
    for p in &m.perspektiven {
        push_text(&mut body, &format!("{}: {}", p.wer, p.sicht));
    }
    for list in [&m.voraussetzungen, &m.chancen, &m.risiken, &m.offene_fragen] {
        for t in list {
            push_text(&mut body, t);
        }
    }
    for h in &m.handlungsoptionen_heute {
        push_text(&mut body, &h.massnahme);
    }
    push_text(&mut body, &m.tags.join(", "));
    let mut fields = vec![m.handlungsfeld.clone()];
    fields.extend(m.handlungsfelder_weitere.iter().cloned());
    let gemeindetyp = m
        .setting
        .as_ref()
        .and_then(|s| s.gemeindetyp.clone())
        .into_iter()
        .collect();
    SearchDoc {
        id: s.id.clone(),
        kind: "szenario".into(),
        url: paths::scenario(&s.id),
        title: m.titel.clone(),
        summary: m.kurzfassung.clone(),
        body,
        kommunen: Vec::new(),
        facets: vec![
            ("art".to_string(), vec!["szenario".to_string()]),
            ("handlungsfeld".to_string(), fields),
            ("gemeindetyp".to_string(), gemeindetyp),
        ],
        einwohner: None,
        start_year: None,
        erfasst_am: m.erstellt_am.clone(),
        key_facts: vec![
            "Zukunftsszenario".into(),
            format!("Zeithorizont {}", m.zeithorizont),
            label("szenariotyp", &m.szenariotyp),
        ],
    }
}

/// Facet labels from the vocabularies and the action fields.
pub fn facet_labels(catalog: &Catalog) -> FacetLabels {
    let mut labels: FacetLabels = BTreeMap::new();
    for f in FACETS {
        let map = labels.entry(f.to_string()).or_default();
        match *f {
            "handlungsfeld" => {
                for af in &catalog.fields {
                    map.insert(af.id.clone(), af.meta.titel.clone());
                }
            }
            "art" => {
                map.insert("beispiel".into(), "Praxisbeispiel".into());
                map.insert("szenario".into(), "Zukunftsszenario".into());
            }
            name => {
                if let Some(v) = catalog.vocab.get(name) {
                    for (id, entry) in v {
                        map.insert(id.clone(), entry.label.clone());
                    }
                }
            }
        }
    }
    labels
}

/// Further catalog text for the compound dictionary: vocabulary labels and descriptions,
/// action-field texts.
pub fn extra_vocab(catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for v in catalog.vocab.values() {
        for e in v.values() {
            out.push(e.label.clone());
            if let Some(b) = &e.beschreibung {
                out.push(b.clone());
            }
        }
    }
    for f in &catalog.fields {
        out.push(f.meta.titel.clone());
        out.push(f.meta.kurz.clone());
        out.push(markdown_text(&f.body));
    }
    out
}

/// Builds the bundle for the catalog.
pub fn build_bundle(catalog: &Catalog) -> Result<Vec<u8>, koki_search::SearchError> {
    build_bundle_cached(catalog, &mut koki_search::WordCache::default())
}

/// [`build_bundle`], reusing the word analyses of earlier builds (see [`koki_search::WordCache`]).
fn build_bundle_cached(
    catalog: &Catalog,
    cache: &mut koki_search::WordCache,
) -> Result<Vec<u8>, koki_search::SearchError> {
    koki_search::build_bundle_cached(
        search_doc_count(catalog),
        &|range| search_docs_in(catalog, range),
        &facet_labels(catalog),
        &extra_vocab(catalog),
        &koki_search::BuildOptions::default(),
        cache,
    )
}

/// File name of the search module in `suche/` (content-hashed). Fixed by the koki binary, not
/// by the catalog, so the search page can name it before the index is built: the page hands
/// it to the worker, which starts the largest download before the manifest has arrived.
pub fn module_file_name() -> String {
    format!("koki_search.{}.wasm", koki_search::content_hash(MODULE))
}

/// Writes the hot file, the parts, `suche/koki_search.<hash>.wasm` and `suche/manifest.json`
/// into the staging directory. Called once per build; `cache` carries word analyses from one
/// build to the next (`koki serve`).
pub fn write_search(
    catalog: &Catalog,
    out: &Staging,
    cache: &mut koki_search::WordCache,
) -> Result<SearchManifest, Error> {
    let bundle = build_bundle_cached(catalog, cache)?;
    let lazy = koki_search::split_bundle(&bundle, &koki_search::ChunkOptions::default())?;
    let manifest = SearchManifest {
        version: koki_search::FORMAT_VERSION,
        layout: koki_search::LAYOUT_VERSION,
        hot: format!("index.{}.bin", koki_search::content_hash(&lazy.hot)),
        parts_dir: PARTS_DIR.to_string(),
        module: module_file_name(),
        entries: catalog.examples.len() + catalog.scenarios.len(),
        examples: catalog.examples.len(),
        scenarios: catalog.scenarios.len(),
        hot_bytes: lazy.hot.len(),
        part_files: lazy.parts.len(),
        bundle_bytes: lazy.hot.len() + lazy.parts.values().map(Vec::len).sum::<usize>(),
        module_bytes: MODULE.len(),
    };
    out.write(&format!("{SEARCH_DIR}/{}", manifest.hot), &lazy.hot)?;
    for (id, bytes) in &lazy.parts {
        out.write(&format!("{SEARCH_DIR}/{PARTS_DIR}/{id}.bin"), bytes)?;
    }
    out.write(&format!("{SEARCH_DIR}/{}", manifest.module), MODULE)?;
    let mut json = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    json.push(b'\n');
    out.write(&format!("{SEARCH_DIR}/manifest.json"), &json)?;
    Ok(manifest)
}

/// A built site's search index: the engine over the hot file, and where its parts are.
pub struct SiteIndex {
    /// The site's manifest.
    pub manifest: SearchManifest,
    /// The engine (lazy: parts are read from `parts` when a query needs them).
    pub engine: Engine,
    parts: PathBuf,
    /// Bytes of the parts read so far.
    parts_read: std::cell::Cell<usize>,
}

impl SiteIndex {
    /// Answers a request, reading the parts it needs from the site; the JSON is the
    /// browser module's, byte for byte.
    pub fn search_json(&self, req: &SearchRequest) -> Result<Vec<u8>, Error> {
        let answer = self.engine.search_loading(req, |id| {
            let bytes = read_file(&self.parts.join(format!("{id}.bin")))?;
            self.parts_read.set(self.parts_read.get() + bytes.len());
            Ok::<_, Error>(bytes)
        })?;
        Ok(serde_json::to_vec(&answer).expect("answer serialises"))
    }
}

fn read_file(p: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(p).map_err(|source| Error::SiteRead {
        path: p.to_path_buf(),
        source,
    })
}

/// Opens the search index of a built site (`site` = the output directory, e.g. `public/`).
pub fn open_site(site: &Path) -> Result<SiteIndex, Error> {
    let mpath = site.join(SEARCH_DIR).join("manifest.json");
    let read = read_file;
    let manifest: SearchManifest =
        serde_json::from_slice(&read(&mpath)?).map_err(|source| Error::SearchManifest {
            path: mpath.clone(),
            source,
        })?;
    let hot = read(&site.join(SEARCH_DIR).join(&manifest.hot))?;
    let engine = Engine::open_lazy(&hot)?;
    let parts = site.join(SEARCH_DIR).join(&manifest.parts_dir);
    Ok(SiteIndex {
        manifest,
        engine,
        parts,
        parts_read: std::cell::Cell::new(0),
    })
}

/// What a visitor's first search for `req` downloads from a built site, uncompressed:
/// manifest, module, hot file and the parts the query needs (page, CSS and scripts excluded).
pub fn cold_query_bytes(site: &Path, req: &SearchRequest) -> Result<usize, Error> {
    let index = open_site(site)?;
    index.search_json(req)?;
    let manifest = std::fs::metadata(site.join(SEARCH_DIR).join("manifest.json"))
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    Ok(manifest + index.manifest.module_bytes + index.manifest.hot_bytes + index.parts_read.get())
}

/// Queries the benchmarks time a first search with (words, a compound, a typo, a phrase).
pub const BENCH_QUERIES: &[&str] = &[
    "Chatbot",
    "Ampel Steuerung",
    "Verkehrssteuerung",
    "Bürgeramt",
    "elektirsch",
    "\"künstliche Intelligenz\"",
    "Prognose Wasser",
    "Schule",
];

/// Answers a request exactly as the browser module does; returns the JSON bytes and the
/// parsed answer.
pub fn answer(
    index: &SiteIndex,
    req: &SearchRequest,
) -> Result<(Vec<u8>, Option<SearchResponse>), Error> {
    let out = index.search_json(req)?;
    let parsed = serde_json::from_slice(&out).ok();
    Ok((out, parsed))
}

/// Human-readable answer for the terminal.
pub fn format_human(resp: &SearchResponse, labels: &FacetLabels) -> String {
    let mut s = format!("{} Treffer\n", resp.total);
    for (i, h) in resp.hits.iter().enumerate() {
        s.push_str(&format!("\n{:>3}. {}  [{}]\n", i + 1, h.title, h.id));
        s.push_str(&format!("     {}\n", h.url));
        if !h.key_facts.is_empty() {
            s.push_str(&format!("     {}\n", h.key_facts.join(" · ")));
        }
        s.push_str(&format!("     {}\n", plain_snippet(&h.snippet)));
    }
    let mut facet_lines = Vec::new();
    for (facet, values) in &resp.facets {
        if values.is_empty() {
            continue;
        }
        let parts: Vec<String> = values
            .iter()
            .map(|(v, c)| {
                let l = labels
                    .get(facet)
                    .and_then(|m| m.get(v))
                    .map(String::as_str)
                    .unwrap_or(v);
                format!("{l} ({c})")
            })
            .collect();
        facet_lines.push(format!("  {facet}: {}", parts.join(", ")));
    }
    if !facet_lines.is_empty() {
        s.push_str("\nFacetten:\n");
        s.push_str(&facet_lines.join("\n"));
        s.push('\n');
    }
    s
}

/// Snippet HTML → terminal text (matches in `*…*`).
pub fn plain_snippet(html: &str) -> String {
    html.replace("<mark>", "*")
        .replace("</mark>", "*")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `koki search`: answers a query from the built site in `site` (human text or, with `json`,
/// exactly the JSON the browser module returns).
pub fn cli_search(
    site: &Path,
    query: &str,
    filters: &[String],
    sort: &str,
    limit: usize,
    json: bool,
) -> Result<String, Error> {
    let mut req = SearchRequest::query(query);
    req.sort = sort.parse().map_err(Error::Usage)?;
    req.limit = limit;
    for f in filters {
        let (k, v) = f
            .split_once('=')
            .ok_or_else(|| Error::Usage(format!("--filter `{f}`: expected FACETTE=WERT")))?;
        let known = FACETS
            .iter()
            .chain(koki_search::RANGE_FACETS)
            .any(|x| *x == k);
        if !known {
            let names: Vec<&str> = FACETS
                .iter()
                .chain(koki_search::RANGE_FACETS)
                .copied()
                .collect();
            return Err(Error::Usage(format!(
                "--filter `{f}`: unknown facet `{k}` (known: {})",
                names.join(", ")
            )));
        }
        req = req.filter(k, v);
    }
    let index = open_site(site)?;
    let (bytes, parsed) = answer(&index, &req)?;
    if json {
        let mut s = String::from_utf8_lossy(&bytes).into_owned();
        s.push('\n');
        return Ok(s);
    }
    match parsed {
        Some(resp) => Ok(format_human(&resp, index.engine.labels())),
        None => Err(Error::Usage(String::from_utf8_lossy(&bytes).into_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search engine's facet slots ([`FACETS`], compiled into the browser module) are the
    /// registry's search facets plus `art`: a search facet declared in the registry but not
    /// known to the engine would fail every build (`SearchError::UnknownFacet`).
    #[test]
    fn the_registry_search_facets_are_the_engines_facets() {
        let registry = koki_model::fields::Registry::builtin();
        let mut declared: Vec<&str> = vec!["art"];
        declared.extend(registry.search_facets().iter().map(|f| f.key));
        let mut engine: Vec<&str> = FACETS.to_vec();
        declared.sort_unstable();
        engine.sort_unstable();
        assert_eq!(declared, engine);
    }
}
