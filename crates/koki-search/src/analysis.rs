//! German text analysis shared by the indexer and the query side.
//!
//! Pipeline per token: split on non-alphanumeric characters → [`fold`] (lower-case,
//! ä→ae, ö→oe, ü→ue, ß→ss, other Latin diacritics stripped) → [`stem`] (Snowball German,
//! which maps ae/oe/ue back to umlauts and finally drops the umlaut marks, so every
//! spelling variant ends up with the same stem).
//!
//! The analysis is done here in plain Rust and handed to tantivy as finished tokens (see
//! `schema::PREPARED_TOKENIZER`), so the browser module needs no tantivy tokenizer and
//! analyses queries with exactly the same code.

use std::collections::HashSet;

/// One analysed token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the token in the source text.
    pub from: usize,
    /// Byte offset one past the token's end.
    pub to: usize,
    /// Folded surface form (lower-case, umlauts as ae/oe/ue, ß as ss).
    pub folded: String,
    /// Snowball German stem of the folded form.
    pub stem: String,
}

/// Splits `text` into tokens (maximal runs of alphanumeric characters) and analyses them.
pub fn analyze(text: &str) -> Vec<Token> {
    fold_tokens(text)
        .into_iter()
        .map(|(from, to, folded)| Token {
            from,
            to,
            stem: stem(&folded),
            folded,
        })
        .collect()
}

/// The first half of [`analyze`]: tokens as `(from, to, folded)`, not yet stemmed. The
/// indexer stems each distinct word once instead of every occurrence.
pub fn fold_tokens(text: &str) -> Vec<(usize, usize, String)> {
    token_spans(text)
        .filter_map(|(from, to)| {
            let folded = fold(&text[from..to]);
            (!folded.is_empty()).then_some((from, to, folded))
        })
        .collect()
}

pub use koki_text::{fold, fold_into};

/// Byte ranges of the tokens [`analyze`] splits `text` into (before folding; a range whose
/// folded form is empty yields no token there).
pub fn token_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        let from = loop {
            let (i, c) = chars.next()?;
            if c.is_alphanumeric() {
                break i;
            }
        };
        let mut to = text.len();
        for (i, c) in chars.by_ref() {
            if !c.is_alphanumeric() {
                to = i;
                break;
            }
        }
        Some((from, to))
    })
}

/// German stop words (folded). Ignored in free-text queries unless a query has nothing else;
/// still indexed so that phrases containing them work.
const STOPWORDS: &[&str] = &[
    "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "das", "dass", "dem", "den",
    "der", "des", "die", "dies", "diese", "dieser", "dieses", "durch", "ein", "eine", "einem",
    "einen", "einer", "eines", "es", "fuer", "hat", "im", "in", "ist", "mit", "nach", "nicht",
    "noch", "oder", "sich", "sie", "sind", "so", "um", "und", "uns", "unter", "vom", "von", "vor",
    "wie", "wird", "werden", "zu", "zum", "zur", "ueber",
];

/// Whether a folded word is a stop word.
pub fn is_stopword(folded: &str) -> bool {
    STOPWORDS.contains(&folded)
}

// ---------------------------------------------------------------------------------------------
// Snowball German stemmer (the algorithm of snowballstem.org, German variant with the
// ae/oe/ue → umlaut rule), implemented over chars so the browser module needs no stemmer
// library with every other language compiled in.
// ---------------------------------------------------------------------------------------------

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'ö' | 'ü')
}

fn is_s_ending(c: char) -> bool {
    matches!(
        c,
        'b' | 'd' | 'f' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'r' | 't'
    )
}

fn is_st_ending(c: char) -> bool {
    matches!(c, 'b' | 'd' | 'f' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 't')
}

fn ends_with(w: &[char], suffix: &str) -> bool {
    // Every suffix of the algorithm is ASCII: compare bytes, no char decoding per call.
    let s = suffix.as_bytes();
    w.len() >= s.len()
        && w[w.len() - s.len()..]
            .iter()
            .zip(s)
            .all(|(&c, &b)| c == b as char)
}

