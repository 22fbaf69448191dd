//! Markdown renderer + sanitiser: any text must render without panicking, and the HTML must
//! be inert: no script/style/frame/SVG/MathML elements, no event handlers, no URL with a
//! scheme other than http, https or mailto.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form", "input",
    "button", "textarea", "select", "base", "meta", "link", "template", "noscript",
];
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "cite",
    "poster",
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for base in ["/", "/katalog/"] {
        let r = koki::markdown::render(text, base);
        let doc = scraper::Html::parse_fragment(&r.html);
        for node in doc.tree.nodes() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            let name = el.name();
            assert!(
                !FORBIDDEN_ELEMENTS.contains(&name),
                "<{name}> survived: {}",
                r.html
            );
            for (attr, value) in el.attrs() {
                let attr = attr.to_ascii_lowercase();
                assert!(!attr.starts_with("on"), "{attr} survived: {}", r.html);
                assert!(attr != "srcdoc", "srcdoc survived: {}", r.html);
                assert!(
                    attr != "style" || name == "td" || name == "th",
                    "style on <{name}> survived: {}",
                    r.html
                );
                if URL_ATTRIBUTES.contains(&attr.as_str()) {
                    // As a browser reads it (WHATWG URL): leading/trailing C0 controls and
                    // spaces stripped, tabs and newlines removed everywhere.
                    let v: String = value
                        .trim_matches(|c: char| c <= ' ')
                        .chars()
                        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if let Some((scheme, _)) = v.split_once(':') {
                        // A scheme as browsers parse it (WHATWG URL): an ASCII letter, then
                        // letters, digits, `+`, `-`, `.`. Anything else is a relative URL.
                        let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                            && scheme
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
                        assert!(
                            !is_scheme || ["http", "https", "mailto"].contains(&scheme),
                            "{attr}={value:?} survived: {}",
                            r.html
                        );
                    }
                }
            }
        }
    }
});
