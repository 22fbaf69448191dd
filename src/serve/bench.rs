//! `koki bench`'s rebuild benchmark: copy a site, edit one entry, time the rebuilds.

use super::*;

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

pub(super) fn sorted(v: &[Duration]) -> Vec<Duration> {
    let mut v = v.to_vec();
    v.sort();
    v
}

pub(super) fn median(v: &[Duration]) -> Duration {
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
pub(super) fn process_cpu_time() -> Option<Duration> {
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
pub(super) struct TempTree(PathBuf);

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub(super) fn copy_tree(from: &Path, to: &Path) -> Result<(), Error> {
    crate::output::copy_tree(from, to).map_err(|(path, source)| Error::Io { path, source })
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
) -> Result<RebuildBench, Error> {
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
    let changed = candidates.into_iter().next().ok_or_else(|| Error::Io {
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
