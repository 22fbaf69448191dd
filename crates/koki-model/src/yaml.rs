//! All YAML parsing of koki lives here: syntax errors, unknown and missing keys (checked against
//! the JSON Schema generated from the model, so both never drift apart), typed deserialisation,
//! and a locator that maps a field path back to `line:column` in the original file.

use crate::diagnostics::{closest, did_you_mean, list_all, quoted, Diagnostic};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use serde_yaml::Value;
use std::path::Path;

mod locator;
pub use locator::Locator;
use locator::{char_col, content_start, is_blank_or_comment, key_prefix_len};

/// Largest YAML text accepted; larger inputs are refused before parsing.
pub const MAX_YAML_BYTES: usize = 256 * 1024;

/// Deepest flow nesting (`[`/`{`) accepted. libyaml's scanner costs O(depth) per token, so
/// 100 000 nested `[` take minutes; real front matter needs two or three levels.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Position (1-based line, column) where unbalanced `[`/`{` first exceed `limit`. Counts every
/// bracket, also inside quotes and comments: it can only over-count, so nothing deeper slips
/// through to the parser.
fn flow_depth_exceeded(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut col) = (1, 0);
    for c in text.chars() {
        col += 1;
        match c {
            '\n' => (line, col) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > limit {
                    return Some((line, col));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// One step in a field path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Dotted display form: `kommunen[0].ags`.
pub fn path_to_string(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Shorthand to build paths: `p(&["kommunen"]).idx(0).key("ags")`.
pub fn key(k: &str) -> Vec<Seg> {
    vec![Seg::Key(k.to_string())]
}

/// A YAML text inside a file, with the file line where it starts.
#[derive(Debug, Clone, Copy)]
pub struct YamlSource<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub first_line: usize,
}

impl<'a> YamlSource<'a> {
    /// The source line with the given file line number, for caret display.
    pub fn file_line(&self, line: usize) -> Option<&'a str> {
        line.checked_sub(self.first_line)
            .and_then(|i| self.text.lines().nth(i))
    }

    /// A diagnostic at the position of `path` (its value when `at_value`).
    pub fn error_at(&self, path: &[Seg], at_value: bool, message: impl Into<String>) -> Diagnostic {
        let (line, col) = Locator::new(self.text).locate(path, at_value);
        let line = line + self.first_line - 1;
        let mut d = Diagnostic::error(self.file, message)
            .at(line, col)
            .with_source_line(self.file_line(line));
        if !path.is_empty() {
            d = d.field(path_to_string(path));
        }
        d
    }

    pub fn warning_at(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        let mut d = self.error_at(path, false, message);
        d.severity = crate::diagnostics::Severity::Warning;
        d
    }
}

/// Parse a YAML text into `T`, reporting every unknown or missing key at once, then the first
/// type error with its position.
/// The JSON Schema of `T` and its `$defs`, generated once per type and shared.
pub fn cached_schema<T: JsonSchema>() -> std::sync::Arc<(Json, Json)> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Cache = Mutex<HashMap<&'static str, Arc<(Json, Json)>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut map = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(std::any::type_name::<T>())
        .or_insert_with(|| {
            let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Json::Null);
            let defs = schema.get("$defs").cloned().unwrap_or(Json::Null);
            Arc::new((schema, defs))
        })
        .clone()
}

pub fn parse<T: DeserializeOwned + JsonSchema>(src: YamlSource<'_>) -> Result<T, Vec<Diagnostic>> {
    parse_with_schema(src, &cached_schema::<T>())
}

