//! Browsing without JavaScript: filter pages with counts and pagination, the examples overview
//! in several sort orders, "Passt zu meiner Kommune", the map, statistics and the open-data
//! page. All pages are static; the only script (`static/js/passend.js`) merely narrows a list
//! that is already on the page.

use crate::catalog::Catalog;
use crate::load::Entry;
use crate::map;
use crate::model::Example;
use crate::paths;
use crate::render::{facet_values, sort_key, CardLevel, RenderError, Renderer};
use crate::stats::{self, Bar};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Cards per list page.
pub const PER_PAGE: usize = 20;

/// The examples overview in its sort orders: (key, site-relative path, UI string key).
pub const SORTS: &[(&str, &str, &str)] = &[
    ("name", "beispiele/", "sortierung_name"),
    ("neueste", "beispiele/neueste/", "sortierung_neueste"),
    ("einwohner", "beispiele/einwohner/", "sortierung_einwohner"),
];

/// Facet of the start year (`zeitraum.start`), which has no vocabulary.
pub const YEAR_FACET: &str = "startjahr";

/// Path segment for "no value given" on the "Passt zu meiner Kommune" pages (vocabulary ids
/// use `_`, never `-`, so it cannot collide with a value).
pub const NOT_GIVEN: &str = "ohne-angabe";

/// Site-relative path of page `n` (1-based) of a paginated list rooted at `rel`.
pub fn page_path(rel: &str, n: usize) -> String {
    if n <= 1 {
        rel.to_string()
    } else {
        format!("{rel}seite/{n}/")
    }
}

/// Page numbers the pager links to from page `current` of `pages`: all of them for short
/// lists, else the first, the last and two on each side of the current one, `None` for a gap.
/// Bounded, so a list of 2,500 pages does not put 2,500 links on each of its pages.
pub fn pager_window(current: usize, pages: usize) -> Vec<Option<usize>> {
    if pages <= 9 {
        return (1..=pages).map(Some).collect();
    }
    let lo = current.saturating_sub(2).max(2);
    let hi = (current + 2).min(pages - 1);
    let mut out = vec![Some(1)];
    if lo > 2 {
        out.push(None);
    }
    out.extend((lo..=hi).map(Some));
    if hi < pages - 1 {
        out.push(None);
    }
    out.push(Some(pages));
    out
}

/// The pager of one list page (`macros-pager.html`, `macros-range.html`).
#[derive(Serialize)]
struct Pager {
    current: usize,
    pages: usize,
    links: Vec<PagerLink>,
    prev: Option<String>,
    next: Option<String>,
    from: usize,
    to: usize,
    total: usize,
}

/// A numbered link of the pager, or a gap (`…`).
#[derive(Serialize)]
#[serde(untagged)]
enum PagerLink {
    Page {
        n: usize,
        url: String,
        current: bool,
    },
    Gap {
        gap: bool,
    },
}

/// How current an example's data is (`freshness` on the example page).
#[derive(Serialize)]
pub(crate) struct Freshness {
    geprueft: Option<String>,
    erfasst: String,
    veraltet: bool,
    monate: Option<i32>,
    stichtag: String,
}

/// One example on `passend/`: its card and the values `passend.js` filters by.
#[derive(Serialize)]
struct FitItem<'a> {
    card: &'a crate::render::Card,
    gemeindetyp: &'a str,
    laendlichkeit: &'a str,
    bundesland: &'a str,
}

/// The examples of one Land on a size class × rurality page.
#[derive(Serialize)]
struct LandGroup<'a> {
    id: &'a str,
    label: &'a str,
    anzahl: usize,
    cards: tera::Value,
}

/// Number of pages for `items` entries (at least one, so empty lists still get a page).
pub fn page_count(items: usize) -> usize {
    items.div_ceil(PER_PAGE).max(1)
}

/// One value of a browse facet.
#[derive(Debug, Clone)]
pub struct FacetValue {
    pub id: String,
    pub label: String,
    pub beschreibung: Option<String>,
}

/// A facet that gets filter pages.
#[derive(Debug, Clone)]
pub struct Facet {
    pub id: String,
    pub values: Vec<FacetValue>,
}

