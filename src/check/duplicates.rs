//! Likely duplicates: examples with near-identical titles or the same sources.

use super::*;

pub(super) fn key_path(parts: &[&str]) -> Vec<Seg> {
    parts.iter().map(|p| Seg::Key((*p).to_string())).collect()
}

/// Title normalised for comparison: lowercase, umlauts folded, punctuation removed.
pub(super) fn normalise_title(title: &str) -> String {
    load::slugify(title).replace('-', " ")
}

/// A municipality key for comparison: the AGS when given, else the normalised name.
pub(super) fn municipality_keys(e: &Example) -> Vec<(String, &str)> {
    e.kommunen
        .iter()
        .map(|k| {
            let key = match &k.ags {
                Some(a) if !a.trim().is_empty() => format!("ags:{}", a.trim()),
                _ => format!("name:{}", load::slugify(&k.name)),
            };
            (key, k.name.as_str())
        })
        .collect()
}

/// A title prepared for [`title_similarity`]: normalised, and with its longer words sorted.
pub(super) struct ComparableTitle {
    pub(super) normal: String,
    pub(super) sorted: String,
}

impl ComparableTitle {
    pub(super) fn new(title: &str) -> Self {
        let normal = normalise_title(title);
        let mut words: Vec<&str> = normal.split(' ').filter(|w| w.len() > 3).collect();
        words.sort_unstable();
        let sorted = words.join(" ");
        ComparableTitle { normal, sorted }
    }

    /// Similarity (0..1): edit distance of the normalised titles, also with their words
    /// sorted. Pairs whose lengths alone rule out reaching `at_least` are skipped and get 0.
    pub(super) fn similarity(&self, other: &Self, at_least: f64) -> f64 {
        fn bound(a: &str, b: &str) -> f64 {
            let (la, lb) = (a.chars().count(), b.chars().count());
            let max = la.max(lb);
            if max == 0 {
                1.0
            } else {
                1.0 - la.abs_diff(lb) as f64 / max as f64
            }
        }
        let mut best = 0.0f64;
        for (a, b) in [(&self.normal, &other.normal), (&self.sorted, &other.sorted)] {
            // The edit distance is at least the difference in length.
            let upper = bound(a, b);
            if upper >= at_least && upper > best {
                best = best.max(strsim::normalized_damerau_levenshtein(a, b));
            }
        }
        best
    }
}

/// Similarity (0..1) of two titles: edit distance of the normalised titles, also with their
/// words sorted, so that reordered titles ("Amberg: Chatbot" / "Chatbot in Amberg") match.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    ComparableTitle::new(a).similarity(&ComparableTitle::new(b), 0.0)
}

pub(super) fn check_duplicates(loaded: &Loaded, out: &mut Diagnostics, advice: &mut Diagnostics) {
    // The newer entry (by `erfasst_am`, then id) is the one reported: in a pull request that
    // adds a duplicate, the finding appears on the added file.
    let mut examples: Vec<&Entry<Example>> = loaded.examples.iter().collect();
    examples.sort_by(|a, b| (&a.meta.erfasst_am, &a.id).cmp(&(&b.meta.erfasst_am, &b.id)));
    let mut pstw: BTreeMap<String, &Entry<Example>> = BTreeMap::new();
    for e in examples.iter().copied() {
        let Some(id) = e.meta.externe_ids.get("pstw") else {
            continue;
        };
        let norm = id.trim().to_uppercase();
        match pstw.get(&norm) {
            Some(first) => out.push(
                e.source
                    .yaml_source()
                    .error_at(
                        &key_path(&["externe_ids", "pstw"]),
                        true,
                        format!(
                            "die PSTW-Kennung `{id}` steht auch in `{}`",
                            first.source.file.display()
                        ),
                    )
                    .expected("jedes Vorhaben nur einmal im Katalog")
                    .hint(
                        "führen Sie die beiden Einträge zusammen oder korrigieren Sie die Kennung",
                    ),
            ),
            None => {
                pstw.insert(norm, e);
            }
        }
    }

    // Only examples that share a municipality are compared: group them by municipality key
    // (keys and titles computed once per example), then compare within each group.
    let keys: Vec<Vec<(String, &str)>> = examples
        .iter()
        .map(|e| municipality_keys(&e.meta))
        .collect();
    let titles: Vec<ComparableTitle> = examples
        .iter()
        .map(|e| ComparableTitle::new(&e.meta.titel))
        .collect();
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ks) in keys.iter().enumerate() {
        for (k, _) in ks {
            let group = groups.entry(k.as_str()).or_default();
            if group.last() != Some(&i) {
                group.push(i);
            }
        }
    }
    for (j, b) in examples.iter().enumerate() {
        // Earlier examples (in the sorted order) sharing any municipality with `b`.
        let earlier: BTreeSet<usize> = keys[j]
            .iter()
            .flat_map(|(k, _)| groups[k.as_str()].iter().copied().take_while(|&i| i < j))
            .collect();
        for i in earlier {
            let a = examples[i];
            let Some((_, name)) = keys[j]
                .iter()
                .find(|(k, _)| keys[i].iter().any(|(ka, _)| ka == k))
            else {
                continue;
            };
            if titles[j].similarity(&titles[i], SIMILAR_TITLE_THRESHOLD) < SIMILAR_TITLE_THRESHOLD {
                continue;
            }
            let mut d = b.source.yaml_source().warning_at(
                &key_path(&["titel"]),
                format!(
                    "möglicherweise doppelt: `{}` beschreibt ebenfalls `{name}` mit ähnlichem Titel „{}“",
                    a.source.file.display(),
                    a.meta.titel
                ),
            );
            d = d
                .expected("jedes Vorhaben nur einmal im Katalog")
                .hint("ist es dasselbe Vorhaben, führen Sie die Einträge zusammen; sonst machen Sie die Titel unterscheidbar");
            advice.push(d);
        }
    }
}
