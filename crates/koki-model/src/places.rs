//! Official place facts: the Destatis table of all 401 Kreise and kreisfreie Städte (AGS,
//! NUTS 3, area, population, density; reference date 31.12.2018), shipped in
//! `data/kreise/kreise.csv` and embedded in the binary.
//!
//! Contributors type only a Kommune's AGS; everything else here is derived: the Kreis (the
//! first five digits of an 8-digit Gemeindeschlüssel are its Kreis key), the Kreis's
//! population, area and density, and a settlement class computed from density.
//!
//! The settlement class approximates the BBSR's *siedlungsstrukturelle Kreistypen* by density
//! alone (BBSR also weighs the population share living in Groß- and Mittelstädte, which the
//! table does not hold):
//!
//! | class | rule here |
//! |---|---|
//! | kreisfreie Großstadt | kreisfreie Stadt / Stadtkreis with ≥ 100,000 inhabitants |
//! | städtischer Kreis | density ≥ 150 inhabitants/km² (and smaller kreisfreie Städte) |
//! | ländlicher Kreis mit Verdichtungsansätzen | 100 ≤ density < 150 |
//! | dünn besiedelter ländlicher Kreis | density < 100 |
//!
//! No file-system access: the table is compiled in, so validation using it also runs in wasm.

use crate::Error;
use koki_text::fold;
use std::sync::OnceLock;

/// The embedded table (`;`-separated, UTF-8, one header line).
const KREISE_CSV: &str = include_str!("../../../data/kreise/kreise.csv");

/// Attribution shown wherever values of the table appear.
pub const SOURCE: &str = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis, Stand 31.12.2018; Aufbereitung: landkreise-deutschland (CC BY 4.0)";
/// Reference date of the table's figures.
pub const REFERENCE_DATE: &str = "31.12.2018";
/// Address of the source for links.
pub const SOURCE_URL: &str = "https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html";

/// One Kreis or kreisfreie Stadt of the Destatis table.
#[derive(Debug, Clone, PartialEq)]
pub struct Kreis {
    /// 5-digit Kreis key.
    pub ags: String,
    /// Kind as Destatis names it: Landkreis, Kreis, Kreisfreie Stadt, Stadtkreis, Regionalverband.
    pub kind: String,
    /// Official name, e.g. "Flensburg, Stadt" or "Lüchow-Dannenberg".
    pub name: String,
    pub nuts3: String,
    pub area_km2: f64,
    pub population: u64,
    /// Inhabitants per km², as Destatis rounds it.
    pub density: u32,
}

impl Kreis {
    /// Whether the Kreis is a city without a Landkreis around it.
    pub fn is_kreisfrei(&self) -> bool {
        matches!(self.kind.as_str(), "Kreisfreie Stadt" | "Stadtkreis")
    }

    /// Name for display: "Flensburg, Stadt" → "Flensburg", "Lüchow-Dannenberg" →
    /// "Landkreis Lüchow-Dannenberg".
    pub fn display_name(&self) -> String {
        let base = self.name.split(',').next().unwrap_or(&self.name).trim();
        match self.kind.as_str() {
            "Landkreis" if !base.starts_with("Region") => format!("Landkreis {base}"),
            "Kreis" if !base.contains("kreis") && !base.starts_with("Städteregion") => {
                format!("Kreis {base}")
            }
            _ => base.to_string(),
        }
    }

    pub fn settlement_class(&self) -> SettlementClass {
        SettlementClass::of(self)
    }
}

/// Settlement class of a Kreis derived from its density (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SettlementClass {
    KreisfreieGrossstadt,
    StaedtischerKreis,
    LaendlichVerdichtet,
    DuennBesiedelt,
}

impl SettlementClass {
    pub const ALL: [SettlementClass; 4] = [
        SettlementClass::KreisfreieGrossstadt,
        SettlementClass::StaedtischerKreis,
        SettlementClass::LaendlichVerdichtet,
        SettlementClass::DuennBesiedelt,
    ];

    pub fn of(k: &Kreis) -> SettlementClass {
        if k.is_kreisfrei() && k.population >= 100_000 {
            SettlementClass::KreisfreieGrossstadt
        } else if k.density >= 150 || k.is_kreisfrei() {
            SettlementClass::StaedtischerKreis
        } else if k.density >= 100 {
            SettlementClass::LaendlichVerdichtet
        } else {
            SettlementClass::DuennBesiedelt
        }
    }

