//! Atomic output: a build writes into a staging directory next to the output and swaps it in
//! only when everything succeeded. A failed or killed build leaves the previous output intact;
//! leftovers of killed builds are removed by the next run.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Marker file that identifies a directory as koki output (safe to replace).
pub const MARKER: &str = ".koki-output";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write to `{path}`: {reason}")]
    Dangerous { path: PathBuf, reason: String },
    #[error("I/O error at `{path}`: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Check that `output` may be replaced: not the site root or a parent of it, not inside
/// `content/` or `themes/`, and either absent, empty, or a previous koki output (or `force`).
pub fn check_output_path(root: &Path, output: &Path, force: bool) -> Result<(), OutputError> {
    let dangerous = |reason: &str| OutputError::Dangerous {
        path: output.to_path_buf(),
        reason: reason.to_string(),
    };
    let abs_root = root.canonicalize().map_err(io_err(root))?;
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io_err(parent))?;
    let abs_parent = parent.canonicalize().map_err(io_err(parent))?;
    let name = output
        .file_name()
        .ok_or_else(|| dangerous("the output path has no directory name"))?;
    let abs_output = abs_parent.join(name);
    if abs_root.starts_with(&abs_output) {
        return Err(dangerous("it is the site root or contains it"));
    }
    for protected in ["content", "themes", "src", ".git"] {
        if abs_output.starts_with(abs_root.join(protected)) {
            return Err(dangerous(&format!("it lies inside `{protected}/`")));
        }
    }
    if abs_output.exists() && !force {
        if !abs_output.is_dir() {
            return Err(dangerous("it exists and is not a directory"));
        }
        let empty = fs::read_dir(&abs_output)
            .map_err(io_err(&abs_output))?
            .next()
            .is_none();
        if !empty && !abs_output.join(MARKER).exists() {
            return Err(dangerous(
                "it is not empty and was not written by koki (use --force to replace it)",
            ));
        }
    }
    Ok(())
}

/// A directory being filled by a build.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
}

fn sibling(output: &Path, kind: &str, pid: u32) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.{kind}-{pid}"))
}

fn pid_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists() && pid != 0
}

/// Remove staging and old directories left behind by builds that were killed.
pub fn clean_leftovers(output: &Path) {
    let Some(parent) = output.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    }) else {
        return;
    };
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        for kind in ["staging", "old"] {
            let prefix = format!(".{name}.{kind}-");
            if let Some(pid) = file_name
                .strip_prefix(&prefix)
                .and_then(|p| p.parse::<u32>().ok())
            {
                if pid == std::process::id() || !pid_alive(pid) {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
    }
}

impl Staging {
    /// Create a fresh staging directory next to `output`.
    pub fn create(output: &Path) -> Result<Staging, OutputError> {
        clean_leftovers(output);
        let dir = sibling(output, "staging", std::process::id());
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write one file below the staging directory (`rel` uses `/`).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        debug_assert!(
            !rel.contains(".."),
            "output paths never leave the staging dir"
        );
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        fs::write(&path, bytes).map_err(io_err(&path))
    }

    /// Swap the staging directory into place. On Linux the swap is one atomic
    /// `renameat2(RENAME_EXCHANGE)`, so the output path always holds a complete site.
    pub fn commit(self) -> Result<(), OutputError> {
        self.write(
            MARKER,
            b"This directory is generated by koki and replaced on every build.\n",
        )?;
        let output = self.output.clone();
        if output.exists() {
            let old = sibling(&output, "old", std::process::id());
            exchange(&self.dir, &output).map_err(io_err(&output))?;
            // The previous site is now at the staging path; move it aside and remove it.
            fs::rename(&self.dir, &old).map_err(io_err(&old))?;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.dir, &output).map_err(io_err(&output))?;
        }
        Ok(())
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    // Fallback: two renames; a crash between them leaves the old site in `.<name>.swap`.
    let tmp = b.with_extension("swap");
    fs::rename(b, &tmp)?;
    fs::rename(a, b)?;
    fs::rename(&tmp, a)
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A staging directory that was not committed is discarded.
        if self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
