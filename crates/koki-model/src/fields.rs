//! The field registry: every front-matter field of an example, declared once, with what each
//! output does with it. The fact box, the CSV export, the filter pages, the search facets,
//! validation, the JSON Schema, `koki new` and the submission form read this table instead of
//! keeping their own lists.
//!
//! Adding an optional vocabulary field is one [`FieldSpec`] here (see [`FieldSpec::vocabulary`])
//! plus its vocabulary in `vokabular.yaml`. Such a field needs no Rust field in
//! [`Example`]: its values live in [`Example::weitere`], keyed by the field's key, and every
//! reader gets them through [`vocab_values`]. Fields with a structure of their own (dates,
//! numbers, nested records) are Rust fields of [`Example`] and are described here too; their
//! outputs are written by the consumer that knows the structure.
//!
//! The registry is a value ([`Registry`]) so a site build can be given a different one; the
//! build uses [`Registry::builtin`]. The order of [`Registry::fields`] is the order of the fact
//! box rows and of the CSV columns.

use crate::model::Example;
use serde_json::Value as Json;
use std::sync::{Arc, OnceLock};

/// Group of the fact box a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Wo,
    Was,
    Wie,
    Wirkung,
    Beteiligung,
    Geld,
    Eintrag,
}

impl Group {
    /// Display order of the groups.
    pub const ALL: [Group; 7] = [
        Group::Wo,
        Group::Was,
        Group::Wie,
        Group::Wirkung,
        Group::Beteiligung,
        Group::Geld,
        Group::Eintrag,
    ];

    /// Id used in HTML (`id` attributes) and templates.
    pub fn id(self) -> &'static str {
        match self {
            Group::Wo => "wo",
            Group::Was => "was",
            Group::Wie => "wie",
            Group::Wirkung => "wirkung",
            Group::Beteiligung => "beteiligung",
            Group::Geld => "geld",
            Group::Eintrag => "eintrag",
        }
    }
}

/// What values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One id of the named vocabulary.
    Vocab(&'static str),
    /// A list of ids of the named vocabulary.
    VocabList(&'static str),
    /// A value the build derives from other fields (not written by contributors), with the
    /// vocabulary of its ids if it has one.
    Derived(Option<&'static str>),
    /// Text, number, date, reference or nested record: a Rust field of [`Example`] whose
    /// consumers know its structure.
    Structured,
}

/// One field of an example and what the outputs do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// YAML key (and CSV column, facet and search-facet name).
    pub key: &'static str,
    pub kind: Kind,
    /// Contributors must fill it in.
    pub required: bool,
    /// German label (a theme may override it).
    pub label: &'static str,
    /// German help text: the JSON Schema description, the form's help and `koki new`'s comment.
    pub help: &'static str,
    /// Fact-box group of its row; `None` when it has no row of its own.
    pub group: Option<Group>,
    /// An optional row counted for the fact box's completeness figure.
    pub counted: bool,
    /// Position among the facets with filter pages (`filter/<key>/<value>/`), if it has them.
    pub filter: Option<u8>,
    /// It has CSV columns.
    pub csv: bool,
    /// Position among the search facets, if it is one.
    pub search_facet: Option<u8>,
}

impl FieldSpec {
    /// An optional vocabulary field with a fact-box row, a CSV column and completeness
    /// counting: the usual shape of a new field. `many` makes it a list.
    pub const fn vocabulary(
        key: &'static str,
        vocabulary: &'static str,
        many: bool,
        label: &'static str,
        help: &'static str,
        group: Group,
    ) -> FieldSpec {
        let kind = if many {
            Kind::VocabList(vocabulary)
        } else {
            Kind::Vocab(vocabulary)
        };
        spec(key, kind, false, label, help, Some(group), true)
    }

    /// The same field with filter pages at position `rank`.
    pub const fn with_filter(mut self, rank: u8) -> FieldSpec {
        self.filter = Some(rank);
        self
    }

    /// The same field as a search facet at position `rank`.
    pub const fn with_search_facet(mut self, rank: u8) -> FieldSpec {
        self.search_facet = Some(rank);
        self
    }

    /// Vocabulary of its values, for vocabulary and derived vocabulary fields.
    pub fn vocabulary_name(&self) -> Option<&'static str> {
        match self.kind {
            Kind::Vocab(v) | Kind::VocabList(v) | Kind::Derived(Some(v)) => Some(v),
            Kind::Derived(None) | Kind::Structured => None,
        }
    }

    /// Contributors write it (it is a key of the front matter).
    pub fn is_written(&self) -> bool {
        !matches!(self.kind, Kind::Derived(_))
    }
}

