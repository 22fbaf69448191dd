//! The submission form "Beispiel einreichen" (`einreichen/`): the fields it offers, in steps a
//! municipal user understands, and the files its browser module needs.
//!
//! Labels come from the theme's `felder` strings (as in the fact box), help texts from the JSON
//! Schema's descriptions ([`crate::schema::description`]), choices from the vocabulary, so the
//! form, the schema and `koki check` cannot drift apart. The checking and the composition of
//! the file are `koki_model::submission`, run in the browser by the `koki-form-wasm` module;
//! this module only lays out the page and writes:
//!
//! - `einreichen/kontext.json`: the vocabulary and the catalog's ids ([`Context`]);
//! - `einreichen/quellen/<id>.md`: each example's source file, the starting point of a
//!   correction ("Fehler melden / Ergänzung vorschlagen" on every example page);
//! - `einreichen/koki_form.<hash>.wasm`: the module, content-hashed.

use crate::catalog::Catalog;
use crate::output::Staging;
use crate::Error;
use koki_model::fields::{Group, Kind as FieldKind, Registry};
use koki_model::submission::Context;
use serde::Serialize;
use std::path::Path;

/// The committed module, embedded like the search module (a stamp test keeps it current).
pub const MODULE: &[u8] =
    include_bytes!("../../../themes/default/static/einreichen/koki_form.wasm");

/// Directory of the form below the site root.
pub const FORM_DIR: &str = "einreichen/";