/// Values of an example for a browse facet (vocabulary facets plus the start year).
pub fn example_values(e: &Example, facet: &str) -> Vec<String> {
    if facet == YEAR_FACET {
        return e
            .zeitraum
            .map(|z| z.start.to_string())
            .into_iter()
            .collect();
    }
    facet_values(e, facet)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// All facets with filter pages, in display order: the vocabulary facets of
/// registry's filter fields (values in vocabulary order) and the start years that occur.
pub fn facets(c: &Catalog) -> Vec<Facet> {
    let mut out: Vec<Facet> = c
        .registry
        .filter_facets()
        .iter()
        .filter_map(|f| {
            let vocab = c.vocab.get(f.vocabulary_name()?)?;
            Some(Facet {
                id: f.key.to_string(),
                values: vocab
                    .iter()
                    .map(|(id, v)| FacetValue {
                        id: id.clone(),
                        label: v.label.clone(),
                        beschreibung: v.beschreibung.clone(),
                    })
                    .collect(),
            })
        })
        .collect();
    let years: BTreeSet<i32> = c
        .examples
        .iter()
        .filter_map(|e| e.meta.zeitraum.map(|z| z.start))
        .collect();
    out.push(Facet {
        id: YEAR_FACET.to_string(),
        values: years
            .into_iter()
            .map(|y| FacetValue {
                id: y.to_string(),
                label: y.to_string(),
                beschreibung: None,
            })
            .collect(),
    });
    out
}

/// Number of examples having each value of `facet` (one pass over the catalog).
pub fn value_counts(c: &Catalog, facet: &str) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for e in &c.examples {
        let mut values = example_values(&e.meta, facet);
        values.sort();
        values.dedup();
        for v in values {
            *counts.entry(v).or_insert(0) += 1;
        }
    }
    counts
}

/// Key of an example on the "Passt zu meiner Kommune" pages for size class or rurality.
fn fit_key(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| NOT_GIVEN.to_string())
}

/// Site-relative path of a size class × rurality combination page.
pub fn fit_path(gemeindetyp: &str, laendlichkeit: &str) -> String {
    format!("passend/{gemeindetyp}/{laendlichkeit}/")
}