/// A field with a row in `group` (if any), CSV columns and no facets.
const fn spec(
    key: &'static str,
    kind: Kind,
    required: bool,
    label: &'static str,
    help: &'static str,
    group: Option<Group>,
    counted: bool,
) -> FieldSpec {
    FieldSpec {
        key,
        kind,
        required,
        label,
        help,
        group,
        counted,
        filter: None,
        csv: true,
        search_facet: None,
    }
}

/// A required vocabulary field (a row that is never missing).
const fn required_vocabulary(
    key: &'static str,
    kind: Kind,
    label: &'static str,
    help: &'static str,
    group: Group,
) -> FieldSpec {
    spec(key, kind, true, label, help, Some(group), false)
}

const fn without_csv(mut f: FieldSpec) -> FieldSpec {
    f.csv = false;
    f
}

use Group::*;
use Kind::Structured;

/// The fields of an example, in fact-box and CSV order.
pub const EXAMPLE_FIELDS: &[FieldSpec] = &[
    spec("titel", Structured, true, "Titel", "Titel des Eintrags, höchstens 100 Zeichen.", None, false),
    spec("kurzbeschreibung", Structured, true, "Kurzbeschreibung", "Zusammenfassung in einfacher Sprache, höchstens 400 Zeichen.", None, false),
    spec("kommunen", Structured, true, "Kommunen", "Beteiligte Kommunen (mindestens eine).", Some(Wo), false),
    FieldSpec {
        key: "kreis",
        kind: Kind::Derived(None),
        required: false,
        label: "Kreis (amtliche Daten)",
        help: "Kreis, Einwohner, Fläche und Dichte aus der Destatis-Kreistabelle, abgeleitet aus dem AGS.",
        group: Some(Wo),
        counted: false,
        filter: None,
        csv: false,
        search_facet: None,
    },
    required_vocabulary("bundesland", Kind::Vocab("bundesland"), "Bundesland", "Bundesland (Vokabular `bundesland`).", Wo)
        .with_filter(0)
        .with_search_facet(1),
    required_vocabulary("verwaltungsebene", Kind::Vocab("verwaltungsebene"), "Verwaltungsebene", "Verwaltungsebene (Vokabular `verwaltungsebene`).", Wo)
        .with_filter(7)
        .with_search_facet(6),
    spec("handlungsfeld", Structured, true, "Handlungsfeld", "Hauptsächliches Handlungsfeld: Kennung einer Datei in `content/handlungsfelder/`.", Some(Was), false)
        .with_search_facet(0),
    spec("handlungsfelder_weitere", Structured, false, "Weitere Handlungsfelder", "Weitere Handlungsfelder (Kennungen).", None, false),
    required_vocabulary("status", Kind::Vocab("status"), "Status", "Stand des Vorhabens (Vokabular `status`).", Was)
        .with_filter(1)
        .with_search_facet(2),
    spec("status_grund", Structured, false, "Grund", "Warum das Vorhaben eingestellt wurde; Pflicht bei `status: eingestellt`.", None, false),
    required_vocabulary("ki_technik", Kind::VocabList("ki_technik"), "KI-Verfahren", "Eingesetzte KI-Verfahren (Vokabular `ki_technik`, mindestens eines).", Was)
        .with_filter(2)
        .with_search_facet(3),
    FieldSpec::vocabulary("gemeindetyp", "gemeindetyp", false, "Größenklasse", "Größenklasse der Kommune (Vokabular `gemeindetyp`).", Wo)
        .with_filter(4)
        .with_search_facet(5),
    FieldSpec::vocabulary("laendlichkeit", "laendlichkeit", false, "Ländlichkeit (Thünen)", "Raumtyp (Vokabular `laendlichkeit`).", Wo)
        .with_filter(5),
    FieldSpec {
        key: "raumtyp",
        kind: Kind::Derived(Some("raumtyp")),
        required: false,
        label: "Raumtyp des Kreises",
        help: "Siedlungsstruktureller Typ des Kreises, abgeleitet aus der Bevölkerungsdichte (Destatis).",
        group: None,
        counted: false,
        filter: Some(6),
        csv: false,
        search_facet: None,
    },
    spec("einwohner", Structured, false, "Einwohnerzahl", "Einwohnerzahl der federführenden Kommune.", Some(Wo), true),
    FieldSpec::vocabulary("anwendungstyp", "anwendungstyp", true, "Anwendungstyp", "Art der Anwendung (Vokabular `anwendungstyp`).", Was)
        .with_filter(3)
        .with_search_facet(4),
    FieldSpec::vocabulary("interaktion", "interaktion", true, "Interaktion", "Wer mit dem System zu tun hat (Vokabular `interaktion`).", Was),
    FieldSpec::vocabulary("entscheidungsrolle", "entscheidungsrolle", false, "Rolle der KI bei Entscheidungen", "Welche Rolle die KI bei Entscheidungen spielt (Vokabular `entscheidungsrolle`).", Wie),
    spec("zeitraum", Structured, false, "Zeitraum", "Start- und (falls beendet) Endjahr.", Some(Wie), true),
    FieldSpec::vocabulary("motivation", "motivation", true, "Motivation", "Gründe für das Vorhaben (Vokabular `motivation`).", Geld)
        .with_filter(8)
        .with_search_facet(7),
    without_csv(spec("motivation_erlaeuterung", Structured, false, "Motivation erläutert", "Erläuterung der Gründe in eigenen Worten.", Some(Geld), true)),
    FieldSpec::vocabulary("finanzierung", "finanzierung", true, "Finanzierung", "Finanzierungsquellen (Vokabular `finanzierung`).", Geld)
        .with_filter(9),
    spec("foerderprogramm", Structured, false, "Förderprogramm", "Name des Förderprogramms.", Some(Geld), true),
    FieldSpec::vocabulary("kosten", "kosten", false, "Kosten", "Kostenrahmen (Vokabular `kosten`).", Geld),
    FieldSpec::vocabulary("umsetzung", "umsetzung", false, "Umsetzung", "Art der Umsetzung (Vokabular `umsetzung`).", Wie),
    spec("anbieter", Structured, false, "Anbieter", "Anbieter oder Dienstleister.", Some(Wie), true),
    spec("open_source", Structured, false, "Open Source", "Lizenz und Code-Adresse, falls der Code offen ist.", Some(Wie), true),
    FieldSpec::vocabulary("personenbezogene_daten", "personenbezogene_daten", false, "Personenbezogene Daten", "Werden personenbezogene Daten verarbeitet? (Vokabular `personenbezogene_daten`)", Wie),
    FieldSpec::vocabulary("ki_verordnung", "ki_verordnung", false, "Risikoklasse nach KI-Verordnung", "Risikoklasse nach der EU-KI-Verordnung (Vokabular `ki_verordnung`).", Wie)
        .with_filter(10)
        .with_search_facet(8),
    FieldSpec::vocabulary("beteiligung_beschaeftigte", "beteiligung", false, "Beteiligung der Beschäftigten", "Beteiligung der Beschäftigten (Vokabular `beteiligung`).", Beteiligung),
    FieldSpec::vocabulary("beteiligung_buergerschaft", "beteiligung", false, "Beteiligung der Bürgerschaft", "Beteiligung der Bürgerschaft (Vokabular `beteiligung`).", Beteiligung),
    FieldSpec::vocabulary("personalrat", "personalrat", false, "Personalrat", "Einbindung des Personalrats (Vokabular `personalrat`).", Beteiligung),
    FieldSpec::vocabulary("stellenwirkung", "stellenwirkung", false, "Wirkung auf Stellen", "Wirkung auf Stellen (Vokabular `stellenwirkung`).", Wirkung),
    FieldSpec::vocabulary("evidenzgrad", "evidenzgrad", false, "Evidenzgrad", "Wie gut die Wirkung belegt ist (Vokabular `evidenzgrad`).", Wirkung),
    spec("uebertragbarkeit", Structured, false, "Übertragbarkeit", "Einschätzung, ob andere Kommunen das nachnutzen können.", Some(Wirkung), true),
    spec("sdgs", Structured, false, "Nachhaltigkeitsziele (SDGs)", "Nummern der UN-Nachhaltigkeitsziele (1–17).", Some(Was), true),
    FieldSpec::vocabulary("zielgruppen", "zielgruppen", true, "Zielgruppen", "Zielgruppen (Vokabular `zielgruppen`).", Was),
    spec("kontakt", Structured, false, "Kontakt", "Kontakt über ein Funktionspostfach oder eine Webseite, keine Personennamen.", Some(Eintrag), true),
    spec("szenarien", Structured, false, "Szenarien", "Kennungen verwandter Szenarien in `content/szenarien/`.", None, false),
    spec("verwandte_beispiele", Structured, false, "Verwandte Beispiele", "Kennungen verwandter Beispiele in `content/beispiele/`.", None, false),
    without_csv(spec("fruehere_ids", Structured, false, "Frühere Kennungen", "Frühere Kennungen dieses Beispiels (etwa zusammengeführte Einträge); ihre alten Adressen leiten auf dieses Beispiel weiter.", None, false)),
    spec("externe_ids", Structured, false, "Externe Kennungen", "Kennungen in anderen Katalogen, z. B. `pstw: \"PSTW-1234\"`.", Some(Eintrag), true),
    FieldSpec::vocabulary("redaktionsstatus", "redaktionsstatus", false, "Redaktionsstatus", "Redaktioneller Stand (Vokabular `redaktionsstatus`).", Eintrag),
    spec("erfasst_am", Structured, true, "Aufgenommen am", "Datum der Erfassung (JJJJ-MM-TT).", Some(Eintrag), false),
    spec("zuletzt_geprueft", Structured, false, "Zuletzt geprüft", "Datum der letzten inhaltlichen Prüfung (JJJJ-MM-TT).", Some(Eintrag), true),
    spec("lizenz", Structured, false, "Lizenz", "Lizenz des Eintrags (Standard: CC-BY-4.0).", Some(Eintrag), false),
    spec("tags", Structured, false, "Schlagwörter", "Freie Schlagwörter.", Some(Was), true),
    spec("quellen", Structured, true, "Quellen", "Belege: Titel, Adresse und Abrufdatum (bei Beispielen mindestens einer).", None, false),
];