/// Stems one folded (lower-case) German word. Words containing digits are returned as they are.
///
/// Called for every token and, while splitting compounds, for every candidate part, so it
/// works in one buffer: the prelude marks and contracts in place.
pub fn stem(folded: &str) -> String {
    let mut w: Vec<char> = Vec::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_digit() {
            return folded.to_string();
        }
        w.push(c);
    }
    if w.len() < 3 {
        return folded.to_string();
    }
    // Prelude, part 1: u and y between vowels become consonants (marked upper case).
    for i in 1..w.len() - 1 {
        if (w[i] == 'u' || w[i] == 'y') && is_vowel(w[i - 1]) && is_vowel(w[i + 1]) {
            w[i] = w[i].to_ascii_uppercase();
        }
    }
    // Prelude, part 2: ß → ss (already folded), ae/oe/ue → umlaut (not after q). Contracts
    // in place; `before` is the marked character preceding the read position.
    let (mut read, mut write) = (0, 0);
    let mut before: Option<char> = None;
    while read < w.len() {
        let c = w[read];
        let umlaut = match c {
            'a' => Some('ä'),
            'o' => Some('ö'),
            'u' => Some('ü'),
            _ => None,
        };
        if let Some(u) =
            umlaut.filter(|_| read + 1 < w.len() && w[read + 1] == 'e' && before != Some('q'))
        {
            w[write] = u;
            before = Some('e');
            read += 2;
        } else {
            w[write] = c;
            before = Some(c);
            read += 1;
        }
        write += 1;
    }
    w.truncate(write);

    // Regions R1 and R2.
    let region_after = |w: &[char], start: usize| -> usize {
        let mut i = start;
        while i + 1 < w.len() {
            if is_vowel(w[i]) && !is_vowel(w[i + 1]) {
                return i + 2;
            }
            i += 1;
        }
        w.len()
    };
    let mut r1 = region_after(&w, 0);
    if r1 < 3 {
        r1 = 3.min(w.len());
    }
    let r2 = region_after(&w, r1).max(r1);

    // Step 1.
    {
        let len = w.len();
        let in_r1 = |n: usize| len >= n && len - n >= r1;
        if ends_with(&w, "ern") && in_r1(3) {
            w.truncate(len - 3);
        } else if ends_with(&w, "em") && in_r1(2) || ends_with(&w, "er") && in_r1(2) {
            w.truncate(len - 2);
        } else if ends_with(&w, "en") || ends_with(&w, "es") {
            if in_r1(2) {
                w.truncate(len - 2);
                if ends_with(&w, "niss") {
                    w.pop();
                }
            }
        } else if ends_with(&w, "e") {
            if in_r1(1) {
                w.truncate(len - 1);
                if ends_with(&w, "niss") {
                    w.pop();
                }
            }
        } else if ends_with(&w, "s") && len >= 2 && is_s_ending(w[len - 2]) && in_r1(1) {
            w.truncate(len - 1);
        }
    }
    // Step 2.
    {
        let len = w.len();
        let in_r1 = |n: usize| len >= n && len - n >= r1;
        if ends_with(&w, "est") {
            if in_r1(3) {
                w.truncate(len - 3);
            }
        } else if ends_with(&w, "en") || ends_with(&w, "er") {
            if in_r1(2) {
                w.truncate(len - 2);
            }
        } else if ends_with(&w, "st") && in_r1(2) && len >= 6 && is_st_ending(w[len - 3]) {
            w.truncate(len - 2);
        }
    }
    // Step 3: d-suffixes.
    {
        let len = w.len();
        let in_r = |n: usize, r: usize| len >= n && len - n >= r;
        let cut = |w: &mut Vec<char>, n: usize| w.truncate(w.len() - n);
        if ends_with(&w, "isch") {
            if in_r(4, r2) && !(len >= 5 && w[len - 5] == 'e') {
                cut(&mut w, 4);
            }
        } else if ends_with(&w, "lich") || ends_with(&w, "heit") {
            if in_r(4, r2) {
                cut(&mut w, 4);
                let l = w.len();
                if (ends_with(&w, "er") || ends_with(&w, "en")) && l >= 2 && l - 2 >= r1 {
                    cut(&mut w, 2);
                }
            }
        } else if ends_with(&w, "keit") {
            if in_r(4, r2) {
                cut(&mut w, 4);
                let l = w.len();
                if ends_with(&w, "lich") && l >= 4 && l - 4 >= r2 {
                    cut(&mut w, 4);
                } else if ends_with(&w, "ig") && l >= 2 && l - 2 >= r2 {
                    cut(&mut w, 2);
                }
            }
        } else if ends_with(&w, "end") || ends_with(&w, "ung") {
            if in_r(3, r2) {
                cut(&mut w, 3);
                let l = w.len();
                if ends_with(&w, "ig") && l >= 2 && l - 2 >= r2 && !(l >= 3 && w[l - 3] == 'e') {
                    cut(&mut w, 2);
                }
            }
        } else if (ends_with(&w, "ig") || ends_with(&w, "ik"))
            && in_r(2, r2)
            && !(len >= 3 && w[len - 3] == 'e')
        {
            cut(&mut w, 2);
        }
    }
    // Postlude: undo the marks and drop umlauts.
    let mut out = String::with_capacity(w.len());
    out.extend(w.into_iter().map(|c| match c {
        'U' => 'u',
        'Y' => 'y',
        'ä' => 'a',
        'ö' => 'o',
        'ü' => 'u',
        c => c,
    }));
    out
}

