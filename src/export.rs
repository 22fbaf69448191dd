//! Machine-readable outputs: open data (`daten/catalog.json`, `daten/catalog.csv`, one JSON file
//! per example, JSON Schemas), the Atom feed, JSON-LD for example pages, `sitemap.xml` and
//! `robots.txt`. Everything is derived from the catalog only (no clock), sorted, reproducible.

use crate::catalog::Catalog;
use crate::load::Entry;
use crate::model::Example;
use crate::output::{OutputError, Staging};
use crate::paths;
use koki_model::fields::{vocab_values, FieldSpec, Registry};
use serde::Serialize;
use serde_json::{json, Map, Value};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("CSV export failed: {0}")]
    Csv(#[from] csv::Error),
    #[error("JSON export failed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("writing open data failed: {0}")]
    Write(#[from] std::io::Error),
}

/// Site-relative paths of the open-data files.
pub mod files {
    pub const CATALOG_JSON: &str = "daten/catalog.json";
    pub const CATALOG_CSV: &str = "daten/catalog.csv";
    pub const EXAMPLE_SCHEMA: &str = "daten/schema/beispiel.schema.json";
    pub const SCENARIO_SCHEMA: &str = "daten/schema/szenario.schema.json";
    pub const FEED: &str = "feed.xml";
    pub fn example_json(id: &str) -> String {
        format!("daten/beispiele/{id}.json")
    }
}

/// Format version of `catalog.json` and the per-example files.
pub const DATA_VERSION: u32 = 1;

fn xml_escape(s: &str) -> String {
    crate::markdown::escape_inline(s)
}

/// One example as open data: stable id, absolute URL, the model's serialisation, the body.
pub fn example_record(catalog: &Catalog, e: &Entry<Example>) -> Value {
    let mut obj = Map::new();
    obj.insert("id".into(), Value::String(e.id.clone()));
    obj.insert(
        "url".into(),
        Value::String(format!("{}{}", catalog.base_url, paths::example(&e.id))),
    );
    if let Ok(Value::Object(fields)) = serde_json::to_value(&e.meta) {
        obj.extend(fields);
    }
    obj.insert("text_markdown".into(), Value::String(e.body.clone()));
    Value::Object(obj)
}

/// Examples serialised per batch while `catalog.json` streams: bounds the memory of the export
/// (the whole catalog as one JSON tree took about four times the file's 50 MB at 10,000
/// examples) while each batch is still serialised in parallel.
const EXPORT_BATCH: usize = 256;

/// Stand-in for the example array in the otherwise complete document (a string serde_json
/// prints as `"\u0000beispiele\u0000"`, which no real value can produce at that key).
const EXAMPLES_PLACEHOLDER: &str = "\u{0}beispiele\u{0}";

/// Called with each example and its pretty JSON while `catalog.json` streams.
pub type EachExample<'a> = dyn Fn(&Entry<Example>, &str) -> Result<(), ExportError> + Sync + 'a;

/// `daten/catalog.json`: every example, scenario and action field plus the vocabularies.
pub fn catalog_json(catalog: &Catalog) -> Result<String, ExportError> {
    let mut out = Vec::new();
    write_catalog_json(catalog, &mut out, &|_, _| Ok(()))?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// Stream `catalog.json` into `w`, calling `each_example` with every example's own pretty JSON
/// (the text of `daten/beispiele/<id>.json` without its final newline), so that the record of
/// each example is built and printed once for both files.
///
/// The output is exactly `serde_json::to_string_pretty` of the whole document plus a newline:
/// the document is printed with a placeholder for the example array, and each example's text
/// is indented by two levels where the array goes (JSON strings hold no raw newlines, so
/// indenting every line is exact).
pub fn write_catalog_json<W: std::io::Write>(
    catalog: &Catalog,
    w: &mut W,
    each_example: &EachExample<'_>,
) -> Result<(), ExportError> {
    use rayon::prelude::*;
    let text = catalog_json_frame(catalog)?;
    let marker = serde_json::to_string(EXAMPLES_PLACEHOLDER)?;
    let (head, tail) = text
        .split_once(&marker)
        .expect("the placeholder is printed exactly once");
    let io = ExportError::Write;
    w.write_all(head.as_bytes()).map_err(io)?;
    if catalog.examples.is_empty() {
        w.write_all(b"[]").map_err(io)?;
    } else {
        w.write_all(b"[").map_err(io)?;
        let mut first = true;
        for batch in catalog.examples.chunks(EXPORT_BATCH) {
            let texts = batch
                .par_iter()
                .map(|e| {
                    let text = serde_json::to_string_pretty(&example_record(catalog, e))?;
                    each_example(e, &text)?;
                    Ok(text)
                })
                .collect::<Result<Vec<String>, ExportError>>()?;
            for text in texts {
                w.write_all(if first { b"\n    " } else { b",\n    " })
                    .map_err(io)?;
                first = false;
                w.write_all(text.replace('\n', "\n    ").as_bytes())
                    .map_err(io)?;
            }
        }
        w.write_all(b"\n  ]").map_err(io)?;
    }
    w.write_all(tail.as_bytes()).map_err(io)?;
    w.write_all(b"\n").map_err(io)?;
    Ok(())
}

/// The pretty-printed `catalog.json` with [`EXAMPLES_PLACEHOLDER`] instead of the examples.
fn catalog_json_frame(catalog: &Catalog) -> Result<String, ExportError> {
    let scenarios: Vec<Value> = catalog
        .scenarios
        .iter()
        .map(|s| {
            let mut obj = Map::new();
            obj.insert("id".into(), Value::String(s.id.clone()));
            obj.insert(
                "url".into(),
                Value::String(format!("{}{}", catalog.base_url, paths::scenario(&s.id))),
            );
            if let Ok(Value::Object(fields)) = serde_json::to_value(&s.meta) {
                obj.extend(fields);
            }
            obj.insert("text_markdown".into(), Value::String(s.body.clone()));
            Value::Object(obj)
        })
        .collect();
    let fields: Vec<Value> = catalog
        .fields
        .iter()
        .map(|f| {
            let mut obj = Map::new();
            obj.insert("id".into(), Value::String(f.id.clone()));
            obj.insert(
                "url".into(),
                Value::String(format!("{}{}", catalog.base_url, paths::field(&f.id))),
            );
            if let Ok(Value::Object(fields)) = serde_json::to_value(&f.meta) {
                obj.extend(fields);
            }
            Value::Object(obj)
        })
        .collect();
    let doc = json!({
        "version": DATA_VERSION,
        "titel": catalog.site.titel,
        "url": catalog.base_url,
        "lizenz": "CC-BY-4.0",
        "stand": crate::dates::newest_content_date(catalog).map(|d| d.to_string()),
        "anzahl": {"beispiele": catalog.examples.len(), "szenarien": scenarios.len(), "handlungsfelder": fields.len()},
        "handlungsfelder": fields,
        "beispiele": EXAMPLES_PLACEHOLDER,
        "szenarien": scenarios,
        "vokabular": catalog.vocab,
    });
    Ok(serde_json::to_string_pretty(&doc)?)
}

/// Columns of `daten/catalog.csv`, in order: `id`, `url`, then the columns of each registry
/// field that has them, in registry order.
pub fn csv_columns(registry: &Registry) -> Vec<&'static str> {
    let mut out = vec!["id", "url"];
    for f in registry.fields().iter().filter(|f| f.csv) {
        out.extend(field_columns(f));
    }
    out
}

/// Columns of one field: structured fields are spread over several; any other field has one
/// column named by its key.
fn field_columns(f: &FieldSpec) -> Vec<&'static str> {
    match f.key {
        "kommunen" => vec!["kommunen", "ags", "lat", "lon"],
        "bundesland" => vec!["bundesland", "bundesland_name"],
        "handlungsfeld" => vec!["handlungsfeld", "handlungsfeld_titel", "cofog"],
        "zeitraum" => vec!["zeitraum_start", "zeitraum_ende"],
        "open_source" => vec!["open_source_lizenz", "open_source_code_url"],
        "kontakt" => vec!["kontakt_funktionspostfach", "kontakt_url"],
        "quellen" => vec!["quellen_urls"],
        _ => vec![f.key],
    }
}

