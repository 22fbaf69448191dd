//! The locator: maps a field path (`kommunen[0].ags`) back to `line:column` in the original
//! YAML text, for block and flow style, so every diagnostic points at the value it is about.

use super::Seg;

/// Maps field paths to positions in a YAML text (block and flow style), best effort: when a
/// path cannot be followed further, the position of its deepest found parent is returned.
pub struct Locator<'a> {
    lines: Vec<&'a str>,
}

/// Column (0-based byte offset) where the key content of a line starts, after indentation and
/// any `- ` sequence markers.
pub(super) fn content_start(line: &str) -> usize {
    let mut i = line.len() - line.trim_start().len();
    while line[i..].starts_with("- ") {
        i += 2;
        i += line[i..].len() - line[i..].trim_start().len();
    }
    i
}

pub(super) fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// If `text` starts with `key:` (optionally quoted key), the length of that prefix.
pub(super) fn key_prefix_len(text: &str, key: &str) -> Option<usize> {
    for (open, close) in [("", ""), ("\"", "\""), ("'", "'")] {
        let candidate = format!("{open}{key}{close}:");
        if text.starts_with(&candidate) {
            return Some(candidate.len());
        }
    }
    None
}

pub(super) fn char_col(line: &str, byte: usize) -> usize {
    line[..byte.min(line.len())].chars().count() + 1
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator {
            lines: text.lines().collect(),
        }
    }

    /// 1-based (line, column) within the YAML text.
    pub fn locate(&self, path: &[Seg], at_value: bool) -> (usize, usize) {
        let mut start = 0;
        let mut end = self.lines.len();
        // Position found so far: (line index, byte column).
        let mut pos = (0usize, 0usize);
        // When the value continues on the same line (flow style or scalar): (line, byte offset).
        let mut inline: Option<(usize, usize)> = None;
        let mut base_col: Option<usize> = Some(0);
        for seg in path {
            match (seg, inline) {
                (Seg::Key(k), Some((li, from))) => {
                    let line = self.lines[li];
                    let Some(rel) = find_flow_key(&line[from..], k) else {
                        break;
                    };
                    let at = from + rel;
                    pos = (li, at);
                    inline = Some((li, at + k.len() + 1));
                }
                (Seg::Key(k), None) => {
                    let Some((li, col)) = self.find_key(start, end, k, base_col) else {
                        break;
                    };
                    pos = (li, col);
                    let line = self.lines[li];
                    let after = col + key_prefix_len(&line[col..], k).unwrap_or(k.len() + 1);
                    if line[after..].trim().is_empty()
                        || line[after..].trim_start().starts_with('#')
                    {
                        start = li + 1;
                        end = self.block_end(li + 1, end, col);
                        base_col = None;
                        inline = None;
                    } else {
                        inline = Some((li, after));
                    }
                }
                (Seg::Index(n), Some((li, from))) => {
                    let line = self.lines[li];
                    let Some(at) = flow_item(&line[from..], *n) else {
                        break;
                    };
                    pos = (li, from + at);
                    inline = Some((li, from + at));
                }
                (Seg::Index(n), None) => {
                    let Some((li, col, dash_col)) = self.find_item(start, end, *n) else {
                        break;
                    };
                    pos = (li, col);
                    start = li;
                    end = self.item_end(li + 1, end, dash_col);
                    base_col = Some(col);
                    // An item written in flow style (`- { a: 1, b: 2 }`) continues inline.
                    let rest = &self.lines[li][col..];
                    inline = (rest.starts_with('{') || rest.starts_with('[')).then_some((li, col));
                }
            }
        }
        if at_value {
            if let Some((li, from)) = inline {
                let line = self.lines[li];
                let skipped = line[from..].len() - line[from..].trim_start().len();
                pos = (li, from + skipped);
            }
        }
        let line = self.lines.get(pos.0).copied().unwrap_or("");
        (pos.0 + 1, char_col(line, pos.1))
    }

    fn find_key(
        &self,
        start: usize,
        end: usize,
        key: &str,
        base_col: Option<usize>,
    ) -> Option<(usize, usize)> {
        let mut base = base_col;
        for li in start..end {
            let line = self.lines[li];
            if is_blank_or_comment(line) {
                continue;
            }
            let col = content_start(line);
            let expected = *base.get_or_insert(col);
            if col == expected && key_prefix_len(&line[col..], key).is_some() {
                return Some((li, col));
            }
        }
        None
    }

    /// End (exclusive) of a block whose lines are indented deeper than `parent_col`.
    fn block_end(&self, start: usize, end: usize, parent_col: usize) -> usize {
        self.first_line_ending(start, end, |indent, content| {
            indent < parent_col || (indent == parent_col && !content.starts_with("- "))
        })
    }

    /// End (exclusive) of a list item whose `-` stands at `dash_col`.
    fn item_end(&self, start: usize, end: usize, dash_col: usize) -> usize {
        self.first_line_ending(start, end, |indent, _| indent <= dash_col)
    }

    /// The first line in `start..end` (blank and comment lines skipped) for which
    /// `ends(indent, content)` holds; `end` if there is none.
    fn first_line_ending(
        &self,
        start: usize,
        end: usize,
        ends: impl Fn(usize, &str) -> bool,
    ) -> usize {
        (start..end)
            .find(|&li| {
                let line = self.lines[li];
                let content = line.trim_start();
                !is_blank_or_comment(line) && ends(line.len() - content.len(), content)
            })
            .unwrap_or(end)
    }

    /// (line, column of the item's content, column of its `-`) of the n-th item.
    fn find_item(&self, start: usize, end: usize, n: usize) -> Option<(usize, usize, usize)> {
        let mut dash_indent: Option<usize> = None;
        let mut count = 0;
        for li in start..end {
            let line = self.lines[li];
            let trimmed = line.trim_start();
            if !(trimmed.starts_with("- ") || trimmed == "-") {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let di = *dash_indent.get_or_insert(indent);
            if indent != di {
                continue;
            }
            if count == n {
                let after = indent + 1;
                let skipped = line[after..].len() - line[after..].trim_start().len();
                return Some((li, after + skipped, indent));
            }
            count += 1;
        }
        None
    }
}

/// Byte offset of `key:` inside a flow mapping text such as `{ lat: 1, lon: 2 }`.
pub(super) fn find_flow_key(text: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = text[from..].find(key) {
        let at = from + rel;
        let before_ok = at == 0
            || text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c == '{' || c == ',' || c.is_whitespace());
        if before_ok && text[at + key.len()..].starts_with(':') {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

/// Byte offset of the n-th element of a flow sequence text such as ` [a, b, c]`.
pub(super) fn flow_item(text: &str, n: usize) -> Option<usize> {
    let open = text.find('[')?;
    let mut depth = 0;
    let mut index = 0;
    let mut item_start = open + 1;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    item_start = i + 1;
                }
            }
            ']' | '}' => depth -= 1,
            ',' if depth == 1 => {
                if index == n {
                    break;
                }
                index += 1;
                item_start = i + 1;
            }
            _ => {}
        }
        if depth == 0 {
            break;
        }
    }
    if index != n {
        return None;
    }
    let skipped = text[item_start..].len() - text[item_start..].trim_start().len();
    Some(item_start + skipped)
}