// ---------------------------------------------------------------------------------------------
// Compound splitting
// ---------------------------------------------------------------------------------------------

/// Linking elements (Fugenelemente) allowed between the parts of a compound.
const LINKS: &[&str] = &["s", "es", "n", "en", "e", "er", "ens"];
/// Words shorter than this (in bytes of the folded form) are never split.
pub const MIN_COMPOUND_LEN: usize = 7;
/// Longest word (in bytes) that is split into compound parts. Splitting tries every substring,
/// so without a bound one hostile word in a body or a query could take seconds to minutes.
pub const MAX_COMPOUND_LEN: usize = 48;
/// Shortest dictionary word used as a compound part.
pub const MIN_PART_LEN: usize = 3;
/// Shortest known tail after a head that is not in the dictionary.
const MIN_TAIL_LEN: usize = 5;
/// Cost of an unknown head (a known part costs 4 or 5): fully known splits win.
const UNKNOWN_HEAD_COST: usize = 9;

/// Dictionary-based decompounder. The dictionary is made from the catalog's own words at
/// build time and shipped in the bundle, so the browser splits query words the same way.
#[derive(Debug, Clone, Default)]
pub struct Decompounder {
    words: HashSet<String>,
    stems: HashSet<String>,
}

impl Decompounder {
    /// Builds a decompounder from folded dictionary words.
    pub fn new<I: IntoIterator<Item = String>>(words: I) -> Self {
        let words: HashSet<String> = words
            .into_iter()
            .filter(|w| is_dictionary_word(w))
            .collect();
        let stems = words
            .iter()
            .filter(|w| w.len() >= 4)
            .map(|w| stem(w))
            .collect();
        Decompounder { words, stems }
    }

    /// Adds folded dictionary words (a lazily loaded group of the dictionary).
    pub fn extend<I: IntoIterator<Item = String>>(&mut self, words: I) {
        for w in words.into_iter().filter(|w| is_dictionary_word(w)) {
            if w.len() >= 4 {
                self.stems.insert(stem(&w));
            }
            self.words.insert(w);
        }
    }

