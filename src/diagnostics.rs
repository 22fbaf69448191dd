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
        let mut end = rest.len();
        for (i, &c) in rest.iter().enumerate() {
            let key_end = c == ':' && rest.get(i + 1).is_none_or(|n| n.is_whitespace());
            if c.is_whitespace() || matches!(c, ',' | ']' | '}' | ')' | '>') || key_end {
                end = i;
                break;
            }
        }
        end
    };
    width.max(1)
}

/// Closest candidate by edit distance, for "meinten Sie …?" hints.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let input_lower = input.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(&input_lower, &candidate.to_lowercase());
        let limit = (candidate.chars().count().max(input.chars().count()) / 3).max(2);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| format!("meinten Sie `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underline_covers_the_token() {
        assert_eq!(token_width("bundesland: Schleswig-Holstein", 12), 18);
        assert_eq!(token_width("titel: \"A \\\" B\" # x", 7), 8);
        assert_eq!(token_width("unbekannt: 1", 0), 9);
        assert_eq!(token_width("url: https://x.example/a, b", 5), 19);
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
