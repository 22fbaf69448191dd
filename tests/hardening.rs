//! Hardening (issue 10): hostile content renders inert, odd and oversized files give clear
//! errors instead of panics, builds are reproducible, fuzz findings stay fixed.

mod common;
use common::*;
use scraper::{Html, Node};
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

fn build(root: &Path) -> Output {
    koki(&["build", "--root", &root.to_string_lossy()])
}

fn check(root: &Path) -> Output {
    koki(&["check", "--root", &root.to_string_lossy()])
}

// ---------------------------------------------------------------------------------------------
// 1. Hostile content
// ---------------------------------------------------------------------------------------------

/// URL schemes that run code or smuggle documents; none may appear in a URL attribute.
const BAD_SCHEMES: &[&str] = &["javascript:", "data:", "vbscript:", "file:"];
/// Attributes that hold a URL the browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "cite",
    "data",
    "background",
];
/// Elements that content can never bring in (the theme does not use them either, except
/// the submission form's text areas).
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "math", "style",
    "template", "textarea",
];

/// A URL attribute value as a browser sees it: without whitespace and control characters
/// (browsers strip them from schemes), lower-cased.
fn normalised_url(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Every problem that would let a page run script, as readable strings.
fn scan_page(rel: &str, html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut problems = Vec::new();
    let mut csp = false;
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let name = el.name();
        // The submission form's own text areas are the one place the theme uses <textarea>.
        let form_field = name == "textarea" && rel == "einreichen/index.html";
        if FORBIDDEN_ELEMENTS.contains(&name) && !form_field {
            problems.push(format!("{rel}: <{name}> element"));
        }
        if name == "script" {
            let text: String = node
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                .collect();
            match (el.attr("src"), el.attr("type")) {
                // The theme's own scripts: same-origin files below /static/, no inline code.
                (Some(src), _) => {
                    if !src.starts_with("/static/") || !src.ends_with(".js") {
                        problems.push(format!("{rel}: script src={src:?}"));
                    }
                    if !text.trim().is_empty() {
                        problems.push(format!("{rel}: script with src and inline code"));
                    }
                }
                // Data blocks: never executed, and must stay one valid JSON value (a payload
                // that closed the block would leave broken JSON behind).
                (None, Some("application/ld+json" | "application/json")) => {
                    if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                        problems.push(format!("{rel}: data block is not JSON ({e}): {text}"));
                    }
                }
                (None, ty) => problems.push(format!("{rel}: inline script type={ty:?}: {text}")),
            }
        }
        if name == "meta"
            && el
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
        {
            let policy = el.attr("content").unwrap_or_default();
            let script_src = policy
                .split(';')
                .map(str::trim)
                .find(|d| d.starts_with("script-src"))
                .unwrap_or_default();
            if script_src.is_empty()
                || script_src.contains("'unsafe-inline'")
                || script_src.contains("'unsafe-eval'")
                || !policy.contains("object-src 'none'")
            {
                problems.push(format!("{rel}: weak CSP {policy:?}"));
            }
            csp = true;
        }
        if name == "meta"
            && el
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
        {
            // Only the redirect pages of former addresses refresh, at once, to a path of
            // the same site.
            let content = el.attr("content").unwrap_or_default();
            let same_site = content
                .strip_prefix("0; url=/")
                .is_some_and(|p| !p.starts_with('/') && !p.contains(':') && p.ends_with('/'));
            if !same_site {
                problems.push(format!("{rel}: meta refresh {content:?}"));
            }
        }
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                problems.push(format!("{rel}: <{name} {attr}={value:?}>"));
            }
            if attr == "srcdoc" || attr == "formaction" {
                problems.push(format!("{rel}: <{name} {attr}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) {
                let url = normalised_url(value);
                if BAD_SCHEMES.iter().any(|s| url.starts_with(s)) {
                    problems.push(format!("{rel}: <{name} {attr}={value:?}>"));
                }
            }
            if attr == "style" {
                let v = normalised_url(value);
                if v.contains("url(") || v.contains("expression(") || v.contains("javascript:") {
                    problems.push(format!("{rel}: <{name} style={value:?}>"));
                }
            }
        }
    }
    if !csp {
        problems.push(format!("{rel}: no Content-Security-Policy meta tag"));
    }
    problems
}

