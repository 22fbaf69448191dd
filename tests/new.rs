//! `koki new`: templates with every required field, slugs from titles, never overwriting, and a
//! file that passes `koki check` once its placeholders are filled in.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 2026-11-28T00:00:00Z.
const EPOCH: &str = "1795824000";

fn site() -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-base");
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    dir
}

fn koki(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_koki"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("run koki")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn created(o: &Output) -> PathBuf {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    PathBuf::from(String::from_utf8(o.stdout.clone()).unwrap().trim())
}

/// Replace every `TODO` placeholder the way a contributor would: the value of the key on that
/// line gets a real value, a body line gets real text.
fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let filled = if let Some(rest) = line.trim_start().strip_prefix("TODO") {
            let _ = rest;
            "Ein Satz mit echtem Inhalt.".to_string()
        } else if line.contains("TODO") && !line.trim_start().starts_with('#') {
            let (key_part, _) = line
                .split_once(':')
                .expect("placeholder lines are `key: value`");
            let key = key_part.trim().trim_start_matches("- ");
            let value = values
                .iter()
                .find(|(k, _)| *k == key)
                .unwrap_or_else(|| panic!("no value for `{key}` in test"))
                .1;
            format!("{key_part}: {value}")
        } else {
            line.to_string()
        };
        out.push_str(&filled);
        out.push('\n');
    }
    out
}

#[test]
fn new_example_has_slug_schema_line_and_todays_date() {
    let dir = site();
    let path = created(&koki(
        dir.path(),
        &[
            "new",
            "beispiel",
            "KI-Assistenz für Müller & Söhne in Groß-Umstadt",
        ],
    ));
    assert_eq!(
        path.strip_prefix(dir.path()).unwrap(),
        Path::new("content/beispiele/ki-assistenz-fuer-mueller-soehne-in-gross-umstadt.md")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text
        .starts_with("---\n# yaml-language-server: $schema=../../schema/beispiel.schema.json\n"));
    assert!(text.contains("titel: \"KI-Assistenz für Müller & Söhne in Groß-Umstadt\"\n"));
    assert!(text.contains("erfasst_am: 2026-11-28\n"));
    assert!(text.contains("redaktionsstatus: eingereicht\n"));
    // The schema line points at a committed file.
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema/beispiel.schema.json")
        .is_file());
    // Every required field of the schema is in the template.
    let schema = koki::schema::example_schema();
    for field in schema["required"].as_array().unwrap() {
        let key = format!("\n{}:", field.as_str().unwrap());
        assert!(text.contains(&key), "template lacks {key}");
    }
    // Allowed values come from the site's vocabulary.
    assert!(text.contains("# erlaubt: idee, planung, pilot, regelbetrieb, eingestellt\n"));
}

#[test]
fn never_overwrites() {
    let dir = site();
    let path = created(&koki(dir.path(), &["new", "beispiel", "Doppelt"]));
    std::fs::write(&path, "meins").unwrap();
    let again = koki(dir.path(), &["new", "beispiel", "Doppelt"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains(
            "`content/beispiele/doppelt.md` existiert bereits und wird nicht überschrieben"
        ),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "meins");
    // An example with the same id as `.yaml` counts as well.
    std::fs::write(dir.path().join("content/beispiele/nur-yaml.yaml"), "x").unwrap();
    let yaml = koki(dir.path(), &["new", "beispiel", "Nur YAML"]);
    assert_eq!(yaml.status.code(), Some(2), "{}", stderr(&yaml));
    // --id chooses another name; an invalid id is refused.
    let other = created(&koki(
        dir.path(),
        &["new", "beispiel", "Doppelt", "--id", "doppelt-2"],
    ));
    assert!(other.ends_with("content/beispiele/doppelt-2.md"));
    assert_eq!(
        koki(dir.path(), &["new", "beispiel", "X", "--id", "Groß"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        koki(dir.path(), &["new", "beispiel", "!!!"]).status.code(),
        Some(2)
    );
    assert_eq!(
        koki(dir.path(), &["new", "beispiel", "  "]).status.code(),
        Some(2)
    );
}

#[test]
fn unfilled_template_fails_check_with_one_error_per_placeholder() {
    let dir = site();
    let path = created(&koki(dir.path(), &["new", "beispiel", "Entwurf"]));
    let text = std::fs::read_to_string(&path).unwrap();
    let placeholders = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.matches("TODO").count())
        .sum::<usize>();
    let out = koki(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = report["diagnostics"].as_array().unwrap();
    assert_eq!(items.len(), placeholders, "{report:#}");
    for d in items {
        assert_eq!(d["file"], "content/beispiele/entwurf.md");
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("Platzhalter `TODO`"),
            "{d}"
        );
    }
}

#[test]
fn filled_example_passes_check() {
    let dir = site();
    let path = created(&koki(
        dir.path(),
        &["new", "beispiel", "Chatbot für Musterdorf"],
    ));
    let text = std::fs::read_to_string(&path).unwrap();
    let filled = fill(
        &text,
        &[
            (
                "kurzbeschreibung",
                "\"Ein Chatbot beantwortet Fragen zum Bürgerbüro.\"",
            ),
            ("name", "Musterdorf"),
            ("ags", "\"09187000\""),
            ("bundesland", "by"),
            ("verwaltungsebene", "gemeinde"),
            ("handlungsfeld", "buergerservice"),
            ("status", "pilot"),
            ("ki_technik", "[sprachverarbeitung]"),
            ("titel", "\"Amtsblatt Musterdorf\""),
            ("url", "https://musterdorf.example/amtsblatt"),
        ],
    );
    assert!(!filled
        .lines()
        .any(|l| l.contains("TODO") && !l.trim_start().starts_with('#')));
    std::fs::write(&path, filled).unwrap();
    let out = koki(dir.path(), &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("0 Fehler, 0 Warnungen"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn filled_scenario_passes_check() {
    let dir = site();
    let path = created(&koki(
        dir.path(),
        &["new", "szenario", "Rathaus im Dorfladen 2035"],
    ));
    assert!(path.ends_with("content/szenarien/rathaus-im-dorfladen-2035.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("$schema=../../schema/szenario.schema.json"));
    assert!(text.contains("erstellt_am: 2026-11-28\n"));
    let unfilled = koki(dir.path(), &["check"]);
    assert_eq!(unfilled.status.code(), Some(1));
    let filled = fill(
        &text,
        &[
            ("kurzfassung", "\"Das Dorf bekommt sein Amt zurück.\""),
            ("handlungsfeld", "buergerservice"),
            ("zeithorizont", "2035"),
            ("szenariotyp", "wunsch"),
            ("gemeindetyp", "landgemeinde"),
            ("laendlichkeit", "sehr_laendlich"),
            ("wer", "\"Ladeninhaberin\""),
            ("sicht", "\"Mehr Kundschaft, mehr Fragen.\""),
            ("chancen", "[\"Kurze Wege\"]"),
            ("risiken", "[\"Datenschutz am Tresen\"]"),
            ("massnahme", "\"Online-Dienste bündeln\""),
            ("aufwand", "mittel"),
            ("offene_fragen", "[\"Wer haftet?\"]"),
        ],
    );
    std::fs::write(&path, filled).unwrap();
    let out = koki(dir.path(), &["check", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
