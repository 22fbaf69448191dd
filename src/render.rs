//! HTML rendering with Tera (autoescaping on for every template). Builds view models from the
//! catalog and renders each page of the site into the output sink.

use crate::catalog::Catalog;
use crate::factbox::FactBox;
use crate::load::Entry;
use crate::markdown;
use crate::model::{Example, Scenario};
use crate::output::{OutputError, Staging};
use crate::paths;
use koki_model::fields::{vocab_values, Registry};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("Theme unter `{path}` nicht lesbar")]
    ThemeIo {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("theme strings `{path}` are invalid: {message}")]
    Strings { path: PathBuf, message: String },
    #[error("template error: {0}")]
    Template(String),
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Two generated pages would have the same path.
    #[error("page path `{path}` is generated twice ({what})")]
    PathCollision { path: String, what: String },
    #[error(transparent)]
    Map(#[from] crate::map::MapError),
}

fn template_error(e: tera::Error) -> RenderError {
    use std::error::Error as _;
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(&format!(": {s}"));
        src = s.source();
    }
    RenderError::Template(msg)
}

/// The loaded theme: templates, UI strings, static assets.
pub struct Theme {
    pub dir: PathBuf,
    tera: tera::Tera,
    /// `ui` strings for templates (`t.…`).
    pub ui: Map<String, Value>,
    /// German labels of model fields (for the fact box).
    pub field_labels: BTreeMap<String, String>,
    /// Whether [`Theme::set_site_globals`] ran (then pages need not carry the shared values).
    globals_set: bool,
}

#[derive(serde::Deserialize)]
struct StringsFile {
    ui: Map<String, Value>,
    felder: BTreeMap<String, String>,
}

impl Theme {
    /// Load templates from `<dir>/templates/` and strings from `<dir>/strings.de.yaml`.
    pub fn load(dir: &Path) -> Result<Theme, RenderError> {
        let templates = dir.join("templates");
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        for entry in walkdir::WalkDir::new(&templates).sort_by_file_name() {
            let entry = entry.map_err(|e| RenderError::ThemeIo {
                path: templates.clone(),
                source: e.into(),
            })?;
            if entry.file_type().is_file()
                && !crate::load::is_ignored_name(&entry.file_name().to_string_lossy())
            {
                let name = entry
                    .path()
                    .strip_prefix(&templates)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((entry.path().to_path_buf(), name));
            }
        }
        tera.add_template_files(files.iter().map(|(p, n)| (p.as_path(), Some(n.as_str()))))
            .map_err(template_error)?;
        let strings_path = dir.join("strings.de.yaml");
        let text =
            std::fs::read_to_string(&strings_path).map_err(|source| RenderError::ThemeIo {
                path: strings_path.clone(),
                source,
            })?;
        let strings: StringsFile =
            crate::yaml::parse_plain(&text).map_err(|e| RenderError::Strings {
                path: strings_path.clone(),
                message: e.to_string(),
            })?;
        Ok(Theme {
            dir: dir.to_path_buf(),
            tera,
            ui: strings.ui,
            field_labels: strings.felder,
            globals_set: false,
        })
    }

    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, RenderError> {
        self.tera.render(template, ctx).map_err(template_error)
    }

    /// Put what every page shares (`base`, `site`, `t`, `legal`) into Tera's global context
    /// once, instead of serialising it into the context of each of thousands of pages.
    pub fn set_site_globals(&mut self, c: &Catalog) {
        // The registry's labels for fields the theme does not relabel.
        for f in c.registry.fields() {
            self.field_labels
                .entry(f.key.to_string())
                .or_insert_with(|| f.label.to_string());
        }
        let legal = legal_links(c);
        let g = self.tera.global_context();
        g.insert("base", &c.base_path);
        g.insert("site", &c.site);
        g.insert("t", &self.ui);
        g.insert("legal", &legal);
        self.globals_set = true;
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// German label of a model field, borrowed (the field name itself when the theme has none).
    pub(crate) fn label_ref<'s>(&'s self, field: &'s str) -> &'s str {
        self.field_labels
            .get(field)
            .map(String::as_str)
            .unwrap_or(field)
    }

    pub(crate) fn label(&self, field: &str) -> String {
        self.field_labels
            .get(field)
            .cloned()
            .unwrap_or_else(|| field.to_string())
    }

    pub(crate) fn ui(&self, key: &str) -> String {
        self.ui
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_string()
    }
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
    ) -> Result<(), RenderError> {
        let html = self.theme.render(template, ctx)?;
        let file = format!("{rel_dir}index.html");
        self.out.write(&file, html.as_bytes())?;
        Ok(())
    }