    /// Stable id, used in URLs and data attributes (vocabulary `raumtyp`).
    pub fn id(self) -> &'static str {
        match self {
            SettlementClass::KreisfreieGrossstadt => "kreisfreie_grossstadt",
            SettlementClass::StaedtischerKreis => "staedtischer_kreis",
            SettlementClass::LaendlichVerdichtet => "laendlich_verdichtet",
            SettlementClass::DuennBesiedelt => "duenn_besiedelt",
        }
    }

    pub fn from_id(id: &str) -> Option<SettlementClass> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }

    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            SettlementClass::KreisfreieGrossstadt => "kreisfreie Großstadt",
            SettlementClass::StaedtischerKreis => "städtischer Kreis",
            SettlementClass::LaendlichVerdichtet => "ländlicher Kreis mit Verdichtungsansätzen",
            SettlementClass::DuennBesiedelt => "dünn besiedelter ländlicher Kreis",
        }
    }

    /// The rule, in German, for help texts.
    pub fn rule(self) -> &'static str {
        match self {
            SettlementClass::KreisfreieGrossstadt => {
                "kreisfreie Stadt mit mindestens 100.000 Einwohnerinnen und Einwohnern"
            }
            SettlementClass::StaedtischerKreis => {
                "mindestens 150 Einwohner je km² (oder kleinere kreisfreie Stadt)"
            }
            SettlementClass::LaendlichVerdichtet => "100 bis unter 150 Einwohner je km²",
            SettlementClass::DuennBesiedelt => "unter 100 Einwohner je km²",
        }
    }

    /// Whether the class is one of the two rural ones.
    pub fn is_rural(self) -> bool {
        matches!(
            self,
            SettlementClass::LaendlichVerdichtet | SettlementClass::DuennBesiedelt
        )
    }
}

/// Name of the derived vocabulary of settlement classes (filter pages, open data).
pub const VOCABULARY: &str = "raumtyp";

/// Add the settlement classes as vocabulary `raumtyp` (derived, never typed by
/// contributors), so filter pages and the open-data export label them like any vocabulary.
/// A `raumtyp` vocabulary in `vokabular.yaml` is left as it is.
pub fn add_settlement_vocabulary(vocab: &mut crate::model::Vocabularies) {
    if vocab.contains_key(VOCABULARY) {
        return;
    }
    let entries = SettlementClass::ALL
        .iter()
        .map(|c| {
            (
                c.id().to_string(),
                crate::model::VocabEntry {
                    label: c.label().to_string(),
                    beschreibung: Some(format!(
                        "Kreis mit {}; aus der Dichte abgeleitet, Näherung an die siedlungsstrukturellen Kreistypen des BBSR",
                        c.rule()
                    )),
                    mappings: Default::default(),
                },
            )
        })
        .collect();
    vocab.insert(VOCABULARY.to_string(), entries);
}

/// All Kreise, sorted by AGS.
pub fn all() -> &'static [Kreis] {
    static TABLE: OnceLock<Vec<Kreis>> = OnceLock::new();
    TABLE.get_or_init(|| parse(KREISE_CSV))
}

/// Parse the table. Malformed rows cannot occur in the embedded file (a test reads every
/// row); they would be skipped rather than panic.
fn parse(csv: &str) -> Vec<Kreis> {
    let mut out: Vec<Kreis> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.trim_end_matches('\r').split(';').collect();
            if f.len() < 9 {
                return None;
            }
            Some(Kreis {
                ags: f[0].to_string(),
                kind: f[1].to_string(),
                name: f[2].to_string(),
                nuts3: f[3].to_string(),
                area_km2: f[4].parse().ok()?,
                population: f[5].parse().ok()?,
                density: f[8].parse().ok()?,
            })
        })
        .collect();
    out.sort_by(|a, b| a.ags.cmp(&b.ags));
    out
}

/// The Kreis an AGS belongs to: a 5-digit Kreis key, or the first five digits of an 8-digit
/// Gemeindeschlüssel.
pub fn kreis_of(ags: &str) -> Result<&'static Kreis, Error> {
    if !(ags.len() == 5 || ags.len() == 8) || !ags.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::MalformedAgs(ags.to_string()));
    }
    let key = &ags[..5];
    let table = all();
    table
        .binary_search_by(|k| k.ags.as_str().cmp(key))
        .map(|i| &table[i])
        .map_err(|_| Error::UnknownKreis {
            ags: ags.to_string(),
            kreis: key.to_string(),
        })
}

/// Kreise whose name matches `name` best (folded, without "Landkreis", "Stadt", …), at most
/// `limit`: exact matches, then prefix or substring matches, then close edit distance.
pub fn suggest_by_name(name: &str, limit: usize) -> Vec<&'static Kreis> {
    let wanted = name_key(name);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &'static Kreis)> = all()
        .iter()
        .filter_map(|k| {
            let key = name_key(&k.name);
            let score = if key == wanted {
                0
            } else if key.starts_with(&wanted) || wanted.starts_with(&key) {
                1
            } else if key.contains(&wanted) || wanted.contains(&key) {
                2
            } else {
                let d = strsim::damerau_levenshtein(&key, &wanted);
                if d > (wanted.len().max(key.len()) / 4).max(1) {
                    return None;
                }
                3 + d
            };
            Some((score, k))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.ags.cmp(&b.1.ags)));
    scored.into_iter().take(limit).map(|(_, k)| k).collect()
}

/// "`\"03354\"` (Landkreis Lüchow-Dannenberg)" for the best name matches of `name` (at most
/// three), for did-you-mean hints.
pub fn suggestion_for(name: &str) -> Option<String> {
    let found = suggest_by_name(name, 3);
    if found.is_empty() {
        return None;
    }
    Some(
        found
            .iter()
            .map(|k| format!("`\"{}\"` ({})", k.ags, k.display_name()))
            .collect::<Vec<_>>()
            .join(" oder "),
    )
}

