//! Deterministic synthetic catalogs for tests and benchmarks.
//!
//! [`generate`] writes a complete site (`content/` with `site.yaml`, the real `vokabular.yaml`,
//! the twelve action fields, the required pages, `n` examples and proportionally many
//! scenarios) from a seed. The same seed and size always give byte-identical files. Text is
//! German-like: sentences from templates filled with compound words built from parts
//! (`Verkehrs` + `steuerung`, `Bürger` + `service` + `portal`), so search analysis (stemming,
//! compound splitting) sees what a real catalog gives it. Every field of the format and every
//! value of every vocabulary occurs (values are cycled first, then drawn at random).
//!
//! `koki bench --generate N --out DIR` calls this; tests call it with small sizes.

use crate::load::slugify;
use crate::model::{
    ActionField, Example, GewinnerVerlierer, Handlungsoption, Kommune, Kontakt, Koordinaten, Legal,
    NavItem, OpenSource, Page, Perspektive, Publisher, Quelle, Scenario, Setting, SiteConfig,
    Uebertragbarkeit, Vocabularies, Zeitraum,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::Path;

/// The real vocabularies, so synthetic entries use exactly the ids the catalog uses.
pub const VOCABULARY_YAML: &str = include_str!("../content/vokabular.yaml");

/// Seed used when none is given.
pub const DEFAULT_SEED: u64 = 0x6b6f_6b69_2026;

/// A small, fast, seedable PRNG (SplitMix64). Good enough for test data; never for secrets.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// An independent stream for item `i` of kind `salt` (stable across sizes).
    pub fn derive(seed: u64, salt: u64, i: u64) -> Rng {
        let mut r = Rng::new(seed ^ salt.wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ i);
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct items (fewer if `items` is shorter), in the order of `items`.
    pub fn subset<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let k = k.min(items.len());
        let mut chosen: Vec<usize> = Vec::with_capacity(k);
        while chosen.len() < k {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i].clone()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Word material

/// The twelve action fields: id, title, short text, order, COFOG codes, compound heads.
struct FieldDef {
    id: &'static str,
    titel: &'static str,
    kurz: &'static str,
    reihenfolge: i32,
    cofog: &'static [&'static str],
    heads: &'static [&'static str],
}

