//! Responsible organisations: parsing the PSTW column, and from it Kommunen, Verwaltungsebene and Bundesland.

use super::*;

/// What kind of body an organisation is, as far as the name tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OrgKind {
    /// A municipality or Kreis (the kind is in the place, or `municipal_kind`).
    Municipal(PlaceKind),
    /// A Land or a Land authority.
    LandBody,
    /// A municipal company (port, transport operator, Stadtwerke).
    MunicipalCompany,
    Research,
    Company,
    Unknown,
}

#[derive(Debug, Clone)]
pub(super) struct Org {
    /// Name for `kommunen[].name`.
    pub(super) name: String,
    /// As written in PSTW.
    pub(super) original: String,
    pub(super) kind: OrgKind,
    pub(super) place: Option<&'static Place>,
}

/// Prefixes that name a municipality: "City of Bonn", "Stadt Bonn" …
pub(super) const CITY_PREFIXES: &[(&str, PlaceKind)] = &[
    ("free and hanseatic city of ", CityState),
    ("city council of ", Stadt),
    ("city of ", Stadt),
    ("town of ", Stadt),
    ("municipality of ", Gemeinde),
    ("municipalities of ", Gemeinde),
    ("cities of ", Stadt),
    ("towns of ", Stadt),
    ("landeshauptstadt ", Stadt),
    ("hansestadt ", Stadt),
    ("stadt ", Stadt),
    ("gemeinde ", Gemeinde),
    ("markt ", Gemeinde),
    ("district of ", Landkreis),
    ("districts of ", Landkreis),
    ("county of ", Landkreis),
    ("landkreis ", Landkreis),
    ("kreis ", Landkreis),
];

/// Suffixes that name a municipality: "Oberaudorf Municipality", "Munich City Council" …
pub(super) const CITY_SUFFIXES: &[(&str, PlaceKind)] = &[
    (" city council", Stadt),
    (" municipality", Gemeinde),
    (" city", Stadt),
    (" district", Landkreis),
    (" county", Landkreis),
];

pub(super) const LAND_PREFIXES: &[&str] = &[
    "state government of ",
    "state of ",
    "government of ",
    "federal state of ",
    "land ",
    "freistaat ",
];

/// Names of universities and research institutes (an organisation kind of its own, and the
/// start of an organisation name).
const RESEARCH_WORDS: &[&str] = &[
    "university",
    "universität",
    "hochschule",
    "institute",
    "institut",
    "fraunhofer",
    "dfki",
];

pub(super) fn keyword_kind(lower: &str) -> OrgKind {
    // Word starts ("Senatskanzlei" has "senat", "Ludwigshafen" has no "hafen").
    let has = |words: &[&str]| words.iter().any(|w| has_word_start(lower, w));
    if has(&[
        "port authority",
        "port of ",
        "public transport",
        "transport authority",
        "verkehrsbetrieb",
        "stadtwerke",
        "municipal company",
        "municipal utility",
        "hafen",
    ]) {
        OrgKind::MunicipalCompany
    } else if has(RESEARCH_WORDS) || has(&["research"]) || has_whole_word(lower, "htw") {
        OrgKind::Research
    } else if has(&[
        "ministry",
        "ministerium",
        "state office",
        "landesamt",
        "state criminal",
        "landeskriminalamt",
        "police",
        "polizei",
        "prosecutor",
        "staatsanwaltschaft",
        "senate",
        "senat",
        "state chancellery",
        "staatskanzlei",
        "state government",
        "landesregierung",
        "court",
        "gericht",
    ]) {
        OrgKind::LandBody
    } else if has(&["gmbh", "company"])
        || ["ag", "ltd", "inc", "se", "kg"]
            .iter()
            .any(|w| has_whole_word(lower, w))
    {
        OrgKind::Company
    } else {
        OrgKind::Unknown
    }
}

