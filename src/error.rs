//! The one error type of the `koki` crate: what the commands on top of the site pipeline
//! (`serve`, `import`, `bench`) can fail with. The pipeline's own failures arrive as
//! [`SiteError`] inside [`Error::Site`].
//!
//! Messages name a cause once: where an underlying error is the `source`, the message does
//! not repeat it; `main` prints the chain with
//! [`cause_chain`](crate::diagnostics::cause_chain).

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::SiteError;

/// Everything that can go wrong in the commands of `koki`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Building, exporting or writing the site failed.
    #[error(transparent)]
    Site(#[from] SiteError),
    /// Reading or writing a file failed.
    #[error("Ein-/Ausgabefehler bei `{path}`")]
    Io { path: PathBuf, source: io::Error },

    // ---- `koki serve` ----
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

    // ---- `koki import` ----
    #[error("CSV-Datei `{path}` nicht lesbar")]
    ReadCsv { path: PathBuf, source: io::Error },
    #[error("CSV-Datei `{path}` fehlerhaft")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("der CSV-Datei fehlt die Spalte „{0}“ (ist es der PSTW-Datensatz?)")]
    MissingColumn(&'static str),
    #[error("Site unter `{root}` nicht lesbar: {message}")]
    ImportSite { root: PathBuf, message: String },
    #[error("ungültiges Datum für --{option}: „{value}“ (erwartet JJJJ-MM-TT)")]
    InvalidDate { option: &'static str, value: String },
    #[error("Zielverzeichnis `{path}` nicht nutzbar")]
    OutDir { path: PathBuf, source: io::Error },
    #[error("`{path}` konnte nicht geschrieben werden")]
    Write { path: PathBuf, source: io::Error },
    #[error("YAML konnte nicht erzeugt werden")]
    Yaml(#[from] serde_yaml::Error),

    // ---- `koki bench` ----
    /// A benchmark step failed (a tool exited with an error, an output is missing).
    #[error("{0}")]
    BenchFailed(String),
}

/// The closure for `map_err` that attaches `path` to an I/O error.
pub(crate) fn io_err(path: &std::path::Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}