    /// The card of an example (from the cache when the example is in the catalog).
    pub fn card(&self, e: &Entry<Example>) -> Card {
        match self.catalog.example_pos(&e.id) {
            Some(i) if i < self.cache.cards.len() => self.cache.cards[i].clone(),
            _ => self.make_card(e),
        }
    }

    fn make_card(&self, e: &Entry<Example>) -> Card {
        let c = self.catalog;
        let kommunen: Vec<&str> = e.meta.kommunen.iter().map(|k| k.name.as_str()).collect();
        Card {
            id: e.id.clone(),
            url: self.url(&paths::example(&e.id)),
            titel: e.meta.titel.clone(),
            kurz: e.meta.kurzbeschreibung.clone(),
            meta: vec![
                kommunen.join(", "),
                c.label("bundesland", &e.meta.bundesland).to_string(),
                c.label("status", &e.meta.status).to_string(),
            ],
        }
    }

    /// Render `card` with `macros-card.html` at both heading levels.
    fn render_card(&self, card: &Card) -> Result<CardHtml, RenderError> {
        let mut ctx = tera::Context::new();
        ctx.insert("card", card);
        ctx.insert("card_level", &2);
        let h2 = self.theme.render("macros-card.html", &ctx)?;
        ctx.insert("card_level", &3);
        let h3 = self.theme.render("macros-card.html", &ctx)?;
        Ok(CardHtml {
            h2: tera::Value::safe_string(&h2),
            h3: tera::Value::safe_string(&h3),
        })
    }

    /// Render every example's and scenario's card once (in parallel).
    fn prepare_cards(&self) -> Result<(), RenderError> {
        use rayon::prelude::*;
        if self.cache.card_html.get().is_none() {
            let html = self
                .catalog
                .examples
                .par_iter()
                .map(|e| self.render_card(&self.card(e)))
                .collect::<Result<Vec<_>, _>>()?;
            let _ = self.cache.card_html.set(html);
        }
        if self.cache.scenario_card_html.get().is_none() {
            let html = self
                .catalog
                .scenarios
                .par_iter()
                .map(|s| self.render_card(&self.scenario_card(s)))
                .collect::<Result<Vec<_>, _>>()?;
            let _ = self.cache.scenario_card_html.set(html);
        }
        Ok(())
    }

    /// The pre-rendered cards of the examples at `positions`, as one Tera list.
    pub(crate) fn example_cards(
        &self,
        positions: impl IntoIterator<Item = usize>,
        level: CardLevel,
    ) -> Result<tera::Value, RenderError> {
        self.prepare_cards()?;
        let html = self.cache.card_html.get().map(Vec::as_slice).unwrap_or(&[]);
        Ok(tera::Value::from(
            positions
                .into_iter()
                .filter_map(|p| html.get(p).map(|h| h.get(level)))
                .collect::<Vec<_>>(),
        ))
    }

    /// The pre-rendered cards of the scenarios at `positions`, as one Tera list.
    fn scenario_cards(
        &self,
        positions: impl IntoIterator<Item = usize>,
        level: CardLevel,
    ) -> Result<tera::Value, RenderError> {
        self.prepare_cards()?;
        let html = self
            .cache
            .scenario_card_html
            .get()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        Ok(tera::Value::from(
            positions
                .into_iter()
                .filter_map(|p| html.get(p).map(|h| h.get(level)))
                .collect::<Vec<_>>(),
        ))
    }

