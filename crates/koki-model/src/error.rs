//! The one error type of the model crate. Content problems are [`Diagnostics`]
//! (crate::diagnostics::Diagnostics), collected, not returned one at a time; this enum is for
//! the few functions that answer a single question and can fail: splitting a file's front
//! matter, looking up a Kreis by AGS.

/// What [`frontmatter::split`](crate::frontmatter::split) and
/// [`places::kreis_of`](crate::places::kreis_of) can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("die Datei beginnt nicht mit Front Matter (`---` in der ersten Zeile)")]
    NoFrontMatter,
    #[error("das Front Matter wird nicht mit `---` geschlossen")]
    UnclosedFrontMatter,
    #[error("`{0}` hat nicht 5 oder 8 Ziffern")]
    MalformedAgs(String),
    #[error("{}", unknown_kreis_message(ags, kreis))]
    UnknownKreis { ags: String, kreis: String },
}

fn unknown_kreis_message(ags: &str, kreis: &str) -> String {
    let key = if ags == kreis {
        format!("der Kreisschlüssel `{kreis}`")
    } else {
        format!("der Kreisschlüssel `{kreis}` (erste fünf Ziffern von `{ags}`)")
    };
    format!("{key} steht nicht in der Kreistabelle des Statistischen Bundesamts")
}
