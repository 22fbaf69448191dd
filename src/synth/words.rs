//! Word material: action fields with their compound parts, town names, companies, sentence templates.

use super::*;

/// The twelve action fields: id, title, short text, order, COFOG codes, compound heads.
pub(super) struct FieldDef {
    pub(super) id: &'static str,
    pub(super) titel: &'static str,
    pub(super) kurz: &'static str,
    pub(super) reihenfolge: i32,
    pub(super) cofog: &'static [&'static str],
    pub(super) heads: &'static [&'static str],
}

pub(super) const FIELDS: &[FieldDef] = &[
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

pub(super) const MIDDLES: &[&str] = &[
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
pub(super) enum Gender {
    F,
    M,
    N,
}

pub(super) const TAILS: &[(&str, Gender)] = &[
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
pub(super) struct Compound {
    pub(super) word: String,
    pub(super) gender: Gender,
}

impl Compound {
    pub(super) fn nom(&self) -> String {
        let art = match self.gender {
            Gender::F => "die",
            Gender::M => "der",
            Gender::N => "das",
        };
        format!("{art} {}", self.word)
    }
    pub(super) fn dat(&self) -> String {
        let art = match self.gender {
            Gender::F => "der",
            Gender::M | Gender::N => "dem",
        };
        format!("{art} {}", self.word)
    }
    pub(super) fn acc(&self) -> String {
        let art = match self.gender {
            Gender::F => "die",
            Gender::M => "den",
            Gender::N => "das",
        };
        format!("{art} {}", self.word)
    }
    pub(super) fn gen(&self) -> String {
        match self.gender {
            Gender::F => format!("der {}", self.word),
            Gender::M | Gender::N => format!("des {}s", self.word),
        }
    }
}

pub(super) fn compound(rng: &mut Rng, field: usize) -> Compound {
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

pub(super) const TOWN_PREFIX: &[&str] = &[
    "", "", "", "", "", "Bad ", "Neu", "Alt", "Ober", "Nieder", "Groß", "Klein", "Sankt ", "Hohen",
    "Wester", "Oster",
];
pub(super) const TOWN_ROOT: &[&str] = &[
    "Lichten", "Rosen", "Eichen", "Linden", "Wald", "Berg", "Mühl", "Kirch", "Stein", "Brunn",
    "Hain", "Tann", "Buchen", "Erlen", "Fichten", "Sonnen", "Wiesen", "Birken", "Hasel", "Falken",
    "Schwan", "Adler", "Rot", "Weiß", "Grün", "Blau", "Kalten", "Warm", "Hirsch", "Wolfs", "Bären",
    "Fuchs", "Eschen", "Ahorn", "Weiden", "Moos", "Heide", "Sand", "Kreuz", "Burg",
];
pub(super) const TOWN_SUFFIX: &[&str] = &[
    "au", "berg", "dorf", "feld", "hausen", "heim", "ingen", "stadt", "tal", "burg", "hagen",
    "rode", "wald", "bach", "furt", "brück", "stedt", "hofen", "kirchen", "born",
];
pub(super) const RIVERS: &[&str] = &[
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
pub(super) const LAND_KEYS: &[(&str, &str)] = &[
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

pub(super) const COMPANY_PARTS: &[&str] = &[
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
pub(super) const COMPANY_TAILS: &[&str] = &[
    "werk GmbH",
    "labor GmbH",
    "systeme AG",
    "logik GmbH",
    "wert eG",
    "dienste GmbH",
    "IT AöR",
];
pub(super) const PROGRAMMES: &[&str] = &[
    "Modellprojekte Smart Cities",
    "Digitalbonus Kommune",
    "KI-Förderprogramm des Landes",
    "EFRE Innovation",
    "Zukunftsfonds Verwaltung",
    "Interreg Nordsee",
    "Programm Digitale Dörfer",
];
pub(super) const LICENSES: &[&str] = &[
    "EUPL-1.2",
    "MIT",
    "Apache-2.0",
    "GPL-3.0-or-later",
    "AGPL-3.0",
];

/// A sentence template: `{n1}`/`{d1}`/`{a1}`/`{g1}`/`{k1}` = first compound in nominative,
/// dative, accusative, genitive, bare; `2` the second; `{ort}`, `{n}`, `{p}`, `{jahr}`,
/// `{tech}` fill in the rest.
pub(super) type Templates = &'static [&'static str];

pub(super) const AUSGANGSLAGE: Templates = &[
    "In {ort} stieg die Zahl der Anfragen zu {d1} in den letzten Jahren deutlich an.",
    "{N1} band viel Arbeitszeit, während gleichzeitig Fachkräfte in {d2} fehlten.",
    "Vor dem Projekt wurden {n1} und {n2} überwiegend von Hand erledigt.",
    "Die Verwaltung wollte {a1} verbessern und Wartezeiten bei {d2} verkürzen.",
    "Rund {n} Vorgänge im Jahr liefen bislang über Papierformulare, Telefon und E-Mail.",
    "Seit {jahr} verlangt der Rat einen Bericht über den Zustand {g1}.",
];
pub(super) const LOESUNG: &[&str] = &[
    "Eine Anwendung der {tech} unterstützt {a1} und schlägt passende Schritte für {a2} vor.",
    "Das System wertet Daten aus {d1} aus und erstellt daraus eine tägliche Übersicht.",
    "Die Beschäftigten prüfen jeden Vorschlag, bevor er in {a1} übernommen wird.",
    "Über eine offene Schnittstelle ist die Lösung mit {d2} verbunden.",
    "Die Lösung läuft im kommunalen Rechenzentrum und nutzt ein offenes Sprachmodell.",
    "Ein Dashboard zeigt den Stand {g1} und markiert Auffälligkeiten farbig.",
];
pub(super) const DATEN: &[&str] = &[
    "Grundlage sind anonymisierte Daten aus {n} Vorgängen {g1}.",
    "Personenbezogene Daten werden vor der Auswertung pseudonymisiert und nach {p} Tagen gelöscht.",
    "Zusätzlich fließen offene Daten des Landes und Messwerte aus {d2} ein.",
    "Die Trainingsdaten stammen aus {jahr} und wurden von der Fachabteilung geprüft.",
];
pub(super) const WIRKUNG: &[&str] = &[
    "Die Bearbeitungszeit bei {d1} sank um etwa {p} Prozent.",
    "Nach Angaben der Verwaltung spart {n1} dem Team rund {n} Stunden im Jahr.",
    "Bürgerinnen und Bürger erhalten Auskünfte zu {d2} jetzt auch abends und am Wochenende.",
    "Eine Auswertung nach {p} Monaten zeigte weniger Rückfragen und schnellere Bescheide.",
];
pub(super) const BESCHAEFTIGTE: &[&str] = &[
    "Der Personalrat war von Beginn an eingebunden und hat einer Dienstvereinbarung zugestimmt.",
    "In Workshops haben Beschäftigte {g1} ihre Anforderungen formuliert.",
    "Eine Befragung mit {n} Teilnehmenden begleitete die Einführung {g2}.",
    "Schulungen zur {tech} fanden in kleinen Gruppen direkt am Arbeitsplatz statt.",
];
pub(super) const GEMEINWOHL: &[&str] = &[
    "Fehler {g1} werden durch eine menschliche Prüfung abgefangen.",
    "Die Verwaltung veröffentlicht, welche Daten {n1} verwendet und wie lange sie gespeichert werden.",
    "Ein Risiko bleibt die Abhängigkeit von einem einzelnen Anbieter.",
    "Damit niemand ausgeschlossen wird, bleibt der persönliche Weg zu {d2} offen.",
];
pub(super) const HERAUSFORDERUNGEN: &[&str] = &[
    "Die Datenqualität bei {d1} war anfangs uneinheitlich.",
    "Die Beschaffung dauerte länger als geplant, weil Vergaberecht und Datenschutz geklärt werden mussten.",
    "Die Akzeptanz wuchs erst, als {n1} sichtbar Arbeit abnahm.",
    "Schwierig war die Anbindung an {a2}, die noch aus dem Jahr {jahr} stammt.",
];
pub(super) const UEBERTRAGBARKEIT: &[&str] = &[
    "Andere Kommunen können {a1} mit überschaubarem Aufwand übernehmen.",
    "Voraussetzung ist eine digitale Grundlage für {a2} mit sauber gepflegten Stammdaten.",
    "Die Projektgruppe teilt ihre Unterlagen und berät interessierte Verwaltungen.",
    "Besonders kleinere Gemeinden profitieren, wenn sie {a1} gemeinsam mit Nachbarn betreiben.",
];

/// The recommended sections of an example body and their sentence pools.
pub(super) const SECTIONS: &[(&str, Templates)] = &[
    ("Ausgangslage", AUSGANGSLAGE),
    ("Lösung und Funktionsweise", LOESUNG),
    ("Daten", DATEN),
    ("Wirkung", WIRKUNG),
    ("Beschäftigte und Beteiligung", BESCHAEFTIGTE),
    ("Gemeinwohl und Risiken", GEMEINWOHL),
    ("Herausforderungen und Erkenntnisse", HERAUSFORDERUNGEN),
    ("Übertragbarkeit", UEBERTRAGBARKEIT),
];

pub(super) const SCENARIO_SENTENCES: Templates = &[
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
pub(super) struct Fill<'a> {
    pub(super) k1: &'a Compound,
    pub(super) k2: &'a Compound,
    pub(super) ort: &'a str,
    pub(super) tech: &'a str,
}

pub(super) fn fill(t: &str, f: &Fill<'_>, rng: &mut Rng) -> String {
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

pub(super) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