/// Understand one organisation name.
pub(super) fn classify_org(text: &str) -> Org {
    let original = text.trim().to_string();
    let stripped = original
        .strip_prefix("the ")
        .or_else(|| original.strip_prefix("The "))
        .unwrap_or(&original)
        .trim()
        .to_string();
    // ASCII lowercase keeps byte offsets, so prefixes found in `lower` cut `stripped`.
    let lower = stripped.to_ascii_lowercase();
    let place_of = |rest: &str, kind: PlaceKind| -> Org {
        let rest = rest.trim().trim_end_matches(['.', ',']);
        let place = exact_place(rest).or_else(|| find_places(rest).into_iter().next());
        let kind = match place {
            Some(pl) if matches!(kind, Stadt | Gemeinde) && pl.kind != Land => pl.kind,
            _ => kind,
        };
        let name = match (place, kind) {
            (Some(pl), Landkreis) if pl.kind == Landkreis => format!("Landkreis {}", pl.name),
            (_, Landkreis) => {
                let n = place.map(|pl| pl.name).unwrap_or(rest);
                if place.is_some_and(|pl| pl.land == "nw" || pl.land == "sh") {
                    format!("Kreis {n}")
                } else {
                    format!("Landkreis {n}")
                }
            }
            (Some(pl), _) if pl.kind != Land => pl.name.to_string(),
            _ => rest.to_string(),
        };
        Org {
            name,
            original: original.clone(),
            kind: OrgKind::Municipal(kind),
            place,
        }
    };
    for (prefix, kind) in CITY_PREFIXES {
        if lower.starts_with(prefix) {
            let rest = &stripped[prefix.len()..];
            // "City of Hamburg, Authority for …" is handled by the splitter; here only names.
            if !rest.trim().is_empty() && keyword_kind(&rest.to_lowercase()) == OrgKind::Unknown {
                return place_of(rest, *kind);
            }
        }
    }
    for (suffix, kind) in CITY_SUFFIXES {
        if lower.ends_with(suffix) && lower.len() > suffix.len() {
            let rest = &stripped[..stripped.len() - suffix.len()];
            if keyword_kind(&rest.to_lowercase()) == OrgKind::Unknown
                && (exact_place(rest).is_some() || rest.split_whitespace().count() <= 2)
            {
                return place_of(rest, *kind);
            }
        }
    }
    for prefix in LAND_PREFIXES {
        if lower.starts_with(prefix) {
            let rest = &stripped[prefix.len()..];
            if let Some(pl) = exact_place(rest) {
                if matches!(pl.kind, Land | CityState) {
                    return Org {
                        name: format!("Land {}", pl.name),
                        original,
                        kind: OrgKind::LandBody,
                        place: Some(pl),
                    };
                }
            }
        }
    }
    if let Some(pl) = exact_place(&stripped) {
        let (name, kind) = match pl.kind {
            Land => (format!("Land {}", pl.name), OrgKind::LandBody),
            k => (pl.name.to_string(), OrgKind::Municipal(k)),
        };
        return Org {
            name,
            original,
            kind,
            place: Some(pl),
        };
    }
    let kind = keyword_kind(&lower);
    Org {
        name: stripped.clone(),
        original,
        kind,
        place: find_places(&stripped).into_iter().next(),
    }
}

/// Whether a piece of an organisation list starts a new organisation (so a comma or "and"
/// before it separates two organisations, not parts of one name).
pub(super) fn starts_organisation(piece: &str) -> bool {
    let t = piece.trim();
    let lower = t.strip_prefix("the ").unwrap_or(t).trim().to_lowercase();
    if lower.is_empty() {
        return false;
    }
    if exact_place(&lower).is_some() {
        return true;
    }
    let starters = [
        "city ",
        "town ",
        "municipality",
        "municipalities",
        "district",
        "county",
        "stadt ",
        "gemeinde ",
        "markt ",
        "landkreis ",
        "kreis ",
        "state ",
        "land ",
        "ministry",
        "ministerium",
        "police",
        "port ",
        "chamber",
        "federal",
        "bundes",
        "landes",
        "technical university",
        "technology foundation",
        "foundation",
        "stiftung",
    ];
    if starters
        .iter()
        .chain(RESEARCH_WORDS)
        .any(|s| lower.starts_with(s))
    {
        return true;
    }
    // "Oberaudorf Municipality", "Berlin University of …"
    CITY_SUFFIXES.iter().any(|(s, _)| lower.ends_with(s))
        || (find_places(&lower)
            .first()
            .is_some_and(|pl| pl.aliases.iter().any(|a| lower.starts_with(a)))
            && keyword_kind(&lower) != OrgKind::Unknown)
}

