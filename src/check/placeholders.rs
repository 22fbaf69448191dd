//! Placeholders left from `koki new` (`TODO`) and template values.

use super::*;

/// Scan examples and scenarios for `TODO` values in the front matter and `TODO` lines in the
/// body. Works on the raw files, so placeholders are found even when typed parsing fails.
pub(super) fn check_placeholders(root: &Path) -> Vec<Diagnostic> {
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

pub(super) fn find_placeholders(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
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
