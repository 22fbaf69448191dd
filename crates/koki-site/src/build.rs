//! The build pipeline: content → validated catalog → outputs (pages, search bundle, exports),
//! all written to a staging directory and swapped into place only on success.

use crate::catalog::Catalog;
use crate::diagnostics::Diagnostics;
use crate::output::{self, Staging};
use crate::render::{self, Renderer, Theme};
use crate::Error;
use koki_model::fields::Registry;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of `koki build` and `koki check`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub theme: PathBuf,
    pub base_url: Option<String>,
    pub force: bool,
    /// The example fields (normally [`Registry::builtin`]).
    pub registry: Arc<Registry>,
}

impl BuildOptions {
    /// Defaults relative to `root`: `public/` and `themes/default/`.
    pub fn for_root(root: &Path) -> Self {
        BuildOptions {
            root: root.to_path_buf(),
            output: root.join("public"),
            theme: root.join("themes/default"),
            base_url: None,
            force: false,
            registry: Registry::builtin(),
        }
    }
}

/// Wall time of each phase, for `--verbose` and benchmarks.
#[derive(Debug, Default, Clone)]
pub struct BuildReport {
    pub phases: Vec<(&'static str, Duration)>,
    pub examples: usize,
    pub scenarios: usize,
    pub pages: usize,
    pub warnings: Diagnostics,
}

impl BuildReport {
    /// The line `koki build` ends with, e.g. `Site gebaut: 1 Beispiel, 2 Szenarien, 1 Seite → public`.
    pub fn summary(&self, output: &Path) -> String {
        format!(
            "Site gebaut: {}, {}, {} → {}",
            counted(self.examples, "Beispiel", "Beispiele"),
            counted(self.scenarios, "Szenario", "Szenarien"),
            counted(self.pages, "Seite", "Seiten"),
            output.display()
        )
    }
}

/// `n` with the singular or plural noun: `1 Seite`, `0 Seiten`, `2 Seiten`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Load and validate the content: the catalog, or every problem found.
pub fn load_catalog(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(Catalog, Diagnostics), Diagnostics> {
    let (loaded, mut diags) = crate::load::load(root);
    crate::validate::validate(&loaded, &mut diags);
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    match Catalog::from_loaded(loaded, base_url) {
        Some(c) => Ok((c, diags)),
        None => Err(diags),
    }
}

/// What `koki serve` keeps from one build to the next to rebuild faster. A build with a
/// cache writes exactly what a build from scratch writes.
#[derive(Default)]
pub struct BuildCache {
    /// Stems and compound splits of the catalog's words.
    search_words: koki_search::WordCache,
}

/// Build the site. On any error the previous output stays untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    build_cached(opts, &mut BuildCache::default())
}

/// [`build`], reusing and updating `cache`.
pub fn build_cached(opts: &BuildOptions, cache: &mut BuildCache) -> Result<BuildReport, Error> {
    if let Some(url) = &opts.base_url {
        if !crate::validate::is_http_url(url) {
            return Err(Error::BaseUrl(url.clone()));
        }
    }
    let mut report = BuildReport::default();
    let mut phase = Instant::now();
    let mut mark = |report: &mut BuildReport, name: &'static str| {
        report.phases.push((name, phase.elapsed()));
        phase = Instant::now();
    };

    // The same steps as `load_catalog`, timed separately.
    let (loaded, mut diags) = crate::load::load_with(&opts.root, opts.registry.clone());
    mark(&mut report, "load");
    crate::validate::validate(&loaded, &mut diags);
    diags.sort();
    if diags.has_errors() {
        return Err(Error::Content(diags));
    }
    let mut catalog = match Catalog::from_loaded(loaded, opts.base_url.as_deref()) {
        Some(c) => c,
        None => return Err(Error::Content(diags)),
    };
    catalog.release_sources();
    report.warnings = diags;
    mark(&mut report, "validate");

    output::check_output_path(&opts.root, &opts.output, opts.force)?;
    let mut theme = Theme::load(&opts.theme)?;
    theme.set_site_globals(&catalog);
    let staging = Staging::create(&opts.output)?;
    render::copy_static(&theme, &staging)?;
    // Markdown bodies are rendered with their pages (part of "render").
    let renderer = Renderer::new(&catalog, &theme, &staging);
    mark(&mut report, "prepare");
    // The search index (mostly one thread) is built while the pages render (all threads):
    // both only read the catalog and write distinct files. "index" is its own wall time and
    // overlaps "render" and "export"; "parallel" is the wall time of all three together.
    let (pages, index) = rayon::join(
        || -> Result<(Duration, Duration), Error> {
            let start = Instant::now();
            renderer.render_all()?;
            let render = start.elapsed();
            crate::export::write_all(&catalog, &theme.ui, &staging)?;
            crate::submit::write_files(&catalog, &opts.root, &staging)?;
            Ok((render, start.elapsed() - render))
        },
        || -> Result<Duration, Error> {
            let start = Instant::now();
            crate::search::write_search(&catalog, &staging, &mut cache.search_words)?;
            Ok(start.elapsed())
        },
    );
    let (render_time, export_time) = pages?;
    let index_time = index?;
    report.phases.push(("render", render_time));
    report.phases.push(("export", export_time));
    report.phases.push(("index", index_time));
    mark(&mut report, "parallel");

    staging.commit()?;
    mark(&mut report, "write");
    report.examples = catalog.examples.len();
    report.scenarios = catalog.scenarios.len();
    report.pages = catalog.pages.len();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_uses_singular_and_plural() {
        let report = BuildReport {
            examples: 1,
            scenarios: 1,
            pages: 1,
            ..BuildReport::default()
        };
        assert_eq!(
            report.summary(Path::new("public")),
            "Site gebaut: 1 Beispiel, 1 Szenario, 1 Seite → public"
        );
        let report = BuildReport {
            examples: 2,
            scenarios: 0,
            pages: 6,
            ..BuildReport::default()
        };
        assert_eq!(
            report.summary(Path::new("public")),
            "Site gebaut: 2 Beispiele, 0 Szenarien, 6 Seiten → public"
        );
    }
}
