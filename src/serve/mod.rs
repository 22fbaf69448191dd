//! `koki serve`: a local preview server with live reload and an error overlay.
//!
//! The site is built with the ordinary [`build::build`] into a serve-specific output directory
//! (`<root>/.koki-serve/site`), so the files on disk are byte-identical to `koki build`. A
//! debounced watcher rebuilds on changes below `content/` and the theme; a failed build keeps
//! the last good site in place (the build swaps its staging directory in only on success).
//!
//! Live reload is added at serve time only: HTML responses get
//! `<script src="/__koki/reload.js" defer>` inserted before `</head>`. The script listens to
//! server-sent events on `/__koki/events`, reloads the page after a good build and, after a
//! failed one, fetches `/__koki/status` (JSON with the diagnostics) and shows them in a panel.
//! Same-origin script and `connect-src 'self'` are allowed by the site's CSP.
//!
//! HTTP is served by `tiny_http` (blocking, four small dependencies) from a few worker threads;
//! each event stream gets its own thread.

use crate::build::{self, BuildCache, BuildOptions, BuildReport};
use crate::catalog::split_base_url;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{io_err, Error};
use crate::SiteError;
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use serde::Serialize;
use std::fs;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

mod bench;
mod http;
pub use self::bench::*;
pub use self::http::*;

/// Directory below the site root that holds everything `koki serve` writes.
pub const SERVE_DIR: &str = ".koki-serve";

/// URL prefix of the server's own endpoints (outside the site, whatever its base path).
const INTERNAL_PREFIX: &str = "/__koki/";
const RELOAD_JS: &str = include_str!("reload.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");
/// Interval of keep-alive comments on event streams; also bounds how long a stream thread
/// lingers after its client went away.
const KEEPALIVE: Duration = Duration::from_secs(15);
const WORKERS: usize = 4;

/// Options of `koki serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Root, theme and base URL of the site; `output` is the serve-specific directory.
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port; see [`Server::addr`].
    pub port: u16,
    /// Quiet period after the last file change before rebuilding.
    pub debounce: Duration,
    /// Print build results and changes to the terminal.
    pub verbose_terminal: bool,
}

impl ServeOptions {
    /// Defaults for `root`: output in [`default_output_dir`], 127.0.0.1:8000, 150 ms debounce.
    pub fn for_root(root: &Path) -> Self {
        let mut build = BuildOptions::for_root(root);
        build.output = default_output_dir(root);
        ServeOptions {
            build,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8000,
            debounce: Duration::from_millis(150),
            verbose_terminal: true,
        }
    }
}

/// The on-disk serve directory for `root`: `<root>/.koki-serve/site` (git-ignored).
pub fn serve_output_dir(root: &Path) -> PathBuf {
    root.join(SERVE_DIR).join("site")
}

/// Where `koki serve` builds the site for `root` by default. Every rebuild replaces the whole
/// output tree, so a RAM-backed directory is preferred where the system offers one:
/// `$XDG_RUNTIME_DIR/koki-serve/<site>/site`, else on Linux `/dev/shm/koki-serve-<uid>-<site>/site`.
/// Otherwise `<root>/.koki-serve/site`. Nothing is created here; [`Server::start`] creates the
/// directory privately (mode 0700, checked to be ours) or falls back to `<root>/.koki-serve/site`.
pub fn default_output_dir(root: &Path) -> PathBuf {
    runtime_output_dir(root).unwrap_or_else(|| serve_output_dir(root))
}

/// A stable name for the site at `root`, so that restarts reuse (and replace) one directory.
fn site_key(root: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    canonical.hash(&mut hasher);
    let name = canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(32)
        .collect();
    format!("{name}-{:016x}", hasher.finish())
}

#[cfg(unix)]
fn runtime_output_dir(root: &Path) -> Option<PathBuf> {
    let key = site_key(root);
    if let Some(xdg) = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        if xdg.is_absolute() && xdg.is_dir() {
            return Some(xdg.join("koki-serve").join(key).join("site"));
        }
    }
    let shm = Path::new("/dev/shm");
    if cfg!(target_os = "linux") && shm.is_dir() {
        let uid = rustix::process::getuid().as_raw();
        return Some(shm.join(format!("koki-serve-{uid}-{key}")).join("site"));
    }
    None
}

#[cfg(not(unix))]
fn runtime_output_dir(_root: &Path) -> Option<PathBuf> {
    None
}