/// All text of a document (what a reader sees), for checking that payloads arrive as text.
fn page_text(html: &str) -> String {
    Html::parse_document(html)
        .root_element()
        .text()
        .collect::<Vec<_>>()
        .join("")
}

#[test]
fn hostile_content_renders_inert() {
    let site = site(Some(&fixtures().join("hostile")));
    let out = build(site.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    let tree = read_tree(&public);

    let mut problems = Vec::new();
    let mut pages = 0;
    for (rel, bytes) in &tree {
        let text = String::from_utf8_lossy(bytes);
        if rel.ends_with(".html") {
            pages += 1;
            problems.extend(scan_page(rel, &text));
        } else if rel.ends_with(".xml") || rel.ends_with(".svg") {
            // Feeds, sitemap and images must stay well-formed with payloads in them.
            if let Err(e) = roxmltree::Document::parse(&text) {
                problems.push(format!("{rel}: not well-formed XML: {e}"));
            }
        } else if rel.ends_with(".json") || rel.ends_with(".jsonld") {
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(bytes) {
                problems.push(format!("{rel}: invalid JSON: {e}"));
            }
        }
    }
    assert!(pages > 20, "only {pages} pages built");
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Payloads arrive as visible text, and template syntax is not evaluated.
    let example = read(&public, "beispiele/xss-beispiel/index.html");
    let text = page_text(&example);
    for payload in [
        "XSS\"><script>alert('titel')</script>{{ 7*7 }}{% raw %}",
        "Bösdorf<script>alert('kommune')</script>\"'><svg onload=alert(1)>",
        "</script><script>alert('foerder')</script>",
        "{% for x in [1,2] %}LOOP{% endfor %}",
        "{{ site.titel }}",
        "<script>alert('code')</script>",
    ] {
        assert!(
            text.contains(payload),
            "payload not shown as text: {payload}"
        );
    }
    assert!(
        !text.contains("LOOPLOOP"),
        "template syntax in a body was evaluated"
    );
    assert!(
        example.contains("&lt;script&gt;alert("),
        "payload not escaped in source"
    );
    for (rel, title) in [
        (
            "szenarien/xss-szenario/index.html",
            "Szenario<script>alert('sz')</script>",
        ),
        (
            "seiten/xss-seite/index.html",
            "Seite<script>alert('seite')</script>",
        ),
        (
            "handlungsfelder/xss-feld/index.html",
            "Feld<script>alert('feld')</script>",
        ),
        (
            "index.html",
            "Testkatalog</title><script>alert('site')</script>",
        ),
    ] {
        assert!(page_text(&read(&public, rel)).contains(title), "{rel}");
    }

    // JSON-LD: the title round-trips exactly, so `</script>` in it could not end the block.
    let doc = Html::parse_document(&example);
    let sel = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let block = doc.select(&sel).next().expect("JSON-LD block");
    let raw: String = block.text().collect();
    assert!(!raw.contains("</"), "unescaped `</` in JSON-LD");
    let ld: serde_json::Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(
        ld["name"],
        "XSS\"><script>alert('titel')</script>{{ 7*7 }}{% raw %}"
    );

    // The Atom feed carries the title as text.
    if let Some(feed) = tree.get("feed.xml") {
        let feed = String::from_utf8_lossy(feed);
        let doc = roxmltree::Document::parse(&feed).unwrap();
        assert!(doc.descendants().any(|n| n.has_tag_name("title")
            && n.text().is_some_and(|t| t.starts_with("XSS\"><script>"))));
    }
}

#[test]
fn scanner_catches_what_it_should() {
    // The checks above are only worth something if they fire on the real thing.
    let bad = r#"<html><head></head><body><script>alert(1)</script><img src=x onerror=alert(1)>
        <a href=" JaVa&#x09;Script:alert(1)">x</a><svg><a xlink:href="javascript:alert(1)"></a></svg>
        <script type="application/ld+json">{"a":"</script><script>alert(1)</script>"}</script>
        <meta http-equiv="refresh" content="0; url=https://evil.example/"><meta http-equiv="Refresh" content="0; url=//evil.example/"></body></html>"#;
    let problems = scan_page("bad.html", bad);
    for needle in [
        "inline script",
        "onerror",
        "<a href",
        "<a href=\"javascript:alert(1)\">",
        "data block is not JSON",
        "no Content-Security-Policy",
        "meta refresh \"0; url=https://evil.example/\"",
        "meta refresh \"0; url=//evil.example/\"",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "scanner missed {needle}: {problems:#?}"
        );
    }
}

