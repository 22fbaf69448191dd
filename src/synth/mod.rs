//! Deterministic synthetic catalogs for tests and benchmarks.
//!
//! [`generate`] writes a complete site (`content/` with `site.yaml`, the real `vokabular.yaml`,
//! the twelve action fields, the required pages, `n` examples and proportionally many
//! scenarios) from a seed. The same seed and size always give byte-identical files. Text is
//! German-like: sentences from templates filled with compound words built from parts
//! (`Verkehrs` + `steuerung`, `Bürger` + `service` + `portal`), so search analysis (stemming,
//! compound splitting) sees what a real catalog gives it. Every field of the format and every
//! value of every vocabulary occurs (values are cycled first, then drawn at random).
//!
//! `koki bench --generate N --out DIR` calls this; tests call it with small sizes.

use crate::load::slugify;
use crate::model::{
    ActionField, Example, GewinnerVerlierer, Handlungsoption, Kommune, Kontakt, Koordinaten, Legal,
    NavItem, OpenSource, Page, Perspektive, Publisher, Quelle, Scenario, Setting, SiteConfig,
    Uebertragbarkeit, Vocabularies, Zeitraum,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

mod entries;
mod towns;
mod words;
use self::{entries::*, towns::*, words::*};

/// The real vocabularies, so synthetic entries use exactly the ids the catalog uses.
pub const VOCABULARY_YAML: &str = include_str!("../../content/vokabular.yaml");

/// Seed used when none is given.
pub const DEFAULT_SEED: u64 = 0x6b6f_6b69_2026;

/// A small, fast, seedable PRNG (SplitMix64). Good enough for test data; never for secrets.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// An independent stream for item `i` of kind `salt` (stable across sizes).
    pub fn derive(seed: u64, salt: u64, i: u64) -> Rng {
        let mut r = Rng::new(seed ^ salt.wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ i);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct items (fewer if `items` is shorter), in the order of `items`.
    pub fn subset<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let k = k.min(items.len());
        let mut chosen: Vec<usize> = Vec::with_capacity(k);
        while chosen.len() < k {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i].clone()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Generation

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub examples: usize,
    pub scenarios: usize,
    pub fields: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    /// Words of all Markdown bodies.
    pub body_words: u64,
}

/// Number of scenarios generated along with `examples` examples.
pub fn scenario_count(examples: usize) -> usize {
    (examples / 10).max(12)
}

/// Vocabulary ids of `name` in file order.
fn ids(vocab: &Vocabularies, name: &str) -> Vec<String> {
    vocab
        .get(name)
        .map(|v| v.keys().cloned().collect())
        .unwrap_or_default()
}

struct Vocab {
    v: BTreeMap<&'static str, Vec<String>>,
    labels: Vocabularies,
}

impl Vocab {
    fn load() -> Vocab {
        let labels: Vocabularies =
            serde_yaml::from_str(VOCABULARY_YAML).expect("the shipped vokabular.yaml parses");
        let mut v = BTreeMap::new();
        let registry = koki_model::fields::Registry::builtin();
        for name in crate::validate::required_vocabularies(&registry) {
            v.insert(name, ids(&labels, name));
        }
        Vocab { v, labels }
    }

    fn all(&self, name: &str) -> &[String] {
        self.v.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// One value: item `i` takes the `i`-th value first, so every value occurs once `i` has
    /// passed the vocabulary's size; after that values are drawn at random.
    fn one(&self, name: &str, i: usize, rng: &mut Rng) -> String {
        let all = self.all(name);
        if i < all.len() {
            all[i].clone()
        } else {
            rng.pick(all).clone()
        }
    }

    /// One to `max` distinct values, the cycled one among them.
    fn many(&self, name: &str, i: usize, rng: &mut Rng, max: usize) -> Vec<String> {
        let all = self.all(name);
        let first = self.one(name, i, rng);
        let k = rng.range(1, max as i64) as usize;
        let mut out = vec![first];
        for v in rng.subset(all, k) {
            if !out.contains(&v) && out.len() < k {
                out.push(v);
            }
        }
        out.sort_by_key(|v| all.iter().position(|x| x == v));
        out
    }

    fn label<'a>(&'a self, name: &str, id: &'a str) -> &'a str {
        self.labels
            .get(name)
            .and_then(|v| v.get(id))
            .map(|e| e.label.as_str())
            .unwrap_or(id)
    }
}

fn date(rng: &mut Rng, from_year: i32, to_year: i32) -> String {
    let y = rng.range(from_year as i64, to_year as i64);
    let m = rng.range(1, 12);
    let d = rng.range(1, 28);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date in 2025-06 ..= 2026-10, recent enough not to be reported stale for a while.
fn recent_date(rng: &mut Rng) -> String {
    let k = rng.range(0, 16);
    let (y, m) = (2025 + (5 + k) / 12, (5 + k) % 12 + 1);
    format!("{y:04}-{m:02}-{:02}", rng.range(1, 28))
}

fn to_front_matter<T: Serialize>(meta: &T, body: &str) -> String {
    let yaml = serde_yaml::to_string(meta).expect("model serialises");
    format!("---\n{yaml}---\n\n{body}")
}

/// Optional field present? Always for the first items (so every field occurs), else with
/// probability `p`.
fn present(rng: &mut Rng, i: usize, p: f64) -> bool {
    i < 24 || rng.chance(p)
}

struct Writer<'a> {
    root: &'a Path,
    summary: Summary,
}

impl Writer<'_> {
    fn write(&mut self, rel: &str, text: &str) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
        self.summary.files += 1;
        self.summary.bytes += text.len() as u64;
        Ok(())
    }

    /// Writes one content file (front matter and body) and counts the body's words.
    fn entry<T: Serialize>(&mut self, rel: &str, meta: &T, body: &str) -> io::Result<()> {
        self.summary.body_words += word_count(body);
        self.write(rel, &to_front_matter(meta, body))
    }
}

