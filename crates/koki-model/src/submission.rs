//! The logic of the submission form ("Beispiel einreichen"), run in the visitor's browser by
//! `koki-form-wasm` and natively by the tests:
//!
//! - [`check`]: the diagnostics `koki check`'s validation reports for one file, judged against
//!   the catalog's vocabulary and ids ([`Context`]) instead of the other files;
//! - [`compose`]: the Markdown file for what a visitor typed ([`Draft`]), front matter in the
//!   order of the content model (as `koki new` lays it out), serialised by `serde_yaml` so that
//!   any typed text (`: `, `#`, `---`, quotes, tabs, `</script>`) parses back to exactly itself;
//! - [`amend`]: a correction of an existing file that rewrites only the fields whose value
//!   changed and keeps every other byte (comments, quoting, order);
//! - [`draft_of`]: an existing file as a [`Draft`], to prefill the form.

use crate::diagnostics::Diagnostic;
use crate::diagnostics::Diagnostics;
use crate::entry::{duplicate_id, parse_file, too_large, Loaded, MAX_FILE_BYTES};
use crate::frontmatter;
use crate::model::Example;
use crate::validate::validate;
use crate::yaml;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the catalog's vocabulary lives, as diagnostics name it.
pub const VOCABULARY_FILE: &str = "content/vokabular.yaml";

/// What the form knows of the catalog; the build writes it to `einreichen/kontext.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Context {
    /// Text of `content/vokabular.yaml`.
    pub vokabular: String,
    /// Ids of the action fields, examples, scenarios and pages of the catalog.
    pub handlungsfelder: Vec<String>,
    pub beispiele: Vec<String>,
    pub szenarien: Vec<String>,
    pub seiten: Vec<String>,
    /// Site-relative paths of the parsed content files (`content/beispiele/x.md`): when two
    /// files share an id, the build reports the one that sorts later as the duplicate.
    #[serde(default)]
    pub dateien: Vec<String>,
    /// Former ids (`fruehere_ids`) of the examples that list any, by site-relative file path:
    /// a former id belongs to the first file that claims it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fruehere_ids: BTreeMap<String, Vec<String>>,
}

impl Context {
    /// The context of loaded content (what the build publishes for the form).
    pub fn of(loaded: &Loaded, vokabular: String) -> Context {
        fn ids<T>(entries: &[crate::entry::Entry<T>]) -> Vec<String> {
            entries.iter().map(|e| e.id.clone()).collect()
        }
        // Files that exist but failed to parse count as known, as in `validate`.
        let with_unparsed = |mut v: Vec<String>, section: &str| {
            v.extend(loaded.unparsed_ids(section).map(str::to_string));
            v.sort();
            v.dedup();
            v
        };
        Context {
            vokabular,
            handlungsfelder: with_unparsed(ids(&loaded.fields), "handlungsfelder"),
            beispiele: with_unparsed(ids(&loaded.examples), "beispiele"),
            szenarien: with_unparsed(ids(&loaded.scenarios), "szenarien"),
            seiten: with_unparsed(ids(&loaded.pages), "seiten"),
            dateien: files_of(loaded),
            fruehere_ids: former_ids_of(&loaded.examples),
        }
    }

    /// (former id, example id) of the examples whose files sort before `shown`.
    fn former_ids_before(&self, shown: &str) -> Vec<(String, String)> {
        self.fruehere_ids
            .iter()
            .take_while(|(file, _)| file.as_str() < shown)
            .flat_map(|(file, olds)| {
                let (_, owner) = dir_and_stem(file);
                olds.iter().map(move |o| (o.clone(), owner.to_string()))
            })
            .collect()
    }

    /// Whether another file with the id of `shown` sorts before it in its section, so the
    /// build would report `shown` as the duplicate.
    fn earlier_file_with_id(&self, shown: &str) -> bool {
        let (dir, stem) = dir_and_stem(shown);
        self.dateien
            .iter()
            .any(|f| f.as_str() < shown && dir_and_stem(f) == (dir, stem))
    }

    fn sections(&self) -> [(&'static str, &[String]); 4] {
        [
            ("handlungsfelder", &self.handlungsfelder),
            ("beispiele", &self.beispiele),
            ("szenarien", &self.szenarien),
            ("seiten", &self.seiten),
        ]
    }
}

/// The former ids of the examples that list any, by site-relative file path.
pub fn former_ids_of(examples: &[crate::entry::Entry<Example>]) -> BTreeMap<String, Vec<String>> {
    examples
        .iter()
        .filter(|e| !e.meta.fruehere_ids.is_empty())
        .map(|e| {
            let file = e.source.file.to_string_lossy().replace('\\', "/");
            (file, e.meta.fruehere_ids.clone())
        })
        .collect()
}

/// Site-relative paths of every parsed entry's file, sorted.
fn files_of(loaded: &Loaded) -> Vec<String> {
    fn paths<T>(entries: &[crate::entry::Entry<T>]) -> impl Iterator<Item = String> + '_ {
        entries
            .iter()
            .map(|e| e.source.file.to_string_lossy().replace('\\', "/"))
    }
    let mut files: Vec<String> = paths(&loaded.fields)
        .chain(paths(&loaded.examples))
        .chain(paths(&loaded.scenarios))
        .chain(paths(&loaded.pages))
        .collect();
    files.sort();
    files
}

