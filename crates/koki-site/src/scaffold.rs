//! `koki new beispiel|szenario "Titel"`: a commented template with every required field, so that
//! contributors start from a file that has the right shape.
//!
//! Every value the contributor has to supply is a placeholder starting with `TODO`; `koki check`
//! reports each one that is left, so an unfinished file never passes. The slug comes from the
//! title (`load::slugify`: umlauts transliterated). Existing files are never overwritten.

use crate::schema::{Terms, EXAMPLE_FILE, SCENARIO_FILE, SCHEMA_DIR};
use crate::Error;
use chrono::NaiveDate;
use koki_model::fields::{FieldSpec, Kind, Registry};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

pub use koki_model::entry::{slug_for, MAX_SLUG_CHARS};

/// Marker that `koki new` puts into every value a contributor has to replace; `koki check`
/// reports each one that is left.
pub const PLACEHOLDER: &str = "TODO";

/// What to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Example,
    Scenario,
}

impl EntryKind {
    /// Directory below `content/`.
    pub fn dir(self) -> &'static str {
        match self {
            EntryKind::Example => "beispiele",
            EntryKind::Scenario => "szenarien",
        }
    }

    fn schema_file(self) -> &'static str {
        match self {
            EntryKind::Example => EXAMPLE_FILE,
            EntryKind::Scenario => SCENARIO_FILE,
        }
    }
}

/// A YAML scalar for arbitrary text (a JSON string is a valid YAML double-quoted scalar).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Comment lines listing the allowed ids of a vocabulary, wrapped at ~100 columns.
fn allowed(out: &mut String, indent: &str, terms: Option<&Terms>, vocabulary: &str) {
    let Some(entries) = terms.and_then(|t| t.vocab.get(vocabulary)) else {
        return;
    };
    let ids: Vec<&str> = entries.keys().map(String::as_str).collect();
    wrap_list(out, indent, "erlaubt", &ids);
}

/// `# <help>`, the allowed ids and `# <key>: <example>` for one registry field: the comment
/// lines by which `koki new` offers an optional field.
fn offer_field(out: &mut String, field: &FieldSpec, example: &str, terms: Option<&Terms>) {
    let _ = writeln!(out, "# {}", field.help);
    if let Some(v) = field.vocabulary_name() {
        allowed(out, "", terms, v);
    }
    let _ = writeln!(out, "# {}: {example}", field.key);
}

/// Every field of the registry a contributor writes that `source` (the template file) does not
/// name, in registry order: a field added to the registry appears in `koki new` (and in the
/// form's template) without touching the template file.
fn other_fields(out: &mut String, source: &str, terms: Option<&Terms>) {
    let registry = terms.map_or_else(Registry::builtin, Terms::registry);
    let named = named_keys(source);
    for f in registry.fields() {
        if !f.is_written() || named.contains(f.key) {
            continue;
        }
        let example = match f.kind {
            Kind::VocabList(_) => "[…]",
            _ => "…",
        };
        offer_field(out, f, example, terms);
    }
}

/// The keys a template file writes or offers: `key:` at the start of a line (after
/// indentation, `#` and `- `) and the keys of `@field` directives.
fn named_keys(source: &str) -> std::collections::BTreeSet<&str> {
    source
        .lines()
        .filter_map(|line| {
            let text = line.trim_start();
            if let Some(rest) = text.strip_prefix("@field ") {
                return rest.split_whitespace().next();
            }
            let text = text.trim_start_matches('#').trim_start();
            let text = text.strip_prefix("- ").unwrap_or(text);
            let (key, _) = text.split_once(':')?;
            let is_key = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            is_key.then_some(key)
        })
        .collect()
}

fn allowed_fields(out: &mut String, terms: Option<&Terms>) {
    let Some(t) = terms.filter(|t| !t.action_fields.is_empty()) else {
        return;
    };
    let ids: Vec<&str> = t.action_fields.iter().map(|(id, _)| id.as_str()).collect();
    wrap_list(out, "", "erlaubt", &ids);
}

fn wrap_list(out: &mut String, indent: &str, label: &str, ids: &[&str]) {
    let mut line = format!("{indent}# {label}: ");
    let start_len = line.len();
    for (i, id) in ids.iter().enumerate() {
        let piece = if i + 1 == ids.len() {
            id.to_string()
        } else {
            format!("{id}, ")
        };
        if line.len() + piece.len() > 100 && line.len() > start_len {
            out.push_str(line.trim_end());
            out.push('\n');
            line = format!("{indent}#   ");
        }
        line.push_str(&piece);
    }
    out.push_str(&line);
    out.push('\n');
}

