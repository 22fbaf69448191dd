//! COFOG functions and keywords → action field.

use super::*;

/// COFOG 1999 divisions and groups with their English names.
pub(super) static COFOG: &[(&str, &str)] = &[
    ("01", "General public services"),
    (
        "01.1",
        "Executive and legislative organs, financial and fiscal affairs, external affairs",
    ),
    ("01.2", "Foreign economic aid"),
    ("01.3", "General services"),
    ("01.4", "Basic research"),
    ("01.5", "R&D general public services"),
    ("01.6", "General public services n.e.c."),
    ("01.7", "Public debt transactions"),
    (
        "01.8",
        "Transfers of a general character between different levels of government",
    ),
    ("02", "Defence"),
    ("02.1", "Military defence"),
    ("02.2", "Civil defence"),
    ("02.3", "Foreign military aid"),
    ("02.4", "R&D defence"),
    ("02.5", "Defence n.e.c."),
    ("03", "Public order and safety"),
    ("03.1", "Police services"),
    ("03.2", "Fire-protection services"),
    ("03.3", "Law courts"),
    ("03.4", "Prisons"),
    ("03.5", "R&D public order and safety"),
    ("03.6", "Public order and safety n.e.c."),
    ("04", "Economic affairs"),
    ("04.1", "General economic, commercial and labour affairs"),
    ("04.2", "Agriculture, forestry, fishing and hunting"),
    ("04.3", "Fuel and energy"),
    ("04.4", "Mining, manufacturing and construction"),
    ("04.5", "Transport"),
    ("04.6", "Communication"),
    ("04.7", "Other industries"),
    ("04.8", "R&D economic affairs"),
    ("04.9", "Economic affairs n.e.c."),
    ("05", "Environmental protection"),
    ("05.1", "Waste management"),
    ("05.2", "Waste water management"),
    ("05.3", "Pollution abatement"),
    ("05.4", "Protection of biodiversity and landscape"),
    ("05.5", "R&D environmental protection"),
    ("05.6", "Environmental protection n.e.c."),
    ("06", "Housing and community amenities"),
    ("06.1", "Housing development"),
    ("06.2", "Community development"),
    ("06.3", "Water supply"),
    ("06.4", "Street lighting"),
    ("06.5", "R&D housing and community amenities"),
    ("06.6", "Housing and community amenities n.e.c."),
    ("07", "Health"),
    ("07.1", "Medical products, appliances and equipment"),
    ("07.2", "Outpatient services"),
    ("07.3", "Hospital services"),
    ("07.4", "Public health services"),
    ("07.5", "R&D health"),
    ("07.6", "Health n.e.c."),
    ("08", "Recreation, culture and religion"),
    ("08.1", "Recreational and sporting services"),
    ("08.2", "Cultural services"),
    ("08.3", "Broadcasting and publishing services"),
    ("08.4", "Religious and other community services"),
    ("08.5", "R&D recreation, culture and religion"),
    ("08.6", "Recreation, culture and religion n.e.c."),
    ("09", "Education"),
    ("09.1", "Pre-primary and primary education"),
    ("09.2", "Secondary education"),
    ("09.3", "Post-secondary non-tertiary education"),
    ("09.4", "Tertiary education"),
    ("09.5", "Education not definable by level"),
    ("09.6", "Subsidiary services to education"),
    ("09.7", "R&D education"),
    ("09.8", "Education n.e.c."),
    ("10", "Social protection"),
    ("10.1", "Sickness and disability"),
    ("10.2", "Old age"),
    ("10.3", "Survivors"),
    ("10.4", "Family and children"),
    ("10.5", "Unemployment"),
    ("10.6", "Housing"),
    ("10.7", "Social exclusion n.e.c."),
    ("10.8", "R&D social protection"),
    ("10.9", "Social protection n.e.c."),
];

/// Comparable form of a COFOG name: lowercase words, "n.e.c"/"o.a.l" unified, "related to"
/// and trailing dots dropped.
pub(super) fn cofog_key(s: &str) -> String {
    let l = s
        .to_lowercase()
        .replace("n.e.c", "nec")
        .replace("o.a.l", "nec")
        .replace("related to ", "")
        .replace('&', " and ");
    l.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "and")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The COFOG code for a level I or II name (exact after normalisation, else the closest name
/// with a similarity ≥ 0.9), restricted to `level` (2 = `01`, 4 = `01.1`). A leading code
/// (`04.5 Transport`) is taken as is.
pub(super) fn cofog_code(name: &str, level: usize) -> Option<&'static str> {
    let t = name.trim();
    if t.is_empty() {
        return None;
    }
    let lead: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if let Some((code, _)) = COFOG.iter().find(|(c, _)| *c == lead && c.len() == level) {
        return Some(code);
    }
    let key = cofog_key(t);
    let candidates = COFOG.iter().filter(|(c, _)| c.len() == level);
    if let Some((code, _)) = candidates.clone().find(|(_, n)| cofog_key(n) == key) {
        return Some(code);
    }
    candidates
        .map(|(c, n)| (c, strsim::normalized_levenshtein(&cofog_key(n), &key)))
        .filter(|(_, s)| *s >= 0.9)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| *c)
}

