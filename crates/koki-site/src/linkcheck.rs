//! A link checker over a built site: every `href`/`src`/`action` on every generated HTML page
//! (and the inline SVGs in them) must resolve to a generated file, fragments to an `id` on the
//! target page. Links to other hosts are not followed. Works with a base path (`/katalog/`).

use crate::Error;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// Site-relative file containing the link.
    pub page: String,
    pub href: String,
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: `{}`: {}", self.page, self.href, self.reason)
    }
}

/// What was checked.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub links: usize,
    pub broken: Vec<BrokenLink>,
}

/// Decode the HTML character references our templates produce.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos..];
        let Some(end) = after.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if name.starts_with("#x") || name.starts_with("#X") => {
                u32::from_str_radix(&name[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Values of the given attributes in an HTML text (quoted attribute values only, which is what
/// koki's templates write), skipping `<script>` contents.
pub fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let after = &rest[lt + 1..];
        if after.starts_with("script") {
            // Attributes of the script tag itself count; its body does not.
            let tag_end = after.find('>').unwrap_or(after.len());
            collect_attrs(&after[..tag_end], names, &mut out);
            let close = after.find("</script").unwrap_or(after.len());
            rest = &after[close..];
            continue;
        }
        if after.starts_with("!--") {
            let close = after.find("-->").map_or(after.len(), |c| c + 3);
            rest = &after[close..];
            continue;
        }
        let tag_end = after.find('>').unwrap_or(after.len());
        collect_attrs(&after[..tag_end], names, &mut out);
        rest = &after[tag_end..];
    }
    out
}

fn collect_attrs(tag: &str, names: &[&str], out: &mut Vec<String>) {
    let bytes = tag.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Find `name="` at a word boundary.
        if bytes[i].is_ascii_whitespace() {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len()
                && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-' || bytes[j] == b':')
            {
                j += 1;
            }
            let name = &tag[start..j];
            if j + 1 < bytes.len()
                && bytes[j] == b'='
                && (bytes[j + 1] == b'"' || bytes[j + 1] == b'\'')
            {
                let quote = bytes[j + 1];
                let vstart = j + 2;
                let vend = tag[vstart..]
                    .bytes()
                    .position(|b| b == quote)
                    .map_or(tag.len(), |p| vstart + p);
                if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    out.push(decode_entities(&tag[vstart..vend]));
                }
                i = vend + 1;
                continue;
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// Resolve `.` and `..` segments of a `/`-separated path.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/');
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Check every link of every HTML file below `dir`. `base_url` is the site's absolute base
/// URL (its path is the base path; absolute links to it count as internal).
pub fn check_site(dir: &Path, base_url: &str) -> Result<Report, Error> {
    let (base_full, base_path) = crate::catalog::split_base_url(base_url);
    let mut files: BTreeSet<String> = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::LinkCheckRead {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel);
        }
    }
    let html_files: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    let mut texts: BTreeMap<&str, String> = BTreeMap::new();
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for f in &html_files {
        let path = dir.join(f);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::LinkCheckRead {
            path: path.clone(),
            message: e.to_string(),
        })?;
        ids.insert(
            f.as_str(),
            attribute_values(&text, &["id"]).into_iter().collect(),
        );
        texts.insert(f.as_str(), text);
    }
    let mut report = Report {
        pages: html_files.len(),
        ..Report::default()
    };
    for (page, text) in &texts {
        let page_dir = match page.rfind('/') {
            Some(p) => &page[..=p],
            None => "",
        };
        for href in attribute_values(text, &["href", "src", "action"]) {
            report.links += 1;
            let broken = |reason: &str| BrokenLink {
                page: page.to_string(),
                href: href.clone(),
                reason: reason.to_string(),
            };
            let h = href.trim();
            if h.is_empty() {
                report.broken.push(broken("empty link"));
                continue;
            }
            let lower = h.to_ascii_lowercase();
            if lower.starts_with("mailto:")
                || lower.starts_with("tel:")
                || lower.starts_with("data:")
            {
                continue;
            }
            if lower.starts_with("javascript:") {
                report
                    .broken
                    .push(broken("javascript: links are not allowed"));
                continue;
            }
            // Absolute links: internal only when below the base URL.
            let local: String = if lower.starts_with("http://") || lower.starts_with("https://") {
                match h.strip_prefix(base_full.as_str()) {
                    Some(rest) => format!("{base_path}{rest}"),
                    None => continue,
                }
            } else if h.starts_with("//") {
                continue;
            } else {
                h.to_string()
            };
            let (without_fragment, fragment) = match local.split_once('#') {
                Some((a, b)) => (a.to_string(), Some(b.to_string())),
                None => (local.clone(), None),
            };
            let path_part = without_fragment
                .split_once('?')
                .map_or(without_fragment.as_str(), |(a, _)| a);
            // Site-relative target path.
            let target = if path_part.is_empty() {
                page.to_string()
            } else if let Some(abs) = path_part.strip_prefix('/') {
                let abs = format!("/{abs}");
                match abs.strip_prefix(base_path.as_str()) {
                    Some(rest) => rest.to_string(),
                    None if abs == base_path.trim_end_matches('/') => String::new(),
                    None => {
                        report.broken.push(broken(&format!(
                            "absolute path outside the base path `{base_path}`"
                        )));
                        continue;
                    }
                }
            } else {
                match normalise(&format!("{page_dir}{path_part}")) {
                    Some(p) => p,
                    None => {
                        report.broken.push(broken("relative path leaves the site"));
                        continue;
                    }
                }
            };
            let target = percent_decode(&target);
            let file = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else if files.contains(&target) {
                target.clone()
            } else if files.contains(&format!("{target}/index.html")) {
                format!("{target}/index.html")
            } else {
                target.clone()
            };
            if !files.contains(&file) {
                report.broken.push(broken(&format!("no file `{file}`")));
                continue;
            }
            if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
                if let Some(target_ids) = ids.get(file.as_str()) {
                    let frag = percent_decode(&frag);
                    if !target_ids.contains(&frag) {
                        report
                            .broken
                            .push(broken(&format!("no element with id `{frag}` in `{file}`")));
                    }
                }
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_entities() {
        let html = r#"<a href="/a/?x=1&amp;y=2" class="k">x</a><script>var a = "<a href='/no/'>";</script><img src='/i.png' alt="">"#;
        let v = attribute_values(html, &["href", "src"]);
        assert_eq!(v, vec!["/a/?x=1&y=2".to_string(), "/i.png".to_string()]);
        assert_eq!(decode_entities("a&#39;b&#x41;&amp;"), "a'bA&");
    }

    #[test]
    fn checks_links_under_a_sub_path() {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w(
            "index.html",
            r##"<a href="/kat/a/">a</a><a href="a/#x">ax</a><a href="/kat/b/">b</a><a href="https://ex.org/kat/a/">abs</a><a href="https://other.org/">ext</a><a href="#nope">n</a><a href="/a/">outside</a>"##,
        );
        w(
            "a/index.html",
            r#"<h1 id="x">A</h1><a href="../">up</a><link href="../static/s.css">"#,
        );
        w("static/s.css", "");
        let r = check_site(dir.path(), "https://ex.org/kat").unwrap();
        let hrefs: Vec<&str> = r.broken.iter().map(|b| b.href.as_str()).collect();
        assert_eq!(hrefs, vec!["/kat/b/", "#nope", "/a/"], "{:#?}", r.broken);
        assert_eq!(r.pages, 2);
    }
}
