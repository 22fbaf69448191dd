//! HTML rendering with Tera (autoescaping on for every template). Builds view models from the
//! catalog and renders each page of the site into the output sink.

use crate::catalog::Catalog;
use crate::factbox::FactBox;
use crate::load::Entry;
use crate::markdown;
use crate::model::{Example, Scenario};
use crate::output::Staging;
use crate::paths;
use crate::Error;
use koki_model::fields::{vocab_values, Registry};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod cards;
mod pages;
mod theme;
pub use self::theme::*;

fn template_error(e: tera::Error) -> Error {
    use std::error::Error as _;
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(&format!(": {s}"));
        src = s.source();
    }
    Error::Template(msg)
}

/// Keys of the fields with filter pages (`filter/<key>/<value>/`), in filter order; each is
/// also the name of its vocabulary's facet.
pub fn filter_facets(registry: &Registry) -> Vec<&'static str> {
    registry.filter_facets().iter().map(|f| f.key).collect()
}

/// Vocabulary values of an example for a facet: a vocabulary field of the registry, the
/// action fields (primary and further) or the derived settlement class of its Kreise.
pub fn facet_values<'a>(e: &'a Example, facet: &str) -> Vec<&'a str> {
    match facet {
        "handlungsfeld" => std::iter::once(e.handlungsfeld.as_str())
            .chain(e.handlungsfelder_weitere.iter().map(String::as_str))
            .collect(),
        "raumtyp" => {
            let mut ids: Vec<&'static str> = crate::places::kreise_of_example(e)
                .iter()
                .map(|k| k.settlement_class().id())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        _ => vocab_values(e, facet),
    }
}

pub use koki_text::sort_key;

/// Everything a render pass needs.
pub struct Renderer<'a> {
    pub catalog: &'a Catalog,
    pub theme: &'a Theme,
    pub out: &'a Staging,
    /// Computed once per build and shared by all (parallel) page renders.
    pub cache: RenderCache,
}

/// Per-build precomputed data, so that no page render scans the whole catalog: cards by
/// example position, title order, examples by action field, related-example tiers, the
/// reference date.
#[derive(Default)]
pub struct RenderCache {
    /// Card of each example, by position in `catalog.examples`.
    pub cards: Vec<Card>,
    /// Action field id -> positions of its examples (primary or further field), ascending.
    pub by_field: std::collections::HashMap<String, Vec<usize>>,
    /// (field, gemeindetyp, bundesland) / (field, gemeindetyp) / (field, bundesland) -> positions.
    related_tiers: std::collections::HashMap<TierKey, Vec<usize>>,
    /// What the related-examples score compares, by example position.
    related_keys: Vec<RelatedKey>,
    /// Ids of the field and vocabulary values in `related_tiers` and `related_keys`.
    interner: Interner,
    /// Reference date of the build (`dates::reference_date`).
    pub reference_date: chrono::NaiveDate,
    /// Main navigation: (title, site-relative path, URL); only `aria-current` varies per page.
    nav: Vec<(String, String, String)>,
    /// Example positions in title order ([`sort_key`], then id).
    pub title_order: Vec<usize>,
    /// Rank of each example (by position) in `title_order`.
    pub title_rank: Vec<usize>,
    /// Card HTML of each example, by position (filled at the start of [`Renderer::render_all`]).
    card_html: std::sync::OnceLock<Vec<CardHtml>>,
    /// Card HTML of each scenario, by position.
    scenario_card_html: std::sync::OnceLock<Vec<CardHtml>>,
}

/// (action field, size class, Land) of a candidate tier; `None` matches any.
type TierKey = (u32, Option<u32>, Option<u32>);

/// What the related-examples score of an example compares, as small integers, so that scoring
/// hundreds of candidates per page compares no strings.
#[derive(Debug, Clone)]
struct RelatedKey {
    gt: Option<u32>,
    land: u32,
    tech: Vec<u32>,
}

