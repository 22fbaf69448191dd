//! JSON Schemas of the entry formats, generated from the model types (the same definitions the
//! loader deserialises into), for editors and for the open-data download.
//!
//! [`example_schema`] and [`scenario_schema`] describe the structure: types, German
//! descriptions, required fields and the limits that `validate` enforces (lengths, dates,
//! AGS, URLs). [`example_schema_with`] and [`scenario_schema_with`] additionally list the
//! allowed values of every vocabulary field (`enum`) from `content/vokabular.yaml` and the
//! action-field ids, so that editors complete and check them while typing. `koki schema`
//! writes the latter to `schema/` (committed; a test keeps it current).

use crate::load::Loaded;
use crate::model::{Example, Scenario, Vocabularies};
use crate::Error;
use koki_model::fields::Registry;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Directory (relative to the site root) of the committed schemas.
pub const SCHEMA_DIR: &str = "schema";
/// File name of the example schema in [`SCHEMA_DIR`].
pub const EXAMPLE_FILE: &str = "beispiel.schema.json";
/// File name of the scenario schema in [`SCHEMA_DIR`].
pub const SCENARIO_FILE: &str = "szenario.schema.json";

/// The values that vocabulary and reference fields may take.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub vocab: Vocabularies,
    /// Action fields as (id, title), in site order.
    pub action_fields: Vec<(String, String)>,
    /// The example fields (`None`: the built-in registry).
    pub registry: Option<Arc<Registry>>,
}

impl Terms {
    /// The example fields these terms describe.
    pub fn registry(&self) -> Arc<Registry> {
        self.registry.clone().unwrap_or_else(Registry::builtin)
    }

    /// Terms of loaded content (`None` when the vocabulary could not be loaded).
    pub fn from_loaded(loaded: &Loaded) -> Option<Terms> {
        let vocab = loaded.vocab.as_ref()?.meta.clone();
        let mut fields: Vec<_> = loaded.fields.iter().collect();
        fields.sort_by(|a, b| (a.meta.reihenfolge, &a.id).cmp(&(b.meta.reihenfolge, &b.id)));
        Some(Terms {
            vocab,
            action_fields: fields
                .into_iter()
                .map(|f| (f.id.clone(), f.meta.titel.clone()))
                .collect(),
            registry: Some(loaded.registry()),
        })
    }

    /// Terms of a validated catalog.
    pub fn from_catalog(catalog: &crate::catalog::Catalog) -> Terms {
        Terms {
            vocab: catalog.vocab.clone(),
            action_fields: catalog
                .fields
                .iter()
                .map(|f| (f.id.clone(), f.meta.titel.clone()))
                .collect(),
            registry: Some(catalog.registry.clone()),
        }
    }
}

/// Where a property lives: a top-level property (`None`) or one of a `$defs` type.
type Place = (Option<&'static str>, &'static str);

/// Vocabulary fields of the nested types of examples: (place, vocabulary). The top-level ones
/// come from the field registry.
const EXAMPLE_NESTED_VOCAB: &[(Place, &str)] = &[
    ((Some("Kommune"), "rolle"), "rolle"),
    (
        (Some("Uebertragbarkeit"), "einschaetzung"),
        "uebertragbarkeit",
    ),
];

/// Vocabulary fields of scenarios: (place, vocabulary).
const SCENARIO_VOCAB: &[(Place, &str)] = &[
    ((None, "szenariotyp"), "szenariotyp"),
    ((Some("Setting"), "gemeindetyp"), "gemeindetyp"),
    ((Some("Setting"), "laendlichkeit"), "laendlichkeit"),
    ((Some("Handlungsoption"), "aufwand"), "aufwand"),
];