/// Template values that land inside a tag and are not in a double-quoted attribute value:
/// `(template, line)` of each. Tera escapes `&<>"` (its `fast_escape`), not `'`, so a value in
/// a single-quoted or unquoted attribute could break out of it.
fn values_outside_double_quotes(name: &str, template: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (pos, _) in template.match_indices("{{") {
        let before = &template[..pos];
        let tag_start = before.rfind('<');
        let Some(tag_start) = tag_start.filter(|&t| before.rfind('>').is_none_or(|g| g < t)) else {
            continue; // text content, not inside a tag
        };
        let tag_name = template[tag_start + 1..pos].trim_start_matches('/');
        if tag_name.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue; // part of the tag name (`<h{{ level }}>`), set by the template itself
        }
        // Inside a tag: an odd number of `"` since `<` means an open double-quoted value.
        // Tera tags (`{% … %}`) inside the tag may hold quotes of their own; leave them out.
        let mut quotes = 0;
        let mut rest = &template[tag_start..pos];
        while let Some(i) = rest.find(['"', '{']) {
            if rest[i..].starts_with("{%") {
                let end = rest[i..].find("%}").map_or(rest.len(), |e| i + e + 2);
                rest = &rest[end..];
                continue;
            }
            quotes += usize::from(rest.as_bytes()[i] == b'"');
            rest = &rest[i + 1..];
        }
        if quotes % 2 == 0 {
            found.push((name.to_string(), before.lines().count()));
        }
    }
    found
}

#[test]
fn templates_put_values_only_into_double_quoted_attributes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        found.extend(values_outside_double_quotes(&name, &text));
    }
    assert!(found.is_empty(), "unquoted or single-quoted: {found:?}");
    // The check fires on both kinds of unsafe attribute and leaves safe ones alone.
    let bad = "<a href='{{ url }}'>x</a>\n<img alt={{ t }}>";
    assert_eq!(values_outside_double_quotes("bad", bad).len(), 2);
    let good = r#"<a href="{{ url }}" {% if x %}class="{{ c }}"{% endif %}>{{ text }}</a>"#;
    assert!(values_outside_double_quotes("good", good).is_empty());
}

// ---------------------------------------------------------------------------------------------
// 2. Limits and odd files
// ---------------------------------------------------------------------------------------------

const EXAMPLE_HEAD: &str = "titel: \"Chatbot\"\nkurzbeschreibung: \"Ein Chatbot.\"\nkommunen:\n  - name: Kleindorf\nbundesland: sh\nverwaltungsebene: gemeinde\nhandlungsfeld: buergerservice\nstatus: pilot\nki_technik: [regelbasiert]\nquellen:\n  - titel: \"Blatt\"\n    url: https://kleindorf.example/blatt\nerfasst_am: 2026-03-01\n";

/// A valid example file with extra YAML lines and a body.
fn example_md(extra_yaml: &str, body: &str) -> String {
    format!("---\n{EXAMPLE_HEAD}{extra_yaml}---\n\n{body}")
}

/// The minimal site plus the given files (path below the site root, bytes).
fn site_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let s = site(None);
    for (rel, bytes) in files {
        let path = s.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    s
}

/// Run `koki check` (bounded in time) and return (exit code, stderr); a panic (101) fails.
fn check_code(root: &Path) -> (i32, String) {
    let start = Instant::now();
    let out = check(root);
    let err = stderr(&out);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "check took {:?}",
        start.elapsed()
    );
    let code = out.status.code().expect("koki was killed by a signal");
    assert_ne!(code, 101, "koki panicked:\n{err}");
    assert!(!err.contains("panicked"), "koki panicked:\n{err}");
    (code, err)
}