/// Gives each distinct string a small integer id.
#[derive(Debug, Default)]
struct Interner(std::collections::HashMap<String, u32>);

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.0.get(s) {
            return id;
        }
        let id = self.0.len() as u32;
        self.0.insert(s.to_string(), id);
        id
    }

    fn get(&self, s: &str) -> Option<u32> {
        self.0.get(s).copied()
    }
}

/// Heading level of a card's title: `h2` on list pages, `h3` inside other pages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CardLevel {
    H2,
    H3,
}

/// A card rendered once with the theme's `macros-card.html` at both heading levels. List,
/// filter and entry pages splice these strings in (templates loop over them with
/// `{{ card | safe }}`) instead of rendering the same card on every page it appears on; the
/// strings are shared (reference-counted) Tera values, so a page holding 20 of them copies
/// no text.
#[derive(Clone)]
pub struct CardHtml {
    h2: tera::Value,
    h3: tera::Value,
}

impl CardHtml {
    fn get(&self, level: CardLevel) -> tera::Value {
        match level {
            CardLevel::H2 => self.h2.clone(),
            CardLevel::H3 => self.h3.clone(),
        }
    }
}

impl<'a> Renderer<'a> {
    /// A renderer with its per-build cache (cards in parallel).
    pub fn new(catalog: &'a Catalog, theme: &'a Theme, out: &'a Staging) -> Renderer<'a> {
        use rayon::prelude::*;
        let mut r = Renderer {
            catalog,
            theme,
            out,
            cache: RenderCache::default(),
        };
        let cards: Vec<Card> = catalog
            .examples
            .par_iter()
            .map(|e| r.make_card(e))
            .collect();
        let mut by_field: std::collections::HashMap<String, Vec<usize>> = Default::default();
        let mut interner = Interner::default();
        let mut related_keys = Vec::with_capacity(catalog.examples.len());
        let mut tiers: std::collections::HashMap<TierKey, Vec<usize>> = Default::default();
        for (i, e) in catalog.examples.iter().enumerate() {
            let m = &e.meta;
            let key = RelatedKey {
                gt: m
                    .gemeindetyp
                    .as_deref()
                    .filter(|g| !g.is_empty())
                    .map(|g| interner.id(g)),
                land: interner.id(&m.bundesland),
                tech: m.ki_technik.iter().map(|t| interner.id(t)).collect(),
            };
            let mut fields: Vec<&str> = vec![m.handlungsfeld.as_str()];
            for f in &m.handlungsfelder_weitere {
                if !fields.contains(&f.as_str()) {
                    fields.push(f);
                }
            }
            for f in fields {
                by_field.entry(f.to_string()).or_default().push(i);
                let f = interner.id(f);
                if let Some(gt) = key.gt {
                    tiers
                        .entry((f, Some(gt), Some(key.land)))
                        .or_default()
                        .push(i);
                    tiers.entry((f, Some(gt), None)).or_default().push(i);
                }
                tiers.entry((f, None, Some(key.land))).or_default().push(i);
            }
            related_keys.push(key);
        }
        let keys: Vec<String> = catalog
            .examples
            .par_iter()
            .map(|e| sort_key(&e.meta.titel))
            .collect();
        let mut title_order: Vec<usize> = (0..catalog.examples.len()).collect();
        // Positions follow the ids, so ties on the title fall back to the id.
        title_order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
        r.cache = RenderCache {
            cards,
            by_field,
            related_tiers: tiers,
            related_keys,
            interner,
            reference_date: crate::dates::reference_date(catalog),
            title_rank: {
                let mut rank = vec![0; title_order.len()];
                for (r, &p) in title_order.iter().enumerate() {
                    rank[p] = r;
                }
                rank
            },
            title_order,
            card_html: Default::default(),
            scenario_card_html: Default::default(),
            nav: catalog
                .site
                .navigation
                .iter()
                .map(|n| {
                    let pfad = n.pfad.trim_start_matches('/').to_string();
                    let url = r.url(&pfad);
                    (n.titel.clone(), pfad, url)
                })
                .collect(),
        };
        r
    }
}

#[derive(Serialize)]
struct Link {
    titel: String,
    url: String,
}

/// A compact card for list pages (never the whole entry).
#[derive(Serialize, Clone)]
pub struct Card {
    pub id: String,
    pub url: String,
    pub titel: String,
    pub kurz: String,
    pub meta: Vec<String>,
}

/// A text with an optional link, as templates see it (`text`, `url`, `external`): fact-box
/// values, the breadcrumb's action field. Serialised straight into Tera's values, without a
/// `serde_json` tree in between.
#[derive(Serialize)]
pub(crate) struct TextLink {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    external: bool,
}

impl TextLink {
    pub(crate) fn text(text: impl Into<String>) -> Self {
        TextLink {
            text: text.into(),
            url: None,
            external: false,
        }
    }
    pub(crate) fn link(text: impl Into<String>, url: String) -> Self {
        TextLink {
            text: text.into(),
            url: Some(url),
            external: false,
        }
    }
    pub(crate) fn external(text: String, url: String) -> Self {
        TextLink {
            text,
            url: Some(url),
            external: true,
        }
    }
}

/// What `beispiel.html` reads of the example itself (`e.…`): the page passes only these
/// fields instead of serialising the whole entry for every page.
#[derive(Serialize)]
struct ExampleHead<'a> {
    titel: &'a str,
    kurzbeschreibung: &'a str,
    status: &'a str,
    quellen: &'a [crate::model::Quelle],
}

