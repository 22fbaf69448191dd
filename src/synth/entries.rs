//! One synthetic example or scenario: front matter and body.

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn example(
    i: usize,
    p: &Planned,
    planned: &[Planned],
    by_field: &[Vec<usize>],
    scen_plan: &[(String, usize, Compound, u32)],
    scen_by_field: &[Vec<usize>],
    towns: &[Town],
    vocab: &Vocab,
    rng: &mut Rng,
    pstw: &mut u32,
) -> Example {
    let t = &towns[p.town];
    let tech_label = vocab.label("ki_technik", &p.tech).to_string();
    let verwaltungsebene = vocab.one("verwaltungsebene", i, rng);
    let name = match verwaltungsebene.as_str() {
        "landkreis" => format!("Landkreis {}", t.name),
        "zweckverband" => format!("Zweckverband {} und Umgebung", t.name),
        "kommunales_unternehmen" => format!("Stadtwerke {}", t.name),
        "amt_verbandsgemeinde" => format!("Verbandsgemeinde {}", t.name),
        _ => t.name.clone(),
    };
    let ags = if verwaltungsebene == "landkreis" {
        t.ags[..5].to_string()
    } else {
        t.ags.clone()
    };
    let mut kommunen = vec![Kommune {
        name: name.clone(),
        ags: (i < 24 || rng.chance(0.85)).then_some(ags),
        rolle: Some("federfuehrend".into()),
        koordinaten: present(rng, i, 0.8).then_some(Koordinaten {
            lat: t.lat,
            lon: t.lon,
        }),
    }];
    if i % 5 == 1 || rng.chance(0.15) {
        for _ in 0..rng.range(1, 2) {
            let o = &towns[rng.below(towns.len())];
            if o.name != t.name {
                kommunen.push(Kommune {
                    name: o.name.clone(),
                    ags: Some(o.ags.clone()),
                    rolle: Some(rng.pick(&["beteiligt", "nachnutzend"]).to_string()),
                    koordinaten: Some(Koordinaten {
                        lat: o.lat,
                        lon: o.lon,
                    }),
                });
            }
        }
    }
    let status = vocab.one("status", i, rng);
    let titel_pattern = rng.below(4);
    let mut titel = match titel_pattern {
        0 => format!("{name}: {} mit {tech_label}", capitalize(&p.k1.word)),
        1 => format!("{} in {name}", capitalize(&p.k1.word)),
        2 => format!("KI-gestützte {} ({name})", capitalize(&p.k1.word)),
        _ => format!("{name}: {} und {}", p.k1.word, p.k2.word),
    };
    if titel.chars().count() > 100 {
        titel = titel
            .chars()
            .take(100)
            .collect::<String>()
            .trim_end()
            .to_string();
    }
    let kurzbeschreibung = format!(
        "{} setzt {} ein, um {} zu unterstützen. Die Lösung nutzt {} und entlastet die Beschäftigten {}.",
        name,
        p.k1.acc(),
        p.k2.acc(),
        tech_label,
        p.k1.gen()
    );
    let kurzbeschreibung: String = kurzbeschreibung.chars().take(400).collect();
    let mut ki_technik = vec![p.tech.clone()];
    let extra = rng.range(0, 2) as usize;
    for tch in rng.subset(vocab.all("ki_technik"), extra) {
        if !ki_technik.contains(&tch) {
            ki_technik.push(tch);
        }
    }
    let mut quellen = vec![Quelle {
        titel: format!("{name}: {}", capitalize(&p.k1.word)),
        url: format!("https://www.{}.de/digital/{}", t.slug, slugify(&p.k1.word)),
        abgerufen: Some(recent_date(rng)),
    }];
    if rng.chance(0.4) {
        quellen.push(Quelle {
            titel: format!("Pressemitteilung zu {}", p.k2.dat()),
            url: format!("https://presse.{}.de/{}", t.slug, i),
            abgerufen: Some(recent_date(rng)),
        });
    }
    let finanzierung = if present(rng, i, 0.7) {
        vocab.many("finanzierung", i, rng, 2)
    } else {
        Vec::new()
    };
    let funded = finanzierung
        .iter()
        .any(|f| matches!(f.as_str(), "land" | "bund" | "eu"));
    let start = rng.range(2016, 2026) as i32;
    let weitere = if i % 3 == 2 || rng.chance(0.25) {
        let other = (p.field + 1 + rng.below(FIELDS.len() - 1)) % FIELDS.len();
        vec![FIELDS[other].id.to_string()]
    } else {
        Vec::new()
    };
    let szenarien =
        if (i.is_multiple_of(4) || rng.chance(0.15)) && !scen_by_field[p.field].is_empty() {
            let j = *rng.pick(&scen_by_field[p.field]);
            vec![scen_plan[j].0.clone()]
        } else {
            Vec::new()
        };
    let earlier: Vec<usize> = by_field[p.field]
        .iter()
        .copied()
        .take_while(|&k| k < i)
        .collect();
    let verwandte_beispiele = if !earlier.is_empty() && (i % 4 == 1 || rng.chance(0.25)) {
        let mut v: Vec<String> = rng
            .subset(&earlier[earlier.len().saturating_sub(40)..], 2)
            .into_iter()
            .map(|k| planned[k].id.clone())
            .collect();
        v.dedup();
        v
    } else {
        Vec::new()
    };
    let mut externe_ids = BTreeMap::new();
    if present(rng, i, 0.4) {
        *pstw += 1;
        externe_ids.insert("pstw".to_string(), format!("PSTW-{pstw}"));
    }
    let erfasst_am = recent_date(rng);
    let opt = |rng: &mut Rng, name: &str, pr: f64| -> Option<String> {
        present(rng, i, pr).then(|| vocab.one(name, i, rng))
    };
    // Up to `max` values of a list field, present with probability `pr`.
    let some = |rng: &mut Rng, name: &str, pr: f64, max: usize| -> Vec<String> {
        if present(rng, i, pr) {
            vocab.many(name, i, rng, max)
        } else {
            Vec::new()
        }
    };
    Example {
        titel,
        kurzbeschreibung,
        kommunen,
        bundesland: t.land.clone(),
        verwaltungsebene,
        handlungsfeld: FIELDS[p.field].id.to_string(),
        handlungsfelder_weitere: weitere,
        status_grund: (status == "eingestellt").then(|| {
            format!(
                "Die Förderung endete, und {} ließ sich nicht wirtschaftlich weiterbetreiben.",
                p.k1.nom()
            )
        }),
        status,
        ki_technik,
        quellen,
        erfasst_am: erfasst_am.clone(),
        gemeindetyp: present(rng, i, 0.85).then(|| t.gemeindetyp.to_string()),
        laendlichkeit: present(rng, i, 0.7).then(|| t.laendlichkeit.to_string()),
        einwohner: present(rng, i, 0.8).then_some(t.einwohner),
        anwendungstyp: some(rng, "anwendungstyp", 0.8, 2),
        interaktion: some(rng, "interaktion", 0.75, 2),
        entscheidungsrolle: opt(rng, "entscheidungsrolle", 0.6),
        zeitraum: present(rng, i, 0.75).then(|| Zeitraum {
            start,
            ende: (rng.chance(0.2)).then(|| start + rng.range(0, 3) as i32),
        }),
        motivation: some(rng, "motivation", 0.7, 3),
        motivation_erlaeuterung: present(rng, i, 0.4).then(|| {
            format!(
                "Ausschlaggebend war der Wunsch, {} schneller und verlässlicher zu machen.",
                p.k1.acc()
            )
        }),
        foerderprogramm: (funded && rng.chance(0.7)).then(|| rng.pick(PROGRAMMES).to_string()),
        finanzierung,
        kosten: opt(rng, "kosten", 0.55),
        umsetzung: opt(rng, "umsetzung", 0.7),
        anbieter: present(rng, i, 0.5)
            .then(|| format!("{}{}", rng.pick(COMPANY_PARTS), rng.pick(COMPANY_TAILS))),
        open_source: present(rng, i, 0.2).then(|| OpenSource {
            lizenz: rng.pick(LICENSES).to_string(),
            code_url: Some(format!("https://code.example/{}/{}", t.slug, p.id)),
        }),
        personenbezogene_daten: opt(rng, "personenbezogene_daten", 0.6),
        ki_verordnung: opt(rng, "ki_verordnung", 0.5),
        beteiligung_beschaeftigte: opt(rng, "beteiligung", 0.5),
        beteiligung_buergerschaft: opt(rng, "beteiligung", 0.4),
        personalrat: opt(rng, "personalrat", 0.4),
        stellenwirkung: opt(rng, "stellenwirkung", 0.45),
        evidenzgrad: opt(rng, "evidenzgrad", 0.6),
        uebertragbarkeit: present(rng, i, 0.6).then(|| Uebertragbarkeit {
            einschaetzung: Some(vocab.one("uebertragbarkeit", i, rng)),
            voraussetzungen: rng
                .chance(0.6)
                .then(|| format!("Digitale Akten und eine Ansprechperson für {}.", p.k2.acc())),
        }),
        sdgs: if present(rng, i, 0.4) {
            let k = rng.range(1, 3) as usize;
            let mut s: Vec<u8> = rng.subset(&(1..=17).collect::<Vec<u8>>(), k);
            if i < 17 {
                s = vec![(i + 1) as u8];
            }
            s
        } else {
            Vec::new()
        },
        zielgruppen: some(rng, "zielgruppen", 0.6, 2),
        kontakt: present(rng, i, 0.5).then(|| Kontakt {
            funktionspostfach: Some(format!("ki@{}.de", t.slug)),
            url: rng
                .chance(0.5)
                .then(|| format!("https://www.{}.de/kontakt", t.slug)),
        }),
        szenarien,
        verwandte_beispiele,
        fruehere_ids: Vec::new(),
        externe_ids,
        redaktionsstatus: opt(rng, "redaktionsstatus", 0.8),
        zuletzt_geprueft: present(rng, i, 0.5).then(|| erfasst_am.clone()),
        lizenz: Some("CC-BY-4.0".into()),
        tags: {
            let mut tags = vec![capitalize(&p.k1.word), capitalize(&p.k2.word)];
            if rng.chance(0.5) {
                tags.push(tech_label.clone());
            }
            tags.dedup();
            tags
        },
        weitere: generic_values(&koki_model::fields::Registry::builtin(), vocab, i, rng),
    }
}

