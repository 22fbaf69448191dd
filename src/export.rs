//! Machine-readable outputs: sitemap.xml and robots.txt (open-data exports and feeds are added
//! by the browse issue).

use crate::catalog::Catalog;
use crate::output::{OutputError, Staging};
use crate::render::paths;

/// Every page URL of the site, sorted (used by the sitemap).
pub fn page_paths(catalog: &Catalog) -> Vec<String> {
    let mut out = vec![
        String::new(),
        "beispiele/".to_string(),
        "szenarien/".to_string(),
        "handlungsfelder/".to_string(),
        "suche/".to_string(),
    ];
    out.extend(catalog.fields.iter().map(|f| paths::field(&f.id)));
    out.extend(catalog.examples.iter().map(|e| paths::example(&e.id)));
    out.extend(catalog.scenarios.iter().map(|s| paths::scenario(&s.id)));
    out.extend(catalog.pages.iter().map(|p| paths::page(&p.id)));
    out.sort();
    out
}

fn xml_escape(s: &str) -> String {
    crate::markdown::escape_inline(s)
}

pub fn sitemap(catalog: &Catalog) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in page_paths(catalog) {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{}{p}", catalog.base_url))
        ));
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

/// Write all machine-readable outputs into the staging directory.
pub fn write_all(catalog: &Catalog, out: &Staging) -> Result<(), OutputError> {
    out.write("sitemap.xml", sitemap(catalog).as_bytes())?;
    out.write("robots.txt", robots(catalog).as_bytes())?;
    Ok(())
}
