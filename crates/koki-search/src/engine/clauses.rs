//! From a parsed query to tantivy clauses: the fields and boosts a word is searched in,
//! compound splits, prefix and typo clauses, phrases, the strict run of the two-tier
//! ranking, what the snippets highlight, and the prefetch pass of a lazy index.

use std::cell::RefCell;
use std::collections::BTreeSet;

use tantivy::query::{
    AllQuery, AutomatonWeight, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery,
    FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{SegmentReader, Term};

use super::Engine;
use crate::analysis;
use crate::query::{Node, TextScope};
use crate::schema::trigrams;
use crate::{CompoundMode, SearchError, FACETS};

/// Field boosts, and the constant scores of prefix and typo matches.
struct Weights {
    title: f32,
    summary: f32,
    body: f32,
    kommunen: f32,
    /// Compound parts (the `parts` field, and n-grams in that mode).
    parts: f32,
    /// A query compound matched as its parts written apart.
    query_split: f32,
    prefix: f32,
    fuzzy: f32,
}

const W: Weights = Weights {
    title: 3.0,
    summary: 2.0,
    body: 1.0,
    kommunen: 4.0,
    parts: 0.7,
    query_split: 0.5,
    prefix: 0.3,
    fuzzy: 0.2,
};

/// What a query asks to highlight.
#[derive(Default)]
pub(super) struct Highlight {
    pub(super) stems: BTreeSet<String>,
    pub(super) prefixes: BTreeSet<String>,
    pub(super) fuzzy: Vec<(String, usize)>,
    /// Folded words and stems (≥ 4 letters) that mark a compound containing them.
    pub(super) parts: BTreeSet<String>,
}

pub(super) fn only_stopwords(node: &Node) -> bool {
    let mut words = Vec::new();
    collect_plain_words(node, &mut words);
    !words.is_empty()
        && words.iter().all(|w| {
            let t = analysis::analyze(w);
            t.len() == 1 && analysis::is_stopword(&t[0].folded)
        })
}

fn collect_plain_words(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Term { text, scope: None } => out.push(text.clone()),
        Node::And(c) | Node::Or(c) => c.iter().for_each(|n| collect_plain_words(n, out)),
        Node::Not(n) => collect_plain_words(n, out),
        Node::Term { .. } | Node::Phrase { .. } | Node::Facet { .. } => {}
    }
}

pub(super) struct Builder<'a> {
    pub(super) e: &'a Engine,
    pub(super) drop_stop: bool,
    /// The prefix clauses built so far (their terms come from the dictionary, so
    /// [`prefetch`] expands them itself; typo clauses are expanded when built, see
    /// [`crate::typo`]).
    pub(super) fuzzy: RefCell<Vec<FuzzyTermQuery>>,
    /// A loaded part that did not parse while building (the answer fails with it).
    pub(super) error: RefCell<Option<SearchError>>,
}

/// Reads every term's dictionary entry and postings once, each on its own and ignoring
/// failures, so that a lazy index notes all the parts a query needs in one run.
pub(super) fn prefetch(
    q: &dyn Query,
    fuzzy: &[FuzzyTermQuery],
    exact: Field,
    reader: &SegmentReader,
) {
    let mut terms: Vec<(Term, bool)> = Vec::new();
    q.query_terms(&mut |t, positions| terms.push((t.clone(), positions)));
    for (t, positions) in terms {
        let Ok(ii) = reader.inverted_index(t.field()) else {
            continue;
        };
        if let Ok(Some(ti)) = ii.get_term_info(&t) {
            let option = if positions {
                IndexRecordOption::WithFreqsAndPositions
            } else {
                IndexRecordOption::WithFreqs
            };
            let _ = ii.read_postings_from_terminfo(&ti, option);
        }
    }
    let Ok(ii) = reader.inverted_index(exact) else {
        return;
    };
    for f in fuzzy {
        let Ok(dfa) = f.automaton() else { continue };
        let w = AutomatonWeight::new(exact, dfa);
        if let Ok(infos) = w.get_match_term_infos(reader) {
            for ti in infos {
                let _ = ii.read_block_postings_from_terminfo(&ti, IndexRecordOption::Basic);
            }
        }
    }
}

type Q = Box<dyn Query>;