/// English and German words that point to an action field, used to choose among the fields
/// a COFOG code allows (e.g. 01.3 belongs to both general administration and citizen service)
/// and as a fallback. Ids missing from the site are ignored.
pub(super) static FIELD_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "buergerservice",
        &[
            "chatbot",
            "citizen",
            "virtual assistant",
            "voice assistant",
            "service portal",
            "enquir",
            "inquir",
            "bürger",
            "one-stop",
            "appointment",
            "hotline",
            "call centre",
            "call center",
            "public service",
        ],
    ),
    (
        "allgemeine-verwaltung",
        &[
            "internal",
            "staff",
            "employees",
            "document",
            "records",
            "archive",
            "knowledge management",
            "administrative",
            "civil servant",
            "council",
            "parliament",
            "llm",
            "gpt",
            "writing",
        ],
    ),
    (
        "finanzen-steuern",
        &[
            "tax",
            "budget",
            "financial",
            "invoice",
            "procurement",
            "fiscal",
            "steuer",
        ],
    ),
    (
        "sicherheit-ordnung",
        &[
            "police",
            "crime",
            "emergency",
            "fire",
            "disaster",
            "safety",
            "security",
            "control centre",
            "rescue",
            "prosecutor",
            "court",
        ],
    ),
    (
        "wirtschaft-arbeit",
        &[
            "business",
            "compan",
            "trade",
            "tourism",
            "economic",
            "labour",
            "job",
            "employment",
            "gewerbe",
        ],
    ),
    (
        "mobilitaet-verkehr",
        &[
            "traffic",
            "transport",
            "mobility",
            "parking",
            "road",
            "bus",
            "tram",
            "vehicle",
            "railway",
            "cycling",
            "shuttle",
        ],
    ),
    (
        "umwelt-klima",
        &[
            "climate",
            "environment",
            "energy",
            "forest",
            "biodiversity",
            "tree",
            "emission",
            "air quality",
            "heat",
            "flood",
            "nature",
        ],
    ),
    (
        "ver-entsorgung",
        &[
            "waste",
            "water",
            "sewage",
            "wastewater",
            "litter",
            "recycling",
            "street cleaning",
        ],
    ),
    (
        "bauen-stadtentwicklung",
        &[
            "building",
            "construction",
            "urban planning",
            "housing",
            "digital twin",
            "geodata",
            "land register",
            "cadastr",
            "surveying",
            "street lighting",
            "smart city",
        ],
    ),
    (
        "gesundheit-pflege",
        &[
            "health",
            "care",
            "hospital",
            "medical",
            "pandemic",
            "dementia",
            "food safety",
            "nursing",
        ],
    ),
    (
        "bildung-kultur",
        &[
            "school",
            "education",
            "library",
            "museum",
            "culture",
            "student",
            "learning",
            "reading",
            "archive",
        ],
    ),
    (
        "soziales-jugend",
        &[
            "social",
            "youth",
            "child",
            "family",
            "integration",
            "benefit",
            "welfare",
            "refugee",
            "disabilit",
            "unemploy",
            "jobcenter",
        ],
    ),
];

/// Whether `word` occurs in `text` at the start of a word ("bus" in "bus stop", not in
/// "abusive"; "compan" in "company").
pub(super) fn has_word_start(text: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(rel) = text[from..].find(word) {
        let at = from + rel;
        if text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c))
        {
            return true;
        }
        from = at + word.len();
    }
    false
}

/// Whether `word` occurs in `text` as a whole word.
pub(super) fn has_whole_word(text: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(rel) = text[from..].find(word) {
        let at = from + rel;
        let end = at + word.len();
        let before = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let after = text[end..].chars().next().is_none_or(|c| !is_word_char(c));
        if before && after {
            return true;
        }
        from = end;
    }
    false
}

pub(super) fn keyword_score(field: &str, text: &str) -> usize {
    FIELD_KEYWORDS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, words)| words.iter().filter(|w| has_word_start(text, w)).count())
        .unwrap_or(0)
}