/// German descriptions shown by editors, keyed by place.
const DESCRIPTIONS: &[(Place, &str)] = &[
    // Example: the top-level fields' descriptions are the registry's help texts.
    ((Some("Kommune"), "name"), "Name der Kommune oder Stelle."),
    ((Some("Kommune"), "ags"), "Amtlicher Gemeindeschlüssel (8 Ziffern) oder Kreisschlüssel (5 Ziffern), in Anführungszeichen."),
    ((Some("Kommune"), "rolle"), "Rolle im Vorhaben (Vokabular `rolle`)."),
    ((Some("Kommune"), "koordinaten"), "Lage für die Karte (WGS 84)."),
    ((Some("Quelle"), "titel"), "Titel der Quelle."),
    ((Some("Quelle"), "url"), "Adresse mit `https://` oder `http://`."),
    ((Some("Quelle"), "abgerufen"), "Abrufdatum (JJJJ-MM-TT)."),
    ((Some("Koordinaten"), "lat"), "Geografische Breite, z. B. 48.137."),
    ((Some("Koordinaten"), "lon"), "Geografische Länge, z. B. 11.575."),
    ((Some("Zeitraum"), "start"), "Startjahr."),
    ((Some("Zeitraum"), "ende"), "Endjahr (leer, solange das Vorhaben läuft)."),
    ((Some("OpenSource"), "lizenz"), "SPDX-Kennung der Lizenz, z. B. `EUPL-1.2`."),
    ((Some("OpenSource"), "code_url"), "Adresse des Quellcodes."),
    ((Some("Uebertragbarkeit"), "einschaetzung"), "Einschätzung (Vokabular `uebertragbarkeit`)."),
    ((Some("Uebertragbarkeit"), "voraussetzungen"), "Was eine nachnutzende Kommune braucht."),
    ((Some("Kontakt"), "funktionspostfach"), "E-Mail-Adresse eines Funktionspostfachs."),
    ((Some("Kontakt"), "url"), "Kontaktseite."),
    // Scenario (fields it shares with examples are described by the registry)
    ((None, "kurzfassung"), "Zusammenfassung, höchstens 400 Zeichen."),
    ((None, "zeithorizont"), "Jahr, in dem die gedachte Zukunft spielt."),
    ((None, "szenariotyp"), "Art des Szenarios (Vokabular `szenariotyp`)."),
    ((None, "setting"), "Wo das Szenario spielt."),
    ((None, "perspektiven"), "Sichtweisen beteiligter Gruppen."),
    ((None, "vorboten"), "Kennungen realer Beispiele, die heute schon in diese Richtung weisen."),
    ((None, "voraussetzungen"), "Was gegeben sein muss, damit es so kommt."),
    ((None, "chancen"), "Chancen."),
    ((None, "risiken"), "Risiken."),
    ((None, "gewinner_verlierer"), "Wer gewinnt, wer verliert."),
    ((None, "handlungsoptionen_heute"), "Was eine Kommune heute tun kann."),
    ((None, "offene_fragen"), "Offene Fragen."),
    ((None, "erstellt_am"), "Datum der Erstellung (JJJJ-MM-TT)."),
    ((Some("Setting"), "gemeindetyp"), "Größenklasse (Vokabular `gemeindetyp`)."),
    ((Some("Setting"), "laendlichkeit"), "Raumtyp (Vokabular `laendlichkeit`)."),
    ((Some("Perspektive"), "wer"), "Wer spricht."),
    ((Some("Perspektive"), "sicht"), "Wie diese Person oder Gruppe die Zukunft erlebt."),
    ((Some("Handlungsoption"), "massnahme"), "Maßnahme."),
    ((Some("Handlungsoption"), "aufwand"), "Aufwand (Vokabular `aufwand`)."),
    ((Some("Handlungsoption"), "no_regret"), "`true`, wenn sich die Maßnahme in jeder Zukunft lohnt."),
];

/// German descriptions of the nested types.
const TYPE_DESCRIPTIONS: &[(&str, &str)] = &[
    ("Kommune", "Eine beteiligte Kommune oder Stelle."),
    (
        "Kontakt",
        "Kontakt über ein Funktionspostfach oder eine Webseite; keine Personennamen.",
    ),
    ("Koordinaten", "Geografische Lage (WGS 84) für die Karte."),
    ("OpenSource", "Angaben zum offenen Quellcode."),
    ("Quelle", "Eine Quelle: Titel, Adresse, Abrufdatum."),
    ("Uebertragbarkeit", "Einschätzung der Nachnutzbarkeit."),
    ("Zeitraum", "Start- und Endjahr."),
    ("Setting", "Ort des Szenarios."),
    ("Perspektive", "Eine Sichtweise auf die gedachte Zukunft."),
    ("GewinnerVerlierer", "Wer gewinnt, wer verliert."),
    (
        "Handlungsoption",
        "Eine Maßnahme, die eine Kommune heute ergreifen kann.",
    ),
];