/// `page` of the base template.
#[derive(Serialize)]
struct PageInfo<'a> {
    titel: &'a str,
    beschreibung: &'a str,
    path: &'a str,
    canonical: String,
}

/// One entry of the main navigation on one page.
#[derive(Serialize)]
struct NavLink<'a> {
    titel: &'a str,
    url: &'a str,
    current: Option<&'static str>,
}

impl<'a> Renderer<'a> {
    pub(crate) fn url(&self, rel: &str) -> String {
        format!("{}{}", self.catalog.base_path, rel)
    }

    /// Base context for every page.
    pub(crate) fn context(
        &self,
        rel_path: &str,
        title: &str,
        description: Option<&str>,
    ) -> tera::Context {
        let c = self.catalog;
        let mut ctx = tera::Context::new();
        if !self.theme.globals_set {
            ctx.insert("base", &c.base_path);
            ctx.insert("site", &c.site);
            ctx.insert("t", &self.theme.ui);
        }
        let nav: Vec<NavLink> = self
            .cache
            .nav
            .iter()
            .map(|(titel, pfad, url)| NavLink {
                titel,
                url,
                current: nav_current(pfad, rel_path),
            })
            .collect();
        ctx.insert("nav", &nav);
        if !self.theme.globals_set {
            ctx.insert("legal", &legal_links(c));
        }
        ctx.insert(
            "page",
            &PageInfo {
                titel: title,
                beschreibung: description.unwrap_or(c.site.beschreibung.as_deref().unwrap_or("")),
                path: rel_path,
                canonical: format!("{}{}", c.base_url, rel_path),
            },
        );
        ctx
    }

    pub(crate) fn write_page(
        &self,
        rel_dir: &str,
        template: &str,
        ctx: &tera::Context,
    ) -> Result<(), Error> {
        let html = self.theme.render(template, ctx)?;
        let file = format!("{rel_dir}index.html");
        self.out.write(&file, html.as_bytes())?;
        Ok(())
    }

    pub(crate) fn field_link(&self, id: &str) -> TextLink {
        let titel = self
            .catalog
            .field(id)
            .map(|f| f.meta.titel.clone())
            .unwrap_or_else(|| id.to_string());
        TextLink::link(titel, self.url(&paths::field(id)))
    }

    pub(crate) fn vocab_value(&self, vocabulary: &str, facet: Option<&str>, id: &str) -> TextLink {
        let text = self.catalog.label(vocabulary, id);
        match facet {
            Some(f) => TextLink::link(text, self.url(&paths::filter(f, id))),
            None => TextLink::text(text),
        }
    }

