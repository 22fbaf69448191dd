//! The loaded theme (templates, UI strings, field labels) and copying its static assets.

use super::*;
use crate::Error;

/// The loaded theme: templates, UI strings, static assets.
pub struct Theme {
    pub dir: PathBuf,
    pub(super) tera: tera::Tera,
    /// `ui` strings for templates (`t.…`).
    pub ui: Map<String, Value>,
    /// German labels of model fields (for the fact box).
    pub field_labels: BTreeMap<String, String>,
    /// Whether [`Theme::set_site_globals`] ran (then pages need not carry the shared values).
    pub(super) globals_set: bool,
}

#[derive(serde::Deserialize)]
pub(super) struct StringsFile {
    pub(super) ui: Map<String, Value>,
    pub(super) felder: BTreeMap<String, String>,
}

impl Theme {
    /// Load templates from `<dir>/templates/` and strings from `<dir>/strings.de.yaml`.
    pub fn load(dir: &Path) -> Result<Theme, Error> {
        let templates = dir.join("templates");
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        for entry in walkdir::WalkDir::new(&templates).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::Theme {
                path: templates.clone(),
                source: e.into(),
            })?;
            if entry.file_type().is_file()
                && !crate::load::is_ignored_name(&entry.file_name().to_string_lossy())
            {
                let name = relative_name(entry.path(), &templates);
                files.push((entry.path().to_path_buf(), name));
            }
        }
        tera.add_template_files(files.iter().map(|(p, n)| (p.as_path(), Some(n.as_str()))))
            .map_err(template_error)?;
        let strings_path = dir.join("strings.de.yaml");
        let text = std::fs::read_to_string(&strings_path).map_err(|source| Error::Theme {
            path: strings_path.clone(),
            source,
        })?;
        let strings: StringsFile =
            crate::yaml::parse_plain(&text).map_err(|e| Error::ThemeStrings {
                path: strings_path.clone(),
                message: e.to_string(),
            })?;
        Ok(Theme {
            dir: dir.to_path_buf(),
            tera,
            ui: strings.ui,
            field_labels: strings.felder,
            globals_set: false,
        })
    }

    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, Error> {
        self.tera.render(template, ctx).map_err(template_error)
    }

    /// Put what every page shares (`base`, `site`, `t`, `legal`) into Tera's global context
    /// once, instead of serialising it into the context of each of thousands of pages.
    pub fn set_site_globals(&mut self, c: &Catalog) {
        // The registry's labels for fields the theme does not relabel.
        for f in c.registry.fields() {
            self.field_labels
                .entry(f.key.to_string())
                .or_insert_with(|| f.label.to_string());
        }
        let legal = legal_links(c);
        let g = self.tera.global_context();
        g.insert("base", &c.base_path);
        g.insert("site", &c.site);
        g.insert("t", &self.ui);
        g.insert("legal", &legal);
        self.globals_set = true;
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// German label of a model field, borrowed (the field name itself when the theme has none).
    pub(crate) fn label_ref<'s>(&'s self, field: &'s str) -> &'s str {
        self.field_labels
            .get(field)
            .map(String::as_str)
            .unwrap_or(field)
    }

    pub(crate) fn label(&self, field: &str) -> String {
        self.field_labels
            .get(field)
            .cloned()
            .unwrap_or_else(|| field.to_string())
    }

    pub(crate) fn ui(&self, key: &str) -> String {
        self.ui
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_string()
    }
}

/// Copy the theme's `static/` directory into the output (sorted, deterministic).
pub fn copy_static(theme: &Theme, out: &Staging) -> Result<(), Error> {
    let dir = theme.dir.join("static");
    if !dir.exists() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Theme {
            path: dir.clone(),
            source: e.into(),
        })?;
        if !entry.file_type().is_file()
            || crate::load::is_ignored_name(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let rel = relative_name(entry.path(), &dir);
        if is_build_only_asset(&rel) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|source| Error::Theme {
            path: entry.path().to_path_buf(),
            source,
        })?;
        out.write(&format!("static/{rel}"), &bytes)?;
    }
    Ok(())
}

/// Theme files that are inputs of the build, not site assets: the search and form modules are
/// embedded in the binary and written content-hashed by `search::write_search` and
/// `submit::write_files`, and their stamps only serve the freshness tests.
pub(super) fn is_build_only_asset(rel: &str) -> bool {
    rel == "search/koki_search.wasm"
        || rel == "einreichen/koki_form.wasm"
        || rel.ends_with(".stamp")
}

/// `path` below `base`, with `/` separators on every platform: a template or asset name.
fn relative_name(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