/// Separator inside a CSV cell holding several values.
pub const CSV_LIST_SEPARATOR: &str = "; ";

fn join<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(CSV_LIST_SEPARATOR)
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// One CSV row (same order as [`csv_columns`]).
pub fn csv_row(catalog: &Catalog, e: &Entry<Example>) -> Vec<String> {
    let mut row = vec![
        e.id.clone(),
        format!("{}{}", catalog.base_url, paths::example(&e.id)),
    ];
    for f in catalog.registry.fields().iter().filter(|f| f.csv) {
        row.extend(field_cells(catalog, f.key, &e.meta));
    }
    row
}

/// The cells of one field's columns ([`field_columns`]).
fn field_cells(catalog: &Catalog, key: &str, m: &Example) -> Vec<String> {
    let field = || catalog.field(&m.handlungsfeld);
    let point = || m.kommunen.iter().find_map(|k| k.koordinaten);
    match key {
        "titel" => vec![m.titel.clone()],
        "kurzbeschreibung" => vec![m.kurzbeschreibung.clone()],
        "kommunen" => vec![
            join(m.kommunen.iter().map(|k| k.name.as_str())),
            join(m.kommunen.iter().filter_map(|k| k.ags.as_deref())),
            point().map(|p| p.lat.to_string()).unwrap_or_default(),
            point().map(|p| p.lon.to_string()).unwrap_or_default(),
        ],
        "bundesland" => vec![
            m.bundesland.clone(),
            catalog.label("bundesland", &m.bundesland).to_string(),
        ],
        "handlungsfeld" => vec![
            m.handlungsfeld.clone(),
            field().map(|f| f.meta.titel.clone()).unwrap_or_default(),
            field().map(|f| join(&f.meta.cofog)).unwrap_or_default(),
        ],
        "handlungsfelder_weitere" => vec![join(&m.handlungsfelder_weitere)],
        "status_grund" => vec![opt(&m.status_grund)],
        "einwohner" => vec![m.einwohner.map(|n| n.to_string()).unwrap_or_default()],
        "zeitraum" => vec![
            m.zeitraum.map(|z| z.start.to_string()).unwrap_or_default(),
            m.zeitraum
                .and_then(|z| z.ende)
                .map(|y| y.to_string())
                .unwrap_or_default(),
        ],
        "motivation_erlaeuterung" => vec![opt(&m.motivation_erlaeuterung)],
        "foerderprogramm" => vec![opt(&m.foerderprogramm)],
        "anbieter" => vec![opt(&m.anbieter)],
        "open_source" => vec![
            m.open_source
                .as_ref()
                .map(|o| o.lizenz.clone())
                .unwrap_or_default(),
            m.open_source
                .as_ref()
                .and_then(|o| o.code_url.clone())
                .unwrap_or_default(),
        ],
        "uebertragbarkeit" => vec![m
            .uebertragbarkeit
            .as_ref()
            .and_then(|u| u.einschaetzung.clone())
            .unwrap_or_default()],
        "sdgs" => vec![join(m.sdgs.iter().map(|s| s.to_string()))],
        "kontakt" => vec![
            m.kontakt
                .as_ref()
                .and_then(|k| k.funktionspostfach.clone())
                .unwrap_or_default(),
            m.kontakt
                .as_ref()
                .and_then(|k| k.url.clone())
                .unwrap_or_default(),
        ],
        "szenarien" => vec![join(&m.szenarien)],
        "verwandte_beispiele" => vec![join(&m.verwandte_beispiele)],
        "fruehere_ids" => vec![join(&m.fruehere_ids)],
        "externe_ids" => vec![join(m.externe_ids.iter().map(|(k, v)| format!("{k}={v}")))],
        "erfasst_am" => vec![m.erfasst_am.clone()],
        "zuletzt_geprueft" => vec![opt(&m.zuletzt_geprueft)],
        "lizenz" => vec![m.lizenz.clone().unwrap_or_else(|| "CC-BY-4.0".into())],
        "tags" => vec![join(&m.tags)],
        "quellen" => vec![join(m.quellen.iter().map(|q| q.url.as_str()))],
        // Vocabulary fields, built-in or generic.
        _ => vec![join(vocab_values(m, key))],
    }
}