/// [`parse`], checking keys against `schema` (the schema of `T` and its `$defs`), e.g. the
/// example schema a field registry closes.
pub fn parse_with_schema<T: DeserializeOwned>(
    src: YamlSource<'_>,
    schema: &(Json, Json),
) -> Result<T, Vec<Diagnostic>> {
    if src.text.len() > MAX_YAML_BYTES {
        return Err(vec![Diagnostic::error(
            src.file,
            format!("YAML ist zu groß ({} Bytes)", src.text.len()),
        )
        .at(src.first_line, 1)
        .expected(format!("höchstens {MAX_YAML_BYTES} Bytes"))]);
    }
    if let Some((line, col)) = flow_depth_exceeded(src.text, MAX_FLOW_DEPTH) {
        let line = line + src.first_line - 1;
        return Err(vec![Diagnostic::error(
            src.file,
            format!("YAML ist zu tief verschachtelt (mehr als {MAX_FLOW_DEPTH} Ebenen `[`/`{{`)"),
        )
        .at(line, col)
        .with_source_line(src.file_line(line))
        .hint(
            "die Felder brauchen höchstens wenige Ebenen; schließen Sie offene Klammern",
        )]);
    }
    let value: Value = serde_yaml::from_str(src.text).map_err(|e| vec![syntax_error(src, &e)])?;
    if !matches!(value, Value::Mapping(_)) {
        let what = if value.is_null() {
            "leer"
        } else {
            "keine Zuordnung"
        };
        return Err(vec![Diagnostic::error(
            src.file,
            format!("der YAML-Inhalt ist {what}"),
        )
        .at(src.first_line, 1)
        .expected("Schlüssel-Wert-Paare wie `titel: …`")]);
    }
    let (schema, defs) = (&schema.0, &schema.1);
    let mut problems = Vec::new();
    check_keys(src, &value, schema, defs, &mut Vec::new(), &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    // The typed value comes from the tree already parsed (parsing the text again was a third
    // of the load phase). The tree is stricter than the text in one way: a plain scalar such
    // as `2024` is a number there, while a string field accepts it from the text. So on any
    // error the text is deserialised as before, which gives that result or the type error
    // with its position.
    match serde_yaml::from_value::<T>(value) {
        Ok(v) => Ok(v),
        Err(_) => serde_yaml::from_str::<T>(src.text).map_err(|e| vec![type_error(src, &e)]),
    }
}

/// Refuse texts that are too large or too deeply nested before libyaml sees them.
fn guard(text: &str) -> Result<(), serde_yaml::Error> {
    use serde::de::Error;
    if text.len() > MAX_YAML_BYTES {
        return Err(serde_yaml::Error::custom(format!(
            "YAML ist zu groß ({} Bytes, höchstens {MAX_YAML_BYTES})",
            text.len()
        )));
    }
    if let Some((line, col)) = flow_depth_exceeded(text, MAX_FLOW_DEPTH) {
        return Err(serde_yaml::Error::custom(format!(
            "YAML ist zu tief verschachtelt (mehr als {MAX_FLOW_DEPTH} Ebenen) in Zeile {line}, Spalte {col}"
        )));
    }
    Ok(())
}

/// Parse any YAML text into a generic value (for tools such as the importer and tests).
/// Like [`parse`], it refuses oversized or too deeply nested input.
pub fn parse_value(text: &str) -> Result<Value, serde_yaml::Error> {
    guard(text)?;
    serde_yaml::from_str(text)
}

/// Serialise a value to YAML (used by `koki new` and `koki import`).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, serde_yaml::Error> {
    serde_yaml::to_string(value)
}

fn position_of(src: YamlSource<'_>, e: &serde_yaml::Error) -> (usize, usize) {
    match e.location() {
        Some(loc) => (loc.line() + src.first_line - 1, loc.column()),
        None => (src.first_line, 1),
    }
}

/// Remove serde_yaml's own " at line X column Y" suffix; we print positions ourselves.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// For `duplicate entry with key "k"`, serde_yaml points at the start of the mapping; find
/// the second `k:` at that mapping's indentation instead (1-based line and column in `text`).
fn duplicate_key_position(text: &str, message: &str, map_line: usize) -> Option<(usize, usize)> {
    let key = message
        .split_once("duplicate entry with key \"")?
        .1
        .rsplit_once('"')?
        .0;
    let lines: Vec<&str> = text.lines().collect();
    let first = map_line.checked_sub(1)?;
    let indent = content_start(lines.get(first)?);
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate().skip(first) {
        if is_blank_or_comment(line) {
            continue;
        }
        let col = content_start(line);
        if col < indent && i > first {
            break;
        }
        if col == indent && key_prefix_len(&line[col..], key).is_some() {
            seen += 1;
            if seen == 2 {
                return Some((i + 1, char_col(line, col)));
            }
        }
    }
    None
}

