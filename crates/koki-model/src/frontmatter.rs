//! Splits a Markdown file into YAML front matter and body while keeping line numbers, so that
//! every diagnostic can point at the line of the original file.

/// A file split into its parts. Lines are 1-based positions in the original file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// YAML text between the `---` fences (without them).
    pub yaml: &'a str,
    /// Line of the file where the YAML text starts.
    pub yaml_first_line: usize,
    /// Markdown body after the closing fence.
    pub body: &'a str,
    /// Line of the file where the body starts.
    pub body_first_line: usize,
}

use crate::Error;

/// Strip a UTF-8 byte order mark, which some Windows editors write.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n', ' ', '\t']) == "---"
}

/// Split `text` (BOM already stripped) at its `---` fences. CRLF line endings are accepted.
pub fn split(text: &str) -> Result<Split<'_>, Error> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(Error::NoFrontMatter)?;
    if !is_fence(first) {
        return Err(Error::NoFrontMatter);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        if is_fence(line) || line.trim_end_matches(['\r', '\n']) == "..." {
            let yaml = &text[yaml_start..offset];
            let body_start = offset + line.len();
            return Ok(Split {
                yaml,
                yaml_first_line: 2,
                body: &text[body_start..],
                // A closing fence without a line break ends the file: the (empty) body is on
                // the fence's line, not after it.
                body_first_line: line_no + usize::from(line.ends_with('\n')),
            });
        }
        offset += line.len();
    }
    Err(Error::UnclosedFrontMatter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_lines() {
        let s = split("---\na: 1\nb: 2\n---\n\n# Body\n").unwrap();
        assert_eq!(s.yaml, "a: 1\nb: 2\n");
        assert_eq!(s.yaml_first_line, 2);
        assert_eq!(s.body, "\n# Body\n");
        assert_eq!(s.body_first_line, 5);
    }

    #[test]
    fn accepts_crlf() {
        let s = split("---\r\na: 1\r\n---\r\nText").unwrap();
        assert_eq!(s.yaml, "a: 1\r\n");
        assert_eq!(s.body, "Text");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
        assert_eq!(s.body_first_line, 2);
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("# Title"), Err(Error::NoFrontMatter));
        assert_eq!(split(""), Err(Error::NoFrontMatter));
        assert_eq!(split("---\na: 1\n"), Err(Error::UnclosedFrontMatter));
    }

    #[test]
    fn bom_is_stripped() {
        assert_eq!(strip_bom("\u{feff}---"), "---");
    }
}