/// A cell as a spreadsheet cannot run it: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading apostrophe ("CSV injection", OWASP); numbers such as `-7.5`
/// stay as they are.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// `daten/catalog.csv`: UTF-8, comma-separated, header row, one row per example.
pub fn catalog_csv(catalog: &Catalog) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(csv_columns(&catalog.registry))?;
    for e in &catalog.examples {
        w.write_record(
            csv_row(catalog, e)
                .iter()
                .map(|c| spreadsheet_safe(c).into_owned()),
        )?;
    }
    w.into_inner()
        .map_err(|e| ExportError::Csv(csv::Error::from(e.into_error())))
}

fn atom_date(iso: &str) -> String {
    format!("{iso}T00:00:00Z")
}

/// Strings of the feed (from the theme's `strings.de.yaml`).
pub struct FeedText<'a> {
    pub title_suffix: &'a str,
    pub subtitle: &'a str,
}

/// Atom feed of examples by `erfasst_am`, newest first; dates come from the data only.
pub fn feed(catalog: &Catalog, text: &FeedText) -> String {
    let base = &catalog.base_url;
    let mut examples: Vec<&Entry<Example>> = catalog.examples.iter().collect();
    examples.sort_by(|a, b| (&b.meta.erfasst_am, &a.id).cmp(&(&a.meta.erfasst_am, &b.id)));
    let updated_of = |e: &Entry<Example>| -> String {
        let mut d = e.meta.erfasst_am.clone();
        if let Some(z) = &e.meta.zuletzt_geprueft {
            if z > &d {
                d = z.clone();
            }
        }
        d
    };
    let feed_updated = examples
        .iter()
        .map(|e| updated_of(e))
        .max()
        .unwrap_or_else(|| "1970-01-01".into());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&catalog.site.sprache)
    ));
    xml.push_str(&format!(
        "  <title>{} – {}</title>\n  <subtitle>{}</subtitle>\n",
        xml_escape(&catalog.site.titel),
        xml_escape(text.title_suffix),
        xml_escape(text.subtitle)
    ));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n  <rights>CC BY 4.0</rights>\n",
        xml_escape(&format!("{base}{}", files::FEED)),
        xml_escape(&format!("{base}{}", paths::SORT_NEWEST)),
        xml_escape(&format!("{base}{}", files::FEED)),
        atom_date(&feed_updated),
        xml_escape(&catalog.site.herausgeber.name),
    ));
    for e in examples {
        let url = format!("{base}{}", paths::example(&e.id));
        let field = catalog
            .field(&e.meta.handlungsfeld)
            .map(|f| f.meta.titel.as_str())
            .unwrap_or(&e.meta.handlungsfeld);
        let places: Vec<&str> = e.meta.kommunen.iter().map(|k| k.name.as_str()).collect();
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <published>{}</published>\n    <updated>{}</updated>\n    <summary>{}</summary>\n    <category term=\"{}\" label=\"{}\"/>\n    <category term=\"{}\" label=\"{}\"/>\n  </entry>\n",
            xml_escape(&e.meta.titel),
            xml_escape(&url),
            xml_escape(&url),
            atom_date(&e.meta.erfasst_am),
            atom_date(&updated_of(e)),
            xml_escape(&format!("{} ({})", e.meta.kurzbeschreibung, places.join(", "))),
            xml_escape(&e.meta.handlungsfeld),
            xml_escape(field),
            xml_escape(&e.meta.bundesland),
            xml_escape(catalog.label("bundesland", &e.meta.bundesland)),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// Licence URL for an SPDX id (falls back to the id itself).
fn licence_url(spdx: &str) -> String {
    match spdx {
        "CC-BY-4.0" => "https://creativecommons.org/licenses/by/4.0/".into(),
        "CC-BY-SA-4.0" => "https://creativecommons.org/licenses/by-sa/4.0/".into(),
        "CC0-1.0" => "https://creativecommons.org/publicdomain/zero/1.0/".into(),
        other => format!("https://spdx.org/licenses/{other}.html"),
    }
}

/// Serialise JSON so that it can sit inside `<script type="application/ld+json">`: `<`, `>`
/// and `&` only occur inside JSON strings, where `\u003c` etc. mean the same thing, so no
/// `</script>` or `<!--` can ever appear in the output.
pub fn script_safe_json<T: Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    // Byte-wise: the characters to replace are ASCII or the three-byte U+2028/U+2029
    // (E2 80 A8/A9); everything between them is copied in one piece.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (replacement, len) = match bytes[i] {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => {
                ("\\u2028", 3)
            }
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => {
                ("\\u2029", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[copied..i]);
        out.push_str(replacement);
        i += len;
        copied = i;
    }
    out.push_str(&text[copied..]);
    out
}

