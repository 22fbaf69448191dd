//! `koki check`: everything `build` validates, without writing anything, plus checks that matter
//! for contributors before a pull request is merged:
//!
//! - placeholders left over from `koki new` (`TODO …`) — errors;
//! - internal links in Markdown bodies (`/beispiele/<id>/`, `/szenarien/<id>/`,
//!   `/handlungsfelder/<id>/`, `/seiten/<id>/`, `/filter/<facet>/<value>/`, `#anchor`,
//!   `/beispiele/<id>/#anchor`) and links to source files (`x.md`) — errors;
//! - duplicates: the same PSTW id in two examples (error), the same municipality with a
//!   similar title (warning);
//! - stale entries (`zuletzt_geprueft`, else `erfasst_am`, older than 18 months) — warnings;
//! - body structure of examples: a body that follows none of the recommended sections, or a
//!   heading that misses a recommended one by a typo — warnings.
//!
//! Warnings are not shown for a file that has errors: they would bury the errors and appear
//! once those are fixed. The reference date for staleness is injected ([`check_with_date`]);
//! the CLI uses [`reference_date`] (`SOURCE_DATE_EPOCH` if set, else today).

use crate::dates::{date_from_epoch, stale_cutoff, STALE_AFTER_MONTHS};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Severity};
use crate::load::{self, Entry, Loaded, Source};
use crate::markdown;
use crate::model::Example;
use crate::yaml::{Seg, YamlSource};
use chrono::NaiveDate;
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Marker that `koki new` puts into every value a contributor has to replace.
pub const PLACEHOLDER: &str = "TODO";

/// Recommended body sections of an example, in their recommended order.
pub const RECOMMENDED_SECTIONS: &[&str] = &[
    "Ausgangslage",
    "Lösung und Funktionsweise",
    "Daten",
    "Wirkung",
    "Beschäftigte und Beteiligung",
    "Gemeinwohl und Risiken",
    "Herausforderungen und Erkenntnisse",
    "Übertragbarkeit",
];

/// Two titles of the same municipality at least this similar (0..1) are reported as possible
/// duplicates.
pub const SIMILAR_TITLE_THRESHOLD: f64 = 0.85;