const FIELDS: &[FieldDef] = &[
    FieldDef {
        id: "allgemeine-verwaltung",
        titel: "Allgemeine Verwaltung und Organisation",
        kurz: "KI für Akten, Sitzungen, Personal und das Wissen der Verwaltung.",
        reihenfolge: 1,
        cofog: &["01.3"],
        heads: &[
            "Akten",
            "Dokumenten",
            "Personal",
            "Rats",
            "Sitzungs",
            "Vergabe",
            "Post",
            "Wissens",
            "Verwaltungs",
            "Protokoll",
        ],
    },
    FieldDef {
        id: "buergerservice",
        titel: "Bürgerservice und Kommunikation",
        kurz: "Auskunft, Anträge und Termine rund um die Uhr und in einfacher Sprache.",
        reihenfolge: 2,
        cofog: &["01.3"],
        heads: &[
            "Bürger",
            "Melde",
            "Antrags",
            "Termin",
            "Ausweis",
            "Auskunfts",
            "Telefon",
            "Anliegen",
        ],
    },
    FieldDef {
        id: "finanzen-steuern",
        titel: "Finanzen und Steuern",
        kurz: "Haushalt, Gebühren, Rechnungen und Steuern mit weniger Handarbeit.",
        reihenfolge: 3,
        cofog: &["01.1"],
        heads: &[
            "Haushalts",
            "Steuer",
            "Gebühren",
            "Rechnungs",
            "Kassen",
            "Mahn",
            "Grundsteuer",
            "Buchungs",
        ],
    },
    FieldDef {
        id: "sicherheit-ordnung",
        titel: "Sicherheit, Ordnung und Katastrophenschutz",
        kurz: "Gefahren früher erkennen, Einsätze besser planen, Bevölkerung rechtzeitig warnen.",
        reihenfolge: 4,
        cofog: &["03.1", "03.2"],
        heads: &[
            "Brand",
            "Rettungs",
            "Hochwasser",
            "Katastrophen",
            "Ordnungs",
            "Leitstellen",
            "Warn",
            "Einsatz",
        ],
    },
    FieldDef {
        id: "wirtschaft-arbeit",
        titel: "Wirtschaft, Arbeit und Tourismus",
        kurz: "Gründungen, Gewerbe, Fachkräfte und Gäste gezielt unterstützen.",
        reihenfolge: 5,
        cofog: &["04.1", "04.7"],
        heads: &[
            "Gewerbe",
            "Wirtschafts",
            "Tourismus",
            "Gründungs",
            "Fachkräfte",
            "Standort",
            "Förder",
            "Arbeitsmarkt",
        ],
    },
    FieldDef {
        id: "mobilitaet-verkehr",
        titel: "Mobilität und Verkehr",
        kurz: "Verkehr steuern, Parkraum finden, Busse nach Bedarf fahren lassen.",
        reihenfolge: 6,
        cofog: &["04.5"],
        heads: &[
            "Verkehrs",
            "Parkraum",
            "Ampel",
            "Straßen",
            "Radverkehrs",
            "Nahverkehrs",
            "Rufbus",
            "Baustellen",
        ],
    },
    FieldDef {
        id: "umwelt-klima",
        titel: "Umwelt, Klima und Energie",
        kurz: "Energie sparen, Bäume pflegen, Hitze und Luftqualität im Blick behalten.",
        reihenfolge: 7,
        cofog: &["05.3", "05.4", "05.6"],
        heads: &[
            "Klima",
            "Energie",
            "Baum",
            "Hitze",
            "Luft",
            "Lärm",
            "Grünflächen",
            "Emissions",
        ],
    },
    FieldDef {
        id: "ver-entsorgung",
        titel: "Ver- und Entsorgung",
        kurz: "Abfall, Wasser und Abwasser vorausschauend und effizient organisieren.",
        reihenfolge: 8,
        cofog: &["05.1", "05.2", "06.3"],
        heads: &[
            "Abfall",
            "Wasser",
            "Abwasser",
            "Kanal",
            "Müll",
            "Wertstoff",
            "Kläranlagen",
            "Straßenreinigungs",
        ],
    },
    FieldDef {
        id: "bauen-stadtentwicklung",
        titel: "Bauen, Wohnen und Stadtentwicklung",
        kurz: "Bauanträge schneller prüfen, Flächen planen, Gebäude und Wohnraum verwalten.",
        reihenfolge: 9,
        cofog: &["06.1", "06.2"],
        heads: &[
            "Bau",
            "Bauantrags",
            "Flächen",
            "Stadtplanungs",
            "Gebäude",
            "Wohnungs",
            "Kataster",
            "Liegenschafts",
        ],
    },
    FieldDef {
        id: "gesundheit-pflege",
        titel: "Gesundheit und Pflege",
        kurz: "Gesundheitsämter entlasten und Pflege im ländlichen Raum sichern.",
        reihenfolge: 10,
        cofog: &["07"],
        heads: &[
            "Gesundheits",
            "Pflege",
            "Impf",
            "Hygiene",
            "Pflegeheim",
            "Versorgungs",
            "Notfall",
            "Trinkwasser",
        ],
    },
    FieldDef {
        id: "bildung-kultur",
        titel: "Bildung, Kultur und Freizeit",
        kurz: "Schulen, Bibliotheken, Archive und Museen mit KI zugänglicher machen.",
        reihenfolge: 11,
        cofog: &["08", "09"],
        heads: &[
            "Schul",
            "Bibliotheks",
            "Kultur",
            "Museums",
            "Archiv",
            "Lern",
            "Volkshochschul",
            "Medien",
        ],
    },
    FieldDef {
        id: "soziales-jugend",
        titel: "Soziales, Jugend und Integration",
        kurz: "Leistungen verständlich erklären, Anträge vereinfachen, Hilfe früher anbieten.",
        reihenfolge: 12,
        cofog: &["10"],
        heads: &[
            "Jugend",
            "Sozial",
            "Kita",
            "Integrations",
            "Wohngeld",
            "Eingliederungs",
            "Familien",
            "Sprachkurs",
        ],
    },
];

const MIDDLES: &[&str] = &[
    "daten",
    "service",
    "informations",
    "planungs",
    "melde",
    "such",
    "sprach",
    "bild",
    "kunden",
    "termin",
];

#[derive(Clone, Copy, PartialEq)]
enum Gender {
    F,
    M,
    N,
}

const TAILS: &[(&str, Gender)] = &[
    ("steuerung", Gender::F),
    ("portal", Gender::N),
    ("assistent", Gender::M),
    ("prognose", Gender::F),
    ("planung", Gender::F),
    ("verwaltung", Gender::F),
    ("analyse", Gender::F),
    ("erkennung", Gender::F),
    ("überwachung", Gender::F),
    ("beratung", Gender::F),
    ("bearbeitung", Gender::F),
    ("prüfung", Gender::F),
    ("plattform", Gender::F),
    ("system", Gender::N),
    ("zentrale", Gender::F),
    ("auskunft", Gender::F),
    ("management", Gender::N),
    ("kataster", Gender::N),
    ("register", Gender::N),
    ("dienst", Gender::M),
    ("lotse", Gender::M),
    ("cockpit", Gender::N),
    ("recherche", Gender::F),
    ("übersetzung", Gender::F),
    ("modell", Gender::N),
    ("entsorgung", Gender::F),
    ("optimierung", Gender::F),
    ("bot", Gender::M),
];

/// A generated compound noun with its grammatical gender.
#[derive(Clone)]
struct Compound {
    word: String,
    gender: Gender,
}

