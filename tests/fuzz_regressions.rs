//! Replays fuzzer findings (issue 10) in the normal test suite. Every input that once crashed,
//! hung or broke an invariant in a fuzz target lives in `tests/fixtures/fuzz/<target>/` and is
//! run here through the same checks as in `fuzz/fuzz_targets/<target>.rs`.

use koki::model::{Example, Scenario};
use koki::yaml::{self, Locator, Seg, YamlSource};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.ends_with("README.md"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    v.sort();
    v
}

/// The body of the `frontmatter_yaml` fuzz target.
fn frontmatter_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = koki::frontmatter::strip_bom(text);
    let (yaml_text, first_line) = match koki::frontmatter::split(text) {
        Ok(s) => (s.yaml, s.yaml_first_line),
        Err(_) => (text, 1),
    };
    let src = YamlSource {
        file: Path::new("content/beispiele/fuzz.md"),
        text: yaml_text,
        first_line,
    };
    for diags in [
        yaml::parse::<Example>(src).err(),
        yaml::parse::<Scenario>(src).err(),
    ]
    .into_iter()
    .flatten()
    {
        for d in diags {
            let _ = d.render_human();
            let _ = d.render_github();
        }
    }
    let locator = Locator::new(yaml_text);
    let lines = yaml_text.lines().count().max(1);
    for p in [
        vec![Seg::Key("titel".into())],
        vec![
            Seg::Key("kommunen".into()),
            Seg::Index(0),
            Seg::Key("ags".into()),
        ],
    ] {
        let (line, col) = locator.locate(&p, true);
        assert!(line >= 1 && line <= lines && col >= 1);
    }
}

/// The body of the `markdown` fuzz target (its HTML invariants).
fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let r = koki::markdown::render(text, "/katalog/");
    let doc = scraper::Html::parse_fragment(&r.html);
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        assert!(
            !["script", "style", "iframe", "object", "embed", "svg", "math"].contains(&el.name()),
            "<{}> in {}",
            el.name(),
            r.html
        );
        for (attr, value) in el.attrs() {
            assert!(!attr.starts_with("on"), "{attr} in {}", r.html);
            if ["href", "src"].contains(&attr) {
                let v: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for bad in ["javascript:", "data:", "vbscript:"] {
                    assert!(!v.starts_with(bad), "{attr}={value} in {}", r.html);
                }
            }
        }
    }
}

fn replay(target: &str, run: fn(&[u8])) {
    let all = inputs(target);
    assert!(!all.is_empty(), "no inputs for {target}");
    for (path, bytes) in all {
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| run(&bytes));
        assert!(result.is_ok(), "{} panics", path.display());
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{} took {:?}",
            path.display(),
            start.elapsed()
        );
    }
}

#[test]
fn frontmatter_yaml_findings_stay_fixed() {
    replay("frontmatter_yaml", frontmatter_yaml);
}

#[test]
fn markdown_findings_stay_fixed() {
    replay("markdown", markdown);
}

#[test]
fn deep_flow_nesting_is_fast() {
    // Found by tests/hardening.rs before fuzzing: libyaml's scanner is quadratic in the flow
    // depth; 100 000 `[` took minutes. Now refused up front in linear time.
    let deep = format!(
        "---\ntitel: x\ntags: {}1{}\n---\n",
        "[".repeat(120_000),
        "]".repeat(120_000)
    );
    let start = Instant::now();
    frontmatter_yaml(deep.as_bytes());
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}
