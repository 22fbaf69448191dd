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
    "einreichen",
    "einreichen-datei",
    "einreichen-fehlerliste",
    "einreichen-forge",
    "einreichen-herunterladen",
    "einreichen-hinweis",
    "einreichen-kopieren",
    "einreichen-loeschen",
    "einreichen-mail",
    "einreichen-modus",
    "einreichen-ohne-js",
    "einreichen-pruefung",
    "einreichen-titel",
    "einreichen-vorschau",
    "f-text",
    "f-text-fehler",
    "felder-titel",
    "filter-links-titel",
    "inhalt",
    "kennzahlen-titel",
    "kopf-suche",
    "kreis-auswahl-titel",
    "kreis-eingabe",
    "kreis-fakten",
    "kreis-fehler",
    "kreis-form",
    "kreis-hilfe",
    "kreis-vorschlaege",
    "laender-titel",
    "landesebene-titel",
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
    "schritt-ergebnis",
    "schritt-ergebnis-titel",
    "schritt-text",
    "schritt-text-titel",
    "sort-titel",
    "start-suche",
    "steckbrief-beteiligung",
    "steckbrief-eintrag",
    "steckbrief-geld",
    "steckbrief-titel",
    "steckbrief-was",
    "steckbrief-wie",
    "steckbrief-wirkung",
    "steckbrief-wo",
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
    "vergleichbar-titel",
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

/// URL schemes a link may have (relative links are kept too).
const URL_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The `rel` of every link in a body.
const LINK_REL: &str = "noopener noreferrer";

/// Whether our own rules drop a URL attribute value, beyond ammonia's scheme check.
/// Control characters inside a URL make the url crate see no scheme, so `java\u{10}script:`
/// would pass as a "relative" link; browsers differ in how they treat such bytes (found by
/// fuzzing: tests/fixtures/fuzz/markdown/). Images from other hosts are dropped: the site
/// never loads anything from elsewhere.
fn url_refused(value: &str, image: bool) -> bool {
    value.chars().any(char::is_control)
        || (image && (value.contains("://") || value.starts_with("//")))
}

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
        .link_rel(Some(LINK_REL))
        .id_prefix(None)
        .url_schemes(URL_SCHEMES.into_iter().collect())
        .attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                (_, "id") => ids.contains(value).then(|| value.into()),
                (_, "href" | "src" | "cite") if url_refused(value, element == "img") => None,
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
    render_with(markdown, base_path, false)
}

/// [`render`]; with `always_sanitise`, every body goes through the sanitiser (for the test
/// that compares both ways).
fn render_with(markdown: &str, base_path: &str, always_sanitise: bool) -> Rendered {
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

    let sanitise = always_sanitise || needs_sanitiser(&events);
    let mut html = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    for (style, class) in ALIGN_STYLES {
        if html.contains(style) {
            html = html.replace(style, class);
        }
    }
    out.html = if sanitise {
        sanitised(&html, ids)
    } else {
        with_link_rel(&html)
    };
    out.text = out.text.split_whitespace().collect::<Vec<_>>().join(" ");
    out
}

/// `html` through the sanitiser ([`sanitizer`]), printed into a buffer of about its size
/// instead of a string grown step by step.
fn sanitised(html: &str, ids: HashSet<String>) -> String {
    let doc = sanitizer(ids).clean(html);
    let mut clean = Vec::with_capacity(html.len() + html.len() / 8);
    match doc.write_to(&mut clean) {
        Ok(()) => String::from_utf8(clean).unwrap_or_else(|_| doc.to_string()),
        Err(_) => doc.to_string(),
    }
}

/// Whether pulldown-cmark's HTML for `events` has to go through the sanitiser. Without raw
/// HTML, heading classes or attributes, code-block language classes and with only URLs the
/// sanitiser keeps, the sanitiser would print the same document (serialised differently) with
/// a `rel` on every link, which [`with_link_rel`] adds. Parsing and printing every body again
/// was about 40 % of the Markdown time. Only events known to be safe pass; a test renders
/// bodies both ways and compares the documents.
fn needs_sanitiser(events: &[Event<'_>]) -> bool {
    use pulldown_cmark::{CodeBlockKind, LinkType};
    !events.iter().all(|event| match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::Rule
        | Event::FootnoteReference(_)
        | Event::End(_) => true,
        Event::Start(tag) => match tag {
            Tag::Heading { classes, attrs, .. } => classes.is_empty() && attrs.is_empty(),
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => info.is_empty(),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => *link_type != LinkType::Email && url_kept(dest_url, false),
            Tag::Image { dest_url, .. } => url_kept(dest_url, true),
            Tag::BlockQuote(kind) => kind.is_none(),
            Tag::Paragraph
            | Tag::CodeBlock(CodeBlockKind::Indented)
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough => true,
            _ => false,
        },
        _ => false,
    })
}

/// Whether the sanitiser keeps the URL `dest` of a link (or, with `image`, of an image) as
/// pulldown-cmark prints it: relative, or `http`/`https`/`mailto`; images only from this site.
fn url_kept(dest: &str, image: bool) -> bool {
    // The attribute value the sanitiser sees: pulldown-cmark's escaping, HTML entities decoded.
    let mut printed = String::with_capacity(dest.len());
    let _ = pulldown_cmark_escape::escape_href(&mut printed, dest);
    let value = printed.replace("&#x27;", "'").replace("&amp;", "&");
    if url_refused(&value, image) {
        return false;
    }
    match url::Url::parse(&value) {
        Ok(url) => URL_SCHEMES.contains(&url.scheme()),
        Err(e) => e == url::ParseError::RelativeUrlWithoutBase,
    }
}