/// How a field is typed in.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    LongText,
    Number,
    Date,
    Url,
    Email,
    /// One value of a vocabulary.
    Choice(&'static str),
    /// Any number of values of a vocabulary.
    Choices(&'static str),
    /// One action field.
    Field,
    /// Further action fields.
    Fields,
    /// A nested object (its type name for the descriptions, its fields).
    Group(&'static str, &'static [Input]),
    /// A list of objects: type name, fields, number of empty slots shown.
    Repeat(&'static str, &'static [Input], usize),
}

/// One input of the form: the model's field name, how it is typed, whether it is required.
#[derive(Debug, Clone, Copy)]
struct Input {
    key: &'static str,
    kind: Kind,
    required: bool,
}

const fn opt(key: &'static str, kind: Kind) -> Input {
    Input {
        key,
        kind,
        required: false,
    }
}

const fn req(key: &'static str, kind: Kind) -> Input {
    Input {
        key,
        kind,
        required: true,
    }
}

const KOMMUNE: &[Input] = &[
    req("name", Kind::Text),
    opt("ags", Kind::Text),
    opt("rolle", Kind::Choice("rolle")),
];
const QUELLE: &[Input] = &[
    req("titel", Kind::Text),
    req("url", Kind::Url),
    req("abgerufen", Kind::Date),
];
const ZEITRAUM: &[Input] = &[opt("start", Kind::Number), opt("ende", Kind::Number)];
const OPEN_SOURCE: &[Input] = &[opt("lizenz", Kind::Text), opt("code_url", Kind::Url)];
const UEBERTRAGBARKEIT: &[Input] = &[
    opt("einschaetzung", Kind::Choice("uebertragbarkeit")),
    opt("voraussetzungen", Kind::LongText),
];
const KONTAKT: &[Input] = &[opt("funktionspostfach", Kind::Email), opt("url", Kind::Url)];

/// The steps of the form: (id, heading, fields). Every field of an example appears here or in
/// [`NOT_IN_FORM`] (a test checks it against the schema).
const STEPS: &[(&str, &str, &[Input])] = &[
    (
        "wo",
        "Wo?",
        &[
            req("kommunen", Kind::Repeat("Kommune", KOMMUNE, 2)),
            req("bundesland", Kind::Choice("bundesland")),
            req("verwaltungsebene", Kind::Choice("verwaltungsebene")),
            opt("gemeindetyp", Kind::Choice("gemeindetyp")),
            opt("laendlichkeit", Kind::Choice("laendlichkeit")),
            opt("einwohner", Kind::Number),
        ],
    ),
    (
        "was",
        "Was?",
        &[
            req("titel", Kind::Text),
            req("kurzbeschreibung", Kind::LongText),
            req("handlungsfeld", Kind::Field),
            opt("handlungsfelder_weitere", Kind::Fields),
            req("status", Kind::Choice("status")),
            opt("status_grund", Kind::LongText),
            req("ki_technik", Kind::Choices("ki_technik")),
            opt("anwendungstyp", Kind::Choices("anwendungstyp")),
            opt("interaktion", Kind::Choices("interaktion")),
            opt("zielgruppen", Kind::Choices("zielgruppen")),
        ],
    ),
    (
        "wie",
        "Wie?",
        &[
            opt("entscheidungsrolle", Kind::Choice("entscheidungsrolle")),
            opt("zeitraum", Kind::Group("Zeitraum", ZEITRAUM)),
            opt("umsetzung", Kind::Choice("umsetzung")),
            opt("anbieter", Kind::Text),
            opt("open_source", Kind::Group("OpenSource", OPEN_SOURCE)),
            opt(
                "personenbezogene_daten",
                Kind::Choice("personenbezogene_daten"),
            ),
            opt("ki_verordnung", Kind::Choice("ki_verordnung")),
        ],
    ),
    (
        "wirkung",
        "Wirkung?",
        &[
            opt("stellenwirkung", Kind::Choice("stellenwirkung")),
            opt("evidenzgrad", Kind::Choice("evidenzgrad")),
            opt(
                "uebertragbarkeit",
                Kind::Group("Uebertragbarkeit", UEBERTRAGBARKEIT),
            ),
        ],
    ),
    (
        "beteiligung",
        "Beteiligung?",
        &[
            opt("beteiligung_beschaeftigte", Kind::Choice("beteiligung")),
            opt("beteiligung_buergerschaft", Kind::Choice("beteiligung")),
            opt("personalrat", Kind::Choice("personalrat")),
        ],
    ),
    (
        "geld",
        "Geld?",
        &[
            opt("motivation", Kind::Choices("motivation")),
            opt("motivation_erlaeuterung", Kind::LongText),
            opt("finanzierung", Kind::Choices("finanzierung")),
            opt("foerderprogramm", Kind::Text),
            opt("kosten", Kind::Choice("kosten")),
        ],
    ),
    (
        "quellen",
        "Quellen und Kontakt",
        &[
            req("quellen", Kind::Repeat("Quelle", QUELLE, 2)),
            opt("kontakt", Kind::Group("Kontakt", KONTAKT)),
        ],
    ),
];

/// Fields of an example the form does not ask for: set by the form itself for new entries
/// (`erfasst_am`, `redaktionsstatus`, `lizenz`) or kept unchanged from the file in a
/// correction (editorial and cross-reference fields).
pub const NOT_IN_FORM: &[&str] = &[
    "erfasst_am",
    "redaktionsstatus",
    "lizenz",
    "zuletzt_geprueft",
    "sdgs",
    "szenarien",
    "verwandte_beispiele",
    "fruehere_ids",
    "externe_ids",
    "tags",
];

/// The interview's questions: parts of the body of a new entry, (id, section heading, help).
const QUESTIONS: &[(&str, &str, &str)] = &[
    ("ausgangslage", "Ausgangslage", "Warum hat die Kommune angefangen? Anlass, Fördergeld, Sichtbarkeit, Kostendruck …"),
    ("loesung", "Lösung und Funktionsweise", "Was macht die Anwendung, für wen, mit welchen Daten?"),
    ("fragen", "Herausforderungen und Erkenntnisse", "Welche Fragen mussten geklärt werden (Datenschutz, Personalrat, Vergabe, Haftung)? Was würden Sie heute anders machen?"),
    ("beteiligung", "Beschäftigte und Beteiligung", "Wie wurden Beschäftigte und Bürgerschaft einbezogen? Was hat sich für die Arbeit verändert?"),
    ("wirkung", "Wirkung", "Was hat es gebracht? Zahlen nur mit Quelle."),
];

/// One input as the template renders it.
#[derive(Debug, Serialize)]
pub struct FormField {
    /// Dotted name (`kommunen.0.name`), also the key the browser script collects.
    pub name: String,
    /// HTML id.
    pub id: String,
    pub label: String,
    pub help: Option<String>,
    /// `text`, `textarea`, `number`, `date`, `url`, `email`, `select`, `checkboxes`, `group`.
    pub kind: &'static str,
    pub required: bool,
    pub options: Vec<(String, String)>,
    pub children: Vec<FormField>,
    /// For repeated groups: the list's name (`kommunen`), so the script can add slots.
    pub repeat: Option<String>,
}

/// One step of the form, its fields flattened into rows for the template: a group is a row
/// of kind `group` (opening a fieldset), its children's rows, and a row of kind `end`.
#[derive(Debug, Serialize)]
pub struct FormStep {
    pub id: &'static str,
    pub titel: &'static str,
    pub rows: Vec<FormField>,
}

/// `field` and its children as template rows (see [`FormStep`]).
fn flatten(mut field: FormField, rows: &mut Vec<FormField>) {
    if field.kind != "group" {
        rows.push(field);
        return;
    }
    let children = std::mem::take(&mut field.children);
    let end = FormField {
        name: field.name.clone(),
        id: field.id.clone(),
        label: String::new(),
        help: None,
        kind: "end",
        required: false,
        options: Vec::new(),
        children: Vec::new(),
        repeat: field.repeat.clone(),
    };
    rows.push(field);
    for c in children {
        flatten(c, rows);
    }
    rows.push(end);
}

/// A body question of the form.
#[derive(Debug, Serialize)]
pub struct Question {
    pub id: &'static str,
    pub heading: &'static str,
    pub help: &'static str,
}

/// Help text for the form: the schema's description without the vocabulary reference, which
/// the choices themselves show.
fn help_of(holder: Option<&str>, key: &str) -> Option<String> {
    let text = crate::schema::description(holder, key)?;
    let text = match text.find(" (Vokabular") {
        Some(i) => {
            let rest = &text[i..];
            let close = rest.find(')').map_or(rest.len(), |j| j + 1);
            format!("{}{}", &text[..i], &rest[close..])
        }
        None => text.to_string(),
    };
    Some(text.replace("(Vokabular `", "(").trim().to_string())
}

fn html_id(name: &str) -> String {
    format!("f-{}", name.replace(['.', '_'], "-"))
}

struct Layout<'a> {
    catalog: &'a Catalog,
    labels: &'a std::collections::BTreeMap<String, String>,
}

