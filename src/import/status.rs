//! Status and years.

use super::*;

pub(super) fn map_status(m: &mut Mapped, line: u64, raw: &str, end_raw: &str) {
    let v = collapse_ws(raw).to_lowercase();
    let status = match v.as_str() {
        "implemented" | "operational" | "in use" | "in operation" | "live" | "production" => {
            Some("regelbetrieb")
        }
        "pilot" | "piloting" | "pilot project" | "testing" | "trial" => Some("pilot"),
        "planned" | "in development" | "development" | "under development" | "in preparation" => {
            Some("planung")
        }
        "not in use" | "discontinued" | "stopped" | "terminated" | "cancelled" | "canceled"
        | "ended" | "abandoned" => Some("eingestellt"),
        "idea" | "concept" => Some("idee"),
        _ => None,
    };
    match status {
        Some(s) => {
            m.example.status = s.into();
            if s == "eingestellt" {
                let end = parse_year(end_raw)
                    .map(|y| format!(" (Ende laut PSTW: {y})"))
                    .unwrap_or_default();
                m.example.status_grund = Some(format!(
                    "Laut Public Sector Tech Watch nicht mehr in Betrieb{end}; der Grund ist noch zu ergänzen."
                ));
                m.comment(
                    "status_grund",
                    "TODO: Grund der Einstellung aus den Quellen ergänzen (Platzhalter)",
                );
                m.todos
                    .push("`status_grund` ergänzen (Platzhalter, Status eingestellt)".into());
            }
        }
        None => {
            m.example.status = "planung".into();
            m.comment(
                "status",
                format!("TODO: Status prüfen (PSTW „{raw}“ nicht zuordenbar); `planung` ist nur ein Platzhalter"),
            );
            m.unmapped(line, COL_STATUS, raw, "Platzhalter `planung`");
            m.todos.push("`status` prüfen (Platzhalter)".into());
        }
    }
}

/// A plausible year from a cell: "2021", "2021.0", " 2021 ".
pub(super) fn parse_year(raw: &str) -> Option<i32> {
    let t = collapse_ws(raw);
    let t = t.strip_suffix(".0").unwrap_or(&t);
    let y: i32 = t.parse().ok()?;
    (1950..=2100).contains(&y).then_some(y)
}

pub(super) fn map_zeitraum(m: &mut Mapped, line: u64, start_raw: &str, end_raw: &str) {
    let start = parse_year(start_raw);
    let end = parse_year(end_raw);
    if start.is_none() && !collapse_ws(start_raw).is_empty() {
        m.unmapped(
            line,
            COL_START,
            start_raw,
            "kein Jahr; `zeitraum` weggelassen",
        );
    }
    if end.is_none() && !collapse_ws(end_raw).is_empty() {
        m.unmapped(line, COL_END, end_raw, "kein Jahr; Endjahr weggelassen");
    }
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            m.unmapped(
                line,
                COL_END,
                end_raw,
                format!("liegt vor dem Startjahr {s}; weggelassen"),
            );
            m.example.zeitraum = Some(Zeitraum {
                start: s,
                ende: None,
            });
        }
        (Some(s), e) => {
            m.example.zeitraum = Some(Zeitraum { start: s, ende: e });
        }
        (None, Some(_)) => {
            m.unmapped(
                line,
                COL_END,
                end_raw,
                "Endjahr ohne Startjahr; `zeitraum` weggelassen",
            );
        }
        (None, None) => {}
    }
}