fn boost(q: Q, b: f32) -> Q {
    if b == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, b))
    }
}

fn should(mut qs: Vec<Q>) -> Option<Q> {
    match qs.len() {
        0 => None,
        1 => qs.pop(),
        _ => Some(Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Occur::Should, q)).collect(),
        ))),
    }
}

impl Builder<'_> {
    fn text_fields(&self, scope: Option<TextScope>) -> Vec<(Field, f32)> {
        let f = &self.e.fields;
        match scope {
            None => vec![
                (f.title, W.title),
                (f.summary, W.summary),
                (f.body, W.body),
                (f.kommunen, W.kommunen),
            ],
            Some(TextScope::Title) => vec![(f.title, W.title)],
            Some(TextScope::Summary) => vec![(f.summary, W.summary)],
            Some(TextScope::Body) => vec![(f.body, W.body)],
            Some(TextScope::Kommunen) => vec![(f.kommunen, W.kommunen)],
        }
    }

    fn term(field: Field, text: &str) -> Q {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// Matches a stem in the text fields (and compound parts when unscoped).
    fn stem_clauses(&self, stem: &str, scope: Option<TextScope>) -> Vec<Q> {
        let mut qs: Vec<Q> = self
            .text_fields(scope)
            .into_iter()
            .map(|(f, b)| boost(Self::term(f, stem), b))
            .collect();
        if scope.is_none() && self.e.mode == CompoundMode::Dictionary {
            qs.push(boost(Self::term(self.e.fields.parts, stem), W.parts));
        }
        qs
    }

    fn word(&self, tok: &analysis::Token, scope: Option<TextScope>, strict: bool) -> Option<Q> {
        let mut qs = self.stem_clauses(&tok.stem, scope);
        if scope.is_none() {
            match self.e.mode {
                CompoundMode::Dictionary => {
                    if let Some(parts) = self.e.split_compound(&tok.folded) {
                        let musts: Vec<(Occur, Q)> = parts
                            .iter()
                            .filter_map(|p| should(self.stem_clauses(&analysis::stem(p), None)))
                            .map(|q| (Occur::Must, q))
                            .collect();
                        qs.push(boost(Box::new(BooleanQuery::new(musts)), W.query_split));
                    }
                }
                CompoundMode::Ngram => {
                    if tok.folded.chars().count() >= 3 {
                        let musts: Vec<(Occur, Q)> = trigrams(&tok.folded)
                            .iter()
                            .map(|g| (Occur::Must, Self::term(self.e.fields.ngram, g)))
                            .collect();
                        qs.push(Box::new(ConstScoreQuery::new(
                            Box::new(BooleanQuery::new(musts)),
                            W.parts,
                        )));
                    }
                }
                CompoundMode::Off => {}
            }
            if !strict {
                let exact = Term::from_field_text(self.e.fields.exact, &tok.folded);
                if tok.folded.chars().count() >= 3 {
                    let prefix = FuzzyTermQuery::new_prefix(exact.clone(), 0, true);
                    self.fuzzy.borrow_mut().push(prefix.clone());
                    qs.push(Box::new(ConstScoreQuery::new(Box::new(prefix), W.prefix)));
                }
                let d = analysis::fuzzy_distance(&tok.folded);
                if d > 0 {
                    qs.push(Box::new(ConstScoreQuery::new(
                        self.typo_clause(exact, &tok.folded, d),
                        W.fuzzy,
                    )));
                }
            }
        }
        should(qs)
    }

    /// The words within edit distance `d` of `folded`, as a union of term queries (the
    /// documents a `FuzzyTermQuery` matches; see [`crate::typo`]).
    fn typo_clause(&self, exact: Term, folded: &str, d: u8) -> Q {
        let field = exact.field();
        let typo = FuzzyTermQuery::new(exact, d, true);
        let Some(searcher) = &self.e.searcher else {
            return Box::new(EmptyQuery);
        };
        let words = match self.e.words.matching(
            &typo,
            folded.chars().count(),
            usize::from(d),
            searcher.segment_reader(0),
            field,
            self.e.store.as_deref(),
        ) {
            Ok(words) => words,
            Err(e) => {
                self.error.replace(Some(e));
                Vec::new()
            }
        };
        let terms = words
            .iter()
            .map(|w| -> Q {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, w),
                    IndexRecordOption::Basic,
                ))
            })
            .collect();
        should(terms).unwrap_or_else(|| Box::new(EmptyQuery))
    }

    fn phrase(&self, toks: &[analysis::Token], scope: Option<TextScope>) -> Option<Q> {
        let qs = self
            .text_fields(scope)
            .into_iter()
            .map(|(f, b)| {
                let terms = toks
                    .iter()
                    .map(|t| Term::from_field_text(f, &t.stem))
                    .collect();
                boost(Box::new(PhraseQuery::new(terms)), b)
            })
            .collect();
        should(qs)
    }

    pub(super) fn build(&self, node: &Node, strict: bool) -> Option<Q> {
        match node {
            Node::Term { text, scope } => {
                let toks = analysis::analyze(text);
                match toks.len() {
                    0 => None,
                    1 => {
                        if self.drop_stop
                            && scope.is_none()
                            && analysis::is_stopword(&toks[0].folded)
                        {
                            return None;
                        }
                        self.word(&toks[0], *scope, strict)
                    }
                    _ => self.phrase(&toks, *scope),
                }
            }
            Node::Phrase { text, scope } => {
                let toks = analysis::analyze(text);
                match toks.len() {
                    0 => None,
                    1 => should(self.stem_clauses(&toks[0].stem, *scope)),
                    _ => self.phrase(&toks, *scope),
                }
            }
            Node::Facet { facet, value } => {
                let fi = FACETS.iter().position(|f| f == facet)?;
                let id = self.e.resolve_facet_value(facet, value);
                Some(Box::new(ConstScoreQuery::new(
                    Self::term(self.e.fields.facets[fi], &id),
                    0.0,
                )))
            }
            Node::And(children) => {
                let mut clauses: Vec<(Occur, Q)> = Vec::new();
                for c in children {
                    match c {
                        Node::Not(inner) => {
                            if let Some(q) = self.build(inner, strict) {
                                clauses.push((Occur::MustNot, q));
                            }
                        }
                        c => {
                            if let Some(q) = self.build(c, strict) {
                                clauses.push((Occur::Must, q));
                            }
                        }
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(children) => should(
                children
                    .iter()
                    .filter_map(|c| self.build(c, strict))
                    .collect(),
            ),
            Node::Not(inner) => {
                let q = self.build(inner, strict)?;
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Q),
                    (Occur::MustNot, q),
                ])))
            }
        }
    }

    /// Whether the query uses typo-tolerant or prefix clauses (then a strict run ranks exact
    /// matches first).
    pub(super) fn has_loose(&self, node: &Node) -> bool {
        match node {
            Node::Term { text, scope: None } => {
                let toks = analysis::analyze(text);
                toks.len() == 1 && toks[0].folded.chars().count() >= 3
            }
            Node::And(c) | Node::Or(c) => c.iter().any(|n| self.has_loose(n)),
            Node::Not(n) => self.has_loose(n),
            _ => false,
        }
    }

    pub(super) fn highlight(&self, node: &Node, hl: &mut Highlight) {
        match node {
            Node::Term { text, .. } | Node::Phrase { text, .. } => {
                let toks = analysis::analyze(text);
                let single_word = toks.len() == 1 && matches!(node, Node::Term { .. });
                for t in toks {
                    if self.drop_stop && analysis::is_stopword(&t.folded) {
                        continue;
                    }
                    if single_word {
                        if t.folded.chars().count() >= 3 {
                            hl.prefixes.insert(t.folded.clone());
                        }
                        let d = analysis::fuzzy_distance(&t.folded);
                        if d > 0 {
                            hl.fuzzy.push((t.folded.clone(), d as usize));
                        }
                        if let Some(parts) = self.e.split_compound(&t.folded) {
                            hl.stems.extend(parts.iter().map(|p| analysis::stem(p)));
                        }
                        if self.e.mode != CompoundMode::Off {
                            for w in [&t.folded, &t.stem] {
                                if w.len() >= 4 {
                                    hl.parts.insert(w.clone());
                                }
                            }
                        }
                    }
                    hl.stems.insert(t.stem);
                }
            }
            Node::And(c) | Node::Or(c) => c.iter().for_each(|n| self.highlight(n, hl)),
            Node::Not(_) | Node::Facet { .. } => {}
        }
    }
}