impl Renderer<'_> {
    /// Example positions in one of the [`SORTS`] orders; ties by title, then id.
    fn sorted_positions(&self, sort: &str) -> Vec<usize> {
        let c = self.catalog;
        let mut v = self.cache.title_order.clone();
        // Stable sorts of the title order: equal keys keep title-then-id order.
        match sort {
            "neueste" => v.sort_by(|&a, &b| {
                c.examples[b]
                    .meta
                    .erfasst_am
                    .cmp(&c.examples[a].meta.erfasst_am)
            }),
            "einwohner" => v.sort_by_key(|&p| {
                std::cmp::Reverse(
                    c.examples[p]
                        .meta
                        .einwohner
                        .map(|n| n as i128)
                        .unwrap_or(-1),
                )
            }),
            _ => {}
        }
        v
    }

    fn count_text(&self, n: usize) -> String {
        if n == 1 {
            format!("1 {}", self.theme.ui("beispiel_einzahl"))
        } else {
            format!("{n} {}", self.theme.ui("anzahl_beispiele"))
        }
    }

    /// Write a paginated card list: page 1 at `rel`, further pages at `rel/seite/n/`.
    /// `examples` are catalog positions in list order; each page splices in their
    /// pre-rendered cards.
    #[allow(clippy::too_many_arguments)]
    fn write_paginated(
        &self,
        rel: &str,
        title: &str,
        description: Option<&str>,
        template: &str,
        examples: &[usize],
        extra: &(dyn Fn(&mut tera::Context) + Sync),
    ) -> Result<(), RenderError> {
        use rayon::prelude::*;
        let pages = page_count(examples.len());
        (1..=pages).into_par_iter().try_for_each(|n| {
            let start = (n - 1) * PER_PAGE;
            let end = (start + PER_PAGE).min(examples.len());
            let page_rel = page_path(rel, n);
            let page_title = if n > 1 {
                format!("{title} – {} {n}", self.theme.ui("seite"))
            } else {
                title.to_string()
            };
            let mut ctx = self.context(&page_rel, &page_title, description);
            let links: Vec<PagerLink> = pager_window(n, pages)
                .into_iter()
                .map(|k| match k {
                    Some(k) => PagerLink::Page {
                        n: k,
                        url: self.url(&page_path(rel, k)),
                        current: k == n,
                    },
                    None => PagerLink::Gap { gap: true },
                })
                .collect();
            ctx.insert(
                "pager",
                &Pager {
                    current: n,
                    pages,
                    links,
                    prev: (n > 1).then(|| self.url(&page_path(rel, n - 1))),
                    next: (n < pages).then(|| self.url(&page_path(rel, n + 1))),
                    from: if examples.is_empty() { 0 } else { start + 1 },
                    to: end,
                    total: examples.len(),
                },
            );
            ctx.insert_value(
                "examples",
                self.example_cards(examples[start..end].iter().copied(), CardLevel::H2)?,
            );
            ctx.insert("total", &examples.len());
            extra(&mut ctx);
            self.write_page(&page_rel, template, &ctx)
        })
    }

    fn facet_links(&self) -> Vec<Value> {
        facets(self.catalog)
            .iter()
            .map(|f| json!({"id": f.id, "label": self.theme.label(&f.id), "url": self.url(&paths::filter_overview(&f.id))}))
            .collect()
    }

    /// The examples overview, once per sort order, paginated.
    pub(crate) fn render_example_lists(&self) -> Result<(), RenderError> {
        let c = self.catalog;
        for (_, rel, _) in SORTS.iter().skip(1) {
            let id = rel.trim_start_matches("beispiele/").trim_end_matches('/');
            if c.example(id).is_some() {
                return Err(RenderError::PathCollision {
                    path: rel.to_string(),
                    what: format!("example `{id}` and a sort order of the overview"),
                });
            }
        }
        if c.example("seite").is_some() {
            return Err(RenderError::PathCollision {
                path: "beispiele/seite/".into(),
                what: "example `seite` and the overview's pagination".into(),
            });
        }
        let facet_links = tera::Value::from_serializable(&self.facet_links());
        for (key, rel, label_key) in SORTS {
            let order = self.sorted_positions(key);
            let sorts: Vec<Value> = SORTS
                .iter()
                .map(|(k, r, l)| json!({"label": self.theme.ui(l), "url": self.url(r), "current": k == key}))
                .collect();
            let sorts = tera::Value::from_serializable(&sorts);
            let title = format!(
                "{} – {}",
                self.theme.ui("alle_beispiele"),
                self.theme.ui(label_key)
            );
            let title = if *key == "name" {
                self.theme.ui("alle_beispiele")
            } else {
                title
            };
            self.write_paginated(rel, &title, None, "beispiele.html", &order, &|ctx| {
                ctx.insert_value("sorts", sorts.clone());
                ctx.insert_value("facets", facet_links.clone());
            })?;
        }
        Ok(())
    }

    /// One paginated page per value of each facet, an overview per facet, and `filter/`.
    /// One pass over the examples builds facet -> value -> examples (in title order); the
    /// value pages are then rendered in parallel.
    pub(crate) fn render_filter_pages(&self) -> Result<(), RenderError> {
        use rayon::prelude::*;
        let c = self.catalog;
        let all = facets(c);
        let order = &self.cache.title_order;
        // facet -> value -> positions in title order; facet -> examples with any value.
        let mut index: Vec<BTreeMap<String, Vec<usize>>> = vec![BTreeMap::new(); all.len()];
        let mut with_value = vec![0usize; all.len()];
        for &p in order {
            let e = &c.examples[p];
            for (fi, facet) in all.iter().enumerate() {
                let values = example_values(&e.meta, &facet.id);
                if !values.is_empty() {
                    with_value[fi] += 1;
                }
                for v in values {
                    let list = index[fi].entry(v).or_default();
                    if list.last() != Some(&p) {
                        list.push(p);
                    }
                }
            }
        }
        let empty: Vec<usize> = Vec::new();
        let matching_pos = |fi: usize, value: &str| index[fi].get(value).unwrap_or(&empty);
        let facet_values_json: Vec<Vec<Value>> = all
            .iter()
            .enumerate()
            .map(|(fi, facet)| {
                facet
                    .values
                    .iter()
                    .map(|v| {
                        let n = matching_pos(fi, &v.id).len();
                        json!({"id": v.id, "label": v.label, "url": self.url(&paths::filter(&facet.id, &v.id)), "anzahl": n})
                    })
                    .collect()
            })
            .collect();
        let facet_values_tera: Vec<tera::Value> = facet_values_json
            .iter()
            .map(tera::Value::from_serializable)
            .collect();
        let jobs: Vec<(usize, usize)> = all
            .iter()
            .enumerate()
            .flat_map(|(fi, f)| (0..f.values.len()).map(move |vi| (fi, vi)))
            .collect();
        jobs.par_iter().try_for_each(|&(fi, vi)| {
            let facet = &all[fi];
            let v = &facet.values[vi];
            let facet_label = self.theme.label(&facet.id);
            let overview_rel = paths::filter_overview(&facet.id);
            let rel = paths::filter(&facet.id, &v.id);
            let examples = matching_pos(fi, &v.id);
            let title = format!("{facet_label}: {}", v.label);
            // Converted to Tera values once, shared by every page of this value's list.
            let facet_json = tera::Value::from_serializable(
                &json!({"id": facet.id, "label": facet_label, "url": self.url(&overview_rel)}),
            );
            let value_json = tera::Value::from_serializable(
                &json!({"id": v.id, "label": v.label, "beschreibung": v.beschreibung}),
            );
            let values = &facet_values_tera[fi];
            self.write_paginated(
                &rel,
                &title,
                v.beschreibung.as_deref(),
                "filter.html",
                examples,
                &|ctx| {
                    ctx.insert_value("facet", facet_json.clone());
                    ctx.insert_value("value", value_json.clone());
                    ctx.insert_value("values", values.clone());
                },
            )
        })?;
        let mut overview = Vec::new();
        for (fi, facet) in all.iter().enumerate() {
            let facet_label = self.theme.label(&facet.id);
            let overview_rel = paths::filter_overview(&facet.id);
            let values = &facet_values_json[fi];
            let mut ctx = self.context(&overview_rel, &facet_label, None);
            ctx.insert("facet", &json!({"id": facet.id, "label": facet_label}));
            ctx.insert("values", values);
            ctx.insert("ohne_angabe", &(c.examples.len() - with_value[fi]));
            ctx.insert("total", &c.examples.len());
            self.write_page(&overview_rel, "filter-uebersicht.html", &ctx)?;
            overview.push(json!({"id": facet.id, "label": facet_label, "url": self.url(&overview_rel), "values": values}));
        }
        let mut ctx = self.context("filter/", &self.theme.ui("filter"), None);
        ctx.insert("facets", &overview);
        ctx.insert("total", &c.examples.len());
        self.write_page("filter/", "filter-index.html", &ctx)?;
        Ok(())
    }

    /// "Passt zu meiner Kommune": a size class × rurality matrix of static links, one page per
    /// combination that has examples (grouped by Land), and a pre-rendered list with `data-`
    /// attributes that `static/js/passend.js` narrows in the browser.
    pub(crate) fn render_fit(&self) -> Result<(), RenderError> {
        let c = self.catalog;
        let vocab_values = |name: &str| -> Vec<(String, String)> {
            let mut v: Vec<(String, String)> = c
                .vocab
                .get(name)
                .map(|m| {
                    m.iter()
                        .map(|(id, e)| (id.clone(), e.label.clone()))
                        .collect()
                })
                .unwrap_or_default();
            v.push((NOT_GIVEN.to_string(), self.theme.ui("nicht_angegeben")));
            v
        };
        let sizes = vocab_values("gemeindetyp");
        let rural = vocab_values("laendlichkeit");
        let lands: Vec<(String, String)> = c
            .vocab
            .get("bundesland")
            .map(|m| {
                m.iter()
                    .map(|(id, e)| (id.clone(), e.label.clone()))
                    .collect()
            })
            .unwrap_or_default();
        // (size class, rurality) -> example positions in title order.
        let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        for &p in &self.cache.title_order {
            let e = &c.examples[p];
            groups
                .entry((fit_key(&e.meta.gemeindetyp), fit_key(&e.meta.laendlichkeit)))
                .or_default()
                .push(p);
        }
        let facet_url = |facet: &str, id: &str| -> Option<String> {
            (id != NOT_GIVEN).then(|| self.url(&paths::filter(facet, id)))
        };
        let mut rows = Vec::new();
        for (g, g_label) in &sizes {
            let mut cells = Vec::new();
            let mut row_total = 0;
            for (l, l_label) in &rural {
                let n = groups.get(&(g.clone(), l.clone())).map_or(0, Vec::len);
                row_total += n;
                cells.push(json!({
                    "anzahl": n,
                    "url": (n > 0).then(|| self.url(&fit_path(g, l))),
                    "label": format!("{g_label}, {l_label}"),
                }));
            }
            rows.push(json!({"id": g, "label": g_label, "url": facet_url("gemeindetyp", g), "cells": cells, "anzahl": row_total}));
        }
        let columns: Vec<Value> = rural
            .iter()
            .map(|(l, label)| {
                let n = c
                    .examples
                    .iter()
                    .filter(|e| &fit_key(&e.meta.laendlichkeit) == l)
                    .count();
                json!({"id": l, "label": label, "url": facet_url("laendlichkeit", l), "anzahl": n})
            })
            .collect();
        let land_links: Vec<Value> = lands
            .iter()
            .map(|(id, label)| {
                let n = c.examples.iter().filter(|e| &e.meta.bundesland == id).count();
                json!({"id": id, "label": label, "url": self.url(&paths::filter("bundesland", id)), "anzahl": n})
            })
            .collect();
        let items: Vec<FitItem> = self
            .cache
            .title_order
            .iter()
            .map(|&p| {
                let m = &c.examples[p].meta;
                FitItem {
                    card: &self.cache.cards[p],
                    gemeindetyp: m.gemeindetyp.as_deref().unwrap_or_default(),
                    laendlichkeit: m.laendlichkeit.as_deref().unwrap_or_default(),
                    bundesland: &m.bundesland,
                }
            })
            .collect();
        let options = |v: &[(String, String)]| -> Vec<Value> {
            v.iter()
                .filter(|(id, _)| id != NOT_GIVEN)
                .map(|(id, label)| json!({"id": id, "label": label}))
                .collect()
        };
        let mut ctx = self.context("passend/", &self.theme.ui("passend"), None);
        ctx.insert("felder", &self.theme.field_labels);
        ctx.insert("rows", &rows);
        ctx.insert("columns", &columns);
        ctx.insert("lands", &land_links);
        ctx.insert("items", &items);
        ctx.insert("total", &c.examples.len());
        ctx.insert(
            "options",
            &json!({"gemeindetyp": options(&sizes), "laendlichkeit": options(&rural), "bundesland": options(&lands)}),
        );
        ctx.insert("kreis_gruppen", &self.kreis_choice());
        let class_counts = value_counts(c, crate::places::VOCABULARY);
        let raumtypen: Vec<Value> = crate::places::SettlementClass::ALL
            .iter()
            .map(|k| json!({"label": k.label(), "url": self.url(&paths::filter(crate::places::VOCABULARY, k.id())), "anzahl": class_counts.get(k.id()).copied().unwrap_or(0)}))
            .collect();
        ctx.insert("raumtypen", &raumtypen);
        self.write_page("passend/", "passend.html", &ctx)?;
        self.render_kreis_pages()?;

        for ((g, l), examples) in &groups {
            let label_of = |v: &[(String, String)], id: &str| {
                v.iter()
                    .find(|(i, _)| i == id)
                    .map(|(_, l)| l.clone())
                    .unwrap_or_else(|| id.to_string())
            };
            let g_label = label_of(&sizes, g);
            let l_label = label_of(&rural, l);
            let title = format!(
                "{}: {} · {}",
                self.theme.ui("passend_kurz"),
                g_label,
                l_label
            );
            let mut by_land: Vec<LandGroup> = Vec::new();
            for (id, label) in &lands {
                let in_land: Vec<usize> = examples
                    .iter()
                    .copied()
                    .filter(|&p| &c.examples[p].meta.bundesland == id)
                    .collect();
                if in_land.is_empty() {
                    continue;
                }
                by_land.push(LandGroup {
                    id,
                    label,
                    anzahl: in_land.len(),
                    cards: self.example_cards(in_land, CardLevel::H3)?,
                });
            }
            let rel = fit_path(g, l);
            let mut ctx = self.context(&rel, &title, None);
            ctx.insert("felder", &self.theme.field_labels);
            ctx.insert(
                "gemeindetyp",
                &json!({"label": g_label, "url": facet_url("gemeindetyp", g)}),
            );
            ctx.insert(
                "laendlichkeit",
                &json!({"label": l_label, "url": facet_url("laendlichkeit", l)}),
            );
            ctx.insert("groups", &by_land);
            ctx.insert("total", &examples.len());
            self.write_page(&rel, "passend-kombination.html", &ctx)?;
        }
        Ok(())
    }

    /// The map page (`karte/`).
    pub(crate) fn render_map(&self) -> Result<(), RenderError> {
        let c = self.catalog;
        let outline_path = self.theme.dir.join("assets/germany.svg");
        let outline =
            std::fs::read_to_string(&outline_path).map_err(|source| map::MapError::Io {
                path: outline_path.clone(),
                source,
            })?;
        let shapes = map::parse_outline(&outline)?;
        let lands: Vec<map::LandView> = c
            .vocab
            .get("bundesland")
            .into_iter()
            .flatten()
            .map(|(id, v)| {
                let count = c
                    .examples
                    .iter()
                    .filter(|e| &e.meta.bundesland == id)
                    .count();
                map::LandView {
                    id: id.clone(),
                    title: format!("{}: {}", v.label, self.count_text(count)),
                    url: self.url(&paths::filter("bundesland", id)),
                    count,
                }
            })
            .collect();
        // Municipalities with coordinates: name + point -> examples.
        /// A municipality on the map: (lat, lon, name, example ids).
        type Place = (f64, f64, String, BTreeSet<String>);
        let mut places: BTreeMap<(String, String), Place> = BTreeMap::new();
        for e in &c.examples {
            for k in &e.meta.kommunen {
                if let Some(p) = k.koordinaten {
                    let key = (sort_key(&k.name), format!("{:.3},{:.3}", p.lat, p.lon));
                    places
                        .entry(key)
                        .or_insert_with(|| (p.lat, p.lon, k.name.clone(), BTreeSet::new()))
                        .3
                        .insert(e.id.clone());
                }
            }
        }
        let mut points = Vec::new();
        let mut place_rows = Vec::new();
        let mut used_anchors: BTreeSet<String> = BTreeSet::new();
        for (lat, lon, name, ids) in places.values() {
            let mut anchor = format!("ort-{}", crate::markdown::anchor(name));
            let mut k = 2;
            while !used_anchors.insert(anchor.clone()) {
                anchor = format!("ort-{}-{k}", crate::markdown::anchor(name));
                k += 1;
            }
            let examples: Vec<&Entry<Example>> =
                ids.iter().filter_map(|id| c.example(id)).collect();
            let url = match examples.as_slice() {
                [one] => self.url(&paths::example(&one.id)),
                _ => format!("{}#{anchor}", self.url("karte/")),
            };
            points.push(map::PointView {
                lat: *lat,
                lon: *lon,
                title: format!("{name}: {}", self.count_text(examples.len())),
                url,
                count: examples.len(),
            });
            let lands_of: BTreeSet<&str> = examples
                .iter()
                .map(|e| c.label("bundesland", &e.meta.bundesland))
                .collect();
            place_rows.push(json!({
                "anchor": anchor,
                "name": name,
                "land": lands_of.into_iter().collect::<Vec<_>>().join(", "),
                "anzahl": examples.len(),
                "examples": examples.iter().map(|e| json!({"titel": e.meta.titel, "url": self.url(&paths::example(&e.id))})).collect::<Vec<_>>(),
            }));
        }
        let svg = map::render_svg(
            &shapes,
            &lands,
            &points,
            &self.theme.ui("karte_svg_titel"),
            &self.theme.ui("karte_svg_beschreibung"),
        )?;
        let legend: Vec<Value> = map::legend(&self.theme.ui("karte_legende_ab"))
            .into_iter()
            .map(|(label, colour)| {
                let unit = if label == "1" {
                    self.theme.ui("beispiel_einzahl")
                } else {
                    self.theme.ui("anzahl_beispiele")
                };
                json!({"label": label, "farbe": colour, "einheit": unit})
            })
            .collect();
        let land_rows: Vec<Value> = lands
            .iter()
            .map(|l| json!({"id": l.id, "label": c.label("bundesland", &l.id), "url": l.url, "anzahl": l.count}))
            .collect();
        let mut ctx = self.context("karte/", &self.theme.ui("karte"), None);
        ctx.insert("svg", &svg);
        ctx.insert("legend", &legend);
        ctx.insert("lands", &land_rows);
        ctx.insert("places", &place_rows);
        ctx.insert("total", &c.examples.len());
        ctx.insert(
            "ohne_koordinaten",
            &c.examples
                .iter()
                .filter(|e| e.meta.kommunen.iter().all(|k| k.koordinaten.is_none()))
                .count(),
        );
        self.write_page("karte/", "karte.html", &ctx)
    }

    /// The bars of each statistics chart: (id, title key, bars).
    pub fn stat_series(&self) -> Vec<(&'static str, String, Vec<Bar>)> {
        let c = self.catalog;
        let vocab_bars = |facet: &str, by_count: bool| -> Vec<Bar> {
            let counts = value_counts(c, facet);
            let mut bars: Vec<Bar> = c
                .vocab
                .get(facet)
                .into_iter()
                .flatten()
                .map(|(id, v)| Bar {
                    label: v.label.clone(),
                    count: counts.get(id).copied().unwrap_or(0),
                    url: self.url(&paths::filter(facet, id)),
                })
                .collect();
            if by_count {
                bars.retain(|b| b.count > 0);
                bars.sort_by(|a, b| {
                    b.count
                        .cmp(&a.count)
                        .then(sort_key(&a.label).cmp(&sort_key(&b.label)))
                });
            }
            bars
        };
        let fields: Vec<Bar> = c
            .fields
            .iter()
            .map(|f| Bar {
                label: f.meta.titel.clone(),
                count: self.cache.by_field.get(&f.id).map_or(0, Vec::len),
                url: self.url(&paths::field(&f.id)),
            })
            .collect();
        let year_counts = value_counts(c, YEAR_FACET);
        let years: Vec<Bar> = facets(c)
            .into_iter()
            .find(|f| f.id == YEAR_FACET)
            .map(|f| {
                f.values
                    .iter()
                    .map(|v| Bar {
                        label: v.label.clone(),
                        count: year_counts.get(&v.id).copied().unwrap_or(0),
                        url: self.url(&paths::filter(YEAR_FACET, &v.id)),
                    })
                    .collect()
            })
            .unwrap_or_default();
        vec![
            (
                "handlungsfeld",
                self.theme.ui("statistik_handlungsfeld"),
                fields,
            ),
            (
                "status",
                self.theme.ui("statistik_status"),
                vocab_bars("status", false),
            ),
            ("startjahr", self.theme.ui("statistik_startjahr"), years),
            (
                "bundesland",
                self.theme.ui("statistik_bundesland"),
                vocab_bars("bundesland", false),
            ),
            (
                "ki_technik",
                self.theme.ui("statistik_ki_technik"),
                vocab_bars("ki_technik", true),
            ),
            (
                "gemeindetyp",
                self.theme.ui("statistik_gemeindetyp"),
                vocab_bars("gemeindetyp", false),
            ),
        ]
    }

    /// The statistics page (`statistik/`).
    pub(crate) fn render_stats(&self) -> Result<(), RenderError> {
        let c = self.catalog;
        let charts: Vec<Value> = self
            .stat_series()
            .into_iter()
            .map(|(id, title, bars)| {
                let sum: usize = bars.iter().map(|b| b.count).sum();
                let desc = bars
                    .iter()
                    .map(|b| format!("{}: {}", b.label, b.count))
                    .collect::<Vec<_>>()
                    .join("; ");
                let svg = stats::bar_chart(&format!("diagramm-{id}"), &title, &desc, &bars);
                json!({"id": id, "titel": title, "svg": svg, "bars": bars, "summe": sum, "hinweis": self.theme.ui(&format!("statistik_{id}_hinweis"))})
            })
            .collect();
        let kommunen: BTreeSet<String> = c
            .examples
            .iter()
            .flat_map(|e| e.meta.kommunen.iter().map(|k| k.name.clone()))
            .collect();
        let laender: BTreeSet<&str> = c
            .examples
            .iter()
            .map(|e| e.meta.bundesland.as_str())
            .collect();
        let mut ctx = self.context("statistik/", &self.theme.ui("statistik"), None);
        ctx.insert("charts", &charts);
        ctx.insert(
            "summary",
            &json!({"beispiele": c.examples.len(), "kommunen": kommunen.len(), "laender": laender.len(), "szenarien": c.scenarios.len(), "handlungsfelder": c.fields.len()}),
        );
        self.write_page("statistik/", "statistik.html", &ctx)
    }

    /// The open-data page (`daten/`).
    pub(crate) fn render_data_page(&self) -> Result<(), RenderError> {
        use crate::export::files;
        let c = self.catalog;
        let mut ctx = self.context("daten/", &self.theme.ui("daten"), None);
        let example = c
            .examples
            .first()
            .map(|e| json!({"id": e.id, "url": self.url(&files::example_json(&e.id))}));
        ctx.insert(
            "files",
            &json!({
                "catalog_json": self.url(files::CATALOG_JSON),
                "catalog_csv": self.url(files::CATALOG_CSV),
                "example_schema": self.url(files::EXAMPLE_SCHEMA),
                "scenario_schema": self.url(files::SCENARIO_SCHEMA),
                "feed": self.url(files::FEED),
                "sitemap": self.url("sitemap.xml"),
                "example": example,
            }),
        );
        ctx.insert("csv_columns", &crate::export::csv_columns(&c.registry));
        ctx.insert("csv_separator", crate::export::CSV_LIST_SEPARATOR);
        ctx.insert(
            "counts",
            &json!({"beispiele": c.examples.len(), "szenarien": c.scenarios.len(), "handlungsfelder": c.fields.len()}),
        );
        ctx.insert("version", &crate::export::DATA_VERSION);
        self.write_page("daten/", "daten.html", &ctx)
    }

    /// Freshness of an example: the last check (or, failing that, the date it was added)
    /// against the build's reference date; stale after [`crate::dates::STALE_AFTER_MONTHS`].
    pub(crate) fn freshness(&self, e: &Entry<Example>, reference: chrono::NaiveDate) -> Freshness {
        use crate::dates;
        let checked = e.meta.zuletzt_geprueft.as_deref();
        let basis = checked.unwrap_or(&e.meta.erfasst_am);
        let date = dates::parse(basis);
        Freshness {
            geprueft: checked.map(crate::render::format_date),
            erfasst: crate::render::format_date(&e.meta.erfasst_am),
            veraltet: date.is_some_and(|d| dates::is_stale(d, reference)),
            monate: date.map(|d| dates::months_between(d, reference)),
            stichtag: crate::render::format_date(&reference.to_string()),
        }
    }

    /// Render every browse page (called from `render_all`).
    pub fn render_browse(&self) -> Result<(), RenderError> {
        self.render_example_lists()?;
        self.render_filter_pages()?;
        self.render_fit()?;
        self.render_map()?;
        self.render_stats()?;
        self.render_data_page()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_paths() {
        assert_eq!(page_path("filter/status/pilot/", 1), "filter/status/pilot/");
        assert_eq!(
            page_path("filter/status/pilot/", 3),
            "filter/status/pilot/seite/3/"
        );
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(20), 1);
        assert_eq!(page_count(21), 2);
    }
}
