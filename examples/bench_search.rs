//! Search benchmark (not a test): sizes, bytes per entry, open time and query latency of the
//! search bundle, natively, in the committed wasm module run by wasmi (an interpreter) and,
//! when `node` is on PATH, in V8 (what browsers do), for the shipped catalog and a
//! synthetic 10,000-entry catalog; plus compound splitting vs n-grams vs nothing (index size
//! and recall of compound tails) and compact records vs tantivy's document store.
//!
//! Run: `cargo run --release --example bench_search [-- --entries 10000 --root .]`

#[path = "../tests/search_support/mod.rs"]
mod search_support;

use search_support::{brotli, gzip};

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use koki_search::{
    analysis, build_bundle_with, bundle, BuildOptions, CompoundMode, Engine, FacetLabels,
    SearchDoc, SearchRequest, SortOrder,
};

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1000.0)
}

fn pct(ds: &mut [Duration], p: f64) -> f64 {
    ds.sort();
    let i = ((ds.len() as f64 - 1.0) * p).round() as usize;
    ds[i].as_secs_f64() * 1000.0
}

/// Deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

const HEADS: &[&str] = &[
    "Verkehr",
    "Ampel",
    "Bürger",
    "Abfall",
    "Straßen",
    "Energie",
    "Daten",
    "Schul",
    "Kita",
    "Antrags",
    "Wasser",
    "Klima",
    "Wald",
    "Brand",
    "Park",
    "Bus",
    "Bau",
    "Steuer",
    "Personal",
    "Sozial",
    "Jugend",
    "Pflege",
    "Gesundheits",
    "Umwelt",
    "Lärm",
    "Hochwasser",
    "Friedhofs",
    "Melde",
    "Bibliotheks",
    "Wirtschafts",
];
/// Tails; the first half also occurs as words of their own, the second half only inside
/// compounds (as many real words do).
const TAILS: &[&str] = &[
    "steuerung",
    "verwaltung",
    "planung",
    "beratung",
    "prognose",
    "erkennung",
    "service",
    "portal",
    "amt",
    "behörde",
    "kontrolle",
    "überwachung",
    "analyse",
    "management",
    "bescheid",
    "daten",
    "anlage",
    "zentrale",
    "sensorik",
    "meldung",
    "prüfung",
    "auskunft",
    "förderung",
    "statistik",
];
const WORDS: &[&str] = &[
    "Die",
    "Stadt",
    "nutzt",
    "künstliche",
    "Intelligenz",
    "für",
    "schnellere",
    "Abläufe",
    "und",
    "bessere",
    "Entscheidungen",
    "Bürgerinnen",
    "erhalten",
    "Antworten",
    "rund",
    "um",
    "die",
    "Uhr",
    "Beschäftigte",
    "werden",
    "entlastet",
    "Sprachmodell",
    "Verfahren",
    "Kommune",
    "Landkreis",
    "Gemeinde",
    "Pilotprojekt",
    "Sensoren",
    "messen",
    "Werte",
    "in",
    "Echtzeit",
    "Fördermittel",
    "vom",
    "Land",
    "Datenschutz",
    "wurde",
    "geprüft",
    "Personalrat",
    "beteiligt",
    "Ergebnisse",
    "zeigen",
    "weniger",
    "Wartezeit",
    "mehr",
    "Transparenz",
    "Open",
    "Source",
    "Lösung",
    "nachgenutzt",
    "Anbieter",
    "Ausschreibung",
    "Kosten",
    "jährlich",
    "Euro",
    "digital",
    "Verwaltung",
    "Chatbot",
    "Bilderkennung",
    "Klassifikation",
    "Empfehlung",
    "Optimierung",
    "Prognosen",
    "ländlichen",
    "Raum",
    "Großstadt",
    "Kleinstadt",
    "Wirkung",
];
const KOMMUNEN: &[&str] = &[
    "Musterstadt",
    "Kleindorf",
    "Bergheim",
    "Neustadt",
    "Altenburg",
    "Seeheim",
    "Waldkirch",
    "Hohenfels",
    "Rothenbach",
    "Lindau",
    "Brückenau",
    "Mühlhausen",
    "Weißenfels",
    "Grünwald",
];