/// Create a directory that only we can use: a fresh one with mode 0700, or an existing one
/// that is ours and private (not a symlink planted by another user of a shared directory).
#[cfg(unix)]
fn create_private_dir(dir: &Path) -> bool {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    let uid = rustix::process::getuid().as_raw();
    let _ = fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir);
    fs::symlink_metadata(dir).is_ok_and(|meta| {
        meta.is_dir() && meta.uid() == uid && meta.permissions().mode() & 0o077 == 0
    })
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> bool {
    fs::create_dir_all(dir).is_ok() && dir.is_dir()
}

/// Make sure the parent of `output` exists and return the output directory to use. A parent
/// outside the site root (the runtime directory) must be private; if it cannot be, the build
/// goes to `<root>/.koki-serve/site` instead.
fn prepare_output(root: &Path, output: &Path) -> Result<PathBuf, Error> {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let inside_root = match (root.canonicalize(), parent.canonicalize()) {
        (Ok(r), Ok(p)) => p.starts_with(r),
        _ => parent.starts_with(root),
    };
    if inside_root || Some(output.to_path_buf()) != runtime_output_dir(root) {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        return Ok(output.to_path_buf());
    }
    let private = match parent.parent() {
        Some(shared) if shared.file_name().is_some_and(|n| n == "koki-serve") => {
            create_private_dir(shared) && create_private_dir(parent)
        }
        _ => create_private_dir(parent),
    };
    if private {
        return Ok(output.to_path_buf());
    }
    let fallback = serve_output_dir(root);
    let parent = fallback.parent().unwrap_or(root);
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    Ok(fallback)
}

/// Build state as seen by the browser (`/__koki/status`).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Counts finished build attempts, good or bad.
    pub generation: u64,
    /// Generation of the site being served (the last good build); 0 before the first one.
    pub site_generation: u64,
    /// Whether the last build attempt succeeded.
    pub ok: bool,
    /// One German line for the terminal.
    pub message: String,
    /// The counts of the last attempt, e.g. `1 Fehler, 0 Warnungen in 1 Datei`.
    pub summary: String,
    /// Wall time of the last build attempt in milliseconds.
    pub build_ms: f64,
    pub errors: usize,
    pub warnings: usize,
    /// Errors of the last failed build, or warnings of the last good one.
    pub diagnostics: Vec<Diagnostic>,
}

/// Result of one build attempt by the server (or the benchmark).
#[derive(Debug)]
pub struct Rebuild {
    pub elapsed: Duration,
    pub result: Result<BuildReport, SiteError>,
}