    /// Render every HTML page of the site.
    pub fn render_all(&self) -> Result<(), Error> {
        self.prepare_cards()?;
        self.render_home()?;
        self.render_fields()?;
        self.render_lists()?;
        self.render_browse()?;
        self.render_pages()?;
        self.render_submission()?;
        self.render_redirects()?;
        use rayon::prelude::*;
        // Distinct files per page: parallel writes are safe, and every page's bytes depend
        // only on the catalog, so the output stays byte-identical.
        self.catalog
            .examples
            .par_iter()
            .try_for_each(|e| self.render_example(e))?;
        self.catalog
            .scenarios
            .par_iter()
            .try_for_each(|s| self.render_scenario(s))?;
        Ok(())
    }
}

/// `1510378` -> `1.510.378` (German digit grouping).
pub fn format_number(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `1227.16` -> `1.227,2` (German decimal comma, one decimal).
pub fn format_decimal(x: f64) -> String {
    let tenths = (x * 10.0).round() as u64;
    format!("{},{}", format_number(tenths / 10), tenths % 10)
}

/// `2026-03-04` -> `04.03.2026`.
pub fn format_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// `aria-current` of a navigation entry with path `pfad` on the page at `rel_path`: `page` on
/// the entry's own page, `true` on the pages of its section (an example under "Beispiele"),
/// else none.
pub fn nav_current(pfad: &str, rel_path: &str) -> Option<&'static str> {
    let rel = rel_path.strip_suffix("index.html").unwrap_or(rel_path);
    if pfad.is_empty() {
        return rel.is_empty().then_some("page");
    }
    let section = pfad.trim_end_matches('/');
    if rel.trim_end_matches('/') == section {
        Some("page")
    } else if rel.starts_with(&format!("{section}/")) {
        Some("true")
    } else {
        None
    }
}

/// Links to the legal pages named in `site.yaml` (Impressum, Datenschutz, Barrierefreiheit).
fn legal_links(c: &Catalog) -> Vec<Link> {
    [
        &c.site.rechtliches.impressum,
        &c.site.rechtliches.datenschutz,
        &c.site.rechtliches.barrierefreiheit,
    ]
    .into_iter()
    .flatten()
    .filter_map(|id| c.page(id))
    .map(|p| Link {
        titel: p.meta.titel.clone(),
        url: format!("{}{}", c.base_path, paths::page(&p.id)),
    })
    .collect()
}

/// Insert each key of the JSON object `values` into `ctx`: a page's own variables as one
/// literal instead of one `insert` call per variable.
pub(crate) fn insert_all(ctx: &mut tera::Context, values: Value) {
    if let Value::Object(map) = values {
        for (key, value) in map {
            ctx.insert(key, &value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nav_marks_the_page_and_its_section() {
        assert_eq!(nav_current("beispiele/", "beispiele/"), Some("page"));
        assert_eq!(nav_current("beispiele/", "beispiele/x/"), Some("true"));
        assert_eq!(
            nav_current("beispiele/", "beispiele/seite/2/"),
            Some("true")
        );
        assert_eq!(nav_current("beispiele/", "beispiele-archiv/"), None);
        assert_eq!(nav_current("seiten/ueber/", "seiten/ueber/"), Some("page"));
        assert_eq!(nav_current("seiten/ueber/", "seiten/impressum/"), None);
        assert_eq!(nav_current("", ""), Some("page"));
        assert_eq!(nav_current("", "beispiele/"), None);
        assert_eq!(nav_current("statistik/", "404.html"), None);
    }

    #[test]
    fn german_number_and_date_formats() {
        assert_eq!(format_number(1510378), "1.510.378");
        assert_eq!(format_number(999), "999");
        assert_eq!(format_date("2026-03-04"), "04.03.2026");
    }

    #[test]
    fn sort_key_folds_umlauts() {
        assert!(sort_key("Ärger") < sort_key("Bau"));
    }
}