fn synthetic(n: usize) -> (Vec<SearchDoc>, FacetLabels) {
    let mut r = Rng(0x2545_f491_4f6c_dd1d);
    let facets: &[(&str, &[&str])] = &[
        (
            "handlungsfeld",
            &[
                "mobilitaet-verkehr",
                "buergerservice",
                "umwelt-klima",
                "bildung-kultur",
                "allgemeine-verwaltung",
                "soziales-jugend",
            ],
        ),
        (
            "bundesland",
            &[
                "bw", "by", "be", "bb", "hb", "hh", "he", "ni", "mv", "nw", "rp", "sl", "sn", "st",
                "sh", "th",
            ],
        ),
        (
            "status",
            &["idee", "planung", "pilot", "regelbetrieb", "eingestellt"],
        ),
        (
            "ki_technik",
            &[
                "generative_ki",
                "sprachverarbeitung",
                "bilderkennung",
                "prognose",
                "optimierung",
                "klassifikation",
            ],
        ),
        (
            "anwendungstyp",
            &[
                "chatbot_assistenz",
                "dokumentenverarbeitung",
                "prognose_planung",
                "sensorik_monitoring",
            ],
        ),
        (
            "gemeindetyp",
            &["grossstadt", "mittelstadt", "kleinstadt", "landgemeinde"],
        ),
        (
            "verwaltungsebene",
            &["gemeinde", "stadt", "kreisfreie_stadt", "landkreis"],
        ),
        (
            "motivation",
            &[
                "kostendruck",
                "fachkraeftemangel",
                "servicequalitaet",
                "klima_umweltziele",
            ],
        ),
        (
            "ki_verordnung",
            &[
                "hochrisiko",
                "transparenzpflicht",
                "minimal",
                "nicht_bewertet",
            ],
        ),
    ];
    let mut labels: FacetLabels = BTreeMap::new();
    for (f, vals) in facets {
        let m = labels.entry(f.to_string()).or_default();
        for v in *vals {
            m.insert(v.to_string(), v.replace('_', " "));
        }
    }
    let compound = |r: &mut Rng| {
        let h = *r.pick(HEADS);
        let t = *r.pick(TAILS);
        format!("{h}{t}")
    };
    let sentence = |r: &mut Rng, len: usize| {
        let mut s = Vec::new();
        for i in 0..len {
            if i % 7 == 3 {
                s.push(compound(r));
            } else if i % 11 == 5 {
                // Only tails of the first half appear as words of their own.
                let t = TAILS[(r.next() % (TAILS.len() / 2) as u64) as usize];
                let mut c = t.chars();
                let first = c.next().unwrap().to_uppercase().collect::<String>();
                s.push(format!("{first}{}", c.as_str()));
            } else {
                s.push(r.pick(WORDS).to_string());
            }
        }
        s.join(" ") + "."
    };
    let docs = (0..n)
        .map(|i| {
            let title = format!("{} in {}", compound(&mut r), r.pick(KOMMUNEN));
            let summary = sentence(&mut r, 25);
            let body = (0..4)
                .map(|_| sentence(&mut r, 25))
                .collect::<Vec<_>>()
                .join(" ");
            let fs = facets
                .iter()
                .map(|(f, vals)| (f.to_string(), vec![r.pick(vals).to_string()]))
                .collect();
            SearchDoc {
                id: format!("eintrag-{i:05}"),
                kind: "beispiel".into(),
                url: format!("beispiele/eintrag-{i:05}/"),
                title,
                summary,
                body,
                kommunen: vec![format!("{} {}", r.pick(KOMMUNEN), i % 97)],
                facets: fs,
                einwohner: Some(1000 + r.next() % 2_000_000),
                start_year: Some(2015 + (r.next() % 11) as i64),
                erfasst_am: format!("2024-{:02}-{:02}", 1 + r.next() % 12, 1 + r.next() % 28),
                key_facts: vec!["Bayern".into(), "Pilot".into()],
            }
        })
        .collect();
    (docs, labels)
}

