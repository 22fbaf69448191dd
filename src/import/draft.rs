//! Rendering a draft file: front matter with review comments, and the body.

use super::*;

/// Escape Markdown so that the English original shows as plain text.
pub(super) fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, c) in line.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' | '|' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text safe inside an HTML comment.
pub(super) fn comment_safe(s: &str) -> String {
    collapse_ws(s).replace("--", "–").replace('>', "›")
}

pub(super) fn render_body(m: &Mapped) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<!-- Entwurf aus `koki import pstw` ({}). Für die Redaktion:",
        m.pstw
    );
    b.push_str(
        "     Titel und Kurzbeschreibung auf Deutsch schreiben; die empfohlenen Abschnitte\n",
    );
    b.push_str("     (## Ausgangslage, ## Lösung und Funktionsweise, ## Daten, ## Wirkung, …) in eigenen\n");
    b.push_str("     Worten aus der Originalbeschreibung verfassen, nur mit belegten Fakten; alle Felder\n");
    b.push_str("     mit „bitte prüfen“ oder „TODO“ im Front Matter klären. Der Abschnitt\n");
    b.push_str("     „Originalbeschreibung“ kann danach entfallen, die Grundlage-Zeile bleibt.\n");
    if !m.facts.is_empty() {
        b.push_str("     Weitere Angaben in PSTW:\n");
        for (label, value) in &m.facts {
            let _ = writeln!(b, "       {label}: {}", comment_safe(&shorten(value, 160)));
        }
    }
    b.push_str("-->\n\n");
    b.push_str("## Originalbeschreibung (PSTW, englisch)\n\n");
    if m.description.is_empty() {
        b.push_str("> (keine Beschreibung in PSTW)\n");
    } else {
        let mut blank = false;
        for line in m.description.lines() {
            let line = line.trim();
            if line.is_empty() {
                if !blank {
                    b.push_str(">\n");
                }
                blank = true;
                continue;
            }
            blank = false;
            let _ = writeln!(b, "> {}", escape_markdown(line));
        }
    }
    let _ = writeln!(
        b,
        "\n*Grundlage: Public Sector Tech Watch ({}), Europäische Kommission, Gemeinsame Forschungsstelle (JRC), CC BY 4.0*",
        m.pstw
    );
    b
}

/// The draft file: front matter with comments, then the body.
pub(super) fn render_draft(m: &Mapped) -> Result<String, Error> {
    let yaml = crate::yaml::to_string(&m.example)?;
    let mut out = String::from("---\n");
    let _ = writeln!(
        out,
        "# Entwurf aus Public Sector Tech Watch ({}), erzeugt mit `koki import pstw`.",
        m.pstw
    );
    out.push_str(
        "# Mit „bitte prüfen“ markierte Werte sind geschätzt, mit „TODO“ markierte Platzhalter.\n",
    );
    for line in yaml.lines() {
        let key = line
            .split_once(':')
            .map(|(k, _)| k)
            .filter(|k| !k.starts_with([' ', '-', '#']) && !k.is_empty());
        if let Some(comments) = key.and_then(|k| m.comments.get(k)) {
            for c in comments {
                for (i, part) in c.lines().enumerate() {
                    let _ = writeln!(out, "# {}{}", if i > 0 { "  " } else { "" }, part);
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("---\n\n");
    out.push_str(&render_body(m));
    Ok(out)
}
