//! Loading `content/`: walk the tree, read every file once, split front matter, parse YAML into
//! the typed model. Problems are collected, never thrown: one bad file does not hide another.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::frontmatter;
use crate::model::{ActionField, Example, Page, Scenario, SiteConfig, Vocabularies};
use crate::yaml::{self, YamlSource};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Largest content file accepted (bytes).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

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
}

impl Loaded {
    /// Ids of entries in `section` that exist as files but failed to parse.
    pub fn unparsed_ids<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.unparsed
            .iter()
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

/// Files that editors and operating systems leave behind; never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || [".swp", ".swo", ".swx", ".bak", ".orig", ".tmp", ".DS_Store"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "Thumbs.db"
}

/// Whether a string is a valid entry id: lowercase ASCII letters, digits and single hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Suggest an id for an invalid file stem (lowercase, umlauts transliterated, hyphens).
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let piece = match c {
            'ä' | 'Ä' => "ae".to_string(),
            'ö' | 'Ö' => "oe".to_string(),
            'ü' | 'Ü' => "ue".to_string(),
            'ß' => "ss".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase().to_string(),
            _ => "-".to_string(),
        };
        out.push_str(&piece);
    }
    out.split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Read and parse everything under `root/content`. `root` is used to show relative paths.
pub fn load(root: &Path) -> (Loaded, Diagnostics) {
    let content = root.join("content");
    let mut loaded = Loaded::default();
    let mut diags = Diagnostics::default();
    let display = |p: &Path| -> PathBuf { p.strip_prefix(root).unwrap_or(p).to_path_buf() };

    let canonical_root = match content.canonicalize() {
        Ok(c) => c,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    display(&content),
                    format!("Inhaltsverzeichnis nicht lesbar: {e}"),
                )
                .hint("koki erwartet `content/` im Wurzelverzeichnis der Site (Option --root)"),
            );
            return (loaded, diags);
        }
    };

    let mut files: Vec<PathBuf> = Vec::new();
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) if e.path_is_symlink() => match e.path().canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {
                    files.push(e.path().to_path_buf())
                }
                Ok(target) if target.is_dir() => diags.push(
                    Diagnostic::warning(display(e.path()), "symbolischer Link auf ein Verzeichnis wird nicht verfolgt")
                        .hint("legen Sie die Dateien direkt unter `content/` ab"),
                ),
                Ok(_) => diags.push(
                    Diagnostic::error(display(e.path()), "symbolischer Link zeigt aus `content/` heraus")
                        .hint("Inhalte müssen innerhalb von `content/` liegen; kopieren Sie die Datei hierher"),
                ),
                Err(err) => diags.push(Diagnostic::error(
                    display(e.path()),
                    format!("symbolischer Link ist nicht auflösbar (Schleife oder Ziel fehlt): {err}"),
                )),
            },
            Ok(e) => files.push(e.path().to_path_buf()),
            Err(err) => {
                let path = err.path().map(display).unwrap_or_else(|| display(&content));
                diags.push(Diagnostic::error(path, format!("nicht lesbar: {err}")));
            }
        }
    }

    // Names that differ only in case are one file on Windows and macOS: the lowercase one is
    // the id; the other is reported (and not loaded), with a message that says why.
    let rel = |p: &Path| {
        p.strip_prefix(&content)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    let mut lowercase: std::collections::HashMap<String, &Path> = std::collections::HashMap::new();
    for p in &files {
        let name = rel(p);
        let keep = lowercase.entry(name.to_lowercase()).or_insert(p.as_path());
        if name == name.to_lowercase() {
            *keep = p.as_path();
        }
    }
    let mut colliding: Vec<PathBuf> = Vec::new();
    for p in &files {
        let kept = lowercase[&rel(p).to_lowercase()];
        if kept != p.as_path() {
            let other = kept.file_name().unwrap_or_default().to_string_lossy();
            diags.push(
                Diagnostic::error(
                    display(p),
                    format!(
                        "der Dateiname unterscheidet sich von `{other}` nur in Groß-/Kleinschreibung"
                    ),
                )
                .expected("Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche")
                .hint(format!(
                    "unter Windows und macOS wären beide dieselbe Datei; führen Sie sie mit `{other}` zusammen oder wählen Sie eine andere Kennung"
                )),
            );
            colliding.push(p.clone());
        }
    }
    // Read and parse every file on its own, in parallel, then merge in file order. Duplicate
    // ids are decided in the merge exactly as a sequential pass would decide them.
    use rayon::prelude::*;
    let kept: Vec<&PathBuf> = files.iter().filter(|p| !colliding.contains(p)).collect();
    let parts: Vec<(Loaded, Diagnostics)> = kept
        .par_iter()
        .map(|path| {
            let mut part = Loaded::default();
            let mut part_diags = Diagnostics::default();
            load_file(root, &content, path, &mut part, &mut part_diags);
            (part, part_diags)
        })
        .collect();
    let mut seen: std::collections::HashSet<(String, String)> = Default::default();
    for (path, (part, part_diags)) in kept.iter().zip(parts) {
        merge_part(
            &display(path),
            part,
            part_diags,
            &mut seen,
            &mut loaded,
            &mut diags,
        );
    }
    if loaded.site.is_none() && !diags.items.iter().any(|d| d.file.ends_with("site.yaml")) {
        diags.push(
            Diagnostic::error(
                display(&content.join("site.yaml")),
                "die Site-Konfiguration fehlt",
            )
            .hint("legen Sie `content/site.yaml` mit `titel`, `base_url` und `herausgeber` an"),
        );
    }
    if loaded.vocab.is_none()
        && !diags
            .items
            .iter()
            .any(|d| d.file.ends_with("vokabular.yaml"))
    {
        diags.push(
            Diagnostic::error(
                display(&content.join("vokabular.yaml")),
                "die Vokabulare fehlen",
            )
            .hint("legen Sie `content/vokabular.yaml` an (Vorlage: das mitgelieferte Beispiel)"),
        );
    }
    (loaded, diags)
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

/// Read a file as UTF-8 text within the size limit.
fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| Diagnostic::error(shown, format!("nicht lesbar: {e}"));
    let too_big = |len: u64| {
        Diagnostic::error(shown, format!("Datei ist zu groß ({len} Bytes)"))
            .expected(format!("höchstens {MAX_FILE_BYTES} Bytes"))
            .hint("teilen Sie den Inhalt auf oder kürzen Sie ihn")
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    // A FIFO or device would block the build or never end; only regular files are content.
    if !meta.is_file() {
        return Err(
            Diagnostic::error(shown, "keine gewöhnliche Datei (Gerät, FIFO oder Socket)")
                .hint("entfernen Sie sie aus `content/`"),
        );
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    // Read at most one byte past the limit: the file may have grown since `metadata`.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Diagnostic::error(shown, "die Datei ist kein gültiges UTF-8")
            .at(line, col)
            .hint("speichern Sie die Datei in der Kodierung UTF-8")
    })
}

