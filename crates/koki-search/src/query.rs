//! Query syntax.
//!
//! * Words are combined with AND: `ampel steuerung` finds entries containing both.
//! * `OR` (or `ODER`) between words or groups: `chatbot OR sprachassistent`.
//! * `NOT` (or `NICHT`) or a leading `-` excludes: `chatbot -pilot`.
//! * `AND`/`UND` may be written explicitly; AND binds tighter than OR; parentheses group.
//! * `"…"` is a phrase (exact word sequence, stemmed).
//! * `feld:wert` scopes a word: facets (`bundesland:by`, `status:regelbetrieb`, also by label,
//!   e.g. `bundesland:bayern`) and text fields (`titel:`, `kommune:`, `text:`).
//!
//! The parser never fails: unbalanced quotes or parentheses are closed at the end.

/// Text field scopes available as `field:` prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextScope {
    /// Title only (`titel:`).
    Title,
    /// Summary only (`kurz:`).
    Summary,
    /// Body only (`text:`).
    Body,
    /// Municipality names (`kommune:`).
    Kommunen,
}

/// Parsed query tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word, optionally restricted to one text field.
    Term {
        /// The word as typed.
        text: String,
        /// Field restriction.
        scope: Option<TextScope>,
    },
    /// A quoted phrase.
    Phrase {
        /// The phrase text.
        text: String,
        /// Field restriction.
        scope: Option<TextScope>,
    },
    /// A facet restriction (`bundesland:by`).
    Facet {
        /// Facet name.
        facet: String,
        /// Value as typed (an id or a label).
        value: String,
    },
    /// All children must match.
    And(Vec<Node>),
    /// Any child must match.
    Or(Vec<Node>),
    /// The child must not match.
    Not(Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String),
    /// `field:` immediately followed by a phrase.
    FieldPhrase(String, String),
    LParen,
    RParen,
    And,
    Or,
    Not,
}

fn lex(q: &str) -> Vec<Tok> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let read_phrase = |i: &mut usize| -> String {
        // `*i` points after the opening quote.
        let mut s = String::new();
        while *i < chars.len() && !matches!(chars[*i], '"' | '„' | '“' | '”') {
            s.push(chars[*i]);
            *i += 1;
        }
        *i += 1;
        s
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            out.push(Tok::RParen);
            i += 1;
        } else if matches!(c, '"' | '„' | '“' | '”') {
            i += 1;
            out.push(Tok::Phrase(read_phrase(&mut i)));
        } else if c == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            out.push(Tok::Not);
            i += 1;
        } else if c == '+' {
            i += 1;
        } else {
            let mut w = String::new();
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')' | '"' | '„' | '“' | '”')
            {
                w.push(chars[i]);
                i += 1;
            }
            if w.ends_with(':') && i < chars.len() && matches!(chars[i], '"' | '„' | '“') {
                i += 1;
                let p = read_phrase(&mut i);
                w.pop();
                out.push(Tok::FieldPhrase(w, p));
                continue;
            }
            out.push(match w.as_str() {
                "AND" | "UND" | "&&" => Tok::And,
                "OR" | "ODER" | "||" => Tok::Or,
                "NOT" | "NICHT" => Tok::Not,
                _ => Tok::Word(w),
            });
        }
    }
    out
}

fn scope_of(name: &str) -> Option<TextScope> {
    match name.to_lowercase().as_str() {
        "titel" | "title" => Some(TextScope::Title),
        "kurz" | "kurzbeschreibung" | "summary" => Some(TextScope::Summary),
        "text" | "body" => Some(TextScope::Body),
        "kommune" | "kommunen" | "ort" => Some(TextScope::Kommunen),
        _ => None,
    }
}

fn facet_of(name: &str) -> Option<&'static str> {
    let n = name.to_lowercase();
    crate::FACETS
        .iter()
        .copied()
        .find(|f| *f == n)
        .or(match n.as_str() {
            "land" => Some("bundesland"),
            "feld" => Some("handlungsfeld"),
            "technik" => Some("ki_technik"),
            _ => None,
        })
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// Current nesting of parentheses and NOTs; bounded so hostile queries such as
    /// `((((…` cannot overflow the stack (the browser worker's stack is small).
    depth: usize,
}

/// Deepest nesting of parentheses/NOT that is honoured; deeper levels are read flat.
pub const MAX_NESTING: usize = 16;
/// Longest query (in characters) that is parsed; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 256;

