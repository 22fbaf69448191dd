//! Tests of the submission protocol: composing, amending and checking drafts.

use super::*;
use serde_json::json;

fn vocabulary() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/minimal/content/vokabular.yaml"
    ))
    .expect("fixture vocabulary")
}

fn context() -> Context {
    Context {
        vokabular: vocabulary(),
        handlungsfelder: vec!["buergerservice".into()],
        beispiele: vec!["vorhanden".into()],
        ..Context::default()
    }
}

fn draft(titel: &str) -> Draft {
    Draft {
        felder: vec![
            ("titel".into(), json!(titel)),
            ("kurzbeschreibung".into(), json!("Kurz.")),
            (
                "kommunen".into(),
                json!([{"name": "Musterstadt", "ags": ""}]),
            ),
            ("bundesland".into(), json!("by")),
            ("verwaltungsebene".into(), json!("stadt")),
            ("handlungsfeld".into(), json!("buergerservice")),
            ("status".into(), json!("pilot")),
            ("ki_technik".into(), json!(["generative_ki"])),
            (
                "quellen".into(),
                json!([{"url": "https://example.org/a", "titel": "Quelle", "abgerufen": "2026-12-06"}, {"titel": ""}]),
            ),
            ("erfasst_am".into(), json!("2026-12-06")),
            ("anbieter".into(), json!("")),
        ],
        text: "Text.\r\n".into(),
    }
}

#[test]
fn composed_file_is_in_model_order_without_empty_fields() {
    let file = compose(&draft("Ein Titel"));
    assert!(
        file.starts_with("---\ntitel: Ein Titel\nkurzbeschreibung: Kurz.\n"),
        "{file}"
    );
    assert!(!file.contains("anbieter"), "{file}");
    assert!(!file.contains("ags"), "{file}");
    assert!(
        file.contains("- titel: Quelle\n  url: https://example.org/a\n  abgerufen:"),
        "{file}"
    );
    assert!(file.ends_with("---\n\nText.\n"), "{file}");
}

#[test]
fn hostile_text_round_trips_exactly() {
    for typed in [
        "a: b # c",
        "---",
        "</script><script>alert(1)</script>",
        "&anker *verweis",
        "\tTab am Anfang",
        "'einfach' \"doppelt\"",
        "- liste",
        "[1, 2]",
        "ja",
        "0123",
        "~",
        "zwei\nZeilen\n",
        &"x".repeat(5000),
    ] {
        let file = compose(&draft(typed));
        let split = frontmatter::split(&file).expect("front matter");
        let v = yaml::parse_value(split.yaml).expect("yaml");
        assert_eq!(v["titel"].as_str(), Some(typed), "{file}");
    }
}

#[test]
fn check_reports_what_the_build_reports_for_the_file() {
    let ctx = context();
    let file = compose(&draft("Ein Titel"));
    let ok = check(&ctx, "content/beispiele/ein-titel.md", &file, true);
    assert!(
        ok.iter()
            .all(|d| d.severity != crate::diagnostics::Severity::Error),
        "{ok:?}"
    );

    let mut bad = draft("Ein Titel");
    bad.felder[5].1 = json!("buergerservic");
    let file = compose(&bad);
    let ds = check(&ctx, "content/beispiele/ein-titel.md", &file, true);
    let d = ds
        .iter()
        .find(|d| d.field.as_deref() == Some("handlungsfeld"))
        .expect("error");
    assert!(
        d.hint.as_deref().unwrap_or("").contains("buergerservice"),
        "{d:?}"
    );
    assert!(d.line > 0);
}

#[test]
fn an_existing_id_is_a_duplicate_only_for_new_files() {
    let ctx = context();
    let file = compose(&draft("Vorhanden"));
    let new = check(&ctx, "content/beispiele/vorhanden.md", &file, true);
    assert!(new.iter().any(|d| d.message.contains("doppelt")), "{new:?}");
    let correction = check(&ctx, "content/beispiele/vorhanden.md", &file, false);
    assert!(!correction.iter().any(|d| d.message.contains("doppelt")));
}

#[test]
fn amend_rewrites_only_the_changed_field() {
    let original = "---\n# Kommentar bleibt\ntitel: 'Alt'   # auch dieser\nkurzbeschreibung: >-\n  Kurz.\n\n# Abschnitt\nkommunen:\n  - { name: Musterstadt }\nbundesland: by\nverwaltungsebene: stadt\nhandlungsfeld: buergerservice\nstatus: pilot\nki_technik: [generative_ki]\nquellen:\n  - { titel: Quelle, url: \"https://example.org/a\", abgerufen: 2026-12-06 }\nerfasst_am: 2026-12-06\n---\n\nText.\n";
    let mut d = draft_of(original).expect("draft");
    let status = d
        .felder
        .iter_mut()
        .find(|(k, _)| k == "status")
        .expect("status");
    status.1 = json!("regelbetrieb");
    let amended = amend(original, &d);
    assert_eq!(
        amended,
        original.replace("status: pilot", "status: regelbetrieb")
    );

    // Adding a field puts it after its predecessor in model order; clearing removes it.
    d.felder.push(("anbieter".into(), json!("Firma: GmbH")));
    let amended = amend(original, &d);
    assert!(
        amended.contains("erfasst_am: 2026-12-06\nanbieter: 'Firma: GmbH'\n---"),
        "{amended}"
    );
    let mut cleared = draft_of(&amended).expect("draft");
    cleared.felder.retain(|(k, _)| k != "anbieter");
    let back = amend(&amended, &cleared);
    assert_eq!(
        back,
        original.replace("status: pilot", "status: regelbetrieb")
    );

    // The body only when it changed.
    let mut body = draft_of(original).expect("draft");
    body.text = "Neuer Text.".into();
    assert!(amend(original, &body).ends_with("---\n\nNeuer Text.\n"));
    assert_eq!(
        amend(original, &draft_of(original).expect("draft")),
        original
    );
}
