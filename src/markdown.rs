//! Markdown bodies to safe HTML.
//!
//! pulldown-cmark renders (tables, footnotes, strikethrough, heading anchors); the HTML then goes
//! through an ammonia allow-list, so raw HTML from contributors keeps only harmless tags, and
//! `javascript:`/`data:` URLs, event handlers, `<script>`, SVG and MathML are dropped.
//! Site-absolute links (`/beispiele/x/`) are rewritten to the site's base path.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// A rendered body with what other stages need from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Plain text (for search and summaries).
    pub text: String,
    /// (level, anchor id, text) of every heading.
    pub headings: Vec<(u8, String, String)>,
    /// Link targets as written in the source (before rewriting).
    pub links: Vec<String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Anchor id for a heading text: lowercase, umlauts transliterated, hyphens.
pub fn anchor(text: &str) -> String {
    let slug = crate::load::slugify(text);
    if slug.is_empty() {
        "abschnitt".to_string()
    } else {
        slug
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Prefix a site-absolute path with the base path; leave everything else alone.
pub fn rewrite_link(dest: &str, base_path: &str) -> String {
    if dest.starts_with('/') && !dest.starts_with("//") {
        format!("{}{}", base_path.trim_end_matches('/'), dest)
    } else {
        dest.to_string()
    }
}

/// Element ids the default theme uses on pages that embed Markdown bodies. Heading anchors
/// never take these names, so content cannot break the skip link (`#inhalt`) or form labels.
/// A test keeps this list in step with the templates.
pub const THEME_IDS: &[&str] = &[
    "andere-titel",
    "auswahl-titel",
    "bsp-titel",
    "csv-spalten",
    "dateien",
    "felder-titel",
    "filter-links-titel",
    "inhalt",
    "kennzahlen-titel",
    "kopf-suche",
    "laender-titel",
    "legende-titel",
    "lizenzen",
    "matrix-titel",
    "neu-titel",
    "passend-anzahl",
    "passend-auswahl",
    "passend-bundesland",
    "passend-form",
    "passend-gemeindetyp",
    "passend-laendlichkeit",
    "passend-liste",
    "quellen-titel",
    "sort-titel",
    "start-suche",
    "steckbrief-titel",
    "suche-ergebnis-titel",
    "suche-facetten",
    "suche-filter-titel",
    "suche-form",
    "suche-hilfe",
    "suche-mehr",
    "suche-q",
    "suche-sort",
    "suche-status",
    "suche-texte",
    "suche-treffer",
    "suche-ui",
    "suche-zuruecksetzen",
    "szen-titel",
    "tab-kommunen",
    "tab-laender",
    "toc-titel",
    "verwandt-titel",
    "vollstaendigkeit",
];

/// Prefix of footnote ids, so footnote names cannot collide with headings or the theme.
const FOOTNOTE_PREFIX: &str = "fn-";

/// Table-cell alignment from pulldown-cmark, as classes: the CSP (`style-src 'self'`) blocks
/// `style` attributes, and allowing them would let content position overlays over the page.
const ALIGN_STYLES: &[(&str, &str)] = &[
    (r#" style="text-align: left""#, r#" class="align-left""#),
    (r#" style="text-align: center""#, r#" class="align-center""#),
    (r#" style="text-align: right""#, r#" class="align-right""#),
];

/// The ammonia allow-list. `ids` are the ids this body legitimately carries (generated heading
/// anchors and footnotes); any other `id` — e.g. from raw HTML — is dropped, as are images from
/// other hosts (the site never loads anything from elsewhere) and every `style` attribute.
fn sanitizer(ids: HashSet<String>) -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    let headings = ["h1", "h2", "h3", "h4", "h5", "h6"];
    for h in headings {
        b.add_tag_attributes(h, ["id"]);
    }
    b.add_tag_attributes("div", ["id"])
        .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
        .add_allowed_classes("div", ["footnote-definition"])
        .add_allowed_classes("th", ["align-left", "align-center", "align-right"])
        .add_allowed_classes("td", ["align-left", "align-center", "align-right"])
        .link_rel(Some("noopener noreferrer"))
        .id_prefix(None)
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                (_, "id") => ids.contains(value).then(|| value.into()),
                // Control characters inside a URL make the url crate see no scheme, so
                // `java\u{10}script:` would pass as a "relative" link; browsers differ in how
                // they treat such bytes (found by fuzzing: tests/fixtures/fuzz/markdown/).
                (_, "href" | "src" | "cite") if value.chars().any(char::is_control) => None,
                ("img", "src") if value.contains("://") || value.starts_with("//") => None,
                _ => Some(value.into()),
            },
        );
    b
}

/// Unique heading ids: the explicit `{#id}` or the anchor of the heading's text, numbered on
/// repeats (`daten`, `daten-1`); ids of the theme count as taken.
struct HeadingIds {
    used: HashMap<String, usize>,
}

impl HeadingIds {
    fn new() -> Self {
        HeadingIds {
            used: THEME_IDS.iter().map(|id| (id.to_string(), 1)).collect(),
        }
    }

    fn assign(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = explicit.map_or_else(|| anchor(text), str::to_string);
        let n = self.used.entry(base.clone()).or_insert(0);
        let unique = if *n == 0 { base } else { format!("{base}-{n}") };
        *n += 1;
        unique
    }
}

/// The heading ids [`render`] gives `markdown`, without rendering and sanitising it (for link
/// checks).
pub fn heading_ids(markdown: &str) -> Vec<String> {
    let mut heading_ids = HeadingIds::new();
    let mut out = Vec::new();
    let mut heading: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.map(|s| s.to_string()), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = &mut heading {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((explicit, text)) = heading.take() {
                    out.push(heading_ids.assign(explicit.as_deref(), &text));
                }
            }
            _ => {}
        }
    }
    out
}