/// No node for no parts, the part itself for one, `join(parts)` for more.
fn combined(mut parts: Vec<Node>, join: fn(Vec<Node>) -> Node) -> Option<Node> {
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(join(parts)),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn or_expr(&mut self) -> Option<Node> {
        let mut alts = Vec::new();
        if let Some(n) = self.and_expr() {
            alts.push(n);
        }
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            if let Some(n) = self.and_expr() {
                alts.push(n);
            }
        }
        combined(alts, Node::Or)
    }
    fn and_expr(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Or) | Some(Tok::RParen) => break,
                Some(Tok::And) => {
                    self.pos += 1;
                }
                _ => {
                    if let Some(n) = self.unary() {
                        items.push(n);
                    }
                }
            }
        }
        combined(items, Node::And)
    }
    fn unary(&mut self) -> Option<Node> {
        match self.peek()? {
            Tok::Not => {
                self.pos += 1;
                if self.depth >= MAX_NESTING {
                    return self.primary();
                }
                match self.peek() {
                    None | Some(Tok::Or) | Some(Tok::RParen) => None,
                    _ => {
                        self.depth += 1;
                        let n = self.unary().map(|n| Node::Not(Box::new(n)));
                        self.depth -= 1;
                        n
                    }
                }
            }
            _ => self.primary(),
        }
    }
    fn primary(&mut self) -> Option<Node> {
        let tok = self.peek()?.clone();
        self.pos += 1;
        match tok {
            Tok::LParen if self.depth >= MAX_NESTING => None,
            Tok::LParen => {
                self.depth += 1;
                let n = self.or_expr();
                self.depth -= 1;
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                }
                n
            }
            Tok::Phrase(p) => Some(Node::Phrase {
                text: p,
                scope: None,
            }),
            Tok::FieldPhrase(f, p) => {
                if let Some(facet) = facet_of(&f) {
                    Some(Node::Facet {
                        facet: facet.to_string(),
                        value: p,
                    })
                } else {
                    Some(Node::Phrase {
                        text: p,
                        scope: scope_of(&f),
                    })
                }
            }
            Tok::Word(w) => Some(word_node(&w)),
            // Stray operators and parentheses are ignored.
            Tok::RParen | Tok::And | Tok::Or | Tok::Not => None,
        }
    }
}

fn word_node(w: &str) -> Node {
    if let Some((f, v)) = w.split_once(':') {
        if !v.is_empty() {
            if let Some(facet) = facet_of(f) {
                return Node::Facet {
                    facet: facet.to_string(),
                    value: v.to_string(),
                };
            }
            if let Some(scope) = scope_of(f) {
                return Node::Term {
                    text: v.to_string(),
                    scope: Some(scope),
                };
            }
        }
    }
    Node::Term {
        text: w.to_string(),
        scope: None,
    }
}

/// Parses a query; `None` for an empty query.
pub fn parse(q: &str) -> Option<Node> {
    let q = match q.char_indices().nth(MAX_QUERY_CHARS) {
        Some((end, _)) => &q[..end],
        None => q,
    };
    let mut p = Parser {
        toks: lex(q),
        pos: 0,
        depth: 0,
    };
    let mut parts = Vec::new();
    while p.pos < p.toks.len() {
        if let Some(n) = p.or_expr() {
            parts.push(n);
        }
        // Skip a stray closing parenthesis.
        if p.peek() == Some(&Tok::RParen) {
            p.pos += 1;
        }
    }
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Node::And(parts)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(n: &Node) -> usize {
        match n {
            Node::And(v) | Node::Or(v) => 1 + v.iter().map(depth).max().unwrap_or(0),
            Node::Not(b) => 1 + depth(b),
            _ => 1,
        }
    }

    #[test]
    fn hostile_nesting_and_length_are_bounded() {
        let huge = format!("{}verkehr{}", "(".repeat(20_000), ")".repeat(20_000));
        assert!(parse(&huge).is_none_or(|n| depth(&n) <= MAX_NESTING + 2));
        let deep = format!("{}verkehr{}", "(".repeat(100), ")".repeat(100));
        assert!(parse(&deep).is_some_and(|n| depth(&n) <= MAX_NESTING + 2));
        let nots = format!("{}verkehr", "NICHT ".repeat(5_000));
        assert!(parse(&nots).is_some_and(|n| depth(&n) <= MAX_NESTING + 2));
        let long = "a ".repeat(10_000);
        let parsed = parse(&long).expect("terms");
        let Node::And(items) = parsed else {
            panic!("and of terms")
        };
        assert!(items.len() <= MAX_QUERY_CHARS / 2 + 1);
    }

    fn t(s: &str) -> Node {
        Node::Term {
            text: s.into(),
            scope: None,
        }
    }

    #[test]
    fn precedence() {
        assert_eq!(
            parse("a b OR c").unwrap(),
            Node::Or(vec![Node::And(vec![t("a"), t("b")]), t("c")])
        );
        assert_eq!(
            parse("a (b OR c)").unwrap(),
            Node::And(vec![t("a"), Node::Or(vec![t("b"), t("c")])])
        );
        assert_eq!(
            parse("a -b").unwrap(),
            Node::And(vec![t("a"), Node::Not(Box::new(t("b")))])
        );
        assert_eq!(parse("NOT b").unwrap(), Node::Not(Box::new(t("b"))));
    }

    #[test]
    fn fields_and_phrases() {
        assert_eq!(
            parse("bundesland:by").unwrap(),
            Node::Facet {
                facet: "bundesland".into(),
                value: "by".into()
            }
        );
        assert_eq!(
            parse("titel:\"digitale verwaltung\"").unwrap(),
            Node::Phrase {
                text: "digitale verwaltung".into(),
                scope: Some(TextScope::Title)
            }
        );
        assert_eq!(
            parse("\"a b").unwrap(),
            Node::Phrase {
                text: "a b".into(),
                scope: None
            }
        );
        assert_eq!(parse("  "), None);
        assert_eq!(parse("((a"), Some(t("a")));
        assert_eq!(parse("a ) b"), Some(Node::And(vec![t("a"), t("b")])));
    }
}
