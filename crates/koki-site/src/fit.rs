//! "Passt zu meiner Kommune" by place: one static page per Kreis and kreisfreie Stadt of the
//! Destatis table (`passend/kreis/<ags>/`) that lists the examples from the most comparable
//! places first, each with the reason shown ("ähnlich: dünn besiedelter ländlicher Kreis,
//! 63 Einw./km²"). Comparable means: same settlement class, then close in density and
//! population ([`places::distance`]). Land-level examples follow, marked "Landesebene".
//!
//! The pages are plain links (chosen from a list on `passend/` without JavaScript);
//! `static/js/passend.js` adds a typed search with suggestions over the same list.

use crate::paths;
use crate::places::{self, Kreis};
use crate::render::{format_number, Card, Renderer};
use crate::Error;
use serde::Serialize;

/// Municipal examples listed per Kreis page (the most comparable ones).
pub const MUNICIPAL_PER_PAGE: usize = 24;
/// Land-level examples listed per Kreis page (those of the Kreis's Land first).
pub const LAND_LEVEL_PER_PAGE: usize = 8;

/// Site-relative path of a Kreis page.
pub fn kreis_path(ags: &str) -> String {
    format!("passend/kreis/{ags}/")
}

/// Land id (`bundesland` vocabulary) of a Kreis: the first two AGS digits are the Land.
pub fn land_of(k: &Kreis) -> &'static str {
    match &k.ags[..2] {
        "01" => "sh",
        "02" => "hh",
        "03" => "ni",
        "04" => "hb",
        "05" => "nw",
        "06" => "he",
        "07" => "rp",
        "08" => "bw",
        "09" => "by",
        "10" => "sl",
        "11" => "be",
        "12" => "bb",
        "13" => "mv",
        "14" => "sn",
        "15" => "st",
        _ => "th",
    }
}

/// The facts of a Kreis as a page shows them.
#[derive(Serialize)]
pub(crate) struct KreisView {
    ags: String,
    name: String,
    url: String,
    einwohner: String,
    flaeche: String,
    dichte: String,
    raumtyp: &'static str,
    raumtyp_id: &'static str,
    land: &'static str,
}

impl KreisView {
    pub(crate) fn new(r: &Renderer<'_>, k: &Kreis) -> KreisView {
        let class = k.settlement_class();
        KreisView {
            ags: k.ags.clone(),
            name: k.display_name(),
            url: r.url(&kreis_path(&k.ags)),
            einwohner: format_number(k.population),
            flaeche: crate::render::format_decimal(k.area_km2),
            dichte: format_number(k.density as u64),
            raumtyp: class.label(),
            raumtyp_id: class.id(),
            land: land_of(k),
        }
    }
}

/// One listed example with the reason it is listed.
#[derive(Serialize)]
struct FitCard<'a> {
    card: &'a Card,
    grund: String,
}

/// Why `example_kreis` is comparable to `visitor`, in German.
pub fn reason(visitor: &Kreis, example_kreis: &Kreis) -> String {
    if visitor.ags == example_kreis.ags {
        return format!("aus Ihrem Kreis ({})", example_kreis.display_name());
    }
    let class = example_kreis.settlement_class();
    let same = class == visitor.settlement_class();
    format!(
        "{}: {}, {} Einw./km², {} Einwohner ({})",
        if same { "ähnlich" } else { "anderer Raumtyp" },
        class.label(),
        format_number(example_kreis.density as u64),
        format_number(example_kreis.population),
        example_kreis.display_name()
    )
}