/// The fields of examples a build knows, plus the JSON Schema they close.
#[derive(Debug)]
pub struct Registry {
    fields: Vec<FieldSpec>,
    /// Schema of [`Example`] with this registry's fields, and its `$defs` (built on first use).
    schema: OnceLock<Arc<(Json, Json)>>,
}

impl Registry {
    /// The registry of koki's own fields ([`EXAMPLE_FIELDS`]), shared.
    pub fn builtin() -> Arc<Registry> {
        static BUILTIN: OnceLock<Arc<Registry>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Arc::new(Registry::new(EXAMPLE_FIELDS.to_vec())))
            .clone()
    }

    /// A registry of the given fields (in display order).
    pub fn new(fields: Vec<FieldSpec>) -> Registry {
        Registry {
            fields,
            schema: OnceLock::new(),
        }
    }

    /// The built-in fields plus `extra` after them: how a test (or a fork) adds a field.
    pub fn with(extra: impl IntoIterator<Item = FieldSpec>) -> Registry {
        let mut fields = EXAMPLE_FIELDS.to_vec();
        fields.extend(extra);
        Registry::new(fields)
    }

    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }

    pub fn get(&self, key: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Fields with filter pages, in filter order.
    pub fn filter_facets(&self) -> Vec<&FieldSpec> {
        let mut out: Vec<&FieldSpec> = self.fields.iter().filter(|f| f.filter.is_some()).collect();
        out.sort_by_key(|f| f.filter);
        out
    }

    /// Search facets, in facet order.
    pub fn search_facets(&self) -> Vec<&FieldSpec> {
        let mut out: Vec<&FieldSpec> = self
            .fields
            .iter()
            .filter(|f| f.search_facet.is_some())
            .collect();
        out.sort_by_key(|f| f.search_facet);
        out
    }

    /// Vocabulary fields that have no Rust field in [`Example`] and are kept in
    /// [`Example::weitere`].
    pub fn generic_fields(&self) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(|f| {
            matches!(f.kind, Kind::Vocab(_) | Kind::VocabList(_)) && !is_struct_field(f.key)
        })
    }

    /// JSON Schema of [`Example`] as the parser checks keys against it: the generated schema,
    /// closed (`additionalProperties: false`), with a property for each generic field.
    pub fn example_schema(&self) -> Arc<(Json, Json)> {
        self.schema
            .get_or_init(|| {
                let mut schema =
                    serde_json::to_value(schemars::schema_for!(Example)).unwrap_or(Json::Null);
                self.close_example_schema(&mut schema);
                let defs = schema.get("$defs").cloned().unwrap_or(Json::Null);
                Arc::new((schema, defs))
            })
            .clone()
    }

    /// Close a generated [`Example`] schema: the generic fields become properties, any other
    /// key is unknown. The JSON Schema of `koki schema` goes through the same step.
    pub fn close_example_schema(&self, schema: &mut Json) {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        obj.insert("additionalProperties".into(), Json::Bool(false));
        let generic: Vec<(String, Json)> = self
            .generic_fields()
            .map(|f| {
                let value = match f.kind {
                    Kind::VocabList(_) => serde_json::json!({
                        "type": "array",
                        "items": { "type": "string" },
                    }),
                    _ => serde_json::json!({ "type": ["string", "null"] }),
                };
                (f.key.to_string(), value)
            })
            .collect();
        if let Some(props) = obj.get_mut("properties").and_then(Json::as_object_mut) {
            for (k, v) in generic {
                props.insert(k, v);
            }
        }
    }
}

