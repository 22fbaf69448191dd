//! Internal links and anchors in bodies: every link must reach a page or heading of the site.

use super::*;
use crate::diagnostics::quoted;

/// The site sections whose pages have one id each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Example,
    Scenario,
    Field,
    Page,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Example, Kind::Scenario, Kind::Field, Kind::Page];

    pub(super) fn dir(self) -> &'static str {
        match self {
            Kind::Example => "beispiele",
            Kind::Scenario => "szenarien",
            Kind::Field => "handlungsfelder",
            Kind::Page => "seiten",
        }
    }

    pub(super) fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }

    /// The noun with its indefinite article (nominative): "ein Beispiel", "eine Seite".
    pub(super) fn indefinite(self) -> &'static str {
        match self {
            Kind::Example => "ein Beispiel",
            Kind::Scenario => "ein Szenario",
            Kind::Field => "ein Handlungsfeld",
            Kind::Page => "eine Seite",
        }
    }

    /// Where an anchor is, with the definite article (dative): "im Beispiel", "auf der Seite".
    pub(super) fn in_definite(self) -> &'static str {
        match self {
            Kind::Example => "im Beispiel",
            Kind::Scenario => "im Szenario",
            Kind::Field => "im Handlungsfeld",
            Kind::Page => "auf der Seite",
        }
    }
}

/// What links may point to: every entry id (also of files that failed to parse), the heading
/// anchors of every parsed entry, filter facets and their values.
pub(super) struct SiteIndex {
    /// (kind, id) -> heading anchors; `None` when the file exists but could not be parsed.
    pub(super) entries: BTreeMap<(Kind, String), Option<BTreeSet<String>>>,
    /// Ids that the theme's templates put on every page (e.g. `inhalt`).
    pub(super) template_ids: BTreeSet<String>,
    /// facet -> vocabulary ids.
    pub(super) facets: BTreeMap<String, Vec<String>>,
}

pub(super) fn anchors_of(body: &str) -> BTreeSet<String> {
    markdown::heading_ids(body).into_iter().collect()
}

impl SiteIndex {
    pub(super) fn new(root: &Path, loaded: &Loaded) -> SiteIndex {
        let mut entries = BTreeMap::new();
        for kind in Kind::ALL {
            let Ok(read) = std::fs::read_dir(root.join("content").join(kind.dir())) else {
                continue;
            };
            for e in read.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if load::is_ignored_name(&name) {
                    continue;
                }
                if let Some((stem, _)) = name.rsplit_once('.') {
                    entries.insert((kind, stem.to_string()), None);
                }
            }
        }
        let mut add = |kind: Kind, id: &str, body: &str| {
            entries.insert((kind, id.to_string()), Some(anchors_of(body)));
        };
        for e in &loaded.examples {
            add(Kind::Example, &e.id, &e.body);
        }
        for e in &loaded.scenarios {
            add(Kind::Scenario, &e.id, &e.body);
        }
        for e in &loaded.fields {
            add(Kind::Field, &e.id, &e.body);
        }
        for e in &loaded.pages {
            add(Kind::Page, &e.id, &e.body);
        }
        let mut facets = BTreeMap::new();
        if let Some(v) = &loaded.vocab {
            for f in loaded.registry().filter_facets() {
                if let Some(values) = f.vocabulary_name().and_then(|n| v.meta.get(n)) {
                    facets.insert(f.key.to_string(), values.keys().cloned().collect());
                }
            }
        }
        SiteIndex {
            entries,
            template_ids: template_ids(&root.join("themes/default/templates")),
            facets,
        }
    }

    pub(super) fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.entries
            .keys()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, id)| id.as_str())
    }
}

/// Literal `id="…"` attributes in the theme's templates: valid anchors on every page.
pub(super) fn template_ids(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(read) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in read.flatten() {
        let Ok(text) = std::fs::read_to_string(e.path()) else {
            continue;
        };
        for part in text.split("id=\"").skip(1) {
            if let Some(id) = part.split('"').next() {
                if !id.is_empty() && !id.contains('{') {
                    out.insert(id.to_string());
                }
            }
        }
    }
    out
}

/// A broken link, before it gets its position.
pub(super) struct LinkProblem {
    pub(super) message: String,
    pub(super) expected: Option<String>,
    pub(super) hint: Option<String>,
}

impl LinkProblem {
    pub(super) fn new(message: String) -> Self {
        LinkProblem {
            message,
            expected: None,
            hint: None,
        }
    }
    pub(super) fn expected(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }
    pub(super) fn hint(mut self, h: Option<String>) -> Self {
        self.hint = h;
        self
    }
}

