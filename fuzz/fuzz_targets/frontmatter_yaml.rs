//! Front-matter splitter + YAML model + locator: any bytes must yield `Ok` or diagnostics,
//! never a panic, hang or memory error (serde_yaml runs on the C2Rust port of libyaml).
#![no_main]

use koki::model::{Example, Scenario};
use koki::yaml::{self, Locator, Seg, YamlSource};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // The loader rejects non-UTF-8 before splitting (with line/column); mirror that.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = koki::frontmatter::strip_bom(text);
    let file = Path::new("content/beispiele/fuzz.md");
    let (yaml_text, first_line) = match koki::frontmatter::split(text) {
        Ok(s) => {
            assert!(s.yaml_first_line >= 1 && s.body_first_line > s.yaml_first_line);
            (s.yaml, s.yaml_first_line)
        }
        // A whole `.yaml` entry is parsed without splitting.
        Err(_) => (text, 1),
    };
    let src = YamlSource {
        file,
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
            // Rendering a diagnostic (caret line, field path) must not panic either.
            let _ = d.render_human();
            let _ = d.render_github();
        }
    }
    // The locator on arbitrary text and typical paths.
    let locator = Locator::new(yaml_text);
    let paths: [&[Seg]; 4] = [
        &[Seg::Key("titel".into())],
        &[
            Seg::Key("kommunen".into()),
            Seg::Index(0),
            Seg::Key("ags".into()),
        ],
        &[
            Seg::Key("quellen".into()),
            Seg::Index(1),
            Seg::Key("url".into()),
        ],
        &[Seg::Key("koordinaten".into()), Seg::Key("lon".into())],
    ];
    let lines = yaml_text.lines().count().max(1);
    for p in paths {
        for at_value in [false, true] {
            let (line, col) = locator.locate(p, at_value);
            assert!(
                line >= 1 && line <= lines && col >= 1,
                "{line}:{col} of {lines} lines"
            );
        }
    }
});