/// Split "Responsible organisation" into organisations. Semicolons always separate;
/// commas and "and"/"und"/"&" only where an organisation (or, after "Cities of …", a place)
/// follows; parentheses are never split. "and others" is dropped.
pub(super) fn parse_organisations(raw: &str) -> Vec<Org> {
    let raw = collapse_ws(raw);
    if raw.is_empty() {
        return Vec::new();
    }
    let lower = raw.to_ascii_lowercase();
    // A plural list: "Cities of A, B and C", "Municipalities of …".
    let plural = [
        ("cities of ", Stadt),
        ("towns of ", Stadt),
        ("municipalities of ", Gemeinde),
        ("districts of ", Landkreis),
        ("städte ", Stadt),
        ("gemeinden ", Gemeinde),
    ]
    .into_iter()
    .find(|(pre, _)| lower.starts_with(pre));

    // Tokenise at top-level separators.
    // (text, kind of separator before it, the separator as written)
    let mut pieces: Vec<(String, &str, String)> = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let mut sep_before: &str = "";
    let mut sep_text = String::new();
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if depth <= 0 {
            let rest: String = chars[i..].iter().collect::<String>().to_lowercase();
            let sep = if c == ';' {
                Some((";", 1))
            } else if c == ',' {
                Some((",", 1))
            } else if rest.starts_with(" and ") || rest.starts_with(" und ") {
                Some(("and", 5))
            } else if rest.starts_with(" & ") {
                Some(("and", 3))
            } else {
                None
            };
            if let Some((s, len)) = sep {
                pieces.push((current.trim().to_string(), sep_before, sep_text.clone()));
                current.clear();
                sep_before = s;
                sep_text = chars[i..i + len].iter().collect();
                i += len;
                continue;
            }
        }
        current.push(c);
        i += 1;
    }
    pieces.push((current.trim().to_string(), sep_before, sep_text));

    // Join pieces back where the separator did not separate organisations.
    let mut groups: Vec<String> = Vec::new();
    for (text, sep, written) in pieces {
        let text = text.trim().trim_start_matches(',').trim().to_string();
        let split_here = match sep {
            "" => true,
            ";" => true,
            _ => plural.is_some() || starts_organisation(&text) || is_others(&text),
        };
        if split_here || groups.is_empty() {
            groups.push(text);
        } else if let Some(last) = groups.last_mut() {
            last.push_str(if sep == "," { ", " } else { &written });
            last.push_str(&text);
        }
    }
    let mut orgs = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if g.is_empty() || is_others(g) {
            continue;
        }
        let text = match plural {
            Some((pre, _)) if i == 0 => g.get(pre.len()..).unwrap_or(g).to_string(),
            _ => g.clone(),
        };
        let mut org = classify_org(&text);
        if let Some((_, kind)) = plural {
            if org.kind == OrgKind::Unknown {
                org.kind = OrgKind::Municipal(org.place.map(|pl| pl.kind).unwrap_or(kind));
            }
        }
        orgs.push(org);
    }
    orgs
}

pub(super) fn is_others(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    t == "others"
        || t == "other"
        || t.starts_with("others ")
        || t.starts_with("other municipalities")
}

pub(super) fn map_kommunen(m: &mut Mapped, line: u64, org_raw: &str, orgs: &[Org]) {
    if orgs.is_empty() {
        m.unmapped(
            line,
            COL_ORG,
            org_raw,
            "Platzhalter „unbekannt“ in `kommunen`",
        );
        m.example.kommunen.push(Kommune {
            name: "unbekannt".into(),
            ags: None,
            rolle: Some("federfuehrend".into()),
            koordinaten: None,
        });
        m.comment(
            "kommunen",
            "TODO: verantwortliche Kommune eintragen (PSTW nennt keine Organisation)",
        );
        m.todos.push("`kommunen` ergänzen".into());
        return;
    }
    for (i, o) in orgs.iter().enumerate() {
        m.example.kommunen.push(Kommune {
            name: truncate_words(&o.name, 150),
            ags: None,
            rolle: Some(if i == 0 { "federfuehrend" } else { "beteiligt" }.into()),
            koordinaten: None,
        });
    }
    m.comment(
        "kommunen",
        format!("PSTW „Responsible organisation“: {}", shorten(org_raw, 200)),
    );
    let renamed = orgs.iter().any(|o| o.name != o.original);
    let foreign = orgs
        .iter()
        .any(|o| !matches!(o.kind, OrgKind::Municipal(_)) && o.name == o.original);
    let mut note = String::from("bitte prüfen:");
    if orgs.len() > 1 {
        note.push_str(" Aufteilung und Rollen geschätzt (erste Organisation federführend);");
    }
    if renamed {
        note.push_str(" Namen vereinfacht;");
    }
    if foreign {
        note.push_str(" Namen auf Deutsch übertragen;");
    }
    note.push_str(" `ags` und `koordinaten` ergänzen");
    m.comment("kommunen", note);
    if !orgs
        .iter()
        .any(|o| matches!(o.kind, OrgKind::Municipal(_)) || o.kind == OrgKind::MunicipalCompany)
    {
        m.todos.push(
            "keine Kommune unter den verantwortlichen Organisationen: kommunalen Bezug prüfen"
                .into(),
        );
    }
}