impl Renderer<'_> {
    /// Every Kreis page, plus the data the overview needs (all Kreise grouped by Land).
    pub(crate) fn render_kreis_pages(&self) -> Result<(), Error> {
        use rayon::prelude::*;
        let c = self.catalog;
        let kreise_of: Vec<Vec<&'static Kreis>> = c
            .examples
            .iter()
            .map(|e| places::kreise_of_example(&e.meta))
            .collect();
        let land_level: Vec<usize> = self
            .cache
            .title_order
            .iter()
            .copied()
            .filter(|&p| c.examples[p].meta.verwaltungsebene == "land")
            .collect();
        places::all().par_iter().try_for_each(|visitor| {
            // (distance, title rank, position, closest Kreis of the example)
            let mut ranked: Vec<(f64, usize, &'static Kreis)> = kreise_of
                .iter()
                .enumerate()
                .filter_map(|(p, ks)| {
                    ks.iter()
                        .map(|k| (places::distance(visitor, k), *k))
                        .min_by(|a, b| a.0.total_cmp(&b.0))
                        .map(|(d, k)| (d, p, k))
                })
                .collect();
            ranked.sort_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(self.cache.title_rank[a.1].cmp(&self.cache.title_rank[b.1]))
            });
            let comparable = ranked.len();
            let municipal: Vec<FitCard> = ranked
                .iter()
                .take(MUNICIPAL_PER_PAGE)
                .map(|&(_, p, k)| FitCard {
                    card: &self.cache.cards[p],
                    grund: reason(visitor, k),
                })
                .collect();
            let land = land_of(visitor);
            let mut land_cards: Vec<usize> = land_level
                .iter()
                .copied()
                .filter(|&p| c.examples[p].meta.bundesland == land)
                .collect();
            land_cards.extend(
                land_level
                    .iter()
                    .copied()
                    .filter(|&p| c.examples[p].meta.bundesland != land),
            );
            let land_cards: Vec<FitCard> = land_cards
                .into_iter()
                .take(LAND_LEVEL_PER_PAGE)
                .map(|p| FitCard {
                    card: &self.cache.cards[p],
                    grund: format!(
                        "Landesebene ({})",
                        c.label("bundesland", &c.examples[p].meta.bundesland)
                    ),
                })
                .collect();
            let view = KreisView::new(self, visitor);
            let rel = kreis_path(&visitor.ags);
            let title = format!("{}: {}", self.theme.ui("passend"), view.name);
            let mut ctx = self.context(&rel, &title, None);
            ctx.insert("kreis", &view);
            ctx.insert("land_label", c.label("bundesland", land));
            ctx.insert(
                "raumtyp_url",
                &self.url(&paths::filter("raumtyp", view.raumtyp_id)),
            );
            ctx.insert("municipal", &municipal);
            ctx.insert("comparable", &comparable);
            ctx.insert("land_level", &land_cards);
            ctx.insert("land_level_total", &land_level.len());
            ctx.insert("quelle", places::SOURCE);
            ctx.insert("quelle_url", places::SOURCE_URL);
            self.write_page(&rel, "passend-kreis.html", &ctx)
        })
    }

    /// All Kreise grouped by Land, in Land vocabulary order, for the overview's list.
    pub(crate) fn kreis_choice(&self) -> Vec<serde_json::Value> {
        let c = self.catalog;
        let Some(lands) = c.vocab.get("bundesland") else {
            return Vec::new();
        };
        lands
            .iter()
            .map(|(id, v)| {
                let kreise: Vec<KreisView> = places::all()
                    .iter()
                    .filter(|k| land_of(k) == id)
                    .map(|k| KreisView::new(self, k))
                    .collect();
                serde_json::json!({"id": id, "label": v.label, "kreise": kreise})
            })
            .filter(|g| g["kreise"].as_array().is_some_and(|a| !a.is_empty()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kreis_has_a_land() {
        for k in places::all() {
            let land = land_of(k);
            assert!(!land.is_empty());
        }
        assert_eq!(land_of(places::kreis_of("16051").unwrap()), "th");
        assert_eq!(land_of(places::kreis_of("01001").unwrap()), "sh");
    }

    #[test]
    fn reasons_name_class_density_and_population() {
        let visitor = places::kreis_of("03354").unwrap();
        let uelzen = places::kreis_of("03360").unwrap();
        let r = reason(visitor, uelzen);
        assert!(
            r.starts_with("ähnlich: dünn besiedelter ländlicher Kreis"),
            "{r}"
        );
        assert!(r.contains("Landkreis Uelzen"), "{r}");
        let berlin = places::kreis_of("11000").unwrap();
        assert!(reason(visitor, berlin).starts_with("anderer Raumtyp"));
        assert!(reason(visitor, visitor).starts_with("aus Ihrem Kreis"));
    }
}
