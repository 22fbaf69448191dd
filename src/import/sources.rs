//! Sources: URLs from the free-text source column.

use super::*;

/// All http(s) URLs in a cell, cleaned of surrounding punctuation, and the text left over.
pub(super) fn extract_urls(raw: &str) -> (Vec<String>, String) {
    let mut urls = Vec::new();
    let mut rest = String::new();
    for token in raw.split_whitespace() {
        let lower = token.to_ascii_lowercase();
        let Some(at) = lower.find("http://").or_else(|| lower.find("https://")) else {
            rest.push_str(token);
            rest.push(' ');
            continue;
        };
        rest.push_str(&token[..at]);
        rest.push(' ');
        let mut url = &token[at..];
        // Two URLs glued together, or a URL followed by a word ("…/and").
        if let Some(next) = url.get(8..).and_then(|r| r.find("http")).map(|i| i + 8) {
            urls.push(url[..next].to_string());
            url = &url[next..];
        }
        urls.push(url.to_string());
    }
    let urls = urls
        .into_iter()
        .map(|u| {
            u.trim_end_matches(['.', ',', ';', ')', ']', '>', '"', '\'', '“', '”'])
                .to_string()
        })
        .filter(|u| crate::validate::is_http_url(u))
        .collect();
    let mut rest = collapse_ws(&rest);
    // Drop joining words and punctuation left at the ends ("…, and").
    loop {
        let before = rest.clone();
        rest = rest
            .trim_matches([',', ';', ' ', '-', '.'])
            .trim_start_matches(')')
            .trim_end_matches('(')
            .to_string();
        if rest.starts_with('(') && !rest.contains(')') {
            rest.remove(0);
        }
        if rest.ends_with(')') && !rest.contains('(') {
            rest.pop();
        }
        for w in ["and", "und"] {
            if let Some(r) = rest.strip_suffix(w) {
                if r.is_empty() || r.ends_with(' ') || r.ends_with(',') {
                    rest = r.to_string();
                }
            }
            if let Some(r) = rest.strip_prefix(w) {
                if r.is_empty() || r.starts_with(' ') {
                    rest = r.to_string();
                }
            }
        }
        if rest == before {
            break;
        }
    }
    (urls, rest)
}

pub(super) fn map_quellen(
    m: &mut Mapped,
    line: u64,
    website: &str,
    source: &str,
    title: &str,
    opts: &PstwOptions,
) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let title = truncate_words(title, 250);
    for (col, raw, label) in [(COL_WEBSITE, website, ""), (COL_SOURCE, source, "Quelle")] {
        let (urls, rest) = extract_urls(raw);
        if !rest.is_empty() {
            m.unmapped(line, col, &rest, "keine Webadresse; nicht übernommen");
        }
        let n = urls.len();
        for (i, url) in urls.into_iter().enumerate() {
            if !seen.insert(url.trim_end_matches('/').to_string()) {
                continue;
            }
            let t = match (label, n) {
                ("", _) => title.clone(),
                (l, 1) => format!("{title} ({l})"),
                (l, _) => format!("{title} ({l} {})", i + 1),
            };
            m.example.quellen.push(Quelle {
                titel: t,
                url,
                abgerufen: Some(opts.retrieved.clone()),
            });
        }
    }
    m.comment(
        "quellen",
        "bitte prüfen: Titel aus dem PSTW-Namen; Erreichbarkeit der Adressen prüfen",
    );
    if m.example.quellen.is_empty() {
        m.example.quellen.push(Quelle {
            titel: "Public Sector Tech Watch (Europäische Kommission, JRC)".into(),
            url: "https://joinup.ec.europa.eu/collection/public-sector-tech-watch".into(),
            abgerufen: Some(opts.retrieved.clone()),
        });
        m.comment(
            "quellen",
            "TODO: eigene Quelle des Vorhabens ergänzen (PSTW nennt keine Webadresse)",
        );
        m.unmapped(
            line,
            COL_WEBSITE,
            website,
            "keine Webadresse; PSTW-Übersichtsseite als Quelle",
        );
        m.todos
            .push("`quellen` ergänzen (nur PSTW-Übersicht)".into());
    }
}