/// schema.org description (JSON-LD) of an example page.
///
/// Typed structs instead of a `serde_json` tree (it is built for every example page). Fields
/// are declared in byte order of their names, the order a `serde_json` map prints them in.
pub fn example_json_ld<'a>(catalog: &'a Catalog, e: &'a Entry<Example>) -> impl Serialize + 'a {
    let m = &e.meta;
    let url = format!("{}{}", catalog.base_url, paths::example(&e.id));
    let land = catalog.label("bundesland", &m.bundesland);
    let places: Vec<LdPlace> = m
        .kommunen
        .iter()
        .map(|k| LdPlace {
            kind: "Place",
            contained_in_place: LdNamed {
                kind: "AdministrativeArea",
                name: land,
            },
            geo: k.koordinaten.map(|p| LdGeo {
                kind: "GeoCoordinates",
                latitude: p.lat,
                longitude: p.lon,
            }),
            identifier: k.ags.as_deref().map(|ags| LdIdentifier {
                kind: "PropertyValue",
                property_id: "AGS",
                value: ags,
            }),
            name: &k.name,
        })
        .collect();
    let mut about = vec![LdThing {
        kind: "Thing",
        name: catalog
            .field(&m.handlungsfeld)
            .map(|f| f.meta.titel.as_str())
            .unwrap_or(&m.handlungsfeld),
        term_code: None,
        url: Some(format!(
            "{}{}",
            catalog.base_url,
            paths::field(&m.handlungsfeld)
        )),
    }];
    about.extend(m.ki_technik.iter().map(|t| LdThing {
        kind: "DefinedTerm",
        name: catalog.label("ki_technik", t),
        term_code: Some(t),
        url: None,
    }));
    let sources: Vec<LdLink> = m
        .quellen
        .iter()
        .map(|q| LdLink {
            kind: "CreativeWork",
            name: &q.titel,
            url: &q.url,
        })
        .collect();
    let mut keywords: Vec<&str> = m.tags.iter().map(String::as_str).collect();
    keywords.extend(m.ki_technik.iter().map(|t| catalog.label("ki_technik", t)));
    let modified = match &m.zuletzt_geprueft {
        Some(z) if z > &m.erfasst_am => z,
        _ => &m.erfasst_am,
    };
    LdArticle {
        context: "https://schema.org",
        id: format!("{url}#beispiel"),
        kind: "Article",
        about,
        date_modified: modified,
        date_published: &m.erfasst_am,
        description: &m.kurzbeschreibung,
        headline: &m.titel,
        in_language: &catalog.site.sprache,
        is_based_on: sources,
        is_part_of: LdLink {
            kind: "WebSite",
            name: &catalog.site.titel,
            url: &catalog.base_url,
        },
        keywords: keywords.join(", "),
        license: licence_url(m.lizenz.as_deref().unwrap_or("CC-BY-4.0")),
        name: &m.titel,
        publisher: LdNamed {
            kind: "Organization",
            name: &catalog.site.herausgeber.name,
        },
        spatial_coverage: places,
        url,
    }
}