/// Render a Markdown body. `base_path` is the site's path prefix (`/` or `/katalog/`).
pub fn render(markdown: &str, base_path: &str) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let mut out = Rendered::default();
    let mut heading_ids = HeadingIds::new();
    let mut ids: HashSet<String> = HashSet::new();

    // Pass 1: heading ids, link rewriting and plain text.
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let level = *level;
                let explicit = id.clone();
                let mut text = String::new();
                let mut j = i + 1;
                while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j] {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let unique = heading_ids.assign(explicit.as_deref(), &text);
                ids.insert(unique.clone());
                out.headings
                    .push((level_number(level), unique.clone(), text));
                if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                    *id = Some(CowStr::from(unique));
                }
            }
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                if let Event::Start(Tag::Link { dest_url, .. })
                | Event::Start(Tag::Image { dest_url, .. }) = &mut events[i]
                {
                    out.links.push(dest_url.to_string());
                    *dest_url = CowStr::from(rewrite_link(dest_url, base_path));
                }
            }
            Event::FootnoteReference(name) => {
                let prefixed = format!("{FOOTNOTE_PREFIX}{name}");
                events[i] = Event::FootnoteReference(CowStr::from(prefixed));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let prefixed = format!("{FOOTNOTE_PREFIX}{name}");
                ids.insert(prefixed.clone());
                events[i] = Event::Start(Tag::FootnoteDefinition(CowStr::from(prefixed)));
            }
            Event::Text(t) | Event::Code(t) => {
                out.text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => out.text.push(' '),
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Item) => out.text.push('\n'),
            _ => {}
        }
        i += 1;
    }

    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    for (style, class) in ALIGN_STYLES {
        if html.contains(style) {
            html = html.replace(style, class);
        }
    }
    // Printed into a buffer of about the input's size instead of a string grown step by step.
    let doc = sanitizer(ids).clean(&html);
    let mut clean = Vec::with_capacity(html.len() + html.len() / 8);
    out.html = match doc.write_to(&mut clean) {
        Ok(()) => String::from_utf8(clean).unwrap_or_else(|_| doc.to_string()),
        Err(_) => doc.to_string(),
    };
    out.text = out.text.split_whitespace().collect::<Vec<_>>().join(" ");
    out
}

