//! Entries as parsed from content files: where each came from, its typed front matter and
//! body, and the parse of one file from its text. No file-system access (the build reads files
//! in `koki::load`; the submission form gets the text from the browser).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fields::Registry;
use crate::frontmatter;
use crate::model::{ActionField, Example, Page, Scenario, SiteConfig, Vocabularies};
use crate::yaml::{self, YamlSource};
use koki_text::{is_slug as is_valid_id, slugify};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where an entry came from, kept for diagnostics after parsing.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path for display, relative to the site root (e.g. `content/beispiele/x.md`).
    pub file: PathBuf,
    pub yaml: String,
    pub yaml_first_line: usize,
    pub body_first_line: usize,
}

impl Source {
    pub fn yaml_source(&self) -> YamlSource<'_> {
        YamlSource {
            file: &self.file,
            text: &self.yaml,
            first_line: self.yaml_first_line,
        }
    }
}

/// One parsed entry: its id (file stem), typed front matter and Markdown body.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub id: String,
    pub meta: T,
    pub body: String,
    pub source: Source,
}

/// Everything read from `content/`, before cross-validation.
#[derive(Debug, Default)]
pub struct Loaded {
    pub site: Option<Entry<SiteConfig>>,
    pub vocab: Option<Entry<Vocabularies>>,
    pub fields: Vec<Entry<ActionField>>,
    pub examples: Vec<Entry<Example>>,
    pub scenarios: Vec<Entry<Scenario>>,
    pub pages: Vec<Entry<Page>>,
    /// (section directory, id) of entries whose file exists but could not be parsed.
    pub unparsed: Vec<(String, String)>,
    /// (section directory, id) of entries that exist in the catalog but whose files are not
    /// part of this load: the submission form checks one file against the catalog's ids.
    pub elsewhere: Vec<(String, String)>,
    /// (former id, example id) claimed by examples known from elsewhere whose files sort
    /// before this load's: they take precedence, as the earlier file does in the build.
    pub former_ids_elsewhere: Vec<(String, String)>,
    /// The field registry examples are parsed and validated with (`None`: the built-in one).
    pub registry: Option<Arc<Registry>>,
}

impl Loaded {
    /// An empty load that parses and validates examples with `registry`.
    pub fn with_registry(registry: Arc<Registry>) -> Loaded {
        Loaded {
            registry: Some(registry),
            ..Loaded::default()
        }
    }

    /// The field registry of this load.
    pub fn registry(&self) -> Arc<Registry> {
        self.registry.clone().unwrap_or_else(Registry::builtin)
    }

    /// Ids of entries in `section` that exist but are not among the parsed entries: files
    /// that failed to parse, and entries known from elsewhere ([`Loaded::elsewhere`]).
    pub fn unparsed_ids<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.unparsed
            .iter()
            .chain(&self.elsewhere)
            .filter(move |(s, _)| s == section)
            .map(|(_, id)| id.as_str())
    }
}

/// The kind of entry a content sub-directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Fields,
    Examples,
    Scenarios,
    Pages,
}

impl Section {
    fn from_dir(name: &str) -> Option<Section> {
        match name {
            "handlungsfelder" => Some(Section::Fields),
            "beispiele" => Some(Section::Examples),
            "szenarien" => Some(Section::Scenarios),
            "seiten" => Some(Section::Pages),
            _ => None,
        }
    }
}

/// Positions (1-based line, 1-based column in characters) of control characters other than tab,
/// line feed and carriage return: they are invalid in XML (the feed) and in HTML.
pub fn control_chars(text: &str) -> Vec<(usize, usize, char)> {
    let mut found = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        for (col, c) in line.chars().enumerate() {
            let bad = (c.is_control() && !matches!(c, '\t' | '\r'))
                || matches!(c, '\u{FFFE}' | '\u{FFFF}');
            if bad {
                found.push((i + 1, col + 1, c));
            }
        }
    }
    found
}