/// German description of a field: `holder` is the nested type (`Some("Kommune")`) or `None`
/// for a top-level field. The same text the JSON Schema carries (and the form shows as help).
pub fn description(holder: Option<&str>, key: &str) -> Option<&'static str> {
    description_in(&Registry::builtin(), holder, key)
}

/// [`description`] with the top-level example fields of `registry`.
fn description_in(registry: &Registry, holder: Option<&str>, key: &str) -> Option<&'static str> {
    let top_level = holder
        .is_none()
        .then(|| registry.get(key).map(|f| f.help))
        .flatten();
    top_level.or_else(|| {
        DESCRIPTIONS
            .iter()
            .find(|((h, k), _)| *h == holder && *k == key)
            .map(|(_, text)| *text)
    })
}

const DATE_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const URL_PATTERN: &str = r"^https?://";

/// Limits that `validate` enforces, as JSON Schema keywords.
const CONSTRAINTS: &[(Place, &str)] = &[
    ((None, "titel"), r#"{"minLength": 1, "maxLength": 100}"#),
    (
        (None, "kurzbeschreibung"),
        r#"{"minLength": 1, "maxLength": 400}"#,
    ),
    (
        (None, "kurzfassung"),
        r#"{"minLength": 1, "maxLength": 400}"#,
    ),
    ((None, "kommunen"), r#"{"minItems": 1}"#),
    ((None, "ki_technik"), r#"{"minItems": 1}"#),
    (
        (None, "sdgs"),
        r#"{"items": {"type": "integer", "minimum": 1, "maximum": 17}}"#,
    ),
    (
        (None, "zeithorizont"),
        r#"{"minimum": 2000, "maximum": 2200}"#,
    ),
    (
        (Some("Kommune"), "ags"),
        r#"{"pattern": "^([0-9]{5}|[0-9]{8})$"}"#,
    ),
    (
        (Some("Zeitraum"), "start"),
        r#"{"minimum": 1950, "maximum": 2100}"#,
    ),
];

const DATE_FIELDS: &[Place] = &[
    (None, "erfasst_am"),
    (None, "zuletzt_geprueft"),
    (None, "erstellt_am"),
    (Some("Quelle"), "abgerufen"),
];

const URL_FIELDS: &[Place] = &[
    (Some("Quelle"), "url"),
    (Some("OpenSource"), "code_url"),
    (Some("Kontakt"), "url"),
];

fn property_mut(schema: &mut Value, place: Place) -> Option<&mut Value> {
    let holder = match place.0 {
        None => schema,
        Some(def) => schema.get_mut("$defs")?.get_mut(def)?,
    };
    holder.get_mut("properties")?.get_mut(place.1)
}

/// The schema that holds the value's own keywords: the items of an array, else the property.
fn value_schema(prop: &mut Value) -> &mut Value {
    if prop.get("items").is_some() {
        prop.get_mut("items").expect("checked")
    } else {
        prop
    }
}

fn is_nullable(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    }
}

fn merge(target: &mut Value, extra: &Value) {
    if let (Some(t), Some(e)) = (target.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            t.insert(k.clone(), v.clone());
        }
    }
}

fn set_string_keyword(schema: &mut Value, place: Place, keyword: &str, value: &str) {
    if let Some(prop) = property_mut(schema, place) {
        merge(value_schema(prop), &json!({ keyword: value }));
    }
}

/// Allow exactly `values` (plus `null` where the field may be empty) and list them with their
/// labels in the description.
fn restrict(schema: &mut Value, place: Place, values: &[(String, String)], what: &str) {
    let Some(prop) = property_mut(schema, place) else {
        return;
    };
    let listing = values
        .iter()
        .map(|(id, label)| format!("`{id}` = {label}"))
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(Value::String(d)) = prop.get_mut("description") {
        d.push_str(&format!(" {what}: {listing}."));
    }
    let target = value_schema(prop);
    let mut allowed: Vec<Value> = values.iter().map(|(id, _)| json!(id)).collect();
    if is_nullable(target) {
        allowed.push(Value::Null);
    }
    if let Some(obj) = target.as_object_mut() {
        obj.insert("enum".into(), Value::Array(allowed));
    }
}

fn finish(mut schema: Value, registry: &Registry, title: &str, description: &str) -> Value {
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("title".into(), json!(title));
        obj.insert("description".into(), json!(description));
    }
    for (name, text) in TYPE_DESCRIPTIONS {
        if let Some(def) = schema.get_mut("$defs").and_then(|d| d.get_mut(*name)) {
            if let Some(obj) = def.as_object_mut() {
                obj.insert("description".into(), json!(text));
            }
        }
    }
    let registry_places = registry
        .fields()
        .iter()
        .filter(|f| f.is_written())
        .map(|f| ((None, f.key), f.help));
    for (place, text) in registry_places.chain(DESCRIPTIONS.iter().copied()) {
        if let Some(prop) = property_mut(&mut schema, place) {
            if let Some(obj) = prop.as_object_mut() {
                obj.insert("description".into(), json!(text));
            }
        }
    }
    for (place, extra) in CONSTRAINTS {
        let extra: Value = serde_json::from_str(extra).expect("constraint literals are JSON");
        if let Some(prop) = property_mut(&mut schema, *place) {
            // Array-level keywords go on the array, the others on its value schema.
            if extra.get("items").is_some() || extra.get("minItems").is_some() {
                merge(prop, &extra);
            } else {
                merge(value_schema(prop), &extra);
            }
        }
    }
    for place in DATE_FIELDS {
        set_string_keyword(&mut schema, *place, "pattern", DATE_PATTERN);
    }
    for place in URL_FIELDS {
        set_string_keyword(&mut schema, *place, "pattern", URL_PATTERN);
    }
    schema
}

