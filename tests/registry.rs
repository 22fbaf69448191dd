//! The field registry is the one place a field is declared: a field added there (plus its
//! vocabulary) shows up in the fact box, the CSV export, the JSON Schema, the filter pages and
//! validation, with no other code touched. The fixture `tests/fixtures/registry-field` is the
//! minimal site with one example that uses the field `datenquelle`, and the vocabulary to
//! append.

mod common;
use common::{fixtures, read, site};
use koki::build::{build, BuildOptions};
use koki::fields::{FieldSpec, Group, Registry};
use koki::SiteError;
use std::path::Path;
use std::sync::Arc;

/// The one declaration the test adds.
const DATENQUELLE: FieldSpec = FieldSpec::vocabulary(
    "datenquelle",
    "datenquelle",
    true,
    "Datenquelle",
    "Woher die Daten des Systems stammen (Vokabular `datenquelle`).",
    Group::Wie,
)
.with_filter(20);

/// The fixture site with the `datenquelle` vocabulary appended to its `vokabular.yaml`.
fn fixture_site() -> tempfile::TempDir {
    let dir = fixtures().join("registry-field");
    let site = site(Some(&dir));
    let vocab = site.path().join("content/vokabular.yaml");
    let mut text = std::fs::read_to_string(&vocab).unwrap();
    text.push_str(&std::fs::read_to_string(dir.join("vokabular-zusatz.yaml")).unwrap());
    std::fs::write(&vocab, text).unwrap();
    site
}

fn build_with(root: &Path, registry: Arc<Registry>) -> Result<(), SiteError> {
    let opts = BuildOptions {
        registry,
        ..BuildOptions::for_root(root)
    };
    build(&opts).map(|_| ())
}

