//! `koki new beispiel|szenario "Titel"`: a commented template with every required field, so that
//! contributors start from a file that has the right shape.
//!
//! Every value the contributor has to supply is a placeholder starting with `TODO`; `koki check`
//! reports each one that is left, so an unfinished file never passes. The slug comes from the
//! title (`load::slugify`: umlauts transliterated). Existing files are never overwritten.

use crate::schema::{Terms, EXAMPLE_FILE, SCENARIO_FILE, SCHEMA_DIR};
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

pub use koki_model::entry::{slug_for, MAX_SLUG_CHARS};

/// Marker that `koki new` puts into every value a contributor has to replace; `koki check`
/// reports each one that is left.
pub const PLACEHOLDER: &str = "TODO";

/// What to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Example,
    Scenario,
}

impl EntryKind {
    /// Directory below `content/`.
    pub fn dir(self) -> &'static str {
        match self {
            EntryKind::Example => "beispiele",
            EntryKind::Scenario => "szenarien",
        }
    }

    fn schema_file(self) -> &'static str {
        match self {
            EntryKind::Example => EXAMPLE_FILE,
            EntryKind::Scenario => SCENARIO_FILE,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
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
    #[error("Ein-/Ausgabefehler bei `{path}`")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A YAML scalar for arbitrary text (a JSON string is a valid YAML double-quoted scalar).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Comment lines listing the allowed ids of a vocabulary, wrapped at ~100 columns.
fn allowed(out: &mut String, indent: &str, terms: Option<&Terms>, vocabulary: &str) {
    let Some(entries) = terms.and_then(|t| t.vocab.get(vocabulary)) else {
        return;
    };
    let ids: Vec<&str> = entries.keys().map(String::as_str).collect();
    wrap_list(out, indent, "erlaubt", &ids);
}

/// The registry's fields without a Rust field of their own (none in koki's own registry), as
/// commented lines with their help text and allowed values.
fn generic_fields(out: &mut String, terms: Option<&Terms>) {
    let Some(t) = terms else { return };
    let registry = t.registry();
    for f in registry.generic_fields() {
        let _ = writeln!(out, "# {}", f.help);
        if let Some(v) = f.vocabulary_name() {
            allowed(out, "", terms, v);
        }
        let example = match f.kind {
            koki_model::fields::Kind::VocabList(_) => "[…]",
            _ => "…",
        };
        let _ = writeln!(out, "# {}: {example}", f.key);
    }
}

fn allowed_fields(out: &mut String, terms: Option<&Terms>) {
    let Some(t) = terms.filter(|t| !t.action_fields.is_empty()) else {
        return;
    };
    let ids: Vec<&str> = t.action_fields.iter().map(|(id, _)| id.as_str()).collect();
    wrap_list(out, "", "erlaubt", &ids);
}

fn wrap_list(out: &mut String, indent: &str, label: &str, ids: &[&str]) {
    let mut line = format!("{indent}# {label}: ");
    let start_len = line.len();
    for (i, id) in ids.iter().enumerate() {
        let piece = if i + 1 == ids.len() {
            id.to_string()
        } else {
            format!("{id}, ")
        };
        if line.len() + piece.len() > 100 && line.len() > start_len {
            out.push_str(line.trim_end());
            out.push('\n');
            line = format!("{indent}#   ");
        }
        line.push_str(&piece);
    }
    out.push_str(&line);
    out.push('\n');
}

/// The template text for a new entry.
pub fn template(kind: EntryKind, title: &str, today: NaiveDate, terms: Option<&Terms>) -> String {
    let mut s = String::new();
    let todo = PLACEHOLDER;
    let _ = writeln!(s, "---");
    let _ = writeln!(
        s,
        "# yaml-language-server: $schema=../../{SCHEMA_DIR}/{}",
        kind.schema_file()
    );
    match kind {
        EntryKind::Example => example_template(&mut s, title, today, terms, todo),
        EntryKind::Scenario => scenario_template(&mut s, title, today, terms, todo),
    }
    s
}

fn example_template(
    s: &mut String,
    title: &str,
    today: NaiveDate,
    terms: Option<&Terms>,
    todo: &str,
) {
    let _ = writeln!(s, "#");
    let _ = writeln!(s, "# Neues Beispiel für den Katalog „Kommunen & KI“.");
    let _ = writeln!(s, "# Ersetzen Sie jeden Wert, der mit {todo} beginnt: `koki check` meldet alle, die noch übrig sind.");
    let _ = writeln!(
        s,
        "# Alle Felder und Werte: docs/format.md; Ablauf: CONTRIBUTING.md."
    );
    let _ = writeln!(
        s,
        "# Kommentare (Zeilen mit #) dürfen stehen bleiben oder gelöscht werden."
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "# ---- Pflichtangaben ----");
    let _ = writeln!(s, "# Titel, höchstens 100 Zeichen.");
    let _ = writeln!(s, "titel: {}", quoted(title));
    let _ = writeln!(
        s,
        "# Zusammenfassung in einfacher Sprache, höchstens 400 Zeichen."
    );
    let _ = writeln!(
        s,
        "kurzbeschreibung: \"{todo}: Was macht die Kommune mit KI, für wen und mit welchem Ziel?\""
    );
    let _ = writeln!(s, "kommunen:");
    let _ = writeln!(s, "  - name: \"{todo}: Name der Kommune\"");
    let _ = writeln!(
        s,
        "    # Amtlicher Gemeindeschlüssel (8 Ziffern) oder Kreisschlüssel (5 Ziffern), in"
    );
    let _ = writeln!(
        s,
        "    # Anführungszeichen, z. B. \"09162000\". Daraus leitet koki Kreis, Einwohnerzahl,"
    );
    let _ = writeln!(
        s,
        "    # Dichte und Raumtyp ab. Bei Landesbehörden Zeile löschen."
    );
    let _ = writeln!(s, "    ags: \"{todo}\"");
    allowed(s, "    ", terms, "rolle");
    let _ = writeln!(s, "    rolle: federfuehrend");
    allowed(s, "", terms, "bundesland");
    let _ = writeln!(s, "bundesland: {todo}");
    allowed(s, "", terms, "verwaltungsebene");
    let _ = writeln!(s, "verwaltungsebene: {todo}");
    let _ = writeln!(
        s,
        "# Hauptsächliches Handlungsfeld (Dateiname in content/handlungsfelder/ ohne .md)."
    );
    allowed_fields(s, terms);
    let _ = writeln!(s, "handlungsfeld: {todo}");
    allowed(s, "", terms, "status");
    let _ = writeln!(s, "status: {todo}");
    let _ = writeln!(s, "# Nur bei status: eingestellt (dann Pflicht):");
    let _ = writeln!(s, "# status_grund: \"Warum das Vorhaben beendet wurde\"");
    let _ = writeln!(
        s,
        "# Eingesetzte KI-Verfahren, mindestens eines, z. B. [sprachverarbeitung, klassifikation]."
    );
    allowed(s, "", terms, "ki_technik");
    let _ = writeln!(s, "ki_technik: [{todo}]");
    let _ = writeln!(
        s,
        "# Belege, mindestens einer: Pressemitteilung, Ratsvorlage, Projektseite …"
    );
    let _ = writeln!(s, "quellen:");
    let _ = writeln!(
        s,
        "  - titel: \"{todo}: Titel der Seite oder des Dokuments\""
    );
    let _ = writeln!(s, "    url: \"{todo}: https://…\"");
    let _ = writeln!(s, "    abgerufen: {today}");
    let _ = writeln!(s, "erfasst_am: {today}");
    let _ = writeln!(s);
    let _ = writeln!(s, "# ---- Empfohlene Angaben: ausfüllen, was Sie wissen; den Rest löschen oder auskommentiert lassen ----");
    let _ = writeln!(s, "# einwohner: 12000");
    allowed(s, "", terms, "gemeindetyp");
    let _ = writeln!(s, "# gemeindetyp: kleinstadt");
    allowed(s, "", terms, "laendlichkeit");
    let _ = writeln!(s, "# laendlichkeit: eher_laendlich");
    allowed(s, "", terms, "anwendungstyp");
    let _ = writeln!(s, "# anwendungstyp: [chatbot_assistenz]");
    let _ = writeln!(s, "# zeitraum: {{ start: {} }}", today.format("%Y"));
    let _ = writeln!(s, "# anbieter: \"Name des Anbieters\"");
    let _ = writeln!(
        s,
        "# kontakt: {{ funktionspostfach: \"ki@kommune.example\" }}   # keine Personennamen"
    );
    let _ = writeln!(s, "# externe_ids: {{ pstw: \"PSTW-1234\" }}");
    generic_fields(s, terms);
    let _ = writeln!(s, "redaktionsstatus: eingereicht");
    let _ = writeln!(s, "lizenz: CC-BY-4.0");
    let _ = writeln!(s, "---");
    let _ = writeln!(s);
    let _ = writeln!(s, "<!-- Empfohlene Abschnitte. Schreiben Sie, was Sie wissen; löschen Sie Abschnitte, zu denen es nichts zu sagen gibt. -->");
    for (heading, prompt) in [
        (
            "Ausgangslage",
            "Welches Problem, welcher Bedarf bestand vorher?",
        ),
        (
            "Lösung und Funktionsweise",
            "Was macht das System, wie arbeitet es, wer nutzt es?",
        ),
        (
            "Daten",
            "Welche Daten nutzt es, woher kommen sie, wie werden sie geschützt?",
        ),
        (
            "Wirkung",
            "Was hat sich verändert? Zahlen, Erfahrungen, Rückmeldungen.",
        ),
        (
            "Beschäftigte und Beteiligung",
            "Wie wurden Beschäftigte, Personalrat und Bürgerschaft einbezogen?",
        ),
        (
            "Gemeinwohl und Risiken",
            "Wem nützt es, wer könnte benachteiligt werden, wie wird gegengesteuert?",
        ),
        (
            "Herausforderungen und Erkenntnisse",
            "Was war schwierig, was würden Sie heute anders machen?",
        ),
        (
            "Übertragbarkeit",
            "Was braucht eine andere Kommune, um das nachzunutzen?",
        ),
    ] {
        let _ = writeln!(s, "\n## {heading}\n\n{todo}: {prompt}");
    }
}

fn scenario_template(
    s: &mut String,
    title: &str,
    today: NaiveDate,
    terms: Option<&Terms>,
    todo: &str,
) {
    let _ = writeln!(s, "#");
    let _ = writeln!(s, "# Neues Szenario für den Katalog „Kommunen & KI“: eine gedachte Zukunft, kein reales Projekt.");
    let _ = writeln!(s, "# Ersetzen Sie jeden Wert, der mit {todo} beginnt: `koki check` meldet alle, die noch übrig sind.");
    let _ = writeln!(
        s,
        "# Alle Felder und Werte: docs/format.md; Ablauf: CONTRIBUTING.md."
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "# ---- Pflichtangaben ----");
    let _ = writeln!(s, "titel: {}", quoted(title));
    let _ = writeln!(s, "# Zusammenfassung, höchstens 400 Zeichen.");
    let _ = writeln!(
        s,
        "kurzfassung: \"{todo}: Worum geht es in dieser Zukunft, in zwei bis drei Sätzen?\""
    );
    let _ = writeln!(
        s,
        "# Handlungsfeld (Dateiname in content/handlungsfelder/ ohne .md)."
    );
    allowed_fields(s, terms);
    let _ = writeln!(s, "handlungsfeld: {todo}");
    let _ = writeln!(s, "# Jahr, in dem das Szenario spielt, z. B. 2035.");
    let _ = writeln!(s, "zeithorizont: {todo}");
    allowed(s, "", terms, "szenariotyp");
    let _ = writeln!(s, "szenariotyp: {todo}");
    let _ = writeln!(s, "erstellt_am: {today}");
    let _ = writeln!(s);
    let _ = writeln!(s, "# ---- Empfohlene Angaben ----");
    let _ = writeln!(
        s,
        "# Wo spielt es? Ländliche Räume sind ausdrücklich erwünscht."
    );
    let _ = writeln!(s, "setting:");
    allowed(s, "  ", terms, "gemeindetyp");
    let _ = writeln!(s, "  gemeindetyp: {todo}");
    allowed(s, "  ", terms, "laendlichkeit");
    let _ = writeln!(s, "  laendlichkeit: {todo}");
    let _ = writeln!(s, "perspektiven:");
    let _ = writeln!(
        s,
        "  - wer: \"{todo}: z. B. Sachbearbeiterin im Bürgeramt\""
    );
    let _ = writeln!(
        s,
        "    sicht: \"{todo}: Wie erlebt diese Person die Zukunft?\""
    );
    let _ = writeln!(s, "# Kennungen realer Beispiele (content/beispiele/), die heute schon in diese Richtung weisen:");
    let _ = writeln!(s, "# vorboten: [beispiel-kennung]");
    let _ = writeln!(s, "chancen: [\"{todo}: Chance\"]");
    let _ = writeln!(s, "risiken: [\"{todo}: Risiko\"]");
    let _ = writeln!(s, "handlungsoptionen_heute:");
    let _ = writeln!(
        s,
        "  - massnahme: \"{todo}: Was eine Kommune heute schon tun kann\""
    );
    allowed(s, "    ", terms, "aufwand");
    let _ = writeln!(s, "    aufwand: {todo}");
    let _ = writeln!(
        s,
        "    no_regret: false   # true, wenn sich die Maßnahme in jeder Zukunft lohnt"
    );
    let _ = writeln!(s, "offene_fragen: [\"{todo}: Offene Frage\"]");
    let _ = writeln!(s, "---");
    let _ = writeln!(s);
    let _ = writeln!(s, "{todo}: Erzählen Sie die gedachte Zukunft: ein Tag, eine Person, ein Ort. Machen Sie deutlich, dass es eine");
    let _ = writeln!(s, "Vorstellung ist und kein reales Projekt.");
}

/// Create `content/<dir>/<id>.md` below `root` from the template. `id` overrides the slug
/// derived from the title. Returns the path of the new file.
pub fn create(
    root: &Path,
    kind: EntryKind,
    title: &str,
    id: Option<&str>,
    today: NaiveDate,
) -> Result<PathBuf, ScaffoldError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ScaffoldError::EmptyTitle);
    }
    if title.contains(['\n', '\r']) {
        return Err(ScaffoldError::MultilineTitle);
    }
    let id = match id {
        Some(id) if crate::load::is_valid_id(id) => id.to_string(),
        Some(id) => return Err(ScaffoldError::InvalidId(id.to_string())),
        None => {
            let slug = slug_for(title);
            if slug.is_empty() {
                return Err(ScaffoldError::NoSlug(title.to_string()));
            }
            slug
        }
    };
    let content = root.join("content");
    if !content.is_dir() {
        return Err(ScaffoldError::NoContent(root.to_path_buf()));
    }
    let dir = content.join(kind.dir());
    for ext in ["md", "yaml", "yml"] {
        let existing = dir.join(format!("{id}.{ext}"));
        if existing.exists() {
            return Err(ScaffoldError::Exists(shown(root, &existing)));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|source| ScaffoldError::Io {
        path: dir.clone(),
        source,
    })?;
    let (loaded, _) = crate::load::load(root);
    let terms = Terms::from_loaded(&loaded);
    let text = template(kind, title, today, terms.as_ref());
    let path = dir.join(format!("{id}.md"));
    // `create_new` refuses to replace a file that appeared in the meantime.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(shown(root, &path)),
            _ => ScaffoldError::Io {
                path: path.clone(),
                source,
            },
        })?;
    file.write_all(text.as_bytes())
        .map_err(|source| ScaffoldError::Io {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_and_transliterated() {
        assert_eq!(
            slug_for("KI-Assistenz für Müller & Söhne"),
            "ki-assistenz-fuer-mueller-soehne"
        );
        let long = slug_for(&"Verkehrssteuerung ".repeat(10));
        assert!(long.len() <= MAX_SLUG_CHARS, "{long}");
        assert!(!long.ends_with('-'));
        assert_eq!(slug_for("!!!"), "");
    }

    #[test]
    fn template_quotes_the_title_and_dates_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        let t = template(EntryKind::Example, "Titel: mit \"Zeichen\"", today, None);
        assert!(t.contains(r#"titel: "Titel: mit \"Zeichen\"""#), "{t}");
        assert!(t.contains("erfasst_am: 2026-03-04"));
        assert!(t.contains("$schema=../../schema/beispiel.schema.json"));
        let split = crate::frontmatter::split(&t).unwrap();
        let v = crate::yaml::parse_value(split.yaml).unwrap();
        assert_eq!(v["titel"].as_str(), Some("Titel: mit \"Zeichen\""));
        let t = template(EntryKind::Scenario, "Zukunft", today, None);
        assert!(t.contains("erstellt_am: 2026-03-04"));
        assert!(crate::frontmatter::split(&t).is_ok());
    }
}
