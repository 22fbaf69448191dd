//! The committed JSON Schemas (`schema/`) are exactly what `koki schema` generates from the
//! model types and the shipped vocabulary.

use std::path::Path;

#[test]
fn committed_schema_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = koki::schema::generate(root).expect("vocabulary loads");
    assert_eq!(files.len(), 2);
    for (rel, generated) in &files {
        let committed = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
        assert!(
            &committed == generated,
            "{} ist veraltet: erzeugen Sie es neu mit `cargo run -- schema` und committen Sie die Datei",
            rel.display()
        );
    }
    assert!(koki::schema::outdated(root, &files).is_empty());
}

#[test]
fn schema_lists_vocabulary_and_action_fields() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = koki::schema::generate(root).unwrap();
    let example: serde_json::Value = serde_json::from_str(&files[0].1).unwrap();
    let status = example["properties"]["status"]["enum"].as_array().unwrap();
    assert!(status.iter().any(|v| v == "regelbetrieb"));
    let fields = example["properties"]["handlungsfeld"]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(fields.len(), 12);
    let techniques = &example["properties"]["ki_technik"]["items"]["enum"];
    assert!(techniques
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v == "generative_ki"));
    assert_eq!(example["additionalProperties"], false);
    let scenario: serde_json::Value = serde_json::from_str(&files[1].1).unwrap();
    assert!(scenario["properties"]["szenariotyp"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v == "warnung"));
}

#[test]
fn schema_check_and_print_commands() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let koki = env!("CARGO_BIN_EXE_koki");
    let check = std::process::Command::new(koki)
        .args(["schema", "--check", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let print = std::process::Command::new(koki)
        .args(["schema", "--print", "szenario", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(print.stdout).unwrap(),
        std::fs::read_to_string(root.join("schema/szenario.schema.json")).unwrap()
    );
    // Writing into another directory; a stale file there is reported by --check.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(koki)
        .args(["schema", "-q", "--root"])
        .arg(root)
        .arg("--output")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.path().join("beispiel.schema.json").is_file());
}
