//! Diagnostics for contributors: every problem found in `content/`, with position, field,
//! expectation and a hint, printed like a compiler (human), as JSON, or as GitHub annotations.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How serious a finding is. Errors stop the build; warnings only with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root where possible).
    pub file: PathBuf,
    /// 1-based line; 0 when the whole file is meant.
    pub line: usize,
    /// 1-based column; 0 when the whole line is meant.
    pub column: usize,
    /// Dotted field path such as `kommunen[0].ags`, if the finding concerns a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The offending source line, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            field: None,
            message: message.into(),
            expected: None,
            hint: None,
            source_line: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    pub fn with_source_line(mut self, line: Option<&str>) -> Self {
        self.source_line = line.map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// `path:line:col` as used by editors and CI logs.
    pub fn location(&self) -> String {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// The first line of the human format: `path:line:col: error: message`.
    pub fn headline(&self) -> String {
        let field = self
            .field
            .as_deref()
            .map(|f| format!("Feld `{f}`: "))
            .unwrap_or_default();
        format!(
            "{}: {}: {field}{}",
            self.location(),
            self.severity_word(),
            self.message
        )
    }

    /// Compiler-style multi-line rendering with the source line and a caret.
    pub fn render_human(&self) -> String {
        let mut out = self.headline();
        out.push('\n');
        if let Some(src) = &self.source_line {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {src}");
            if self.column > 0 {
                let prefix: String = src
                    .chars()
                    .take(self.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let width = token_width(src, self.column - 1);
                let _ = writeln!(out, "{pad} | {prefix}{}", "^".repeat(width));
            }
        }
        if let Some(expected) = &self.expected {
            let _ = writeln!(out, "  = erwartet: {expected}");
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = hilfe: {hint}");
        }
        out
    }

    /// One GitHub Actions workflow command, so pull requests show the problem inline. The
    /// position is in the properties; the text is the message with field, expectation and hint.
    pub fn render_github(&self) -> String {
        let kind = self.severity_word();
        let mut text = self
            .field
            .as_deref()
            .map(|f| format!("Feld `{f}`: "))
            .unwrap_or_default();
        text.push_str(&self.message);
        if let Some(expected) = &self.expected {
            text.push_str(&format!(" (erwartet: {expected})"));
        }
        if let Some(hint) = &self.hint {
            text.push_str(&format!(" Hilfe: {hint}"));
        }
        let text = text
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        let property = |v: String| {
            v.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
                .replace(':', "%3A")
                .replace(',', "%2C")
        };
        format!(
            "::{kind} file={},line={},col={},title={}::{text}",
            property(self.file.display().to_string()),
            self.line.max(1),
            self.column.max(1),
            property(format!("koki check: {}", self.location())),
        )
    }
}

/// All findings of one run, in a stable order.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sort by file, position and message so output is stable across runs.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.items.dedup();
    }

    /// Turn warnings into errors (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Summary line with German wording, e.g. `2 Fehler, 1 Warnung in 3 Dateien`, or
    /// `0 Fehler, 0 Warnungen: alles in Ordnung` when nothing was found.
    pub fn summary(&self) -> String {
        if self.items.is_empty() {
            return "0 Fehler, 0 Warnungen: alles in Ordnung".to_string();
        }
        let files: std::collections::BTreeSet<&Path> =
            self.items.iter().map(|d| d.file.as_path()).collect();
        let warnings = self.warning_count();
        format!(
            "{} Fehler, {} {} in {} {}",
            self.error_count(),
            warnings,
            if warnings == 1 {
                "Warnung"
            } else {
                "Warnungen"
            },
            files.len(),
            if files.len() == 1 { "Datei" } else { "Dateien" }
        )
    }

    pub fn render_human(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.render_human());
            out.push('\n');
        }
        out
    }

    pub fn render_github(&self) -> String {
        self.items
            .iter()
            .map(|d| d.render_github() + "\n")
            .collect()
    }

    pub fn render_json(&self) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            errors: usize,
            warnings: usize,
            diagnostics: &'a [Diagnostic],
        }
        serde_json::to_string_pretty(&Report {
            errors: self.error_count(),
            warnings: self.warning_count(),
            diagnostics: &self.items,
        })
        .unwrap_or_else(|_| "{}".to_string())
    }
}

