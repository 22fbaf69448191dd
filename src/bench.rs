//! `koki bench`: builds synthetic catalogs of several sizes and prints what a build costs —
//! wall time per phase, pages per second, peak memory, output files and bytes, search bundle
//! size and the bytes a first search downloads — as a text table or as JSON. Optionally
//! builds an equivalent Hugo site from the same Markdown bodies and reports the ratio.
//!
//! Every size is built in a fresh child process (`koki bench --child-build …`), so peak memory
//! (`VmHWM` of the child, cross-checked with `wait4` rusage) never accumulates across sizes.
//! Catalogs are generated into a temporary directory; output goes to `/dev/shm` (tmpfs) when
//! it exists, so disk speed does not dominate.
//!
//! `koki bench --generate N --out DIR` only writes a synthetic site (content and theme).

use crate::build::{self, BuildOptions};
use crate::error::{io_err, Error};
use crate::synth;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod hugo;
use hugo::hugo_compare;
pub use hugo::{write_hugo_site, HugoResult};

/// Command-line arguments of `koki bench`.
#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    /// Nur einen synthetischen Katalog mit N Beispielen erzeugen (nach `--out`) und beenden.
    #[arg(long, value_name = "N")]
    pub generate: Option<usize>,
    /// Zielverzeichnis für `--generate` (erhält `content/` und `themes/default/`).
    #[arg(long, value_name = "DIR", requires = "generate")]
    pub out: Option<PathBuf>,
    /// Größen (Anzahl Beispiele), kommagetrennt.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,50000")]
    pub sizes: Vec<usize>,
    /// Startwert des Zufallsgenerators (gleicher Wert → gleicher Katalog).
    #[arg(long, default_value_t = synth::DEFAULT_SEED)]
    pub seed: u64,
    /// Builds je Größe; berichtet wird der schnellste.
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// Ergebnis als JSON ausgeben.
    #[arg(long)]
    pub json: bool,
    /// Theme, das in die erzeugten Sites kopiert wird.
    #[arg(long, default_value = "themes/default")]
    pub theme: PathBuf,
    /// Zusätzlich eine gleichwertige Hugo-Site bauen und vergleichen (braucht `hugo`).
    #[arg(long)]
    pub hugo: bool,
    /// Hugo-Programm für `--hugo`.
    #[arg(long, default_value = "hugo", value_name = "PROGRAMM")]
    pub hugo_bin: PathBuf,
    /// Arbeitsverzeichnis für die erzeugten Kataloge (Standard: ein temporäres Verzeichnis).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// Erzeugte Kataloge und Ausgaben nicht löschen.
    #[arg(long)]
    pub keep: bool,
    /// Intern: einen Build im Kindprozess ausführen (ROOT OUT REPORT).
    #[arg(long, hide = true, num_args = 3, value_names = ["ROOT", "OUT", "REPORT"])]
    pub child_build: Option<Vec<PathBuf>>,
}

/// What the child process reports about its build.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChildReport {
    /// (phase, milliseconds) in pipeline order.
    pub phases: Vec<(String, f64)>,
    /// Wall time of `build::build`, milliseconds.
    pub build_ms: f64,
    pub examples: usize,
    pub scenarios: usize,
    /// Peak resident memory of the child (`VmHWM`), bytes.
    pub peak_rss_bytes: u64,
}

/// One measured size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SizeResult {
    pub examples: usize,
    pub scenarios: usize,
    /// Bytes and files of the generated `content/`.
    pub content_files: usize,
    pub content_bytes: u64,
    pub body_words: u64,
    /// Wall time per phase (milliseconds), from the fastest run.
    pub phases: Vec<(String, f64)>,
    /// Wall time of the build inside the child, milliseconds.
    pub build_ms: f64,
    /// Wall time of the whole child process (start, build, exit), milliseconds.
    pub process_ms: f64,
    /// User + system CPU time of the child process, milliseconds (stable on a busy machine).
    pub cpu_ms: f64,
    /// HTML pages written.
    pub pages: usize,
    pub pages_per_second: f64,
    /// Peak resident memory of the build process, bytes.
    pub peak_rss_bytes: u64,
    pub output_files: usize,
    pub output_bytes: u64,
    pub search_bundle_bytes: u64,
    pub search_module_bytes: u64,
    /// What a first search downloads (manifest, module, hot file and the parts it needs;
    /// uncompressed), the median over [`crate::search::BENCH_QUERIES`] from a cold start.
    pub first_search_bytes: u64,
    /// The Hugo comparison, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hugo: Option<HugoResult>,
}

