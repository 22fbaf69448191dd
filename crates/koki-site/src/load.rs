//! Loading `content/`: walk the tree, read every file once, split front matter, parse YAML into
//! the typed model. Problems are collected, never thrown: one bad file does not hide another.

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use koki_model::entry::{control_chars, merge_part, parse_file, Entry, Loaded, Source};
use koki_model::fields::Registry;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

pub use koki_model::entry::{too_large, MAX_FILE_BYTES};

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

pub use koki_text::{is_slug as is_valid_id, slugify};

/// Read and parse everything under `root/content`. `root` is used to show relative paths.
pub fn load(root: &Path) -> (Loaded, Diagnostics) {
    load_with(root, Registry::builtin())
}

/// [`load`] with the examples' fields declared by `registry`.
pub fn load_with(root: &Path, registry: Arc<Registry>) -> (Loaded, Diagnostics) {
    let content = root.join("content");
    let mut loaded = Loaded::with_registry(registry.clone());
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
            let mut part = Loaded::with_registry(registry.clone());
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

/// Read a file as UTF-8 text within the size limit.
fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| Diagnostic::error(shown, format!("nicht lesbar: {e}"));
    let too_big = |len: u64| too_large(shown, len);
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

fn load_file(
    root: &Path,
    content: &Path,
    path: &Path,
    loaded: &mut Loaded,
    diags: &mut Diagnostics,
) {
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let rel = path.strip_prefix(content).unwrap_or(path);
    match read_text(path, &shown) {
        Ok(text) => parse_file(&shown, rel, &text, loaded, diags),
        Err(d) => diags.push(d),
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
