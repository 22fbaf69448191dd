//! The build pipeline: content → validated catalog → outputs (pages, search bundle, exports),
//! all written to a staging directory and swapped into place only on success.

use crate::catalog::Catalog;
use crate::diagnostics::Diagnostics;
use crate::output::{self, OutputError, Staging};
use crate::render::{self, RenderError, Renderer, Theme};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Options of `koki build` and `koki check`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub theme: PathBuf,
    pub base_url: Option<String>,
    pub force: bool,
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
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Content problems; nothing was written.
    #[error("{} Fehler im Inhalt", .0.error_count())]
    Content(Diagnostics),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Export(#[from] crate::export::ExportError),
    #[error("search index: {0}")]
    Search(String),
    /// `--base-url` is not an absolute http(s) URL.
    #[error("ungültige Basis-URL `{0}`: erwartet wird eine vollständige Adresse wie `https://example.org/katalog/`")]
    BaseUrl(String),
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

/// Build the site. On any error the previous output stays untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    if let Some(url) = &opts.base_url {
        if !crate::validate::is_http_url(url) {
            return Err(BuildError::BaseUrl(url.clone()));
        }
    }
    let mut report = BuildReport::default();
    let mut phase = Instant::now();
    let mut mark = |report: &mut BuildReport, name: &'static str| {
        report.phases.push((name, phase.elapsed()));
        phase = Instant::now();
    };

    // The same steps as `load_catalog`, timed separately.
    let (loaded, mut diags) = crate::load::load(&opts.root);
    mark(&mut report, "load");
    crate::validate::validate(&loaded, &mut diags);
    diags.sort();
    if diags.has_errors() {
        return Err(BuildError::Content(diags));
    }
    let catalog = match Catalog::from_loaded(loaded, opts.base_url.as_deref()) {
        Some(c) => c,
        None => return Err(BuildError::Content(diags)),
    };
    report.warnings = diags;
    mark(&mut report, "validate");

    output::check_output_path(&opts.root, &opts.output, opts.force)?;
    let mut theme = Theme::load(&opts.theme)?;
    theme.set_site_globals(&catalog);
    let staging = Staging::create(&opts.output)?;
    render::copy_static(&theme, &staging)?;
    let mut renderer = Renderer::new(&catalog, &theme, &staging);
    mark(&mut report, "prepare");
    renderer.render_bodies();
    mark(&mut report, "markdown");
    renderer.render_all()?;
    mark(&mut report, "render");

    crate::export::write_all(&catalog, &theme.ui, &staging)?;
    mark(&mut report, "export");

    crate::search::write_search(&catalog, &staging)
        .map_err(|e| BuildError::Search(e.to_string()))?;
    mark(&mut report, "index");

    staging.commit()?;
    mark(&mut report, "write");
    report.examples = catalog.examples.len();
    report.scenarios = catalog.scenarios.len();
    report.pages = catalog.pages.len();
    Ok(report)
}