/// Value of a generic field in [`Example::weitere`]: one id or a list of ids.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum ExtraValue {
    One(String),
    Many(Vec<String>),
}

impl ExtraValue {
    pub fn values(&self) -> Vec<&str> {
        match self {
            ExtraValue::One(s) => vec![s.as_str()],
            ExtraValue::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Whether `key` is a Rust field of [`Example`] (a property of its generated schema); the
/// vocabulary ones are read by the `match` in [`vocab_values`].
fn is_struct_field(key: &str) -> bool {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let schema = serde_json::to_value(schemars::schema_for!(Example)).unwrap_or(Json::Null);
        schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    })
    .iter()
    .any(|k| k == key)
}

/// The vocabulary ids an example holds in the vocabulary field `key` (empty when unset or
/// when `key` is not a vocabulary field). Generic fields are read from [`Example::weitere`].
pub fn vocab_values<'a>(e: &'a Example, key: &str) -> Vec<&'a str> {
    fn one(v: &Option<String>) -> Vec<&str> {
        v.as_deref().into_iter().collect()
    }
    fn many(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    match key {
        "bundesland" => vec![e.bundesland.as_str()],
        "verwaltungsebene" => vec![e.verwaltungsebene.as_str()],
        "status" => vec![e.status.as_str()],
        "ki_technik" => many(&e.ki_technik),
        "gemeindetyp" => one(&e.gemeindetyp),
        "laendlichkeit" => one(&e.laendlichkeit),
        "anwendungstyp" => many(&e.anwendungstyp),
        "interaktion" => many(&e.interaktion),
        "entscheidungsrolle" => one(&e.entscheidungsrolle),
        "motivation" => many(&e.motivation),
        "finanzierung" => many(&e.finanzierung),
        "kosten" => one(&e.kosten),
        "umsetzung" => one(&e.umsetzung),
        "personenbezogene_daten" => one(&e.personenbezogene_daten),
        "ki_verordnung" => one(&e.ki_verordnung),
        "beteiligung_beschaeftigte" => one(&e.beteiligung_beschaeftigte),
        "beteiligung_buergerschaft" => one(&e.beteiligung_buergerschaft),
        "personalrat" => one(&e.personalrat),
        "stellenwirkung" => one(&e.stellenwirkung),
        "evidenzgrad" => one(&e.evidenzgrad),
        "zielgruppen" => many(&e.zielgruppen),
        "redaktionsstatus" => one(&e.redaktionsstatus),
        _ => e
            .weitere
            .get(key)
            .map(ExtraValue::values)
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_ranks_distinct() {
        let mut keys: Vec<&str> = EXAMPLE_FIELDS.iter().map(|f| f.key).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "a key is declared twice");
        let r = Registry::builtin();
        let ranks: Vec<u8> = r.filter_facets().iter().filter_map(|f| f.filter).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
        let ranks: Vec<u8> = r
            .search_facets()
            .iter()
            .filter_map(|f| f.search_facet)
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
    }

    #[test]
    fn built_in_vocabulary_fields_are_rust_fields_read_by_vocab_values() {
        let r = Registry::builtin();
        assert_eq!(
            r.generic_fields().count(),
            0,
            "built-in fields are all Rust fields"
        );
        // An example with a value in every vocabulary field: the `match` of `vocab_values`
        // must find each (a Rust field it misses would read as empty).
        let text = r#"{"titel": "t", "kurzbeschreibung": "k", "kommunen": [], "bundesland": "x",
            "verwaltungsebene": "x", "handlungsfeld": "h", "status": "x", "ki_technik": ["x"],
            "quellen": [], "erfasst_am": "2026-01-01"}"#;
        let mut e: Example = serde_json::from_str(text).expect("example");
        let mut value = serde_json::to_value(&e).expect("json");
        for f in r.fields() {
            match f.kind {
                Kind::Vocab(_) => value[f.key] = Json::from("x"),
                Kind::VocabList(_) => value[f.key] = serde_json::json!(["x"]),
                _ => {}
            }
        }
        e = serde_json::from_value(value).expect("example with every field");
        assert!(e.weitere.is_empty());
        for f in r.fields() {
            if matches!(f.kind, Kind::Vocab(_) | Kind::VocabList(_)) {
                assert_eq!(vocab_values(&e, f.key), ["x"], "`{}`", f.key);
            }
        }
    }

    #[test]
    fn every_written_field_is_a_schema_property_and_back() {
        let r = Registry::builtin();
        let schema = r.example_schema();
        let props = schema.0["properties"].as_object().expect("properties");
        for f in r.fields().iter().filter(|f| f.is_written()) {
            assert!(
                props.contains_key(f.key),
                "`{}` is not in the schema",
                f.key
            );
        }
        for k in props.keys() {
            assert!(
                r.get(k).is_some(),
                "schema property `{k}` is not in the registry"
            );
        }
        assert_eq!(schema.0["additionalProperties"], Json::Bool(false));
    }

    #[test]
    fn a_generic_field_is_read_from_weitere() {
        let r = Registry::with([FieldSpec::vocabulary(
            "datenquelle",
            "datenquelle",
            true,
            "Datenquelle",
            "Woher die Daten stammen.",
            Group::Wie,
        )]);
        assert_eq!(
            r.generic_fields().map(|f| f.key).collect::<Vec<_>>(),
            ["datenquelle"]
        );
        let schema = r.example_schema();
        assert_eq!(schema.0["properties"]["datenquelle"]["type"], "array");
    }
}