/// Median cold first-search download over the benchmark queries (`None` without a search index).
fn first_search_bytes(out: &Path) -> Option<u64> {
    let mut sizes: Vec<usize> = crate::search::BENCH_QUERIES
        .iter()
        .map(|q| crate::search::cold_query_bytes(out, &koki_search::SearchRequest::query(q)).ok())
        .collect::<Option<_>>()?;
    sizes.sort_unstable();
    sizes.get(sizes.len() / 2).map(|&s| s as u64)
}

/// The whole benchmark.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchReport {
    pub koki_version: String,
    pub cpus: usize,
    pub output_dir_kind: String,
    pub seed: u64,
    pub runs: usize,
    pub sizes: Vec<SizeResult>,
}

/// Entry point of `koki bench`; returns what to print on stdout.
pub fn run(args: &BenchArgs, quiet: bool) -> Result<String, Error> {
    if let Some(child) = &args.child_build {
        child_build(&child[0], &child[1], &child[2])?;
        return Ok(String::new());
    }
    if let Some(n) = args.generate {
        let out = args
            .out
            .clone()
            .ok_or_else(|| Error::BenchFailed("--generate braucht --out DIR".into()))?;
        let s = generate_site(&out, n, args.seed, &args.theme)?;
        return Ok(format!(
            "{} Beispiele, {} Szenarien, {} Handlungsfelder, {} Seiten in {} Dateien ({} Bytes, {} Wörter) → {}\n",
            s.examples,
            s.scenarios,
            s.fields,
            s.pages,
            s.files,
            s.bytes,
            s.body_words,
            out.display()
        ));
    }
    let report = bench(args, quiet)?;
    Ok(if args.json {
        let mut s = serde_json::to_string_pretty(&report).expect("report serialises");
        s.push('\n');
        s
    } else {
        render_text(&report)
    })
}

/// Generate a synthetic site into `root` and copy the theme next to it (if it exists), so
/// that `koki build --root <root>` works.
pub fn generate_site(
    root: &Path,
    examples: usize,
    seed: u64,
    theme: &Path,
) -> Result<synth::Summary, Error> {
    let summary = synth::generate(root, examples, seed).map_err(io_err(root))?;
    if theme.is_dir() {
        copy_dir(theme, &root.join("themes/default"))?;
    }
    Ok(summary)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), Error> {
    crate::output::copy_tree(from, to).map_err(|(path, source)| Error::Io { path, source })
}

/// Peak resident set size of this process (`VmHWM`), bytes.
pub fn peak_rss_self() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

fn child_build(root: &Path, out: &Path, report_path: &Path) -> Result<(), Error> {
    let opts = BuildOptions {
        output: out.to_path_buf(),
        force: true,
        ..BuildOptions::for_root(root)
    };
    let start = Instant::now();
    // A failed build keeps its typed error (`Error::Site`); main prints its cause chain.
    let report = build::build(&opts)?;
    let build_ms = start.elapsed().as_secs_f64() * 1000.0;
    let child = ChildReport {
        phases: report
            .phases
            .iter()
            .map(|(n, d)| (n.to_string(), d.as_secs_f64() * 1000.0))
            .collect(),
        build_ms,
        examples: report.examples,
        scenarios: report.scenarios,
        peak_rss_bytes: peak_rss_self(),
    };
    let json = serde_json::to_vec(&child).expect("report serialises");
    fs::write(report_path, json).map_err(io_err(report_path))
}

/// Run a command to completion; returns (wall ms, peak RSS bytes, user+system CPU ms), the
/// last two from `wait4`.
fn run_measured(cmd: &mut Command) -> Result<(f64, u64, f64), Error> {
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| Error::BenchFailed(format!("{cmd:?}: {e}")))?;
    let (status, maxrss, cpu_ms) = wait_rusage(child)?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if !status {
        return Err(Error::BenchFailed(format!("{cmd:?} failed")));
    }
    Ok((ms, maxrss, cpu_ms))
}

#[cfg(target_os = "linux")]
fn wait_rusage(child: std::process::Child) -> Result<(bool, u64, f64), Error> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: plain FFI call on a child we spawned and have not waited for; `rusage` is a
    // plain C struct that may be zero-initialised.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    std::mem::forget(child);
    if r < 0 {
        return Err(Error::BenchFailed(format!(
            "wait4: {}",
            io::Error::last_os_error()
        )));
    }
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let tv = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    // `ru_maxrss` is in kilobytes on Linux.
    Ok((
        ok,
        usage.ru_maxrss as u64 * 1024,
        tv(usage.ru_utime) + tv(usage.ru_stime),
    ))
}

