//! Atomic output: a build writes into a staging directory next to the output and swaps it in
//! only when everything succeeded. A failed or killed build leaves the previous output intact;
//! leftovers of killed builds are removed by the next run.

use crate::Error;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Marker file that identifies a directory as koki output (safe to replace).
pub const MARKER: &str = ".koki-output";

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Check that `output` may be replaced: not the site root or a parent of it, not inside
/// `content/` or `themes/`, and either absent, empty, or a previous koki output (or `force`).
pub fn check_output_path(root: &Path, output: &Path, force: bool) -> Result<(), Error> {
    let dangerous = |reason: &str| Error::DangerousOutput {
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
        .ok_or_else(|| dangerous("der Pfad endet nicht mit einem Verzeichnisnamen"))?;
    let abs_output = abs_parent.join(name);
    if abs_root.starts_with(&abs_output) {
        return Err(dangerous(
            "es ist das Wurzelverzeichnis der Site oder enthält es",
        ));
    }
    for protected in ["content", "themes", "src", ".git"] {
        if abs_output.starts_with(abs_root.join(protected)) {
            return Err(dangerous(&format!("es liegt in `{protected}/` der Site")));
        }
    }
    if abs_output.exists() && !force {
        if !abs_output.is_dir() {
            return Err(dangerous("es existiert und ist kein Verzeichnis"));
        }
        let empty = fs::read_dir(&abs_output)
            .map_err(io_err(&abs_output))?
            .next()
            .is_none();
        if !empty && !abs_output.join(MARKER).exists() {
            return Err(dangerous(
                "es ist nicht leer und wurde nicht von koki erzeugt (mit --force wird es trotzdem ersetzt)",
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
    /// Directories (relative, `/`-separated, `""` for the root) of the `index.html` files
    /// written so far: the pages, for the sitemap.
    pages: std::sync::Mutex<Vec<String>>,
}

fn sibling(output: &Path, kind: &str, pid: u32) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.{kind}-{pid}"))
}

/// Whether process `pid` still runs (then its staging directory must be left alone).
#[cfg(unix)]
fn pid_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // `kill(pid, 0)`: no error, or EPERM (a process of another user), means it exists.
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

/// Without a way to ask, every process counts as alive: leftovers stay rather than a
/// running build losing its staging directory.
#[cfg(not(unix))]
fn pid_alive(pid: u32) -> bool {
    pid != 0
}

/// Copies the directory tree `from` into `to` (directories created as needed, files in name
/// order). On failure: the path that failed and the cause.
pub fn copy_tree(from: &Path, to: &Path) -> Result<(), (PathBuf, io::Error)> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| (from.to_path_buf(), e.into()))?;
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(|e| (target.clone(), e))?;
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target).map_err(|e| (target.clone(), e))?;
        }
    }
    Ok(())
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
    pub fn create(output: &Path) -> Result<Staging, Error> {
        clean_leftovers(output);
        let dir = sibling(output, "staging", std::process::id());
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            pages: Default::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The pages written so far (directories of their `index.html`, e.g. `beispiele/x/`),
    /// sorted.
    pub fn pages(&self) -> Vec<String> {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner()).clone();
        pages.sort();
        pages.dedup();
        pages
    }

    /// Write a page that is not to be listed in the sitemap (a redirect from a former
    /// address): the same as [`Self::write`] without recording the page.
    pub fn write_unlisted(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
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

    /// Write one file below the staging directory (`rel` uses `/`).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        if let Some(page) = rel.strip_suffix("index.html") {
            if page.is_empty() || page.ends_with('/') {
                let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
                pages.push(page.to_string());
            }
        }
        self.write_unlisted(rel, bytes)
    }

    /// Swap the staging directory into place. On Linux the swap is one atomic
    /// `renameat2(RENAME_EXCHANGE)`, so the output path always holds a complete site. Where
    /// that is not available (other systems; file systems such as NFS or CIFS that answer
    /// EINVAL/ENOTSUP/ENOSYS) the old site is renamed aside and the new one renamed into
    /// place: between those two renames the output path briefly does not exist.
    pub fn commit(self) -> Result<(), Error> {
        self.write(
            MARKER,
            b"This directory is generated by koki and replaced on every build.\n",
        )?;
        replace(&self.dir, &self.output, exchange)
    }
}