#[derive(Serialize)]
struct LdArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Vec<LdThing<'a>>,
    #[serde(rename = "dateModified")]
    date_modified: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    description: &'a str,
    headline: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isBasedOn")]
    is_based_on: Vec<LdLink<'a>>,
    #[serde(rename = "isPartOf")]
    is_part_of: LdLink<'a>,
    keywords: String,
    license: String,
    name: &'a str,
    publisher: LdNamed<'a>,
    #[serde(rename = "spatialCoverage")]
    spatial_coverage: Vec<LdPlace<'a>>,
    url: String,
}

#[derive(Serialize)]
struct LdNamed<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct LdLink<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct LdThing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(rename = "termCode", skip_serializing_if = "Option::is_none")]
    term_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct LdPlace<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "containedInPlace")]
    contained_in_place: LdNamed<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<LdGeo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<LdIdentifier<'a>>,
    name: &'a str,
}

#[derive(Serialize)]
struct LdGeo {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

#[derive(Serialize)]
struct LdIdentifier<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "propertyID")]
    property_id: &'static str,
    value: &'a str,
}

/// `sitemap.xml` of the given pages; example pages carry `lastmod` from their data.
pub fn sitemap(catalog: &Catalog, pages: &[String]) -> String {
    let lastmod: std::collections::HashMap<String, String> = catalog
        .examples
        .iter()
        .map(|e| {
            let date = match &e.meta.zuletzt_geprueft {
                Some(z) if z > &e.meta.erfasst_am => z.clone(),
                _ => e.meta.erfasst_am.clone(),
            };
            (paths::example(&e.id), date)
        })
        .collect();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        let loc = xml_escape(&format!("{}{p}", catalog.base_url));
        match lastmod.get(p) {
            Some(d) => xml.push_str(&format!(
                "  <url><loc>{loc}</loc><lastmod>{}</lastmod></url>\n",
                xml_escape(d)
            )),
            None => xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n")),
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(catalog: &Catalog) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        catalog.base_url
    )
}