/// Merge the result of one file into the whole. A file whose id an earlier, successfully
/// parsed file of the same section already has gets only the duplicate error (and counts as
/// unparsed), whatever its own parse gave.
pub fn merge_part(
    shown: &Path,
    part: Loaded,
    part_diags: Diagnostics,
    seen: &mut std::collections::HashSet<(String, String)>,
    loaded: &mut Loaded,
    diags: &mut Diagnostics,
) {
    let entry: Option<(&str, &str, bool)> = if let Some(e) = part.fields.first() {
        Some(("handlungsfelder", e.id.as_str(), true))
    } else if let Some(e) = part.examples.first() {
        Some(("beispiele", e.id.as_str(), true))
    } else if let Some(e) = part.scenarios.first() {
        Some(("szenarien", e.id.as_str(), true))
    } else if let Some(e) = part.pages.first() {
        Some(("seiten", e.id.as_str(), true))
    } else {
        part.unparsed
            .first()
            .map(|(d, id)| (d.as_str(), id.as_str(), false))
    };
    if let Some((dir, id, parsed)) = entry {
        let key = (dir.to_string(), id.to_string());
        if seen.contains(&key) {
            diags.push(duplicate_id(shown, id));
            loaded.unparsed.push(key);
            return;
        }
        if parsed {
            seen.insert(key);
        }
    }
    diags.extend(part_diags.items);
    if part.site.is_some() {
        loaded.site = part.site;
    }
    if part.vocab.is_some() {
        loaded.vocab = part.vocab;
    }
    loaded.fields.extend(part.fields);
    loaded.examples.extend(part.examples);
    loaded.scenarios.extend(part.scenarios);
    loaded.pages.extend(part.pages);
    loaded.unparsed.extend(part.unparsed);
}

/// Largest content file koki reads (1 MiB): larger files are reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The finding for a content file of `len` bytes, larger than [`MAX_FILE_BYTES`].
pub fn too_large(shown: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(shown, format!("Datei ist zu groß ({len} Bytes)"))
        .expected(format!("höchstens {MAX_FILE_BYTES} Bytes"))
        .hint("teilen Sie den Inhalt auf oder kürzen Sie ihn")
}

/// Longest file name (id) derived from a title, cut at a hyphen (`koki new`, the form).
pub const MAX_SLUG_CHARS: usize = 60;

/// The id a new entry gets from its title: folded, hyphenated, at most [`MAX_SLUG_CHARS`].
pub fn slug_for(title: &str) -> String {
    koki_text::cut_at_hyphen(&slugify(title), MAX_SLUG_CHARS)
}

pub(crate) fn duplicate_id(shown: &Path, id: &str) -> Diagnostic {
    Diagnostic::error(shown, format!("die Kennung `{id}` ist doppelt vergeben"))
        .hint("es darf nur eine Datei `<id>.md` oder `<id>.yaml` geben; benennen Sie eine um")
}

/// Parses one content file from its path relative to `content/` and its text, into `loaded`.
/// `shown` is the path used in diagnostics. No file-system access: the caller has read the
/// text (the build from disk, the submission form from the browser).
pub fn parse_file(
    shown: &Path,
    rel: &Path,
    text: &str,
    loaded: &mut Loaded,
    diags: &mut Diagnostics,
) {
    let shown = shown.to_path_buf();
    let parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let file_name = parts.last().cloned().unwrap_or_default();
    let (stem, ext) = match file_name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), e.to_string()),
        None => (file_name.clone(), String::new()),
    };
    let text = frontmatter::strip_bom(text).to_string();
    let controls = control_chars(&text);
    if !controls.is_empty() {
        for (line, col, c) in controls.into_iter().take(5) {
            diags.push(
                Diagnostic::error(&shown, format!("unzulässiges Steuerzeichen U+{:04X}", c as u32))
                    .at(line, col)
                    .with_source_line(text.lines().nth(line - 1))
                    .hint("entfernen Sie das unsichtbare Zeichen (oft beim Kopieren aus PDF oder Word entstanden)"),
            );
        }
        return;
    }

    match parts.as_slice() {
        [name] if name == "site.yaml" => {
            if let Some(e) = parse_yaml_entry::<SiteConfig>("site", &shown, &text, &yaml::cached_schema::<SiteConfig>(), diags) {
                loaded.site = Some(e);
            }
        }
        [name] if name == "vokabular.yaml" => {
            if let Some(e) = parse_yaml_entry::<Vocabularies>("vokabular", &shown, &text, &yaml::cached_schema::<Vocabularies>(), diags) {
                loaded.vocab = Some(e);
            }
        }
        [dir, _] if Section::from_dir(dir).is_some() => {
            let section = Section::from_dir(dir).unwrap_or(Section::Pages);
            if !is_valid_id(&stem) {
                diags.push(
                    Diagnostic::error(&shown, format!("ungültiger Dateiname `{file_name}`"))
                        .expected("Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche, z. B. `muenchen-mucgpt.md`")
                        .hint(format!("benennen Sie die Datei in `{}.{ext}` um", slugify(&stem))),
                );
                return;
            }
            let md = ext == "md";
            let yaml_only = ext == "yaml" || ext == "yml";
            if !(md || yaml_only) || (yaml_only && section != Section::Examples) {
                diags.push(
                    Diagnostic::error(&shown, format!("unerwarteter Dateityp `.{ext}`"))
                        .expected(if section == Section::Examples { "`.md` oder `.yaml`" } else { "`.md`" }),
                );
                return;
            }
            let before = diags.error_count();
            let parse = Parse { id: &stem, shown: &shown, text: &text, markdown: md };
            match section {
                Section::Fields => push_entry(&mut loaded.fields, parse, &yaml::cached_schema::<ActionField>(), diags),
                Section::Examples => {
                    let schema = loaded.registry().example_schema();
                    push_entry(&mut loaded.examples, parse, &schema, diags)
                }
                Section::Scenarios => push_entry(&mut loaded.scenarios, parse, &yaml::cached_schema::<Scenario>(), diags),
                Section::Pages => push_entry(&mut loaded.pages, parse, &yaml::cached_schema::<Page>(), diags),
            }
            if diags.error_count() > before {
                loaded.unparsed.push((dir.clone(), stem.clone()));
            }
        }
        _ => diags.push(
            Diagnostic::error(&shown, "Datei liegt an einem unbekannten Ort und würde nicht veröffentlicht")
                .expected("`content/site.yaml`, `content/vokabular.yaml` oder eine Datei in `handlungsfelder/`, `beispiele/`, `szenarien/`, `seiten/`"),
        ),
    }
}

