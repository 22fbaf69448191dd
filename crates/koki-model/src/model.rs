//! The typed content model, exactly as DESIGN.md and `docs/format.md` describe it.
//!
//! Contributor-facing keys are German; Rust names are the same keys so that the JSON Schema
//! (`koki schema`) and the open-data export use the contributor's vocabulary. Vocabulary values
//! are plain strings here and are checked against `vokabular.yaml` in `validate`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A source for an example or scenario.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Quelle {
    /// Title of the source, e.g. the page or document title.
    pub titel: String,
    /// http or https address.
    pub url: String,
    /// Date the source was read (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abgerufen: Option<String>,
}

/// Geographic point of a municipality (WGS 84), used for the map.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Koordinaten {
    pub lat: f64,
    pub lon: f64,
}

/// A municipality (or other body) taking part in an example.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Kommune {
    pub name: String,
    /// Amtlicher Gemeindeschlüssel (8 digits) or Kreisschlüssel (5 digits), quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ags: Option<String>,
    /// Vocabulary `rolle`: federfuehrend, beteiligt, nachnutzend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub koordinaten: Option<Koordinaten>,
}

/// Start and end year of an example.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Zeitraum {
    pub start: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ende: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OpenSource {
    /// SPDX licence id, e.g. MIT or EUPL-1.2.
    pub lizenz: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Uebertragbarkeit {
    /// Vocabulary `uebertragbarkeit`: hoch, mittel, gering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einschaetzung: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voraussetzungen: Option<String>,
}

/// Contact of a team mailbox; no personal names.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Kontakt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funktionspostfach: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Front matter of an example (`content/beispiele/<id>.md`).
///
/// Unknown keys are refused by the parser, which checks keys against the schema the field
/// registry closes ([`crate::fields::Registry::example_schema`]); serde cannot deny unknown
/// fields next to the flattened [`Example::weitere`].
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Example {
    /// Title, at most 100 characters.
    pub titel: String,
    /// Plain-language summary, at most 400 characters.
    pub kurzbeschreibung: String,
    /// At least one municipality.
    pub kommunen: Vec<Kommune>,
    /// Vocabulary `bundesland`.
    pub bundesland: String,
    /// Vocabulary `verwaltungsebene`.
    pub verwaltungsebene: String,
    /// Primary action field (id of a file in `handlungsfelder/`).
    pub handlungsfeld: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handlungsfelder_weitere: Vec<String>,
    /// Vocabulary `status`.
    pub status: String,
    /// Required when `status` is `eingestellt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_grund: Option<String>,
    /// Vocabulary `ki_technik`, at least one.
    pub ki_technik: Vec<String>,
    /// At least one source.
    pub quellen: Vec<Quelle>,
    /// Date the entry was added (YYYY-MM-DD).
    pub erfasst_am: String,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemeindetyp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub laendlichkeit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einwohner: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anwendungstyp: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interaktion: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entscheidungsrolle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zeitraum: Option<Zeitraum>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub motivation: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motivation_erlaeuterung: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub finanzierung: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foerderprogramm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kosten: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub umsetzung: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anbieter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_source: Option<OpenSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personenbezogene_daten: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ki_verordnung: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beteiligung_beschaeftigte: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beteiligung_buergerschaft: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personalrat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stellenwirkung: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidenzgrad: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uebertragbarkeit: Option<Uebertragbarkeit>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sdgs: Vec<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zielgruppen: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kontakt: Option<Kontakt>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub szenarien: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verwandte_beispiele: Vec<String>,
    /// Former ids of this example (e.g. entries merged into it): the build writes a redirect
    /// page at each old address, so links and bookmarks keep working.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fruehere_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub externe_ids: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redaktionsstatus: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zuletzt_geprueft: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lizenz: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Values of registry fields that have no Rust field of their own, by key (see
    /// [`crate::fields`]). Empty for koki's built-in fields.
    #[serde(flatten)]
    #[schemars(skip)]
    pub weitere: BTreeMap<String, crate::fields::ExtraValue>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemeindetyp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub laendlichkeit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Perspektive {
    pub wer: String,
    pub sicht: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GewinnerVerlierer {
    #[serde(default)]
    pub gewinner: Vec<String>,
    #[serde(default)]
    pub verlierer: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Handlungsoption {
    pub massnahme: String,
    /// Vocabulary `aufwand`: gering, mittel, hoch.
    pub aufwand: String,
    /// True when the measure pays off in every future.
    #[serde(default)]
    pub no_regret: bool,
}

/// Front matter of a scenario (`content/szenarien/<id>.md`): an imagined future.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub titel: String,
    pub kurzfassung: String,
    pub handlungsfeld: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handlungsfelder_weitere: Vec<String>,
    /// Target year of the imagined future.
    pub zeithorizont: i32,
    /// Vocabulary `szenariotyp`.
    pub szenariotyp: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub perspektiven: Vec<Perspektive>,
    /// Ids of real examples that already point towards this future.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vorboten: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voraussetzungen: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chancen: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risiken: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gewinner_verlierer: Option<GewinnerVerlierer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handlungsoptionen_heute: Vec<Handlungsoption>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offene_fragen: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quellen: Vec<Quelle>,
    pub erstellt_am: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Front matter of an action field (`content/handlungsfelder/<id>.md`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ActionField {
    pub titel: String,
    pub kurz: String,
    pub reihenfolge: i32,
    /// COFOG codes such as "04.5".
    #[serde(default)]
    pub cofog: Vec<String>,
}

/// Front matter of a free page (`content/seiten/<id>.md`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub titel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beschreibung: Option<String>,
    #[serde(default)]
    pub reihenfolge: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NavItem {
    pub titel: String,
    /// Site-relative path such as `beispiele/`.
    pub pfad: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Legal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impressum: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datenschutz: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barrierefreiheit: Option<String>,
}

/// `content/site.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub titel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untertitel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beschreibung: Option<String>,
    /// Public address of the site, with an optional path (`https://example.org/katalog/`).
    pub base_url: String,
    #[serde(default = "default_language")]
    pub sprache: String,
    pub herausgeber: Publisher,
    /// Repository URL (GitHub or GitLab): the submission form offers to propose a new file
    /// there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Branch the form proposes files against (default `main`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_zweig: Option<String>,
    /// Editorial e-mail address: the form offers to send the file there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub einreichung_email: Option<String>,
    #[serde(default)]
    pub navigation: Vec<NavItem>,
    #[serde(default)]
    pub rechtliches: Legal,
}

fn default_language() -> String {
    "de".to_string()
}

/// One vocabulary value.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VocabEntry {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beschreibung: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mappings: BTreeMap<String, String>,
}

/// `content/vokabular.yaml`: vocabulary name -> id -> entry, in file order (the display order).
pub type Vocabularies = indexmap::IndexMap<String, indexmap::IndexMap<String, VocabEntry>>;