/// The template of a new example: the file's text with `{…}` values and `@…` directives
/// (see [`template`]). A data file, so that the wording can be edited without touching code.
const EXAMPLE_TEMPLATE: &str = include_str!("scaffold/example.template");
/// The template of a new scenario.
const SCENARIO_TEMPLATE: &str = include_str!("scaffold/scenario.template");

/// The template text for a new entry.
///
/// The template files hold the text as it is written, with these values filled in: `{todo}`
/// (the [`PLACEHOLDER`]), `{title}` (the title as a quoted YAML scalar), `{today}` and `{year}`,
/// `{schema}` (the JSON Schema's path). A line whose text starts with `@` is a directive,
/// replaced by comment lines at its indentation: `@allowed <vocabulary>` lists the allowed ids,
/// `@action_fields` the action fields, `@field <key> <example>` offers a registry field with its
/// help text, `@other_fields` every registry field the file does not name. Without `terms` (no
/// readable site) the lists of allowed ids are left out and the built-in registry is used.
pub fn template(kind: EntryKind, title: &str, today: NaiveDate, terms: Option<&Terms>) -> String {
    let source = match kind {
        EntryKind::Example => EXAMPLE_TEMPLATE,
        EntryKind::Scenario => SCENARIO_TEMPLATE,
    };
    let values = [
        ("todo", PLACEHOLDER.to_string()),
        ("title", quoted(title)),
        ("today", today.to_string()),
        ("year", today.format("%Y").to_string()),
        (
            "schema",
            format!("../../{SCHEMA_DIR}/{}", kind.schema_file()),
        ),
    ];
    let mut out = String::with_capacity(source.len() + 2048);
    for line in source.lines() {
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        match text.strip_prefix('@').map(Directive::parse) {
            Some(Some(directive)) => {
                let ctx = Fill {
                    source,
                    indent,
                    terms,
                    values: &values,
                };
                directive.write(&mut out, &ctx)
            }
            _ => {
                fill(&mut out, line, &values);
                out.push('\n');
            }
        }
    }
    out
}

/// A directive line of a template file.
#[derive(Debug, PartialEq, Eq)]
enum Directive<'a> {
    /// `@allowed <vocabulary>`
    Allowed(&'a str),
    /// `@action_fields`
    ActionFields,
    /// `@field <key> <example>`: a registry field with its help text and example value.
    Field(&'a str, &'a str),
    /// `@other_fields`: the registry's remaining fields (see [`other_fields`]).
    OtherFields,
}

impl<'a> Directive<'a> {
    fn parse(text: &'a str) -> Option<Directive<'a>> {
        match text.split_once(' ') {
            Some(("allowed", vocabulary)) => Some(Directive::Allowed(vocabulary.trim())),
            Some(("field", rest)) => {
                let (key, example) = rest.trim().split_once(' ')?;
                Registry::builtin().get(key)?;
                Some(Directive::Field(key, example.trim()))
            }
            None if text == "action_fields" => Some(Directive::ActionFields),
            None if text == "other_fields" => Some(Directive::OtherFields),
            _ => None,
        }
    }

    fn write(&self, out: &mut String, ctx: &Fill<'_>) {
        match self {
            Directive::Allowed(vocabulary) => allowed(out, ctx.indent, ctx.terms, vocabulary),
            Directive::ActionFields => allowed_fields(out, ctx.terms),
            Directive::Field(key, example) => {
                let registry = ctx.terms.map_or_else(Registry::builtin, Terms::registry);
                if let Some(field) = registry.get(key) {
                    let mut value = String::new();
                    fill(&mut value, example, ctx.values);
                    offer_field(out, field, &value, ctx.terms);
                }
            }
            Directive::OtherFields => other_fields(out, ctx.source, ctx.terms),
        }
    }
}

/// What a directive needs to know about the template it stands in.
struct Fill<'a> {
    source: &'a str,
    indent: &'a str,
    terms: Option<&'a Terms>,
    values: &'a [(&'a str, String)],
}