/// Build the site once, exactly as the server does on a change (`cache` lives as long as the
/// server).
pub fn rebuild(opts: &BuildOptions, cache: &mut BuildCache) -> Rebuild {
    let start = Instant::now();
    let result = build::build_cached(opts, cache);
    Rebuild {
        elapsed: start.elapsed(),
        result,
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// Turn a non-content build error into one diagnostic, so the overlay can show it.
fn error_diagnostic(err: &SiteError) -> Diagnostic {
    let file = if err.is_theme_error() {
        PathBuf::from("themes")
    } else {
        PathBuf::new()
    };
    Diagnostic::error(file, crate::diagnostics::cause_chain(err))
}

impl Status {
    fn initial() -> Status {
        Status {
            generation: 0,
            site_generation: 0,
            ok: false,
            message: "Die Site wird gebaut …".to_string(),
            summary: String::new(),
            build_ms: 0.0,
            errors: 0,
            warnings: 0,
            diagnostics: Vec::new(),
        }
    }

    fn record(&mut self, rebuild: &Rebuild) {
        self.generation += 1;
        self.build_ms = ms(rebuild.elapsed);
        match &rebuild.result {
            Ok(report) => {
                self.ok = true;
                self.site_generation = self.generation;
                self.errors = 0;
                self.warnings = report.warnings.warning_count();
                self.diagnostics = report.warnings.items.clone();
                self.summary = format!(
                    "{} Beispiele, {} Szenarien, {} Seiten",
                    report.examples, report.scenarios, report.pages
                );
                self.message = format!("Site gebaut in {} ms: {}", self.build_ms, self.summary);
            }
            Err(err) => {
                self.ok = false;
                let diags = match err {
                    SiteError::Content(d) => d.clone(),
                    other => Diagnostics {
                        items: vec![error_diagnostic(other)],
                    },
                };
                self.errors = diags.error_count();
                self.warnings = diags.warning_count();
                self.summary = diags.summary();
                self.message = format!(
                    "Build fehlgeschlagen nach {} ms: {}",
                    self.build_ms, self.summary
                );
                self.diagnostics = diags.items;
            }
        }
    }
}

/// State shared by the HTTP workers, the event streams and the rebuild thread.
struct Shared {
    site_dir: PathBuf,
    base_path: RwLock<String>,
    status: Mutex<Status>,
    changed: Condvar,
    stop: AtomicBool,
}

impl Shared {
    fn status(&self) -> Status {
        lock(&self.status).clone()
    }

    fn base_path(&self) -> String {
        self.base_path
            .read()
            .map(|b| b.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The path part of the base URL the site is built with: the `--base-url` override, else
/// `base_url` from `content/site.yaml`, else `/`.
fn current_base_path(opts: &BuildOptions) -> Option<String> {
    let base_url = match &opts.base_url {
        Some(b) => b.clone(),
        None => {
            let text = fs::read_to_string(opts.root.join("content/site.yaml")).ok()?;
            let value = crate::yaml::parse_value(&text).ok()?;
            value.get("base_url")?.as_str()?.to_string()
        }
    };
    Some(split_base_url(&base_url).1)
}

/// A running preview server. Dropping it stops the server and the watcher.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
    watcher: Option<RecommendedWatcher>,
    rebuilder: Option<JoinHandle<()>>,
}

impl Server {
    /// Build the site once, start watching and serving. Returns when the server accepts
    /// connections; a failed first build is reported through [`Server::status`] and the
    /// overlay, not as an error.
    pub fn start(opts: ServeOptions) -> Result<Server, Error> {
        let root = opts.build.root.clone();
        let content = root.join("content");
        if !content.is_dir() {
            return Err(Error::MissingContent { path: content });
        }
        let mut opts = opts;
        opts.build.output = prepare_output(&root, &opts.build.output)?;

        let addr = SocketAddr::new(opts.bind, opts.port);
        let http = tiny_http::Server::http(addr).map_err(|e| Error::Bind {
            addr,
            reason: e.to_string(),
        })?;
        let addr = http.server_addr().to_ip().ok_or_else(|| Error::Bind {
            addr,
            reason: "keine IP-Adresse".to_string(),
        })?;
        let http = Arc::new(http);

        let shared = Arc::new(Shared {
            site_dir: opts.build.output.clone(),
            base_path: RwLock::new(current_base_path(&opts.build).unwrap_or_else(|| "/".into())),
            status: Mutex::new(Status::initial()),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });

        // Watch first, so that edits made during the first build trigger a rebuild.
        let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
        let mut watcher = notify::recommended_watcher(tx).map_err(|source| Error::Watch {
            path: root.clone(),
            source,
        })?;
        for dir in watched_dirs(&opts.build) {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|source| Error::Watch {
                    path: dir.clone(),
                    source,
                })?;
        }
        // First build before serving, so the first request already sees the site.
        let mut cache = BuildCache::default();
        run_build(&opts, &shared, &mut cache, None);
        let rebuilder = {
            let shared = Arc::clone(&shared);
            let opts = opts.clone();
            thread::Builder::new()
                .name("koki-rebuild".into())
                .spawn(move || rebuild_loop(&opts, &shared, cache, rx))
                .map_err(io_err(&root))?
        };

        let mut workers = Vec::new();
        for i in 0..WORKERS {
            let http = Arc::clone(&http);
            let shared = Arc::clone(&shared);
            let worker = thread::Builder::new()
                .name(format!("koki-http-{i}"))
                .spawn(move || {
                    while let Ok(request) = http.recv() {
                        if shared.stop.load(Ordering::SeqCst) {
                            break;
                        }
                        handle(&shared, request);
                    }
                })
                .map_err(io_err(&root))?;
            workers.push(worker);
        }

        Ok(Server {
            addr,
            shared,
            http,
            workers,
            watcher: Some(watcher),
            rebuilder: Some(rebuilder),
        })
    }

    /// The bound address (with the real port when started with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Address of the site's start page, e.g. `http://127.0.0.1:8000/katalog/`.
    pub fn url(&self) -> String {
        let host = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        format!(
            "http://{host}:{}{}",
            self.addr.port(),
            self.shared.base_path()
        )
    }

    /// The directory the site is built into and served from.
    pub fn output_dir(&self) -> &Path {
        &self.shared.site_dir
    }

    /// Current build state.
    pub fn status(&self) -> Status {
        self.shared.status()
    }

    /// Block until the server stops (in practice: until the process is interrupted).
    pub fn wait(mut self) {
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }

    /// Stop watching and serving; open event streams end.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.changed.notify_all();
        // Dropping the watcher closes the channel, which ends the rebuild loop.
        self.watcher.take();
        if let Some(r) = self.rebuilder.take() {
            let _ = r.join();
        }
        for _ in 0..self.workers.len() {
            self.http.unblock();
        }
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Directories whose changes trigger a rebuild: `content/` and the theme (or all of
/// `themes/` when the theme lives there).
fn watched_dirs(opts: &BuildOptions) -> Vec<PathBuf> {
    let mut dirs = vec![opts.root.join("content")];
    let themes = opts.root.join("themes");
    if opts.theme.starts_with(&themes) && themes.is_dir() {
        dirs.push(themes);
    } else if opts.theme.is_dir() {
        dirs.push(opts.theme.clone());
    }
    dirs
}

/// Whether a changed path can affect the site (editor swap and backup files cannot).
fn relevant_change(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    // Vim probes writability with a file named `4913`.
    !(crate::load::is_ignored_name(&name) || name == "4913")
}

/// Whether an event means that something changed. Opening and reading files (which every build
/// does) must not trigger a rebuild; closing a file after writing may.
fn is_mutation(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Add the relevant paths of one watcher event to `changed`.
fn collect_changes(
    event: notify::Result<notify::Event>,
    changed: &mut Vec<PathBuf>,
    opts: &ServeOptions,
) {
    match event {
        Ok(event) if is_mutation(&event.kind) => {
            changed.extend(event.paths.into_iter().filter(|p| relevant_change(p)));
        }
        Ok(_) => {}
        Err(e) => {
            if opts.verbose_terminal {
                eprintln!("Warnung: Dateibeobachtung: {e}");
            }
        }
    }
}

/// Wait for changes, debounce them (rebuild once no further change arrived for
/// `opts.debounce`), rebuild; until the watcher is dropped or the server stops.
fn rebuild_loop(
    opts: &ServeOptions,
    shared: &Shared,
    mut cache: BuildCache,
    rx: mpsc::Receiver<notify::Result<notify::Event>>,
) {
    let poll = Duration::from_millis(500);
    loop {
        let mut changed: Vec<PathBuf> = Vec::new();
        while changed.is_empty() {
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            match rx.recv_timeout(poll) {
                Ok(event) => collect_changes(event, &mut changed, opts),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        loop {
            match rx.recv_timeout(opts.debounce) {
                Ok(event) => collect_changes(event, &mut changed, opts),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        changed.sort();
        changed.dedup();
        run_build(opts, shared, &mut cache, Some(&changed));
    }
}

/// Build once, record the outcome, tell the terminal and the browsers.
fn run_build(
    opts: &ServeOptions,
    shared: &Shared,
    cache: &mut BuildCache,
    changed: Option<&[PathBuf]>,
) {
    let root = &opts.build.root;
    if opts.verbose_terminal {
        if let Some(changed) = changed {
            let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
            let shown: Vec<String> = changed
                .iter()
                .take(3)
                .map(|p| {
                    p.strip_prefix(&canonical_root)
                        .or_else(|_| p.strip_prefix(root))
                        .unwrap_or(p)
                        .display()
                        .to_string()
                })
                .collect();
            let more = changed.len().saturating_sub(shown.len());
            let more = if more > 0 {
                format!(" und {more} weitere")
            } else {
                String::new()
            };
            eprintln!("Geändert: {}{more}", shown.join(", "));
        }
    }
    let outcome = rebuild(&opts.build, cache);
    if outcome.result.is_ok() {
        if let Some(base) = current_base_path(&opts.build) {
            if let Ok(mut b) = shared.base_path.write() {
                *b = base;
            }
        }
    }
    let status = {
        let mut status = lock(&shared.status);
        status.record(&outcome);
        status.clone()
    };
    shared.changed.notify_all();
    if opts.verbose_terminal {
        match &outcome.result {
            Ok(report) => {
                if !report.warnings.is_empty() {
                    eprint!("{}", report.warnings.render_human());
                }
                eprintln!("{}", status.message);
            }
            Err(SiteError::Content(diags)) => {
                eprint!("{}", diags.render_human());
                eprintln!("{}", status.message);
                eprintln!("Es wird weiter der letzte fehlerfreie Stand ausgeliefert.");
            }
            Err(_) => {
                for d in &status.diagnostics {
                    eprint!("{}", d.render_human());
                }
                eprintln!("Build fehlgeschlagen ({} ms); es wird weiter der letzte fehlerfreie Stand ausgeliefert.", status.build_ms);
            }
        }
    }
}

/// Open `url` in the default browser; failures are only reported.
pub fn open_browser(url: &str) -> io::Result<()> {
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut cmd = std::process::Command::new("xdg-open");
    cmd.arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

#[cfg(test)]
mod tests;