    /// Number of dictionary words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the dictionary is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Splits a folded word into at least two parts that together make up the whole word
    /// (allowing linking elements between parts and inflected parts: a part matches when it
    /// is a dictionary word or has the stem of one). Returns the
    /// split with the fewest parts (preferring dictionary words), or `None` when the word does not decompose.
    pub fn split(&self, folded: &str) -> Option<Vec<String>> {
        let n = folded.len();
        if !(MIN_COMPOUND_LEN..=MAX_COMPOUND_LEN).contains(&n)
            || !folded.bytes().all(|b| b.is_ascii_lowercase())
        {
            return None;
        }
        // start[i]: cheapest split so that a new part may start at byte i, with back pointer.
        // A part costs 4 when it is a dictionary word and 5 when only its stem is known, so
        // fewer parts win first and real words break ties.
        const NONE: usize = usize::MAX;
        let mut start: Vec<(usize, usize, usize)> = vec![(NONE, 0, 0); n + 1]; // (cost, prev start, part end)
        start[0] = (0, 0, 0);
        let mut best_end: Option<(usize, usize)> = None; // (cost, start of last part)
        let part_cost = |part: &str, min_stem_len: usize| -> Option<usize> {
            if self.words.contains(part) {
                Some(4)
            } else if part.len() >= min_stem_len && self.stems.contains(&stem(part)) {
                Some(5)
            } else {
                None
            }
        };
        for j in 0..n {
            let (c, _, _) = start[j];
            if c == NONE {
                continue;
            }
            // Last part: the rest of the word.
            if j > 0 && n - j >= MIN_PART_LEN {
                if let Some(pc) = part_cost(&folded[j..], 4) {
                    if best_end.is_none_or(|(bc, _)| c + pc < bc) {
                        best_end = Some((c + pc, j));
                    }
                }
            }
            for k in (j + MIN_PART_LEN)..n {
                let Some(pc) = part_cost(&folded[j..k], 5) else {
                    continue;
                };
                let mut relax = |pos: usize| {
                    if pos < n && c + pc < start[pos].0 {
                        start[pos] = (c + pc, j, k);
                    }
                };
                relax(k);
                for link in LINKS {
                    if folded[k..].starts_with(link) {
                        relax(k + link.len());
                    }
                }
            }
        }
        // A head the dictionary does not know ("Schul…", "Gesundheits…") before a known
        // tail of at least five letters: the tail is what people search for.
        for j in MIN_PART_LEN..n.saturating_sub(MIN_TAIL_LEN - 1) {
            if let Some(pc) = part_cost(&folded[j..], MIN_TAIL_LEN) {
                let c = UNKNOWN_HEAD_COST + pc;
                if best_end.is_none_or(|(bc, _)| c < bc) {
                    start[j] = (UNKNOWN_HEAD_COST, 0, j);
                    best_end = Some((c, j));
                }
            }
        }
        let (_, mut last_start) = best_end?;
        let mut parts = vec![folded[last_start..].to_string()];
        while last_start > 0 {
            let (_, prev, end) = start[last_start];
            parts.push(folded[prev..end].to_string());
            last_start = prev;
        }
        parts.reverse();
        Some(parts)
    }
}

/// Whether a folded word may enter the compound dictionary.
pub fn is_dictionary_word(w: &str) -> bool {
    w.len() >= MIN_PART_LEN && w.bytes().all(|b| b.is_ascii_lowercase()) && !is_stopword(w)
}

/// Levenshtein distance with adjacent transpositions counted as one edit (optimal string
/// alignment), used to highlight typo-tolerant matches in snippets.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa(&a, &b)
}

fn osa<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, v) in d[0].iter_mut().enumerate() {
        *v = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// Whether `edit_distance(a, b) <= max`, without allocating for ASCII words (folded words
/// nearly always are) and stopping as soon as a row of the table exceeds `max` (snippets test
/// every word of a summary against the query's typo-tolerant words).
pub fn within_edit_distance(a: &str, b: &str, max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max * 4 {
        // More characters differ in number than `max` edits can bridge.
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        bounded_osa(a.as_bytes(), b.as_bytes(), max)
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        bounded_osa(&a, &b, max)
    }
}

fn bounded_osa<T: PartialEq>(a: &[T], b: &[T], max: usize) -> bool {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return false;
    }
    if n > 62 || m > 62 {
        // Rows on the stack cover all but very long words.
        return osa(a, b) <= max;
    }
    let mut rows = [[0u8; 64]; 3];
    for (j, v) in rows[0].iter_mut().enumerate().take(m + 1) {
        *v = j as u8;
    }
    for i in 1..=n {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i as u8;
        let mut row_min = i;
        for j in 1..=m {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = v;
            row_min = row_min.min(usize::from(v));
        }
        // No cell of a later row can be smaller than this row's minimum.
        if row_min > max {
            return false;
        }
    }
    usize::from(rows[n % 3][m]) <= max
}

/// Maximum edit distance for typo tolerance: 1 from 5 characters, 2 from 9.
pub fn fuzzy_distance(folded: &str) -> u8 {
    match folded.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        // Longer words get no typo tolerance: building a Levenshtein automaton for a very long
        // (possibly hostile) word is costly, and real German words rarely exceed this.
        9..=MAX_FUZZY_CHARS => 2,
        _ => 0,
    }
}