impl Compound {
    fn nom(&self) -> String {
        let art = match self.gender {
            Gender::F => "die",
            Gender::M => "der",
            Gender::N => "das",
        };
        format!("{art} {}", self.word)
    }
    fn dat(&self) -> String {
        let art = match self.gender {
            Gender::F => "der",
            Gender::M | Gender::N => "dem",
        };
        format!("{art} {}", self.word)
    }
    fn acc(&self) -> String {
        let art = match self.gender {
            Gender::F => "die",
            Gender::M => "den",
            Gender::N => "das",
        };
        format!("{art} {}", self.word)
    }
    fn gen(&self) -> String {
        match self.gender {
            Gender::F => format!("der {}", self.word),
            Gender::M | Gender::N => format!("des {}s", self.word),
        }
    }
}

fn compound(rng: &mut Rng, field: usize) -> Compound {
    let head = *rng.pick(FIELDS[field].heads);
    let (tail, gender) = *rng.pick(TAILS);
    let mut word = head.to_string();
    if rng.chance(0.3) {
        let middle: &&str = rng.pick(MIDDLES);
        word.push_str(middle);
    }
    word.push_str(tail);
    Compound { word, gender }
}

const TOWN_PREFIX: &[&str] = &[
    "", "", "", "", "", "Bad ", "Neu", "Alt", "Ober", "Nieder", "Groß", "Klein", "Sankt ", "Hohen",
    "Wester", "Oster",
];
const TOWN_ROOT: &[&str] = &[
    "Lichten", "Rosen", "Eichen", "Linden", "Wald", "Berg", "Mühl", "Kirch", "Stein", "Brunn",
    "Hain", "Tann", "Buchen", "Erlen", "Fichten", "Sonnen", "Wiesen", "Birken", "Hasel", "Falken",
    "Schwan", "Adler", "Rot", "Weiß", "Grün", "Blau", "Kalten", "Warm", "Hirsch", "Wolfs", "Bären",
    "Fuchs", "Eschen", "Ahorn", "Weiden", "Moos", "Heide", "Sand", "Kreuz", "Burg",
];
const TOWN_SUFFIX: &[&str] = &[
    "au", "berg", "dorf", "feld", "hausen", "heim", "ingen", "stadt", "tal", "burg", "hagen",
    "rode", "wald", "bach", "furt", "brück", "stedt", "hofen", "kirchen", "born",
];
const RIVERS: &[&str] = &[
    "an der Lahn",
    "an der Mosel",
    "an der Saale",
    "an der Elbe",
    "an der Oder",
    "an der Werra",
    "an der Fulda",
    "an der Ilm",
    "an der Ruhr",
    "an der Lippe",
    "an der Ems",
    "an der Aller",
    "am Main",
    "am Rhein",
    "am Neckar",
];

/// Land key of the AGS for each Bundesland id.
const LAND_KEYS: &[(&str, &str)] = &[
    ("sh", "01"),
    ("hh", "02"),
    ("ni", "03"),
    ("hb", "04"),
    ("nw", "05"),
    ("he", "06"),
    ("rp", "07"),
    ("bw", "08"),
    ("by", "09"),
    ("sl", "10"),
    ("be", "11"),
    ("bb", "12"),
    ("mv", "13"),
    ("sn", "14"),
    ("st", "15"),
    ("th", "16"),
];

const COMPANY_PARTS: &[&str] = &[
    "Daten",
    "Kommunal",
    "Civic",
    "Stadt",
    "Netz",
    "Wissens",
    "Regio",
    "Verwaltungs",
    "Land",
    "Bürger",
];
const COMPANY_TAILS: &[&str] = &[
    "werk GmbH",
    "labor GmbH",
    "systeme AG",
    "logik GmbH",
    "wert eG",
    "dienste GmbH",
    "IT AöR",
];
const PROGRAMMES: &[&str] = &[
    "Modellprojekte Smart Cities",
    "Digitalbonus Kommune",
    "KI-Förderprogramm des Landes",
    "EFRE Innovation",
    "Zukunftsfonds Verwaltung",
    "Interreg Nordsee",
    "Programm Digitale Dörfer",
];
const LICENSES: &[&str] = &[
    "EUPL-1.2",
    "MIT",
    "Apache-2.0",
    "GPL-3.0-or-later",
    "AGPL-3.0",
];

/// A sentence template: `{n1}`/`{d1}`/`{a1}`/`{g1}`/`{k1}` = first compound in nominative,
/// dative, accusative, genitive, bare; `2` the second; `{ort}`, `{n}`, `{p}`, `{jahr}`,
/// `{tech}` fill in the rest.
type Templates = &'static [&'static str];

