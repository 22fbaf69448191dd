//! The fact box of an example page: a row for each field of the registry that has a group
//! (`koki_model::fields`), in registry order, with vocabulary labels linked to their filter
//! pages; the empty rows collapse into one "N Angaben fehlen" line; and the completeness figure.

use crate::load::Entry;
use crate::model::Example;
use crate::paths;
use crate::render::{format_date, format_decimal, format_number, Renderer, TextLink};
use koki_model::fields::{vocab_values, FieldSpec, Group};
use serde::Serialize;

/// One row of an example's fact box.
#[derive(Serialize)]
pub(crate) struct FactRow<'a> {
    key: &'static str,
    label: &'a str,
    values: Vec<TextLink>,
}

/// UI string key of a fact-box group's heading.
fn group_heading(g: Group) -> &'static str {
    match g {
        Group::Wo => "gruppe_wo",
        Group::Was => "gruppe_was",
        Group::Wie => "gruppe_wie",
        Group::Wirkung => "gruppe_wirkung",
        Group::Beteiligung => "gruppe_beteiligung",
        Group::Geld => "gruppe_geld",
        Group::Eintrag => "gruppe_eintrag",
    }
}

/// The fact box as the template shows it: known facts in groups, the unknown ones in one list.
#[derive(Serialize)]
pub(crate) struct FactBox<'a> {
    groups: Vec<FactGroup<'a>>,
    /// Labels of the optional fields nobody has filled in yet.
    missing: Vec<&'a str>,
    /// "{n} Angaben fehlen – ergänzen" with the count filled in.
    missing_summary: String,
}

#[derive(Serialize)]
pub(crate) struct FactGroup<'a> {
    id: &'static str,
    title: String,
    rows: Vec<FactRow<'a>>,
}

impl<'a> FactBox<'a> {
    pub(crate) fn from_rows(
        rows: Vec<(Group, FactRow<'a>)>,
        heading: impl Fn(&str) -> String,
    ) -> FactBox<'a> {
        let mut groups: Vec<FactGroup<'a>> = Group::ALL
            .iter()
            .map(|g| FactGroup {
                id: g.id(),
                title: heading(group_heading(*g)),
                rows: Vec::new(),
            })
            .collect();
        let mut missing = Vec::new();
        for (group, r) in rows {
            if r.values.is_empty() {
                missing.push(r.label);
                continue;
            }
            if let Some(g) = groups.iter_mut().find(|x| x.id == group.id()) {
                g.rows.push(r);
            }
        }
        groups.retain(|g| !g.rows.is_empty());
        let missing_summary = heading("angaben_fehlen").replace("{n}", &missing.len().to_string());
        FactBox {
            groups,
            missing,
            missing_summary,
        }
    }
}

impl<'a> Renderer<'a> {
    /// The derived place facts of an example's Kreise (from the Kommunen's AGS): name,
    /// population, area, density and settlement class, with source and reference date.
    /// At most three Kreise are described; more are summarised by count.
    fn kreis_facts(&self, m: &Example) -> Vec<TextLink> {
        let kreise = crate::places::kreise_of_example(m);
        let mut out: Vec<TextLink> = kreise
            .iter()
            .take(3)
            .map(|k| {
                let class = k.settlement_class();
                let text = format!(
                    "{}: {} Einwohner, {} km², {} Einw./km² – {}",
                    k.display_name(),
                    format_number(k.population),
                    format_decimal(k.area_km2),
                    format_number(k.density as u64),
                    class.label(),
                );
                TextLink::link(text, self.url(&paths::filter("raumtyp", class.id())))
            })
            .collect();
        if kreise.len() > 3 {
            out.push(TextLink::text(format!(
                "und {} weitere Kreise",
                kreise.len() - 3
            )));
        }
        if !out.is_empty() {
            out.push(TextLink::text(format!("Quelle: {}", crate::places::SOURCE)));
        }
        out
    }

