//! The one error type of the crate: every way building, exporting, scaffolding or checking a
//! site can fail.
//!
//! One enum instead of one per module, so that a caller matches on what went wrong, not on
//! which module noticed it, and no variant wraps another module's error only to print it
//! again. Messages name a cause once: where an underlying error is the `source`, the message
//! does not repeat it (the CLI prints the chain with
//! [`cause_chain`](koki_model::diagnostics::cause_chain)).

use std::io;
use std::path::PathBuf;

use koki_model::diagnostics::Diagnostics;

/// `Result` with [`Error`] as the error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in `koki-site`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- input: content and options ----
    /// Content problems; nothing was written.
    #[error("{} Fehler im Inhalt", .0.error_count())]
    Content(Diagnostics),
    /// `--base-url` is not an absolute http(s) URL.
    #[error("ungültige Basis-URL `{0}`: erwartet wird eine vollständige Adresse wie `https://example.org/katalog/`")]
    BaseUrl(String),
    /// Invalid command-line arguments of `koki search`.
    #[error("{0}")]
    Usage(String),
    /// `content/vokabular.yaml` is missing or broken (`koki schema`).
    #[error("`content/vokabular.yaml` fehlt oder ist fehlerhaft; `koki check` zeigt die Ursache")]
    NoVocabulary,

    // ---- the output directory ----
    /// The output path must not be replaced.
    #[error("`{path}` wird nicht als Ausgabeverzeichnis verwendet: {reason}")]
    DangerousOutput { path: PathBuf, reason: String },
    /// Reading or writing a file failed.
    #[error("Ein-/Ausgabefehler bei `{path}`")]
    Io { path: PathBuf, source: io::Error },

    // ---- theme and templates ----
    #[error("Theme unter `{path}` nicht lesbar")]
    Theme { path: PathBuf, source: io::Error },
    #[error("theme strings `{path}` are invalid: {message}")]
    ThemeStrings { path: PathBuf, message: String },
    /// A Tera template failed; the message holds Tera's whole chain.
    #[error("template error: {0}")]
    Template(String),
    /// Two generated pages would have the same path.
    #[error("page path `{path}` is generated twice ({what})")]
    PathCollision { path: String, what: String },

    // ---- the map ----
    #[error("Kartengrundlage `{path}` nicht lesbar")]
    MapSource { path: PathBuf, source: io::Error },
    #[error("map outline: path `{id}` has invalid path data near `{near}`")]
    MapPathData { id: String, near: String },
    #[error("map outline has no path for Land `{0}`")]
    MapMissingLand(String),

    // ---- open data ----
    #[error("CSV-Export fehlgeschlagen")]
    Csv(#[from] csv::Error),
    #[error("JSON-Export fehlgeschlagen")]
    Json(#[from] serde_json::Error),
    #[error("Schreiben der offenen Daten fehlgeschlagen")]
    ExportWrite(#[source] io::Error),

    // ---- search ----
    /// Building or opening the search bundle failed.
    #[error("Suchindex")]
    Search(#[from] koki_search::SearchError),
    /// A file of a built site cannot be read (`koki search`).
    #[error("`{path}` kann nicht gelesen werden (wurde die Site mit `koki build` gebaut? Sonst `--site` angeben)")]
    SiteRead { path: PathBuf, source: io::Error },
    /// The search manifest of a built site is malformed.
    #[error("Suchmanifest `{path}` ist ungültig (Site mit `koki build` neu bauen)")]
    SearchManifest {
        path: PathBuf,
        source: serde_json::Error,
    },

    // ---- the contribution form ----
    #[error("Quelldatei `{path}` für das Einreichungsformular nicht lesbar")]
    FormSource { path: PathBuf, source: io::Error },
    #[error("Kontext des Einreichungsformulars nicht lesbar")]
    FormContext(#[from] serde_yaml::Error),

    // ---- `koki new` ----
    #[error("kein Inhaltsverzeichnis unter `{0}`; geben Sie mit --root das Wurzelverzeichnis der Site an")]
    NoContent(PathBuf),
    #[error("der Titel ist leer")]
    EmptyTitle,
    #[error("der Titel darf keinen Zeilenumbruch enthalten")]
    MultilineTitle,
    #[error(
        "aus dem Titel „{0}“ lässt sich kein Dateiname bilden; geben Sie mit --id eine Kennung an"
    )]
    NoSlug(String),
    #[error("ungültige Kennung `{0}`: erlaubt sind Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche")]
    InvalidId(String),
    #[error("`{0}` existiert bereits und wird nicht überschrieben; wählen Sie mit --id eine andere Kennung")]
    Exists(PathBuf),

    // ---- the link check ----
    #[error("cannot read `{path}`: {message}")]
    LinkCheckRead { path: PathBuf, message: String },
}

impl Error {
    /// Whether the theme (templates, strings, static files) is at fault, not the content.
    pub fn is_theme_error(&self) -> bool {
        matches!(
            self,
            Error::Theme { .. } | Error::ThemeStrings { .. } | Error::Template(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use koki_model::diagnostics::cause_chain;

    /// Every variant that carries a source names it once in the printed chain, also through
    /// `anyhow`'s `{:#}` (which does not de-duplicate like `cause_chain` does).
    #[test]
    fn wrapped_causes_are_printed_once() {
        let yaml = serde_yaml::from_str::<u32>("[").unwrap_err();
        let json = serde_json::from_str::<u32>("x").unwrap_err();
        let errors = [
            Error::Io {
                path: "public".into(),
                source: io::Error::other("Datenträger voll"),
            },
            Error::ExportWrite(io::Error::other("Datenträger voll")),
            Error::Json(json),
            Error::FormContext(yaml),
            Error::Search(koki_search::SearchError::Bundle("Datenträger voll".into())),
        ];
        for e in errors {
            let cause = std::error::Error::source(&e)
                .expect("the variant has a source")
                .to_string();
            let chain = cause_chain(&e);
            let shown = format!("{:#}", anyhow::Error::from(e));
            for text in [&chain, &shown] {
                assert_eq!(text.matches(cause.as_str()).count(), 1, "{text}");
            }
        }
    }
}
