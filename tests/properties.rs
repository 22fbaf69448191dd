//! Property tests (issue 10) for the front-matter splitter and the YAML locator: bounded case
//! counts so that they run in the normal `cargo test`.

use koki::frontmatter::{split, strip_bom};
use koki::yaml::{Locator, Seg};
use koki_model::Error;
use proptest::prelude::*;

/// 256 cases per property; `PROPTEST_CASES=100000 cargo test --test properties` for a long run.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Lines that are never a fence.
fn text_line() -> impl Strategy<Value = String> {
    "[a-zäöüß0-9 :#\\-\\[\\]{}\"'.,]{0,30}".prop_filter("not a fence", |l| {
        let t = l.trim_end();
        t != "---" && t != "..."
    })
}

fn eol() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n")]
}

proptest! {
    #![proptest_config(config())]

    /// Arbitrary text never panics; a successful split gives back consecutive pieces of the
    /// input with line numbers that match.
    #[test]
    fn split_never_panics_and_pieces_fit(text in "(---|\\.\\.\\.|[ -~äö\\t\\r\\n]){0,200}") {
        let text = strip_bom(&text);
        match split(text) {
            Ok(s) => {
                prop_assert_eq!(s.yaml_first_line, 2);
                let yaml_at = s.yaml.as_ptr() as usize - text.as_ptr() as usize;
                let body_at = s.body.as_ptr() as usize - text.as_ptr() as usize;
                prop_assert!(text[..yaml_at].trim_end_matches(['\r', '\n', ' ', '\t']) == "---");
                prop_assert_eq!(body_at + s.body.len(), text.len());
                prop_assert!(yaml_at + s.yaml.len() <= body_at);
                let closing = &text[yaml_at + s.yaml.len()..body_at];
                let t = closing.trim_end_matches(['\r', '\n', ' ', '\t']);
                prop_assert!(t == "---" || t == "...", "closing fence {:?}", closing);
                prop_assert_eq!(s.body_first_line, text[..body_at].matches('\n').count() + 1);
            }
            Err(Error::NoFrontMatter) => {
                let first = text.split_inclusive('\n').next().unwrap_or("");
                prop_assert!(first.trim_end_matches(['\r', '\n', ' ', '\t']) != "---");
            }
            Err(Error::UnclosedFrontMatter) => {
                let no_fence = text.lines().skip(1).all(|l| {
                    let t = l.trim_end_matches(['\r', ' ', '\t']);
                    t != "---" && t != "..."
                });
                prop_assert!(no_fence, "unclosed although a fence exists");
            }
            Err(other) => prop_assert!(false, "split cannot fail with {:?}", other),
        }
    }

    /// A document built from front matter and body lines splits back into exactly them, with
    /// LF or CRLF line ends and with or without a BOM.
    #[test]
    fn split_recovers_what_was_joined(
        yaml in prop::collection::vec(text_line(), 0..8),
        body in prop::collection::vec(prop_oneof![text_line(), Just("---".to_string())], 0..8),
        nl in eol(),
        bom in any::<bool>(),
    ) {
        let yaml_text: String = yaml.iter().map(|l| format!("{l}{nl}")).collect();
        let body_text: String = body.iter().map(|l| format!("{l}{nl}")).collect();
        let doc = format!("{}---{nl}{yaml_text}---{nl}{body_text}", if bom { "\u{feff}" } else { "" });
        let s = split(strip_bom(&doc)).expect("splits");
        prop_assert_eq!(s.yaml, yaml_text.as_str());
        prop_assert_eq!(s.body, body_text.as_str());
        prop_assert_eq!(s.body_first_line, yaml.len() + 3);
    }

    /// The locator finds every top-level and nested key where it was written, whatever the
    /// indentation width and the values.
    #[test]
    fn locator_finds_written_keys(
        keys in prop::collection::btree_set("[a-z][a-z_]{0,8}", 1..6),
        indent in 1usize..5,
        values in prop::collection::vec("[a-zA-Z0-9 ]{1,12}", 6),
        nested_at in 0usize..6,
    ) {
        let keys: Vec<String> = keys.into_iter().collect();
        let nested_at = nested_at % keys.len();
        let pad = " ".repeat(indent);
        let mut text = String::from("# Kommentar\n");
        let mut expected = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if i == nested_at {
                expected.push((vec![Seg::Key(k.clone())], text.lines().count() + 1, 1));
                text.push_str(&format!("{k}:\n"));
                for (j, sub) in ["name", "ags"].iter().enumerate() {
                    let line = text.lines().count() + 1;
                    let dash = if j == 0 { "- " } else { "  " };
                    text.push_str(&format!("{pad}{dash}{sub}: \"{}\"\n", values[j]));
                    expected.push((
                        vec![Seg::Key(k.clone()), Seg::Index(0), Seg::Key(sub.to_string())],
                        line,
                        indent + 3,
                    ));
                }
            } else {
                expected.push((vec![Seg::Key(k.clone())], text.lines().count() + 1, 1));
                text.push_str(&format!("{k}: {}\n", values[i]));
            }
        }
        let loc = Locator::new(&text);
        for (path, line, col) in expected {
            prop_assert_eq!(loc.locate(&path, false), (line, col), "{:?} in\n{}", path, text);
        }
    }

    /// On arbitrary text and paths the locator returns a position inside the text.
    #[test]
    fn locator_stays_in_bounds(
        text in "([a-z]{1,3}|:|-|\\[|\\]|\\{|\\}|,|\"|'|#| |\n|\t|ä){0,120}",
        path in prop::collection::vec(prop_oneof![
            "[a-z]{1,3}".prop_map(Seg::Key),
            (0usize..4).prop_map(Seg::Index),
        ], 0..5),
        at_value in any::<bool>(),
    ) {
        let loc = Locator::new(&text);
        let (line, col) = loc.locate(&path, at_value);
        let lines: Vec<&str> = text.lines().collect();
        prop_assert!(line >= 1 && line <= lines.len().max(1));
        let width = lines.get(line - 1).map_or(0, |l| l.chars().count());
        prop_assert!(col >= 1 && col <= width + 1, "{}:{} in {:?}", line, col, text);
    }
}
