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

use crate::build::{self, BuildCache, BuildError, BuildOptions, BuildReport};
use crate::catalog::split_base_url;
use crate::diagnostics::{Diagnostic, Diagnostics};
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

/// Directory below the site root that holds everything `koki serve` writes.
pub const SERVE_DIR: &str = ".koki-serve";

/// URL prefix of the server's own endpoints (outside the site, whatever its base path).
const INTERNAL_PREFIX: &str = "/__koki/";
const RELOAD_JS: &str = include_str!("serve/reload.js");
const OVERLAY_CSS: &str = include_str!("serve/overlay.css");
/// Interval of keep-alive comments on event streams; also bounds how long a stream thread
/// lingers after its client went away.
const KEEPALIVE: Duration = Duration::from_secs(15);
const WORKERS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("Adresse {addr} kann nicht geöffnet werden: {reason} (anderen Port mit --port wählen; --port 0 nimmt einen freien)")]
    Bind { addr: SocketAddr, reason: String },
    #[error("`{path}` kann nicht beobachtet werden")]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    #[error(
        "`{path}` existiert nicht (erwartet wird das Wurzelverzeichnis der Site mit `content/`)"
    )]
    MissingContent { path: PathBuf },
    #[error("Ein-/Ausgabefehler bei `{path}`")]
    Io { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Build(#[from] BuildError),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> ServeError + '_ {
    move |source| ServeError::Io {
        path: path.to_path_buf(),
        source,
    }
}

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
fn prepare_output(root: &Path, output: &Path) -> Result<PathBuf, ServeError> {
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
    pub result: Result<BuildReport, BuildError>,
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
fn error_diagnostic(err: &BuildError) -> Diagnostic {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    let file = match err {
        BuildError::Render(_) => PathBuf::from("themes"),
        _ => PathBuf::new(),
    };
    Diagnostic::error(file, message)
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
                    BuildError::Content(d) => d.clone(),
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
    pub fn start(opts: ServeOptions) -> Result<Server, ServeError> {
        let root = opts.build.root.clone();
        let content = root.join("content");
        if !content.is_dir() {
            return Err(ServeError::MissingContent { path: content });
        }
        let mut opts = opts;
        opts.build.output = prepare_output(&root, &opts.build.output)?;

        let addr = SocketAddr::new(opts.bind, opts.port);
        let http = tiny_http::Server::http(addr).map_err(|e| ServeError::Bind {
            addr,
            reason: e.to_string(),
        })?;
        let addr = http.server_addr().to_ip().ok_or_else(|| ServeError::Bind {
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
        let mut watcher = notify::recommended_watcher(tx).map_err(|source| ServeError::Watch {
            path: root.clone(),
            source,
        })?;
        for dir in watched_dirs(&opts.build) {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|source| ServeError::Watch {
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
            Err(BuildError::Content(diags)) => {
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

// ---------------------------------------------------------------------------------------------
// HTTP

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

fn respond(request: tiny_http::Request, status: u16, content_type: &str, body: Vec<u8>) {
    respond_with(request, status, content_type, body, &[]);
}

fn respond_with(
    request: tiny_http::Request,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) {
    let mut response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    for (name, value) in extra {
        response = response.with_header(header(name, value));
    }
    // A client that went away is not an error worth reporting.
    let _ = request.respond(response);
}

fn handle(shared: &Arc<Shared>, request: tiny_http::Request) {
    use tiny_http::Method;
    if !matches!(request.method(), Method::Get | Method::Head) {
        respond_with(
            request,
            405,
            "text/plain; charset=utf-8",
            "Nur GET und HEAD werden unterstützt.\n".into(),
            &[("Allow", "GET, HEAD")],
        );
        return;
    }
    let url = request.url().to_string();
    let (path, query) = match url.find(['?', '#']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url.as_str(), ""),
    };
    if let Some(name) = path.strip_prefix(INTERNAL_PREFIX) {
        match name {
            "events" => {
                let shared = Arc::clone(shared);
                // A stream lives as long as the page; it must not occupy a worker.
                let _ = thread::Builder::new()
                    .name("koki-events".into())
                    .spawn(move || serve_events(&shared, request));
            }
            "status" => {
                let json = serde_json::to_vec(&shared.status()).unwrap_or_default();
                respond(request, 200, "application/json", json);
            }
            "reload.js" => respond(
                request,
                200,
                "text/javascript; charset=utf-8",
                RELOAD_JS.into(),
            ),
            "overlay.css" => respond(request, 200, "text/css; charset=utf-8", OVERLAY_CSS.into()),
            _ => not_found(shared, request),
        }
        return;
    }
    match resolve(&shared.site_dir, &shared.base_path(), path) {
        Resolved::File(file) => match fs::read(&file) {
            Ok(bytes) => {
                let mime = mime_type(&file);
                let bytes = if mime.starts_with("text/html") {
                    inject_reload(bytes, lock(&shared.status).site_generation)
                } else {
                    bytes
                };
                respond(request, 200, mime, bytes);
            }
            // Vanished between resolving and reading (a rebuild swapped the directory).
            Err(_) => not_found(shared, request),
        },
        Resolved::Redirect(to) => {
            let location = format!("{to}{query}");
            respond_with(
                request,
                302,
                "text/plain; charset=utf-8",
                format!("Weiter zu {location}\n").into_bytes(),
                &[("Location", &location)],
            );
        }
        Resolved::NotFound => not_found(shared, request),
        Resolved::Forbidden => respond(
            request,
            403,
            "text/plain; charset=utf-8",
            "Zugriff verweigert: Der Pfad liegt außerhalb der Site.\n".into(),
        ),
    }
}

/// The site's `404.html` with status 404; a minimal page while no good build exists.
fn not_found(shared: &Shared, request: tiny_http::Request) {
    let page = fs::read(shared.site_dir.join("404.html")).unwrap_or_else(|_| {
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>Nicht gefunden</title></head>\
         <body><h1>Nicht gefunden</h1><p>Diese Seite gibt es nicht, oder es gibt noch keinen fehlerfreien Build.</p></body></html>\n"
            .into()
    });
    let site = lock(&shared.status).site_generation;
    respond(
        request,
        404,
        "text/html; charset=utf-8",
        inject_reload(page, site),
    );
}

/// Send server-sent events: `hello` on connect, `reload` after a good build, `buildfailed`
/// after a failed one, and keep-alive comments in between.
fn serve_events(shared: &Shared, request: tiny_http::Request) {
    let mut out = request.into_writer();
    let (mut seen, hello) = {
        let s = lock(&shared.status);
        (s.generation, event_payload("hello", &s))
    };
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\nretry: 1000\n\n";
    if send(&mut out, &format!("{head}{hello}")).is_err() {
        return;
    }
    loop {
        let message = {
            let guard = lock(&shared.status);
            let (status, _) = shared
                .changed
                .wait_timeout_while(guard, KEEPALIVE, |s| {
                    s.generation == seen && !shared.stop.load(Ordering::SeqCst)
                })
                .unwrap_or_else(|e| e.into_inner());
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            if status.generation != seen {
                seen = status.generation;
                event_payload(if status.ok { "reload" } else { "buildfailed" }, &status)
            } else {
                ": ping\n\n".to_string()
            }
        };
        if send(&mut out, &message).is_err() {
            return;
        }
    }
}

fn event_payload(event: &str, status: &Status) -> String {
    let data = serde_json::json!({
        "generation": status.generation,
        "site_generation": status.site_generation,
        "ok": status.ok,
        "message": status.message,
    });
    format!("event: {event}\ndata: {data}\n\n")
}

fn send(out: &mut Box<dyn Write + Send>, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// The script tag added to HTML responses; `site` is the generation of the served build, so
/// the page reloads when it connects after a newer build.
fn reload_tag(site: u64) -> String {
    format!("<script src=\"/__koki/reload.js\" data-site=\"{site}\" defer></script>")
}

/// Insert the reload script before `</head>` (else before `</body>`, else at the end).
pub fn inject_reload(mut html: Vec<u8>, site_generation: u64) -> Vec<u8> {
    let at = find_ascii_ci(&html, b"</head>")
        .or_else(|| find_ascii_ci(&html, b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, reload_tag(site_generation).into_bytes());
    html
}

fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Content type by file extension.
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".atom") || name == "feed.xml" || name.ends_with(".atom.xml") {
        return "application/atom+xml";
    }
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "jsonld" => "application/ld+json",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "xml" | "xsl" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// How a request path maps onto the output directory.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    Redirect(String),
    NotFound,
    /// Outside the site (`..`, encoded separators, symlinks that lead out).
    Forbidden,
}

/// Map a request path (without query) to a file below `site_dir`, served under `base_path`.
pub fn resolve(site_dir: &Path, base_path: &str, path: &str) -> Resolved {
    if base_path != "/" && (path == "/" || format!("{path}/") == base_path) {
        return Resolved::Redirect(base_path.to_string());
    }
    let Some(rest) = path.strip_prefix(base_path) else {
        return Resolved::NotFound;
    };
    let mut rel = PathBuf::new();
    for raw in rest.split('/').filter(|s| !s.is_empty()) {
        let Some(segment) = percent_decode(raw) else {
            return Resolved::Forbidden;
        };
        if segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0'])
            || Path::new(&segment)
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Resolved::Forbidden;
        }
        if segment.starts_with('.') {
            // Hidden files such as the output marker are not part of the site.
            return Resolved::NotFound;
        }
        rel.push(segment);
    }
    let Ok(site) = site_dir.canonicalize() else {
        return Resolved::NotFound;
    };
    let Ok(target) = site.join(&rel).canonicalize() else {
        return Resolved::NotFound;
    };
    if !target.starts_with(&site) {
        return Resolved::Forbidden;
    }
    if target.is_dir() {
        if !rest.is_empty() && !rest.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        let Ok(index) = target.join("index.html").canonicalize() else {
            return Resolved::NotFound;
        };
        if !index.starts_with(&site) {
            return Resolved::Forbidden;
        }
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if target.is_file() {
        Resolved::File(target)
    } else {
        Resolved::NotFound
    }
}

/// Decode `%XX` escapes; `None` for malformed escapes or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

// ---------------------------------------------------------------------------------------------
// Benchmark

/// Rebuild times after changing one entry (see [`bench_rebuild`]).
#[derive(Debug, Clone)]
pub struct RebuildBench {
    /// The first, full build of the copied site.
    pub first_build: Duration,
    /// Wall time of one rebuild per iteration, each after editing `changed_file`.
    pub rebuilds: Vec<Duration>,
    /// CPU time of the process (all threads) for each rebuild; empty where not measurable.
    /// On a busy machine this is closer to the uncontended wall time than `rebuilds`.
    pub cpu: Vec<Duration>,
    /// The edited entry, relative to the site root.
    pub changed_file: PathBuf,
    /// Where the site was built (RAM-backed runtime directory or on disk).
    pub output_dir: PathBuf,
    pub examples: usize,
}

fn sorted(v: &[Duration]) -> Vec<Duration> {
    let mut v = v.to_vec();
    v.sort();
    v
}

fn median(v: &[Duration]) -> Duration {
    let v = sorted(v);
    v.get(v.len() / 2).copied().unwrap_or_default()
}

impl RebuildBench {
    pub fn min(&self) -> Duration {
        sorted(&self.rebuilds).first().copied().unwrap_or_default()
    }
    pub fn median(&self) -> Duration {
        median(&self.rebuilds)
    }
    pub fn max(&self) -> Duration {
        sorted(&self.rebuilds).last().copied().unwrap_or_default()
    }
    /// Median CPU time per rebuild, if measured.
    pub fn median_cpu(&self) -> Option<Duration> {
        (!self.cpu.is_empty()).then(|| median(&self.cpu))
    }

    /// German summary lines for the terminal.
    pub fn render(&self) -> String {
        let mut out = format!(
            "Neubau nach Änderung von {} ({} Beispiele, {} Durchläufe, Ausgabe {}):\n",
            self.changed_file.display(),
            self.examples,
            self.rebuilds.len(),
            self.output_dir.display(),
        );
        let mut line = |label: &str, d: Duration| {
            out.push_str(&format!("  {label:<22}{:>8.1} ms\n", ms(d)));
        };
        line("erster Build", self.first_build);
        line("Neubau min", self.min());
        line("Neubau median", self.median());
        line("Neubau max", self.max());
        if let Some(cpu) = self.median_cpu() {
            line("Neubau median (CPU)", cpu);
        }
        out
    }
}

/// CPU time consumed by this process so far (all threads).
fn process_cpu_time() -> Option<Duration> {
    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "freebsd"
    ))]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        Some(Duration::new(
            u64::try_from(t.tv_sec).ok()?,
            u32::try_from(t.tv_nsec).ok()?,
        ))
    }
    #[cfg(not(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "freebsd"
    )))]
    {
        None
    }
}