    fn scenario_card(&self, s: &Entry<Scenario>) -> Card {
        let c = self.catalog;
        Card {
            id: s.id.clone(),
            url: self.url(&paths::scenario(&s.id)),
            titel: s.meta.titel.clone(),
            kurz: s.meta.kurzfassung.clone(),
            meta: vec![
                format!("{} {}", self.theme.ui("zeithorizont"), s.meta.zeithorizont),
                c.label("szenariotyp", &s.meta.szenariotyp).to_string(),
            ],
        }
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

    fn render_example(&self, e: &Entry<Example>) -> Result<(), RenderError> {
        let c = self.catalog;
        let rel = paths::example(&e.id);
        // Rendered here, right before the page, and dropped with it: holding the HTML of every
        // body at once cost about 8 KB per example (400 MB at 50,000 examples).
        let body_html = markdown::render(&e.body, &c.base_path).html;
        let (facts, completeness) = self.facts(e);
        let facts = FactBox::from_rows(facts, |key| self.theme.ui(key));
        let scenarios = self.scenario_cards(
            c.scenarios_of_example
                .get(&e.id)
                .into_iter()
                .flatten()
                .filter_map(|id| c.scenario_pos(id)),
            CardLevel::H3,
        )?;
        let related = self.example_cards(self.related_examples(e), CardLevel::H3)?;
        let mut ctx = self.context(&rel, &e.meta.titel, Some(&e.meta.kurzbeschreibung));
        ctx.insert(
            "e",
            &ExampleHead {
                titel: &e.meta.titel,
                kurzbeschreibung: &e.meta.kurzbeschreibung,
                status: &e.meta.status,
                quellen: &e.meta.quellen,
            },
        );
        ctx.insert("id", &e.id);
        ctx.insert_value("body", tera::Value::safe_string(&body_html));
        drop(body_html);
        ctx.insert("facts", &facts);
        ctx.insert("completeness", &completeness);
        ctx.insert_value("scenarios", scenarios);
        ctx.insert_value("related", related);
        ctx.insert("field", &self.field_link(&e.meta.handlungsfeld));
        ctx.insert("status_label", c.label("status", &e.meta.status));
        ctx.insert("report_url", &self.report_url(&e.id));
        ctx.insert(
            "json_ld",
            &crate::export::script_safe_json(&crate::export::example_json_ld(c, e)),
        );
        ctx.insert("freshness", &self.freshness(e, self.cache.reference_date));
        ctx.insert(
            "evidenz",
            &e.meta
                .evidenzgrad
                .as_deref()
                .map(|v| c.label("evidenzgrad", v)),
        );
        self.write_page(&rel, "beispiel.html", &ctx)
    }

    /// "Fehler melden / Ergänzung vorschlagen": the submission form, prefilled with the entry.
    fn report_url(&self, id: &str) -> String {
        format!(
            "{}{}?korrektur={id}",
            self.catalog.base_path,
            crate::submit::FORM_DIR
        )
    }

    /// Declared related examples first, then examples of the same field with a similar
    /// municipality (same size class or Land), at most six, as positions in the catalog.
    ///
    /// Score: +2 same size class, +1 same Land, +1 a shared AI technique; ties by id (the
    /// catalog is sorted by id, so by position). Candidates come from precomputed tiers (same
    /// field and size class and Land, then same size class, then same Land, then the whole
    /// field), and the search stops as soon as the sixth best score beats anything a later tier
    /// could reach — the same result as scoring the whole field, without a scan of it per page.
    /// A later tier contains the earlier ones; their members are recognised by their size class
    /// and Land instead of a set of seen examples.
    fn related_examples(&self, e: &Entry<Example>) -> Vec<usize> {
        let c = self.catalog;
        let m = &e.meta;
        let declared: Vec<usize> = m
            .verwandte_beispiele
            .iter()
            .filter_map(|id| c.example_pos(id))
            .collect();
        let need = 6usize.saturating_sub(m.verwandte_beispiele.len());
        let mut out: Vec<usize> = declared.iter().copied().take(6).collect();
        if need == 0 {
            return out;
        }
        let me_pos = c.example_pos(&e.id);
        let me = match me_pos.and_then(|p| self.cache.related_keys.get(p)) {
            Some(k) => k,
            None => return out,
        };
        let keys = &self.cache.related_keys;
        let score = |o: &RelatedKey| -> i32 {
            let mut score = 0;
            if o.gt.is_some() && o.gt == me.gt {
                score += 2;
            }
            if o.land == me.land {
                score += 1;
            }
            if o.tech.iter().any(|t| me.tech.contains(t)) {
                score += 1;
            }
            score
        };
        let field = m.handlungsfeld.as_str();
        let field_id = self.cache.interner.get(field);
        let empty: Vec<usize> = Vec::new();
        let tier = |gt: Option<u32>, land: Option<u32>| -> &Vec<usize> {
            field_id
                .and_then(|f| self.cache.related_tiers.get(&(f, gt, land)))
                .unwrap_or(&empty)
        };
        let same_gt = |o: &RelatedKey| me.gt.is_some() && o.gt == me.gt;
        let same_land = |o: &RelatedKey| o.land == me.land;
        // (candidate positions, already seen in an earlier tier, best score any example not
        // yet seen can still reach)
        type Seen<'f> = &'f dyn Fn(&RelatedKey) -> bool;
        let never = |_: &RelatedKey| false;
        let either = |o: &RelatedKey| same_gt(o) || same_land(o);
        let mut tiers: Vec<(&Vec<usize>, Seen, i32)> = Vec::new();
        if me.gt.is_some() {
            tiers.push((tier(me.gt, Some(me.land)), &never, 3));
            tiers.push((tier(me.gt, None), &same_land, 2));
            tiers.push((tier(None, Some(me.land)), &same_gt, 1));
        } else {
            tiers.push((tier(None, Some(me.land)), &never, 1));
        }
        tiers.push((
            self.cache.by_field.get(field).unwrap_or(&empty),
            if me.gt.is_some() { &either } else { &same_land },
            -1,
        ));
        let mut scored: Vec<(i32, usize)> = Vec::new();
        for (positions, seen, next_max) in tiers {
            for &p in positions {
                let o = &keys[p];
                if seen(o) || Some(p) == me_pos || declared.contains(&p) {
                    continue;
                }
                scored.push((-score(o), p));
            }
            // Only the best `need` so far can be in the result: keep those (selection, not a
            // sort of every candidate).
            if scored.len() > need {
                scored.select_nth_unstable(need - 1);
                scored.truncate(need);
            }
            if scored.len() >= need && -scored.iter().map(|s| s.0).max().unwrap_or(0) > next_max {
                break;
            }
        }
        scored.sort_unstable();
        out.extend(scored.into_iter().take(need).map(|(_, p)| p));
        out
    }

    fn render_scenario(&self, s: &Entry<Scenario>) -> Result<(), RenderError> {
        let c = self.catalog;
        let rel = paths::scenario(&s.id);
        let body = markdown::render(&s.body, &c.base_path);
        let examples = self.example_cards(
            c.examples_of_scenario
                .get(&s.id)
                .into_iter()
                .flatten()
                .filter_map(|id| c.example_pos(id)),
            CardLevel::H3,
        )?;
        let options: Vec<Value> = s
            .meta
            .handlungsoptionen_heute
            .iter()
            .map(|h| json!({"massnahme": h.massnahme, "aufwand": c.label("aufwand", &h.aufwand), "no_regret": h.no_regret}))
            .collect();
        let setting = s.meta.setting.as_ref().map(|st| {
            let parts: Vec<&str> = [
                st.gemeindetyp.as_deref().map(|g| c.label("gemeindetyp", g)),
                st.laendlichkeit
                    .as_deref()
                    .map(|l| c.label("laendlichkeit", l)),
            ]
            .into_iter()
            .flatten()
            .collect();
            parts.join(", ")
        });
        let mut ctx = self.context(&rel, &s.meta.titel, Some(&s.meta.kurzfassung));
        ctx.insert("s", &s.meta);
        ctx.insert("id", &s.id);
        ctx.insert("body", &body.html);
        ctx.insert_value("examples", examples);
        ctx.insert("options", &options);
        ctx.insert("setting", &setting);
        ctx.insert("typ_label", c.label("szenariotyp", &s.meta.szenariotyp));
        ctx.insert("field", &self.field_link(&s.meta.handlungsfeld));
        self.write_page(&rel, "szenario.html", &ctx)
    }

    fn render_fields(&self) -> Result<(), RenderError> {
        let c = self.catalog;
        let mut overview = Vec::new();
        for f in &c.fields {
            let rel = paths::field(&f.id);
            let body = markdown::render(&f.body, &c.base_path);
            // Title order; ties keep catalog (id) order, as the title rank does.
            let mut examples: Vec<usize> =
                self.cache.by_field.get(&f.id).cloned().unwrap_or_default();
            examples.sort_by_key(|&p| self.cache.title_rank[p]);
            let example_count = examples.len();
            let examples = self.example_cards(examples, CardLevel::H3)?;
            let scenarios = self.scenario_cards(
                c.scenarios
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        s.meta.handlungsfeld == f.id
                            || s.meta.handlungsfelder_weitere.contains(&f.id)
                    })
                    .map(|(p, _)| p),
                CardLevel::H3,
            )?;
            overview.push(json!({
                "id": f.id, "titel": f.meta.titel, "kurz": f.meta.kurz, "url": self.url(&rel),
                "anzahl_beispiele": example_count, "anzahl_szenarien": scenarios.len().unwrap_or(0),
            }));
            let mut ctx = self.context(&rel, &f.meta.titel, Some(&f.meta.kurz));
            ctx.insert("f", &f.meta);
            ctx.insert("id", &f.id);
            ctx.insert("body", &body.html);
            ctx.insert_value("examples", examples);
            ctx.insert_value("scenarios", scenarios);
            self.write_page(&rel, "handlungsfeld.html", &ctx)?;
        }
        let mut ctx = self.context("handlungsfelder/", &self.theme.ui("handlungsfelder"), None);
        ctx.insert("fields", &overview);
        self.write_page("handlungsfelder/", "handlungsfelder.html", &ctx)?;
        Ok(())
    }

    /// The scenario list (the example lists and filter pages are in `browse`).
    fn render_lists(&self) -> Result<(), RenderError> {
        let c = self.catalog;
        let scenarios = self.scenario_cards(0..c.scenarios.len(), CardLevel::H2)?;
        let mut ctx = self.context("szenarien/", &self.theme.ui("szenarien"), None);
        ctx.insert_value("scenarios", scenarios);
        self.write_page("szenarien/", "szenarien.html", &ctx)?;
        Ok(())
    }

    fn render_pages(&self) -> Result<(), RenderError> {
        let c = self.catalog;
        for p in &c.pages {
            let rel = paths::page(&p.id);
            let body = markdown::render(&p.body, &c.base_path);
            let mut ctx = self.context(&rel, &p.meta.titel, p.meta.beschreibung.as_deref());
            ctx.insert("p", &p.meta);
            ctx.insert("body", &body.html);
            ctx.insert(
                "headings",
                &body
                    .headings
                    .iter()
                    .filter(|h| h.0 == 2)
                    .map(|h| json!({"id": h.1, "text": h.2}))
                    .collect::<Vec<_>>(),
            );
            self.write_page(&rel, "seite.html", &ctx)?;
        }
        Ok(())
    }

    fn render_home(&self) -> Result<(), RenderError> {
        let c = self.catalog;
        let fields: Vec<Value> = c
            .fields
            .iter()
            .map(|f| json!({"titel": f.meta.titel, "kurz": f.meta.kurz, "url": self.url(&paths::field(&f.id)), "anzahl": self.cache.by_field.get(&f.id).map_or(0, Vec::len)}))
            .collect();
        // Newest first, ties by id (= position).
        let mut newest: Vec<usize> = (0..c.examples.len()).collect();
        newest.sort_by(|&a, &b| {
            (&c.examples[b].meta.erfasst_am, a).cmp(&(&c.examples[a].meta.erfasst_am, b))
        });
        newest.truncate(6);
        let newest = self.example_cards(newest, CardLevel::H3)?;
        let mut ctx = self.context("", &c.site.titel, None);
        ctx.insert("fields", &fields);
        ctx.insert_value("newest", newest);
        ctx.insert("counts", &json!({"beispiele": c.examples.len(), "szenarien": c.scenarios.len(), "handlungsfelder": c.fields.len()}));
        self.write_page("", "index.html", &ctx)?;
        if self.theme.has_template("suche.html") {
            let ctx = self.context("suche/", &self.theme.ui("suche"), None);
            self.write_page("suche/", "suche.html", &ctx)?;
        }
        let ctx = self.context("404.html", &self.theme.ui("nicht_gefunden"), None);
        let html = self.theme.render("404.html", &ctx)?;
        self.out.write("404.html", html.as_bytes())?;
        Ok(())
    }

    /// A redirect page at each former address of an example (`fruehere_ids`): a meta
    /// refresh for browsers, a canonical link for search engines and a plain link for
    /// everyone else; left out of the sitemap. Themes without `weiterleitung.html` skip it.
    fn render_redirects(&self) -> Result<(), RenderError> {
        if !self.theme.has_template("weiterleitung.html") {
            return Ok(());
        }
        for e in &self.catalog.examples {
            let target = paths::example(&e.id);
            for old in &e.meta.fruehere_ids {
                let rel = paths::example(old);
                let mut ctx = self.context(&target, &e.meta.titel, Some(&e.meta.kurzbeschreibung));
                ctx.insert(
                    "ziel",
                    &json!({"url": self.url(&target), "titel": e.meta.titel}),
                );
                let html = self.theme.render("weiterleitung.html", &ctx)?;
                self.out
                    .write_unlisted(&format!("{rel}index.html"), html.as_bytes())?;
            }
        }
        Ok(())
    }

    /// The submission form `einreichen/` (see [`crate::submit`]).
    fn render_submission(&self) -> Result<(), RenderError> {
        if !self.theme.has_template("einreichen.html") {
            return Ok(());
        }
        let c = self.catalog;
        let mut ctx = self.context(
            crate::submit::FORM_DIR,
            &self.theme.ui("einreichen_titel"),
            None,
        );
        ctx.insert("steps", &crate::submit::steps(c, &self.theme.field_labels));
        ctx.insert("questions", &crate::submit::questions());
        ctx.insert("module_url", &self.url(&crate::submit::module_path()));
        ctx.insert(
            "context_url",
            &self.url(&format!("{}kontext.json", crate::submit::FORM_DIR)),
        );
        let terms = crate::schema::Terms::from_catalog(c);
        // The page shows placeholders instead of dates: a build date must not reach the output.
        let date = self.cache.reference_date;
        let template = crate::scaffold::template(
            crate::scaffold::EntryKind::Example,
            "Titel des Beispiels",
            date,
            Some(&terms),
        )
        .replace(&date.to_string(), "JJJJ-MM-TT")
        .replace(&format!("start: {}", date.format("%Y")), "start: JJJJ");
        ctx.insert("vorlage", &template);
        ctx.insert(
            "mitmachen_url",
            &c.pages
                .iter()
                .any(|p| p.id == "mitmachen")
                .then(|| self.url(&paths::page("mitmachen"))),
        );
        self.write_page(crate::submit::FORM_DIR, "einreichen.html", &ctx)
    }

    /// Render every HTML page of the site.
    pub fn render_all(&self) -> Result<(), RenderError> {
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

/// Copy the theme's `static/` directory into the output (sorted, deterministic).
pub fn copy_static(theme: &Theme, out: &Staging) -> Result<(), RenderError> {
    let dir = theme.dir.join("static");
    if !dir.exists() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| RenderError::ThemeIo {
            path: dir.clone(),
            source: e.into(),
        })?;
        if !entry.file_type().is_file()
            || crate::load::is_ignored_name(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if is_build_only_asset(&rel) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|source| RenderError::ThemeIo {
            path: entry.path().to_path_buf(),
            source,
        })?;
        out.write(&format!("static/{rel}"), &bytes)?;
    }
    Ok(())
}

/// Theme files that are inputs of the build, not site assets: the search and form modules are
/// embedded in the binary and written content-hashed by `search::write_search` and
/// `submit::write_files`, and their stamps only serve the freshness tests.
fn is_build_only_asset(rel: &str) -> bool {
    rel == "search/koki_search.wasm"
        || rel == "einreichen/koki_form.wasm"
        || rel.ends_with(".stamp")
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
