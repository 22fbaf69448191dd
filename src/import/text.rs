//! Text helpers: shortening titles and summaries, draft ids.

use super::*;

/// Shorten to at most `max` chars at a word boundary, with an ellipsis when cut.
pub(super) fn truncate_words(text: &str, max: usize) -> String {
    let text = collapse_ws(text);
    if text.chars().count() <= max {
        return text;
    }
    let limit: String = text.chars().take(max - 1).collect();
    let cut = match limit.rfind(' ') {
        Some(i) if i > max / 2 => &limit[..i],
        _ => limit.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '-', '–']))
}

/// Shorten to at most `max` chars, preferring the end of a sentence.
pub(super) fn truncate_summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let limit: String = text.chars().take(max).collect();
    if let Some(i) = limit.rfind(". ") {
        if i >= max / 2 {
            return limit[..=i].to_string();
        }
    }
    truncate_words(text, max)
}

pub(super) fn shorten(text: &str, max: usize) -> String {
    let t = collapse_ws(text);
    if t.chars().count() <= max {
        t
    } else {
        format!("{}…", t.chars().take(max - 1).collect::<String>())
    }
}

/// Words left out of the name part of a file name.
pub(super) const SLUG_STOPWORDS: &[&str] = &[
    "a", "an", "the", "of", "for", "in", "and", "to", "with", "on", "by", "at", "from", "der",
    "die", "das", "und", "fuer", "im", "von", "mit", "den", "des",
];

/// Make any slug a valid id within the length limit.
pub(super) fn fit_id(s: &str) -> String {
    let s = cut_slug(&slug(s), MAX_ID_CHARS);
    if load::is_valid_id(&s) {
        s
    } else {
        "pstw-entwurf".into()
    }
}

/// A place name shortened for file names: "Freiburg im Breisgau" → "Freiburg",
/// "Singen (Hohentwiel)" → "Singen".
pub(super) fn short_place(name: &str) -> String {
    let mut s = name;
    for cut in [" (", " an der ", " am ", " im ", " in der ", ","] {
        if let Some(i) = s.find(cut) {
            s = &s[..i];
        }
    }
    s.trim().to_string()
}

/// `<place>-<name>`: the place of the lead organisation (two municipalities: both; more: the
/// Land), then the name without stop words and without repeating the place.
pub(super) fn make_id(
    kommunen: &[Kommune],
    orgs: &[Org],
    org_raw: &str,
    name: &str,
    pstw: &str,
) -> String {
    let municipal: Vec<&Org> = orgs
        .iter()
        .filter(|o| matches!(o.kind, OrgKind::Municipal(_)))
        .collect();
    let land_of = |pl: &Place| {
        places()
            .iter()
            .find(|l| l.land == pl.land && matches!(l.kind, Land | CityState))
            .map(|l| l.name.to_string())
    };
    let lead = orgs.first();
    let lead_municipal = lead.is_some_and(|o| matches!(o.kind, OrgKind::Municipal(_)));
    let mut from_place = true;
    let place = match (lead_municipal, municipal.as_slice()) {
        (true, [a, b]) => Some(format!("{} {}", short_place(&a.name), short_place(&b.name))),
        (true, [first, _, _, ..]) => first.place.and_then(land_of),
        (true, [first, ..]) => Some(short_place(&first.name)),
        _ => lead.and_then(|o| o.place).map(|pl| short_place(pl.name)),
    };
    let place = place.unwrap_or_else(|| {
        from_place = false;
        kommunen
            .first()
            .map(|k| k.name.clone())
            .unwrap_or_else(|| org_raw.to_string())
    });
    let mut place_slug = slug(&place);
    if !from_place {
        // An organisation's name, not a place: without stop words, short.
        let parts: Vec<&str> = place_slug
            .split('-')
            .filter(|p| !SLUG_STOPWORDS.contains(p))
            .collect();
        if !parts.is_empty() {
            place_slug = parts.join("-");
        }
    }
    let place_slug = cut_slug(&place_slug, 30);
    // Words of the name that only repeat the place (in any spelling) or say "city".
    let mut repeats: Vec<Vec<String>> = vec![place_slug.split('-').map(String::from).collect()];
    for pl in orgs.iter().filter_map(|o| o.place) {
        repeats.push(slug(pl.name).split('-').map(String::from).collect());
        for a in &pl.aliases {
            repeats.push(slug(a).split('-').map(String::from).collect());
        }
    }
    // Longest spellings first ("ruesselsheim-am-main" before "ruesselsheim").
    repeats.sort_by_key(|r| std::cmp::Reverse(r.len()));
    let name_slug = slug(name);
    let mut parts: Vec<&str> = name_slug
        .split('-')
        .filter(|p| {
            !p.is_empty()
                && !SLUG_STOPWORDS.contains(p)
                && !["city", "municipality", "stadt", "gemeinde"].contains(p)
        })
        .collect();
    for rep in repeats.iter().filter(|r| !r.is_empty() && !r[0].is_empty()) {
        let n = rep.len();
        let mut i = 0;
        while i + n <= parts.len() && parts.len() > n {
            if parts[i..i + n].iter().zip(rep).all(|(a, b)| *a == b) {
                parts.drain(i..i + n);
            } else {
                i += 1;
            }
        }
    }
    let name_part = cut_slug(&parts.join("-"), 45);
    let joined = match (place_slug.is_empty(), name_part.is_empty()) {
        (false, false) => format!("{place_slug}-{name_part}"),
        (false, true) => format!("{place_slug}-{}", pstw.to_lowercase()),
        (true, false) => name_part,
        (true, true) => pstw.to_lowercase(),
    };
    fit_id(&joined)
}