/// How well an action field fits a row.
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldScore<'a> {
    /// COFOG points plus keyword points.
    pub(super) score: usize,
    /// 100: the COFOG group (or its whole division) is listed; 20: only the division matches.
    pub(super) cofog: usize,
    pub(super) id: &'a str,
}

pub(super) fn map_handlungsfeld(m: &mut Mapped, row: &Row<'_>, site: &Site) {
    let line = row.line;
    let raw1 = collapse_ws(row.get(COL_COFOG1));
    let raw2_full = collapse_ws(row.get(COL_COFOG2));
    // "Economic affairs - Transport": level I and II in one cell.
    let (raw1, raw2) = match raw2_full.split_once(" - ") {
        Some((a, b)) if cofog_code(a, 2).is_some() => (
            if raw1.is_empty() { a.to_string() } else { raw1 },
            b.to_string(),
        ),
        _ => (raw1, raw2_full.clone()),
    };
    let code2 = cofog_code(&raw2, 4);
    let code1 = cofog_code(&raw1, 2).or_else(|| code2.map(|c| &c[..2]));
    if !raw2.is_empty() && code2.is_none() {
        m.unmapped(
            line,
            COL_COFOG2,
            &raw2,
            "kein COFOG-Name; nur COFOG I verwendet",
        );
    }
    if !raw1.is_empty() && code1.is_none() {
        m.unmapped(line, COL_COFOG1, &raw1, "kein COFOG-Name");
    }

    let text = format!("{} {} {}", m.name, m.description, row.get(COL_AI_KEYWORDS)).to_lowercase();
    let interaction = row.get(COL_INTERACTION).to_uppercase();
    // Score each field: exact COFOG group 100, its division listed as a whole 100, same
    // division only 20; keywords 3 each; citizen-facing rows lean to citizen service.
    let mut scored: Vec<FieldScore<'_>> = Vec::new();
    for (id, codes, _) in &site.fields {
        let mut cofog = 0;
        for c in codes {
            let c = c.trim();
            if code2 == Some(c) || (c.len() == 2 && code1 == Some(c)) {
                cofog = cofog.max(100);
            } else if code1.is_some_and(|d| c.starts_with(d)) {
                cofog = cofog.max(20);
            }
        }
        let mut score = cofog + 3 * keyword_score(id, &text);
        if id == "buergerservice" && interaction == "G2C" {
            score += 2;
        }
        if id == "allgemeine-verwaltung" && interaction == "G2G" {
            score += 2;
        }
        scored.push(FieldScore {
            score,
            cofog,
            id: id.as_str(),
        });
    }
    // Highest score first; the sort is stable, so ties keep the display order.
    scored.sort_by_key(|f| std::cmp::Reverse(f.score));
    let exact_count = scored.iter().filter(|f| f.cofog >= 100).count();
    let shown = if raw2.is_empty() {
        raw1.clone()
    } else {
        format!("{raw1} / {raw2}")
    };
    match scored.first().copied() {
        Some(FieldScore { score, cofog, id }) if score > 0 => {
            let exact = cofog >= 100;
            m.example.handlungsfeld = id.to_string();
            // Further fields: the other fields the COFOG group names exactly.
            m.example.handlungsfelder_weitere = scored
                .iter()
                .skip(1)
                .filter(|f| f.cofog >= 100)
                .map(|f| f.id.to_string())
                .collect();
            if !exact || exact_count > 1 {
                let why = if cofog == 0 {
                    "nur aus Stichwörtern geschätzt"
                } else if !exact {
                    "COFOG-Gruppe passt zu keinem Handlungsfeld; aus Bereich und Stichwörtern geschätzt"
                } else {
                    "COFOG-Gruppe passt zu mehreren Handlungsfeldern; nach Stichwörtern gewählt"
                };
                m.comment(
                    "handlungsfeld",
                    format!("bitte prüfen: {why} (PSTW COFOG „{shown}“)"),
                );
            }
            if cofog == 0 {
                let value = if shown.is_empty() {
                    String::new()
                } else {
                    shown.clone()
                };
                m.unmapped(
                    line,
                    COL_COFOG1,
                    &value,
                    format!("`{id}` nur aus Stichwörtern geschätzt"),
                );
            }
        }
        _ => {
            let placeholder = site.fields[0].0.clone();
            m.comment(
                "handlungsfeld",
                format!("TODO: Handlungsfeld wählen (PSTW COFOG „{shown}“ passt zu keinem); `{placeholder}` ist nur ein Platzhalter"),
            );
            m.unmapped(
                line,
                COL_COFOG1,
                &shown,
                format!("Platzhalter `{placeholder}`"),
            );
            m.todos.push("`handlungsfeld` wählen (Platzhalter)".into());
            m.example.handlungsfeld = placeholder;
        }
    }
}
