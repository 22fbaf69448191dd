//! The map, statistics and open-data pages.

use super::*;
use crate::Error;

impl Renderer<'_> {
    /// The map page (`karte/`).
    pub(crate) fn render_map(&self) -> Result<(), Error> {
        let c = self.catalog;
        let outline_path = self.theme.dir.join("assets/germany.svg");
        let outline =
            std::fs::read_to_string(&outline_path).map_err(|source| Error::MapSource {
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
        let without_coordinates = c
            .examples
            .iter()
            .filter(|e| e.meta.kommunen.iter().all(|k| k.koordinaten.is_none()))
            .count();
        let mut ctx = self.context("karte/", &self.theme.ui("karte"), None);
        insert_all(
            &mut ctx,
            json!({"svg": svg, "legend": legend, "lands": land_rows, "places": place_rows,
                "total": c.examples.len(), "ohne_koordinaten": without_coordinates}),
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
    pub(crate) fn render_stats(&self) -> Result<(), Error> {
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
    pub(crate) fn render_data_page(&self) -> Result<(), Error> {
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
}