/// Values for the registry's fields without a Rust field of their own (none in koki's own
/// registry, so the built-in catalog draws nothing here): a field added to the registry gets
/// synthetic values without a change to the generator.
pub(super) fn generic_values(
    registry: &koki_model::fields::Registry,
    vocab: &Vocab,
    i: usize,
    rng: &mut Rng,
) -> BTreeMap<String, koki_model::fields::ExtraValue> {
    use koki_model::fields::{ExtraValue, Kind};
    let mut values = BTreeMap::new();
    for f in registry.generic_fields() {
        let value = match f.kind {
            Kind::VocabList(v) if present(rng, i, 0.6) => {
                ExtraValue::Many(vocab.many(v, i, rng, 2))
            }
            Kind::Vocab(v) if present(rng, i, 0.6) => ExtraValue::One(vocab.one(v, i, rng)),
            _ => continue,
        };
        values.insert(f.key.to_string(), value);
    }
    values
}

pub(super) fn example_body(
    i: usize,
    p: &Planned,
    planned: &[Planned],
    by_field: &[Vec<usize>],
    t: &Town,
    vocab: &Vocab,
    rng: &mut Rng,
) -> String {
    let tech = vocab.label("ki_technik", &p.tech).to_string();
    let f = Fill {
        k1: &p.k1,
        k2: &p.k2,
        ort: &t.name,
        tech: &tech,
    };
    let mut body = String::with_capacity(2048);
    for (s, (heading, pool)) in SECTIONS.iter().enumerate() {
        // Most examples have every recommended section; some leave out the optional ones.
        if s >= 2 && i >= 24 && rng.chance(0.08) {
            continue;
        }
        body.push_str("## ");
        body.push_str(heading);
        body.push_str("\n\n");
        let n = if s < 2 { 3 } else { 2 };
        body.push_str(&paragraph(pool, &f, rng, n));
        body.push_str("\n\n");
        match s {
            1 if rng.chance(0.5) => {
                body.push_str(&format!(
                    "- **{}**: erkennt Muster und ordnet Fälle zu\n- **{}**: zeigt Ergebnisse und offene Fragen\n- Rückmeldungen der Beschäftigten verbessern das Modell\n\n",
                    capitalize(&p.k1.word),
                    capitalize(&p.k2.word)
                ));
            }
            7 => {
                let earlier: Vec<usize> = by_field[p.field]
                    .iter()
                    .copied()
                    .take_while(|&k| k < i)
                    .collect();
                if let Some(&k) = earlier.last() {
                    body.push_str(&format!(
                        "Ein ähnliches Vorhaben beschreibt [{}](/beispiele/{}/). Mehr Informationen gibt es auf der [Website der Kommune](https://www.{}.de/).\n",
                        capitalize(&planned[k].k1.word),
                        planned[k].id,
                        t.slug
                    ));
                }
            }
            _ => {}
        }
    }
    body
}