    /// The fact box: a row for every registry field with a group, in registry order (empty
    /// rows are the missing facts), and the share of counted optional rows that are filled.
    pub(crate) fn facts(&self, e: &Entry<Example>) -> (Vec<(Group, FactRow<'_>)>, u32) {
        let mut rows = Vec::new();
        let (mut total, mut present) = (0u32, 0u32);
        for f in self.catalog.registry.fields() {
            let Some(group) = f.group else { continue };
            let Some(values) = self.fact_values(f, &e.meta) else {
                continue;
            };
            if f.counted {
                total += 1;
                present += u32::from(!values.is_empty());
            }
            let label = self.theme.label_ref(f.key);
            rows.push((
                group,
                FactRow {
                    key: f.key,
                    label,
                    values,
                },
            ));
        }
        let completeness = (present * 100).checked_div(total).unwrap_or(100);
        (rows, completeness)
    }

    /// Values of one fact-box row (`None`: no row). Vocabulary fields show their labels,
    /// linked to their filter pages when they have them; structured fields are laid out here.
    fn fact_values(&self, f: &FieldSpec, m: &Example) -> Option<Vec<TextLink>> {
        let text = |s: &str| TextLink::text(s);
        let vocab = |voc: &str| -> Vec<TextLink> {
            let facet = f.filter.map(|_| f.key);
            vocab_values(m, f.key)
                .into_iter()
                .map(|id| self.vocab_value(voc, facet, id))
                .collect()
        };
        let values = match f.key {
            "kommunen" => m
                .kommunen
                .iter()
                .map(|k| text(&self.kommune_fact(k)))
                .collect(),
            "kreis" => {
                // Land-level entries have no Kreis to show; elsewhere a missing Kreis is a gap.
                let kreis = self.kreis_facts(m);
                if kreis.is_empty() && m.verwaltungsebene == "land" {
                    return None;
                }
                kreis
            }
            "handlungsfeld" => std::iter::once(&m.handlungsfeld)
                .chain(&m.handlungsfelder_weitere)
                .map(|id| self.field_link(id))
                .collect(),
            "status" => {
                let mut status = vocab("status");
                if let Some(g) = &m.status_grund {
                    status.push(text(&format!("{}: {g}", self.theme.label("status_grund"))));
                }
                status
            }
            "einwohner" => m
                .einwohner
                .map(|n| text(&format_number(n)))
                .into_iter()
                .collect(),
            "zeitraum" => m
                .zeitraum
                .map(|z| match z.ende {
                    Some(e) => text(&format!("{}–{e}", z.start)),
                    None => text(&format!("{} {}", self.theme.ui("seit"), z.start)),
                })
                .into_iter()
                .collect(),
            "motivation_erlaeuterung" => {
                m.motivation_erlaeuterung.iter().map(|s| text(s)).collect()
            }
            "foerderprogramm" => m.foerderprogramm.iter().map(|s| text(s)).collect(),
            "anbieter" => m.anbieter.iter().map(|s| text(s)).collect(),
            "open_source" => m
                .open_source
                .iter()
                .map(|o| match &o.code_url {
                    Some(u) => TextLink::external(
                        format!("{} ({})", self.theme.ui("quellcode"), o.lizenz),
                        u.clone(),
                    ),
                    None => text(&o.lizenz),
                })
                .collect(),
            "uebertragbarkeit" => {
                let mut ueb = Vec::new();
                if let Some(u) = &m.uebertragbarkeit {
                    if let Some(e) = &u.einschaetzung {
                        ueb.push(self.vocab_value("uebertragbarkeit", None, e));
                    }
                    if let Some(v) = &u.voraussetzungen {
                        ueb.push(text(&format!("{}: {v}", self.theme.ui("voraussetzungen"))));
                    }
                }
                ueb
            }
            "sdgs" => m.sdgs.iter().map(|s| text(&format!("SDG {s}"))).collect(),
            "kontakt" => {
                let mut kontakt = Vec::new();
                if let Some(k) = &m.kontakt {
                    if let Some(mail) = &k.funktionspostfach {
                        kontakt.push(TextLink::external(mail.clone(), format!("mailto:{mail}")));
                    }
                    if let Some(u) = &k.url {
                        kontakt.push(TextLink::external(u.clone(), u.clone()));
                    }
                }
                kontakt
            }
            "externe_ids" => m
                .externe_ids
                .iter()
                .map(|(k, v)| text(&format!("{}: {v}", k.to_uppercase())))
                .collect(),
            "zuletzt_geprueft" => m
                .zuletzt_geprueft
                .iter()
                .map(|d| text(&format_date(d)))
                .collect(),
            "erfasst_am" => vec![text(&format_date(&m.erfasst_am))],
            "lizenz" => vec![text(m.lizenz.as_deref().unwrap_or("CC-BY-4.0"))],
            "tags" => m.tags.iter().map(|s| text(s)).collect(),
            _ => match f.vocabulary_name() {
                Some(voc) => vocab(voc),
                None => return None,
            },
        };
        Some(values)
    }

    /// One Kommune in the fact box: name, then role and AGS in brackets.
    fn kommune_fact(&self, k: &crate::model::Kommune) -> String {
        let mut extra = Vec::new();
        if let Some(r) = &k.rolle {
            extra.push(self.catalog.label("rolle", r).to_string());
        }
        if let Some(a) = &k.ags {
            extra.push(format!("AGS {a}"));
        }
        if extra.is_empty() {
            k.name.clone()
        } else {
            format!("{} ({})", k.name, extra.join(", "))
        }
    }
}