/// Move `staging` to `output`, replacing what is there; `exchange` swaps two paths atomically
/// or fails (see [`Staging::commit`]).
fn replace(
    staging: &Path,
    output: &Path,
    exchange: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> Result<(), Error> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(io_err(output));
    }
    let old = sibling(output, "old", std::process::id());
    match exchange(staging, output) {
        // The previous site is now at the staging path; move it aside.
        Ok(()) => fs::rename(staging, &old).map_err(io_err(&old))?,
        Err(e) if exchange_unsupported(&e) => {
            // Not atomic: a crash between the renames leaves the previous site in
            // `.<name>.old-<pid>`, which the next build removes.
            fs::rename(output, &old).map_err(io_err(output))?;
            if let Err(e) = fs::rename(staging, output) {
                let _ = fs::rename(&old, output);
                return Err(io_err(output)(e));
            }
        }
        Err(e) => return Err(io_err(output)(e)),
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Whether an exchange failed because the system or file system cannot do it (then two
/// renames do the job) rather than for a reason that would also stop a rename.
fn exchange_unsupported(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        if let Some(code) = e.raw_os_error() {
            let errno = Errno::from_raw_os_error(code);
            return [Errno::INVAL, Errno::NOTSUP, Errno::OPNOTSUPP, Errno::NOSYS].contains(&errno);
        }
    }
    false
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A staging directory that was not committed is discarded.
        if self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(dir: &Path, text: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), text).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn unsupported_exchange_falls_back_to_two_renames() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, output) = (tmp.path().join("staging"), tmp.path().join("public"));
        for errno in [libc::EINVAL, libc::ENOTSUP, libc::ENOSYS] {
            site_with(&output, "alt");
            site_with(&staging, "neu");
            replace(&staging, &output, |_, _| {
                Err(io::Error::from_raw_os_error(errno))
            })
            .unwrap();
            assert_eq!(
                fs::read_to_string(output.join("index.html")).unwrap(),
                "neu"
            );
            assert!(!staging.exists());
            let names: Vec<_> = fs::read_dir(tmp.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            assert_eq!(names, ["public"], "no old site is left behind");
        }
    }

    #[cfg(unix)]
    #[test]
    fn other_exchange_errors_keep_the_old_site() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, output) = (tmp.path().join("staging"), tmp.path().join("public"));
        site_with(&output, "alt");
        site_with(&staging, "neu");
        let err = replace(&staging, &output, |_, _| {
            Err(io::Error::from_raw_os_error(libc::EACCES))
        })
        .unwrap_err();
        assert!(matches!(err, Error::Io { .. }));
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "alt"
        );
    }

    #[test]
    fn exchange_replaces_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, output) = (tmp.path().join("staging"), tmp.path().join("public"));
        site_with(&output, "alt");
        site_with(&staging, "neu");
        replace(&staging, &output, exchange).unwrap();
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "neu"
        );
        assert!(!staging.exists());
    }

    #[cfg(unix)]
    #[test]
    fn liveness_without_proc() {
        assert!(pid_alive(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!pid_alive(pid), "an exited and reaped process is not alive");
        assert!(!pid_alive(0));
        assert!(!pid_alive(u32::MAX));
    }

    #[test]
    fn error_message_names_the_cause_once() {
        let e = Error::Io {
            path: PathBuf::from("public"),
            source: io::Error::other("Datenträger voll"),
        };
        let shown = format!("{:#}", anyhow::Error::from(e));
        assert_eq!(shown.matches("Datenträger voll").count(), 1, "{shown}");
    }
}
