//! AI classification → `ki_technik`.

use super::*;

/// PSTW AI subdomain → our `ki_technik` ids. An empty list marks a generic value that says
/// nothing specific (machine learning, AI services …).
pub(super) static AI_SUBDOMAINS: &[(&str, &[&str])] = &[
    ("natural language processing", &["sprachverarbeitung"]),
    ("computer vision", &["bilderkennung"]),
    ("planning and scheduling", &["optimierung"]),
    ("optimisation", &["optimierung"]),
    ("optimization", &["optimierung"]),
    ("generative ai", &["generative_ki"]),
    ("audio processing", &["spracherkennung"]),
    ("multi-agent systems", &["agentensystem"]),
    ("robotics and automation", &["robotik"]),
    (
        "robotics and automation and robotic process automation (rpa)",
        &["regelbasiert"],
    ),
    ("robotic process automation (rpa)", &["regelbasiert"]),
    ("connected and automated vehicles", &["robotik"]),
    ("automated reasoning", &["regelbasiert"]),
    (
        "automated reasoning and automated decision making (adm)",
        &["regelbasiert"],
    ),
    ("knowledge representation", &["regelbasiert"]),
    ("machine learning", &[]),
    ("deep learning", &[]),
    ("ai services", &[]),
    ("multiple ai techniques", &[]),
    ("searching", &[]),
];

/// The guess when only generic subdomains are given.
pub(super) const GENERIC_GUESS: (&str, &str) = ("machine learning", "prognose");

pub(super) fn map_ki_technik(m: &mut Mapped, row: &Row<'_>, site: &Site) {
    let line = row.line;
    let mut ids: Vec<String> = Vec::new();
    let mut generic: Vec<(String, &str)> = Vec::new();
    for col in std::iter::once(COL_AI_MAIN).chain(COL_AI_OTHER) {
        let raw = collapse_ws(row.get(col));
        if raw.is_empty() {
            continue;
        }
        let key = raw.to_lowercase();
        match AI_SUBDOMAINS.iter().find(|(k, _)| *k == key) {
            Some((_, [])) => generic.push((raw, col)),
            Some((_, targets)) => {
                for t in *targets {
                    if site.has("ki_technik", t) && !ids.iter().any(|i| i == t) {
                        ids.push((*t).to_string());
                    }
                }
            }
            None => m.unmapped(
                line,
                col,
                &raw,
                "unbekannte KI-Teildisziplin; nicht übernommen",
            ),
        }
    }
    // Large language models are generative AI even where PSTW does not say so.
    let text = format!("{} {}", m.name, row.get(COL_AI_KEYWORDS)).to_lowercase();
    let llm = [" llm", "gpt", "large language model", "generative"]
        .iter()
        .any(|w| format!(" {text}").contains(w));
    if llm && !ids.iter().any(|i| i == "generative_ki") && site.has("ki_technik", "generative_ki") {
        ids.insert(0, "generative_ki".into());
        m.comment(
            "ki_technik",
            "bitte prüfen: generative_ki aus Name/Stichwörtern (Sprachmodell) geschätzt",
        );
    }
    if ids.is_empty() {
        let ml = generic
            .iter()
            .any(|(g, _)| g.to_lowercase() == GENERIC_GUESS.0);
        if ml && site.has("ki_technik", GENERIC_GUESS.1) {
            ids.push(GENERIC_GUESS.1.into());
            m.comment(
                "ki_technik",
                "bitte prüfen: PSTW nennt nur „Machine learning“; `prognose` ist geschätzt",
            );
            m.unmapped(
                line,
                COL_AI_MAIN,
                "Machine learning",
                "zu allgemein; `prognose` geschätzt",
            );
        } else {
            let placeholder = ["klassifikation", "regelbasiert"]
                .into_iter()
                .find(|t| site.has("ki_technik", t))
                .or_else(|| {
                    site.vocab
                        .get("ki_technik")
                        .and_then(|s| s.iter().next().map(String::as_str))
                })
                .unwrap_or("klassifikation")
                .to_string();
            let shown = generic
                .iter()
                .map(|(g, _)| g.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            m.comment(
                "ki_technik",
                format!(
                    "TODO: KI-Verfahren bestimmen (PSTW: „{}“); `{placeholder}` ist nur ein Platzhalter",
                    if shown.is_empty() { "keine Angabe" } else { &shown }
                ),
            );
            if generic.is_empty() {
                m.unmapped(
                    line,
                    COL_AI_MAIN,
                    "",
                    format!("Platzhalter `{placeholder}`"),
                );
            }
            for (g, col) in &generic {
                m.unmapped(
                    line,
                    col,
                    g,
                    format!("zu allgemein; Platzhalter `{placeholder}`"),
                );
            }
            m.todos.push("`ki_technik` bestimmen (Platzhalter)".into());
            ids.push(placeholder);
        }
    }
    m.example.ki_technik = ids;
}

pub(super) fn map_interaktion(m: &mut Mapped, line: u64, raw: &str, site: &Site) {
    let mut out = Vec::new();
    for part in raw
        .split([',', ';', '/'])
        .map(|s| s.trim().to_uppercase())
        .filter(|s| !s.is_empty())
    {
        let id = match part.as_str() {
            "G2C" => "buerger",
            "G2B" => "wirtschaft",
            "G2G" => "intern",
            _ => {
                m.unmapped(line, COL_INTERACTION, &part, "nicht übernommen");
                continue;
            }
        };
        if site.has("interaktion", id) && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    m.example.interaktion = out;
}