/// Merge the result of one file into the whole. A file whose id an earlier, successfully
/// parsed file of the same section already has gets only the duplicate error (and counts as
/// unparsed), whatever its own parse gave.
fn merge_part(
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

fn duplicate_id(shown: &Path, id: &str) -> Diagnostic {
    Diagnostic::error(shown, format!("die Kennung `{id}` ist doppelt vergeben"))
        .hint("es darf nur eine Datei `<id>.md` oder `<id>.yaml` geben; benennen Sie eine um")
}

fn load_file(
    root: &Path,
    content: &Path,
    path: &Path,
    loaded: &mut Loaded,
    diags: &mut Diagnostics,
) {
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let rel = path.strip_prefix(content).unwrap_or(path);
    let parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    let file_name = parts.last().cloned().unwrap_or_default();
    let (stem, ext) = match file_name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), e.to_string()),
        None => (file_name.clone(), String::new()),
    };

    let text = match read_text(path, &shown) {
        Ok(t) => t,
        Err(d) => return diags.push(d),
    };
    let text = frontmatter::strip_bom(&text).to_string();
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
            if let Some(e) = parse_yaml_entry::<SiteConfig>("site", &shown, &text, diags) {
                loaded.site = Some(e);
            }
        }
        [name] if name == "vokabular.yaml" => {
            if let Some(e) = parse_yaml_entry::<Vocabularies>("vokabular", &shown, &text, diags) {
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
            match section {
                Section::Fields => push_entry(&mut loaded.fields, &stem, &shown, &text, md, diags),
                Section::Examples => push_entry(&mut loaded.examples, &stem, &shown, &text, md, diags),
                Section::Scenarios => push_entry(&mut loaded.scenarios, &stem, &shown, &text, md, diags),
                Section::Pages => push_entry(&mut loaded.pages, &stem, &shown, &text, md, diags),
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

fn parse_yaml_entry<T: DeserializeOwned + JsonSchema>(
    id: &str,
    shown: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<Entry<T>> {
    let source = Source {
        file: shown.to_path_buf(),
        yaml: text.to_string(),
        yaml_first_line: 1,
        body_first_line: 0,
    };
    match yaml::parse::<T>(source.yaml_source()) {
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

fn push_entry<T: DeserializeOwned + JsonSchema>(
    into: &mut Vec<Entry<T>>,
    id: &str,
    shown: &Path,
    text: &str,
    markdown: bool,
    diags: &mut Diagnostics,
) {
    // Within one call `into` holds at most the entries of earlier calls on the same `Loaded`;
    // `load` parses files separately and finds duplicates while merging (`merge_part`).
    if into.iter().any(|e| e.id == id) {
        diags.push(duplicate_id(shown, id));
        return;
    }
    if !markdown {
        if let Some(e) = parse_yaml_entry::<T>(id, shown, text, diags) {
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
                        frontmatter::SplitError::Missing => {
                            "beginnen Sie die Datei mit `---`, dann die Felder, dann wieder `---`"
                        }
                        frontmatter::SplitError::Unclosed => {
                            "schließen Sie das Front Matter mit einer Zeile `---` ab"
                        }
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
    match yaml::parse::<T>(source.yaml_source()) {
        Ok(meta) => into.push(Entry {
            id: id.to_string(),
            meta,
            body: split.body.to_string(),
            source,
        }),
        Err(ds) => diags.extend(ds),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_with_positions() {
        assert_eq!(control_chars("a\tb\r\nc\u{7}d"), vec![(2, 2, '\u{7}')]);
        assert!(control_chars("Zeile\n\tmit Tab\r\n").is_empty());
    }

    #[test]
    fn ids_and_slugs() {
        assert!(is_valid_id("muenchen-mucgpt"));
        assert!(!is_valid_id("München"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("../x"));
        assert_eq!(slugify("Müller Straße KI"), "mueller-strasse-ki");
        assert_eq!(slugify("  A/B  "), "a-b");
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for n in [".x.md.swp", "x.md~", "#x.md#", ".hidden", "x.bak"] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("x.md"));
    }
}