fn parse_yaml_entry<T: DeserializeOwned>(
    id: &str,
    shown: &Path,
    text: &str,
    schema: &(serde_json::Value, serde_json::Value),
    diags: &mut Diagnostics,
) -> Option<Entry<T>> {
    let source = Source {
        file: shown.to_path_buf(),
        yaml: text.to_string(),
        yaml_first_line: 1,
        body_first_line: 0,
    };
    match yaml::parse_with_schema::<T>(source.yaml_source(), schema) {
        Ok(meta) => Some(Entry {
            id: id.to_string(),
            meta,
            body: String::new(),
            source,
        }),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    }
}

/// One content file to parse into an entry.
#[derive(Clone, Copy)]
struct Parse<'a> {
    id: &'a str,
    shown: &'a Path,
    text: &'a str,
    /// Markdown with front matter (else a YAML file).
    markdown: bool,
}

/// Parse one file into `into`, checking its keys against `schema`.
fn push_entry<T: DeserializeOwned>(
    into: &mut Vec<Entry<T>>,
    file: Parse<'_>,
    schema: &(serde_json::Value, serde_json::Value),
    diags: &mut Diagnostics,
) {
    let Parse {
        id,
        shown,
        text,
        markdown,
    } = file;
    // Within one call `into` holds at most the entries of earlier calls on the same `Loaded`;
    // `load` parses files separately and finds duplicates while merging (`merge_part`).
    if into.iter().any(|e| e.id == id) {
        diags.push(duplicate_id(shown, id));
        return;
    }
    if !markdown {
        if let Some(e) = parse_yaml_entry::<T>(id, shown, text, schema, diags) {
            into.push(e);
        }
        return;
    }
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            diags.push(
                Diagnostic::error(shown, e.to_string())
                    .at(1, 1)
                    .with_source_line(text.lines().next())
                    .hint(match e {
                        crate::Error::UnclosedFrontMatter => {
                            "schließen Sie das Front Matter mit einer Zeile `---` ab"
                        }
                        // `split` fails with one of the two front-matter variants only.
                        _ => "beginnen Sie die Datei mit `---`, dann die Felder, dann wieder `---`",
                    }),
            );
            return;
        }
    };
    let source = Source {
        file: shown.to_path_buf(),
        yaml: split.yaml.to_string(),
        yaml_first_line: split.yaml_first_line,
        body_first_line: split.body_first_line,
    };
    match yaml::parse_with_schema::<T>(source.yaml_source(), schema) {
        Ok(meta) => into.push(Entry {
            id: id.to_string(),
            meta,
            body: split.body.to_string(),
            source,
        }),
        Err(ds) => diags.extend(ds),
    }
}
