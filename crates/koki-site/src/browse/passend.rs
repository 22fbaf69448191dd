//! The "Passt zu meiner Kommune" pages by size class and Raumtyp (`passend/`).

use super::*;
use crate::Error;

impl Renderer<'_> {
    /// "Passt zu meiner Kommune": a size class × rurality matrix of static links, one page per
    /// combination that has examples (grouped by Land), and a pre-rendered list with `data-`
    /// attributes that `static/js/passend.js` narrows in the browser.
    pub(crate) fn render_fit(&self) -> Result<(), Error> {
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
        insert_all(
            &mut ctx,
            json!({"felder": self.theme.field_labels, "rows": rows, "columns": columns,
                "lands": land_links, "items": items, "total": c.examples.len(),
                "options": {"gemeindetyp": options(&sizes), "laendlichkeit": options(&rural),
                    "bundesland": options(&lands)}}),
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
}