/// The date staleness is measured against: `SOURCE_DATE_EPOCH` (seconds since 1970) if set and
/// valid, else today (UTC). Unlike the build (`dates::reference_date`, never the wall clock),
/// `check` reports what is overdue today.
pub fn reference_date() -> NaiveDate {
    date_from_epoch(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// Run all checks for the site at `root` with today's reference date.
pub fn check(root: &Path) -> Diagnostics {
    check_with_date(root, reference_date())
}

/// Run all checks for the site at `root`; `today` is the reference date for staleness.
/// The result is sorted; warnings stay warnings (the caller applies `--strict`).
pub fn check_with_date(root: &Path, today: NaiveDate) -> Diagnostics {
    let (loaded, mut diags) = load::load(root);
    crate::validate::validate(&loaded, &mut diags);

    let mut placeholders = check_placeholders(root);
    // A placeholder usually also fails a type or vocabulary check at the same spot; one
    // message ("replace the placeholder") is clearer than two. The placeholder message keeps
    // what that check expected (e.g. the vocabulary's values).
    let spot = |d: &Diagnostic| (d.file.clone(), d.line, d.column);
    let spots: HashSet<(PathBuf, usize, usize)> = placeholders.iter().map(spot).collect();
    let mut expected: BTreeMap<(PathBuf, usize, usize), String> = BTreeMap::new();
    diags.items.retain(|d| {
        if !spots.contains(&spot(d)) {
            return true;
        }
        if let Some(e) = &d.expected {
            expected.entry(spot(d)).or_insert_with(|| e.clone());
        }
        false
    });
    for d in &mut placeholders {
        if let Some(e) = expected.remove(&spot(d)) {
            d.expected = Some(e);
        }
    }
    diags.extend(placeholders);

    let index = SiteIndex::new(root, &loaded);
    check_links(&loaded, &index, &mut diags);
    // Advice (warnings) on files that already have errors would only bury the errors; it is
    // shown once the errors are fixed.
    let mut advice = Diagnostics::default();
    check_duplicates(&loaded, &mut diags, &mut advice);
    check_stale(&loaded, today, &mut advice);
    check_sections(&loaded, &mut advice);
    check_missing_ags(&loaded, &mut advice);
    let with_errors: HashSet<PathBuf> = diags
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.clone())
        .collect();
    diags.extend(
        advice
            .items
            .into_iter()
            .filter(|d| !with_errors.contains(&d.file)),
    );
    diags.sort();
    diags
}

// ---------------------------------------------------------------------------------------------
// Placeholders

/// Scan examples and scenarios for `TODO` values in the front matter and `TODO` lines in the
/// body. Works on the raw files, so placeholders are found even when typed parsing fails.
fn check_placeholders(root: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for dir in ["beispiele", "szenarien"] {
        let Ok(read) = std::fs::read_dir(root.join("content").join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            // Symlinks and oversized files are reported by the loader; never read them here.
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if load::is_ignored_name(&name) || !meta.is_file() || meta.len() > load::MAX_FILE_BYTES
            {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            // Most files have no placeholder at all: skip parsing them again.
            if !text.contains(PLACEHOLDER) {
                continue;
            }
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let text = crate::frontmatter::strip_bom(&text);
            let (yaml, yaml_first_line, body) = if name.ends_with(".md") {
                match crate::frontmatter::split(text) {
                    Ok(s) => (s.yaml, s.yaml_first_line, Some((s.body, s.body_first_line))),
                    Err(_) => continue,
                }
            } else {
                (text, 1, None)
            };
            let src = YamlSource {
                file: &shown,
                text: yaml,
                first_line: yaml_first_line,
            };
            let schema = if dir == "beispiele" {
                crate::schema::example_schema()
            } else {
                crate::schema::scenario_schema()
            };
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(serde_json::Value::as_str).collect())
                .unwrap_or_default();
            if let Ok(value) = crate::yaml::parse_value(yaml) {
                let mut found = Vec::new();
                find_placeholders(&value, &mut Vec::new(), &mut found);
                for p in found {
                    let top = match p.first() {
                        Some(Seg::Key(k)) => k.as_str(),
                        _ => "",
                    };
                    let hint = if required.contains(&top) {
                        "tragen Sie hier die echte Angabe ein (Pflichtfeld)"
                    } else {
                        "tragen Sie hier die echte Angabe ein oder löschen Sie das optionale Feld"
                    };
                    out.push(
                        src.error_at(&p, true, "Platzhalter `TODO` ist noch nicht ersetzt")
                            .hint(hint),
                    );
                }
            }
            if let Some((body, first)) = body {
                for (i, line) in body.lines().enumerate() {
                    let trimmed = line.trim_start();
                    if trimmed.starts_with(PLACEHOLDER) {
                        let col = line.len() - trimmed.len();
                        out.push(
                            Diagnostic::error(
                                &shown,
                                "Platzhalter `TODO` im Text ist noch nicht ersetzt",
                            )
                            .at(first + i, line[..col].chars().count() + 1)
                            .with_source_line(Some(line))
                            .hint(
                                "schreiben Sie den Abschnitt oder löschen Sie ihn samt Überschrift",
                            ),
                        );
                    }
                }
            }
        }
    }
    out
}

fn find_placeholders(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match value {
        Value::String(s) if s.trim_start().starts_with(PLACEHOLDER) => out.push(path.clone()),
        Value::Mapping(map) => {
            for (k, v) in map {
                if let Some(k) = k.as_str() {
                    path.push(Seg::Key(k.to_string()));
                    find_placeholders(v, path, out);
                    path.pop();
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                find_placeholders(v, path, out);
                path.pop();
            }
        }
        Value::Tagged(t) => find_placeholders(&t.value, path, out),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Links

/// The site sections whose pages have one id each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Example,
    Scenario,
    Field,
    Page,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Example, Kind::Scenario, Kind::Field, Kind::Page];

    fn dir(self) -> &'static str {
        match self {
            Kind::Example => "beispiele",
            Kind::Scenario => "szenarien",
            Kind::Field => "handlungsfelder",
            Kind::Page => "seiten",
        }
    }

    fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }

    /// The noun with its indefinite article (nominative): "ein Beispiel", "eine Seite".
    fn indefinite(self) -> &'static str {
        match self {
            Kind::Example => "ein Beispiel",
            Kind::Scenario => "ein Szenario",
            Kind::Field => "ein Handlungsfeld",
            Kind::Page => "eine Seite",
        }
    }

    /// Where an anchor is, with the definite article (dative): "im Beispiel", "auf der Seite".
    fn in_definite(self) -> &'static str {
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
struct SiteIndex {
    /// (kind, id) -> heading anchors; `None` when the file exists but could not be parsed.
    entries: BTreeMap<(Kind, String), Option<BTreeSet<String>>>,
    /// Ids that the theme's templates put on every page (e.g. `inhalt`).
    template_ids: BTreeSet<String>,
    /// facet -> vocabulary ids.
    facets: BTreeMap<String, Vec<String>>,
}