fn queries() -> Vec<SearchRequest> {
    let qs = [
        "Ampel",
        "Steuerung",
        "Verkehrssteuerung",
        "Chatbot",
        "Bürgerservice",
        "Prognose",
        "künstliche Intelligenz",
        "Datenschutz Personalrat",
        "Ampelsteurung",
        "Verwaltnug",
        "\"Open Source\"",
        "Chatbot OR Bilderkennung",
        "Sensoren -Pilotprojekt",
        "bundesland:by Planung",
        "Muenchen",
        "Strassen",
        "Abfall",
        "Kita",
        "Beratung Jugend",
        "Hochwasserprognose",
    ];
    let mut v: Vec<SearchRequest> = qs.iter().map(|q| SearchRequest::query(q)).collect();
    v.push(SearchRequest::query("Verwaltung").filter("status", "pilot"));
    v.push(SearchRequest::query("").filter("bundesland", "nw"));
    v
}

struct Sections {
    index: Vec<u8>,
    records: usize,
    total: usize,
}

fn split_sections(b: &[u8]) -> Sections {
    let secs = bundle::decode(b).unwrap();
    let mut index = Vec::new();
    let mut records = 0;
    for (name, data) in &secs {
        if name == "records.json" {
            records = data.len();
        } else {
            index.extend_from_slice(data);
        }
    }
    Sections {
        index,
        records,
        total: b.len(),
    }
}

fn section(b: &[u8], want: &str) -> Vec<u8> {
    bundle::decode(b)
        .unwrap()
        .into_iter()
        .filter(|(n, _)| n.ends_with(want))
        .flat_map(|(_, d)| d.to_vec())
        .collect()
}

/// Command-line switches (for iterating on one part).
struct BenchOpts {
    /// The wasm module measured (default: the committed one).
    module: PathBuf,
    /// Skip the shipped catalog.
    synthetic_only: bool,
    /// Skip the compound recall comparison.
    no_recall: bool,
    /// Skip wasmi.
    no_wasmi: bool,
    /// Only the lazy index figures (sizes, cold-query bytes, answer equality).
    lazy_only: bool,
    /// Seconds of native queries in a loop after the measurement (for `perf record`).
    native_loop: f64,
    /// Write the native answers to a broad query set to this file (one JSON answer a line),
    /// to check that a speed-up changes no answer.
    dump_answers: Option<PathBuf>,
}

impl Default for BenchOpts {
    fn default() -> Self {
        BenchOpts {
            module: search_support::module_path(),
            synthetic_only: false,
            no_recall: false,
            no_wasmi: false,
            lazy_only: false,
            native_loop: 0.0,
            dump_answers: None,
        }
    }
}