fn syntax_error(src: YamlSource<'_>, e: &serde_yaml::Error) -> Diagnostic {
    let (mut line, mut col) = position_of(src, e);
    let raw = e.to_string();
    let message = strip_position(&raw);
    if let Some((l, c)) = e
        .location()
        .and_then(|loc| duplicate_key_position(src.text, message, loc.line()))
    {
        (line, col) = (l + src.first_line - 1, c);
    }
    let hint = if message.contains("duplicate entry") {
        "jeder Schlüssel darf nur einmal vorkommen; fassen Sie die Einträge zusammen"
    } else if message.contains("recursion limit") || message.contains("repetition limit") {
        "die Struktur ist zu tief verschachtelt oder enthält zu viele Anker-Verweise"
    } else if message.contains("tab") {
        "YAML erlaubt keine Tabulatoren zur Einrückung; verwenden Sie Leerzeichen"
    } else {
        "prüfen Sie Einrückung (Leerzeichen), Doppelpunkte und Anführungszeichen; Texte mit `:` in Anführungszeichen setzen"
    };
    Diagnostic::error(
        src.file,
        format!("ungültiges YAML: {}", translate_syntax_error(message)),
    )
    .at(line, col)
    .with_source_line(src.file_line(line))
    .hint(hint)
}

/// German wording for the most common libyaml messages; the original is kept in brackets.
fn translate_syntax_error(message: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("did not find expected key", "hier wird ein neuer Schlüssel erwartet (oft: ein Anführungszeichen in der Zeile davor ist nicht geschlossen)"),
        ("mapping values are not allowed in this context", "ein `:` ist an dieser Stelle nicht erlaubt"),
        ("found character that cannot start any token", "mit diesem Zeichen kann kein Wert beginnen (Tabulator, `@` oder `` ` ``?)"),
        ("found unexpected end of stream", "die Datei endet mitten in einem Wert (Anführungszeichen nicht geschlossen?)"),
        ("did not find expected '-' indicator", "hier wird ein Listeneintrag `- …` erwartet (Einrückung prüfen)"),
        ("did not find expected node content", "hier fehlt ein Wert"),
        ("unknown anchor", "Verweis auf einen unbekannten Anker"),
        ("duplicate entry with key", "ein Schlüssel kommt doppelt vor"),
    ];
    for (en, de) in KNOWN {
        if message.contains(en) {
            return format!("{de} [{message}]");
        }
    }
    message.to_string()
}

fn type_error(src: YamlSource<'_>, e: &serde_yaml::Error) -> Diagnostic {
    let (line, col) = position_of(src, e);
    let raw = e.to_string();
    let message = strip_position(&raw);
    // serde_yaml prefixes the field path: `kommunen[0].ags: invalid type: ...`
    let (field, detail) = match message.split_once(": ") {
        Some((f, rest)) if !f.contains(' ') => (Some(f.to_string()), rest.to_string()),
        _ => (None, message.to_string()),
    };
    let (detail_de, expected) = translate_type_error(&detail);
    let mut d = Diagnostic::error(src.file, detail_de)
        .at(line, col)
        .with_source_line(src.file_line(line));
    if let Some(f) = field {
        d = d.field(f);
    }
    if let Some(exp) = expected {
        let quote_hint = exp.contains("Text");
        d = d.expected(exp);
        if quote_hint {
            d = d.hint("setzen Sie den Wert in Anführungszeichen, z. B. `ags: \"09162000\"`");
        }
    }
    d
}

/// Turn serde's English type errors into German text plus the expectation.
fn translate_type_error(detail: &str) -> (String, Option<String>) {
    if let Some(rest) = detail.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return (
                format!("falscher Typ: gefunden {}", german_kind(found)),
                Some(german_kind(expected)),
            );
        }
    }
    if let Some(rest) = detail.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return (
                format!("ungültiger Wert: {}", german_kind(found)),
                Some(german_kind(expected)),
            );
        }
    }
    (detail.to_string(), None)
}

fn german_kind(s: &str) -> String {
    s.replace("a string", "ein Text")
        .replace("string", "Text")
        .replace("a sequence", "eine Liste")
        .replace("sequence", "Liste")
        .replace("a map", "eine Zuordnung")
        .replace("map", "Zuordnung")
        .replace("integer", "ganze Zahl")
        .replace("floating point", "Kommazahl")
        .replace("a boolean", "true oder false")
        .replace("boolean", "Wahrheitswert")
        .replace("unit value", "leerer Wert")
        .replace("i32", "ganze Zahl")
        .replace("u64", "nichtnegative ganze Zahl")
        .replace("u8", "Zahl von 0 bis 255")
        .replace("f64", "Zahl")
}