const AUSGANGSLAGE: Templates = &[
    "In {ort} stieg die Zahl der Anfragen zu {d1} in den letzten Jahren deutlich an.",
    "{N1} band viel Arbeitszeit, während gleichzeitig Fachkräfte in {d2} fehlten.",
    "Vor dem Projekt wurden {n1} und {n2} überwiegend von Hand erledigt.",
    "Die Verwaltung wollte {a1} verbessern und Wartezeiten bei {d2} verkürzen.",
    "Rund {n} Vorgänge im Jahr liefen bislang über Papierformulare, Telefon und E-Mail.",
    "Seit {jahr} verlangt der Rat einen Bericht über den Zustand {g1}.",
];
const LOESUNG: &[&str] = &[
    "Eine Anwendung der {tech} unterstützt {a1} und schlägt passende Schritte für {a2} vor.",
    "Das System wertet Daten aus {d1} aus und erstellt daraus eine tägliche Übersicht.",
    "Die Beschäftigten prüfen jeden Vorschlag, bevor er in {a1} übernommen wird.",
    "Über eine offene Schnittstelle ist die Lösung mit {d2} verbunden.",
    "Die Lösung läuft im kommunalen Rechenzentrum und nutzt ein offenes Sprachmodell.",
    "Ein Dashboard zeigt den Stand {g1} und markiert Auffälligkeiten farbig.",
];
const DATEN: &[&str] = &[
    "Grundlage sind anonymisierte Daten aus {n} Vorgängen {g1}.",
    "Personenbezogene Daten werden vor der Auswertung pseudonymisiert und nach {p} Tagen gelöscht.",
    "Zusätzlich fließen offene Daten des Landes und Messwerte aus {d2} ein.",
    "Die Trainingsdaten stammen aus {jahr} und wurden von der Fachabteilung geprüft.",
];
const WIRKUNG: &[&str] = &[
    "Die Bearbeitungszeit bei {d1} sank um etwa {p} Prozent.",
    "Nach Angaben der Verwaltung spart {n1} dem Team rund {n} Stunden im Jahr.",
    "Bürgerinnen und Bürger erhalten Auskünfte zu {d2} jetzt auch abends und am Wochenende.",
    "Eine Auswertung nach {p} Monaten zeigte weniger Rückfragen und schnellere Bescheide.",
];
const BESCHAEFTIGTE: &[&str] = &[
    "Der Personalrat war von Beginn an eingebunden und hat einer Dienstvereinbarung zugestimmt.",
    "In Workshops haben Beschäftigte {g1} ihre Anforderungen formuliert.",
    "Eine Befragung mit {n} Teilnehmenden begleitete die Einführung {g2}.",
    "Schulungen zur {tech} fanden in kleinen Gruppen direkt am Arbeitsplatz statt.",
];
const GEMEINWOHL: &[&str] = &[
    "Fehler {g1} werden durch eine menschliche Prüfung abgefangen.",
    "Die Verwaltung veröffentlicht, welche Daten {n1} verwendet und wie lange sie gespeichert werden.",
    "Ein Risiko bleibt die Abhängigkeit von einem einzelnen Anbieter.",
    "Damit niemand ausgeschlossen wird, bleibt der persönliche Weg zu {d2} offen.",
];
const HERAUSFORDERUNGEN: &[&str] = &[
    "Die Datenqualität bei {d1} war anfangs uneinheitlich.",
    "Die Beschaffung dauerte länger als geplant, weil Vergaberecht und Datenschutz geklärt werden mussten.",
    "Die Akzeptanz wuchs erst, als {n1} sichtbar Arbeit abnahm.",
    "Schwierig war die Anbindung an {a2}, die noch aus dem Jahr {jahr} stammt.",
];
const UEBERTRAGBARKEIT: &[&str] = &[
    "Andere Kommunen können {a1} mit überschaubarem Aufwand übernehmen.",
    "Voraussetzung ist eine digitale Grundlage für {a2} mit sauber gepflegten Stammdaten.",
    "Die Projektgruppe teilt ihre Unterlagen und berät interessierte Verwaltungen.",
    "Besonders kleinere Gemeinden profitieren, wenn sie {a1} gemeinsam mit Nachbarn betreiben.",
];

/// The recommended sections of an example body and their sentence pools.
const SECTIONS: &[(&str, Templates)] = &[
    ("Ausgangslage", AUSGANGSLAGE),
    ("Lösung und Funktionsweise", LOESUNG),
    ("Daten", DATEN),
    ("Wirkung", WIRKUNG),
    ("Beschäftigte und Beteiligung", BESCHAEFTIGTE),
    ("Gemeinwohl und Risiken", GEMEINWOHL),
    ("Herausforderungen und Erkenntnisse", HERAUSFORDERUNGEN),
    ("Übertragbarkeit", UEBERTRAGBARKEIT),
];

const SCENARIO_SENTENCES: Templates = &[
    "Im Jahr {jahr} ist {n1} in {ort} selbstverständlich geworden.",
    "Morgens meldet {n2}, wo es Engpässe gibt, und schlägt Lösungen vor.",
    "Nicht alle profitieren: Wer kein Smartphone hat, erfährt von {d1} oft zu spät.",
    "Der Rat streitet darüber, wie viel Entscheidung man {d2} überlassen darf.",
    "Die Beschäftigten haben neue Aufgaben: Sie prüfen, erklären und verbessern {a1}.",
    "Gleichzeitig wächst die Abhängigkeit von wenigen Anbietern und ihren Modellen.",
    "Auf dem Land übernehmen Nachbargemeinden {a2} gemeinsam.",
    "Rund {p} Prozent der Anliegen werden ohne Wartezeit erledigt.",
];

