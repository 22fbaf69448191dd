//! Browsing without JavaScript: filter pages with counts and pagination, the examples overview
//! in several sort orders, "Passt zu meiner Kommune", the map, statistics and the open-data
//! page. All pages are static; the only script (`static/js/passend.js`) merely narrows a list
//! that is already on the page.

use crate::catalog::Catalog;
use crate::load::Entry;
use crate::map;
use crate::model::Example;
use crate::paths;
use crate::render::{facet_values, insert_all, sort_key, CardLevel, Renderer};
use crate::stats::{self, Bar};
use crate::Error;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

mod overview;
mod passend;

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
    ) -> Result<(), Error> {
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
    pub(crate) fn render_example_lists(&self) -> Result<(), Error> {
        let c = self.catalog;
        for (_, rel, _) in SORTS.iter().skip(1) {
            let id = rel.trim_start_matches("beispiele/").trim_end_matches('/');
            if c.example(id).is_some() {
                return Err(Error::PathCollision {
                    path: rel.to_string(),
                    what: format!("example `{id}` and a sort order of the overview"),
                });
            }
        }
        if c.example("seite").is_some() {
            return Err(Error::PathCollision {
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
    pub(crate) fn render_filter_pages(&self) -> Result<(), Error> {
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
    pub fn render_browse(&self) -> Result<(), Error> {
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