/// pulldown-cmark's HTML with the sanitiser's `rel` ([`LINK_REL`]) on every link.
/// (Its attribute values are escaped, so the first `>` after `<a ` closes the tag.)
fn with_link_rel(html: &str) -> String {
    let rel = format!(r#" rel="{LINK_REL}""#);
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        let Some(close) = rest[start..].find('>') else {
            break;
        };
        let end = start + close;
        out.push_str(&rest[..end]);
        out.push_str(&rel);
        rest = &rest[end..];
    }
    out.push_str(rest);
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
    use proptest::prelude::*;

    /// The document `html` parses to, with attributes sorted: equal for HTML that differs
    /// only in serialisation (attribute order, escaping, `<br />` vs `<br>`).
    fn document(html: &str) -> String {
        fn walk(element: scraper::ElementRef<'_>, out: &mut String) {
            let mut attrs: Vec<_> = element.value().attrs().collect();
            attrs.sort();
            out.push_str(&format!("<{} {attrs:?}>", element.value().name()));
            for child in element.children() {
                if let Some(e) = scraper::ElementRef::wrap(child) {
                    walk(e, out);
                } else if let Some(text) = child.value().as_text() {
                    out.push_str(&format!("{:?}", &**text));
                }
            }
            out.push_str(&format!("</{}>", element.value().name()));
        }
        let mut out = String::new();
        walk(scraper::Html::parse_fragment(html).root_element(), &mut out);
        out
    }

    /// When a body skips the sanitiser, the sanitiser would have printed the same document.
    /// Returns whether the body skipped it.
    fn assert_fast_path_agrees(markdown: &str) -> bool {
        let fast = render(markdown, "/katalog/");
        let sanitised = render_with(markdown, "/katalog/", true);
        assert_eq!(
            document(&fast.html),
            document(&sanitised.html),
            "fast path differs for {markdown:?}"
        );
        assert_eq!(fast.text, sanitised.text);
        let events: Vec<_> = Parser::new_ext(markdown, options()).collect();
        !needs_sanitiser(&events)
    }

    #[test]
    fn bodies_without_raw_html_skip_the_sanitiser_and_match_it() {
        let cases = [
            "# Titel\n\nText mit *Betonung*, **stark**, ~~weg~~ und `code`.",
            "## Daten {#daten}\n\n1. eins\n2. zwei\n\n- a\n- b\n\n> Zitat\n\n---\n",
            "Links: [intern](/beispiele/x/), [relativ](../y/), [extern](https://example.org/a?b=1&c='d'), \
             [mail](mailto:a@example.org), <https://example.org/auto>, [anker](#daten)",
            "![Bild](/static/bild.png \"Titel\") und ![relativ](bild.png)",
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n",
            "Fußnote[^1].\n\n[^1]: Die Quelle.\n",
            "    eingerückter Code\n\n```\nohne Sprache\n```\n",
            "Zeile mit Umbruch  \nund \"Zitat\" & a < b > c sowie 'Apostroph'.",
            "Ä Ö Ü ß – “typografisch” … € ½",
        ];
        for case in cases {
            assert!(
                assert_fast_path_agrees(case),
                "should skip the sanitiser: {case:?}"
            );
        }
    }

    #[test]
    fn risky_bodies_go_through_the_sanitiser() {
        let cases = [
            "<b>roh</b>",
            "Text <span onclick=\"x()\">inline</span>",
            "[js](javascript:alert(1))",
            "[js](JAVASCRIPT:alert(1))",
            "[data](data:text/html,x)",
            "![fremd](https://example.org/bild.png)",
            "![fremd](//example.org/bild.png)",
            "## Titel {.klasse}",
            "## Titel {data-x=1}",
            "```rust\nfn main() {}\n```",
            "Mail: <a@example.org>",
        ];
        for case in cases {
            let events: Vec<_> = Parser::new_ext(case, options()).collect();
            assert!(needs_sanitiser(&events), "should be sanitised: {case:?}");
            assert_fast_path_agrees(case);
        }
    }

    /// Every Markdown file of the shipped catalog and of the test fixtures.
    #[test]
    fn catalog_and_fixture_bodies_match_the_sanitiser() {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let mut skipped = 0;
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
                let entry = entry.unwrap();
                if entry.path().extension().is_some_and(|e| e == "md") {
                    let Ok(text) = std::fs::read_to_string(entry.path()) else {
                        continue; // deliberately broken fixtures (not UTF-8)
                    };
                    skipped += usize::from(assert_fast_path_agrees(&text));
                }
            }
        }
        assert!(skipped > 100, "only {skipped} files skipped the sanitiser");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Bodies pieced together from Markdown syntax, URLs and HTML fragments.
        #[test]
        fn fast_path_matches_the_sanitiser(pieces in prop::collection::vec(prop::sample::select(vec![
            "# ", "## ", "\n", "\n\n", "text ", "Ä", "*", "**", "_", "`", "~~", "> ", "- ", "1. ",
            "    ", "```", "---", "|", "|:-:|", "[", "]", "(", ")", "![", "<", ">", "&", "\"", "'",
            "{#id}", "{.c}", "[^1]", "[^1]: ", "https://example.org/x", "/beispiele/a/", "#anker",
            "javascript:x", "mailto:a@b.de", "//host/p", "data:x", "\u{10}", "<b>", "</b>",
            "<a href=\"x\">", "&amp;", "&#x27;", "%20", " ", "\\",
        ]), 0..40)) {
            assert_fast_path_agrees(&pieces.concat());
        }
    }

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
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/default/templates");
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