/// Resolve `$ref` and `anyOf`/`oneOf` wrappers to the schema that describes an object or array.
fn resolve<'s>(schema: &'s Json, defs: &'s Json) -> &'s Json {
    if let Some(r) = schema.get("$ref").and_then(Json::as_str) {
        if let Some(name) = r.strip_prefix("#/$defs/") {
            if let Some(def) = defs.get(name) {
                return resolve(def, defs);
            }
        }
    }
    for combinator in ["anyOf", "oneOf", "allOf"] {
        if let Some(variants) = schema.get(combinator).and_then(Json::as_array) {
            for v in variants {
                let r = resolve(v, defs);
                if r.get("properties").is_some() || r.get("items").is_some() {
                    return r;
                }
            }
        }
    }
    schema
}

fn check_keys(
    src: YamlSource<'_>,
    value: &Value,
    schema: &Json,
    defs: &Json,
    path: &mut Vec<Seg>,
    out: &mut Vec<Diagnostic>,
) {
    let schema = resolve(schema, defs);
    match value {
        Value::Mapping(map) => {
            let Some(props) = schema.get("properties").and_then(Json::as_object) else {
                return;
            };
            let closed = schema.get("additionalProperties") == Some(&Json::Bool(false));
            // Required fields that an unknown key probably meant (typo): reported once, as the typo.
            let mut suggested: Vec<&str> = Vec::new();
            for (k, v) in map {
                let Some(name) = k.as_str() else {
                    out.push(src.error_at(path, false, "Schlüssel müssen Texte sein"));
                    continue;
                };
                path.push(Seg::Key(name.to_string()));
                match props.get(name) {
                    Some(sub) => check_keys(src, v, sub, defs, path, out),
                    None if closed => {
                        let keys: Vec<&str> = props.keys().map(String::as_str).collect();
                        // A close typo of a required field is reported as the typo only.
                        let typo_of = keys
                            .iter()
                            .filter(|p| strsim::damerau_levenshtein(p, name) <= 2)
                            .min_by_key(|p| strsim::damerau_levenshtein(p, name));
                        if let Some(c) = typo_of {
                            suggested.push(c);
                        }
                        let d = src
                            .error_at(path, false, format!("unbekanntes Feld `{name}`"))
                            .expected(known_fields(name, &keys))
                            .maybe_hint(did_you_mean(name, keys.iter().copied()));
                        out.push(d);
                    }
                    None => {}
                }
                path.pop();
            }
            if let Some(required) = schema.get("required").and_then(Json::as_array) {
                for r in required.iter().filter_map(Json::as_str) {
                    if !map.contains_key(r) && !suggested.contains(&r) {
                        let mut full = path.clone();
                        full.push(Seg::Key(r.to_string()));
                        let mut d = src
                            .error_at(path, false, format!("Pflichtfeld `{r}` fehlt"))
                            .field(path_to_string(&full))
                            .hint(format!("ergänzen Sie `{r}: …` (siehe docs/format.md)"));
                        if let Some(desc) = props
                            .get(r)
                            .and_then(|p| p.get("description"))
                            .and_then(Json::as_str)
                        {
                            d = d.expected(desc.to_string());
                        }
                        out.push(d);
                    }
                }
            }
        }
        Value::Sequence(items) => {
            let Some(item_schema) = schema.get("items") else {
                return;
            };
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                check_keys(src, item, item_schema, defs, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Parse YAML that is not contributor content (theme strings): plain serde, no schema checks.
pub fn parse_plain<T: DeserializeOwned>(text: &str) -> Result<T, serde_yaml::Error> {
    guard(text)?;
    serde_yaml::from_str(text)
}

/// "eines von …" for an unknown key: all fields of a small mapping, else the closest few.
fn known_fields(name: &str, keys: &[&str]) -> String {
    if list_all(keys) {
        return format!("eines von {}", quoted(keys));
    }
    let near = closest(name, keys.iter().copied(), 5);
    let all = format!("eines der {} Felder aus docs/format.md", keys.len());
    if near.is_empty() {
        all
    } else {
        format!("{all}, am ähnlichsten: {}", quoted(&near))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(parts: &[&str]) -> Vec<Seg> {
        parts
            .iter()
            .map(|s| match s.parse::<usize>() {
                Ok(i) => Seg::Index(i),
                Err(_) => Seg::Key(s.to_string()),
            })
            .collect()
    }

    const DOC: &str = "titel: X\nkommunen:\n  - name: A\n    ags: \"123\"\n  - name: B\n    rolle: foo\nki_technik: [a, bx, c]\nkoordinaten: { lat: 1, lon: 2 }\nquellen:\n- titel: Q\n  url: u\n";

    #[test]
    fn locates_block_and_flow_paths() {
        let l = Locator::new(DOC);
        assert_eq!(l.locate(&p(&["titel"]), false), (1, 1));
        assert_eq!(l.locate(&p(&["titel"]), true), (1, 8));
        assert_eq!(l.locate(&p(&["kommunen", "1", "rolle"]), false), (6, 5));
        assert_eq!(l.locate(&p(&["kommunen", "1", "rolle"]), true), (6, 12));
        assert_eq!(l.locate(&p(&["kommunen", "0", "ags"]), true), (4, 10));
        assert_eq!(l.locate(&p(&["ki_technik", "1"]), true), (7, 17));
        assert_eq!(l.locate(&p(&["koordinaten", "lon"]), true), (8, 29));
        assert_eq!(l.locate(&p(&["quellen", "0", "url"]), true), (11, 8));
        let nav =
            Locator::new("navigation:\n  - { titel: A, pfad: a/ }\n  - { titel: B, pfad: b/ }\n");
        assert_eq!(nav.locate(&p(&["navigation", "1", "pfad"]), true), (3, 23));
        // Unknown deeper path falls back to the deepest known parent.
        assert_eq!(l.locate(&p(&["kommunen", "5"]), false), (2, 1));
    }

    #[test]
    fn flow_depth_is_bounded_before_parsing() {
        assert_eq!(flow_depth_exceeded("a: [[1], {b: [2]}]\n", 3), None);
        assert_eq!(
            flow_depth_exceeded("a: [[1], {b: [2]}]\n", 2),
            Some((1, 14))
        );
        assert_eq!(flow_depth_exceeded("a: [[1], {b: [2]}]\n", 1), Some((1, 5)));
        assert_eq!(flow_depth_exceeded("x: ]]]]\ny: [[[\n", 2), Some((2, 6)));
        let deep = format!("tags: {}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let file = Path::new("x.md");
        let src = YamlSource {
            file,
            text: &deep,
            first_line: 2,
        };
        let err = parse::<crate::model::Page>(src).unwrap_err();
        assert!(
            err[0].message.contains("zu tief verschachtelt"),
            "{:?}",
            err[0]
        );
        assert_eq!((err[0].line, err[0].column), (2, 7 + MAX_FLOW_DEPTH));
        assert!(parse_value(&deep).is_err());
    }

    #[test]
    fn duplicate_keys_point_at_the_second_occurrence() {
        let text = "titel: a\nkommunen:\n  - name: x\n    name: y\nreihenfolge: 1\ntitel: b\n";
        let msg = "duplicate entry with key \"titel\"";
        assert_eq!(duplicate_key_position(text, msg, 1), Some((6, 1)));
        let msg = "duplicate entry with key \"name\"";
        assert_eq!(duplicate_key_position(text, msg, 3), Some((4, 5)));
        assert_eq!(duplicate_key_position(text, "other", 1), None);
    }

    #[test]
    fn bare_dash_items_do_not_underflow() {
        // Found by tests/properties.rs: an item `-` without a space made `col - 2` underflow.
        let l = Locator::new("-\n- \n-   x: 1\n");
        assert_eq!(l.locate(&p(&["0"]), false), (1, 2));
        assert_eq!(l.locate(&p(&["2", "x"]), true), (3, 8));
    }

    #[test]
    fn flow_helpers() {
        use super::locator::{find_flow_key, flow_item};
        assert_eq!(flow_item(" [a, b, c]", 2), Some(8));
        assert_eq!(flow_item(" [a]", 3), None);
        assert_eq!(find_flow_key("{ lat: 1, lon: 2 }", "lon"), Some(10));
    }
}