/// Width (in characters, at least 1) of the token starting at character `start` of a source
/// line, for the `^^^` underline: a quoted string, a Markdown heading or link target, a YAML
/// key, or a plain value up to the next separator.
fn token_width(line: &str, start: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(start).collect();
    let Some(&first) = rest.first() else {
        return 1;
    };
    let width = if first == '"' || first == '\'' {
        let mut escaped = false;
        rest.iter()
            .enumerate()
            .skip(1)
            .find(|&(_, &c)| {
                let end = c == first && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
            .map_or(rest.len(), |(i, _)| i + 1)
    } else if first == '#'
        && line.chars().take(start).all(char::is_whitespace)
        && matches!(rest.get(1), Some('#' | ' '))
    {
        rest.len()
    } else {
        let context = value_context(line, start);
        let mut end = rest.len();
        for (i, &c) in rest.iter().enumerate() {
            let key_end = c == ':' && rest.get(i + 1).is_none_or(|n| n.is_whitespace());
            let comment = c == '#' && i > 0 && rest[i - 1].is_whitespace();
            let stop = match context {
                // A plain YAML scalar runs to a comment, a `key: ` or the line's end, spaces
                // included (`status: im Betrieb` is one value) …
                ValueContext::Block => key_end || comment,
                // … inside `[…]`/`{…}` also to the next separator.
                ValueContext::Flow => key_end || comment || matches!(c, ',' | ']' | '}'),
                ValueContext::Other => {
                    c.is_whitespace() || matches!(c, ',' | ']' | '}' | ')' | '>') || key_end
                }
            };
            if stop {
                end = i;
                break;
            }
        }
        rest[..end]
            .iter()
            .rposition(|c| !c.is_whitespace())
            .map_or(0, |i| i + 1)
    };
    width.max(1)
}

/// Where a token stands, for how far its underline reaches.
enum ValueContext {
    /// A YAML value after `key: ` or `- `.
    Block,
    /// A YAML value inside an open `[…]` or `{…}`.
    Flow,
    /// Anything else: a key, a Markdown link target, a word of text.
    Other,
}

fn value_context(line: &str, start: usize) -> ValueContext {
    let before: String = line.chars().take(start).collect();
    let trimmed = before.trim_end();
    if trimmed.ends_with('(') {
        return ValueContext::Other;
    }
    let mut open: Vec<char> = Vec::new();
    for c in before.chars() {
        match c {
            '[' | '{' | '(' => open.push(c),
            ']' | '}' | ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    match open.last() {
        Some('[' | '{') => ValueContext::Flow,
        Some(_) => ValueContext::Other,
        None if trimmed.ends_with(':') || trimmed.trim_start() == "-" => ValueContext::Block,
        None => ValueContext::Other,
    }
}

/// An error and its causes as one line, each cause printed once.
///
/// Many library errors (Tera's, `std::io`'s wrappers) already repeat their source in their own
/// message; printing the chain naively then shows the same text twice. A cause whose text is
/// already part of what has been printed is skipped.
pub fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

/// [`koki_text::fold`] with everything but letters and digits dropped: the form in
/// which `mobilitat`, `Mobilität` and `mobilitaet-verkehr` can be compared.
fn folded(text: &str) -> String {
    let mut out = koki_text::fold(text);
    out.retain(char::is_alphanumeric);
    out
}

/// How well `candidate` matches what was typed; lower is better, `None` is no match.
///
/// Edit distance catches typos (`bundeslnd`); the folded prefix and substring rules catch
/// shortened or umlaut-less input (`mobilitat` for `mobilitaet-verkehr`, `betreib` for
/// `regelbetrieb` via `betrieb`), which edit distance alone rejects as too far away.
fn match_rank(input: &str, candidate: &str) -> Option<usize> {
    let distance = strsim::damerau_levenshtein(&input.to_lowercase(), &candidate.to_lowercase());
    let limit = (candidate.chars().count().max(input.chars().count()) / 3).max(2);
    if distance <= limit {
        return Some(distance);
    }
    let (typed, cand) = (folded(input), folded(candidate));
    if typed.chars().count() < 3 {
        return None;
    }
    // Umlaut-less spelling: `mobilitat` is a prefix of `mobilitaet…` once `ae` is read as `a`.
    let cand_plain = cand
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u");
    let typed_plain = typed
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u");
    if cand.starts_with(&typed) || cand_plain.starts_with(&typed_plain) {
        return Some(limit + 1);
    }
    if cand.contains(&typed) || cand_plain.contains(&typed_plain) {
        return Some(limit + 2);
    }
    // A typo inside a word of the candidate: `betreib` in `regel-betrieb`.
    let window = typed_plain.chars().count();
    let chars: Vec<char> = cand_plain.chars().collect();
    if window >= 5 && chars.len() > window {
        let best = (0..=chars.len() - window)
            .map(|i| {
                let part: String = chars[i..i + window].iter().collect();
                strsim::damerau_levenshtein(&typed_plain, &part)
            })
            .min()
            .unwrap_or(usize::MAX);
        if best <= 2 {
            return Some(limit + 2 + best);
        }
    }
    None
}

/// The candidates closest to `input`, best first, at most `limit` of them.
pub fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let mut ranked: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| match_rank(input, c).map(|r| (r, c)))
        .collect();
    ranked.sort_by_key(|&(rank, _)| rank);
    ranked.dedup_by_key(|&mut (_, c)| c);
    ranked.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// Closest candidate, for "meinten Sie …?" hints.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(input, candidates, 1)
        .first()
        .map(|c| format!("meinten Sie `{c}`?"))
}

/// `` `a`, `b`, `c` `` — values as they are written in the front matter.
pub fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How long (in characters) a list of allowed values after "erwartet" may be before it is cut
/// to the closest few: the 16 Länder codes fit, 45 field names do not.
const EXPECTED_LIST_CHARS: usize = 100;

/// Whether all allowed values are shown after "erwartet", or only the closest few.
pub fn list_all(items: &[&str]) -> bool {
    quoted(items).chars().count() <= EXPECTED_LIST_CHARS
}

/// "einer von `a`, `b`, …" for a short list; for a long one the closest few and the total.
pub fn one_of(input: &str, allowed: &[&str], reference: &str) -> String {
    if list_all(allowed) {
        return format!("einer von {}", quoted(allowed));
    }
    let near = closest(input, allowed.iter().copied(), 5);
    if near.is_empty() {
        format!("einer von {} Werten, siehe {reference}", allowed.len())
    } else {
        format!(
            "einer von {} Werten, siehe {reference}; am ähnlichsten: {}",
            allowed.len(),
            quoted(&near)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_shortenings_and_missing_umlauts() {
        let fields = [
            "mobilitaet-verkehr",
            "bildung",
            "buergerservice",
            "umwelt-klima",
        ];
        assert_eq!(
            did_you_mean("mobilitat", fields).as_deref(),
            Some("meinten Sie `mobilitaet-verkehr`?")
        );
        assert_eq!(
            did_you_mean("Bürgerservice", fields).as_deref(),
            Some("meinten Sie `buergerservice`?")
        );
        assert_eq!(
            did_you_mean("bildnug", fields).as_deref(),
            Some("meinten Sie `bildung`?")
        );
        assert_eq!(
            did_you_mean("umwelt", fields).as_deref(),
            Some("meinten Sie `umwelt-klima`?")
        );
        let status = ["idee", "pilot", "regelbetrieb", "eingestellt"];
        assert_eq!(
            did_you_mean("betreib", status).as_deref(),
            Some("meinten Sie `regelbetrieb`?")
        );
        assert_eq!(did_you_mean("xyz", status), None);
        assert_eq!(
            did_you_mean("ab", ["abc", "zzz"]).as_deref(),
            Some("meinten Sie `abc`?")
        );
    }

    #[test]
    fn long_value_lists_are_cut_to_the_closest_few() {
        let many: Vec<String> = (0..20).map(|i| format!("wert{i:02}")).collect();
        let allowed: Vec<&str> = many.iter().map(String::as_str).collect();
        let text = one_of("wert0", &allowed, "docs/format.md");
        assert!(text.starts_with("einer von 20 Werten, siehe docs/format.md; am ähnlichsten: "));
        assert_eq!(text.matches('`').count(), 10, "{text}");
        assert_eq!(
            one_of("x", &allowed[..3], "r"),
            "einer von `wert00`, `wert01`, `wert02`"
        );
        assert_eq!(one_of("qqq", &allowed, "r"), "einer von 20 Werten, siehe r");
    }

    #[test]
    fn causes_already_in_the_message_are_printed_once() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "IO error: {}", self.0)
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        assert_eq!(cause_chain(&Outer(io)), "IO error: no such file");
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(cause_chain(&*plain), "outer: inner");
    }

    #[test]
    fn underline_covers_the_token() {
        assert_eq!(token_width("bundesland: Schleswig-Holstein", 12), 18);
        assert_eq!(token_width("titel: \"A \\\" B\" # x", 7), 8);
        assert_eq!(token_width("unbekannt: 1", 0), 9);
        assert_eq!(token_width("url: https://x.example/a, b", 5), 22);
        assert_eq!(token_width("status: im Betrieb  # alt", 8), 10);
        assert_eq!(token_width("  - Chatbot Kleindorf", 4), 17);
        assert_eq!(token_width("ki_technik: [ein bot, c]", 13), 7);
        assert_eq!(token_width("a: b: c", 3), 1);
        assert_eq!(token_width("ki_technik: [a, bx]", 16), 2);
        assert_eq!(token_width("siehe [D](#datne), dort", 10), 6);
        assert_eq!(token_width("## Lösung & Funktionsweise", 0), 26);
        assert_eq!(token_width("", 0), 1);
    }

    #[test]
    fn human_and_github_rendering() {
        let d = Diagnostic::error("content/x.md", "`xx` ist kein Wert")
            .at(3, 13)
            .field("bundesland")
            .with_source_line(Some("bundesland: xx"))
            .expected("einer von `by`")
            .hint("meinten Sie `by`?");
        assert_eq!(
            d.render_human(),
            "content/x.md:3:13: error: Feld `bundesland`: `xx` ist kein Wert\n  |\n3 | bundesland: xx\n  |             ^^\n  = erwartet: einer von `by`\n  = hilfe: meinten Sie `by`?\n"
        );
        assert_eq!(
            d.render_github(),
            "::error file=content/x.md,line=3,col=13,title=koki check%3A content/x.md%3A3%3A13::Feld `bundesland`: `xx` ist kein Wert (erwartet: einer von `by`) Hilfe: meinten Sie `by`?"
        );
        let mut all = Diagnostics::default();
        assert_eq!(all.summary(), "0 Fehler, 0 Warnungen: alles in Ordnung");
        all.push(d);
        all.push(Diagnostic::warning("content/y.md", "alt"));
        assert_eq!(all.summary(), "1 Fehler, 1 Warnung in 2 Dateien");
    }
}