#[allow(clippy::too_many_arguments)]
pub(super) fn scenario(
    j: usize,
    field: usize,
    k: &Compound,
    year: u32,
    planned: &[Planned],
    by_field: &[Vec<usize>],
    vocab: &Vocab,
    rng: &mut Rng,
) -> (Scenario, String) {
    let k2 = compound(rng, field);
    let szenariotyp = vocab.one("szenariotyp", j, rng);
    // Rural settings must exist, not only big cities: cycle through all settings.
    let gemeindetyp = vocab.one("gemeindetyp", j, rng);
    let laendlichkeit = vocab.one("laendlichkeit", j, rng);
    let ort = match gemeindetyp.as_str() {
        "grossstadt" => "einer Großstadt",
        "mittelstadt" => "einer Mittelstadt",
        "kleinstadt" => "einer Kleinstadt",
        _ => "einem Dorf",
    };
    let f = Fill {
        k1: k,
        k2: &k2,
        ort,
        tech: "generativen KI",
    };
    let titel = format!("{} {year}", capitalize(&k.word));
    let candidates = &by_field[field];
    let vorboten: Vec<String> = if candidates.is_empty() || (j >= 12 && rng.chance(0.3)) {
        Vec::new()
    } else {
        let n = rng.range(1, 3) as usize;
        let mut v: Vec<String> = rng
            .subset(candidates, n)
            .into_iter()
            .map(|e| planned[e].id.clone())
            .collect();
        v.dedup();
        v
    };
    let sentence = |rng: &mut Rng| {
        let t: &&str = rng.pick(SCENARIO_SENTENCES);
        fill(t, &f, rng)
    };
    let s = Scenario {
        titel,
        kurzfassung: format!(
            "Ein Blick in das Jahr {year}: {} prägt den Alltag in {ort}. Wer gewinnt, wer verliert?",
            capitalize(&k.nom())
        ),
        handlungsfeld: FIELDS[field].id.to_string(),
        handlungsfelder_weitere: if j.is_multiple_of(3) {
            vec![FIELDS[(field + 5) % FIELDS.len()].id.to_string()]
        } else {
            Vec::new()
        },
        zeithorizont: year as i32,
        szenariotyp,
        setting: Some(Setting {
            gemeindetyp: Some(gemeindetyp),
            laendlichkeit: Some(laendlichkeit),
        }),
        perspektiven: vec![
            Perspektive {
                wer: "Sachbearbeiterin im Fachamt".into(),
                sicht: sentence(rng),
            },
            Perspektive {
                wer: "Bürger ohne Smartphone".into(),
                sicht: sentence(rng),
            },
        ],
        vorboten,
        voraussetzungen: vec![
            format!("Gepflegte Daten für {}", k.acc()),
            "Klare Zuständigkeiten und eine Dienstvereinbarung".into(),
        ],
        chancen: vec![sentence(rng)],
        risiken: vec![sentence(rng)],
        gewinner_verlierer: Some(GewinnerVerlierer {
            gewinner: vec!["Beschäftigte mit Routineaufgaben".into()],
            verlierer: vec!["Menschen ohne digitalen Zugang".into()],
        }),
        handlungsoptionen_heute: vec![
            Handlungsoption {
                massnahme: format!("Daten {} heute aufräumen", k.gen()),
                aufwand: vocab.one("aufwand", j, rng),
                no_regret: true,
            },
            Handlungsoption {
                massnahme: "Personalrat und Bürgerschaft früh einbinden".into(),
                aufwand: vocab.one("aufwand", j + 1, rng),
                no_regret: rng.chance(0.5),
            },
        ],
        offene_fragen: vec![format!("Wer haftet, wenn {} irrt?", k.nom())],
        quellen: if j.is_multiple_of(2) {
            vec![Quelle {
                titel: "Studie Zukunft der Kommunalverwaltung".into(),
                url: format!("https://studien.example/zukunft/{}", j + 1),
                abgerufen: Some(recent_date(rng)),
            }]
        } else {
            Vec::new()
        },
        erstellt_am: date(rng, 2025, 2026),
        tags: vec![capitalize(&k.word), "Zukunft".into()],
    };
    let mut body =
        String::from("*Dieses Szenario ist eine erdachte Zukunft, kein reales Projekt.*\n\n");
    for _ in 0..4 {
        let n = rng.range(3, 5) as usize;
        body.push_str(&paragraph(SCENARIO_SENTENCES, &f, rng, n));
        body.push_str("\n\n");
    }
    (s, body)
}