/// JSON Schema of an example's front matter (`content/beispiele/<id>.md`), without vocabulary
/// lists.
pub fn example_schema() -> Value {
    example_schema_for(&Registry::builtin())
}

/// [`example_schema`] with the fields of `registry`.
pub fn example_schema_for(registry: &Registry) -> Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Example)).unwrap_or(Value::Null);
    registry.close_example_schema(&mut schema);
    let mut schema = finish(
        schema,
        registry,
        "Beispiel (Kommunen & KI)",
        "Front Matter eines Beispiels in `content/beispiele/<id>.md`. Beschreibung der Felder: docs/format.md.",
    );
    // Scenarios may omit sources; examples need at least one.
    if let Some(prop) = property_mut(&mut schema, (None, "quellen")) {
        merge(prop, &json!({"minItems": 1}));
    }
    schema
}

/// JSON Schema of a scenario's front matter (`content/szenarien/<id>.md`), without vocabulary
/// lists.
pub fn scenario_schema() -> Value {
    let schema = serde_json::to_value(schemars::schema_for!(Scenario)).unwrap_or(Value::Null);
    finish(
        schema,
        &Registry::builtin(),
        "Szenario (Kommunen & KI)",
        "Front Matter eines Szenarios in `content/szenarien/<id>.md`: eine gedachte Zukunft, kein reales Projekt.",
    )
}

fn apply_terms(schema: &mut Value, terms: &Terms, vocab_fields: &[(Place, &str)]) {
    for (place, vocabulary) in vocab_fields {
        if let Some(entries) = terms.vocab.get(*vocabulary) {
            let values: Vec<(String, String)> = entries
                .iter()
                .map(|(id, e)| (id.clone(), e.label.clone()))
                .collect();
            restrict(schema, *place, &values, "Werte");
        }
    }
    if !terms.action_fields.is_empty() {
        for name in ["handlungsfeld", "handlungsfelder_weitere"] {
            restrict(
                schema,
                (None, name),
                &terms.action_fields,
                "Handlungsfelder",
            );
        }
    }
}

/// [`example_schema`] with the allowed values of every vocabulary and action-field field.
pub fn example_schema_with(terms: &Terms) -> Value {
    let registry = terms.registry();
    let mut schema = example_schema_for(&registry);
    let vocab_fields: Vec<(Place, &str)> = registry
        .fields()
        .iter()
        .filter(|f| f.is_written())
        .filter_map(|f| Some(((None, f.key), f.vocabulary_name()?)))
        .chain(EXAMPLE_NESTED_VOCAB.iter().copied())
        .collect();
    apply_terms(&mut schema, terms, &vocab_fields);
    schema
}