/// The directory and file stem (the id) of a site-relative path.
fn dir_and_stem(path: &str) -> (&str, &str) {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    (dir, name.split_once('.').map_or(name, |(stem, _)| stem))
}

/// Diagnostics for the file `shown` (site-relative, e.g. `content/beispiele/x.md`) with the
/// text `text`: parsing and validation exactly as `koki check` runs them, with the catalog's
/// other entries known by id only. `is_new` marks a file that is to be added, so an id that
/// the catalog already has is reported as a duplicate.
pub fn check(ctx: &Context, shown: &str, text: &str, is_new: bool) -> Vec<Diagnostic> {
    let mut loaded = Loaded::default();
    let mut diags = Diagnostics::default();
    parse_file(
        Path::new(VOCABULARY_FILE),
        Path::new("vokabular.yaml"),
        &ctx.vokabular,
        &mut loaded,
        &mut diags,
    );
    let shown_path = Path::new(shown);
    let rel = shown.strip_prefix("content/").unwrap_or(shown);
    let section = rel.split('/').next().unwrap_or_default();
    let id = Path::new(rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (name, ids) in ctx.sections() {
        for other in ids {
            if name == section && *other == id {
                if is_new {
                    diags.push(duplicate_id(shown_path, &id));
                }
                continue;
            }
            loaded.elsewhere.push((name.to_string(), other.clone()));
        }
    }
    if !is_new && ctx.earlier_file_with_id(shown) {
        // As the build: the later of two files with one id gets only the duplicate error.
        return vec![duplicate_id(shown_path, &id)];
    }
    loaded.former_ids_elsewhere = ctx.former_ids_before(shown);
    if text.len() as u64 > MAX_FILE_BYTES {
        // As the build: a file this large is reported and not read at all.
        diags.push(too_large(shown_path, text.len() as u64));
    } else {
        parse_file(shown_path, Path::new(rel), text, &mut loaded, &mut diags);
    }
    validate(&loaded, &mut diags);
    diags.sort();
    diags
        .items
        .into_iter()
        .filter(|d| d.file == shown_path)
        .collect()
}

/// A request of the form, JSON tagged by `aktion`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "aktion", rename_all = "lowercase")]
pub enum Request {
    /// Check a file as it is: `{"aktion": "pruefen", "datei": "content/beispiele/x.md",
    /// "text": "…", "neu": false}` → `{"datei", "diagnosen"}`.
    Pruefen {
        datei: String,
        text: String,
        #[serde(default)]
        neu: bool,
    },
    /// Compose the file for a draft (or amend `original`, the file being corrected) and check
    /// it → `{"datei", "text", "diagnosen"}`. Without `datei` the file name comes from the
    /// title, as `koki new` derives it.
    Erzeugen {
        #[serde(default)]
        datei: Option<String>,
        entwurf: Draft,
        #[serde(default)]
        original: Option<String>,
        #[serde(default)]
        neu: bool,
    },
    /// An existing file as a draft, to prefill the form → `{"entwurf"}`.
    Entwurf { text: String },
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Answer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datei: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosen: Option<Vec<Diagnostic>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entwurf: Option<Draft>,
}

/// Directory of examples below `content/`.
const EXAMPLES_DIR: &str = "content/beispiele";

/// Answers one request.
pub fn answer(ctx: &Context, request: Request) -> Answer {
    match request {
        Request::Pruefen { datei, text, neu } => Answer {
            diagnosen: Some(check(ctx, &datei, &text, neu)),
            datei: Some(datei),
            ..Answer::default()
        },
        Request::Erzeugen {
            datei,
            entwurf,
            original,
            neu,
        } => {
            let datei = datei.filter(|d| !d.is_empty()).unwrap_or_else(|| {
                let titel = entwurf
                    .felder
                    .iter()
                    .find(|(k, _)| k == "titel")
                    .and_then(|(_, v)| v.as_str())
                    .unwrap_or_default();
                let slug = crate::entry::slug_for(titel);
                let slug = if slug.is_empty() {
                    "neues-beispiel".to_string()
                } else {
                    slug
                };
                format!("{EXAMPLES_DIR}/{slug}.md")
            });
            let text = match &original {
                Some(o) => amend(o, &entwurf),
                None => compose(&entwurf),
            };
            Answer {
                diagnosen: Some(check(ctx, &datei, &text, neu)),
                datei: Some(datei),
                text: Some(text),
                entwurf: None,
            }
        }
        Request::Entwurf { text } => Answer {
            entwurf: draft_of(&text),
            ..Answer::default()
        },
    }
}

/// `{"error": message}` as bytes.
pub fn error_json(message: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default()
}

/// Reads the context JSON; on failure the error answer.
pub fn open_context(bytes: &[u8]) -> Result<Context, Vec<u8>> {
    serde_json::from_slice(bytes).map_err(|e| error_json(&format!("Kontext unlesbar: {e}")))
}

/// Answers a JSON request with (status, JSON answer); status 0 is success. This is the whole
/// of the browser module's work, so native tests exercise the same path.
pub fn answer_json(ctx: &Context, request: &[u8]) -> (i32, Vec<u8>) {
    match serde_json::from_slice::<Request>(request) {
        Ok(r) => match serde_json::to_vec(&answer(ctx, r)) {
            Ok(out) => (0, out),
            Err(e) => (1, error_json(&e.to_string())),
        },
        Err(e) => (1, error_json(&format!("Anfrage unlesbar: {e}"))),
    }
}

/// What a visitor typed: front-matter fields in form order (nested values as JSON) and the
/// Markdown body.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Draft {
    pub felder: Vec<(String, Json)>,
    pub text: String,
}