fn word_count(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

/// Paragraphs of 2–3 sentences from `pool`.
fn paragraph(pool: Templates, f: &Fill<'_>, rng: &mut Rng, sentences: usize) -> String {
    let picked = rng.subset(pool, sentences);
    picked
        .iter()
        .map(|t| fill(t, f, rng))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A plan of one example made before any file is written (ids are needed for references).
struct Planned {
    id: String,
    field: usize,
    town: usize,
    k1: Compound,
    k2: Compound,
    tech: String,
}

/// Write a synthetic site with `examples` examples into `root` (creates `root/content/`).
/// Existing files are overwritten; nothing else is removed.
pub fn generate(root: &Path, examples: usize, seed: u64) -> io::Result<Summary> {
    let vocab = Vocab::load();
    let mut w = Writer {
        root,
        summary: Summary::default(),
    };
    w.write("content/vokabular.yaml", VOCABULARY_YAML)?;
    write_site(&mut w)?;
    write_pages(&mut w)?;
    write_fields(&mut w, seed)?;

    let towns: Vec<Town> = (0..(examples / 4).max(30)).map(|i| town(seed, i)).collect();
    let n_scen = scenario_count(examples);

    // Plan examples: ids, fields, towns, the two main compounds.
    let mut taken: HashSet<String> = HashSet::new();
    let mut planned: Vec<Planned> = Vec::with_capacity(examples);
    let mut by_field: Vec<Vec<usize>> = vec![Vec::new(); FIELDS.len()];
    for i in 0..examples {
        let mut rng = Rng::derive(seed, 2, i as u64);
        let field = if i < FIELDS.len() {
            i
        } else {
            rng.below(FIELDS.len())
        };
        let town = if i < towns.len() {
            i
        } else {
            rng.below(towns.len())
        };
        let k1 = compound(&mut rng, field);
        let k2 = compound(&mut rng, field);
        let tech = vocab.one("ki_technik", i, &mut rng);
        let base = format!("{}-{}", towns[town].slug, slugify(&k1.word));
        let mut id = base.clone();
        let mut n = 2;
        while !taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        by_field[field].push(i);
        planned.push(Planned {
            id,
            field,
            town,
            k1,
            k2,
            tech,
        });
    }

    // Plan scenarios: ids and fields.
    let scen_plan: Vec<(String, usize, Compound, u32)> = (0..n_scen)
        .map(|j| {
            let mut rng = Rng::derive(seed, 3, j as u64);
            let field = j % FIELDS.len();
            let k = compound(&mut rng, field);
            let year = rng.range(2028, 2045) as u32;
            let id = format!(
                "{}-{}-{}-{year}",
                FIELDS[field].id.split('-').next().unwrap_or("feld"),
                slugify(&k.word),
                j + 1
            );
            (id, field, k, year)
        })
        .collect();
    let mut scen_by_field: Vec<Vec<usize>> = vec![Vec::new(); FIELDS.len()];
    for (j, (_, f, _, _)) in scen_plan.iter().enumerate() {
        scen_by_field[*f].push(j);
    }

    let mut pstw = 10_000;
    for (i, p) in planned.iter().enumerate() {
        let mut rng = Rng::derive(seed, 4, i as u64);
        let t = &towns[p.town];
        let ex = example(
            i,
            p,
            &planned,
            &by_field,
            &scen_plan,
            &scen_by_field,
            &towns,
            &vocab,
            &mut rng,
            &mut pstw,
        );
        let body = example_body(i, p, &planned, &by_field, t, &vocab, &mut rng);
        w.entry(&format!("content/beispiele/{}.md", p.id), &ex, &body)?;
        w.summary.examples += 1;
    }

    for (j, (id, field, k, year)) in scen_plan.iter().enumerate() {
        let mut rng = Rng::derive(seed, 5, j as u64);
        let (s, body) = scenario(j, *field, k, *year, &planned, &by_field, &vocab, &mut rng);
        w.entry(&format!("content/szenarien/{id}.md"), &s, &body)?;
        w.summary.scenarios += 1;
    }
    Ok(w.summary)
}

fn write_site(w: &mut Writer<'_>) -> io::Result<()> {
    let nav = |titel: &str, pfad: &str| NavItem {
        titel: titel.into(),
        pfad: pfad.into(),
    };
    let site = SiteConfig {
        titel: "Kommunen & KI (synthetisch)".into(),
        untertitel: Some("Erzeugter Testkatalog für Messungen – keine realen Vorhaben".into()),
        beschreibung: Some(
            "Synthetischer Katalog mit erfundenen Beispielen und Szenarien zum Messen von koki."
                .into(),
        ),
        base_url: "https://katalog.example/".into(),
        sprache: "de".into(),
        herausgeber: Publisher {
            name: "Testredaktion Kommunen & KI".into(),
            url: Some("https://katalog.example/".into()),
        },
        repository: Some("https://code.example/koki/synthetisch".into()),
        repository_zweig: None,
        einreichung_email: None,
        navigation: vec![
            nav("Beispiele", "beispiele/"),
            nav("Handlungsfelder", "handlungsfelder/"),
            nav("Szenarien", "szenarien/"),
            nav("Filter", "filter/"),
            nav("Suche", "suche/"),
            nav("Leitfragen", "seiten/leitfragen/"),
            nav("Über den Katalog", "seiten/ueber/"),
        ],
        rechtliches: Legal {
            impressum: Some("impressum".into()),
            datenschutz: Some("datenschutz".into()),
            barrierefreiheit: Some("barrierefreiheit".into()),
        },
    };
    let yaml = serde_yaml::to_string(&site).expect("site serialises");
    w.write(
        "content/site.yaml",
        &format!("# Synthetischer Katalog (koki bench --generate).\n{yaml}"),
    )
}

fn write_pages(w: &mut Writer<'_>) -> io::Result<()> {
    let pages: &[(&str, &str, i32, &str)] = &[
        ("ueber", "Über den Katalog", 1, "Dieser Katalog ist **synthetisch**: alle Beispiele, Kommunen und Szenarien sind erfunden. Er dient dazu, die Geschwindigkeit und den Speicherbedarf von koki zu messen."),
        ("leitfragen", "Leitfragen", 2, "Bevor eine Kommune KI einsetzt, klärt sie Ziel, Daten, Beteiligung und Verantwortung.\n\n## Ziel\n\nWelches Problem soll gelöst werden?\n\n## Daten\n\nWelche Daten gibt es, und wer darf sie nutzen?\n\n## Beteiligung\n\nWer wird wann eingebunden?"),
        ("mitmachen", "Mitmachen", 3, "Beispiele werden per Pull Request ergänzt. Prüfen Sie neue Einträge mit `koki check`."),
        ("impressum", "Impressum", 90, "Testredaktion Kommunen & KI, Musterstraße 1, 12345 Musterstadt."),
        ("datenschutz", "Datenschutz", 91, "Diese Site setzt keine Cookies und lädt nichts von fremden Servern."),
        ("barrierefreiheit", "Barrierefreiheit", 92, "Die Site soll die Anforderungen der BITV 2.0 erfüllen."),
    ];
    for (id, titel, reihenfolge, body) in pages {
        let meta = Page {
            titel: (*titel).into(),
            beschreibung: Some(format!("{titel} – synthetischer Testkatalog")),
            reihenfolge: *reihenfolge,
        };
        w.write(
            &format!("content/seiten/{id}.md"),
            &to_front_matter(&meta, &format!("{body}\n")),
        )?;
        w.summary.pages += 1;
    }
    Ok(())
}

fn write_fields(w: &mut Writer<'_>, seed: u64) -> io::Result<()> {
    for (i, f) in FIELDS.iter().enumerate() {
        let mut rng = Rng::derive(seed, 6, i as u64);
        let meta = ActionField {
            titel: f.titel.into(),
            kurz: f.kurz.into(),
            reihenfolge: f.reihenfolge,
            cofog: f.cofog.iter().map(|c| c.to_string()).collect(),
        };
        let mut body = String::new();
        for (heading, pool) in [
            ("Aufgaben", AUSGANGSLAGE),
            ("Was KI hier leisten kann", LOESUNG),
            ("Worauf Kommunen achten", GEMEINWOHL),
        ] {
            let k1 = compound(&mut rng, i);
            let k2 = compound(&mut rng, i);
            let fl = Fill {
                k1: &k1,
                k2: &k2,
                ort: "vielen Kommunen",
                tech: "Sprachverarbeitung",
            };
            body.push_str(&format!("## {heading}\n\n"));
            for _ in 0..2 {
                body.push_str(&paragraph(pool, &fl, &mut rng, 4));
                body.push_str("\n\n");
            }
        }
        w.entry(
            &format!("content/handlungsfelder/{}.md", f.id),
            &meta,
            &body,
        )?;
        w.summary.fields += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_added_to_the_registry_gets_values_from_its_vocabulary() {
        use koki_model::fields::{ExtraValue, FieldSpec, Group, Registry};
        let registry = Registry::with([FieldSpec::vocabulary(
            "datenquelle",
            "datenquelle",
            true,
            "Datenquelle",
            "Woher die Daten kommen.",
            Group::Wie,
        )]);
        let mut vocab = Vocab::load();
        let ids = vec!["offene_daten".to_string(), "fachverfahren".to_string()];
        vocab.v.insert("datenquelle", ids.clone());
        let mut rng = Rng::new(3);
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..30 {
            let values = entries::generic_values(&registry, &vocab, i, &mut rng);
            match values.get("datenquelle") {
                Some(ExtraValue::Many(v)) => seen.extend(v.iter().cloned()),
                Some(other) => panic!("a list field got {other:?}"),
                None => assert!(i >= 24, "the first 24 entries have every field"),
            }
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>().len(), ids.len());
        // The built-in registry has no such field: nothing is drawn, so the synthetic catalog
        // stays what it was.
        let (mut a, mut b) = (Rng::new(9), Rng::new(9));
        assert!(entries::generic_values(&Registry::builtin(), &vocab, 0, &mut a).is_empty());
        assert_eq!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn rng_is_deterministic() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut r = Rng::new(1);
        for _ in 0..1000 {
            assert!(r.below(5) < 5);
            let x = r.range(-2, 2);
            assert!((-2..=2).contains(&x));
        }
    }

    #[test]
    fn compounds_are_german_like() {
        let mut r = Rng::new(3);
        let c = compound(&mut r, 5);
        assert!(c.word.chars().next().unwrap().is_uppercase());
        assert!(!c.word.contains(' '));
        assert!(c.word.len() > 8);
    }
}

#[cfg(test)]
mod site_tests {
    use super::*;

    #[test]
    fn generated_site_passes_check_and_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let sa = generate(&a, 200, DEFAULT_SEED).unwrap();
        let sb = generate(&b, 200, DEFAULT_SEED).unwrap();
        assert_eq!(sa.examples, 200);
        assert_eq!(sa.scenarios, scenario_count(200));
        assert_eq!(sa.bytes, sb.bytes);
        for e in walkdir::WalkDir::new(&a).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&a).unwrap();
                let other = std::fs::read(b.join(rel)).unwrap();
                assert!(std::fs::read(e.path()).unwrap() == other, "{rel:?} differs");
            }
        }
        let one = std::fs::read_dir(a.join("content/beispiele"))
            .unwrap()
            .count();
        assert_eq!(one, 200);
        // Load and validate (what `koki build` checks); `tests/bench.rs` also runs `koki check`.
        if let Err(diags) = crate::build::load_catalog(&a, None) {
            panic!("{}", diags.render_human());
        }
    }
}