pub(super) fn map_verwaltungsebene(
    m: &mut Mapped,
    line: u64,
    org_raw: &str,
    category: &str,
    orgs: &[Org],
) {
    let municipal: Vec<&Org> = orgs
        .iter()
        .filter(|o| matches!(o.kind, OrgKind::Municipal(_)))
        .collect();
    let cat = category.to_lowercase().replace('-', " ");
    let from_place = |k: PlaceKind| match k {
        CityState | Kf => "kreisfreie_stadt",
        Stadt => "stadt",
        Gemeinde => "gemeinde",
        Landkreis => "landkreis",
        Land => "land",
    };
    let first = orgs.first();
    let guess: Option<(&str, String)> = if municipal.len() > 1 {
        Some((
            "interkommunal",
            format!("{} Kommunen verantwortlich", municipal.len()),
        ))
    } else {
        match first.map(|o| (o.kind, o.place)) {
            Some((OrgKind::Municipal(k), _)) => Some((
                from_place(k),
                format!("aus „{}“", first.map(|o| o.original.as_str()).unwrap_or("")),
            )),
            Some((OrgKind::MunicipalCompany, _)) => {
                Some(("kommunales_unternehmen", format!("aus „{org_raw}“")))
            }
            Some((OrgKind::LandBody, _)) => Some(("land", format!("aus „{org_raw}“"))),
            _ if cat.contains("regional government") || cat.contains("central government") => {
                Some(("land", format!("aus Kategorie „{category}“")))
            }
            Some((_, Some(pl))) if cat.contains("local government") && pl.kind != Land => Some((
                from_place(pl.kind),
                format!("aus Kategorie „{category}“ und Ort {}", pl.name),
            )),
            _ if cat.contains("local government") => {
                Some(("gemeinde", format!("aus Kategorie „{category}“")))
            }
            _ => None,
        }
    };
    match guess {
        Some((v, why)) => {
            m.example.verwaltungsebene = v.into();
            m.comment("verwaltungsebene", format!("bitte prüfen: geschätzt {why}"));
        }
        None => {
            m.example.verwaltungsebene = "gemeinde".into();
            m.comment(
                "verwaltungsebene",
                format!(
                    "TODO: Verwaltungsebene bestimmen (PSTW-Kategorie „{category}“ passt zu keiner kommunalen Ebene); Platzhalter"
                ),
            );
            m.unmapped(line, COL_ORG_CATEGORY, category, "Platzhalter `gemeinde`");
            m.todos
                .push("`verwaltungsebene` bestimmen (Platzhalter)".into());
        }
    }
}

pub(super) fn map_bundesland(
    m: &mut Mapped,
    line: u64,
    nuts_raw: &str,
    org_raw: &str,
    name: &str,
    orgs: &[Org],
    site: &Site,
) {
    // NUTS: every code in the cell, first three characters.
    let mut from_nuts: Vec<String> = Vec::new();
    for code in nuts_raw
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|c| !c.is_empty())
    {
        let code = code.to_uppercase();
        let key: String = code.chars().take(3).collect();
        if let Some(bl) = site.nuts.get(&key).filter(|_| code.len() >= 3) {
            if !from_nuts.contains(bl) {
                from_nuts.push(bl.clone());
            }
        }
    }
    if let Some(first) = from_nuts.first() {
        m.example.bundesland = first.clone();
        if from_nuts.len() > 1 {
            m.comment(
                "bundesland",
                format!(
                    "bitte prüfen: NUTS „{nuts_raw}“ nennt mehrere Länder ({})",
                    from_nuts.join(", ")
                ),
            );
        }
        return;
    }
    // Fallback: a Land or city named in the organisation or the name.
    let mut lands: Vec<&'static str> = Vec::new();
    let places = orgs
        .iter()
        .filter_map(|o| o.place)
        .chain(find_places(org_raw))
        .chain(find_places(name));
    for pl in places {
        if site.bundeslaender.contains(pl.land) && !lands.contains(&pl.land) {
            lands.push(pl.land);
        }
    }
    let shown = if nuts_raw.is_empty() {
        "(leer)"
    } else {
        nuts_raw
    };
    if let Some(first) = lands.first() {
        m.example.bundesland = (*first).to_string();
        let also = if lands.len() > 1 {
            format!("; genannt auch {}", lands[1..].join(", "))
        } else {
            String::new()
        };
        m.comment(
            "bundesland",
            format!("bitte prüfen: NUTS „{shown}“ nennt kein Land; aus Organisation/Name geschätzt{also}"),
        );
        m.unmapped(
            line,
            COL_NUTS,
            nuts_raw,
            format!("`{first}` aus Organisation/Name geschätzt"),
        );
    } else {
        let placeholder = site
            .bundeslaender
            .iter()
            .next()
            .cloned()
            .unwrap_or_default();
        m.comment(
            "bundesland",
            format!("TODO: Bundesland eintragen (NUTS „{shown}“ nennt kein Land); `{placeholder}` ist nur ein Platzhalter"),
        );
        m.unmapped(
            line,
            COL_NUTS,
            nuts_raw,
            format!("Platzhalter `{placeholder}`"),
        );
        m.todos.push("`bundesland` eintragen (Platzhalter)".into());
        m.example.bundesland = placeholder;
    }
}