/// [`scenario_schema`] with the allowed values of every vocabulary and action-field field.
pub fn scenario_schema_with(terms: &Terms) -> Value {
    let mut schema = scenario_schema();
    apply_terms(&mut schema, terms, SCENARIO_VOCAB);
    schema
}

/// Stable text form: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// The schema files for the site at `root`: (path relative to the root, text).
pub fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, Error> {
    let (loaded, _) = crate::load::load(root);
    let terms = Terms::from_loaded(&loaded).ok_or(Error::NoVocabulary)?;
    let dir = PathBuf::from(SCHEMA_DIR);
    Ok(vec![
        (
            dir.join(EXAMPLE_FILE),
            to_text(&example_schema_with(&terms)),
        ),
        (
            dir.join(SCENARIO_FILE),
            to_text(&scenario_schema_with(&terms)),
        ),
    ])
}

/// Write the schema files below `out_dir`; returns the written paths.
pub fn write(files: &[(PathBuf, String)], out_dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut written = Vec::new();
    for (rel, text) in files {
        let name = rel.file_name().map(PathBuf::from).unwrap_or_default();
        let path = out_dir.join(name);
        std::fs::create_dir_all(out_dir).map_err(|source| Error::Io {
            path: out_dir.to_path_buf(),
            source,
        })?;
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
        }
        written.push(path);
    }
    Ok(written)
}

/// Files under `root` whose content differs from the generated one (missing files included).
pub fn outdated(root: &Path, files: &[(PathBuf, String)]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|(rel, text)| {
            std::fs::read_to_string(root.join(rel)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(rel, _)| rel.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VocabEntry;

    #[test]
    fn schemas_name_required_fields() {
        let s = example_schema();
        let required = s["required"].as_array().unwrap();
        assert!(required.iter().any(|v| v == "titel"));
        assert!(required.iter().any(|v| v == "erfasst_am"));
        assert!(scenario_schema()["properties"]["zeithorizont"].is_object());
    }

    #[test]
    fn constraints_and_descriptions() {
        let s = example_schema();
        assert_eq!(s["properties"]["titel"]["maxLength"], 100);
        assert_eq!(s["properties"]["kommunen"]["minItems"], 1);
        assert_eq!(s["properties"]["erfasst_am"]["pattern"], DATE_PATTERN);
        assert_eq!(
            s["$defs"]["Quelle"]["properties"]["url"]["pattern"],
            URL_PATTERN
        );
        assert_eq!(s["properties"]["sdgs"]["items"]["maximum"], 17);
        assert!(s["properties"]["bundesland"]["description"]
            .as_str()
            .unwrap()
            .starts_with("Bundesland"));
        assert_eq!(s["additionalProperties"], false);
    }

    #[test]
    fn vocabulary_values_become_enums() {
        let mut vocab = Vocabularies::default();
        let entry = |label: &str| VocabEntry {
            label: label.into(),
            beschreibung: None,
            mappings: Default::default(),
        };
        vocab
            .entry("bundesland".into())
            .or_default()
            .insert("by".into(), entry("Bayern"));
        vocab
            .entry("ki_technik".into())
            .or_default()
            .insert("prognose".into(), entry("Prognose"));
        vocab
            .entry("gemeindetyp".into())
            .or_default()
            .insert("kleinstadt".into(), entry("Kleinstadt"));
        let terms = Terms {
            vocab,
            action_fields: vec![("mobilitaet".into(), "Mobilität".into())],
            registry: None,
        };
        let s = example_schema_with(&terms);
        assert_eq!(s["properties"]["bundesland"]["enum"], json!(["by"]));
        assert_eq!(
            s["properties"]["ki_technik"]["items"]["enum"],
            json!(["prognose"])
        );
        assert_eq!(
            s["properties"]["gemeindetyp"]["enum"],
            json!(["kleinstadt", null])
        );
        assert_eq!(
            s["properties"]["handlungsfeld"]["enum"],
            json!(["mobilitaet"])
        );
        assert!(s["properties"]["bundesland"]["description"]
            .as_str()
            .unwrap()
            .contains("`by` = Bayern"));
        let sc = scenario_schema_with(&terms);
        assert_eq!(
            sc["$defs"]["Setting"]["properties"]["gemeindetyp"]["enum"],
            json!(["kleinstadt", null])
        );
    }
}