/// Section list pages that exist on every site.
pub(super) const LIST_PAGES: &[&str] = &[
    "beispiele",
    "szenarien",
    "handlungsfelder",
    "filter",
    "suche",
    "passend",
    "karte",
    "statistik",
    "daten",
];

pub(super) fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && !scheme.contains(['/', '?', '#'])
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Check one link target as written in the body of `own` (whose anchors are `own_anchors`).
pub(super) fn resolve(
    dest: &str,
    own_anchors: &BTreeSet<String>,
    index: &SiteIndex,
) -> Option<LinkProblem> {
    let dest = dest.trim();
    if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
        return None;
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = before_fragment
        .split_once('?')
        .map_or(before_fragment, |(p, _)| p);

    if path.is_empty() {
        return fragment.and_then(|f| check_anchor(f, own_anchors, index, "in diesem Text"));
    }
    if !path.starts_with('/') {
        // Relative links: only catch links to source files, the usual mistake.
        let file = path.rsplit('/').next().unwrap_or(path);
        if let Some(stem) = file
            .strip_suffix(".md")
            .or_else(|| file.strip_suffix(".yaml"))
        {
            let kind = path
                .split('/')
                .rev()
                .nth(1)
                .and_then(Kind::from_dir)
                .or_else(|| {
                    Kind::ALL
                        .into_iter()
                        .find(|k| index.entries.contains_key(&(*k, stem.to_string())))
                });
            let hint = kind.map(|k| format!("meinten Sie `/{}/{stem}/`?", k.dir()));
            return Some(
                LinkProblem::new(format!("Link `{dest}` zeigt auf eine Quelldatei"))
                    .expected("einen Link auf die Seite, z. B. `/beispiele/<id>/`")
                    .hint(hint),
            );
        }
        return None;
    }
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // `/beispiele/x/index.html` is the same page as `/beispiele/x/`.
    if segments.last() == Some(&"index.html") {
        segments.pop();
    }
    match segments.as_slice() {
        [] => None,
        [section] if LIST_PAGES.contains(section) => None,
        [section, id] if Kind::from_dir(section).is_some() => {
            let kind = Kind::from_dir(section).unwrap_or(Kind::Page);
            match index.entries.get(&(kind, id.to_string())) {
                Some(anchors) => {
                    let anchors = anchors.as_ref()?;
                    let what = format!("{} `{id}`", kind.in_definite());
                    fragment.and_then(|f| check_anchor(f, anchors, index, &what))
                }
                None => Some(unknown_entry(dest, kind, id, index)),
            }
        }
        ["filter", facet, rest @ ..] if rest.len() <= 1 => {
            let Some(values) = index.facets.get(*facet) else {
                return Some(
                    LinkProblem::new(format!("unbekannter Filter `{facet}` in `{dest}`"))
                        .expected(format!(
                            "einer von {}",
                            index
                                .facets
                                .keys()
                                .map(|f| format!("`{f}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                        .hint(did_you_mean(facet, index.facets.keys().map(String::as_str))),
                );
            };
            match rest.first() {
                Some(value) if !values.iter().any(|v| v == value) => Some(
                    LinkProblem::new(format!(
                        "`{value}` ist kein Wert des Filters `{facet}` (Link `{dest}`)"
                    ))
                    .expected(format!(
                        "einer von {}",
                        quoted(&values.iter().map(String::as_str).collect::<Vec<_>>())
                    ))
                    .hint(did_you_mean(value, values.iter().map(String::as_str))),
                ),
                _ => None,
            }
        }
        [section, ..] if Kind::from_dir(section).is_some() || LIST_PAGES.contains(section) => Some(
            LinkProblem::new(format!("Link `{dest}` führt zu keiner Seite"))
                .expected(format!("`/{section}/<id>/`")),
        ),
        // Other site paths (statistics, downloads, …) are made by the theme; not checked.
        _ => None,
    }
}

pub(super) fn unknown_entry(dest: &str, kind: Kind, id: &str, index: &SiteIndex) -> LinkProblem {
    let elsewhere = Kind::ALL
        .into_iter()
        .filter(|k| *k != kind)
        .find(|k| index.entries.contains_key(&(*k, id.to_string())));
    let hint = match elsewhere {
        Some(k) => Some(format!(
            "`{id}` ist {}: `/{}/{id}/`",
            k.indefinite(),
            k.dir()
        )),
        None => did_you_mean(id, index.ids(kind))
            .map(|h| h.replace("meinten Sie `", &format!("meinten Sie `/{}/", kind.dir())))
            .map(|h| h.replace("`?", "/`?")),
    };
    LinkProblem::new(format!(
        "Link `{dest}`: {} `{id}` gibt es nicht",
        kind.indefinite()
    ))
    .expected(format!(
        "die Kennung einer Datei in `content/{}/` (Dateiname ohne Endung)",
        kind.dir()
    ))
    .hint(hint.or_else(|| Some(format!("die Datei `content/{}/{id}.md` fehlt", kind.dir()))))
}

pub(super) fn check_anchor(
    fragment: &str,
    anchors: &BTreeSet<String>,
    index: &SiteIndex,
    what: &str,
) -> Option<LinkProblem> {
    if fragment.is_empty()
        || anchors.contains(fragment)
        || index.template_ids.contains(fragment)
        || fragment.starts_with("fn-")
        || fragment.starts_with("fnref")
    {
        return None;
    }
    let hint = did_you_mean(fragment, anchors.iter().map(String::as_str))
        .map(|h| h.replacen("meinten Sie `", "meinten Sie `#", 1))
        .or_else(|| {
            let slug = markdown::anchor(fragment);
            anchors
                .contains(&slug)
                .then(|| format!("Anker werden aus der Überschrift gebildet: `#{slug}`"))
        });
    Some(
        LinkProblem::new(format!("Anker `#{fragment}` gibt es {what} nicht"))
            .expected(if anchors.is_empty() {
                "eine Überschrift mit diesem Anker (der Text hat keine Überschriften)".to_string()
            } else {
                let anchors: Vec<String> = anchors.iter().map(|a| format!("#{a}")).collect();
                format!(
                    "einer von {}",
                    quoted(&anchors.iter().map(String::as_str).collect::<Vec<_>>())
                )
            })
            .hint(hint),
    )
}

/// File line and column (1-based) of a byte offset in an entry's body.
pub(super) fn body_position(source: &Source, body: &str, offset: usize) -> (usize, usize, String) {
    let before = &body[..offset];
    let line_index = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = body[line_start..offset].chars().count() + 1;
    let line_text = body[line_start..].lines().next().unwrap_or("").to_string();
    (source.body_first_line + line_index, col, line_text)
}

pub(super) fn link_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub(super) fn check_body_links<T>(
    kind: Kind,
    e: &Entry<T>,
    index: &SiteIndex,
    out: &mut Diagnostics,
) {
    if e.body.trim().is_empty() || e.source.body_first_line == 0 {
        return;
    }
    let computed;
    let own = match index.entries.get(&(kind, e.id.clone())) {
        Some(Some(anchors)) => anchors,
        _ => {
            computed = anchors_of(&e.body);
            &computed
        }
    };
    for (event, range) in Parser::new_ext(&e.body, link_options()).into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url.to_string(),
            _ => continue,
        };
        let Some(problem) = resolve(&dest, own, index) else {
            continue;
        };
        // Point at the target itself when it is written inside the link's range, else at the
        // link's start (reference-style links define their target elsewhere).
        let span = &e.body[range.clone()];
        let offset = span
            .find(&format!("]({dest}"))
            .map(|i| range.start + i + 2)
            .or_else(|| span.find(dest.as_str()).map(|i| range.start + i))
            .unwrap_or(range.start);
        let (line, col, text) = body_position(&e.source, &e.body, offset);
        let mut d = Diagnostic::error(&e.source.file, problem.message)
            .at(line, col)
            .with_source_line(Some(&text));
        d.expected = problem.expected;
        d.hint = problem.hint;
        out.push(d);
    }
}

pub(super) fn check_links(loaded: &Loaded, index: &SiteIndex, out: &mut Diagnostics) {
    for e in &loaded.examples {
        check_body_links(Kind::Example, e, index, out);
    }
    for e in &loaded.scenarios {
        check_body_links(Kind::Scenario, e, index, out);
    }
    for e in &loaded.fields {
        check_body_links(Kind::Field, e, index, out);
    }
    for e in &loaded.pages {
        check_body_links(Kind::Page, e, index, out);
    }
    // Navigation entries of `site.yaml` are site-relative paths to the same pages.
    if let Some(site) = &loaded.site {
        let none = BTreeSet::new();
        for (i, item) in site.meta.navigation.iter().enumerate() {
            let dest = format!("/{}", item.pfad.trim_start_matches('/'));
            if item.pfad.contains("://") {
                continue; // reported by `validate`
            }
            if let Some(problem) = resolve(&dest, &none, index) {
                let path = [
                    Seg::Key("navigation".into()),
                    Seg::Index(i),
                    Seg::Key("pfad".into()),
                ];
                let mut d = site.source.yaml_source().error_at(
                    &path,
                    true,
                    format!("Navigation: {}", problem.message),
                );
                d.expected = problem.expected;
                d.hint = problem.hint;
                out.push(d);
            }
        }
    }
}