fn anchors_of(body: &str) -> BTreeSet<String> {
    markdown::heading_ids(body).into_iter().collect()
}

impl SiteIndex {
    fn new(root: &Path, loaded: &Loaded) -> SiteIndex {
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

    fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.entries
            .keys()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, id)| id.as_str())
    }
}

/// Literal `id="…"` attributes in the theme's templates: valid anchors on every page.
fn template_ids(dir: &Path) -> BTreeSet<String> {
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
struct LinkProblem {
    message: String,
    expected: Option<String>,
    hint: Option<String>,
}

impl LinkProblem {
    fn new(message: String) -> Self {
        LinkProblem {
            message,
            expected: None,
            hint: None,
        }
    }
    fn expected(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }
    fn hint(mut self, h: Option<String>) -> Self {
        self.hint = h;
        self
    }
}

/// Section list pages that exist on every site.
const LIST_PAGES: &[&str] = &[
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

fn has_scheme(dest: &str) -> bool {
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
fn resolve(dest: &str, own_anchors: &BTreeSet<String>, index: &SiteIndex) -> Option<LinkProblem> {
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
                        values
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
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

fn unknown_entry(dest: &str, kind: Kind, id: &str, index: &SiteIndex) -> LinkProblem {
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

fn check_anchor(
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
                format!(
                    "einer von {}",
                    anchors
                        .iter()
                        .map(|a| format!("`#{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .hint(hint),
    )
}

/// File line and column (1-based) of a byte offset in an entry's body.
fn body_position(source: &Source, body: &str, offset: usize) -> (usize, usize, String) {
    let before = &body[..offset];
    let line_index = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = body[line_start..offset].chars().count() + 1;
    let line_text = body[line_start..].lines().next().unwrap_or("").to_string();
    (source.body_first_line + line_index, col, line_text)
}

fn link_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn check_body_links<T>(kind: Kind, e: &Entry<T>, index: &SiteIndex, out: &mut Diagnostics) {
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

fn check_links(loaded: &Loaded, index: &SiteIndex, out: &mut Diagnostics) {
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

// ---------------------------------------------------------------------------------------------
// Duplicates

fn key_path(parts: &[&str]) -> Vec<Seg> {
    parts.iter().map(|p| Seg::Key((*p).to_string())).collect()
}

/// Title normalised for comparison: lowercase, umlauts folded, punctuation removed.
fn normalise_title(title: &str) -> String {
    load::slugify(title).replace('-', " ")
}

/// A municipality key for comparison: the AGS when given, else the normalised name.
fn municipality_keys(e: &Example) -> Vec<(String, &str)> {
    e.kommunen
        .iter()
        .map(|k| {
            let key = match &k.ags {
                Some(a) if !a.trim().is_empty() => format!("ags:{}", a.trim()),
                _ => format!("name:{}", load::slugify(&k.name)),
            };
            (key, k.name.as_str())
        })
        .collect()
}

/// A title prepared for [`title_similarity`]: normalised, and with its longer words sorted.
struct ComparableTitle {
    normal: String,
    sorted: String,
}

impl ComparableTitle {
    fn new(title: &str) -> Self {
        let normal = normalise_title(title);
        let mut words: Vec<&str> = normal.split(' ').filter(|w| w.len() > 3).collect();
        words.sort_unstable();
        let sorted = words.join(" ");
        ComparableTitle { normal, sorted }
    }

    /// Similarity (0..1): edit distance of the normalised titles, also with their words
    /// sorted. Pairs whose lengths alone rule out reaching `at_least` are skipped and get 0.
    fn similarity(&self, other: &Self, at_least: f64) -> f64 {
        fn bound(a: &str, b: &str) -> f64 {
            let (la, lb) = (a.chars().count(), b.chars().count());
            let max = la.max(lb);
            if max == 0 {
                1.0
            } else {
                1.0 - la.abs_diff(lb) as f64 / max as f64
            }
        }
        let mut best = 0.0f64;
        for (a, b) in [(&self.normal, &other.normal), (&self.sorted, &other.sorted)] {
            // The edit distance is at least the difference in length.
            let upper = bound(a, b);
            if upper >= at_least && upper > best {
                best = best.max(strsim::normalized_damerau_levenshtein(a, b));
            }
        }
        best
    }
}

/// Similarity (0..1) of two titles: edit distance of the normalised titles, also with their
/// words sorted, so that reordered titles ("Amberg: Chatbot" / "Chatbot in Amberg") match.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    ComparableTitle::new(a).similarity(&ComparableTitle::new(b), 0.0)
}

fn check_duplicates(loaded: &Loaded, out: &mut Diagnostics, advice: &mut Diagnostics) {
    // The newer entry (by `erfasst_am`, then id) is the one reported: in a pull request that
    // adds a duplicate, the finding appears on the added file.
    let mut examples: Vec<&Entry<Example>> = loaded.examples.iter().collect();
    examples.sort_by(|a, b| (&a.meta.erfasst_am, &a.id).cmp(&(&b.meta.erfasst_am, &b.id)));
    let mut pstw: BTreeMap<String, &Entry<Example>> = BTreeMap::new();
    for e in examples.iter().copied() {
        let Some(id) = e.meta.externe_ids.get("pstw") else {
            continue;
        };
        let norm = id.trim().to_uppercase();
        match pstw.get(&norm) {
            Some(first) => out.push(
                e.source
                    .yaml_source()
                    .error_at(
                        &key_path(&["externe_ids", "pstw"]),
                        true,
                        format!(
                            "die PSTW-Kennung `{id}` steht auch in `{}`",
                            first.source.file.display()
                        ),
                    )
                    .expected("jedes Vorhaben nur einmal im Katalog")
                    .hint(
                        "führen Sie die beiden Einträge zusammen oder korrigieren Sie die Kennung",
                    ),
            ),
            None => {
                pstw.insert(norm, e);
            }
        }
    }

    // Only examples that share a municipality are compared: group them by municipality key
    // (keys and titles computed once per example), then compare within each group.
    let keys: Vec<Vec<(String, &str)>> = examples
        .iter()
        .map(|e| municipality_keys(&e.meta))
        .collect();
    let titles: Vec<ComparableTitle> = examples
        .iter()
        .map(|e| ComparableTitle::new(&e.meta.titel))
        .collect();
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ks) in keys.iter().enumerate() {
        for (k, _) in ks {
            let group = groups.entry(k.as_str()).or_default();
            if group.last() != Some(&i) {
                group.push(i);
            }
        }
    }
    for (j, b) in examples.iter().enumerate() {
        // Earlier examples (in the sorted order) sharing any municipality with `b`.
        let earlier: BTreeSet<usize> = keys[j]
            .iter()
            .flat_map(|(k, _)| groups[k.as_str()].iter().copied().take_while(|&i| i < j))
            .collect();
        for i in earlier {
            let a = examples[i];
            let Some((_, name)) = keys[j]
                .iter()
                .find(|(k, _)| keys[i].iter().any(|(ka, _)| ka == k))
            else {
                continue;
            };
            if titles[j].similarity(&titles[i], SIMILAR_TITLE_THRESHOLD) < SIMILAR_TITLE_THRESHOLD {
                continue;
            }
            let mut d = b.source.yaml_source().warning_at(
                &key_path(&["titel"]),
                format!(
                    "möglicherweise doppelt: `{}` beschreibt ebenfalls `{name}` mit ähnlichem Titel „{}“",
                    a.source.file.display(),
                    a.meta.titel
                ),
            );
            d = d
                .expected("jedes Vorhaben nur einmal im Katalog")
                .hint("ist es dasselbe Vorhaben, führen Sie die Einträge zusammen; sonst machen Sie die Titel unterscheidbar");
            advice.push(d);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Staleness and sections

fn check_stale(loaded: &Loaded, today: NaiveDate, out: &mut Diagnostics) {
    let Some(cutoff) = stale_cutoff(today) else {
        return;
    };
    for e in &loaded.examples {
        let (field, value) = match &e.meta.zuletzt_geprueft {
            Some(d) => ("zuletzt_geprueft", d.as_str()),
            None => ("erfasst_am", e.meta.erfasst_am.as_str()),
        };
        let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") else {
            continue;
        };
        if date >= cutoff {
            continue;
        }
        let message = if field == "erfasst_am" {
            format!(
                "Eintrag ist seit der Erfassung am {value} nicht geprüft worden (über {STALE_AFTER_MONTHS} Monate)"
            )
        } else {
            format!(
                "Eintrag wurde zuletzt am {value} geprüft (vor über {STALE_AFTER_MONTHS} Monaten)"
            )
        };
        let mut d = e
            .source
            .yaml_source()
            .error_at(&key_path(&[field]), true, message);
        d.severity = Severity::Warning;
        d = d
            .expected(format!("ein Prüfdatum ab {cutoff}"))
            .hint(format!(
                "prüfen Sie Angaben und Quellen und setzen Sie dann `zuletzt_geprueft: {today}`"
            ));
        out.push(d);
    }
}

/// A Kommune without `ags` gets no official place facts (Kreis, population, density,
/// settlement class) and is missing from "Passt zu meiner Kommune": a warning for every
/// municipal example (Land-level examples have no Kommune key to give).
fn check_missing_ags(loaded: &Loaded, out: &mut Diagnostics) {
    for e in &loaded.examples {
        if e.meta.verwaltungsebene == "land" {
            continue;
        }
        for (i, k) in e.meta.kommunen.iter().enumerate() {
            if k.ags.is_some() {
                continue;
            }
            let mut d = e.source.yaml_source().error_at(
                &[
                    Seg::Key("kommunen".into()),
                    Seg::Index(i),
                    Seg::Key("name".into()),
                ],
                true,
                format!("Kommune `{}` hat keinen Gemeindeschlüssel (`ags`)", k.name),
            );
            d.severity = Severity::Warning;
            d = d
                .field(format!("kommunen[{i}].ags"))
                .expected("`ags: \"…\"` mit 8 Ziffern (Gemeinde) oder 5 Ziffern (Kreis)")
                .hint(match crate::places::suggestion_for(&k.name) {
                    Some(s) => format!("Kreis nach Name: {s}; ohne Schlüssel fehlen Einwohnerzahl, Dichte und Raumtyp des Kreises"),
                    None => "ohne Schlüssel fehlen Einwohnerzahl, Dichte und Raumtyp des Kreises".into(),
                });
            out.push(d);
        }
    }
}

/// Recommended section whose heading is close to, but not exactly, `heading`.
fn near_miss(heading: &str) -> Option<&'static str> {
    let slug = markdown::anchor(heading);
    RECOMMENDED_SECTIONS.iter().copied().find(|rec| {
        let rec_slug = markdown::anchor(rec);
        rec_slug != slug && strsim::normalized_damerau_levenshtein(&slug, &rec_slug) >= 0.75
    })
}

/// Body structure of examples. Entries are written from what is known, so a single missing
/// section is normal and not reported; reported are bodies that follow none of the
/// recommended sections, and headings that miss a recommended one only by a typo.
fn check_sections(loaded: &Loaded, out: &mut Diagnostics) {
    for e in &loaded.examples {
        let mut any_recommended = false;
        let body_start = e.source.body_first_line;
        let mut heading: Option<(usize, String)> = None;
        for (event, range) in Parser::new_ext(&e.body, link_options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { .. }) => heading = Some((range.start, String::new())),
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, text)) = &mut heading {
                        text.push_str(&t);
                    }
                }
                Event::End(pulldown_cmark::TagEnd::Heading(_)) => {
                    let Some((start, text)) = heading.take() else {
                        continue;
                    };
                    let slug = markdown::anchor(&text);
                    if RECOMMENDED_SECTIONS
                        .iter()
                        .any(|r| markdown::anchor(r) == slug)
                    {
                        any_recommended = true;
                    } else if let Some(rec) = near_miss(&text) {
                        let (line, col, src) = body_position(&e.source, &e.body, start);
                        out.push(
                            Diagnostic::warning(
                                &e.source.file,
                                format!(
                                    "Überschrift „{}“ weicht von der empfohlenen ab",
                                    text.trim()
                                ),
                            )
                            .at(line, col)
                            .with_source_line(Some(&src))
                            .expected(format!(
                                "`## {rec}`, damit der Abschnitt als solcher erkannt wird"
                            ))
                            .hint(format!("meinten Sie `## {rec}`?")),
                        );
                        any_recommended = true;
                    }
                }
                _ => {}
            }
        }
        if any_recommended {
            continue;
        }
        let list = RECOMMENDED_SECTIONS
            .iter()
            .map(|s| format!("`## {s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = if e.body.trim().is_empty() {
            "das Beispiel hat keinen Text"
        } else {
            "der Text folgt keinem der empfohlenen Abschnitte"
        };
        let mut d = Diagnostic::warning(&e.source.file, message)
            .expected(format!("Abschnitte wie {list}"))
            .hint(if body_start == 0 {
                "schreiben Sie das Beispiel als `.md`-Datei mit Text nach dem Front Matter; `koki new beispiel` legt eine Vorlage an"
            } else {
                "gliedern Sie den Text mit diesen Überschriften (genau so geschrieben); wozu es nichts zu sagen gibt, darf fehlen"
            });
        if body_start > 0 {
            // The line where the body starts, right after the closing `---`.
            d = d.at(body_start, 0);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_external() {
        assert!(has_scheme("https://x.example/"));
        assert!(has_scheme("mailto:a@b.example"));
        assert!(!has_scheme("/beispiele/a/"));
        assert!(!has_scheme("#daten"));
        assert!(!has_scheme("a/b:c"));
    }

    #[test]
    fn similar_titles() {
        assert!(
            title_similarity(
                "Chatbot im Bürgerservice der Stadt Amberg",
                "Chatbot im Buergerservice der Stadt Amberg!"
            ) > 0.95
        );
        assert!(
            title_similarity("Amberg: Chatbot im Rathaus", "Chatbot im Rathaus in Amberg") > 0.9
        );
        assert!(
            title_similarity(
                "Chatbot auf der Website der Stadt Amberg",
                "Intelligente Straßenbeleuchtung in Amberg"
            ) < SIMILAR_TITLE_THRESHOLD
        );
    }
}
