//! Typo clauses without streaming the term dictionary.
//!
//! A typo-tolerant query word matches the words of the `exact` field within its edit
//! distance `d`, and such a word is at most `d` characters longer or shorter. So the words
//! are kept grouped by length (a lazy index ships each group as a part), the Levenshtein
//! automaton of tantivy's `FuzzyTermQuery` runs over the groups the word can reach, and the
//! clause becomes a union of plain term queries. Those read one dictionary block per matched
//! word; a `FuzzyTermQuery` on the block-wise dictionary reads nearly every block of the
//! field, since no block can be skipped while the first letter may change. The matched words
//! are the ones the automaton accepts either way, and the clause scores a constant, so the
//! answers do not change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::SegmentReader;
use tantivy_fst::Automaton;

use crate::parts::PartStore;
use crate::SearchError;

/// The words of one part of a lazy index: every `exact` word of `min..=max` characters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WordGroup {
    pub min: usize,
    pub max: usize,
    pub part: String,
}

/// The words of the `exact` field, by length in characters.
pub(crate) enum Words {
    /// A complete bundle: read from the term dictionary on first use.
    Loaded(OnceLock<Vec<Vec<String>>>),
    /// A lazy index: the groups, and those parsed so far (by position in `groups`).
    Lazy {
        groups: Vec<WordGroup>,
        parsed: Mutex<HashMap<usize, Arc<Vec<String>>>>,
    },
}

/// Every word of `field` in `reader`'s term dictionary, by length in characters (index =
/// length; words within a length in dictionary order).
pub(crate) fn words_by_length(
    reader: &SegmentReader,
    field: Field,
) -> Result<Vec<Vec<String>>, SearchError> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let index = reader.inverted_index(field)?;
    let mut stream = index
        .terms()
        .stream()
        .map_err(|e| SearchError::Bundle(format!("exact field dictionary: {e}")))?;
    while stream.advance() {
        let word = std::str::from_utf8(stream.key())
            .map_err(|_| SearchError::Bundle("a word of the exact field is not UTF-8".into()))?;
        let n = word.chars().count();
        if out.len() <= n {
            out.resize_with(n + 1, Vec::new);
        }
        out[n].push(word.to_string());
    }
    Ok(out)
}

/// Groups the words for the parts of a lazy index: consecutive lengths are merged until a
/// group holds at least `min_bytes` (fewer, larger files for short and rare lengths).
/// Returns (min, max, bytes) per group; a group's bytes are its words, one per line.
pub(crate) fn group_words(
    by_length: &[Vec<String>],
    min_bytes: usize,
) -> Result<Vec<(usize, usize, Vec<u8>)>, SearchError> {
    let mut groups = Vec::new();
    let mut current: Option<(usize, Vec<u8>)> = None;
    for (n, words) in by_length.iter().enumerate() {
        if words.is_empty() {
            continue;
        }
        let (min, bytes) = current.get_or_insert_with(|| (n, Vec::new()));
        for w in words {
            if w.contains('\n') {
                return Err(SearchError::Bundle(format!(
                    "word {w:?} holds a line break"
                )));
            }
            bytes.extend_from_slice(w.as_bytes());
            bytes.push(b'\n');
        }
        if bytes.len() >= min_bytes {
            let (min, bytes) = (*min, std::mem::take(bytes));
            groups.push((min, n, bytes));
            current = None;
        }
    }
    if let Some((min, bytes)) = current {
        groups.push((min, by_length.len().saturating_sub(1), bytes));
    }
    Ok(groups)
}

fn parse_group(bytes: &[u8]) -> Result<Vec<String>, SearchError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| SearchError::Bundle("a word group is not UTF-8".into()))?;
    Ok(text.lines().map(str::to_string).collect())
}

/// Whether the automaton accepts `word`.
fn accepts<A: Automaton>(a: &A, word: &[u8]) -> bool {
    let mut state = a.start();
    for &b in word {
        state = a.accept(&state, b);
        if !a.can_match(&state) {
            return false;
        }
    }
    a.is_match(&state)
}

impl Words {
    /// The words `typo` (a `FuzzyTermQuery` of distance `d` on the `n`-character word)
    /// matches. A lazy index notes the groups it does not hold yet in `store` and leaves
    /// their words out (the run is then not answered; see `Engine::answer`). Fails when a
    /// loaded group does not parse.
    pub(crate) fn matching(
        &self,
        typo: &FuzzyTermQuery,
        n: usize,
        d: usize,
        reader: &SegmentReader,
        exact: Field,
        store: Option<&PartStore>,
    ) -> Result<Vec<String>, SearchError> {
        let Ok(dfa) = typo.automaton() else {
            return Ok(Vec::new());
        };
        let lengths = n.saturating_sub(d)..=n + d;
        let mut out = Vec::new();
        let mut take = |words: &[String]| {
            for w in words {
                let len = w.chars().count();
                if lengths.contains(&len) && accepts(&dfa, w.as_bytes()) {
                    out.push(w.clone());
                }
            }
        };
        match self {
            Words::Loaded(cell) => {
                let all = cell.get_or_init(|| words_by_length(reader, exact).unwrap_or_default());
                for len in lengths.clone() {
                    if let Some(words) = all.get(len) {
                        take(words);
                    }
                }
            }
            Words::Lazy { groups, parsed } => {
                let mut parsed = parsed.lock().unwrap_or_else(|e| e.into_inner());
                for (i, g) in groups.iter().enumerate() {
                    if g.max < *lengths.start() || g.min > *lengths.end() {
                        continue;
                    }
                    let words = match parsed.get(&i) {
                        Some(words) => words.clone(),
                        None => {
                            let Some(bytes) = store.and_then(|s| s.get_or_note(&g.part)) else {
                                continue;
                            };
                            let words = Arc::new(parse_group(bytes.as_slice())?);
                            parsed.insert(i, words.clone());
                            words
                        }
                    };
                    take(&words);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_len(words: &[&str]) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = Vec::new();
        for w in words {
            let n = w.chars().count();
            if out.len() <= n {
                out.resize_with(n + 1, Vec::new);
            }
            out[n].push(w.to_string());
        }
        out
    }

    #[test]
    fn groups_merge_short_lengths_and_cover_every_word() {
        let words = by_len(&["ab", "abc", "abcd", "abcde", "abcdef", "straße"]);
        let groups = group_words(&words, 8).unwrap();
        let lines: Vec<&str> = groups
            .iter()
            .flat_map(|(_, _, b)| std::str::from_utf8(b).unwrap().lines())
            .collect();
        assert_eq!(lines, ["ab", "abc", "abcd", "abcde", "abcdef", "straße"]);
        assert_eq!((groups[0].0, groups[0].1), (2, 4));
        // Contiguous, non-overlapping ranges.
        for w in groups.windows(2) {
            assert!(w[0].1 < w[1].0);
        }
        assert_eq!(groups.last().unwrap().1, 6);
    }

    #[test]
    fn a_word_with_a_line_break_is_refused() {
        assert!(group_words(&by_len(&["a\nb"]), 1).is_err());
    }
}