fn assert_error(files: &[(&str, &[u8])], needles: &[&str]) -> String {
    let s = site_with(files);
    let (code, err) = check_code(s.path());
    assert_eq!(code, 1, "expected a content error:\n{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
    err
}

fn assert_ok(files: &[(&str, &[u8])]) -> String {
    let s = site_with(files);
    let (code, err) = check_code(s.path());
    assert_eq!(code, 0, "expected success:\n{err}");
    err
}

#[test]
fn file_over_the_size_limit_is_refused() {
    let big = example_md("", &"Langer Text. ".repeat(100_000));
    assert!(big.len() as u64 > koki::load::MAX_FILE_BYTES);
    assert_error(
        &[("content/beispiele/riesig.md", big.as_bytes())],
        &[
            "content/beispiele/riesig.md: error: Datei ist zu groß",
            "höchstens 1048576 Bytes",
        ],
    );
}

#[test]
fn front_matter_over_the_yaml_limit_is_refused() {
    let tags: String = (0..20_000).map(|i| format!("  - tag-{i}\n")).collect();
    let text = example_md(&format!("tags:\n{tags}"), "Text.");
    assert!(
        text.len() > koki::yaml::MAX_YAML_BYTES && (text.len() as u64) < koki::load::MAX_FILE_BYTES
    );
    assert_error(
        &[("content/beispiele/viele-tags.md", text.as_bytes())],
        &["content/beispiele/viele-tags.md:2:1: error: YAML ist zu groß"],
    );
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    // "Billion laughs": 9 levels of 9 references each would expand to 9^9 strings.
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, cur) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb.push_str(&format!("{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let text = example_md(
        &format!("tags: *i\nbomb:\n  {}", bomb.replace('\n', "\n  ")),
        "",
    );
    let err = assert_error(
        &[("content/beispiele/bombe.md", text.as_bytes())],
        &["content/beispiele/bombe.md:"],
    );
    assert!(err.contains("error:"), "{err}");
}

#[test]
fn alias_bomb_in_site_config_is_refused() {
    let mut bomb = String::from("x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x{i}: &x{i} [*x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}]\n"
        ));
    }
    bomb.push_str("titel: *x11\n");
    assert_error(
        &[("content/site.yaml", bomb.as_bytes())],
        &["content/site.yaml:"],
    );
}

#[test]
fn deep_nesting_is_refused() {
    for (name, deep) in [
        (
            "flow",
            format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        (
            "mapping",
            format!("{}1{}", "{a: ".repeat(5_000), "}".repeat(5_000)),
        ),
        (
            "block",
            (0..400)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>(),
        ),
    ] {
        let text = example_md(&format!("tags: {deep}\n"), "");
        let (code, err) =
            check_code(site_with(&[("content/beispiele/tief.md", text.as_bytes())]).path());
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains("content/beispiele/tief.md:"), "{name}: {err}");
        if name != "block" {
            assert!(
                err.contains("YAML ist zu tief verschachtelt"),
                "{name}: {err}"
            );
        }
    }
}