/// Render a short inline text (a field value) as escaped HTML — no Markdown, no tags.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Ids of all headings, for anchor checks.
pub fn anchor_set(r: &Rendered) -> HashSet<&str> {
    r.headings.iter().map(|(_, id, _)| id.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_anchors() {
        let r = render(
            "## Lösung und Funktionsweise\n\n## Daten\n\n## Daten\n",
            "/",
        );
        assert!(
            r.html.contains(r#"<h2 id="loesung-und-funktionsweise">"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<h2 id="daten-1">"#));
        assert_eq!(r.headings.len(), 3);
    }

    #[test]
    fn heading_ids_match_render() {
        let body = "## Daten\n\n## Daten\n\n## `Code` und *mehr*\n\n## Eigene {#eigen}\n\n## Inhalt\n\ntext\n";
        let rendered: Vec<String> = render(body, "/")
            .headings
            .into_iter()
            .map(|h| h.1)
            .collect();
        assert_eq!(heading_ids(body), rendered);
        assert_eq!(rendered[..2], ["daten", "daten-1"]);
    }

    #[test]
    fn tables_footnotes_strikethrough() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~alt~~ Text[^1]\n\n[^1]: Fußnote\n",
            "/",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>alt</del>"));
        assert!(r.html.contains("Fußnote"));
    }

    #[test]
    fn hostile_html_is_removed() {
        let r = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](data:text/html,hi)\n\n<svg onload=alert(1)></svg><math></math>",
            "/",
        );
        let control = render(
            "<a href=\"java&#x10;script:alert(1)\">x</a> <img src=\"x&#x1;y\">",
            "/",
        );
        assert!(
            !control.html.contains("href") && !control.html.contains("src"),
            "{}",
            control.html
        );
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "data:",
            "<svg",
            "<math",
            "onload",
        ] {
            assert!(!r.html.contains(bad), "{bad} survived: {}", r.html);
        }
    }

    #[test]
    fn content_cannot_take_theme_ids_or_style_or_foreign_images() {
        let r = render(
            "## Inhalt\n\nText[^inhalt]\n\n[^inhalt]: Fußnote\n\n<div id=\"kopf-suche\">x</div>\n\n| a |\n|:-:|\n| 1 |\n\n<td style=\"position:fixed\">y</td>\n\n![p](https://tracker.example/p.gif) ![q](/static/q.png)",
            "/",
        );
        assert!(r.html.contains(r#"<h2 id="inhalt-1">"#), "{}", r.html);
        assert!(!r.html.contains(r#"id="inhalt""#), "{}", r.html);
        assert!(!r.html.contains(r#"id="kopf-suche""#), "{}", r.html);
        assert!(r.html.contains(r#"id="fn-inhalt""#), "{}", r.html);
        assert!(r.html.contains(r##"href="#fn-inhalt""##), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(r.html.contains(r#"class="align-center""#), "{}", r.html);
        assert!(!r.html.contains("tracker.example"), "{}", r.html);
        assert!(r.html.contains(r#"src="/static/q.png""#), "{}", r.html);
    }

    #[test]
    fn theme_id_list_matches_the_templates() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for piece in text.split(" id=\"").skip(1) {
                let id = piece.split('"').next().unwrap();
                if !id.contains("{{") {
                    assert!(
                        THEME_IDS.contains(&id),
                        "theme id `{id}` missing from THEME_IDS"
                    );
                }
            }
        }
    }

    #[test]
    fn site_links_get_base_path() {
        let r = render(
            "[A](/beispiele/a/) [B](https://x.example/) [C](#daten)",
            "/katalog/",
        );
        assert!(
            r.html.contains(r#"href="/katalog/beispiele/a/""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"href="https://x.example/""#));
        assert!(r.html.contains(r##"href="#daten""##));
        assert_eq!(
            r.links,
            vec!["/beispiele/a/", "https://x.example/", "#daten"]
        );
    }
}