/// The file for a new entry: `---`, the front matter, `---`, a blank line, the body.
pub fn compose(draft: &Draft) -> String {
    let front = canonical(&front_matter(draft));
    let yaml = yaml::to_string(&Value::Mapping(front)).unwrap_or_default();
    let yaml = if yaml.trim() == "{}" {
        String::new()
    } else {
        yaml
    };
    let body = body_text(&draft.text);
    if body.is_empty() {
        format!("---\n{yaml}---\n")
    } else {
        format!("---\n{yaml}---\n\n{body}")
    }
}

/// `original` with the fields of `draft` applied: only fields whose value differs are
/// rewritten, removed or added; the body is replaced only when it changed. Falls back to
/// [`compose`] when the original has no readable front matter or an in-place edit would not
/// parse back to the intended values.
pub fn amend(original: &str, draft: &Draft) -> String {
    let original = frontmatter::strip_bom(original);
    let Ok(split) = frontmatter::split(original) else {
        return compose(draft);
    };
    let Ok(Value::Mapping(old)) = yaml::parse_value(split.yaml) else {
        return compose(draft);
    };
    let old = canonical(&old);
    let new = canonical(&front_matter(draft));
    let mut blocks = top_level_blocks(split.yaml);
    apply_changes(&mut blocks, &old, &new);
    let yaml: String = blocks
        .iter()
        .flat_map(|b| [&b.text, &b.trailer])
        .map(String::as_str)
        .collect();

    let yaml_start = split.yaml.as_ptr() as usize - original.as_ptr() as usize;
    let yaml_end = yaml_start + split.yaml.len();
    let body_start = original.len() - split.body.len();
    let body = if body_text(&draft.text) == body_text(split.body) {
        split.body.to_string()
    } else {
        let text = body_text(&draft.text);
        if text.is_empty() {
            text
        } else {
            format!("\n{text}")
        }
    };
    let result = format!(
        "{}{}{}{}",
        &original[..yaml_start],
        yaml,
        &original[yaml_end..body_start],
        body
    );
    let parsed = frontmatter::split(&result)
        .ok()
        .and_then(|s| yaml::parse_value(s.yaml).ok());
    match parsed {
        Some(Value::Mapping(m)) if canonical(&m) == new => result,
        _ => compose(draft),
    }
}

/// An existing file as the form's draft (front matter in file order, body as written).
pub fn draft_of(text: &str) -> Option<Draft> {
    let split = frontmatter::split(frontmatter::strip_bom(text)).ok()?;
    let Value::Mapping(m) = yaml::parse_value(split.yaml).ok()? else {
        return None;
    };
    let felder = m
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), serde_json::to_value(v).ok()?)))
        .collect();
    Some(Draft {
        felder,
        text: split.body.trim_start_matches(['\r', '\n']).to_string(),
    })
}

/// The body as it is written: line breaks normalised, trailing whitespace of the whole text
/// removed, one final line break.
fn body_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let text = text.trim_start_matches('\n').trim_end();
    if text.is_empty() {
        String::new()
    } else {
        format!("{text}\n")
    }
}