#[test]
fn non_utf8_bytes_are_reported_with_line_and_column() {
    let mut bytes = example_md("", "Zeile eins\nGr").into_bytes();
    bytes.extend_from_slice(&[0xfc, b'n', b'\n']); // Latin-1 "ü"
    let lines = example_md("", "").lines().count() + 2;
    assert_error(
        &[("content/beispiele/latin1.md", &bytes)],
        &[
            &format!(
                "content/beispiele/latin1.md:{lines}:3: error: die Datei ist kein gültiges UTF-8"
            ),
            "UTF-8",
        ],
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend_from_slice(example_md("", "Mit BOM.\n").as_bytes());
    assert_ok(&[("content/beispiele/mit-bom.md", &bytes)]);
    // A BOM in a YAML file, too.
    let site_yaml = std::fs::read(fixtures().join("minimal/content/site.yaml")).unwrap();
    let mut with_bom = vec![0xef, 0xbb, 0xbf];
    with_bom.extend_from_slice(&site_yaml);
    assert_ok(&[("content/site.yaml", &with_bom)]);
}

#[test]
fn crlf_line_endings_are_accepted_and_positions_stay_right() {
    let crlf = example_md("", "Windows-Zeilenenden.\n").replace('\n', "\r\n");
    assert_ok(&[("content/beispiele/windows.md", crlf.as_bytes())]);
    // An error in a CRLF file points at the right line and column.
    let bad = example_md("einwohner: viele\n", "").replace('\n', "\r\n");
    let line = EXAMPLE_HEAD.lines().count() + 2;
    assert_error(
        &[("content/beispiele/windows.md", bad.as_bytes())],
        &[&format!("content/beispiele/windows.md:{line}:12: error: ")],
    );
}

#[test]
fn tabs_in_yaml_indentation_get_a_hint() {
    let text = example_md("zeitraum:\n\tstart: 2024\n", "");
    assert_error(
        &[("content/beispiele/tabs.md", text.as_bytes())],
        &["content/beispiele/tabs.md:", "Tabulator"],
    );
}

#[test]
fn empty_files_are_clear_errors() {
    assert_error(
        &[("content/beispiele/leer.md", b"")],
        &["content/beispiele/leer.md:1:1: error: die Datei beginnt nicht mit Front Matter"],
    );
    assert_error(
        &[("content/beispiele/leer.yaml", b"")],
        &["content/beispiele/leer.yaml:1:1: error: der YAML-Inhalt ist leer"],
    );
    assert_error(
        &[("content/beispiele/leer.md", b"---\n---\n")],
        &["content/beispiele/leer.md:2:1: error: der YAML-Inhalt ist leer"],
    );
    assert_error(
        &[("content/site.yaml", b"")],
        &["content/site.yaml:1:1: error: der YAML-Inhalt ist leer"],
    );
    assert_error(
        &[("content/beispiele/nur-leerzeichen.md", b"  \n\n")],
        &["content/beispiele/nur-leerzeichen.md:1:1: error: die Datei beginnt nicht mit Front Matter"],
    );
}

#[test]
fn unclosed_front_matter_is_reported() {
    let text = format!("---\n{EXAMPLE_HEAD}\nText ohne Ende.\n");
    assert_error(
        &[("content/beispiele/offen.md", text.as_bytes())],
        &["content/beispiele/offen.md:1:1: error: das Front Matter wird nicht mit `---` geschlossen"],
    );
    assert_error(
        &[("content/beispiele/offen.md", b"---")],
        &["content/beispiele/offen.md:1:1: error: das Front Matter wird nicht mit `---` geschlossen"],
    );
}

#[test]
fn duplicate_keys_are_reported_at_the_second_key() {
    let text = example_md("titel: \"Noch ein Titel\"\n", "");
    let line = EXAMPLE_HEAD.lines().count() + 2;
    assert_error(
        &[("content/beispiele/doppelt.md", text.as_bytes())],
        &[
            &format!("content/beispiele/doppelt.md:{line}:"),
            "ein Schlüssel kommt doppelt vor",
        ],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_content_are_refused() {
    use std::os::unix::fs::symlink;
    let s = site(None);
    let content = s.path().join("content");
    // A loop of two links, a link to itself, a link out of content/ and a dangling link.
    symlink("b.md", content.join("beispiele/a.md")).unwrap();
    symlink("a.md", content.join("beispiele/b.md")).unwrap();
    symlink("selbst.md", content.join("beispiele/selbst.md")).unwrap();
    let outside = s.path().join("geheim.md");
    std::fs::write(&outside, example_md("", "Geheim.")).unwrap();
    symlink(&outside, content.join("beispiele/geheim.md")).unwrap();
    symlink("/etc/passwd", content.join("seiten/passwd.md")).unwrap();
    symlink("fehlt.md", content.join("beispiele/haengt.md")).unwrap();
    // A directory loop: walkdir does not follow directory links, so this is only a warning.
    symlink("..", content.join("beispiele/zurueck")).unwrap();
    let (code, err) = check_code(s.path());
    assert_eq!(code, 1, "{err}");
    for needle in [
        "content/beispiele/a.md: error: symbolischer Link ist nicht auflösbar",
        "content/beispiele/b.md: error: symbolischer Link ist nicht auflösbar",
        "content/beispiele/selbst.md: error: symbolischer Link ist nicht auflösbar",
        "content/beispiele/haengt.md: error: symbolischer Link ist nicht auflösbar",
        "content/beispiele/geheim.md: error: symbolischer Link zeigt aus `content/` heraus",
        "content/seiten/passwd.md: error: symbolischer Link zeigt aus `content/` heraus",
        "content/beispiele/zurueck: warning: symbolischer Link auf ein Verzeichnis",
    ] {
        assert!(err.contains(needle), "missing {needle:?}:\n{err}");
    }
    assert!(
        !err.contains("root:"),
        "content of /etc/passwd leaked:\n{err}"
    );
    // A link inside content/ is fine (documented behaviour).
    let s = site(None);
    let content = s.path().join("content");
    std::fs::rename(
        content.join("beispiele/kleindorf-chatbot.md"),
        content.join("kleindorf.txt"),
    )
    .unwrap();
    symlink(
        "../kleindorf.txt",
        content.join("beispiele/kleindorf-chatbot.md"),
    )
    .unwrap();
    let (code, err) = check_code(s.path());
    // The stray .txt file itself is reported, the link target is loaded.
    assert!(
        err.contains("content/kleindorf.txt: error: Datei liegt an einem unbekannten Ort"),
        "{err}"
    );
    assert!(!err.contains("symbolischer Link"), "{err}");
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn fifo_and_other_special_files_do_not_hang() {
    let s = site(None);
    let fifo = s.path().join("content/beispiele/rohr.md");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo not available; skipped");
        return;
    }
    let (code, err) = check_code(s.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("content/beispiele/rohr.md: error: keine gewöhnliche Datei"),
        "{err}"
    );
}

#[test]
fn path_traversal_in_references_and_file_names_is_refused() {
    let text = example_md(
        "szenarien: [\"../../etc/passwd\"]\nverwandte_beispiele: [\"../beispiele/kleindorf-chatbot\", \"/etc/passwd\"]\nhandlungsfelder_weitere: [\"..\"]\n",
        "",
    );
    let err = assert_error(
        &[("content/beispiele/reise.md", text.as_bytes())],
        &[
            "Feld `szenarien[0]`: das Szenario `../../etc/passwd` gibt es nicht",
            "Feld `verwandte_beispiele[0]`: das Beispiel `../beispiele/kleindorf-chatbot` gibt es nicht",
            "Feld `verwandte_beispiele[1]`: das Beispiel `/etc/passwd` gibt es nicht",
            "Feld `handlungsfelder_weitere[0]`: das Handlungsfeld `..` gibt es nicht",
        ],
    );
    assert!(!err.contains("root:"), "{err}");
    // A scenario's `vorboten` and the site's legal links are references too.
    let scenario =
        std::fs::read_to_string(fixtures().join("minimal/content/szenarien/verkehr-2035.md"))
            .unwrap()
            .replace(
                "vorboten: [musterstadt-ampelsteuerung]",
                "vorboten: [\"../../../etc/shadow\"]",
            );
    assert_error(
        &[("content/szenarien/verkehr-2035.md", scenario.as_bytes())],
        &["das Beispiel `../../../etc/shadow` gibt es nicht"],
    );
    // File names with dots or `..` are not valid ids.
    for name in ["a..b.md", "x.y.md", "-x.md", "x-.md"] {
        let rel = format!("content/beispiele/{name}");
        let err = assert_error(
            &[(&rel, example_md("", "").as_bytes())],
            &[&format!("{rel}: error: ungültiger Dateiname")],
        );
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn ids_that_collide_on_case_insensitive_hosts_are_explained() {
    // `Kleindorf-Chatbot.md` next to `kleindorf-chatbot.md` would be one file on Windows/macOS.
    let err = assert_error(
        &[(
            "content/beispiele/Kleindorf-Chatbot.md",
            example_md("", "").as_bytes(),
        )],
        &[
            "content/beispiele/Kleindorf-Chatbot.md: error: ",
            "`kleindorf-chatbot.md`",
            "Groß-/Kleinschreibung",
        ],
    );
    // The suggested new name must not be the colliding one.
    assert!(
        !err.contains("benennen Sie die Datei in `kleindorf-chatbot.md` um"),
        "{err}"
    );
    // Without a collision, an uppercase stem gets a rename suggestion.
    assert_error(
        &[(
            "content/beispiele/Neues-Beispiel.md",
            example_md("", "").as_bytes(),
        )],
        &[
            "content/beispiele/Neues-Beispiel.md: error: ungültiger Dateiname",
            "benennen Sie die Datei in `neues-beispiel.md` um",
        ],
    );
}

#[test]
fn editor_leftovers_are_ignored() {
    let junk: &[u8] = b"\x00\xff garbage <script>";
    assert_ok(&[
        ("content/beispiele/.kleindorf-chatbot.md.swp", junk),
        ("content/beispiele/.kleindorf-chatbot.md.swo", junk),
        ("content/beispiele/kleindorf-chatbot.md~", junk),
        ("content/beispiele/#kleindorf-chatbot.md#", junk),
        ("content/beispiele/.#kleindorf-chatbot.md", junk),
        ("content/beispiele/kleindorf-chatbot.md.orig", junk),
        ("content/beispiele/kleindorf-chatbot.md.bak", junk),
        ("content/beispiele/.DS_Store", junk),
        ("content/beispiele/Thumbs.db", junk),
        ("content/.git/config", junk),
        ("content/site.yaml~", junk),
    ]);
}

// ---------------------------------------------------------------------------------------------
// 5. Reproducibility
// ---------------------------------------------------------------------------------------------

/// Copy a tree creating entries in reverse name order (so that directory iteration order
/// differs from a sorted copy on file systems that return creation order).
fn copy_tree_reversed(from: &Path, to: &Path) {
    let mut entries: Vec<_> = walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    entries.sort_by(|a, b| b.path().cmp(a.path()));
    for e in &entries {
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

fn build_env(root: &Path, epoch: Option<&str>) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_koki"));
    cmd.args(["build", "--root", &root.to_string_lossy()]);
    match epoch {
        Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
        None => cmd.env_remove("SOURCE_DATE_EPOCH"),
    };
    cmd.output().expect("run koki")
}

fn assert_same_tree(a: &Path, b: &Path, what: &str) {
    let ta = read_tree(a);
    let tb = read_tree(b);
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "{what}: file lists differ"
    );
    for (k, v) in &ta {
        assert!(v == &tb[k], "{what}: {k} differs");
    }
}

#[test]
fn builds_do_not_depend_on_directory_order_location_or_wall_clock() {
    // Site A: sorted copy. Site B: another temp dir, entries created in reverse order, plus
    // the hostile fixture in both (many odd characters in ids, labels and sort keys).
    let a = site(Some(&fixtures().join("hostile")));
    let b = tempfile::tempdir().unwrap();
    copy_tree_reversed(a.path(), b.path());
    assert!(build_env(a.path(), None).status.success());
    std::thread::sleep(Duration::from_millis(1100));
    let out = build_env(b.path(), None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_same_tree(
        &a.path().join("public"),
        &b.path().join("public"),
        "different dir and order",
    );

    // Same dir, again later: nothing in the output comes from the wall clock.
    let before = read_tree(&a.path().join("public"));
    std::thread::sleep(Duration::from_millis(1100));
    assert!(build_env(a.path(), None).status.success());
    assert!(
        before == read_tree(&a.path().join("public")),
        "output changed with the clock"
    );
}

#[test]
fn source_date_epoch_is_honoured() {
    let a = site(None);
    let b = site(None);
    // 2026-03-01 (the newest content date of the fixture) vs. 2035-01-01.
    assert!(build_env(a.path(), Some("1772323200")).status.success());
    assert!(build_env(b.path(), None).status.success());
    assert_same_tree(
        &a.path().join("public"),
        &b.path().join("public"),
        "SOURCE_DATE_EPOCH = newest content date",
    );
    // Ten years later, entries are stale: the build date reaches the output, and only via the
    // variable (two builds with it are identical).
    assert!(build_env(a.path(), Some("2051222400")).status.success());
    let later = read_tree(&a.path().join("public"));
    assert!(
        later != read_tree(&b.path().join("public")),
        "SOURCE_DATE_EPOCH ignored"
    );
    std::thread::sleep(Duration::from_millis(1100));
    assert!(build_env(a.path(), Some("2051222400")).status.success());
    assert!(later == read_tree(&a.path().join("public")));
    // Invalid values are ignored like an unset variable.
    assert!(build_env(a.path(), Some("gestern")).status.success());
    assert_same_tree(
        &a.path().join("public"),
        &b.path().join("public"),
        "invalid epoch",
    );
}
