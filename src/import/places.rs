//! German Länder and cities by name, with their kind (the mapping table of places).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlaceKind {
    Land,
    /// Berlin, Hamburg, Bremen: city and Land at once.
    CityState,
    KreisfreieStadt,
    Stadt,
    Gemeinde,
    Landkreis,
}

#[derive(Debug, Clone)]
pub(super) struct Place {
    /// German name as used in the catalog.
    pub(super) name: &'static str,
    /// Lowercase spellings found in PSTW (English exonyms, German, without umlauts).
    pub(super) aliases: Vec<&'static str>,
    pub(super) land: &'static str,
    pub(super) kind: PlaceKind,
}

pub(super) use PlaceKind::{CityState, Gemeinde, KreisfreieStadt as Kf, Land, Landkreis, Stadt};

/// The table of places, `places.csv` (semicolon-separated, `#` comments), compiled in.
const PLACES_CSV: &str = include_str!("places.csv");

/// Länder, the city states, all large cities and the smaller places that occur in PSTW, in the
/// table's order.
pub(super) fn places() -> &'static [Place] {
    static PLACES: std::sync::OnceLock<Vec<Place>> = std::sync::OnceLock::new();
    PLACES.get_or_init(|| {
        parse_places(PLACES_CSV)
            .unwrap_or_else(|line| panic!("src/import/places.csv, line {line}: malformed row"))
    })
}

/// Rows of the places table; `Err(line)` names the first malformed one.
fn parse_places(text: &'static str) -> Result<Vec<Place>, usize> {
    let rows = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1); // the header
    rows.map(|(i, line)| {
        let cells: Vec<&'static str> = line.split(';').collect();
        let [name, land, kind, aliases] = cells[..] else {
            return Err(i + 1);
        };
        let kind = match kind {
            "land" => Land,
            "stadtstaat" => CityState,
            "kreisfreie_stadt" => Kf,
            "stadt" => Stadt,
            "gemeinde" => Gemeinde,
            "landkreis" => Landkreis,
            _ => return Err(i + 1),
        };
        Ok(Place {
            name,
            aliases: aliases.split('|').collect(),
            land,
            kind,
        })
    })
    .collect()
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// All places mentioned in `text` (word boundaries; longer spellings win over shorter ones
/// inside them, so "Lower Saxony" is not also "Saxony"), in order of appearance.
pub(super) fn find_places(text: &str) -> Vec<&'static Place> {
    let lower = text.to_lowercase();
    let mut hits: Vec<(usize, usize, &'static Place)> = Vec::new();
    let mut aliases: Vec<(&'static str, &'static Place)> = places()
        .iter()
        .flat_map(|pl| pl.aliases.iter().map(move |a| (*a, pl)))
        .collect();
    aliases.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
    for (alias, place) in aliases {
        let mut from = 0;
        while let Some(rel) = lower[from..].find(alias) {
            let start = from + rel;
            let end = start + alias.len();
            from = end;
            let before_ok = lower[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !is_word_char(c));
            let after_ok = lower[end..].chars().next().is_none_or(|c| !is_word_char(c));
            if !(before_ok && after_ok) {
                continue;
            }
            if hits.iter().any(|(s, e, _)| start < *e && end > *s) {
                continue;
            }
            hits.push((start, end, place));
        }
    }
    hits.sort_by_key(|(s, _, _)| *s);
    let mut out: Vec<&'static Place> = Vec::new();
    for (_, _, pl) in hits {
        if !out.iter().any(|o| std::ptr::eq(*o, pl)) {
            out.push(pl);
        }
    }
    out
}

/// The place a text names when the whole text is just that place.
pub(super) fn exact_place(text: &str) -> Option<&'static Place> {
    let t = text.trim().to_lowercase();
    places().iter().find(|pl| pl.aliases.contains(&t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_places_table_parses_completely() {
        let places = parse_places(PLACES_CSV).expect("every row parses");
        let rows = PLACES_CSV
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(places.len(), rows - 1, "one place per row after the header");
        let berlin = places.iter().find(|p| p.name == "Berlin").expect("Berlin");
        assert_eq!((berlin.land, berlin.kind), ("be", CityState));
        assert!(places
            .iter()
            .all(|p| !p.aliases.is_empty() && !p.land.is_empty()));
        assert_eq!(
            parse_places(
                "h
name;by;stadt"
            )
            .err(),
            Some(2),
            "a row with three cells"
        );
        assert_eq!(
            parse_places("h\nx;by;dorf;x").err(),
            Some(2),
            "an unknown kind"
        );
    }
}