impl Layout<'_> {
    fn options(&self, vocabulary: &str) -> Vec<(String, String)> {
        self.catalog
            .vocab
            .get(vocabulary)
            .map(|v| {
                v.iter()
                    .map(|(id, e)| (id.clone(), e.label.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn action_fields(&self) -> Vec<(String, String)> {
        self.catalog
            .fields
            .iter()
            .map(|f| (f.id.clone(), f.meta.titel.clone()))
            .collect()
    }

    fn label(&self, holder: Option<&str>, key: &str) -> String {
        if holder.is_none() {
            if let Some(l) = self.labels.get(key) {
                return l.clone();
            }
        }
        nested_label(key).to_string()
    }

    fn field(&self, holder: Option<&'static str>, prefix: &str, input: &Input) -> FormField {
        let name = format!("{prefix}{}", input.key);
        let mut f = FormField {
            id: html_id(&name),
            label: self.label(holder, input.key),
            help: help_of(holder, input.key),
            kind: "text",
            required: input.required,
            options: Vec::new(),
            children: Vec::new(),
            repeat: None,
            name,
        };
        match input.kind {
            Kind::Text => {}
            Kind::LongText => f.kind = "textarea",
            Kind::Number => f.kind = "number",
            Kind::Date => f.kind = "date",
            Kind::Url => f.kind = "url",
            Kind::Email => f.kind = "email",
            Kind::Choice(v) => {
                f.kind = "select";
                f.options = self.options(v);
            }
            Kind::Choices(v) => {
                f.kind = "checkboxes";
                f.options = self.options(v);
            }
            Kind::Field => {
                f.kind = "select";
                f.options = self.action_fields();
            }
            Kind::Fields => {
                f.kind = "checkboxes";
                f.options = self.action_fields();
            }
            Kind::Group(ty, inputs) => {
                f.kind = "group";
                f.children = inputs
                    .iter()
                    .map(|i| self.field(Some(ty), &format!("{}.", f.name), i))
                    .collect();
            }
            Kind::Repeat(ty, inputs, slots) => {
                f.kind = "group";
                f.repeat = Some(f.name.clone());
                f.children = (0..slots)
                    .map(|n| {
                        let name = format!("{}.{n}", f.name);
                        FormField {
                            id: html_id(&name),
                            label: format!("{} {}", nested_label(ty), n + 1),
                            help: None,
                            kind: "group",
                            // Only the first item of a required list is required.
                            required: f.required && n == 0,
                            options: Vec::new(),
                            children: inputs
                                .iter()
                                .map(|i| Input {
                                    required: i.required && f.required && n == 0,
                                    ..*i
                                })
                                .map(|i| self.field(Some(ty), &format!("{name}."), &i))
                                .collect(),
                            repeat: None,
                            name,
                        }
                    })
                    .collect();
            }
        }
        f
    }
}

/// German labels of nested fields and types (top-level ones come from the theme).
fn nested_label(key: &str) -> &str {
    match key {
        "Kommune" => "Kommune",
        "Quelle" => "Quelle",
        "name" => "Name",
        "ags" => "Gemeinde- oder Kreisschlüssel (AGS)",
        "rolle" => "Rolle",
        "titel" => "Titel",
        "url" => "Adresse (URL)",
        "abgerufen" => "Abgerufen am",
        "start" => "Startjahr",
        "ende" => "Endjahr",
        "lizenz" => "Lizenz",
        "code_url" => "Adresse des Quellcodes",
        "einschaetzung" => "Einschätzung",
        "voraussetzungen" => "Voraussetzungen",
        "funktionspostfach" => "Funktionspostfach (E-Mail)",
        other => other,
    }
}

/// The form's steps for this catalog.
pub fn steps(
    catalog: &Catalog,
    labels: &std::collections::BTreeMap<String, String>,
) -> Vec<FormStep> {
    let layout = Layout { catalog, labels };
    STEPS
        .iter()
        .map(|(id, titel, inputs)| {
            let mut rows = Vec::new();
            let added = registry_inputs(&catalog.registry, id);
            for i in inputs.iter().chain(&added) {
                flatten(layout.field(None, "", i), &mut rows);
            }
            FormStep { id, titel, rows }
        })
        .collect()
}

/// The step a registry field's fact-box group asks it in.
fn step_of(group: Group) -> &'static str {
    match group {
        Group::Eintrag => "quellen",
        other => other.id(),
    }
}

/// Vocabulary fields of the registry that [`STEPS`] does not lay out, as choices in the step of
/// their fact-box group: a field added to the registry is asked for without an entry here.
fn registry_inputs(registry: &Registry, step: &str) -> Vec<Input> {
    let laid_out = form_keys();
    registry
        .fields()
        .iter()
        .filter(|f| f.group.is_some_and(|g| step_of(g) == step))
        .filter(|f| !laid_out.contains(&f.key) && !NOT_IN_FORM.contains(&f.key))
        .filter_map(|f| {
            let kind = match f.kind {
                FieldKind::Vocab(v) => Kind::Choice(v),
                FieldKind::VocabList(v) => Kind::Choices(v),
                FieldKind::Derived(_) | FieldKind::Structured => return None,
            };
            Some(Input {
                key: f.key,
                kind,
                required: f.required,
            })
        })
        .collect()
}

/// The body questions of a new entry.
pub fn questions() -> Vec<Question> {
    QUESTIONS
        .iter()
        .map(|(id, heading, help)| Question { id, heading, help })
        .collect()
}

/// Top-level field names the form asks for.
pub fn form_keys() -> Vec<&'static str> {
    STEPS
        .iter()
        .flat_map(|(_, _, inputs)| inputs.iter().map(|i| i.key))
        .collect()
}

/// Content-hashed path of the module below the site root.
pub fn module_path() -> String {
    format!(
        "{FORM_DIR}koki_form.{}.wasm",
        koki_search::content_hash(MODULE)
    )
}

/// Site-relative paths of every entry's source file, sorted: the form finds the file of a
/// correction there (an example may be `.md` or `.yaml`).
fn source_files(catalog: &Catalog) -> Vec<String> {
    let shown = |p: &Path| p.to_string_lossy().replace('\\', "/");
    let mut files: Vec<String> = (catalog.fields.iter().map(|e| shown(&e.source.file)))
        .chain(catalog.examples.iter().map(|e| shown(&e.source.file)))
        .chain(catalog.scenarios.iter().map(|e| shown(&e.source.file)))
        .chain(catalog.pages.iter().map(|e| shown(&e.source.file)))
        .collect();
    files.sort();
    files
}

/// Writes the module, the context and the examples' source files.
pub fn write_files(catalog: &Catalog, root: &Path, out: &Staging) -> Result<(), Error> {
    out.write(&module_path(), MODULE)?;
    let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<String>>();
    let ctx = Context {
        vokabular: koki_model::yaml::to_string(&catalog.vocab)?,
        handlungsfelder: ids(catalog.fields.iter().map(|e| &e.id).collect()),
        beispiele: ids(catalog.examples.iter().map(|e| &e.id).collect()),
        szenarien: ids(catalog.scenarios.iter().map(|e| &e.id).collect()),
        seiten: ids(catalog.pages.iter().map(|e| &e.id).collect()),
        dateien: source_files(catalog),
        fruehere_ids: koki_model::submission::former_ids_of(&catalog.examples),
    };
    let json = serde_json::to_vec(&ctx).unwrap_or_default();
    out.write(&format!("{FORM_DIR}kontext.json"), &json)?;
    for e in &catalog.examples {
        let path = root.join(&e.source.file);
        let text = std::fs::read(&path).map_err(|source| Error::FormSource { path, source })?;
        out.write(&format!("{FORM_DIR}quellen/{}.md", e.id), &text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_field_is_in_the_form_or_deliberately_not() {
        let schema = crate::schema::example_schema();
        let props = schema["properties"].as_object().expect("properties");
        let asked = form_keys();
        for key in props.keys() {
            assert!(
                asked.contains(&key.as_str()) || NOT_IN_FORM.contains(&key.as_str()),
                "field `{key}` is neither in the form nor in NOT_IN_FORM"
            );
        }
        for key in asked.iter().chain(NOT_IN_FORM) {
            assert!(
                props.contains_key(*key),
                "`{key}` is not a field of an example"
            );
        }
    }

    #[test]
    fn a_vocabulary_field_of_the_registry_is_asked_in_its_group_step() {
        let field = koki_model::fields::FieldSpec::vocabulary(
            "datenquelle",
            "datenquelle",
            true,
            "Datenquelle",
            "Woher die Daten kommen.",
            Group::Wie,
        );
        let registry = Registry::with([field]);
        let added = registry_inputs(&registry, "wie");
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].key, "datenquelle");
        assert!(matches!(added[0].kind, Kind::Choices("datenquelle")));
        // The built-in registry's fields are all laid out by STEPS (or deliberately left out).
        for (step, _, _) in STEPS {
            let extra = registry_inputs(&Registry::builtin(), step);
            assert!(
                extra.is_empty(),
                "{step}: {:?}",
                extra.iter().map(|i| i.key).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn help_texts_drop_the_vocabulary_reference() {
        assert_eq!(help_of(None, "bundesland").as_deref(), Some("Bundesland."));
        assert!(help_of(Some("Kommune"), "ags").is_some_and(|h| h.contains("8 Ziffern")));
    }
}