/// Fill a template.
struct Fill<'a> {
    k1: &'a Compound,
    k2: &'a Compound,
    ort: &'a str,
    tech: &'a str,
}

fn fill(t: &str, f: &Fill<'_>, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(t.len() + 40);
    let mut rest = t;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find('}').expect("template braces are closed");
        let key = &rest[start + 1..end];
        let value = match key {
            "n1" => f.k1.nom(),
            "N1" => capitalize(&f.k1.nom()),
            "d1" => f.k1.dat(),
            "a1" => f.k1.acc(),
            "g1" => f.k1.gen(),
            "k1" => f.k1.word.clone(),
            "n2" => f.k2.nom(),
            "d2" => f.k2.dat(),
            "a2" => f.k2.acc(),
            "g2" => f.k2.gen(),
            "k2" => f.k2.word.clone(),
            "ort" => f.ort.to_string(),
            "tech" => f.tech.to_string(),
            "n" => crate::render::format_number(rng.range(20, 48_000) as u64),
            "p" => rng.range(5, 60).to_string(),
            "jahr" => rng.range(2012, 2024).to_string(),
            other => other.to_string(),
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Municipalities

#[derive(Clone)]
struct Town {
    name: String,
    slug: String,
    land: String,
    ags: String,
    einwohner: u64,
    gemeindetyp: &'static str,
    laendlichkeit: &'static str,
    lat: f64,
    lon: f64,
}

/// An 8-digit key whose first five digits are a real Kreis of the Land (so the build can
/// derive Kreis facts), followed by an invented three-digit Gemeinde number.
fn synthetic_gemeinde_key(land_key: &str, i: usize, rng: &mut Rng) -> String {
    let kreise: Vec<&str> = crate::places::all()
        .iter()
        .map(|k| k.ags.as_str())
        .filter(|ags| ags.starts_with(land_key))
        .collect();
    let kreis = kreise[rng.below(kreise.len())];
    format!("{kreis}{:03}", (i * 7919 + rng.below(997)) % 1_000)
}

fn town(seed: u64, i: usize) -> Town {
    let mut rng = Rng::derive(seed, 1, i as u64);
    let prefix = *rng.pick(TOWN_PREFIX);
    let root = *rng.pick(TOWN_ROOT);
    let suffix = *rng.pick(TOWN_SUFFIX);
    let root = if prefix.is_empty() || prefix.ends_with(' ') {
        root.to_string()
    } else {
        root.to_lowercase()
    };
    let mut name = format!("{prefix}{root}{suffix}");
    if rng.chance(0.12) {
        name = format!("{name} {}", rng.pick(RIVERS));
    }
    // Every Land occurs (the first 16 towns); city states are rare, the rest is uniform.
    let (land, key) = if i < LAND_KEYS.len() {
        LAND_KEYS[i]
    } else {
        loop {
            let (l, k) = *rng.pick(LAND_KEYS);
            if !matches!(l, "be" | "hh" | "hb") || rng.chance(0.15) {
                break (l, k);
            }
        }
    };
    let ags = synthetic_gemeinde_key(key, i, &mut rng);
    // Log-uniform population: many small municipalities, few big cities.
    let einwohner = (800f64 * (1_500_000f64 / 800f64).powf(rng.unit())) as u64;
    let gemeindetyp = match einwohner {
        n if n >= 100_000 => "grossstadt",
        n if n >= 20_000 => "mittelstadt",
        n if n >= 5_000 => "kleinstadt",
        _ => "landgemeinde",
    };
    let laendlichkeit = match gemeindetyp {
        "grossstadt" => "nicht_laendlich",
        "mittelstadt" => *rng.pick(&["nicht_laendlich", "eher_laendlich"]),
        _ => *rng.pick(&["eher_laendlich", "sehr_laendlich"]),
    };
    Town {
        slug: slugify(&name),
        name,
        land: land.to_string(),
        ags,
        einwohner,
        gemeindetyp,
        laendlichkeit,
        lat: ((47.5 + rng.unit() * 7.3) * 1000.0).round() / 1000.0,
        lon: ((6.2 + rng.unit() * 8.6) * 1000.0).round() / 1000.0,
    }
}

// ---------------------------------------------------------------------------------------------
// Generation

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub examples: usize,
    pub scenarios: usize,
    pub fields: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    /// Words of all Markdown bodies.
    pub body_words: u64,
}

/// Number of scenarios generated along with `examples` examples.
pub fn scenario_count(examples: usize) -> usize {
    (examples / 10).max(12)
}

/// Vocabulary ids of `name` in file order.
fn ids(vocab: &Vocabularies, name: &str) -> Vec<String> {
    vocab
        .get(name)
        .map(|v| v.keys().cloned().collect())
        .unwrap_or_default()
}

struct Vocab {
    v: BTreeMap<&'static str, Vec<String>>,
    labels: Vocabularies,
}

impl Vocab {
    fn load() -> Vocab {
        let labels: Vocabularies =
            serde_yaml::from_str(VOCABULARY_YAML).expect("the shipped vokabular.yaml parses");
        let mut v = BTreeMap::new();
        let registry = koki_model::fields::Registry::builtin();
        for name in crate::validate::required_vocabularies(&registry) {
            v.insert(name, ids(&labels, name));
        }
        Vocab { v, labels }
    }

    fn all(&self, name: &str) -> &[String] {
        self.v.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// One value: item `i` takes the `i`-th value first, so every value occurs once `i` has
    /// passed the vocabulary's size; after that values are drawn at random.
    fn one(&self, name: &str, i: usize, rng: &mut Rng) -> String {
        let all = self.all(name);
        if i < all.len() {
            all[i].clone()
        } else {
            rng.pick(all).clone()
        }
    }

    /// One to `max` distinct values, the cycled one among them.
    fn many(&self, name: &str, i: usize, rng: &mut Rng, max: usize) -> Vec<String> {
        let all = self.all(name);
        let first = self.one(name, i, rng);
        let k = rng.range(1, max as i64) as usize;
        let mut out = vec![first];
        for v in rng.subset(all, k) {
            if !out.contains(&v) && out.len() < k {
                out.push(v);
            }
        }
        out.sort_by_key(|v| all.iter().position(|x| x == v));
        out
    }

    fn label<'a>(&'a self, name: &str, id: &'a str) -> &'a str {
        self.labels
            .get(name)
            .and_then(|v| v.get(id))
            .map(|e| e.label.as_str())
            .unwrap_or(id)
    }
}

fn date(rng: &mut Rng, from_year: i32, to_year: i32) -> String {
    let y = rng.range(from_year as i64, to_year as i64);
    let m = rng.range(1, 12);
    let d = rng.range(1, 28);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date in 2025-06 ..= 2026-10, recent enough not to be reported stale for a while.
fn recent_date(rng: &mut Rng) -> String {
    let k = rng.range(0, 16);
    let (y, m) = (2025 + (5 + k) / 12, (5 + k) % 12 + 1);
    format!("{y:04}-{m:02}-{:02}", rng.range(1, 28))
}

fn to_front_matter<T: Serialize>(meta: &T, body: &str) -> String {
    let yaml = serde_yaml::to_string(meta).expect("model serialises");
    format!("---\n{yaml}---\n\n{body}")
}

/// Optional field present? Always for the first items (so every field occurs), else with
/// probability `p`.
fn present(rng: &mut Rng, i: usize, p: f64) -> bool {
    i < 24 || rng.chance(p)
}

struct Writer<'a> {
    root: &'a Path,
    summary: Summary,
}

impl Writer<'_> {
    fn write(&mut self, rel: &str, text: &str) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text)?;
        self.summary.files += 1;
        self.summary.bytes += text.len() as u64;
        Ok(())
    }
}