/// Removes a directory tree when dropped.
struct TempTree(PathBuf);

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), ServeError> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(|e| ServeError::Io {
            path: from.to_path_buf(),
            source: e.into(),
        })?;
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).map_err(io_err(&dest))?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &dest).map_err(io_err(&dest))?;
        }
    }
    Ok(())
}

/// Measure what `koki serve` does after an editor saves one example: copy the site at `root`
/// (content and theme) into a temporary directory, build it once, then `iterations` times edit
/// the first example and rebuild with [`rebuild`]. The output goes where `koki serve` puts it
/// ([`default_output_dir`]), or below the copy with `on_disk`. The debounce delay is not
/// included. Nothing is written below `root`, and everything written is removed afterwards.
pub fn bench_rebuild(
    root: &Path,
    base_url: Option<&str>,
    iterations: usize,
    on_disk: bool,
) -> Result<RebuildBench, ServeError> {
    let source = BuildOptions::for_root(root);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let tmp =
        std::env::temp_dir().join(format!("koki-bench-rebuild-{}-{stamp}", std::process::id()));
    let _cleanup = TempTree(tmp.clone());
    copy_tree(&root.join("content"), &tmp.join("content"))?;
    copy_tree(&source.theme, &tmp.join("themes/default"))?;

    let mut opts = BuildOptions::for_root(&tmp);
    opts.base_url = base_url.map(str::to_string);
    let output = if on_disk {
        serve_output_dir(&tmp)
    } else {
        default_output_dir(&tmp)
    };
    opts.output = prepare_output(&tmp, &output)?;
    let _cleanup_output = TempTree(opts.output.parent().unwrap_or(&tmp).to_path_buf());

    let mut cache = BuildCache::default();
    let first = rebuild(&opts, &mut cache);
    let report = first.result?;

    let examples_dir = tmp.join("content/beispiele");
    let mut candidates: Vec<PathBuf> = fs::read_dir(&examples_dir)
        .map_err(io_err(&examples_dir))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    candidates.sort();
    let changed = candidates
        .into_iter()
        .next()
        .ok_or_else(|| ServeError::Io {
            path: examples_dir.clone(),
            source: io::Error::new(io::ErrorKind::NotFound, "kein Beispiel (*.md) gefunden"),
        })?;
    let original = fs::read_to_string(&changed).map_err(io_err(&changed))?;

    let mut rebuilds = Vec::with_capacity(iterations);
    let mut cpu = Vec::with_capacity(iterations);
    for i in 0..iterations {
        let edited = format!("{original}\nBenchmark-Änderung {i}.\n");
        fs::write(&changed, edited).map_err(io_err(&changed))?;
        let cpu_before = process_cpu_time();
        let outcome = rebuild(&opts, &mut cache);
        if let (Some(before), Some(after)) = (cpu_before, process_cpu_time()) {
            cpu.push(after.saturating_sub(before));
        }
        outcome.result?;
        rebuilds.push(outcome.elapsed);
    }
    Ok(RebuildBench {
        first_build: first.elapsed,
        rebuilds,
        cpu,
        changed_file: changed.strip_prefix(&tmp).unwrap_or(&changed).to_path_buf(),
        output_dir: opts.output.clone(),
        examples: report.examples,
    })
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
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%2e%2E").as_deref(), Some(".."));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn injects_before_head_end() {
        let html = b"<html><HEAD><title>x</title></HEAD><body></body></html>".to_vec();
        let out = String::from_utf8(inject_reload(html, 3)).unwrap();
        assert!(out.contains(&format!("{}</HEAD>", reload_tag(3))));
        assert!(out.contains("data-site=\"3\""));
        let out = String::from_utf8(inject_reload(b"plain".to_vec(), 1)).unwrap();
        assert_eq!(out, format!("plain{}", reload_tag(1)));
    }

    #[test]
    fn mime_types() {
        let m = |p: &str| mime_type(Path::new(p));
        assert_eq!(m("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(m("search/koki_search.wasm"), "application/wasm");
        assert_eq!(m("x.js"), "text/javascript; charset=utf-8");
        assert_eq!(m("karte.svg"), "image/svg+xml");
        assert_eq!(m("daten/katalog.json"), "application/json");
        assert_eq!(m("feed.xml"), "application/atom+xml");
        assert_eq!(m("sitemap.xml"), "application/xml");
        assert_eq!(m("static/css/koki.css"), "text/css; charset=utf-8");
        assert_eq!(m("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn default_output_dir_is_private_and_stable() {
        let tmp = tempfile::tempdir().unwrap();
        let default = default_output_dir(tmp.path());
        assert_eq!(default, default_output_dir(tmp.path()));
        assert!(!default.exists(), "computing the default creates nothing");
        let dir = prepare_output(tmp.path(), &default).unwrap();
        assert_eq!(dir.file_name().unwrap(), "site");
        let parent = dir.parent().unwrap().to_path_buf();
        assert!(parent.is_dir());
        if parent != tmp.path().join(SERVE_DIR) {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = fs::metadata(&parent).unwrap().permissions().mode();
                assert_eq!(mode & 0o077, 0, "{}", parent.display());
            }
            fs::remove_dir_all(&parent).unwrap();
        }
    }

    #[test]
    fn resolves_paths_inside_the_site_only() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir_all(site.join("beispiele/a")).unwrap();
        fs::write(site.join("index.html"), "start").unwrap();
        fs::write(site.join("beispiele/a/index.html"), "a").unwrap();
        fs::write(site.join(".koki-output"), "marker").unwrap();
        fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        let canon = site.canonicalize().unwrap();

        let r = |p: &str| resolve(&site, "/katalog/", p);
        assert_eq!(r("/"), Resolved::Redirect("/katalog/".into()));
        assert_eq!(r("/katalog"), Resolved::Redirect("/katalog/".into()));
        assert_eq!(r("/katalog/"), Resolved::File(canon.join("index.html")));
        assert_eq!(
            r("/katalog/beispiele/a/"),
            Resolved::File(canon.join("beispiele/a/index.html"))
        );
        assert_eq!(
            r("/katalog/beispiele/a"),
            Resolved::Redirect("/katalog/beispiele/a/".into())
        );
        assert_eq!(r("/katalog/fehlt/"), Resolved::NotFound);
        assert_eq!(r("/anderswo/index.html"), Resolved::NotFound);
        assert_eq!(r("/katalog/.koki-output"), Resolved::NotFound);
        assert_eq!(r("/katalog/../secret.txt"), Resolved::Forbidden);
        assert_eq!(r("/katalog/%2e%2e/secret.txt"), Resolved::Forbidden);
        assert_eq!(r("/katalog/%2E%2E%2Fsecret.txt"), Resolved::Forbidden);
        assert_eq!(
            r("/katalog/beispiele/..%5c..%5csecret.txt"),
            Resolved::Forbidden
        );
        assert_eq!(r("/katalog/%00"), Resolved::Forbidden);

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), site.join("link.txt"))
                .unwrap();
            assert_eq!(r("/katalog/link.txt"), Resolved::Forbidden);
        }
    }
}
