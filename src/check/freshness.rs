//! Staleness (entries not checked for a long time) and the recommended body sections.

use super::*;

pub(super) fn check_stale(loaded: &Loaded, today: NaiveDate, out: &mut Diagnostics) {
    let Some(cutoff) = stale_cutoff(today) else {
        return;
    };
    for e in &loaded.examples {
        let (field, value) = match &e.meta.zuletzt_geprueft {
            Some(d) => ("zuletzt_geprueft", d.as_str()),
            None => ("erfasst_am", e.meta.erfasst_am.as_str()),
        };
        let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") else {
            continue;
        };
        if date >= cutoff {
            continue;
        }
        let message = if field == "erfasst_am" {
            format!(
                "Eintrag ist seit der Erfassung am {value} nicht geprüft worden (über {STALE_AFTER_MONTHS} Monate)"
            )
        } else {
            format!(
                "Eintrag wurde zuletzt am {value} geprüft (vor über {STALE_AFTER_MONTHS} Monaten)"
            )
        };
        let mut d = e
            .source
            .yaml_source()
            .error_at(&key_path(&[field]), true, message);
        d.severity = Severity::Warning;
        d = d
            .expected(format!("ein Prüfdatum ab {cutoff}"))
            .hint(format!(
                "prüfen Sie Angaben und Quellen und setzen Sie dann `zuletzt_geprueft: {today}`"
            ));
        out.push(d);
    }
}

/// A Kommune without `ags` gets no official place facts (Kreis, population, density,
/// settlement class) and is missing from "Passt zu meiner Kommune": a warning for every
/// municipal example (Land-level examples have no Kommune key to give).
pub(super) fn check_missing_ags(loaded: &Loaded, out: &mut Diagnostics) {
    for e in &loaded.examples {
        if e.meta.verwaltungsebene == "land" {
            continue;
        }
        for (i, k) in e.meta.kommunen.iter().enumerate() {
            if k.ags.is_some() {
                continue;
            }
            let mut d = e.source.yaml_source().error_at(
                &[
                    Seg::Key("kommunen".into()),
                    Seg::Index(i),
                    Seg::Key("name".into()),
                ],
                true,
                format!("Kommune `{}` hat keinen Gemeindeschlüssel (`ags`)", k.name),
            );
            d.severity = Severity::Warning;
            d = d
                .field(format!("kommunen[{i}].ags"))
                .expected("`ags: \"…\"` mit 8 Ziffern (Gemeinde) oder 5 Ziffern (Kreis)")
                .hint(match crate::places::suggestion_for(&k.name) {
                    Some(s) => format!("Kreis nach Name: {s}; ohne Schlüssel fehlen Einwohnerzahl, Dichte und Raumtyp des Kreises"),
                    None => "ohne Schlüssel fehlen Einwohnerzahl, Dichte und Raumtyp des Kreises".into(),
                });
            out.push(d);
        }
    }
}

/// Recommended section whose heading is close to, but not exactly, `heading`.
pub(super) fn near_miss(heading: &str) -> Option<&'static str> {
    let slug = markdown::anchor(heading);
    RECOMMENDED_SECTIONS.iter().copied().find(|rec| {
        let rec_slug = markdown::anchor(rec);
        rec_slug != slug && strsim::normalized_damerau_levenshtein(&slug, &rec_slug) >= 0.75
    })
}

/// Body structure of examples. Entries are written from what is known, so a single missing
/// section is normal and not reported; reported are bodies that follow none of the
/// recommended sections, and headings that miss a recommended one only by a typo.
pub(super) fn check_sections(loaded: &Loaded, out: &mut Diagnostics) {
    for e in &loaded.examples {
        let mut any_recommended = false;
        let body_start = e.source.body_first_line;
        let mut heading: Option<(usize, String)> = None;
        for (event, range) in Parser::new_ext(&e.body, link_options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { .. }) => heading = Some((range.start, String::new())),
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, text)) = &mut heading {
                        text.push_str(&t);
                    }
                }
                Event::End(pulldown_cmark::TagEnd::Heading(_)) => {
                    let Some((start, text)) = heading.take() else {
                        continue;
                    };
                    let slug = markdown::anchor(&text);
                    if RECOMMENDED_SECTIONS
                        .iter()
                        .any(|r| markdown::anchor(r) == slug)
                    {
                        any_recommended = true;
                    } else if let Some(rec) = near_miss(&text) {
                        let (line, col, src) = body_position(&e.source, &e.body, start);
                        out.push(
                            Diagnostic::warning(
                                &e.source.file,
                                format!(
                                    "Überschrift „{}“ weicht von der empfohlenen ab",
                                    text.trim()
                                ),
                            )
                            .at(line, col)
                            .with_source_line(Some(&src))
                            .expected(format!(
                                "`## {rec}`, damit der Abschnitt als solcher erkannt wird"
                            ))
                            .hint(format!("meinten Sie `## {rec}`?")),
                        );
                        any_recommended = true;
                    }
                }
                _ => {}
            }
        }
        if any_recommended {
            continue;
        }
        let list = RECOMMENDED_SECTIONS
            .iter()
            .map(|s| format!("`## {s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = if e.body.trim().is_empty() {
            "das Beispiel hat keinen Text"
        } else {
            "der Text folgt keinem der empfohlenen Abschnitte"
        };
        let mut d = Diagnostic::warning(&e.source.file, message)
            .expected(format!("Abschnitte wie {list}"))
            .hint(if body_start == 0 {
                "schreiben Sie das Beispiel als `.md`-Datei mit Text nach dem Front Matter; `koki new beispiel` legt eine Vorlage an"
            } else {
                "gliedern Sie den Text mit diesen Überschriften (genau so geschrieben); wozu es nichts zu sagen gibt, darf fehlen"
            });
        if body_start > 0 {
            // The line where the body starts, right after the closing `---`.
            d = d.at(body_start, 0);
        }
        out.push(d);
    }
}
