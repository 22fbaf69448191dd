//! Contributor material stays in step with the code: the issue form offers exactly the
//! vocabulary and action fields of `content/`, and the CI templates call commands that exist.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The ids of a dropdown in the issue form: options are written as "Label (id)".
fn dropdown_ids(form: &serde_yaml::Value, id: &str) -> BTreeSet<String> {
    let item = form["body"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|b| b["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no field `{id}` in the form"));
    item["attributes"]["options"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|o| {
            let o = o.as_str().unwrap();
            let start = o.rfind('(').expect("option ends in (id)");
            o[start + 1..o.len() - 1].to_string()
        })
        .collect()
}

#[test]
fn issue_form_matches_vocabulary_and_action_fields() {
    let form: serde_yaml::Value =
        serde_yaml::from_str(&read(".github/ISSUE_TEMPLATE/beispiel.yml")).unwrap();
    let (loaded, _) = koki::load::load(root());
    let vocab = &loaded.vocab.expect("vocabulary").meta;
    for name in ["bundesland", "verwaltungsebene", "status", "ki_technik"] {
        let want: BTreeSet<String> = vocab[name].keys().cloned().collect();
        assert_eq!(
            dropdown_ids(&form, name),
            want,
            "the form's `{name}` options differ from content/vokabular.yaml"
        );
    }
    let fields: BTreeSet<String> = loaded.fields.iter().map(|f| f.id.clone()).collect();
    assert_eq!(dropdown_ids(&form, "handlungsfeld"), fields);
    // Every required field of an example is asked for.
    for id in ["titel", "kurzbeschreibung", "kommunen", "quellen"] {
        assert!(
            form["body"]
                .as_sequence()
                .unwrap()
                .iter()
                .any(|b| b["id"].as_str() == Some(id)),
            "{id}"
        );
    }
}

#[test]
fn templates_and_workflows_exist_and_use_real_commands() {
    let check = read(".github/workflows/check.yml");
    assert!(check.contains("pull_request"));
    assert!(check.contains("koki check --format github"));
    let pages = read(".github/workflows/pages.yml");
    assert!(pages.contains("koki build") && pages.contains("path: public"));
    let gitlab = read("docs/ci/gitlab-ci.yml");
    assert!(gitlab.contains("merge_request_event") && gitlab.contains("koki check"));
    assert!(gitlab.contains("pages:") && gitlab.contains("paths: [public]"));
    for rel in [
        ".github/workflows/check.yml",
        ".github/workflows/pages.yml",
        "docs/ci/gitlab-ci.yml",
        ".github/ISSUE_TEMPLATE/korrektur.yml",
        ".github/ISSUE_TEMPLATE/config.yml",
    ] {
        serde_yaml::from_str::<serde_yaml::Value>(&read(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
    }
    let pr = read(".github/pull_request_template.md");
    assert!(pr.contains("- [ ] `koki check`"));
    let contributing = read("CONTRIBUTING.md");
    for needle in [
        "koki new beispiel",
        "koki check",
        "eingereicht",
        "redaktionell_geprueft",
        "von_kommune_bestaetigt",
        "Exit-Code",
    ] {
        assert!(
            contributing.contains(needle),
            "CONTRIBUTING.md lacks {needle}"
        );
    }
    // The states named there are the vocabulary's.
    let (loaded, _) = koki::load::load(root());
    let states: Vec<&String> = loaded.vocab.as_ref().unwrap().meta["redaktionsstatus"]
        .keys()
        .collect();
    assert_eq!(
        states,
        [
            "eingereicht",
            "redaktionell_geprueft",
            "von_kommune_bestaetigt"
        ]
    );
}