fn word_count(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

/// Paragraphs of 2–3 sentences from `pool`.
fn paragraph(pool: Templates, f: &Fill<'_>, rng: &mut Rng, sentences: usize) -> String {
    let picked = rng.subset(pool, sentences);
    picked
        .iter()
        .map(|t| fill(t, f, rng))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A plan of one example made before any file is written (ids are needed for references).
struct Planned {
    id: String,
    field: usize,
    town: usize,
    k1: Compound,
    k2: Compound,
    tech: String,
}

/// Write a synthetic site with `examples` examples into `root` (creates `root/content/`).
/// Existing files are overwritten; nothing else is removed.
pub fn generate(root: &Path, examples: usize, seed: u64) -> io::Result<Summary> {
    let vocab = Vocab::load();
    let mut w = Writer {
        root,
        summary: Summary::default(),
    };
    w.write("content/vokabular.yaml", VOCABULARY_YAML)?;
    write_site(&mut w)?;
    write_pages(&mut w)?;
    write_fields(&mut w, seed)?;

    let towns: Vec<Town> = (0..(examples / 4).max(30)).map(|i| town(seed, i)).collect();
    let n_scen = scenario_count(examples);

    // Plan examples: ids, fields, towns, the two main compounds.
    let mut taken: HashSet<String> = HashSet::new();
    let mut planned: Vec<Planned> = Vec::with_capacity(examples);
    let mut by_field: Vec<Vec<usize>> = vec![Vec::new(); FIELDS.len()];
    for i in 0..examples {
        let mut rng = Rng::derive(seed, 2, i as u64);
        let field = if i < FIELDS.len() {
            i
        } else {
            rng.below(FIELDS.len())
        };
        let town = if i < towns.len() {
            i
        } else {
            rng.below(towns.len())
        };
        let k1 = compound(&mut rng, field);
        let k2 = compound(&mut rng, field);
        let tech = vocab.one("ki_technik", i, &mut rng);
        let base = format!("{}-{}", towns[town].slug, slugify(&k1.word));
        let mut id = base.clone();
        let mut n = 2;
        while !taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        by_field[field].push(i);
        planned.push(Planned {
            id,
            field,
            town,
            k1,
            k2,
            tech,
        });
    }

    // Plan scenarios: ids and fields.
    let scen_plan: Vec<(String, usize, Compound, u32)> = (0..n_scen)
        .map(|j| {
            let mut rng = Rng::derive(seed, 3, j as u64);
            let field = j % FIELDS.len();
            let k = compound(&mut rng, field);
            let year = rng.range(2028, 2045) as u32;
            let id = format!(
                "{}-{}-{}-{year}",
                FIELDS[field].id.split('-').next().unwrap_or("feld"),
                slugify(&k.word),
                j + 1
            );
            (id, field, k, year)
        })
        .collect();
    let mut scen_by_field: Vec<Vec<usize>> = vec![Vec::new(); FIELDS.len()];
    for (j, (_, f, _, _)) in scen_plan.iter().enumerate() {
        scen_by_field[*f].push(j);
    }

    let mut pstw = 10_000;
    for (i, p) in planned.iter().enumerate() {
        let mut rng = Rng::derive(seed, 4, i as u64);
        let t = &towns[p.town];
        let ex = example(
            i,
            p,
            &planned,
            &by_field,
            &scen_plan,
            &scen_by_field,
            &towns,
            &vocab,
            &mut rng,
            &mut pstw,
        );
        let body = example_body(i, p, &planned, &by_field, t, &vocab, &mut rng);
        w.summary.body_words += word_count(&body);
        w.write(
            &format!("content/beispiele/{}.md", p.id),
            &to_front_matter(&ex, &body),
        )?;
        w.summary.examples += 1;
    }

    for (j, (id, field, k, year)) in scen_plan.iter().enumerate() {
        let mut rng = Rng::derive(seed, 5, j as u64);
        let (s, body) = scenario(j, *field, k, *year, &planned, &by_field, &vocab, &mut rng);
        w.summary.body_words += word_count(&body);
        w.write(
            &format!("content/szenarien/{id}.md"),
            &to_front_matter(&s, &body),
        )?;
        w.summary.scenarios += 1;
    }
    Ok(w.summary)
}

fn write_site(w: &mut Writer<'_>) -> io::Result<()> {
    let nav = |titel: &str, pfad: &str| NavItem {
        titel: titel.into(),
        pfad: pfad.into(),
    };
    let site = SiteConfig {
        titel: "Kommunen & KI (synthetisch)".into(),
        untertitel: Some("Erzeugter Testkatalog für Messungen – keine realen Vorhaben".into()),
        beschreibung: Some(
            "Synthetischer Katalog mit erfundenen Beispielen und Szenarien zum Messen von koki."
                .into(),
        ),
        base_url: "https://katalog.example/".into(),
        sprache: "de".into(),
        herausgeber: Publisher {
            name: "Testredaktion Kommunen & KI".into(),
            url: Some("https://katalog.example/".into()),
        },
        repository: Some("https://code.example/koki/synthetisch".into()),
        repository_zweig: None,
        einreichung_email: None,
        navigation: vec![
            nav("Beispiele", "beispiele/"),
            nav("Handlungsfelder", "handlungsfelder/"),
            nav("Szenarien", "szenarien/"),
            nav("Filter", "filter/"),
            nav("Suche", "suche/"),
            nav("Leitfragen", "seiten/leitfragen/"),
            nav("Über den Katalog", "seiten/ueber/"),
        ],
        rechtliches: Legal {
            impressum: Some("impressum".into()),
            datenschutz: Some("datenschutz".into()),
            barrierefreiheit: Some("barrierefreiheit".into()),
        },
    };
    let yaml = serde_yaml::to_string(&site).expect("site serialises");
    w.write(
        "content/site.yaml",
        &format!("# Synthetischer Katalog (koki bench --generate).\n{yaml}"),
    )
}

fn write_pages(w: &mut Writer<'_>) -> io::Result<()> {
    let pages: &[(&str, &str, i32, &str)] = &[
        ("ueber", "Über den Katalog", 1, "Dieser Katalog ist **synthetisch**: alle Beispiele, Kommunen und Szenarien sind erfunden. Er dient dazu, die Geschwindigkeit und den Speicherbedarf von koki zu messen."),
        ("leitfragen", "Leitfragen", 2, "Bevor eine Kommune KI einsetzt, klärt sie Ziel, Daten, Beteiligung und Verantwortung.\n\n## Ziel\n\nWelches Problem soll gelöst werden?\n\n## Daten\n\nWelche Daten gibt es, und wer darf sie nutzen?\n\n## Beteiligung\n\nWer wird wann eingebunden?"),
        ("mitmachen", "Mitmachen", 3, "Beispiele werden per Pull Request ergänzt. Prüfen Sie neue Einträge mit `koki check`."),
        ("impressum", "Impressum", 90, "Testredaktion Kommunen & KI, Musterstraße 1, 12345 Musterstadt."),
        ("datenschutz", "Datenschutz", 91, "Diese Site setzt keine Cookies und lädt nichts von fremden Servern."),
        ("barrierefreiheit", "Barrierefreiheit", 92, "Die Site soll die Anforderungen der BITV 2.0 erfüllen."),
    ];
    for (id, titel, reihenfolge, body) in pages {
        let meta = Page {
            titel: (*titel).into(),
            beschreibung: Some(format!("{titel} – synthetischer Testkatalog")),
            reihenfolge: *reihenfolge,
        };
        w.write(
            &format!("content/seiten/{id}.md"),
            &to_front_matter(&meta, &format!("{body}\n")),
        )?;
        w.summary.pages += 1;
    }
    Ok(())
}

fn write_fields(w: &mut Writer<'_>, seed: u64) -> io::Result<()> {
    for (i, f) in FIELDS.iter().enumerate() {
        let mut rng = Rng::derive(seed, 6, i as u64);
        let meta = ActionField {
            titel: f.titel.into(),
            kurz: f.kurz.into(),
            reihenfolge: f.reihenfolge,
            cofog: f.cofog.iter().map(|c| c.to_string()).collect(),
        };
        let mut body = String::new();
        for (heading, pool) in [
            ("Aufgaben", AUSGANGSLAGE),
            ("Was KI hier leisten kann", LOESUNG),
            ("Worauf Kommunen achten", GEMEINWOHL),
        ] {
            let k1 = compound(&mut rng, i);
            let k2 = compound(&mut rng, i);
            let fl = Fill {
                k1: &k1,
                k2: &k2,
                ort: "vielen Kommunen",
                tech: "Sprachverarbeitung",
            };
            body.push_str(&format!("## {heading}\n\n"));
            for _ in 0..2 {
                body.push_str(&paragraph(pool, &fl, &mut rng, 4));
                body.push_str("\n\n");
            }
        }
        w.summary.body_words += word_count(&body);
        w.write(
            &format!("content/handlungsfelder/{}.md", f.id),
            &to_front_matter(&meta, &body),
        )?;
        w.summary.fields += 1;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn example(
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
        anwendungstyp: if present(rng, i, 0.8) {
            vocab.many("anwendungstyp", i, rng, 2)
        } else {
            Vec::new()
        },
        interaktion: if present(rng, i, 0.75) {
            vocab.many("interaktion", i, rng, 2)
        } else {
            Vec::new()
        },
        entscheidungsrolle: opt(rng, "entscheidungsrolle", 0.6),
        zeitraum: present(rng, i, 0.75).then(|| Zeitraum {
            start,
            ende: (rng.chance(0.2)).then(|| start + rng.range(0, 3) as i32),
        }),
        motivation: if present(rng, i, 0.7) {
            vocab.many("motivation", i, rng, 3)
        } else {
            Vec::new()
        },
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
        zielgruppen: if present(rng, i, 0.6) {
            vocab.many("zielgruppen", i, rng, 2)
        } else {
            Vec::new()
        },
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
        weitere: BTreeMap::new(),
    }
}

fn example_body(
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
fn scenario(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        let mut r = Rng::new(1);
        for _ in 0..1000 {
            assert!(r.below(5) < 5);
            let x = r.range(-2, 2);
            assert!((-2..=2).contains(&x));
        }
    }

    #[test]
    fn compounds_are_german_like() {
        let mut r = Rng::new(3);
        let c = compound(&mut r, 5);
        assert!(c.word.chars().next().unwrap().is_uppercase());
        assert!(!c.word.contains(' '));
        assert!(c.word.len() > 8);
    }
}

#[cfg(test)]
mod site_tests {
    use super::*;

    #[test]
    fn generated_site_passes_check_and_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let sa = generate(&a, 200, DEFAULT_SEED).unwrap();
        let sb = generate(&b, 200, DEFAULT_SEED).unwrap();
        assert_eq!(sa.examples, 200);
        assert_eq!(sa.scenarios, scenario_count(200));
        assert_eq!(sa.bytes, sb.bytes);
        for e in walkdir::WalkDir::new(&a).sort_by_file_name() {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&a).unwrap();
                let other = std::fs::read(b.join(rel)).unwrap();
                assert!(std::fs::read(e.path()).unwrap() == other, "{rel:?} differs");
            }
        }
        let one = std::fs::read_dir(a.join("content/beispiele"))
            .unwrap()
            .count();
        assert_eq!(one, 200);
        // Load and validate (what `koki build` checks); `tests/bench.rs` also runs `koki check`.
        if let Err(diags) = crate::build::load_catalog(&a, None) {
            panic!("{}", diags.render_human());
        }
    }
}