/// The distinct Kreise of an example's Kommunen, lead Kommunen (`federfuehrend`) first, then
/// in the order given. Kommunen without a known AGS are skipped.
pub fn kreise_of_example(e: &crate::model::Example) -> Vec<&'static Kreis> {
    let mut ordered: Vec<&crate::model::Kommune> = e.kommunen.iter().collect();
    ordered.sort_by_key(|k| k.rolle.as_deref() != Some("federfuehrend"));
    let mut out: Vec<&'static Kreis> = Vec::new();
    for k in ordered {
        if let Some(Ok(kreis)) = k.ags.as_deref().map(kreis_of) {
            if !out.iter().any(|x| x.ags == kreis.ags) {
                out.push(kreis);
            }
        }
    }
    out
}

/// Folded name without the words that only say what kind of body it is.
fn name_key(name: &str) -> String {
    const KIND_WORDS: &[&str] = &[
        "landkreis",
        "kreis",
        "stadt",
        "kreisfreie",
        "landeshauptstadt",
        "hansestadt",
        "freie",
        "und",
        "wissenschaftsstadt",
        "universitaetsstadt",
        "grosse",
        "kreisstadt",
    ];
    let folded = fold(name);
    folded
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty() && !KIND_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How similar two Kreise are for "Passt zu meiner Kommune": smaller is closer. Same
/// settlement class dominates; then density and population on a log scale.
pub fn distance(a: &Kreis, b: &Kreis) -> f64 {
    let log_ratio = |x: f64, y: f64| (x.max(1.0) / y.max(1.0)).ln().abs();
    let class = if a.settlement_class() == b.settlement_class() {
        0.0
    } else {
        2.0
    };
    class
        + log_ratio(a.density as f64, b.density as f64)
        + 0.5 * log_ratio(a.population as f64, b.population as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_table_is_read() {
        let rows = KREISE_CSV.lines().skip(1).filter(|l| !l.is_empty()).count();
        assert_eq!(rows, 401);
        assert_eq!(all().len(), 401);
    }

    #[test]
    fn gemeinde_key_maps_to_its_kreis() {
        // Amberg (kreisfreie Stadt) as 8-digit key; Lüchow-Dannenberg as Kreis key.
        assert_eq!(kreis_of("09361000").unwrap().display_name(), "Amberg");
        let k = kreis_of("03354").unwrap();
        assert_eq!(k.display_name(), "Landkreis Lüchow-Dannenberg");
        assert_eq!(k.density, 39);
        assert_eq!(k.settlement_class(), SettlementClass::DuennBesiedelt);
    }

    #[test]
    fn unknown_and_malformed_keys() {
        assert!(matches!(
            kreis_of("09999001"),
            Err(Error::UnknownKreis { .. })
        ));
        assert!(matches!(kreis_of("0936"), Err(Error::MalformedAgs(_))));
        assert!(matches!(kreis_of("0936100x"), Err(Error::MalformedAgs(_))));
    }

    #[test]
    fn settlement_classes_follow_the_thresholds() {
        let class = |ags: &str| kreis_of(ags).unwrap().settlement_class();
        assert_eq!(class("11000"), SettlementClass::KreisfreieGrossstadt); // Berlin
        assert_eq!(class("01056"), SettlementClass::StaedtischerKreis); // Pinneberg, 473/km²
        assert_eq!(class("03355"), SettlementClass::LaendlichVerdichtet); // Lüneburg, 138/km²
        assert_eq!(class("03354"), SettlementClass::DuennBesiedelt); // Lüchow-Dannenberg, 39/km²
        let kreisfrei_small = all()
            .iter()
            .find(|k| k.is_kreisfrei() && k.population < 100_000)
            .expect("the table holds kreisfreie Städte under 100,000 inhabitants");
        assert_eq!(
            kreisfrei_small.settlement_class(),
            SettlementClass::StaedtischerKreis
        );
        for c in SettlementClass::ALL {
            assert_eq!(SettlementClass::from_id(c.id()), Some(c));
        }
    }

    #[test]
    fn names_are_suggested_folded_and_without_kind_words() {
        let names = |q: &str| -> Vec<String> {
            suggest_by_name(q, 3)
                .into_iter()
                .map(|k| k.ags.clone())
                .collect()
        };
        assert_eq!(names("Landkreis Lüchow-Dannenberg")[0], "03354");
        assert_eq!(names("Luechow-Dannenberg")[0], "03354");
        assert_eq!(names("Stadt Flensburg")[0], "01001");
        assert!(names("Lüchow-Danneberg").contains(&"03354".to_string()));
        assert!(names("").is_empty());
    }

    #[test]
    fn similar_places_are_closer() {
        let a = kreis_of("03354").unwrap(); // Lüchow-Dannenberg
        let b = kreis_of("03360").unwrap(); // Uelzen, 63/km²
        let c = kreis_of("11000").unwrap(); // Berlin
        assert!(distance(a, b) < distance(a, c));
        assert_eq!(distance(a, a), 0.0);
    }
}
