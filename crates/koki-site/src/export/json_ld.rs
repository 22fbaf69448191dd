//! JSON-LD (schema.org `Article`) of an example page, safe to embed in a `<script>` element.

use super::*;

/// Licence URL for an SPDX id (falls back to the id itself).
pub(super) fn licence_url(spdx: &str) -> String {
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
            contained_in_place: LdThing::named("AdministrativeArea", land),
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
    let field_name = catalog
        .field(&m.handlungsfeld)
        .map(|f| f.meta.titel.as_str())
        .unwrap_or(&m.handlungsfeld);
    let field_url = format!("{}{}", catalog.base_url, paths::field(&m.handlungsfeld));
    let mut about = vec![LdThing::link("Thing", field_name, field_url)];
    about.extend(m.ki_technik.iter().map(|t| LdThing {
        term_code: Some(t),
        ..LdThing::named("DefinedTerm", catalog.label("ki_technik", t))
    }));
    let sources: Vec<LdThing> = m
        .quellen
        .iter()
        .map(|q| LdThing::link("CreativeWork", &q.titel, q.url.clone()))
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
        is_part_of: LdThing::link("WebSite", &catalog.site.titel, catalog.base_url.clone()),
        keywords: keywords.join(", "),
        license: licence_url(m.lizenz.as_deref().unwrap_or("CC-BY-4.0")),
        name: &m.titel,
        publisher: LdThing::named("Organization", &catalog.site.herausgeber.name),
        spatial_coverage: places,
        url,
    }
}

#[derive(Serialize)]
pub(super) struct LdArticle<'a> {
    #[serde(rename = "@context")]
    pub(super) context: &'static str,
    #[serde(rename = "@id")]
    pub(super) id: String,
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    pub(super) about: Vec<LdThing<'a>>,
    #[serde(rename = "dateModified")]
    pub(super) date_modified: &'a str,
    #[serde(rename = "datePublished")]
    pub(super) date_published: &'a str,
    pub(super) description: &'a str,
    pub(super) headline: &'a str,
    #[serde(rename = "inLanguage")]
    pub(super) in_language: &'a str,
    #[serde(rename = "isBasedOn")]
    pub(super) is_based_on: Vec<LdThing<'a>>,
    #[serde(rename = "isPartOf")]
    pub(super) is_part_of: LdThing<'a>,
    pub(super) keywords: String,
    pub(super) license: String,
    pub(super) name: &'a str,
    pub(super) publisher: LdThing<'a>,
    #[serde(rename = "spatialCoverage")]
    pub(super) spatial_coverage: Vec<LdPlace<'a>>,
    pub(super) url: String,
}

/// A schema.org thing with a name, optionally a term code and a URL (an organisation, a
/// web site, a cited work, a defined term).
#[derive(Serialize)]
pub(super) struct LdThing<'a> {
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    pub(super) name: &'a str,
    #[serde(rename = "termCode", skip_serializing_if = "Option::is_none")]
    pub(super) term_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) url: Option<String>,
}

impl<'a> LdThing<'a> {
    fn named(kind: &'static str, name: &'a str) -> Self {
        LdThing {
            kind,
            name,
            term_code: None,
            url: None,
        }
    }

    fn link(kind: &'static str, name: &'a str, url: String) -> Self {
        LdThing {
            url: Some(url),
            ..LdThing::named(kind, name)
        }
    }
}

#[derive(Serialize)]
pub(super) struct LdPlace<'a> {
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    #[serde(rename = "containedInPlace")]
    pub(super) contained_in_place: LdThing<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) geo: Option<LdGeo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) identifier: Option<LdIdentifier<'a>>,
    pub(super) name: &'a str,
}

#[derive(Serialize)]
pub(super) struct LdGeo {
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    pub(super) latitude: f64,
    pub(super) longitude: f64,
}

#[derive(Serialize)]
pub(super) struct LdIdentifier<'a> {
    #[serde(rename = "@type")]
    pub(super) kind: &'static str,
    #[serde(rename = "propertyID")]
    pub(super) property_id: &'static str,
    pub(super) value: &'a str,
}