/// Many requests over the synthetic vocabulary: words, typos, compounds, prefixes, phrases,
/// operators, scopes, filters, every sort order and paging.
fn answer_check_queries() -> Vec<SearchRequest> {
    let mut words: Vec<String> = Vec::new();
    words.extend(HEADS.iter().map(|s| s.to_string()));
    words.extend(TAILS.iter().map(|s| s.to_string()));
    words.extend(WORDS.iter().map(|s| s.to_string()));
    words.extend(KOMMUNEN.iter().map(|s| s.to_string()));
    let mut qs: Vec<String> = Vec::new();
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    for w in &words {
        qs.push(w.clone());
        let c: Vec<char> = w.chars().collect();
        if c.len() >= 5 {
            // Transposition, deletion, substitution, prefix.
            let mut t = c.clone();
            let i = 1 + (r.next() as usize % (c.len() - 2));
            t.swap(i, i + 1);
            qs.push(t.iter().collect());
            let mut d = c.clone();
            d.remove(i);
            qs.push(d.iter().collect());
            let mut s = c.clone();
            s[i] = 'x';
            qs.push(s.iter().collect());
            qs.push(c[..4].iter().collect());
        }
    }
    for _ in 0..150 {
        let a = r.pick(&words).clone();
        let b = r.pick(&words).clone();
        let h = r.pick(HEADS);
        let t = r.pick(TAILS);
        let op = match r.next() % 8 {
            0 => format!("{a} OR {b}"),
            1 => format!("{a} -{b}"),
            2 => format!("\"{a} {b}\""),
            3 => format!("{h}{t}"),
            4 => format!("titel:{a} {b}"),
            5 => format!("({a} ODER {b}) NICHT {h}"),
            6 => format!("kurz:{a} text:{b} kommune:{}", r.pick(KOMMUNEN)),
            _ => format!("{a} {b}"),
        };
        qs.push(op);
    }
    qs.extend(
        [
            "",
            "die und der",
            "bundesland:by",
            "bundesland:Bayern Planung",
            "status:pilot OR status:idee",
            "NOT Chatbot",
            "\"künstliche Intelligenz\" Verwaltung",
            "Bürgeramt",
            "Buergeramt",
            "Strasse Straße",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let sorts = [
        SortOrder::Relevance,
        SortOrder::Newest,
        SortOrder::Name,
        SortOrder::Population,
    ];
    let mut out = Vec::new();
    for (i, q) in qs.iter().enumerate() {
        let mut req = SearchRequest::query(q);
        req.sort = sorts[i % 4];
        if i % 5 == 1 {
            req = req.filter("bundesland", "by").filter("bundesland", "nw");
        }
        if i % 7 == 2 {
            req = req
                .filter("status", "pilot")
                .filter("einwohner", "ab-500000");
        }
        if i % 11 == 3 {
            req.offset = 15;
            req.limit = 7;
        }
        if i % 13 == 4 {
            req.labels = true;
        }
        out.push(req);
    }
    out
}

fn measure_catalog(
    name: &str,
    docs: &[SearchDoc],
    labels: &FacetLabels,
    extra: &[String],
    module: &[u8],
    bench: &BenchOpts,
) {
    println!("\n== {name}: {} entries ==", docs.len());
    let t = Instant::now();
    let opts = BuildOptions::default();
    let b = build_bundle_with(docs, labels, extra, &opts).unwrap();
    println!("build: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    if bench.lazy_only {
        let engine = Engine::open(&b).unwrap();
        return lazy_report(&b, &engine, &queries(), bench);
    }
    let s = split_sections(&b);
    let n = docs.len().max(1);
    let (ib, rb) = (brotli(&s.index), brotli(&b));
    println!(
        "bundle: {} raw, {} gzip, {} brotli (all sections)",
        kb(s.total),
        kb(gzip(&b)),
        kb(rb)
    );
    println!(
        "index without display records: {} raw, {} brotli = {:.0} B/entry raw, {:.0} B/entry brotli (budget 350)",
        kb(s.index.len()),
        kb(ib),
        s.index.len() as f64 / n as f64,
        ib as f64 / n as f64
    );
    println!(
        "display records (records.json): {} raw, {:.0} B/entry brotli",
        kb(s.records),
        (rb.saturating_sub(ib)) as f64 / n as f64
    );
    let first = brotli(module) + rb;
    println!(
        "first search downloads (module + bundle, brotli; + manifest and ~10 KB JS): {}",
        kb(first)
    );

    // Records vs tantivy's document store.
    let with_store = build_bundle_with(
        docs,
        labels,
        extra,
        &BuildOptions {
            store_display: true,
            ..Default::default()
        },
    )
    .unwrap();
    let store = section(&with_store, ".store");
    let records = section(&b, "records.json");
    let display: Vec<serde_json::Value> = docs
        .iter()
        .map(|d| serde_json::json!({"id": d.id, "title": d.title, "url": d.url, "summary": d.summary, "key_facts": d.key_facts}))
        .collect();
    println!(
        "display fields only (id, title, url, summary, key facts) as JSON records: {} brotli",
        kb(brotli(&serde_json::to_vec(&display).unwrap()))
    );
    println!(
        "display data: compact records {} brotli vs tantivy doc store {} brotli (uncompressed store; lz4/zstd are not in the module) → records shipped",
        kb(brotli(&records)),
        kb(brotli(&store))
    );

    // Native.
    let t = Instant::now();
    let engine = Engine::open(&b).unwrap();
    let open_native = t.elapsed();
    let qs = queries();
    let mut lat = Vec::new();
    let verbose = std::env::var_os("KOKI_BENCH_VERBOSE").is_some();
    for round in 0..5 {
        for q in &qs {
            let json = serde_json::to_vec(q).unwrap();
            let t = Instant::now();
            let _ = engine.search_json(&json);
            let el = t.elapsed();
            if verbose && round == 4 {
                println!(
                    "  {:>8.2} ms  {:?} {:?}",
                    el.as_secs_f64() * 1000.0,
                    q.q,
                    q.filters
                );
            }
            lat.push(el);
        }
    }
    println!(
        "native: open {:.1} ms, query p50 {:.2} ms, p95 {:.2} ms",
        open_native.as_secs_f64() * 1000.0,
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.95)
    );

    if let Some(path) = &bench.dump_answers {
        let mut out = Vec::new();
        let t = Instant::now();
        let check = answer_check_queries();
        for q in &check {
            let (status, answer) = engine.search_json(&serde_json::to_vec(q).unwrap());
            writeln!(out, "{status} {}", String::from_utf8(answer).unwrap()).unwrap();
        }
        let path = path.with_extension(format!("{}.txt", docs.len()));
        std::fs::write(&path, out).unwrap();
        println!(
            "answers to {} requests written to {} ({:.0} ms)",
            check.len(),
            path.display(),
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    lazy_report(&b, &engine, &qs, bench);

    if bench.native_loop > 0.0 {
        let jsons: Vec<Vec<u8>> = qs.iter().map(|q| serde_json::to_vec(q).unwrap()).collect();
        let t = Instant::now();
        let mut n = 0usize;
        while t.elapsed().as_secs_f64() < bench.native_loop {
            for j in &jsons {
                let _ = engine.search_json(j);
                n += 1;
            }
        }
        println!("native loop: {n} queries in {:.1} s", bench.native_loop);
    }

    // wasmi.
    if bench.no_wasmi {
        node_bench(&b, &qs, &bench.module);
        return;
    }
    let mut w = search_support::WasmSearch::load(&bench.module);
    let t = Instant::now();
    w.open(&b);
    let open_wasm = t.elapsed();
    let mut lat = Vec::new();
    for q in &qs {
        let json = serde_json::to_vec(q).unwrap();
        let t = Instant::now();
        let _ = w.search(&json);
        lat.push(t.elapsed());
    }
    println!(
        "wasmi (interpreter): open {:.0} ms, query p50 {:.1} ms, p95 {:.1} ms",
        open_wasm.as_secs_f64() * 1000.0,
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.95)
    );
    node_bench(&b, &qs, &bench.module);
}

/// V8 (what browsers run), through node, when available.
fn node_bench(bundle_bytes: &[u8], qs: &[SearchRequest], module: &std::path::Path) {
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("node: not found, skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("koki-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bundle.bin"), bundle_bytes).unwrap();
    std::fs::write(dir.join("queries.json"), serde_json::to_vec(qs).unwrap()).unwrap();
    let loader = std::fs::read_to_string(
        search_support::root().join("themes/default/static/search/loader.js"),
    )
    .unwrap();
    let script = format!(
        "{loader}\nconst fs = require('fs');\nglobalThis.fetch = async (p) => ({{ ok: true, arrayBuffer: async () => fs.readFileSync(p) }});\n(async () => {{\n  const t0 = performance.now();\n  const e = await kokiSearchOpen({module:?}, {bundle:?});\n  const open = performance.now() - t0;\n  const qs = JSON.parse(fs.readFileSync({queries:?}));\n  for (const q of qs) e.search(q);\n  const lat = [], cpu = [];\n  for (let i = 0; i < 10; i++) for (const q of qs) {{ const c = process.cpuUsage(); const t = performance.now(); e.search(q); lat.push(performance.now() - t); const d = process.cpuUsage(c); cpu.push((d.user + d.system) / 1000); }}\n  if (process.env.KOKI_BENCH_VERBOSE) for (const q of qs) {{ const ls = []; for (let i = 0; i < 15; i++) {{ const t = performance.now(); e.search(q); ls.push(performance.now() - t); }} ls.sort((a, b) => a - b); console.log(`  V8 ${{ls[7].toFixed(2).padStart(6)}} ms  ${{JSON.stringify(q.q)}} ${{JSON.stringify(q.filters)}}`); }}\n  lat.sort((a, b) => a - b);\n  const p = (x) => lat[Math.round((lat.length - 1) * x)];\n  console.log(`node/V8: open ${{open.toFixed(0)}} ms (incl. compile), query p50 ${{p(0.5).toFixed(2)}} ms, p95 ${{p(0.95).toFixed(2)}} ms (budget 5 ms)`);\n  cpu.sort((a, b) => a - b);\n  const pc = (x) => cpu[Math.round((cpu.length - 1) * x)];\n  console.log(`node/V8: process CPU time per query p50 ${{pc(0.5).toFixed(2)}} ms, p95 ${{pc(0.95).toFixed(2)}} ms (not inflated by other processes; includes V8 background threads)`);\n}})();\n",
        module = module.to_string_lossy(),
        bundle = dir.join("bundle.bin").to_string_lossy(),
        queries = dir.join("queries.json").to_string_lossy(),
    );
    std::fs::write(dir.join("bench.js"), script).unwrap();
    match std::process::Command::new("node")
        .arg(dir.join("bench.js"))
        .output()
    {
        Ok(o) => print!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => println!("node failed: {e}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Recall of compound tails: for each tail word, the entries that contain a longer word
/// ending in it (or the word itself) should be found by searching the tail.
fn compound_recall(
    name: &str,
    docs: &[SearchDoc],
    labels: &FacetLabels,
    extra: &[String],
    tails: &[String],
) {
    println!("\n-- compounds on {name} ({} tails) --", tails.len());
    let mut relevant: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut compound_relevant = 0usize;
    for d in docs {
        let words: BTreeSet<String> =
            analysis::analyze(&format!("{} {} {}", d.title, d.summary, d.body))
                .into_iter()
                .map(|t| t.folded)
                .collect();
        for t in tails {
            if words
                .iter()
                .any(|w| w.len() > t.len() + 2 && w.ends_with(t.as_str()))
            {
                relevant.entry(t.as_str()).or_default().insert(d.id.clone());
                compound_relevant += 1;
            }
        }
    }
    let mut base_size = 0;
    for mode in [
        CompoundMode::Off,
        CompoundMode::Dictionary,
        CompoundMode::Ngram,
    ] {
        let b = build_bundle_with(
            docs,
            labels,
            extra,
            &BuildOptions {
                compound: mode,
                ..Default::default()
            },
        )
        .unwrap();
        let size = brotli(&split_sections(&b).index);
        if mode == CompoundMode::Off {
            base_size = size;
        }
        let e = Engine::open(&b).unwrap();
        let mut found = 0usize;
        for (t, rel) in &relevant {
            let mut got = BTreeSet::new();
            let mut req = SearchRequest::query(t);
            req.limit = 1000;
            loop {
                let r = e.search(&req);
                let n = r.hits.len();
                got.extend(r.hits.into_iter().map(|h| h.id));
                req.offset += n;
                if n == 0 || req.offset >= r.total {
                    break;
                }
            }
            found += rel.iter().filter(|id| got.contains(*id)).count();
        }
        println!(
            "{:<10} index {} brotli ({:+.0} % vs none), compound-tail recall {:.1} % ({found}/{compound_relevant})",
            format!("{mode:?}"),
            kb(size),
            (size as f64 / base_size as f64 - 1.0) * 100.0,
            100.0 * found as f64 / compound_relevant.max(1) as f64,
        );
    }
}

/// The lazy index: how the bundle is cut, what a cold first query downloads (hot file plus
/// the parts it asks for, each brotli -q 11), in how many round trips, and whether every
/// answer equals the complete bundle's.
fn lazy_report(bundle_bytes: &[u8], complete: &Engine, qs: &[SearchRequest], bench: &BenchOpts) {
    use std::collections::HashMap;
    let t = Instant::now();
    let mut opts = koki_search::ChunkOptions::default();
    // For trying other cuts:
    // KOKI_CHUNK="min_files,min_chunk,display_share,dict_share,positions_factor".
    if let Ok(v) = std::env::var("KOKI_CHUNK") {
        let f: Vec<&str> = v.split(',').collect();
        opts.min_files = f[0].parse().unwrap();
        opts.min_chunk = f[1].parse().unwrap();
        opts.display_share = f[2].parse().unwrap();
        opts.dict_share = f[3].parse().unwrap();
        opts.positions_factor = f[4].parse().unwrap();
    }
    println!("lazy index cut: {opts:?}");
    let lazy = koki_search::split_bundle(bundle_bytes, &opts).expect("split bundle");
    let split_ms = t.elapsed().as_secs_f64() * 1000.0;
    let part_bytes: usize = lazy.parts.values().map(Vec::len).sum();
    let hot_br = brotli(&lazy.hot);
    println!(
        "lazy index: hot file {} raw, {} brotli; {} parts, {} raw ({split_ms:.0} ms to cut)",
        kb(lazy.hot.len()),
        kb(hot_br),
        lazy.parts.len(),
        kb(part_bytes)
    );
    let mut hot_kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for (name, data) in koki_search::bundle::decode(&lazy.hot).unwrap() {
        let kind = match name.strip_prefix("part/") {
            Some(id) => format!("{:?}", lazy.kinds[id]),
            None => name.clone(),
        };
        *hot_kinds.entry(kind).or_default() += brotli(data);
    }
    let hot_kinds: Vec<String> = hot_kinds
        .iter()
        .map(|(k, b)| format!("{k} {}", kb(*b)))
        .collect();
    println!(
        "lazy hot file by kind (brotli each): {}",
        hot_kinds.join(", ")
    );
    let mut sizes: HashMap<String, usize> = HashMap::new();
    let mut by_kind: std::collections::BTreeMap<String, usize> = Default::default();
    let mut cold = Vec::new();
    let mut rounds_all = Vec::new();
    let mut first_lat = Vec::new();
    for q in qs {
        let t = Instant::now();
        let e = Engine::open_lazy(&lazy.hot).expect("open hot");
        let mut fetched: Vec<String> = Vec::new();
        let mut rounds = 0;
        let json = serde_json::to_vec(q).unwrap();
        loop {
            let (status, out) = e.search_json(&json);
            if status != 3 {
                break;
            }
            rounds += 1;
            let need: serde_json::Value = serde_json::from_slice(&out).unwrap();
            for id in need["need"].as_array().unwrap() {
                let id = id.as_str().unwrap().to_string();
                e.add_part(&id, lazy.parts[&id].clone()).unwrap();
                fetched.push(id);
            }
        }
        first_lat.push(t.elapsed());
        let mut bytes = 0;
        for id in &fetched {
            let b = *sizes
                .entry(id.clone())
                .or_insert_with(|| brotli(&lazy.parts[id]));
            bytes += b;
            *by_kind.entry(format!("{:?}", lazy.kinds[id])).or_default() += b;
        }
        if std::env::var_os("KOKI_BENCH_VERBOSE").is_some() {
            let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
            for id in &fetched {
                *kinds.entry(format!("{:?}", lazy.kinds[id])).or_default() += sizes[id];
            }
            println!(
                "  cold {:>8} in {rounds} rounds, {} files {:?}: {kinds:?}",
                kb(bytes),
                fetched.len(),
                q.q
            );
        }
        cold.push(bytes);
        rounds_all.push(rounds);
    }
    cold.sort_unstable();
    rounds_all.sort_unstable();
    let p = |v: &[usize], f: f64| v[((v.len() - 1) as f64 * f).round() as usize];
    println!(
        "lazy cold query (hot file + parts, brotli): parts p50 {} p95 {} max {}; with the hot file p50 {} p95 {} max {}; round trips p50 {} max {}",
        kb(p(&cold, 0.5)),
        kb(p(&cold, 0.95)),
        kb(*cold.last().unwrap()),
        kb(hot_br + p(&cold, 0.5)),
        kb(hot_br + p(&cold, 0.95)),
        kb(hot_br + cold.last().unwrap()),
        p(&rounds_all, 0.5),
        rounds_all.last().unwrap()
    );
    let per_kind: Vec<String> = by_kind
        .iter()
        .map(|(k, b)| format!("{k} {}", kb(b / qs.len().max(1))))
        .collect();
    println!(
        "lazy cold query parts by kind (mean): {}",
        per_kind.join(", ")
    );
    println!(
        "lazy cold query natively incl. opening the hot file: p50 {:.2} ms, p95 {:.2} ms",
        pct(&mut first_lat, 0.5),
        pct(&mut first_lat, 0.95)
    );
    // Warm: one engine that has loaded everything the queries need.
    let warm = Engine::open_lazy(&lazy.hot).expect("open hot");
    let load =
        |id: &str| -> Result<Vec<u8>, koki_search::SearchError> { Ok(lazy.parts[id].clone()) };
    let check = answer_check_queries();
    let mut differ = 0;
    for q in check.iter().chain(qs) {
        let a = warm.search_loading(q, load).expect("lazy answer");
        if a != complete.search(q) {
            differ += 1;
            if differ <= 3 {
                println!("  lazy answer differs for {q:?}");
            }
        }
    }
    println!(
        "lazy answers equal to the complete bundle's: {} of {} requests",
        check.len() + qs.len() - differ,
        check.len() + qs.len()
    );
    let mut lat = Vec::new();
    for _ in 0..5 {
        for q in qs {
            let t = Instant::now();
            let _ = warm.search(q);
            lat.push(t.elapsed());
        }
    }
    println!(
        "lazy warm query natively: p50 {:.2} ms, p95 {:.2} ms",
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.95)
    );
    let _ = bench;
}

fn main() {
    let mut entries = 10_000usize;
    let mut root = PathBuf::from(".");
    let mut opts = BenchOpts::default();
    let args: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--entries" => {
                entries = args[i + 1].parse().expect("--entries N");
                i += 1;
            }
            "--root" => {
                root = PathBuf::from(&args[i + 1]);
                i += 1;
            }
            "--synthetic-only" => opts.synthetic_only = true,
            "--no-recall" => opts.no_recall = true,
            "--no-wasmi" => opts.no_wasmi = true,
            "--lazy-only" => opts.lazy_only = true,
            "--module" => {
                opts.module = PathBuf::from(&args[i + 1]);
                i += 1;
            }
            "--dump-answers" => {
                opts.dump_answers = Some(PathBuf::from(&args[i + 1]));
                i += 1;
            }
            "--dump-requests" => {
                // The parity requests as JSON (tests/fixtures/search/parity-requests.json).
                let lines: Vec<String> = answer_check_queries()
                    .iter()
                    .map(|q| serde_json::to_string(q).unwrap())
                    .collect();
                std::fs::write(&args[i + 1], format!("[\n{}\n]\n", lines.join(",\n"))).unwrap();
                return;
            }
            "--native-loop" => {
                opts.native_loop = args[i + 1].parse().expect("--native-loop SECONDS");
                i += 1;
            }
            other => panic!("unknown option {other}"),
        }
        i += 1;
    }
    let module = std::fs::read(&opts.module).unwrap();
    println!("== module ({}) ==", opts.module.display());
    println!(
        "raw {}, gzip {}, brotli {} (budget 450 KB brotli)",
        kb(module.len()),
        kb(gzip(&module)),
        kb(brotli(&module))
    );

    match koki::build::load_catalog(&root, None) {
        _ if opts.synthetic_only => {}
        Ok((catalog, _)) => {
            let docs = koki::search::search_docs(&catalog);
            let labels = koki::search::facet_labels(&catalog);
            let extra = koki::search::extra_vocab(&catalog);
            measure_catalog("shipped catalog", &docs, &labels, &extra, &module, &opts);
            if opts.no_recall {
                return finish_synthetic(entries, &module, &opts);
            }
            let tails: Vec<String> = [
                "steuerung",
                "verwaltung",
                "service",
                "portal",
                "erkennung",
                "planung",
                "beratung",
                "assistent",
                "daten",
                "amt",
                "system",
                "analyse",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            compound_recall("shipped catalog", &docs, &labels, &extra, &tails);
        }
        Err(d) => println!(
            "\n(shipped catalog not loadable: {} errors; skipped)",
            d.error_count()
        ),
    }
    finish_synthetic(entries, &module, &opts);
}

fn finish_synthetic(entries: usize, module: &[u8], opts: &BenchOpts) {
    let (docs, labels) = synthetic(entries);
    measure_catalog("synthetic catalog", &docs, &labels, &[], module, opts);
    if opts.no_recall {
        return;
    }
    let tails: Vec<String> = TAILS.iter().map(|t| analysis::fold(t)).collect();
    let sub = &docs[..docs.len().min(2000)];
    compound_recall("synthetic catalog (first 2,000)", sub, &labels, &[], &tails);
}