#[cfg(not(target_os = "linux"))]
fn wait_rusage(mut child: std::process::Child) -> Result<(bool, u64, f64), Error> {
    let status = child
        .wait()
        .map_err(|e| Error::BenchFailed(format!("wait: {e}")))?;
    Ok((status.success(), 0, 0.0))
}

/// Files and bytes below `dir`, and how many of them are HTML pages.
fn tree_stats(dir: &Path) -> (usize, u64, usize) {
    let mut files = 0;
    let mut bytes = 0;
    let mut html = 0;
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            files += 1;
            bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            if e.path().extension().is_some_and(|x| x == "html") {
                html += 1;
            }
        }
    }
    (files, bytes, html)
}

fn output_base(work: &Path) -> (PathBuf, String) {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        let dir = shm.join(format!("koki-bench-{}", std::process::id()));
        if fs::create_dir_all(&dir).is_ok() {
            return (dir, "tmpfs (/dev/shm)".into());
        }
    }
    (work.join("out"), "disk".into())
}

fn bench(args: &BenchArgs, quiet: bool) -> Result<BenchReport, Error> {
    let exe = std::env::current_exe().map_err(|e| Error::BenchFailed(e.to_string()))?;
    let (work, _tmp_guard) = match &args.work_dir {
        Some(w) => {
            fs::create_dir_all(w).map_err(io_err(w))?;
            (w.clone(), None)
        }
        None => {
            let dir = std::env::temp_dir().join(format!("koki-bench-{}", std::process::id()));
            fs::create_dir_all(&dir).map_err(io_err(&dir))?;
            (dir.clone(), (!args.keep).then_some(RemoveOnDrop(dir)))
        }
    };
    let (out_base, kind) = output_base(&work);
    let _out_guard = (!args.keep).then(|| RemoveOnDrop(out_base.clone()));
    let theme = args
        .theme
        .canonicalize()
        .map_err(|e| Error::BenchFailed(format!("Theme `{}`: {e}", args.theme.display())))?;
    let mut sizes = Vec::new();
    for &n in &args.sizes {
        let site = work.join(format!("site-{n}"));
        if site.exists() {
            fs::remove_dir_all(&site).map_err(io_err(&site))?;
        }
        if !quiet {
            eprintln!("erzeuge {n} Beispiele …");
        }
        let summary = generate_site(&site, n, args.seed, &theme)?;
        let out = out_base.join(format!("out-{n}"));
        let report_path = work.join(format!("report-{n}.json"));
        let mut best: Option<(ChildReport, f64, u64, f64)> = None;
        for run in 0..args.runs.max(1) {
            if !quiet {
                eprintln!("baue {n} Beispiele (Lauf {}) …", run + 1);
            }
            let (process_ms, rusage_peak, cpu_ms) = run_measured(
                Command::new(&exe)
                    .arg("bench")
                    .arg("--child-build")
                    .arg(&site)
                    .arg(&out)
                    .arg(&report_path),
            )?;
            let text = fs::read(&report_path).map_err(io_err(&report_path))?;
            let child: ChildReport = serde_json::from_slice(&text)
                .map_err(|e| Error::BenchFailed(format!("child report: {e}")))?;
            if best.as_ref().is_none_or(|b| process_ms < b.1) {
                best = Some((child, process_ms, rusage_peak, cpu_ms));
            }
        }
        let (child, process_ms, rusage_peak, cpu_ms) = best.expect("at least one run");
        let (output_files, output_bytes, pages) = tree_stats(&out);
        let manifest: Option<crate::search::SearchManifest> =
            fs::read(out.join(crate::search::SEARCH_DIR).join("manifest.json"))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok());
        let manifest_bytes =
            fs::metadata(out.join(crate::search::SEARCH_DIR).join("manifest.json"))
                .map(|m| m.len())
                .unwrap_or(0);
        let (bundle, module) = manifest
            .as_ref()
            .map(|m| (m.bundle_bytes as u64, m.module_bytes as u64))
            .unwrap_or((0, 0));
        let hugo = if args.hugo {
            Some(hugo_compare(args, &site, &out_base, n, process_ms, quiet)?)
        } else {
            None
        };
        sizes.push(SizeResult {
            examples: child.examples,
            scenarios: child.scenarios,
            content_files: summary.files,
            content_bytes: summary.bytes,
            body_words: summary.body_words,
            phases: child.phases,
            build_ms: child.build_ms,
            process_ms,
            cpu_ms,
            pages,
            pages_per_second: pages as f64 / (process_ms / 1000.0),
            peak_rss_bytes: child.peak_rss_bytes.max(rusage_peak),
            output_files,
            output_bytes,
            search_bundle_bytes: bundle,
            search_module_bytes: module,
            first_search_bytes: first_search_bytes(&out).unwrap_or(manifest_bytes + module),
            hugo,
        });
        if !args.keep {
            let _ = fs::remove_dir_all(&out);
            let _ = fs::remove_dir_all(&site);
        }
    }
    Ok(BenchReport {
        koki_version: env!("CARGO_PKG_VERSION").to_string(),
        cpus: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        output_dir_kind: kind,
        seed: args.seed,
        runs: args.runs.max(1),
        sizes,
    })
}

struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

fn kib(bytes: u64) -> String {
    format!("{:.0}", bytes as f64 / 1024.0)
}

/// The report as a text table (one row per size, one column per phase).
pub fn render_text(r: &BenchReport) -> String {
    let mut phase_names: Vec<String> = Vec::new();
    for s in &r.sizes {
        for (n, _) in &s.phases {
            if !phase_names.contains(n) {
                phase_names.push(n.clone());
            }
        }
    }
    let mut out = format!(
        "koki {} bench — {} CPU(s), Ausgabe: {}, Seed {}, bester von {} Lauf/Läufen\n\n",
        r.koki_version, r.cpus, r.output_dir_kind, r.seed, r.runs
    );
    out.push_str("Zeiten in ms je Phase (Wanduhr)\n");
    let mut header = format!("{:>9}", "Beispiele");
    for n in &phase_names {
        header.push_str(&format!(" {:>9}", truncate(n, 9)));
    }
    header.push_str(&format!(" {:>9} {:>9} {:>9}", "Build", "Prozess", "CPU"));
    out.push_str(&header);
    out.push('\n');
    for s in &r.sizes {
        let mut row = format!("{:>9}", s.examples);
        for n in &phase_names {
            let v = s.phases.iter().find(|(p, _)| p == n).map(|(_, v)| *v);
            row.push_str(&match v {
                Some(v) => format!(" {v:>9.1}"),
                None => format!(" {:>9}", "–"),
            });
        }
        row.push_str(&format!(
            " {:>9.1} {:>9.1} {:>9.1}",
            s.build_ms, s.process_ms, s.cpu_ms
        ));
        out.push_str(&row);
        out.push('\n');
    }
    out.push_str(&format!(
        "\n{:>9} {:>8} {:>9} {:>11} {:>8} {:>11} {:>11} {:>13}\n",
        "Beispiele",
        "Seiten",
        "Seiten/s",
        "Spitze MiB",
        "Dateien",
        "Ausgabe MiB",
        "Bündel KiB",
        "1. Suche KiB"
    ));
    for s in &r.sizes {
        out.push_str(&format!(
            "{:>9} {:>8} {:>9.0} {:>11} {:>8} {:>11} {:>11} {:>13}\n",
            s.examples,
            s.pages,
            s.pages_per_second,
            mib(s.peak_rss_bytes),
            s.output_files,
            mib(s.output_bytes),
            kib(s.search_bundle_bytes),
            kib(s.first_search_bytes)
        ));
    }
    if r.sizes.iter().any(|s| s.hugo.is_some()) {
        out.push_str(&format!(
            "\nVergleich mit Hugo (gleiche Markdown-Texte)\n{:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>8} {:>8}\n",
            "Beispiele", "koki ms", "Hugo ms", "koki CPU", "Hugo CPU", "koki MiB", "Hugo MiB", "Faktor", "CPU-Fak."
        ));
        for s in &r.sizes {
            if let Some(h) = &s.hugo {
                out.push_str(&format!(
                    "{:>9} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9} {:>9} {:>7.1}× {:>7.1}×\n",
                    s.examples,
                    s.process_ms,
                    h.wall_ms,
                    s.cpu_ms,
                    h.cpu_ms,
                    mib(s.peak_rss_bytes),
                    mib(h.peak_rss_bytes),
                    h.ratio,
                    h.cpu_ms / s.cpu_ms.max(1.0)
                ));
            }
        }
        if let Some(h) = r.sizes.iter().find_map(|s| s.hugo.as_ref()) {
            out.push_str(&format!("({})\n", h.version));
        }
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