/// Write all machine-readable outputs into the staging directory. Runs after the HTML pages
/// were rendered, so the sitemap lists exactly the pages that exist.
pub fn write_all(
    catalog: &Catalog,
    ui: &Map<String, Value>,
    out: &Staging,
) -> Result<(), ExportError> {
    let s = |key: &str| {
        ui.get(key)
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_string()
    };
    let pages = out.pages();
    out.write("sitemap.xml", sitemap(catalog, &pages).as_bytes())?;
    out.write("robots.txt", robots(catalog).as_bytes())?;
    // `catalog.json` streams to its file; each example's own file is written on the way.
    out.write(files::CATALOG_JSON, b"")?;
    let path = out.dir().join(files::CATALOG_JSON);
    let file = std::fs::File::create(&path).map_err(|e| OutputError::Io {
        path: path.clone(),
        source: e,
    })?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    write_catalog_json(catalog, &mut w, &|e, text| {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        Ok(out.write(&files::example_json(&e.id), &bytes)?)
    })?;
    std::io::Write::flush(&mut w).map_err(|e| OutputError::Io { path, source: e })?;
    out.write(files::CATALOG_CSV, &catalog_csv(catalog)?)?;
    // The schemas with the catalog's vocabularies as `enum`s (same as `koki schema`).
    let terms = crate::schema::Terms::from_catalog(catalog);
    for (path, schema) in [
        (
            files::EXAMPLE_SCHEMA,
            crate::schema::example_schema_with(&terms),
        ),
        (
            files::SCENARIO_SCHEMA,
            crate::schema::scenario_schema_with(&terms),
        ),
    ] {
        let mut text = serde_json::to_string_pretty(&schema)?;
        text.push('\n');
        out.write(path, text.as_bytes())?;
    }
    let feed_text = FeedText {
        title_suffix: &s("feed_titel"),
        subtitle: &s("feed_untertitel"),
    };
    out.write(files::FEED, feed(catalog, &feed_text).as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        for (cell, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+49 30 1234", "'+49 30 1234"),
            ("-Bürgerservice", "'-Bürgerservice"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTab", "'\tTab"),
            ("-7.5", "-7.5"),
            ("52.52", "52.52"),
            ("Chatbot = Hilfe", "Chatbot = Hilfe"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell:?}");
        }
    }

    #[test]
    fn script_safe_json_cannot_close_the_script() {
        let v = json!({"t": "</script><!-- & \u{2028}"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