/// The typed fields as YAML, without what the visitor left empty.
fn front_matter(draft: &Draft) -> Mapping {
    let mut m = Mapping::new();
    for (key, value) in &draft.felder {
        if let Some(v) = pruned(value).and_then(|v| serde_yaml::to_value(v).ok()) {
            m.insert(Value::String(key.clone()), v);
        }
    }
    m
}

/// Drops empty strings, nulls, and lists and objects that are empty once pruned. Text is
/// kept exactly as typed otherwise.
fn pruned(value: &Json) -> Option<Json> {
    match value {
        Json::Null => None,
        Json::String(s) if s.trim().is_empty() => None,
        Json::Array(items) => {
            let items: Vec<Json> = items.iter().filter_map(pruned).collect();
            (!items.is_empty()).then_some(Json::Array(items))
        }
        Json::Object(fields) => {
            let fields: serde_json::Map<String, Json> = fields
                .iter()
                .filter_map(|(k, v)| pruned(v).map(|v| (k.clone(), v)))
                .collect();
            (!fields.is_empty()).then_some(Json::Object(fields))
        }
        other => Some(other.clone()),
    }
}

/// A mapping in the content model's field order (top level and nested) when it is a valid
/// example; otherwise as given, so that the diagnostics point at what was typed.
fn canonical(m: &Mapping) -> Mapping {
    let registry = crate::fields::Registry::builtin();
    serde_yaml::from_value::<Example>(Value::Mapping(m.clone()))
        .ok()
        // Unknown keys land in `weitere`; keep them where they were typed.
        .filter(|e| {
            e.weitere
                .keys()
                .all(|k| registry.generic_fields().any(|f| f.key == k))
        })
        .and_then(|e| serde_yaml::to_value(e).ok())
        .and_then(|v| match v {
            Value::Mapping(m) => Some(m),
            _ => None,
        })
        .unwrap_or_else(|| m.clone())
}

/// One top-level key of the front matter with its lines (`text`) and the blank and comment
/// lines that follow it (`trailer`, kept when the value is rewritten). The block before the
/// first key has no key.
#[derive(Debug)]
struct Block {
    key: Option<String>,
    text: String,
    trailer: String,
}

/// Name of the top-level key a line starts, if it starts one.
fn key_of_line(line: &str) -> Option<&str> {
    let end = line.find(':')?;
    let key = &line[..end];
    let mut chars = key.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(key)
}

fn top_level_blocks(yaml: &str) -> Vec<Block> {
    let mut blocks = vec![Block {
        key: None,
        text: String::new(),
        trailer: String::new(),
    }];
    for line in yaml.split_inclusive('\n') {
        if let Some(key) = key_of_line(line) {
            blocks.push(Block {
                key: Some(key.to_string()),
                text: line.to_string(),
                trailer: String::new(),
            });
            continue;
        }
        let last = blocks.last_mut().expect("at least the preamble");
        let gap = line.trim().is_empty() || line.starts_with('#');
        if gap && last.key.is_some() {
            last.trailer.push_str(line);
        } else {
            // An indented line after a gap still belongs to the value.
            let trailer = std::mem::take(&mut last.trailer);
            last.text.push_str(&trailer);
            last.text.push_str(line);
        }
    }
    blocks
}

/// YAML text of one top-level field.
fn field_text(key: &Value, value: &Value) -> String {
    let mut m = Mapping::new();
    m.insert(key.clone(), value.clone());
    let text = yaml::to_string(&Value::Mapping(m)).unwrap_or_default();
    if text.ends_with('\n') {
        text
    } else {
        format!("{text}\n")
    }
}

fn apply_changes(blocks: &mut Vec<Block>, old: &Mapping, new: &Mapping) {
    // Removed fields.
    blocks.retain(|b| match &b.key {
        Some(k) => {
            let key = Value::String(k.clone());
            !old.contains_key(&key) || new.contains_key(&key)
        }
        None => true,
    });
    let mut previous: Option<String> = None;
    for (key, value) in new {
        let Some(name) = key.as_str() else { continue };
        if old.get(key) != Some(value) {
            let text = field_text(key, value);
            match blocks.iter().position(|b| b.key.as_deref() == Some(name)) {
                Some(i) => blocks[i].text = text,
                None => {
                    let at = previous
                        .as_deref()
                        .and_then(|p| blocks.iter().position(|b| b.key.as_deref() == Some(p)))
                        .map_or(1, |i| i + 1)
                        .min(blocks.len());
                    blocks.insert(
                        at,
                        Block {
                            key: Some(name.to_string()),
                            text,
                            trailer: String::new(),
                        },
                    );
                }
            }
        }
        previous = Some(name.to_string());
    }
}

#[cfg(test)]
mod tests;
