//! Machine-readable outputs: open data (`daten/catalog.json`, `daten/catalog.csv`, one JSON file
//! per example, JSON Schemas), the Atom feed, JSON-LD for example pages, `sitemap.xml` and
//! `robots.txt`. Everything is derived from the catalog only (no clock), sorted, reproducible.

use crate::catalog::Catalog;
use crate::load::Entry;
use crate::model::Example;
use crate::output::Staging;
use crate::paths;
use crate::Error;
use koki_model::fields::{vocab_values, FieldSpec, Registry};
use serde::Serialize;
use serde_json::{json, Map, Value};

mod json_ld;
mod table;
pub use self::json_ld::*;
pub use self::table::*;

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
    let url = format!("{}{}", catalog.base_url, paths::example(&e.id));
    record(&e.id, url, &e.meta, Some(&e.body))
}

/// An entry as open data, keys in this order: `id`, `url`, the fields of `meta` as the model
/// serialises them, then `text_markdown` when the entry has a body to publish.
fn record(id: &str, url: String, meta: &impl serde::Serialize, body: Option<&str>) -> Value {
    let mut obj = Map::new();
    obj.insert("id".into(), Value::String(id.to_string()));
    obj.insert("url".into(), Value::String(url));
    if let Ok(Value::Object(fields)) = serde_json::to_value(meta) {
        obj.extend(fields);
    }
    if let Some(body) = body {
        obj.insert("text_markdown".into(), Value::String(body.to_string()));
    }
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
pub type EachExample<'a> = dyn Fn(&Entry<Example>, &str) -> Result<(), Error> + Sync + 'a;

/// `daten/catalog.json`: every example, scenario and action field plus the vocabularies.
pub fn catalog_json(catalog: &Catalog) -> Result<String, Error> {
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
) -> Result<(), Error> {
    use rayon::prelude::*;
    let text = catalog_json_frame(catalog)?;
    let marker = serde_json::to_string(EXAMPLES_PLACEHOLDER)?;
    let (head, tail) = text
        .split_once(&marker)
        .expect("the placeholder is printed exactly once");
    let io = Error::ExportWrite;
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
                .collect::<Result<Vec<String>, Error>>()?;
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
fn catalog_json_frame(catalog: &Catalog) -> Result<String, Error> {
    let url = |path: String| format!("{}{path}", catalog.base_url);
    let scenarios: Vec<Value> = (catalog.scenarios.iter())
        .map(|s| record(&s.id, url(paths::scenario(&s.id)), &s.meta, Some(&s.body)))
        .collect();
    let fields: Vec<Value> = (catalog.fields.iter())
        .map(|f| record(&f.id, url(paths::field(&f.id)), &f.meta, None))
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
pub fn write_all(catalog: &Catalog, ui: &Map<String, Value>, out: &Staging) -> Result<(), Error> {
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
    let file = std::fs::File::create(&path).map_err(|e| Error::Io {
        path: path.clone(),
        source: e,
    })?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    write_catalog_json(catalog, &mut w, &|e, text| {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(b'\n');
        out.write(&files::example_json(&e.id), &bytes)
    })?;
    std::io::Write::flush(&mut w).map_err(|e| Error::Io { path, source: e })?;
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