/// Longest word (in characters) that still gets typo tolerance.
pub const MAX_FUZZY_CHARS: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_variants_share_stems() {
        for (a, b) in [
            ("Müller", "Mueller"),
            ("Straße", "Strasse"),
            ("Bürgerämter", "Buergeraemter"),
            ("Größe", "Groesse"),
        ] {
            assert_eq!(stem(&fold(a)), stem(&fold(b)), "{a} vs {b}");
        }
    }

    #[test]
    fn inflections_share_stems() {
        let s = |w: &str| stem(&fold(w));
        assert_eq!(s("Steuerung"), s("Steuerungen"));
        assert_eq!(s("Verwaltung"), s("Verwaltungen"));
        assert_eq!(s("Gemeinde"), s("Gemeinden"));
        assert_eq!(s("Kreuzung"), s("Kreuzungen"));
        assert_eq!(s("Kommune"), s("Kommunen"));
        assert_eq!(s("digitale"), s("digitalen"));
        assert_eq!(s("Bürger"), s("Bürgern"));
    }

    #[test]
    fn hostile_long_words_are_not_split_and_get_no_fuzzy() {
        let d = Decompounder::new(["ampel", "steuerung"].iter().map(|s| s.to_string()));
        let long = "ampelsteuerung".repeat(2_000);
        assert_eq!(d.split(&long), None);
        assert_eq!(fuzzy_distance(&long), 0);
        assert_eq!(fuzzy_distance("verkehrssteuerung"), 2);
    }

    #[test]
    fn splits_compounds() {
        let d = Decompounder::new(
            [
                "ampel",
                "steuerung",
                "verkehr",
                "buerger",
                "amt",
                "land",
                "kreis",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        assert_eq!(
            d.split("ampelsteuerung").unwrap(),
            vec!["ampel", "steuerung"]
        );
        assert_eq!(
            d.split("verkehrssteuerung").unwrap(),
            vec!["verkehr", "steuerung"]
        );
        assert_eq!(
            d.split("ampelsteuerungen").unwrap(),
            vec!["ampel", "steuerungen"]
        );
        assert_eq!(d.split("buergeramt").unwrap(), vec!["buerger", "amt"]);
        assert_eq!(d.split("landkreis").unwrap(), vec!["land", "kreis"]);
        assert_eq!(d.split("steuerung"), None);
        // An unknown head before a known tail of five or more letters.
        assert_eq!(
            d.split("schulsteuerung").unwrap(),
            vec!["schul", "steuerung"]
        );
        assert_eq!(d.split("xyzamt"), None, "short tails need a known head");
        assert_eq!(d.split("steuerungxyz"), None);
    }

    #[test]
    fn token_spans_are_the_analyzed_tokens() {
        for text in [
            "",
            "  ",
            "Die Ampelsteuerung (KI) – für Bürger*innen, 24/7!",
            "Straße",
            "ende",
            "x",
            "a-b c",
        ] {
            let spans: Vec<(usize, usize)> = token_spans(text).collect();
            let toks: Vec<(usize, usize)> = analyze(text).iter().map(|t| (t.from, t.to)).collect();
            assert_eq!(spans, toks, "{text}");
        }
    }

    #[test]
    fn bounded_edit_distance_agrees_with_the_full_table() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "ampel",
            "ample",
            "amepl",
            "elektrisch",
            "elektirsch",
            "elektrsch",
            "verwaltung",
            "verwaltnug",
            "verwaltungen",
            "strasse",
            "straße",
            "müller",
            "mueller",
            "steuerung",
            "stuerung",
            "steurung",
            "xyz",
        ];
        for a in words {
            for b in words {
                for max in 0..4 {
                    assert_eq!(
                        within_edit_distance(a, b, max),
                        edit_distance(a, b) <= max,
                        "{a} {b} {max}"
                    );
                }
            }
        }
        let long = "a".repeat(70);
        assert!(within_edit_distance(&long, &long, 0));
        assert!(within_edit_distance(&long, &long[1..], 1));
        assert!(!within_edit_distance(&long, &long[2..], 1));
        assert!(!within_edit_distance(&"ä".repeat(10), &"a".repeat(10), 2));
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("elektrisch", "elektirsch"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("ampel", "ample"), 1);
    }
}