#[test]
fn a_field_declared_once_appears_in_every_output() {
    let site = fixture_site();
    build_with(site.path(), Arc::new(Registry::with([DATENQUELLE])))
        .unwrap_or_else(|e| panic!("build failed: {e:?}"));
    let public = site.path().join("public");

    // Fact box: a row in its group, with the vocabulary labels linked to the filter pages.
    let page = read(&public, "beispiele/kleindorf-chatbot/index.html");
    let row = page
        .split(r#"<div class="fact fact-datenquelle">"#)
        .nth(1)
        .unwrap_or_else(|| panic!("no fact-box row for the new field:\n{page}"));
    let row = &row[..row.find("</div>").unwrap()];
    assert!(row.contains("<dt>Datenquelle</dt>"), "{row}");
    assert!(
        row.contains(r#"href="/filter/datenquelle/offene_daten/""#) && row.contains("Offene Daten"),
        "{row}"
    );
    assert!(row.contains("Daten aus dem Fachverfahren"), "{row}");
    let wie = page
        .split(r#"id="steckbrief-wie""#)
        .nth(1)
        .unwrap_or_default();
    let wie = wie
        .split(r#"class="fact-group""#)
        .next()
        .unwrap_or_default();
    assert!(
        wie.contains("fact-datenquelle"),
        "the row is not in the group `wie`"
    );

    // The other example leaves it empty: it is listed among the missing facts.
    let other = read(&public, "beispiele/musterstadt-ampelsteuerung/index.html");
    assert!(!other.contains("fact-datenquelle"));
    assert!(other.contains("Datenquelle"), "not among the missing facts");

    // CSV: a column named by the key, with the ids joined.
    let csv = read(&public, "daten/catalog.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = header
        .iter()
        .position(|c| c == "datenquelle")
        .unwrap_or_else(|| panic!("no CSV column: {header:?}"));
    let record = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "kleindorf-chatbot")
        .expect("CSV row");
    assert_eq!(&record[col], "offene_daten; fachverfahren");

    // JSON Schema: a property with the help text and the vocabulary's ids as its values.
    let schema: serde_json::Value =
        serde_json::from_str(&read(&public, "daten/schema/beispiel.schema.json")).unwrap();
    let prop = &schema["properties"]["datenquelle"];
    assert_eq!(prop["type"], "array", "{prop}");
    assert_eq!(
        prop["items"]["enum"],
        serde_json::json!(["offene_daten", "fachverfahren"]),
        "{prop}"
    );
    assert!(prop["description"]
        .as_str()
        .unwrap()
        .starts_with("Woher die Daten"));

    // Facets: a filter page per value, listing the example, and a place in the overview.
    let filter = read(&public, "filter/datenquelle/offene_daten/index.html");
    assert!(filter.contains("Chatbot im Rathaus Kleindorf"), "{filter}");
    assert!(!filter.contains("Ampelsteuerung"));
    assert!(read(&public, "filter/index.html").contains("Datenquelle"));

    // The submission form's template (the same text as `koki new`) offers it.
    let form = read(&public, "einreichen/index.html");
    assert!(form.contains("# datenquelle: […]"));
    // … and asks for it, as choices of its vocabulary.
    assert!(
        form.contains("data-feld=\"datenquelle\""),
        "not asked in the form"
    );
    assert!(form.contains("fachverfahren"));

    // Open data: the JSON export carries the values under the key.
    let json: serde_json::Value =
        serde_json::from_str(&read(&public, "daten/catalog.json")).unwrap();
    let example = json["beispiele"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "kleindorf-chatbot")
        .unwrap();
    assert_eq!(
        example["datenquelle"],
        serde_json::json!(["offene_daten", "fachverfahren"])
    );
}

#[test]
fn a_declared_field_is_validated_against_its_vocabulary() {
    let site = fixture_site();
    let file = site.path().join("content/beispiele/kleindorf-chatbot.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("fachverfahren]", "fachverfahrn]")).unwrap();
    let Err(SiteError::Content(diags)) =
        build_with(site.path(), Arc::new(Registry::with([DATENQUELLE])))
    else {
        panic!("a wrong value must fail the build");
    };
    let d = diags
        .items
        .iter()
        .find(|d| d.field.as_deref() == Some("datenquelle[1]"))
        .unwrap_or_else(|| panic!("no diagnostic at datenquelle[1]: {diags:?}"));
    assert!(
        d.message.contains("kein Wert des Vokabulars `datenquelle`"),
        "{d:?}"
    );
    assert_eq!(d.line, 17, "{d:?}");
    assert!(
        d.hint
            .as_deref()
            .unwrap_or_default()
            .contains("fachverfahren"),
        "{d:?}"
    );
}

#[test]
fn without_the_declaration_the_key_is_unknown() {
    let site = fixture_site();
    let Err(SiteError::Content(diags)) = build_with(site.path(), Registry::builtin()) else {
        panic!("an undeclared key must fail the build");
    };
    assert!(
        diags
            .items
            .iter()
            .any(|d| d.message == "unbekanntes Feld `datenquelle`"),
        "{diags:?}"
    );
}

#[test]
fn a_declared_vocabulary_must_exist() {
    let site = site(Some(&fixtures().join("registry-field")));
    let Err(SiteError::Content(diags)) =
        build_with(site.path(), Arc::new(Registry::with([DATENQUELLE])))
    else {
        panic!("a missing vocabulary must fail the build");
    };
    assert!(
        diags
            .items
            .iter()
            .any(|d| d.message == "das Vokabular `datenquelle` fehlt"),
        "{diags:?}"
    );
}

#[test]
fn koki_new_offers_a_declared_field() {
    let site = fixture_site();
    let (loaded, _) = koki::load::load_with(site.path(), Arc::new(Registry::with([DATENQUELLE])));
    let terms = koki::schema::Terms::from_loaded(&loaded).expect("vocabulary loads");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let text = koki::scaffold::template(
        koki::scaffold::EntryKind::Example,
        "Titel",
        today,
        Some(&terms),
    );
    let at = text
        .find("# datenquelle: […]")
        .unwrap_or_else(|| panic!("not offered:\n{text}"));
    let before = &text[..at];
    assert!(before.ends_with(
        "# Woher die Daten des Systems stammen (Vokabular `datenquelle`).\n# erlaubt: offene_daten, fachverfahren\n"
    ), "{before}");
}