/// `line` with each `{name}` of `values` replaced, in one pass (a filled-in value is never
/// read again, so a title containing `{todo}` stays as written).
fn fill(out: &mut String, line: &str, values: &[(&str, String)]) {
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let known = after.find('}').and_then(|close| {
            let value = values.iter().find(|(name, _)| *name == &after[..close])?;
            Some((close, &value.1))
        });
        match known {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// Create `content/<dir>/<id>.md` below `root` from the template. `id` overrides the slug
/// derived from the title. Returns the path of the new file.
pub fn create(
    root: &Path,
    kind: EntryKind,
    title: &str,
    id: Option<&str>,
    today: NaiveDate,
) -> Result<PathBuf, Error> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::EmptyTitle);
    }
    if title.contains(['\n', '\r']) {
        return Err(Error::MultilineTitle);
    }
    let id = match id {
        Some(id) if crate::load::is_valid_id(id) => id.to_string(),
        Some(id) => return Err(Error::InvalidId(id.to_string())),
        None => {
            let slug = slug_for(title);
            if slug.is_empty() {
                return Err(Error::NoSlug(title.to_string()));
            }
            slug
        }
    };
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::NoContent(root.to_path_buf()));
    }
    let dir = content.join(kind.dir());
    for ext in ["md", "yaml", "yml"] {
        let existing = dir.join(format!("{id}.{ext}"));
        if existing.exists() {
            return Err(Error::Exists(shown(root, &existing)));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let (loaded, _) = crate::load::load(root);
    let terms = Terms::from_loaded(&loaded);
    let text = template(kind, title, today, terms.as_ref());
    let path = dir.join(format!("{id}.md"));
    // `create_new` refuses to replace a file that appeared in the meantime.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Exists(shown(root, &path)),
            _ => Error::Io {
                path: path.clone(),
                source,
            },
        })?;
    file.write_all(text.as_bytes())
        .map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_and_transliterated() {
        assert_eq!(
            slug_for("KI-Assistenz für Müller & Söhne"),
            "ki-assistenz-fuer-mueller-soehne"
        );
        let long = slug_for(&"Verkehrssteuerung ".repeat(10));
        assert!(long.len() <= MAX_SLUG_CHARS, "{long}");
        assert!(!long.ends_with('-'));
        assert_eq!(slug_for("!!!"), "");
    }

    #[test]
    fn every_directive_of_the_template_files_is_known() {
        for source in [EXAMPLE_TEMPLATE, SCENARIO_TEMPLATE] {
            for line in source.lines() {
                if let Some(text) = line.trim_start().strip_prefix('@') {
                    assert!(
                        Directive::parse(text).is_some(),
                        "unknown directive: {line}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_value_is_filled_in() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        for kind in [EntryKind::Example, EntryKind::Scenario] {
            let t = template(kind, "{todo} bleibt", today, None);
            for name in ["{todo}", "{today}", "{year}", "{schema}", "{title}"] {
                assert_eq!(
                    t.matches(name).count(),
                    usize::from(name == "{todo}"),
                    "{name}"
                );
            }
            assert!(!t.lines().any(|l| l.trim_start().starts_with('@')), "{t}");
        }
    }

    /// Registry coverage of `koki new`: every field a contributor writes is in the template.
    #[test]
    fn the_example_template_offers_every_written_field_of_the_registry() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        let t = template(EntryKind::Example, "Titel", today, None);
        let offered = named_keys(&t);
        for f in Registry::builtin()
            .fields()
            .iter()
            .filter(|f| f.is_written())
        {
            assert!(
                offered.contains(f.key),
                "`{}` is not in the template",
                f.key
            );
        }
        // The file names each of them itself: `@other_fields` adds nothing for the built-in
        // registry (it is there for fields a site's registry adds).
        let mut extra = String::new();
        other_fields(&mut extra, EXAMPLE_TEMPLATE, None);
        assert_eq!(extra, "");
    }

    #[test]
    fn other_fields_offers_a_field_the_template_does_not_name() {
        let field = FieldSpec::vocabulary(
            "datenquelle",
            "datenquelle",
            true,
            "Datenquelle",
            "Woher die Daten kommen.",
            koki_model::fields::Group::Wie,
        );
        let terms = Terms {
            vocab: Default::default(),
            action_fields: Vec::new(),
            registry: Some(std::sync::Arc::new(Registry::with([field]))),
        };
        let t = template(EntryKind::Example, "Titel", NaiveDate::MIN, Some(&terms));
        assert!(
            t.contains("# Woher die Daten kommen.\n# datenquelle: […]\n"),
            "{t}"
        );
    }

    #[test]
    fn fill_keeps_unknown_braces() {
        let mut out = String::new();
        fill(
            &mut out,
            "# zeitraum: { start: {year} } {x}",
            &[("year", "2030".into())],
        );
        assert_eq!(out, "# zeitraum: { start: 2030 } {x}");
    }

    #[test]
    fn template_quotes_the_title_and_dates_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        let t = template(EntryKind::Example, "Titel: mit \"Zeichen\"", today, None);
        assert!(t.contains(r#"titel: "Titel: mit \"Zeichen\"""#), "{t}");
        assert!(t.contains("erfasst_am: 2026-03-04"));
        assert!(t.contains("$schema=../../schema/beispiel.schema.json"));
        let split = crate::frontmatter::split(&t).unwrap();
        let v = crate::yaml::parse_value(split.yaml).unwrap();
        assert_eq!(v["titel"].as_str(), Some("Titel: mit \"Zeichen\""));
        let t = template(EntryKind::Scenario, "Zukunft", today, None);
        assert!(t.contains("erstellt_am: 2026-03-04"));
        assert!(crate::frontmatter::split(&t).is_ok());
    }
}
